/* The voice pool: exact start frames, equal-power pan, cached and live
   voices mixing bit-identically, stealing the oldest with a fade from the
   stealing note's frame (the same for any block size), the bounds on fades
   and starts, release, no subnormals. */
#include <check.h>

#include "check_run.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../plugin/voices/voices.h"

static int released;
static void count_release(void *owner, uint32_t ref) {
  (void)owner;
  (void)ref;
  released++;
}

static synth_bus saw_bus(void) {
  synth_bus bus;
  memset(&bus, 0, sizeof bus);
  bus.nodes[0].kind = SYNTH_SAW;
  bus.nodes[0].inputs[0] = (synth_input){SYNTH_FROM_PARAM, 0};
  bus.nodes[1].kind = SYNTH_ENV;
  bus.nodes[1].inputs[0] = (synth_input){SYNTH_FROM_NODE, 0};
  bus.nodes[1].inputs[1] = (synth_input){SYNTH_FROM_PARAM, 1};
  bus.nodes[1].inputs[2] = (synth_input){SYNTH_FROM_PARAM, 2};
  bus.node_count = 2;
  bus.param_count = 3;
  return bus;
}

static synth_voice saw_voice(uint32_t frames) {
  synth_voice v;
  memset(&v, 0, sizeof v);
  v.sample_rate = 48000.0f;
  v.gate_frames = frames - 480;
  v.total_frames = frames;
  v.params[0] = 220.0f;
  v.params[1] = 0.002f;
  v.params[2] = 0.01f;
  return v;
}

START_TEST(a_voice_starts_at_its_frame_inside_the_block) {
  voice_pool pool;
  ck_assert(voice_pool_init(&pool, 4, 48000, count_release, NULL));
  float ones[100], left[64] = {0}, right[64] = {0};
  for (int i = 0; i < 100; ++i)
    ones[i] = 1.0f;
  voice_start_sample(&pool, 17, ones, 100, 0, 1.0f, 0.5f);
  voice_mix(&pool, left, right, 0, 64);
  for (int i = 0; i < 17; ++i)
    ck_assert_float_eq(left[i], 0.0f);
  for (int i = 17; i < 64; ++i)
    ck_assert_float_gt(left[i], 0.0f);
  voice_pool_destroy(&pool);
}
END_TEST

/* A voice mixes into its orbit's dry pair and, with its send levels times
   its panned gains, into that orbit's sends; other orbits stay untouched. */
START_TEST(a_voice_mixes_into_its_orbit_and_sends) {
  voice_pool pool;
  ck_assert(voice_pool_init(&pool, 4, 48000, count_release, NULL));
  orbit_bank bank;
  ck_assert(orbit_bank_init(&bank, 48000));
  float ones[100];
  for (int i = 0; i < 100; ++i)
    ones[i] = 1.0f;
  voice_options to_3 = {1, 0, 0, 3, 0.5f, 0.25f}, to_5 = {1, 0, 0, 5, 0.0f, 0.0f};
  voice_start_sample_with(&pool, 10, ones, 100, 0, 1.0f, 0.0f, &to_3); /* hard left */
  voice_start_sample_with(&pool, 20, ones, 100, 0, 0.5f, 1.0f, &to_5); /* hard right, dry */
  orbit_inputs *in = orbit_begin_chunk(&bank, 64);
  voice_mix_orbits(&pool, in, 0, 64);
  ck_assert_uint_eq(in->dry_used, (1u << 3) | (1u << 5));
  ck_assert_uint_eq(in->room_used, 1u << 3);
  ck_assert_uint_eq(in->delay_used, 1u << 3);
  for (int i = 0; i < 64; ++i) {
    ck_assert_float_eq(in->dry[3][0][i], i < 10 ? 0.0f : 1.0f);
    ck_assert_float_eq(in->dry[3][1][i], 0.0f);
    ck_assert_float_eq(in->room[3][0][i], i < 10 ? 0.0f : 0.5f);
    ck_assert_float_eq(in->delay[3][0][i], i < 10 ? 0.0f : 0.25f);
    ck_assert_float_eq(in->dry[5][0][i], 0.0f);
    ck_assert_float_eq(in->dry[5][1][i], i < 20 ? 0.0f : 0.5f);
  }
  orbit_bank_destroy(&bank);
  voice_pool_destroy(&pool);
}
END_TEST

