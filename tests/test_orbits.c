/* The orbits' effects: the reverb's decay time (from the energy decay curve
   of its impulse response) matches its setting, the delay's taps land on
   the exact frame at the host's tempo, the output is the same for any chunk
   size, no parameter makes a NaN or a subnormal, idle orbits stop after
   their tail has fallen below -120 dB, and each orbit has its own stem. */
#include <check.h>

#include "check_run.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../plugin/orbits/orbits.h"

#define RATE 48000.0

static bool harness_silent(const float *x, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; ++i)
    if (x[i] != 0.0f)
      return false;
  return true;
}

/* What a test feeds the bank: per frame, per orbit, the send inputs. */
typedef void (*feed_fn)(uint64_t frame, uint32_t orbit, float dry[2], float room[2],
                        float delay[2]);

/* Parameter changes a test makes at given frames. */
typedef struct {
  uint64_t frame;
  uint32_t orbit;
  orbit_params params;
} change;

/* Runs the bank for `frames` in host blocks of `block`, split into chunks as
   run() does; returns the main output (left, then right) and, when stems is
   not NULL, each orbit's (stems[o] = left then right). */
static float *run_bank(orbit_bank *bank, uint32_t frames, uint32_t block, feed_fn feed,
                       const change *changes, size_t change_count, double frames_per_cycle,
                       float **stems) {
  float *out = calloc(2 * (size_t)frames, sizeof(float));
  float *stem_memory[ORBIT_COUNT][2];
  for (uint32_t o = 0; o < ORBIT_COUNT; ++o)
    for (int c = 0; c < 2; ++c)
      stem_memory[o][c] = calloc(ORBIT_CHUNK, sizeof(float));
  size_t next_change = 0;
  for (uint32_t block_start = 0; block_start < frames; block_start += block) {
    uint32_t block_frames = frames - block_start < block ? frames - block_start : block;
    for (uint32_t done = 0; done < block_frames;) {
      uint32_t n = block_frames - done < ORBIT_CHUNK ? block_frames - done : ORBIT_CHUNK;
      while (next_change < change_count && changes[next_change].frame < block_start + done + n) {
        const change *c = &changes[next_change++];
        orbit_set(bank, c->orbit, (uint32_t)(c->frame - block_start), &c->params);
      }
      orbit_inputs *in = orbit_begin_chunk(bank, n);
      for (uint32_t o = 0; o < ORBIT_COUNT && feed; ++o)
        for (uint32_t i = 0; i < n; ++i) {
          float dry[2] = {0, 0}, room[2] = {0, 0}, delay[2] = {0, 0};
          feed(block_start + done + i, o, dry, room, delay);
          if (dry[0] != 0 || dry[1] != 0) {
            orbit_mark(&in->dry_used, in->dry[o], o, n);
            in->dry[o][0][i] += dry[0];
            in->dry[o][1][i] += dry[1];
          }
          if (room[0] != 0 || room[1] != 0) {
            orbit_mark(&in->room_used, in->room[o], o, n);
            in->room[o][0][i] += room[0];
            in->room[o][1][i] += room[1];
          }
          if (delay[0] != 0 || delay[1] != 0) {
            orbit_mark(&in->delay_used, in->delay[o], o, n);
            in->delay[o][0][i] += delay[0];
            in->delay[o][1][i] += delay[1];
          }
        }
      uint32_t at = block_start + done;
      orbit_process(bank, frames_per_cycle, out + at, out + frames + at,
                    stems ? (float *const(*)[2])stem_memory : NULL);
      if (stems)
        for (uint32_t o = 0; o < ORBIT_COUNT; ++o) {
          memcpy(stems[o] + at, stem_memory[o][0], n * sizeof(float));
          memcpy(stems[o] + frames + at, stem_memory[o][1], n * sizeof(float));
        }
      done += n;
    }
    orbit_end_block(bank);
  }
  for (uint32_t o = 0; o < ORBIT_COUNT; ++o)
    for (int c = 0; c < 2; ++c)
      free(stem_memory[o][c]);
  return out;
}

