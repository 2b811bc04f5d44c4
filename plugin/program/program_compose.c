/* Tidal's control matching (fix, unfix, contrast), long-form composition
   (ur, seqP, seqPLoop, weave, weaveWith) and step sequencing (step, step',
   steps) in the program language: their lists of names, functions and
   (begin, end, pattern) triples read into the pattern engine's
   pat_match_controls, pat_ur, pat_seqp and its stacks and cats. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "program_private.h"

/* A name given as a string, like "n" or "drums" in ("drums", s "bd"). */
static const ast *name_of(prog_compiler *c, const char *function, const prog_value *v,
                          const char *example) {
  if (v->kind != V_PATTERN || !v->origin || v->origin->kind != AST_STRING || v->origin->length == 0)
    prog_fail(c, v->line, v->column, "%s takes a name in quotes here, like %s, not %s", function,
              example, prog_value_kind_name(v));
  return v->origin;
}

static const prog_value *pair_of(prog_compiler *c, const char *function, const prog_value *v,
                                 int size, const char *example) {
  if (v->kind != V_LIST || !v->tuple || v->item_count != size)
    prog_fail(c, v->line, v->column, "%s takes a list of %s here, like %s, not %s", function,
              size == 2 ? "pairs" : "triples", example,
              v->kind == V_LIST && v->tuple ? "a tuple of that size" : prog_value_kind_name(v));
  return v->items;
}

/* The test of fix and contrast: a control pattern (n "1", s "hh") or, as in
   Tidal's older maps, a list of (control, value) pairs: [("n", 1)]. */
static const pat_pattern *condition_of(prog_compiler *c, const char *function,
                                       const prog_value *v) {
  if (v->kind == V_CONTROLS)
    return v->pattern;
  const char *example = "[(\"n\", 1), (\"s\", \"drum\")]";
  if (v->kind != V_LIST || v->tuple)
    prog_fail(c, v->line, v->column, "%s tests events with controls, like (n 1) or %s, not with %s",
              function, example, prog_value_kind_name(v));
  pat_store *s = c->program->store;
  const pat_pattern *test = NULL;
  for (int i = 0; i < v->item_count; ++i) {
    const prog_value *pair = pair_of(c, function, &v->items[i], 2, example);
    const ast *name = name_of(c, function, &pair[0], example);
    int control = pat_control_lookup(name->text, name->length);
    if (control < 0)
      prog_fail(c, name->line, name->column + 1, "unknown control '%.*s'", (int)name->length,
                name->text);
    const pat_pattern *value = pair[1].kind == V_CONTROLS ? NULL : prog_as_pattern(c, &pair[1]);
    if (!value)
      prog_fail(c, pair[1].line, pair[1].column, "%s takes a number or a string here, not %s",
                function, prog_value_kind_name(&pair[1]));
    const pat_pattern *one = pat_control_pattern(s, (pat_control)control, value);
    test = prog_checked(c, test ? pat_combine(s, PAT_OP_SET, PAT_STRUCTURE_LEFT, test, one) : one);
  }
  return test ? test : prog_silence(c);
}

prog_value prog_contrast(prog_compiler *c, int t, const prog_value *if_matched,
                         const prog_value *if_not, const prog_value *condition, prog_value x,
                         int line, int column) {
  const char *function = prog_transform_name(t);
  if (x.kind != V_CONTROLS)
    prog_fail(c, x.line, x.column,
              "%s works on events, like %s (fast 2) (s \"hh\") $ s \"bd hh\", not on %s", function,
              function, prog_value_kind_name(&x));
  const pat_pattern *test = condition_of(c, function, condition);
  pat_store *s = c->program->store;
  prog_value parts[2] = {x, x};
  const prog_value *functions[2] = {if_matched, if_not};
  for (int i = 0; i < 2; ++i) {
    parts[i].pattern = prog_checked(c, pat_match_controls(s, test, i == 0, x.pattern));
    if (functions[i])
      parts[i] = prog_transform_apply(c, t, functions[i], parts[i], line, column);
  }
  x.pattern = prog_checked(c, pat_stack2(s, parts[0].pattern, parts[1].pattern));
  return x;
}

