/* The multi-out plugin (urn:cyclebus:stems) through lilv, as a DAW loads
   it: each orbit's stereo output carries that orbit's lines (with its reverb
   and delay) and nothing else, the main pair is their sum, and the plain
   plugin's one pair is the same mix, bit for bit. */
#include "plugin_harness.h"

#include <lilv/lilv.h>

#define CYCLE 96000
#define FRAMES (2 * CYCLE)

/* Orbit 0 plays at the cycle's start, orbit 3 (with a reverb) at its half,
   orbit 7 (with an echo a 16th of a cycle later, locked to the tempo) at
   three quarters; a short blip each. */
static const char program[] =
    "bpm: 120\n"
    "~x $ saw # env 0.001 0.02\n" /* with legato 0.02: 40 + 20 ms */
    "d1 $ s \"~x\" # note 0 # legato 0.02 # orbit 0\n"
    "d2 $ s \"~ ~x\" # note 7 # legato 0.02 # orbit 3 # room 0.6 # size 0.8\n"
    "d3 $ s \"~ ~ ~ ~x\" # note 12 # legato 0.02 # orbit 7 # delay 0.5 # delaytime 0.0625 # lock 1 "
    "# delayfeedback 0.5\n";

typedef struct {
  float *main; /* left then right, FRAMES each */
  float *stems[8];
} render;

static render play(const char *uri) {
  char error[512];
  cb_host_options options = {harness_bundle(), RATE, 256, true, true, 0, uri, 0};
  cb_host *host = cb_host_new(&options, error, sizeof error);
  ck_assert_msg(host != NULL, "%s", error);
  ck_assert_str_eq(harness_load(host, program), "");
  render r = {calloc(2 * FRAMES, sizeof(float)), {NULL}};
  for (int o = 0; o < 8 && uri; ++o)
    r.stems[o] = calloc(2 * FRAMES, sizeof(float));
  for (uint32_t done = 0; done < FRAMES; done += 256) {
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, 120, 0.0, 0.0, 4.0);
    cb_host_run(host, 256, r.main + done, r.main + FRAMES + done);
    for (int o = 0; o < 8 && uri; ++o) {
      char left[32], right[32];
      snprintf(left, sizeof left, "orbit%d_left", o);
      snprintf(right, sizeof right, "orbit%d_right", o);
      const float *l = cb_host_audio(host, left), *rr = cb_host_audio(host, right);
      ck_assert_ptr_nonnull(l);
      ck_assert_ptr_nonnull(rr);
      memcpy(r.stems[o] + done, l, 256 * sizeof(float));
      memcpy(r.stems[o] + FRAMES + done, rr, 256 * sizeof(float));
    }
  }
  cb_host_free(host);
  return r;
}

static void free_render(render *r) {
  free(r->main);
  for (int o = 0; o < 8; ++o)
    free(r->stems[o]);
}

static float peak(const float *x, uint32_t from, uint32_t to) {
  float p = 0;
  for (uint32_t i = from; i < to; ++i)
    p = fmaxf(p, fabsf(x[i]));
  return p;
}

START_TEST(each_stem_carries_its_own_orbit) {
  render r = play("urn:cyclebus:stems");
  const uint32_t starts[8] = {0, 0, 0, CYCLE / 2, 0, 0, 0, 3 * CYCLE / 4};
  for (int o = 0; o < 8; ++o) {
    for (int c = 0; c < 2; ++c) {
      const float *x = r.stems[o] + c * FRAMES;
      if (o != 0 && o != 3 && o != 7) {
        ck_assert_msg(harness_silent(x, 0, FRAMES), "orbit %d is not silent", o);
        continue;
      }
      /* silent until its line's first event, which sounds at once */
      ck_assert_msg(harness_silent(x, 0, starts[o]), "orbit %d sounds early", o);
      ck_assert_frames_near(harness_first_sound(x, starts[o], FRAMES), starts[o], 2);
    }
  }
  /* orbit 0 is dry: its blip (60 ms with the release) and nothing more */
  ck_assert(harness_silent(r.stems[0], 2880, CYCLE));
  /* orbit 3's reverb rings on after its blip, orbit 7's echo comes a 16th
     of a cycle after its note */
  ck_assert_float_gt(peak(r.stems[3], CYCLE / 2 + 9600, CYCLE / 2 + 48000), 1e-3f);
  const uint32_t echo = 3 * CYCLE / 4 + CYCLE / 16;
  ck_assert(harness_silent(r.stems[7], 3 * CYCLE / 4 + 2880, echo));
  ck_assert_float_gt(peak(r.stems[7], echo, echo + 2880), 0.2f * peak(r.stems[7], 0, echo));
  /* the main pair is the sum of the stems */
  for (uint32_t i = 0; i < 2 * FRAMES; ++i) {
    float sum = 0;
    for (int o = 0; o < 8; ++o)
      sum += r.stems[o][i];
    ck_assert_msg(fabsf(r.main[i] - sum) <= 1e-6f, "sample %u: main %g, stems %g", i, r.main[i],
                  sum);
  }
  free_render(&r);
}
END_TEST

