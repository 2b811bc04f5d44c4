/* Tidal's transforms (fast, every, jux, ...) by name: each is the pattern
   engine's, applied to a plain pattern or to a whole line's control pattern
   alike (a line is one pattern whose values are control maps). Functions
   given to every, off, sometimesBy ... are applied at compile time, to the
   pattern or to the engine's placeholder for the shifted or thinned one. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "program_private.h"

typedef enum {
  T_FAST,
  T_DENSITY,
  T_SLOW,
  T_REV,
  T_PALINDROME,
  T_ITER,
  T_PLY,
  T_SEGMENT,
  T_LATE,
  T_EARLY,
  T_DEGRADE_BY,
  T_DEGRADE,
  T_EUCLID,
  T_EUCLID_OFF,
  T_EOFF,
  T_EVERY,
  T_FIRST_OF,
  T_LAST_OF,
  T_INSIDE,
  T_OUTSIDE,
  T_SWING_BY,
  T_SWING,
  T_SOME_CYCLES_BY,
  T_SOME_CYCLES,
  T_SOMETIMES_BY,
  T_SOMETIMES,
  T_OFTEN,
  T_RARELY,
  T_ALMOST_NEVER,
  T_ALMOST_ALWAYS,
  T_ALWAYS,
  T_NEVER,
  T_OFF,
  T_SUPERIMPOSE,
  T_JUX,
  T_ECHO,
  T_STUT,
  T_STACK,
  T_OVERLAY,
  T_CAT,
  T_SLOWCAT,
  T_FASTCAT,
  T_RANDCAT,
  T_WRANDCAT,
  T_TIMECAT,
  T_TIMECAT_LOWER,
  T_LAYER,
  T_STRUCT,
  T_MASK,
  T_SEW,
  T_STITCH,
  T_EUCLID_INV,
  T_EUCLID_FULL,
  T_EUCLID_OFF_FULL,
  T_SPREAD,
  T_SLOWSPREAD,
  T_FASTSPREAD,
  T_SOMECYCLES,
  T_SOMECYCLES_BY,
  T_UNDEGRADE_BY,
  T_ITER_BACK,
  T_WHENMOD,
  T_BRAK,
  T_STUT_WITH,
  T_ECHO_WITH,
  T_HURRY,
  T_WITHIN,
  T_WHILE,
  T_CHUNK,
  T_CHUNK_BACK,
  T_PRESS,
  T_PRESS_BY,
  T_RANGEX,
  T_QUANTISE,
  T_TO_SCALE,
  T_TO_SCALE_OCTAVE,
  T_ZOOM,
  T_ZOOM_ARC,
  T_LINGER,
  T_COMPRESS,
  T_TRUNC,
  T_WITHIN_ZOOMED,
  T_CHOOSE,
  T_CHOOSE_BY,
  T_WCHOOSE,
  T_CYCLE_CHOOSE,
  T_ARPEGGIATE,
  T_ARPG,
  T_ROLLED,
  T_ROLLED_BY,
  T_FIX,
  T_UNFIX,
  T_CONTRAST,
  T_UR,
  T_SEQP,
  T_SEQP_LOOP,
  T_WCHOOSE_BY,
  T_ROT,
  T_PLY_WITH,
  T_GHOST,
  T_GHOST_AT,
  T_GHOST_WITH,
  T_SHUFFLE,
  T_SCRAMBLE,
  T_ARP,
  T_SQUEEZE,
  T_SELECT,
  T_PICK_F,
  T_SELECT_F,
  T_FIT,
  T_NTAKE,
  T_CHOP,
  T_STRIATE,
  T_STRIATE_BY,
  T_STRIATE_PRIME,
  T_SLICE,
  T_SPLICE,
  T_RANDSLICE,
  T_BITE,
  T_CHEW,
  T_LOOP_AT,
  T_JUX_BY,
  T_SMASH,
  T_SMASH_CHOP,
  T_GAP,
  T_LOOP_FIRST,
  T_TIME_LOOP,
  T_ROT_L,
  T_ROT_R,
  T_DISCRETISE,
  T_FAST_GAP,
  T_STUTTER,
  T_WEDGE,
  T_SPACE_OUT,
  T_SPIN,
  T_INV,
  T_WEAVE,
  T_WEAVE_WITH,
  T_STEP,
  T_STEP_LIST,
  T_STEPS,
  T_APPLY,
  T_SPREADF,
  T_ID,
  T_NCAT,
  T_SPREAD_CHOOSE,
  T_SPREADR,
  T_STRIPE,
  T_SLOWSTRIPE,
  T_SMOOTH,
  T_COUNT
} transform_id;

/* Argument kinds, in order: p = pattern, n = number, f = function, x = the
   subject, y = another pattern of the subject's kind (events or values);
   lists: l = of patterns, L = of functions, v = of anything, T = of
   (weight, pattern) pairs, W = of (pattern, weight) pairs, N = of (name,
   pattern) pairs, F = of (name, function) pairs, S = of (begin, end,
   pattern) triples; c = a control pattern or (control, value) pairs; e =
   events or a pattern (checked by the function); r = a
   tuple (begin, end) of cycle positions. A function without x (stack [...])
   makes its pattern from its lists. */
