/* Querying Tidal's functions that choose or reorder: select, pickF and
   squeeze (a pattern of indices into a list of patterns), fit (into a list
   of values), rot (values rotated over a cycle's events), shuffle and
   scramble (a cycle's parts rearranged). Nodes they are built of are made on
   the stack at query time, so the engine's own zoom, fast and segment run. */
#include <math.h>
#include <string.h>

#include "pattern/pat_internal.h"

/* Haskell's `mod`: the result has the divisor's sign (n > 0 here). */
static int64_t index_mod(double x, size_t n) {
  double k = x - (double)n * floor(x / (double)n);
  return k >= 0 && k < (double)n ? (int64_t)k : 0;
}

/* An index for the list from a number: select's float from 0 to 1 (Tidal's
   floor (clamp 0 1 f * (n - 1))), selectF's (floor (clamp 0 0.999999 f *
   n)), or an integer (rounded, as Strudel's pick) taken mod n (Tidal's !!!).
   false for a value that is not a number. */
static bool list_index(const pat_value *v, pat_pick_mode mode, size_t n, size_t *out) {
  if (v->kind != PAT_VALUE_NUMBER || !isfinite(v->number) || n == 0)
    return false;
  if (mode == PAT_PICK_SELECT)
    *out = (size_t)floor(fmax(0.0, fmin(1.0, v->number)) * (double)(n - 1));
  else if (mode == PAT_PICK_SELECT_F)
    *out = (size_t)floor(fmax(0.0, fmin(0.999999, v->number)) * (double)n);
  else
    *out = (size_t)index_mod(floor(v->number + 0.5), n);
  return true;
}

/* select f ps, selectF f fs p and pickF i fs p (signal: the pat_pick_mode):
   the chosen kid over the span (the join over the index pattern gives the
   span of each index event). */
void pat_q_pick(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  size_t k;
  if (!list_index(&v[0], (pat_pick_mode)node->signal, node->kid_count, &k)) {
    ctx->failed = true;
    return;
  }
  pat_q(ctx, node->kids[k], span);
}

/* inhabit's lookup: the first name equal to the word (Haskell's lookup);
   false (silence) for a name the list lacks. */
static bool name_index(const pat_pattern *node, const pat_value *v, size_t *out) {
  if (v->kind != PAT_VALUE_STRING)
    return false;
  for (size_t i = 0; i < node->name_count; i++)
    if (strcmp(node->names[i], v->str) == 0) {
      *out = i;
      return true;
    }
  return false;
}

/* squeeze ipat ps: squeezeJoin of (ps !!! i) over kids[0]'s events; inhabit
   (names set): of the pattern the event's word names. */
void pat_q_squeeze(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t mark = ctx->count;
  pat_q(ctx, node->kids[0], span);
  size_t end = ctx->count;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event outer = ctx->events[i];
    size_t k;
    if (outer.analog ||
        !(node->names ? name_index(node, &outer.value, &k)
                      : list_index(&outer.value, PAT_PICK_SQUEEZE, node->kid_count - 1, &k)))
      continue;
    pat_q_squeeze_one(ctx, &outer, node->kids[1 + k]);
  }
  pat_q_drop(ctx, mark, end);
}

/* ---- rot ----------------------------------------------------------------- */

static int number_cmp(double a, double b) { return a < b ? -1 : a > b ? 1 : 0; }

static int value_cmp(const pat_value *a, const pat_value *b);

/* The entry of `map` whose control name comes first alphabetically after
   `after` (NULL: the first), or -1. */
static int next_key(const pat_controls *map, const char *after) {
  int best = -1;
  for (uint32_t i = 0; i < map->count; i++) {
    const char *name = pat_control_name((pat_control)map->entries[i].control);
    if ((!after || strcmp(name, after) > 0) &&
        (best < 0 || strcmp(name, pat_control_name((pat_control)map->entries[best].control)) < 0))
      best = (int)i;
  }
  return best;
}

