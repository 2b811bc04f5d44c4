/* Pattern transforms (fast, every, jux, ...) on plain patterns and on output
   layers. A layer's controls follow time transforms (fast, rev, late) but not
   filters (degradeBy, euclid, ply), which act on the structure only, so the
   controls are read at the new onsets, as Strudel reads them. Transforms that
   pick between two versions of a line split it into layers, so each event
   keeps its own controls: every and jux gate the layers with silence,
   sometimes splits the events it leaves from those it hands to f. */
#include <math.h>
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
  T_COUNT
} transform_id;

/* Argument kinds, in order: p = pattern, n = number, f = function, x = the subject. */
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
    [T_INSIDE] = {"inside", "nfx"},
    [T_OUTSIDE] = {"outside", "nfx"},
    [T_SWING_BY] = {"swingBy", "nnx"},
    [T_SWING] = {"swing", "nx"},
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

static const pat_pattern *checked(prog_compiler *c, const pat_pattern *p) {
  if (!p)
    prog_fail(c, 0, 0, "out of memory");
  return p;
}

static const pat_pattern *pure(prog_compiler *c, double number) {
  return checked(c, pat_number(c->program->store, number));
}

static const pat_pattern *to_pattern(prog_compiler *c, int t, const prog_value *v) {
  if (v->kind == V_NUMBER)
    return pure(c, v->number);
  if (v->kind == V_ONSET && v->pattern)
    return v->pattern;
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
  if (kind == 'n' && (v->kind != V_NUMBER || !(v->number > 0.0) || v->number > 1e6))
    prog_fail(c, v->line, v->column, "%s takes a positive number here, like %s, not %s",
              transforms[t].name,
              t == T_SWING_BY ? "swingBy (1/3) 4"
              : t == T_SWING  ? "swing 4"
                              : "inside 2 rev",
              v->kind == V_NUMBER ? "that number" : prog_value_kind_name(v));
}

/* ---- one-pattern transforms ---------------------------------------------------------- */

typedef struct {
  int t;
  const pat_pattern *args[3];
} pattern_op;

static bool is_time_map(int t) {
  return t == T_FAST || t == T_DENSITY || t == T_SLOW || t == T_REV || t == T_PALINDROME ||
         t == T_ITER || t == T_LATE || t == T_EARLY;
}

static const pat_pattern *run_op(prog_compiler *c, const pattern_op *op, const pat_pattern *p) {
  pat_store *s = c->program->store;
  const pat_pattern *const *a = op->args;
  switch (op->t) {
  case T_FAST:
  case T_DENSITY:
    return checked(c, pat_fast(s, a[0], p));
  case T_SLOW:
    return checked(c, pat_slow(s, a[0], p));
  case T_REV:
    return checked(c, pat_rev(s, p));
  case T_PALINDROME:
    return checked(c, pat_palindrome(s, p));
  case T_ITER:
    return checked(c, pat_iter(s, a[0], p));
  case T_PLY:
    return checked(c, pat_ply(s, a[0], p));
  case T_SEGMENT:
    return checked(c, pat_segment(s, a[0], p));
  case T_LATE:
    return checked(c, pat_late(s, a[0], p));
  case T_EARLY:
    return checked(c, pat_early(s, a[0], p));
  case T_DEGRADE_BY:
  case T_DEGRADE:
    return checked(c, pat_degrade_by(s, a[0], p));
  case T_EUCLID:
    return checked(c, pat_euclid(s, a[0], a[1], pure(c, 0), p));
  case T_EUCLID_OFF:
  case T_EOFF:
    return checked(c, pat_euclid(s, a[0], a[1], a[2], p));
  case T_ECHO:
    return checked(c, pat_echo(s, a[0], a[1], a[2], p));
  case T_STUT:
    return checked(c, pat_echo(s, a[0], a[2], a[1], p));
  default:
    prog_fail(c, 0, 0, "internal error: not a pattern transform");
  }
}