static const struct {
  const char *name;
  const char *signature;
} transforms[T_COUNT] = {
    [T_FAST] = {"fast", "px"},
    [T_DENSITY] = {"density", "px"},
    [T_SLOW] = {"slow", "px"},
    [T_REV] = {"rev", "x"},
    [T_PALINDROME] = {"palindrome", "x"},
    [T_ITER] = {"iter", "px"},
    [T_PLY] = {"ply", "px"},
    [T_SEGMENT] = {"segment", "px"},
    [T_LATE] = {"late", "px"},
    [T_EARLY] = {"early", "px"},
    [T_DEGRADE_BY] = {"degradeBy", "px"},
    [T_DEGRADE] = {"degrade", "x"},
    [T_EUCLID] = {"euclid", "ppx"},
    [T_EUCLID_OFF] = {"euclidOff", "pppx"},
    [T_EOFF] = {"eoff", "pppx"},
    [T_EVERY] = {"every", "pfx"},
    [T_FIRST_OF] = {"firstOf", "pfx"},
    [T_LAST_OF] = {"lastOf", "pfx"},
    [T_INSIDE] = {"inside", "pfx"},
    [T_OUTSIDE] = {"outside", "pfx"},
    [T_SWING_BY] = {"swingBy", "ppx"},
    [T_SWING] = {"swing", "px"},
    [T_SOME_CYCLES_BY] = {"someCyclesBy", "pfx"},
    [T_SOME_CYCLES] = {"someCycles", "fx"},
    [T_SOMETIMES_BY] = {"sometimesBy", "pfx"},
    [T_SOMETIMES] = {"sometimes", "fx"},
    [T_OFTEN] = {"often", "fx"},
    [T_RARELY] = {"rarely", "fx"},
    [T_ALMOST_NEVER] = {"almostNever", "fx"},
    [T_ALMOST_ALWAYS] = {"almostAlways", "fx"},
    [T_ALWAYS] = {"always", "fx"},
    [T_NEVER] = {"never", "fx"},
    [T_OFF] = {"off", "pfx"},
    [T_SUPERIMPOSE] = {"superimpose", "fx"},
    [T_JUX] = {"jux", "fx"},
    [T_ECHO] = {"echo", "pppx"},
    [T_STUT] = {"stut", "pppx"},
    [T_STACK] = {"stack", "l"},
    [T_OVERLAY] = {"overlay", "yx"},
    [T_CAT] = {"cat", "l"},
    [T_SLOWCAT] = {"slowcat", "l"},
    [T_FASTCAT] = {"fastcat", "l"},
    [T_RANDCAT] = {"randcat", "l"},
    [T_WRANDCAT] = {"wrandcat", "W"},
    [T_TIMECAT] = {"timeCat", "T"},
    [T_TIMECAT_LOWER] = {"timecat", "T"},
    [T_LAYER] = {"layer", "Lx"},
    [T_STRUCT] = {"struct", "px"},
    [T_MASK] = {"mask", "px"},
    [T_SEW] = {"sew", "pyx"},
    [T_STITCH] = {"stitch", "pyx"},
    [T_EUCLID_INV] = {"euclidInv", "ppx"},
    [T_EUCLID_FULL] = {"euclidFull", "ppyx"},
    [T_EUCLID_OFF_FULL] = {"euclidOffFull", "pppyx"},
    [T_SPREAD] = {"spread", "fvx"},
    [T_SLOWSPREAD] = {"slowspread", "fvx"},
    [T_FASTSPREAD] = {"fastspread", "fvx"},
    [T_SOMECYCLES] = {"somecycles", "fx"},
    [T_SOMECYCLES_BY] = {"somecyclesBy", "pfx"},
    [T_UNDEGRADE_BY] = {"unDegradeBy", "px"},
    [T_ITER_BACK] = {"iter'", "px"},
    [T_WHENMOD] = {"whenmod", "ppfx"},
    [T_BRAK] = {"brak", "x"},
    [T_STUT_WITH] = {"stutWith", "ppfx"},
    [T_ECHO_WITH] = {"echoWith", "ppfx"},
    [T_HURRY] = {"hurry", "px"},
    [T_WITHIN] = {"within", "rfx"},
    [T_WHILE] = {"while", "pfx"},
    [T_CHUNK] = {"chunk", "pfx"},
    [T_CHUNK_BACK] = {"chunk'", "pfx"},
    [T_PRESS] = {"press", "x"},
    [T_PRESS_BY] = {"pressBy", "px"},
    [T_RANGEX] = {"rangex", "nnx"},
    [T_QUANTISE] = {"quantise", "nx"},
    [T_TO_SCALE] = {"toScale", "vx"},
    [T_TO_SCALE_OCTAVE] = {"toScale'", "nvx"},
    [T_ZOOM] = {"zoom", "rx"},
    [T_ZOOM_ARC] = {"zoomArc", "rx"},
    [T_LINGER] = {"linger", "px"},
    [T_COMPRESS] = {"compress", "rx"},
    [T_TRUNC] = {"trunc", "px"},
    [T_WITHIN_ZOOMED] = {"within'", "rfx"},
    [T_CHOOSE] = {"choose", "v"},
    [T_CHOOSE_BY] = {"chooseBy", "pv"},
    [T_WCHOOSE] = {"wchoose", "v"},
    [T_CYCLE_CHOOSE] = {"cycleChoose", "v"},
    [T_ARPEGGIATE] = {"arpeggiate", "x"},
    [T_ARPG] = {"arpg", "x"},
    [T_ROLLED] = {"rolled", "x"},
    [T_ROLLED_BY] = {"rolledBy", "px"},
    [T_FIX] = {"fix", "fcx"},
    [T_UNFIX] = {"unfix", "fcx"},
    [T_CONTRAST] = {"contrast", "ffcx"},
    [T_UR] = {"ur", "npNF"},
    [T_SEQP] = {"seqP", "S"},
    [T_SEQP_LOOP] = {"seqPLoop", "S"},
    [T_WCHOOSE_BY] = {"wchooseBy", "pv"},
    [T_ROT] = {"rot", "px"},
    [T_PLY_WITH] = {"plyWith", "pfx"},
    [T_GHOST] = {"ghost", "x"},
    [T_GHOST_AT] = {"ghost'", "nx"},
    [T_GHOST_WITH] = {"ghostWith", "nfx"},
    [T_SHUFFLE] = {"shuffle", "px"},
    [T_SCRAMBLE] = {"scramble", "px"},
    [T_ARP] = {"arp", "px"},
    [T_SQUEEZE] = {"squeeze", "pl"},
    [T_SELECT] = {"select", "pl"},
    [T_PICK_F] = {"pickF", "pLx"},
    [T_SELECT_F] = {"selectF", "pLx"},
    [T_NTAKE] = {"nTake", "pv"},
    [T_FIT] = {"fit", "pvp"},
    [T_CHOP] = {"chop", "px"},
    [T_STRIATE] = {"striate", "px"},
    [T_STRIATE_BY] = {"striateBy", "ppx"},
    [T_STRIATE_PRIME] = {"striate'", "ppx"},
    [T_SLICE] = {"slice", "ppx"},
    [T_SPLICE] = {"splice", "ppx"},
    [T_RANDSLICE] = {"randslice", "px"},
    [T_BITE] = {"bite", "ppx"},
    [T_CHEW] = {"chew", "ppx"},
    [T_LOOP_AT] = {"loopAt", "px"},
    [T_JUX_BY] = {"juxBy", "nfx"},
    [T_SMASH] = {"smash", "pvx"},
    [T_SMASH_CHOP] = {"smash'", "pvx"},
    [T_GAP] = {"gap", "px"},
    [T_LOOP_FIRST] = {"loopFirst", "x"},
    [T_TIME_LOOP] = {"timeLoop", "nx"},
    [T_ROT_L] = {"rotL", "px"},
    [T_ROT_R] = {"rotR", "px"},
    [T_DISCRETISE] = {"discretise", "px"},
    [T_FAST_GAP] = {"fastGap", "nx"},
    [T_STUTTER] = {"stutter", "ppx"},
    [T_WEDGE] = {"wedge", "gyx"},
    [T_SPACE_OUT] = {"spaceOut", "vx"},
    [T_SPIN] = {"spin", "nx"},
    [T_INV] = {"inv", "x"},
    [T_WEAVE] = {"weave", "nel"},
    [T_WEAVE_WITH] = {"weaveWith", "neL"},
    [T_STEP] = {"step", "ee"},
    [T_STEP_LIST] = {"step'", "ve"},
    [T_STEPS] = {"steps", "v"},
    [T_APPLY] = {"($)", "fx"},
    [T_SPREADF] = {"spreadf", "Lx"},
    [T_ID] = {"id", "x"},
    [T_NCAT] = {"ncat", "T"},
    [T_SPREAD_CHOOSE] = {"spreadChoose", "fvx"},
    [T_SPREADR] = {"spreadr", "fvx"},
    [T_STRIPE] = {"stripe", "px"},
    [T_SLOWSTRIPE] = {"slowstripe", "px"},
    [T_SMOOTH] = {"smooth", "x"},
};

