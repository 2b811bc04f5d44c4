/* Evaluation of the syntax tree to compile-time values: numbers, patterns
   (a macro is one too), control patterns, synth signals (in buses), and
   functions awaiting arguments (currying, `$`, sections). */
#include <stdlib.h>
#include <string.h>

#include "program_private.h"

const char *prog_value_kind_name(const prog_value *v) {
  switch (v->kind) {
  case V_NUMBER:
    return "a number";
  case V_PATTERN:
    return v->uses_macro ? "a pattern made from a macro" : "a pattern";
  case V_SIGNAL:
    return "a signal";
  case V_CONTROLS:
    return "events";
  case V_FUNC:
    return "a function";
  case V_LIST:
    return v->tuple ? "a tuple" : "a list";
  }
  return "?";
}

const pat_pattern *prog_silence(prog_compiler *c) {
  if (!c->silence) {
    c->silence = pat_silence(c->program->store);
    if (!c->silence)
      prog_fail(c, 0, 0, "out of memory");
  }
  return c->silence;
}

/* A value of `kind` made at `node`: no expression, nothing else set. */
prog_value prog_value_new(value_kind kind, const ast *node) {
  prog_value v;
  memset(&v, 0, sizeof v);
  v.kind = kind;
  v.line = node->line;
  v.column = node->column;
  v.origin = node;
  return v;
}

static prog_value eval_string(prog_compiler *c, const ast *node) {
  pat_error error;
  memset(&error, 0, sizeof error);
  const pat_pattern *pattern =
      pat_parse(c->program->store, node->text, node->length, node->line, node->column + 1, &error);
  if (!pattern) {
    if (error.line > 0)
      prog_fail(c, error.line, error.column, "%s", error.message);
    prog_fail(c, node->line, node->column, "%s", error.message[0] ? error.message : "bad pattern");
  }
  prog_value v = prog_value_new(V_PATTERN, node);
  v.pattern = pattern;
  return v;
}

static prog_value eval_macro(prog_compiler *c, const ast *node) {
  for (int m = 0; m < PROG_MACRO_COUNT; ++m) {
    if (prog_name_is(node->text, node->length, prog_macro_names[m])) {
      prog_value v = prog_value_new(V_PATTERN, node); /* a continuous pattern of the knob */
      v.uses_macro = true;
      v.pattern = prog_checked(c, pat_input(c->program->store, m));
      return v;
    }
  }
  char hint[80];
  prog_did_you_mean(hint, sizeof hint, "\\",
                    prog_suggest(node->text, node->length, prog_macro_names, PROG_MACRO_COUNT));
  prog_fail(c, node->line, node->column,
            "unknown macro '\\%.*s'%s; the macros are \\cutoff, "
            "\\res, \\attack, \\release, \\gain and \\m1 to \\m8",
            (int)node->length, node->text, hint);
}

/* Arithmetic on numbers (folded now) and on patterns (Tidal's + between
   patterns: the structure from both sides). Signals are the bus compiler's
   business. */
prog_value prog_arithmetic(prog_compiler *c, char op, prog_value a, prog_value b, int line,
                           int column) {
  if (c->in_bus && (a.kind == V_SIGNAL || b.kind == V_SIGNAL))
    return prog_bus_binary(c, op, a, b, line, column);
  /* events + events is Tidal's |+|; events + a number has no meaning */
  bool controls = !c->in_bus && a.kind == V_CONTROLS && b.kind == V_CONTROLS;
  if (!c->in_bus && (a.kind == V_CONTROLS) != (b.kind == V_CONTROLS))
    prog_fail(c, line, column,
              "'%c' cannot combine events with a value; to change a control's values, write "
              "'|%c' (# note \"c e\" |%c note 12) or put the arithmetic inside it, like "
              "note (\"c e\" %c 12)",
              op, op, op, op);
  const prog_value *bad = (a.kind != V_NUMBER && a.kind != V_PATTERN && !controls)   ? &a
                          : (b.kind != V_NUMBER && b.kind != V_PATTERN && !controls) ? &b
                                                                                     : NULL;
  if (bad)
    prog_fail(c, line, column, "'%c' cannot be used on %s", op, prog_value_kind_name(bad));
  prog_value v = a;
  v.line = line;
  v.column = column;
  if (a.kind == V_NUMBER && b.kind == V_NUMBER) {
    v.number = op == '+'         ? a.number + b.number
               : op == '-'       ? a.number - b.number
               : op == '*'       ? a.number * b.number
               : b.number != 0.0 ? a.number / b.number
                                 : 0.0;
    return v;
  }
  return prog_combine(c,
                      op == '+'   ? PAT_OP_ADD
                      : op == '-' ? PAT_OP_SUB
                      : op == '*' ? PAT_OP_MUL
                                  : PAT_OP_DIV,
                      PAT_STRUCTURE_BOTH, a, b, line, column);
}

