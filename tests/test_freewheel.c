/* While the host freewheels (its lv2:freeWheeling port set, as in an
   export), the plugin looks further ahead in larger batches, so that a
   synchronous worker's render pool has several SIMD groups of notes to share
   between its threads (at the real-time reach a batch of this program was
   one group of 8 notes, which one thread rendered while the others waited),
   and the bits stay those of a real-time render, with one render thread or
   two. */
#include "plugin_harness.h"

/* `per_cycle` new pitches a cycle (per_cycle / 2 notes a second at 120
   bpm), each note on one bus graph: render-bound, as bench_run's program. */
static char *unique_notes_program(int per_cycle) {
  size_t size = 65536;
  char *text = malloc(size);
  int n = snprintf(text, size,
                   "bpm: 120\n~x $ saw + tri # lpf 2000 # env 0.01 0.1\n"
                   "d1 $ s \"~x*%d\" # note \"<",
                   per_cycle);
  for (int cycle = 0; cycle < 4; ++cycle) {
    n += snprintf(text + n, size - (size_t)n, "%s[", cycle ? " " : "");
    for (int i = 0; i < per_cycle; ++i)
      n += snprintf(text + n, size - (size_t)n, "%s%.3f", i ? " " : "",
                    36.0 + (cycle * per_cycle + i) * 6.4 / per_cycle);
    n += snprintf(text + n, size - (size_t)n, "]");
  }
  snprintf(text + n, size - (size_t)n, ">\"\n");
  return text;
}

static cb_host *host_playing(bool freewheel, int render_threads, int per_cycle) {
  char error[512];
  cb_host_options options = {harness_bundle(), RATE, 4096, true, true, render_threads, NULL, 0};
  cb_host *host = cb_host_new(&options, error, sizeof error);
  ck_assert_msg(host != NULL, "%s", error);
  ck_assert(cb_host_set_control(host, "freewheel", freewheel ? 1.0f : 0.0f));
  char *text = unique_notes_program(per_cycle);
  ck_assert_str_eq(harness_load(host, text), "");
  free(text);
  return host;
}

static cb_host *host_with(bool freewheel, int render_threads) {
  return host_playing(freewheel, render_threads, 64);
}

/* Render requests the first rolling block of 256 frames sends (one batch). */
static uint64_t first_batch(bool freewheel) {
  cb_host *host = host_with(freewheel, 1);
  float l[256], r[256];
  cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_run(host, 256, l, r);
  cb_stats stats;
  cb_host_stats(host, &stats);
  cb_host_free(host);
  return stats.scheduled;
}

START_TEST(freewheeling_the_first_look_ahead_batch_holds_two_seconds_of_notes) {
  uint64_t real_time = first_batch(false), freewheeling = first_batch(true);
  /* half a second, 16 notes: one group; two seconds, 64 notes: four */
  ck_assert_uint_ge(real_time, 14);
  ck_assert_uint_le(real_time, 18);
  ck_assert_uint_ge(freewheeling, 60);
}
END_TEST

/* 6 s: every note of the freewheeling renders plays from the cache, and
   the bits are the real-time render's with one render thread or two. */
START_TEST(freewheeling_renders_the_real_time_bits_with_one_or_two_threads) {
  const uint32_t frames = 6 * 48000;
  float *runs[3];
  cb_stats stats[3];
  for (int i = 0; i < 3; ++i) {
    cb_host *host = host_with(i > 0, i == 2 ? 2 : 1);
    runs[i] = harness_render(host, 120, frames, 256);
    cb_host_stats(host, &stats[i]);
    cb_host_free(host);
  }
  harness_assert_identical(runs[0], runs[1], frames, "freewheeling, one render thread");
  harness_assert_identical(runs[0], runs[2], frames, "freewheeling, two render threads");
  for (int i = 1; i < 3; ++i) {
    ck_assert_uint_ge(stats[i].requests, 190); /* 32 a second */
    /* the note at frame 0 plays live: the first block looks ahead after it */
    ck_assert_uint_ge(stats[i].hits + 1, stats[i].requests);
    ck_assert_uint_eq(stats[i].dropped, 0);
  }
  for (int i = 0; i < 3; ++i)
    free(runs[i]);
}
END_TEST

/* The most bytes of buffers (rendered or being rendered) the cache holds
   over 4 s of 256 new notes a second. */