int prog_transform_count(void) { return T_COUNT; }
const char *prog_transform_name(int t) { return transforms[t].name; }
int prog_transform_arity(int t) { return (int)strlen(transforms[t].signature); }

int prog_transform_lookup(const char *name, size_t length) {
  for (int t = 0; t < T_COUNT; ++t)
    if (prog_name_is(name, length, transforms[t].name))
      return t;
  return -1;
}

static const pat_pattern *pure(prog_compiler *c, double number) {
  return prog_checked(c, pat_number(c->program->store, number));
}

static const pat_pattern *to_pattern(prog_compiler *c, int t, const prog_value *v) {
  const pat_pattern *p = v->kind == V_CONTROLS ? NULL : prog_as_pattern(c, v);
  if (p)
    return p;
  prog_fail(c, v->line, v->column, "%s expects a pattern or a number here, not %s",
            transforms[t].name, prog_value_kind_name(v));
}

static const prog_value *to_function(prog_compiler *c, int t, const prog_value *v) {
  if (v->kind != V_FUNC)
    prog_fail(c, v->line, v->column, "%s expects a function here, like (fast 2) or rev, not %s",
              transforms[t].name, prog_value_kind_name(v));
  return v;
}

/* Arguments are checked as they arrive, so `every 2 $ s "~x"` says what is
   wrong at the argument rather than at the end of the line. */
void prog_transform_check_argument(prog_compiler *c, int t, int position, const prog_value *v) {
  char kind = transforms[t].signature[position];
  if (kind == 'p')
    to_pattern(c, t, v);
  if (kind == 'f')
    to_function(c, t, v);
  if (strchr("lLvTWNFS", kind))
    prog_list_items(c, transforms[t].name, v,
                    kind == 'T'   ? "[(1, s \"bd*4\"), (1, s \"hh*8\")]"
                    : kind == 'N' ? "[(\"a\", s \"bd*4\"), (\"b\", s \"hh*8\")]"
                    : kind == 'F' ? "[(\"faster\", fast 2)]"
                    : kind == 'S' ? "[(0, 12, s \"bd bd*2\"), (4, 12, s \"hh*2\")]"
                    : kind == 'W' ? "[(s \"bd*2\", 0.5), (s \"hh*3\", 0.25)]"
                    : kind == 'L' ? "[rev, fast 2]"
                    : kind == 'v' ? "[1, 2]"
                                  : "[s \"bd*2\", s \"hh*3\"]");
  if (kind == 'y') {
    int any = -1;
    prog_list_pattern(c, transforms[t].name, v, &any);
  }
  if (kind == 'r' &&
      (v->kind != V_LIST || !v->tuple || v->item_count != 2 || v->items[0].kind != V_NUMBER ||
       v->items[1].kind != V_NUMBER || !(v->items[0].number >= 0.0) ||
       !(v->items[1].number <= 1.0) || !(v->items[0].number <= v->items[1].number)))
    prog_fail(c, v->line, v->column,
              "%s takes a part of the cycle (begin, end), from 0 to 1, like %s (0.25, 0.75)",
              transforms[t].name, transforms[t].name);
  if (kind == 'n' && (v->kind != V_NUMBER || !(v->number > 0.0) || v->number > 1e6))
    prog_fail(c, v->line, v->column, "%s takes a positive number here, like %s, not %s",
              transforms[t].name,
              t == T_RANGEX            ? "rangex 20 2000 sine"
              : t == T_QUANTISE        ? "quantise 1"
              : t == T_TO_SCALE_OCTAVE ? "toScale' 12 [0, 2, 4] \"0 1 2\""
              : t == T_TIME_LOOP       ? "timeLoop 4"
              : t == T_FAST_GAP        ? "fastGap 2"
              : t == T_UR              ? "ur 12 \"a b\" [(\"a\", s \"bd\"), (\"b\", s \"hh\")] []"
              : t == T_JUX_BY          ? "juxBy 0.5 rev"
                                       : "ghost' (1/16)",
              v->kind == V_NUMBER ? "that number" : prog_value_kind_name(v));
}

/* The subject (`x`, the last argument) with its pattern replaced. */
static prog_value with_pattern(prog_compiler *c, prog_value x, const pat_pattern *p) {
  x.pattern = prog_checked(c, p);
  return x;
}