START_TEST(equal_power_pan_keeps_power_constant) {
  for (float pan = 0.0f; pan <= 1.0f; pan += 0.125f) {
    float l, r;
    voice_pan_gains(1.0f, pan, &l, &r);
    ck_assert_double_eq_tol(l * l + r * r, 1.0, 1e-6);
  }
  float l, r;
  voice_pan_gains(1.0f, 0.0f, &l, &r);
  ck_assert_float_eq(r, 0.0f);
  voice_pan_gains(1.0f, 0.5f, &l, &r);
  ck_assert_double_eq_tol(l, sqrt(0.5), 1e-6);
}
END_TEST

/* The pre-synthesized buffer and the live voice must give the same bits. */
START_TEST(cached_and_live_voices_mix_bit_identically) {
  synth_bus bus = saw_bus();
  synth_voice v = saw_voice(3000);
  float *buffer = malloc(3000 * sizeof(float));
  synth_state state;
  synth_start(&state, &bus, &v);
  synth_render(&state, &bus, &v, buffer, 3000);
  float out[2][2][4096];
  memset(out, 0, sizeof out);
  for (int mode = 0; mode < 2; ++mode) {
    voice_pool pool;
    ck_assert(voice_pool_init(&pool, 4, 48000, count_release, NULL));
    if (mode == 0)
      voice_start_sample(&pool, 5, buffer, 3000, 0, 0.7f, 0.3f);
    else
      voice_start_live(&pool, 5, &bus, &v, 0.7f, 0.3f);
    for (uint32_t from = 0; from < 4096; from += 100) {
      uint32_t to = from + 100 < 4096 ? from + 100 : 4096;
      voice_mix(&pool, out[mode][0], out[mode][1], from, to);
    }
    voice_pool_destroy(&pool);
  }
  ck_assert_int_eq(memcmp(out[0], out[1], sizeof out[0]), 0);
  free(buffer);
}
END_TEST

START_TEST(a_full_pool_steals_the_oldest_voice_with_a_fade) {
  voice_pool pool;
  released = 0;
  ck_assert(voice_pool_init(&pool, 2, 48000, count_release, NULL));
  static float ones[48000];
  for (int i = 0; i < 48000; ++i)
    ones[i] = 1.0f;
  voice_start_sample(&pool, 0, ones, 48000, 1, 1.0f, 0.0f);
  voice_start_sample(&pool, 0, ones, 48000, 2, 1.0f, 0.0f);
  voice_end_block(&pool); /* an empty block: at most 2 starts a block */
  voice_start_sample(&pool, 0, ones, 48000, 3, 1.0f, 0.0f); /* steals voice 1 */
  ck_assert_uint_eq(pool.stolen_count, 1);
  static float left[1024], right[1024];
  voice_mix(&pool, left, right, 0, 1024);
  /* Two full voices plus the stolen one fading from 1 to 0 over 241 frames. */
  ck_assert_float_gt(left[0], 2.5f);
  ck_assert_float_eq(left[1000], 2.0f);
  for (int i = 1; i < 241; ++i)
    ck_assert_float_le(left[i], left[i - 1]);
  ck_assert_int_eq(released, 1);
  voice_pool_destroy(&pool);
}
END_TEST

START_TEST(release_all_fades_every_voice_out_quickly) {
  voice_pool pool;
  ck_assert(voice_pool_init(&pool, 8, 48000, count_release, NULL));
  static float ones[48000];
  for (int i = 0; i < 48000; ++i)
    ones[i] = 1.0f;
  for (int i = 0; i < 5; ++i)
    voice_start_sample(&pool, 0, ones, 48000, 0, 1.0f, 0.0f);
  voice_release_all(&pool);
  static float left[1024], right[1024];
  voice_mix(&pool, left, right, 0, 1024);
  ck_assert_float_eq(left[300], 0.0f);
  ck_assert_uint_eq(voice_count_sounding(&pool), 0);
  voice_pool_destroy(&pool);
}
END_TEST

/* Tiny gains and tiny products become exact zeros, never subnormals. */
START_TEST(tiny_gains_and_products_mix_to_zero_not_subnormals) {
  float l, r;
  voice_pan_gains(1e-39f, 0.5f, &l, &r);
  ck_assert(l == 0.0f && r == 0.0f);
  voice_pan_gains(1.0f, 1.0f, &l, &r); /* cos(pi / 2) is not quite 0 */
  ck_assert(l == 0.0f && r == 1.0f);
  voice_pool pool;
  ck_assert(voice_pool_init(&pool, 4, 48000, count_release, NULL));
  static float tiny[1000];
  for (int i = 0; i < 1000; ++i)
    tiny[i] = 1e-30f * (float)(i + 1); /* normal, but times a gain of 1e-5: not */
  tiny[999] = 1.0f;
  voice_start_sample(&pool, 0, tiny, 1000, 0, 1e-5f, 0.3f);
  voice_start_sample(&pool, 0, tiny, 1000, 0, 1e-38f, 0.5f);
  static float left[1000], right[1000];
  voice_mix(&pool, left, right, 0, 1000);
  for (int i = 0; i < 1000; ++i) {
    ck_assert(fpclassify(left[i]) == FP_ZERO || fpclassify(left[i]) == FP_NORMAL);
    ck_assert(fpclassify(right[i]) == FP_ZERO || fpclassify(right[i]) == FP_NORMAL);
  }
  ck_assert_float_gt(left[999], 0.0f); /* what is not tiny still plays */
  voice_pool_destroy(&pool);
}
END_TEST

