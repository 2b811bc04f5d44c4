/* prog_transform_call: a transform by id applied to its arguments, each the
   pattern engine's, on a plain pattern or a line's control pattern alike;
   and the transforms that take functions (every, off, sometimesBy, layer,
   within, ghost ...), applied at compile time to the pattern or to the
   engine's placeholder for the shifted or thinned one. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "program_transform.h"

/* What the engine's exact higher-order transforms (off, sometimesBy) call
   with their placeholder for the shifted or thinned pattern. */
typedef struct {
  prog_compiler *c;
  int t, line, column;
  const prog_value *f;
  prog_value x;
} function_context;

static const pat_pattern *apply_to_placeholder(pat_store *store, const pat_pattern *q,
                                               void *context) {
  (void)store;
  function_context *w = context;
  return prog_transform_apply(w->c, w->t, w->f, prog_with_pattern(w->c, w->x, q), w->line,
                              w->column)
      .pattern;
}

/* Tidal's swingBy x n = inside n (within (0.5, 1) (x ~>)): in each of n
   slices a cycle, the events of the second half delayed by x of a slice
   (Strudel's swingBy delays by x of a half slice). */
typedef struct {
  const pat_pattern *amount;
} swing_delay;

static const pat_pattern *swing(pat_store *store, const pat_pattern *q, void *context) {
  const swing_delay *delay = context;
  return pat_stack2(store,
                    pat_play_when_in(store, 0.5, 1, false, pat_late(store, delay->amount, q)),
                    pat_play_when_in(store, 0.5, 1, true, q));
}

/* stutter's f: Tidal's id. */
static const pat_pattern *unchanged(pat_store *store, const pat_pattern *q, void *context) {
  (void)store, (void)context;
  return q;
}

/* An argument of the subject's kind (overlay, sew, stitch, euclidFull). */
static const pat_pattern *same_kind(prog_compiler *c, int t, const prog_value *v,
                                    const prog_value *x) {
  int kind = x->kind == V_CONTROLS ? V_CONTROLS : V_PATTERN;
  return prog_list_pattern(c, prog_transform_name(t), v, &kind);
}

/* Tidal's spreadChoose: do v <- _segment 1 (choose vs); f v p, the
   chosen pattern's events cut to the cycle (unwrap): ur 1 of the choices,
   named by their index. */
static const pat_pattern *spread_choose(prog_compiler *c, const pat_pattern *const *items, int n) {
  pat_store *s = c->program->store;
  if (n == 0)
    return prog_silence(c);
  double *indices = prog_alloc(c, (size_t)n * sizeof *indices);
  const char **names = prog_alloc(c, (size_t)n * sizeof *names);
  for (int i = 0; i < n; ++i) {
    indices[i] = i;
    char *name = prog_alloc(c, 12);
    snprintf(name, 12, "%d", i);
    names[i] = name;
  }
  const pat_pattern *choice = pat_segment(
      s, prog_pure(c, 1), pat_choose_by(s, pat_signal(s, PAT_SIGNAL_RAND, 0), indices, (size_t)n));
  return prog_checked(
      c, pat_ur(s, 1, prog_checked(c, choice), names, items, (size_t)n, NULL, NULL, NULL, 0));
}

/* layer [f, g] p = stack [f p, g p]; spread f [a, b] p = cat [f a p, f b p]
   (fastspread: fastcat); spreadf [f, g] = spread ($) [f, g]. */
static prog_value apply_each(prog_compiler *c, int t, const prog_value *args, prog_value x,
                             int line, int column) {
  bool functions = t == T_LAYER || t == T_SPREADF;
  const prog_value *list = &args[functions ? 0 : 1];
  int n = list->item_count;
  const pat_pattern **out = prog_alloc(c, (size_t)(n ? n : 1) * sizeof *out);
  for (int i = 0; i < n; ++i) {
    prog_value f = list->items[i];
    if (functions)
      prog_transform_function(c, t, &f);
    else
      f = prog_apply(c, args[0], &list->items[i], 1, list->items[i].line, list->items[i].column);
    out[i] = prog_transform_apply(c, t, &f, x, line, column).pattern;
  }
  pat_store *s = c->program->store;
  if (t == T_SPREAD_CHOOSE || t == T_SPREADR)
    return prog_with_pattern(c, x, spread_choose(c, out, n));
  return prog_with_pattern(c, x,
                           t == T_LAYER        ? pat_stack(s, out, (size_t)n)
                           : t == T_FASTSPREAD ? pat_fastcat(s, out, (size_t)n)
                                               : pat_slowcat(s, out, (size_t)n));
}