/* f applied to x must give the same kind of thing back. */
static prog_value apply_function(prog_compiler *c, int t, const prog_value *f, prog_value x,
                                 int line, int column) {
  prog_value fx = prog_apply(c, *f, &x, 1, line, column);
  if (x.kind == V_CONTROLS && fx.kind == V_CONTROLS)
    return fx;
  if (x.kind == V_PATTERN && fx.kind != V_CONTROLS && prog_as_pattern(c, &fx))
    return with_pattern(c, x, prog_as_pattern(c, &fx));
  prog_fail(c, f->line, f->column, "the function given to %s turned %s into %s", transforms[t].name,
            prog_value_kind_name(&x), prog_value_kind_name(&fx));
}

prog_value prog_transform_apply(prog_compiler *c, int t, const prog_value *f, prog_value x,
                                int line, int column) {
  return apply_function(c, t, f, x, line, column);
}

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
  return apply_function(w->c, w->t, w->f, with_pattern(w->c, w->x, q), w->line, w->column).pattern;
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

/* A function of lists alone: stack, cat, fastcat, randcat, wrandcat, timeCat. */
static prog_value list_call(prog_compiler *c, int t, const prog_value *list, int line, int column) {
  const char *name = transforms[t].name;
  int kind = -1;
  bool uses_macro = false;
  double *weights = NULL;
  const pat_pattern **items =
      t == T_TIMECAT || t == T_TIMECAT_LOWER || t == T_WRANDCAT
          ? prog_list_pairs(c, name, list, t != T_WRANDCAT, &weights, &kind, &uses_macro)
          : prog_list_patterns(c, name, list, &kind, &uses_macro);
  size_t n = (size_t)list->item_count;
  pat_store *s = c->program->store;
  const pat_pattern *p = t == T_STACK      ? pat_stack(s, items, n)
                         : t == T_FASTCAT  ? pat_fastcat(s, items, n)
                         : t == T_RANDCAT  ? pat_randcat(s, items, n)
                         : t == T_WRANDCAT ? pat_wrandcat(s, weights, items, n)
                         : t == T_TIMECAT || t == T_TIMECAT_LOWER
                             ? pat_timecat(s, weights, items, n)
                             : pat_slowcat(s, items, n);
  prog_value v = *list;
  v.kind = kind == V_PATTERN ? V_PATTERN : V_CONTROLS; /* [] is silence, as `silence` */
  v.items = NULL;
  v.item_count = 0;
  v.tuple = false;
  v.line = line;
  v.column = column;
  v.uses_macro = uses_macro;
  v.pattern = prog_checked(c, p);
  return v;
}

/* An argument of the subject's kind (overlay, sew, stitch, euclidFull). */
static const pat_pattern *same_kind(prog_compiler *c, int t, const prog_value *v,
                                    const prog_value *x) {
  int kind = x->kind == V_CONTROLS ? V_CONTROLS : V_PATTERN;
  return prog_list_pattern(c, transforms[t].name, v, &kind);
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
      s, pure(c, 1), pat_choose_by(s, pat_signal(s, PAT_SIGNAL_RAND, 0), indices, (size_t)n));
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
      to_function(c, t, &f);
    else
      f = prog_apply(c, args[0], &list->items[i], 1, list->items[i].line, list->items[i].column);
    out[i] = apply_function(c, t, &f, x, line, column).pattern;
  }
  pat_store *s = c->program->store;
  if (t == T_SPREAD_CHOOSE || t == T_SPREADR)
    return with_pattern(c, x, spread_choose(c, out, n));
  return with_pattern(c, x,
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
    prog_value zoomed = with_pattern(c, x, pat_zoom(s, begin, end, x.pattern));
    changed = pat_compress(s, begin, end, apply_function(c, t, f, zoomed, line, column).pattern);
  } else
    changed = apply_function(c, t, f, x, line, column).pattern;
  return with_pattern(c, x,
                      pat_stack2(s, pat_play_when_in(s, begin, end, false, changed),
                                 pat_play_when_in(s, begin, end, true, x.pattern)));
}

/* Tidal's sample functions (chop, striate, slice, ..., loopAt; bite works
   on any pattern): the engine's, on a line's events. */
static prog_value sample_function(prog_compiler *c, int t, const pat_pattern *const *a,
                                  const prog_value *args, prog_value x) {
  if (t != T_BITE && x.kind != V_CONTROLS)
    prog_fail(c, x.line, x.column, "%s cuts sounds: it needs events, like %s $ s \"bev\"",
              transforms[t].name,
              t == T_SLICE || t == T_SPLICE               ? "slice 4 \"0 2\""
              : t == T_STRIATE_BY || t == T_STRIATE_PRIME ? "striateBy 4 (1/8)"
              : t == T_CHEW                               ? "chew 4 \"0 [1 2]\""
                                                          : "chop 4");
  pat_store *s = c->program->store;
  const pat_pattern *p = x.pattern;
  switch (t) {
  case T_CHOP:
    return with_pattern(c, x, pat_chop(s, a[0], p));
  case T_STRIATE:
    return with_pattern(c, x, pat_striate(s, a[0], p));
  case T_STRIATE_BY:
  case T_STRIATE_PRIME:
    return with_pattern(c, x, pat_striate_by(s, a[0], a[1], p));
  case T_SLICE:
    return with_pattern(c, x, pat_slice(s, a[0], a[1], p));
  case T_SPLICE:
    return with_pattern(c, x, pat_splice(s, a[0], a[1], p));
  case T_RANDSLICE:
    return with_pattern(c, x, pat_randslice(s, a[0], p));
  case T_BITE:
    return with_pattern(c, x, pat_bite(s, a[0], a[1], p));
  case T_CHEW:
    return with_pattern(c, x, pat_chew(s, a[0], a[1], p));
  case T_GAP:
    return with_pattern(c, x, pat_gap(s, a[0], p));
  case T_SMASH:
  case T_SMASH_CHOP: {
    const prog_value *list = &args[1];
    int n = list->item_count;
    const pat_pattern **factors = prog_alloc(c, (size_t)(n ? n : 1) * sizeof *factors);
    for (int i = 0; i < n; ++i) {
      int kind = V_PATTERN; /* slow factors: numbers or patterns of them */
      factors[i] = prog_list_pattern(c, transforms[t].name, &list->items[i], &kind);
    }
    return with_pattern(c, x, pat_smash(s, a[0], factors, (size_t)n, t == T_SMASH_CHOP, p));
  }
  default: /* T_LOOP_AT */
    return with_pattern(c, x, pat_loop_at(s, a[0], p));
  }
}