/* A copy of an onset expression with its patterns transformed. */
static int32_t map_oe(prog_compiler *c, int32_t index, const pattern_op *op) {
  prog_oe oe = c->program->oes[index];
  if (oe.kind == OE_CONST || oe.kind == OE_MACRO || oe.kind == OE_EVENT_VALUE)
    return index;
  int32_t left = oe.left >= 0 ? map_oe(c, oe.left, op) : -1;
  int32_t right = oe.right >= 0 ? map_oe(c, oe.right, op) : -1;
  const pat_pattern *pattern =
      oe.pattern ? run_op(c, op, oe.pattern) : NULL; /* OE_PATTERN, OE_SCALE */
  int32_t copy = prog_oe_new(c, (oe_kind)oe.kind, oe.number, pattern);
  c->program->oes[copy].sub = oe.sub;
  c->program->oes[copy].left = left;
  c->program->oes[copy].right = right;
  return copy;
}

/* The subject as layers (a fresh range in scratch). */
static prog_value map_layers(prog_compiler *c, prog_value x, const pattern_op *op) {
  int first = c->scratch_count;
  for (int i = 0; i < x.layer_count; ++i) {
    int index = prog_layer_new(c, &c->scratch[x.first_layer + i]);
    prog_layer *l = &c->scratch[index];
    l->events = run_op(c, op, l->events);
    if (is_time_map(op->t))
      for (int k = 0; k < l->control_count; ++k)
        l->control_exprs[k] = map_oe(c, l->control_exprs[k], op);
  }
  x.first_layer = first;
  return x;
}

static prog_value apply_op(prog_compiler *c, const pattern_op *op, prog_value x, int line,
                           int column) {
  if (x.kind == V_LAYERS)
    return map_layers(c, x, op);
  if (x.kind == V_NUMBER || (x.kind == V_ONSET && x.pattern)) {
    prog_value v = x;
    v.kind = V_ONSET;
    v.pattern = run_op(c, op, to_pattern(c, op->t, &x));
    v.oe = prog_oe_new(c, OE_PATTERN, 0, v.pattern);
    v.line = line;
    v.column = column;
    return v;
  }
  prog_fail(c, x.line, x.column, "%s works on patterns and events, not on %s",
            transforms[op->t].name, prog_value_kind_name(&x));
}

/* ---- choosing between two versions --------------------------------------------------- */

typedef enum { PICK_EVERY, PICK_LAST_OF, PICK_JUX } pick_kind;

/* every/lastOf/jux on patterns: the engine combines `transformed` and `x`. */
static const pat_pattern *pick(prog_compiler *c, pick_kind kind, const pat_pattern *amount,
                               const pat_pattern *transformed, const pat_pattern *x) {
  pat_store *s = c->program->store;
  switch (kind) {
  case PICK_EVERY:
    return checked(c, pat_every(s, amount, transformed, x));
  case PICK_LAST_OF:
    return checked(c, pat_last_of(s, amount, transformed, x));
  case PICK_JUX:
    return checked(c, pat_jux(s, transformed, x));
  }
  return NULL;
}

static bool plain_layer(const prog_compiler *c, const prog_value *v) {
  return v->layer_count == 1 && c->scratch[v->first_layer].control_count == 0 &&
         c->scratch[v->first_layer].gain_scale == 1.0;
}

static prog_value pick_layers(prog_compiler *c, pick_kind kind, const pat_pattern *amount,
                              prog_value fx, prog_value x) {
  const prog_layer *a = &c->scratch[fx.first_layer], *b = &c->scratch[x.first_layer];
  if (plain_layer(c, &fx) && plain_layer(c, &x) && a->structure == b->structure) {
    int index = prog_layer_new(c, b);
    c->scratch[index].events = pick(c, kind, amount, a->events, b->events);
    c->scratch[index].bus_mask |= a->bus_mask;
    x.first_layer = index;
    return x;
  }
  const pat_pattern *none = prog_silence(c);
  int first = c->scratch_count;
  for (int i = 0; i < fx.layer_count; ++i) {
    int index = prog_layer_new(c, &c->scratch[fx.first_layer + i]);
    c->scratch[index].events = pick(c, kind, amount, c->scratch[index].events, none);
  }
  for (int i = 0; i < x.layer_count; ++i) {
    int index = prog_layer_new(c, &c->scratch[x.first_layer + i]);
    c->scratch[index].events = pick(c, kind, amount, none, c->scratch[index].events);
  }
  x.first_layer = first;
  x.layer_count = fx.layer_count + x.layer_count;
  return x;
}

