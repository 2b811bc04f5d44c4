/* Querying Tidal's transforms whose first argument is a pattern and which
   choose, per cycle, what plays: whenmod and chunk, linger and trunc (whose
   zooms are the engine's own nodes, made on the stack for each value), and
   inside. */
#include <math.h>

#include "pattern/pat_internal.h"

static bool finite_number(const pat_value *v) {
  return v->kind == PAT_VALUE_NUMBER && isfinite(v->number);
}

/* Tidal's whenmod a b = whenT (\t -> t `mod'` a >= b): f p (kids[1]) on the
   cycles that pass, p (kids[0]) on the others. Tidal tests where each query
   starts, which for fractional a or b depends on how time is cut into
   queries; here the cycle's start is tested, the same for whole numbers. */
void pat_q_whenmod(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  if (!finite_number(&v[0]) || !finite_number(&v[1])) {
    ctx->failed = true;
    return;
  }
  double period = v[0].number, from = v[1].number;
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, span);
  while (pat_cycles_next(ctx, &it, &piece)) {
    double cycle = pat_rat_to_double(pat_rat_floor(piece.begin));
    double position = cycle - period * floor(cycle / period); /* NaN for a = 0: p */
    pat_q(ctx, node->kids[position >= from ? 1 : 0], piece);
  }
}

/* Tidal's chunk n f p: for n > 0, cat [within (i/n, (i+1)/n) f p | i <-
   [0 .. n-1]] (cat: cycle c plays part c mod n of p's cycle floor (c / n));
   for n < 0 (and chunk' n), part |n|-1 - c mod |n| of cycle c itself, the
   wholes cut to the cycle (Tidal's monadic bind over whole cycles). */
void pat_q_chunk(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  if (!finite_number(v) || !(fabs(v->number) < 2147483648.0)) {
    ctx->failed = true;
    return;
  }
  int64_t n = (int64_t)floor(v->number);
  if (node->invert)
    n = -n;
  if (n == 0)
    return; /* cat [] */
  int64_t parts = n < 0 ? -n : n;
  bool of = false;
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, span);
  while (!of && pat_cycles_next(ctx, &it, &piece)) {
    pat_rat cycle = pat_rat_floor(piece.begin);
    int64_t i = ((cycle.num % parts) + parts) % parts;
    int64_t part = n > 0 ? i : parts - 1 - i;
    pat_rat offset =
        n > 0 ? pat_rat_sub(cycle, pat_rat_floor(pat_rat_div(cycle, pat_rat_int(parts), &of)), &of)
              : pat_rat_int(0);
    pat_pattern inside = {.kind = PN_PLAY_WHEN, .kids = &node->kids[1], .kid_count = 1};
    inside.begin = pat_rat_make(part, parts, &of);
    inside.end = pat_rat_make(part + 1, parts, &of);
    pat_pattern outside = inside;
    outside.kids = &node->kids[0];
    outside.invert = true;
    const pat_pattern *both[2] = {&inside, &outside};
    pat_pattern within = {.kind = PN_STACK, .kids = both, .kid_count = 2};
    pat_arc shifted = {pat_rat_sub(piece.begin, offset, &of), pat_rat_sub(piece.end, offset, &of)};
    if (of)
      break;
    size_t from = ctx->count;
    pat_q(ctx, &within, shifted);
    pat_q_map_times(ctx, from, pat_rat_int(1), offset);
    if (n > 0)
      continue;
    pat_arc whole_cycle = {cycle, pat_rat_ceil_next(cycle)};
    size_t kept = from;
    for (size_t k = from; k < ctx->count; k++) {
      pat_event e = ctx->events[k];
      if (!e.analog && !pat_arc_intersect(e.whole, whole_cycle, &e.whole, &of))
        continue;
      ctx->events[kept++] = e;
    }
    ctx->count = kept;
  }
  if (of)
    pat_q_time_overflow(ctx);
}

/* Tidal's _linger t: _fast (1/t) $ zoomArc (0, t) p, or (1 + t, 1) for t <
   0, where the negative speed is rev of the positive; 0 is silence. */
void pat_q_linger(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat amount;
  if (v->kind != PAT_VALUE_NUMBER || !pat_rat_from_double(v->number, &amount)) {
    ctx->failed = true;
    return;
  }
  if (amount.num == 0)
    return;
  bool back = amount.num < 0, of = false;
  pat_rat length = back ? pat_rat_neg(amount) : amount;
  pat_pattern zoom = {.kind = PN_ZOOM, .kids = node->kids, .kid_count = 1};
  zoom.begin = back ? pat_rat_add(pat_rat_int(1), amount, &of) : pat_rat_int(0);
  zoom.end = back ? pat_rat_int(1) : amount;
  const pat_pattern *zoom_kid = &zoom;
  pat_pattern fast = {.kind = PN_FAST,
                      .kids = &zoom_kid,
                      .kid_count = 1,
                      .has_const = true,
                      .args_pure = true,
                      .const_time = pat_rat_div(pat_rat_int(1), length, &of)};
  const pat_pattern *fast_kid = &fast;
  pat_pattern rev = {.kind = PN_REV, .kids = &fast_kid, .kid_count = 1};
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  pat_q(ctx, back ? &rev : &fast, span);
}

/* Tidal's _trunc t: compress (0, t) . zoomArc (0, t); silence unless 0 < t <= 1. */
void pat_q_trunc(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat amount;
  if (v->kind != PAT_VALUE_NUMBER || !pat_rat_from_double(v->number, &amount)) {
    ctx->failed = true;
    return;
  }
  if (amount.num <= 0 || pat_rat_cmp(amount, pat_rat_int(1)) > 0)
    return;
  pat_pattern zoom = {.kind = PN_ZOOM, .kids = node->kids, .kid_count = 1, .end = amount};
  const pat_pattern *zoom_kid = &zoom;
  pat_pattern compress = {.kind = PN_COMPRESS, .kids = &zoom_kid, .kid_count = 1, .end = amount};
  compress.begin = zoom.begin = pat_rat_int(0);
  pat_q(ctx, &compress, span);
}

/* Tidal's inside n f p = _fast n $ f (_slow n p), per value of n: kids[0]
   is f of the placeholder, which reads n from the binding. */
void pat_q_inside(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat factor;
  bool of = false;
  if (v->kind != PAT_VALUE_NUMBER || !pat_rat_from_double(v->number, &factor)) {
    ctx->failed = true;
    return;
  }
  if (factor.num <= 0)
    return;
  if (node->invert)
    factor = pat_rat_div(pat_rat_int(1), factor, &of);
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  if (!pat_q_bind(ctx, node, 0, factor))
    return;
  pat_q_fast_by(ctx, node->kids[0], factor, span);
  ctx->binding_count--;
}

void pat_q_inside_var(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  int b = pat_q_binding(ctx, node->owner);
  bool of = false;
  if (b < 0)
    return; /* queried outside its owner: nothing */
  pat_rat slow = pat_rat_div(pat_rat_int(1), ctx->bindings[b].time, &of);
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  pat_q_fast_by(ctx, node->kids[0], slow, span);
}