/* Tidal's spaceOut [a, b, ...] p: p at speeds 1/a, 1/b, ... one after
   another, over a + b + ... cycles (each cycle of p compressed into its
   share, the whole slowed). */
static prog_value space_out(prog_compiler *c, int t, const prog_value *list, prog_value x) {
  int n = list->item_count;
  double total = 0;
  for (int i = 0; i < n; ++i) {
    const prog_value *item = &list->items[i];
    if (item->kind != V_NUMBER || !(item->number > 0) || item->number > 1e6)
      prog_fail(c, item->line, item->column,
                "%s takes lengths in cycles, positive numbers like [1, 0.5, 2], not %s",
                transforms[t].name,
                item->kind == V_NUMBER ? "that number" : prog_value_kind_name(item));
    total += item->number;
  }
  if (n == 0)
    return with_pattern(c, x, prog_silence(c));
  pat_store *s = c->program->store;
  const pat_pattern **parts = prog_alloc(c, (size_t)n * sizeof *parts);
  double begin = 0;
  for (int i = 0; i < n; ++i) {
    double end = i == n - 1 ? total : begin + list->items[i].number;
    parts[i] = prog_checked(c, pat_compress(s, begin / total, end / total, x.pattern));
    begin = end;
  }
  return with_pattern(c, x, pat_slow(s, pure(c, total), pat_stack(s, parts, (size_t)n)));
}

/* rangex, quantise, toScale, toScale': functions of each number. */
static prog_value map_numbers(prog_compiler *c, int t, const prog_value *args, prog_value x) {
  if (x.kind != V_PATTERN)
    prog_fail(c, x.line, x.column, "%s works on numbers, like %s (\"0 1 2\"), not on events",
              transforms[t].name, t == T_QUANTISE ? "quantise 1" : "toScale [0, 2, 4]");
  pat_store *s = c->program->store;
  if (t == T_RANGEX)
    return with_pattern(c, x, pat_rangex(s, args[0].number, args[1].number, x.pattern));
  if (t == T_QUANTISE)
    return with_pattern(c, x, pat_quantise(s, args[0].number, x.pattern));
  const prog_value *list = &args[t == T_TO_SCALE ? 0 : 1];
  int n = list->item_count;
  if (n == 0)
    prog_fail(c, list->line, list->column, "%s needs at least one step, like [0, 2, 4]",
              transforms[t].name);
  double *steps = prog_alloc(c, (size_t)n * sizeof *steps);
  for (int i = 0; i < n; ++i) {
    if (list->items[i].kind != V_NUMBER)
      prog_fail(c, list->items[i].line, list->items[i].column,
                "%s's steps are numbers, like [0, 2, 4], not %s", transforms[t].name,
                prog_value_kind_name(&list->items[i]));
    steps[i] = list->items[i].number;
  }
  double octave = t == T_TO_SCALE ? 12.0 : args[0].number;
  return with_pattern(c, x, pat_to_scale(s, octave, steps, (size_t)n, x.pattern));
}

static double number_item(prog_compiler *c, int t, const prog_value *v) {
  if (v->kind != V_NUMBER || !isfinite(v->number))
    prog_fail(c, v->line, v->column, "%s chooses among numbers, like %s, not %s",
              transforms[t].name,
              t == T_WCHOOSE || t == T_WCHOOSE_BY ? "[(0, 1), (7, 0.5)]" : "[0, 2, 7]",
              prog_value_kind_name(v));
  return v->number;
}

/* choose xs = chooseBy rand xs; cycleChoose = segment 1 . choose;
   wchoose [(x, weight), ...] = wchooseBy rand ... (numbers only). */
static prog_value choose(prog_compiler *c, int t, const prog_value *args, int line, int column) {
  bool weighted = t == T_WCHOOSE || t == T_WCHOOSE_BY, by = t == T_CHOOSE_BY || t == T_WCHOOSE_BY;
  const prog_value *list = &args[by ? 1 : 0];
  int n = list->item_count;
  if (n == 0 || n > 256)
    prog_fail(c, list->line, list->column, "%s takes from 1 to 256 values", transforms[t].name);
  pat_store *s = c->program->store;
  double *table = prog_alloc(c, 2 * (size_t)n * sizeof *table);
  for (int i = 0; i < n; ++i) {
    const prog_value *item = &list->items[i];
    if (!weighted) {
      table[i] = number_item(c, t, item);
      continue;
    }
    if (item->kind != V_LIST || !item->tuple || item->item_count != 2)
      prog_fail(c, item->line, item->column,
                "%s takes (value, weight) pairs, like [(0, 1), (7, 0.5)], not %s",
                transforms[t].name, prog_value_kind_name(item));
    table[i] = number_item(c, t, &item->items[0]);
    table[n + i] = number_item(c, t, &item->items[1]);
    if (!(table[n + i] >= 0))
      prog_fail(c, item->items[1].line, item->items[1].column, "%s's weights are 0 or more",
                transforms[t].name);
  }
  const pat_pattern *f = by ? to_pattern(c, t, &args[0]) : pat_signal(s, PAT_SIGNAL_RAND, 0);
  const pat_pattern *p =
      weighted ? pat_wchoose_by(s, f, table, (size_t)n) : pat_choose_by(s, f, table, (size_t)n);
  if (t == T_CYCLE_CHOOSE)
    p = pat_segment(s, pure(c, 1), p);
  if (!p && weighted)
    prog_fail(c, list->line, list->column, "%s needs a weight above 0", transforms[t].name);
  prog_value v = {.kind = V_PATTERN, .line = line, .column = column};
  v.pattern = prog_checked(c, p);
  return v;
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
              transforms[t].name, t == T_GHOST ? "ghost" : "ghost' 0.125");
  prog_value layer = x;
  for (int i = 0; i < 2; ++i) {
    const pat_pattern *changed;
    if (t == T_GHOST_WITH)
      changed = apply_function(c, t, &args[1], layer, line, column).pattern;
    else
      changed = pat_combine(
          s, PAT_OP_MUL, PAT_STRUCTURE_BOTH,
          pat_combine(s, PAT_OP_SET, PAT_STRUCTURE_LEFT,
                      pat_combine(s, PAT_OP_MUL, PAT_STRUCTURE_BOTH, layer.pattern,
                                  pat_control_pattern(s, PAT_CONTROL_SPEED, pure(c, 1.25))),
                      pat_control_pattern(s, PAT_CONTROL_END, pure(c, 0.2))),
          pat_control_pattern(s, PAT_CONTROL_GAIN, pure(c, 0.7)));
    layer = with_pattern(
        c, layer,
        pat_stack2(s, layer.pattern, pat_late(s, pure(c, a * (i == 0 ? 1.5 : 2.5)), changed)));
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
    items[i] = apply_function(c, t, to_function(c, t, &list->items[i]), x, line, column).pattern;
  return with_pattern(c, x,
                      pat_pick(c->program->store, t == T_PICK_F ? PAT_PICK_MOD : PAT_PICK_SELECT_F,
                               index, items, (size_t)n));
}

