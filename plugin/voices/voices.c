/* The voice pool: starting, stealing, fading and mixing voices. Audio thread
   only (after voice_pool_init). Sample and live voices share one mixing
   routine, so a cached buffer and its live rendering mix bit-identically. */
#include "voices.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../prefault.h"

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
  if (capacity > VOICE_MAX_COUNT)
    capacity = VOICE_MAX_COUNT;
  const uint32_t slots = 3 * capacity;
  pool->voices = calloc(slots, sizeof *pool->voices);
  pool->right_states = calloc(slots, sizeof *pool->right_states); /* voice_pool_prepare_stereo */
  pool->sounding = calloc(slots, sizeof *pool->sounding);
  pool->free_slots = calloc(slots, sizeof *pool->free_slots);
  pool->fades = calloc(capacity, sizeof *pool->fades);
  if (!pool->voices || !pool->right_states || !pool->sounding || !pool->free_slots ||
      !pool->fades) {
    voice_pool_destroy(pool);
    return false;
  }
  cb_prefault(pool->voices, slots * sizeof *pool->voices); /* run() starts voices in them */
  cb_prefault(pool->sounding, slots * sizeof *pool->sounding);
  cb_prefault(pool->fades, capacity * sizeof *pool->fades);
  for (uint32_t i = 0; i < slots; ++i)
    pool->free_slots[i] = slots - 1 - i;
  pool->free_count = slots;
  pool->capacity = capacity;
  pool->slot_count = slots;
  pool->next_stop = UINT64_MAX;
  pool->fade_frames = (uint32_t)(FADE_SECONDS * sample_rate) + 1;
  pool->release = release;
  pool->release_owner = release_owner;
  return true;
}

void voice_pool_prepare_stereo(const voice_pool *pool) {
  cb_prefault(pool->right_states, pool->slot_count * sizeof *pool->right_states);
}

