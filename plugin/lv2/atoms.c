/* Atoms on the audio thread: time:Position, patch:Set/Get and MIDI in; the
   program's status and text out on the notify port. */
#include "plugin.h"

#include <math.h>
#include <string.h>

#include <lv2/atom/util.h>

static bool number(const cb_uris *u, const LV2_Atom *atom, double *out) {
  if (!atom)
    return false;
  if (atom->type == u->atom_Float)
    *out = ((const LV2_Atom_Float *)atom)->body;
  else if (atom->type == u->atom_Double)
    *out = ((const LV2_Atom_Double *)atom)->body;
  else if (atom->type == u->atom_Int)
    *out = ((const LV2_Atom_Int *)atom)->body;
  else if (atom->type == u->atom_Long)
    *out = (double)((const LV2_Atom_Long *)atom)->body;
  else
    return false;
  return true;
}

static void handle_position(cb_plugin *self, const LV2_Atom_Object *obj, int64_t frame) {
  const cb_uris *u = &self->uris;
  const LV2_Atom *speed = NULL, *bpm = NULL, *bar = NULL, *bar_beat = NULL, *per_bar = NULL;
  lv2_atom_object_get(obj, u->time_speed, &speed, u->time_beatsPerMinute, &bpm, u->time_bar, &bar,
                      u->time_barBeat, &bar_beat, u->time_beatsPerBar, &per_bar, 0);
  cb_clock *clock = &self->clock;
  /* Fields the host left out keep their values; without bar and barBeat the
     position is where the clock already is. */
  double beat = cb_clock_cycle_at(clock, frame) * clock->beats_per_bar * clock->cycle_length;
  cb_position p = {clock->speed, clock->bpm, 0.0, beat, clock->beats_per_bar};
  if (clock->cycle_in_beats)
    p.bar_beat = cb_clock_cycle_at(clock, frame) * clock->cycle_length;
  number(u, speed, &p.speed);
  number(u, bpm, &p.bpm);
  number(u, per_bar, &p.beats_per_bar);
  /* Of bar and barBeat, one left out counts as 0 when the other is sent; one
     that is NaN or infinite stays so, and the clock keeps its last value. */
  double bar_value = 0.0, bar_beat_value = 0.0;
  bool has_bar = number(u, bar, &bar_value), has_bar_beat = number(u, bar_beat, &bar_beat_value);
  if ((has_bar && isfinite(bar_value)) || (has_bar_beat && isfinite(bar_beat_value))) {
    p.bar = bar_value;
    p.bar_beat = bar_beat_value;
  }
  switch (cb_clock_position(clock, frame, &p)) {
  case CB_CLOCK_JUMPED:
    cb_transport_jumped(self, frame);
    break;
  case CB_CLOCK_REGRID:
    self->have_frontier = false;
    break;
  case CB_CLOCK_CONTINUES:
    break;
  }
}

static void handle_set(cb_plugin *self, const LV2_Atom_Object *obj) {
  const cb_uris *u = &self->uris;
  const LV2_Atom *property = NULL, *value = NULL;
  lv2_atom_object_get(obj, u->patch_property, &property, u->patch_value, &value, 0);
  if (!property || property->type != u->atom_URID || !value)
    return;
  LV2_URID key = ((const LV2_Atom_URID *)property)->body;
  const char *body = LV2_ATOM_BODY_CONST(value);
  uint32_t length = value->size ? (uint32_t)strnlen(body, value->size) : 0;
  if (key == u->cb_program && value->type == u->atom_String)
    cb_queue_text(self, body, length, false);
  else if (key == u->cb_programFile && value->type == u->atom_Path)
    cb_queue_text(self, body, length, true);
  else if (key == u->cb_samples && (value->type == u->atom_Path || value->type == u->atom_String))
    cb_samples_set(self, body, length);
}

