/* Querying the mini-notation operators built on Strudel's applicative and
   monadic joins: `a:b` (appLeft), `a .. b` (squeezeJoin of a bind), `?`
   (degradeBy), `|` (chooseInWith), euclid (struct) and squeezing. */
#include <math.h>

#include "pattern/pat_internal.h"

/* `a:b`: Array.isArray(a) ? [...a, b] : [a, b] */
static bool tail_value(pat_qctx *ctx, const pat_value *a, const pat_value *b, pat_value *out) {
  pat_value head[2];
  const pat_value *first = a;
  size_t first_count = 1;
  if (a->kind == PAT_VALUE_SAMPLE) {
    head[0] = (pat_value){.kind = PAT_VALUE_STRING, .str = a->str};
    head[1] = (pat_value){.kind = PAT_VALUE_NUMBER, .number = a->number};
    first = head;
    first_count = 2;
  } else if (a->kind == PAT_VALUE_LIST) {
    first = a->items;
    first_count = a->count;
  }
  *out = (pat_value){.kind = PAT_VALUE_LIST};
  if (first_count == 1 && first[0].kind == PAT_VALUE_STRING && b->kind == PAT_VALUE_NUMBER) {
    out->kind = PAT_VALUE_SAMPLE;
    out->str = first[0].str;
    out->number = b->number;
    return true;
  }
  pat_value *items = pat_q_alloc(ctx, (first_count + 1) * sizeof(pat_value));
  if (!items)
    return false;
  for (size_t i = 0; i < first_count; i++)
    items[i] = first[i];
  items[first_count] = *b;
  out->items = items;
  out->count = first_count + 1;
  return true;
}

void pat_q_tail(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t mark = ctx->count;
  pat_q(ctx, node->kids[0], span);
  size_t end = ctx->count;
  bool of = false;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event left = ctx->events[i];
    size_t rmark = ctx->count;
    pat_q(ctx, node->kids[1], left.whole);
    size_t rend = ctx->count;
    for (size_t j = rmark; j < rend; j++) {
      pat_event right = ctx->events[j];
      pat_arc part;
      pat_value v;
      if (!pat_arc_intersect(left.part, right.part, &part, &of))
        continue;
      if (!tail_value(ctx, &left.value, &right.value, &v) || !pat_q_push(ctx, left.whole, part, &v))
        break; /* full: the drops below leave only finished events */
    }
    pat_q_drop(ctx, rmark, rend);
  }
  pat_q_drop(ctx, mark, end);
}

/* ---- squeeze --------------------------------------------------------------- */

/* `inner` queried at inner time t = (T - offset) * factor + shift for the
   outer part's times T, its events mapped back and cut to the outer event. */
static void squeeze(pat_qctx *ctx, const pat_event *outer, const pat_pattern *inner, pat_rat offset,
                    pat_rat factor, pat_rat shift) {
  bool of = false;
  pat_arc q = {
      pat_rat_add(pat_rat_mul(pat_rat_sub(outer->part.begin, offset, &of), factor, &of), shift,
                  &of),
      pat_rat_add(pat_rat_mul(pat_rat_sub(outer->part.end, offset, &of), factor, &of), shift, &of)};
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  size_t mark = ctx->count;
  pat_q(ctx, inner, q);
  pat_rat back = pat_rat_div(pat_rat_int(1), factor, &of);
  pat_q_map_times(ctx, mark, back, pat_rat_sub(offset, pat_rat_mul(shift, back, &of), &of));
  size_t kept = mark;
  for (size_t i = mark; i < ctx->count; i++) {
    pat_event e = ctx->events[i];
    pat_arc whole, part;
    if (!pat_arc_intersect(e.whole, outer->whole, &whole, &of))
      continue;
    if (!pat_arc_intersect(e.part, outer->part, &part, &of))
      continue;
    e.whole = whole;
    e.part = part;
    ctx->events[kept++] = e;
  }
  ctx->count = kept;
  if (of)
    pat_q_time_overflow(ctx);
}

