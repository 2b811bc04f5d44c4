/* Output lines: `s "..."` and controls become layers (a structure pattern and
   the controls read at its onsets); `#` merges controls into the events on
   its left; the bus names in `s` strings are checked here, at compile time. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "program_private.h"

/* The signals without arguments, by pat_signal_kind (irand takes one). */
static const char *const continuous_names[] = {
    [PAT_SIGNAL_SINE] = "sine",    [PAT_SIGNAL_COSINE] = "cosine", [PAT_SIGNAL_SAW] = "saw",
    [PAT_SIGNAL_ISAW] = "isaw",    [PAT_SIGNAL_TRI] = "tri",       [PAT_SIGNAL_SQUARE] = "square",
    [PAT_SIGNAL_RAND] = "rand",    [PAT_SIGNAL_IRAND] = NULL,      [PAT_SIGNAL_PERLIN] = "perlin",
    [PAT_SIGNAL_ENVL] = "envL",    [PAT_SIGNAL_ENVR] = "envR",     [PAT_SIGNAL_ENVEQ] = "envEq",
    [PAT_SIGNAL_ENVEQR] = "envEqR"};
#define CONTINUOUS_COUNT (int)(sizeof continuous_names / sizeof continuous_names[0])

/* The output line's functions besides the controls (pat_control_lookup). */
const char *const prog_output_function_names[] = {
    "sine", "cosine",  "saw",    "isaw", "tri",  "square",  "rand",  "irand",  "range", "scale",
    "run",  "silence", "perlin", "envL", "envR", "samples", "envEq", "envEqR", "scan"};
const int prog_output_function_count =
    (int)(sizeof prog_output_function_names / sizeof prog_output_function_names[0]);

bool prog_output_has(const char *name, size_t length) {
  if (pat_control_lookup(name, length) >= 0)
    return true;
  for (int i = 0; i < prog_output_function_count; ++i)
    if (prog_name_is(name, length, prog_output_function_names[i]))
      return true;
  return false;
}

const pat_pattern *prog_checked(prog_compiler *c, const pat_pattern *p) {
  if (!p)
    prog_fail(c, 0, 0, "out of memory");
  return p;
}

const pat_pattern *prog_as_pattern(prog_compiler *c, const prog_value *v) {
  if (v->kind == V_NUMBER)
    return prog_checked(c, pat_number(c->program->store, v->number));
  return v->kind == V_PATTERN || v->kind == V_CONTROLS ? v->pattern : NULL;
}

/* A pattern made by a builtin at `node` (NULL: out of memory). */
static prog_value pattern_value(prog_compiler *c, value_kind kind, const pat_pattern *pattern,
                                const ast *node) {
  prog_value v = prog_value_new(kind, node);
  v.pattern = prog_checked(c, pattern);
  return v;
}

prog_value prog_combine(prog_compiler *c, pat_op op, pat_structure structure, prog_value left,
                        prog_value right, int line, int column) {
  const pat_pattern *a = prog_as_pattern(c, &left), *b = prog_as_pattern(c, &right);
  if (!a || !b)
    prog_fail(c, line, column, "'%s' combines patterns, not %s", op == PAT_OP_SET ? "#" : "|+",
              prog_value_kind_name(a ? &right : &left));
  prog_value v = left;
  v.kind = left.kind == V_CONTROLS || right.kind == V_CONTROLS ? V_CONTROLS : V_PATTERN;
  v.line = line;
  v.column = column;
  v.pattern = prog_checked(c, pat_combine(c->program->store, op, structure, a, b));
  v.uses_macro = left.uses_macro || right.uses_macro;
  return v;
}

/* ---- bus names in `s` strings ------------------------------------------------------------ */