static void handle_get(cb_plugin *self, const LV2_Atom_Object *obj) {
  const LV2_Atom *property = NULL;
  lv2_atom_object_get(obj, self->uris.patch_property, &property, 0);
  LV2_URID key = property && property->type == self->uris.atom_URID
                     ? ((const LV2_Atom_URID *)property)->body
                     : 0;
  if (!property || key == self->uris.cb_program) {
    self->reply_program = true;
    self->notes_pending = true; /* a UI that opens also learns the warnings */
  }
  if (!property || key == self->uris.cb_samples)
    self->reply_samples = true;
}

static void handle_midi(cb_plugin *self, const LV2_Atom_Event *event, int64_t frame) {
  const uint8_t *msg = (const uint8_t *)(event + 1);
  /* All sound off / all notes off (hosts send them at stop and locate). */
  if (event->body.size >= 3 && (msg[0] & 0xF0) == 0xB0 && (msg[1] == 120 || msg[1] == 123)) {
    voice_release_all(&self->voices);
    cb_midi_all_off(&self->midi, frame);
  }
}

void cb_handle_atom(cb_plugin *self, const LV2_Atom_Event *event, int64_t frame) {
  const cb_uris *u = &self->uris;
  if (event->body.type == u->midi_MidiEvent) {
    handle_midi(self, event, frame);
    return;
  }
  if (event->body.type != u->atom_Object && event->body.type != u->atom_Blank)
    return;
  const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&event->body;
  if (obj->body.otype == u->time_Position)
    handle_position(self, obj, frame);
  else if (obj->body.otype == u->patch_Set)
    handle_set(self, obj);
  else if (obj->body.otype == u->patch_Get)
    handle_get(self, obj);
}

void cb_prepare_notify(cb_plugin *self, uint32_t capacity) {
  self->notify_capacity = capacity;
  lv2_atom_forge_set_buffer(&self->forge, (uint8_t *)self->notify, capacity);
  lv2_atom_forge_sequence_head(&self->forge, &self->notify_frame, 0);
}

/* patch:Set of `key` to a string (or path: `type`), at frame 0. False when
   the port is full. */
bool cb_write_set(cb_plugin *self, LV2_URID key, LV2_URID type, const char *text, uint32_t length) {
  LV2_Atom_Forge *forge = &self->forge;
  LV2_Atom_Forge_Frame frame;
  if (!lv2_atom_forge_frame_time(forge, 0))
    return false;
  if (!lv2_atom_forge_object(forge, &frame, 0, self->uris.patch_Set))
    return false;
  lv2_atom_forge_key(forge, self->uris.patch_property);
  lv2_atom_forge_urid(forge, key);
  lv2_atom_forge_key(forge, self->uris.patch_value);
  bool ok = lv2_atom_forge_typed_string(forge, type, text, length) != 0;
  lv2_atom_forge_pop(forge, &frame);
  return ok;
}

/* Bytes a patch:Set of a `length`-byte string takes in an empty notify
   sequence: the sequence header, the event's time, the object and its two
   properties (the URID padded to 8 bytes), the string with its NUL padded. */
uint32_t cb_set_size(uint32_t length) {
  return (uint32_t)sizeof(LV2_Atom_Sequence) + 8 + (uint32_t)sizeof(LV2_Atom_Object) + 8 + 16 + 8 +
         (uint32_t)sizeof(LV2_Atom) + lv2_atom_pad_size(length + 1);
}

/* Appends `text`, or `value` in decimal, to a message (no stdio in run()). */
static uint32_t append(char *out, uint32_t n, uint32_t size, const char *text) {
  for (; *text && n + 1 < size; ++text)
    out[n++] = *text;
  out[n] = '\0';
  return n;
}

static uint32_t append_number(char *out, uint32_t n, uint32_t size, uint32_t value) {
  char digits[12];
  int count = 0;
  do
    digits[count++] = (char)('0' + value % 10);
  while ((value /= 10) && count < 11);
  while (count > 0 && n + 1 < size)
    out[n++] = digits[--count];
  out[n] = '\0';
  return n;
}

