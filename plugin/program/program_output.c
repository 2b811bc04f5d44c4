/* Output lines: `s "..."` and controls become layers (a structure pattern and
   the controls read at its onsets); `#` merges controls into the events on
   its left; the bus names in `s` strings are checked here, at compile time. */
#include <ctype.h>
#include <string.h>

#include "program_private.h"

static const struct {
  const char *name;
  prog_control control;
} control_names[] = {
    {"s", CTL_S},           {"sound", CTL_S},         {"note", CTL_NOTE},
    {"n", CTL_N},           {"gain", CTL_GAIN},       {"pan", CTL_PAN},
    {"legato", CTL_LEGATO}, {"attack", CTL_ATTACK},   {"att", CTL_ATTACK},
    {"decay", CTL_DECAY},   {"sustain", CTL_SUSTAIN}, {"release", CTL_RELEASE},
    {"rel", CTL_RELEASE},   {"lpf", CTL_LPF},         {"cutoff", CTL_LPF},
    {"ctf", CTL_LPF},       {"res", CTL_RES},         {"resonance", CTL_RES},
    {"lpq", CTL_RES},       {"hpf", CTL_HPF},         {"hcutoff", CTL_HPF},
    {"hpq", CTL_HPQ},       {"hresonance", CTL_HPQ},  {"bpf", CTL_BPF},
    {"bandf", CTL_BPF},     {"bpq", CTL_BPQ},         {"bandq", CTL_BPQ},
};
#define CONTROL_NAME_COUNT ((int)(sizeof control_names / sizeof control_names[0]))

/* In the order of pat_signal_kind; irand (PAT_SIGNAL_IRAND) takes its argument. */
static const char *const continuous_names[] = {"sine", "cosine", "saw", "isaw",
                                               "tri",  "square", "rand"};
#define CONTINUOUS_COUNT 7

const char *const prog_output_function_names[] = {
    "s",      "sound",     "note",    "n",       "gain",    "pan", "legato",     "attack",
    "att",    "decay",     "sustain", "release", "rel",     "lpf", "cutoff",     "ctf",
    "res",    "resonance", "lpq",     "hpf",     "hcutoff", "hpq", "hresonance", "bpf",
    "bandf",  "bpq",       "bandq",   "sine",    "cosine",  "saw", "isaw",       "tri",
    "square", "rand",      "irand",   "range",   "scale",   "run", "silence"};
const int prog_output_function_count =
    (int)(sizeof prog_output_function_names / sizeof prog_output_function_names[0]);

int prog_control_lookup(const char *name, size_t length) {
  for (int i = 0; i < CONTROL_NAME_COUNT; ++i)
    if (prog_name_is(name, length, control_names[i].name))
      return control_names[i].control;
  return -1;
}

bool prog_output_has(const char *name, size_t length) {
  for (int i = 0; i < prog_output_function_count; ++i)
    if (prog_name_is(name, length, prog_output_function_names[i]))
      return true;
  return false;
}

int prog_layer_new(prog_compiler *c, const prog_layer *from) {
  if (c->scratch_count >= PROG_SCRATCH_LAYERS)
    prog_fail(c, c->statement_line, 1,
              "this line is too complex (it splits into too many "
              "layers; at most %d)",
              PROG_MAX_LAYERS);
  int index = c->scratch_count++;
  if (from)
    c->scratch[index] = *from;
  else {
    memset(&c->scratch[index], 0, sizeof c->scratch[index]);
    c->scratch[index].gain_scale = 1.0;
    c->scratch[index].structure_expr = -1;
  }
  return index;
}

static prog_value layers_value(int first, int count, const ast *node) {
  prog_value v = prog_value_new(V_LAYERS, node);
  v.first_layer = first;
  v.layer_count = count;
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
    if (decl->program_index >= 0)
      *mask |= (uint64_t)1 << decl->program_index;
    return;
  }
  prog_unknown_bus(c, word, length, line, column);
}

/* Every `~name` in the strings of an `s` argument must name a bus above. */
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
      if (tilde) {
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
  scan_bus_names(c, node->left, mask);
  scan_bus_names(c, node->right, mask);
  for (int i = 0; i < node->arg_count; ++i)
    scan_bus_names(c, node->args[i], mask);
}

/* ---- builtins --------------------------------------------------------------------------- */

