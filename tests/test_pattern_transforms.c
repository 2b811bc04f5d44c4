/* Transforms against Strudel: each line of tests/strudel/transforms.txt is a
   Strudel expression; this builds the same pattern through the C API (a tiny
   evaluator of the expression) and compares its events over 4 cycles with
   tests/strudel/transforms.jsonl (made by query_js.mjs). */
#include <check.h>

#include "check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tools/host/text_file.h"
#include "pattern/pattern.h"

/* ---- expression values -------------------------------------------------- */

#define MAX_CALL_ARGS 6

typedef struct value value;
typedef enum { V_PATTERN, V_NUMBER, V_FUNCTION } value_kind;
struct value {
  value_kind kind;
  const pat_pattern *pattern;
  double number;
  const char *name; /* V_FUNCTION: partially applied transform */
  value *args[MAX_CALL_ARGS];
  int arg_count;
};

typedef struct {
  const char *name;
  int arity; /* including the pattern */
} function_def;

static const function_def functions[] = {
    {"fast", 2},      {"slow", 2},        {"rev", 1},         {"every", 3}, {"firstOf", 3},
    {"degradeBy", 2}, {"sometimesBy", 3}, {"sometimes", 2},   {"often", 2}, {"rarely", 2},
    {"ply", 2},       {"iter", 2},        {"palindrome", 1},  {"off", 3},   {"echo", 4},
    {"stut", 4},      {"euclid", 3},      {"euclidRot", 4},   {"jux", 2},   {"late", 2},
    {"early", 2},     {"stack", 2},       {"s", 1},           {"gain", 1},  {"pan", 1},
    {"reify", 1},     {"inside", 3},      {"superimpose", 2},
};

static pat_store *store;
static char eval_error[200];

static value *all_values[4096];
static size_t value_count;

static value *new_value(value_kind kind) {
  if (value_count == sizeof all_values / sizeof all_values[0])
    return NULL;
  value *v = calloc(1, sizeof(value));
  if (!v)
    return NULL;
  v->kind = kind;
  all_values[value_count++] = v;
  return v;
}

static void free_values(void) {
  while (value_count)
    free(all_values[--value_count]);
}

static const pat_pattern *as_pattern(const value *v) {
  if (v->kind == V_PATTERN)
    return v->pattern;
  if (v->kind == V_NUMBER)
    return pat_number(store, v->number);
  snprintf(eval_error, sizeof eval_error, "a function where a pattern belongs");
  return NULL;
}

static const pat_pattern *apply(const value *fn, const pat_pattern *p);

static const pat_pattern *apply_callback(pat_store *s, const pat_pattern *q, void *context) {
  (void)s;
  return apply(context, q);
}

static const pat_pattern *call(const char *name, value **a, int n) {
  const pat_pattern *p = as_pattern(a[n - 1]);
#define PAT(i) as_pattern(a[i])
  if (!strcmp(name, "fast"))
    return pat_fast(store, PAT(0), p);
  if (!strcmp(name, "slow"))
    return pat_slow(store, PAT(0), p);
  if (!strcmp(name, "rev"))
    return pat_rev(store, p);
  if (!strcmp(name, "every") || !strcmp(name, "firstOf"))
    return pat_every(store, PAT(0), apply(a[1], p), p);
  if (!strcmp(name, "degradeBy"))
    return pat_degrade_by(store, PAT(0), p);
  if (!strcmp(name, "sometimesBy"))
    return pat_sometimes_by(store, PAT(0), apply_callback, a[1], p);
  if (!strcmp(name, "sometimes") || !strcmp(name, "often") || !strcmp(name, "rarely")) {
    double amount = !strcmp(name, "sometimes") ? 0.5 : !strcmp(name, "often") ? 0.75 : 0.25;
    return pat_sometimes_by(store, pat_number(store, amount), apply_callback, a[0], p);
  }
  if (!strcmp(name, "ply"))
    return pat_ply(store, PAT(0), p);
  if (!strcmp(name, "iter"))
    return pat_iter(store, PAT(0), p);
  if (!strcmp(name, "palindrome"))
    return pat_palindrome(store, p);
  if (!strcmp(name, "off"))
    return pat_off(store, PAT(0), apply_callback, a[1], p);
  if (!strcmp(name, "echo"))
    return pat_echo(store, PAT(0), PAT(1), PAT(2), p);
  if (!strcmp(name, "stut"))
    return pat_stut(store, PAT(0), PAT(1), PAT(2), p);
  if (!strcmp(name, "euclid"))
    return pat_euclid(store, PAT(0), PAT(1), NULL, p);
  if (!strcmp(name, "euclidRot"))
    return pat_euclid(store, PAT(0), PAT(1), PAT(2), p);
  if (!strcmp(name, "jux"))
    return pat_jux(store, apply(a[0], p), p);
  if (!strcmp(name, "late"))
    return pat_late(store, PAT(0), p);
  if (!strcmp(name, "early"))
    return pat_early(store, PAT(0), p);
  if (!strcmp(name, "stack"))
    return pat_stack2(store, PAT(0), p);
  if (!strcmp(name, "reify"))
    return p;
  if (!strcmp(name, "inside"))
    return pat_inside(store, pat_number(store, a[0]->number), false, apply_callback, a[1], p);
  if (!strcmp(name, "superimpose"))
    return pat_superimpose(store, apply_callback, a[0], p);
  if (!strcmp(name, "s") || !strcmp(name, "gain") || !strcmp(name, "pan"))
    return pat_control_pattern(store, (pat_control)pat_control_lookup(name, strlen(name)), p);
#undef PAT
  snprintf(eval_error, sizeof eval_error, "unknown function %s", name);
  return NULL;
}

