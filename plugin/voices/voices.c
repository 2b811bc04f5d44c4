/* The voice pool: starting, stealing, fading and mixing voices. Audio thread
   only (after voice_pool_init). Sample and live voices share one mixing
   routine, so a cached buffer and its live rendering mix bit-identically. */
#include "voices.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FADE_SECONDS 0.005
#define HALF_PI 1.57079632679489661923
/* A channel gain below this (-160 dB) is 0: every voice's gain passes through
   voice_pan_gains, so no subnormal gain (`# gain 1e-39`, the 40th copy of an
   echo, the far side of a hard pan) ever multiplies a sample. */
#define GAIN_FLOOR 1e-8f
/* The mix of each slice is flushed below this: a product of normal samples,
   gains and fades can still underflow, and after the master gain (>= -60 dB)
   what is left stays a normal float. */
#define MIX_FLOOR 1e-30f

bool voice_pool_init(voice_pool *pool, uint32_t capacity, double sample_rate,
                     voice_release_fn release, void *release_owner) {
  memset(pool, 0, sizeof *pool);
  if (capacity == 0)
    capacity = VOICE_DEFAULT_COUNT;
  uint32_t slots = capacity + VOICE_FADE_SLOTS;
  pool->voices = calloc(slots, sizeof *pool->voices);
  pool->sounding = calloc(slots, sizeof *pool->sounding);
  pool->free_slots = calloc(slots, sizeof *pool->free_slots);
  if (!pool->voices || !pool->sounding || !pool->free_slots) {
    voice_pool_destroy(pool);
    return false;
  }
  for (uint32_t i = 0; i < slots; ++i)
    pool->free_slots[i] = slots - 1 - i;
  pool->free_count = slots;
  pool->capacity = capacity;
  pool->fade_frames = (uint32_t)(FADE_SECONDS * sample_rate) + 1;
  pool->release = release;
  pool->release_owner = release_owner;
  return true;
}

void voice_pool_destroy(voice_pool *pool) {
  free(pool->voices);
  free(pool->sounding);
  free(pool->free_slots);
  pool->voices = NULL;
  pool->sounding = pool->free_slots = NULL;
}

void voice_pan_gains(float gain, float pan, float *left, float *right) {
  if (!(pan >= 0.0f))
    pan = 0.0f; /* NaN too */
  if (pan > 1.0f)
    pan = 1.0f;
  double angle = (double)pan * HALF_PI;
  *left = (float)((double)gain * cos(angle));
  *right = (float)((double)gain * sin(angle));
  if (!(fabsf(*left) >= GAIN_FLOOR))
    *left = 0.0f; /* NaN too */
  if (!(fabsf(*right) >= GAIN_FLOOR))
    *right = 0.0f;
}

/* Ends a voice; its slot leaves `sounding` at the next compaction (mix). */
static void finish(voice_pool *pool, voice_slot *v) {
  if (v->kind == VOICE_SAMPLE && pool->release)
    pool->release(pool->release_owner, v->buffer_ref);
  if (!v->stolen)
    pool->active--;
  v->kind = VOICE_FREE;
  v->stolen = false;
  pool->free_slots[pool->free_count++] = (uint32_t)(v - pool->voices);
}

/* Drops finished voices from `sounding`, keeping the start order. */
static void compact(voice_pool *pool) {
  uint32_t kept = 0;
  for (uint32_t i = 0; i < pool->sounding_count; ++i) {
    uint32_t slot = pool->sounding[i];
    if (pool->voices[slot].kind != VOICE_FREE)
      pool->sounding[kept++] = slot;
  }
  pool->sounding_count = kept;
}

static void begin_fade(voice_pool *pool, voice_slot *v) {
  if (v->fade_left == 0) {
    v->fade_length = pool->fade_frames;
    v->fade_left = pool->fade_frames;
  }
}

/* Steals the oldest active voice: it fades out in a spare slot. */
static void steal_oldest(voice_pool *pool) {
  voice_slot *oldest = NULL;
  for (uint32_t i = 0; i < pool->sounding_count && !oldest; ++i) {
    voice_slot *v = &pool->voices[pool->sounding[i]];
    if (v->kind != VOICE_FREE && !v->stolen)
      oldest = v;
  }
  if (!oldest)
    return;
  oldest->stolen = true;
  pool->active--;
  pool->stolen_count++;
  begin_fade(pool, oldest);
}

/* A free slot; when every slot is taken, the fading voice nearest its end is
   cut (only after VOICE_FADE_SLOTS steals within one fade time). */