/* select f [p, q], squeeze i [p, q], fit step [x, y] i: a pattern of
   numbers choosing among a list (fit's of values: numbers or names). */
static prog_value choose_among(prog_compiler *c, int t, const prog_value *args, int line,
                               int column) {
  const prog_value *list = &args[1];
  int kind = -1, n = list->item_count;
  bool uses_macro = false;
  const pat_pattern **items;
  if (t == T_FIT) {
    items = prog_alloc(c, (size_t)(n ? n : 1) * sizeof *items);
    for (int i = 0; i < n; ++i) {
      const prog_value *item = &list->items[i];
      items[i] =
          item->kind == V_PATTERN || item->kind == V_NUMBER ? prog_as_pattern(c, item) : NULL;
      if (!items[i])
        prog_fail(c, item->line, item->column,
                  "fit chooses among values, like [\"bd\", \"sn\"] or [0, 7], not %s",
                  prog_value_kind_name(item));
      uses_macro = uses_macro || item->uses_macro;
    }
  } else {
    items = prog_list_patterns(c, transforms[t].name, list, &kind, &uses_macro);
  }
  pat_store *s = c->program->store;
  const pat_pattern *index = to_pattern(c, t, &args[t == T_FIT ? 2 : 0]);
  const pat_pattern *p = t == T_FIT
                             ? pat_fit(s, to_pattern(c, t, &args[0]), items, (size_t)n, index)
                             : pat_pick(s, t == T_SELECT ? PAT_PICK_SELECT : PAT_PICK_SQUEEZE,
                                        index, items, (size_t)n);
  prog_value v = {.kind = kind == V_CONTROLS ? V_CONTROLS : V_PATTERN,
                  .line = line,
                  .column = column,
                  .uses_macro = uses_macro};
  v.pattern = prog_checked(c, p);
  return v;
}

/* nTake name [x, y]: n takes the values in turn, one per event of the
   line it is combined with (the name is Tidal's state name: each line
   counts its own events here). */
static prog_value take_in_turn(prog_compiler *c, int t, const prog_value *args, int line,
                               int column) {
  const prog_value *list = &args[1];
  int n = list->item_count;
  if (n == 0 || n > 256)
    prog_fail(c, list->line, list->column, "nTake takes from 1 to 256 values");
  double *values = prog_alloc(c, (size_t)n * sizeof *values);
  for (int i = 0; i < n; ++i)
    values[i] = number_item(c, t, &list->items[i]);
  prog_value v = {.kind = V_CONTROLS, .line = line, .column = column};
  v.pattern = prog_checked(c, pat_ntake(c->program->store, PAT_CONTROL_N, values, (size_t)n));
  return v;
}