static prog_value stack(prog_compiler *c, prog_value x, prog_value y) {
  if (x.kind == V_LAYERS) {
    int first = c->scratch_count;
    for (int i = 0; i < x.layer_count; ++i)
      prog_layer_new(c, &c->scratch[x.first_layer + i]);
    for (int i = 0; i < y.layer_count; ++i)
      prog_layer_new(c, &c->scratch[y.first_layer + i]);
    x.first_layer = first;
    x.layer_count += y.layer_count;
    return x;
  }
  x.pattern = checked(c, pat_stack2(c->program->store, x.pattern, y.pattern));
  x.oe = prog_oe_new(c, OE_PATTERN, 0, x.pattern);
  return x;
}

/* f applied to x must give the same kind of thing back. */
static prog_value apply_function(prog_compiler *c, int t, const prog_value *f, prog_value x,
                                 int line, int column) {
  prog_value fx = prog_apply(c, *f, &x, 1, line, column);
  if (x.kind == V_LAYERS && fx.kind == V_LAYERS)
    return fx;
  if (x.kind == V_ONSET && (fx.kind == V_NUMBER || (fx.kind == V_ONSET && fx.pattern))) {
    fx.pattern = to_pattern(c, t, &fx);
    fx.kind = V_ONSET;
    return fx;
  }
  prog_fail(c, f->line, f->column, "the function given to %s turned %s into %s", transforms[t].name,
            prog_value_kind_name(&x), prog_value_kind_name(&fx));
}

/* echo on a line with controls: copies shifted later, each with its own
   controls, when the arguments are numbers. */
static prog_value echo_layers(prog_compiler *c, int t, const prog_value *args, prog_value x,
                              int line, int column) {
  const prog_value *count = &args[0], *time = &args[t == T_ECHO ? 1 : 2],
                   *feedback = &args[t == T_ECHO ? 2 : 1];
  if (count->kind != V_NUMBER || time->kind != V_NUMBER || feedback->kind != V_NUMBER) {
    pattern_op op = {
        t, {to_pattern(c, t, &args[0]), to_pattern(c, t, &args[1]), to_pattern(c, t, &args[2])}};
    return apply_op(c, &op, x, line, column); /* controls read at the echoed onsets */
  }
  int copies = (int)floor(count->number);
  if (copies > PROG_MAX_LAYERS)
    prog_fail(c, count->line, count->column, "%s on a line with controls makes at most %d copies",
              transforms[t].name, PROG_MAX_LAYERS);
  int first = c->scratch_count;
  for (int i = 0; i < copies; ++i) {
    pattern_op shift = {T_LATE, {pure(c, time->number * i)}};
    prog_value copy = map_layers(c, x, &shift);
    for (int k = 0; k < copy.layer_count; ++k)
      c->scratch[copy.first_layer + k].gain_scale *= pow(feedback->number, i);
  }
  x.first_layer = first;
  x.layer_count = copies > 0 ? copies * x.layer_count : 0;
  return x;
}

/* sometimesBy with Strudel's exact meaning, f applied to the thinned pattern:
   the engine calls this once with a placeholder for it. When f turns a plain
   line into one with controls or layers it gives up (NULL) and the caller
   splits the line instead. */
typedef struct {
  prog_compiler *c;
  int t, line, column;
  const prog_value *f;
  prog_value x;
  bool gave_up;
} thinned_context;

