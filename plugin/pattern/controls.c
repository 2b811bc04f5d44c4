/* Control maps: the Tidal names of the controls, a value as a map, and the
   operators (# |+ |- ...) on values and maps, as Strudel's _composeOp and
   unionWithObj define them. Query-time code: maps and joined strings are
   allocated in the query arena. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "pattern/pat_internal.h"

static const struct {
  const char *name;
  pat_control control;
} control_names[] = {
    /* each control's own name first: pat_control_name gives it */
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
    {"begin", PAT_CONTROL_BEGIN},
    {"end", PAT_CONTROL_END},
    {"accelerate", PAT_CONTROL_ACCELERATE},
    {"loop", PAT_CONTROL_LOOP},
    {"cut", PAT_CONTROL_CUT},
    {"unit", PAT_CONTROL_UNIT},
    {"bank", PAT_CONTROL_BANK},
    {"clip", PAT_CONTROL_CLIP},
    {"orbit", PAT_CONTROL_ORBIT},
    {"room", PAT_CONTROL_ROOM},
    {"size", PAT_CONTROL_SIZE},
    {"sz", PAT_CONTROL_SIZE},
    {"dry", PAT_CONTROL_DRY},
    {"delay", PAT_CONTROL_DELAY},
    {"delaytime", PAT_CONTROL_DELAYTIME},
    {"delayt", PAT_CONTROL_DELAYTIME},
    {"delayfeedback", PAT_CONTROL_DELAYFEEDBACK},
    {"delayfb", PAT_CONTROL_DELAYFEEDBACK},
    {"lock", PAT_CONTROL_LOCK},
    {"shape", PAT_CONTROL_SHAPE},
    {"distort", PAT_CONTROL_DISTORT},
    {"dist", PAT_CONTROL_DISTORT},
    {"triode", PAT_CONTROL_TRIODE},
    {"crush", PAT_CONTROL_CRUSH},
    {"coarse", PAT_CONTROL_COARSE},
    {"squiz", PAT_CONTROL_SQUIZ},
    {"vowel", PAT_CONTROL_VOWEL},
    {"djf", PAT_CONTROL_DJF},
    {"ring", PAT_CONTROL_RING},
    {"ringf", PAT_CONTROL_RINGF},
    {"ringdf", PAT_CONTROL_RINGDF},
    {"tremolodepth", PAT_CONTROL_TREMOLODEPTH},
    {"tremdp", PAT_CONTROL_TREMOLODEPTH},
    {"tremolorate", PAT_CONTROL_TREMOLORATE},
    {"tremr", PAT_CONTROL_TREMOLORATE},
    {"tremolo", PAT_CONTROL_TREMOLORATE}, /* Strudel's names */
    {"trem", PAT_CONTROL_TREMOLORATE},
    {"tremdepth", PAT_CONTROL_TREMOLODEPTH},
    {"phaserdepth", PAT_CONTROL_PHASERDEPTH},
    {"phasdp", PAT_CONTROL_PHASERDEPTH},
    {"phaserrate", PAT_CONTROL_PHASERRATE},
    {"phasr", PAT_CONTROL_PHASERRATE},
    {"phaser", PAT_CONTROL_PHASERRATE}, /* Strudel's names */
    {"ph", PAT_CONTROL_PHASERRATE},
    {"phd", PAT_CONTROL_PHASERDEPTH},
    {"lpenv", PAT_CONTROL_LPENV},
    {"lpe", PAT_CONTROL_LPENV},
    {"lpattack", PAT_CONTROL_LPATTACK},
    {"lpa", PAT_CONTROL_LPATTACK},
    {"lpdecay", PAT_CONTROL_LPDECAY},
    {"lpd", PAT_CONTROL_LPDECAY},
    {"lpsustain", PAT_CONTROL_LPSUSTAIN},
    {"lps", PAT_CONTROL_LPSUSTAIN},
    {"lprelease", PAT_CONTROL_LPRELEASE},
    {"lpr", PAT_CONTROL_LPRELEASE},
    {"hpenv", PAT_CONTROL_HPENV},
    {"hpe", PAT_CONTROL_HPENV},
    {"hpattack", PAT_CONTROL_HPATTACK},
    {"hpa", PAT_CONTROL_HPATTACK},
    {"hpdecay", PAT_CONTROL_HPDECAY},
    {"hpd", PAT_CONTROL_HPDECAY},
    {"hpsustain", PAT_CONTROL_HPSUSTAIN},
    {"hps", PAT_CONTROL_HPSUSTAIN},
    {"hprelease", PAT_CONTROL_HPRELEASE},
    {"hpr", PAT_CONTROL_HPRELEASE},
    {"bpenv", PAT_CONTROL_BPENV},
    {"bpe", PAT_CONTROL_BPENV},
    {"bpattack", PAT_CONTROL_BPATTACK},
    {"bpa", PAT_CONTROL_BPATTACK},
    {"bpdecay", PAT_CONTROL_BPDECAY},
    {"bpd", PAT_CONTROL_BPDECAY},
    {"bpsustain", PAT_CONTROL_BPSUSTAIN},
    {"bps", PAT_CONTROL_BPSUSTAIN},
    {"bprelease", PAT_CONTROL_BPRELEASE},
    {"bpr", PAT_CONTROL_BPRELEASE},
    {"velocity", PAT_CONTROL_VELOCITY},
    {"amp", PAT_CONTROL_AMP},
    {"voice", PAT_CONTROL_VOICE},
    {"detune", PAT_CONTROL_DETUNE},
    {"nudge", PAT_CONTROL_NUDGE},
};
#define NAME_COUNT (sizeof control_names / sizeof control_names[0])