/* Runs `count` starts (frame, live or sample, gain) through a pool of
   `capacity` in blocks of `block`, as run() does: each block's starts, then
   its mix. Returns the left channel; *stolen gets the pool's steal count. */
typedef struct {
  uint32_t frame;
  bool live;
  float gain;
} start_at;

static float *mix_in_blocks(const start_at *starts, int count, uint32_t capacity, uint32_t frames,
                            uint32_t block, const synth_bus *bus, const synth_voice *v,
                            const float *buffer, uint64_t *stolen) {
  voice_pool pool;
  ck_assert(voice_pool_init(&pool, capacity, 48000, count_release, NULL));
  float *left = calloc(frames, sizeof(float)), *right = calloc(frames, sizeof(float));
  int next = 0;
  for (uint32_t at = 0; at < frames; at += block) {
    uint32_t n = frames - at < block ? frames - at : block;
    for (; next < count && starts[next].frame < at + n; ++next) {
      if (starts[next].live)
        voice_start_live(&pool, starts[next].frame - at, bus, v, starts[next].gain, 0.3f);
      else
        voice_start_sample(&pool, starts[next].frame - at, buffer, v->total_frames, 0,
                           starts[next].gain, 0.3f);
    }
    voice_mix(&pool, left + at, right + at, 0, n);
    voice_end_block(&pool);
  }
  *stolen = pool.stolen_count;
  voice_pool_destroy(&pool);
  free(right);
  return left;
}

/* A pool of 8 and 60 voices of 20000 frames, started in bursts of 4 within
   40 frames every 2400 frames (never more than 8 in a 4096-frame block): 25
   overlap, so most starts steal, and each steal fades from its own frame
   whatever the block size. */
START_TEST(stealing_is_bit_identical_for_any_block_size) {
  synth_bus bus = saw_bus();
  synth_voice v = saw_voice(20000);
  float *buffer = malloc(20000 * sizeof(float));
  synth_state state;
  synth_start(&state, &bus, &v);
  synth_render(&state, &bus, &v, buffer, 20000);
  start_at starts[60];
  for (int i = 0; i < 60; ++i)
    starts[i] = (start_at){3 + (uint32_t)(i / 4) * 2400 + (uint32_t)(i % 4) * 13, i % 3 == 0,
                           0.2f + 0.01f * (float)i};
  const uint32_t blocks[] = {1, 64, 1000, 4096}, frames = 60000;
  uint64_t stolen[4];
  float *outs[4];
  for (int b = 0; b < 4; ++b)
    outs[b] = mix_in_blocks(starts, 60, 8, frames, blocks[b], &bus, &v, buffer, &stolen[b]);
  ck_assert_uint_eq(stolen[0], 52);
  for (int b = 1; b < 4; ++b) {
    ck_assert_uint_eq(stolen[b], stolen[0]);
    for (uint32_t i = 0; i < frames; ++i)
      ck_assert_msg(outs[b][i] == outs[0][i], "block %u vs 1: frame %u: %g vs %g", blocks[b], i,
                    (double)outs[b][i], (double)outs[0][i]);
  }
  for (int b = 0; b < 4; ++b)
    free(outs[b]);
  free(buffer);
}
END_TEST

/* 256 voices of constant 1 sound; 200 starts one frame apart steal them one
   by one: each stolen voice fades from 1 to 0 from its stealer's frame over
   241 frames, none is cut, and the rest keep sounding. */
