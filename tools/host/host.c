/* Loading the plugin through lilv, connecting ports and running blocks. */
#include "host_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/midi/midi.h>
#include <lv2/patch/patch.h>
#include <lv2/time/time.h>

#define PLUGIN_URI "urn:cyclebus:cyclebus"

static void map_host_uris(cb_host *h) {
  LV2_URID_Map *m = &h->map;
  h->atom_String = m->map(m->handle, LV2_ATOM__String);
  h->atom_Path = m->map(m->handle, LV2_ATOM__Path);
  h->atom_URID = m->map(m->handle, LV2_ATOM__URID);
  h->atom_Object = m->map(m->handle, LV2_ATOM__Object);
  h->atom_Float = m->map(m->handle, LV2_ATOM__Float);
  h->atom_Double = m->map(m->handle, LV2_ATOM__Double);
  h->midi_MidiEvent = m->map(m->handle, LV2_MIDI__MidiEvent);
  h->patch_Set = m->map(m->handle, LV2_PATCH__Set);
  h->patch_Get = m->map(m->handle, LV2_PATCH__Get);
  h->patch_property = m->map(m->handle, LV2_PATCH__property);
  h->patch_value = m->map(m->handle, LV2_PATCH__value);
  h->time_Position = m->map(m->handle, LV2_TIME__Position);
  h->time_speed = m->map(m->handle, LV2_TIME__speed);
  h->time_beatsPerMinute = m->map(m->handle, LV2_TIME__beatsPerMinute);
  h->time_bar = m->map(m->handle, LV2_TIME__bar);
  h->time_barBeat = m->map(m->handle, LV2_TIME__barBeat);
  h->time_beatsPerBar = m->map(m->handle, LV2_TIME__beatsPerBar);
  h->cb_program = m->map(m->handle, "urn:cyclebus:program");
  h->cb_programFile = m->map(m->handle, "urn:cyclebus:programFile");
  h->cb_samples = m->map(m->handle, "urn:cyclebus:samples");
  h->cb_warnings = m->map(m->handle, "urn:cyclebus:warnings");
  h->cb_samplesInUse = m->map(m->handle, "urn:cyclebus:samplesInUse");
  h->cb_error = m->map(m->handle, "urn:cyclebus:error");
}

static bool load_world(cb_host *host, char *error, size_t error_size) {
  host->world = lilv_world_new();
  if (host->options.bundle) {
    char *path = realpath(host->options.bundle, NULL);
    if (!path) {
      snprintf(error, error_size, "no bundle at %s", host->options.bundle);
      return false;
    }
    size_t n = strlen(path);
    char *uri_path = malloc(n + 2);
    snprintf(uri_path, n + 2, "%s%s", path, path[n - 1] == '/' ? "" : "/");
    LilvNode *bundle = lilv_new_file_uri(host->world, NULL, uri_path);
    lilv_world_load_bundle(host->world, bundle);
    lilv_node_free(bundle);
    free(uri_path);
    free(path);
  } else {
    lilv_world_load_all(host->world);
  }
  const char *plugin_uri = host->options.plugin_uri ? host->options.plugin_uri : PLUGIN_URI;
  LilvNode *uri = lilv_new_uri(host->world, plugin_uri);
  host->plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(host->world), uri);
  lilv_node_free(uri);
  if (!host->plugin) {
    snprintf(error, error_size, "plugin %s not found (bundle %s)", plugin_uri,
             host->options.bundle ? host->options.bundle : "from LV2_PATH");
    return false;
  }
  return true;
}

/* Connects every port: control ports to their defaults, atoms and audio to
   buffers that the host owns. */
static bool connect_ports(cb_host *host) {
  LilvWorld *w = host->world;
  LilvNode *atom_port = lilv_new_uri(w, LV2_ATOM__AtomPort);
  LilvNode *audio_port = lilv_new_uri(w, LV2_CORE__AudioPort);
  LilvNode *input = lilv_new_uri(w, LV2_CORE__InputPort);
  host->port_count = lilv_plugin_get_num_ports(host->plugin);
  host->controls = calloc(host->port_count, sizeof(float));
  float *defaults = calloc(host->port_count, sizeof(float));
  lilv_plugin_get_port_ranges_float(host->plugin, NULL, NULL, defaults);
  host->control_buffer = aligned_alloc(64, CB_HOST_ATOM_BYTES);
  host->notify_buffer = aligned_alloc(64, CB_HOST_ATOM_BYTES);
  host->midi_buffer = aligned_alloc(64, CB_HOST_ATOM_BYTES);
  host->audio = calloc(host->port_count, sizeof(float *));
  bool ok = host->controls && host->control_buffer && host->notify_buffer && host->midi_buffer &&
            host->audio;
  for (uint32_t i = 0; ok && i < host->port_count; ++i) {
    const LilvPort *port = lilv_plugin_get_port_by_index(host->plugin, i);
    bool is_input = lilv_port_is_a(host->plugin, port, input);
    const char *symbol = lilv_node_as_string(lilv_port_get_symbol(host->plugin, port));
    if (lilv_port_is_a(host->plugin, port, atom_port)) {
      LV2_Atom_Sequence *buffer = is_input                      ? host->control_buffer
                                  : !strcmp(symbol, "midi_out") ? host->midi_buffer
                                                                : host->notify_buffer;
      if (is_input)
        host->control_port = i;
      else if (buffer == host->notify_buffer)
        host->notify_port = i;
      lilv_instance_connect_port(host->instance, i, buffer);
    } else if (lilv_port_is_a(host->plugin, port, audio_port)) {
      if (!strcmp(symbol, "out_left")) {
        host->left_port = i;
      } else if (!strcmp(symbol, "out_right")) {
        host->right_port = i;
      } else {
        ok = (host->audio[i] = calloc(host->options.max_block, sizeof(float))) != NULL;
        lilv_instance_connect_port(host->instance, i, host->audio[i]);
      }
    } else {
      host->controls[i] = defaults[i];
      lilv_instance_connect_port(host->instance, i, &host->controls[i]);
    }
  }
  free(defaults);
  lilv_node_free(atom_port);
  lilv_node_free(audio_port);
  lilv_node_free(input);
  return ok;
}