static const pat_pattern *apply_to_thinned(pat_store *store, const pat_pattern *q, void *context) {
  (void)store;
  thinned_context *w = context;
  prog_compiler *c = w->c;
  prog_value v = w->x;
  if (v.kind == V_LAYERS) {
    v.first_layer = prog_layer_new(c, &c->scratch[v.first_layer]);
    c->scratch[v.first_layer].events = q;
  } else {
    v.pattern = q;
    v.oe = prog_oe_new(c, OE_PATTERN, 0, q);
  }
  prog_value fx = apply_function(c, w->t, w->f, v, w->line, w->column);
  if (fx.kind == V_ONSET)
    return fx.pattern;
  if (plain_layer(c, &fx) &&
      c->scratch[fx.first_layer].structure == c->scratch[v.first_layer].structure)
    return c->scratch[fx.first_layer].events;
  w->gave_up = true;
  return NULL;
}

/* One of the two parts a random choice splits events into. */
typedef const pat_pattern *(*part_fn)(pat_store *store, const pat_pattern *amount,
                                      const pat_pattern *p);

/* x with `part` applied to its events (every layer's, or the pattern). */
static prog_value part_of(prog_compiler *c, part_fn part, const pat_pattern *amount, prog_value x) {
  pat_store *s = c->program->store;
  if (x.kind != V_LAYERS) {
    x.pattern = checked(c, part(s, amount, x.pattern));
    x.oe = prog_oe_new(c, OE_PATTERN, 0, x.pattern);
    return x;
  }
  int first = c->scratch_count;
  for (int i = 0; i < x.layer_count; ++i) {
    prog_layer *layer = &c->scratch[prog_layer_new(c, &c->scratch[x.first_layer + i])];
    layer->events = checked(c, part(s, amount, layer->events));
  }
  x.first_layer = first;
  return x;
}

/* sometimesBy (and someCyclesBy, a rand per cycle) as Strudel does it:
   stack(the events left, f(the events picked)). Thinning leaves events where
   they are, so their controls stay as they are, and f moves them with the
   events. Exact for a number amount (sometimes, often, ...); with a patterned
   amount and an f that moves events in time, f moves the amount pattern too,
   where Strudel reads it at the events' original times. */
static prog_value split_apply(prog_compiler *c, int t, const prog_value *f,
                              const pat_pattern *amount, prog_value x, bool per_cycle, int line,
                              int column) {
  prog_value left = part_of(c, per_cycle ? pat_cycles_left : pat_degrade_by, amount, x);
  prog_value picked = part_of(c, per_cycle ? pat_cycles_picked : pat_degraded_part, amount, x);
  return stack(c, left, apply_function(c, t, f, picked, line, column));
}

/* Strudel's inside: fast n (f (slow n x)), with f a function or an op. */
static prog_value inside(prog_compiler *c, int t, double n, const prog_value *f,
                         const pattern_op *op, prog_value x, int line, int column) {
  pattern_op slow = {T_SLOW, {pure(c, n)}}, fast = {T_FAST, {pure(c, n)}};
  prog_value stretched = apply_op(c, &slow, x, line, column);
  prog_value changed = f ? apply_function(c, t, f, stretched, line, column)
                         : apply_op(c, op, stretched, line, column);
  return apply_op(c, &fast, changed, line, column);
}

static bool has_controls(const prog_compiler *c, const prog_value *x) {
  for (int i = 0; i < x->layer_count; ++i)
    if (c->scratch[x->first_layer + i].control_count > 0)
      return true;
  return false;
}