static uint64_t peak_cache_bytes(bool freewheel) {
  cb_host *host = host_playing(freewheel, 1, 512);
  float l[256], r[256];
  uint64_t peak = 0;
  for (uint32_t done = 0; done < 4 * 48000; done += 256) {
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    cb_host_run(host, 256, l, r);
    cb_stats stats;
    cb_host_stats(host, &stats);
    peak = stats.cache_bytes > peak ? stats.cache_bytes : peak;
  }
  cb_host_free(host);
  return peak;
}

/* Freewheeling reaches as far as 64 notes take: 2 s of this program would
   be 512 notes waiting in the cache (4 times the real-time reach's). */
START_TEST(freewheeling_a_dense_program_holds_what_the_real_time_reach_holds) {
  uint64_t real_time = peak_cache_bytes(false), freewheeling = peak_cache_bytes(true);
  ck_assert_uint_gt(real_time, 0);
  ck_assert_uint_le(freewheeling, real_time + real_time / 2);
}
END_TEST

/* Over 4 s of 64 notes a second freewheeling (windows of 64 notes: 1 s),
   the least time between a block that asked for renders and the earliest
   onset the batch before it asked for, once the first second has filled the
   reach; with the worker's answers held back, as from a worker behind. */
static int64_t least_lead_over_the_last_batch(bool answers_held) {
  cb_host *host = host_playing(true, 1, 128);
  cb_host_hold_responses(host, answers_held);
  float l[256], r[256];
  int64_t last_onset = -1, least = INT64_MAX;
  for (int64_t done = 0; done < 4 * 48000; done += 256) {
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    cb_host_run(host, 256, l, r);
    uint64_t lead = cb_host_render_lead(host);
    if (lead == UINT64_MAX)
      continue;
    if (done >= 48000 && last_onset - (done + 256) < least)
      least = last_onset - (done + 256);
    last_onset = done + (int64_t)lead;
  }
  cb_host_hold_responses(host, false);
  cb_host_free(host);
  return least;
}

/* A host that waits for a batch's renders at its first onset
   (cyclebus-render with its worker on a thread of its own) must find the
   next batch already asked for, or the worker idles until it is: while
   renders are unanswered, each batch is asked for a tenth of a second at
   least before the one before it begins. A worker that keeps up (here the
   synchronous one) is asked as the batch before begins, no sooner: sooner
   would only render further past the end of an export. */
START_TEST(freewheeling_a_worker_behind_is_asked_for_the_next_batch_sooner) {
  ck_assert_int_ge(least_lead_over_the_last_batch(true), 4800);
  ck_assert_int_lt(least_lead_over_the_last_batch(false), 4800);
}
END_TEST

/* Pattern work over 4 s of 2048 notes a second, in blocks of 1024. */
static uint64_t dense_work(bool freewheel) {
  cb_host *host = harness_host(true, 4096);
  ck_assert(cb_host_set_control(host, "freewheel", freewheel ? 1.0f : 0.0f));
  ck_assert_str_eq(harness_load(host, "bpm: 120\n~x $ saw # env 0.001 0.01\nd1 $ s \"~x*4096\"\n"),
                   "");
  float *out = harness_render(host, 120, 4 * 48000, 1024);
  cb_stats stats;
  cb_host_stats(host, &stats);
  cb_host_free(host);
  free(out);
  ck_assert_uint_eq(stats.dropped, 0);
  return stats.block_work_total;
}

/* Freewheeling, a window is queried about as far as the FREEWHEEL_NOTES it
   keeps take, so a dense program does less pattern work than in real time
   (where the budget slices its windows): 0.61 times it. A window queried
   the real-time reach ahead and cut at 64 notes did 1.14 times it (and the
   render took 2.5 times as long). */
START_TEST(freewheeling_a_dense_program_queries_about_what_it_keeps) {
  uint64_t real_time = dense_work(false), freewheeling = dense_work(true);
  ck_assert_uint_gt(freewheeling, 0);
  ck_assert_uint_le(freewheeling, real_time);
}
END_TEST

int main(void) {
  Suite *s = suite_create("freewheel");
  TCase *tc = tcase_create("freewheel");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, freewheeling_the_first_look_ahead_batch_holds_two_seconds_of_notes);
  tcase_add_test(tc, freewheeling_renders_the_real_time_bits_with_one_or_two_threads);
  tcase_add_test(tc, freewheeling_a_dense_program_holds_what_the_real_time_reach_holds);
  tcase_add_test(tc, freewheeling_a_worker_behind_is_asked_for_the_next_batch_sooner);
  tcase_add_test(tc, freewheeling_a_dense_program_queries_about_what_it_keeps);
  suite_add_tcase(s, tc);
  return check_run(s);
}
