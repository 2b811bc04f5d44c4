/* Bus definitions to synth graphs: oscillators that follow the event's
   pitch, stages chained with '#', arithmetic on signals, buses used inside
   buses, the amplitude envelope every bus gets, and the variants an output's
   controls need (a bus plus a filter stage it lacks). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "program_private.h"

#define C4_HZ 261.6255653005986

const char *const prog_bus_function_names[] = {
    "saw",       "square",  "pulse",     "tri",      "sine",      "noise",     "lpf",
    "hpf",       "bpf",     "notch",     "env",      "adsr",      "gain",      "shape",
    "distort",   "triode",  "squiz",     "crush",    "coarse",    "vowel",     "djf",
    "ring",      "tremolo", "phaser",    "lpenv",    "lpattack",  "lpdecay",   "lpsustain",
    "lprelease", "hpenv",   "hpattack",  "hpdecay",  "hpsustain", "hprelease", "bpenv",
    "bpattack",  "bpdecay", "bpsustain", "bprelease"};
const int prog_bus_function_count =
    (int)(sizeof prog_bus_function_names / sizeof prog_bus_function_names[0]);

bool prog_bus_has(const char *name, size_t length) {
  if (prog_name_is(name, length, "sample") || /* the sample player, not in the stage names */
      prog_name_is(name, length, "freq"))
    return true;
  for (int i = 0; i < prog_bus_function_count; ++i)
    if (prog_name_is(name, length, prog_bus_function_names[i]))
      return true;
  return false;
}

static const char *bus_name(const prog_compiler *c) { return c->bus->info->name; }

static uint8_t new_node(prog_compiler *c, synth_node_kind kind, int line, int column) {
  synth_bus *graph = &c->bus->info->graph;
  if (graph->node_count >= SYNTH_MAX_NODES)
    prog_fail(c, line, column, "bus '~%s' is too big (at most %d synth nodes)", bus_name(c),
              SYNTH_MAX_NODES);
  uint8_t index = graph->node_count++;
  graph->nodes[index].kind = (uint8_t)kind;
  return index;
}

static uint8_t new_slot(prog_compiler *c, prog_slot slot, int line, int column) {
  if (c->bus->slot_count >= SYNTH_MAX_PARAMS)
    prog_fail(c, line, column, "bus '~%s' has too many parameters (at most %d)", bus_name(c),
              SYNTH_MAX_PARAMS);
  uint8_t index = (uint8_t)c->bus->slot_count++;
  c->bus->info->slots[index] = slot;
  c->bus->info->graph.param_count = (uint8_t)c->bus->slot_count;
  return index;
}

static prog_slot constant_slot(double value, uint8_t control) {
  return (prog_slot){.kind = SLOT_CONST, .control = control, .constant = (float)value};
}

static prog_slot macro_slot(prog_compiler *c, prog_macro macro, uint8_t control) {
  return (prog_slot){.kind = SLOT_PATTERN,
                     .control = control,
                     .pattern = prog_checked(c, pat_input(c->program->store, (int)macro))};
}

/* A parameter from a number or pattern (which `control` overrides when the
   event has it). */
static prog_slot slot_from(prog_compiler *c, const prog_value *v, uint8_t control, uint8_t convert,
                           const char *what) {
  prog_slot slot;
  if (v->kind == V_NUMBER)
    slot = constant_slot(v->number, control);
  else if (v->kind == V_PATTERN)
    slot = (prog_slot){.kind = SLOT_PATTERN, .control = control, .pattern = v->pattern};
  else
    prog_fail(c, v->line, v->column, "the %s must be a number, pattern, macro or signal, not %s",
              what, prog_value_kind_name(v));
  slot.convert = convert;
  return slot;
}

/* An input from a value: numbers and patterns become parameters, signals
   are wired. */
static synth_input input_from(prog_compiler *c, const prog_value *v, uint8_t control,
                              uint8_t convert, bool signal_ok, const char *what) {
  if (v->kind == V_SIGNAL) {
    if (!signal_ok)
      prog_fail(c, v->line, v->column, "the %s must be a number, pattern or macro, not a signal",
                what);
    return (synth_input){SYNTH_FROM_NODE, (uint8_t)v->node};
  }
  prog_slot slot = slot_from(c, v, control, convert, what);
  return (synth_input){SYNTH_FROM_PARAM, new_slot(c, slot, v->line, v->column)};
}

static synth_input slot_input(prog_compiler *c, prog_slot slot, int line, int column) {
  return (synth_input){SYNTH_FROM_PARAM, new_slot(c, slot, line, column)};
}

static prog_value signal_value(uint8_t node, bool enveloped, int line, int column) {
  prog_value v;
  memset(&v, 0, sizeof v);
  v.kind = V_SIGNAL;
  v.node = node;
  v.enveloped = enveloped;
  v.line = line;
  v.column = column;
  return v;
}

/* ---- oscillators ---------------------------------------------------------------------- */

static const struct {
  const char *name;
  synth_node_kind kind;
} oscillators[] = {{"saw", SYNTH_SAW}, {"square", SYNTH_SQUARE}, {"pulse", SYNTH_PULSE},
                   {"tri", SYNTH_TRI}, {"sine", SYNTH_SINE},     {"noise", SYNTH_NOISE}};

