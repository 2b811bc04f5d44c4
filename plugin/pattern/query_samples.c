/* Querying Tidal's sample functions (Sound.Tidal.Control and UI): chop,
   striate and striateBy, the ranges of slice and splice, randslice, bite and
   chew. Each sets the begin, end and speed controls Tidal's definition sets.
   Real-time safe like every query: maps in the arena, loops counted as work. */
#include <math.h>

#include "pattern/pat_internal.h"

/* A count or an index: Tidal's Int, so a fraction is rounded down; false
   for anything else (and for numbers too large to count with). */
static bool whole_number(const pat_value *v, int64_t *out) {
  if (v->kind != PAT_VALUE_NUMBER || !(fabs(v->number) < 1e15))
    return false;
  *out = (int64_t)floor(v->number);
  return true;
}

static int64_t wrapped(int64_t index, int64_t count) { return ((index % count) + count) % count; }

static const pat_control range_controls[3] = {PAT_CONTROL_BEGIN, PAT_CONTROL_END,
                                              PAT_CONTROL_SPEED};
static const pat_controls no_controls; /* the map slice's ranges start from */

static bool set_range(pat_qctx *ctx, pat_value *value, double begin, double end) {
  double numbers[2] = {begin, end};
  return pat_q_set_controls(ctx, value, range_controls, numbers, 2);
}

/* `value` playing [b, e) of the range it played (Tidal's mergePlayRange:
   begin and end are 0 and 1 when unset). */
static bool merge_range(pat_qctx *ctx, pat_value *value, double b, double e) {
  const pat_controls *map = value->kind == PAT_VALUE_CONTROLS ? value->controls : NULL;
  double from = map ? pat_controls_number(map, PAT_CONTROL_BEGIN, 0.0) : 0.0;
  double to = map ? pat_controls_number(map, PAT_CONTROL_END, 1.0) : 1.0;
  double length = to - from;
  return set_range(ctx, value, b * length + from, e * length + from);
}

/* chop n: each whole cut into n pieces, each piece a new whole with the part
   its old part has of it (pieces it does not touch are left out); events
   without a whole are dropped, as Tidal's chop drops them. */
static void q_chop(pat_qctx *ctx, const pat_pattern *node, int64_t n, pat_arc span) {
  size_t from = ctx->count;
  pat_q(ctx, node->kids[0], span);
  size_t end = ctx->count;
  bool of = false, full = false;
  for (size_t i = from; !full && i < end && pat_q_work(ctx); i++) {
    pat_event e = ctx->events[i];
    if (e.analog)
      continue;
    pat_rat length = pat_rat_sub(e.whole.end, e.whole.begin, &of);
    pat_rat step = pat_rat_div(length, pat_rat_int(n), &of);
    int64_t first = 0, last = n - 1; /* the pieces the part may touch */
    if (pat_rat_cmp(length, pat_rat_int(0)) > 0) {
      pat_rat at =
          pat_rat_floor(pat_rat_div(pat_rat_sub(e.part.begin, e.whole.begin, &of), step, &of));
      pat_rat to =
          pat_rat_floor(pat_rat_div(pat_rat_sub(e.part.end, e.whole.begin, &of), step, &of));
      first = at.num < 0 ? 0 : at.num;
      last = to.num < last ? to.num : last;
    }
    for (int64_t k = first; k <= last && !of && pat_q_work(ctx); k++) {
      pat_arc piece = {pat_rat_add(e.whole.begin, pat_rat_mul(step, pat_rat_int(k), &of), &of),
                       pat_rat_add(e.whole.begin, pat_rat_mul(step, pat_rat_int(k + 1), &of), &of)};
      pat_arc part;
      if (!pat_arc_intersect(e.part, piece, &part, &of))
        continue;
      pat_value value = e.value;
      if (!merge_range(ctx, &value, (double)k / (double)n, (double)(k + 1) / (double)n) ||
          !pat_q_push(ctx, piece, part, &value)) {
        full = true;
        break;
      }
    }
  }
  pat_q_drop(ctx, from, end); /* only finished events remain */
  if (of)
    pat_q_time_overflow(ctx);
}

/* striate n: fastcat of n copies, copy j playing the j-th n-th of each
   event's range; fastcat is fast n of cat, and cat's cycle m plays copy
   m mod n at its own cycle floor(m / n). striateBy n f: copy j plays
   [slot * j, slot * j + f), slot = (1 - f) / n, set rather than merged. */
static void q_striate(pat_qctx *ctx, const pat_pattern *node, int64_t n, double length,
                      pat_arc span) {
  bool of = false, by = node->signal == 1;
  pat_rat count = pat_rat_int(n);
  pat_arc inner = {pat_rat_mul(span.begin, count, &of), pat_rat_mul(span.end, count, &of)};
  int order = pat_rat_cmp(inner.begin, inner.end);
  if (of || order > 0) {
    if (of)
      pat_q_time_overflow(ctx);
    return;
  }
  double slot = (1.0 - length) / (double)n;
  size_t first = ctx->count;
  bool full = false;
  for (pat_rat b = inner.begin; !full;) {
    if (!pat_q_work(ctx))
      break;
    pat_rat next = pat_rat_ceil_next(b);
    bool last = order == 0 || pat_rat_cmp(next, inner.end) >= 0;
    pat_arc piece = {b, last ? inner.end : next};
    pat_rat cycle = pat_rat_floor(b);
    int64_t copy = wrapped(cycle.num, n);
    pat_rat offset = pat_rat_sub(cycle, pat_rat_floor(pat_rat_div(cycle, count, &of)), &of);
    pat_arc shifted = {pat_rat_sub(piece.begin, offset, &of), pat_rat_sub(piece.end, offset, &of)};
    if (of)
      break;
    size_t from = ctx->count;
    pat_q(ctx, node->kids[0], shifted);
    pat_q_map_times(ctx, from, pat_rat_int(1), offset);
    double j = (double)copy;
    for (size_t i = from; i < ctx->count; i++) {
      bool ok = by ? set_range(ctx, &ctx->events[i].value, slot * j, slot * j + length)
                   : merge_range(ctx, &ctx->events[i].value, j / (double)n, (j + 1) / (double)n);
      if (!ok) {
        ctx->count = i; /* only finished events remain */
        full = true;
        break;
      }
    }
    if (last)
      break;
    b = next;
  }
  pat_q_map_times(ctx, first, pat_rat_div(pat_rat_int(1), count, &of), pat_rat_int(0));
  if (of)
    pat_q_time_overflow(ctx);
}

