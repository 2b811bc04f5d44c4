/* Orbits: eight effect buses, as SuperDirt's and Strudel's. Voices mix into
   their orbit's dry pair and, with the event's send levels, into its reverb
   and delay sends; each orbit runs a feedback-delay-network reverb and a
   tempo-aware feedback delay on those sends, and gives a stereo pair (a
   stem). Audio thread only after orbit_bank_init; nothing here allocates,
   locks or prints after it. An orbit whose effects have fallen below
   -120 dB costs nothing until a voice sends to it again. */
#ifndef CYCLEBUS_ORBITS_H
#define CYCLEBUS_ORBITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ORBIT_COUNT 8
#define ORBIT_CHUNK 256 /* frames per orbit_process call at most */

/* Orbit parameters an event sets (the orbit keeps them until another event
   changes them, as SuperDirt's global effects do). Values are clamped where
   they are applied: size 0..1, delaytime 0..ORBIT_DELAY_MAX_SECONDS (in
   cycles when lock), delayfeedback 0..ORBIT_FEEDBACK_MAX. */
enum {
  ORBIT_SET_SIZE = 1u << 0,
  ORBIT_SET_DELAYTIME = 1u << 1,
  ORBIT_SET_DELAYFEEDBACK = 1u << 2,
  ORBIT_SET_LOCK = 1u << 3,
};
typedef struct {
  uint32_t present; /* ORBIT_SET_* */
  float size;       /* reverb size 0..1 (SuperDirt's): sets the decay time, orbit_rt60() */
  float delaytime;  /* seconds, or cycles with lock */
  float delayfeedback;
  bool lock; /* delaytime counts cycles of the host's tempo */
} orbit_params;

#define ORBIT_DELAY_MAX_SECONDS 4.0 /* SuperDirt's maxDelayTime */
#define ORBIT_FEEDBACK_MAX 0.98f    /* Strudel's; SuperDirt's comb delay clips at 0.99 */
#define ORBIT_DEFAULT_SIZE 0.1f     /* SuperDirt's default */
#define ORBIT_DEFAULT_DELAYTIME 0.25f
#define ORBIT_DEFAULT_DELAYFEEDBACK 0.5f

/* The reverb's decay time in seconds (low and middle frequencies; highs
   decay in half that) for a size: SuperDirt's loop gain 0.01 * 98^size over
   a 0.25 s loop, 0.75 / -log10(gain) s: size 0.1 -> 0.42 s, 0.5 -> 0.74 s,
   0.8 -> 1.8 s, 0.9 -> 3.6 s, capped at ORBIT_RT60_MAX. */
#define ORBIT_RT60_MAX 20.0
double orbit_rt60(float size);

/* What voices mix into for the current chunk, per orbit: the dry pair and
   the two send pairs, frames at index 0.. of the chunk. A pair is zeroed
   when first written in a chunk; the bit masks say which were. */
typedef struct {
  float *dry[ORBIT_COUNT][2];
  float *room[ORBIT_COUNT][2];
  float *delay[ORBIT_COUNT][2];
  uint32_t dry_used, room_used, delay_used; /* bit per orbit, cleared by orbit_process */
  uint32_t frames;                          /* the chunk's length (set by orbit_begin_chunk) */
} orbit_inputs;

struct orbit_state; /* one orbit's effects (orbits.c) */

/* The plugin's orbits: made and freed off the audio thread (instantiate,
   cleanup); between the two the audio thread alone reads and writes it. */
typedef struct {
  double sample_rate;
  uint64_t frame;       /* absolute frames processed */
  uint64_t block_start; /* the current block's first frame */
  struct orbit_state *orbits[ORBIT_COUNT];
  orbit_inputs inputs;
  float *input_memory;
  float mix[2][ORBIT_CHUNK]; /* the main pair of the chunk, before it is copied out */
  uint64_t overflows;        /* parameter changes merged into a later one: too many in one block */
} orbit_bank;

/* Instantiate time (allocates every buffer, sized for sample_rate). The
   effects' lines are reserved there but, where the system allows, become
   resident only once committed (orbit_bank_commit) or written. */
bool orbit_bank_init(orbit_bank *bank, double sample_rate);

/* The effects, as bits: orbit o's reverb and its delay. */
#define ORBIT_REVERB_BIT(o) (1u << (o))
#define ORBIT_DELAY_BIT(o) (1u << (ORBIT_COUNT + (o)))
/* The effects a voice on `orbit` with these sends runs. */
static inline uint32_t orbit_effects_of(uint32_t orbit, float room, float delay) {
  if (orbit >= ORBIT_COUNT)
    return 0;
  return (room > 0.0f ? ORBIT_REVERB_BIT(orbit) : 0u) |
         (delay > 0.0f ? ORBIT_DELAY_BIT(orbit) : 0u);
}
/* Makes the lines of `effects` resident without changing them: the worker
   does it before the audio thread writes them (else run() takes the page
   faults of their first writes). Any thread; reads only what init set. */
void orbit_bank_commit(const orbit_bank *bank, uint32_t effects);
/* Bytes of the lines of `effects` that are resident (for tests and figures). */
size_t orbit_bank_resident(const orbit_bank *bank, uint32_t effects);
/* Cleanup time: frees what orbit_bank_init allocated. */
void orbit_bank_destroy(orbit_bank *bank);

/* Starts a chunk of `frames` (<= ORBIT_CHUNK): the inputs are empty. */
orbit_inputs *orbit_begin_chunk(orbit_bank *bank, uint32_t frames);

static inline void orbit_mark(uint32_t *used, float *const pair[2], uint32_t orbit,
                              uint32_t frames) {
  if (*used & (1u << orbit))
    return;
  *used |= 1u << orbit;
  for (uint32_t i = 0; i < frames; ++i)
    pair[0][i] = pair[1][i] = 0.0f;
}

/* An event's orbit parameters, from frame `start` of the current block (not
   before what was processed already). They take effect at the first point
   of the 64-frame grid of absolute frames at or after it, and glide there
   (decay time, feedback) or cross-fade (delay time), so that the output is
   the same however the host splits its blocks. */
void orbit_set(orbit_bank *bank, uint32_t orbit, uint32_t start, const orbit_params *params);
/* The block ends where the last orbit_process ended. */
void orbit_end_block(orbit_bank *bank);

/* Runs the effects over the chunk and writes (not adds) the outputs: the sum
   of every orbit into main, and each orbit alone into stems[o] when stems is
   not NULL (a NULL pair in it is skipped); the outputs may share buffers.
   frames_per_cycle: the host's tempo, for locked delay times. */
void orbit_process(orbit_bank *bank, double frames_per_cycle, float *main_left, float *main_right,
                   float *const (*stems)[2]);

/* Transport locate or stop: nothing to do; the tails ring out as in a DAW.
   At activate (the host restarts processing) the tails are cleared: every
   reverb and delay line zeroed, the effects asleep; parameters are kept.
   Allocates nothing, but writes every line (megabytes): not for run(). */
void orbit_bank_clear_tails(orbit_bank *bank);

/* True when orbit o's reverb / delay is running (for tests and figures). */
bool orbit_reverb_running(const orbit_bank *bank, uint32_t orbit);
bool orbit_delay_running(const orbit_bank *bank, uint32_t orbit);

#endif