static voice_slot *take_slot(voice_pool *pool) {
  if (pool->active >= pool->capacity)
    steal_oldest(pool);
  if (pool->free_count == 0) {
    voice_slot *shortest = NULL;
    for (uint32_t i = 0; i < pool->sounding_count; ++i) {
      voice_slot *v = &pool->voices[pool->sounding[i]];
      if (v->stolen && (!shortest || v->fade_left < shortest->fade_left))
        shortest = v;
    }
    if (!shortest)
      return NULL;
    finish(pool, shortest);
    compact(pool);
  }
  uint32_t slot = pool->free_slots[--pool->free_count];
  pool->sounding[pool->sounding_count++] = slot;
  return &pool->voices[slot];
}

static voice_slot *start_voice(voice_pool *pool, uint32_t start, uint32_t length, float gain,
                               float pan) {
  voice_slot *v = take_slot(pool);
  if (!v)
    return NULL;
  v->stolen = false;
  v->start = start;
  v->position = 0;
  v->length = length;
  v->fade_left = 0;
  v->fade_length = 0;
  v->serial = pool->next_serial++;
  voice_pan_gains(gain, pan, &v->gain_left, &v->gain_right);
  pool->active++;
  return v;
}

void voice_start_sample(voice_pool *pool, uint32_t start, const float *samples, uint32_t length,
                        uint32_t buffer_ref, float gain, float pan) {
  voice_slot *v = start_voice(pool, start, length, gain, pan);
  if (!v) {
    if (pool->release)
      pool->release(pool->release_owner, buffer_ref);
    return;
  }
  v->kind = VOICE_SAMPLE;
  v->samples = samples;
  v->buffer_ref = buffer_ref;
}

void voice_start_live(voice_pool *pool, uint32_t start, const synth_bus *bus,
                      const synth_voice *synth, float gain, float pan) {
  voice_slot *v = start_voice(pool, start, synth->total_frames, gain, pan);
  if (!v)
    return;
  v->kind = VOICE_LIVE;
  v->bus = *bus;
  v->voice = *synth;
  synth_start(&v->state, &v->bus, &v->voice);
}

/* Adds `count` mono samples into the outputs with the voice's gains and fade. */
static void add_samples(voice_slot *v, const float *restrict mono, float *restrict left,
                        float *restrict right, uint32_t count) {
  if (v->fade_left == 0) {
    const float gain_left = v->gain_left, gain_right = v->gain_right;
    for (uint32_t i = 0; i < count; ++i) {
      left[i] += mono[i] * gain_left;
      right[i] += mono[i] * gain_right;
    }
    return;
  }
  for (uint32_t i = 0; i < count && v->fade_left > 0; ++i, --v->fade_left) {
    float fade = (float)v->fade_left / (float)v->fade_length;
    left[i] += mono[i] * v->gain_left * fade;
    right[i] += mono[i] * v->gain_right * fade;
  }
}

static void mix_voice(voice_pool *pool, voice_slot *v, float *left, float *right, uint32_t from,
                      uint32_t to) {
  uint32_t begin = from > v->start ? from : v->start;
  while (begin < to && v->kind != VOICE_FREE) {
    uint32_t count = to - begin;
    if (count > v->length - v->position)
      count = v->length - v->position;
    if (v->fade_left > 0 && count > v->fade_left)
      count = v->fade_left;
    const float *mono;
    if (v->kind == VOICE_SAMPLE) {
      mono = v->samples + v->position;
    } else {
      if (count > VOICE_BLOCK)
        count = VOICE_BLOCK;
      synth_render(&v->state, &v->bus, &v->voice, pool->scratch, count);
      mono = pool->scratch;
    }
    bool fading = v->fade_left > 0;
    add_samples(v, mono, left + begin, right + begin, count);
    v->position += count;
    begin += count;
    if (v->position >= v->length || (fading && v->fade_left == 0))
      finish(pool, v);
  }
}

/* Tiny values become 0, so the output holds no subnormal whatever the voices. */
static void flush_tiny(float *restrict samples, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i)
    samples[i] = fabsf(samples[i]) < MIX_FLOOR ? 0.0f : samples[i];
}

void voice_mix(voice_pool *pool, float *left, float *right, uint32_t from, uint32_t to) {
  for (uint32_t i = 0; i < pool->sounding_count; ++i) {
    voice_slot *v = &pool->voices[pool->sounding[i]];
    if (v->kind != VOICE_FREE)
      mix_voice(pool, v, left, right, from, to);
  }
  compact(pool);
  if (to > from) {
    flush_tiny(left + from, to - from);
    flush_tiny(right + from, to - from);
  }
}

void voice_end_block(voice_pool *pool) {
  for (uint32_t i = 0; i < pool->sounding_count; ++i)
    pool->voices[pool->sounding[i]].start = 0;
}

void voice_release_all(voice_pool *pool) {
  for (uint32_t i = 0; i < pool->sounding_count; ++i)
    begin_fade(pool, &pool->voices[pool->sounding[i]]);
}

uint32_t voice_count_sounding(const voice_pool *pool) { return pool->sounding_count; }