/* Without an argument an oscillator plays the event's pitch; with one it
   plays that frequency, which the event's note replaces unless the
   oscillator is a modulator (inside an argument). */
static prog_value oscillator(prog_compiler *c, synth_node_kind kind, const prog_value *args,
                             int count, const ast *node) {
  int most = kind == SYNTH_NOISE ? 0 : kind == SYNTH_PULSE ? 2 : 1;
  if (count > most)
    prog_fail(c, args[most].line, args[most].column, "%.*s takes %s", (int)node->length, node->text,
              most == 0   ? "no arguments"
              : most == 1 ? "at most one argument (its frequency)"
                          : "at most two arguments (frequency and width)");
  synth_node inputs = {0};
  if (kind != SYNTH_NOISE) {
    bool follows = count == 0 || !c->modulator;
    if (count == 0) {
      inputs.inputs[0] = slot_input(c,
                                    (prog_slot){.kind = SLOT_CONST,
                                                .control = PAT_CONTROL_NOTE,
                                                .convert = CONV_PITCH,
                                                .constant = (float)C4_HZ},
                                    node->line, node->column);
    } else {
      inputs.inputs[0] = input_from(c, &args[0], follows ? PAT_CONTROL_NOTE : CTL_NONE,
                                    follows ? CONV_PITCH : CONV_NONE, true, "frequency");
      if (args[0].kind == V_PATTERN) /* saw "<c2 g1>": names are frequencies */
        c->bus->info->slots[inputs.inputs[0].index].names_in_hz = true;
    }
    if (kind == SYNTH_PULSE) {
      prog_value half = {
          .kind = V_NUMBER, .number = 0.5, .line = node->line, .column = node->column};
      inputs.inputs[1] =
          input_from(c, count > 1 ? &args[1] : &half, CTL_NONE, CONV_NONE, true, "pulse width");
    }
  }
  uint8_t index = new_node(c, kind, node->line, node->column);
  memcpy(c->bus->info->graph.nodes[index].inputs, inputs.inputs, sizeof inputs.inputs);
  return signal_value(index, false, node->line, node->column);
}

/* sample "bd:3": a sample player in a bus, so samples and synthesis mix
   (~kick $ sample "bd:3" # lpf 2000). The names are a pattern read at each
   onset; the event's speed, accelerate, begin, end and loop set it. It ends
   with the voice (the event's length), fading as SuperDirt's samples do, so
   it needs no envelope. */
static prog_value sample_player(prog_compiler *c, const prog_value *args, int count,
                                const ast *node) {
  if (count != 1 || args[0].kind != V_PATTERN)
    prog_fail(c, node->line, node->column,
              "sample takes the sample's name as a pattern, as in 'sample \"bd:3\"'");
  prog_bus_info *info = c->bus->info;
  if (info->sample_names)
    prog_fail(c, node->line, node->column, "bus '~%s' already plays a sample (one a bus)",
              info->name);
  prog_scan_sample_names(c, args[0].origin);
  prog_sample_line(c); /* acquired now: a bus is not a line */
  info->sample_names = args[0].pattern;
  static const struct {
    uint8_t control;
    float constant;
  } inputs[5] = {{PAT_CONTROL_SPEED, 1.0f},
                 {PAT_CONTROL_ACCELERATE, 0.0f},
                 {PAT_CONTROL_BEGIN, 0.0f},
                 {PAT_CONTROL_END, 1.0f},
                 {PAT_CONTROL_LOOP, 0.0f}};
  synth_node made = {.kind = SYNTH_SAMPLE};
  for (int i = 0; i < 5; ++i)
    made.inputs[i] = slot_input(c, constant_slot(inputs[i].constant, inputs[i].control), node->line,
                                node->column);
  uint8_t index = new_node(c, SYNTH_SAMPLE, node->line, node->column);
  info->graph.nodes[index] = made;
  return signal_value(index, true, node->line, node->column);
}

/* A parameter as a signal: a node multiplying it by 1, so arithmetic and
   oscillators take it as they take any signal. */
static prog_value parameter_signal(prog_compiler *c, prog_slot slot, const ast *node) {
  synth_node made = {.kind = SYNTH_MUL};
  made.inputs[0] = slot_input(c, slot, node->line, node->column);
  made.inputs[1] = slot_input(c, constant_slot(1.0, CTL_NONE), node->line, node->column);
  uint8_t index = new_node(c, SYNTH_MUL, node->line, node->column);
  c->bus->info->graph.nodes[index] = made;
  return signal_value(index, false, node->line, node->column);
}

/* A node of `kind` on two inputs. */
static prog_value binary_node(prog_compiler *c, synth_node_kind kind, synth_input a, synth_input b,
                              const ast *node) {
  synth_node made = {.kind = (uint8_t)kind};
  made.inputs[0] = a;
  made.inputs[1] = b;
  uint8_t index = new_node(c, kind, node->line, node->column);
  c->bus->info->graph.nodes[index] = made;
  return signal_value(index, false, node->line, node->column);
}

static synth_input node_input(prog_value v) {
  return (synth_input){SYNTH_FROM_NODE, (uint8_t)v.node};
}

