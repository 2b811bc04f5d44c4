/* Tidal's transforms (fast, every, jux, ...) by name: each is the pattern
   engine's, applied to a plain pattern or to a whole line's control pattern
   alike (a line is one pattern whose values are control maps). Functions
   given to every, off, sometimesBy ... are applied at compile time, to the
   pattern or to the engine's placeholder for the shifted or thinned one. */
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
  if (kind == 'n' && (v->kind != V_NUMBER || !(v->number > 0.0) || v->number > 1e6))
    prog_fail(c, v->line, v->column, "%s takes a positive number here, like %s, not %s",
              transforms[t].name,
              t == T_SWING_BY ? "swingBy (1/3) 4"
              : t == T_SWING  ? "swing 4"
                              : "inside 2 rev",
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

prog_value prog_transform_call(prog_compiler *c, int t, const prog_value *args, int line,
                               int column) {
  const char *signature = transforms[t].signature;
  int arity = (int)strlen(signature);
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
  const pat_pattern *a[3] = {NULL, NULL, NULL};
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
  case T_SOME_CYCLES: {
    const pat_pattern *amount = t == T_SOME_CYCLES_BY ? a[0] : pure(c, 0.5);
    function_context w = {c, t, line, column, f, x};
    return with_pattern(c, x, pat_some_cycles_by(s, amount, apply_to_placeholder, &w, p));
  }
  case T_INSIDE:
  case T_OUTSIDE: {
    function_context w = {c, t, line, column, f, x};
    double factor = t == T_INSIDE ? args[0].number : 1.0 / args[0].number;
    return with_pattern(c, x, pat_inside(s, factor, apply_to_placeholder, &w, p));
  }
  case T_SWING_BY:
  case T_SWING:
    return with_pattern(c, x,
                        pat_swing_by(s, t == T_SWING_BY ? args[0].number : 1.0 / 3.0,
                                     args[t == T_SWING_BY ? 1 : 0].number, p));
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
  default:
    prog_fail(c, line, column, "internal error: unknown transform");
  }
}
