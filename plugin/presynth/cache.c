/* The pre-synthesis table: an open-addressed table with linear probing and
   tombstones; least-recently-used eviction and the reclaiming of lost renders,
   both with a bounded cost per block. Audio thread only, except init/destroy
   (instantiate/cleanup). */
#include "presynth_private.h"

#include <stdlib.h>
#include <string.h>

#include "../prefault.h"

/* FNV-1a over 8-byte words (then the tail bytes): a lookup hashes about
   500 bytes per trigger, and a byte at a time cost run() a microsecond each. */
static uint64_t fnv1a(uint64_t hash, const void *bytes, size_t size) {
  const unsigned char *p = bytes;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    memcpy(&word, p + i, sizeof word);
    hash ^= word;
    hash *= 0x100000001b3ULL;
    hash ^= hash >> 29; /* spread the high bits of a word down */
  }
  for (; i < size; ++i) {
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

bool presynth_cache_init(presynth_cache *cache, const presynth_limits *limits) {
  memset(cache, 0, sizeof *cache);
  uint32_t size = 16;
  while (size < limits->entries)
    size <<= 1;
  cache->entries = calloc(size, sizeof *cache->entries);
  cache->garbage_capacity = size;
  cache->garbage = calloc(size, sizeof *cache->garbage);
  if (!cache->entries || !cache->garbage) {
    presynth_cache_destroy(cache);
    return false;
  }
  cb_prefault(cache->entries, size * sizeof *cache->entries); /* run() scans the table */
  cb_prefault(cache->garbage, size * sizeof *cache->garbage);
  cache->capacity = size;
  cache->limits = *limits;
  cache->limits.entries = size;
  cache->next_ticket = 1;
  cache->evict_budget = PRESYNTH_EVICT_SCAN_PER_BLOCK;
  return true;
}

void presynth_cache_destroy(presynth_cache *cache) {
  if (cache->entries) {
    for (uint32_t i = 0; i < cache->capacity; ++i)
      free(cache->entries[i].samples);
  }
  for (uint32_t i = 0; i < cache->garbage_count; ++i)
    free(cache->garbage[i]);
  free(cache->entries);
  free(cache->garbage);
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
    if (e->state != PRESYNTH_DELETED && same_key(e, bus, voice, hash))
      return e;
  }
  return NULL;
}

static uint32_t new_ticket(presynth_cache *cache) {
  uint32_t ticket = cache->next_ticket;
  cache->next_ticket = ticket == CLAIM_TICKET_MAX ? 1 : ticket + 1;
  return ticket;
}

presynth_entry *presynth_insert_pending(presynth_cache *cache, const synth_bus *bus,
                                        const synth_voice *voice, uint64_t hash, uint64_t onset) {
  /* Keep a quarter of the table empty so probe chains stay short. */
  if (cache->used >= cache->capacity - cache->capacity / 4) {
    cache->counters.dropped++;
    return NULL;
  }
  uint32_t mask = cache->capacity - 1;
  for (uint32_t probe = 0; probe < cache->capacity; ++probe) {
    presynth_entry *e = &cache->entries[(hash + probe) & mask];
    if (e->state != PRESYNTH_EMPTY && e->state != PRESYNTH_DELETED)
      continue;
    /* A free slot has claim 0 and no worker reading it (presynth_unclaim),
       so its key may be rewritten; the release below publishes it. */
    if (e->state == PRESYNTH_EMPTY)
      cache->used++;
    e->state = PRESYNTH_PENDING;
    e->refs = 0;
    e->ticket = new_ticket(cache);
    e->hash = hash;
    e->last_used = onset;
    e->since = cache->frame;
    e->onset = onset;
    e->bytes = presynth_buffer_bytes(voice);
    e->bus = *bus;
    e->voice = *voice;
    e->samples = NULL;
    cache->bytes += e->bytes;
    atomic_store_explicit(&e->claim, CLAIM(e->ticket, CLAIM_WAITING), memory_order_release);
    return e;
  }
  cache->counters.dropped++;
  return NULL;
}