static prog_value control(prog_compiler *c, prog_control key, const prog_value *args, int count,
                          const ast *node) {
  if (count != 1)
    prog_fail(c, node->line, node->column, "%.*s takes one pattern, as in '%.*s \"%s\"'",
              (int)node->length, node->text, (int)node->length, node->text,
              key == CTL_S      ? "~bass"
              : key == CTL_NOTE ? "c4 e4"
                                : "0.5");
  const prog_value *v = &args[0];
  if (v->kind != V_NUMBER && v->kind != V_ONSET)
    prog_fail(c, v->line, v->column, "%.*s takes a pattern, number or macro, not %s",
              (int)node->length, node->text, prog_value_kind_name(v));
  int index = prog_layer_new(c, NULL);
  prog_layer *layer = &c->scratch[index];
  layer->structure = (uint8_t)key;
  if (v->kind == V_NUMBER) {
    layer->events = pat_number(c->program->store, v->number);
    if (!layer->events)
      prog_fail(c, 0, 0, "out of memory");
    layer->structure_expr = prog_oe_new(c, OE_CONST, v->number, NULL);
  } else {
    layer->events = v->pattern; /* NULL for arithmetic: usable after '#' only */
    layer->structure_expr = v->oe;
  }
  if (key == CTL_S) {
    if (!v->pattern)
      prog_fail(c, v->line, v->column, "%.*s takes a pattern of bus names, like \"~bass\"",
                (int)node->length, node->text);
    scan_bus_names(c, v->origin, &layer->bus_mask);
  }
  return layers_value(index, 1, node);
}

/* A value computed at each onset from expression `oe`, made at `node`. */
static prog_value onset_value(int32_t oe, bool uses_macro, const ast *node) {
  prog_value v = prog_value_new(V_ONSET, node);
  v.oe = oe;
  v.uses_macro = uses_macro;
  return v;
}

