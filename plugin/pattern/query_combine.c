/* Querying control patterns and Tidal's operators: a value becoming a
   control map, the structure from the left (Strudel's appLeft), the right
   (appRight) or both (Tidal's <*>, continuous events matched with the other
   side's discrete ones), and live inputs; and where a structure's onsets can
   be, so that a query for onsets only skips spans that hold none. */
#include <math.h>
#include <string.h>

#include "pattern/pat_internal.h"

void pat_q_control(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t from = ctx->count;
  pat_q(ctx, node->kids[0], span);
  for (size_t i = from; i < ctx->count; i++) {
    pat_value *value = &ctx->events[i].value;
    if (node->signal == PAT_CONTROL_S && value->kind == PAT_VALUE_NUMBER) {
      char *text = pat_q_alloc(ctx, 32); /* s "2" is the name "2", as JS makes it */
      if (!text) {
        ctx->count = i;
        return;
      }
      pat_js_format_number(value->number, text, 32);
      *value = (pat_value){.kind = PAT_VALUE_STRING, .str = text, .live = value->live};
    }
    pat_controls made;
    pat_controls_of((pat_control)node->signal, ctx->notes, value, &made);
    pat_controls *map = pat_q_alloc(ctx, pat_controls_size(made.count));
    if (!map) {
      ctx->count = i; /* only finished events remain */
      return;
    }
    memcpy(map, &made, pat_controls_size(made.count));
    *value = pat_controls_value(map, value->live);
  }
}

/* A boolean's truth (struct, mask): false for 0 and Tidal's "f", "false"
   and "0", true for anything else. */
static bool truthy(const pat_value *v) {
  if (v->kind == PAT_VALUE_NUMBER)
    return v->number != 0 && v->number == v->number;
  if (v->kind == PAT_VALUE_STRING && v->str)
    return strcmp(v->str, "f") != 0 && strcmp(v->str, "false") != 0 && strcmp(v->str, "0") != 0 &&
           v->str[0] != '\0';
  return true;
}

/* One result of a pair of events: part the intersection of their parts,
   whole as `whole` (NULL: continuous, its part). */
static bool emit(pat_qctx *ctx, pat_op op, const pat_event *left, const pat_event *right,
                 const pat_arc *whole) {
  bool of = false;
  pat_arc part;
  if (!pat_arc_intersect(left->part, right->part, &part, &of))
    return true;
  pat_value value;
  if (op == PAT_OP_KEEP_IF || op == PAT_OP_KEEP_UNLESS) {
    if (truthy(&right->value) != (op == PAT_OP_KEEP_IF))
      return true; /* filtered out */
    value = left->value;
    value.live = left->value.live || right->value.live;
  } else if (!pat_q_combine_values(ctx, op, &left->value, &right->value, &value)) {
    return false;
  }
  if (!pat_q_push(ctx, whole ? *whole : part, part, &value))
    return false;
  ctx->events[ctx->count - 1].analog = whole == NULL;
  return true;
}

/* ---- where a structure's onsets can be ---------------------------------------

   A period p such that every onset of `node` is k * p for an integer k,
   for the shapes plain sequences have: a pure value (1), a constant speed-up
   (p / factor), a constant shift s (gcd(p, s)), a step of a sequence
   (compress), a stack (the gcd of its kids'), a cat (the same with 1 too:
   its kids move by whole cycles), a control map or a one-sided operator (its
   structure's, found when it was built); silence has none (p 0). false: not
   known (any other kind, or more than *budget nodes to look at). */
