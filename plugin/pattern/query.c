/* Querying: the dispatcher and the structural node kinds (pure, stack, cat,
   fast, shift, compress, rev, signals); the arena and the helpers they share
   are in query_context.c. Real-time safe: no allocation, every loop counted
   against a work budget tied to the arena size. */
#include <math.h>
#include <string.h>

#include "pattern/pat_internal.h"

#define WORK_PER_EVENT 64
#define WORK_MIN 100000
#define MAX_DEPTH 1000
/* Stack a query may use: far below the 512 KB of JACK's or a worker's
   threads; deeper trees (100 bracket levels, each with operators) overflow. */
#define MAX_STACK_BYTES (160 * 1024)

static void shift_times(pat_qctx *ctx, size_t from, pat_rat add) {
  pat_q_map_times(ctx, from, pat_rat_int(1), add);
}

/* ---- structural kinds ------------------------------------------------------- */

static void q_pure(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, span);
  while (pat_cycles_next(ctx, &it, &piece)) {
    pat_arc whole = {pat_rat_floor(piece.begin), pat_rat_ceil_next(piece.begin)};
    if (!pat_q_push(ctx, whole, piece, &node->value))
      return;
  }
}

/* One event over the whole span, valued at its middle (Strudel's signal). */
static void q_signal(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  pat_rat middle = pat_rat_div(pat_rat_add(span.begin, span.end, &of), pat_rat_int(2), &of);
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  double t = pat_rat_to_double(middle), phase = t - floor(t);
  pat_value value = {.kind = PAT_VALUE_NUMBER};
  switch ((pat_signal_kind)node->signal) {
  case PAT_SIGNAL_SINE:
    value.number = 0.5 + 0.5 * sin(6.283185307179586 * t);
    break;
  case PAT_SIGNAL_SAW:
    value.number = phase;
    break;
  case PAT_SIGNAL_ISAW:
    value.number = 1.0 - phase;
    break;
  case PAT_SIGNAL_SQUARE:
    value.number = phase < 0.5 ? 0.0 : 1.0;
    break;
  case PAT_SIGNAL_IRAND:
    value.number = trunc(pat_time_to_rand(t) * node->amount);
    break;
  case PAT_SIGNAL_PERLIN: {
    double a = pat_time_to_rand(floor(t)), b = pat_time_to_rand(floor(t) + 1);
    double smooth = 6.0 * pow(phase, 5) - 15.0 * pow(phase, 4) + 10.0 * pow(phase, 3);
    value.number = a + smooth * (b - a);
    break;
  }
  case PAT_SIGNAL_ENVL:
  case PAT_SIGNAL_ENVR: {
    double ramp = fmax(0.0, fmin(t, 1.0));
    value.number = node->signal == PAT_SIGNAL_ENVL ? ramp : 1.0 - ramp;
    break;
  }
  case PAT_SIGNAL_ENVEQ:
  case PAT_SIGNAL_ENVEQR: {
    double angle = 1.5707963267948966 * fmax(0.0, fmin(1.0 - t, 1.0));
    value.number = sqrt(node->signal == PAT_SIGNAL_ENVEQ ? sin(angle) : cos(angle));
    break;
  }
  default: /* PAT_SIGNAL_RAND (cosine and tri are built of the others) */
    value.number = pat_time_to_rand(t);
    break;
  }
  if (pat_q_push(ctx, span, span, &value))
    ctx->events[ctx->count - 1].analog = true;
}

/* A live input: like a signal, valued by the caller's input. */
static void q_input(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t index = (size_t)node->signal;
  pat_value value = {.kind = PAT_VALUE_NUMBER, .live = true};
  value.number = ctx->inputs && index < ctx->input_count ? (double)ctx->inputs[index] : 0.0;
  if (pat_q_push(ctx, span, span, &value))
    ctx->events[ctx->count - 1].analog = true;
}

