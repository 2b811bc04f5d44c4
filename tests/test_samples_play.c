/* Samples played by the plugin through lilv, from files the test writes
   (mono at 44.1 kHz, stereo at 48 kHz): pre-synthesized, live, with a
   threaded or synchronous worker and at any block size, the output is the
   same bits; a stereo file stays stereo; a cut group stops a voice of
   another line; samples and buses play together, a sample through a filter. */
#include <sndfile.h>
#include <unistd.h>

#include "plugin_harness.h"
#include "test_wav_util.h"

#define CYCLE 96000 /* 120 bpm, four beats a cycle */
#define CYCLES 3

static char *folder;

/* `name`.wav, `frames` long, of `channels` at `rate`: a decaying chirp per
   channel, the right one at another pitch, so every frame differs. */
static void write_wav(const char *name, int rate, int channels, int frames) {
  SNDFILE *file = open_test_wav(folder, name, rate, channels, SF_FORMAT_FLOAT);
  float *data = calloc((size_t)frames * (size_t)channels, sizeof(float));
  for (int i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c)
      data[i * channels + c] =
          (float)(0.8 * exp(-4.0 * i / frames) *
                  sin(2.0 * M_PI * (200.0 + 300.0 * c) * i / rate * (1.0 + (double)i / frames)));
  ck_assert_int_eq(sf_writef_float(file, data, frames), frames);
  sf_close(file);
  free(data);
}

