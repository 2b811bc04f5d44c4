/* Pre-synthesis: the cache of rendered bus buffers, keyed exactly by what a
   voice's sound depends on (the bus graph and the resolved synth_voice), and
   everything about it: requests and their batches, reference counts, answers
   from the worker, eviction, reclaiming lost renders and the garbage the
   worker must free. The table lives on the audio thread; buffers are
   allocated and freed only on the worker, which hands them over in answers.
   Other modules call these functions and never touch the table. */
#ifndef CYCLEBUS_PRESYNTH_H
#define CYCLEBUS_PRESYNTH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../synth/synth.h"

#define PRESYNTH_BATCH_MAX 240 /* render jobs per batch (one worker message) */
#define PRESYNTH_BUSES 512     /* distinct bus graphs the entries use at once */

typedef enum {
  PRESYNTH_EMPTY = 0,
  PRESYNTH_PENDING, /* requested, the worker is rendering it */
  PRESYNTH_READY,   /* samples hold the rendered voice */
  PRESYNTH_DELETED  /* tombstone: keeps probe chains intact */
} presynth_slot_state;

/* presynth_slot.flags */
enum {
  PRESYNTH_PLAYED = 1, /* a trigger has played the buffer */
  PRESYNTH_REUSED = 2  /* ... and it was asked for again (or came back after a trim) */
};

/* A key: what a buffer's sound depends on, the bus graph and the resolved
   parameters. The worker copies a job's key out of the cache
   (presynth_claim) and renders from the copy (render_pool.h). */
typedef struct {
  synth_bus bus;
  synth_voice voice;
} presynth_entry;

/* One cache entry; its graph is one of the cache's interned buses (a program
   has few, its notes many). Owner: the audio thread, except `claim`, which
   the worker changes (presynth_claim, presynth_answer_lost) while the entry
   is PENDING: the worker reads `voice` and the bus only between claiming a
   job and marking it rendering, and the audio thread rewrites a key (or a
   bus some entry uses) only when no claim can still be made on it. */
typedef struct {
  uint8_t state;
  uint8_t flags;          /* PRESYNTH_PLAYED, PRESYNTH_REUSED */
  uint16_t refs;          /* sample voices playing this buffer: never evicted while > 0 */
  uint32_t ticket;        /* PENDING: which request this is (answers carry it) */
  _Atomic uint32_t claim; /* PENDING: ticket and phase (waiting, copying, rendering, lost) */
  uint32_t bus;           /* the key: the index of its graph in presynth_cache.buses ... */
  uint64_t hash;          /* presynth_hash of the key */
  uint64_t last_used;     /* frame of its last use, or of the onset it was requested for */
  uint64_t since;         /* PENDING: frame (presynth_end_block's count) of the request */
  uint64_t onset;    /* PENDING: frame of the onset it was requested for (the worker reads it) */
  size_t bytes;      /* the buffer's size, counted in presynth_cache.bytes */
  float *samples;    /* voice.total_frames samples, owned by the worker's allocator */
  synth_voice voice; /* ... and its resolved parameters */
} presynth_slot;

/* An interned bus graph: the entries using it count in `users`; one with
   none is kept (it may come back) until another graph needs its place. */
typedef struct {
  uint64_t hash; /* of the graph alone */
  uint32_t users;
  bool taken; /* holds a graph (never cleared: probe chains stay intact) */
  synth_bus bus;
} presynth_bus_slot;

typedef struct {
  uint64_t requests;       /* lookups at trigger time */
  uint64_t hits;           /* ... answered by a READY buffer */
  uint64_t live_fallbacks; /* ... that started a live voice instead */
  uint64_t scheduled;      /* render requests sent to the worker */
  uint64_t renders;        /* buffers the worker rendered */
  uint64_t refused;        /* requests the host refused (LV2_WORKER_ERR_NO_SPACE) */
  uint64_t evicted;        /* buffers dropped under the memory cap */
  uint64_t dropped;        /* requests not made: table full */
  uint64_t over_cap;       /* requests not made: no room under the byte cap */
  uint64_t too_long;       /* requests not made: longer than max_buffer_bytes (they play live) */
  uint64_t reclaimed;      /* pending entries whose answer was lost, taken back */
  uint64_t leaked;         /* buffers the garbage list could not hold (never freed) */
} presynth_counters;

