/* The public pattern builders and transforms: each makes one node whose
   query (query.c, query_ops.c) follows the Strudel function of that name. */
#include <math.h>
#include <string.h>

#include "pattern/pat_internal.h"

/* Patterned arguments; `with_function` adds the pure placeholder Strudel's
   register() makes of a function argument, which cuts joins at cycles. */
static pat_pattern *with_args(pat_store *store, pat_pattern *n, const pat_pattern *const *args,
                              int count, bool with_function) {
  if (!n)
    return NULL;
  const pat_pattern *all[PAT_MAX_ARGS];
  for (int i = 0; i < count; i++) {
    if (!args[i])
      return NULL;
    all[i] = args[i];
  }
  if (with_function) {
    pat_pattern *fn = pat_node_new(store, PN_PURE);
    if (!fn)
      return NULL;
    fn->value.kind = PAT_VALUE_NUMBER;
    all[count++] = fn;
  }
  pat_node_set_args(n, all, count);
  return n;
}

const pat_pattern *pat_pure(pat_store *store, pat_value value) {
  pat_pattern *n = pat_node_make(store, PN_PURE, NULL, 0);
  if (!n)
    return NULL;
  if (value.str) {
    value.str = pat_store_strdup(store, value.str, strlen(value.str));
    if (!value.str)
      return NULL;
  }
  value.items = NULL; /* lists live in query arenas; a pure list is not supported */
  if (value.kind == PAT_VALUE_LIST)
    value.count = 0;
  n->value = value;
  return n;
}

static const pat_pattern *signal_node(pat_store *store, pat_signal_kind kind, double count) {
  pat_pattern *n = pat_node_make(store, PN_SIGNAL, NULL, 0);
  if (n) {
    n->signal = (int)kind;
    n->amount = count;
  }
  return n;
}

const pat_pattern *pat_signal(pat_store *store, pat_signal_kind kind, double irand_count) {
  if (kind == PAT_SIGNAL_COSINE)
    return pat_early(store, pat_number(store, 0.25), signal_node(store, PAT_SIGNAL_SINE, 0));
  if (kind == PAT_SIGNAL_TRI) {
    const pat_pattern *halves[2] = {signal_node(store, PAT_SIGNAL_ISAW, 0),
                                    signal_node(store, PAT_SIGNAL_SAW, 0)};
    return halves[0] && halves[1] ? pat_fastcat(store, halves, 2) : NULL;
  }
  return signal_node(store, kind, irand_count);
}

const pat_pattern *pat_number(pat_store *store, double number) {
  pat_value v = {.kind = PAT_VALUE_NUMBER, .number = number};
  return pat_pure(store, v);
}

const pat_pattern *pat_silence(pat_store *store) {
  return pat_node_make(store, PN_SILENCE, NULL, 0);
}

const pat_pattern *pat_stack2(pat_store *store, const pat_pattern *a, const pat_pattern *b) {
  const pat_pattern *kids[2] = {a, b};
  return pat_node_make(store, PN_STACK, kids, 2);
}

const pat_pattern *pat_slowcat(pat_store *store, const pat_pattern *const *items, size_t count) {
  if (count == 0)
    return pat_silence(store);
  if (count == 1)
    return items[0];
  return pat_node_make(store, PN_SLOWCAT, items, count);
}

const pat_pattern *pat_fastcat(pat_store *store, const pat_pattern *const *items, size_t count) {
  const pat_pattern *cat = pat_slowcat(store, items, count);
  if (!cat || count <= 1)
    return cat;
  pat_pattern *n = pat_node_make(store, PN_FAST, &cat, 1);
  if (!n)
    return NULL;
  n->has_const = true;
  n->args_pure = true;
  n->const_time = pat_rat_int((int64_t)count);
  return n;
}

const pat_pattern *pat_fast(pat_store *store, const pat_pattern *factor, const pat_pattern *p) {
  return with_args(store, pat_node_make(store, PN_FAST, &p, 1), &factor, 1, false);
}

