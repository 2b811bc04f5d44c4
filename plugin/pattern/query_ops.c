/* Querying nodes with patterned arguments: Strudel's register() either calls
   a transform with plain values (all arguments pure) or queries the argument
   patterns (an appLeft chain) and applies the transform per argument event
   (innerJoin). This file holds that join and the transforms it applies. */
#include <math.h>
#include <string.h>

#include "pattern/pat_internal.h"

static bool value_to_rat(const pat_value *v, pat_rat *out) {
  return v->kind == PAT_VALUE_NUMBER && pat_rat_from_double(v->number, out);
}

/* value_to_rat of the first arg's value, converted once when the node was
   built if its args are plain values (then v is that arg's value). */
static bool arg_to_rat(const pat_pattern *node, const pat_value *v, pat_rat *out) {
  if (node->has_arg_time && node->args_pure && !node->join_always) {
    *out = node->arg_time;
    return true;
  }
  return value_to_rat(v, out);
}

static double value_number(const pat_value *v) {
  return v->kind == PAT_VALUE_NUMBER ? v->number : NAN;
}

/* JS ToLength(x) for Array lengths from listRange. */
static int64_t js_length(double x) {
  if (!(x > 0))
    return 0;
  if (x > 1e15)
    return (int64_t)1e15;
  return (int64_t)floor(x);
}

static bool bind(pat_qctx *ctx, const pat_pattern *owner, double number, pat_rat time) {
  if (ctx->binding_count >= PAT_MAX_BINDINGS) {
    ctx->overflow = true;
    return false;
  }
  int i = ctx->binding_count++;
  ctx->bindings[i].owner = owner;
  ctx->bindings[i].number = number;
  ctx->bindings[i].time = time;
  return true;
}

static int find_binding(const pat_qctx *ctx, const pat_pattern *owner) {
  for (int i = ctx->binding_count - 1; i >= 0; i--)
    if (ctx->bindings[i].owner == owner)
      return i;
  return -1;
}

bool pat_q_bind(pat_qctx *ctx, const pat_pattern *owner, double number, pat_rat time) {
  return bind(ctx, owner, number, time);
}

int pat_q_binding(const pat_qctx *ctx, const pat_pattern *owner) {
  return find_binding(ctx, owner);
}

bool pat_fast_factor(const pat_pattern *node, pat_rat *factor) {
  if (node->has_const) {
    *factor = node->const_time;
    return true;
  }
  if (!node->has_arg_time || !node->args_pure || node->join_always)
    return false;
  bool of = false;
  if (node->arg_mode == PAT_ARG_FRACTION) {
    if (pat_rat_is_zero(node->weight))
      return false;
    *factor = pat_rat_div(node->arg_time, node->weight, &of);
    return !of;
  }
  if (pat_rat_is_zero(node->arg_time))
    return false; /* fast(0) is silence; slow(0), fast(1e-8) fail */
  *factor = node->slow ? pat_rat_div(pat_rat_int(1), node->arg_time, &of) : node->arg_time;
  return !of;
}

static void q_fast(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat factor;
  if (pat_fast_factor(node, &factor)) {
    pat_q_fast_by(ctx, node->kids[0], factor, span);
    return;
  }
  /* the factor of each argument event, or a failure */
  if (node->arg_mode == PAT_ARG_FRACTION) {
    /* polymeter: Fraction(steps).div(weight); a zero weight throws */
    bool of = false;
    if (!arg_to_rat(node, v, &factor) || pat_rat_is_zero(node->weight)) {
      ctx->failed = true;
      return;
    }
    factor = pat_rat_div(factor, node->weight, &of);
    if (of) {
      pat_q_time_overflow(ctx);
      return;
    }
    pat_q_fast_by(ctx, node->kids[0], factor, span);
    return;
  }
  if (v->kind == PAT_VALUE_NUMBER && v->number == 0)
    return; /* fast(0) is silence */
  if (!arg_to_rat(node, v, &factor)) {
    ctx->failed = true;
    return;
  }
  if (node->slow) {
    bool of = false;
    if (pat_rat_is_zero(factor)) { /* 1 / Fraction(1e-8) divides by zero */
      ctx->failed = true;
      return;
    }
    factor = pat_rat_div(pat_rat_int(1), factor, &of);
  }
  pat_q_fast_by(ctx, node->kids[0], factor, span);
}

static void q_early(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat offset;
  if (!arg_to_rat(node, v, &offset)) {
    ctx->failed = true;
    return;
  }
  pat_q_early_by(ctx, node->kids[0], node->late ? pat_rat_neg(offset) : offset, span);
}