/* The bounds, in bytes and blocks; see presynth_cache_init. */
typedef struct {
  uint32_t entries;        /* table slots (rounded up to a power of two) */
  size_t memory_cap;       /* rendered and pending buffers together stay within this */
  size_t max_buffer_bytes; /* longer voices are not pre-rendered */
  uint64_t reclaim_frames; /* a render unanswered after this many frames is taken back */
  /* Above this (0: no such target), buffers that have played and that no
     voice plays or look-ahead awaits are let go at the end of each block:
     those played once at once, those asked for again (or back after being
     let go) while they take more than reuse_target. The working set: the
     look-ahead, what plays and the buffers that repeat, below the cap. */
  size_t soft_target;
  size_t reuse_target;
} presynth_limits;

/* A render job: which entry, and which request for it (tickets change when a
   slot is reused, so a late answer is never installed under another key). */
typedef struct {
  uint32_t index;
  uint32_t ticket;
} presynth_job;

typedef struct {
  uint32_t count;
  presynth_job jobs[PRESYNTH_BATCH_MAX];
} presynth_batch;

/* Owner: the audio thread (everything here but entries[].claim), set up at
   instantiate. */
typedef struct {
  presynth_slot *entries;   /* `capacity` entries, a power of two */
  presynth_bus_slot *buses; /* PRESYNTH_BUSES of them */
  uint32_t capacity;
  uint32_t used;       /* entries not EMPTY (tombstones included) */
  size_t bytes;        /* bytes of READY buffers and PENDING (reserved) renders */
  uint32_t pending;    /* PENDING entries: renders asked for and not answered */
  size_t reused_bytes; /* ... of those flagged PRESYNTH_REUSED */
  presynth_limits limits;
  uint64_t frame;                   /* frames counted by presynth_end_block */
  _Atomic uint64_t published_frame; /* `frame`, for the worker */
  uint32_t evict_hand;              /* where the next eviction search starts */
  uint32_t reclaim_hand;            /* where the next search for lost renders starts */
  uint32_t trim_hand;               /* where the next search above the soft target starts */
  uint32_t evict_budget;            /* entries eviction may still examine this block */
  uint32_t next_ticket;
  presynth_batch batch; /* requests not yet sent */
  /* Hashes of keys trimmed after one use (2 * capacity, cache.c): one asked
     for again is flagged reused at once (it repeats, more slowly than it
     was let go). */
  uint64_t *ghosts;
  /* Entries played once whose last voice ended, oldest first: what the trim
     lets go of first. A ring of `capacity` (an entry is in it once per
     release; stale ones, whose ticket changed, are skipped). */
  presynth_job *released;
  uint32_t released_head, released_count;
  /* Buffers waiting to be sent to the worker to free. */
  float **garbage;
  uint32_t garbage_count;
  uint32_t garbage_capacity;
  presynth_counters counters;
} presynth_cache;

/* Instantiate time (allocates). */
bool presynth_cache_init(presynth_cache *cache, const presynth_limits *limits);
/* Frees the table and every buffer it still holds (cleanup time). */
void presynth_cache_destroy(presynth_cache *cache);

/* Bytes a voice's buffer takes: total_frames samples per channel, the
   channels one after the other (a stereo sample's left, then its right). */
static inline size_t presynth_buffer_bytes(const synth_voice *voice) {
  return (size_t)voice->total_frames * synth_channels(voice) * sizeof(float);
}

/* ---- Audio thread ---- */

/* At an onset: the READY buffer for (bus, voice) with a reference taken
   (*ref names it for presynth_release), or NULL: the voice plays live. */