const pat_pattern *pat_slow(pat_store *store, const pat_pattern *factor, const pat_pattern *p) {
  pat_pattern *n = with_args(store, pat_node_make(store, PN_FAST, &p, 1), &factor, 1, false);
  if (n)
    n->slow = true;
  return n;
}

const pat_pattern *pat_early(pat_store *store, const pat_pattern *time, const pat_pattern *p) {
  return with_args(store, pat_node_make(store, PN_EARLY, &p, 1), &time, 1, false);
}

const pat_pattern *pat_late(pat_store *store, const pat_pattern *time, const pat_pattern *p) {
  pat_pattern *n = with_args(store, pat_node_make(store, PN_EARLY, &p, 1), &time, 1, false);
  if (n)
    n->late = true;
  return n;
}

const pat_pattern *pat_rev(pat_store *store, const pat_pattern *p) {
  return pat_node_make(store, PN_REV, &p, 1);
}

/* firstOf: slowcatPrime([f p, p, ..., p]) of n patterns */
const pat_pattern *pat_every(pat_store *store, const pat_pattern *period,
                             const pat_pattern *transformed, const pat_pattern *p) {
  const pat_pattern *kids[2] = {transformed, p};
  return with_args(store, pat_node_make(store, PN_EVERY, kids, 2), &period, 1, true);
}

/* lastOf: slowcatPrime([p, ..., p, f p]) of n patterns */
const pat_pattern *pat_last_of(pat_store *store, const pat_pattern *period,
                               const pat_pattern *transformed, const pat_pattern *p) {
  const pat_pattern *kids[2] = {transformed, p};
  pat_pattern *n = pat_node_make(store, PN_EVERY, kids, 2);
  if (n)
    n->last_of = true;
  return with_args(store, n, &period, 1, true);
}

const pat_pattern *pat_degrade_by(pat_store *store, const pat_pattern *amount,
                                  const pat_pattern *p) {
  return with_args(store, pat_node_make(store, PN_DEGRADE, &p, 1), &amount, 1, false);
}

static const pat_pattern *cycles_part(pat_store *store, const pat_pattern *amount,
                                      const pat_pattern *p, bool picked) {
  pat_pattern *n = pat_node_make(store, PN_DEGRADE, &p, 1);
  if (n) {
    n->per_cycle = true;
    n->invert = picked;
  }
  return with_args(store, n, &amount, 1, false);
}

const pat_pattern *pat_some_cycles_by(pat_store *store, const pat_pattern *amount,
                                      pat_transform_fn fn, void *context, const pat_pattern *p) {
  const pat_pattern *picked = cycles_part(store, amount, p, true);
  if (!picked || !fn)
    return NULL;
  return pat_stack2(store, cycles_part(store, amount, p, false), fn(store, picked, context));
}

/* stack(degradeBy(x) p, f(undegradeBy(1 - x) p)) inside Strudel's own
   innerJoin over x; the undegrade reads x from the query's binding. */
static pat_pattern *sometimes_node(pat_store *store, const pat_pattern *amount,
                                   const pat_pattern *p) {
  pat_pattern *n = pat_node_make(store, PN_SOMETIMES, &p, 1);
  n = with_args(store, n, &amount, 1, true);
  if (n)
    n->join_always = true;
  return n;
}

static const pat_pattern *undegrade_var(pat_store *store, const pat_pattern *owner,
                                        const pat_pattern *q) {
  pat_pattern *v = pat_node_make(store, PN_UNDEGRADE_VAR, &q, 1);
  if (v)
    v->owner = owner;
  return v;
}

const pat_pattern *pat_sometimes_by(pat_store *store, const pat_pattern *amount,
                                    pat_transform_fn fn, void *context, const pat_pattern *p) {
  pat_pattern *n = sometimes_node(store, amount, p);
  if (!n || !fn)
    return NULL;
  const pat_pattern *var = undegrade_var(store, n, p);
  const pat_pattern *kids[2] = {p, var ? fn(store, var, context) : NULL};
  if (!kids[1] || !pat_node_set_kids(store, n, kids, 2))
    return NULL;
  return n;
}