static prog_value negate(prog_compiler *c, prog_value a, const ast *node) {
  if (a.kind == V_NUMBER) {
    a.number = -a.number;
    return a;
  }
  prog_value zero = prog_value_new(V_NUMBER, node);
  return prog_arithmetic(c, '-', zero, a, node->line, node->column);
}

static prog_value make_function(prog_compiler *c, int builtin, const char *name, const ast *section,
                                const ast *node) {
  prog_value v = prog_value_new(V_FUNC, node);
  v.func = prog_alloc(c, sizeof *v.func);
  memset(v.func, 0, sizeof *v.func);
  v.func->builtin = builtin;
  v.func->section = section;
  v.func->name = name;
  return v;
}

/* Unknown names get the closest known one as a suggestion. After '#' on an
   output line a name is a control, so the message says so. */
static _Noreturn void unknown_name(prog_compiler *c, const ast *node, bool as_control) {
  prog_phonon_only(c, node->text, node->length, node->line, node->column);
  enum { MAX_CANDIDATES = 400 };
  const char *candidates[MAX_CANDIDATES];
  int count = 0;
  if (!as_control)
    for (int t = 0; t < prog_transform_count() && count < MAX_CANDIDATES; ++t)
      candidates[count++] = prog_transform_name(t);
  const char *const *names = c->in_bus ? prog_bus_function_names : prog_output_function_names;
  int name_count = c->in_bus ? prog_bus_function_count : prog_output_function_count;
  for (int b = 0; b < name_count && count < MAX_CANDIDATES; ++b)
    candidates[count++] = names[b];
  for (size_t k = 0; !c->in_bus && pat_control_name_at(k) && count < MAX_CANDIDATES; ++k)
    candidates[count++] = pat_control_name_at(k);
  char hint[80];
  prog_did_you_mean(hint, sizeof hint, "",
                    prog_suggest(node->text, node->length, candidates, count));
  prog_fail(c, node->line, node->column, "unknown %s '%.*s'%s", as_control ? "control" : "function",
            (int)node->length, node->text, hint);
}

/* The name a call starts with, or NULL. */
static const ast *head_name(const ast *node) {
  while (node->kind == AST_APPLY || node->kind == AST_PAREN)
    node = node->left;
  return node->kind == AST_NAME ? node : NULL;
}

/* After '#' on an output line comes a control: an unknown name there is
   reported as an unknown control. */
static void check_control_name(prog_compiler *c, const ast *right) {
  const ast *control = head_name(right);
  if (!c->in_bus && control && prog_transform_lookup(control->text, control->length) < 0 &&
      !prog_let_binding(c, control->text, control->length) &&
      !prog_output_has(control->text, control->length) &&
      !prog_bus_has(control->text, control->length))
    unknown_name(c, control, true);
}

const prog_stmt *prog_let_binding(const prog_compiler *c, const char *name, size_t length) {
  for (int i = 0; i < c->stmt_count; ++i)
    if (c->stmts[i].kind == STMT_LET && c->stmts[i].name_length == length &&
        memcmp(c->stmts[i].name, name, length) == 0)
      return &c->stmts[i];
  return NULL;
}

