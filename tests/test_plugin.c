/* Integration: the built bundle loaded through lilv like a host loads it,
   run with a rolling transport. Sound exactly where the pattern has events
   (to the sample), silence where it has none; the default program plays with
   no setup; a bad program is reported and the old one keeps playing. */
#include "../plugin/pattern/pattern.h"
#include "plugin_harness.h"

#define CYCLE 96000 /* frames per cycle at 120 bpm, 48 kHz, one bar a cycle */

START_TEST(a_fresh_instance_plays_its_default_program) {
  cb_host *host = harness_host(true, 1024);
  float *out = harness_render(host, 120, 2 * CYCLE, 256);
  ck_assert(!harness_silent(out, 0, 2 * CYCLE));
  ck_assert_str_eq(cb_host_status(host, NULL), "");
  free(out);
  cb_host_free(host);
}
END_TEST

/* (3,8) hits steps 0, 3 and 6; each event is 1/8 cycle long, plus a 10 ms
   release. The envelope's first sample is 0, so sound starts at the onset
   or one frame after it, and nowhere else. */
static void check_euclid_onsets(uint32_t block, bool sync_worker) {
  cb_host *host = harness_host(sync_worker, 4096);
  ck_assert_str_eq(harness_load(host, "bpm: 120\n~x $ saw 220 # env 0.001 0.01\n"
                                      "d1 $ s \"~x(3,8)\"\n"),
                   "");
  uint32_t frames = 4 * CYCLE;
  float *out = harness_render(host, 120, frames, block);
  const uint32_t steps[3] = {0, 3, 6}, length = CYCLE / 8 + 480;
  uint32_t silent_from = 0;
  for (uint32_t cycle = 0; cycle < 4; ++cycle) {
    for (int i = 0; i < 3; ++i) {
      uint32_t onset = cycle * CYCLE + steps[i] * CYCLE / 8;
      ck_assert_msg(harness_silent(out, silent_from, onset), "sound before onset %u", onset);
      uint32_t first = harness_first_sound(out, onset, onset + 100);
      ck_assert_msg(first == onset || first == onset + 1, "onset %u sounded at %u", onset, first);
      ck_assert(!harness_silent(out, onset + length - 600, onset + length - 480));
      silent_from = onset + length;
    }
  }
  ck_assert(harness_silent(out, silent_from, frames));
  free(out);
  cb_host_free(host);
}

START_TEST(euclid_onsets_are_exact_to_the_sample) {
  check_euclid_onsets(256, true);
  check_euclid_onsets(37, false);
}
END_TEST

/* q.cb's onsets are where the pattern engine puts them. */
START_TEST(q_onsets_are_where_the_pattern_puts_them) {
  cb_host *host = harness_host(true, 4096);
  char *text = harness_read("examples/q.cb");
  ck_assert_str_eq(harness_load(host, text), "");
  uint32_t frames = 4 * CYCLE;
  float *out = harness_render(host, 120, frames, 512);

  pat_store *store = pat_store_new();
  pat_error error;
  const pat_pattern *p = pat_parse(store, "~x(7,17)", 8, 1, 1, &error);
  ck_assert_ptr_nonnull(p);
  static unsigned char memory[1 << 16];
  pat_arena arena;
  pat_arena_init(&arena, memory, sizeof memory);
  const pat_event *events;
  pat_arc span = {pat_rat_int(0), pat_rat_int(4)};
  size_t count = pat_query(p, span, &arena, &events);
  ck_assert_uint_eq(count, 28);
  for (size_t i = 0; i < count; ++i) {
    uint32_t onset = (uint32_t)ceil(pat_rat_to_double(events[i].whole.begin) * CYCLE - 1e-6);
    ck_assert_msg(harness_silent(out, onset - 200, onset), "sound before onset %u", onset);
    uint32_t first = harness_first_sound(out, onset, onset + 50);
    ck_assert_msg(first <= onset + 1, "onset %u sounded at %u", onset, first);
  }
  pat_store_free(store);
  free(text);
  free(out);
  cb_host_free(host);
}
END_TEST

START_TEST(a_bad_program_is_reported_and_the_old_one_keeps_playing) {
  cb_host *host = harness_host(false, 1024);
  const char *status = harness_load(host, "bpm: 120\n~x $ saw\nd1 $ s \"~x(3,8\"\n");
  ck_assert_msg(strncmp(status, "3:", 2) == 0, "status was '%s'", status);
  float *out = harness_render(host, 120, CYCLE, 256);
  ck_assert(!harness_silent(out, 0, CYCLE)); /* the default program still plays */
  free(out);
  cb_host_free(host);
}
END_TEST