/* The rhythm as packed bits, computed in a frame that is gone before the
   kid is queried: nested euclids keep only 512 bytes each on the stack. */
static __attribute__((noinline)) bool euclid_packed(const pat_pattern *node, const pat_value *v,
                                                    uint64_t *packed, int *steps) {
  unsigned char bits[PAT_EUCLID_MAX_STEPS];
  bool rotate = node->arg_count == 3;
  if (!pat_euclid_bits(value_number(&v[0]), value_number(&v[1]), rotate ? value_number(&v[2]) : 0,
                       rotate, bits, steps))
    return false;
  memset(packed, 0, PAT_EUCLID_MAX_STEPS / 8);
  for (int i = 0; i < *steps; i++)
    if (bits[i] != node->invert)
      packed[i >> 6] |= (uint64_t)1 << (i & 63);
  return true;
}

static void q_euclid(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  uint64_t packed[PAT_EUCLID_MAX_STEPS / 64];
  int steps = 0;
  if (!euclid_packed(node, v, packed, &steps)) {
    ctx->failed = true;
    return;
  }
  pat_q_euclid(ctx, node->kids[0], packed, steps, span);
}

/* ply: each event becomes pure(value).fast(factor) squeezed into itself */
static void q_ply(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat factor;
  bool zero = v->kind == PAT_VALUE_NUMBER && v->number == 0;
  if (!zero && !value_to_rat(v, &factor)) {
    ctx->failed = true;
    return;
  }
  size_t mark = ctx->count;
  pat_q(ctx, node->kids[0], span);
  size_t end = ctx->count;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    if (zero)
      continue;
    pat_pattern pure = {.kind = PN_PURE, .value = ctx->events[i].value};
    const pat_pattern *pure_kid = &pure;
    pat_pattern fast = {.kind = PN_FAST, .kids = &pure_kid, .kid_count = 1, .args_pure = true};
    pat_pattern factor_node = {.kind = PN_PURE};
    factor_node.value.kind = PAT_VALUE_NUMBER;
    factor_node.value.number = v->number;
    fast.args[0] = &factor_node;
    fast.arg_count = 1;
    pat_event outer = ctx->events[i];
    pat_q_squeeze_one(ctx, &outer, &fast);
  }
  pat_q_drop(ctx, mark, end);
}

/* iter n: slowcat of the pattern shifted earlier by i/n, i = 0 .. n-1 */
static void q_iter(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat times;
  if (!value_to_rat(v, &times)) {
    ctx->failed = true;
    return;
  }
  int64_t count = js_length(v->number - 1 + 1);
  if (count == 0)
    return;
  if (count == 1) { /* slowcat of one pattern is that pattern: no split */
    pat_q(ctx, node->kids[0], span);
    return;
  }
  bool of = false;
  pat_arc piece;
  /* slowcat's per-cycle split and shift, with kid i = early(i / times) */
  pat_rat b = span.begin;
  int c0 = pat_rat_cmp(span.begin, span.end);
  if (c0 > 0)
    return;
  for (;;) {
    if (!pat_q_work(ctx))
      return;
    pat_rat next = pat_rat_ceil_next(b);
    piece.begin = b;
    piece.end = (c0 == 0 || pat_rat_cmp(next, span.end) >= 0) ? span.end : next;
    pat_rat cycle = pat_rat_floor(b);
    int64_t index = ((cycle.num % count) + count) % count;
    pat_rat offset =
        pat_rat_sub(cycle, pat_rat_floor(pat_rat_div(b, pat_rat_int(count), &of)), &of);
    if (count == 1)
      offset = pat_rat_int(0);
    pat_rat shift = pat_rat_div(pat_rat_int(index), times, &of);
    if (node->invert) /* iterBack: late, not early */
      shift = pat_rat_sub(pat_rat_int(0), shift, &of);
    pat_arc inner = {pat_rat_sub(piece.begin, offset, &of), pat_rat_sub(piece.end, offset, &of)};
    if (of) {
      pat_q_time_overflow(ctx);
      return;
    }
    size_t from = ctx->count;
    pat_q_early_by(ctx, node->kids[0], shift, inner);
    for (size_t i = from; i < ctx->count; i++) {
      pat_event *e = &ctx->events[i];
      e->whole.begin = pat_rat_add(e->whole.begin, offset, &of);
      e->whole.end = pat_rat_add(e->whole.end, offset, &of);
      e->part.begin = pat_rat_add(e->part.begin, offset, &of);
      e->part.end = pat_rat_add(e->part.end, offset, &of);
    }
    if (c0 == 0 || pat_rat_cmp(piece.end, span.end) >= 0)
      break;
    b = piece.end;
  }
  if (of)
    pat_q_time_overflow(ctx);
}

