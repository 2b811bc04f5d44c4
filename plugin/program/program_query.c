/* prog_query, on the audio thread: the onsets of each output line's control
   pattern in a span, one trigger per event, with the bus parameters resolved
   from its control map (and, for the rest, the bus's own constants and
   patterns read at the onset).
   Allocates nothing: pattern queries use the caller's arena, and every loop
   is bounded by what the arena holds. */
#include <math.h>
#include <string.h>

#include "program_private.h"

/* ---- absurd values, clamped here (synth parameters are clamped by the synth) ---------- */

static double clamp_or(double value, double low, double high, double if_nan) {
  if (isnan(value))
    return if_nan;
  return value < low ? low : value > high ? high : value;
}

/* ---- bus parameters read at an onset
 * -------------------------------------------------------------------- */

#define PARAM_READ_EVENTS 256 /* events one parameter read may produce, fragments included */

typedef struct {
  const prog_program *program;
  pat_rat onset, end; /* the event's whole */
  const float *macros;
  pat_arena *arena;
  bool starved; /* a parameter query ran out of arena: the event is lost, not a rest */
  /* The bus parameters read for the last event: the notes of a chord are
     events with one whole, and read them once. */
  struct {
    int bus; /* -1: nothing read yet */
    pat_rat onset, end;
    uint64_t read; /* bit per slot */
    bool live[SYNTH_MAX_PARAMS];
    double values[SYNTH_MAX_PARAMS];
  } last;
} onset_context;

/* A vowel's letter as the synth's index (a e i o u: 1 to 5), 0 (off) for
   anything else. */
static double vowel_index(const char *word) {
  static const char letters[] = "aeiou";
  if (!word || !word[0] || word[1])
    return 0.0;
  const char *at = strchr(letters, word[0]);
  return at ? (double)(at - letters + 1) : 0.0;
}

static bool value_number(const pat_value *value, double *number) {
  if (value->kind == PAT_VALUE_NUMBER) {
    *number = value->number;
    return true;
  }
  return value->kind == PAT_VALUE_STRING && pat_note_number(value->str, PAT_NOTES_TIDAL, number);
}

/* The frequency of a MIDI note number. */
static double midi_hz(double midi) { return 440.0 * pow(2.0, (midi - 69.0) / 12.0); }

typedef struct {
  size_t used, top_used;
} arena_mark;

/* Queries stack in the caller's arena; what one needs only briefly is given
   back by restoring both ends. */
static arena_mark mark_arena(const pat_arena *arena) {
  return (arena_mark){arena->used, arena->top_used};
}
static void release_arena(pat_arena *arena, arena_mark mark) {
  arena->used = mark.used;
  arena->top_used = mark.top_used;
}

/* The events of a pattern at the onset, as Tidal's `#` finds them: a query
   over the event's span, keeping the fragments that start at the onset. (A
   zero-width query, Strudel's way, answers with the wrong neighbour at event
   boundaries of reversed patterns: rev "c e" at 0 gives c.) */
static size_t events_at_onset(onset_context *x, const pat_pattern *pattern,
                              const pat_event **events) {
  pat_arena *arena = x->arena;
  bool overflowed = arena->overflow;
  arena->overflow = false;
  /* One event's span holds a few values (a chord): a parameter that makes
     thousands there is absurd, and may not make each read as costly as a
     full-arena query. */
  size_t limit = arena->max_events;
  arena->max_events = PARAM_READ_EVENTS;
  size_t n = pat_query(pattern, (pat_arc){x->onset, x->end}, arena, events);
  arena->max_events = limit;
  if (arena->overflow)
    x->starved = true;
  arena->overflow = arena->overflow || overflowed;
  return n;
}

/* A bus parameter's pattern at the onset: the first value starting there
   (note names as MIDI numbers, or as frequencies for an oscillator); NaN
   when it has none, which the synth reads as the input's default. */
static double slot_value(onset_context *x, const prog_slot *slot, bool *live) {
  arena_mark mark = mark_arena(x->arena);
  const pat_event *events = NULL;
  size_t n = events_at_onset(x, slot->pattern, &events);
  double value = NAN;
  for (size_t i = 0; i < n; ++i) {
    if (pat_rat_cmp(events[i].part.begin, x->onset) != 0)
      continue;
    if (slot->convert == CONV_VOWEL && events[i].value.kind == PAT_VALUE_STRING)
      value = vowel_index(events[i].value.str);
    else if (!value_number(&events[i].value, &value))
      continue;
    if (slot->names_in_hz && events[i].value.kind == PAT_VALUE_STRING) /* a5 is 440 Hz */
      value = midi_hz(value + 60.0);
    *live = *live || events[i].value.live;
    break;
  }
  release_arena(x->arena, mark);
  return value;
}