static const pat_pattern *apply(const value *fn, const pat_pattern *p) {
  if (!fn || fn->kind != V_FUNCTION || !p)
    return NULL;
  value *args[MAX_CALL_ARGS + 1];
  memcpy(args, fn->args, sizeof(value *) * (size_t)fn->arg_count);
  value last = {.kind = V_PATTERN, .pattern = p};
  args[fn->arg_count] = &last;
  return call(fn->name, args, fn->arg_count + 1);
}

/* ---- expression parser: call := name "(" args ")", strings, numbers ------- */

static void skip_ws(const char **s) {
  while (**s == ' ')
    (*s)++;
}

static value *parse_expr(const char **s);

static value *parse_primary(const char **s) {
  skip_ws(s);
  if (**s == '"') {
    const char *start = ++*s;
    while (**s && **s != '"')
      (*s)++;
    size_t len = (size_t)(*s - start);
    (*s)++;
    pat_error error;
    value *v = new_value(V_PATTERN);
    if (!v)
      return NULL;
    v->pattern = pat_parse(store, start, len, 1, 1, &error);
    if (!v->pattern)
      snprintf(eval_error, sizeof eval_error, "%s", error.message);
    return v;
  }
  if ((**s >= '0' && **s <= '9') || **s == '-' || **s == '.') {
    value *v = new_value(V_NUMBER);
    char *end;
    if (!v)
      return NULL;
    v->number = strtod(*s, &end);
    *s = end;
    return v;
  }
  const char *start = *s;
  while ((**s >= 'a' && **s <= 'z') || (**s >= 'A' && **s <= 'Z'))
    (*s)++;
  size_t len = (size_t)(*s - start);
  const function_def *def = NULL;
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
    if (strlen(functions[i].name) == len && !strncmp(functions[i].name, start, len))
      def = &functions[i];
  if (!def) {
    snprintf(eval_error, sizeof eval_error, "unknown name %.*s", (int)len, start);
    return NULL;
  }
  value *fn = new_value(V_FUNCTION);
  if (!fn)
    return NULL;
  fn->name = def->name;
  skip_ws(s);
  if (**s == '(') {
    (*s)++;
    skip_ws(s);
    while (**s && **s != ')') {
      value *arg = parse_expr(s);
      if (!arg || fn->arg_count == MAX_CALL_ARGS)
        return NULL;
      fn->args[fn->arg_count++] = arg;
      skip_ws(s);
      if (**s == ',')
        (*s)++;
      skip_ws(s);
    }
    if (**s == ')')
      (*s)++;
  }
  if (fn->arg_count == def->arity) {
    value *v = new_value(V_PATTERN);
    if (!v)
      return NULL;
    v->pattern = call(def->name, fn->args, fn->arg_count);
    return v;
  }
  return fn;
}

/* Strudel's operator methods: p.add(x) (structure from p), p.add.out(x) (from
   x), p.add.mix(x) (both); p.gain(x) is p.set(gain(x)). */
static const struct {
  const char *name;
  pat_op op;
} operators[] = {{"set", PAT_OP_SET}, {"keep", PAT_OP_KEEP}, {"add", PAT_OP_ADD},
                 {"sub", PAT_OP_SUB}, {"mul", PAT_OP_MUL},   {"div", PAT_OP_DIV},
                 {"mod", PAT_OP_MOD}};