static void setup(void) {
  folder = strdup("/tmp/cyclebus-play-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(folder));
  write_wav("zzkick", 44100, 1, 20000);
  write_wav("zzwide", 48000, 2, 30000);
  write_wav("zzhat", 44100, 1, 3000);
}

static void teardown(void) {
  char command[4300];
  snprintf(command, sizeof command, "rm -rf '%s'", folder);
  ck_assert_int_eq(system(command), 0);
  free(folder);
}

/* A program playing every sample control, and a bus beside them. */
static char *drum_program(void) {
  static const char body[] =
      "~bass $ saw # lpf 400\n"
      "~k $ sample \"<zzkick zzwide:0>\" # lpf 1500 # shape 0.3\n"
      "d1 $ s \"zzkick*4\" # speed \"<1 -1 1.5>\" # n \"<0 1>\"\n"
      "d2 $ s \"[~ zzwide]*2\" # begin 0.1 # end 0.6 # pan 0.3 # cut 1\n"
      "d3 $ s \"zzhat*16\" # note \"<0 7 -5>\" # gain 0.7 # lpf \"<2000 5000>\" # legato 0.5\n"
      "d4 $ s \"zzwide(3,8)\" # speed 2 # accelerate -1 # cut 1 # unit \"<r c>\"\n"
      "d5 $ s \"~bass ~ zzhat:3 ~bass\" # note \"c2\" # loop 2 # sustain 0.3\n"
      "d6 $ s \"~k(3,8)\" # speed \"<1 0.5 -2>\"\n";
  char *text = malloc(strlen(body) + 4400);
  snprintf(text, strlen(body) + 4400, "bpm: 120\nsamples: %s\n%s", folder, body);
  return text;
}

static float *render(render_mode mode, uint32_t block, cb_stats *stats) {
  char *text = drum_program();
  float *out = harness_render_mode(mode, text, CYCLES * CYCLE, block, stats);
  free(text);
  return out;
}

static void assert_identical(const float *a, const float *b, const char *what) {
  harness_assert_identical(a, b, CYCLES * CYCLE, what);
}

START_TEST(samples_sound_the_same_presynthesized_live_and_threaded) {
  cb_stats sync_stats, live_stats, threaded_stats;
  float *sync = render(PRESYNTH_SYNC, 256, &sync_stats);
  float *live = render(LIVE_ONLY, 256, &live_stats);
  float *threaded = render(PRESYNTH_THREADED, 256, &threaded_stats);
  ck_assert_uint_ge(sync_stats.triggers, 93);                  /* 31 events a cycle */
  ck_assert_uint_gt(sync_stats.hits, sync_stats.triggers / 2); /* most came from the cache */
  ck_assert_uint_eq(live_stats.hits, 0);
  assert_identical(sync, live, "pre-synthesis vs live");
  assert_identical(sync, threaded, "synchronous vs threaded worker");
  free(sync);
  free(live);
  free(threaded);
}
END_TEST

START_TEST(samples_sound_the_same_at_any_block_size) {
  cb_stats stats;
  float *reference = render(PRESYNTH_SYNC, 256, &stats);
  const uint32_t blocks[] = {1, 37, 4096};
  for (size_t i = 0; i < sizeof blocks / sizeof *blocks; ++i) {
    float *out = render(PRESYNTH_SYNC, blocks[i], &stats);
    char what[64];
    snprintf(what, sizeof what, "block %u vs 256", blocks[i]);
    assert_identical(reference, out, what);
    free(out);
  }
  free(reference);
}
END_TEST

/* Renders `program` (with the folder) live for one cycle. */
static float *render_one(const char *program) {
  char text[4800];
  snprintf(text, sizeof text, "bpm: 120\nsamples: %s\n%s", folder, program);
  cb_host *host = harness_host(true, 4096);
  ck_assert_str_eq(harness_load(host, text), "");
  float *out = harness_render(host, 120, CYCLE, 256);
  cb_host_free(host);
  return out;
}

/* A one-cycle render is planar: left frames, then right. */
static double energy(const float *out, int channel, uint32_t from, uint32_t to) {
  const float *x = out + (channel ? CYCLE : 0);
  double sum = 0.0;
  for (uint32_t i = from; i < to; ++i)
    sum += (double)x[i] * x[i];
  return sum;
}

START_TEST(a_stereo_file_stays_stereo_and_a_mono_one_is_centred) {
  float *wide = render_one("d1 $ s \"zzwide\"\n");
  float *mono = render_one("d1 $ s \"zzkick\"\n");
  bool differ = false;
  for (uint32_t i = 0; i < 20000; ++i) {
    differ = differ || wide[i] != wide[CYCLE + i];
    ck_assert(mono[i] == mono[CYCLE + i]);
  }
  ck_assert(differ);
  ck_assert(energy(wide, 1, 0, 30000) > 0.1 && energy(wide, 0, 0, 30000) > 0.1);
  free(wide);
  free(mono);
}
END_TEST

START_TEST(a_cut_group_stops_a_voice_of_another_line) {
  /* zzwide lasts 30000 frames; the hat on d2 starts at 12000 (an eighth) */
  float *uncut = render_one("d1 $ s \"zzwide ~\"\nd2 $ s \"~ zzhat ~ ~ ~ ~ ~ ~\"\n");
  float *cut = render_one("d1 $ s \"zzwide ~\" # cut 1\nd2 $ s \"~ zzhat ~ ~ ~ ~ ~ ~\" # cut 1\n");
  ck_assert_int_eq(memcmp(uncut, cut, 12000 * sizeof(float)), 0);
  /* after the hat (2721 frames at 48 kHz) and the fade, only the uncut plays */
  ck_assert(energy(uncut, 0, 16000, 30000) > 1e-3);
  ck_assert(energy(cut, 0, 16000, 30000) == 0.0);
  free(uncut);
  free(cut);
}
END_TEST

int main(void) {
  Suite *suite = suite_create("samples_play");
  TCase *tc = tcase_create("play");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, samples_sound_the_same_presynthesized_live_and_threaded);
  tcase_add_test(tc, samples_sound_the_same_at_any_block_size);
  tcase_add_test(tc, a_stereo_file_stays_stereo_and_a_mono_one_is_centred);
  tcase_add_test(tc, a_cut_group_stops_a_voice_of_another_line);
  suite_add_tcase(suite, tc);
  return check_run(suite);
}
