/* prog_query, on the audio thread: the onsets of each output line in a span,
   their controls read at the onset, one trigger per bus and chord note, with
   the bus parameters resolved. Allocates nothing: pattern queries use the
   caller's arena, and every loop is bounded by what the arena holds. */
#include <math.h>
#include <string.h>

#include "program_private.h"

/* ---- absurd values, clamped here (synth parameters are clamped by the synth) ---------- */

static double clamp_or(double value, double low, double high, double if_nan) {
  if (isnan(value))
    return if_nan;
  return value < low ? low : value > high ? high : value;
}

/* ---- onset expressions -------------------------------------------------------------------- */

#define CONTROL_READ_EVENTS 256 /* events one control read may produce, fragments included */

typedef struct {
  const prog_program *program;
  pat_rat onset, end; /* the event's whole */
  const float *macros;
  pat_arena *arena;
  bool used_macro;
  bool starved;         /* a control query ran out of arena: the event is lost, not a rest */
  bool has_event_value; /* the structure event's value is a number: */
  double event_value;   /* OE_EVENT_VALUE */
  size_t lost;          /* values an evaluation had no room for (a chord of more than 32) */
} onset_context;

static bool value_number(const pat_value *value, double *number) {
  if (value->kind == PAT_VALUE_NUMBER) {
    *number = value->number;
    return true;
  }
  return value->kind == PAT_VALUE_STRING && value->str && pat_note_to_midi(value->str, number);
}

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
  /* One event's span holds a few values (a chord): a control that makes
     thousands there is absurd, and may not make each read as costly as a
     full-arena query. */
  size_t limit = arena->max_events;
  arena->max_events = CONTROL_READ_EVENTS;
  size_t n = pat_query(pattern, (pat_arc){x->onset, x->end}, arena, events);
  arena->max_events = limit;
  if (arena->overflow)
    x->starved = true;
  arena->overflow = arena->overflow || overflowed;
  return n;
}

static bool starts_at_onset(const onset_context *x, const pat_event *event) {
  return pat_rat_cmp(event->part.begin, x->onset) == 0;
}

static int pattern_values(onset_context *x, const pat_pattern *pattern, double *out, int capacity,
                          bool notes_in_hz) {
  arena_mark mark = mark_arena(x->arena);
  const pat_event *events = NULL;
  size_t n = events_at_onset(x, pattern, &events);
  int count = 0;
  for (size_t i = 0; i < n; ++i) {
    double value;
    if (!starts_at_onset(x, &events[i]) || !value_number(&events[i].value, &value))
      continue;
    if (count == capacity) {
      x->lost++;
      continue;
    }
    if (notes_in_hz && events[i].value.kind == PAT_VALUE_STRING)
      value = 440.0 * pow(2.0, (value - 69.0) / 12.0);
    out[count++] = value;
  }
  release_arena(x->arena, mark);
  return count;
}

/* The scale a name pattern gives at the onset, or -1. */
static int scale_at_onset(onset_context *x, const pat_pattern *names) {
  arena_mark mark = mark_arena(x->arena);
  const pat_event *events = NULL;
  size_t n = events_at_onset(x, names, &events);
  int scale = -1;
  for (size_t i = 0; i < n && scale < 0; ++i)
    if (starts_at_onset(x, &events[i]) && events[i].value.kind == PAT_VALUE_STRING)
      scale = prog_scale_lookup(events[i].value.str, strlen(events[i].value.str));
  release_arena(x->arena, mark);
  return scale;
}

/* a * b, held at 1e6: counts of lost voices need no more. */
static size_t saturated_product(size_t a, size_t b) {
  const size_t limit = 1000000;
  a = a < limit ? a : limit;
  b = b < limit ? b : limit;
  return a * b < limit ? a * b : limit;
}

/* Evaluates an onset expression; several values when a pattern has several
   (a chord), combined pairwise by arithmetic. Returns the count (0: none). */