bool presynth_unclaim(presynth_entry *e) {
  uint32_t claim = atomic_load_explicit(&e->claim, memory_order_acquire);
  while (claim != 0) {
    if (CLAIM_PHASE(claim) == CLAIM_COPYING)
      return false;
    if (atomic_compare_exchange_weak_explicit(&e->claim, &claim, 0, memory_order_acq_rel,
                                              memory_order_acquire))
      return true;
  }
  return true;
}

/* Marks an entry deleted; a tombstone directly before an EMPTY slot ends no
   probe chain, so it and the tombstones before it become EMPTY again. */
void presynth_remove(presynth_cache *cache, presynth_entry *e) {
  uint32_t mask = cache->capacity - 1;
  cache->bytes -= e->bytes;
  e->bytes = 0;
  e->state = PRESYNTH_DELETED;
  e->samples = NULL;
  e->refs = 0;
  uint32_t index = (uint32_t)(e - cache->entries);
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

void presynth_discard(presynth_cache *cache, float *samples) {
  if (!samples)
    return;
  if (cache->garbage_count < cache->garbage_capacity)
    cache->garbage[cache->garbage_count++] = samples;
  else
    cache->counters.leaked++; /* run() must not free; the worker is not keeping up */
}

bool presynth_evict_one(presynth_cache *cache) {
  uint32_t mask = cache->capacity - 1;
  /* Eviction must be able to hand the buffer over. */
  while (cache->evict_budget >= PRESYNTH_EVICT_WINDOW &&
         cache->garbage_count < cache->garbage_capacity) {
    presynth_entry *oldest = NULL;
    for (uint32_t i = 0; i < PRESYNTH_EVICT_WINDOW; ++i) {
      presynth_entry *e = &cache->entries[(cache->evict_hand + i) & mask];
      if (e->state == PRESYNTH_READY && e->refs == 0 &&
          (!oldest || e->last_used < oldest->last_used))
        oldest = e;
    }
    cache->evict_budget -= PRESYNTH_EVICT_WINDOW;
    cache->evict_hand = (cache->evict_hand + PRESYNTH_EVICT_WINDOW) & mask;
    if (oldest) {
      presynth_discard(cache, oldest->samples);
      presynth_remove(cache, oldest);
      cache->counters.evicted++;
      return true;
    }
  }
  return false;
}

/* A PENDING entry whose answer will not come: the worker said so, or it has
   waited longer than the bound. One the worker is copying waits a block. */
static bool lost(const presynth_cache *cache, presynth_entry *e) {
  uint32_t claim = atomic_load_explicit(&e->claim, memory_order_acquire);
  if (claim != 0 && CLAIM_PHASE(claim) == CLAIM_LOST)
    return true;
  return cache->frame - e->since > cache->limits.reclaim_frames;
}

static void reclaim_lost(presynth_cache *cache) {
  uint32_t mask = cache->capacity - 1;
  for (uint32_t i = 0; i < PRESYNTH_RECLAIM_SCAN_PER_BLOCK; ++i) {
    presynth_entry *e = &cache->entries[(cache->reclaim_hand + i) & mask];
    if (e->state == PRESYNTH_PENDING && lost(cache, e) && presynth_unclaim(e)) {
      presynth_remove(cache, e);
      cache->counters.reclaimed++;
    }
  }
  cache->reclaim_hand = (cache->reclaim_hand + PRESYNTH_RECLAIM_SCAN_PER_BLOCK) & mask;
}

void presynth_end_block(presynth_cache *cache, uint32_t frames) {
  /* Keep the table at most half full, so probe chains stay short. */
  while (cache->used > cache->capacity / 2 && presynth_evict_one(cache)) {
  }
  reclaim_lost(cache);
  cache->evict_budget = PRESYNTH_EVICT_SCAN_PER_BLOCK;
  cache->frame += frames;
  atomic_store_explicit(&cache->published_frame, cache->frame, memory_order_relaxed);
}
