/* Atoms between the UI and the plugin, forged and read with the LV2 atom
   utilities. Everything the host hands over is size-checked before use. */
#include "protocol.h"

#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/patch/patch.h>

#include "../plugin/lv2/ui_protocol.h"

#define CB_PROGRAM_URI "urn:cyclebus:program"
#define CB_ERROR_URI "urn:cyclebus:error"

void uip_map_uris(LV2_URID_Map *map, uip_uris *u) {
  LV2_URID_Map_Handle h = map->handle;
  u->atom_Object = map->map(h, LV2_ATOM__Object);
  u->atom_Blank = map->map(h, LV2_ATOM__Blank);
  u->atom_String = map->map(h, LV2_ATOM__String);
  u->atom_Double = map->map(h, LV2_ATOM__Double);
  u->atom_Float = map->map(h, LV2_ATOM__Float);
  u->atom_Int = map->map(h, LV2_ATOM__Int);
  u->atom_Long = map->map(h, LV2_ATOM__Long);
  u->atom_Bool = map->map(h, LV2_ATOM__Bool);
  u->atom_URID = map->map(h, LV2_ATOM__URID);
  u->atom_eventTransfer = map->map(h, LV2_ATOM__eventTransfer);
  u->patch_Set = map->map(h, LV2_PATCH__Set);
  u->patch_Get = map->map(h, LV2_PATCH__Get);
  u->patch_property = map->map(h, LV2_PATCH__property);
  u->patch_value = map->map(h, LV2_PATCH__value);
  u->cb_program = map->map(h, CB_PROGRAM_URI);
  u->cb_error = map->map(h, CB_ERROR_URI);
  u->cb_warnings = map->map(h, CB__warnings);
  u->cb_samplesInUse = map->map(h, CB__samplesInUse);
  u->cb_Playhead = map->map(h, CB__Playhead);
  u->cb_Triggered = map->map(h, CB__Triggered);
  u->cb_cycle = map->map(h, CB__cycle);
  u->cb_rolling = map->map(h, CB__rolling);
  u->cb_output = map->map(h, CB__output);
  u->cb_onset = map->map(h, CB__onset);
  u->cb_end = map->map(h, CB__end);
}

static bool number(const uip_uris *u, const LV2_Atom *atom, double *out) {
  if (!atom)
    return false;
  if (atom->type == u->atom_Double && atom->size >= sizeof(double))
    *out = ((const LV2_Atom_Double *)atom)->body;
  else if (atom->type == u->atom_Float && atom->size >= sizeof(float))
    *out = ((const LV2_Atom_Float *)atom)->body;
  else if (atom->type == u->atom_Int && atom->size >= sizeof(int32_t))
    *out = ((const LV2_Atom_Int *)atom)->body;
  else if (atom->type == u->atom_Long && atom->size >= sizeof(int64_t))
    *out = (double)((const LV2_Atom_Long *)atom)->body;
  else if (atom->type == u->atom_Bool && atom->size >= sizeof(int32_t))
    *out = ((const LV2_Atom_Bool *)atom)->body != 0;
  else
    return false;
  return true;
}

/* The properties of an object, found by walking it within `size` bytes. */
static const LV2_Atom *property(const LV2_Atom_Object *obj, LV2_URID key) {
  LV2_ATOM_OBJECT_FOREACH(obj, p) {
    if (p->key == key)
      return &p->value;
  }
  return NULL;
}

static uip_message parse_set(const uip_uris *u, const LV2_Atom_Object *obj) {
  uip_message m = {UIP_NONE};
  const LV2_Atom *key = property(obj, u->patch_property);
  const LV2_Atom *value = property(obj, u->patch_value);
  if (!key || key->type != u->atom_URID || key->size < sizeof(LV2_URID) || !value ||
      value->type != u->atom_String)
    return m;
  LV2_URID which = ((const LV2_Atom_URID *)key)->body;
  if (which != u->cb_program && which != u->cb_error && which != u->cb_warnings &&
      which != u->cb_samplesInUse)
    return m;
  const char *body = LV2_ATOM_BODY_CONST(value);
  uint32_t length = 0;
  while (length < value->size && body[length])
    ++length;
  m.kind = which == u->cb_program    ? UIP_PROGRAM
           : which == u->cb_error    ? UIP_ERROR
           : which == u->cb_warnings ? UIP_WARNINGS
                                     : UIP_SAMPLES;
  m.text = body;
  m.length = length;
  return m;
}

