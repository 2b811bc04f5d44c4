/* Control maps: the Tidal names of the controls, a value as a map, and the
   operators (# |+ |- ...) on values and maps, as Strudel's _composeOp and
   unionWithObj define them. Query-time code: maps and joined strings are
   allocated in the query arena. */
#include <math.h>
#include <string.h>

#include "pattern/pat_internal.h"

static const struct {
  const char *name;
  pat_control control;
} control_names[] = {
    {"s", PAT_CONTROL_S},
    {"sound", PAT_CONTROL_S},
    {"n", PAT_CONTROL_N},
    {"note", PAT_CONTROL_NOTE},
    {"up", PAT_CONTROL_NOTE}, /* an alias of note in Tidal */
    {"octave", PAT_CONTROL_OCTAVE},
    {"midinote", PAT_CONTROL_MIDINOTE},
    {"gain", PAT_CONTROL_GAIN},
    {"pan", PAT_CONTROL_PAN},
    {"speed", PAT_CONTROL_SPEED},
    {"legato", PAT_CONTROL_LEGATO},
    {"attack", PAT_CONTROL_ATTACK},
    {"att", PAT_CONTROL_ATTACK},
    {"decay", PAT_CONTROL_DECAY},
    {"sustain", PAT_CONTROL_SUSTAIN},
    {"release", PAT_CONTROL_RELEASE},
    {"rel", PAT_CONTROL_RELEASE},
    {"lpf", PAT_CONTROL_LPF},
    {"cutoff", PAT_CONTROL_LPF},
    {"ctf", PAT_CONTROL_LPF},
    {"res", PAT_CONTROL_RES},
    {"resonance", PAT_CONTROL_RES},
    {"lpq", PAT_CONTROL_RES},
    {"hpf", PAT_CONTROL_HPF},
    {"hcutoff", PAT_CONTROL_HPF},
    {"hpq", PAT_CONTROL_HPQ},
    {"hresonance", PAT_CONTROL_HPQ},
    {"bpf", PAT_CONTROL_BPF},
    {"bandf", PAT_CONTROL_BPF},
    {"bpq", PAT_CONTROL_BPQ},
    {"bandq", PAT_CONTROL_BPQ},
};
#define NAME_COUNT (sizeof control_names / sizeof control_names[0])

const char *const pat_control_names[] = {
    "s",      "sound", "n",         "note",    "gain",    "pan",     "speed",    "legato",
    "attack", "att",   "decay",     "sustain", "release", "rel",     "lpf",      "cutoff",
    "ctf",    "res",   "resonance", "lpq",     "hpf",     "hcutoff", "hpq",      "hresonance",
    "bpf",    "bandf", "bpq",       "bandq",   "up",      "octave",  "midinote", NULL};

int pat_control_lookup(const char *name, size_t length) {
  for (size_t i = 0; i < NAME_COUNT; i++)
    if (strlen(control_names[i].name) == length && memcmp(control_names[i].name, name, length) == 0)
      return (int)control_names[i].control;
  return -1;
}

const char *pat_control_name(pat_control control) {
  if (control == PAT_CONTROL_VALUE)
    return "value";
  for (size_t i = 0; i < NAME_COUNT; i++)
    if (control_names[i].control == control)
      return control_names[i].name;
  return "?";
}

/* Strudel's parseNumeral: numbers, and note names as numbers (MIDI numbers
   in Strudel, semitones from middle C in Tidal). */
static bool numeral(pat_note_numbering notes, const pat_value *v, double *out) {
  if (v->kind == PAT_VALUE_NUMBER) {
    *out = v->number;
    return true;
  }
  return v->kind == PAT_VALUE_STRING && pat_note_number(v->str, notes, out);
}

