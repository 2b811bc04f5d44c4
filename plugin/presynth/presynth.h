/* Pre-synthesis: the cache of rendered bus buffers, keyed exactly by what a
   voice's sound depends on (the bus graph and the resolved synth_voice), and the
   batch of render requests the audio thread sends to the worker each block.
   The table lives on the audio thread (run()); buffers are allocated and freed
   only on the worker, which hands them over in responses. */
#ifndef CYCLEBUS_PRESYNTH_H
#define CYCLEBUS_PRESYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../synth/synth.h"

typedef enum {
  PRESYNTH_EMPTY = 0,
  PRESYNTH_PENDING, /* requested, the worker is rendering it */
  PRESYNTH_READY,   /* samples hold the rendered voice */
  PRESYNTH_DELETED  /* tombstone: keeps probe chains intact */
} presynth_slot_state;

/* One cache entry. Owner: the audio thread. The worker reads `bus` and `voice`
   of a PENDING entry (the audio thread does not touch a PENDING entry's key
   until the worker's response arrives) and writes nothing here. */
typedef struct {
  uint8_t state;
  uint16_t refs; /* sample voices playing this buffer: never evicted while > 0 */
  uint64_t hash;
  uint64_t last_used; /* block counter, for least-recently-used eviction */
  synth_bus bus;      /* the key: graph ... */
  synth_voice voice;  /* ... and resolved parameters */
  float *samples;     /* voice.total_frames samples, owned by the worker's allocator */
} presynth_entry;

typedef struct {
  uint64_t requests;       /* lookups at trigger time */
  uint64_t hits;           /* ... answered by a READY buffer */
  uint64_t live_fallbacks; /* ... that started a live voice instead */
  uint64_t scheduled;      /* render requests sent to the worker */
  uint64_t renders;        /* buffers the worker rendered */
  uint64_t refused;        /* requests the host refused (LV2_WORKER_ERR_NO_SPACE) */
  uint64_t evicted;        /* buffers dropped under the memory cap */
  uint64_t dropped;        /* requests not made: table full */
} presynth_counters;

/* Owner: the audio thread (everything here), set up at instantiate. */
typedef struct {
  presynth_entry *entries; /* `capacity` entries, a power of two */
  uint32_t capacity;
  uint32_t used;       /* entries not EMPTY (tombstones included) */
  size_t bytes;        /* bytes of READY and PENDING buffers */
  size_t memory_cap;   /* evict least recently used beyond this */
  uint64_t block;      /* block counter */
  uint32_t evict_hand; /* where the next eviction search starts */
  presynth_counters counters;
  /* Buffers evicted and waiting to be sent to the worker to free. */
  float **retired;
  uint32_t retired_count;
  uint32_t retired_capacity;
} presynth_cache;

/* Instantiate time (allocates). capacity is rounded up to a power of two. */
bool presynth_cache_init(presynth_cache *cache, uint32_t capacity, size_t memory_cap);
/* Frees the table and every buffer it still holds (cleanup time). */
void presynth_cache_destroy(presynth_cache *cache);

uint64_t presynth_hash(const synth_bus *bus, const synth_voice *voice);

/* Finds the entry for (bus, voice), or NULL. */
presynth_entry *presynth_find(presynth_cache *cache, const synth_bus *bus, const synth_voice *voice,
                              uint64_t hash);

/* Inserts a PENDING entry for a key that is not in the table; returns NULL
   when the table is full (counted as dropped). */
presynth_entry *presynth_insert_pending(presynth_cache *cache, const synth_bus *bus,
                                        const synth_voice *voice, uint64_t hash);

/* The worker's answer for entry `index`: samples, or NULL when it could not
   render (the entry is removed so a later look-ahead asks again). */
void presynth_complete(presynth_cache *cache, uint32_t index, float *samples);

/* A request the host refused: forget it so it is asked again later. */
void presynth_forget(presynth_cache *cache, uint32_t index);

static inline uint32_t presynth_index(const presynth_cache *cache, const presynth_entry *e) {
  return (uint32_t)(e - cache->entries);
}

/* Bytes a voice's buffer takes. */
static inline size_t presynth_buffer_bytes(const synth_voice *voice) {
  return (size_t)voice->total_frames * sizeof(float);
}

/* Evicts the least recently used unreferenced READY entries while the cache
   is over its memory cap or its table is more than half full. Approximate
   LRU with a bounded cost: each eviction takes the oldest of the next
   PRESYNTH_EVICT_WINDOW entries after a moving hand, at most
   PRESYNTH_EVICTIONS_PER_CALL per call. Evicted buffers go to `retired` for
   the worker to free. */
#define PRESYNTH_EVICT_WINDOW 64
#define PRESYNTH_EVICTIONS_PER_CALL 4
void presynth_evict(presynth_cache *cache);

#endif
