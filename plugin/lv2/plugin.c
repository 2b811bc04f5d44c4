/* The LV2 descriptor: instantiate, connect_port, activate, cleanup and
   extension data. Instantiate and cleanup run on a non-real-time thread and
   may allocate; everything run() needs is prepared here. */
#include "plugin.h"

#include <stdlib.h>
#include <string.h>

#include <lv2/options/options.h>

#include "../prefault.h"
#include "default_program.h"

/* Whether the program's voices may carry a sample: those of a bus with a
   sample node (the sample bus, `sample "..."` in a bus). */
static bool plays_samples(const prog_program *program) {
  for (int b = 0; b < prog_bus_count(program); ++b) {
    const synth_bus *bus = prog_bus(program, b);
    for (int k = 0; k < bus->node_count; ++k)
      if (bus->nodes[k].kind == SYNTH_SAMPLE)
        return true;
  }
  return false;
}

/* Compiles with the sample library (worker, instantiate or restore thread);
   the compile's warnings are logged and kept with the program (samples_param.c).
   A program that plays samples makes the voices' right channels resident
   first: run() may start a stereo sample live as soon as it has it. */
cb_program *cb_program_make(cb_plugin *self, const char *text, size_t length, uint32_t sequence,
                            prog_error *error) {
  if (length >= CB_TEXT_MAX) {
    *error = (prog_error){0, 0, "program too long (at most 65535 bytes)"};
    return NULL;
  }
  prog_warnings warnings = {0};
  prog_program *compiled = prog_compile_with(
      text, length, self->samples ? &self->sample_source : NULL, error, &warnings);
  if (!compiled) {
    cb_samples_notes(self, &warnings, NULL);
    return NULL;
  }
  if (plays_samples(compiled))
    voice_pool_prepare_stereo(&self->voices);
  cb_program *program = calloc(1, sizeof *program);
  char *copy = malloc(length + 1);
  if (!program || !copy) {
    free(program);
    free(copy);
    prog_free(compiled);
    *error = (prog_error){0, 0, "out of memory"};
    return NULL;
  }
  memcpy(copy, text, length);
  copy[length] = '\0';
  program->compiled = compiled;
  program->text = copy;
  program->text_length = (uint32_t)length;
  program->sequence = sequence;
  program->made = atomic_fetch_add_explicit(&self->programs_made, 1, memory_order_relaxed) + 1;
  cb_samples_notes(self, &warnings, program);
  return program;
}

void cb_program_free(cb_program *program) {
  if (!program)
    return;
  prog_free(program->compiled);
  free(program->text);
  free(program->notes);
  free(program->samples_in_use);
  free(program->samples_param);
  free(program);
}

/* Keeps the text of the program of the newest request for save(). Worker,
   instantiate or restore thread. */
void cb_remember_program(cb_plugin *self, const cb_program *program) {
  char *text = strdup(program->text);
  pthread_mutex_lock(&self->state_lock);
  if (text && cb_sequence_at_least(program->sequence, self->state_sequence)) {
    char *old = self->state_text;
    self->state_text = text;
    self->state_sequence = program->sequence;
    text = old;
  }
  pthread_mutex_unlock(&self->state_lock);
  free(text);
}

static void free_program(void *program) { cb_program_free(program); }

static void cleanup(LV2_Handle instance) {
  cb_plugin *self = instance;
  /* Messages the host dropped unread still own what they carried. */
  cb_handoff_free_untaken(&self->to_run, free_program);
  cb_handoff_free_untaken(&self->to_worker, free_program);
  cb_program_free(self->program);
  cb_program_free(self->pending);
  cb_program_free(atomic_load(&self->restored));
  for (uint32_t i = 0; i < self->retired_count; ++i)
    cb_program_free(self->retired[i]);
  presynth_pool_free(self->render_pool);
  free(self->render_keys);
  voice_pool_destroy(&self->voices);
  orbit_bank_destroy(&self->orbits);
  presynth_cache_destroy(&self->cache);
  free(self->arena_memory);
  free(self->triggers);
  cb_seen_free(&self->seen);
  free(self->state_text);
  free(self->watch_path);
  free(self->samples_folders);
  samples_bank_free(self->samples); /* after every program: they hold its sets */
  cb_idisp_free(&self->inline_display);
  pthread_mutex_destroy(&self->state_lock);
  free(self);
}