void voice_pool_destroy(voice_pool *pool) {
  free(pool->voices);
  free(pool->right_states);
  free(pool->sounding);
  free(pool->free_slots);
  free(pool->fades);
  pool->voices = NULL;
  pool->right_states = NULL;
  pool->sounding = NULL;
  pool->free_slots = NULL;
  pool->fades = NULL;
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

/* The frame mixing has reached: nothing can start or change before it. */
static uint64_t mixed_frame(const voice_pool *pool) { return pool->block_start + pool->mixed_to; }

/* Ends a voice; its entry leaves `sounding` at the next compaction. */
static void finish(voice_pool *pool, voice_entry *entry) {
  voice_slot *v = &pool->voices[entry->slot];
  if (v->kind == VOICE_SAMPLE && pool->release)
    pool->release(pool->release_owner, v->buffer_ref);
  if (entry->active)
    pool->active--;
  entry->active = false;
  v->kind = VOICE_FREE;
  pool->free_slots[pool->free_count++] = entry->slot;
}

/* Drops finished voices from `sounding`, keeping the start order. */
static void compact(voice_pool *pool) {
  uint32_t kept = 0;
  for (uint32_t i = 0; i < pool->sounding_count; ++i)
    if (pool->voices[pool->sounding[i].slot].kind != VOICE_FREE)
      pool->sounding[kept++] = pool->sounding[i];
  pool->sounding_count = kept;
}

/* Makes room in the ring of fading voices for one more at frame `at`: fades
   over by then leave it; when it is still full, the voice whose fade began
   first is cut at `at`. */
static void make_room_to_fade(voice_pool *pool, uint64_t at) {
  while (pool->fade_count > 0 && pool->fades[pool->fade_head].stop <= at) {
    pool->fade_head = (pool->fade_head + 1) % pool->capacity;
    pool->fade_count--;
  }
  if (pool->fade_count < pool->capacity)
    return;
  const voice_fade *oldest = &pool->fades[pool->fade_head];
  voice_slot *v = &pool->voices[oldest->slot];
  if (v->kind != VOICE_FREE && v->serial == oldest->serial && v->stop > at)
    v->stop = at;
  pool->cut_count++;
  pool->fade_head = (pool->fade_head + 1) % pool->capacity;
  pool->fade_count--;
}

/* The voice of `entry` fades out from frame `at` (unless it fades already). */
static void begin_fade(voice_pool *pool, voice_entry *entry, uint64_t at) {
  voice_slot *v = &pool->voices[entry->slot];
  if (entry->active)
    pool->active--;
  entry->active = false;
  if (v->fade_length > 0 || v->stop <= at)
    return;
  make_room_to_fade(pool, at);
  v->fade_start = at;
  v->fade_length = pool->fade_frames;
  if (v->stop > at + v->fade_length)
    v->stop = at + v->fade_length;
  voice_fade *fade = &pool->fades[(pool->fade_head + pool->fade_count) % pool->capacity];
  *fade = (voice_fade){entry->slot, v->serial, v->stop};
  pool->fade_count++;
}

/* Active voices whose sound ends by frame `at` stop counting against the pool
   size (mixing frees them later). Only scans when one can have ended. */
static void retire_ended(voice_pool *pool, uint64_t at) {
  if (pool->next_stop > at)
    return;
  uint64_t next = UINT64_MAX;
  for (uint32_t i = 0; i < pool->sounding_count; ++i) {
    voice_entry *entry = &pool->sounding[i];
    if (!entry->active)
      continue;
    if (entry->stop <= at) {
      entry->active = false;
      pool->active--;
    } else if (entry->stop < next) {
      next = entry->stop;
    }
  }
  pool->next_stop = next;
}

/* Steals the oldest active voice: it fades out from frame `at`. */
static void steal_oldest(voice_pool *pool, uint64_t at) {
  for (uint32_t i = 0; i < pool->sounding_count; ++i) {
    voice_entry *entry = &pool->sounding[i];
    if (entry->active) {
      begin_fade(pool, entry, at);
      pool->stolen_count++;
      return;
    }
  }
}

/* SuperDirt's cut groups: the voices the new one cuts fade out from `at`. */
static void cut_group(voice_pool *pool, const voice_options *options, uint64_t at) {
  for (uint32_t i = 0; i < pool->sounding_count; ++i) {
    voice_entry *entry = &pool->sounding[i];
    const voice_slot *v = &pool->voices[entry->slot];
    if (v->cut == options->cut && (options->cut > 0 || v->cut_sample == options->cut_sample))
      begin_fade(pool, entry, at);
  }
}

static voice_slot *start_voice(voice_pool *pool, uint32_t start, uint32_t length, float gain,
                               float pan, const voice_options *options) {
  if (pool->block_starts >= pool->capacity || pool->free_count == 0) {
    pool->dropped_count++; /* the second cannot happen: 3 * capacity slots */
    return NULL;
  }
  pool->block_starts++;
  uint64_t at = pool->block_start + start;
  if (at < mixed_frame(pool))
    at = mixed_frame(pool);
  if (options && options->cut != 0)
    cut_group(pool, options, at);
  if (pool->active >= pool->capacity)
    retire_ended(pool, at);
  if (pool->active >= pool->capacity)
    steal_oldest(pool, at);
  const uint32_t slot = pool->free_slots[--pool->free_count];
  voice_slot *v = &pool->voices[slot];
  v->serial = pool->next_serial++;
  v->begin = at;
  v->stop = at + length;
  v->fade_start = 0;
  v->fade_length = 0;
  voice_pan_gains(gain, pan, &v->gain_left, &v->gain_right);
  v->channels = options && options->channels == 2 ? 2 : 1;
  v->cut = options ? options->cut : 0;
  v->cut_sample = options ? options->cut_sample : 0;
  v->orbit = options && options->orbit < ORBIT_COUNT ? options->orbit : 0;
  v->room = options && options->room > 0.0f ? options->room : 0.0f; /* NaN too */
  v->delay = options && options->delay > 0.0f ? options->delay : 0.0f;
  pool->sounding[pool->sounding_count++] = (voice_entry){slot, true, v->stop};
  pool->active++;
  if (v->stop < pool->next_stop)
    pool->next_stop = v->stop;
  return v;
}

void voice_start_sample(voice_pool *pool, uint32_t start, const float *samples, uint32_t length,
                        uint32_t buffer_ref, float gain, float pan) {
  voice_start_sample_with(pool, start, samples, length, buffer_ref, gain, pan, NULL);
}

void voice_start_sample_with(voice_pool *pool, uint32_t start, const float *samples,
                             uint32_t length, uint32_t buffer_ref, float gain, float pan,
                             const voice_options *options) {
  voice_slot *v = start_voice(pool, start, length, gain, pan, options);
  if (!v) {
    if (pool->release)
      pool->release(pool->release_owner, buffer_ref);
    return;
  }
  v->kind = VOICE_SAMPLE;
  v->samples = samples;
  v->samples_right = v->channels == 2 ? samples + length : samples;
  v->buffer_ref = buffer_ref;
}

void voice_start_live(voice_pool *pool, uint32_t start, const synth_bus *bus,
                      const synth_voice *synth, float gain, float pan) {
  voice_start_live_with(pool, start, bus, synth, gain, pan, NULL);
}

void voice_start_live_with(voice_pool *pool, uint32_t start, const synth_bus *bus,
                           const synth_voice *synth, float gain, float pan,
                           const voice_options *options) {
  voice_options live = options ? *options : (voice_options){0};
  live.channels = synth_channels(synth);
  voice_slot *v = start_voice(pool, start, synth->total_frames, gain, pan, &live);
  if (!v)
    return;
  v->kind = VOICE_LIVE;
  v->bus = *bus;
  v->voice = *synth;
  synth_start_channel(&v->state, &v->bus, &v->voice, 0);
  if (v->channels == 2)
    synth_start_channel(&pool->right_states[v - pool->voices], &v->bus, &v->voice, 1);
}

/* Where a voice's frames go: a dry pair and, when not NULL, its sends,
   frame `base` at index 0. */
typedef struct {
  float *dry[2], *room[2], *delay[2];
  uint64_t base;
} mix_target;

/* Adds `count` samples times gains to a pair, with the voice's fade from its
   start when it has begun: `from_left` to the left, `from_right` to the
   right (the same buffer for a mono voice). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
/* The mixer's inner loop, built for AVX2 where the machine has it
   (elementwise products and sums: the same bits). Not AVX-512: on many
   Intel cores its heavy instructions lower the clock of the core, and this
   runs on the audio thread. */
#define MIX_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MIX_CLONES
#endif

MIX_CLONES static void add_pair(const voice_slot *v, const float *from_left,
                                const float *from_right, float *restrict left,
                                float *restrict right, float gain_left, float gain_right,
                                uint32_t count, uint64_t frame) {
  if (v->fade_length == 0 || frame < v->fade_start) {
    for (uint32_t i = 0; i < count; ++i) {
      left[i] += from_left[i] * gain_left;
      right[i] += from_right[i] * gain_right;
    }
    return;
  }
  const uint64_t fade_end = v->fade_start + v->fade_length;
  for (uint32_t i = 0; i < count; ++i) {
    const float fade = (float)(fade_end - (frame + i)) / (float)v->fade_length;
    left[i] += from_left[i] * gain_left * fade;
    right[i] += from_right[i] * gain_right * fade;
  }
}

/* Adds `count` samples, the first at frame `frame`, into the target with the
   voice's gains and sends. */
static void add_samples(const voice_slot *v, const float *from_left, const float *from_right,
                        const mix_target *to, uint32_t count, uint64_t frame) {
  const uint64_t index = frame - to->base;
  add_pair(v, from_left, from_right, to->dry[0] + index, to->dry[1] + index, v->gain_left,
           v->gain_right, count, frame);
  if (to->room[0])
    add_pair(v, from_left, from_right, to->room[0] + index, to->room[1] + index,
             v->gain_left * v->room, v->gain_right * v->room, count, frame);
  if (to->delay[0])
    add_pair(v, from_left, from_right, to->delay[0] + index, to->delay[1] + index,
             v->gain_left * v->delay, v->gain_right * v->delay, count, frame);
}

/* Asks the processor to fetch a cached buffer's samples over absolute
   frames [from, to): the next block's, while the voices of this one mix. A
   buffer was rendered ahead, and by the time it plays it has left the
   nearer caches; the mixer's reads would otherwise wait on every line. */
static void prefetch_samples(const voice_slot *v, uint64_t from, uint64_t to) {
  if (to > v->stop)
    to = v->stop;
  const size_t line = 64 / sizeof(float);
  for (uint64_t frame = from; frame < to; frame += line) {
    __builtin_prefetch(v->samples + (frame - v->begin), 0, 2);
    if (v->samples_right != v->samples)
      __builtin_prefetch(v->samples_right + (frame - v->begin), 0, 2);
  }
}

/* Mixes the voice over absolute frames [from, to); true once it has ended. */
static bool mix_voice(voice_pool *pool, voice_slot *v, const mix_target *target, uint64_t from,
                      uint64_t to) {
  uint64_t frame = from > v->begin ? from : v->begin;
  const uint64_t end = to < v->stop ? to : v->stop;
  if (v->kind == VOICE_SAMPLE && end > frame)
    prefetch_samples(v, end, end + (to - from));
  while (frame < end) {
    uint64_t count = end - frame;
    if (v->fade_length > 0 && frame < v->fade_start && v->fade_start - frame < count)
      count = v->fade_start - frame; /* full gain up to the fade */
    const float *from_left, *from_right;
    if (v->kind == VOICE_SAMPLE) {
      from_left = v->samples + (frame - v->begin);
      from_right = v->samples_right + (frame - v->begin);
    } else {
      if (count > VOICE_BLOCK)
        count = VOICE_BLOCK;
      synth_render(&v->state, &v->bus, &v->voice, pool->scratch, (uint32_t)count);
      from_left = from_right = pool->scratch;
      if (v->channels == 2) {
        synth_render(&pool->right_states[v - pool->voices], &v->bus, &v->voice, pool->scratch_right,
                     (uint32_t)count);
        from_right = pool->scratch_right;
      }
    }
    add_samples(v, from_left, from_right, target, (uint32_t)count, frame);
    frame += count;
  }
  return to >= v->stop;
}

/* Tiny values become 0, so the output holds no subnormal whatever the voices. */
static void flush_tiny(float *restrict samples, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i)
    samples[i] = fabsf(samples[i]) < MIX_FLOOR ? 0.0f : samples[i];
}