/* every n (firstOf): slowcatPrime([f p, p, p, ...]) of n patterns */
static void q_every(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  double n = value_number(v);
  if (!(n >= 1) || n != floor(n) || n > 4294967296.0) { /* Array(n - 1) throws */
    ctx->failed = true;
    return;
  }
  int64_t period = (int64_t)n;
  int c0 = pat_rat_cmp(span.begin, span.end);
  if (c0 > 0)
    return;
  pat_rat b = span.begin;
  for (;;) {
    if (!pat_q_work(ctx))
      return;
    pat_rat next = pat_rat_ceil_next(b);
    pat_arc piece = {b, (c0 == 0 || pat_rat_cmp(next, span.end) >= 0) ? span.end : next};
    int64_t index = pat_rat_floor(b).num % period;
    int64_t chosen = node->last_of ? period - 1 : 0; /* the cycle that gets f p */
    if (index >= 0) /* slowcatPrime indexes a JS array: negative cycles play nothing */
      pat_q(ctx, node->kids[index == chosen ? 0 : 1], piece);
    if (c0 == 0 || pat_rat_cmp(piece.end, span.end) >= 0)
      break;
    b = piece.end;
  }
}

/* A control multiplied by a pure pattern's value (Tidal's |* gain x, |/
   speed n; Strudel's .gain(x) sets it, the same when no gain is set): an
   appLeft, so each event's part is cut where the pure pattern's cycles cut
   its whole. An absent control counts as 1. */
void pat_q_scale_control(pat_qctx *ctx, size_t from, pat_control control, double mul, double div) {
  size_t end = ctx->count;
  bool of = false, ok = true;
  for (size_t i = from; ok && i < end && pat_q_work(ctx); i++) {
    pat_event e = ctx->events[i];
    pat_rat b = e.whole.begin;
    int c0 = pat_rat_cmp(e.whole.begin, e.whole.end);
    if (c0 > 0)
      continue;
    for (;;) {
      pat_rat next = pat_rat_ceil_next(b);
      pat_arc piece = {b, (c0 == 0 || pat_rat_cmp(next, e.whole.end) >= 0) ? e.whole.end : next};
      pat_arc part;
      if (pat_arc_intersect(e.part, piece, &part, &of)) {
        pat_value value = e.value;
        const pat_controls *map = value.kind == PAT_VALUE_CONTROLS ? value.controls : NULL;
        double scaled = map && pat_controls_has(map, control)
                            ? pat_controls_number(map, control, 1.0) * mul
                            : mul;
        ok = pat_q_set_control(ctx, &value, control, scaled / div) &&
             pat_q_push(ctx, e.whole, part, &value);
        if (!ok)
          break;
        ctx->events[ctx->count - 1].analog = e.analog;
      }
      if (c0 == 0 || pat_rat_cmp(piece.end, e.whole.end) >= 0)
        break;
      b = piece.end;
    }
  }
  pat_q_drop(ctx, from, end); /* on failure too: only finished events remain */
}

static void q_echo(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  double count = value_number(&v[0]);
  const pat_value *time_v = node->stut ? &v[2] : &v[1];
  double feedback = value_number(node->stut ? &v[1] : &v[2]);
  int64_t copies = js_length(count - 1 - 0 + 1);
  pat_rat time;
  if (copies == 0)
    return;
  if (!value_to_rat(time_v, &time)) {
    ctx->failed = true;
    return;
  }
  bool of = false;
  for (int64_t i = 0; i < copies && pat_q_work(ctx); i++) {
    pat_rat shift = pat_rat_mul(time, pat_rat_int(i), &of);
    if (of) {
      pat_q_time_overflow(ctx);
      return;
    }
    size_t from = ctx->count;
    pat_q_early_by(ctx, node->kids[0], pat_rat_neg(shift), span);
    pat_q_scale_control(ctx, from, PAT_CONTROL_GAIN, pow(feedback, (double)i), 1.0);
  }
}

/* segment: for each slice the span touches, the kid's events over the whole
   slice, each given the slice as its whole and its part cut to the slice's
   part (Strudel's appRight from pure(true).fast(n)). */