/* Slot s of `bus` at the event's onset, read once per whole and bus. */
static double read_slot(onset_context *x, int bus, int s, bool *live) {
  if (x->last.bus != bus || pat_rat_cmp(x->last.onset, x->onset) != 0 ||
      pat_rat_cmp(x->last.end, x->end) != 0) {
    x->last.bus = bus;
    x->last.onset = x->onset;
    x->last.end = x->end;
    x->last.read = 0;
  }
  if (!((x->last.read >> s) & 1u)) {
    bool starved = x->starved;
    x->starved = false;
    x->last.live[s] = false;
    x->last.values[s] = slot_value(x, &x->program->buses[bus].slots[s], &x->last.live[s]);
    if (!x->starved) /* a starved read is tried again */
      x->last.read |= (uint64_t)1 << s;
    x->starved = x->starved || starved;
  }
  *live = *live || x->last.live[s];
  return x->last.values[s];
}

/* ---- triggers ------------------------------------------------------------------------------ */

static bool has(const pat_controls *map, int key) {
  return pat_controls_has(map, (pat_control)key);
}

static double control_or(const pat_controls *map, int key, double fallback) {
  return pat_controls_number(map, (pat_control)key, fallback);
}

/* The defined bus an event's `s` names (not a copy with stages added); -1:
   none. Names made at query time (`s "~x" |+ s "2"`) are found too. */
static int find_bus(const prog_program *p, const char *name) {
  if (!name)
    return -1;
  if (name[0] == '~')
    name++;
  for (int b = 0; b < p->bus_count; ++b)
    if (p->buses[b].base == b && strcmp(p->buses[b].name, name) == 0)
      return b;
  return -1;
}

/* The event's pitch as SuperDirt finds it, a MIDI note number: `midinote`,
   else `note` (or, without one, `n`) + 12 * `octave` (default 5), so that
   note 0 is middle C (MIDI 60). false when the event has none of these. */
static bool event_midinote(const pat_controls *map, double *midi) {
  if (has(map, PAT_CONTROL_MIDINOTE)) {
    *midi = control_or(map, PAT_CONTROL_MIDINOTE, 0.0);
    return true;
  }
  if (!has(map, PAT_CONTROL_NOTE) && !has(map, PAT_CONTROL_N))
    return false;
  double note = control_or(map, PAT_CONTROL_NOTE, control_or(map, PAT_CONTROL_N, 0.0));
  *midi = note + 12.0 * control_or(map, PAT_CONTROL_OCTAVE, 5.0);
  return true;
}

/* The event's orbit, its sends and the orbit parameters it sets (SuperDirt's
   and Strudel's names; ranges in the README). */
static void fill_orbit(const pat_controls *map, prog_trigger *t) {
  double orbit = clamp_or(control_or(map, PAT_CONTROL_ORBIT, 0.0), -1e9, 1e9, 0.0);
  t->orbit = (uint8_t)(((int64_t)floor(orbit) % ORBIT_COUNT + ORBIT_COUNT) % ORBIT_COUNT);
  double dry = clamp_or(control_or(map, PAT_CONTROL_DRY, 0.0), 0.0, 1.0, 0.0);
  t->room = (float)(clamp_or(control_or(map, PAT_CONTROL_ROOM, 0.0), 0.0, 1.0, 0.0) * (1.0 - dry));
  t->delay = (float)clamp_or(control_or(map, PAT_CONTROL_DELAY, 0.0), 0.0, 1.0, 0.0);
  static const struct {
    pat_control control;
    uint32_t bit;
  } sets[] = {{PAT_CONTROL_SIZE, ORBIT_SET_SIZE},
              {PAT_CONTROL_DELAYTIME, ORBIT_SET_DELAYTIME},
              {PAT_CONTROL_DELAYFEEDBACK, ORBIT_SET_DELAYFEEDBACK},
              {PAT_CONTROL_LOCK, ORBIT_SET_LOCK}};
  for (size_t i = 0; i < sizeof sets / sizeof *sets; ++i)
    if (has(map, sets[i].control))
      t->fx.present |= sets[i].bit;
  t->fx.size = (float)clamp_or(control_or(map, PAT_CONTROL_SIZE, 0.0), 0.0, 1.0, 0.0);
  t->fx.delaytime = (float)clamp_or(control_or(map, PAT_CONTROL_DELAYTIME, 0.0), 0.0,
                                    ORBIT_DELAY_MAX_SECONDS * 64, 0.0);
  t->fx.delayfeedback = (float)clamp_or(control_or(map, PAT_CONTROL_DELAYFEEDBACK, 0.0), 0.0,
                                        ORBIT_FEEDBACK_MAX, 0.0);
  t->fx.lock = control_or(map, PAT_CONTROL_LOCK, 0.0) >= 0.5;
}