static void q_slowcat(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  pat_cycle_iter it;
  pat_arc piece;
  int64_t n = (int64_t)node->kid_count;
  if (n == 0)
    return;
  bool of = false;
  pat_cycles_start(&it, span);
  while (pat_cycles_next(ctx, &it, &piece)) {
    pat_rat cycle = pat_rat_floor(piece.begin);
    int64_t index = ((cycle.num % n) + n) % n;
    /* shift so the chosen kid sees its own cycle count, not the global one */
    pat_rat offset =
        pat_rat_sub(cycle, pat_rat_floor(pat_rat_div(piece.begin, pat_rat_int(n), &of)), &of);
    pat_arc inner = {pat_rat_sub(piece.begin, offset, &of), pat_rat_sub(piece.end, offset, &of)};
    if (of)
      break;
    size_t from = ctx->count;
    pat_q(ctx, node->kids[index], inner);
    shift_times(ctx, from, offset);
  }
  if (of)
    pat_q_time_overflow(ctx);
}

static void q_slowcat_prime(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  pat_cycle_iter it;
  pat_arc piece;
  int64_t n = (int64_t)node->kid_count;
  if (n == 0)
    return;
  pat_cycles_start(&it, span);
  while (pat_cycles_next(ctx, &it, &piece)) {
    int64_t index = pat_rat_floor(piece.begin).num % n; /* JS %: negative stays negative */
    if (index < 0)
      continue;
    pat_q(ctx, node->kids[index], piece);
  }
}

/* fast by a rational factor (already converted; zero handled by the caller) */
void pat_q_fast_by(pat_qctx *ctx, const pat_pattern *kid, pat_rat factor, pat_arc span) {
  bool of = false;
  pat_arc inner = {pat_rat_mul(span.begin, factor, &of), pat_rat_mul(span.end, factor, &of)};
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  size_t from = ctx->count;
  pat_q(ctx, kid, inner);
  if (factor.num == 0) {
    if (ctx->count > from)
      ctx->failed = true; /* Strudel divides the times by zero */
    return;
  }
  pat_rat inverse = pat_rat_div(pat_rat_int(1), factor, &of);
  pat_q_map_times(ctx, from, inverse, pat_rat_int(0));
  if (of)
    pat_q_time_overflow(ctx);
}

void pat_q_early_by(pat_qctx *ctx, const pat_pattern *kid, pat_rat offset, pat_arc span) {
  bool of = false;
  pat_arc inner = {pat_rat_add(span.begin, offset, &of), pat_rat_add(span.end, offset, &of)};
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  size_t from = ctx->count;
  pat_q(ctx, kid, inner);
  shift_times(ctx, from, pat_rat_neg(offset));
}

static pat_rat rat_min(pat_rat a, pat_rat b) { return pat_rat_cmp(a, b) <= 0 ? a : b; }

static double map_number(const pat_pattern *node, double x) {
  switch (node->number_map) {
  case PAT_MAP_EXP:
    return exp(x);
  case PAT_MAP_QUANTISE:
    return nearbyint(x * node->quantum) / node->quantum;
  case PAT_MAP_TO_SCALE: {
    double n = (double)node->table_count, step = floor(x);
    if (!isfinite(step) || fabs(step) > 1e12)
      return x;
    double octave = floor(step / n);
    return node->weights[(size_t)(step - octave * n)] + node->quantum * octave;
  }
  case PAT_MAP_CHOOSE: {
    double n = (double)node->table_count, i = floor(x * n);
    if (!isfinite(i) || fabs(i) > 1e12)
      return x;
    return node->weights[(size_t)(i - floor(i / n) * n)];
  }
  case PAT_MAP_WCHOOSE: {
    const double *running = node->weights + node->table_count;
    double target = x * running[node->table_count - 1];
    for (size_t i = 0; i < node->table_count; i++)
      if (running[i] > target)
        return node->weights[i];
    return node->weights[node->table_count - 1];
  }
  default:
    return x;
  }
}

/* span.withCycle(f): f applied to the positions in the cycle of its begin. */
static pat_arc with_cycle(pat_arc a, pat_rat scale, pat_rat add, bool divide, bool *of) {
  pat_rat sam = pat_rat_floor(a.begin);
  pat_rat b = pat_rat_sub(a.begin, sam, of), e = pat_rat_sub(a.end, sam, of);
  if (divide) { /* (t - add) / scale */
    b = pat_rat_div(pat_rat_sub(b, add, of), scale, of);
    e = pat_rat_div(pat_rat_sub(e, add, of), scale, of);
  } else { /* t * scale + add */
    b = pat_rat_add(pat_rat_mul(b, scale, of), add, of);
    e = pat_rat_add(pat_rat_mul(e, scale, of), add, of);
  }
  return (pat_arc){pat_rat_add(sam, b, of), pat_rat_add(sam, e, of)};
}