/* within (b, e) f p: f p's events starting in [b, e) of their cycle, p's
   elsewhere (Tidal's; Strudel's within filters p before f); within' applies
   f to that part stretched over the cycle, then squeezes it back. */
static prog_value within(prog_compiler *c, int t, double begin, double end, const prog_value *f,
                         prog_value x, int line, int column) {
  pat_store *s = c->program->store;
  const pat_pattern *changed;
  if (t == T_WITHIN_ZOOMED) { /* within': compress (b, e) $ f $ zoomArc (b, e) p */
    prog_value zoomed = prog_with_pattern(c, x, pat_zoom(s, begin, end, x.pattern));
    changed =
        pat_compress(s, begin, end, prog_transform_apply(c, t, f, zoomed, line, column).pattern);
  } else
    changed = prog_transform_apply(c, t, f, x, line, column).pattern;
  return prog_with_pattern(c, x,
                           pat_stack2(s, pat_play_when_in(s, begin, end, false, changed),
                                      pat_play_when_in(s, begin, end, true, x.pattern)));
}

/* Tidal's sample functions (chop, striate, slice, ..., loopAt; bite works
   on any pattern): the engine's, on a line's events. */
static prog_value sample_function(prog_compiler *c, int t, const pat_pattern *const *a,
                                  const prog_value *args, prog_value x) {
  if (t != T_BITE && x.kind != V_CONTROLS)
    prog_fail(c, x.line, x.column, "%s cuts sounds: it needs events, like %s $ s \"bev\"",
              prog_transform_name(t),
              t == T_SLICE || t == T_SPLICE               ? "slice 4 \"0 2\""
              : t == T_STRIATE_BY || t == T_STRIATE_PRIME ? "striateBy 4 (1/8)"
              : t == T_CHEW                               ? "chew 4 \"0 [1 2]\""
                                                          : "chop 4");
  pat_store *s = c->program->store;
  const pat_pattern *p = x.pattern;
  switch (t) {
  case T_CHOP:
    return prog_with_pattern(c, x, pat_chop(s, a[0], p));
  case T_STRIATE:
    return prog_with_pattern(c, x, pat_striate(s, a[0], p));
  case T_STRIATE_BY:
  case T_STRIATE_PRIME:
    return prog_with_pattern(c, x, pat_striate_by(s, a[0], a[1], p));
  case T_SLICE:
    return prog_with_pattern(c, x, pat_slice(s, a[0], a[1], p));
  case T_SPLICE:
    return prog_with_pattern(c, x, pat_splice(s, a[0], a[1], p));
  case T_RANDSLICE:
    return prog_with_pattern(c, x, pat_randslice(s, a[0], p));
  case T_BITE:
    return prog_with_pattern(c, x, pat_bite(s, a[0], a[1], p));
  case T_CHEW:
    return prog_with_pattern(c, x, pat_chew(s, a[0], a[1], p));
  case T_GAP:
    return prog_with_pattern(c, x, pat_gap(s, a[0], p));
  case T_SMASH:
  case T_SMASH_CHOP: {
    const prog_value *list = &args[1];
    int n = list->item_count;
    const pat_pattern **factors = prog_alloc(c, (size_t)(n ? n : 1) * sizeof *factors);
    for (int i = 0; i < n; ++i) {
      int kind = V_PATTERN; /* slow factors: numbers or patterns of them */
      factors[i] = prog_list_pattern(c, prog_transform_name(t), &list->items[i], &kind);
    }
    return prog_with_pattern(c, x, pat_smash(s, a[0], factors, (size_t)n, t == T_SMASH_CHOP, p));
  }
  default: /* T_LOOP_AT */
    return prog_with_pattern(c, x, pat_loop_at(s, a[0], p));
  }
}

