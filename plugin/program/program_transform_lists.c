/* Tidal's functions of lists and numbers: stack, cat, randcat, timeCat ...
   of a list of patterns; choose, wchoose, cycleChoose; select, squeeze, fit;
   nTake; spaceOut; rangex, quantise, toScale. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "program_transform.h"

/* A function of lists alone: stack, cat, fastcat, randcat, wrandcat, timeCat. */
prog_value prog_list_call(prog_compiler *c, int t, const prog_value *list, int line, int column) {
  const char *name = prog_transform_name(t);
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

/* Tidal's spaceOut [a, b, ...] p: p at speeds 1/a, 1/b, ... one after
   another, over a + b + ... cycles (each cycle of p compressed into its
   share, the whole slowed). */
prog_value prog_space_out(prog_compiler *c, int t, const prog_value *list, prog_value x) {
  int n = list->item_count;
  double total = 0;
  for (int i = 0; i < n; ++i) {
    const prog_value *item = &list->items[i];
    if (item->kind != V_NUMBER || !(item->number > 0) || item->number > 1e6)
      prog_fail(c, item->line, item->column,
                "%s takes lengths in cycles, positive numbers like [1, 0.5, 2], not %s",
                prog_transform_name(t),
                item->kind == V_NUMBER ? "that number" : prog_value_kind_name(item));
    total += item->number;
  }
  if (n == 0)
    return prog_with_pattern(c, x, prog_silence(c));
  pat_store *s = c->program->store;
  const pat_pattern **parts = prog_alloc(c, (size_t)n * sizeof *parts);
  double begin = 0;
  for (int i = 0; i < n; ++i) {
    double end = i == n - 1 ? total : begin + list->items[i].number;
    parts[i] = prog_checked(c, pat_compress(s, begin / total, end / total, x.pattern));
    begin = end;
  }
  return prog_with_pattern(c, x, pat_slow(s, prog_pure(c, total), pat_stack(s, parts, (size_t)n)));
}

/* rangex, quantise, toScale, toScale': functions of each number. */
prog_value prog_map_numbers(prog_compiler *c, int t, const prog_value *args, prog_value x) {
  if (x.kind != V_PATTERN)
    prog_fail(c, x.line, x.column, "%s works on numbers, like %s (\"0 1 2\"), not on events",
              prog_transform_name(t), t == T_QUANTISE ? "quantise 1" : "toScale [0, 2, 4]");
  pat_store *s = c->program->store;
  if (t == T_RANGEX)
    return prog_with_pattern(c, x, pat_rangex(s, args[0].number, args[1].number, x.pattern));
  if (t == T_QUANTISE)
    return prog_with_pattern(c, x, pat_quantise(s, args[0].number, x.pattern));
  const prog_value *list = &args[t == T_TO_SCALE ? 0 : 1];
  int n = list->item_count;
  if (n == 0)
    prog_fail(c, list->line, list->column, "%s needs at least one step, like [0, 2, 4]",
              prog_transform_name(t));
  double *steps = prog_alloc(c, (size_t)n * sizeof *steps);
  for (int i = 0; i < n; ++i) {
    if (list->items[i].kind != V_NUMBER)
      prog_fail(c, list->items[i].line, list->items[i].column,
                "%s's steps are numbers, like [0, 2, 4], not %s", prog_transform_name(t),
                prog_value_kind_name(&list->items[i]));
    steps[i] = list->items[i].number;
  }
  double octave = t == T_TO_SCALE ? 12.0 : args[0].number;
  return prog_with_pattern(c, x, pat_to_scale(s, octave, steps, (size_t)n, x.pattern));
}

static double number_item(prog_compiler *c, int t, const prog_value *v) {
  if (v->kind != V_NUMBER || !isfinite(v->number))
    prog_fail(c, v->line, v->column, "%s chooses among numbers, like %s, not %s",
              prog_transform_name(t),
              t == T_WCHOOSE || t == T_WCHOOSE_BY ? "[(0, 1), (7, 0.5)]" : "[0, 2, 7]",
              prog_value_kind_name(v));
  return v->number;
}

/* choose xs = chooseBy rand xs; cycleChoose = segment 1 . choose;
   wchoose [(x, weight), ...] = wchooseBy rand ... (numbers only). */
prog_value prog_choose(prog_compiler *c, int t, const prog_value *args, int line, int column) {
  bool weighted = t == T_WCHOOSE || t == T_WCHOOSE_BY, by = t == T_CHOOSE_BY || t == T_WCHOOSE_BY;
  const prog_value *list = &args[by ? 1 : 0];
  int n = list->item_count;
  if (n == 0 || n > 256)
    prog_fail(c, list->line, list->column, "%s takes from 1 to 256 values", prog_transform_name(t));
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
                prog_transform_name(t), prog_value_kind_name(item));
    table[i] = number_item(c, t, &item->items[0]);
    table[n + i] = number_item(c, t, &item->items[1]);
    if (!(table[n + i] >= 0))
      prog_fail(c, item->items[1].line, item->items[1].column, "%s's weights are 0 or more",
                prog_transform_name(t));
  }
  const pat_pattern *f =
      by ? prog_transform_pattern(c, t, &args[0]) : pat_signal(s, PAT_SIGNAL_RAND, 0);
  const pat_pattern *p =
      weighted ? pat_wchoose_by(s, f, table, (size_t)n) : pat_choose_by(s, f, table, (size_t)n);
  if (t == T_CYCLE_CHOOSE)
    p = pat_segment(s, prog_pure(c, 1), p);
  if (!p && weighted)
    prog_fail(c, list->line, list->column, "%s needs a weight above 0", prog_transform_name(t));
  prog_value v = {.kind = V_PATTERN, .line = line, .column = column};
  v.pattern = prog_checked(c, p);
  return v;
}

/* select f [p, q], squeeze i [p, q], fit step [x, y] i: a pattern of
   numbers choosing among a list (fit's of values: numbers or names). */
prog_value prog_choose_among(prog_compiler *c, int t, const prog_value *args, int line,
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
    items = prog_list_patterns(c, prog_transform_name(t), list, &kind, &uses_macro);
  }
  pat_store *s = c->program->store;
  const pat_pattern *index = prog_transform_pattern(c, t, &args[t == T_FIT ? 2 : 0]);
  const pat_pattern *p =
      t == T_FIT ? pat_fit(s, prog_transform_pattern(c, t, &args[0]), items, (size_t)n, index)
                 : pat_pick(s, t == T_SELECT ? PAT_PICK_SELECT : PAT_PICK_SQUEEZE, index, items,
                            (size_t)n);
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
prog_value prog_take_in_turn(prog_compiler *c, int t, const prog_value *args, int line,
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