int pat_control_lookup(const char *name, size_t length) {
  for (size_t i = 0; i < NAME_COUNT; i++)
    if (strlen(control_names[i].name) == length && memcmp(control_names[i].name, name, length) == 0)
      return (int)control_names[i].control;
  return -1;
}

const char *pat_control_name_at(size_t index) {
  return index < NAME_COUNT ? control_names[index].name : NULL;
}

const char *pat_control_name(pat_control control) {
  if (control == PAT_CONTROL_VALUE)
    return "value";
  for (size_t i = 0; i < NAME_COUNT; i++)
    if (control_names[i].control == control)
      return control_names[i].name;
  return "?";
}

bool pat_control_is_string(pat_control control) {
  return control == PAT_CONTROL_S || control == PAT_CONTROL_UNIT || control == PAT_CONTROL_BANK ||
         control == PAT_CONTROL_VOWEL;
}

/* ---- maps ---------------------------------------------------------------------- */

size_t pat_controls_size(uint32_t count) {
  return offsetof(pat_controls, entries) + count * sizeof(pat_control_entry);
}

static const pat_control_entry *find(const pat_controls *map, pat_control control) {
  for (uint32_t i = 0; i < map->count; i++)
    if (map->entries[i].control == control)
      return &map->entries[i];
  return NULL;
}

bool pat_controls_has(const pat_controls *map, pat_control control) {
  return find(map, control) != NULL;
}

double pat_controls_number(const pat_controls *map, pat_control control, double fallback) {
  const pat_control_entry *e = pat_control_is_string(control) ? NULL : find(map, control);
  return e ? e->number : fallback;
}

const char *pat_controls_string(const pat_controls *map, pat_control control) {
  const pat_control_entry *e = pat_control_is_string(control) ? find(map, control) : NULL;
  return e ? e->str : NULL;
}

/* The entry for `control` in `map` (room for PAT_MAP_MAX), inserted in
   order when absent; NULL when the map is full. */