/* freq: the event's pitch in Hz (note, n, octave, midinote; middle C
   without one), so oscillators can play relative to it: saw (freq * 1.01);
   gliding by the event's `accelerate` (1 + accelerate * t, t in seconds
   from the note's start, as a sample's speed). One set of nodes a bus,
   however often it is named. */
static prog_value event_frequency(prog_compiler *c, int count, const ast *node) {
  if (count != 0)
    prog_fail(c, node->line, node->column,
              "freq is the note's frequency and takes no arguments: write 'saw (freq * 2)'");
  if (c->bus->freq_node > 0)
    return signal_value((uint8_t)(c->bus->freq_node - 1), false, node->line, node->column);
  int line = node->line, column = node->column;
  /* t from a sine of period 480 s: sin(2 pi t / 480) * 480 / (2 pi) is t
     within 0.3 % for the first 10 s, and starts at exactly 0 without a
     discontinuity (a slow saw's band-limiting would smear its start) */
  const double period = 480.0;
  synth_node clock = {.kind = SYNTH_SINE};
  clock.inputs[0] = slot_input(c, constant_slot(1.0 / period, CTL_NONE), line, column);
  uint8_t clock_index = new_node(c, SYNTH_SINE, line, column);
  c->bus->info->graph.nodes[clock_index] = clock;
  prog_value v = binary_node(
      c, SYNTH_MUL, (synth_input){SYNTH_FROM_NODE, clock_index},
      slot_input(c, constant_slot(period / (2.0 * M_PI), CTL_NONE), line, column), node);
  v = binary_node(c, SYNTH_MUL, node_input(v),
                  slot_input(c, constant_slot(0.0, PAT_CONTROL_ACCELERATE), line, column), node);
  v = binary_node(c, SYNTH_ADD, node_input(v),
                  slot_input(c, constant_slot(1.0, CTL_NONE), line, column), node);
  prog_slot pitch = {.kind = SLOT_CONST,
                     .control = PAT_CONTROL_NOTE,
                     .convert = CONV_PITCH,
                     .constant = (float)C4_HZ};
  v = binary_node(c, SYNTH_MUL, slot_input(c, pitch, line, column), node_input(v), node);
  c->bus->freq_node = v.node + 1;
  return v;
}

/* voice 0.3: the event's control of that name, 0.3 when it has none (a
   signal, constant through the note), so a bus can take any control as a
   parameter: saw # lpf (voice 0.3 * 4000 + 200). Anything but one number
   is a control misplaced in a bus. */
static prog_value event_control(prog_compiler *c, int control, const prog_value *args, int count,
                                const ast *node) {
  if (count != 1 || args[0].kind != V_NUMBER) /* n "0 5 7" in a bus: Phonon's, or a slip */
    prog_fail(c, node->line, node->column, "'%.*s' is a control of output lines, not part of a bus",
              (int)node->length, node->text);
  return parameter_signal(c, constant_slot(args[0].number, (uint8_t)control), node);
}

prog_value prog_bus_builtin(prog_compiler *c, const char *name, size_t length,
                            const prog_value *args, int count, const ast *node, bool *found) {
  if (prog_name_is(name, length, "sample")) {
    *found = true;
    return sample_player(c, args, count, node);
  }
  for (size_t i = 0; i < sizeof oscillators / sizeof oscillators[0]; ++i) {
    if (prog_name_is(name, length, oscillators[i].name)) {
      *found = true;
      return oscillator(c, oscillators[i].kind, args, count, node);
    }
  }
  for (int i = 6; i < prog_bus_function_count; ++i) {
    if (prog_name_is(name, length, prog_bus_function_names[i]))
      prog_fail(c, node->line, node->column, "%s is a stage: chain it with '#', as in 'saw # %s'",
                prog_bus_function_names[i], prog_bus_function_names[i]);
  }
  if (prog_name_is(name, length, "freq")) {
    *found = true;
    return event_frequency(c, count, node);
  }
  int control = pat_control_lookup(name, length);
  if (control >= 0) {
    *found = true;
    return event_control(c, control, args, count, node);
  }
  if (prog_output_has(name, length))
    prog_fail(c, node->line, node->column,
              "'%.*s' belongs on an output line (d1 $ ...); in a "
              "bus, scale signals with * and +",
              (int)length, name);
  *found = false;
  prog_value none = {0};
  return none;
}

/* ---- stages ------------------------------------------------------------------------------ */

typedef struct {
  const char *name;
  synth_node_kind kind;
  uint8_t controls[2]; /* cutoff and q controls of filters */
  uint8_t stage;
} filter_info;

static const filter_info filters[] = {
    {"lpf", SYNTH_LPF, {PAT_CONTROL_LPF, PAT_CONTROL_RES}, STAGE_LPF},
    {"hpf", SYNTH_HPF, {PAT_CONTROL_HPF, PAT_CONTROL_HPQ}, STAGE_HPF},
    {"bpf", SYNTH_BPF, {PAT_CONTROL_BPF, PAT_CONTROL_BPQ}, STAGE_BPF},
    {"notch", SYNTH_NOTCH, {CTL_NONE, CTL_NONE}, 0}};

