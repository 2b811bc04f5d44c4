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
uint64_t presynth_bus_hash(const synth_bus *bus) {
  return fnv1a(0xcbf29ce484222325ULL, bus, sizeof *bus);
}

uint64_t presynth_hash(const synth_bus *bus, const synth_voice *voice) {
  uint64_t hash = fnv1a(presynth_bus_hash(bus), voice, sizeof *voice);
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
  cache->ghosts = calloc(2 * (size_t)size, sizeof *cache->ghosts);
  cache->buses = calloc(PRESYNTH_BUSES, sizeof *cache->buses);
  cache->released = calloc(size, sizeof *cache->released);
  if (!cache->entries || !cache->garbage || !cache->ghosts || !cache->buses || !cache->released) {
    presynth_cache_destroy(cache);
    return false;
  }
  cb_prefault(cache->entries, size * sizeof *cache->entries); /* run() scans the table */
  cb_prefault(cache->garbage, size * sizeof *cache->garbage);
  cb_prefault(cache->ghosts, 2 * (size_t)size * sizeof *cache->ghosts);
  cb_prefault(cache->buses, PRESYNTH_BUSES * sizeof *cache->buses);
  cb_prefault(cache->released, size * sizeof *cache->released);
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
  free(cache->ghosts);
  free(cache->buses);
  free(cache->released);
  memset(cache, 0, sizeof *cache);
}

static bool same_key(const presynth_cache *cache, const presynth_slot *e, const synth_bus *bus,
                     const synth_voice *voice, uint64_t hash) {
  return e->hash == hash && memcmp(&e->voice, voice, sizeof *voice) == 0 &&
         memcmp(&cache->buses[e->bus].bus, bus, sizeof *bus) == 0;
}

/* The place of `bus` among the interned graphs, with one more user: where
   it is, else an empty place or one no entry uses; PRESYNTH_BUSES when
   every place holds a graph in use. */
static uint32_t intern_bus(presynth_cache *cache, const synth_bus *bus) {
  uint64_t hash = presynth_bus_hash(bus);
  uint32_t mask = PRESYNTH_BUSES - 1, spare = PRESYNTH_BUSES;
  for (uint32_t probe = 0; probe < PRESYNTH_BUSES; ++probe) {
    uint32_t i = (uint32_t)(hash + probe) & mask;
    presynth_bus_slot *b = &cache->buses[i];
    if (!b->taken) {
      spare = spare < PRESYNTH_BUSES ? spare : i;
      break;
    }
    if (b->hash == hash && memcmp(&b->bus, bus, sizeof *bus) == 0) {
      b->users++;
      return i;
    }
    if (b->users == 0 && spare == PRESYNTH_BUSES)
      spare = i;
  }
  if (spare < PRESYNTH_BUSES) {
    /* no entry uses the graph there, so no worker can be copying it */
    presynth_bus_slot *b = &cache->buses[spare];
    b->taken = true;
    b->hash = hash;
    b->users = 1;
    b->bus = *bus;
  }
  return spare;
}

presynth_slot *presynth_find(presynth_cache *cache, const synth_bus *bus, const synth_voice *voice,
                             uint64_t hash) {
  uint32_t mask = cache->capacity - 1;
  for (uint32_t probe = 0; probe < cache->capacity; ++probe) {
    presynth_slot *e = &cache->entries[(hash + probe) & mask];
    if (e->state == PRESYNTH_EMPTY)
      return NULL;
    if (e->state != PRESYNTH_DELETED && same_key(cache, e, bus, voice, hash))
      return e;
  }
  return NULL;
}

/* The ghosts: 2 * capacity hashes in sets of GHOST_WAYS, so that keys
   whose hashes share a set seldom push each other out. */
#define GHOST_WAYS 4
static uint64_t *ghost_set(const presynth_cache *cache, uint64_t hash) {
  uint32_t sets = 2 * cache->capacity / GHOST_WAYS;
  return cache->ghosts + (size_t)(hash & (sets - 1)) * GHOST_WAYS;
}

static bool ghost_known(const presynth_cache *cache, uint64_t hash) {
  const uint64_t *set = ghost_set(cache, hash);
  for (int i = 0; i < GHOST_WAYS; ++i)
    if (set[i] == hash)
      return true;
  return false;
}