static uint64_t impulse_frame;
static void impulse_to_room(uint64_t frame, uint32_t orbit, float dry[2], float room[2],
                            float delay[2]) {
  (void)dry;
  (void)delay;
  if (orbit == 0 && frame == impulse_frame)
    room[0] = room[1] = 1.0f;
}

static void impulse_to_delay(uint64_t frame, uint32_t orbit, float dry[2], float room[2],
                             float delay[2]) {
  (void)dry;
  (void)room;
  if (orbit == 0 && frame == impulse_frame)
    delay[0] = 1.0f;
}

/* Second-order low-pass (two one-poles at `hz`): the decay time asked for
   is the one at low and middle frequencies. */
static void low_pass(float *x, uint32_t n, double hz) {
  double a = exp(-2.0 * M_PI * hz / RATE), s1 = 0, s2 = 0;
  for (uint32_t i = 0; i < n; ++i) {
    s1 = (1 - a) * x[i] + a * s1;
    s2 = (1 - a) * s1 + a * s2;
    x[i] = (float)s2;
  }
}

/* The decay time from Schroeder's backward-integrated energy decay curve:
   a least-squares line through its -5 to -35 dB part (T30), extended to
   -60 dB. */
static double measured_rt60(const float *ir, uint32_t n) {
  double *edc = malloc(n * sizeof(double));
  double sum = 0;
  for (uint32_t i = n; i-- > 0;) {
    sum += (double)ir[i] * ir[i];
    edc[i] = sum;
  }
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  uint32_t count = 0;
  for (uint32_t i = 0; i < n; ++i) {
    double db = 10.0 * log10(edc[i] / edc[0]);
    if (db > -5.0 || db < -35.0)
      continue;
    double t = i / RATE;
    sx += t;
    sy += db;
    sxx += t * t;
    sxy += t * db;
    count++;
  }
  free(edc);
  ck_assert_uint_gt(count, 100);
  double slope = (count * sxy - sx * sy) / (count * sxx - sx * sx); /* dB per second */
  return -60.0 / slope;
}

START_TEST(reverb_decay_time_is_within_ten_percent_of_its_setting) {
  const float sizes[] = {0.0f, 0.3f, 0.6f, 0.8f, 0.9f, 0.95f};
  for (size_t k = 0; k < sizeof sizes / sizeof *sizes; ++k) {
    orbit_bank bank;
    ck_assert(orbit_bank_init(&bank, RATE));
    double rt60 = orbit_rt60(sizes[k]);
    uint32_t settle = 24000, frames = settle + (uint32_t)(1.2 * rt60 * RATE) + 4800;
    change set = {0, 0, {.present = ORBIT_SET_SIZE, .size = sizes[k]}};
    impulse_frame = settle;
    float *out = run_bank(&bank, frames, 512, impulse_to_room, &set, 1, 96000.0, NULL);
    for (int c = 0; c < 2; ++c) {
      float *ir = out + (size_t)c * frames + settle;
      low_pass(ir, frames - settle, 500.0);
      double measured = measured_rt60(ir, frames - settle);
      if (getenv("CB_VERBOSE"))
        printf("size %.2f channel %d: RT60 %.3f s measured, %.3f s set\n", sizes[k], c, measured,
               rt60);
      ck_assert_msg(fabs(measured - rt60) <= 0.1 * rt60,
                    "size %.2f channel %d: RT60 %.3f s measured, %.3f s set", sizes[k], c, measured,
                    rt60);
    }
    free(out);
    orbit_bank_destroy(&bank);
  }
}
END_TEST

/* An effect's lines take memory only once the worker commits them or a
   voice sends to the effect (before: 13.6 MB for the 8 orbits at
   instantiate); a cleared bank leaves the unused ones untouched. */
