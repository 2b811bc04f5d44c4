/* The voice pool: a fixed number of voices, each either playing a cached
   buffer (a sample voice) or running synth_render() in real time (a live
   voice), started at an exact frame inside a block and mixed with gain and
   equal-power pan. Everything here runs on the audio thread and allocates
   nothing after voice_pool_init(). */
#ifndef CYCLEBUS_VOICES_H
#define CYCLEBUS_VOICES_H

#include <stdbool.h>
#include <stdint.h>

#include "../orbits/orbits.h"
#include "../synth/synth.h"

/* 64 voices: every one may have to synthesize live (notes too long to
   pre-render, a worker behind), and 64 live saw > lpf > env voices plus as
   many fading ones keep run()'s worst block under a quarter of a 256-frame
   period on a 2-core machine; 256 took 94 % of it (bench_rtbudget). */
#define VOICE_DEFAULT_COUNT 64
/* A larger pool size asked for gets VOICE_MAX_COUNT: 3 slots of ~10 KB each
   (a synth state), and as many second synth states (9.5 KB) for stereo
   samples played live, resident only for programs that play samples. */
#define VOICE_MAX_COUNT 4096
#define VOICE_BLOCK 256 /* live voices render in slices of at most this */

typedef enum { VOICE_FREE, VOICE_SAMPLE, VOICE_LIVE } voice_kind;

/* Called when a sample voice ends, to drop its reference on the buffer. */
typedef void (*voice_release_fn)(void *owner, uint32_t buffer_ref);

/* Times are absolute frames counted by the pool (voice_end_block advances
   them), so where a voice starts, fades and stops does not depend on how the
   host splits its blocks. */
typedef struct {
  uint8_t kind;         /* voice_kind */
  uint64_t serial;      /* start order */
  uint64_t begin;       /* its first frame */
  uint64_t stop;        /* the frame it falls silent at: its end, its fade's end or a cut */
  uint64_t fade_start;  /* with fade_length > 0: the first frame of its fade out */
  uint32_t fade_length; /* 0: not fading */
  float gain_left, gain_right;
  uint8_t channels;           /* 2: a stereo sample (left to left, right to right), else 1 */
  int32_t cut;                /* SuperDirt's cut group, 0: none */
  uint64_t cut_sample;        /* the sample it plays (a negative cut only cuts the same one) */
  uint8_t orbit;              /* the orbit it mixes into (voice_mix_orbits) */
  float room, delay;          /* its send levels to the orbit's reverb and delay, 0: none */
  const float *samples;       /* VOICE_SAMPLE: the cached buffer (channels one after the other) */
  const float *samples_right; /* VOICE_SAMPLE: its right channel (`samples` when mono) */
  uint32_t buffer_ref;        /* VOICE_SAMPLE: the owner's handle, given back at the end */
  synth_bus bus;              /* VOICE_LIVE: copies, so a program swap cannot pull them away */
  synth_voice voice;
  synth_state state; /* VOICE_LIVE (stereo: the left channel's; the right's is in right_states) */
} voice_slot;

/* A sounding voice, kept small so the searches of a start stay cheap. */
typedef struct {
  uint32_t slot;
  bool active;   /* counts against the pool size: not fading, not known to be over */
  uint64_t stop; /* while active: the frame its sound ends */
} voice_entry;

/* A fading voice: its slot and serial (to tell it from a later voice in the
   same slot) and the frame it falls silent at. */
typedef struct {
  uint32_t slot;
  uint64_t serial, stop;
} voice_fade;

/* Owner: the audio thread. At most `capacity` voices are active at any
   frame; a start beyond steals the oldest, which fades out over 5 ms from
   the new voice's frame. Up to `capacity` voices fade at once (stolen or
   released); one more fade cuts the one whose fade began first. At most
   `capacity` voices start in one block; the rest are dropped and counted
   (they could only steal each other). So at most 3 * capacity slots are ever
   taken: the voices sounding when the block began (active and fading) and
   those it started. */