/* Strudel's squeezeJoin (focus): t = (T - cyclePos(b)) / d for a whole [b, b + d). */
void pat_q_squeeze_one(pat_qctx *ctx, const pat_event *outer, const pat_pattern *inner) {
  bool of = false;
  pat_rat wb = outer->whole.begin;
  pat_rat offset = pat_rat_sub(wb, pat_rat_floor(wb), &of);
  pat_rat factor = pat_rat_div(pat_rat_int(1), pat_rat_sub(outer->whole.end, wb, &of), &of);
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  squeeze(ctx, outer, inner, offset, factor, pat_rat_int(0));
}

/* Tidal's focusArc (cyclePos b `rotR` _fastGap (1 / d)): the inner cycle
   floor(b) fits the whole [b, b + d), t = floor(b) + (T - b) / d; a whole
   longer than a cycle plays the inner pattern at its own speed (fastGap's
   factor is at least 1). */
void pat_q_squeeze_cycle(pat_qctx *ctx, const pat_event *outer, const pat_pattern *inner) {
  bool of = false;
  pat_rat wb = outer->whole.begin, sam = pat_rat_floor(wb);
  pat_rat length = pat_rat_sub(outer->whole.end, wb, &of);
  pat_rat one = pat_rat_int(1);
  pat_rat factor = pat_rat_cmp(length, one) < 0 ? pat_rat_div(one, length, &of) : one;
  /* t = (T - (b - sam)) * factor + sam * (1 - factor) */
  pat_rat shift = pat_rat_mul(sam, pat_rat_sub(one, factor, &of), &of);
  if (of || pat_rat_cmp(length, pat_rat_int(0)) <= 0) {
    if (of)
      pat_q_time_overflow(ctx);
    return;
  }
  squeeze(ctx, outer, inner, pat_rat_sub(wb, sam, &of), factor, shift);
}

/* ---- ranges ------------------------------------------------------------------ */

/* friend.bind(b => fastcat(arrayRange(a, b))) with a = node->value */
static void q_range_bind(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t mark = ctx->count;
  pat_q(ctx, node->kids[0], span);
  size_t end = ctx->count;
  bool of = false;
  double a = node->value.kind == PAT_VALUE_NUMBER ? node->value.number : NAN;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event f = ctx->events[i];
    double b = f.value.kind == PAT_VALUE_NUMBER ? f.value.number : NAN;
    double length = fabs(b - a) / 1 + 1; /* Array.from({length}) */
    if (!(length >= 1))
      continue;
    if (length > 1e15)
      length = 1e15;
    pat_pattern cat = {.kind = PN_FASTCAT_RANGE, .amount = floor(length)};
    cat.value.kind = PAT_VALUE_NUMBER;
    cat.value.number = a;
    cat.begin = pat_rat_int(a < b ? 1 : -1);
    size_t g = ctx->count;
    pat_q(ctx, &cat, f.part);
    for (size_t k = g; k < ctx->count; k++) {
      pat_arc whole;
      if (!pat_arc_intersect(f.whole, ctx->events[k].whole, &whole, &of)) {
        ctx->failed = true; /* intersection_e throws */
        return;
      }
      ctx->events[k].whole = whole;
    }
  }
  pat_q_drop(ctx, mark, end);
}

void pat_q_range(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t mark = ctx->count;
  pat_q(ctx, node->kids[0], span);
  size_t end = ctx->count;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event outer = ctx->events[i];
    const pat_pattern *friend_kid = node->kids[1];
    pat_pattern bind = {.kind = PN_RANGE_BIND, .kids = &friend_kid, .kid_count = 1};
    bind.value = outer.value;
    pat_q_squeeze_one(ctx, &outer, &bind);
  }
  pat_q_drop(ctx, mark, end);
}

void pat_q_range_bind(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  q_range_bind(ctx, node, span);
}

/* ---- randomness ----------------------------------------------------------------- */

void pat_q_degrade(pat_qctx *ctx, const pat_pattern *kid, double amount, bool invert, pat_rat shift,
                   pat_arc span) {
  size_t mark = ctx->count;
  pat_q(ctx, kid, span);
  size_t kept = mark;
  bool of = false;
  for (size_t i = mark; i < ctx->count; i++) {
    double r = pat_rand_mid(ctx->events[i].whole, shift, &of);
    bool keep = invert ? (1 - r) > amount : r > amount;
    if (keep)
      ctx->events[kept++] = ctx->events[i];
  }
  ctx->count = kept;
  if (of)
    pat_q_time_overflow(ctx);
}