START_TEST(effect_lines_become_resident_only_when_used) {
#if defined(__linux__)
  orbit_bank bank;
  ck_assert(orbit_bank_init(&bank, RATE));
  const uint32_t all = (1u << (2 * ORBIT_COUNT)) - 1;
  ck_assert_uint_eq(orbit_bank_resident(&bank, all), 0);
  orbit_bank_commit(&bank, ORBIT_DELAY_BIT(3));
  ck_assert_uint_ge(orbit_bank_resident(&bank, ORBIT_DELAY_BIT(3)),
                    (size_t)(2 * ORBIT_DELAY_MAX_SECONDS * RATE * sizeof(float)));
  ck_assert_uint_eq(orbit_bank_resident(&bank, all & ~ORBIT_DELAY_BIT(3)), 0);
  /* a send to orbit 1's reverb: what it writes becomes resident */
  for (int chunk = 0; chunk < 8; ++chunk) {
    orbit_inputs *in = orbit_begin_chunk(&bank, ORBIT_CHUNK);
    orbit_mark(&in->room_used, in->room[1], 1, ORBIT_CHUNK);
    in->room[1][0][0] = in->room[1][1][0] = 1.0f;
    float left[ORBIT_CHUNK], right[ORBIT_CHUNK];
    orbit_process(&bank, 96000.0, left, right, NULL);
    orbit_end_block(&bank);
  }
  ck_assert_uint_gt(orbit_bank_resident(&bank, ORBIT_REVERB_BIT(1)), 0);
  orbit_bank_clear_tails(&bank);
  ck_assert_uint_eq(orbit_bank_resident(&bank, all & ~ORBIT_DELAY_BIT(3) & ~ORBIT_REVERB_BIT(1)),
                    0);
  orbit_bank_destroy(&bank);
#endif
}
END_TEST

/* The sizes span SuperDirt's curve: small rooms to long halls. */
START_TEST(size_maps_to_superdirt_decay_times) {
  ck_assert_double_eq_tol(orbit_rt60(0.0f), 0.375, 1e-3);
  ck_assert_double_eq_tol(orbit_rt60(0.5f), 0.75 / (2.0 - 0.5 * log10(98.0)), 1e-6);
  ck_assert(orbit_rt60(0.9f) > 3.0 && orbit_rt60(0.9f) < 4.0);
  ck_assert_double_eq(orbit_rt60(1.0f), ORBIT_RT60_MAX);
  ck_assert_double_eq(orbit_rt60(NAN), orbit_rt60(0.0f));
  ck_assert_double_eq(orbit_rt60(7.0f), orbit_rt60(1.0f));
}
END_TEST

/* The echoes of an impulse at the delay time in cycles of the host's tempo
   (`lock 1`), rounded to the frame, each feedback times the last. */
static void check_taps(double frames_per_cycle, float cycles, float feedback) {
  orbit_bank bank;
  ck_assert(orbit_bank_init(&bank, RATE));
  change set = {0,
                0,
                {.present = ORBIT_SET_DELAYTIME | ORBIT_SET_DELAYFEEDBACK | ORBIT_SET_LOCK,
                 .delaytime = cycles,
                 .delayfeedback = feedback,
                 .lock = true}};
  uint64_t tap = (uint64_t)llround((double)cycles * frames_per_cycle);
  impulse_frame = 3000; /* after the cross-fade from the default delay time */
  uint32_t frames = (uint32_t)(impulse_frame + 4 * tap + 100);
  float *out = run_bank(&bank, frames, 256, impulse_to_delay, &set, 1, frames_per_cycle, NULL);
  float expected = 1.0f;
  for (uint32_t i = 0; i < frames; ++i) {
    bool echo = i > impulse_frame && (i - impulse_frame) % tap == 0;
    float want = echo ? expected : 0.0f;
    ck_assert_msg(out[i] == want, "frame %u: %g, expected %g (tap %llu)", i, out[i], want,
                  (unsigned long long)tap);
    if (echo)
      expected *= feedback;
    ck_assert_float_eq(out[frames + i], 0.0f); /* the right channel had no input */
  }
  free(out);
  orbit_bank_destroy(&bank);
}