/* ghostWith a f p = superimpose ((a * 2.5 ~>) . f) $ superimpose ((a * 1.5
   ~>) . f) p; ghost' a: f multiplies gain by 0.7 and speed by 1.25 (|*|;
   Tidal's also sets end 0.2, a sample control cyclebus lacks); ghost =
   ghost' 0.125. */
static prog_value ghost(prog_compiler *c, int t, const prog_value *args, prog_value x, int line,
                        int column) {
  pat_store *s = c->program->store;
  double a = t == T_GHOST ? 0.125 : args[0].number;
  if (t != T_GHOST_WITH && x.kind != V_CONTROLS)
    prog_fail(c, x.line, x.column,
              "%s makes quieter copies of sounds: it needs events, like %s $ s \"~ sn\"",
              prog_transform_name(t), t == T_GHOST ? "ghost" : "ghost' 0.125");
  prog_value layer = x;
  for (int i = 0; i < 2; ++i) {
    const pat_pattern *changed;
    if (t == T_GHOST_WITH)
      changed = prog_transform_apply(c, t, &args[1], layer, line, column).pattern;
    else
      changed = pat_combine(
          s, PAT_OP_MUL, PAT_STRUCTURE_BOTH,
          pat_combine(s, PAT_OP_SET, PAT_STRUCTURE_LEFT,
                      pat_combine(s, PAT_OP_MUL, PAT_STRUCTURE_BOTH, layer.pattern,
                                  pat_control_pattern(s, PAT_CONTROL_SPEED, prog_pure(c, 1.25))),
                      pat_control_pattern(s, PAT_CONTROL_END, prog_pure(c, 0.2))),
          pat_control_pattern(s, PAT_CONTROL_GAIN, prog_pure(c, 0.7)));
    layer = prog_with_pattern(
        c, layer,
        pat_stack2(s, layer.pattern, pat_late(s, prog_pure(c, a * (i == 0 ? 1.5 : 2.5)), changed)));
  }
  return layer;
}

/* pickF i [f, g] p: innerJoin of [f p, g p] !!! i; selectF: chosen by a float. */
static prog_value pick_function(prog_compiler *c, int t, const prog_value *args,
                                const pat_pattern *index, prog_value x, int line, int column) {
  const prog_value *list = &args[1];
  int n = list->item_count;
  const pat_pattern **items = prog_alloc(c, (size_t)(n ? n : 1) * sizeof *items);
  for (int i = 0; i < n; ++i)
    items[i] =
        prog_transform_apply(c, t, prog_transform_function(c, t, &list->items[i]), x, line, column)
            .pattern;
  return prog_with_pattern(c, x,
                           pat_pick(c->program->store,
                                    t == T_PICK_F ? PAT_PICK_MOD : PAT_PICK_SELECT_F, index, items,
                                    (size_t)n));
}

