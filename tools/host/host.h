/* A small LV2 host built on lilv, shared by cyclebus-render and the
   integration tests: it loads the bundle as a DAW does, provides urid:map,
   log, options and a worker (its own thread, or synchronous as hosts do in
   export), sends time:Position and patch messages, runs blocks and reads
   the notify port. */
#ifndef CYCLEBUS_HOST_H
#define CYCLEBUS_HOST_H

#include <lv2/atom/atom.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../plugin/lv2/cyclebus_stats.h"

typedef struct cb_host cb_host;

typedef struct {
  const char *bundle; /* a bundle directory, or NULL to search LV2_PATH */
  double sample_rate; /* default 48000 */
  uint32_t max_block; /* largest block run() will be given, default 4096 */
  bool sync_worker;   /* run work() inside schedule_work, as hosts do in export */
  bool quiet_log;     /* drop the plugin's log messages */
  int render_threads; /* > 0: option urn:cyclebus:renderThreads = this - 1 helpers; 0: default */
  const char *plugin_uri; /* NULL: urn:cyclebus:cyclebus; "urn:cyclebus:stems": the multi-out one */
  int sample_memory;      /* > 0: option urn:cyclebus:sampleMemory, the sample cap in MB */
} cb_host_options;

/* NULL and a message in `error` when the plugin cannot be loaded. */
cb_host *cb_host_new(const cb_host_options *options, char *error, size_t error_size);
void cb_host_free(cb_host *host);

/* Control ports by symbol; false for an unknown symbol. */
bool cb_host_set_control(cb_host *host, const char *symbol, float value);
float cb_host_get_control(const cb_host *host, const char *symbol);

/* Events for the next cb_host_run(), at a frame offset inside that block. */
void cb_host_send_position(cb_host *host, uint32_t frame, double speed, double bpm, double bar,
                           double bar_beat, double beats_per_bar);
/* The same with every field an atom:Double (bar too), as some hosts send it,
   and for values a Long cannot hold (NaN, infinities). */
void cb_host_send_position_doubles(cb_host *host, uint32_t frame, double speed, double bpm,
                                   double bar, double bar_beat, double beats_per_bar);
void cb_host_send_program(cb_host *host, uint32_t frame, const char *text);
void cb_host_send_program_file(cb_host *host, uint32_t frame, const char *path);
void cb_host_send_get(cb_host *host, uint32_t frame);
/* patch:Set urn:cyclebus:samples: sample folders, colon-separated. */
void cb_host_send_samples(cb_host *host, uint32_t frame, const char *folders);
void cb_host_send_midi(cb_host *host, uint32_t frame, const uint8_t *bytes, uint32_t size);

/* Runs one block of `frames` (<= max_block) into left/right, then delivers
   worker responses and reads the notify port. */
void cb_host_run(cb_host *host, uint32_t frames, float *left, float *right);
/* What an audio output other than out_left/out_right (a stem: "orbit3_left")
   wrote in the last cb_host_run(), or NULL for an unknown symbol. */
const float *cb_host_audio(const cb_host *host, const char *symbol);

/* The notify port's capacity from now on, as a host with a small buffer
   gives it (0: the whole buffer). */
void cb_host_set_notify_capacity(cb_host *host, uint32_t bytes);

/* Test instrumentation: when set, called with 1 just before the plugin's
   run() and with 0 just after it (on the thread that runs blocks). */
extern void (*cb_host_around_run)(int entering);

/* Waits until the threaded worker has nothing queued or in progress (but
   messages of the types cb_host_set_wait_skip named). */
void cb_host_wait_worker(cb_host *host);

/* The requests the threaded worker has been sent so far (but those of the
   types cb_host_set_wait_skip named): a ticket for the wait below. */
uint64_t cb_host_worker_ticket(const cb_host *host);

/* Waits until the threaded worker has finished the requests a ticket
   counts: those sent before it was taken. */
void cb_host_wait_worker_until(cb_host *host, uint64_t ticket);

/* Messages whose type (their first 32-bit word) is a bit of `type_mask`
   are left out of the waits and tickets above from now on: a paced render
   need not wait for the worker to free buffers. Set it before the first run. */
void cb_host_set_wait_skip(cb_host *host, uint32_t type_mask);
/* Test instrumentation: while held, the worker's answers wait (in order)
   instead of reaching the plugin after each block, as from a worker that
   has fallen behind. */
void cb_host_hold_responses(cb_host *host, bool held);

/* The last urn:cyclebus:error the plugin reported ("" = the last program
   compiled), and how many reports have arrived so far. */
const char *cb_host_status(const cb_host *host, uint32_t *count);
/* The last program text the plugin replied with (patch:Get), or NULL. */
const char *cb_host_program_reply(const cb_host *host);
/* The last compile's warnings ("LINE:COL: message" a line; "" for none), the
   samples parameter the plugin last reported (NULL: none yet), and the sample
   folders its program searches. */
const char *cb_host_warnings(const cb_host *host);
const char *cb_host_samples_reply(const cb_host *host);
const char *cb_host_samples_in_use(const cb_host *host);
/* What the plugin wrote on its midi_out port in the last cb_host_run() (an
   atom sequence of midi:MidiEvent; valid until the next run). */
const LV2_Atom_Sequence *cb_host_midi_out(const cb_host *host);
/* The host's URID for `uri` (urid:map). */
uint32_t cb_host_map(cb_host *host, const char *uri);

bool cb_host_stats(cb_host *host, cb_stats *stats);
void cb_host_set_presynth(cb_host *host, bool enabled);

/* The plugin's render lead for the last block (cb_stats_interface), or
   UINT64_MAX without the stats extension. */
uint64_t cb_host_render_lead(cb_host *host);

/* State: save to / restore from a directory with lilv (mapPath works). */
bool cb_host_save_state(cb_host *host, const char *dir, const char *file);
bool cb_host_restore_state(cb_host *host, const char *dir, const char *file);

/* The underlying instance and world, for tests that need more. */
void *cb_host_instance(cb_host *host); /* LilvInstance * */
void *cb_host_handle(cb_host *host);   /* LV2_Handle */

#endif