/* randslice n: slice floor(rand * n) of n, rand at the middle of the whole. */
static void q_randslice(pat_qctx *ctx, const pat_pattern *node, int64_t n, pat_arc span) {
  size_t from = ctx->count;
  pat_q(ctx, node->kids[0], span);
  bool of = false;
  for (size_t i = from; i < ctx->count; i++) {
    pat_event *e = &ctx->events[i];
    double slice =
        floor(pat_rand_mid(e->analog ? e->part : e->whole, pat_rat_int(0), &of) * (double)n);
    if (!set_range(ctx, &e->value, slice / (double)n, (slice + 1) / (double)n)) {
      ctx->count = i;
      break;
    }
  }
  if (of)
    pat_q_time_overflow(ctx);
}

/* bite n: each event of the index pattern i gets the slice i mod n of p's
   cycle (zoomArc), squeezed into it as Tidal's squeezeJoin squeezes. chew:
   Tidal's squeezeJoinUp (compressArc, so an event crossing a cycle
   boundary gets nothing) with speeds (speed or 1) * (1 / length) / n. */
static void q_bite(pat_qctx *ctx, const pat_pattern *node, int64_t n, pat_arc span) {
  bool chew = node->signal == 1, of = false;
  size_t from = ctx->count;
  pat_q(ctx, node->kids[0], span);
  size_t end = ctx->count;
  for (size_t i = from; i < end && pat_q_work(ctx); i++) {
    pat_event outer = ctx->events[i];
    int64_t index;
    if (outer.analog || !whole_number(&outer.value, &index))
      continue;
    int64_t slice = wrapped(index, n);
    pat_pattern zoom = {.kind = PN_ZOOM, .kids = &node->kids[1], .kid_count = 1};
    zoom.begin = pat_rat_make(slice, n, &of);
    zoom.end = pat_rat_make(slice + 1, n, &of);
    pat_rat length = pat_rat_sub(outer.whole.end, outer.whole.begin, &of);
    if (of)
      break;
    if (chew) {
      pat_rat sam = pat_rat_floor(outer.whole.begin);
      if (pat_rat_cmp(outer.whole.end, pat_rat_add(sam, pat_rat_int(1), &of)) > 0)
        continue;
    }
    size_t mark = ctx->count;
    pat_q_squeeze_cycle(ctx, &outer, &zoom);
    if (chew && pat_rat_cmp(length, pat_rat_int(0)) > 0)
      pat_q_scale_control(ctx, mark, PAT_CONTROL_SPEED,
                          pat_rat_to_double(pat_rat_div(pat_rat_int(1), length, &of)), (double)n);
  }
  pat_q_drop(ctx, from, end);
  if (of)
    pat_q_time_overflow(ctx);
}

void pat_q_sample_fn(pat_qctx *ctx, const pat_pattern *node, const pat_value *values,
                     pat_arc span) {
  int64_t n;
  if (!whole_number(&values[0], &n) || n < 1)
    return; /* Tidal divides by the count: nothing to play */
  switch (node->kind) {
  case PN_CHOP:
    q_chop(ctx, node, n, span);
    break;
  case PN_STRIATE:
    if (node->signal == 1 && values[1].kind != PAT_VALUE_NUMBER)
      return;
    q_striate(ctx, node, n, node->signal == 1 ? values[1].number : 0.0, span);
    break;
  case PN_RANDSLICE:
    q_randslice(ctx, node, n, span);
    break;
  default: /* PN_BITE */
    q_bite(ctx, node, n, span);
    break;
  }
}

/* slice and splice: each [index, count] list of the structure becomes the
   map {begin: (index mod count) / count, end: that + 1 / count}; splice adds
   speed (1 / count) / (the whole's length). Anything else plays nothing. */
void pat_q_slice_range(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t from = ctx->count, kept = from;
  pat_q(ctx, node->kids[0], span);
  bool of = false;
  for (size_t i = from; i < ctx->count; i++) {
    pat_event e = ctx->events[i];
    int64_t index, n;
    if (e.value.kind != PAT_VALUE_LIST || e.value.count != 2 ||
        !whole_number(&e.value.items[0], &index) || !whole_number(&e.value.items[1], &n) || n < 1)
      continue;
    double slice = (double)wrapped(index, n), count = (double)n;
    pat_arc whole = e.analog ? e.part : e.whole;
    double length = pat_rat_to_double(pat_rat_sub(whole.end, whole.begin, &of));
    double numbers[3] = {slice / count, (slice + 1) / count, 1.0 / count / length};
    e.value = pat_controls_value(&no_controls, e.value.live);
    if (!pat_q_set_controls(ctx, &e.value, range_controls, numbers, node->signal == 1 ? 3 : 2))
      break; /* full: only finished events remain */
    ctx->events[kept++] = e;
  }
  ctx->count = kept;
  if (of)
    pat_q_time_overflow(ctx);
}