/* Tidal's maps compare as their lists of (key, value) pairs in key order
   (Data.Map's); the keys here are cyclebus's control names. */
static int map_cmp(const pat_controls *a, const pat_controls *b) {
  const char *after_a = NULL, *after_b = NULL;
  for (;;) {
    int i = next_key(a, after_a), j = next_key(b, after_b);
    if (i < 0 || j < 0)
      return (i >= 0) - (j >= 0); /* the shorter list is smaller */
    const pat_control_entry *x = &a->entries[i], *y = &b->entries[j];
    after_a = pat_control_name((pat_control)x->control);
    after_b = pat_control_name((pat_control)y->control);
    int c = strcmp(after_a, after_b);
    if (c)
      return c;
    pat_control key = (pat_control)x->control;
    c = key == PAT_CONTROL_VALUE     ? value_cmp(&a->value, &b->value)
        : pat_control_is_string(key) ? strcmp(x->str ? x->str : "", y->str ? y->str : "")
                                     : number_cmp(x->number, y->number);
    if (c)
      return c;
  }
}

static int value_cmp(const pat_value *a, const pat_value *b) {
  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  int c = 0;
  switch (a->kind) {
  case PAT_VALUE_NUMBER:
    return number_cmp(a->number, b->number);
  case PAT_VALUE_STRING:
  case PAT_VALUE_SAMPLE:
    c = strcmp(a->str ? a->str : "", b->str ? b->str : "");
    return c ? c : number_cmp(a->number, b->number);
  case PAT_VALUE_CONTROLS:
    return map_cmp(a->controls, b->controls);
  default:
    for (size_t i = 0; i < a->count && i < b->count && !c; i++)
      c = value_cmp(&a->items[i], &b->items[i]);
    return c ? c : number_cmp((double)a->count, (double)b->count);
  }
}

static int arc_cmp(pat_arc a, pat_arc b) {
  int c = pat_rat_cmp(a.begin, b.begin);
  return c ? c : pat_rat_cmp(a.end, b.end);
}

/* Tidal's Ord on events: part, then value, then whole. */
static int event_cmp(const pat_event *a, const pat_event *b) {
  int c = arc_cmp(a->part, b->part);
  if (!c)
    c = value_cmp(&a->value, &b->value);
  return c ? c : arc_cmp(a->whole, b->whole);
}

static void reverse_values(pat_event *events, size_t from, size_t to) {
  for (; from + 1 < to; from++, to--) {
    pat_value swap = events[from].value;
    events[from].value = events[to - 1].value;
    events[to - 1].value = swap;
  }
}

/* Tidal's defragParts: each event joined with the first later one of the
   same whole and value whose part touches its own (the hull of the two). */
static void defrag_parts(pat_qctx *ctx, size_t from) {
  for (size_t i = from; i < ctx->count && pat_q_work(ctx); i++) {
    pat_event *e = &ctx->events[i];
    for (size_t j = i + 1; !e->analog && j < ctx->count && pat_q_work(ctx); j++) {
      const pat_event *f = &ctx->events[j];
      if (f->analog || arc_cmp(e->whole, f->whole) != 0 || value_cmp(&e->value, &f->value) != 0)
        continue;
      if (pat_rat_cmp(e->part.end, f->part.begin) == 0)
        e->part.end = f->part.end;
      else if (pat_rat_cmp(f->part.end, e->part.begin) == 0)
        e->part.begin = f->part.begin;
      else
        continue;
      pat_q_drop(ctx, j, j + 1);
      break;
    }
  }
}

/* rot i: per cycle, the whole cycle's events (fragments of one event joined)
   sorted, each given the value of the event i places later (wrapping; i <
   0: |i| places earlier, none beyond the count, as Tidal's drop), then cut
   to the span. */