/* Into an empty way, else over the one the hash's top bits pick. */
static void remember_ghost(presynth_cache *cache, uint64_t hash) {
  uint64_t *set = ghost_set(cache, hash);
  for (int i = 0; i < GHOST_WAYS; ++i)
    if (set[i] == hash || set[i] == 0) {
      set[i] = hash;
      return;
    }
  set[hash >> 62] = hash;
}

static uint32_t new_ticket(presynth_cache *cache) {
  uint32_t ticket = cache->next_ticket;
  cache->next_ticket = ticket == CLAIM_TICKET_MAX ? 1 : ticket + 1;
  return ticket;
}

presynth_slot *presynth_insert_pending(presynth_cache *cache, const synth_bus *bus,
                                       const synth_voice *voice, uint64_t hash, uint64_t onset) {
  /* Keep a quarter of the table empty so probe chains stay short. */
  if (cache->used >= cache->capacity - cache->capacity / 4) {
    cache->counters.dropped++;
    return NULL;
  }
  uint32_t mask = cache->capacity - 1;
  for (uint32_t probe = 0; probe < cache->capacity; ++probe) {
    presynth_slot *e = &cache->entries[(hash + probe) & mask];
    if (e->state != PRESYNTH_EMPTY && e->state != PRESYNTH_DELETED)
      continue;
    uint32_t interned = intern_bus(cache, bus);
    if (interned == PRESYNTH_BUSES)
      break; /* too many graphs in use */
    /* A free slot has claim 0 and no worker reading it (presynth_unclaim),
       so its key may be rewritten; the release below publishes it. */
    if (e->state == PRESYNTH_EMPTY)
      cache->used++;
    e->state = PRESYNTH_PENDING;
    cache->pending++;
    e->flags = 0;
    e->refs = 0;
    e->ticket = new_ticket(cache);
    e->hash = hash;
    e->last_used = onset;
    e->since = cache->frame;
    e->onset = onset;
    e->bytes = presynth_buffer_bytes(voice);
    e->bus = interned;
    e->voice = *voice;
    e->samples = NULL;
    cache->bytes += e->bytes;
    if (ghost_known(cache, hash))
      presynth_mark_reused(cache, e); /* trimmed after one use, and back */
    atomic_store_explicit(&e->claim, CLAIM(e->ticket, CLAIM_WAITING), memory_order_release);
    return e;
  }
  cache->counters.dropped++;
  return NULL;
}

void presynth_mark_reused(presynth_cache *cache, presynth_slot *e) {
  if (e->flags & PRESYNTH_REUSED)
    return;
  e->flags |= PRESYNTH_REUSED;
  cache->reused_bytes += e->bytes;
}