/* Mixes every voice over frames [from, to) of the block, each into the
   target `place` gives it, then drops the ended ones. */
typedef void (*target_fn)(void *context, const voice_slot *v, mix_target *target);

static void mix_all(voice_pool *pool, uint32_t from, uint32_t to, target_fn place, void *context) {
  const uint64_t first = pool->block_start + from, end = pool->block_start + to;
  bool ended = false;
  for (uint32_t i = 0; i < pool->sounding_count; ++i) {
    voice_entry *entry = &pool->sounding[i];
    voice_slot *v = &pool->voices[entry->slot];
    mix_target target = {{NULL, NULL}, {NULL, NULL}, {NULL, NULL}, pool->block_start};
    if (v->begin < end && v->stop > first)
      place(context, v, &target);
    if (mix_voice(pool, v, &target, first, end)) {
      finish(pool, entry);
      ended = true;
    }
  }
  if (ended)
    compact(pool);
  if (to > pool->mixed_to)
    pool->mixed_to = to;
}

typedef struct {
  float *left, *right;
} one_pair;

static void to_one_pair(void *context, const voice_slot *v, mix_target *target) {
  (void)v;
  const one_pair *pair = context;
  target->dry[0] = pair->left;
  target->dry[1] = pair->right;
}

void voice_mix(voice_pool *pool, float *left, float *right, uint32_t from, uint32_t to) {
  one_pair pair = {left, right};
  mix_all(pool, from, to, to_one_pair, &pair);
  if (to > from) {
    flush_tiny(left + from, to - from);
    flush_tiny(right + from, to - from);
  }
}