/* zoom(s, e): splitQueries, the query's cycle positions t -> s + t * d, the
   events' back by (t - s) / d, each span by the cycle of its own begin. */
static void q_zoom(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  pat_rat d = pat_rat_sub(node->end, node->begin, &of);
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, span);
  while (!of && pat_cycles_next(ctx, &it, &piece)) {
    size_t from = ctx->count;
    pat_q(ctx, node->kids[0], with_cycle(piece, d, node->begin, false, &of));
    for (size_t i = from; i < ctx->count; i++) {
      pat_event *e = &ctx->events[i];
      e->part = with_cycle(e->part, d, node->begin, true, &of);
      if (!e->analog)
        e->whole = with_cycle(e->whole, d, node->begin, true, &of);
    }
  }
  if (of)
    pat_q_time_overflow(ctx);
}

/* Tidal's filterWhen on the cycle position of each onset (a continuous
   pattern's sample, which has none, by the start of its part). */
static void q_play_when(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t mark = ctx->count;
  pat_q(ctx, node->kids[0], span);
  size_t kept = mark;
  bool of = false;
  for (size_t i = mark; i < ctx->count; i++) {
    const pat_event *e = &ctx->events[i];
    pat_rat onset = e->analog ? e->part.begin : e->whole.begin;
    pat_rat position = pat_rat_sub(onset, pat_rat_floor(onset), &of);
    bool inside = pat_rat_cmp(position, node->begin) >= 0 && pat_rat_cmp(position, node->end) < 0;
    if (inside != node->invert)
      ctx->events[kept++] = ctx->events[i];
  }
  ctx->count = kept;
  if (of)
    pat_q_time_overflow(ctx);
}

/* compress(b, e) = fastGap(1 / (e - b)) then late(b), as timeCat uses it. */
static void q_compress(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  pat_rat one = pat_rat_int(1);
  pat_rat factor = pat_rat_div(one, pat_rat_sub(node->end, node->begin, &of), &of);
  pat_arc shifted = {pat_rat_sub(span.begin, node->begin, &of),
                     pat_rat_sub(span.end, node->begin, &of)};
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  size_t first = ctx->count;
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, shifted);
  while (pat_cycles_next(ctx, &it, &piece)) {
    pat_rat cycle = pat_rat_floor(piece.begin);
    pat_rat bpos = rat_min(pat_rat_mul(pat_rat_sub(piece.begin, cycle, &of), factor, &of), one);
    pat_rat epos = rat_min(pat_rat_mul(pat_rat_sub(piece.end, cycle, &of), factor, &of), one);
    if (pat_rat_cmp(bpos, one) >= 0)
      continue;
    pat_arc inner = {pat_rat_add(cycle, bpos, &of), pat_rat_add(cycle, epos, &of)};
    if (of)
      break;
    size_t from = ctx->count;
    pat_q(ctx, node->kids[0], inner);
    for (size_t i = from; i < ctx->count; i++) {
      pat_event *e = &ctx->events[i];
      pat_rat b = e->part.begin, en = e->part.end;
      pat_rat cyc = pat_rat_floor(b);
      pat_rat bp = rat_min(pat_rat_div(pat_rat_sub(b, cyc, &of), factor, &of), one);
      pat_rat ep = rat_min(pat_rat_div(pat_rat_sub(en, cyc, &of), factor, &of), one);
      pat_arc part = {pat_rat_add(cyc, bp, &of), pat_rat_add(cyc, ep, &of)};
      pat_arc whole = {
          pat_rat_sub(part.begin, pat_rat_div(pat_rat_sub(b, e->whole.begin, &of), factor, &of),
                      &of),
          pat_rat_add(part.end, pat_rat_div(pat_rat_sub(e->whole.end, en, &of), factor, &of), &of)};
      e->part = part;
      e->whole = whole;
    }
  }
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  shift_times(ctx, first, node->begin);
}