START_TEST(patch_get_answers_with_the_program_text) {
  cb_host *host = harness_host(true, 1024);
  const char *text = "~x $ sine\nd1 $ s \"~x*2\"\n";
  ck_assert_str_eq(harness_load(host, text), "");
  float l[64], r[64];
  cb_host_send_get(host, 0);
  cb_host_run(host, 64, l, r);
  ck_assert_ptr_nonnull(cb_host_program_reply(host));
  ck_assert_str_eq(cb_host_program_reply(host), text);
  cb_host_free(host);
}
END_TEST

START_TEST(a_stopped_transport_is_silent_after_the_release) {
  cb_host *host = harness_host(true, 1024);
  float l[1024], r[1024];
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  for (int i = 0; i < 100; ++i) {
    cb_host_run(host, 1024, l, r);
    if (i > 2)
      ck_assert(harness_silent(l, 0, 1024) && harness_silent(r, 0, 1024));
  }
  cb_host_free(host);
}
END_TEST

static int zero_crossings(const float *x, uint32_t from, uint32_t to) {
  int count = 0;
  for (uint32_t i = from + 1; i < to; ++i)
    count += (x[i - 1] < 0.0f) != (x[i] < 0.0f);
  return count;
}

START_TEST(the_transpose_port_shifts_every_note) {
  int crossings[2];
  for (int i = 0; i < 2; ++i) {
    cb_host *host = harness_host(true, 1024);
    ck_assert_str_eq(
        harness_load(host, "~x $ sine # env 0.001 0.01\nd1 $ s \"~x\" # note \"a4\"\n"), "");
    cb_host_set_control(host, "transpose", i == 0 ? 0.0f : 12.0f);
    float *out = harness_render(host, 120, CYCLE, 256);
    crossings[i] = zero_crossings(out, 1000, 49000); /* one second: 2 x 220 Hz, or 2 x 440 Hz */
    free(out);
    cb_host_free(host);
  }
  ck_assert_int_le(abs(crossings[0] - 440), 2);
  ck_assert_int_le(abs(crossings[1] - 880), 2);
}
END_TEST

/* Absurd values through the whole plugin: each program compiles (the values
   are clamped, docs/language.md "Absurd values") or is refused with a line and
   column; either way the output stays finite, bounded and free of denormals,
   and a refused program leaves the previous one playing. */
START_TEST(absurd_programs_play_clean_or_are_refused) {
  static const char *const lines[] = {
      "~x $ saw # lpf 1e9\nd1 $ s \"~x*4\"",
      "~x $ saw\nd1 $ s \"~x*4\" # note 1000",
      "~x $ saw\nd1 $ s \"~x*4\" # gain \"-1e400\"",
      "~x $ saw\nd1 $ s \"~x*4\" # gain 1e400 # lpf 1e12 # res 1e9",
      "~x $ saw\nd1 $ s \"~x*4\" # legato 0",
      "~x $ saw\nd1 $ s \"~x*4\" # legato 1e6",
      "~x $ saw\nd1 $ s \"~x*100000\" # note \"c'maj\"",
      "~x $ saw 1e12 # lpf (sine 1e9 * 1e9) # env 1e9 1e9\nd1 $ s \"~x*2\"",
      "~x $ square # hpf (0/0) \"-5\" # gain (1/0)\nd1 $ s \"~x*4\" # attack \"-1\"",
      "~x $ saw # lpf ~y\n~y $ ~x\nd1 $ s \"~x\"",
      "~x $ saw\nd1 $ s \"~nope*4\"",
  };
  cb_host *host = harness_host(true, 1024);
  for (size_t i = 0; i < sizeof lines / sizeof *lines; ++i) {
    ck_assert_str_eq(harness_load(host, "~good $ sine\nd1 $ s \"~good*4\"\n"), "");
    const char *verdict = harness_load(host, lines[i]);
    bool refused = i >= 9; /* the last two: a bus using itself, an unknown bus */
    ck_assert_msg(refused == (*verdict != 0), "program %zu: verdict '%s'", i, verdict);
    if (refused) {
      int line = 0, column = 0;
      ck_assert_msg(sscanf(verdict, "%d:%d:", &line, &column) == 2 && line > 0 && column > 0,
                    "program %zu: error without a position: %s", i, verdict);
    }
    float *out = harness_render(host, 120, CYCLE, 256);
    if (refused) /* ~good still plays */
      ck_assert_msg(!harness_silent(out, 0, CYCLE / 4), "program %zu: old program gone", i);
    for (uint32_t k = 0; k < 2 * CYCLE; ++k)
      ck_assert_msg(isfinite(out[k]) && fabsf(out[k]) < 100.0f &&
                        (out[k] == 0.0f || fabsf(out[k]) >= 1e-30f),
                    "program %zu: sample %u is %g", i, k, out[k]);
    free(out);
  }
  cb_host_free(host);
}
END_TEST

