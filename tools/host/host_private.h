/* The host's internals, shared by its files. */
#ifndef CYCLEBUS_HOST_PRIVATE_H
#define CYCLEBUS_HOST_PRIVATE_H

#include <pthread.h>
#include <semaphore.h>

#include <lilv/lilv.h>
#include <lv2/atom/forge.h>
#include <lv2/log/log.h>
#include <lv2/options/options.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include "host.h"
#include "ring.h"

#define CB_HOST_ATOM_BYTES (256u * 1024u)
#define CB_HOST_MAX_URIS 512

typedef struct {
  char *uris[CB_HOST_MAX_URIS];
  uint32_t count;
  pthread_mutex_t lock;
} cb_urid_table;

struct cb_host {
  cb_host_options options;
  LilvWorld *world;
  const LilvPlugin *plugin;
  LilvInstance *instance;
  LV2_Handle handle;
  const LV2_Worker_Interface *worker;
  const cb_stats_interface *stats;

  cb_urid_table urids;
  LV2_URID_Map map;
  LV2_URID_Unmap unmap;
  LV2_Log_Log log;
  LV2_Worker_Schedule schedule;
  LV2_Options_Option option_list[6];
  int32_t block_length, max_block, render_helpers, sample_memory;
  float sample_rate_f;
  LV2_Feature features_storage[6];
  const LV2_Feature *features[7];

  /* Ports */
  uint32_t port_count;
  float *controls; /* one value per port (only control ports are used) */
  uint32_t control_port, notify_port, left_port, right_port;
  float **audio; /* per port: the host's buffer for an audio output besides out_left/right */
  LV2_Atom_Sequence *control_buffer;
  LV2_Atom_Sequence *notify_buffer;
  uint32_t notify_capacity;       /* what the plugin is told it may write there; 0: all of it */
  LV2_Atom_Sequence *midi_buffer; /* the midi_out port's, when the plugin has one */
  LV2_Atom_Forge forge;
  LV2_Atom_Forge_Frame sequence_frame;
  bool sequence_open;

  /* Worker: requests from run(), responses to deliver after it. */
  cb_ring requests, responses;
  pthread_t thread;
  bool thread_running;
  atomic_bool stop;
  /* Requests counted for the waits (all but the types wait_skip names):
     scheduled (written by the run thread only) and finished (by the worker). */
  atomic_uint_least64_t scheduled, finished;
  uint32_t wait_skip;  /* message types the waits leave out (bit = type) */
  bool hold_responses; /* cb_host_hold_responses: answers wait in their ring */
  sem_t wake;
  pthread_mutex_t idle_lock; /* the worker signals `idle` after each counted request */
  pthread_cond_t idle;
  void *scratch; /* worker-side copy of a message */

  /* What the plugin told us. */
  char *status;
  uint32_t status_count;
  char *program_reply;
  char *warnings, *samples_reply, *samples_in_use;

  LV2_URID atom_String, atom_Path, atom_URID, atom_Object, atom_Float, atom_Double, midi_MidiEvent,
      patch_Set, patch_Get, patch_property, patch_value, time_Position, time_speed,
      time_beatsPerMinute, time_bar, time_barBeat, time_beatsPerBar, cb_program, cb_programFile,
      cb_samples, cb_warnings, cb_samplesInUse, cb_error;
};

/* host_features.c */
void cb_host_init_features(cb_host *host);
void cb_host_free_features(cb_host *host);
/* host_worker.c */
bool cb_host_start_worker(cb_host *host);
bool cb_host_launch_worker(cb_host *host);
void cb_host_stop_worker(cb_host *host);
void cb_host_deliver_responses(cb_host *host);
/* host_atoms.c */
void cb_host_begin_sequence(cb_host *host);
void cb_host_read_notify(cb_host *host);

#endif