START_TEST(delay_taps_land_on_the_exact_frame_at_the_host_tempo) {
  check_taps(96000.0, 3.0f / 16.0f, 0.5f);                /* 120 bpm: 18000 frames */
  check_taps(4 * 60.0 / 133.0 * RATE, 0.125f, 0.75f);     /* 133 bpm: 10827.07 -> 10827 */
  check_taps(4 * 60.0 / 97.0 * RATE, 1.0f / 3.0f, 0.25f); /* 97 bpm: 39587.63 -> 39588 */
}
END_TEST

START_TEST(delay_time_in_seconds_without_lock) {
  orbit_bank bank;
  ck_assert(orbit_bank_init(&bank, RATE));
  change set = {0, 0, {.present = ORBIT_SET_DELAYTIME, .delaytime = 0.1f}};
  impulse_frame = 2000;
  float *out = run_bank(&bank, 20000, 100, impulse_to_delay, &set, 1, 12345.0, NULL);
  const uint32_t tap = (uint32_t)lround(0.1f * RATE);
  ck_assert_float_eq(out[2000 + tap], 1.0f);
  ck_assert_float_eq(out[2000 + 2 * tap], ORBIT_DEFAULT_DELAYFEEDBACK);
  free(out);
  orbit_bank_destroy(&bank);
}
END_TEST

/* Noise bursts on several orbits' sends, with parameters changing at odd
   frames, tempo locked delays included. */
static uint32_t noise_state;
static float noise(uint64_t frame, uint32_t salt) {
  uint32_t x = (uint32_t)frame * 2654435761u ^ salt * 40503u;
  x ^= x >> 15;
  x *= 2246822519u;
  x ^= x >> 13;
  return (float)(x & 0xffff) / 32768.0f - 1.0f;
}

static void bursts(uint64_t frame, uint32_t orbit, float dry[2], float room[2], float delay[2]) {
  if (orbit > 3)
    return;
  uint64_t period = 9000 + 3000 * orbit, phase = (frame + 777 * orbit) % period;
  if (phase >= 2000)
    return;
  float x = noise(frame, orbit) * 0.5f;
  dry[0] = x;
  dry[1] = -x;
  if (orbit != 1) {
    room[0] = 0.3f * x;
    room[1] = 0.2f * x;
  }
  if (orbit != 2)
    delay[0] = delay[1] = 0.4f * x;
}

static const change burst_changes[] = {
    {0, 0, {.present = ORBIT_SET_SIZE, .size = 0.8f}},
    {1, 3, {.present = ORBIT_SET_DELAYTIME | ORBIT_SET_LOCK, .delaytime = 0.25f, .lock = true}},
    {5003,
     0,
     {.present = ORBIT_SET_DELAYTIME | ORBIT_SET_DELAYFEEDBACK,
      .delaytime = 0.05f,
      .delayfeedback = 0.9f}},
    {5004, 0, {.present = ORBIT_SET_SIZE, .size = 0.2f}},
    {20001, 1, {.present = ORBIT_SET_DELAYTIME, .delaytime = 0.003f}},
    {33333, 0, {.present = ORBIT_SET_SIZE, .size = 0.95f}},
    {33333, 2, {.present = ORBIT_SET_SIZE, .size = 0.6f}},
    {50000, 0, {.present = ORBIT_SET_DELAYTIME, .delaytime = 0.4f}},
    {50010, 0, {.present = ORBIT_SET_DELAYTIME, .delaytime = 0.2f}},
    {50100, 0, {.present = ORBIT_SET_DELAYTIME, .delaytime = 0.3f}},
};

