/* The sample player node, exact to the sample: speed 1 plays the file's
   values, begin/end pick the segment, a negative speed plays it backwards
   from its end, loop wraps, accelerate moves the speed each second, a stereo
   file's channels are read one per run, SuperDirt's fades, and any split of
   the frames gives the same bits. */
#include <check.h>

#include "check_run.h"
#include "test_synth_util.h"

#define FILE_FRAMES 1000
#define FADE 48 /* 1 ms at 48 kHz */

static float mono[FILE_FRAMES], stereo[2 * FILE_FRAMES];
static sample_data mono_file = {mono, FILE_FRAMES, 1, 7, "mono"};
static sample_data stereo_file = {stereo, FILE_FRAMES, 2, 8, "stereo"};

static void setup(void) {
  for (int i = 0; i < FILE_FRAMES; ++i) {
    mono[i] = 0.25f + (float)i / 4096.0f; /* every frame its own value */
    stereo[2 * i] = (float)i / 2048.0f;
    stereo[2 * i + 1] = -(float)i / 1024.0f;
  }
}

static synth_bus sample_bus(void) {
  synth_bus bus;
  memset(&bus, 0, sizeof bus);
  add_node(&bus, SYNTH_SAMPLE, 5, P(0), P(1), P(2), P(3), P(4));
  bus.param_count = 5;
  return bus;
}

static synth_voice sample_voice(const sample_data *file, float speed, float accelerate, float begin,
                                float end, float loop, uint32_t frames) {
  const float params[5] = {speed, accelerate, begin, end, loop};
  synth_voice voice = make_voice(frames, frames, 5, params);
  voice.sample = file;
  voice.sample_id = file ? file->id : 0;
  return voice;
}

static float *play(const synth_voice *voice) {
  synth_bus bus = sample_bus();
  return render_all(&bus, voice, voice->total_frames);
}

START_TEST(speed_one_plays_the_files_values_then_fades_out_over_a_millisecond) {
  synth_voice voice = sample_voice(&mono_file, 1, 0, 0, 1, 0, FILE_FRAMES);
  float *out = play(&voice);
  for (int i = 0; i < FILE_FRAMES - FADE; ++i)
    ck_assert_msg(out[i] == mono[i], "frame %d: %g, not %g", i, out[i], mono[i]);
  for (int i = FILE_FRAMES - FADE; i < FILE_FRAMES; ++i)
    ck_assert_float_eq(out[i], mono[i] * (float)((FILE_FRAMES - i) / (double)FADE));
  free(out);
}
END_TEST

START_TEST(begin_and_end_play_that_segment_fading_in_when_it_does_not_start_the_file) {
  synth_voice voice = sample_voice(&mono_file, 1, 0, 0.25f, 0.5f, 0, 400);
  float *out = play(&voice);
  for (int i = FADE; i < 250; ++i)
    ck_assert_msg(out[i] == mono[250 + i], "frame %d", i);
  ck_assert_float_eq(out[0], 0.0f);
  ck_assert_float_eq(out[FADE / 2], mono[250 + FADE / 2] * 0.5f);
  for (int i = 250; i < 400; ++i) /* past the segment: silence */
    ck_assert_float_eq(out[i], 0.0f);
  free(out);
}
END_TEST

START_TEST(a_negative_speed_plays_backwards_from_the_end) {
  synth_voice voice = sample_voice(&mono_file, -1, 0, 0, 0.5f, 0, 600);
  float *out = play(&voice);
  for (int i = 0; i < 500; ++i) /* no fade in: the segment starts the file */
    ck_assert_msg(out[i] == mono[499 - i], "frame %d: %g, not %g", i, out[i], mono[499 - i]);
  for (int i = 500; i < 600; ++i)
    ck_assert_float_eq(out[i], 0.0f);
  free(out);
}
END_TEST

START_TEST(speed_two_skips_every_other_frame_and_a_half_interpolates_between) {
  synth_voice fast = sample_voice(&mono_file, 2, 0, 0, 1, 0, 600);
  float *out = play(&fast);
  for (int i = 0; i < 500; ++i)
    ck_assert_msg(out[i] == mono[2 * i], "frame %d", i);
  ck_assert_float_eq(out[500], 0.0f);
  free(out);
  synth_voice slow = sample_voice(&mono_file, 0.5f, 0, 0, 1, 0, 1000);
  out = play(&slow);
  for (int i = 0; i < 450; ++i) {
    ck_assert_msg(out[2 * i] == mono[i], "frame %d", 2 * i);
    if (i > 0) /* a line through the neighbours: Catmull-Rom keeps it */
      ck_assert_float_eq_tol(out[2 * i + 1], (mono[i] + mono[i + 1]) / 2, 1e-6f);
  }
  free(out);
}
END_TEST

START_TEST(loop_wraps_the_segment_for_as_long_as_the_voice_lasts) {
  synth_voice voice = sample_voice(&mono_file, 1, 0, 0, 0.1f, 1, 350);
  float *out = play(&voice);
  for (int i = 0; i < 350 - FADE; ++i)
    ck_assert_msg(out[i] == mono[i % 100], "frame %d", i);
  free(out);
  voice = sample_voice(&mono_file, 1, 0, 0, 0.1f, 0, 350); /* without loop: silence after */
  out = play(&voice);
  ck_assert_float_eq(out[99], mono[99]);
  ck_assert_float_eq(out[100], 0.0f);
  free(out);
}
END_TEST

