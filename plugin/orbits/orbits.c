/* The bank of orbits: the inputs voices mix into, the parameter changes
   events make (queued until the grid point they take effect at), and the
   per-chunk processing that runs each busy orbit's effects and sums the
   stems. Audio thread only, after orbit_bank_init. */
#include "orbits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "../prefault.h"
#include "orbits_private.h"

#define QUEUE_LENGTH 32 /* parameter changes per orbit waiting for their grid point */
#define OUTPUT_FLOOR 1e-30f

typedef struct {
  uint64_t frame;
  orbit_params params;
} orbit_change;

struct orbit_state {
  orbit_reverb reverb;
  orbit_delay delay;
  orbit_change queue[QUEUE_LENGTH];
  uint32_t queue_head, queue_count;
  float size, delaytime, feedback;
  bool lock;
  float scratch[2][ORBIT_CHUNK]; /* the orbit's output for the chunk */
};

double orbit_rt60(float size) {
  if (!(size >= 0.0f))
    size = 0.0f; /* NaN too */
  if (size > 1.0f)
    size = 1.0f;
  double loop_gain = 0.01 * pow(98.0, size);
  double rt60 = 0.75 / -log10(loop_gain);
  return rt60 < ORBIT_RT60_MAX ? rt60 : ORBIT_RT60_MAX;
}

bool orbit_bank_init(orbit_bank *bank, double sample_rate) {
  memset(bank, 0, sizeof *bank);
  bank->sample_rate = sample_rate;
  const size_t floats = (size_t)ORBIT_COUNT * 6 * ORBIT_CHUNK;
  bank->input_memory = calloc(floats, sizeof(float));
  bool ok = bank->input_memory != NULL;
  for (int o = 0; o < ORBIT_COUNT && ok; ++o) {
    struct orbit_state *st = calloc(1, sizeof *st);
    bank->orbits[o] = st;
    ok = st && reverb_init(&st->reverb, sample_rate) && delay_init(&st->delay, sample_rate);
    if (!ok)
      break;
    cb_prefault(st, sizeof *st);
    st->size = ORBIT_DEFAULT_SIZE;
    st->delaytime = ORBIT_DEFAULT_DELAYTIME;
    st->feedback = ORBIT_DEFAULT_DELAYFEEDBACK;
    reverb_set_rt60(&st->reverb, orbit_rt60(st->size));
  }
  if (!ok) {
    orbit_bank_destroy(bank);
    return false;
  }
  cb_prefault(bank->input_memory, floats * sizeof(float));
  float *next = bank->input_memory;
  for (int o = 0; o < ORBIT_COUNT; ++o)
    for (int c = 0; c < 2; ++c) {
      bank->inputs.dry[o][c] = next;
      bank->inputs.room[o][c] = next + ORBIT_CHUNK;
      bank->inputs.delay[o][c] = next + 2 * ORBIT_CHUNK;
      next += 3 * ORBIT_CHUNK;
    }
  return true;
}

void orbit_bank_destroy(orbit_bank *bank) {
  for (int o = 0; o < ORBIT_COUNT; ++o)
    if (bank->orbits[o]) {
      reverb_destroy(&bank->orbits[o]->reverb);
      delay_destroy(&bank->orbits[o]->delay);
      free(bank->orbits[o]);
    }
  free(bank->input_memory);
  memset(bank, 0, sizeof *bank);
}

void orbit_bank_commit(const orbit_bank *bank, uint32_t effects) {
  for (uint32_t o = 0; o < ORBIT_COUNT; ++o) {
    if (!bank->orbits[o])
      continue;
    if (effects & ORBIT_REVERB_BIT(o))
      orbit_memory_commit(&bank->orbits[o]->reverb.memory);
    if (effects & ORBIT_DELAY_BIT(o))
      orbit_memory_commit(&bank->orbits[o]->delay.memory);
  }
}

size_t orbit_bank_resident(const orbit_bank *bank, uint32_t effects) {
  size_t bytes = 0;
  for (uint32_t o = 0; o < ORBIT_COUNT; ++o) {
    if (effects & ORBIT_REVERB_BIT(o))
      bytes += orbit_memory_resident(&bank->orbits[o]->reverb.memory);
    if (effects & ORBIT_DELAY_BIT(o))
      bytes += orbit_memory_resident(&bank->orbits[o]->delay.memory);
  }
  return bytes;
}