/* ---- ur ---------------------------------------------------------------------------- */

/* One of ur's functions, applied by the engine to its placeholder. */
typedef struct {
  prog_compiler *c;
  int t, line, column;
  const prog_value *f;
  prog_value x; /* of the named patterns' kind */
} ur_function;

static const pat_pattern *apply_ur_function(pat_store *store, const pat_pattern *q, void *context) {
  (void)store;
  ur_function *u = context;
  prog_value x = u->x;
  x.pattern = q;
  return prog_transform_apply(u->c, u->t, u->f, x, u->line, u->column).pattern;
}

static const char *name_text(prog_compiler *c, const ast *name) {
  char *text = prog_alloc(c, name->length + 1);
  memcpy(text, name->text, name->length);
  text[name->length] = '\0';
  return text;
}

/* ur period "a b:f" [("a", p), ...] [("f", fast 2), ...] */
prog_value prog_ur(prog_compiler *c, int t, const prog_value *args, int line, int column) {
  const char *patterns_example = "[(\"a\", s \"bd*4\"), (\"b\", s \"hh*8\")]";
  const char *functions_example = "[(\"faster\", fast 2)]";
  const prog_value *named = &args[2], *functions = &args[3];
  prog_list_items(c, "ur", named, patterns_example);
  prog_list_items(c, "ur", functions, functions_example);
  int count = named->item_count, fx_count = functions->item_count;
  if (count == 0)
    prog_fail(c, named->line, named->column, "ur needs at least one named pattern, like %s",
              patterns_example);
  const char **names = prog_alloc(c, (size_t)count * sizeof *names);
  const pat_pattern **patterns = prog_alloc(c, (size_t)count * sizeof *patterns);
  const char **fx_names = prog_alloc(c, (size_t)(fx_count ? fx_count : 1) * sizeof *fx_names);
  void **contexts = prog_alloc(c, (size_t)(fx_count ? fx_count : 1) * sizeof *contexts);
  int kind = -1;
  bool uses_macro = false;
  for (int i = 0; i < count; ++i) {
    const prog_value *pair = pair_of(c, "ur", &named->items[i], 2, patterns_example);
    names[i] = name_text(c, name_of(c, "ur", &pair[0], patterns_example));
    patterns[i] = prog_list_pattern(c, "ur", &pair[1], &kind);
    uses_macro = uses_macro || pair[1].uses_macro;
  }
  prog_value x = {
      .kind = kind == V_CONTROLS ? V_CONTROLS : V_PATTERN, .line = line, .column = column};
  x.uses_macro = uses_macro;
  for (int j = 0; j < fx_count; ++j) {
    const prog_value *pair = pair_of(c, "ur", &functions->items[j], 2, functions_example);
    fx_names[j] = name_text(c, name_of(c, "ur", &pair[0], functions_example));
    if (pair[1].kind != V_FUNC)
      prog_fail(c, pair[1].line, pair[1].column,
                "ur takes a function here, like (fast 2) or (# speed 2), not %s",
                prog_value_kind_name(&pair[1]));
    ur_function *u = prog_alloc(c, sizeof *u);
    *u = (ur_function){c, t, pair[1].line, pair[1].column, &pair[1], x};
    contexts[j] = u;
  }
  const pat_pattern *outer = prog_as_pattern(c, &args[1]);
  if (!outer || args[1].kind == V_CONTROLS)
    prog_fail(c, args[1].line, args[1].column,
              "ur takes a pattern of names here, like \"a b:faster\", not %s",
              prog_value_kind_name(&args[1]));
  x.pattern = prog_checked(c, pat_ur(c->program->store, args[0].number, outer, names, patterns,
                                     (size_t)count, fx_names, apply_ur_function, contexts,
                                     (size_t)fx_count));
  return x;
}