START_TEST(accelerate_adds_to_the_speed_each_second) {
  /* at 1000 Hz, accelerate 1000 adds 1 a frame: frame k reads k + k(k-1)/2 */
  synth_voice voice = sample_voice(&mono_file, 1, 1000, 0, 1, 0, 44);
  voice.sample_rate = 1000.0f;
  float *out = play(&voice);
  for (int k = 0; k < 44; ++k) { /* the fade (1 ms: one frame) leaves the last at full level */
    int position = k + k * (k - 1) / 2;
    ck_assert_msg(out[k] == mono[position], "frame %d: %g, not %g", k, out[k], mono[position]);
  }
  free(out);
}
END_TEST

START_TEST(a_stereo_file_plays_each_channel_on_its_own_run) {
  synth_bus bus = sample_bus();
  synth_voice voice = sample_voice(&stereo_file, 1, 0, 0, 1, 0, 500);
  ck_assert_uint_eq(synth_channels(&voice), 2);
  ck_assert_uint_eq(synth_channels(&(synth_voice){0}), 1);
  float out[2][500];
  for (uint32_t channel = 0; channel < 2; ++channel) {
    synth_state state;
    synth_start_channel(&state, &bus, &voice, channel);
    synth_render(&state, &bus, &voice, out[channel], 500);
  }
  for (int i = 0; i < 500 - FADE; ++i) {
    ck_assert(out[0][i] == stereo[2 * i]);
    ck_assert(out[1][i] == stereo[2 * i + 1]);
  }
}
END_TEST

START_TEST(any_split_of_the_frames_gives_the_same_bits) {
  synth_bus bus = sample_bus();
  synth_voice voice = sample_voice(&mono_file, -0.7f, 3.5f, 0.1f, 0.9f, 2, 3000);
  float *whole = render_all(&bus, &voice, 3000);
  float parts[3000];
  synth_state state;
  synth_start(&state, &bus, &voice);
  srand(5);
  for (uint32_t done = 0; done < 3000;) {
    uint32_t n = 1 + (uint32_t)(rand() % 97);
    if (n > 3000 - done)
      n = 3000 - done;
    synth_render(&state, &bus, &voice, parts + done, n);
    done += n;
  }
  ck_assert_int_eq(memcmp(whole, parts, sizeof parts), 0);
  free(whole);
}
END_TEST

START_TEST(no_file_or_an_empty_one_is_silence) {
  sample_data empty = {NULL, 0, 1, 9, "empty"};
  const sample_data *files[] = {NULL, &empty};
  for (int f = 0; f < 2; ++f) {
    synth_voice voice = sample_voice(files[f], 1, 0, 0, 1, 0, 100);
    float *out = play(&voice);
    for (int i = 0; i < 100; ++i)
      ck_assert_float_eq(out[i], 0.0f);
    free(out);
  }
}
END_TEST

/* Any parameters, absurd ones included, give finite output no louder than
   the file's peak times the cubic's overshoot, and never read outside it
   (the sanitizer build checks that). */
START_TEST(absurd_parameters_stay_finite_and_inside_the_file) {
  const float values[] = {0.0f,  1.0f,   -1.0f, 1e-9f,    -0.3f,     2.5f, 1000.0f, -1000.0f,
                          1e30f, -1e30f, NAN,   INFINITY, -INFINITY, 0.5f, 0.999f,  1e6f};
  const int count = (int)(sizeof values / sizeof values[0]);
  synth_bus bus = sample_bus();
  srand(11);
  for (int round = 0; round < 400; ++round) {
    float p[5];
    for (int i = 0; i < 5; ++i)
      p[i] = values[rand() % count];
    synth_voice voice =
        sample_voice(round % 2 ? &stereo_file : &mono_file, p[0], p[1], p[2], p[3], p[4], 4000);
    uint32_t channel = (uint32_t)(round % 4 == 3);
    float out[4000];
    synth_state state;
    synth_start_channel(&state, &bus, &voice, channel);
    synth_render(&state, &bus, &voice, out, 4000);
    for (int i = 0; i < 4000; ++i)
      ck_assert_msg(isfinite(out[i]) && fabsf(out[i]) <= 1.25f,
                    "round %d (%g %g %g %g %g) frame %d: %g", round, p[0], p[1], p[2], p[3], p[4],
                    i, out[i]);
  }
}
END_TEST

int main(void) {
  Suite *suite = suite_create("synth_sample");
  TCase *tc = tcase_create("sample");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, speed_one_plays_the_files_values_then_fades_out_over_a_millisecond);
  tcase_add_test(tc, begin_and_end_play_that_segment_fading_in_when_it_does_not_start_the_file);
  tcase_add_test(tc, a_negative_speed_plays_backwards_from_the_end);
  tcase_add_test(tc, speed_two_skips_every_other_frame_and_a_half_interpolates_between);
  tcase_add_test(tc, loop_wraps_the_segment_for_as_long_as_the_voice_lasts);
  tcase_add_test(tc, accelerate_adds_to_the_speed_each_second);
  tcase_add_test(tc, a_stereo_file_plays_each_channel_on_its_own_run);
  tcase_add_test(tc, any_split_of_the_frames_gives_the_same_bits);
  tcase_add_test(tc, no_file_or_an_empty_one_is_silence);
  tcase_add_test(tc, absurd_parameters_stay_finite_and_inside_the_file);
  suite_add_tcase(suite, tc);
  return check_run(suite);
}