START_TEST(the_plain_plugin_mixes_every_orbit_into_its_pair) {
  render stems = play("urn:cyclebus:stems");
  render plain = play(NULL);
  ck_assert(!harness_silent(plain.main, 0, 2 * FRAMES));
  for (uint32_t i = 0; i < 2 * FRAMES; ++i)
    ck_assert_msg(plain.main[i] == stems.main[i], "sample %u: %g vs %g", i, plain.main[i],
                  stems.main[i]);
  free_render(&stems);
  free_render(&plain);
}
END_TEST

/* A long reverb (orbit 1) and an echo with much feedback (orbit 2) sound,
   the transport stops (voices fade out, the tails ring on, as in a DAW);
   the host deactivates and activates the plugin: what rang before must not
   ring on, in the main pair or any stem, with nothing playing. */
static void tails_cleared_at_activate(const char *uri) {
  char error[512];
  cb_host_options options = {harness_bundle(), RATE, 256, true, true, 0, uri, 0};
  cb_host *host = cb_host_new(&options, error, sizeof error);
  ck_assert_msg(host != NULL, "%s", error);
  ck_assert_str_eq(harness_load(host, "bpm: 120\n~x $ saw # env 0.001 0.05\n"
                                      "d1 $ s \"~x\" # orbit 1 # room 0.8 # size 0.9\n"
                                      "d2 $ s \"~x\" # orbit 2 # delay 0.8 # delaytime 0.1 "
                                      "# delayfeedback 0.9\n"),
                   "");
  float *left = calloc(CYCLE, sizeof(float)), *right = calloc(CYCLE, sizeof(float));
  cb_host_send_position(host, 0, 1.0, 120, 0.0, 0.0, 4.0);
  for (uint32_t done = 0; done < CYCLE / 4; done += 256)
    cb_host_run(host, 256, left + done, right + done);
  cb_host_send_position(host, 0, 0.0, 120, 0.0, 0.5, 4.0); /* stop after the notes */
  for (uint32_t done = CYCLE / 4; done < CYCLE / 2; done += 256)
    cb_host_run(host, 256, left + done, right + done);
  /* the tails ring after the voices' fades */
  ck_assert_float_gt(peak(left, CYCLE / 2 - 4800, CYCLE / 2), 1e-3f);
  LilvInstance *instance = cb_host_instance(host);
  lilv_instance_deactivate(instance);
  lilv_instance_activate(instance);
  cb_host_send_position(host, 0, 0.0, 120, 0.0, 0.5, 4.0);
  for (uint32_t done = 0; done < CYCLE; done += 256) {
    cb_host_run(host, 256, left + done, right + done);
    for (int o = 0; o < 8 && uri; ++o) {
      char l[32], r[32];
      snprintf(l, sizeof l, "orbit%d_left", o);
      snprintf(r, sizeof r, "orbit%d_right", o);
      ck_assert_msg(harness_silent(cb_host_audio(host, l), 0, 256) &&
                        harness_silent(cb_host_audio(host, r), 0, 256),
                    "orbit %d rings on at frame %u after activate", o, done);
    }
  }
  ck_assert_msg(harness_silent(left, 0, CYCLE) && harness_silent(right, 0, CYCLE),
                "the main pair rings on after activate: frame %u",
                harness_first_sound(left, 0, CYCLE));
  free(left);
  free(right);
  cb_host_free(host);
}

START_TEST(activate_clears_the_tails_of_the_multi_out_plugin) {
  tails_cleared_at_activate("urn:cyclebus:stems");
}
END_TEST

START_TEST(activate_clears_the_tails_of_the_plain_plugin) { tails_cleared_at_activate(NULL); }
END_TEST

int main(void) {
  Suite *s = suite_create("stems");
  TCase *tc = tcase_create("multi-out");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, each_stem_carries_its_own_orbit);
  tcase_add_test(tc, the_plain_plugin_mixes_every_orbit_into_its_pair);
  tcase_add_test(tc, activate_clears_the_tails_of_the_multi_out_plugin);
  tcase_add_test(tc, activate_clears_the_tails_of_the_plain_plugin);
  suite_add_tcase(s, tc);
  return check_run(s);
}