void pat_q_rot(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  if (v[0].kind != PAT_VALUE_NUMBER || !(fabs(v[0].number) < 1e15)) {
    ctx->failed = true;
    return;
  }
  double steps = floor(v[0].number);
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, span);
  while (pat_cycles_next(ctx, &it, &piece)) {
    pat_arc cycle = {pat_rat_floor(piece.begin), pat_rat_ceil_next(piece.begin)};
    size_t from = ctx->count;
    pat_q(ctx, node->kids[0], cycle);
    defrag_parts(ctx, from);
    size_t end = ctx->count;
    for (size_t i = from + 1; i < end && pat_q_work(ctx); i++) {
      pat_event e = ctx->events[i];
      size_t j = i;
      for (; j > from && event_cmp(&ctx->events[j - 1], &e) > 0; j--)
        ctx->events[j] = ctx->events[j - 1];
      ctx->events[j] = e;
    }
    size_t n = end - from;
    double shift = steps >= 0 ? (double)index_mod(steps, n ? n : 1) : fmax(0.0, (double)n + steps);
    size_t s = (size_t)shift;
    if (n > 1 && s % n) { /* values rotated left by s: three reversals */
      reverse_values(ctx->events, from, from + s % n);
      reverse_values(ctx->events, from + s % n, end);
      reverse_values(ctx->events, from, end);
    }
    size_t kept = from;
    bool of = false;
    for (size_t i = from; i < end; i++) {
      pat_event e = ctx->events[i];
      if (pat_arc_intersect(e.part, piece, &e.part, &of))
        ctx->events[kept++] = e;
    }
    ctx->count = kept;
  }
}

/* ---- shuffle and scramble -------------------------------------------------- */

/* Tidal's timeToIntSeed of a whole cycle c: xorwise (truncate (frac (c / 300)
 * 2^29)), exact; cycle 0 reads 9999999 as a Double, as timeToRands does. */
static int64_t cycle_seed(int64_t cycle) {
  if (cycle == 0) {
    double x = 9999999.0 / 300.0;
    return pat_tidal_xorwise((int64_t)((x - trunc(x)) * 536870912.0));
  }
  return pat_tidal_xorwise((cycle % 300) * 536870912 / 300);
}

/* Tidal's randrun n for cycle c: 0 .. n-1 ordered by timeToRands c n (a
   stable sort, counted as work). */
static bool randrun(pat_qctx *ctx, int64_t cycle, int64_t n, double *rands, int64_t *order) {
  int64_t seed = cycle_seed(cycle);
  for (int64_t i = 0; i < n; i++) {
    int64_t m = seed % 536870912;
    rands[i] = (double)(m < 0 ? m + 536870912 : m) / 536870912.0; /* Haskell's mod */
    seed = pat_tidal_xorwise(seed);
    int64_t j = i;
    for (; j > 0 && rands[order[j - 1]] > rands[i]; j--) {
      order[j] = order[j - 1];
      if (!pat_q_work(ctx))
        return false;
    }
    order[j] = i;
  }
  return true;
}

/* Index events of shuffle (randrun n) over the span: slot k of cycle c,
   [c + k/n, c + (k+1)/n), valued order[k]. */
static void shuffle_indices(pat_qctx *ctx, int64_t n, pat_arc span) {
  double *rands = pat_q_alloc(ctx, (size_t)n * sizeof *rands);
  int64_t *order = pat_q_alloc(ctx, (size_t)n * sizeof *order);
  if (!rands || !order)
    return;
  bool of = false;
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, span);
  while (pat_cycles_next(ctx, &it, &piece)) {
    pat_rat cycle = pat_rat_floor(piece.begin);
    if (!randrun(ctx, cycle.num, n, rands, order))
      return;
    pat_rat slots = pat_rat_int(n);
    int64_t first =
        pat_rat_floor(pat_rat_mul(pat_rat_sub(piece.begin, cycle, &of), slots, &of)).num;
    for (int64_t k = first; k < n && !of && pat_q_work(ctx); k++) {
      pat_arc whole = {pat_rat_add(cycle, pat_rat_make(k, n, &of), &of),
                       pat_rat_add(cycle, pat_rat_make(k + 1, n, &of), &of)};
      pat_arc part;
      if (pat_rat_cmp(whole.begin, piece.end) > 0 ||
          (pat_rat_eq(whole.begin, piece.end) && pat_rat_cmp(piece.begin, piece.end) < 0))
        break;
      if (!pat_arc_intersect(whole, piece, &part, &of))
        continue;
      pat_value index = {.kind = PAT_VALUE_NUMBER, .number = (double)order[k]};
      if (!pat_q_push(ctx, whole, part, &index))
        return;
    }
  }
  if (of)
    pat_q_time_overflow(ctx);
}

