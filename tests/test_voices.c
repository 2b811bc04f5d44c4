/* The voice pool: exact start frames, equal-power pan, cached and live
   voices mixing bit-identically, stealing the oldest with a fade, release. */
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

int main(void) {
  Suite *s = suite_create("voices");
  TCase *tc = tcase_create("pool");
  tcase_add_test(tc, a_voice_starts_at_its_frame_inside_the_block);
  tcase_add_test(tc, equal_power_pan_keeps_power_constant);
  tcase_add_test(tc, cached_and_live_voices_mix_bit_identically);
  tcase_add_test(tc, a_full_pool_steals_the_oldest_voice_with_a_fade);
  tcase_add_test(tc, release_all_fades_every_voice_out_quickly);
  tcase_add_test(tc, tiny_gains_and_products_mix_to_zero_not_subnormals);
  suite_add_tcase(s, tc);
  return check_run(s);
}