/* A sample voice ended: drop its reference on the cache entry. */
static void release_buffer(void *owner, uint32_t entry) {
  cb_plugin *self = owner;
  presynth_release(&self->cache, entry);
}

/* An integer option (urn:cyclebus:voices, urn:cyclebus:renderThreads), or
   the fallback when the host does not give it. */
static int int_option(const LV2_Options_Option *options, LV2_URID_Map *map, const char *uri,
                      int fallback) {
  LV2_URID key = map->map(map->handle, uri);
  LV2_URID atom_Int = map->map(map->handle, LV2_ATOM__Int);
  for (const LV2_Options_Option *o = options; o && o->key; ++o) {
    if (o->key == key && o->type == atom_Int && *(const int32_t *)o->value >= 0)
      return *(const int32_t *)o->value;
  }
  return fallback;
}

/* The sample library, with the alias table shipped in the bundle and a
   memory cap from the host's options (urn:cyclebus:sampleMemory, in MB). No
   library (out of memory): programs play without samples. */
static void start_samples(cb_plugin *self, double rate, const char *bundle_path,
                          const LV2_Options_Option *options) {
  int32_t megabytes = int_option(options, self->map, "urn:cyclebus:sampleMemory", 0);
  self->samples = samples_bank_new(rate, (size_t)megabytes << 20);
  if (!self->samples)
    return;
  self->sample_source = samples_source(self->samples);
  const char *name = "samples-aliases.txt";
  size_t length = bundle_path ? strlen(bundle_path) : 0;
  char *aliases = malloc(length + strlen(name) + 2);
  if (aliases && bundle_path) {
    memcpy(aliases, bundle_path, length);
    aliases[length] = '\0';
    if (length && bundle_path[length - 1] != '/')
      strcat(aliases, "/");
    strcat(aliases, name);
    samples_set_alias_file(self->samples, aliases);
  }
  free(aliases);
}