bool pat_controls_of(pat_control control, pat_note_numbering notes, const pat_value *value,
                     pat_controls *map) {
  memset(map, 0, sizeof *map);
  switch (control) {
  case PAT_CONTROL_VALUE:
    map->value = *value;
    break;
  case PAT_CONTROL_S:
    if (value->kind != PAT_VALUE_STRING && value->kind != PAT_VALUE_SAMPLE)
      return false;
    map->sound = value->str;
    if (value->kind == PAT_VALUE_SAMPLE) { /* s "bd:3" is {s: bd, n: 3}, as in Strudel */
      map->numbers[PAT_CONTROL_N] = value->number;
      map->present |= 1u << PAT_CONTROL_N;
    }
    break;
  default:
    if (control >= PAT_CONTROL_COUNT || !numeral(notes, value, &map->numbers[control]))
      return false;
    break;
  }
  map->present |= 1u << control;
  return true;
}

pat_value pat_controls_value(const pat_controls *map, bool live) {
  return (pat_value){.kind = PAT_VALUE_CONTROLS, .controls = map, .live = live};
}

/* ---- operators ----------------------------------------------------------------- */

static const char *joined(pat_qctx *ctx, const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  char *s = pat_q_alloc(ctx, la + lb + 1);
  if (!s)
    return NULL;
  memcpy(s, a, la);
  memcpy(s + la, b, lb + 1);
  return s;
}

/* JS String(x) of a plain value, in `buf`; NULL for lists and maps. */
static const char *as_text(const pat_value *v, char *buf, size_t size) {
  if (v->kind == PAT_VALUE_STRING)
    return v->str;
  if (v->kind == PAT_VALUE_NUMBER) {
    pat_js_format_number(v->number, buf, size);
    return buf;
  }
  return NULL;
}

/* Division and mod by zero give 0 (JS gives infinities and NaN), as the
   program language documents for its arithmetic. */
static double arithmetic(pat_op op, double a, double b) {
  if ((op == PAT_OP_DIV || op == PAT_OP_MOD) && b == 0.0)
    return 0.0;
  switch (op) {
  case PAT_OP_SUB:
    return a - b;
  case PAT_OP_MUL:
    return a * b;
  case PAT_OP_DIV:
    return a / b;
  case PAT_OP_MOD:
    return fmod(fmod(a, b) + b, b);
  default:
    return a + b;
  }
}

/* Two plain values: numbers (and note names) combine as numbers; ADD joins
   anything else as JS's + does, CONCAT joins strings. */
static bool combine_plain(pat_qctx *ctx, pat_op op, const pat_value *a, const pat_value *b,
                          pat_value *out) {
  bool live = a->live || b->live;
  if (op == PAT_OP_SET || op == PAT_OP_KEEP) {
    *out = op == PAT_OP_SET ? *b : *a;
    out->live = live;
    return true;
  }
  double x, y;
  if (op == PAT_OP_SCALE) {
    int scale =
        b->kind == PAT_VALUE_STRING && b->str ? pat_scale_lookup(b->str, strlen(b->str)) : -1;
    bool degree = numeral(ctx->notes, a, &x) && scale >= 0;
    *out = (pat_value){
        .kind = PAT_VALUE_NUMBER, .number = degree ? pat_scale_note(scale, x) : NAN, .live = live};
    return true;
  }
  bool numbers = numeral(ctx->notes, a, &x) && numeral(ctx->notes, b, &y);
  bool join = op == PAT_OP_CONCAT ? a->kind == PAT_VALUE_STRING && b->kind == PAT_VALUE_STRING
                                  : op == PAT_OP_ADD && !numbers;
  if (join) {
    char ta[32], tb[32];
    const char *sa = as_text(a, ta, sizeof ta), *sb = as_text(b, tb, sizeof tb);
    if (!sa || !sb) {
      *out = *a;
      out->live = live;
      return true;
    }
    const char *s = joined(ctx, sa, sb);
    if (!s)
      return false;
    *out = (pat_value){.kind = PAT_VALUE_STRING, .str = s, .live = live};
    return true;
  }
  *out = (pat_value){
      .kind = PAT_VALUE_NUMBER, .number = numbers ? arithmetic(op, x, y) : NAN, .live = live};
  return true;
}