prog_value prog_transform_call(prog_compiler *c, int t, const prog_value *args, int line,
                               int column) {
  const char *signature = transforms[t].signature;
  int arity = (int)strlen(signature);
  if (t == T_CHOOSE || t == T_CHOOSE_BY || t == T_WCHOOSE || t == T_CYCLE_CHOOSE ||
      t == T_WCHOOSE_BY)
    return choose(c, t, args, line, column);
  if (t == T_UR)
    return prog_ur(c, t, args, line, column);
  if (t == T_WEAVE || t == T_WEAVE_WITH)
    return prog_weave(c, t, t == T_WEAVE_WITH, args, line, column);
  if (t == T_STEP || t == T_STEP_LIST || t == T_STEPS)
    return prog_steps(c, t, t == T_STEP ? 0 : t == T_STEP_LIST ? 1 : 2, args, line, column);
  if (t == T_SEQP || t == T_SEQP_LOOP || t == T_NCAT)
    return prog_seqp(c, t, t != T_SEQP, t == T_NCAT, &args[0], line, column);
  if (t == T_SELECT || t == T_SQUEEZE || t == T_FIT)
    return choose_among(c, t, args, line, column);
  if (t == T_NTAKE)
    return take_in_turn(c, t, args, line, column);
  if (signature[arity - 1] != 'x')
    return list_call(c, t, &args[0], line, column);
  prog_value x = args[arity - 1];
  if (x.kind != V_CONTROLS && x.kind != V_NUMBER && !(x.kind == V_PATTERN && x.pattern))
    prog_fail(c, x.line, x.column, "%s works on patterns and events, not on %s", transforms[t].name,
              prog_value_kind_name(&x));
  if (x.kind == V_NUMBER) {
    x = with_pattern(c, x, pure(c, x.number));
    x.kind = V_PATTERN;
  }
  x.line = line;
  x.column = column;
  const pat_pattern *a[PROG_FUNC_ARGS] = {NULL};
  for (int i = 0; i < arity - 1; ++i)
    if (signature[i] == 'p')
      a[i] = to_pattern(c, t, &args[i]);
  const prog_value *f = NULL;
  for (int i = 0; i < arity - 1; ++i)
    if (signature[i] == 'f')
      f = to_function(c, t, &args[i]);
  pat_store *s = c->program->store;
  const pat_pattern *p = x.pattern;
  switch (t) {
  case T_FAST:
  case T_DENSITY:
    return with_pattern(c, x, pat_fast(s, a[0], p));
  case T_SLOW:
    return with_pattern(c, x, pat_slow(s, a[0], p));
  case T_REV:
    return with_pattern(c, x, pat_rev(s, p));
  case T_PALINDROME:
    return with_pattern(c, x, pat_palindrome(s, p));
  case T_ITER:
    return with_pattern(c, x, pat_iter(s, a[0], p));
  case T_PLY:
    return with_pattern(c, x, pat_ply(s, a[0], p));
  case T_SEGMENT:
    return with_pattern(c, x, pat_segment(s, a[0], p));
  case T_LATE:
    return with_pattern(c, x, pat_late(s, a[0], p));
  case T_EARLY:
    return with_pattern(c, x, pat_early(s, a[0], p));
  case T_DEGRADE_BY:
    return with_pattern(c, x, pat_degrade_by(s, a[0], p));
  case T_DEGRADE:
    return with_pattern(c, x, pat_degrade_by(s, pure(c, 0.5), p));
  case T_EUCLID:
    return with_pattern(c, x, pat_euclid(s, a[0], a[1], pure(c, 0), p));
  case T_EUCLID_OFF:
  case T_EOFF:
    return with_pattern(c, x, pat_euclid(s, a[0], a[1], a[2], p));
  case T_ECHO:
    return with_pattern(c, x, pat_echo(s, a[0], a[1], a[2], p));
  case T_STUT:
    return with_pattern(c, x, pat_stut(s, a[0], a[1], a[2], p));
  case T_EVERY:
  case T_FIRST_OF:
    return with_pattern(c, x,
                        pat_every(s, a[0], apply_function(c, t, f, x, line, column).pattern, p));
  case T_LAST_OF:
    return with_pattern(c, x,
                        pat_last_of(s, a[0], apply_function(c, t, f, x, line, column).pattern, p));
  case T_JUX:
    return with_pattern(c, x, pat_jux(s, apply_function(c, t, f, x, line, column).pattern, p));
  case T_JUX_BY:
    return with_pattern(
        c, x, pat_jux_by(s, args[0].number, apply_function(c, t, f, x, line, column).pattern, p));
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
    const pat_pattern *amount = t == T_SOMETIMES_BY ? a[0] : pure(c, amounts[t]);
    function_context w = {c, t, line, column, f, x};
    return with_pattern(c, x, pat_sometimes_by(s, amount, apply_to_placeholder, &w, p));
  }
  case T_SOME_CYCLES_BY:
  case T_SOME_CYCLES:
  case T_SOMECYCLES_BY:
  case T_SOMECYCLES: {
    const pat_pattern *amount = t == T_SOME_CYCLES_BY || t == T_SOMECYCLES_BY ? a[0] : pure(c, 0.5);
    function_context w = {c, t, line, column, f, x};
    return with_pattern(c, x, pat_some_cycles_by(s, amount, apply_to_placeholder, &w, p));
  }
  case T_INSIDE:
  case T_OUTSIDE: {
    function_context w = {c, t, line, column, f, x};
    return with_pattern(c, x, pat_inside(s, a[0], t == T_OUTSIDE, apply_to_placeholder, &w, p));
  }
  case T_SWING_BY:
  case T_SWING: {
    swing_delay delay = {t == T_SWING_BY ? a[0] : pure(c, 1.0 / 3.0)};
    return with_pattern(c, x, pat_inside(s, a[t == T_SWING_BY ? 1 : 0], false, swing, &delay, p));
  }
  case T_ALWAYS:
    return apply_function(c, t, f, x, line, column);
  case T_NEVER:
    return x;
  case T_OFF: {
    function_context w = {c, t, line, column, f, x};
    return with_pattern(c, x, pat_off(s, a[0], apply_to_placeholder, &w, p));
  }
  case T_SUPERIMPOSE: {
    function_context w = {c, t, line, column, f, x};
    return with_pattern(c, x, pat_superimpose(s, apply_to_placeholder, &w, p));
  }
  case T_OVERLAY:
    return with_pattern(c, x, pat_stack2(s, same_kind(c, t, &args[0], &x), p));
  case T_ID:
    return x;
  case T_APPLY: /* ($) f x = f x */
    return apply_function(c, t, f, x, line, column);
  case T_LAYER:
  case T_SPREAD_CHOOSE:
  case T_SPREADR:
  case T_SPREADF:
  case T_SPREAD:
  case T_SLOWSPREAD:
  case T_FASTSPREAD:
    return apply_each(c, t, args, x, line, column);
  case T_STRUCT:
    return with_pattern(c, x, pat_struct(s, a[0], p));
  case T_MASK:
    return with_pattern(c, x, pat_mask(s, a[0], p));
  case T_SEW:
    return with_pattern(c, x, pat_sew(s, a[0], same_kind(c, t, &args[1], &x), p));
  case T_STITCH:
    return with_pattern(c, x, pat_stitch(s, a[0], same_kind(c, t, &args[1], &x), p));
  case T_EUCLID_INV:
    return with_pattern(c, x, pat_euclid_inv(s, a[0], a[1], NULL, p));
  case T_EUCLID_FULL:
  case T_EUCLID_OFF_FULL: {
    const pat_pattern *rotation = t == T_EUCLID_OFF_FULL ? a[2] : NULL;
    const pat_pattern *first = same_kind(c, t, &args[arity - 2], &x);
    return with_pattern(c, x,
                        pat_stack2(s, pat_euclid(s, a[0], a[1], rotation, first),
                                   pat_euclid_inv(s, a[0], a[1], rotation, p)));
  }
  case T_UNDEGRADE_BY:
    return with_pattern(c, x, pat_undegrade_by(s, a[0], p));
  case T_ITER_BACK:
    return with_pattern(c, x, pat_iter_back(s, a[0], p));
  case T_WHENMOD:
    return with_pattern(
        c, x, pat_whenmod(s, a[0], a[1], apply_function(c, t, f, x, line, column).pattern, p));
  case T_BRAK: {
    /* when (cycle is odd) (late 0.25 . fastcat [p, silence]) */
    const pat_pattern *halves[2] = {p, pat_silence(s)};
    const pat_pattern *moved = pat_late(s, pure(c, 0.25), pat_fastcat(s, halves, 2));
    return with_pattern(c, x, pat_last_of(s, pure(c, 2), moved, p));
  }
  case T_STUT_WITH:
  case T_ECHO_WITH:
  case T_PLY_WITH: {
    function_context w = {c, t, line, column, f, x};
    return with_pattern(c, x,
                        t == T_PLY_WITH
                            ? pat_ply_with(s, a[0], apply_to_placeholder, &w, p)
                            : pat_stut_with(s, a[0], a[1], apply_to_placeholder, &w, p));
  }
  case T_HURRY:
    if (x.kind != V_CONTROLS)
      prog_fail(c, x.line, x.column,
                "hurry speeds up sounds: it needs events, like hurry 2 $ s \"bd sn\"");
    /* fast r p |* speed r */
    return with_pattern(c, x,
                        pat_combine(s, PAT_OP_MUL, PAT_STRUCTURE_LEFT, pat_fast(s, a[0], p),
                                    pat_control_pattern(s, PAT_CONTROL_SPEED, a[0])));
  case T_WITHIN:
  case T_WITHIN_ZOOMED:
    return within(c, t, args[0].items[0].number, args[0].items[1].number, f, x, line, column);
  case T_WHILE:
    /* sew b (f p) p */
    return with_pattern(c, x,
                        pat_sew(s, a[0], apply_function(c, t, f, x, line, column).pattern, p));
  case T_RANGEX:
  case T_QUANTISE:
  case T_TO_SCALE:
  case T_TO_SCALE_OCTAVE:
    return map_numbers(c, t, args, x);
  case T_ZOOM:
  case T_ZOOM_ARC:
    return with_pattern(c, x, pat_zoom(s, args[0].items[0].number, args[0].items[1].number, p));
  case T_LINGER:
    return with_pattern(c, x, pat_linger(s, a[0], p));
  case T_ARPEGGIATE:
  case T_ARPG:
    return with_pattern(c, x, pat_arpeggiate(s, p));
  case T_ROLLED:
  case T_ROLLED_BY:
    return with_pattern(c, x, pat_rolled_by(s, t == T_ROLLED ? pure(c, 0.25) : a[0], p));
  case T_COMPRESS:
    return with_pattern(c, x, pat_compress(s, args[0].items[0].number, args[0].items[1].number, p));
  case T_TRUNC:
    return with_pattern(c, x, pat_trunc(s, a[0], p));
  case T_STRIPE:
  case T_SLOWSTRIPE:
    return with_pattern(c, x, pat_stripe(s, a[0], t == T_SLOWSTRIPE, p));
  case T_SMOOTH:
    return with_pattern(c, x, pat_smooth(s, p));
  case T_PRESS:
    return with_pattern(c, x, pat_press_by(s, pure(c, 0.5), p));
  case T_PRESS_BY:
    return with_pattern(c, x, pat_press_by(s, a[0], p));
  case T_CHUNK:
  case T_CHUNK_BACK:
    return with_pattern(
        c, x,
        pat_chunk(s, a[0], t == T_CHUNK_BACK, apply_function(c, t, f, x, line, column).pattern, p));
  case T_ROT:
    return with_pattern(c, x, pat_rot(s, a[0], p));
  case T_SHUFFLE:
  case T_SCRAMBLE:
    return with_pattern(c, x, pat_shuffle(s, a[0], t == T_SCRAMBLE, p));
  case T_ARP:
    return with_pattern(c, x, pat_arp(s, a[0], p));
  case T_GHOST:
  case T_GHOST_AT:
  case T_GHOST_WITH:
    return ghost(c, t, args, x, line, column);
  case T_PICK_F:
  case T_SELECT_F:
    return pick_function(c, t, args, a[0], x, line, column);
  case T_STUTTER:
    return with_pattern(c, x, pat_stut_with(s, a[0], a[1], unchanged, NULL, p));
  case T_LOOP_FIRST:
  case T_TIME_LOOP:
    return with_pattern(c, x, pat_time_loop(s, t == T_TIME_LOOP ? args[0].number : 1, p));
  case T_ROT_L:
    return with_pattern(c, x, pat_early(s, a[0], p));
  case T_ROT_R:
    return with_pattern(c, x, pat_late(s, a[0], p));
  case T_DISCRETISE:
    return with_pattern(c, x, pat_segment(s, a[0], p));
  case T_FAST_GAP: /* Tidal's _fastGap r: r below 1 counts as 1 */
    return with_pattern(c, x, pat_compress(s, 0, 1 / fmax(args[0].number, 1), p));
  case T_WEDGE: {
    /* Tidal's wedge t p p': p squeezed into the first t of each cycle, p' the rest */
    double share = args[0].number;
    if (share < 0)
      prog_fail(c, args[0].line, args[0].column, "wedge takes a part of the cycle from 0 to 1");
    const pat_pattern *first = same_kind(c, t, &args[1], &x);
    return with_pattern(c, x,
                        share == 0   ? p
                        : share == 1 ? first
                                     : pat_stack2(s, pat_compress(s, 0, share, first),
                                                  pat_compress(s, share, 1, p)));
  }
  case T_SPACE_OUT:
    return space_out(c, t, &args[0], x);
  case T_SPIN: {
    /* Tidal's _spin n: stack [i/n <~ p # pan (i/n) | i <- [0 .. n-1]] */
    if (x.kind != V_CONTROLS || args[0].number > 64)
      prog_fail(c, args[0].line, args[0].column,
                "spin takes from 1 to 64 copies of events, like spin 4 $ s \"bd sn\"");
    int n = (int)args[0].number > 0 ? (int)args[0].number : 1;
    const pat_pattern **copies = prog_alloc(c, (size_t)n * sizeof *copies);
    for (int i = 0; i < n; ++i)
      copies[i] = prog_checked(
          c, pat_combine(s, PAT_OP_SET, PAT_STRUCTURE_LEFT, pat_early(s, pure(c, (double)i / n), p),
                         pat_control_pattern(s, PAT_CONTROL_PAN, pure(c, (double)i / n))));
    return with_pattern(c, x, pat_stack(s, copies, (size_t)n));
  }
  case T_INV: /* the booleans' structure, true where false (1) and false where true (0) */
    if (x.kind != V_PATTERN)
      prog_fail(c, x.line, x.column, "inv inverts booleans, like inv \"t f\", not events");
    return with_pattern(c, x, pat_stitch(s, p, pure(c, 0), pure(c, 1)));
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