static void add_release(prog_compiler *c, synth_input input) {
  prog_bus_info *info = c->bus->info;
  info->release_slots[info->release_count++] = input.index;
}

/* Envelope times: given, or the event's control, or the plugin's macro. */
static synth_input time_input(prog_compiler *c, const prog_value *args, int count, int i,
                              uint8_t control, prog_macro macro, double fallback, const ast *at,
                              const char *what) {
  if (i < count)
    return input_from(c, &args[i], control, CONV_NONE, false, what);
  if (macro != PROG_MACRO_COUNT)
    return slot_input(c, macro_slot(c, macro, control), at->line, at->column);
  return slot_input(c, constant_slot(fallback, control), at->line, at->column);
}

/* ---- effects and filter envelopes ---------------------------------------------------------- */

/* The effect stages, in the order a line's controls append them (Strudel's
   chain: filters, vowel, coarse, crush, shape, distort, then modulation). */
typedef struct {
  const char *name;
  synth_node_kind kind;
  uint32_t stage;
  int arity; /* arguments after the signal; the first is required */
  uint8_t controls[3];
  double neutral[3]; /* the value of an argument not given (and of appended stages) */
  const char *example;
} effect_info;

static const effect_info effects[] = {
    {"djf", SYNTH_DJF, STAGE_DJF, 1, {PAT_CONTROL_DJF}, {0.5}, "djf 0.3"},
    {"vowel", SYNTH_VOWEL, STAGE_VOWEL, 1, {PAT_CONTROL_VOWEL}, {0}, "vowel \"a\""},
    {"coarse", SYNTH_COARSE, STAGE_COARSE, 1, {PAT_CONTROL_COARSE}, {0}, "coarse 8"},
    {"crush", SYNTH_CRUSH, STAGE_CRUSH, 1, {PAT_CONTROL_CRUSH}, {0}, "crush 4"},
    {"shape", SYNTH_SHAPE, STAGE_SHAPE, 1, {PAT_CONTROL_SHAPE}, {0}, "shape 0.5"},
    {"distort", SYNTH_DISTORT, STAGE_DISTORT, 1, {PAT_CONTROL_DISTORT}, {0}, "distort 2"},
    {"triode", SYNTH_TRIODE, STAGE_TRIODE, 1, {PAT_CONTROL_TRIODE}, {0}, "triode 0.5"},
    {"squiz", SYNTH_SQUIZ, STAGE_SQUIZ, 1, {PAT_CONTROL_SQUIZ}, {0}, "squiz 2"},
    {"ring",
     SYNTH_RING,
     STAGE_RING,
     3,
     {PAT_CONTROL_RING, PAT_CONTROL_RINGF, PAT_CONTROL_RINGDF},
     {0, 0, 0},
     "ring 1 300 (depth, frequency, sweep)"},
    {"tremolo",
     SYNTH_TREMOLO,
     STAGE_TREMOLO,
     2,
     {PAT_CONTROL_TREMOLODEPTH, PAT_CONTROL_TREMOLORATE},
     {0, 1},
     "tremolo 0.5 4 (depth, rate)"},
    {"phaser",
     SYNTH_PHASER,
     STAGE_PHASER,
     2,
     {PAT_CONTROL_PHASERDEPTH, PAT_CONTROL_PHASERRATE},
     {0, 1},
     "phaser 0.5 2 (depth, rate)"},
};
#define EFFECT_COUNT (int)(sizeof effects / sizeof effects[0])

/* The three filters that take an envelope: their plain and enveloped kinds,
   the line's stage bits, and the controls of depth, attack, decay, sustain
   and release (consecutive in pat_control). */
static const struct {
  const char *prefix;
  synth_node_kind plain, enveloped;
  uint32_t filter_stage, env_stage;
  uint8_t cutoff_control, first_control;
} envelopes[] = {
    {"lp", SYNTH_LPF, SYNTH_LPF_ENV, STAGE_LPF, STAGE_LPENV, PAT_CONTROL_LPF, PAT_CONTROL_LPENV},
    {"hp", SYNTH_HPF, SYNTH_HPF_ENV, STAGE_HPF, STAGE_HPENV, PAT_CONTROL_HPF, PAT_CONTROL_HPENV},
    {"bp", SYNTH_BPF, SYNTH_BPF_ENV, STAGE_BPF, STAGE_BPENV, PAT_CONTROL_BPF, PAT_CONTROL_BPENV},
};
static const char *const envelope_parts[5] = {"env", "attack", "decay", "sustain", "release"};
/* Strudel's envelope when none of its times is given, and no depth */
static const double envelope_neutral[5] = {0.0, 0.005, 0.14, 0.0, 0.1};
/* Strudel's getADSRValues once any time is given: the depth 1, the others'
   floors (0.001 s, 0.01 s release), and a sustain of 1 unless a decay is
   given (CONV_ENV_SUSTAIN): lpattack alone sweeps up and stays there */
static const float envelope_implied[5] = {1.0f, 0.001f, 0.001f, 1.0f, 0.01f};