orbit_inputs *orbit_begin_chunk(orbit_bank *bank, uint32_t frames) {
  bank->inputs.frames = frames > ORBIT_CHUNK ? ORBIT_CHUNK : frames;
  bank->inputs.dry_used = bank->inputs.room_used = bank->inputs.delay_used = 0;
  return &bank->inputs;
}

void orbit_set(orbit_bank *bank, uint32_t orbit, uint32_t start, const orbit_params *params) {
  if (orbit >= ORBIT_COUNT || !params->present)
    return;
  struct orbit_state *st = bank->orbits[orbit];
  uint64_t frame = bank->block_start + start;
  if (frame < bank->frame)
    frame = bank->frame;
  if (st->queue_count == QUEUE_LENGTH) {
    /* too many in one block: this one joins the newest waiting */
    orbit_change *newest = &st->queue[(st->queue_head + QUEUE_LENGTH - 1) % QUEUE_LENGTH];
    orbit_params merged = newest->params;
    uint32_t p = params->present;
    merged.present |= p;
    if (p & ORBIT_SET_SIZE)
      merged.size = params->size;
    if (p & ORBIT_SET_DELAYTIME)
      merged.delaytime = params->delaytime;
    if (p & ORBIT_SET_DELAYFEEDBACK)
      merged.delayfeedback = params->delayfeedback;
    if (p & ORBIT_SET_LOCK)
      merged.lock = params->lock;
    newest->params = merged;
    bank->overflows++;
    return;
  }
  orbit_change *slot = &st->queue[(st->queue_head + st->queue_count) % QUEUE_LENGTH];
  slot->frame = frame;
  slot->params = *params;
  st->queue_count++;
}

void orbit_end_block(orbit_bank *bank) { bank->block_start = bank->frame; }

static void apply(struct orbit_state *st, const orbit_params *p) {
  if ((p->present & ORBIT_SET_SIZE) && isfinite(p->size))
    st->size = p->size;
  if ((p->present & ORBIT_SET_DELAYTIME) && isfinite(p->delaytime))
    st->delaytime = p->delaytime;
  if ((p->present & ORBIT_SET_DELAYFEEDBACK) && isfinite(p->delayfeedback))
    st->feedback = p->delayfeedback;
  if (p->present & ORBIT_SET_LOCK)
    st->lock = p->lock;
}

/* The delay time in frames: seconds, or cycles of the host's tempo. */
static uint32_t delay_tap(const struct orbit_state *st, double frames_per_cycle,
                          double sample_rate) {
  double unit = st->lock ? frames_per_cycle : sample_rate;
  double frames = (double)st->delaytime * unit;
  double longest = ORBIT_DELAY_MAX_SECONDS * sample_rate;
  if (!(frames >= 1.0))
    return 1; /* NaN too */
  return (uint32_t)llround(frames < longest ? frames : longest);
}

static void grid_point(struct orbit_state *st, uint64_t frame, double frames_per_cycle,
                       double sample_rate) {
  while (st->queue_count > 0 && st->queue[st->queue_head].frame <= frame) {
    apply(st, &st->queue[st->queue_head].params);
    st->queue_head = (st->queue_head + 1) % QUEUE_LENGTH;
    st->queue_count--;
  }
  reverb_set_rt60(&st->reverb, orbit_rt60(st->size));
  delay_set(&st->delay, delay_tap(st, frames_per_cycle, sample_rate), st->feedback);
  reverb_grid_point(&st->reverb);
  delay_grid_point(&st->delay, frame);
}

/* Whether the orbit's effects have anything to do this chunk. */
static bool busy(const struct orbit_state *st, bool room, bool delay, double frames_per_cycle,
                 double sample_rate) {
  if (room || delay || st->queue_count > 0 || reverb_busy(&st->reverb) || delay_busy(&st->delay))
    return true;
  /* a locked delay time follows the tempo even while the delay sleeps */
  return st->lock && delay_tap(st, frames_per_cycle, sample_rate) != st->delay.tap;
}

static void copy_or_zero(float *to, const float *from, uint32_t frames) {
  if (from)
    memcpy(to, from, frames * sizeof(float));
  else
    memset(to, 0, frames * sizeof(float));
}

/* Writes orbit o's output for the chunk; false (and nothing written) when
   it is silent: no dry voice, effects asleep. */
