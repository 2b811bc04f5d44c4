/* Voices playing samples: a stereo sample's cached buffer (rendered by the
   render pool, left then right) and its live voice mix bit-identically, left
   channel to the left, right to the right; SuperDirt's cut groups fade the
   voices of a group from the new voice's frame. */
#include <check.h>

#include "check_run.h"
#include <stdlib.h>
#include <string.h>

#include "../plugin/presynth/presynth.h"
#include "../plugin/presynth/render_pool.h"
#include "../plugin/voices/voices.h"

#define FILE_FRAMES 2000

static float stereo[2 * FILE_FRAMES], mono[FILE_FRAMES];
static const sample_data stereo_file = {stereo, FILE_FRAMES, 2, 11, "stereo"};
static const sample_data mono_file = {mono, FILE_FRAMES, 1, 12, "mono"};

static void setup(void) {
  for (int i = 0; i < FILE_FRAMES; ++i) {
    stereo[2 * i] = 0.5f + (float)(i % 50) / 100.0f;
    stereo[2 * i + 1] = -0.25f - (float)(i % 30) / 100.0f;
    mono[i] = 0.5f;
  }
}

static void no_release(void *owner, uint32_t ref) {
  (void)owner;
  (void)ref;
}

static synth_bus sample_bus(void) {
  synth_bus bus;
  memset(&bus, 0, sizeof bus);
  bus.nodes[0].kind = SYNTH_SAMPLE;
  for (int i = 0; i < 5; ++i)
    bus.nodes[0].inputs[i] = (synth_input){SYNTH_FROM_PARAM, (uint8_t)i};
  bus.node_count = 1;
  bus.param_count = 5;
  return bus;
}

static synth_voice sample_voice(const sample_data *file, float speed, uint32_t frames) {
  synth_voice voice;
  memset(&voice, 0, sizeof voice);
  voice.sample_rate = 48000.0f;
  voice.gate_frames = voice.total_frames = frames;
  voice.params[0] = speed;
  voice.params[3] = 1.0f; /* end */
  voice.sample = file;
  voice.sample_id = file->id;
  return voice;
}

START_TEST(a_stereo_sample_cached_and_live_mixes_the_same_bits_channel_to_channel) {
  synth_bus bus = sample_bus();
  synth_voice voice = sample_voice(&stereo_file, 0.73f, 1800);
  presynth_entry entry;
  memset(&entry, 0, sizeof entry);
  entry.bus = bus;
  entry.voice = voice;
  const presynth_entry *entries[1] = {&entry};
  float *buffers[1] = {NULL};
  presynth_pool *renderer = presynth_pool_new(0);
  presynth_render_batch(renderer, entries, buffers, 1);
  presynth_pool_free(renderer);
  ck_assert_ptr_nonnull(buffers[0]);
  ck_assert_uint_eq(presynth_buffer_bytes(&voice), 2 * 1800 * sizeof(float));
  static float out[2][2][4096];
  memset(out, 0, sizeof out);
  for (int mode = 0; mode < 2; ++mode) {
    voice_pool pool;
    ck_assert(voice_pool_init(&pool, 4, 48000, no_release, NULL));
    voice_options options = {.channels = 2};
    if (mode == 0)
      voice_start_sample_with(&pool, 9, buffers[0], 1800, 0, 0.8f, 0.5f, &options);
    else
      voice_start_live_with(&pool, 9, &bus, &voice, 0.8f, 0.5f, NULL);
    for (uint32_t from = 0; from < 4096; from += 300) {
      uint32_t to = from + 300 < 4096 ? from + 300 : 4096;
      voice_mix(&pool, out[mode][0], out[mode][1], from, to);
    }
    voice_pool_destroy(&pool);
  }
  ck_assert_int_eq(memcmp(out[0], out[1], sizeof out[0]), 0);
  float left, right;
  voice_pan_gains(0.8f, 0.5f, &left, &right);
  ck_assert_float_eq(out[1][0][9], stereo[0] * left); /* each channel on its own side */
  ck_assert_float_eq(out[1][1][9], stereo[1] * right);
  ck_assert_float_lt(out[1][1][100], 0.0f);
  ck_assert_float_gt(out[1][0][100], 0.0f);
  free(buffers[0]);
}
END_TEST

/* Frames [0, 4000) of a pool where voice A starts at 0 and voice B at 1000
   with the given cut groups and samples; returns the left channel. */