static void q_segment(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat rate;
  if (!value_to_rat(v, &rate) || pat_rat_cmp(rate, pat_rat_int(0)) <= 0) {
    ctx->failed = true;
    return;
  }
  bool of = false, zero_width = pat_rat_cmp(span.begin, span.end) == 0;
  pat_rat k = pat_rat_floor(pat_rat_mul(span.begin, rate, &of));
  for (bool first = true;; first = false) {
    if (!pat_q_work(ctx))
      return;
    pat_arc whole = {pat_rat_div(k, rate, &of),
                     pat_rat_div(pat_rat_add(k, pat_rat_int(1), &of), rate, &of)};
    if (of) {
      pat_q_time_overflow(ctx);
      return;
    }
    if (zero_width ? !first : pat_rat_cmp(whole.begin, span.end) >= 0)
      return;
    pat_arc part;
    if (pat_arc_intersect(whole, span, &part, &of)) {
      size_t from = ctx->count, kept = from;
      pat_q(ctx, node->kids[0], whole);
      for (size_t i = from; i < ctx->count; i++) {
        pat_event e = ctx->events[i];
        if (!pat_arc_intersect(e.part, part, &e.part, &of))
          continue;
        e.whole = whole;
        e.analog = false;
        ctx->events[kept++] = e;
      }
      ctx->count = kept;
    }
    k = pat_rat_add(k, pat_rat_int(1), &of);
  }
}

/* pressBy r: squeezeJoin (compress (r, 1) . pure <$> p): each whole keeps
   its last 1 - r, each part what of it falls there. */
static void q_press(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat r;
  if (!value_to_rat(v, &r)) {
    ctx->failed = true;
    return;
  }
  if (pat_rat_cmp(r, pat_rat_int(0)) < 0 || pat_rat_cmp(r, pat_rat_int(1)) >= 0)
    return; /* compress outside [0, 1) is silence */
  size_t from = ctx->count, kept = from;
  pat_q(ctx, node->kids[0], span);
  bool of = false;
  for (size_t i = from; i < ctx->count; i++) {
    pat_event e = ctx->events[i];
    if (!e.analog) {
      pat_rat length = pat_rat_sub(e.whole.end, e.whole.begin, &of);
      e.whole.begin = pat_rat_add(e.whole.begin, pat_rat_mul(r, length, &of), &of);
      if (!pat_arc_intersect(e.part, e.whole, &e.part, &of))
        continue;
    }
    ctx->events[kept++] = e;
  }
  ctx->count = kept;
  if (of)
    pat_q_time_overflow(ctx);
}

void pat_q_apply(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  switch (node->kind) {
  case PN_FAST:
    q_fast(ctx, node, v, span);
    break;
  case PN_EARLY:
    q_early(ctx, node, v, span);
    break;
  case PN_REPEAT: {
    pat_rat n;
    if (!pat_rat_from_double(node->amount, &n)) {
      ctx->failed = true;
      return;
    }
    pat_q_repeat_by(ctx, node->kids[0], n, span);
    break;
  }
  case PN_EUCLID:
    q_euclid(ctx, node, v, span);
    break;
  case PN_PLY:
    q_ply(ctx, node, v, span);
    break;
  case PN_PRESS:
    q_press(ctx, node, v, span);
    break;
  case PN_SEGMENT:
    q_segment(ctx, node, v, span);
    break;
  case PN_ITER:
    q_iter(ctx, node, v, span);
    break;
  case PN_EVERY:
    q_every(ctx, node, v, span);
    break;
  case PN_ECHO:
    q_echo(ctx, node, v, span);
    break;
  case PN_CHOP:
  case PN_STRIATE:
  case PN_RANDSLICE:
  case PN_BITE:
    pat_q_sample_fn(ctx, node, v, span);
    break;
  case PN_DEGRADE: {
    double amount = node->arg_count ? value_number(v) : node->amount;
    if (node->per_cycle) {
      pat_q_degrade_cycles(ctx, node->kids[0], amount, node->invert, span);
      break;
    }
    /* invert: the events degradeBy(amount) removes, undegradeBy(1 - amount) */
    pat_q_degrade(ctx, node->kids[0], node->invert ? 1 - amount : amount, node->invert,
                  node->seed_shift, span);
    break;
  }
  case PN_OFF: {
    pat_rat time;
    if (!value_to_rat(v, &time)) {
      ctx->failed = true;
      return;
    }
    pat_q(ctx, node->kids[0], span);
    if (!bind(ctx, node, 0, time))
      return;
    pat_q(ctx, node->kids[1], span);
    ctx->binding_count--;
    break;
  }
  case PN_ARP:
    pat_q_arp(ctx, node, v, span);
    break;
  case PN_COMPOUND:
    pat_q_compound(ctx, node, v, span);
    break;
  case PN_PICK:
    pat_q_pick(ctx, node, v, span);
    break;
  case PN_ROT:
    pat_q_rot(ctx, node, v, span);
    break;
  case PN_REARRANGE:
    pat_q_rearrange(ctx, node, v, span);
    break;
  case PN_FIT:
    pat_q_fit(ctx, node, v, span);
    break;
  case PN_WHENMOD:
    pat_q_whenmod(ctx, node, v, span);
    break;
  case PN_CHUNK:
    pat_q_chunk(ctx, node, v, span);
    break;
  case PN_LINGER:
    pat_q_linger(ctx, node, v, span);
    break;
  case PN_TRUNC:
    pat_q_trunc(ctx, node, v, span);
    break;
  case PN_STRIPE:
    pat_q_stripe(ctx, node, v, span);
    break;
  case PN_SET_PAN: {
    size_t from = ctx->count;
    double width = value_number(v);
    pat_q(ctx, node->kids[0], span);
    /* juxBy: pan = (pan or 0.5) -+ width / 2 (amount: -1/2 or 1/2), so nested juxes spread */
    for (size_t i = from; i < ctx->count; i++) {
      pat_value *e = &ctx->events[i].value;
      double pan = e->kind == PAT_VALUE_CONTROLS
                       ? pat_controls_number(e->controls, PAT_CONTROL_PAN, 0.5)
                       : 0.5;
      if (!pat_q_set_control(ctx, e, PAT_CONTROL_PAN, pan + node->amount * width))
        break;
    }
    break;
  }
  case PN_INSIDE:
    pat_q_inside(ctx, node, v, span);
    break;
  case PN_SOMETIMES: {
    double x = value_number(v);
    pat_q_degrade(ctx, node->kids[0], x, false, pat_rat_int(0), span);
    if (!bind(ctx, node, x, pat_rat_int(0)))
      return;
    pat_q(ctx, node->kids[1], span);
    ctx->binding_count--;
    break;
  }
  default:
    break;
  }
}