/* Calls the function `name` with `count` evaluated arguments. */
static prog_value call_name(prog_compiler *c, const ast *name, const prog_value *args, int count) {
  const prog_stmt *bound = prog_let_binding(c, name->text, name->length);
  if (bound) { /* let name = value: the value, applied to the arguments */
    prog_value v = prog_eval(c, bound->body);
    return count ? prog_apply(c, v, args, count, name->line, name->column) : v;
  }
  int transform = prog_transform_lookup(name->text, name->length);
  if (transform >= 0) {
    prog_value f = make_function(c, transform, prog_transform_name(transform), NULL, name);
    if (count == 0) {
      if (prog_transform_arity(transform) == 0)
        return prog_transform_call(c, transform, args, name->line, name->column);
      return f;
    }
    return prog_apply(c, f, args, count, name->line, name->column);
  }
  bool found = false;
  prog_value v = c->in_bus
                     ? prog_bus_builtin(c, name->text, name->length, args, count, name, &found)
                     : prog_output_builtin(c, name->text, name->length, args, count, name, &found);
  if (!found)
    unknown_name(c, name, false);
  return v;
}

/* left # right (or left |+ right, ...): stages onto a signal in a bus,
   controls onto events on an output line. */
static prog_value chain(prog_compiler *c, prog_value left, char op, uint8_t structure,
                        const ast *right, int line, int column) {
  check_control_name(c, right);
  if (!c->in_bus)
    return prog_output_chain(c, left, prog_eval(c, right), op, structure, line, column);
  if (op != '#')
    prog_fail(c, line, column,
              "'|%c' combines the controls of events on an output line; in a bus, chain "
              "stages with '#'",
              op);
  return prog_bus_chain(c, left, right);
}

/* f . g: both must be functions of one pattern. */
static prog_value compose(prog_compiler *c, const ast *node) {
  prog_value parts[2] = {prog_eval(c, node->left), prog_eval(c, node->right)};
  for (int i = 0; i < 2; ++i)
    if (parts[i].kind != V_FUNC)
      prog_fail(c, parts[i].line, parts[i].column,
                "'.' joins functions, like 'fast 2 . rev'; this is %s",
                prog_value_kind_name(&parts[i]));
  prog_value v = make_function(c, PROG_FUNC_COMPOSE, ".", NULL, node);
  v.func->args[0] = parts[0];
  v.func->args[1] = parts[1];
  v.func->argc = 2;
  return v;
}

prog_value prog_apply(prog_compiler *c, prog_value function, const prog_value *args, int count,
                      int line, int column) {
  while (count > 0) {
    if (function.kind != V_FUNC)
      prog_fail(c, line, column, "%s cannot take arguments", prog_value_kind_name(&function));
    prog_func *f = function.func;
    if (f->builtin == PROG_FUNC_SECTION) { /* (# stage args), (+ 7) */
      if (f->arithmetic) {
        prog_value operand = prog_eval(c, f->section);
        function = f->operand_first ? prog_arithmetic(c, f->op, operand, args[0], line, column)
                                    : prog_arithmetic(c, f->op, args[0], operand, line, column);
      } else {
        function = chain(c, args[0], f->op, f->structure, f->section, line, column);
      }
      args++, count--;
      continue;
    }
    if (f->builtin == PROG_FUNC_COMPOSE) { /* (f . g) x = f (g x) */
      prog_value inner = prog_apply(c, f->args[1], args, 1, line, column);
      function = prog_apply(c, f->args[0], &inner, 1, line, column);
      args++, count--;
      continue;
    }
    int arity = prog_transform_arity(f->builtin);
    prog_func *grown = prog_alloc(c, sizeof *grown);
    *grown = *f;
    while (count > 0 && grown->argc < arity) {
      prog_transform_check_argument(c, grown->builtin, grown->argc, &args[0]);
      grown->args[grown->argc++] = args[0];
      args++, count--;
    }
    if (grown->argc < arity) {
      function.func = grown;
      return function;
    }
    function = prog_transform_call(c, grown->builtin, grown->args, line, column);
  }
  return function;
}

