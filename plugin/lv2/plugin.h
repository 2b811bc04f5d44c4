/* The plugin instance and what each part of it belongs to. The LV2 callbacks
   live in plugin.c (instantiate, connect, activate, cleanup), run.c (audio),
   worker.c (work, work_response), state.c (save, restore) and atoms.c;
   programs.c carries programs from the host to run(). */
#ifndef CYCLEBUS_PLUGIN_H
#define CYCLEBUS_PLUGIN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <lv2/atom/forge.h>
#include <lv2/core/lv2.h>
#include <lv2/log/logger.h>
#include <lv2/state/state.h>
#include <lv2/worker/worker.h>

#include "../presynth/presynth.h"
#include "../presynth/render_pool.h"
#include "../program/program.h"
#include "../samples/samples.h"
#include "../voices/voices.h"
#include "clock.h"
#include "cyclebus_stats.h"
#include "handoff.h"
#include "inline_display.h"
#include "midi_out.h"
#include "ports.h"
#include "program_file.h"
#include "seen_events.h"
#include "uris.h"
#include "worker_protocol.h"

#define CB_TEXT_MAX 65536    /* program texts and paths are shorter, from any source */
#define CB_TRIGGERS_MAX 2048 /* triggers per pattern query */
#define CB_ARENA_BYTES (4u << 20)
#define CB_CACHE_ENTRIES 8192
#define CB_CACHE_BYTES ((size_t)256 << 20)     /* rendered and pending buffers together */
#define CB_CACHE_SOFT_BYTES ((size_t)4 << 20)  /* above it, buffers played once go */
#define CB_CACHE_REUSE_BYTES ((size_t)8 << 20) /* ... and repeating ones beyond this */
#define CB_PRESYNTH_MAX_SECONDS 4.0            /* longer voices play live */
#define CB_RECLAIM_SECONDS 30.0                /* a render unanswered this long is taken back */
#define CB_RETIRED_MAX 16
#define CB_FOLDERS_MAX 2048 /* the samples parameter, and the folders in use */
#define CB_NOTES_MAX 1024   /* a compile's warnings, for the UI */

/* A compiled program with its source. Made by the worker (or instantiate or
   restore), owned by run() while playing, freed by the worker once retired. */
typedef struct cb_program {
  prog_program *compiled;
  char *text;
  uint32_t text_length;
  uint32_t sequence;    /* of the request it answers (programs.c) */
  char *notes;          /* its warnings, "LINE:COL: message" a line, or NULL */
  char *samples_in_use; /* the sample folders it was compiled with (colon-separated) */
  char *samples_param;  /* the samples parameter then, for run() after a restore */
  bool refresh;         /* the last good text compiled again for new sample folders (programs.c) */
  uint64_t made;        /* compile order: a refresh replaces only programs made before it */
} cb_program;

/* Program text or a file path on its way from run() to the worker: one of
   three slots of a triple buffer (programs.c). */
typedef struct {
  bool is_file;
  uint32_t length;
  uint32_t sequence;
  char data[CB_TEXT_MAX];
} cb_text_slot;