static pat_control_entry *entry_for(pat_controls *map, pat_control control) {
  uint32_t i = 0;
  while (i < map->count && map->entries[i].control < control)
    i++;
  if (i < map->count && map->entries[i].control == control)
    return &map->entries[i];
  if (map->count == PAT_MAP_MAX)
    return NULL;
  memmove(&map->entries[i + 1], &map->entries[i], (map->count - i) * sizeof map->entries[0]);
  map->count++;
  map->entries[i] = (pat_control_entry){.control = (uint16_t)control};
  return &map->entries[i];
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
  map->count = 0;
  map->value = (pat_value){0};
  if (control >= PAT_CONTROL_COUNT)
    return false;
  if (control == PAT_CONTROL_VALUE) {
    map->value = *value;
    entry_for(map, control);
    return true;
  }
  if (pat_control_is_string(control)) {
    if (value->kind != PAT_VALUE_STRING && value->kind != PAT_VALUE_SAMPLE)
      return false;
    entry_for(map, control)->str = value->str;
    if (control == PAT_CONTROL_S && value->kind == PAT_VALUE_SAMPLE) /* s "bd:3" is {s: bd, n: 3} */
      entry_for(map, PAT_CONTROL_N)->number = value->number;
    return true;
  }
  double number;
  if (!numeral(notes, value, &number))
    return false;
  entry_for(map, control)->number = number;
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
  if (op == PAT_OP_SET || op == PAT_OP_KEEP || op == PAT_OP_SPLICE) {
    *out = op == PAT_OP_KEEP ? *a : *b;
    out->live = live;
    return true;
  }
  double x, y;
  if (op == PAT_OP_PICK) { /* a name (a word) and a number make name:number */
    bool pick = a->kind == PAT_VALUE_STRING && b->kind == PAT_VALUE_NUMBER;
    *out = pick ? (pat_value){.kind = PAT_VALUE_SAMPLE, .str = a->str, .number = b->number} : *a;
    out->live = live;
    return true;
  }
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

/* A copy of `from` in the arena with room for `extra` more entries (and
   the `count` field saying how many it has). */
static pat_controls *new_map(pat_qctx *ctx, const pat_controls *from, uint32_t extra) {
  uint32_t room = from->count + extra;
  if (room > PAT_MAP_MAX)
    room = PAT_MAP_MAX;
  pat_controls *map = pat_q_alloc(ctx, pat_controls_size(room));
  if (map)
    memcpy(map, from, pat_controls_size(from->count));
  return map;
}

/* One control both maps have: `into` holds a's, b's is `from`. */
static bool combine_control(pat_qctx *ctx, pat_op op, pat_controls *into, pat_control_entry *mine,
                            const pat_controls *b, const pat_control_entry *theirs) {
  if (op == PAT_OP_SPLICE)
    op = mine->control == PAT_CONTROL_SPEED ? PAT_OP_MUL : PAT_OP_SET;
  if (mine->control == PAT_CONTROL_VALUE)
    return combine_plain(ctx, op, &into->value, &b->value, &into->value);
  if (pat_control_is_string((pat_control)mine->control)) {
    pat_value x = {.kind = PAT_VALUE_STRING, .str = mine->str};
    pat_value y = {.kind = PAT_VALUE_STRING, .str = theirs->str}, r;
    if (!combine_plain(ctx, op == PAT_OP_ADD ? PAT_OP_CONCAT : op, &x, &y, &r))
      return false;
    if (r.kind == PAT_VALUE_STRING) /* s "a" |- s "b" keeps a */
      mine->str = r.str;
    return true;
  }
  mine->number = op == PAT_OP_SET    ? theirs->number
                 : op == PAT_OP_KEEP ? mine->number
                                     : arithmetic(op, mine->number, theirs->number);
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
  bool b_plain = mb->count == 1 && mb->entries[0].control == PAT_CONTROL_VALUE;
  if (b_plain && a->kind == PAT_VALUE_CONTROLS) { /* a plain value does no arithmetic on a map */
    *out = *a;
    out->live = live;
    return true;
  }
  pat_controls *map = new_map(ctx, ma, mb->count);
  if (!map)
    return false;
  for (uint32_t i = 0; i < mb->count; i++) {
    const pat_control_entry *theirs = &mb->entries[i];
    bool had = pat_controls_has(map, (pat_control)theirs->control);
    pat_control_entry *mine = entry_for(map, (pat_control)theirs->control);
    if (!mine) { /* more controls than a map holds: the rest are left out */
      ctx->dropped++;
      break;
    }
    if (!had) {
      *mine = *theirs;
      if (theirs->control == PAT_CONTROL_VALUE)
        map->value = mb->value;
    } else if (!combine_control(ctx, op, map, mine, mb, theirs)) {
      return false;
    }
  }
  *out = pat_controls_value(map, live);
  return true;
}

bool pat_q_set_controls(pat_qctx *ctx, pat_value *value, const pat_control *controls,
                        const double *numbers, size_t count) {
  pat_controls wrapped;
  const pat_controls *from = value->controls;
  if (value->kind != PAT_VALUE_CONTROLS) {
    pat_controls_of(PAT_CONTROL_VALUE, ctx->notes, value, &wrapped);
    from = &wrapped;
  }
  pat_controls *map = new_map(ctx, from, (uint32_t)count);
  if (!map)
    return false;
  for (size_t i = 0; i < count; i++) {
    pat_control_entry *entry = entry_for(map, controls[i]);
    if (!entry) {
      ctx->dropped++;
      break;
    }
    entry->number = numbers[i];
  }
  *value = pat_controls_value(map, value->live);
  return true;
}

bool pat_q_set_control(pat_qctx *ctx, pat_value *value, pat_control control, double number) {
  return pat_q_set_controls(ctx, value, &control, &number, 1);
}