/* Tidal's _rearrangeWith ipat n p: innerJoin over ipat's events i of
   _fast n (_repeatCycles n (zoom (i/n, (i+1)/n) p)); ipat is randrun n
   (shuffle) or _segment n (_irand n) (scramble). */
void pat_q_rearrange(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  if (v[0].kind != PAT_VALUE_NUMBER || !(v[0].number < 65536.0)) {
    ctx->failed = v[0].kind != PAT_VALUE_NUMBER || isnan(v[0].number);
    ctx->overflow = !ctx->failed;
    return;
  }
  int64_t n = (int64_t)floor(v[0].number);
  if (n <= 0)
    return; /* randrun 0, segment 0: silence */
  size_t mark = ctx->count;
  if (node->invert) {
    pat_pattern irand = {.kind = PN_SIGNAL, .signal = PAT_SIGNAL_IRAND, .amount = (double)n};
    pat_pattern rate = {.kind = PN_PURE, .value = {.kind = PAT_VALUE_NUMBER, .number = (double)n}};
    const pat_pattern *irand_kid = &irand;
    pat_pattern segment = {.kind = PN_SEGMENT, .kids = &irand_kid, .kid_count = 1};
    segment.args[0] = &rate;
    segment.arg_count = 1;
    segment.args_pure = true;
    pat_q(ctx, &segment, span);
  } else {
    shuffle_indices(ctx, n, span);
  }
  size_t end = ctx->count;
  bool of = false;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event outer = ctx->events[i];
    double part = outer.value.number;
    if (outer.value.kind != PAT_VALUE_NUMBER || !(part >= 0 && part < (double)n))
      continue;
    pat_pattern zoom = {.kind = PN_ZOOM, .kids = node->kids, .kid_count = 1};
    zoom.begin = pat_rat_make((int64_t)part, n, &of);
    zoom.end = pat_rat_make((int64_t)part + 1, n, &of);
    const pat_pattern *zoom_kid = &zoom;
    pat_pattern repeat = {.kind = PN_REPEAT,
                          .kids = &zoom_kid,
                          .kid_count = 1,
                          .amount = (double)n,
                          .args_pure = true};
    const pat_pattern *repeat_kid = &repeat;
    pat_pattern fast = {.kind = PN_FAST,
                        .kids = &repeat_kid,
                        .kid_count = 1,
                        .has_const = true,
                        .args_pure = true,
                        .const_time = pat_rat_int(n)};
    pat_q(ctx, &fast, outer.part);
  }
  pat_q_drop(ctx, mark, end);
  if (of)
    pat_q_time_overflow(ctx);
}

/* ---- fit ------------------------------------------------------------------- */

/* Tidal's _fit step xs p: each event of p (kids[0]) valued i takes the value
   of xs !!! (i + step * floor (its part's start)); xs are kids[1 ..],
   queried at the event's onset. */
void pat_q_fit(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  if (v[0].kind != PAT_VALUE_NUMBER || !isfinite(v[0].number)) {
    ctx->failed = true;
    return;
  }
  double step = floor(v[0].number);
  size_t mark = ctx->count;
  pat_q(ctx, node->kids[0], span);
  size_t end = ctx->count;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event e = ctx->events[i];
    if (e.value.kind != PAT_VALUE_NUMBER || !isfinite(e.value.number))
      continue;
    double cycle = pat_rat_to_double(pat_rat_floor(e.part.begin));
    int64_t k = index_mod(floor(e.value.number) + step * cycle, node->kid_count - 1);
    pat_rat at = e.analog ? e.part.begin : e.whole.begin;
    size_t item = ctx->count;
    pat_q(ctx, node->kids[1 + k], (pat_arc){at, at});
    if (ctx->count == item)
      continue;
    pat_value value = ctx->events[item].value;
    ctx->count = item;
    if (!pat_q_push(ctx, e.whole, e.part, &value))
      break;
    ctx->events[ctx->count - 1].analog = e.analog;
  }
  pat_q_drop(ctx, mark, end);
}