static LV2_Handle instantiate(const LV2_Descriptor *descriptor, double rate,
                              const char *bundle_path, const LV2_Feature *const *features) {
  cb_plugin *self = calloc(1, sizeof *self);
  if (!self)
    return NULL;
  self->stems = !strcmp(descriptor->URI, CB_STEMS_URI);
  pthread_mutex_init(&self->state_lock, NULL);
  /* The text triple buffer: run() fills slot 0, slot 1 is the newest (none
     yet), the worker reads slot 2. */
  self->text_write = 0;
  atomic_init(&self->text_newest, 1);
  self->text_read = 2;
  const LV2_Options_Option *options = NULL;
  LV2_Log_Log *log = NULL;
  const cb_idisp_queue_draw *queue_draw = NULL;
  for (int i = 0; features && features[i]; ++i) {
    const char *uri = features[i]->URI;
    if (!strcmp(uri, LV2_URID__map))
      self->map = features[i]->data;
    else if (!strcmp(uri, LV2_WORKER__schedule))
      self->schedule = features[i]->data;
    else if (!strcmp(uri, LV2_LOG__log))
      log = features[i]->data;
    else if (!strcmp(uri, LV2_OPTIONS__options))
      options = features[i]->data;
    else if (!strcmp(uri, CB_IDISP__queue_draw))
      queue_draw = features[i]->data;
  }
  if (self->map)
    lv2_log_logger_init(&self->logger, self->map, log);
  if (!self->map || !self->schedule) {
    if (log && self->map)
      lv2_log_error(&self->logger, "cyclebus: host lacks urid:map or work:schedule\n");
    free(self);
    return NULL;
  }
  cb_map_uris(self->map, &self->uris);
  lv2_atom_forge_init(&self->forge, self->map);
  self->sample_rate = rate;
  cb_idisp_init(&self->inline_display, queue_draw, rate);
  self->presynth_enabled = true;
  self->lookahead_slice = 1.0;
  self->gain_now = -1.0f;
  self->render_lead = UINT64_MAX;
  self->arena_memory = calloc(1, CB_ARENA_BYTES);
  self->triggers = calloc(CB_TRIGGERS_MAX, sizeof *self->triggers);
  self->render_keys = calloc(CB_BATCH_MAX, sizeof *self->render_keys);
  cb_prefault(self, sizeof *self); /* what run() writes: no page fault there */
  cb_prefault(self->arena_memory, self->arena_memory ? CB_ARENA_BYTES : 0);
  cb_prefault(self->triggers, CB_TRIGGERS_MAX * sizeof *self->triggers);
  presynth_limits limits = {.entries = CB_CACHE_ENTRIES,
                            .memory_cap = CB_CACHE_BYTES,
                            .max_buffer_bytes =
                                (size_t)(CB_PRESYNTH_MAX_SECONDS * rate) * sizeof(float),
                            .reclaim_frames = (uint64_t)(CB_RECLAIM_SECONDS * rate),
                            .soft_target = CB_CACHE_SOFT_BYTES,
                            .reuse_target = CB_CACHE_REUSE_BYTES};
  bool ok =
      self->arena_memory && self->triggers && self->render_keys && cb_seen_init(&self->seen) &&
      presynth_cache_init(&self->cache, &limits) && orbit_bank_init(&self->orbits, rate) &&
      voice_pool_init(
          &self->voices,
          (uint32_t)int_option(options, self->map, "urn:cyclebus:voices", VOICE_DEFAULT_COUNT),
          rate, release_buffer, self) &&
      (self->render_pool = presynth_pool_new(int_option(
           options, self->map, "urn:cyclebus:renderThreads", presynth_pool_default_threads())));
  if (!ok) {
    cleanup(self);
    return NULL;
  }
  pat_arena_init(&self->arena, self->arena_memory, CB_ARENA_BYTES);
  start_samples(self, rate, bundle_path, options);
  for (uint32_t i = 0; i < PROG_MACRO_COUNT; ++i)
    self->macros[i] = 0.0f;

  /* The embedded default program: a fresh instance plays with no setup. */
  prog_error error;
  self->program = cb_program_make(self, cb_default_program, strlen(cb_default_program), 0, &error);
  if (!self->program) {
    lv2_log_error(&self->logger, "cyclebus: default program: %d:%d: %s\n", error.line, error.column,
                  error.message);
    cleanup(self);
    return NULL;
  }
  cb_remember_program(self, self->program);
  cb_samples_program_taken(self, self->program, false);
  double cps = 0.0;
  prog_tempo(self->program->compiled, &cps);
  cb_clock_init(&self->clock, rate, cps);
  return self;
}

static void connect_port(LV2_Handle instance, uint32_t port, void *data) {
  cb_plugin *self = instance;
  switch (port) {
  case CB_PORT_CONTROL:
    self->control = data;
    break;
  case CB_PORT_NOTIFY:
    self->notify = data;
    break;
  case CB_PORT_MIDI_OUT:
    self->midi_out = data;
    break;
  case CB_PORT_OUT_LEFT:
    self->out_left = data;
    break;
  case CB_PORT_OUT_RIGHT:
    self->out_right = data;
    break;
  default:
    if (port < CB_PORT_COUNT)
      self->controls[port] = data;
    else if (self->stems && port < CB_STEMS_PORT_COUNT)
      self->stem_out[(port - CB_PORT_STEM_FIRST) / 2][(port - CB_PORT_STEM_FIRST) % 2] = data;
  }
}