static int evaluate(onset_context *x, int32_t index, double *out, int capacity) {
  const prog_oe *oe = &x->program->oes[index];
  switch (oe->kind) {
  case OE_CONST:
    out[0] = oe->number;
    return 1;
  case OE_MACRO:
    x->used_macro = true;
    out[0] = x->macros ? x->macros[oe->sub] : 0.0;
    return 1;
  case OE_EVENT_VALUE:
    out[0] = x->event_value;
    return x->has_event_value ? 1 : 0;
  case OE_SCALE: {
    int scale = scale_at_onset(x, oe->pattern);
    int n = scale < 0 ? 0 : evaluate(x, oe->left, out, capacity);
    for (int i = 0; i < n; ++i)
      out[i] = prog_scale_note(scale, out[i]);
    return n;
  }
  case OE_PATTERN: {
    int n = pattern_values(x, oe->pattern, out, capacity, oe->sub == OE_PATTERN_NOTES_IN_HZ);
    return n;
  }
  case OE_NEG: {
    int n = evaluate(x, oe->left, out, capacity);
    for (int i = 0; i < n; ++i)
      out[i] = -out[i];
    return n;
  }
  default: {
    /* every pair, left-major; the left values go in `out` (pair (i, j) lands
       at i * nb + j >= i, so going backwards reads each a[i] before it is
       overwritten) and only the right ones need a buffer here */
    const size_t lost_before = x->lost;
    x->lost = 0;
    int na = evaluate(x, oe->left, out, capacity);
    const size_t lost_left = x->lost;
    x->lost = 0;
    double b[PROG_MAX_VALUES];
    int nb = evaluate(x, oe->right, b, PROG_MAX_VALUES);
    const size_t lost_right = x->lost;
    const size_t pairs = (size_t)na * (size_t)nb;
    const int count = pairs < (size_t)capacity ? (int)pairs : capacity;
    for (int i = na - 1; i >= 0; --i) {
      const double a = out[i];
      for (int j = nb - 1; j >= 0; --j) {
        const int at = i * nb + j;
        if (at >= count)
          continue;
        out[at] = oe->kind == OE_ADD   ? a + b[j]
                  : oe->kind == OE_SUB ? a - b[j]
                  : oe->kind == OE_MUL ? a * b[j]
                  : b[j] != 0.0        ? a / b[j]
                                       : 0.0;
      }
    }
    x->lost = lost_before + saturated_product((size_t)na + lost_left, (size_t)nb + lost_right) -
              (size_t)count;
    return count;
  }
  }
}

/* ---- triggers ------------------------------------------------------------------------------ */

/* The controls of one event: up to PROG_MAX_VALUES values each. */
typedef struct {
  double values[CTL_COUNT][PROG_MAX_VALUES];
  int counts[CTL_COUNT];
  size_t lost[CTL_COUNT]; /* values beyond PROG_MAX_VALUES */
  int buses[PROG_MAX_VALUES];
  int bus_count;
  size_t buses_lost;
  bool used_macro;
  double event_gain, event_pan; /* set on the structure's value by echo and jux (-1: no pan) */
} event_controls;

static int find_bus(const prog_program *p, const prog_layer *layer, const char *name) {
  if (!name)
    return -1;
  if (name[0] == '~')
    name++;
  for (int b = 0; b < p->bus_count; ++b)
    if ((layer->bus_mask >> b) & 1u)
      if (strcmp(p->buses[b].name, name) == 0)
        return b;
  return -1;
}

static void add_bus(event_controls *ec, const prog_program *p, const prog_layer *layer,
                    const pat_value *value) {
  int bus = value->kind == PAT_VALUE_NUMBER ? -1 : find_bus(p, layer, value->str);
  if (bus >= 0 && ec->bus_count < PROG_MAX_VALUES)
    ec->buses[ec->bus_count++] = layer->bus_map[bus];
  else if (bus >= 0)
    ec->buses_lost++;
}