START_TEST(any_chunking_gives_the_same_bits) {
  const uint32_t blocks[] = {1, 37, 64, 100, 256, 4096};
  const uint32_t frames = 96000;
  float *reference = NULL;
  for (size_t k = 0; k < sizeof blocks / sizeof *blocks; ++k) {
    orbit_bank bank;
    ck_assert(orbit_bank_init(&bank, RATE));
    float *out = run_bank(&bank, frames, blocks[k], bursts, burst_changes,
                          sizeof burst_changes / sizeof *burst_changes, 91234.5, NULL);
    if (!reference) {
      reference = out;
    } else {
      for (uint32_t i = 0; i < 2 * frames; ++i)
        ck_assert_msg(out[i] == reference[i], "block %u: sample %u differs (%g vs %g)", blocks[k],
                      i, out[i], reference[i]);
      free(out);
    }
    orbit_bank_destroy(&bank);
  }
  free(reference);
}
END_TEST

static bool bad(float x) { return !isfinite(x) || fpclassify(x) == FP_SUBNORMAL; }

static float loud_value;
static void loud_bursts(uint64_t frame, uint32_t orbit, float dry[2], float room[2],
                        float delay[2]) {
  (void)dry;
  if (frame % 24000 < 500) {
    float x = noise(frame, orbit) * loud_value;
    room[0] = delay[0] = x;
    room[1] = delay[1] = -x;
  } else if (frame % 24000 < 1000) {
    room[0] = delay[1] = 1e-37f; /* subnormal-sized input */
  }
}

START_TEST(no_parameter_makes_a_nan_or_a_subnormal) {
  const float sizes[] = {-1.0f, 0.0f, 0.5f, 1.0f, 2.0f, NAN, INFINITY, -INFINITY};
  const float times[] = {-1.0f, 0.0f, 1e-9f, 0.001f, 4.0f, 100.0f, NAN, INFINITY};
  const float feedbacks[] = {-1.0f, 0.0f, 0.98f, 1.0f, 10.0f, NAN, INFINITY, 0.5f};
  const float levels[] = {1.0f, 100.0f, 1e-20f};
  for (size_t v = 0; v < 3; ++v) {
    loud_value = levels[v];
    change changes[8 * ORBIT_COUNT];
    size_t n = 0;
    for (uint32_t o = 0; o < ORBIT_COUNT; ++o)
      for (uint32_t k = 0; k < 8; ++k)
        changes[n++] = (change){
            o * 1000 + k * 12000,
            o,
            {ORBIT_SET_SIZE | ORBIT_SET_DELAYTIME | ORBIT_SET_DELAYFEEDBACK | ORBIT_SET_LOCK,
             sizes[(k + o) % 8], times[(k + 3 * o) % 8], feedbacks[(k + 5 * o) % 8], k & 1}};
    /* sorted by frame */
    for (size_t i = 1; i < n; ++i)
      for (size_t j = i; j > 0 && changes[j].frame < changes[j - 1].frame; --j) {
        change t = changes[j];
        changes[j] = changes[j - 1];
        changes[j - 1] = t;
      }
    orbit_bank bank;
    ck_assert(orbit_bank_init(&bank, RATE));
    const uint32_t frames = 8 * 12000 + 48000;
    float *stems[ORBIT_COUNT];
    for (int o = 0; o < ORBIT_COUNT; ++o)
      stems[o] = calloc(2 * (size_t)frames, sizeof(float));
    float *out = run_bank(&bank, frames, 333, loud_bursts, changes, n, 1e-3, stems);
    for (uint32_t i = 0; i < 2 * frames; ++i) {
      ck_assert_msg(!bad(out[i]), "level %g: sample %u is %g", levels[v], i, out[i]);
      for (int o = 0; o < ORBIT_COUNT; ++o)
        ck_assert_msg(!bad(stems[o][i]), "orbit %d sample %u is %g", o, i, stems[o][i]);
    }
    for (int o = 0; o < ORBIT_COUNT; ++o)
      free(stems[o]);
    free(out);
    orbit_bank_destroy(&bank);
  }
}
END_TEST