uint32_t prog_stage_of_control(int control) {
  for (int e = 0; e < EFFECT_COUNT; ++e)
    for (int a = 0; a < effects[e].arity; ++a)
      if (effects[e].controls[a] == control)
        return effects[e].stage;
  for (int f = 0; f < 3; ++f) {
    if (control == envelopes[f].cutoff_control)
      return envelopes[f].filter_stage;
    if (control >= envelopes[f].first_control && control < envelopes[f].first_control + 5)
      return envelopes[f].env_stage;
  }
  return 0;
}

/* Makes filter node `index` (of envelopes[f].plain) one with an envelope:
   five parameters the events' lpenv, lpattack ... set; the depth is 1 when
   an event gives a time but no depth, as in Strudel. */
static void add_envelope(prog_compiler *c, int f, uint8_t index, int line, int column) {
  synth_node *node = &c->bus->info->graph.nodes[index];
  node->kind = (uint8_t)envelopes[f].enveloped;
  for (int part = 0; part < 5; ++part) {
    prog_slot slot =
        constant_slot(envelope_neutral[part], (uint8_t)(envelopes[f].first_control + part));
    slot.implied_first = (uint8_t)(envelopes[f].first_control + 1);
    slot.implied_last = (uint8_t)(envelopes[f].first_control + 4);
    slot.implied = envelope_implied[part];
    if (part == 3)
      slot.convert = CONV_ENV_SUSTAIN;
    node->inputs[3 + part] = slot_input(c, slot, line, column);
  }
}

/* '# lpenv 3', '# lpattack 0.1' ...: sets one part of the envelope of the
   filter on its left. */
static bool envelope_stage(prog_compiler *c, prog_value in, const ast *name, const prog_value *args,
                           int count) {
  const int control = pat_control_lookup(name->text, name->length); /* lpe is lpenv */
  for (int f = 0; f < 3; ++f) {
    for (int part = 0; part < 5; ++part) {
      char word[16];
      snprintf(word, sizeof word, "%s%s", envelopes[f].prefix, envelope_parts[part]);
      if (control != envelopes[f].first_control + part)
        continue;
      synth_node *node = &c->bus->info->graph.nodes[in.node];
      const char *filter = f == 0 ? "lpf" : f == 1 ? "hpf" : "bpf";
      if (node->kind != envelopes[f].plain && node->kind != envelopes[f].enveloped)
        prog_fail(c, name->line, name->column,
                  "%s follows a %s stage, as in 'saw # %s 400 # %s %s'", word, filter, filter, word,
                  part == 0 ? "3" : "0.2");
      if (count != 1)
        prog_fail(c, name->line, name->column, "%s takes one value, as in '# %s %s'", word, word,
                  part == 0 ? "3" : "0.2");
      if (node->kind == envelopes[f].plain)
        add_envelope(c, f, (uint8_t)in.node, name->line, name->column);
      uint8_t slot_index = c->bus->info->graph.nodes[in.node].inputs[3 + part].index;
      c->bus->info->slots[slot_index] =
          slot_from(c, &args[0], (uint8_t)(envelopes[f].first_control + part), CONV_NONE, word);
      c->bus->info->stages |= envelopes[f].env_stage;
      return true;
    }
  }
  return false;
}

/* '# shape 0.5', '# ring 1 300' ...: an effect node. */
static bool effect_stage(prog_compiler *c, prog_value in, const ast *name, const prog_value *args,
                         int count, prog_value *made) {
  const int control = pat_control_lookup(name->text, name->length); /* dist, tremolodepth */
  for (int e = 0; e < EFFECT_COUNT; ++e) {
    const effect_info *fx = &effects[e];
    if (!prog_name_is(name->text, name->length, fx->name) && control != fx->controls[0])
      continue;
    if (count < 1 || count > fx->arity)
      prog_fail(c, name->line, name->column, "%s takes %s, as in '# %s'", fx->name,
                fx->arity == 1 ? "one value" : "one to three values", fx->example);
    synth_node node = {.kind = (uint8_t)fx->kind};
    node.inputs[0] = (synth_input){SYNTH_FROM_NODE, (uint8_t)in.node};
    bool controllable = true;
    for (int a = 0; a < fx->arity; ++a) {
      prog_value fallback = {
          .kind = V_NUMBER, .number = fx->neutral[a], .line = name->line, .column = name->column};
      const prog_value *v = a < count ? &args[a] : &fallback;
      /* the vowel is a word, read once at the onset: no signal */
      node.inputs[1 + a] =
          input_from(c, v, fx->controls[a], fx->kind == SYNTH_VOWEL ? CONV_VOWEL : CONV_NONE,
                     fx->kind != SYNTH_VOWEL, fx->name);
      controllable = controllable && node.inputs[1 + a].source == SYNTH_FROM_PARAM;
    }
    if (controllable)
      c->bus->info->stages |= fx->stage;
    uint8_t index = new_node(c, fx->kind, name->line, name->column);
    c->bus->info->graph.nodes[index] = node;
    *made = signal_value(index, in.enveloped, name->line, name->column);
    return true;
  }
  return false;
}