/* Whether the event has one of the controls that imply a slot's value. */
static bool implied(const prog_slot *slot, const pat_controls *map) {
  if (slot->implied_last == 0)
    return false;
  for (int k = slot->implied_first; k <= slot->implied_last; ++k)
    if (has(map, k))
      return true;
  return false;
}

/* The file a bus's `sample "bd:3"` plays at the onset: the first name
   starting there (its `:n` picks the file), or NULL. */
static const sample_data *bus_sample(onset_context *x, const pat_pattern *names) {
  arena_mark mark = mark_arena(x->arena);
  const pat_event *events = NULL;
  size_t n = events_at_onset(x, names, &events);
  const sample_data *file = NULL;
  for (size_t i = 0; i < n && !file; ++i) {
    const pat_value *v = &events[i].value;
    if (pat_rat_cmp(events[i].part.begin, x->onset) != 0 ||
        (v->kind != PAT_VALUE_STRING && v->kind != PAT_VALUE_SAMPLE))
      continue;
    file = prog_sample_find(x->program, NULL, v->str, v->kind == PAT_VALUE_SAMPLE ? v->number : 0);
  }
  release_arena(x->arena, mark);
  return file;
}

/* One trigger: the bus's parameters from the event's controls, the bus's
   constants and patterns. */
static void fill_trigger(onset_context *x, const pat_event *event, const pat_controls *map,
                         bool live, int bus, uint16_t output, prog_trigger *t) {
  const prog_program *p = x->program;
  const prog_bus_info *info = &p->buses[bus];
  bool live_default = false; /* a parameter came from a macro */
  memset(t, 0, sizeof *t);   /* byte-equal voices for equal triggers (the cache compares bytes) */
  bool overflow = false;
  t->onset = event->whole.begin;
  double length = pat_rat_to_double(pat_rat_sub(event->whole.end, event->whole.begin, &overflow));
  double legato = clamp_or(control_or(map, PAT_CONTROL_LEGATO, 1.0), 0.0, 1e9, 1.0);
  t->gate_cycles = clamp_or(length * legato, 0.0, PROG_MAX_GATE_CYCLES, 0.0);
  t->gain = (float)clamp_or(control_or(map, PAT_CONTROL_GAIN, 1.0), 0.0, PROG_MAX_GAIN, 0.0);
  t->pan = (float)clamp_or(control_or(map, PAT_CONTROL_PAN, 0.5), 0.0, 1.0, 0.5);
  fill_orbit(map, t);
  t->bus = (uint16_t)bus;
  t->output = output;
  bool have_note = false;
  double midi = 0.0;
  bool pitched = event_midinote(map, &midi);
  for (int s = 0; s < info->graph.param_count; ++s) {
    const prog_slot *slot = &info->slots[s];
    double value;
    bool pitch = slot->convert == CONV_PITCH;
    if (pitch && pitched) {
      value = midi_hz(midi);
    } else if (!pitch && slot->control != CTL_NONE && has(map, slot->control)) {
      value = slot->convert == CONV_VOWEL ? vowel_index(pat_controls_string(map, slot->control))
                                          : control_or(map, slot->control, 0.0);
    } else if (implied(slot, map)) {
      /* the decay control comes just before the sustain's */
      value =
          slot->convert == CONV_ENV_SUSTAIN && has(map, slot->control - 1) ? 0.001 : slot->implied;
    } else {
      value = slot->kind == SLOT_CONST ? slot->constant : read_slot(x, bus, s, &live_default);
      if (pitch && has(map, PAT_CONTROL_OCTAVE)) /* `saw 55 # octave 4`: 27.5 Hz */
        value *= pow(2.0, control_or(map, PAT_CONTROL_OCTAVE, 5.0) - 5.0);
    }
    if (slot->convert == CONV_PITCH && x->macros && x->macros[PROG_MACRO_TRANSPOSE] != 0.0f)
      value *= pow(2.0, (double)x->macros[PROG_MACRO_TRANSPOSE] / 12.0);
    if (slot->convert == CONV_PITCH && !have_note && value > 0.0) {
      t->note = (float)(69.0 + 12.0 * log2(value / 440.0)); /* the first pitch the bus plays */
      have_note = true;
    }
    t->voice.params[s] = (float)value;
  }
  if (!have_note) /* no oscillator follows the note (noise): its note, or middle C */
    t->note = (float)(pitched ? midi : 60.0);
  double release = 0.0;
  for (int r = 0; r < info->release_count; ++r) {
    double seconds = clamp_or(t->voice.params[info->release_slots[r]], 0.0, 60.0, 0.01);
    if (seconds > release)
      release = seconds;
  }
  t->release_seconds = release;
  t->uses_macros = live || live_default;
  t->voice.seed = (uint32_t)bus + 1u;
  t->cut = (int32_t)clamp_or(control_or(map, PAT_CONTROL_CUT, 0.0), -1e6, 1e6, 0.0);
  if (info->sample_names) { /* the sample a bus plays is part of its voice */
    t->voice.sample = bus_sample(x, info->sample_names);
    t->voice.sample_id = t->voice.sample ? t->voice.sample->id : 0;
  }
}