cb_host *cb_host_new(const cb_host_options *options, char *error, size_t error_size) {
  cb_host *host = calloc(1, sizeof *host);
  host->options = *options;
  if (host->options.sample_rate <= 0)
    host->options.sample_rate = 48000;
  if (host->options.max_block == 0)
    host->options.max_block = 4096;
  cb_host_init_features(host);
  map_host_uris(host);
  lv2_atom_forge_init(&host->forge, &host->map);
  if (!cb_host_start_worker(host) || !load_world(host, error, error_size)) {
    cb_host_free(host);
    return NULL;
  }
  host->instance = lilv_plugin_instantiate(host->plugin, host->options.sample_rate, host->features);
  if (!host->instance) {
    snprintf(error, error_size, "the plugin failed to instantiate");
    cb_host_free(host);
    return NULL;
  }
  host->handle = lilv_instance_get_handle(host->instance);
  host->worker = lilv_instance_get_extension_data(host->instance, LV2_WORKER__interface);
  host->stats = lilv_instance_get_extension_data(host->instance, "urn:cyclebus:stats");
  if (!host->worker || !connect_ports(host) || !cb_host_launch_worker(host)) {
    snprintf(error, error_size, "the plugin lacks the worker interface, or out of memory");
    cb_host_free(host);
    return NULL;
  }
  lilv_instance_activate(host->instance);
  cb_host_begin_sequence(host);
  return host;
}

void cb_host_free(cb_host *host) {
  if (!host)
    return;
  cb_host_stop_worker(host);
  if (host->instance) {
    lilv_instance_deactivate(host->instance);
    lilv_instance_free(host->instance);
  }
  if (host->world)
    lilv_world_free(host->world);
  cb_host_free_features(host);
  for (uint32_t i = 0; host->audio && i < host->port_count; ++i)
    free(host->audio[i]);
  free(host->audio);
  free(host->controls);
  free(host->control_buffer);
  free(host->notify_buffer);
  free(host->midi_buffer);
  free(host->status);
  free(host->program_reply);
  free(host->warnings);
  free(host->samples_reply);
  free(host->samples_in_use);
  free(host);
}

static int port_index(const cb_host *host, const char *symbol) {
  LilvNode *name = lilv_new_string(host->world, symbol);
  const LilvPort *port = lilv_plugin_get_port_by_symbol(host->plugin, name);
  lilv_node_free(name);
  return port ? (int)lilv_port_get_index(host->plugin, port) : -1;
}

bool cb_host_set_control(cb_host *host, const char *symbol, float value) {
  int index = port_index(host, symbol);
  if (index < 0)
    return false;
  host->controls[index] = value;
  return true;
}

float cb_host_get_control(const cb_host *host, const char *symbol) {
  int index = port_index(host, symbol);
  return index < 0 ? 0.0f : host->controls[index];
}

void (*cb_host_around_run)(int entering);

void cb_host_set_notify_capacity(cb_host *host, uint32_t bytes) {
  host->notify_capacity = bytes < CB_HOST_ATOM_BYTES - sizeof(LV2_Atom) ? bytes : 0;
}

void cb_host_run(cb_host *host, uint32_t frames, float *left, float *right) {
  lilv_instance_connect_port(host->instance, host->left_port, left);
  lilv_instance_connect_port(host->instance, host->right_port, right);
  host->notify_buffer->atom.type = 0;
  host->notify_buffer->atom.size =
      host->notify_capacity ? host->notify_capacity : CB_HOST_ATOM_BYTES - sizeof(LV2_Atom);
  host->midi_buffer->atom.type = 0;
  host->midi_buffer->atom.size = CB_HOST_ATOM_BYTES - sizeof(LV2_Atom);
  if (cb_host_around_run)
    cb_host_around_run(1);
  lilv_instance_run(host->instance, frames);
  if (cb_host_around_run)
    cb_host_around_run(0);
  cb_host_deliver_responses(host);
  cb_host_read_notify(host);
  cb_host_begin_sequence(host);
}

const LV2_Atom_Sequence *cb_host_midi_out(const cb_host *host) { return host->midi_buffer; }

const float *cb_host_audio(const cb_host *host, const char *symbol) {
  int index = port_index(host, symbol);
  return index < 0 ? NULL : host->audio[index];
}

uint32_t cb_host_map(cb_host *host, const char *uri) {
  return host->map.map(host->map.handle, uri);
}

bool cb_host_stats(cb_host *host, cb_stats *stats) {
  if (!host->stats)
    return false;
  host->stats->get(host->handle, stats);
  return true;
}

uint64_t cb_host_render_lead(cb_host *host) {
  return host->stats ? host->stats->render_lead(host->handle) : UINT64_MAX;
}

void cb_host_set_presynth(cb_host *host, bool enabled) {
  if (host->stats)
    host->stats->set_presynth(host->handle, enabled);
}

void *cb_host_instance(cb_host *host) { return host->instance; }
void *cb_host_handle(cb_host *host) { return host->handle; }