prog_value prog_transform_call(prog_compiler *c, int t, const prog_value *args, int line,
                               int column) {
  const char *signature = transforms[t].signature;
  int arity = (int)strlen(signature);
  prog_value x = args[arity - 1];
  if (x.kind != V_LAYERS && x.kind != V_NUMBER && !(x.kind == V_ONSET && x.pattern))
    prog_fail(c, x.line, x.column, "%s works on patterns and events, not on %s", transforms[t].name,
              prog_value_kind_name(&x));
  if (x.kind == V_NUMBER) {
    x.pattern = to_pattern(c, t, &x);
    x.kind = V_ONSET;
    x.oe = prog_oe_new(c, OE_PATTERN, 0, x.pattern);
  }
  pattern_op op = {t, {NULL, NULL, NULL}};
  for (int i = 0; i < arity - 1; ++i)
    if (signature[i] == 'p')
      op.args[i] = to_pattern(c, t, &args[i]);
  switch (t) {
  case T_DEGRADE:
    op.args[0] = pure(c, 0.5);
    return apply_op(c, &op, x, line, column);
  case T_ECHO:
  case T_STUT:
    if (x.kind == V_LAYERS && has_controls(c, &x))
      return echo_layers(c, t, args, x, line, column);
    return apply_op(c, &op, x, line, column);
  case T_EVERY:
  case T_FIRST_OF:
  case T_LAST_OF:
  case T_JUX: {
    pick_kind kind = t == T_JUX ? PICK_JUX : t == T_LAST_OF ? PICK_LAST_OF : PICK_EVERY;
    prog_value fx = apply_function(c, t, to_function(c, t, &args[arity - 2]), x, line, column);
    if (x.kind == V_LAYERS)
      return pick_layers(c, kind, op.args[0], fx, x);
    x.pattern = pick(c, kind, op.args[0], fx.pattern, x.pattern);
    x.oe = prog_oe_new(c, OE_PATTERN, 0, x.pattern);
    return x;
  }
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
    const pat_pattern *amount = t == T_SOMETIMES_BY ? op.args[0] : pure(c, amounts[t]);
    const prog_value *f = to_function(c, t, &args[arity - 2]);
    if (x.kind == V_ONSET || plain_layer(c, &x)) {
      thinned_context w = {c, t, line, column, f, x, false};
      const pat_pattern *p = x.kind == V_ONSET ? x.pattern : c->scratch[x.first_layer].events;
      const pat_pattern *picked =
          pat_sometimes_by_with(c->program->store, amount, apply_to_thinned, &w, p);
      if (picked) {
        if (x.kind == V_ONSET) {
          x.pattern = picked;
          x.oe = prog_oe_new(c, OE_PATTERN, 0, picked);
        } else {
          int index = prog_layer_new(c, &c->scratch[x.first_layer]);
          c->scratch[index].events = picked;
          x.first_layer = index;
        }
        return x;
      }
      if (!w.gave_up)
        prog_fail(c, 0, 0, "out of memory");
    }
    return split_apply(c, t, f, amount, x, false, line, column); /* x is layers here */
  }
  case T_SOME_CYCLES_BY:
  case T_SOME_CYCLES: {
    const pat_pattern *amount = t == T_SOME_CYCLES_BY ? op.args[0] : pure(c, 0.5);
    return split_apply(c, t, to_function(c, t, &args[arity - 2]), amount, x, true, line, column);
  }
  case T_INSIDE:
  case T_OUTSIDE: { /* f applied with the cycle stretched: fast n (f (slow n x)) */
    double n = t == T_INSIDE ? args[0].number : 1.0 / args[0].number;
    return inside(c, t, n, to_function(c, t, &args[1]), NULL, x, line, column);
  }
  case T_SWING_BY:
  case T_SWING: { /* inside n (late "0 x/2"): the second half of each slice later */
    double amount = t == T_SWING_BY ? args[0].number : 1.0 / 3.0;
    const pat_pattern *halves[2] = {pure(c, 0.0), pure(c, amount / 2.0)};
    pattern_op late = {T_LATE, {checked(c, pat_fastcat(c->program->store, halves, 2))}};
    return inside(c, t, args[t == T_SWING_BY ? 1 : 0].number, NULL, &late, x, line, column);
  }
  case T_ALWAYS:
    return apply_function(c, t, to_function(c, t, &args[0]), x, line, column);
  case T_NEVER:
    to_function(c, t, &args[0]);
    return x;
  case T_OFF:
  case T_SUPERIMPOSE: {
    prog_value shifted = x;
    if (t == T_OFF) {
      pattern_op late = {T_LATE, {op.args[0]}};
      shifted = apply_op(c, &late, x, line, column);
    }
    prog_value fx =
        apply_function(c, t, to_function(c, t, &args[arity - 2]), shifted, line, column);
    return stack(c, x, fx);
  }
  default:
    return apply_op(c, &op, x, line, column);
  }
}