const pat_pattern *pat_ply(pat_store *store, const pat_pattern *factor, const pat_pattern *p) {
  return with_args(store, pat_node_make(store, PN_PLY, &p, 1), &factor, 1, false);
}

const pat_pattern *pat_range_numbers(pat_store *store, double lo, double hi, const pat_pattern *p) {
  pat_pattern *n = pat_node_make(store, PN_RANGE_NUMBERS, &p, 1);
  if (n) {
    n->amount = hi - lo;
    n->offset = lo;
  }
  return n;
}

const pat_pattern *pat_segment(pat_store *store, const pat_pattern *rate, const pat_pattern *p) {
  return with_args(store, pat_node_make(store, PN_SEGMENT, &p, 1), &rate, 1, false);
}

const pat_pattern *pat_iter(pat_store *store, const pat_pattern *divisions, const pat_pattern *p) {
  return with_args(store, pat_node_make(store, PN_ITER, &p, 1), &divisions, 1, false);
}

const pat_pattern *pat_iter_back(pat_store *store, const pat_pattern *divisions,
                                 const pat_pattern *p) {
  pat_pattern *n = with_args(store, pat_node_make(store, PN_ITER, &p, 1), &divisions, 1, false);
  if (n)
    n->invert = true;
  return n;
}

/* The node keeps, inverted, the events degradeBy(1 - x) would remove: those
   with rand < x, Tidal's unDegradeBy x (Strudel's undegradeBy(1 - x)). */
const pat_pattern *pat_undegrade_by(pat_store *store, const pat_pattern *amount,
                                    const pat_pattern *p) {
  pat_pattern *n = with_args(store, pat_node_make(store, PN_DEGRADE, &p, 1), &amount, 1, false);
  if (n)
    n->invert = true;
  return n;
}

/* lastOf(2, rev): slowcatPrime([p, rev p]) */
const pat_pattern *pat_palindrome(pat_store *store, const pat_pattern *p) {
  const pat_pattern *kids[2] = {p, pat_rev(store, p)};
  return pat_node_make(store, PN_SLOWCAT_PRIME, kids, 2);
}

static const pat_pattern *late_var(pat_store *store, const pat_pattern *owner,
                                   const pat_pattern *q) {
  pat_pattern *v = pat_node_make(store, PN_LATE_VAR, &q, 1);
  if (v)
    v->owner = owner;
  return v;
}

const pat_pattern *pat_off(pat_store *store, const pat_pattern *time, pat_transform_fn fn,
                           void *context, const pat_pattern *p) {
  pat_pattern *n = with_args(store, pat_node_make(store, PN_OFF, &p, 1), &time, 1, true);
  if (!n || !fn)
    return NULL;
  const pat_pattern *var = late_var(store, n, p);
  const pat_pattern *kids[2] = {p, var ? fn(store, var, context) : NULL};
  if (!kids[1] || !pat_node_set_kids(store, n, kids, 2))
    return NULL;
  return n;
}

const pat_pattern *pat_echo(pat_store *store, const pat_pattern *count, const pat_pattern *time,
                            const pat_pattern *feedback, const pat_pattern *p) {
  const pat_pattern *args[3] = {count, time, feedback};
  return with_args(store, pat_node_make(store, PN_ECHO, &p, 1), args, 3, false);
}

const pat_pattern *pat_stut(pat_store *store, const pat_pattern *count, const pat_pattern *feedback,
                            const pat_pattern *time, const pat_pattern *p) {
  const pat_pattern *args[3] = {count, feedback, time};
  pat_pattern *n = with_args(store, pat_node_make(store, PN_ECHO, &p, 1), args, 3, false);
  if (n)
    n->stut = true;
  return n;
}