/* After an impulse the reverb runs until its tail has fallen below -120 dB,
   then stops; the delay, once its echoes have died and its whole line has
   been rewritten. Until then, the output before the stop is that quiet. */
START_TEST(idle_orbits_stop_after_their_tail) {
  orbit_bank bank;
  ck_assert(orbit_bank_init(&bank, RATE));
  change set = {
      0,
      0,
      {.present = ORBIT_SET_SIZE | ORBIT_SET_DELAYFEEDBACK, .size = 0.5f, .delayfeedback = 0.5f}};
  impulse_frame = 100;
  float *out = run_bank(&bank, 256, 256, impulse_to_room, &set, 1, 96000.0, NULL);
  free(out);
  ck_assert(orbit_reverb_running(&bank, 0));
  ck_assert(!orbit_delay_running(&bank, 0));
  for (uint32_t o = 1; o < ORBIT_COUNT; ++o)
    ck_assert(!orbit_reverb_running(&bank, o) && !orbit_delay_running(&bank, o));
  /* -120 dB takes two decay times */
  uint32_t chunks = 0, expected = (uint32_t)(2.0 * orbit_rt60(0.5f) * RATE / 256);
  float last_peak = 0;
  while (orbit_reverb_running(&bank, 0)) {
    float *tail = run_bank(&bank, 256, 256, NULL, NULL, 0, 96000.0, NULL);
    last_peak = 0;
    for (uint32_t i = 0; i < 512; ++i)
      last_peak = fmaxf(last_peak, fabsf(tail[i]));
    free(tail);
    ck_assert_uint_lt(++chunks, 3 * expected);
  }
  ck_assert_uint_gt(chunks, expected / 2);
  ck_assert_float_lt(last_peak, 1e-6f);
  orbit_bank_destroy(&bank);
}
END_TEST

static void each_orbit_its_own(uint64_t frame, uint32_t orbit, float dry[2], float room[2],
                               float delay[2]) {
  if (frame % 4800 == orbit * 100) {
    dry[0] = dry[1] = 1.0f + (float)orbit;
    room[0] = orbit & 1 ? 0.5f : 0.0f;
    delay[1] = orbit & 2 ? 0.5f : 0.0f;
  }
}

START_TEST(each_orbit_sounds_on_its_own_stem_and_main_is_their_sum) {
  orbit_bank bank;
  ck_assert(orbit_bank_init(&bank, RATE));
  const uint32_t frames = 48000;
  float *stems[ORBIT_COUNT];
  for (int o = 0; o < ORBIT_COUNT; ++o)
    stems[o] = calloc(2 * (size_t)frames, sizeof(float));
  float *out = run_bank(&bank, frames, 512, each_orbit_its_own, NULL, 0, 96000.0, stems);
  for (uint32_t o = 0; o < ORBIT_COUNT; ++o) {
    /* the dry impulses are the stem's own, at its own frames: silence
       before the first, which is whole (effects answer later) */
    ck_assert(harness_silent(stems[o], 0, o * 100));
    ck_assert(harness_silent(stems[o] + frames, 0, o * 100));
    ck_assert_float_eq(stems[o][o * 100], 1.0f + (float)o);
    /* orbits 0 and 4 have no effects: nothing but their impulses */
    for (uint32_t i = 0; i < frames && (o == 0 || o == 4); ++i)
      ck_assert_float_eq(stems[o][i], i % 4800 == o * 100 ? 1.0f + (float)o : 0.0f);
    /* the others' effects sound on their stem only */
    ck_assert(!harness_silent(stems[o], o * 100 + 1, frames) ||
              !harness_silent(stems[o] + frames, o * 100 + 1, frames) || o == 0 || o == 4);
  }
  for (uint32_t i = 0; i < 2 * frames; ++i) {
    float sum = 0;
    for (int o = 0; o < ORBIT_COUNT; ++o)
      sum += stems[o][i];
    ck_assert_float_eq_tol(out[i], sum, 1e-5f);
  }
  for (int o = 0; o < ORBIT_COUNT; ++o)
    free(stems[o]);
  free(out);
  orbit_bank_destroy(&bank);
}
END_TEST