bool presynth_unclaim(presynth_slot *e) {
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
void presynth_remove(presynth_cache *cache, presynth_slot *e) {
  uint32_t mask = cache->capacity - 1;
  cache->bytes -= e->bytes;
  cache->buses[e->bus].users--;
  if (e->flags & PRESYNTH_REUSED)
    cache->reused_bytes -= e->bytes;
  e->bytes = 0;
  e->flags = 0;
  if (e->state == PRESYNTH_PENDING)
    cache->pending--;
  e->state = PRESYNTH_DELETED;
  e->samples = NULL;
  e->refs = 0;
  uint32_t index = (uint32_t)(e - cache->entries);
  if (cache->entries[(index + 1) & mask].state != PRESYNTH_EMPTY)
    return;
  for (uint32_t n = 0; n < cache->capacity; ++n) {
    presynth_slot *t = &cache->entries[(index - n) & mask];
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
    presynth_slot *oldest = NULL;
    for (uint32_t i = 0; i < PRESYNTH_EVICT_WINDOW; ++i) {
      presynth_slot *e = &cache->entries[(cache->evict_hand + i) & mask];
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
static bool lost(const presynth_cache *cache, presynth_slot *e) {
  uint32_t claim = atomic_load_explicit(&e->claim, memory_order_acquire);
  if (claim != 0 && CLAIM_PHASE(claim) == CLAIM_LOST)
    return true;
  return cache->frame - e->since > cache->limits.reclaim_frames;
}

static void reclaim_lost(presynth_cache *cache) {
  if (cache->pending == 0)
    return; /* no render unanswered: none to look for */
  uint32_t mask = cache->capacity - 1;
  for (uint32_t i = 0; i < PRESYNTH_RECLAIM_SCAN_PER_BLOCK; ++i) {
    presynth_slot *e = &cache->entries[(cache->reclaim_hand + i) & mask];
    if (e->state == PRESYNTH_PENDING && lost(cache, e) && presynth_unclaim(e)) {
      presynth_remove(cache, e);
      cache->counters.reclaimed++;
    }
  }
  cache->reclaim_hand = (cache->reclaim_hand + PRESYNTH_RECLAIM_SCAN_PER_BLOCK) & mask;
}

/* Whether the trim may let go of e: READY, no voice playing it, its last
   use and every onset it was requested for past (last_used lies before
   this block): it played, or its onset passed without it (its render came
   late, or the event never came). */
static bool idle(const presynth_cache *cache, const presynth_slot *e) {
  return e->state == PRESYNTH_READY && e->refs == 0 && e->last_used < cache->frame;
}

void presynth_push_released(presynth_cache *cache, const presynth_slot *e) {
  uint32_t mask = cache->capacity - 1;
  if (cache->released_count == cache->capacity) {
    cache->released_head = (cache->released_head + 1) & mask; /* the sweep finds it */
    cache->released_count--;
  }
  cache->released[(cache->released_head + cache->released_count++) & mask] =
      (presynth_job){(uint32_t)(e - cache->entries), e->ticket};
}

static void trim(presynth_cache *cache, presynth_slot *e) {
  if (!(e->flags & PRESYNTH_REUSED))
    remember_ghost(cache, e->hash);
  presynth_discard(cache, e->samples);
  presynth_remove(cache, e);
  cache->counters.evicted++;
}

/* Above the soft target, the buffers played once go, in the order their
   voices ended (the `released` ring: no search); then a clock hand sweeps
   part of the table for the idle buffers the ring does not hold (those
   whose onset passed unplayed, and those asked for again, while they take
   more than the reuse target). A program that repeats within the soft
   target keeps all of it, one that repeats within the reuse target
   renders its notes about twice (before they are known to come back), and
   one whose notes never repeat keeps what the look-ahead awaits and what
   plays. The buffers go to the garbage the worker frees. */
static void trim_to_soft_target(presynth_cache *cache) {
  size_t target = cache->limits.soft_target;
  if (target == 0 || cache->bytes <= target)
    return;
  for (uint32_t n = 0; n < PRESYNTH_TRIM_SCAN_PER_BLOCK && cache->released_count > 0 &&
                       cache->bytes > target && cache->garbage_count < cache->garbage_capacity;
       ++n) {
    presynth_job job = cache->released[cache->released_head];
    presynth_slot *e = &cache->entries[job.index];
    bool current = e->ticket == job.ticket && !(e->flags & PRESYNTH_REUSED);
    if (current && e->state == PRESYNTH_READY && e->refs == 0 && e->last_used == cache->frame)
      break; /* played in this very block: idle from the next */
    cache->released_head = (cache->released_head + 1) & (cache->capacity - 1);
    cache->released_count--;
    if (current && idle(cache, e))
      trim(cache, e);
  }
  uint32_t mask = cache->capacity - 1;
  for (uint32_t i = 0; i < PRESYNTH_TRIM_SCAN_PER_BLOCK && cache->bytes > target &&
                       cache->garbage_count < cache->garbage_capacity;
       ++i) {
    presynth_slot *e = &cache->entries[(cache->trim_hand + i) & mask];
    if (idle(cache, e) &&
        (!(e->flags & PRESYNTH_REUSED) || cache->reused_bytes > cache->limits.reuse_target))
      trim(cache, e);
  }
  cache->trim_hand = (cache->trim_hand + PRESYNTH_TRIM_SCAN_PER_BLOCK) & mask;
}

void presynth_end_block(presynth_cache *cache, uint32_t frames) {
  /* Keep the table at most half full, so probe chains stay short. */
  while (cache->used > cache->capacity / 2 && presynth_evict_one(cache)) {
  }
  trim_to_soft_target(cache);
  reclaim_lost(cache);
  cache->evict_budget = PRESYNTH_EVICT_SCAN_PER_BLOCK;
  cache->frame += frames;
  atomic_store_explicit(&cache->published_frame, cache->frame, memory_order_relaxed);
}