static bool onset_period(const pat_pattern *node, int *budget, pat_rat *period) {
  if (--*budget < 0)
    return false;
  bool of = false;
  switch (node->kind) {
  case PN_SILENCE:
    *period = pat_rat_int(0);
    return true;
  case PN_PURE:
    *period = pat_rat_int(1);
    return true;
  case PN_CONTROL:
    return onset_period(node->kids[0], budget, period);
  case PN_COMBINE:
    *period = node->onset_period;
    return node->onsets_known;
  case PN_FAST: {
    pat_rat factor;
    if (!pat_fast_factor(node, &factor) || factor.num <= 0 ||
        !onset_period(node->kids[0], budget, period))
      return false;
    *period = pat_rat_div(*period, factor, &of);
    return !of;
  }
  case PN_EARLY: /* q_early with the Fraction of its plain arg: onsets k * p -+ shift */
    if (!node->has_arg_time || !node->args_pure || node->join_always ||
        !onset_period(node->kids[0], budget, period))
      return false;
    *period = pat_rat_gcd(*period, node->arg_time, &of);
    return !of;
  case PN_COMPRESS: {
    /* q_compress: an onset at j * q into a cycle of the kid (q = gcd(p, 1),
       as its cycles start at whole numbers) lands at cycle + begin +
       j * q * (end - begin); only for a span inside the cycle, as timecat's */
    pat_rat zero = pat_rat_int(0), one = pat_rat_int(1), length;
    if (pat_rat_cmp(node->begin, zero) < 0 || pat_rat_cmp(node->begin, node->end) >= 0 ||
        pat_rat_cmp(node->end, one) > 0 || !onset_period(node->kids[0], budget, period))
      return false;
    if (period->num == 0)
      return true; /* no onsets */
    length = pat_rat_sub(node->end, node->begin, &of);
    *period = pat_rat_mul(pat_rat_gcd(*period, one, &of), length, &of);
    *period = pat_rat_gcd(pat_rat_gcd(*period, one, &of), node->begin, &of);
    return !of;
  }
  case PN_STACK:
  case PN_SLOWCAT:
  case PN_SLOWCAT_PRIME: {
    pat_rat all = pat_rat_int(node->kind == PN_SLOWCAT ? 1 : 0), kid;
    for (size_t i = 0; i < node->kid_count; i++) {
      if (!onset_period(node->kids[i], budget, &kid))
        return false;
      all = pat_rat_gcd(all, kid, &of);
    }
    *period = all;
    return !of;
  }
  default:
    return false;
  }
}

void pat_combine_onsets(pat_pattern *node) {
  int budget = PAT_ONSET_WALK;
  node->onsets_known = node->structure != PAT_STRUCTURE_BOTH &&
                       onset_period(node->kids[node->structure == PAT_STRUCTURE_LEFT ? 0 : 1],
                                    &budget, &node->onset_period);
}

/* pat_onset_grid_meets in doubles, where they cannot be wrong: 1 (a point
   in the span), 0 (none), or -1 (too close to tell: the rationals decide).
   A rational's double is within 4e-16 of it, relatively. The step count at
   the span's begin must lie 1e-6 from any whole number, and its error stays
   below 1e-7 while (|begin| + |phase|) / period < 1e8, so its ceiling is the
   exact one; the point it gives must lie beyond a slack of 1e-9 of the
   magnitudes involved from the span's end, far above their errors. Run()
   asks this for each line of a stack at every block: the rationals' way
   costs about 500 instructions (divisions in the gcds), this about 40. */
static int meets_roughly(const pat_onset_grid *grid, pat_arc span) {
  const double period = pat_rat_to_double(grid->period);
  const double phase = pat_rat_to_double(grid->phase);
  const double begin = pat_rat_to_double(span.begin), end = pat_rat_to_double(span.end);
  if (!(period > 0.0) || !((fabs(begin) + fabs(phase)) / period < 1e8))
    return -1;
  const double steps = (begin - phase) / period, first = ceil(steps);
  if (first - steps < 1e-6 || steps - (first - 1.0) < 1e-6)
    return -1;
  const double point = first * period + phase;
  const double slack = 1e-9 * (fabs(first * period) + fabs(phase) + fabs(end) + 1.0);
  return point < end - slack ? 1 : point > end + slack ? 0 : -1;
}

bool pat_onset_grid_meets(const pat_onset_grid *grid, pat_arc span) {
  if (!grid->known || pat_rat_cmp(span.begin, span.end) > 0)
    return true;
  if (grid->period.num == 0)
    return false;
  const int rough = meets_roughly(grid, span);
  if (rough >= 0)
    return rough == 1;
  bool of = false;
  pat_rat steps = pat_rat_div(pat_rat_sub(span.begin, grid->phase, &of), grid->period, &of);
  pat_rat first = pat_rat_floor(steps);
  if (!pat_rat_eq(first, steps))
    first.num += 1; /* the first whole step at or after the begin */
  pat_rat point = pat_rat_add(pat_rat_mul(first, grid->period, &of), grid->phase, &of);
  return of || pat_rat_cmp(point, span.end) <= 0;
}

/* A one-sided operator's onsets-only query gives events only at its
   structure's onsets (one_side); a constant shift moves them. */
static bool onsets_only_grid(const pat_pattern *node, int depth, pat_onset_grid *grid) {
  bool of = false;
  if (node->kind == PN_COMBINE) {
    *grid = (pat_onset_grid){node->onset_period, pat_rat_int(0), node->onsets_known};
    return node->onsets_known;
  }
  /* q_early with its plain arg's Fraction: the kid is queried over span + s */
  if (node->kind != PN_EARLY || depth > 8 || !node->has_arg_time || !node->args_pure ||
      node->join_always || !onsets_only_grid(node->kids[0], depth + 1, grid))
    return false;
  grid->phase = node->late ? pat_rat_add(grid->phase, node->arg_time, &of)
                           : pat_rat_sub(grid->phase, node->arg_time, &of);
  grid->known = !of;
  return !of;
}

