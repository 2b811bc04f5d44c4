/* Tidal's lists in the program language: `[a, b, c]` and tuples `(1, a)`
   as the arguments of stack, cat, timeCat, wrandcat, layer, spread. These
   read a list's items as patterns or weights and say what is wrong at the
   item itself. */
#include "program_private.h"

const prog_value *prog_list_items(prog_compiler *c, const char *function, const prog_value *v,
                                  const char *example) {
  if (v->kind != V_LIST || v->tuple)
    prog_fail(c, v->line, v->column, "%s takes a list here, like %s, not %s", function, example,
              prog_value_kind_name(v));
  return v->items;
}

/* An item as a pattern of the line's kind: events (a control pattern) or
   values (a pattern, a number); *kind is V_CONTROLS or V_PATTERN, set by
   the first item when it is not yet known (-1). */
const pat_pattern *prog_list_pattern(prog_compiler *c, const char *function, const prog_value *v,
                                     int *kind) {
  const pat_pattern *p = prog_as_pattern(c, v);
  int own = v->kind == V_CONTROLS ? V_CONTROLS : V_PATTERN;
  if (!p || v->kind == V_FUNC || v->kind == V_LIST)
    prog_fail(c, v->line, v->column, "%s expects patterns or events here, not %s", function,
              prog_value_kind_name(v));
  if (*kind >= 0 && own != *kind)
    prog_fail(c, v->line, v->column,
              "%s cannot mix events (s \"x\", note \"c\") with plain patterns; this is %s, "
              "the others are %s",
              function, own == V_CONTROLS ? "events" : "a plain pattern",
              *kind == V_CONTROLS ? "events" : "plain patterns");
  *kind = own;
  return p;
}

/* The items of a list of patterns, in the compiler's arena. */
const pat_pattern **prog_list_patterns(prog_compiler *c, const char *function, const prog_value *v,
                                       int *kind, bool *uses_macro) {
  const prog_value *items = prog_list_items(c, function, v, "[s \"bd*2\", s \"hh*3\"]");
  const pat_pattern **out =
      prog_alloc(c, (size_t)(v->item_count ? v->item_count : 1) * sizeof *out);
  for (int i = 0; i < v->item_count; ++i) {
    out[i] = prog_list_pattern(c, function, &items[i], kind);
    *uses_macro = *uses_macro || items[i].uses_macro;
  }
  return out;
}

/* A weight: a number from 0 to 1e6. */
double prog_list_weight(prog_compiler *c, const char *function, const prog_value *v) {
  if (v->kind != V_NUMBER || !(v->number >= 0.0) || v->number > 1e6)
    prog_fail(c, v->line, v->column, "%s takes a weight here, a number from 0 to 1000000, not %s",
              function, v->kind == V_NUMBER ? "that number" : prog_value_kind_name(v));
  return v->number;
}

/* The items of a list of pairs: tuples (weight, pattern) when weight_first
   (timeCat), else (pattern, weight) (wrandcat). */
const pat_pattern **prog_list_pairs(prog_compiler *c, const char *function, const prog_value *v,
                                    bool weight_first, double **weights, int *kind,
                                    bool *uses_macro) {
  const char *example = weight_first ? "[(1, s \"bd*4\"), (1, s \"hh*8\")]"
                                     : "[(s \"bd*2\", 0.5), (s \"hh*3\", 0.25)]";
  const prog_value *items = prog_list_items(c, function, v, example);
  int n = v->item_count ? v->item_count : 1;
  const pat_pattern **out = prog_alloc(c, (size_t)n * sizeof *out);
  *weights = prog_alloc(c, (size_t)n * sizeof **weights);
  for (int i = 0; i < v->item_count; ++i) {
    const prog_value *pair = &items[i];
    if (pair->kind != V_LIST || !pair->tuple || pair->item_count != 2)
      prog_fail(c, pair->line, pair->column, "%s takes pairs %s here, like %s, not %s", function,
                weight_first ? "(weight, pattern)" : "(pattern, weight)", example,
                pair->kind == V_LIST && pair->tuple ? "a tuple of that size"
                                                    : prog_value_kind_name(pair));
    (*weights)[i] = prog_list_weight(c, function, &pair->items[weight_first ? 0 : 1]);
    out[i] = prog_list_pattern(c, function, &pair->items[weight_first ? 1 : 0], kind);
    *uses_macro = *uses_macro || pair->items[weight_first ? 1 : 0].uses_macro;
  }
  return out;
}
