/* The voice pool: a fixed number of voices, each either playing a cached
   buffer (a sample voice) or running synth_render() in real time (a live
   voice), started at an exact frame inside a block and mixed with gain and
   equal-power pan. Everything here runs on the audio thread and allocates
   nothing after voice_pool_init(). */
#ifndef CYCLEBUS_VOICES_H
#define CYCLEBUS_VOICES_H

#include <stdbool.h>
#include <stdint.h>

#include "../synth/synth.h"

#define VOICE_DEFAULT_COUNT 256
/* Voices that are fading out after being stolen do not count against the
   pool size; this many extra slots hold them. */
#define VOICE_FADE_SLOTS 32
#define VOICE_BLOCK 256 /* live voices render in slices of at most this */

typedef enum { VOICE_FREE, VOICE_SAMPLE, VOICE_LIVE } voice_kind;

/* Called when a sample voice ends, to drop its reference on the buffer. */
typedef void (*voice_release_fn)(void *owner, uint32_t buffer_ref);

typedef struct {
  uint8_t kind;       /* voice_kind */
  bool stolen;        /* fading out; does not count as active */
  uint32_t start;     /* index in the current block where it starts (0 once running) */
  uint32_t position;  /* frames played */
  uint32_t length;    /* total frames */
  uint32_t fade_left; /* > 0: fading out over this many more frames */
  uint32_t fade_length;
  float gain_left, gain_right;
  uint64_t serial;      /* start order, for stealing the oldest */
  const float *samples; /* VOICE_SAMPLE: the cached buffer */
  uint32_t buffer_ref;  /* VOICE_SAMPLE: the owner's handle, given back at the end */
  synth_bus bus;        /* VOICE_LIVE: copies, so a program swap cannot pull them away */
  synth_voice voice;
  synth_state state;
} voice_slot;

/* Owner: the audio thread. */
typedef struct {
  voice_slot *voices; /* capacity + VOICE_FADE_SLOTS */
  /* The sounding slots in start order. Voices are mixed in this order, so the
     sum of each sample is formed the same way whatever the block size. */
  uint32_t *sounding;
  uint32_t sounding_count;
  uint32_t *free_slots; /* a stack of the free slots */
  uint32_t free_count;
  uint32_t capacity;
  uint32_t active;
  uint64_t next_serial;
  uint32_t fade_frames; /* steal / release fade length */
  float scratch[VOICE_BLOCK];
  voice_release_fn release;
  void *release_owner;
  uint64_t stolen_count;
} voice_pool;

/* Instantiate time (allocates). */
bool voice_pool_init(voice_pool *pool, uint32_t capacity, double sample_rate,
                     voice_release_fn release, void *release_owner);
void voice_pool_destroy(voice_pool *pool);

/* Equal-power pan: pan 0 = left, 0.5 = centre (both -3 dB), 1 = right. A
   channel gain below 1e-8 (-160 dB) is 0. */
void voice_pan_gains(float gain, float pan, float *left, float *right);

/* Starts a voice at index `start` of the current block. When the pool is
   full, the oldest voice is stolen: it fades out over a short fade. */
void voice_start_sample(voice_pool *pool, uint32_t start, const float *samples, uint32_t length,
                        uint32_t buffer_ref, float gain, float pan);
void voice_start_live(voice_pool *pool, uint32_t start, const synth_bus *bus,
                      const synth_voice *synth, float gain, float pan);

/* Adds frames [from, to) of every voice into left/right (indices inside the
   current block) and advances them, then sets what is below 1e-30 in
   magnitude there to 0 (no subnormal leaves the pool). Call with increasing
   ranges; then voice_end_block(). */
void voice_mix(voice_pool *pool, float *left, float *right, uint32_t from, uint32_t to);
void voice_end_block(voice_pool *pool);

/* Transport stop or locate: every voice fades out over a short fade. */
void voice_release_all(voice_pool *pool);

uint32_t voice_count_sounding(const voice_pool *pool);

#endif