void pat_stack_grids(pat_store *store, pat_pattern *node) {
  pat_onset_grid *grids = NULL;
  for (size_t i = 0; i < node->kid_count; i++) {
    pat_onset_grid grid;
    if (!onsets_only_grid(node->kids[i], 0, &grid))
      continue;
    if (!grids && !(grids = pat_store_alloc(store, node->kid_count * sizeof *grids)))
      return; /* zeroed: not known */
    grids[i] = grid;
  }
  node->kid_grids = grids;
}

/* Whether a one-sided operator's structure may have an onset in
   [span.begin, span.end] (a query gives parts inside its span, and an
   onset's part begins with its whole); true when that is not known. */
static bool may_start_in(const pat_pattern *node, pat_arc span) {
  pat_onset_grid grid = {node->onset_period, pat_rat_int(0), node->onsets_known};
  return pat_onset_grid_meets(&grid, span);
}

/* Structure from one side: each event of `outer` meets the events of `inner`
   over its whole (its part when continuous, which our events carry as the
   whole), keeping its whole. */
static void one_side(pat_qctx *ctx, const pat_pattern *node, bool from_left, pat_arc span) {
  const pat_pattern *outer = node->kids[from_left ? 0 : 1], *inner = node->kids[from_left ? 1 : 0];
  /* Only onsets of the structure make results here: a span without any
     (most of a line's audio blocks) need not query it. */
  if (ctx->onsets_only && !may_start_in(node, span))
    return;
  size_t mark = ctx->count;
  pat_q_part(ctx, outer, span);
  size_t end = ctx->count;
  /* on overflow the events met so far are dropped too: only results remain */
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event o = ctx->events[i];
    /* a fragment of the structure (or a continuous event) gives only fragments */
    if (ctx->onsets_only && (o.analog || pat_rat_cmp(o.part.begin, o.whole.begin) != 0))
      continue;
    size_t inner_mark = ctx->count;
    pat_q_share(ctx, inner, o.whole);
    size_t inner_end = ctx->count;
    for (size_t j = inner_mark; j < inner_end; j++) {
      pat_event in = ctx->events[j];
      const pat_event *l = from_left ? &o : &in, *r = from_left ? &in : &o;
      if (!emit(ctx, node->op, l, r, o.analog ? NULL : &o.whole))
        break;
    }
    pat_q_drop(ctx, inner_mark, inner_end);
  }
  pat_q_drop(ctx, mark, end);
}

/* Tidal's <*>: each left event meets the right's events over its whole
   (discrete ones only) or, when continuous, over its part (all of them);
   then each continuous right event meets the left's discrete events. Two
   discrete events give the intersection of their wholes, anything with a
   continuous side a continuous event. */
static void both_sides(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  size_t mark = ctx->count;
  pat_q_part(ctx, node->kids[0], span);
  size_t end = ctx->count;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event l = ctx->events[i];
    size_t right_mark = ctx->count;
    pat_q_share(ctx, node->kids[1], l.analog ? l.part : l.whole);
    size_t right_end = ctx->count;
    for (size_t j = right_mark; j < right_end; j++) {
      pat_event r = ctx->events[j];
      pat_arc whole;
      if (l.analog ? !emit(ctx, node->op, &l, &r, NULL)
                   : !r.analog && pat_arc_intersect(l.whole, r.whole, &whole, &of) &&
                         !emit(ctx, node->op, &l, &r, &whole))
        break;
    }
    pat_q_drop(ctx, right_mark, right_end);
  }
  pat_q_drop(ctx, mark, end);
  mark = ctx->count;
  pat_q_part(ctx, node->kids[1], span);
  end = ctx->count;
  for (size_t j = mark; j < end && pat_q_work(ctx); j++) {
    pat_event r = ctx->events[j];
    if (!r.analog)
      continue;
    size_t left_mark = ctx->count;
    pat_q_share(ctx, node->kids[0], r.part);
    size_t left_end = ctx->count;
    for (size_t i = left_mark; i < left_end; i++) {
      pat_event l = ctx->events[i];
      if (!l.analog && !emit(ctx, node->op, &l, &r, NULL))
        break;
    }
    pat_q_drop(ctx, left_mark, left_end);
  }
  pat_q_drop(ctx, mark, end);
}

void pat_q_combine(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  if (node->structure == PAT_STRUCTURE_BOTH)
    both_sides(ctx, node, span);
  else
    one_side(ctx, node, node->structure == PAT_STRUCTURE_LEFT, span);
}