static void q_rev(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, span);
  while (pat_cycles_next(ctx, &it, &piece)) {
    pat_rat cycle = pat_rat_floor(piece.begin);
    /* reflect t -> 2 * cycle + 1 - t, swapping begin and end */
    pat_rat mirror = pat_rat_add(pat_rat_add(cycle, cycle, &of), pat_rat_int(1), &of);
    pat_arc inner = {pat_rat_sub(mirror, piece.end, &of), pat_rat_sub(mirror, piece.begin, &of)};
    if (of)
      break;
    size_t from = ctx->count;
    pat_q(ctx, node->kids[0], inner);
    for (size_t i = from; i < ctx->count; i++) {
      pat_event *e = &ctx->events[i];
      pat_arc w = e->whole, p = e->part;
      e->whole.begin = pat_rat_sub(mirror, w.end, &of);
      e->whole.end = pat_rat_sub(mirror, w.begin, &of);
      e->part.begin = pat_rat_sub(mirror, p.end, &of);
      e->part.end = pat_rat_sub(mirror, p.begin, &of);
    }
  }
  if (of)
    pat_q_time_overflow(ctx);
}

/* A sequence (a stack of ordered compress steps) queried inside one cycle:
   only the steps overlapping the span can give events (a step [b, e) gives
   none for a span [x, y) of the cycle with e <= x or b >= y, nor for a point
   x outside [b, e)), so binary search the first and stop after the last. The
   result is the same as querying every step, in the same order. */
static void q_timecat(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  pat_rat cycle = pat_rat_floor(span.begin);
  pat_rat x = pat_rat_sub(span.begin, cycle, &of), y = pat_rat_sub(span.end, cycle, &of);
  bool point = pat_rat_cmp(span.begin, span.end) == 0;
  if (of || pat_rat_cmp(y, pat_rat_int(1)) > 0 || pat_rat_cmp(span.begin, span.end) > 0) {
    for (size_t i = 0; i < node->kid_count && pat_q_work(ctx); i++)
      pat_q(ctx, node->kids[i], span);
    return;
  }
  size_t low = 0, high = node->kid_count; /* first step with end > x */
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    if (pat_rat_cmp(node->kids[mid]->end, x) > 0)
      high = mid;
    else
      low = mid + 1;
  }
  for (size_t i = low; i < node->kid_count && pat_q_work(ctx); i++) {
    int order = pat_rat_cmp(node->kids[i]->begin, point ? x : y);
    if (point ? order > 0 : order >= 0)
      break;
    pat_q(ctx, node->kids[i], span);
  }
}

/* repeatCycles(n): cycle c plays cycle floor(c / n) ... shifted to c */
void pat_q_repeat_by(pat_qctx *ctx, const pat_pattern *kid, pat_rat n, pat_arc span) {
  bool of = false;
  if (n.num == 0) {
    ctx->failed = true;
    return;
  }
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, span);
  while (pat_cycles_next(ctx, &it, &piece)) {
    pat_rat cycle = pat_rat_floor(piece.begin);
    pat_rat source = pat_rat_floor(pat_rat_div(cycle, n, &of));
    pat_rat delta = pat_rat_sub(cycle, source, &of);
    pat_arc inner = {pat_rat_sub(piece.begin, delta, &of), pat_rat_sub(piece.end, delta, &of)};
    if (of)
      break;
    size_t from = ctx->count;
    pat_q(ctx, kid, inner);
    shift_times(ctx, from, delta);
  }
  if (of)
    pat_q_time_overflow(ctx);
}

/* fastcat of the numbers start, start +- 1, ... (count of them): the inner
   pattern of a mini-notation range, built only at query time. */
static void q_fastcat_range(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  int64_t n = (int64_t)node->amount;
  if (n <= 0)
    return;
  pat_rat factor = pat_rat_int(n);
  bool of = false;
  pat_arc inner = {pat_rat_mul(span.begin, factor, &of), pat_rat_mul(span.end, factor, &of)};
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  size_t from = ctx->count;
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, inner);
  while (pat_cycles_next(ctx, &it, &piece)) {
    pat_rat cycle = pat_rat_floor(piece.begin);
    int64_t index = ((cycle.num % n) + n) % n;
    pat_value v = {.kind = PAT_VALUE_NUMBER};
    double start = node->value.number, step = node->begin.num < 0 ? -1.0 : 1.0;
    v.number = n == 1 ? start : start + step * (double)index;
    pat_arc whole = {cycle, pat_rat_ceil_next(piece.begin)};
    if (!pat_q_push(ctx, whole, piece, &v))
      break;
  }
  if (n > 1)
    pat_q_map_times(ctx, from, pat_rat_make(1, n, &of), pat_rat_int(0));
}