/* ---- nTake ------------------------------------------------------------------ */

/* `value` op {control: x} into *out. */
static bool take_value(pat_qctx *ctx, const pat_pattern *node, const pat_value *value, double x,
                       pat_value *out) {
  pat_controls *map = pat_q_alloc(ctx, pat_controls_size(1));
  if (!map)
    return false;
  map->count = 1;
  map->entries[0].control = (uint16_t)node->signal;
  map->entries[0].number = x;
  pat_value taken = pat_controls_value(map, false);
  if (!value) {
    *out = taken;
    return true;
  }
  return pat_q_combine_values(ctx, node->op, value, &taken, out);
}

static bool onset_in(const pat_event *e, pat_rat cycle) {
  return !e->analog && pat_rat_cmp(e->part.begin, e->whole.begin) == 0 &&
         pat_rat_cmp(pat_rat_floor(e->whole.begin), cycle) == 0;
}

/* Per cycle, the kid's whole cycle: m onsets in time order, the k-th taking
   values[(c * m + k) mod count] (a later fragment of it, the next onset's
   rank); fragments of events begun in another cycle keep their values. No
   kid: one event a cycle, values[c mod count]. */
void pat_q_ntake(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t n = node->table_count;
  pat_cycle_iter it;
  pat_arc piece;
  bool of = false;
  pat_cycles_start(&it, span);
  while (n && pat_cycles_next(ctx, &it, &piece)) {
    pat_rat cycle = pat_rat_floor(piece.begin);
    pat_arc whole = {cycle, pat_rat_ceil_next(piece.begin)};
    double c = pat_rat_to_double(cycle);
    if (node->kid_count == 0) {
      pat_value value;
      if (!take_value(ctx, node, NULL, node->weights[index_mod(c, n)], &value) ||
          !pat_q_push(ctx, whole, piece, &value))
        return;
      continue;
    }
    size_t from = ctx->count;
    pat_q(ctx, node->kids[0], whole);
    size_t end = ctx->count, onsets = 0;
    /* in time order (stably: ties keep query order), which the query's
       output nearly has already, each step counted as work */
    for (size_t i = from + 1; i < end && pat_q_work(ctx); i++) {
      pat_event e = ctx->events[i];
      size_t j = i;
      for (; j > from && pat_rat_cmp(ctx->events[j - 1].whole.begin, e.whole.begin) > 0; j--)
        ctx->events[j] = ctx->events[j - 1];
      ctx->events[j] = e;
    }
    for (size_t i = from; i < end; i++)
      onsets += onset_in(&ctx->events[i], cycle);
    size_t k = 0, kept = from; /* onsets so far; events kept, in place */
    for (size_t i = from; i < end && pat_q_work(ctx); i++) {
      pat_event e = ctx->events[i];
      bool onset = onset_in(&e, cycle);
      bool ours = !e.analog && pat_rat_cmp(pat_rat_floor(e.whole.begin), cycle) == 0;
      size_t rank = k;
      k += onset;
      if (!pat_arc_intersect(e.part, piece, &e.part, &of))
        continue;
      if (ours) {
        double x = node->weights[index_mod(c * (double)onsets + (double)rank, n)];
        if (!take_value(ctx, node, &ctx->events[i].value, x, &e.value))
          break;
      }
      ctx->events[kept++] = e;
    }
    ctx->count = kept;
  }
  if (of)
    pat_q_time_overflow(ctx);
}