static bool process_orbit(orbit_bank *bank, uint32_t o, double frames_per_cycle, float *out_left,
                          float *out_right) {
  struct orbit_state *st = bank->orbits[o];
  const orbit_inputs *in = &bank->inputs;
  const uint32_t bit = 1u << o, frames = in->frames;
  const bool dry = in->dry_used & bit, room = in->room_used & bit, delay = in->delay_used & bit;
  const bool effects = busy(st, room, delay, frames_per_cycle, bank->sample_rate);
  if (!dry && !effects)
    return false;
  copy_or_zero(out_left, dry ? in->dry[o][0] : NULL, frames);
  copy_or_zero(out_right, dry ? in->dry[o][1] : NULL, frames);
  if (!effects)
    return true;
  for (uint32_t done = 0; done < frames;) {
    const uint64_t frame = bank->frame + done;
    const uint32_t offset = (uint32_t)(frame % ORBIT_GRID);
    if (offset == 0)
      grid_point(st, frame, frames_per_cycle, bank->sample_rate);
    uint32_t n = ORBIT_GRID - offset;
    if (n > frames - done)
      n = frames - done;
    reverb_process(&st->reverb, room ? in->room[o][0] + done : NULL,
                   room ? in->room[o][1] + done : NULL, out_left + done, out_right + done, n,
                   offset);
    delay_process(&st->delay, delay ? in->delay[o][0] + done : NULL,
                  delay ? in->delay[o][1] + done : NULL, out_left + done, out_right + done, n,
                  offset, frame);
    done += n;
  }
  return true;
}

static void flush_tiny(float *samples, uint32_t frames) {
  for (uint32_t i = 0; i < frames; ++i)
    samples[i] = fabsf(samples[i]) < OUTPUT_FLOOR ? 0.0f : samples[i];
}

static void copy_out(float *to, const float *from, uint32_t frames) {
  if (to)
    memcpy(to, from, frames * sizeof(float));
}

/* Each orbit is mixed in the bank's own buffers and only copied to the
   host's: a host may give several outputs one buffer (Ardour does, for
   outputs its track does not use), so nothing is read back from them, and
   the main pair is written last. */
void orbit_process(orbit_bank *bank, double frames_per_cycle, float *main_left, float *main_right,
                   float *const (*stems)[2]) {
#if defined(__SSE__)
  /* flush-to-zero and denormals-are-zero while the effects run (restored
     after: the host's thread state is the host's) */
  const unsigned int csr = _mm_getcsr();
  _mm_setcsr(csr | 0x8040u);
#endif
  const uint32_t frames = bank->inputs.frames;
  float *mix_left = bank->mix[0], *mix_right = bank->mix[1];
  memset(mix_left, 0, frames * sizeof(float));
  memset(mix_right, 0, frames * sizeof(float));
  for (uint32_t o = 0; o < ORBIT_COUNT; ++o) {
    struct orbit_state *st = bank->orbits[o];
    float *left = st->scratch[0], *right = st->scratch[1];
    if (!process_orbit(bank, o, frames_per_cycle, left, right)) {
      if (stems) {
        memset(left, 0, frames * sizeof(float));
        memset(right, 0, frames * sizeof(float));
        copy_out(stems[o][0], left, frames);
        copy_out(stems[o][1], right, frames);
      }
      continue;
    }
    flush_tiny(left, frames);
    flush_tiny(right, frames);
    for (uint32_t i = 0; i < frames; ++i) {
      mix_left[i] += left[i];
      mix_right[i] += right[i];
    }
    if (stems) {
      copy_out(stems[o][0], left, frames);
      copy_out(stems[o][1], right, frames);
    }
  }
  flush_tiny(mix_left, frames);
  flush_tiny(mix_right, frames);
  copy_out(main_left, mix_left, frames);
  copy_out(main_right, mix_right, frames);
  bank->frame += frames;
  bank->inputs.dry_used = bank->inputs.room_used = bank->inputs.delay_used = 0;
#if defined(__SSE__)
  _mm_setcsr(csr);
#endif
}

void orbit_bank_clear_tails(orbit_bank *bank) {
  for (int o = 0; o < ORBIT_COUNT; ++o) {
    reverb_clear(&bank->orbits[o]->reverb);
    delay_clear(&bank->orbits[o]->delay);
  }
}

bool orbit_reverb_running(const orbit_bank *bank, uint32_t orbit) {
  return orbit < ORBIT_COUNT && bank->orbits[orbit]->reverb.running;
}

bool orbit_delay_running(const orbit_bank *bank, uint32_t orbit) {
  return orbit < ORBIT_COUNT && bank->orbits[orbit]->delay.running;
}