static size_t stack_used(const pat_qctx *ctx) {
  volatile char here = 0;
  uintptr_t at = (uintptr_t)&here;
  size_t used = at < ctx->stack_base ? ctx->stack_base - at : at - ctx->stack_base;
  /* locals elsewhere (a sanitizer's fake stack): no measure, no limit */
  return used > ((size_t)64 << 20) ? 0 : used;
}

/* Nodes that can make an onset of a fragment of their kids' (rev reflects
   ends to begins; press, zoom and arp move begins; segment, euclid, ply, ranges, a:b, chop,
   bite and |+| build new wholes) need every fragment below them. */
static const bool needs_fragments[PN_FAILED + 1] = {
    [PN_REV] = true,        [PN_SEGMENT] = true, [PN_EUCLID] = true, [PN_PLY] = true,
    [PN_PRESS] = true,      [PN_ZOOM] = true,    [PN_ARP] = true,    [PN_RANGE] = true,
    [PN_RANGE_BIND] = true, [PN_TAIL] = true,    [PN_UR] = true,     [PN_SQUEEZE] = true,
    [PN_COMPOUND] = true,   [PN_ROT] = true,     [PN_CHUNK] = true,  [PN_NTAKE] = true,
    [PN_CHOP] = true,       [PN_BITE] = true,    [PN_SMOOTH] = true};

void pat_q(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  if (ctx->overflow || ctx->failed)
    return;
  if (++ctx->depth > MAX_DEPTH || stack_used(ctx) > MAX_STACK_BYTES) {
    ctx->overflow = true;
    ctx->depth--;
    return;
  }
  bool onsets_only = ctx->onsets_only;
  if (needs_fragments[node->kind] ||
      (node->kind == PN_COMBINE && node->structure == PAT_STRUCTURE_BOTH))
    ctx->onsets_only = false;
  switch (node->kind) {
  case PN_SILENCE:
    break;
  case PN_FAILED:
    ctx->failed = true;
    break;
  case PN_PURE:
    q_pure(ctx, node, span);
    break;
  case PN_SIGNAL:
    q_signal(ctx, node, span);
    break;
  case PN_RANGE_NUMBERS: {
    size_t from = ctx->count;
    pat_q(ctx, node->kids[0], span);
    for (size_t i = from; i < ctx->count; i++) {
      pat_value *v = &ctx->events[i].value;
      double x = v->number;
      if (v->kind == PAT_VALUE_NUMBER ||
          (v->kind == PAT_VALUE_STRING && pat_note_number(v->str, ctx->notes, &x))) {
        *v = (pat_value){.kind = PAT_VALUE_NUMBER,
                         .number = map_number(node, x * node->amount + node->offset)};
      }
    }
    break;
  }
  case PN_STACK:
    if (node->timecat)
      q_timecat(ctx, node, span);
    else
      for (size_t i = 0; i < node->kid_count && pat_q_work(ctx); i++) {
        /* a kid that can give onsets only elsewhere gives nothing here */
        if (ctx->onsets_only && node->kid_grids && !pat_onset_grid_meets(&node->kid_grids[i], span))
          continue;
        pat_q(ctx, node->kids[i], span);
      }
    break;
  case PN_SLOWCAT:
    q_slowcat(ctx, node, span);
    break;
  case PN_SLOWCAT_PRIME:
    q_slowcat_prime(ctx, node, span);
    break;
  case PN_COMPRESS:
    q_compress(ctx, node, span);
    break;
  case PN_PLAY_WHEN:
    q_play_when(ctx, node, span);
    break;
  case PN_ZOOM:
    q_zoom(ctx, node, span);
    break;
  case PN_REV:
    q_rev(ctx, node, span);
    break;
  case PN_SET_PAN:
    pat_q_param_node(ctx, node, span); /* the width is an argument: pat_q_set_pan */
    break;
  case PN_INPUT:
    q_input(ctx, node, span);
    break;
  case PN_CONTROL:
    pat_q_control(ctx, node, span);
    break;
  case PN_COMBINE:
    pat_q_combine(ctx, node, span);
    break;
  case PN_TAIL:
    pat_q_tail(ctx, node, span);
    break;
  case PN_CHORD:
    pat_q_chord(ctx, node, span);
    break;
  case PN_RANGE:
    pat_q_range(ctx, node, span);
    break;
  case PN_CHOOSE:
    pat_q_choose(ctx, node, span);
    break;
  case PN_FASTCAT_RANGE:
    q_fastcat_range(ctx, node, span);
    break;
  case PN_RANGE_BIND:
    pat_q_range_bind(ctx, node, span);
    break;
  case PN_MATCH:
    pat_q_match(ctx, node, span);
    break;
  case PN_UR:
    pat_q_ur(ctx, node, span);
    break;
  case PN_UR_VAR:
    pat_q_ur_var(ctx, node, span);
    break;
  case PN_PLAY_FOR:
    pat_q_play_for(ctx, node, span);
    break;
  case PN_LOOP_FIRST:
    pat_q_loop_first(ctx, node, span);
    break;
  case PN_SQUEEZE:
    pat_q_squeeze(ctx, node, span);
    break;
  case PN_NTAKE:
    pat_q_ntake(ctx, node, span);
    break;
  case PN_SLICE_RANGE:
    pat_q_slice_range(ctx, node, span);
    break;
  case PN_SMOOTH:
    pat_q_smooth(ctx, node, span);
    break;
  default:
    pat_q_param_node(ctx, node, span);
    break;
  }
  ctx->onsets_only = onsets_only;
  ctx->depth--;
}

