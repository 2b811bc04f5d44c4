/* The messages between run() and the worker: one tagged union, plain
   fixed-size data. Pointers in a message change owner with it, as each
   message's comment says. Every message stays under 4096 bytes (jalv's limit). */
#ifndef CYCLEBUS_WORKER_PROTOCOL_H
#define CYCLEBUS_WORKER_PROTOCOL_H

#include <stdint.h>

#include "../presynth/presynth.h"
#include "../program/program.h"

#define CB_BATCH_MAX PRESYNTH_BATCH_MAX /* render jobs per message */
#define CB_FREE_MAX 240                 /* buffers per free message */

typedef enum {
  /* run() -> worker */
  CB_WORK_COMPILE,      /* compile the newest text (or read its file), if not yet taken */
  CB_WORK_RENDER,       /* render jobs (each claims its key from the cache: presynth_claim) */
  CB_WORK_FREE_BUFFERS, /* free these buffers (ownership passes to the worker) */
  CB_WORK_FREE_PROGRAM, /* free this retired program (ownership passes to the worker) */
  CB_WORK_POLL_FILE,    /* check the program file and reload it if it changed */
  CB_WORK_SAMPLES,      /* the samples parameter changed: rescan, recompile the program */
  CB_WORK_ORBIT_MEMORY, /* make these orbit effects' lines resident (orbit_bank_commit) */
  /* worker -> run() */
  CB_RESPONSE_PROGRAM, /* a compiled program (ownership passes to run()) */
  CB_RESPONSE_ERROR,   /* a program did not compile; the old one keeps playing */
  CB_RESPONSE_RENDERED /* buffers for cache entries (ownership passes to run()) */
} cb_message_type;

typedef struct {
  uint32_t type;
} cb_msg_compile;

typedef struct {
  uint32_t type;
  presynth_batch batch;
} cb_msg_render;

/* `handoff` numbers a message that passes ownership (handoff.h). */
typedef struct {
  uint32_t type;
  uint32_t handoff;
  uint32_t count;
  float *buffers[CB_FREE_MAX];
} cb_msg_free_buffers;

struct cb_program; /* plugin.h */

typedef struct {
  uint32_t type;
  uint32_t handoff;
  struct cb_program *program;
} cb_msg_program;

typedef struct {
  uint32_t type;
  uint32_t sequence; /* of the request it answers */
  prog_error error;
} cb_msg_error;

typedef struct {
  uint32_t type;
  uint32_t handoff;
  uint32_t count;
  presynth_job jobs[CB_BATCH_MAX];
  float *buffers[CB_BATCH_MAX]; /* NULL: not rendered (out of memory, or taken back) */
} cb_msg_rendered;

/* Sent with only the bytes it uses: the header, then `length` bytes and a NUL. */
typedef struct {
  uint32_t type;
  uint32_t length;
  char folders[2048]; /* CB_FOLDERS_MAX */
} cb_msg_samples;
typedef struct {
  uint32_t type;
  uint32_t effects; /* ORBIT_REVERB_BIT, ORBIT_DELAY_BIT */
} cb_msg_orbit_memory;

typedef union {
  uint32_t type;
  cb_msg_compile compile;
  cb_msg_render render;
  cb_msg_free_buffers free_buffers;
  cb_msg_program program;
  cb_msg_error error;
  cb_msg_rendered rendered;
  cb_msg_samples samples;
  cb_msg_orbit_memory orbit_memory;
} cb_message;

_Static_assert(sizeof(cb_msg_rendered) < 4096, "worker messages must fit jalv's queue");

#endif