static void report_too_long(cb_plugin *self, uint32_t length) {
  char *m = self->report.message;
  uint32_t size = sizeof self->report.message, n = 0;
  n = append(m, n, size, "cannot send the program text (");
  n = append_number(m, n, size, length);
  n = append(m, n, size, " bytes) on the notify port: the host gives it ");
  n = append_number(m, n, size, self->notify_capacity);
  append(m, n, size, " bytes");
  self->report.line = self->report.column = 0;
  self->report_pending = true;
}

/* Formats "LINE:COL: message" without stdio (run() may not use it). */
static uint32_t format_error(const prog_error *error, char *out, uint32_t size) {
  uint32_t n = 0;
  out[0] = '\0';
  if (error->line > 0) {
    n = append_number(out, n, size, (uint32_t)error->line);
    n = append(out, n, size, ":");
    n = append_number(out, n, size, error->column > 0 ? (uint32_t)error->column : 0u);
    n = append(out, n, size, ": ");
  }
  return append(out, n, size, error->message);
}

/* The playhead, rate-limited, and the events triggered in this block. */
static void write_ui_events(cb_plugin *self) {
  LV2_Atom_Forge *forge = &self->forge;
  const cb_uris *u = &self->uris;
  bool rolling = self->clock.rolling;
  if ((rolling && self->block_frame >= self->next_playhead_frame) ||
      rolling != self->playhead_rolling) {
    LV2_Atom_Forge_Frame frame;
    if (!lv2_atom_forge_frame_time(forge, 0) ||
        !lv2_atom_forge_object(forge, &frame, 0, u->cb_Playhead))
      return;
    lv2_atom_forge_key(forge, u->cb_cycle);
    lv2_atom_forge_double(forge, cb_clock_cycle_at(&self->clock, self->block_frame));
    lv2_atom_forge_key(forge, u->cb_rolling);
    lv2_atom_forge_bool(forge, rolling);
    lv2_atom_forge_pop(forge, &frame);
    self->playhead_rolling = rolling;
    self->next_playhead_frame =
        self->block_frame + (int64_t)(CB_PLAYHEAD_SECONDS * self->sample_rate);
  }
  for (uint32_t i = 0; i < self->triggered_count; ++i) {
    LV2_Atom_Forge_Frame frame;
    if (!lv2_atom_forge_frame_time(forge, 0) ||
        !lv2_atom_forge_object(forge, &frame, 0, u->cb_Triggered))
      return;
    lv2_atom_forge_key(forge, u->cb_output);
    lv2_atom_forge_int(forge, self->triggered[i].output);
    lv2_atom_forge_key(forge, u->cb_onset);
    lv2_atom_forge_double(forge, self->triggered[i].onset);
    lv2_atom_forge_key(forge, u->cb_end);
    lv2_atom_forge_double(forge, self->triggered[i].end);
    lv2_atom_forge_pop(forge, &frame);
  }
}

void cb_write_notify(cb_plugin *self) {
  write_ui_events(self);
  if (self->report_pending) {
    char text[sizeof self->report.message + 32];
    uint32_t length = format_error(&self->report, text, sizeof text);
    if (cb_write_set(self, self->uris.cb_error, self->uris.atom_String, text, length))
      self->report_pending = false;
  }
  if (self->reply_program && self->program) {
    uint32_t length = self->program->text_length;
    if (cb_set_size(length) > self->notify_capacity) {
      /* It can never fit this host's buffer: say so once, not every block. */
      self->reply_program = false;
      report_too_long(self, length);
    } else if (cb_write_set(self, self->uris.cb_program, self->uris.atom_String,
                            self->program->text, length)) {
      self->reply_program = false;
    }
  }
  cb_samples_write_notify(self);
}