prog_value prog_transform_call(prog_compiler *c, int t, const prog_value *args, int line,
                               int column) {
  const char *signature = prog_transform_signature(t);
  int arity = (int)strlen(signature);
  if (t == T_CHOOSE || t == T_CHOOSE_BY || t == T_WCHOOSE || t == T_CYCLE_CHOOSE ||
      t == T_WCHOOSE_BY)
    return prog_choose(c, t, args, line, column);
  if (t == T_UR)
    return prog_ur(c, t, args, line, column);
  if (t == T_INHABIT)
    return prog_inhabit(c, args, line, column);
  if (t == T_INTERLACE)
    return prog_interlace(c, t, args, line, column);
  if (t == T_WEAVE || t == T_WEAVE_WITH)
    return prog_weave(c, t, t == T_WEAVE_WITH, args, line, column);
  if (t == T_STEP || t == T_STEP_LIST || t == T_STEPS)
    return prog_steps(c, t, t == T_STEP ? 0 : t == T_STEP_LIST ? 1 : 2, args, line, column);
  if (t == T_SEQP || t == T_SEQP_LOOP || t == T_NCAT)
    return prog_seqp(c, t, t != T_SEQP, t == T_NCAT, &args[0], line, column);
  if (t == T_SELECT || t == T_SQUEEZE || t == T_FIT)
    return prog_choose_among(c, t, args, line, column);
  if (t == T_NTAKE)
    return prog_take_in_turn(c, t, args, line, column);
  if (signature[arity - 1] != 'x')
    return prog_list_call(c, t, &args[0], line, column);
  prog_value x = args[arity - 1];
  if (x.kind != V_CONTROLS && x.kind != V_NUMBER && !(x.kind == V_PATTERN && x.pattern))
    prog_fail(c, x.line, x.column, "%s works on patterns and events, not on %s",
              prog_transform_name(t), prog_value_kind_name(&x));
  if (x.kind == V_NUMBER) {
    x = prog_with_pattern(c, x, prog_pure(c, x.number));
    x.kind = V_PATTERN;
  }
  x.line = line;
  x.column = column;
  const pat_pattern *a[PROG_FUNC_ARGS] = {NULL};
  for (int i = 0; i < arity - 1; ++i)
    if (signature[i] == 'p')
      a[i] = prog_transform_pattern(c, t, &args[i]);
  const prog_value *f = NULL;
  for (int i = 0; i < arity - 1; ++i)
    if (signature[i] == 'f')
      f = prog_transform_function(c, t, &args[i]);
  pat_store *s = c->program->store;
  const pat_pattern *p = x.pattern;
  switch (t) {
  case T_FAST:
  case T_DENSITY:
    return prog_with_pattern(c, x, pat_fast(s, a[0], p));
  case T_SLOW:
    return prog_with_pattern(c, x, pat_slow(s, a[0], p));
  case T_REV:
    return prog_with_pattern(c, x, pat_rev(s, p));
  case T_PALINDROME:
    return prog_with_pattern(c, x, pat_palindrome(s, p));
  case T_ITER:
    return prog_with_pattern(c, x, pat_iter(s, a[0], p));
  case T_PLY:
    return prog_with_pattern(c, x, pat_ply(s, a[0], p));
  case T_SEGMENT:
    return prog_with_pattern(c, x, pat_segment(s, a[0], p));
  case T_LATE:
    return prog_with_pattern(c, x, pat_late(s, a[0], p));
  case T_EARLY:
    return prog_with_pattern(c, x, pat_early(s, a[0], p));
  case T_DEGRADE_BY:
    return prog_with_pattern(c, x, pat_degrade_by(s, a[0], p));
  case T_DEGRADE:
    return prog_with_pattern(c, x, pat_degrade_by(s, prog_pure(c, 0.5), p));
  case T_EUCLID:
    return prog_with_pattern(c, x, pat_euclid(s, a[0], a[1], prog_pure(c, 0), p));
  case T_EUCLID_OFF:
  case T_EOFF:
    return prog_with_pattern(c, x, pat_euclid(s, a[0], a[1], a[2], p));
  case T_ECHO:
    return prog_with_pattern(c, x, pat_echo(s, a[0], a[1], a[2], p));
  case T_STUT:
    return prog_with_pattern(c, x, pat_stut(s, a[0], a[1], a[2], p));
  case T_EVERY:
  case T_FIRST_OF:
    return prog_with_pattern(
        c, x, pat_every(s, a[0], prog_transform_apply(c, t, f, x, line, column).pattern, p));
  case T_LAST_OF:
    return prog_with_pattern(
        c, x, pat_last_of(s, a[0], prog_transform_apply(c, t, f, x, line, column).pattern, p));
  case T_JUX:
    return prog_with_pattern(c, x,
                             pat_jux(s, prog_transform_apply(c, t, f, x, line, column).pattern, p));
  case T_JUX_BY:
    return prog_with_pattern(
        c, x, pat_jux_by(s, a[0], prog_transform_apply(c, t, f, x, line, column).pattern, p));
  case T_SOMETIMES_BY:
  case T_SOMETIMES:
  case T_OFTEN:
  case T_RARELY:
  case T_ALMOST_NEVER:
  case T_ALMOST_ALWAYS: {
    static const double amounts[] = {[T_SOMETIMES] = 0.5,
                                     [T_OFTEN] = 0.75,
                                     [T_RARELY] = 0.25,
                                     [T_ALMOST_NEVER] = 0.1,
                                     [T_ALMOST_ALWAYS] = 0.9};
    const pat_pattern *amount = t == T_SOMETIMES_BY ? a[0] : prog_pure(c, amounts[t]);
    function_context w = {c, t, line, column, f, x};
    return prog_with_pattern(c, x, pat_sometimes_by(s, amount, apply_to_placeholder, &w, p));
  }
  case T_SOME_CYCLES_BY:
  case T_SOME_CYCLES:
  case T_SOMECYCLES_BY:
  case T_SOMECYCLES: {
    const pat_pattern *amount =
        t == T_SOME_CYCLES_BY || t == T_SOMECYCLES_BY ? a[0] : prog_pure(c, 0.5);
    function_context w = {c, t, line, column, f, x};
    return prog_with_pattern(c, x, pat_some_cycles_by(s, amount, apply_to_placeholder, &w, p));
  }
  case T_INSIDE:
  case T_OUTSIDE: {
    function_context w = {c, t, line, column, f, x};
    return prog_with_pattern(c, x,
                             pat_inside(s, a[0], t == T_OUTSIDE, apply_to_placeholder, &w, p));
  }
  case T_SWING_BY:
  case T_SWING: {
    swing_delay delay = {t == T_SWING_BY ? a[0] : prog_pure(c, 1.0 / 3.0)};
    return prog_with_pattern(c, x,
                             pat_inside(s, a[t == T_SWING_BY ? 1 : 0], false, swing, &delay, p));
  }
  case T_ALWAYS:
    return prog_transform_apply(c, t, f, x, line, column);
  case T_NEVER:
    return x;
  case T_OFF: {
    function_context w = {c, t, line, column, f, x};
    return prog_with_pattern(c, x, pat_off(s, a[0], apply_to_placeholder, &w, p));
  }
  case T_SUPERIMPOSE: {
    function_context w = {c, t, line, column, f, x};
    return prog_with_pattern(c, x, pat_superimpose(s, apply_to_placeholder, &w, p));
  }
  case T_OVERLAY:
    return prog_with_pattern(c, x, pat_stack2(s, same_kind(c, t, &args[0], &x), p));
  case T_ID:
    return x;
  case T_APPLY: /* ($) f x = f x */
    return prog_transform_apply(c, t, f, x, line, column);
  case T_LAYER:
  case T_SPREAD_CHOOSE:
  case T_SPREADR:
  case T_SPREADF:
  case T_SPREAD:
  case T_SLOWSPREAD:
  case T_FASTSPREAD:
    return apply_each(c, t, args, x, line, column);
  case T_STRUCT:
    return prog_with_pattern(c, x, pat_struct(s, a[0], p));
  case T_MASK:
    return prog_with_pattern(c, x, pat_mask(s, a[0], p));
  case T_SEW:
    return prog_with_pattern(c, x, pat_sew(s, a[0], same_kind(c, t, &args[1], &x), p));
  case T_STITCH:
    return prog_with_pattern(c, x, pat_stitch(s, a[0], same_kind(c, t, &args[1], &x), p));
  case T_EUCLID_INV:
    return prog_with_pattern(c, x, pat_euclid_inv(s, a[0], a[1], NULL, p));
  case T_EUCLID_FULL:
  case T_EUCLID_OFF_FULL: {
    const pat_pattern *rotation = t == T_EUCLID_OFF_FULL ? a[2] : NULL;
    const pat_pattern *first = same_kind(c, t, &args[arity - 2], &x);
    return prog_with_pattern(c, x,
                             pat_stack2(s, pat_euclid(s, a[0], a[1], rotation, first),
                                        pat_euclid_inv(s, a[0], a[1], rotation, p)));
  }
  case T_UNDEGRADE_BY:
    return prog_with_pattern(c, x, pat_undegrade_by(s, a[0], p));
  case T_ITER_BACK:
    return prog_with_pattern(c, x, pat_iter_back(s, a[0], p));
  case T_WHENMOD:
    return prog_with_pattern(
        c, x,
        pat_whenmod(s, a[0], a[1], prog_transform_apply(c, t, f, x, line, column).pattern, p));
  case T_BRAK: {
    /* when (cycle is odd) (late 0.25 . fastcat [p, silence]) */
    const pat_pattern *halves[2] = {p, pat_silence(s)};
    const pat_pattern *moved = pat_late(s, prog_pure(c, 0.25), pat_fastcat(s, halves, 2));
    return prog_with_pattern(c, x, pat_last_of(s, prog_pure(c, 2), moved, p));
  }
  case T_STUT_WITH:
  case T_ECHO_WITH:
  case T_PLY_WITH: {
    function_context w = {c, t, line, column, f, x};
    return prog_with_pattern(c, x,
                             t == T_PLY_WITH
                                 ? pat_ply_with(s, a[0], apply_to_placeholder, &w, p)
                                 : pat_stut_with(s, a[0], a[1], apply_to_placeholder, &w, p));
  }
  case T_HURRY:
    if (x.kind != V_CONTROLS)
      prog_fail(c, x.line, x.column,
                "hurry speeds up sounds: it needs events, like hurry 2 $ s \"bd sn\"");
    /* fast r p |* speed r */
    return prog_with_pattern(c, x,
                             pat_combine(s, PAT_OP_MUL, PAT_STRUCTURE_LEFT, pat_fast(s, a[0], p),
                                         pat_control_pattern(s, PAT_CONTROL_SPEED, a[0])));
  case T_WITHIN:
  case T_WITHIN_ZOOMED:
    return within(c, t, args[0].items[0].number, args[0].items[1].number, f, x, line, column);
  case T_WHILE:
    /* sew b (f p) p */
    return prog_with_pattern(
        c, x, pat_sew(s, a[0], prog_transform_apply(c, t, f, x, line, column).pattern, p));
  case T_RANGEX:
  case T_QUANTISE:
  case T_TO_SCALE:
  case T_TO_SCALE_OCTAVE:
    return prog_map_numbers(c, t, args, x);
  case T_ZOOM:
  case T_ZOOM_ARC:
    return prog_with_pattern(c, x,
                             pat_zoom(s, args[0].items[0].number, args[0].items[1].number, p));
  case T_LINGER:
    return prog_with_pattern(c, x, pat_linger(s, a[0], p));
  case T_ARPEGGIATE:
  case T_ARPG:
    return prog_with_pattern(c, x, pat_arpeggiate(s, p));
  case T_ROLLED:
  case T_ROLLED_BY:
    return prog_with_pattern(c, x, pat_rolled_by(s, t == T_ROLLED ? prog_pure(c, 0.25) : a[0], p));
  case T_COMPRESS:
    return prog_with_pattern(c, x,
                             pat_compress(s, args[0].items[0].number, args[0].items[1].number, p));
  case T_TRUNC:
    return prog_with_pattern(c, x, pat_trunc(s, a[0], p));
  case T_STRIPE:
  case T_SLOWSTRIPE:
    return prog_with_pattern(c, x, pat_stripe(s, a[0], t == T_SLOWSTRIPE, p));
  case T_SMOOTH:
    return prog_with_pattern(c, x, pat_smooth(s, p));
  case T_PRESS:
    return prog_with_pattern(c, x, pat_press_by(s, prog_pure(c, 0.5), p));
  case T_PRESS_BY:
    return prog_with_pattern(c, x, pat_press_by(s, a[0], p));
  case T_CHUNK:
  case T_CHUNK_BACK:
    return prog_with_pattern(c, x,
                             pat_chunk(s, a[0], t == T_CHUNK_BACK,
                                       prog_transform_apply(c, t, f, x, line, column).pattern, p));
  case T_ROT:
    return prog_with_pattern(c, x, pat_rot(s, a[0], p));
  case T_SHUFFLE:
  case T_SCRAMBLE:
    return prog_with_pattern(c, x, pat_shuffle(s, a[0], t == T_SCRAMBLE, p));
  case T_ARP:
    return prog_with_pattern(c, x, pat_arp(s, a[0], p));
  case T_GHOST:
  case T_GHOST_AT:
  case T_GHOST_WITH:
    return ghost(c, t, args, x, line, column);
  case T_PICK_F:
  case T_SELECT_F:
    return pick_function(c, t, args, a[0], x, line, column);
  case T_STUTTER:
    return prog_with_pattern(c, x, pat_stut_with(s, a[0], a[1], unchanged, NULL, p));
  case T_LOOP_FIRST:
  case T_TIME_LOOP:
    return prog_with_pattern(c, x, pat_time_loop(s, t == T_TIME_LOOP ? args[0].number : 1, p));
  case T_ROT_L:
    return prog_with_pattern(c, x, pat_early(s, a[0], p));
  case T_ROT_R:
    return prog_with_pattern(c, x, pat_late(s, a[0], p));
  case T_DISCRETISE:
    return prog_with_pattern(c, x, pat_segment(s, a[0], p));
  case T_FAST_GAP: /* Tidal's _fastGap r: r below 1 counts as 1 */
    return prog_with_pattern(c, x, pat_compress(s, 0, 1 / fmax(args[0].number, 1), p));
  case T_WEDGE: {
    /* Tidal's wedge t p p': p squeezed into the first t of each cycle, p' the rest */
    double share = args[0].number;
    if (share < 0)
      prog_fail(c, args[0].line, args[0].column, "wedge takes a part of the cycle from 0 to 1");
    const pat_pattern *first = same_kind(c, t, &args[1], &x);
    return prog_with_pattern(c, x,
                             share == 0   ? p
                             : share == 1 ? first
                                          : pat_stack2(s, pat_compress(s, 0, share, first),
                                                       pat_compress(s, share, 1, p)));
  }
  case T_SPACE_OUT:
    return prog_space_out(c, t, &args[0], x);
  case T_SPIN: {
    /* Tidal's _spin n: stack [i/n <~ p # pan (i/n) | i <- [0 .. n-1]] */
    if (x.kind != V_CONTROLS || args[0].number > 64)
      prog_fail(c, args[0].line, args[0].column,
                "spin takes from 1 to 64 copies of events, like spin 4 $ s \"bd sn\"");
    int n = (int)args[0].number > 0 ? (int)args[0].number : 1;
    const pat_pattern **copies = prog_alloc(c, (size_t)n * sizeof *copies);
    for (int i = 0; i < n; ++i)
      copies[i] = prog_checked(
          c, pat_combine(s, PAT_OP_SET, PAT_STRUCTURE_LEFT,
                         pat_early(s, prog_pure(c, (double)i / n), p),
                         pat_control_pattern(s, PAT_CONTROL_PAN, prog_pure(c, (double)i / n))));
    return prog_with_pattern(c, x, pat_stack(s, copies, (size_t)n));
  }
  case T_INV: /* the booleans' structure, true where false (1) and false where true (0) */
    if (x.kind != V_PATTERN)
      prog_fail(c, x.line, x.column, "inv inverts booleans, like inv \"t f\", not events");
    return prog_with_pattern(c, x, pat_stitch(s, p, prog_pure(c, 0), prog_pure(c, 1)));
  case T_FIX:
  case T_UNFIX:
    return prog_contrast(c, t, t == T_FIX ? f : NULL, t == T_UNFIX ? f : NULL, &args[1], x, line,
                         column);
  case T_CONTRAST:
    return prog_contrast(c, t, &args[0], &args[1], &args[2], x, line, column);
  case T_CHOP:
  case T_STRIATE:
  case T_STRIATE_BY:
  case T_STRIATE_PRIME:
  case T_SLICE:
  case T_SPLICE:
  case T_RANDSLICE:
  case T_BITE:
  case T_CHEW:
  case T_LOOP_AT:
  case T_SMASH:
  case T_SMASH_CHOP:
  case T_GAP:
    return sample_function(c, t, a, args, x);
  default:
    prog_fail(c, line, column, "internal error: unknown transform");
  }
}
