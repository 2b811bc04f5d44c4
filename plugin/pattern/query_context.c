/* What every query uses: the arena, the query context's helpers (the work
   budget, pushing and dropping events, scratch memory, the per-node caps)
   and the time helpers (intersecting arcs, splitting spans at cycles,
   mapping event times). Real-time safe: no allocation. */
#include <string.h>

#include "pattern/pat_internal.h"

void pat_arena_init(pat_arena *arena, void *memory, size_t size) {
  arena->memory = memory;
  arena->size = memory ? size : 0;
  pat_arena_reset(arena);
  arena->work_budget = 0;
  arena->max_events = 0;
  arena->onsets_only = false;
  arena->inputs = NULL;
  arena->input_count = 0;
  arena->notes = PAT_NOTES_STRUDEL;
}

void pat_arena_reset(pat_arena *arena) {
  arena->dropped = 0;
  arena->used = 0;
  arena->top_used = 0;
  arena->overflow = false;
  arena->failed = false;
  arena->work_spent = 0;
}

/* ---- context helpers ----------------------------------------------------- */

void pat_q_time_overflow(pat_qctx *ctx) {
  ctx->bad_time = true;
  ctx->overflow = true;
}

/* A step refused is not spent: the loops that each ask once more on their
   way out of a deep query add nothing past the limit. */
bool pat_q_work(pat_qctx *ctx) {
  if (ctx->work >= ctx->work_limit)
    ctx->overflow = true;
  else
    ctx->work++;
  return !ctx->overflow && !ctx->failed;
}

bool pat_q_push(pat_qctx *ctx, pat_arc whole, pat_arc part, const pat_value *value) {
  if (ctx->overflow || ctx->failed)
    return false;
  if ((unsigned char *)(ctx->events + ctx->count + 1) > ctx->high || ctx->count >= ctx->event_cap) {
    ctx->overflow = ctx->full = true;
    return false;
  }
  pat_event *e = &ctx->events[ctx->count++];
  e->whole = whole;
  e->part = part;
  e->value = *value;
  e->analog = false;
  return pat_q_work(ctx);
}

void pat_q_drop(pat_qctx *ctx, size_t from, size_t to) {
  if (to <= from)
    return;
  memmove(ctx->events + from, ctx->events + to, (ctx->count - to) * sizeof(pat_event));
  ctx->count -= to - from;
}

void *pat_q_alloc(pat_qctx *ctx, size_t size) {
  size = (size + sizeof(double) - 1) / sizeof(double) * sizeof(double);
  unsigned char *floor_ptr = (unsigned char *)(ctx->events + ctx->count);
  if ((size_t)(ctx->high - floor_ptr) < size) {
    ctx->overflow = ctx->full = true;
    return NULL;
  }
  ctx->high -= size;
  return ctx->high;
}

/* pat_q_share and pat_q_part: `node` over `span` with a quarter of the
   work and half the room left (mapping the events it found may take twice
   its work: half is left in any case); true when it ran out of them, not of
   the whole budget. */
static bool capped(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  uint64_t limit = ctx->work_limit;
  size_t mark = ctx->count, cap = ctx->event_cap;
  size_t room =
      (size_t)(ctx->high - (unsigned char *)(ctx->events + ctx->count)) / sizeof(pat_event);
  ctx->work_limit = ctx->work + (limit > ctx->work ? (limit - ctx->work) / 4 : 0) + 1;
  if (mark + room / 2 + 1 < cap)
    ctx->event_cap = mark + room / 2 + 1;
  pat_q(ctx, node, span);
  ctx->work_limit = limit;
  ctx->event_cap = cap;
  return ctx->overflow && !ctx->bad_time && !ctx->failed && ctx->work < limit;
}

void pat_q_share(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t mark = ctx->count;
  unsigned char *high = ctx->high;
  bool onsets_only = ctx->onsets_only;
  ctx->onsets_only = false; /* an operator pairs every fragment of its other side */
  bool ran_out = capped(ctx, node, span);
  ctx->onsets_only = onsets_only;
  if (ran_out) {
    ctx->count = mark; /* only this event's share ran out: drop its results, go on */
    ctx->high = high;
    ctx->overflow = ctx->full = false;
    ctx->dropped++;
  }
}

void pat_q_part(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  if (node->has_combine) { /* nested operators each cap their own structure */
    pat_q(ctx, node, span);
    return;
  }
  if (capped(ctx, node, span)) {
    ctx->overflow = ctx->full = false; /* keep what was found, go on with it */
    ctx->incomplete = true;
  }
}