/* Reads every control of `layer` at the event's onset; false when one has no
   value there (Tidal drops such events: `# note "c ~"` is a rest). */
static bool read_controls(onset_context *x, const prog_layer *layer, const pat_event *event,
                          event_controls *ec) {
  memset(ec->counts, 0, sizeof ec->counts);
  memset(ec->lost, 0, sizeof ec->lost);
  ec->bus_count = 0;
  ec->buses_lost = 0;
  x->has_event_value = false;
  ec->event_gain = 1.0;
  ec->event_pan = -1.0;
  pat_value value = event->value;
  if (value.kind == PAT_VALUE_CONTROLS) { /* {value: x, gain: g, pan: p} */
    const pat_controls *map = value.controls;
    if ((map->present >> PAT_CONTROL_GAIN) & 1u)
      ec->event_gain = map->numbers[PAT_CONTROL_GAIN];
    if ((map->present >> PAT_CONTROL_PAN) & 1u)
      ec->event_pan = map->numbers[PAT_CONTROL_PAN];
    value = map->value;
  }
  if (layer->structure == CTL_S) {
    add_bus(ec, x->program, layer, &value);
  } else if (value_number(&value, &x->event_value)) {
    x->has_event_value = true;
    ec->values[layer->structure][0] = x->event_value;
    ec->counts[layer->structure] = 1;
  }
  for (int k = 0; k < layer->control_count; ++k) {
    uint8_t key = layer->control_keys[k];
    const prog_oe *oe = &x->program->oes[layer->control_exprs[k]];
    if (key == CTL_S) {
      ec->bus_count = 0;
      ec->buses_lost = 0;
      arena_mark mark = mark_arena(x->arena);
      const pat_event *events = NULL;
      size_t n = events_at_onset(x, oe->pattern, &events);
      for (size_t i = 0; i < n; ++i)
        if (starts_at_onset(x, &events[i]))
          add_bus(ec, x->program, layer, &events[i].value);
      release_arena(x->arena, mark);
      if (ec->bus_count == 0)
        return false;
      continue;
    }
    x->lost = 0;
    ec->counts[key] = evaluate(x, layer->control_exprs[k], ec->values[key], PROG_MAX_VALUES);
    ec->lost[key] = x->lost;
    if (ec->counts[key] == 0)
      return false;
  }
  ec->used_macro = x->used_macro;
  return true;
}

static double control_or(const event_controls *ec, const int *pick, int key, double fallback) {
  return ec->counts[key] ? ec->values[key][pick[key]] : fallback;
}

/* A bus's onset-expression parameters, evaluated once per event however
   many chord voices share them. */
typedef struct {
  double values[SYNTH_MAX_PARAMS];
  uint32_t evaluated; /* bit per slot */
  bool used_macro;
} slot_defaults;

static double slot_default(onset_context *x, const prog_slot *slot, int s, slot_defaults *cache) {
  if (slot->kind == SLOT_CONST)
    return slot->constant;
  if (!(cache->evaluated & (1u << s))) {
    double values[PROG_MAX_VALUES];
    bool saved = x->used_macro;
    const size_t lost = x->lost; /* a bus parameter takes one value: the rest is not lost */
    x->used_macro = false;
    /* NaN: the synth reads it as the input's default */
    cache->values[s] = evaluate(x, slot->expr, values, PROG_MAX_VALUES) > 0 ? values[0] : NAN;
    cache->used_macro = cache->used_macro || x->used_macro;
    x->used_macro = saved;
    x->lost = lost;
    cache->evaluated |= 1u << s;
  }
  return cache->values[s];
}