typedef struct {
  voice_slot *voices; /* slot_count = 3 * capacity */
  /* slot_count: a stereo live voice's run of the graph for its right
     channel. Not resident until voice_pool_prepare_stereo makes it so. */
  synth_state *right_states;
  voice_entry *sounding; /* in start order, which is also the mixing order */
  uint32_t sounding_count;
  uint32_t *free_slots; /* a stack of the free slots */
  uint32_t free_count;
  voice_fade *fades; /* ring of the fading voices, in the order their fades began */
  uint32_t fade_head, fade_count;
  uint32_t capacity, slot_count;
  uint32_t active;
  uint64_t next_stop;    /* no active voice stops before this frame */
  uint64_t block_start;  /* the current block's first frame */
  uint32_t mixed_to;     /* frames of the current block mixed so far */
  uint32_t block_starts; /* voices started in the current block */
  uint64_t next_serial;
  uint32_t fade_frames; /* steal / release fade length */
  float scratch[VOICE_BLOCK];
  float scratch_right[VOICE_BLOCK];
  voice_release_fn release;
  void *release_owner;
  uint64_t stolen_count;  /* voices stolen */
  uint64_t cut_count;     /* fading voices cut short by yet another steal */
  uint64_t dropped_count; /* starts dropped: more than `capacity` in one block */
} voice_pool;

/* Instantiate time (allocates). */
bool voice_pool_init(voice_pool *pool, uint32_t capacity, double sample_rate,
                     voice_release_fn release, void *release_owner);
void voice_pool_destroy(voice_pool *pool);
/* Makes the right channels' synth states resident (1.8 MB for 64 voices):
   only a stereo sample played live writes them, so a program whose voices
   may carry a sample must come to run() after this. Any thread but the
   audio thread, also while it plays (the contents stay). */
void voice_pool_prepare_stereo(const voice_pool *pool);

/* Equal-power pan: pan 0 = left, 0.5 = centre (both -3 dB), 1 = right. A
   channel gain below 1e-8 (-160 dB) is 0. */
void voice_pan_gains(float gain, float pan, float *left, float *right);

/* Starts a voice at index `start` of the current block (not before what was
   mixed already). When `capacity` voices are active at that frame, the oldest
   is stolen: it fades out from that frame over a short fade. Starts must come
   in frame order within a block. Costs O(sounding voices) at most. */
void voice_start_sample(voice_pool *pool, uint32_t start, const float *samples, uint32_t length,
                        uint32_t buffer_ref, float gain, float pan);
void voice_start_live(voice_pool *pool, uint32_t start, const synth_bus *bus,
                      const synth_voice *synth, float gain, float pan);

/* What a start may add to gain and pan. cut (SuperDirt's): a voice
   starting in group g > 0 fades out every sounding voice of group g from
   its frame; g < 0 only those of group g playing the same sample
   (cut_sample). channels: a cached buffer's (2: left then right). orbit,
   room, delay: where voice_mix_orbits mixes it (an orbit < ORBIT_COUNT) and
   its send levels to that orbit's reverb and delay; they take the voice's
   panned signal, so the buffer it plays does not depend on them. */
typedef struct {
  uint32_t channels;
  int32_t cut;
  uint64_t cut_sample;
  uint8_t orbit;
  float room, delay;
} voice_options;

/* voice_start_sample and voice_start_live with options (NULL: mono, no cut).
   A live voice's channels are synth_channels(synth). */
void voice_start_sample_with(voice_pool *pool, uint32_t start, const float *samples,
                             uint32_t length, uint32_t buffer_ref, float gain, float pan,
                             const voice_options *options);
void voice_start_live_with(voice_pool *pool, uint32_t start, const synth_bus *bus,
                           const synth_voice *synth, float gain, float pan,
                           const voice_options *options);

/* Adds frames [from, to) of every voice into left/right (indices inside the
   current block) and advances them, then sets what is below 1e-30 in
   magnitude there to 0 (no subnormal leaves the pool). Call with increasing
   ranges; then voice_end_block(). */
void voice_mix(voice_pool *pool, float *left, float *right, uint32_t from, uint32_t to);
/* The same into the orbits' chunk (frames [from, to) of the block at index
   0.. of the chunk, to - from <= in->frames): each voice into its orbit's dry
   pair and, with its send levels, into the orbit's sends. voice_mix mixes
   every voice's dry signal into the one pair (no sends). */
void voice_mix_orbits(voice_pool *pool, orbit_inputs *in, uint32_t from, uint32_t to);
/* The block ends where the last voice_mix() ended. */
void voice_end_block(voice_pool *pool);

/* Transport stop or locate: every voice fades out over a short fade from
   the frame mixed so far. */
void voice_release_all(voice_pool *pool);

uint32_t voice_count_sounding(const voice_pool *pool);

/* The serial the next voice will get, and the oldest serial of a sounding
   live voice that reads a sample (UINT64_MAX: none): what a program's
   samples must outlive. O(sounding voices). */
uint64_t voice_next_serial(const voice_pool *pool);
uint64_t voice_oldest_live_sample(const voice_pool *pool);

#endif