/* A sample event's playback parameters, SuperDirt's controls: speed times
   the pitch's rate (note, up, midinote, octave: 2^(semitones / 12) from
   middle C; n picks the file), accelerate, begin, end, loop, and what
   prog_sample_voice needs (unit, legato or clip, sustain, cut). false: the
   event cannot sound (speed 0). */
static bool fill_sample(const pat_controls *map, prog_trigger *t) {
  double semitones = 0.0;
  if (has(map, PAT_CONTROL_MIDINOTE))
    semitones = control_or(map, PAT_CONTROL_MIDINOTE, 60.0) - 60.0;
  else
    semitones = control_or(map, PAT_CONTROL_NOTE, 0.0) +
                12.0 * (control_or(map, PAT_CONTROL_OCTAVE, 5.0) - 5.0);
  double speed = clamp_or(control_or(map, PAT_CONTROL_SPEED, 1.0), -1000.0, 1000.0, 1.0) *
                 pow(2.0, clamp_or(semitones, -240.0, 240.0, 0.0) / 12.0);
  if (!(fabs(speed) >= 1e-6))
    return false;
  float *params = t->voice.params;
  params[PROG_SAMPLE_SPEED] = (float)clamp_or(speed, -1000.0, 1000.0, 1.0);
  params[PROG_SAMPLE_ACCELERATE] =
      (float)clamp_or(control_or(map, PAT_CONTROL_ACCELERATE, 0.0), -1000.0, 1000.0, 0.0);
  params[PROG_SAMPLE_BEGIN] = (float)clamp_or(control_or(map, PAT_CONTROL_BEGIN, 0.0), 0, 1, 0);
  params[PROG_SAMPLE_END] = (float)clamp_or(control_or(map, PAT_CONTROL_END, 1.0), 0, 1, 1);
  params[PROG_SAMPLE_LOOP] = (float)clamp_or(control_or(map, PAT_CONTROL_LOOP, 0.0), 0, 1e4, 0);
  const char *unit = pat_controls_string(map, PAT_CONTROL_UNIT);
  t->unit_cycles = unit && strcmp(unit, "c") == 0;
  t->has_length = has(map, PAT_CONTROL_LEGATO) || has(map, PAT_CONTROL_CLIP);
  if (!has(map, PAT_CONTROL_LEGATO) && has(map, PAT_CONTROL_CLIP)) { /* Strudel's clip */
    double length = t->gate_cycles; /* the event's length: legato was 1 */
    t->gate_cycles =
        clamp_or(length * control_or(map, PAT_CONTROL_CLIP, 1.0), 0.0, PROG_MAX_GATE_CYCLES, 0.0);
  }
  t->sustain_seconds = (float)clamp_or(control_or(map, PAT_CONTROL_SUSTAIN, 0.0), 0.0, 60.0, 0.0);
  t->voice.sample_id = t->sample->id;
  t->voice.sample = t->sample;
  t->note = (float)(60.0 + semitones);
  return true;
}