const pat_pattern *pat_euclid(pat_store *store, const pat_pattern *pulses, const pat_pattern *steps,
                              const pat_pattern *rotation, const pat_pattern *p) {
  const pat_pattern *args[3] = {pulses, steps, rotation};
  return with_args(store, pat_node_make(store, PN_EUCLID, &p, 1), args, rotation ? 3 : 2, false);
}

/* juxBy w f p: stack(p with pan moved by -w/2, f(p) with pan moved by w/2),
   w patterned (Strudel's register: innerJoin) */
const pat_pattern *pat_jux_by(pat_store *store, const pat_pattern *width,
                              const pat_pattern *transformed, const pat_pattern *p) {
  pat_pattern *left = with_args(store, pat_node_make(store, PN_SET_PAN, &p, 1), &width, 1, false);
  pat_pattern *right =
      with_args(store, pat_node_make(store, PN_SET_PAN, &transformed, 1), &width, 1, false);
  if (!left || !right)
    return NULL;
  left->amount = -0.5;
  right->amount = 0.5;
  return pat_stack2(store, left, right);
}

const pat_pattern *pat_jux(pat_store *store, const pat_pattern *transformed, const pat_pattern *p) {
  return pat_jux_by(store, pat_number(store, 1.0), transformed, p);
}

/* A control pattern; over a pure value the map is made once, here (but a
   note name's number depends on the querying arena's numbering). */
const pat_pattern *pat_control_pattern(pat_store *store, pat_control control,
                                       const pat_pattern *p) {
  if (!p || !store || control >= PAT_CONTROL_COUNT)
    return NULL;
  bool name = p->kind == PN_PURE && p->value.kind == PAT_VALUE_STRING &&
              !pat_control_is_string(control) && control != PAT_CONTROL_VALUE;
  if (p->kind == PN_PURE && !name) {
    pat_controls *map = pat_store_alloc(store, sizeof *map);
    pat_value value = p->value;
    if (control == PAT_CONTROL_S && value.kind == PAT_VALUE_NUMBER) {
      char text[32]; /* s "2" is the name "2", as JS makes it */
      pat_js_format_number(value.number, text, sizeof text);
      value = (pat_value){.kind = PAT_VALUE_STRING, .live = value.live};
      value.str = pat_store_strdup(store, text, strlen(text));
    }
    if (!map || (value.kind == PAT_VALUE_STRING && !value.str))
      return NULL;
    pat_controls_of(control, PAT_NOTES_STRUDEL, &value, map); /* no note name here */
    pat_pattern *n = pat_node_make(store, PN_PURE, NULL, 0);
    if (n)
      n->value = pat_controls_value(map, p->value.live);
    return n;
  }
  pat_pattern *n = pat_node_make(store, PN_CONTROL, &p, 1);
  if (n)
    n->signal = (int)control;
  return n;
}

const pat_pattern *pat_combine(pat_store *store, pat_op op, pat_structure structure,
                               const pat_pattern *left, const pat_pattern *right) {
  if (left && right && right->kind == PN_NTAKE && right->kid_count == 0) {
    pat_pattern *n = pat_node_make(store, PN_NTAKE, &left, 1); /* nTake counts the left's onsets */
    if (n) {
      n->signal = right->signal;
      n->weights = right->weights;
      n->table_count = right->table_count;
      n->op = op;
    }
    return n;
  }
  const pat_pattern *kids[2] = {left, right};
  pat_pattern *n = pat_node_make(store, PN_COMBINE, kids, 2);
  if (n) {
    n->has_combine = true;
    n->op = op;
    n->structure = structure;
    pat_combine_onsets(n);
  }
  return n;
}

const pat_pattern *pat_input(pat_store *store, int index) {
  pat_pattern *n = pat_node_make(store, PN_INPUT, NULL, 0);
  if (n)
    n->signal = index;
  return n;
}

const pat_pattern *pat_superimpose(pat_store *store, pat_transform_fn fn, void *context,
                                   const pat_pattern *p) {
  return p && fn ? pat_stack2(store, p, fn(store, p, context)) : NULL;
}