static size_t word(const char **s) {
  const char *start = *s;
  while ((**s >= 'a' && **s <= 'z') || (**s >= 'A' && **s <= 'Z'))
    (*s)++;
  return (size_t)(*s - start);
}

static value *parse_expr(const char **s) {
  value *v = parse_primary(s);
  while (v && **s == '.' && !(s[0][1] >= '0' && s[0][1] <= '9')) {
    (*s)++;
    const char *name = *s;
    size_t length = word(s);
    pat_op op = PAT_OP_SET;
    bool known = false;
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++)
      if (strlen(operators[i].name) == length && !strncmp(operators[i].name, name, length))
        op = operators[i].op, known = true;
    int control = known ? -1 : pat_control_lookup(name, length);
    if (!known && control < 0) {
      snprintf(eval_error, sizeof eval_error, "unknown method %.*s", (int)length, name);
      return NULL;
    }
    pat_structure structure = PAT_STRUCTURE_LEFT;
    if (known && **s == '.') {
      (*s)++;
      const char *how = *s;
      size_t how_length = word(s);
      structure = how_length == 3 && !strncmp(how, "out", 3)   ? PAT_STRUCTURE_RIGHT
                  : how_length == 3 && !strncmp(how, "mix", 3) ? PAT_STRUCTURE_BOTH
                                                               : PAT_STRUCTURE_LEFT;
    }
    if (**s != '(')
      return NULL;
    (*s)++;
    value *arg = parse_expr(s);
    skip_ws(s);
    if (!arg || **s != ')')
      return NULL;
    (*s)++;
    const pat_pattern *right = as_pattern(arg);
    if (control >= 0)
      right = pat_control_pattern(store, (pat_control)control, right);
    value *result = new_value(V_PATTERN);
    if (!result)
      return NULL;
    result->pattern = pat_combine(store, op, structure, as_pattern(v), right);
    v = result;
  }
  return v;
}

/* ---- formatting (as query_js.mjs) ----------------------------------------------- */

typedef struct {
  const pat_event *event;
  char value[256]; /* "" when the value has no value or s (query_js.mjs leaves it out) */
  double begin, end, gain, pan; /* pan: -1 when unset, as query_js.mjs sorts */
  bool has_pan;
  size_t index;
} row;

/* query_js.mjs's flatten: a map's value (or s), gain (1 when unset), pan (-1: unset). */
static void flatten(const pat_value *v, row *r) {
  r->gain = 1;
  r->pan = -1;
  r->has_pan = false;
  r->value[0] = '\0';
  if (v->kind != PAT_VALUE_CONTROLS) {
    pat_json_value(v, r->value, sizeof r->value);
    return;
  }
  const pat_controls *map = v->controls;
  if (pat_controls_has(map, PAT_CONTROL_VALUE)) {
    pat_json_value(&map->value, r->value, sizeof r->value);
  } else if (pat_controls_has(map, PAT_CONTROL_S)) {
    pat_value sound = {.kind = PAT_VALUE_STRING, .str = pat_controls_string(map, PAT_CONTROL_S)};
    pat_json_value(&sound, r->value, sizeof r->value);
  }
  if (pat_controls_has(map, PAT_CONTROL_GAIN))
    r->gain = pat_controls_number(map, PAT_CONTROL_GAIN, 1.0);
  if (pat_controls_has(map, PAT_CONTROL_PAN))
    r->pan = pat_controls_number(map, PAT_CONTROL_PAN, 0.5), r->has_pan = true;
}