static pat_controls *new_map(pat_qctx *ctx, const pat_controls *from) {
  pat_controls *map = pat_q_alloc(ctx, sizeof *map);
  if (map)
    *map = *from;
  return map;
}

/* One control both maps have: `into` holds a's, b's comes from `from`. */
static bool combine_control(pat_qctx *ctx, pat_op op, int k, pat_controls *into,
                            const pat_controls *from) {
  if (k == PAT_CONTROL_VALUE)
    return combine_plain(ctx, op, &into->value, &from->value, &into->value);
  if (k == PAT_CONTROL_S) {
    pat_value a = {.kind = PAT_VALUE_STRING, .str = into->sound};
    pat_value b = {.kind = PAT_VALUE_STRING, .str = from->sound}, r;
    if (!combine_plain(ctx, op == PAT_OP_ADD ? PAT_OP_CONCAT : op, &a, &b, &r))
      return false;
    if (r.kind == PAT_VALUE_STRING) /* s "a" |- s "b" keeps a */
      into->sound = r.str;
    return true;
  }
  into->numbers[k] = op == PAT_OP_SET    ? from->numbers[k]
                     : op == PAT_OP_KEEP ? into->numbers[k]
                                         : arithmetic(op, into->numbers[k], from->numbers[k]);
  return true;
}

bool pat_q_combine_values(pat_qctx *ctx, pat_op op, const pat_value *a, const pat_value *b,
                          pat_value *out) {
  if (a->kind != PAT_VALUE_CONTROLS && b->kind != PAT_VALUE_CONTROLS)
    return combine_plain(ctx, op, a, b, out);
  pat_controls wrapped_a, wrapped_b;
  const pat_controls *ma = a->controls, *mb = b->controls;
  if (a->kind != PAT_VALUE_CONTROLS) {
    pat_controls_of(PAT_CONTROL_VALUE, ctx->notes, a, &wrapped_a);
    ma = &wrapped_a;
  }
  if (b->kind != PAT_VALUE_CONTROLS) {
    pat_controls_of(PAT_CONTROL_VALUE, ctx->notes, b, &wrapped_b);
    mb = &wrapped_b;
  }
  bool live = a->live || b->live;
  if (mb->present == 1u << PAT_CONTROL_VALUE) { /* a plain value does no arithmetic on a map */
    if (a->kind == PAT_VALUE_CONTROLS) {
      *out = *a;
      out->live = live;
      return true;
    }
  }
  pat_controls *map = new_map(ctx, ma);
  if (!map)
    return false;
  for (int k = 0; k < PAT_CONTROL_COUNT; k++) {
    uint32_t bit = 1u << k;
    if (!(mb->present & bit))
      continue;
    if (!(map->present & bit)) {
      map->present |= bit;
      if (k == PAT_CONTROL_VALUE)
        map->value = mb->value;
      else if (k == PAT_CONTROL_S)
        map->sound = mb->sound;
      else
        map->numbers[k] = mb->numbers[k];
    } else if (!combine_control(ctx, op, k, map, mb)) {
      return false;
    }
  }
  *out = pat_controls_value(map, live);
  return true;
}

bool pat_q_set_control(pat_qctx *ctx, pat_value *value, pat_control control, double number) {
  pat_controls wrapped;
  const pat_controls *from = value->controls;
  if (value->kind != PAT_VALUE_CONTROLS) {
    pat_controls_of(PAT_CONTROL_VALUE, ctx->notes, value, &wrapped);
    from = &wrapped;
  }
  pat_controls *map = new_map(ctx, from);
  if (!map)
    return false;
  map->numbers[control] = number;
  map->present |= 1u << control;
  *value = pat_controls_value(map, value->live);
  return true;
}