typedef struct {
  /* Host features (instantiate; read-only afterwards). */
  LV2_URID_Map *map;
  LV2_Worker_Schedule *schedule;
  LV2_Log_Logger logger;
  cb_uris uris;
  double sample_rate;
  bool stems; /* the multi-out plugin (urn:cyclebus:stems): a stereo output per orbit */

  /* Ports (connect_port; read by run()). */
  const LV2_Atom_Sequence *control;
  LV2_Atom_Sequence *notify;
  LV2_Atom_Sequence *midi_out; /* NULL when the host leaves it unconnected */
  float *out_left, *out_right;
  float *stem_out[ORBIT_COUNT][2]; /* the multi-out plugin's (stems): each orbit's pair */
  const float *controls[CB_PORT_COUNT];

  /* Audio thread state. */
  LV2_Atom_Forge forge;
  LV2_Atom_Forge_Frame notify_frame; /* the notify sequence: must outlive the block */
  uint32_t notify_capacity;          /* bytes the host gave the notify port this block */
  cb_clock clock;
  int64_t block_frame; /* absolute frame of the current block's first sample */
  cb_program *program; /* playing */
  cb_program *pending; /* compiled, waiting for the next cycle boundary */
  float macros[PROG_MACRO_COUNT];
  float gain_now; /* master gain reached at the end of the last block */
  bool presynth_enabled;
  bool have_last_onset; /* triggered onsets: each event fires once, */
  pat_rat last_onset;   /* even across tempo changes and block splits */
  int64_t floor_frame;  /* after a jump: nothing before this frame */
  bool have_frontier;
  pat_rat lookahead_frontier; /* look-ahead queried up to here (cycles) */
  double lookahead_slice;     /* share of the reach one block looks ahead (0..1] */
  double freewheel_reach;     /* frames a freewheeling look-ahead reaches (0: the most) */
  int64_t next_poll_frame;
  voice_pool voices;
  orbit_bank orbits;             /* the voices' effect buses: reverb and delay per orbit */
  uint32_t orbit_effects_wanted; /* effects events have used (ORBIT_REVERB_BIT, ...) */
  uint32_t orbit_effects_asked;  /* ... whose lines the worker was asked to make resident */
  cb_midi_out midi;
  presynth_cache cache;
  pat_arena arena;
  void *arena_memory;
  prog_trigger *triggers;
  cb_seen_events seen;                 /* the look-ahead's events, which the trigger plays */
  cb_program *retired[CB_RETIRED_MAX]; /* waiting to be sent to the worker */
  /* the voice serial when each was retired: live voices started before it
     may read its samples, so it waits until they end (run.c) */
  uint64_t retired_serial[CB_RETIRED_MAX];
  uint32_t retired_count;
  uint64_t programs_leaked; /* retired programs the list could not hold */
  bool report_pending;      /* notify the last compile's outcome */
  prog_error report;
  bool reply_program;      /* a patch:Get to answer */
  uint32_t newest_request; /* sequence of the newest program request: older answers are dropped */
  bool newest_failed;      /* ... and it was answered with an error */
  uint32_t text_write;     /* the text slot run() fills next */
  bool compile_unsent;     /* a published text whose compile request the host refused */
  struct {
    uint16_t output;
    double onset, end;
  } triggered[CB_TRIGGERED_PER_BLOCK]; /* this block's events, for the UI */
  uint32_t triggered_count;
  pat_rat triggered_onset; /* chord notes share an onset: report them once */
  int64_t next_playhead_frame;
  bool playhead_rolling;
  cb_stats stats;
  uint64_t render_lead; /* cb_stats_interface.render_lead, for the last block */
  /* The samples parameter as run() last knew it (samples_param.c), and what
     the UI is to be told. */
  char samples_param[CB_FOLDERS_MAX];
  uint32_t samples_param_length;
  bool samples_unsent, reply_samples, notes_pending;
  char notes[CB_NOTES_MAX];
  char samples_in_use[CB_FOLDERS_MAX];

  /* Ardour's inline display: written by run(), read by render() through its
     own lock-free triple buffer (inline_display.h). */
  cb_inline_display inline_display;

  /* Handed between threads. */
  cb_text_slot text_slots[3];     /* run() owns slot text_write, the worker text_read, */
  atomic_uint text_newest;        /* and this one is the newest (| CB_TEXT_FRESH: not yet taken) */
  _Atomic(cb_program *) restored; /* restore() -> run() */
  atomic_uint restored_sequence;  /* restore() -> run(): the restore's request sequence */
  atomic_bool file_watched;       /* worker, restore() -> run(): poll the program file */
  atomic_uint request_sequence;   /* program requests are numbered from here, any thread */
  _Atomic uint64_t programs_made; /* cb_program_make counts here, any non-real-time thread */
  cb_handoff to_worker;           /* run() -> worker: retired programs, cache garbage */
  cb_handoff to_run;              /* worker -> run(): compiled programs, rendered buffers */

  /* Worker thread only. */
  uint32_t text_read; /* the text slot being compiled */
  presynth_pool *render_pool;
  presynth_entry *render_keys; /* CB_BATCH_MAX: the keys of the batch being rendered */
  size_t freed_since_trim;     /* bytes of buffers freed since memory was last trimmed */

  /* The sample library: made at instantiate, freed at cleanup after every
     program (programs hold its sets); the worker and restore() use it (it
     locks itself), run() never. */
  samples_bank *samples;
  sample_source sample_source;

  /* Worker and state (non-real-time threads): every field only under state_lock. */
  pthread_mutex_t state_lock;
  char *state_text;          /* the text of the newest good program, for save() */
  uint32_t state_sequence;   /* ... and the sequence of its request */
  char *watch_path;          /* the watched program file (saved too), or NULL */
  uint32_t watch_sequence;   /* the request that started the watch */
  cb_file_stamp watch_stamp; /* the file as last read, or as restore() found it */
  char *samples_folders;     /* the samples parameter (NULL: none), for save() */
} cb_plugin;