/* inhabit [("a", p), ...] "a b" */
prog_value prog_inhabit(prog_compiler *c, const prog_value *args, int line, int column) {
  const char *example = "[(\"a\", s \"bd*4\"), (\"b\", s \"hh*8\")]";
  const prog_value *named = &args[0];
  prog_list_items(c, "inhabit", named, example);
  int count = named->item_count, kind = -1;
  const char **names = prog_alloc(c, (size_t)(count ? count : 1) * sizeof *names);
  const pat_pattern **patterns = prog_alloc(c, (size_t)(count ? count : 1) * sizeof *patterns);
  prog_value x = {.kind = V_PATTERN, .line = line, .column = column};
  for (int i = 0; i < count; ++i) {
    const prog_value *pair = pair_of(c, "inhabit", &named->items[i], 2, example);
    names[i] = name_text(c, name_of(c, "inhabit", &pair[0], example));
    patterns[i] = prog_list_pattern(c, "inhabit", &pair[1], &kind);
    x.uses_macro = x.uses_macro || pair[1].uses_macro;
  }
  if (kind == V_CONTROLS)
    x.kind = V_CONTROLS;
  const pat_pattern *words = args[1].kind == V_CONTROLS ? NULL : prog_as_pattern(c, &args[1]);
  if (!words)
    prog_fail(c, args[1].line, args[1].column,
              "inhabit takes a pattern of names here, like \"a b\", not %s",
              prog_value_kind_name(&args[1]));
  x.pattern =
      prog_checked(c, pat_inhabit(c->program->store, words, names, patterns, (size_t)count));
  return x;
}

/* ---- seqP, seqPLoop -------------------------------------------------------------------- */

prog_value prog_seqp(prog_compiler *c, int t, bool loop, bool durations, const prog_value *list,
                     int line, int column) {
  const char *function = prog_transform_name(t);
  if (durations) { /* Tidal's ncat: seqPLoop of (sum before, sum to here, p), 0 lengths left out */
    double *weights = NULL;
    int kind = -1;
    bool uses_macro = false;
    const pat_pattern **items =
        prog_list_pairs(c, function, list, true, &weights, &kind, &uses_macro);
    int n = list->item_count ? list->item_count : 1, used = 0;
    double *begins = prog_alloc(c, (size_t)n * sizeof *begins);
    double *ends = prog_alloc(c, (size_t)n * sizeof *ends);
    const pat_pattern **kept = prog_alloc(c, (size_t)n * sizeof *kept);
    double at = 0;
    for (int i = 0; i < list->item_count; ++i) {
      if (weights[i] == 0)
        continue;
      begins[used] = at;
      ends[used] = at += weights[i];
      kept[used++] = items[i];
    }
    prog_value v = {.kind = kind == V_PATTERN ? V_PATTERN : V_CONTROLS,
                    .line = line,
                    .column = column,
                    .uses_macro = uses_macro};
    v.pattern =
        prog_checked(c, pat_seqp(c->program->store, begins, ends, kept, (size_t)used, true));
    return v;
  }
  const char *example = "[(0, 12, s \"bd bd*2\"), (4, 12, s \"hh*2\")]";
  prog_list_items(c, function, list, example);
  int n = list->item_count ? list->item_count : 1;
  double *begins = prog_alloc(c, (size_t)n * sizeof *begins);
  double *ends = prog_alloc(c, (size_t)n * sizeof *ends);
  const pat_pattern **items = prog_alloc(c, (size_t)n * sizeof *items);
  int kind = -1;
  bool uses_macro = false;
  for (int i = 0; i < list->item_count; ++i) {
    const prog_value *triple = pair_of(c, function, &list->items[i], 3, example);
    for (int k = 0; k < 2; ++k)
      if (triple[k].kind != V_NUMBER || !(fabs(triple[k].number) <= 1e9))
        prog_fail(c, triple[k].line, triple[k].column,
                  "%s takes a cycle number here, from -1e9 to 1e9, like %s, not %s", function,
                  example,
                  triple[k].kind == V_NUMBER ? "that number" : prog_value_kind_name(&triple[k]));
    begins[i] = triple[0].number;
    ends[i] = triple[1].number;
    items[i] = prog_list_pattern(c, function, &triple[2], &kind);
    uses_macro = uses_macro || triple[2].uses_macro;
  }
  prog_value v = {
      .kind = kind == V_PATTERN ? V_PATTERN : V_CONTROLS, .line = line, .column = column};
  v.uses_macro = uses_macro;
  v.pattern = prog_checked(
      c, pat_seqp(c->program->store, begins, ends, items, (size_t)list->item_count, loop));
  return v;
}

