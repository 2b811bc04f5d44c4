/* Named lines and mixes, Phonon's way of writing a rhythm: `~kick: s
   "bd(3,8)"` is a line named ~kick (a definition that plays sounds is not a
   synth), and `out: ~kick + ~snare * 0.8` mixes named lines: `+` plays both,
   `*` and `/` by a number scale the gain. As in Phonon, named lines are
   heard through the output lines (out, d1, ...) that use them; a program
   without output lines plays each named line as a line of its own. */
#include <string.h>

#include "program_private.h"

static bus_decl *find_line(prog_compiler *c, const char *name, size_t length) {
  for (int d = 0; d < c->decl_count; ++d)
    if (c->decls[d].is_line && c->decls[d].length == length &&
        memcmp(c->decls[d].name, name, length) == 0)
      return &c->decls[d];
  return NULL;
}

/* Is the expression a named line (defined above), a mix of some, or one
   transformed, where a line's events go (`~kick`, `~a + ~b * 0.5`,
   `fast 2 $ ~kick`, `~kick # note 3`)? */
static bool is_line_expression(prog_compiler *c, const ast *node) {
  switch (node->kind) {
  case AST_BUS:
    return find_line(c, node->text, node->length) != NULL;
  case AST_PAREN:
  case AST_CHAIN:
    return is_line_expression(c, node->left);
  case AST_BINARY:
    return is_line_expression(c, node->left) || is_line_expression(c, node->right);
  case AST_APPLY:
    return is_line_expression(c, node->args[node->arg_count - 1]);
  default:
    return false;
  }
}

/* Does the expression name `s` or `sound` anywhere? */
static bool names_a_sound(const ast *node) {
  if (!node)
    return false;
  if (node->kind == AST_NAME && (prog_name_is(node->text, node->length, "s") ||
                                 prog_name_is(node->text, node->length, "sound")))
    return true;
  if (names_a_sound(node->left) || names_a_sound(node->right))
    return true;
  for (int i = 0; i < node->arg_count; ++i)
    if (names_a_sound(node->args[i]))
      return true;
  return false;
}

/* A definition that plays sounds or is a line expression is a line, not a
   synth. */
static bool plays_sounds(prog_compiler *c, const ast *node) {
  return is_line_expression(c, node) || names_a_sound(node);
}

void prog_find_lines(prog_compiler *c) {
  bool has_output = false;
  for (int i = 0; i < c->stmt_count; ++i)
    has_output |= c->stmts[i].kind == STMT_OUTPUT;
  for (int d = 0; d < c->decl_count; ++d) { /* in program order: a line uses lines above it */
    c->decls[d].is_line = plays_sounds(c, c->decls[d].stmt->body);
    c->decls[d].plays_alone = c->decls[d].is_line && !has_output;
  }
}

prog_value prog_line_reference(prog_compiler *c, const ast *node) {
  bus_decl *line = find_line(c, node->text, node->length);
  if (!line) {
    for (int d = 0; d < c->decl_count; ++d)
      if (c->decls[d].length == node->length &&
          memcmp(c->decls[d].name, node->text, node->length) == 0)
        prog_fail(c, node->line, node->column,
                  "'~%s' is a synth; a line plays events, so play it with s \"~%s\" "
                  "(Phonon's continuous signals on output lines are not supported)",
                  c->decls[d].name, c->decls[d].name);
    prog_unknown_bus(c, node->text, node->length, node->line, node->column);
  }
  if (!line->line_pattern && line->line == c->statement_line)
    prog_fail(c, node->line, node->column, "line '~%s' uses itself", line->name);
  if (!line->line_pattern)
    prog_fail(c, node->line, node->column,
              "line '~%s' is defined on line %d, below this line; define lines above the lines "
              "that use them",
              line->name, line->line);
  c->line_bus_mask |= line->line_bus_mask;
  c->line_stages |= line->line_stages;
  c->line_has_s = true;
  prog_value v = prog_value_new(V_CONTROLS, node);
  v.pattern = line->line_pattern;
  return v;
}

static const ast *number_side(const ast *node) {
  if (node->kind == AST_NUMBER || (node->kind == AST_NEG && node->left->kind == AST_NUMBER))
    return node;
  return NULL;
}

static prog_value scale_gain(prog_compiler *c, prog_value events, double factor, const ast *at) {
  const pat_pattern *gain =
      prog_checked(c, pat_control_pattern(c->program->store, PAT_CONTROL_GAIN,
                                          prog_checked(c, pat_number(c->program->store, factor))));
  prog_value right = prog_value_new(V_CONTROLS, at);
  right.pattern = gain;
  return prog_combine(c, PAT_OP_MUL, PAT_STRUCTURE_LEFT, events, right, at->line, at->column);
}

static prog_value mix_operand(prog_compiler *c, const ast *node, const char *what) {
  prog_value v = prog_eval(c, node);
  if (v.kind != V_CONTROLS)
    prog_fail(c, v.line, v.column,
              "%s mixes lines of events, like ~kick + ~snare * 0.8, not %s (Phonon's continuous "
              "signals on output lines are not supported)",
              what, prog_value_kind_name(&v));
  return v;
}

bool prog_mix(prog_compiler *c, const ast *node, prog_value *mixed) {
  if (node->op == '+' && is_line_expression(c, node)) {
    prog_value a = mix_operand(c, node->left, "'+'"), b = mix_operand(c, node->right, "'+'");
    *mixed = a;
    mixed->line = node->line;
    mixed->column = node->column;
    mixed->pattern = prog_checked(c, pat_stack2(c->program->store, a.pattern, b.pattern));
    return true;
  }
  const ast *number = number_side(node->right);
  const ast *events = node->left;
  if (!number && node->op == '*' && number_side(node->left))
    number = node->left, events = node->right;
  if (!number || (node->op != '*' && node->op != '/') || !plays_sounds(c, events))
    return false;
  prog_value level = prog_eval(c, number);
  prog_value v = mix_operand(c, events, node->op == '*' ? "'*'" : "'/'");
  if (node->op == '/' && level.number == 0.0)
    prog_fail(c, number->line, number->column, "a line's level cannot be divided by 0");
  *mixed = scale_gain(c, v, node->op == '*' ? level.number : 1.0 / level.number, node);
  return true;
}

/* Synths, effects and helpers of Phonon's own that its examples use. */
static const char *const phonon_only[] = {"supersaw", "superfm", "synth",  "impulse",   "phasor",
                                          "segments", "reverb",  "chorus", "distort",   "delay",
                                          "compress", "limit",   "rms",    "transient", "perc",
                                          "mtof",     "mul",     "add",    "sin"};

void prog_phonon_only(prog_compiler *c, const char *name, size_t length, int line, int column) {
  for (size_t i = 0; i < sizeof phonon_only / sizeof phonon_only[0]; ++i)
    if (prog_name_is(name, length, phonon_only[i]))
      prog_fail(c, line, column,
                "'%.*s' is Phonon's; its own synths and effects are not supported (a bus is "
                "built from saw, square, pulse, tri, sine and noise, with the stages lpf, hpf, "
                "bpf, notch, env, adsr and gain)",
                (int)length, name);
}