/* Audio-thread context per the LV2 spec ("instantiation class" is not
   guaranteed), so this only resets state, never allocates. */
static void activate(LV2_Handle instance) {
  cb_plugin *self = instance;
  double cps = 0.0;
  prog_tempo(self->program->compiled, &cps);
  cb_clock_init(&self->clock, self->sample_rate, cps);
  self->block_frame = 0;
  self->have_last_onset = false;
  self->floor_frame = 0;
  self->have_frontier = false;
  cb_seen_forget(&self->seen);
  self->next_poll_frame = 0;
  self->gain_now = -1.0f;
  voice_release_all(&self->voices);
  cb_midi_reset(&self->midi); /* the host silences its MIDI at activate */
  /* no reverb or echo from before a deactivate rings on (zeroes, allocates nothing) */
  orbit_bank_clear_tails(&self->orbits);
}

static void get_stats(void *instance, cb_stats *out) {
  cb_plugin *self = instance;
  *out = self->stats;
  out->program_cps = 0.0;
  prog_tempo(self->program->compiled, &out->program_cps);
  if (self->samples) {
    samples_stats s;
    samples_get_stats(self->samples, &s);
    out->sample_files_loaded = s.files_loaded;
    out->sample_load_failures = s.load_failures;
    out->sample_evictions = s.evictions;
    out->sample_bytes = s.bytes;
    out->sample_cap = s.cap;
    out->sample_names = s.names_loaded;
    out->sample_load_seconds = s.load_seconds;
  }
  const presynth_counters *c = presynth_get_counters(&self->cache);
  out->requests = c->requests;
  out->hits = c->hits;
  out->live_fallbacks = c->live_fallbacks;
  out->scheduled = c->scheduled;
  out->renders = c->renders;
  out->refused = c->refused;
  out->evicted = c->evicted;
  out->dropped += c->dropped;
  out->over_cap = c->over_cap;
  out->too_long = c->too_long;
  out->reclaimed = c->reclaimed;
  out->leaked = c->leaked + self->programs_leaked;
  out->stolen = self->voices.stolen_count;
  out->dropped += self->voices.dropped_count;
  out->cache_bytes = presynth_bytes(&self->cache);
}

static void set_presynth(void *instance, int enabled) {
  ((cb_plugin *)instance)->presynth_enabled = enabled != 0;
}

static uint64_t get_render_lead(void *instance) { return ((cb_plugin *)instance)->render_lead; }

/* Inline display: the host's non-realtime thread. */
static cb_idisp_surface *render_inline(LV2_Handle instance, uint32_t width, uint32_t max_height) {
  return cb_idisp_render(&((cb_plugin *)instance)->inline_display, width, max_height);
}

static const void *extension_data(const char *uri) {
  static const LV2_Worker_Interface worker = {cb_work, cb_work_response, NULL};
  static const cb_stats_interface stats = {get_stats, set_presynth, get_render_lead};
  static const cb_idisp_interface inline_display = {render_inline};
  if (!strcmp(uri, LV2_WORKER__interface))
    return &worker;
  if (!strcmp(uri, LV2_STATE__interface))
    return &cb_state_interface;
  if (!strcmp(uri, CB__stats))
    return &stats;
  if (!strcmp(uri, CB_IDISP__interface))
    return &inline_display;
  return NULL;
}

/* The plugin and its multi-out twin: the same code, which tells them apart
   by the descriptor's URI at instantiate. */
static const LV2_Descriptor descriptors[2] = {
    {CB_URI, instantiate, connect_port, activate, cb_run, NULL, cleanup, extension_data},
    {CB_STEMS_URI, instantiate, connect_port, activate, cb_run, NULL, cleanup, extension_data}};

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index) {
  return index < 2 ? &descriptors[index] : NULL;
}