/* ---- time helpers ---------------------------------------------------------- */

bool pat_arc_intersect(pat_arc a, pat_arc b, pat_arc *out, bool *overflow) {
  (void)overflow;
  pat_rat begin = pat_rat_cmp(a.begin, b.begin) >= 0 ? a.begin : b.begin;
  pat_rat end = pat_rat_cmp(a.end, b.end) <= 0 ? a.end : b.end;
  int c = pat_rat_cmp(begin, end);
  if (c > 0)
    return false;
  if (c == 0) {
    /* A point touching the end of a non-empty span is not inside it. */
    if (pat_rat_eq(begin, a.end) && pat_rat_cmp(a.begin, a.end) < 0)
      return false;
    if (pat_rat_eq(begin, b.end) && pat_rat_cmp(b.begin, b.end) < 0)
      return false;
  }
  out->begin = begin;
  out->end = end;
  return true;
}

/* Strudel's spanCycles: the span cut at cycle boundaries; a zero-width span
   is one piece; a reversed span has none. */
void pat_cycles_start(pat_cycle_iter *it, pat_arc span) {
  it->begin = span.begin;
  it->end = span.end;
  int c = pat_rat_cmp(span.begin, span.end);
  it->zero_pending = c == 0;
  it->done = c > 0;
}

bool pat_cycles_next(pat_qctx *ctx, pat_cycle_iter *it, pat_arc *piece) {
  if (it->done || !pat_q_work(ctx))
    return false;
  if (it->zero_pending) {
    it->done = true;
    piece->begin = it->begin;
    piece->end = it->end;
    return true;
  }
  if (pat_rat_cmp(it->end, it->begin) <= 0)
    return false;
  pat_rat next = pat_rat_ceil_next(it->begin);
  piece->begin = it->begin;
  if (pat_rat_cmp(pat_rat_floor(it->begin), pat_rat_floor(it->end)) == 0 ||
      pat_rat_cmp(next, it->end) >= 0) {
    piece->end = it->end;
    it->done = true;
  } else {
    piece->end = next;
    it->begin = next;
  }
  return true;
}

static bool rat_equal(pat_rat a, pat_rat b) { return a.num == b.num && a.den == b.den; }

static pat_rat map_time(pat_rat t, pat_rat mul, pat_rat add, bool scale, bool shift, bool *of) {
  if (scale)
    t = pat_rat_mul(t, mul, of);
  return shift ? pat_rat_add(t, add, of) : t;
}

/* A part edge equal to its whole's maps to the same time, so it is copied. */
void pat_q_map_times(pat_qctx *ctx, size_t from, pat_rat mul, pat_rat add) {
  bool of = false;
  bool scale = !rat_equal(mul, pat_rat_int(1)), shift = add.num != 0;
  if (!scale && !shift)
    return;
  /* Mapping events is work too: a deep stack of speed-ups over many events
     costs as much as walking them. Each time mapped is a unit, as exact
     arithmetic on large times costs about as much as a step of the walk.
     The events a walk found within its budget may be mapped past it, up to
     twice the budget in all; what that cannot pay for is dropped, so the
     enclosing maps of a deep stack do not each map them again. */
  uint64_t per_event = (uint64_t)(scale + shift) * 2;
  uint64_t hard_limit = ctx->work_limit * 2;
  uint64_t left = hard_limit > ctx->work ? hard_limit - ctx->work : 0;
  if ((ctx->count - from) * per_event > left) {
    ctx->count = from + (size_t)(left / per_event);
    ctx->overflow = true;
  }
  ctx->work += (ctx->count - from) * per_event;
  if (ctx->work > ctx->work_limit)
    ctx->overflow = true;
  for (size_t i = from; i < ctx->count; i++) {
    pat_event *e = &ctx->events[i];
    bool same_begin = rat_equal(e->part.begin, e->whole.begin);
    bool same_end = rat_equal(e->part.end, e->whole.end);
    e->whole.begin = map_time(e->whole.begin, mul, add, scale, shift, &of);
    e->whole.end = map_time(e->whole.end, mul, add, scale, shift, &of);
    e->part.begin =
        same_begin ? e->whole.begin : map_time(e->part.begin, mul, add, scale, shift, &of);
    e->part.end = same_end ? e->whole.end : map_time(e->part.end, mul, add, scale, shift, &of);
  }
  if (of)
    pat_q_time_overflow(ctx);
}