void pat_q_degrade_cycles(pat_qctx *ctx, const pat_pattern *kid, double amount, bool picked,
                          pat_arc span) {
  size_t mark = ctx->count;
  pat_q(ctx, kid, span);
  size_t kept = mark;
  for (size_t i = mark; i < ctx->count; i++) {
    /* rand.segment(1): rand over the event's cycle, read at its middle */
    double r = pat_time_to_rand(pat_rat_to_double(pat_rat_floor(ctx->events[i].whole.begin)) + 0.5);
    if (picked ? r <= amount : r >= amount)
      ctx->events[kept++] = ctx->events[i];
  }
  ctx->count = kept;
}

/* chooseInWith(rand.early(shift).segment(1), kids): one kid per cycle */
void pat_q_choose(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  int c0 = pat_rat_cmp(span.begin, span.end);
  if (c0 > 0 || node->kid_count == 0)
    return;
  bool of = false;
  pat_rat b = span.begin;
  double n = (double)node->kid_count;
  for (;;) {
    if (!pat_q_work(ctx))
      return;
    pat_rat cycle = pat_rat_floor(b);
    pat_rat next = pat_rat_ceil_next(b);
    pat_arc piece = {b, (c0 == 0 || pat_rat_cmp(next, span.end) >= 0) ? span.end : next};
    pat_arc whole_cycle = {cycle, next};
    double r = pat_rand_mid(whole_cycle, node->seed_shift, &of);
    double pick = floor(r * n + 0);
    if (node->weights) { /* wchooseCycles: the first running sum above r * total */
      double find = r * node->weights[node->kid_count - 1];
      pick = n - 1; /* Strudel finds none for a total of 0 or NaN: the last stays */
      for (size_t k = 0; k < node->kid_count && pat_q_work(ctx); k++)
        if (node->weights[k] > find) {
          pick = (double)k;
          break;
        }
    }
    if (pick < 0)
      pick = 0;
    if (pick > n - 1)
      pick = n - 1;
    pat_q(ctx, node->kids[(size_t)pick], piece);
    if (c0 == 0 || pat_rat_cmp(piece.end, span.end) >= 0)
      break;
    b = piece.end;
  }
  if (of)
    pat_q_time_overflow(ctx);
}

/* ---- euclid --------------------------------------------------------------------- */

/* struct(fastcat(bits)): the kid's values on the rhythm's steps */
void pat_q_euclid(pat_qctx *ctx, const pat_pattern *kid, const uint64_t *bits, int steps,
                  pat_arc span) {
  if (steps <= 0)
    return;
  bool of = false;
  pat_rat n = pat_rat_int(steps);
  pat_arc scaled = {pat_rat_mul(span.begin, n, &of), pat_rat_mul(span.end, n, &of)};
  int c0 = pat_rat_cmp(scaled.begin, scaled.end);
  if (of || c0 > 0) {
    if (of)
      pat_q_time_overflow(ctx);
    return;
  }
  pat_rat b = scaled.begin;
  for (;;) {
    if (!pat_q_work(ctx))
      return;
    pat_rat k = pat_rat_floor(b);
    pat_rat next = pat_rat_ceil_next(b);
    pat_rat e = (c0 == 0 || pat_rat_cmp(next, scaled.end) >= 0) ? scaled.end : next;
    int64_t index = ((k.num % steps) + steps) % steps;
    if ((bits[index >> 6] >> (index & 63)) & 1) {
      pat_arc step_whole = {pat_rat_div(k, n, &of), pat_rat_div(next, n, &of)};
      pat_arc step_part = {pat_rat_div(b, n, &of), pat_rat_div(e, n, &of)};
      size_t mark = ctx->count;
      pat_q(ctx, kid, step_whole);
      size_t end = ctx->count;
      for (size_t i = mark; i < end; i++) {
        pat_arc part;
        pat_event h = ctx->events[i];
        if (!pat_arc_intersect(h.part, step_part, &part, &of))
          continue;
        if (!pat_q_push(ctx, step_whole, part, &h.value))
          break; /* full: the drop below leaves only finished events */
      }
      pat_q_drop(ctx, mark, end);
    }
    if (c0 == 0 || pat_rat_cmp(e, scaled.end) >= 0)
      break;
    b = e;
  }
  if (of)
    pat_q_time_overflow(ctx);
}
