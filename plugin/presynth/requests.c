/* The life of a cached buffer: requested by the look-ahead (its bytes
   reserved under the cap), batched for the worker, claimed and rendered
   there, installed by its answer, referenced by the voices that play it,
   evicted into the garbage the worker frees. Audio thread, except
   presynth_claim and presynth_answer_lost (worker). */
#include "presynth_private.h"

#include <string.h>

const float *presynth_lookup_for_trigger(presynth_cache *cache, const synth_bus *bus,
                                         const synth_voice *voice, uint32_t *ref) {
  cache->counters.requests++;
  presynth_slot *e = presynth_find(cache, bus, voice, presynth_hash(bus, voice));
  if (!e || e->state != PRESYNTH_READY || e->refs == UINT16_MAX) {
    cache->counters.live_fallbacks++;
    return NULL;
  }
  cache->counters.hits++;
  if (e->flags & PRESYNTH_PLAYED)
    presynth_mark_reused(cache, e);
  e->flags |= PRESYNTH_PLAYED;
  e->refs++;
  e->last_used = cache->frame;
  *ref = (uint32_t)(e - cache->entries);
  return e->samples;
}

void presynth_release(presynth_cache *cache, uint32_t ref) {
  if (ref >= cache->capacity)
    return;
  presynth_slot *e = &cache->entries[ref];
  if (e->state != PRESYNTH_READY || e->refs == 0)
    return;
  if (--e->refs > 0 || (e->flags & PRESYNTH_REUSED))
    return;
  presynth_push_released(cache, e); /* played once and done: first to go above the target */
}

presynth_request_status presynth_request(presynth_cache *cache, const synth_bus *bus,
                                         const synth_voice *voice, uint32_t frames_ahead) {
  if (cache->batch.count == PRESYNTH_BATCH_MAX)
    return PRESYNTH_BATCH_FULL;
  uint64_t hash = presynth_hash(bus, voice);
  uint64_t onset = cache->frame + frames_ahead;
  presynth_slot *known = presynth_find(cache, bus, voice, hash);
  if (known) {
    if (known->last_used < onset)
      known->last_used = onset;
    if (known->flags & PRESYNTH_PLAYED)
      presynth_mark_reused(cache, known); /* it will play again */
    return PRESYNTH_KNOWN;
  }
  size_t need = presynth_buffer_bytes(voice);
  if (need > cache->limits.max_buffer_bytes) {
    cache->counters.too_long++;
    return PRESYNTH_TOO_LONG;
  }
  while (cache->bytes + need > cache->limits.memory_cap) {
    if (!presynth_evict_one(cache)) {
      cache->counters.over_cap++;
      return PRESYNTH_OVER_CAP;
    }
  }
  presynth_slot *e = presynth_insert_pending(cache, bus, voice, hash, onset);
  if (!e)
    return PRESYNTH_TABLE_FULL;
  cache->batch.jobs[cache->batch.count++] =
      (presynth_job){(uint32_t)(e - cache->entries), e->ticket};
  return PRESYNTH_QUEUED;
}

bool presynth_take_batch(presynth_cache *cache, presynth_batch *out) {
  if (cache->batch.count == 0 || cache->garbage_count > 0)
    return false;
  out->count = cache->batch.count;
  memcpy(out->jobs, cache->batch.jobs, cache->batch.count * sizeof *out->jobs);
  cache->counters.scheduled += cache->batch.count;
  cache->batch.count = 0;
  return true;
}

/* The entry of `job` if it is still the PENDING entry of that request. */
static presynth_slot *job_entry(presynth_cache *cache, presynth_job job) {
  if (job.index >= cache->capacity)
    return NULL;
  presynth_slot *e = &cache->entries[job.index];
  return e->state == PRESYNTH_PENDING && e->ticket == job.ticket ? e : NULL;
}

void presynth_request_refused(presynth_cache *cache, const presynth_batch *batch) {
  for (uint32_t i = 0; i < batch->count && i < PRESYNTH_BATCH_MAX; ++i) {
    presynth_slot *e = job_entry(cache, batch->jobs[i]);
    /* The worker never saw the job, so nothing can be copying it. */
    if (e && presynth_unclaim(e)) {
      presynth_remove(cache, e);
      cache->counters.refused++;
    }
  }
  cache->counters.scheduled -= batch->count;
}

void presynth_rendered(presynth_cache *cache, presynth_job job, float *samples) {
  presynth_slot *e = job_entry(cache, job);
  if (!e || !presynth_unclaim(e)) {
    presynth_discard(cache, samples); /* reclaimed meanwhile: never under another key */
    return;
  }
  if (!samples) {
    presynth_remove(cache, e); /* a later look-ahead asks again */
    return;
  }
  e->samples = samples;
  e->state = PRESYNTH_READY;
  cache->pending--;
  cache->counters.renders++;
  if (e->last_used < cache->frame)
    presynth_push_released(cache, e); /* late: its onset has passed (it played live) */
}

uint32_t presynth_garbage(presynth_cache *cache, float *const **buffers, uint32_t max) {
  uint32_t n = cache->garbage_count < max ? cache->garbage_count : max;
  *buffers = cache->garbage + cache->garbage_count - n;
  return n;
}

void presynth_garbage_sent(presynth_cache *cache, uint32_t count) {
  cache->garbage_count -= count < cache->garbage_count ? count : cache->garbage_count;
}

const presynth_counters *presynth_get_counters(const presynth_cache *cache) {
  return &cache->counters;
}

size_t presynth_bytes(const presynth_cache *cache) { return cache->bytes; }

uint32_t presynth_pending(const presynth_cache *cache) { return cache->pending; }

bool presynth_claim(presynth_cache *cache, presynth_job job, synth_bus *bus, synth_voice *voice) {
  if (job.index >= cache->capacity || job.ticket == 0 || job.ticket > CLAIM_TICKET_MAX)
    return false;
  presynth_slot *e = &cache->entries[job.index];
  uint32_t expected = CLAIM(job.ticket, CLAIM_WAITING);
  if (!atomic_compare_exchange_strong_explicit(&e->claim, &expected,
                                               CLAIM(job.ticket, CLAIM_COPYING),
                                               memory_order_acquire, memory_order_relaxed))
    return false;
  /* While COPYING, the audio thread neither removes nor rewrites the entry. */
  *bus = cache->buses[e->bus].bus;
  *voice = e->voice;
  bool stale = e->onset < atomic_load_explicit(&cache->published_frame, memory_order_relaxed);
  atomic_store_explicit(&e->claim, CLAIM(job.ticket, CLAIM_RENDERING), memory_order_release);
  return !stale;
}

void presynth_answer_lost(presynth_cache *cache, presynth_job job) {
  if (job.index >= cache->capacity || job.ticket == 0 || job.ticket > CLAIM_TICKET_MAX)
    return;
  uint32_t expected = CLAIM(job.ticket, CLAIM_RENDERING);
  atomic_compare_exchange_strong_explicit(&cache->entries[job.index].claim, &expected,
                                          CLAIM(job.ticket, CLAIM_LOST), memory_order_release,
                                          memory_order_relaxed);
}