static prog_value eval_apply(prog_compiler *c, const ast *node) {
  /* f a $ b is APPLY(APPLY(f, a), b): gather the head and all arguments. */
  const ast *parts[PROG_FUNC_ARGS + 1];
  int part_count = 0;
  const ast *head = node;
  int total = 0;
  for (const ast *n = node; n->kind == AST_APPLY; n = n->left)
    total += n->arg_count, head = n->left;
  if (total > PROG_FUNC_ARGS)
    prog_fail(c, node->line, node->column, "too many arguments (no function takes more than %d)",
              PROG_FUNC_ARGS);
  part_count = total;
  for (const ast *n = node; n->kind == AST_APPLY; n = n->left)
    for (int i = n->arg_count - 1; i >= 0; --i)
      parts[--part_count] = n->args[i];
  if (head->kind == AST_NAME && prog_transform_lookup(head->text, head->length) < 0 &&
      !prog_bus_has(head->text, head->length) && !prog_output_has(head->text, head->length) &&
      !prog_let_binding(c, head->text, head->length))
    unknown_name(c, head, false); /* before the arguments, whose errors would mislead */
  prog_value args[PROG_FUNC_ARGS];
  bool was_modulator = c->modulator;
  for (int i = 0; i < total; ++i) {
    c->modulator = c->in_bus; /* an oscillator inside an argument keeps its frequency */
    args[i] = prog_eval(c, parts[i]);
  }
  c->modulator = was_modulator;
  if (head->kind == AST_NAME)
    return call_name(c, head, args, total);
  prog_value f = prog_eval(c, head);
  if (f.kind != V_FUNC)
    prog_fail(c, head->line, head->column, "%s cannot take arguments", prog_value_kind_name(&f));
  return prog_apply(c, f, args, total, node->line, node->column);
}

prog_value prog_eval(prog_compiler *c, const ast *node) {
  if (++c->depth > PROG_MAX_DEPTH)
    prog_fail(c, node->line, node->column, "too deeply nested (more than %d levels)",
              PROG_MAX_DEPTH);
  prog_value v;
  switch (node->kind) {
  case AST_NUMBER:
    v = prog_value_new(V_NUMBER, node);
    v.number = node->number;
    break;
  case AST_STRING:
    v = eval_string(c, node);
    break;
  case AST_MACRO:
    v = eval_macro(c, node);
    break;
  case AST_BUS:
    v = c->in_bus ? prog_bus_reference(c, node) : prog_line_reference(c, node);
    break;
  case AST_NAME:
    v = call_name(c, node, NULL, 0);
    break;
  case AST_APPLY:
    v = eval_apply(c, node);
    if (v.kind == V_PATTERN)
      v.origin = node; /* `s` finds bus names in all of its strings */
    break;
  case AST_BINARY: {
    if (!c->in_bus && prog_mix(c, node, &v))
      break;
    prog_value a = prog_eval(c, node->left);
    prog_value b = prog_eval(c, node->right);
    v = prog_arithmetic(c, node->op, a, b, node->line, node->column);
    break;
  }
  case AST_NEG:
    v = negate(c, prog_eval(c, node->left), node);
    break;
  case AST_CHAIN:
    v = chain(c, prog_eval(c, node->left), node->op, node->structure, node->right, node->line,
              node->column);
    break;
  case AST_SECTION:
    v = make_function(c, PROG_FUNC_SECTION, "#", node->right, node);
    v.func->op = node->op;
    v.func->structure = node->structure;
    v.func->arithmetic = node->arithmetic;
    v.func->operand_first = node->operand_first;
    break;
  case AST_LIST:
  case AST_TUPLE: {
    v = prog_value_new(V_LIST, node);
    v.tuple = node->kind == AST_TUPLE;
    prog_value *items =
        prog_alloc(c, (size_t)(node->arg_count ? node->arg_count : 1) * sizeof *items);
    for (int i = 0; i < node->arg_count; ++i)
      items[i] = prog_eval(c, node->args[i]);
    v.items = items;
    v.item_count = node->arg_count;
    break;
  }
  case AST_COMPOSE:
    v = compose(c, node);
    break;
  case AST_PAREN:
    v = prog_eval(c, node->left);
    if (v.kind == V_PATTERN)
      v.origin = node;
    v.line = node->line;
    v.column = node->column;
    break;
  default:
    prog_fail(c, node->line, node->column, "internal error: unknown syntax");
  }
  c->depth--;
  return v;
}