/* The trigger of one event, when its `s` names a bus its line plays; 1 when
   a parameter's query starved (the event is lost), else 0. */
static size_t play_event(onset_context *x, const prog_output *output, const pat_event *event,
                         uint16_t index, prog_trigger *out, size_t *count) {
  if (event->value.kind != PAT_VALUE_CONTROLS)
    return 0;
  const pat_controls *map = event->value.controls;
  const char *sound = pat_controls_string(map, PAT_CONTROL_S);
  int bus = find_bus(x->program, sound);
  const sample_data *sample = NULL;
  if (bus < 0 && x->program->has_sample_bus) {
    sample = prog_sample_find(x->program, pat_controls_string(map, PAT_CONTROL_BANK), sound,
                              control_or(map, PAT_CONTROL_N, 0.0));
    bus = sample ? x->program->sample_bus : -1;
  }
  if (bus < 0)
    return 0;
  int stages = (has(map, PAT_CONTROL_LPF) ? STAGE_LPF : 0) |
               (has(map, PAT_CONTROL_HPF) ? STAGE_HPF : 0) |
               (has(map, PAT_CONTROL_BPF) ? STAGE_BPF : 0);
  x->starved = false;
  x->onset = event->whole.begin;
  x->end = event->whole.end;
  prog_trigger *t = &out[*count];
  fill_trigger(x, event, map, event->value.live, output->bus_map[bus][stages], index, t);
  if (x->starved)
    return 1;
  t->sample = sample;
  if (sample && !fill_sample(map, t))
    return 0;
  if (x->program->buses[t->bus].sample_names && !t->voice.sample)
    return 0; /* a bus whose sample is not there: nothing to play */
  (*count)++;
  return 0;
}

/* ---- onset order --------------------------------------------------------------------------- */

static void insertion_sort(prog_trigger *t, size_t n) {
  for (size_t i = 1; i < n; ++i) {
    if (pat_rat_cmp(t[i - 1].onset, t[i].onset) <= 0)
      continue;
    prog_trigger moving = t[i];
    size_t j = i;
    while (j > 0 && pat_rat_cmp(t[j - 1].onset, moving.onset) > 0) {
      t[j] = t[j - 1];
      --j;
    }
    t[j] = moving;
  }
}

/* Stable sort by onset: a merge sort of indices in arena scratch, then the
   permutation applied in place; insertion sort when scratch is short. */
static void sort_by_onset(prog_trigger *t, size_t n, pat_arena *arena) {
  size_t need = 2 * n * sizeof(uint32_t) + 16;
  if (n <= 32 || arena->top_used > arena->size || arena->size - arena->top_used < arena->used ||
      arena->size - arena->top_used - arena->used < need) {
    insertion_sort(t, n);
    return;
  }
  uintptr_t base = (uintptr_t)(arena->memory + arena->used);
  uint32_t *order = (uint32_t *)((base + 15) & ~(uintptr_t)15), *spare = order + n;
  for (size_t i = 0; i < n; ++i)
    order[i] = (uint32_t)i;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi)
        spare[k++] =
            pat_rat_cmp(t[order[b]].onset, t[order[a]].onset) < 0 ? order[b++] : order[a++];
      while (a < mid)
        spare[k++] = order[a++];
      while (b < hi)
        spare[k++] = order[b++];
    }
    uint32_t *swap = order;
    order = spare;
    spare = swap;
  }
  for (size_t i = 0; i < n; ++i) { /* position i takes element order[i] */
    if (order[i] == i)
      continue;
    prog_trigger held = t[i];
    size_t j = i;
    while (order[j] != i) {
      size_t from = order[j];
      t[j] = t[from];
      order[j] = (uint32_t)j;
      j = from;
    }
    t[j] = held;
    order[j] = (uint32_t)j;
  }
}

/* ---- the query ----------------------------------------------------------------------------- */