static prog_value stage(prog_compiler *c, prog_value in, const ast *name, const prog_value *args,
                        int count) {
  int line = name->line, column = name->column;
  for (size_t f = 0; f < sizeof filters / sizeof filters[0]; ++f) {
    if (!prog_name_is(name->text, name->length, filters[f].name))
      continue;
    if (count < 1 || count > 2)
      prog_fail(c, line, column,
                "%s takes a cutoff frequency and an optional q, as in '%s 800 0.5'",
                filters[f].name, filters[f].name);
    synth_node node = {.kind = (uint8_t)filters[f].kind};
    node.inputs[0] = (synth_input){SYNTH_FROM_NODE, (uint8_t)in.node};
    node.inputs[1] = input_from(c, &args[0], filters[f].controls[0], CONV_NONE, true, "cutoff");
    prog_value q = {.kind = V_NUMBER, .number = 0.707, .line = line, .column = column};
    node.inputs[2] =
        input_from(c, count > 1 ? &args[1] : &q, filters[f].controls[1], CONV_NONE, true, "q");
    if (node.inputs[1].source == SYNTH_FROM_PARAM)
      c->bus->info->stages |= filters[f].stage;
    uint8_t index = new_node(c, filters[f].kind, line, column);
    c->bus->info->graph.nodes[index] = node;
    return signal_value(index, in.enveloped, line, column);
  }
  if (prog_name_is(name->text, name->length, "env") ||
      prog_name_is(name->text, name->length, "adsr")) {
    bool adsr = name->length == 4;
    if (count > (adsr ? 4 : 2))
      prog_fail(c, line, column,
                adsr ? "adsr takes attack, decay, sustain level and release"
                     : "env takes an attack and a release time in seconds");
    synth_node node = {.kind = (uint8_t)(adsr ? SYNTH_ADSR : SYNTH_ENV)};
    node.inputs[0] = (synth_input){SYNTH_FROM_NODE, (uint8_t)in.node};
    node.inputs[1] =
        time_input(c, args, count, 0, PAT_CONTROL_ATTACK, PROG_MACRO_ATTACK, 0, name, "attack");
    if (adsr) {
      node.inputs[2] =
          time_input(c, args, count, 1, PAT_CONTROL_DECAY, PROG_MACRO_COUNT, 0.1, name, "decay");
      node.inputs[3] = time_input(c, args, count, 2, PAT_CONTROL_SUSTAIN, PROG_MACRO_COUNT, 0.7,
                                  name, "sustain level");
    }
    synth_input release = time_input(c, args, count, adsr ? 3 : 1, PAT_CONTROL_RELEASE,
                                     PROG_MACRO_RELEASE, 0, name, "release");
    node.inputs[adsr ? 4 : 2] = release;
    add_release(c, release);
    uint8_t index = new_node(c, adsr ? SYNTH_ADSR : SYNTH_ENV, line, column);
    c->bus->info->graph.nodes[index] = node;
    return signal_value(index, true, line, column);
  }
  if (prog_name_is(name->text, name->length, "gain")) {
    if (count != 1)
      prog_fail(c, line, column, "gain takes one argument, as in 'gain 0.5'");
    synth_node node = {.kind = SYNTH_MUL};
    node.inputs[0] = (synth_input){SYNTH_FROM_NODE, (uint8_t)in.node};
    node.inputs[1] = input_from(c, &args[0], CTL_NONE, CONV_NONE, true, "gain");
    uint8_t index = new_node(c, SYNTH_MUL, line, column);
    c->bus->info->graph.nodes[index] = node;
    return signal_value(index, in.enveloped, line, column);
  }
  prog_value made;
  if (effect_stage(c, in, name, args, count, &made))
    return made;
  if (envelope_stage(c, in, name, args, count))
    return in;
  if (pat_control_lookup(name->text, name->length) >= 0)
    prog_fail(c, line, column, "'%.*s' is a control of output lines, not a stage of a bus",
              (int)name->length, name->text);
  prog_phonon_only(c, name->text, name->length, line, column);
  char hint[80];
  prog_did_you_mean(hint, sizeof hint, "",
                    prog_suggest(name->text, name->length, prog_bus_function_names + 6,
                                 prog_bus_function_count - 6));
  prog_fail(c, line, column,
            "unknown stage '%.*s'%s; the stages are lpf, hpf, bpf, notch, env, adsr, gain, "
            "the effects shape, distort, triode, squiz, crush, coarse, vowel, djf, ring, tremolo "
            "and phaser, and the filter envelopes lpenv, lpattack ... (hp..., bp...)",
            (int)name->length, name->text, hint);
}

prog_value prog_bus_chain(prog_compiler *c, prog_value left, const ast *right) {
  while (right->kind == AST_PAREN)
    right = right->left;
  const ast *name = right->kind == AST_APPLY ? right->left : right;
  if (name->kind != AST_NAME)
    prog_fail(c, right->line, right->column, "expected a stage after '#', like '# lpf 800'");
  if (left.kind != V_SIGNAL)
    prog_fail(c, name->line, name->column,
              "'# %.*s' needs a signal on its left, like 'saw # lpf "
              "800', not %s",
              (int)name->length, name->text, prog_value_kind_name(&left));
  prog_value args[PROG_FUNC_ARGS];
  int count = right->kind == AST_APPLY ? right->arg_count : 0;
  if (count > PROG_FUNC_ARGS)
    prog_fail(c, right->args[PROG_FUNC_ARGS]->line, right->args[PROG_FUNC_ARGS]->column,
              "too many arguments");
  bool was_modulator = c->modulator;
  c->modulator = true;
  for (int i = 0; i < count; ++i)
    args[i] = prog_eval(c, right->args[i]);
  c->modulator = was_modulator;
  return stage(c, left, name, args, count);
}