/* ---- weave, weaveWith ------------------------------------------------------------------ */

/* Tidal's weaveWith t p fs: slow t $ stack [i/l <~ fast t (f_i (slow t p))];
   weave t p ps: the same with f_i = (ps_i #). */
prog_value prog_weave(prog_compiler *c, int t, bool with_functions, const prog_value *args,
                      int line, int column) {
  const char *function = prog_transform_name(t);
  const prog_value *list = &args[2];
  prog_value p = args[1];
  const pat_pattern *subject = p.kind == V_FUNC || p.kind == V_LIST ? NULL : prog_as_pattern(c, &p);
  if (!subject)
    prog_fail(c, p.line, p.column, "%s weaves a pattern or events, not %s", function,
              prog_value_kind_name(&p));
  int n = list->item_count;
  if (n == 0)
    return (prog_value){
        .kind = V_CONTROLS, .line = line, .column = column, .pattern = prog_silence(c)};
  pat_store *s = c->program->store;
  const pat_pattern *period = prog_checked(c, pat_number(s, args[0].number));
  prog_value slowed = p;
  slowed.kind = p.kind == V_NUMBER ? V_PATTERN : p.kind;
  slowed.pattern = prog_checked(c, pat_slow(s, period, subject));
  const pat_pattern **threads = prog_alloc(c, (size_t)n * sizeof *threads);
  prog_value result = slowed;
  for (int i = 0; i < n; ++i) {
    const prog_value *item = &list->items[i];
    prog_value woven;
    if (with_functions) {
      if (item->kind != V_FUNC)
        prog_fail(c, item->line, item->column,
                  "weaveWith takes functions, like [fast 2, (# speed 2)], not %s",
                  prog_value_kind_name(item));
      woven = prog_transform_apply(c, t, item, slowed, line, column);
    } else {
      if (item->kind != V_CONTROLS)
        prog_fail(c, item->line, item->column,
                  "weave takes events to weave through, like [s \"bd sn\", s \"hh*4\"], not %s",
                  prog_value_kind_name(item));
      woven = *item;
      woven.pattern = prog_checked(
          c, pat_combine(s, PAT_OP_SET, PAT_STRUCTURE_LEFT, item->pattern, slowed.pattern));
      result.kind = V_CONTROLS;
    }
    result.uses_macro = result.uses_macro || woven.uses_macro;
    threads[i] = prog_checked(
        c, pat_early(s, pat_number(s, (double)i / n), pat_fast(s, period, woven.pattern)));
  }
  result.line = line;
  result.column = column;
  result.pattern = prog_checked(c, pat_slow(s, period, pat_stack(s, threads, (size_t)n)));
  return result;
}

/* Tidal's interlace a b = weave 16 (shape (sine * 0.9)) [a, b] */
prog_value prog_interlace(prog_compiler *c, int t, const prog_value *args, int line, int column) {
  for (int i = 0; i < 2; ++i)
    if (args[i].kind != V_CONTROLS)
      prog_fail(c, args[i].line, args[i].column,
                "interlace blends two lines of events, like interlace (s \"bd sn\") (s \"hh*4\"), "
                "not %s",
                prog_value_kind_name(&args[i]));
  pat_store *s = c->program->store;
  prog_value *items = prog_alloc(c, 2 * sizeof *items);
  items[0] = args[0];
  items[1] = args[1];
  const pat_pattern *sine = pat_range_numbers(s, 0, 0.9, pat_signal(s, PAT_SIGNAL_SINE, 0));
  prog_value weave_args[3] = {
      {.kind = V_NUMBER, .line = line, .column = column, .number = 16},
      {.kind = V_CONTROLS, .line = line, .column = column},
      {.kind = V_LIST, .line = line, .column = column, .items = items, .item_count = 2}};
  weave_args[1].pattern = prog_checked(c, pat_control_pattern(s, PAT_CONTROL_SHAPE, sine));
  return prog_weave(c, t, false, weave_args, line, column);
}