static int compare_rows(const void *pa, const void *pb) {
  const row *a = pa, *b = pb;
  if (a->begin != b->begin)
    return a->begin < b->begin ? -1 : 1;
  if (a->end != b->end)
    return a->end < b->end ? -1 : 1;
  int c = strcmp(a->value, b->value);
  if (c)
    return c;
  if (a->gain != b->gain)
    return a->gain < b->gain ? -1 : 1;
  if (a->pan != b->pan)
    return a->pan < b->pan ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

static void append(char **out, size_t *len, const char *text) {
  size_t n = strlen(text);
  *out = realloc(*out, *len + n + 1);
  memcpy(*out + *len, text, n + 1);
  *len += n;
}

static void append_arc(char **out, size_t *len, const char *name, pat_arc arc) {
  char buf[128];
  char b[48], e[48];
  pat_rat_format(arc.begin, b, sizeof b);
  pat_rat_format(arc.end, e, sizeof e);
  snprintf(buf, sizeof buf, "\"%s\":[\"%s\",\"%s\"]", name, b, e);
  append(out, len, buf);
}

static char *format_events(const char *expr, const pat_event *events, size_t count) {
  char *out = NULL;
  size_t len = 0;
  row *rows = calloc(count ? count : 1, sizeof(row));
  size_t n = 0;
  for (size_t i = 0; i < count; i++) {
    if (pat_rat_cmp(events[i].whole.begin, events[i].part.begin) != 0)
      continue;
    rows[n].event = &events[i];
    flatten(&events[i].value, &rows[n]);
    rows[n].begin = pat_rat_to_double(events[i].whole.begin);
    rows[n].end = pat_rat_to_double(events[i].whole.end);
    rows[n].index = n;
    n++;
  }
  qsort(rows, n, sizeof(row), compare_rows);
  append(&out, &len, "{\"expr\":");
  char quoted[1024];
  pat_value as_string = {.kind = PAT_VALUE_STRING, .str = expr};
  pat_json_value(&as_string, quoted, sizeof quoted);
  append(&out, &len, quoted);
  append(&out, &len, ",\"events\":[");
  for (size_t i = 0; i < n; i++) {
    char buf[128];
    append(&out, &len, i ? ",{" : "{");
    append_arc(&out, &len, "whole", rows[i].event->whole);
    append(&out, &len, ",");
    append_arc(&out, &len, "part", rows[i].event->part);
    if (rows[i].value[0]) {
      append(&out, &len, ",\"value\":");
      append(&out, &len, rows[i].value);
    }
    pat_value gain = {.kind = PAT_VALUE_NUMBER, .number = rows[i].gain};
    pat_json_value(&gain, buf, sizeof buf);
    append(&out, &len, ",\"gain\":");
    append(&out, &len, buf);
    append(&out, &len, ",\"pan\":");
    if (!rows[i].has_pan) {
      append(&out, &len, "null");
    } else {
      pat_value pan = {.kind = PAT_VALUE_NUMBER, .number = rows[i].pan};
      pat_json_value(&pan, buf, sizeof buf);
      append(&out, &len, buf);
    }
    append(&out, &len, "}");
  }
  append(&out, &len, "]}");
  free(rows);
  return out;
}

/* ---- the test ---------------------------------------------------------------------- */

static char *read_file(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "tests/strudel/%s", name);
  return cb_read_repo_file(path);
}

START_TEST(every_transform_matches_strudel) {
  char *exprs = read_file("transforms.txt"), *expected = read_file("transforms.jsonl");
  ck_assert_msg(exprs && expected, "tests/strudel/transforms.{txt,jsonl} not found (CB_TOP?)");
  size_t arena_size = (size_t)16 << 20;
  void *memory = malloc(arena_size);
  int total = 0, passed = 0;
  char *exp_line = expected;
  for (char *line = strtok(exprs, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#' || line[0] == '\0')
      continue;
    char *exp_end = strchr(exp_line, '\n');
    if (exp_end)
      *exp_end = '\0';
    total++;
    store = pat_store_new();
    eval_error[0] = '\0';
    const char *cursor = line;
    value *v = parse_expr(&cursor);
    const pat_pattern *p = v && v->kind != V_FUNCTION ? as_pattern(v) : NULL;
    if (p) {
      pat_arena arena;
      const pat_event *events;
      pat_arena_init(&arena, memory, arena_size);
      pat_arc span = {{0, 1}, {4, 1}};
      size_t count = pat_query(p, span, &arena, &events);
      char *mine = format_events(line, events, arena.failed ? 0 : count);
      if (strcmp(mine, exp_line) == 0)
        passed++;
      else
        fprintf(stderr, "MISMATCH %s\n  mine:     %.600s\n  strudel:  %.600s\n", line, mine,
                exp_line);
      free(mine);
    } else {
      fprintf(stderr, "could not build %s: %s\n", line, eval_error);
    }
    pat_store_free(store);
    free_values();
    exp_line = exp_end ? exp_end + 1 : exp_line + strlen(exp_line);
  }
  printf("transforms: %d/%d match Strudel\n", passed, total);
  ck_assert_int_gt(total, 50);
  ck_assert_int_eq(passed, total);
  free(memory);
  free(exprs);
  free(expected);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pattern_transforms");
  TCase *tc = tcase_create("strudel");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, every_transform_matches_strudel);
  suite_add_tcase(s, tc);
  return check_run(s);
}
