/* Extension data "urn:cyclebus:stats": counters for host tools
   (cyclebus-render --stats) and tests. Read them between run() calls. */
#ifndef CYCLEBUS_STATS_H
#define CYCLEBUS_STATS_H

#include <stdint.h>

typedef struct {
  uint64_t triggers;         /* voices started */
  uint64_t requests;         /* cache lookups at onsets */
  uint64_t hits;             /* ... that played a pre-synthesized buffer */
  uint64_t live_fallbacks;   /* ... that synthesized live instead */
  uint64_t scheduled;        /* render requests sent to the worker */
  uint64_t renders;          /* buffers rendered by the worker */
  uint64_t refused;          /* requests the host refused */
  uint64_t evicted;          /* buffers evicted under the memory cap */
  uint64_t dropped;          /* events or requests dropped for lack of room */
  uint64_t stolen;           /* voices stolen */
  uint64_t programs;         /* programs installed */
  uint64_t cache_bytes;      /* bytes of cached and pending buffers now (<= the cap) */
  uint64_t over_cap;         /* requests not made for lack of room under the cap */
  uint64_t too_long;         /* requests not made: voices too long to pre-render */
  uint64_t reclaimed;        /* renders whose answer was lost, taken back */
  uint64_t leaked;           /* buffers or programs run() could not hand back to be freed */
  uint64_t block_work_max;   /* most pattern work one block did (query steps, see below) */
  uint64_t block_work_total; /* pattern work of all blocks (query steps) */
  double program_cps;        /* the playing program's tempo (cps: or bpm: / 240; 0: it sets none) */
  /* The sample library (read from it, not from run()): */
  uint64_t sample_files_loaded;  /* files read and resampled since instantiate */
  uint64_t sample_load_failures; /* files that could not be loaded */
  uint64_t sample_evictions;     /* names unloaded to stay under the cap */
  uint64_t sample_bytes;         /* sample data in memory now (<= sample_cap) */
  uint64_t sample_cap;
  uint64_t sample_names;      /* sound names in memory now */
  double sample_load_seconds; /* worker time spent loading them */
} cb_stats;

/* A block's budget of pattern work, in query steps: the base plus the rate
   per second of audio the block holds. A bound: a query's walk takes half of
   what is left and mapping what it found the rest, and a trigger the budget
   cannot pay for is dropped, so no block does more. */
#define CB_BLOCK_WORK_BASE 1000
#define CB_BLOCK_WORK_PER_SECOND 400000
/* While the host freewheels (lv2:freeWheeling: an export), this many times
   that. */
#define CB_FREEWHEEL_WORK 8

typedef struct {
  void (*get)(void *instance, cb_stats *out);
  /* Pre-synthesis on (1) or off (0: every voice synthesizes live). */
  void (*set_presynth)(void *instance, int enabled);
  /* Frames from the start of the last run()'s block to the earliest onset
     among the renders its look-ahead asked the worker for (UINT64_MAX: it
     asked for none). An offline host with a threaded worker waits for them
     only before the block before that onset, so that its buffers play and
     the loop goes on meanwhile. */
  uint64_t (*render_lead)(void *instance);
} cb_stats_interface;

#endif