/* ---- arithmetic on signals -------------------------------------------------------------- */

prog_value prog_bus_binary(prog_compiler *c, char op, prog_value a, prog_value b, int line,
                           int column) {
  synth_node_kind kind = op == '+'   ? SYNTH_ADD
                         : op == '-' ? SYNTH_SUB
                         : op == '*' ? SYNTH_MUL
                                     : SYNTH_DIV;
  synth_node node = {.kind = (uint8_t)kind};
  node.inputs[0] = input_from(c, &a, CTL_NONE, CONV_NONE, true, "operand");
  node.inputs[1] = input_from(c, &b, CTL_NONE, CONV_NONE, true, "operand");
  bool a_env = a.kind == V_SIGNAL && a.enveloped, b_env = b.kind == V_SIGNAL && b.enveloped;
  bool enveloped = kind == SYNTH_MUL   ? (a_env || b_env)
                   : kind == SYNTH_DIV ? a_env
                                       : a_env && b_env;
  uint8_t index = new_node(c, kind, line, column);
  c->bus->info->graph.nodes[index] = node;
  return signal_value(index, enveloped, line, column);
}

/* ---- buses -------------------------------------------------------------------------------- */

static bus_decl *find_decl(prog_compiler *c, const char *name, size_t length) {
  for (int d = 0; d < c->decl_count; ++d)
    if (c->decls[d].length == length && memcmp(c->decls[d].name, name, length) == 0)
      return &c->decls[d];
  return NULL;
}

void prog_unknown_bus(prog_compiler *c, const char *name, size_t length, int line, int column) {
  const char *names[PROG_MAX_BUS_DECLS];
  for (int d = 0; d < c->decl_count; ++d)
    names[d] = c->decls[d].name;
  char hint[80];
  prog_did_you_mean(hint, sizeof hint, "~", prog_suggest(name, length, names, c->decl_count));
  prog_fail(c, line, column, "unknown bus '~%.*s'%s", (int)length, name, hint);
}

/* A bus inside a bus: its graph is built again in place (with the caller's
   idea of whether it is a modulator), so each use has its own nodes. */
prog_value prog_bus_reference(prog_compiler *c, const ast *node) {
  bus_decl *decl = find_decl(c, node->text, node->length);
  if (!decl)
    prog_unknown_bus(c, node->text, node->length, node->line, node->column);
  if (decl->is_line)
    prog_fail(c, node->line, node->column,
              "'~%s' is a line (it plays sounds), not a synth a bus can use", decl->name);
  if (decl->compiling) {
    if (decl != c->current_decl)
      prog_fail(c, node->line, node->column, "bus '~%s' uses itself (through '~%s')", decl->name,
                c->current_decl->name);
    prog_fail(c, node->line, node->column, "bus '~%s' uses itself", decl->name);
  }
  bus_decl *outer = c->current_decl;
  decl->compiling = true;
  c->current_decl = decl;
  prog_value v = prog_eval(c, decl->stmt->body);
  decl->compiling = false;
  c->current_decl = outer;
  v.line = node->line;
  v.column = node->column;
  return v;
}

void prog_compile_bus(prog_compiler *c, bus_decl *decl) {
  prog_program *p = c->program;
  prog_bus_info scratch;
  memset(&scratch, 0, sizeof scratch); /* byte-equal graphs for the cache */
  prog_bus_info *info = &scratch;
  memcpy(info->name, decl->name, decl->length + 1);
  bus_builder builder = {.info = info};
  c->bus = &builder;
  c->in_bus = true;
  c->modulator = false;
  c->statement_line = decl->line;
  decl->compiling = true;
  c->current_decl = decl;
  prog_value v = prog_eval(c, decl->stmt->body);
  decl->compiling = false;
  c->current_decl = NULL;
  if (v.kind == V_NUMBER || v.kind == V_PATTERN) { /* a value other buses may use */
    decl->value_only = true;
    c->bus = NULL;
    return;
  }
  if (v.kind != V_SIGNAL)
    prog_fail(c, v.line, v.column, "bus '~%s' must be a sound, like 'saw # lpf 800', not %s",
              decl->name, prog_value_kind_name(&v));
  int line = decl->stmt->body->line, column = decl->stmt->body->column;
  if (v.node != info->graph.node_count - 1) { /* the output must be the last node */
    prog_value one = {.kind = V_NUMBER, .number = 1.0, .line = line, .column = column};
    v = prog_bus_binary(c, '*', v, one, line, column);
  }
  if (!v.enveloped) { /* every voice fades in and out: no clicks */
    synth_node node = {.kind = SYNTH_ENV};
    node.inputs[0] = (synth_input){SYNTH_FROM_NODE, (uint8_t)v.node};
    node.inputs[1] =
        slot_input(c, macro_slot(c, PROG_MACRO_ATTACK, PAT_CONTROL_ATTACK), line, column);
    node.inputs[2] =
        slot_input(c, macro_slot(c, PROG_MACRO_RELEASE, PAT_CONTROL_RELEASE), line, column);
    add_release(c, node.inputs[2]);
    uint8_t index = new_node(c, SYNTH_ENV, line, column);
    info->graph.nodes[index] = node;
  }
  if (p->bus_count >= PROG_MAX_BUSES)
    prog_fail(c, decl->line, decl->column,
              "too many buses (at most %d, counting the variants "
              "that controls like '# hpf' add)",
              PROG_MAX_BUSES);
  info->base = p->bus_count;
  decl->program_index = p->bus_count;
  p->buses[p->bus_count++] = *info;
  c->bus = NULL;
}