/* Pattern work one prog_query may do in all, whatever the arena allows. Each
   query is bounded by the arena, but an operator reads its right side with a
   query at every event of its left, so only a bound on their sum bounds the
   call: a pathological control ("c!1e12") would otherwise cost a full-arena
   query at each of thousands of events. Real programs use far less: q.cb's
   cycle takes 406; a whole cycle of 1024 events, each with its own note,
   14 600 (about 12 an event: its structure 4, its note 5, the pairing 3).
   A query's walk gets half of what is left, the rest maps what it found. */
#define PROG_QUERY_WORK 40000

/* Plays the line's events with onsets in `span`. The line may take three
   quarters of the free arena and of the work left: the rest is for the bus
   parameters read at its onsets. When its events do not fit, the pattern
   engine answers with the ones it finished (an operator pairs what its
   left side found in a quarter of the work left): those play, and the line counts
   one lost. */
static void play_line(onset_context *x, const prog_output *output, uint16_t index, pat_arc span,
                      prog_trigger *out, size_t capacity, size_t *count, size_t *lost) {
  pat_arena *arena = x->arena;
  arena_mark mark = mark_arena(arena);
  bool overflowed = arena->overflow;
  arena->overflow = false;
  const pat_event *events = NULL;
  size_t limit = arena->max_events, dropped = arena->dropped;
  uint64_t budget = arena->work_budget;
  uint64_t reserve = arena->work_spent < budget ? (budget - arena->work_spent) / 4 : 0;
  if (arena->used + arena->top_used <= arena->size)
    arena->max_events =
        (arena->size - arena->used - arena->top_used) / sizeof(pat_event) / 4 * 3 + 1;
  arena->work_budget = budget - reserve;
  bool onsets_only = arena->onsets_only;
  arena->onsets_only = true; /* only onsets trigger */
  size_t n = pat_query(output->pattern, span, arena, &events);
  arena->onsets_only = onsets_only;
  arena->max_events = limit;
  /* a query may finish mapping its events past its budget: the reserve
     for the parameters stays whole */
  arena->work_budget =
      (arena->work_spent > budget - reserve ? arena->work_spent : budget - reserve) + reserve;
  *lost += arena->dropped - dropped; /* events whose controls were too dense to read */
  if (arena->overflow)
    (*lost)++; /* some events did not fit: at least one lost */
  arena->overflow = arena->overflow || overflowed;
  for (size_t i = 0; i < n; ++i) {
    const pat_event *e = &events[i];
    if (e->analog || pat_rat_cmp(e->part.begin, e->whole.begin) != 0)
      continue;
    if (pat_rat_cmp(e->whole.begin, span.begin) < 0 || pat_rat_cmp(e->whole.begin, span.end) >= 0)
      continue;
    if (*count >= capacity) {
      (*lost)++;
      continue;
    }
    *lost += play_event(x, output, e, index, out, count);
  }
  release_arena(arena, mark);
}

size_t prog_query(const prog_program *program, pat_arc span, const float macros[PROG_MACRO_COUNT],
                  pat_arena *arena, prog_trigger *out, size_t capacity, size_t *dropped) {
  size_t count = 0, lost = 0;
  if (!program || !arena || (!out && capacity)) {
    if (dropped)
      *dropped = 0;
    return 0;
  }
  uint64_t caller_budget = arena->work_budget;
  uint64_t ours = arena->work_spent + PROG_QUERY_WORK;
  if (!caller_budget || caller_budget > ours)
    arena->work_budget = ours;
  onset_context x = {.program = program, .macros = macros, .arena = arena};
  x.last.bus = -1;
  const float *inputs = arena->inputs;
  size_t input_count = arena->input_count;
  pat_note_numbering notes = arena->notes;
  arena->notes = PAT_NOTES_TIDAL; /* the language is Tidal's: "c" is 0, middle C */
  arena->inputs = macros;         /* what the lines' macros (pat_input) read */
  arena->input_count = macros ? PROG_MACRO_COUNT : 0;
  for (int o = 0; o < program->output_count; ++o) {
    const prog_output *output = &program->outputs[o];
    play_line(&x, output, (uint16_t)o, span, out, capacity, &count, &lost);
  }
  /* all lines' triggers in onset order (stable: lines in program order at one
     onset), so voices start in the same order whatever the block size */
  sort_by_onset(out, count, arena);
  arena->inputs = inputs;
  arena->input_count = input_count;
  arena->notes = notes;
  arena->work_budget = caller_budget;
  if (dropped)
    *dropped = lost;
  return count;
}