typedef struct {
  orbit_inputs *in;
  uint64_t base;
} orbit_context;

/* A voice's orbit pair and sends, each zeroed when first used in the chunk. */
static void to_orbit(void *context, const voice_slot *v, mix_target *target) {
  const orbit_context *c = context;
  orbit_inputs *in = c->in;
  const uint32_t o = v->orbit;
  target->base = c->base;
  orbit_mark(&in->dry_used, in->dry[o], o, in->frames);
  target->dry[0] = in->dry[o][0];
  target->dry[1] = in->dry[o][1];
  if (v->room > 0.0f) {
    orbit_mark(&in->room_used, in->room[o], o, in->frames);
    target->room[0] = in->room[o][0];
    target->room[1] = in->room[o][1];
  }
  if (v->delay > 0.0f) {
    orbit_mark(&in->delay_used, in->delay[o], o, in->frames);
    target->delay[0] = in->delay[o][0];
    target->delay[1] = in->delay[o][1];
  }
}

void voice_mix_orbits(voice_pool *pool, orbit_inputs *in, uint32_t from, uint32_t to) {
  orbit_context context = {in, pool->block_start + from};
  mix_all(pool, from, to, to_orbit, &context);
}

void voice_end_block(voice_pool *pool) {
  pool->block_start += pool->mixed_to;
  pool->mixed_to = 0;
  pool->block_starts = 0;
}

void voice_release_all(voice_pool *pool) {
  const uint64_t now = mixed_frame(pool);
  for (uint32_t i = 0; i < pool->sounding_count; ++i)
    begin_fade(pool, &pool->sounding[i], now);
  pool->next_stop = UINT64_MAX;
}

uint32_t voice_count_sounding(const voice_pool *pool) { return pool->sounding_count; }

uint64_t voice_next_serial(const voice_pool *pool) { return pool->next_serial; }

uint64_t voice_oldest_live_sample(const voice_pool *pool) {
  for (uint32_t i = 0; i < pool->sounding_count; ++i) { /* in start order */
    const voice_slot *v = &pool->voices[pool->sounding[i].slot];
    if (v->kind == VOICE_LIVE && v->voice.sample)
      return v->serial;
  }
  return UINT64_MAX;
}