/* Nothing subnormal reaches the output: a tiny gain, echo tails whose gains
   fall through the float range, a hard-panned voice (its other side's gain is
   cos(pi / 2), about 6e-17) and resonant ring-downs, played live in the first
   cycle and from the cache in the second. */
START_TEST(tiny_gains_and_long_tails_never_put_a_subnormal_in_the_output) {
  static const char *const programs[] = {
      "~x $ saw # env 0.001 0.05\nd1 $ s \"~x*4\" # gain 1e-39",
      "~x $ saw # env 0.001 0.05\nd1 $ s \"~x*4\" # gain 1e-30",
      "~x $ saw # env 0.001 0.02\nd1 $ echo 80 0.01 0.3 $ s \"~x ~ ~ ~\"",
      "~x $ sine 3000 # env 0.001 0.05 # lpf 3000 30\n"
      "d1 $ echo 16 0.004 0.01 $ s \"~x\" # pan 1 # legato 0.01",
      "~x $ square # env 0 0.01 # lpf 60 30\nd1 $ s \"~x*8\" # pan \"0 1\" # gain 1e-20",
  };
  cb_host *host = harness_host(true, 1024);
  for (size_t i = 0; i < sizeof programs / sizeof *programs; ++i) {
    ck_assert_str_eq(harness_load(host, programs[i]), "");
    float *out = harness_render(host, 120, 2 * CYCLE, 256);
    for (uint32_t k = 0; k < 4 * CYCLE; ++k) {
      const int kind = fpclassify(out[k]);
      ck_assert_msg(kind == FP_ZERO || kind == FP_NORMAL, "program %zu: sample %u is %g", i, k,
                    (double)out[k]);
    }
    free(out);
  }
  cb_host_free(host);
}
END_TEST

/* The render lead a paced offline render waits on (cb_stats_interface): the
   first block's look-ahead asks for the notes after the block's own (that
   one plays live), the earliest of them on the second beat; the next block,
   with those asked for already, asks for none. */
START_TEST(the_render_lead_is_the_earliest_onset_asked_for) {
  cb_host *host = harness_host(true, 256);
  ck_assert_str_eq(harness_load(host, "~x $ saw # env 0.005 0.05\nd1 $ s \"~x*4\""), "");
  float left[256], right[256];
  cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_run(host, 256, left, right);
  ck_assert_uint_eq(cb_host_render_lead(host), 24000); /* a beat at 120 bpm, 48 kHz */
  cb_host_run(host, 256, left, right);
  ck_assert_uint_eq(cb_host_render_lead(host), UINT64_MAX);
  cb_host_free(host);
}
END_TEST

int main(void) {
  Suite *s = suite_create("plugin");
  TCase *tc = tcase_create("lilv");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, a_fresh_instance_plays_its_default_program);
  tcase_add_test(tc, euclid_onsets_are_exact_to_the_sample);
  tcase_add_test(tc, q_onsets_are_where_the_pattern_puts_them);
  tcase_add_test(tc, a_bad_program_is_reported_and_the_old_one_keeps_playing);
  tcase_add_test(tc, patch_get_answers_with_the_program_text);
  tcase_add_test(tc, a_stopped_transport_is_silent_after_the_release);
  tcase_add_test(tc, the_transpose_port_shifts_every_note);
  tcase_add_test(tc, absurd_programs_play_clean_or_are_refused);
  tcase_add_test(tc, tiny_gains_and_long_tails_never_put_a_subnormal_in_the_output);
  tcase_add_test(tc, the_render_lead_is_the_earliest_onset_asked_for);
  suite_add_tcase(s, tc);
  return check_run(s);
}