const pat_pattern *pat_play_when_in(pat_store *store, double begin, double end, bool invert,
                                    const pat_pattern *p) {
  pat_pattern *n = pat_node_make(store, PN_PLAY_WHEN, &p, 1);
  if (!n || !pat_rat_from_double(begin, &n->begin) || !pat_rat_from_double(end, &n->end))
    return NULL;
  n->invert = invert;
  return n;
}

const pat_pattern *pat_press_by(pat_store *store, const pat_pattern *amount, const pat_pattern *p) {
  return with_args(store, pat_node_make(store, PN_PRESS, &p, 1), &amount, 1, false);
}

static const pat_pattern *number_map(pat_store *store, pat_number_map map, double quantum,
                                     const pat_pattern *p) {
  pat_pattern *n = (pat_pattern *)pat_range_numbers(store, 0, 1, p);
  if (n) {
    n->number_map = map;
    n->quantum = quantum;
  }
  return n;
}

const pat_pattern *pat_rangex(pat_store *store, double lo, double hi, const pat_pattern *p) {
  if (!(lo > 0) || !(hi > 0))
    return NULL;
  pat_pattern *n = (pat_pattern *)pat_range_numbers(store, log(lo), log(hi), p);
  if (n)
    n->number_map = PAT_MAP_EXP;
  return n;
}

const pat_pattern *pat_quantise(pat_store *store, double n, const pat_pattern *p) {
  return n > 0 ? number_map(store, PAT_MAP_QUANTISE, n, p) : NULL;
}

static const pat_pattern *table_map(pat_store *store, pat_number_map map, double quantum,
                                    const double *table, size_t count, size_t length,
                                    const pat_pattern *p) {
  double *copy = count ? pat_store_alloc(store, length * sizeof *copy) : NULL;
  pat_pattern *n = copy ? (pat_pattern *)number_map(store, map, quantum, p) : NULL;
  if (!n)
    return NULL;
  memcpy(copy, table, length * sizeof *copy);
  n->weights = copy;
  n->table_count = count;
  return n;
}

const pat_pattern *pat_to_scale(pat_store *store, double octave, const double *steps, size_t count,
                                const pat_pattern *p) {
  return table_map(store, PAT_MAP_TO_SCALE, octave, steps, count, count, p);
}

const pat_pattern *pat_choose_by(pat_store *store, const pat_pattern *f, const double *values,
                                 size_t count) {
  return table_map(store, PAT_MAP_CHOOSE, 0, values, count, count, f);
}

const pat_pattern *pat_wchoose_by(pat_store *store, const pat_pattern *f,
                                  const double *values_then_weights, size_t count) {
  double table[2 * 256];
  if (count == 0 || count > 256)
    return NULL;
  double total = 0;
  for (size_t i = 0; i < count; i++) {
    table[i] = values_then_weights[i];
    total += values_then_weights[count + i];
    table[count + i] = total;
  }
  return total > 0 ? table_map(store, PAT_MAP_WCHOOSE, 0, table, count, 2 * count, f) : NULL;
}

const pat_pattern *pat_zoom(pat_store *store, double begin, double end, const pat_pattern *p) {
  pat_pattern *n = pat_node_make(store, PN_ZOOM, &p, 1);
  if (!n || !pat_rat_from_double(begin, &n->begin) || !pat_rat_from_double(end, &n->end))
    return NULL;
  if (pat_rat_cmp(n->begin, n->end) >= 0)
    return pat_silence(store);
  return n;
}

const pat_pattern *pat_compress(pat_store *store, double begin, double end, const pat_pattern *p) {
  if (!(begin >= 0 && begin < end && end <= 1))
    return pat_silence(store); /* as Strudel's compress outside the cycle (and Tidal's) */
  pat_pattern *n = pat_node_make(store, PN_COMPRESS, &p, 1);
  if (!n || !pat_rat_from_double(begin, &n->begin) || !pat_rat_from_double(end, &n->end))
    return NULL;
  return n;
}