size_t pat_query(const pat_pattern *p, pat_arc span, pat_arena *arena, const pat_event **events) {
  const size_t align = _Alignof(pat_event);
  size_t start = (arena->used + align - 1) / align * align;
  pat_qctx ctx;
  memset(&ctx, 0, sizeof ctx);
  volatile char stack_mark = 0;
  ctx.stack_base = (uintptr_t)&stack_mark;
  ctx.inputs = arena->inputs;
  ctx.onsets_only = arena->onsets_only;
  ctx.input_count = arena->input_count;
  ctx.notes = arena->notes;
  *events = NULL;
  arena->failed = false;
  if (!p || !arena->memory || arena->top_used > arena->size ||
      start + sizeof(pat_event) > arena->size - arena->top_used) {
    arena->overflow = true;
    return 0;
  }
  ctx.events = (pat_event *)(arena->memory + start);
  ctx.event_cap = SIZE_MAX;
  ctx.low = arena->memory + start;
  ctx.high = arena->memory + arena->size - arena->top_used;
  ctx.capacity = (arena->size - arena->top_used - start) / sizeof(pat_event);
  if (arena->max_events && arena->max_events < ctx.capacity)
    ctx.capacity = arena->max_events;
  ctx.work_limit = (uint64_t)ctx.capacity * WORK_PER_EVENT + WORK_MIN;
  if (arena->work_budget) {
    /* The walk gets half of what is left: mapping the events it found may
       take up to twice its limit (pat_q_map_times), and the shared budget
       is a bound, not a target. */
    uint64_t left =
        arena->work_spent < arena->work_budget ? arena->work_budget - arena->work_spent : 0;
    if (left / 2 < ctx.work_limit)
      ctx.work_limit = left / 2;
  }
  pat_q(&ctx, p, span);
  arena->work_spent += ctx.work;
  arena->dropped += ctx.dropped;
  *events = ctx.events;
  if (ctx.failed || ctx.bad_time) {
    arena->failed = ctx.failed;
    arena->overflow = ctx.bad_time;
    return 0;
  }
  arena->used = (size_t)((unsigned char *)(ctx.events + ctx.count) - arena->memory);
  arena->top_used = (size_t)(arena->memory + arena->size - ctx.high);
  if (ctx.overflow || ctx.incomplete)
    arena->overflow = true;
  return ctx.count;
}