/* ---- step, step', steps ----------------------------------------------------------------- */

/* A name as a value: "sn" a string, "sn:1" a sample (as the mini-notation reads it). */
static const pat_pattern *name_value(prog_compiler *c, const char *text, size_t length, int index) {
  pat_value v = {.kind = PAT_VALUE_STRING};
  char *name = prog_alloc(c, length + 1);
  memcpy(name, text, length);
  name[length] = '\0';
  char *colon = strchr(name, ':');
  if (colon && colon[1] >= '0' && colon[1] <= '9' &&
      strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
    *colon = '\0';
    index = atoi(colon + 1);
  }
  if (index >= 0) {
    v.kind = PAT_VALUE_SAMPLE;
    v.number = index;
  }
  v.str = name;
  return prog_checked(c, pat_pure(c->program->store, v));
}

/* Tidal's step: one step a character, 'x' the first name, a digit d the
   name:d (step) or the d-th name (step'), anything else a rest. */
static const pat_pattern *step_row(prog_compiler *c, const char *function, const ast *const *names,
                                   int name_count, bool by_index, const ast *row) {
  if (row->length == 0 || row->length > 256)
    prog_fail(c, row->line, row->column, "%s takes from 1 to 256 steps", function);
  const pat_pattern **steps = prog_alloc(c, row->length * sizeof *steps);
  for (size_t i = 0; i < row->length; ++i) {
    char ch = row->text[i];
    const ast *name = ch == 'x' ? names[0]
                      : ch >= '0' && ch <= '9' && by_index && ch - '0' < name_count
                          ? names[ch - '0']
                      : ch >= '0' && ch <= '9' && !by_index ? names[0]
                                                            : NULL;
    steps[i] =
        !name ? prog_silence(c)
              : name_value(c, name->text, name->length, !by_index && ch != 'x' ? ch - '0' : -1);
  }
  return prog_checked(c, pat_fastcat(c->program->store, steps, row->length));
}

prog_value prog_steps(prog_compiler *c, int t, int form, const prog_value *args, int line,
                      int column) {
  const char *function = prog_transform_name(t);
  const char *example = form == 0   ? "step \"sn\" \"x x 12\""
                        : form == 1 ? "step' [\"bd\", \"sn\"] \"0 1 x\""
                                    : "steps [(\"cp\", \"x  x\"), (\"bd\", \"xxxx\")]";
  prog_value v = {.kind = V_PATTERN, .line = line, .column = column};
  if (form == 2) {
    prog_list_items(c, function, &args[0], example);
    int n = args[0].item_count;
    const pat_pattern **rows = prog_alloc(c, (size_t)(n ? n : 1) * sizeof *rows);
    for (int i = 0; i < n; ++i) {
      const prog_value *pair = pair_of(c, function, &args[0].items[i], 2, example);
      const ast *name = name_of(c, function, &pair[0], example);
      rows[i] = step_row(c, function, &name, 1, false, name_of(c, function, &pair[1], example));
    }
    v.pattern = prog_checked(c, pat_stack(c->program->store, rows, (size_t)n));
    return v;
  }
  int name_count = form == 0 ? 1 : args[0].item_count;
  const ast **names = prog_alloc(c, (size_t)(name_count ? name_count : 1) * sizeof *names);
  if (form == 0)
    names[0] = name_of(c, function, &args[0], example);
  else {
    prog_list_items(c, function, &args[0], example);
    if (name_count == 0)
      prog_fail(c, args[0].line, args[0].column, "%s needs at least one name, like %s", function,
                example);
    for (int i = 0; i < name_count; ++i)
      names[i] = name_of(c, function, &args[0].items[i], example);
  }
  v.pattern =
      step_row(c, function, names, name_count, form == 1, name_of(c, function, &args[1], example));
  return v;
}