static void play_two(int32_t cut_a, int32_t cut_b, const sample_data *b_file, float *left) {
  static float right[4000];
  memset(left, 0, 4000 * sizeof(float));
  voice_pool pool;
  ck_assert(voice_pool_init(&pool, 8, 48000, no_release, NULL));
  synth_bus bus = sample_bus();
  synth_voice a = sample_voice(&mono_file, 1, 2000), b = sample_voice(b_file, 1, 500);
  voice_options a_options = {.channels = 1, .cut = cut_a, .cut_sample = a.sample_id},
                b_options = {.channels = 1, .cut = cut_b, .cut_sample = b.sample_id};
  voice_start_live_with(&pool, 0, &bus, &a, 1.0f, 0.0f, &a_options);
  voice_mix(&pool, left, right, 0, 1000);
  voice_start_live_with(&pool, 1000, &bus, &b, 1.0f, 0.0f, &b_options);
  voice_mix(&pool, left, right, 1000, 4000);
  voice_pool_destroy(&pool);
}

START_TEST(a_cut_group_fades_its_sounding_voices_from_the_new_voices_frame) {
  static float uncut[4000], cut[4000];
  play_two(0, 0, &mono_file, uncut);
  play_two(1, 1, &mono_file, cut);
  ck_assert_int_eq(memcmp(uncut, cut, 1000 * sizeof(float)), 0); /* the same up to the cut */
  ck_assert_float_eq(uncut[1700], 0.5f);                         /* A alone, uncut */
  ck_assert_float_eq(cut[1700], 0.0f);                           /* A was cut: B ended at 1500 */
  ck_assert_float_lt(cut[1100], uncut[1100]);                    /* A fading under B */
  ck_assert_float_eq(cut[1000 + 241], 0.5f); /* the 5 ms fade (241 frames) is over */
  play_two(1, 2, &mono_file, cut);           /* another group: no cut */
  ck_assert_int_eq(memcmp(uncut, cut, sizeof uncut), 0);
  play_two(-1, -1, &stereo_file, cut); /* a negative group cuts only the same sample */
  ck_assert_float_eq(cut[1700], 0.5f);
  play_two(-1, -1, &mono_file, cut);
  ck_assert_float_eq(cut[1700], 0.0f);
}
END_TEST

/* What a retired program's samples must outlive: the live voices reading a
   sample, by start serial; cached voices and buses read no sample. */
START_TEST(the_oldest_live_voice_reading_a_sample_is_known_until_it_ends) {
  voice_pool pool;
  ck_assert(voice_pool_init(&pool, 8, 48000, no_release, NULL));
  static float left[4000], right[4000];
  synth_bus bus = sample_bus(), silent_bus = bus;
  silent_bus.nodes[0].kind = SYNTH_SINE;
  synth_voice reads = sample_voice(&mono_file, 1, 1000), plain = sample_voice(&mono_file, 1, 3000);
  plain.sample = NULL;
  ck_assert(voice_oldest_live_sample(&pool) == UINT64_MAX);
  voice_start_sample(&pool, 0, mono, 3000, 0, 1.0f, 0.5f);     /* serial 0: cached */
  voice_start_live(&pool, 0, &silent_bus, &plain, 1.0f, 0.5f); /* 1: a bus */
  voice_start_live(&pool, 10, &bus, &reads, 1.0f, 0.5f);       /* 2: reads the file */
  ck_assert(voice_next_serial(&pool) == 3);
  ck_assert(voice_oldest_live_sample(&pool) == 2);
  voice_mix(&pool, left, right, 0, 1009);
  ck_assert(voice_oldest_live_sample(&pool) == 2);
  voice_mix(&pool, left, right, 1009, 1011); /* it ended at frame 1010 */
  ck_assert(voice_oldest_live_sample(&pool) == UINT64_MAX);
  voice_pool_destroy(&pool);
}
END_TEST

int main(void) {
  Suite *suite = suite_create("voices_samples");
  TCase *tc = tcase_create("samples");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, a_stereo_sample_cached_and_live_mixes_the_same_bits_channel_to_channel);
  tcase_add_test(tc, a_cut_group_fades_its_sounding_voices_from_the_new_voices_frame);
  tcase_add_test(tc, the_oldest_live_voice_reading_a_sample_is_known_until_it_ends);
  suite_add_tcase(suite, tc);
  return check_run(suite);
}