/* One trigger: the bus's parameters from controls, constants and onset expressions. */
static void fill_trigger(onset_context *x, const prog_layer *layer, const pat_event *event,
                         const event_controls *ec, const int *pick, int bus, uint16_t output,
                         slot_defaults *cache, prog_trigger *t) {
  const prog_program *p = x->program;
  const prog_bus_info *info = &p->buses[bus];
  memset(t, 0, sizeof *t); /* byte-equal voices for equal triggers (the cache compares bytes) */
  bool overflow = false;
  t->onset = event->whole.begin;
  double length = pat_rat_to_double(pat_rat_sub(event->whole.end, event->whole.begin, &overflow));
  double legato = clamp_or(control_or(ec, pick, CTL_LEGATO, 1.0), 0.0, 1e9, 1.0);
  t->gate_cycles = clamp_or(length * legato, 0.0, PROG_MAX_GATE_CYCLES, 0.0);
  double gain = control_or(ec, pick, CTL_GAIN, 1.0) * ec->event_gain * layer->gain_scale;
  t->gain = (float)clamp_or(gain, 0.0, PROG_MAX_GAIN, 0.0);
  double pan = ec->event_pan >= 0.0 ? ec->event_pan : control_or(ec, pick, CTL_PAN, 0.5);
  t->pan = (float)clamp_or(pan, 0.0, 1.0, 0.5);
  t->bus = (uint16_t)bus;
  t->output = output;
  bool have_note = false;
  for (int s = 0; s < info->graph.param_count; ++s) {
    const prog_slot *slot = &info->slots[s];
    double value;
    bool from_control = slot->control != CTL_NONE && ec->counts[slot->control];
    if (from_control && slot->convert == CONV_PITCH) {
      double midi = ec->values[CTL_NOTE][pick[CTL_NOTE]] + control_or(ec, pick, CTL_N, 0.0);
      value = 440.0 * pow(2.0, (midi - 69.0) / 12.0);
    } else if (from_control) {
      value = ec->values[slot->control][pick[slot->control]];
    } else {
      value = slot_default(x, slot, s, cache);
      if (slot->convert == CONV_PITCH && ec->counts[CTL_N])
        value *= pow(2.0, ec->values[CTL_N][pick[CTL_N]] / 12.0);
    }
    if (slot->convert == CONV_PITCH && x->macros && x->macros[PROG_MACRO_TRANSPOSE] != 0.0f)
      value *= pow(2.0, (double)x->macros[PROG_MACRO_TRANSPOSE] / 12.0);
    if (slot->convert == CONV_PITCH && !have_note && value > 0.0) {
      t->note = (float)(69.0 + 12.0 * log2(value / 440.0)); /* the first pitch the bus plays */
      have_note = true;
    }
    t->voice.params[s] = (float)value;
  }
  if (!have_note) /* no oscillator follows the note (noise): c4 */
    t->note = 60.0f;
  double release = 0.0;
  for (int r = 0; r < info->release_count; ++r) {
    double seconds = clamp_or(t->voice.params[info->release_slots[r]], 0.0, 60.0, 0.01);
    if (seconds > release)
      release = seconds;
  }
  t->release_seconds = release;
  t->uses_macros = ec->used_macro || cache->used_macro;
  t->voice.seed = (uint32_t)bus + 1u;
}

/* Writes the triggers of one event: one per bus and per value of each
   several-valued control (chords). Returns how many did not fit. */