/* A pattern made by a builtin (NULL: out of memory): transforms can take it. */
static prog_value pattern_value(prog_compiler *c, const pat_pattern *pattern, const ast *node) {
  if (!pattern)
    prog_fail(c, 0, 0, "out of memory");
  prog_value v = onset_value(prog_oe_new(c, OE_PATTERN, 0, pattern), false, node);
  v.pattern = pattern;
  return v;
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
      if (prog_scale_lookup(node->text + i, end - i) < 0) {
        char hint[80];
        prog_did_you_mean(hint, sizeof hint, "", prog_scale_suggest(node->text + i, end - i));
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
   Tidal's scale (add the root: note (scale "minor" "0 2 4" + 48)). */
static prog_value scale(prog_compiler *c, const prog_value *args, int count, const ast *node) {
  if (count != 2)
    prog_fail(c, node->line, node->column,
              "scale takes a scale's name and degrees, as in 'scale \"major\" \"0 2 4\"'");
  const prog_value *name = &args[0], *degrees = &args[1];
  if (name->kind != V_ONSET || !name->pattern)
    prog_fail(c, name->line, name->column,
              "scale takes the scale's name as a pattern, like \"major\" or \"<major minor>\"");
  check_scale_names(c, name->origin);
  if (degrees->kind != V_NUMBER && degrees->kind != V_ONSET)
    prog_fail(c, degrees->line, degrees->column, "scale takes degrees (numbers), not %s",
              prog_value_kind_name(degrees));
  int32_t oe = prog_oe_new(c, OE_SCALE, 0, name->pattern);
  c->program->oes[oe].left =
      degrees->kind == V_NUMBER ? prog_oe_new(c, OE_CONST, degrees->number, NULL) : degrees->oe;
  return onset_value(oe, degrees->uses_macro, node);
}

/* range lo hi x = lo + x * (hi - lo), for 0..1 values like sine. */
static prog_value range(prog_compiler *c, const prog_value *args, int count, const ast *node) {
  if (count != 3)
    prog_fail(c, node->line, node->column,
              "range takes a low, a high and a pattern, as in "
              "'range 200 2000 sine'");
  if (args[0].kind == V_NUMBER && args[1].kind == V_NUMBER && args[2].kind == V_ONSET &&
      args[2].pattern) /* a pattern still, so transforms such as segment can take it */
    return pattern_value(
        c, pat_range_numbers(c->program->store, args[0].number, args[1].number, args[2].pattern),
        node);
  int32_t oes[3];
  bool macro = false;
  for (int i = 0; i < 3; ++i) {
    if (args[i].kind == V_NUMBER)
      oes[i] = prog_oe_new(c, OE_CONST, args[i].number, NULL);
    else if (args[i].kind == V_ONSET)
      oes[i] = args[i].oe, macro |= args[i].uses_macro;
    else
      prog_fail(c, args[i].line, args[i].column, "range takes numbers and patterns, not %s",
                prog_value_kind_name(&args[i]));
  }
  int32_t span = prog_oe_new(c, OE_SUB, 0, NULL);
  c->program->oes[span].left = oes[1];
  c->program->oes[span].right = oes[0];
  int32_t scaled = prog_oe_new(c, OE_MUL, 0, NULL);
  c->program->oes[scaled].left = oes[2];
  c->program->oes[scaled].right = span;
  int32_t sum = prog_oe_new(c, OE_ADD, 0, NULL);
  c->program->oes[sum].left = scaled;
  c->program->oes[sum].right = oes[0];
  return onset_value(sum, macro, node);
}

prog_value prog_output_builtin(prog_compiler *c, const char *name, size_t length,
                               const prog_value *args, int count, const ast *node, bool *found) {
  *found = true;
  int key = prog_control_lookup(name, length);
  if (key >= 0)
    return control(c, (prog_control)key, args, count, node);
  for (int i = 0; i < CONTINUOUS_COUNT; ++i) {
    if (!prog_name_is(name, length, continuous_names[i]))
      continue;
    if (count > 0)
      prog_fail(c, args[0].line, args[0].column,
                "on an output line %s is a pattern of values from 0 to 1 and takes no arguments",
                continuous_names[i]);
    /* a pattern like any other, so transforms move it too */
    return pattern_value(c, pat_signal(c->program->store, (pat_signal_kind)i, 0.0), node);
  }
  if (prog_name_is(name, length, "run")) { /* run n: "0 1 .. n-1" */
    if (count != 1 || args[0].kind != V_NUMBER || !(args[0].number >= 1.0) ||
        args[0].number > 1024.0)
      prog_fail(c, node->line, node->column, "run takes a count from 1 to 1024, like run 8");
    int n = (int)args[0].number;
    const pat_pattern **steps = prog_alloc(c, (size_t)n * sizeof *steps);
    for (int i = 0; i < n; ++i)
      if (!(steps[i] = pat_number(c->program->store, i)))
        prog_fail(c, 0, 0, "out of memory");
    return pattern_value(c, pat_fastcat(c->program->store, steps, (size_t)n), node);
  }
  if (prog_name_is(name, length, "irand")) {
    if (count != 1 || args[0].kind != V_NUMBER || !(args[0].number >= 1.0) || args[0].number > 1e9)
      prog_fail(c, node->line, node->column,
                "irand takes how many whole numbers to choose from, like irand 8");
    return pattern_value(c, pat_signal(c->program->store, PAT_SIGNAL_IRAND, args[0].number), node);
  }
  if (prog_name_is(name, length, "range"))
    return range(c, args, count, node);
  if (prog_name_is(name, length, "scale"))
    return scale(c, args, count, node);
  if (prog_name_is(name, length, "silence")) {
    if (count > 0)
      prog_fail(c, node->line, node->column, "silence takes no arguments");
    return layers_value(c->scratch_count, 0, node);
  }
  for (int i = 0; i < prog_bus_function_count; ++i)
    if (prog_name_is(name, length, prog_bus_function_names[i]))
      prog_fail(c, node->line, node->column, "'%.*s' belongs in a bus definition (~name $ ...)",
                (int)length, name);
  *found = false;
  prog_value none = {0};
  return none;
}

/* ---- '#' and |+ |- |* |/ |< |>: controls onto events ----------------------------------- */

static int32_t *control_expr(prog_layer *layer, uint8_t key) {
  for (int k = 0; k < layer->control_count; ++k)
    if (layer->control_keys[k] == key)
      return &layer->control_exprs[k];
  return NULL;
}

/* One control from the right of an operator onto a layer, as Tidal's
   operators with the structure from the left do it: where the left has no
   such control, the right's value is taken; where it has one, `#` and `|>`
   take the right's, `|<` keeps the left's and `|+ |- |* |/` combine the two.
   Returns whether the layer now holds the right's value (or a combination). */
static bool merge_control(prog_compiler *c, prog_layer *layer, uint8_t key, int32_t expr, char op,
                          int line, int column) {
  int32_t *existing = control_expr(layer, key);
  bool on_left = existing || layer->structure == key;
  if (on_left && op == '<')
    return false;
  if (on_left && op != '#' && op != '>') {
    if (key == CTL_S)
      prog_fail(c, line, column,
                "'|%c' does arithmetic, but s names buses; use '#' to replace them", op);
    /* The structure's own value has no expression: it comes from the event. */
    int32_t left = existing ? *existing : prog_oe_new(c, OE_EVENT_VALUE, 0, NULL);
    oe_kind kind = op == '+' ? OE_ADD : op == '-' ? OE_SUB : op == '*' ? OE_MUL : OE_DIV;
    int32_t combined = prog_oe_new(c, kind, 0, NULL);
    c->program->oes[combined].left = left;
    c->program->oes[combined].right = expr;
    expr = combined;
  }
  if (existing) {
    *existing = expr;
  } else {
    layer->control_keys[layer->control_count] = key;
    layer->control_exprs[layer->control_count++] = expr;
  }
  return true;
}

prog_value prog_output_chain(prog_compiler *c, prog_value left, prog_value right, char op, int line,
                             int column) {
  char name[3] = {op == '#' ? '#' : '|', op == '#' ? '\0' : op, '\0'};
  if (left.kind != V_LAYERS)
    prog_fail(c, left.line, left.column,
              "the left of '%s' must be events, like s \"~bass\", not %s", name,
              prog_value_kind_name(&left));
  if (right.kind != V_LAYERS)
    prog_fail(c, right.line, right.column,
              "after '%s' comes a control, like '%s note \"c e\"', not %s", name, name,
              prog_value_kind_name(&right));
  if (right.layer_count != 1 || c->scratch[right.first_layer].gain_scale != 1.0)
    prog_fail(c, line, column,
              "a control after '%s' cannot be split by jux, off, echo or "
              "every; put the transform around the whole line",
              name);
  const prog_layer *add = &c->scratch[right.first_layer];
  int first = c->scratch_count;
  for (int i = 0; i < left.layer_count; ++i) {
    int index = prog_layer_new(c, &c->scratch[left.first_layer + i]);
    prog_layer *layer = &c->scratch[index];
    /* k = -1 is the right's structure control, then its other controls. */
    for (int k = -1; k < add->control_count; ++k) {
      uint8_t key = k < 0 ? add->structure : add->control_keys[k];
      int32_t expr = k < 0 ? add->structure_expr : add->control_exprs[k];
      if (merge_control(c, layer, key, expr, op, line, column) && key == CTL_S)
        layer->bus_mask |= add->bus_mask; /* the buses its s strings name */
    }
  }
  left.first_layer = first;
  return left;
}

/* ---- output lines -----------------------------------------------------------------------------
 */

static uint8_t stages_of(const prog_layer *layer) {
  uint8_t stages = 0;
  for (int k = 0; k < layer->control_count; ++k) {
    uint8_t key = layer->control_keys[k];
    stages |= key == CTL_LPF   ? STAGE_LPF
              : key == CTL_HPF ? STAGE_HPF
              : key == CTL_BPF ? STAGE_BPF
                               : 0;
  }
  return stages;
}

void prog_compile_output(prog_compiler *c, const prog_stmt *stmt) {
  prog_program *p = c->program;
  c->in_bus = false;
  c->modulator = false;
  c->scratch_count = 0;
  c->statement_line = stmt->line;
  prog_value v = prog_eval(c, stmt->body);
  if (v.kind != V_LAYERS)
    prog_fail(c, v.line, v.column,
              "an output line plays events: start it with s \"~bus\", "
              "not %s",
              prog_value_kind_name(&v));
  if (v.layer_count > PROG_MAX_LAYERS)
    prog_fail(c, stmt->line, stmt->column,
              "this line is too complex (it splits into %d layers; "
              "at most %d)",
              v.layer_count, PROG_MAX_LAYERS);
  prog_output *out = &p->outputs[p->output_count];
  memset(out, 0, sizeof *out);
  memcpy(out->name, stmt->name, stmt->name_length);
  out->first_layer = p->layer_count;
  for (int i = 0; i < v.layer_count; ++i) {
    prog_layer layer = c->scratch[v.first_layer + i];
    if (!layer.events)
      prog_fail(c, v.line, v.column,
                "the first pattern of a line gives its rhythm and must be a "
                "pattern, like s \"~bass*4\"");
    bool has_s = layer.structure == CTL_S;
    for (int k = 0; k < layer.control_count; ++k) {
      if (layer.control_keys[k] != CTL_S)
        continue;
      has_s = true;
      if (p->oes[layer.control_exprs[k]].kind != OE_PATTERN)
        prog_fail(c, v.line, v.column, "s takes a pattern of bus names, like \"~bass\"");
    }
    if (!has_s)
      prog_fail(c, stmt->line, stmt->column, "%s plays nothing: add a sound, like # s \"~bass\"",
                out->name);
    uint8_t stages = stages_of(&layer);
    for (int b = 0; b < p->bus_count && b < 64; ++b) {
      layer.bus_map[b] = (uint8_t)b;
      if (!(layer.bus_mask & ((uint64_t)1 << b)))
        continue;
      uint8_t missing = (uint8_t)(stages & ~p->buses[b].stages);
      if (missing)
        layer.bus_map[b] = (uint8_t)prog_add_variant(c, b, missing, stmt->line, stmt->column);
    }
    p->layers[p->layer_count++] = layer;
  }
  out->layer_count = v.layer_count;
  p->output_count++;
}