#define CB_TEXT_FRESH 4u /* in text_newest: the slot holds a text the worker has not taken */

/* plugin.c */
cb_program *cb_program_make(cb_plugin *self, const char *text, size_t length, uint32_t sequence,
                            prog_error *error);
void cb_program_free(cb_program *program);
void cb_remember_program(cb_plugin *self, const cb_program *program);

/* run.c */
void cb_run(LV2_Handle instance, uint32_t sample_count);
void cb_install_program(cb_plugin *self, cb_program *program);
void cb_retire_program(cb_plugin *self, cb_program *program);
void cb_transport_jumped(cb_plugin *self, int64_t frame);

/* atoms.c (audio thread) */
void cb_handle_atom(cb_plugin *self, const LV2_Atom_Event *event, int64_t frame);
void cb_prepare_notify(cb_plugin *self, uint32_t capacity);
bool cb_write_set(cb_plugin *self, LV2_URID key, LV2_URID type, const char *text, uint32_t length);
uint32_t cb_set_size(uint32_t length);
void cb_write_notify(cb_plugin *self);

/* programs.c: requests from run() (newest wins), compiled or read on the
   worker, answers taken by run() */
bool cb_sequence_at_least(uint32_t a, uint32_t b);
bool cb_program_wanted(const cb_plugin *self, const cb_program *program);
void cb_queue_text(cb_plugin *self, const char *text, uint32_t length, bool is_file);
void cb_send_program_requests(cb_plugin *self);
void cb_work_compile(cb_plugin *self, LV2_Worker_Respond_Function respond,
                     LV2_Worker_Respond_Handle handle);
void cb_work_poll_file(cb_plugin *self, LV2_Worker_Respond_Function respond,
                       LV2_Worker_Respond_Handle handle);
void cb_take_program(cb_plugin *self, cb_program *program);
void cb_take_error(cb_plugin *self, uint32_t sequence, const prog_error *error);
void cb_watch_file(cb_plugin *self, const char *path, uint32_t sequence, cb_file_stamp stamp);
void cb_compile_and_respond(cb_plugin *self, LV2_Worker_Respond_Function respond,
                            LV2_Worker_Respond_Handle handle, const char *text, size_t length,
                            uint32_t sequence, bool refresh);

/* samples_param.c: the urn:cyclebus:samples parameter (audio thread: set,
   notify; worker: apply; restore: apply) and the compile's notes */
void cb_samples_set(cb_plugin *self, const char *folders, uint32_t length);
void cb_samples_send_unsent(cb_plugin *self);
void cb_samples_program_taken(cb_plugin *self, const cb_program *program, bool restored);
void cb_samples_show_restored(cb_plugin *self, const char *folders);
void cb_samples_write_notify(cb_plugin *self);
void cb_work_samples(cb_plugin *self, LV2_Worker_Respond_Function respond,
                     LV2_Worker_Respond_Handle handle, const void *message, uint32_t size);
void cb_samples_apply(cb_plugin *self, const char *folders); /* worker or restore thread */
void cb_samples_notes(cb_plugin *self, const prog_warnings *warnings, cb_program *program);

/* worker.c */
LV2_Worker_Status cb_work(LV2_Handle instance, LV2_Worker_Respond_Function respond,
                          LV2_Worker_Respond_Handle handle, uint32_t size, const void *data);
LV2_Worker_Status cb_work_response(LV2_Handle instance, uint32_t size, const void *body);

/* state.c */
extern const LV2_State_Interface cb_state_interface;

#endif