const float *presynth_lookup_for_trigger(presynth_cache *cache, const synth_bus *bus,
                                         const synth_voice *voice, uint32_t *ref);
/* A sample voice stopped playing the buffer `ref`. */
void presynth_release(presynth_cache *cache, uint32_t ref);

typedef enum {
  PRESYNTH_KNOWN,      /* already rendered or being rendered */
  PRESYNTH_QUEUED,     /* added to the batch, its bytes reserved */
  PRESYNTH_BATCH_FULL, /* take the batch first, then ask again */
  PRESYNTH_TOO_LONG,   /* longer than max_buffer_bytes: plays live */
  PRESYNTH_OVER_CAP,   /* no room under the byte cap (even after evicting): plays live */
  PRESYNTH_TABLE_FULL  /* no free slot: plays live */
} presynth_request_status;

/* A look-ahead request: an event will start (bus, voice) `frames_ahead`
   frames after the current block. When the cache lacks it, reserves its
   bytes (evicting unused buffers, the one whose last use, or the onset it was
   requested for, lies furthest back first, within a per-block budget) and
   queues a render job. A buffer waiting for its onset thus outlives one that
   has played: plain least-recently-used would evict what is about to play. */
presynth_request_status presynth_request(presynth_cache *cache, const synth_bus *bus,
                                         const synth_voice *voice, uint32_t frames_ahead);

/* Moves the queued jobs into `out` for one worker message; false when there
   are none, or while garbage waits to be sent: the worker frees before it
   renders, so freed and new buffers never coexist beyond the cap. */
bool presynth_take_batch(presynth_cache *cache, presynth_batch *out);
/* The host refused the message carrying `batch`: its entries are forgotten
   (and asked again by a later look-ahead). */
void presynth_request_refused(presynth_cache *cache, const presynth_batch *batch);

/* The worker's answer to a job: its buffer (ownership passes to the cache),
   or NULL when it could not render (or the job was reclaimed). A buffer the
   job no longer owns (reclaimed, answered twice) becomes garbage. */
void presynth_rendered(presynth_cache *cache, presynth_job job, float *samples);

/* The buffers waiting to be freed, at most `max` of them: *buffers points at
   them; after sending n of them to the worker, call presynth_garbage_sent. */
uint32_t presynth_garbage(presynth_cache *cache, float *const **buffers, uint32_t max);
void presynth_garbage_sent(presynth_cache *cache, uint32_t count);

/* End of a block: evicts while the table is more than half full, lets go
   of idle buffers (READY, no voice playing them, not awaited at a later
   onset) among the next entries of the table while above the soft target,
   takes back renders whose answer is lost (a worker that could not
   respond, or a request unanswered for limits.reclaim_frames frames), and
   advances the frame counter by the block's frames. Bounded work per call. */
void presynth_end_block(presynth_cache *cache, uint32_t frames);

const presynth_counters *presynth_get_counters(const presynth_cache *cache);
size_t presynth_bytes(const presynth_cache *cache);
/* Renders asked for and not answered yet (run() never waits for them). */
uint32_t presynth_pending(const presynth_cache *cache);

/* ---- Worker thread ---- */

/* Copies the key of `job` into *bus and *voice, if the entry still waits
   for it; false when the job was taken back, or when its onset has passed
   (a worker that fell behind skips what can no longer play, and catches up):
   answer it with NULL. */
bool presynth_claim(presynth_cache *cache, presynth_job job, synth_bus *bus, synth_voice *voice);
/* A claimed job whose answer could not be delivered: its entry is taken
   back at the next presynth_end_block (the worker frees the buffer). */
void presynth_answer_lost(presynth_cache *cache, presynth_job job);

/* ---- Any thread ---- */

uint64_t presynth_hash(const synth_bus *bus, const synth_voice *voice);
/* The hash of a bus graph alone (the render pool groups a batch by it). */
uint64_t presynth_bus_hash(const synth_bus *bus);

#endif
