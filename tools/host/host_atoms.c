/* Atoms in and out: the control sequence of each block (time:Position,
   patch:Set/Get, MIDI) and what the plugin writes on its notify port. */
#include "host_private.h"

#include <lv2/atom/util.h>
#include <stdlib.h>
#include <string.h>

void cb_host_begin_sequence(cb_host *host) {
  lv2_atom_forge_set_buffer(&host->forge, (uint8_t *)host->control_buffer, CB_HOST_ATOM_BYTES);
  lv2_atom_forge_sequence_head(&host->forge, &host->sequence_frame, 0);
  host->sequence_open = true;
}

void cb_host_send_position(cb_host *host, uint32_t frame, double speed, double bpm, double bar,
                           double bar_beat, double beats_per_bar) {
  LV2_Atom_Forge *forge = &host->forge;
  LV2_Atom_Forge_Frame object;
  lv2_atom_forge_frame_time(forge, frame);
  lv2_atom_forge_object(forge, &object, 0, host->time_Position);
  lv2_atom_forge_key(forge, host->time_speed);
  lv2_atom_forge_float(forge, (float)speed);
  lv2_atom_forge_key(forge, host->time_beatsPerMinute);
  lv2_atom_forge_float(forge, (float)bpm);
  lv2_atom_forge_key(forge, host->time_bar);
  lv2_atom_forge_long(forge, (int64_t)bar);
  lv2_atom_forge_key(forge, host->time_barBeat);
  lv2_atom_forge_float(forge, (float)bar_beat);
  lv2_atom_forge_key(forge, host->time_beatsPerBar);
  lv2_atom_forge_float(forge, (float)beats_per_bar);
  lv2_atom_forge_pop(forge, &object);
}

void cb_host_send_position_doubles(cb_host *host, uint32_t frame, double speed, double bpm,
                                   double bar, double bar_beat, double beats_per_bar) {
  LV2_Atom_Forge *forge = &host->forge;
  LV2_Atom_Forge_Frame object;
  const LV2_URID keys[5] = {host->time_speed, host->time_beatsPerMinute, host->time_bar,
                            host->time_barBeat, host->time_beatsPerBar};
  const double values[5] = {speed, bpm, bar, bar_beat, beats_per_bar};
  lv2_atom_forge_frame_time(forge, frame);
  lv2_atom_forge_object(forge, &object, 0, host->time_Position);
  for (int i = 0; i < 5; ++i) {
    lv2_atom_forge_key(forge, keys[i]);
    lv2_atom_forge_double(forge, values[i]);
  }
  lv2_atom_forge_pop(forge, &object);
}

static void send_set(cb_host *host, uint32_t frame, LV2_URID key, LV2_URID type, const char *text) {
  LV2_Atom_Forge *forge = &host->forge;
  LV2_Atom_Forge_Frame object;
  lv2_atom_forge_frame_time(forge, frame);
  lv2_atom_forge_object(forge, &object, 0, host->patch_Set);
  lv2_atom_forge_key(forge, host->patch_property);
  lv2_atom_forge_urid(forge, key);
  lv2_atom_forge_key(forge, host->patch_value);
  lv2_atom_forge_typed_string(forge, type, text, (uint32_t)strlen(text));
  lv2_atom_forge_pop(forge, &object);
}

void cb_host_send_program(cb_host *host, uint32_t frame, const char *text) {
  send_set(host, frame, host->cb_program, host->atom_String, text);
}

void cb_host_send_program_file(cb_host *host, uint32_t frame, const char *path) {
  send_set(host, frame, host->cb_programFile, host->atom_Path, path);
}

void cb_host_send_samples(cb_host *host, uint32_t frame, const char *folders) {
  send_set(host, frame, host->cb_samples, host->atom_Path, folders);
}

void cb_host_send_get(cb_host *host, uint32_t frame) {
  LV2_Atom_Forge *forge = &host->forge;
  LV2_Atom_Forge_Frame object;
  lv2_atom_forge_frame_time(forge, frame);
  lv2_atom_forge_object(forge, &object, 0, host->patch_Get);
  lv2_atom_forge_key(forge, host->patch_property);
  lv2_atom_forge_urid(forge, host->cb_program);
  lv2_atom_forge_pop(forge, &object);
}

void cb_host_send_midi(cb_host *host, uint32_t frame, const uint8_t *bytes, uint32_t size) {
  lv2_atom_forge_frame_time(&host->forge, frame);
  lv2_atom_forge_atom(&host->forge, size, host->midi_MidiEvent);
  lv2_atom_forge_write(&host->forge, bytes, size);
}

static void keep_string(char **slot, const LV2_Atom *value) {
  free(*slot);
  *slot = strndup(LV2_ATOM_BODY_CONST(value), value->size);
}

void cb_host_read_notify(cb_host *host) {
  LV2_ATOM_SEQUENCE_FOREACH(host->notify_buffer, event) {
    const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&event->body;
    if (event->body.type != host->atom_Object || obj->body.otype != host->patch_Set)
      continue;
    const LV2_Atom *property = NULL, *value = NULL;
    lv2_atom_object_get(obj, host->patch_property, &property, host->patch_value, &value, 0);
    if (!property || property->type != host->atom_URID || !value)
      continue;
    LV2_URID key = ((const LV2_Atom_URID *)property)->body;
    if (key == host->cb_error) {
      keep_string(&host->status, value);
      host->status_count++;
    } else if (key == host->cb_program) {
      keep_string(&host->program_reply, value);
    } else if (key == host->cb_warnings) {
      keep_string(&host->warnings, value);
    } else if (key == host->cb_samples) {
      keep_string(&host->samples_reply, value);
    } else if (key == host->cb_samplesInUse) {
      keep_string(&host->samples_in_use, value);
    }
  }
}

const char *cb_host_status(const cb_host *host, uint32_t *count) {
  if (count)
    *count = host->status_count;
  return host->status ? host->status : "";
}

const char *cb_host_program_reply(const cb_host *host) { return host->program_reply; }

const char *cb_host_warnings(const cb_host *host) { return host->warnings ? host->warnings : ""; }

const char *cb_host_samples_reply(const cb_host *host) { return host->samples_reply; }

const char *cb_host_samples_in_use(const cb_host *host) {
  return host->samples_in_use ? host->samples_in_use : "";
}
