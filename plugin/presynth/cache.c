/* The pre-synthesis cache: an open-addressed table with linear probing,
   tombstones, reference counts and least-recently-used eviction. Audio thread
   only, except init/destroy (instantiate/cleanup). */
#include "presynth.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(uint64_t hash, const void *bytes, size_t size) {
  const unsigned char *p = bytes;
  for (size_t i = 0; i < size; ++i) {
    hash ^= p[i];
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

/* The key structs are memset to zero before they are filled (synth_bus by the
   compiler, synth_voice by prog_query), so hashing and comparing bytes is exact. */
uint64_t presynth_hash(const synth_bus *bus, const synth_voice *voice) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  hash = fnv1a(hash, bus, sizeof *bus);
  hash = fnv1a(hash, voice, sizeof *voice);
  return hash ? hash : 1;
}

bool presynth_cache_init(presynth_cache *cache, uint32_t capacity, size_t memory_cap) {
  memset(cache, 0, sizeof *cache);
  uint32_t size = 16;
  while (size < capacity)
    size <<= 1;
  cache->entries = calloc(size, sizeof *cache->entries);
  cache->retired_capacity = size;
  cache->retired = calloc(size, sizeof *cache->retired);
  if (!cache->entries || !cache->retired) {
    presynth_cache_destroy(cache);
    return false;
  }
  cache->capacity = size;
  cache->memory_cap = memory_cap;
  return true;
}

void presynth_cache_destroy(presynth_cache *cache) {
  if (cache->entries) {
    for (uint32_t i = 0; i < cache->capacity; ++i)
      free(cache->entries[i].samples);
  }
  for (uint32_t i = 0; i < cache->retired_count; ++i)
    free(cache->retired[i]);
  free(cache->entries);
  free(cache->retired);
  memset(cache, 0, sizeof *cache);
}

static bool same_key(const presynth_entry *e, const synth_bus *bus, const synth_voice *voice,
                     uint64_t hash) {
  return e->hash == hash && memcmp(&e->voice, voice, sizeof *voice) == 0 &&
         memcmp(&e->bus, bus, sizeof *bus) == 0;
}

presynth_entry *presynth_find(presynth_cache *cache, const synth_bus *bus, const synth_voice *voice,
                              uint64_t hash) {
  uint32_t mask = cache->capacity - 1;
  for (uint32_t probe = 0; probe < cache->capacity; ++probe) {
    presynth_entry *e = &cache->entries[(hash + probe) & mask];
    if (e->state == PRESYNTH_EMPTY)
      return NULL;
    if (e->state != PRESYNTH_DELETED && same_key(e, bus, voice, hash)) {
      e->last_used = cache->block;
      return e;
    }
  }
  return NULL;
}

presynth_entry *presynth_insert_pending(presynth_cache *cache, const synth_bus *bus,
                                        const synth_voice *voice, uint64_t hash) {
  /* Keep a quarter of the table empty so probe chains stay short. */
  if (cache->used >= cache->capacity - cache->capacity / 4) {
    cache->counters.dropped++;
    return NULL;
  }
  uint32_t mask = cache->capacity - 1;
  for (uint32_t probe = 0; probe < cache->capacity; ++probe) {
    presynth_entry *e = &cache->entries[(hash + probe) & mask];
    if (e->state == PRESYNTH_EMPTY || e->state == PRESYNTH_DELETED) {
      if (e->state == PRESYNTH_EMPTY)
        cache->used++;
      e->state = PRESYNTH_PENDING;
      e->refs = 0;
      e->hash = hash;
      e->last_used = cache->block;
      e->bus = *bus;
      e->voice = *voice;
      e->samples = NULL;
      cache->bytes += presynth_buffer_bytes(voice);
      return e;
    }
  }
  cache->counters.dropped++;
  return NULL;
}

/* Marks an entry deleted; a tombstone directly before an EMPTY slot ends no
   probe chain, so it and the tombstones before it become EMPTY again. */
static void remove_entry(presynth_cache *cache, presynth_entry *e) {
  uint32_t mask = cache->capacity - 1;
  cache->bytes -= presynth_buffer_bytes(&e->voice);
  e->state = PRESYNTH_DELETED;
  e->samples = NULL;
  uint32_t index = presynth_index(cache, e);
  if (cache->entries[(index + 1) & mask].state != PRESYNTH_EMPTY)
    return;
  for (uint32_t n = 0; n < cache->capacity; ++n) {
    presynth_entry *t = &cache->entries[(index - n) & mask];
    if (t->state != PRESYNTH_DELETED)
      break;
    t->state = PRESYNTH_EMPTY;
    cache->used--;
  }
}

void presynth_complete(presynth_cache *cache, uint32_t index, float *samples) {
  if (index >= cache->capacity)
    return;
  presynth_entry *e = &cache->entries[index];
  if (e->state != PRESYNTH_PENDING)
    return;
  if (!samples) {
    remove_entry(cache, e);
    return;
  }
  e->samples = samples;
  e->state = PRESYNTH_READY;
  cache->counters.renders++;
}

void presynth_forget(presynth_cache *cache, uint32_t index) {
  if (index < cache->capacity && cache->entries[index].state == PRESYNTH_PENDING) {
    remove_entry(cache, &cache->entries[index]);
    cache->counters.refused++;
  }
}

static bool over_limits(const presynth_cache *cache) {
  return cache->bytes > cache->memory_cap || cache->used > cache->capacity / 2;
}

void presynth_evict(presynth_cache *cache) {
  uint32_t mask = cache->capacity - 1;
  for (int n = 0; n < PRESYNTH_EVICTIONS_PER_CALL && over_limits(cache) &&
                  cache->retired_count < cache->retired_capacity;
       ++n) {
    presynth_entry *oldest = NULL;
    for (uint32_t i = 0; i < PRESYNTH_EVICT_WINDOW; ++i) {
      presynth_entry *e = &cache->entries[(cache->evict_hand + i) & mask];
      if (e->state == PRESYNTH_READY && e->refs == 0 &&
          (!oldest || e->last_used < oldest->last_used))
        oldest = e;
    }
    cache->evict_hand = (cache->evict_hand + PRESYNTH_EVICT_WINDOW) & mask;
    if (!oldest)
      continue;
    cache->retired[cache->retired_count++] = oldest->samples;
    remove_entry(cache, oldest);
    cache->counters.evicted++;
  }
}