/* A copy of a bus with filter stages added before its final envelope, for an
   output line whose controls set a stage the bus lacks. Without the control's
   value at an onset the stage is nearly transparent (lpf at the top of the
   range, hpf at the bottom). */
int prog_add_variant(prog_compiler *c, int bus_index, uint32_t stages, int line, int column) {
  prog_program *p = c->program;
  for (int b = 0; b < p->bus_count; ++b)
    if (p->buses[b].base == bus_index && p->buses[b].appended == stages)
      return b;
  if (p->bus_count >= PROG_MAX_BUSES)
    prog_fail(c, line, column,
              "too many buses (at most %d, counting the variants that controls "
              "like '# hpf' add)",
              PROG_MAX_BUSES);
  prog_bus_info info = p->buses[bus_index];
  bus_builder builder = {.info = &info, .slot_count = info.graph.param_count};
  c->bus = &builder;
  synth_bus *graph = &info.graph;
  synth_node last = graph->nodes[graph->node_count - 1];
  bool before_envelope = last.kind == SYNTH_ENV || last.kind == SYNTH_ADSR;
  synth_input signal = {SYNTH_FROM_NODE, (uint8_t)(graph->node_count - 1)};
  if (before_envelope) {
    signal = last.inputs[0];
    graph->node_count--;
    memset(&graph->nodes[graph->node_count], 0, sizeof last);
  }
  static const double neutral[] = {1e9, 0.0, 1000.0};
  for (int f = 0; f < 3; ++f) {
    if (!(stages & filters[f].stage))
      continue;
    if (graph->node_count + (before_envelope ? 1 : 0) >= SYNTH_MAX_NODES ||
        builder.slot_count + 2 > SYNTH_MAX_PARAMS)
      prog_fail(c, line, column, "bus '~%s' has no room for the %s stage this control adds",
                info.name, filters[f].name);
    synth_node node = {.kind = (uint8_t)filters[f].kind};
    node.inputs[0] = signal;
    node.inputs[1] = slot_input(c, constant_slot(neutral[f], filters[f].controls[0]), line, column);
    node.inputs[2] = slot_input(c, constant_slot(0.707, filters[f].controls[1]), line, column);
    uint8_t index = new_node(c, filters[f].kind, line, column);
    graph->nodes[index] = node;
    signal = (synth_input){SYNTH_FROM_NODE, index};
    info.stages |= filters[f].stage;
  }
  /* filter envelopes on the filters whose cutoff the events set */
  for (int f = 0; f < 3; ++f) {
    if (!(stages & envelopes[f].env_stage))
      continue;
    for (int k = 0; k < graph->node_count; ++k) {
      const synth_input cutoff = graph->nodes[k].inputs[1];
      if (graph->nodes[k].kind == envelopes[f].plain && cutoff.source == SYNTH_FROM_PARAM &&
          info.slots[cutoff.index].control == envelopes[f].cutoff_control)
        add_envelope(c, f, (uint8_t)k, line, column);
    }
    info.stages |= envelopes[f].env_stage;
  }
  /* effects, each transparent until an event sets it */
  for (int e = 0; e < EFFECT_COUNT; ++e) {
    const effect_info *fx = &effects[e];
    if (!(stages & fx->stage))
      continue;
    if (graph->node_count + (before_envelope ? 1 : 0) >= SYNTH_MAX_NODES)
      prog_fail(c, line, column, "bus '~%s' has no room for the %s stage this control adds",
                info.name, fx->name);
    synth_node node = {.kind = (uint8_t)fx->kind};
    node.inputs[0] = signal;
    for (int a = 0; a < fx->arity; ++a) {
      prog_slot slot = constant_slot(fx->neutral[a], fx->controls[a]);
      slot.convert = fx->kind == SYNTH_VOWEL ? CONV_VOWEL : CONV_NONE;
      if (a == 0 && fx->arity > 1 && fx->kind != SYNTH_RING) { /* rate alone: depth 0.5 */
        slot.implied_first = slot.implied_last = fx->controls[1];
        slot.implied = 0.5f;
      }
      node.inputs[1 + a] = slot_input(c, slot, line, column);
    }
    uint8_t index = new_node(c, fx->kind, line, column);
    graph->nodes[index] = node;
    signal = (synth_input){SYNTH_FROM_NODE, index};
    info.stages |= fx->stage;
  }
  if (before_envelope) {
    last.inputs[0] = signal;
    graph->nodes[graph->node_count++] = last;
  }
  info.base = bus_index;
  info.appended = stages;
  c->bus = NULL;
  p->buses[p->bus_count] = info;
  return p->bus_count++;
}