uip_message uip_parse(const uip_uris *u, const LV2_Atom *atom, uint32_t size) {
  uip_message m = {UIP_NONE};
  if (!atom || size < sizeof(LV2_Atom) || lv2_atom_total_size(atom) > size)
    return m;
  if ((atom->type != u->atom_Object && atom->type != u->atom_Blank) ||
      atom->size < sizeof(LV2_Atom_Object_Body))
    return m;
  const LV2_Atom_Object *obj = (const LV2_Atom_Object *)atom;
  LV2_URID otype = obj->body.otype;
  if (otype == u->patch_Set)
    return parse_set(u, obj);
  if (otype == u->cb_Playhead) {
    double rolling = 1.0;
    if (!number(u, property(obj, u->cb_cycle), &m.cycle))
      return m;
    number(u, property(obj, u->cb_rolling), &rolling);
    m.rolling = rolling != 0.0;
    m.kind = UIP_PLAYHEAD;
  } else if (otype == u->cb_Triggered) {
    double output = 0.0;
    if (!number(u, property(obj, u->cb_output), &output) ||
        !number(u, property(obj, u->cb_onset), &m.onset))
      return m;
    if (!number(u, property(obj, u->cb_end), &m.end))
      m.end = m.onset;
    if (output < 0.0 || output > 1e6)
      return m;
    m.output = (int)output;
    m.kind = UIP_TRIGGERED;
  }
  return m;
}

uint32_t uip_forge_program(const uip_uris *u, LV2_URID_Map *map, const char *text, uint32_t length,
                           void *buffer, uint32_t capacity) {
  LV2_Atom_Forge forge;
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_init(&forge, map);
  lv2_atom_forge_set_buffer(&forge, buffer, capacity);
  LV2_Atom_Forge_Ref ref = lv2_atom_forge_object(&forge, &frame, 0, u->patch_Set);
  if (!ref)
    return 0;
  lv2_atom_forge_key(&forge, u->patch_property);
  lv2_atom_forge_urid(&forge, u->cb_program);
  lv2_atom_forge_key(&forge, u->patch_value);
  if (!lv2_atom_forge_string(&forge, text, length))
    return 0;
  lv2_atom_forge_pop(&forge, &frame);
  return lv2_atom_total_size((const LV2_Atom *)buffer);
}

uint32_t uip_forge_get(const uip_uris *u, LV2_URID_Map *map, void *buffer, uint32_t capacity) {
  LV2_Atom_Forge forge;
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_init(&forge, map);
  lv2_atom_forge_set_buffer(&forge, buffer, capacity);
  if (!lv2_atom_forge_object(&forge, &frame, 0, u->patch_Get))
    return 0;
  lv2_atom_forge_key(&forge, u->patch_property);
  if (!lv2_atom_forge_urid(&forge, u->cb_program))
    return 0;
  lv2_atom_forge_pop(&forge, &frame);
  return lv2_atom_total_size((const LV2_Atom *)buffer);
}

static bool read_int(const char *text, uint32_t length, uint32_t *i, int *out) {
  uint32_t start = *i;
  long value = 0;
  while (*i < length && text[*i] >= '0' && text[*i] <= '9' && *i - start < 9)
    value = value * 10 + (text[(*i)++] - '0');
  *out = (int)value;
  return *i > start;
}

bool uip_split_error(const char *text, uint32_t length, int *line, int *column,
                     const char **message, uint32_t *message_length) {
  *line = *column = 0;
  *message = text;
  *message_length = length;
  if (length == 0)
    return false;
  uint32_t i = 0;
  int l, c;
  if (read_int(text, length, &i, &l) && i < length && text[i] == ':' && (++i, true) &&
      read_int(text, length, &i, &c) && i < length && text[i] == ':') {
    ++i;
    while (i < length && text[i] == ' ')
      ++i;
    *line = l;
    *column = c;
    *message = text + i;
    *message_length = length - i;
  }
  return true;
}