static bool is_word_char(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

static void check_bus_word(prog_compiler *c, const char *word, size_t length, int line, int column,
                           uint64_t *mask) {
  for (int d = 0; d < c->decl_count; ++d) {
    bus_decl *decl = &c->decls[d];
    if (decl->length != length || memcmp(decl->name, word, length) != 0)
      continue;
    if (decl->line > c->statement_line)
      prog_fail(c, line, column,
                "bus '~%s' is defined on line %d, below this line; define "
                "buses above the lines that play them",
                decl->name, decl->line);
    if (decl->value_only)
      prog_fail(c, line, column, "'~%s' is a value (a number or pattern), not a sound", decl->name);
    if (decl->is_line)
      prog_fail(c, line, column,
                "'~%s' is a line (it plays sounds), not a synth: use it as a line, like "
                "out: ~%s",
                decl->name, decl->name);
    if (decl->program_index >= 0)
      *mask |= (uint64_t)1 << decl->program_index;
    return;
  }
  prog_unknown_bus(c, word, length, line, column);
}

/* Every `~name` in the strings of an `s` argument must name a bus above. */
/* step's, step''s and steps' rows are characters, not names: for such a
   call only its names are scanned (scan(c, name node, context)); false for
   any other node. */
static bool scan_step_names(prog_compiler *c, const ast *node,
                            void (*scan)(prog_compiler *, const ast *, void *), void *context) {
  const ast *head = node->kind == AST_APPLY ? node->left : NULL;
  if (!head || head->kind != AST_NAME || node->arg_count == 0 ||
      !(prog_name_is(head->text, head->length, "step") ||
        prog_name_is(head->text, head->length, "step'") ||
        prog_name_is(head->text, head->length, "steps")))
    return false;
  const ast *names = node->args[0];
  bool pairs = prog_name_is(head->text, head->length, "steps");
  if (!pairs)
    scan(c, names, context);
  for (int i = 0; pairs && names->kind == AST_LIST && i < names->arg_count; ++i)
    if (names->args[i]->kind == AST_TUPLE && names->args[i]->arg_count > 0)
      scan(c, names->args[i]->args[0], context);
  return true;
}

static void scan_bus_names(prog_compiler *c, const ast *node, uint64_t *mask);
static void scan_bus_names_of(prog_compiler *c, const ast *node, void *mask) {
  scan_bus_names(c, node, mask);
}

static void scan_bus_names(prog_compiler *c, const ast *node, uint64_t *mask) {
  if (!node)
    return;
  if (node->kind == AST_STRING) {
    for (size_t i = 0; i < node->length; ++i) {
      bool tilde = node->text[i] == '~';
      size_t start = tilde ? i + 1 : i;
      if (start >= node->length || !isalpha((unsigned char)node->text[start]) ||
          (i > 0 && is_word_char(node->text[i - 1])))
        continue;
      size_t end = start;
      while (end < node->length && is_word_char(node->text[end]))
        ++end;
      int column = node->column + 1 + (int)i;
      if (tilde || prog_prelude_has(node->text + start, end - start)) {
        check_bus_word(c, node->text + start, end - start, node->line, column, mask);
      } else {
        for (int d = 0; d < c->decl_count; ++d)
          if (c->decls[d].length == end - start &&
              memcmp(c->decls[d].name, node->text + start, end - start) == 0)
            prog_fail(c, node->line, column,
                      "'%s' is not a bus name here: buses are written "
                      "with a tilde, '~%s'",
                      c->decls[d].name, c->decls[d].name);
      }
      i = end - 1;
    }
    return;
  }
  if (scan_step_names(c, node, scan_bus_names_of, mask))
    return;
  scan_bus_names(c, node->left, mask);
  scan_bus_names(c, node->right, mask);
  for (int i = 0; i < node->arg_count; ++i)
    scan_bus_names(c, node->args[i], mask);
}

/* ---- sample names in `s` strings ----------------------------------------------------------- */

static bool is_sample_char(char ch) { return is_word_char(ch) || ch == '-'; }

/* A bus's name written without its tilde: scan_bus_names reports it. */
static bool is_bus_name(const prog_compiler *c, const char *word, size_t length) {
  for (int d = 0; d < c->decl_count; ++d)
    if (c->decls[d].length == length && memcmp(c->decls[d].name, word, length) == 0)
      return true;
  return false;
}

/* The sound names in one string of an `s` argument: the words that start a
   step (not a number, a rest, a bus, nor what follows ':', '*', '/', '@',
   '!', '?', '%' or sits in a euclid's parentheses) and hold a letter. */
static void scan_sample_words(prog_compiler *c, const ast *node, bool bank) {
  const char *text = node->text;
  int depth = 0;
  for (size_t i = 0; i < node->length; ++i) {
    char ch = text[i];
    if (ch == '(' || ch == ')') {
      depth += ch == '(' ? 1 : (depth > 0 ? -1 : 0);
      continue;
    }
    if (depth > 0 || !is_word_char(ch))
      continue;
    char before = i > 0 ? text[i - 1] : ' ';
    size_t end = i;
    while (end < node->length && is_sample_char(text[end]))
      ++end;
    while (end > i + 1 && text[end - 1] == '-')
      --end;
    bool starts_step = before == ' ' || before == '\t' || before == '[' || before == '<' ||
                       before == '{' || before == ',' || before == '|' || before == '.';
    bool has_letter = false;
    for (size_t k = i; k < end; ++k)
      has_letter = has_letter || isalpha((unsigned char)text[k]);
    if (starts_step && has_letter && (bank || !is_bus_name(c, text + i, end - i)))
      prog_sample_word_add(c, text + i, end - i, node->line, node->column + 1 + (int)i, bank);
    i = end - 1;
  }
}

static void scan_sample_names(prog_compiler *c, const ast *node, bool bank);
static void scan_sample_names_of(prog_compiler *c, const ast *node, void *bank) {
  scan_sample_names(c, node, *(bool *)bank);
}

static void scan_sample_names(prog_compiler *c, const ast *node, bool bank) {
  if (!node)
    return;
  if (node->kind == AST_STRING) {
    scan_sample_words(c, node, bank);
    return;
  }
  if (scan_step_names(c, node, scan_sample_names_of, &bank))
    return;
  scan_sample_names(c, node->left, bank);
  scan_sample_names(c, node->right, bank);
  for (int i = 0; i < node->arg_count; ++i)
    scan_sample_names(c, node->args[i], bank);
}

void prog_scan_sample_names(prog_compiler *c, const ast *node) {
  scan_sample_names(c, node, false);
}

/* ---- builtins --------------------------------------------------------------------------- */

static prog_value control(prog_compiler *c, pat_control key, const prog_value *args, int count,
                          const ast *node) {
  if (count == 2 && args[1].kind == V_FUNC) /* s "bd sn" $ fast 2 */
    prog_fail(c, args[1].line, args[1].column,
              "'$' applies the function on its left to what follows; write the transform "
              "first, as in 'fast 2 $ %.*s ...' (Phonon's 'pattern $ transform' order is not "
              "supported)",
              (int)node->length, node->text);
  if (count != 1)
    prog_fail(c, node->line, node->column, "%.*s takes one pattern, as in '%.*s \"%s\"'",
              (int)node->length, node->text, (int)node->length, node->text,
              key == PAT_CONTROL_S      ? "~bass"
              : key == PAT_CONTROL_NOTE ? "c4 e4"
                                        : "0.5");
  const prog_value *v = &args[0];
  const pat_pattern *values = v->kind == V_CONTROLS ? NULL : prog_as_pattern(c, v);
  if (!values)
    prog_fail(c, v->line, v->column, "%.*s takes a pattern, number or macro, not %s",
              (int)node->length, node->text, prog_value_kind_name(v));
  if (key == PAT_CONTROL_S) {
    if (v->kind != V_PATTERN)
      prog_fail(c, v->line, v->column, "%.*s takes a pattern of bus names, like \"~bass\"",
                (int)node->length, node->text);
    scan_bus_names(c, v->origin, &c->line_bus_mask);
    scan_sample_names(c, v->origin, false);
    c->line_has_s = true;
  }
  if (key == PAT_CONTROL_BANK && v->kind == V_PATTERN)
    scan_sample_names(c, v->origin, true);
  c->line_stages |= prog_stage_of_control(key);
  prog_value made =
      pattern_value(c, V_CONTROLS, pat_control_pattern(c->program->store, key, values), node);
  made.uses_macro = v->uses_macro;
  return made;
}

/* Every word in the strings of a scale's name must name a scale. */
static void check_scale_names(prog_compiler *c, const ast *node) {
  if (!node)
    return;
  if (node->kind == AST_STRING) {
    for (size_t i = 0; i < node->length; ++i) {
      if (!isalpha((unsigned char)node->text[i]) || (i > 0 && is_word_char(node->text[i - 1])))
        continue;
      size_t end = i;
      while (end < node->length && is_word_char(node->text[end]))
        ++end;
      if (pat_scale_lookup(node->text + i, end - i) < 0) {
        const char *names[64];
        int n = pat_scale_count() < 64 ? pat_scale_count() : 64;
        for (int k = 0; k < n; ++k)
          names[k] = pat_scale_name(k);
        char hint[80];
        prog_did_you_mean(hint, sizeof hint, "", prog_suggest(node->text + i, end - i, names, n));
        prog_fail(c, node->line, node->column + 1 + (int)i, "unknown scale '%.*s'%s",
                  (int)(end - i), node->text + i, hint);
      }
      i = end - 1;
    }
    return;
  }
  check_scale_names(c, node->left);
  check_scale_names(c, node->right);
  for (int i = 0; i < node->arg_count; ++i)
    check_scale_names(c, node->args[i]);
}

/* scale "major" "0 .. 7": the degrees as semitones above the scale's root,
   Tidal's scale (add the root: note (scale "minor" "0 2 4" + 48)); the
   structure comes from the degrees. */
static prog_value scale(prog_compiler *c, const prog_value *args, int count, const ast *node) {
  if (count != 2)
    prog_fail(c, node->line, node->column,
              "scale takes a scale's name and degrees, as in 'scale \"major\" \"0 2 4\"'");
  const prog_value *name = &args[0], *degrees = &args[1];
  if (name->kind != V_PATTERN || !name->pattern)
    prog_fail(c, name->line, name->column,
              "scale takes the scale's name as a pattern, like \"major\" or \"<major minor>\"");
  check_scale_names(c, name->origin);
  if (degrees->kind != V_NUMBER && degrees->kind != V_PATTERN)
    prog_fail(c, degrees->line, degrees->column, "scale takes degrees (numbers), not %s",
              prog_value_kind_name(degrees));
  return prog_combine(c, PAT_OP_SCALE, PAT_STRUCTURE_LEFT, *degrees, *name, node->line,
                      node->column);
}

/* range lo hi x = x * (hi - lo) + lo, Strudel's range: the structure is x's. */
static prog_value range(prog_compiler *c, const prog_value *args, int count, const ast *node) {
  if (count != 3)
    prog_fail(c, node->line, node->column,
              "range takes a low, a high and a pattern, as in "
              "'range 200 2000 sine'");
  for (int i = 0; i < 3; ++i)
    if (args[i].kind != V_NUMBER && args[i].kind != V_PATTERN)
      prog_fail(c, args[i].line, args[i].column, "range takes numbers and patterns, not %s",
                prog_value_kind_name(&args[i]));
  if (args[0].kind == V_NUMBER && args[1].kind == V_NUMBER)
    return pattern_value(c, V_PATTERN,
                         pat_range_numbers(c->program->store, args[0].number, args[1].number,
                                           prog_as_pattern(c, &args[2])),
                         node);
  int line = node->line, column = node->column;
  prog_value span = prog_combine(c, PAT_OP_SUB, PAT_STRUCTURE_BOTH, args[1], args[0], line, column);
  prog_value scaled = prog_combine(c, PAT_OP_MUL, PAT_STRUCTURE_LEFT, args[2], span, line, column);
  return prog_combine(c, PAT_OP_ADD, PAT_STRUCTURE_LEFT, scaled, args[0], line, column);
}

prog_value prog_output_builtin(prog_compiler *c, const char *name, size_t length,
                               const prog_value *args, int count, const ast *node, bool *found) {
  *found = true;
  int key = pat_control_lookup(name, length);
  if (key >= 0)
    return control(c, (pat_control)key, args, count, node);
  for (int i = 0; i < CONTINUOUS_COUNT; ++i) {
    if (!continuous_names[i] || !prog_name_is(name, length, continuous_names[i]))
      continue;
    if (count > 0)
      prog_fail(c, args[0].line, args[0].column,
                "on an output line %s is a pattern of values from 0 to 1 and takes no "
                "arguments; to play a synth, define a bus (~x: %s ...) and play it with "
                "s \"~x\" (Phonon's continuous signal outputs are not supported)",
                continuous_names[i], continuous_names[i]);
    /* a pattern like any other, so transforms move it too */
    return pattern_value(c, V_PATTERN, pat_signal(c->program->store, (pat_signal_kind)i, 0.0),
                         node);
  }
  bool scan = prog_name_is(name, length, "scan");
  if (scan || prog_name_is(name, length, "run")) { /* run n: "0 1 .. n-1" */
    if (count != 1 || args[0].kind != V_NUMBER || !(args[0].number >= 1.0) ||
        args[0].number > (scan ? 64.0 : 1024.0))
      prog_fail(c, node->line, node->column, "%s",
                scan ? "scan takes a count from 1 to 64, like scan 8"
                     : "run takes a count from 1 to 1024, like run 8");
    int n = (int)args[0].number;
    const pat_pattern **steps = prog_alloc(c, (size_t)n * sizeof *steps);
    const pat_pattern **runs = prog_alloc(c, (size_t)n * sizeof *runs);
    for (int i = 0; i < n; ++i) {
      if (!(steps[i] = pat_number(c->program->store, i)))
        prog_fail(c, 0, 0, "out of memory");
      /* scan n: cat [run 1, run 2, .. run n] (Tidal's) */
      runs[i] = prog_checked(c, pat_fastcat(c->program->store, steps, (size_t)i + 1));
    }
    return pattern_value(
        c, V_PATTERN, scan ? pat_slowcat(c->program->store, runs, (size_t)n) : runs[n - 1], node);
  }
  if (prog_name_is(name, length, "irand")) {
    if (count != 1 || args[0].kind != V_NUMBER || !(args[0].number >= 1.0) || args[0].number > 1e9)
      prog_fail(c, node->line, node->column,
                "irand takes how many whole numbers to choose from, like irand 8");
    return pattern_value(c, V_PATTERN,
                         pat_signal(c->program->store, PAT_SIGNAL_IRAND, args[0].number), node);
  }
  if (prog_name_is(name, length, "samples")) { /* Tidal's samples name n: name:n, <*> */
    if (count != 2 || args[0].kind != V_PATTERN || !args[0].pattern ||
        (args[1].kind != V_NUMBER && args[1].kind != V_PATTERN))
      prog_fail(c, node->line, node->column,
                "samples takes names and numbers, as in 'samples \"arpy*8\" (run 16)'");
    return prog_combine(c, PAT_OP_PICK, PAT_STRUCTURE_BOTH, args[0], args[1], node->line,
                        node->column);
  }
  if (prog_name_is(name, length, "range"))
    return range(c, args, count, node);
  if (prog_name_is(name, length, "scale"))
    return scale(c, args, count, node);
  if (prog_name_is(name, length, "silence")) {
    if (count > 0)
      prog_fail(c, node->line, node->column, "silence takes no arguments");
    return pattern_value(c, V_CONTROLS, prog_silence(c), node);
  }
  for (int i = 0; i < prog_bus_function_count; ++i)
    if (prog_name_is(name, length, prog_bus_function_names[i]))
      prog_fail(c, node->line, node->column, "'%.*s' belongs in a bus definition (~name $ ...)",
                (int)length, name);
  *found = false;
  prog_value none = {0};
  return none;
}

/* ---- '#' and Tidal's operators ------------------------------------------------------------ */

static pat_op operator_of(char op) {
  switch (op) {
  case '+':
    return PAT_OP_ADD;
  case '-':
    return PAT_OP_SUB;
  case '*':
    return PAT_OP_MUL;
  case '/':
    return PAT_OP_DIV;
  case '%':
    return PAT_OP_MOD;
  case '<':
    return PAT_OP_KEEP;
  case 'c':
    return PAT_OP_CONCAT;
  default: /* '#', '>' */
    return PAT_OP_SET;
  }
}

/* `left # right` and the operators: control patterns meet control patterns
   (plain patterns may meet plain patterns: "0 2" |+ "<12 7>"). */
prog_value prog_output_chain(prog_compiler *c, prog_value left, prog_value right, char op,
                             uint8_t structure, int line, int column) {
  char name[5] = "#";
  if (op != '#') {
    const char *text = op == 'c' ? "++" : (char[]){op, '\0'};
    snprintf(name, sizeof name, "%s%s%s", structure == PAT_STRUCTURE_RIGHT ? "" : "|", text,
             structure == PAT_STRUCTURE_LEFT ? "" : "|");
  }
  bool plain = left.kind != V_CONTROLS && right.kind != V_CONTROLS && op != '#';
  if (!plain && left.kind != V_CONTROLS)
    prog_fail(c, left.line, left.column,
              "the left of '%s' must be events, like s \"~bass\", not %s", name,
              prog_value_kind_name(&left));
  if (!plain && right.kind != V_CONTROLS)
    prog_fail(c, right.line, right.column,
              "after '%s' comes a control, like '%s note \"c e\"', not %s", name, name,
              prog_value_kind_name(&right));
  return prog_combine(c, operator_of(op), (pat_structure)structure, left, right, line, column);
}

/* ---- output lines ------------------------------------------------------------------------ */

void prog_compile_output(prog_compiler *c, const prog_stmt *stmt, bus_decl *line) {
  prog_program *p = c->program;
  c->in_bus = false;
  c->modulator = false;
  c->statement_line = stmt->line;
  c->line_bus_mask = 0;
  c->line_has_s = false;
  c->line_stages = 0;
  prog_value v = prog_eval(c, stmt->body);
  prog_sample_line(c);
  if (v.kind != V_CONTROLS)
    prog_fail(c, v.line, v.column,
              "an output line plays events: start it with s \"~bus\", "
              "not %s",
              prog_value_kind_name(&v));
  if (!c->line_has_s)
    prog_fail(c, stmt->line, stmt->column, "%s%.*s plays nothing: add a sound, like # s \"~bass\"",
              line ? "~" : "", (int)stmt->name_length, stmt->name);
  if (line) {
    line->line_pattern = v.pattern;
    line->line_bus_mask = c->line_bus_mask;
    line->line_stages = c->line_stages;
    if (!line->plays_alone)
      return;
    if (p->output_count == PROG_MAX_OUTPUTS)
      prog_fail(c, stmt->line, stmt->column,
                "too many output lines (at most %d; without out or d1 lines, each named "
                "line is one)",
                PROG_MAX_OUTPUTS);
  }
  prog_output *out = &p->outputs[p->output_count];
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name, "%s%.*s", line ? "~" : "", (int)stmt->name_length,
           stmt->name);
  out->pattern = v.pattern;
  /* the copy of each bus its events may ask for: the filter stages their
     controls add that the bus lacks (by the filters an event sets), and the
     effects and filter envelopes the line's controls use (for every event:
     they pass the sound through until set) */
  for (int b = 0; b < p->bus_count && b < 64; ++b) {
    for (int set = 0; set < PROG_STAGE_SETS; ++set) {
      out->bus_map[b][set] = (uint8_t)b;
      uint32_t filters = (uint32_t)set & c->line_stages & STAGE_FILTERS;
      uint32_t missing =
          (filters | (c->line_stages & ~(uint32_t)STAGE_FILTERS)) & ~p->buses[b].stages;
      uint32_t with_filters = (p->buses[b].stages | filters) & STAGE_FILTERS;
      if (!(with_filters & STAGE_LPF)) /* an envelope needs its filter */
        missing &= ~(uint32_t)STAGE_LPENV;
      if (!(with_filters & STAGE_HPF))
        missing &= ~(uint32_t)STAGE_HPENV;
      if (!(with_filters & STAGE_BPF))
        missing &= ~(uint32_t)STAGE_BPENV;
      if ((c->line_bus_mask >> b) & 1u && missing)
        out->bus_map[b][set] = (uint8_t)prog_add_variant(c, b, missing, stmt->line, stmt->column);
    }
  }
  p->output_count++;
}