static size_t expand_event(onset_context *x, const prog_layer *layer, const pat_event *event,
                           uint16_t output, prog_trigger *out, size_t capacity, size_t *count) {
  event_controls ec;
  x->used_macro = false;
  x->starved = false;
  x->onset = event->whole.begin;
  x->end = event->whole.end;
  bool heard = read_controls(x, layer, event, &ec);
  if (x->starved)
    return 1;
  if (!heard || ec.bus_count == 0)
    return 0;
  /* what the controls ask for (lost values included), and what is written */
  size_t asked = saturated_product(1, (size_t)ec.bus_count + ec.buses_lost);
  size_t combinations = (size_t)ec.bus_count;
  for (int key = 0; key < CTL_COUNT; ++key) {
    asked = saturated_product(asked, ec.counts[key] ? (size_t)ec.counts[key] + ec.lost[key] : 1);
    combinations = saturated_product(combinations, ec.counts[key] ? (size_t)ec.counts[key] : 1);
  }
  int pick[CTL_COUNT] = {0};
  slot_defaults defaults[PROG_MAX_VALUES];
  for (int b = 0; b < ec.bus_count; ++b) {
    defaults[b].evaluated = 0;
    defaults[b].used_macro = false;
  }
  size_t written = 0;
  while (written < combinations && written < PROG_MAX_VOICES) {
    for (int b = 0; b < ec.bus_count && *count < capacity && written < PROG_MAX_VOICES;
         ++b, ++written)
      fill_trigger(x, layer, event, &ec, pick, ec.buses[b], output, &defaults[b], &out[(*count)++]);
    if (*count >= capacity)
      break;
    int key = 0; /* the next combination of control values, like an odometer */
    for (; key < CTL_COUNT; ++key) {
      if (++pick[key] < ec.counts[key])
        break;
      pick[key] = 0;
    }
    if (key == CTL_COUNT)
      break;
  }
  return asked - written;
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

/* ---- the query ------------------------------------------------------------------------------ */

/* Pattern work one prog_query may do in all, whatever the arena allows. Each
   query is bounded by the arena, but a control is read with a query at every
   onset, so only a bound on their sum bounds the call: a pathological control
   ("c!1e12") would otherwise cost a full-arena query at each of thousands of
   events. Real programs use far less: a whole cycle of 2048 events, each
   with its own note, takes about 18 000; q.cb's cycle 340. */
#define PROG_QUERY_WORK 20000

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
  for (int o = 0; o < program->output_count; ++o) {
    const prog_output *output = &program->outputs[o];
    for (int l = 0; l < output->layer_count; ++l) {
      const prog_layer *layer = &program->layers[output->first_layer + l];
      arena_mark mark = mark_arena(arena);
      bool overflowed = arena->overflow;
      arena->overflow = false;
      const pat_event *events = NULL;
      /* the structure may take three quarters of the free arena and of the
         work left: the rest is for reading controls at its onsets */
      size_t limit = arena->max_events;
      uint64_t budget = arena->work_budget;
      uint64_t reserve = arena->work_spent < budget ? (budget - arena->work_spent) / 4 : 0;
      if (arena->used + arena->top_used <= arena->size)
        arena->max_events =
            (arena->size - arena->used - arena->top_used) / sizeof(pat_event) / 4 * 3 + 1;
      arena->work_budget = budget - reserve;
      size_t n = pat_query(layer->events, span, arena, &events);
      arena->max_events = limit;
      /* a query may finish mapping its events past its budget: the reserve
         for the controls stays whole */
      arena->work_budget =
          (arena->work_spent > budget - reserve ? arena->work_spent : budget - reserve) + reserve;
      if (arena->overflow)
        lost++; /* some events did not fit: at least one lost */
      arena->overflow = arena->overflow || overflowed;
      for (size_t i = 0; i < n; ++i) {
        const pat_event *e = &events[i];
        if (pat_rat_cmp(e->part.begin, e->whole.begin) != 0)
          continue;
        if (pat_rat_cmp(e->whole.begin, span.begin) < 0 ||
            pat_rat_cmp(e->whole.begin, span.end) >= 0)
          continue;
        if (count >= capacity) {
          lost++;
          continue;
        }
        lost += expand_event(&x, layer, e, (uint16_t)o, out, capacity, &count);
      }
      release_arena(arena, mark);
    }
  }
  /* all lines' triggers in onset order (stable: lines in program order at one
     onset), so voices start in the same order whatever the block size */
  sort_by_onset(out, count, arena);
  arena->work_budget = caller_budget;
  if (dropped)
    *dropped = lost;
  return count;
}