/* A host may give several outputs one buffer (Ardour connects the outputs a
   track does not use to shared scratch buffers) or none: the main pair is
   still the sum of the orbits. */
START_TEST(outputs_may_share_buffers) {
  const uint32_t frames = 188 * ORBIT_CHUNK;
  float *reference = NULL;
  for (int shared = 0; shared < 2; ++shared) {
    orbit_bank bank;
    ck_assert(orbit_bank_init(&bank, RATE));
    float *out = calloc(2 * (size_t)frames, sizeof(float));
    float own[ORBIT_COUNT][2][ORBIT_CHUNK], junk[ORBIT_CHUNK];
    for (uint32_t done = 0; done < frames; done += ORBIT_CHUNK) {
      orbit_inputs *in = orbit_begin_chunk(&bank, ORBIT_CHUNK);
      for (uint32_t o = 0; o < 4; ++o)
        for (uint32_t i = 0; i < ORBIT_CHUNK; ++i) {
          float dry[2] = {0, 0}, room[2] = {0, 0}, delay[2] = {0, 0};
          bursts(done + i, o, dry, room, delay);
          orbit_mark(&in->dry_used, in->dry[o], o, ORBIT_CHUNK);
          orbit_mark(&in->room_used, in->room[o], o, ORBIT_CHUNK);
          orbit_mark(&in->delay_used, in->delay[o], o, ORBIT_CHUNK);
          in->dry[o][0][i] = dry[0], in->dry[o][1][i] = dry[1];
          in->room[o][0][i] = room[0], in->room[o][1][i] = room[1];
          in->delay[o][0][i] = delay[0], in->delay[o][1][i] = delay[1];
        }
      float *left = out + done, *right = out + frames + done;
      float *stems[ORBIT_COUNT][2];
      for (uint32_t o = 0; o < ORBIT_COUNT; ++o) {
        stems[o][0] = shared ? (o == 0 ? left : o == 5 ? NULL : junk) : own[o][0];
        stems[o][1] = shared ? (o == 0 ? right : o == 5 ? NULL : junk) : own[o][1];
      }
      orbit_process(&bank, 96000.0, left, right, (float *const(*)[2])stems);
      orbit_end_block(&bank);
    }
    orbit_bank_destroy(&bank);
    if (!reference) {
      reference = out;
      continue;
    }
    for (uint32_t i = 0; i < 2 * frames; ++i)
      ck_assert_msg(out[i] == reference[i], "sample %u: %g with shared buffers, %g without", i,
                    out[i], reference[i]);
    free(out);
  }
  free(reference);
}
END_TEST

int main(void) {
  (void)noise_state;
  Suite *s = suite_create("orbits");
  TCase *tc = tcase_create("effects");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, size_maps_to_superdirt_decay_times);
  tcase_add_test(tc, reverb_decay_time_is_within_ten_percent_of_its_setting);
  tcase_add_test(tc, delay_taps_land_on_the_exact_frame_at_the_host_tempo);
  tcase_add_test(tc, delay_time_in_seconds_without_lock);
  tcase_add_test(tc, any_chunking_gives_the_same_bits);
  tcase_add_test(tc, no_parameter_makes_a_nan_or_a_subnormal);
  tcase_add_test(tc, idle_orbits_stop_after_their_tail);
  tcase_add_test(tc, each_orbit_sounds_on_its_own_stem_and_main_is_their_sum);
  tcase_add_test(tc, outputs_may_share_buffers);
  tcase_add_test(tc, effect_lines_become_resident_only_when_used);
  suite_add_tcase(s, tc);
  return check_run(s);
}