START_TEST(two_hundred_steals_within_a_fade_time_all_fade_from_their_frame) {
  voice_pool pool;
  ck_assert(voice_pool_init(&pool, 256, 48000, count_release, NULL));
  static float ones[48000], zeros[48000], left[1024], right[1024];
  for (int i = 0; i < 48000; ++i)
    ones[i] = 1.0f;
  const float gain = 0.01f;
  for (int i = 0; i < 256; ++i)
    voice_start_sample(&pool, 0, ones, 48000, 0, gain, 0.0f);
  voice_mix(&pool, left, right, 0, 100);
  voice_end_block(&pool);
  memset(left, 0, sizeof left);
  for (uint32_t i = 0; i < 200; ++i)
    voice_start_sample(&pool, 100 + i, zeros, 48000, 0, 1.0f, 0.0f);
  voice_mix(&pool, left, right, 0, 1024);
  ck_assert_uint_eq(pool.stolen_count, 200);
  ck_assert_uint_eq(pool.cut_count, 0);
  for (uint32_t f = 0; f < 1024; ++f) {
    double expected = 56.0; /* never stolen */
    for (uint32_t j = 0; j < 200; ++j) {
      const uint32_t stolen_at = 100 + j;
      if (f < stolen_at)
        expected += 1.0;
      else if (f < stolen_at + 241)
        expected += (double)(241 - (f - stolen_at)) / 241.0;
    }
    ck_assert_msg(fabs(left[f] - gain * expected) < 1e-4, "frame %u: %g, expected %g", f,
                  (double)left[f], gain * expected);
  }
  voice_pool_destroy(&pool);
}
END_TEST

/* More starts in one block than the pool holds could only steal each other:
   the first `capacity` start, the rest are dropped and counted. */
START_TEST(starts_beyond_the_pool_size_in_one_block_are_dropped_and_counted) {
  voice_pool pool;
  released = 0;
  ck_assert(voice_pool_init(&pool, 8, 48000, count_release, NULL));
  static float ones[4800], left[256], right[256];
  for (int i = 0; i < 4800; ++i)
    ones[i] = 1.0f;
  for (uint32_t i = 0; i < 20; ++i)
    voice_start_sample(&pool, i, ones, 4800, 0, 1.0f, 0.0f);
  ck_assert_uint_eq(pool.dropped_count, 12);
  ck_assert_int_eq(released, 12); /* their buffers given back at once */
  voice_mix(&pool, left, right, 0, 256);
  voice_end_block(&pool);
  ck_assert_float_eq(left[255], 8.0f);
  voice_start_sample(&pool, 0, ones, 4800, 0, 1.0f, 0.0f); /* a new block: starts again */
  ck_assert_uint_eq(pool.dropped_count, 12);
  ck_assert_uint_eq(pool.stolen_count, 1);
  voice_pool_destroy(&pool);
}
END_TEST

/* A pool of 2 in one-frame blocks, a start every frame: every start steals,
   more voices fade than the pool holds, and each fade beyond cuts the oldest
   fade. The slots in use never exceed three times the pool size. */
START_TEST(fades_beyond_the_pool_size_cut_the_oldest_fade) {
  voice_pool pool;
  ck_assert(voice_pool_init(&pool, 2, 48000, count_release, NULL));
  static float ones[4800];
  for (int i = 0; i < 4800; ++i)
    ones[i] = 1.0f;
  float left[1], right[1];
  for (int frame = 0; frame < 100; ++frame) {
    voice_start_sample(&pool, 0, ones, 4800, 0, 1.0f, 0.0f);
    left[0] = right[0] = 0.0f;
    voice_mix(&pool, left, right, 0, 1);
    voice_end_block(&pool);
    ck_assert_uint_le(voice_count_sounding(&pool), 4); /* 2 active, 2 fading */
    ck_assert_float_le(left[0], 4.0f);
  }
  ck_assert_uint_eq(pool.stolen_count, 98);
  ck_assert_uint_eq(pool.cut_count, 96);
  ck_assert_uint_eq(pool.dropped_count, 0);
  voice_pool_destroy(&pool);
}
END_TEST

int main(void) {
  Suite *s = suite_create("voices");
  TCase *tc = tcase_create("pool");
  tcase_add_test(tc, a_voice_starts_at_its_frame_inside_the_block);
  tcase_add_test(tc, equal_power_pan_keeps_power_constant);
  tcase_add_test(tc, a_voice_mixes_into_its_orbit_and_sends);
  tcase_add_test(tc, cached_and_live_voices_mix_bit_identically);
  tcase_add_test(tc, a_full_pool_steals_the_oldest_voice_with_a_fade);
  tcase_add_test(tc, release_all_fades_every_voice_out_quickly);
  tcase_add_test(tc, tiny_gains_and_products_mix_to_zero_not_subnormals);
  tcase_add_test(tc, stealing_is_bit_identical_for_any_block_size);
  tcase_add_test(tc, two_hundred_steals_within_a_fade_time_all_fade_from_their_frame);
  tcase_add_test(tc, starts_beyond_the_pool_size_in_one_block_are_dropped_and_counted);
  tcase_add_test(tc, fades_beyond_the_pool_size_cut_the_oldest_fade);
  suite_add_tcase(s, tc);
  return check_run(s);
}