/* The appLeft chain over args[i..] and then the innerJoin: each combination
   of argument events (whole from the first, part the intersection) gets the
   transform applied over its part. */
static void join(pat_qctx *ctx, const pat_pattern *node, int i, pat_arc whole, pat_arc part,
                 pat_value *values, pat_arc span) {
  if (i == node->arg_count) {
    pat_q_apply(ctx, node, values, part);
    return;
  }
  size_t mark = ctx->count;
  bool onsets_only = ctx->onsets_only;
  ctx->onsets_only = false; /* an argument's fragments cut the result too */
  pat_q(ctx, node->args[i], i == 0 ? span : whole);
  ctx->onsets_only = onsets_only;
  size_t end = ctx->count;
  bool of = false;
  for (size_t j = mark; j < end && pat_q_work(ctx); j++) {
    pat_event e = ctx->events[j];
    pat_arc w = whole, p = e.part;
    if (i == 0)
      w = e.whole;
    else if (!pat_arc_intersect(part, e.part, &p, &of))
      continue;
    values[i] = e.value;
    join(ctx, node, i + 1, w, p, values, span);
  }
  pat_q_drop(ctx, mark, end);
}

void pat_q_param_node(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  pat_value values[PAT_MAX_ARGS];
  switch (node->kind) {
  case PN_LATE_VAR: {
    int b = find_binding(ctx, node->owner);
    if (b < 0)
      return; /* a placeholder queried outside its owner: nothing */
    pat_q_early_by(ctx, node->kids[0], pat_rat_neg(ctx->bindings[b].time), span);
    return;
  }
  case PN_COMPOUND_VAR:
    pat_q_compound_var(ctx, node, span);
    return;
  case PN_INSIDE_VAR:
    pat_q_inside_var(ctx, node, span);
    return;
  case PN_UNDEGRADE_VAR: {
    int b = find_binding(ctx, node->owner);
    if (b < 0)
      return;
    pat_q_degrade(ctx, node->kids[0], 1 - ctx->bindings[b].number, true, pat_rat_int(0), span);
    return;
  }
  default:
    break;
  }
  if (node->args_pure && !node->join_always) {
    for (int i = 0; i < node->arg_count; i++)
      values[i] = node->args[i]->value;
    pat_q_apply(ctx, node, values, span);
    return;
  }
  pat_arc none = {pat_rat_int(0), pat_rat_int(0)};
  join(ctx, node, 0, none, none, values, span);
}
