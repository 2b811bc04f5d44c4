/* run() is real-time safe: with the allocator, locks, waits, sleeps and file
   writes counted (rt_counter.h), a long session (program changes, locates,
   tempo changes, patch:Get, dense and cache-hostile programs, a threaded
   worker) makes no such call from inside run(). */
#define _GNU_SOURCE
#include "rt_counter.h"

#if !RT_COUNTER_WORKS
#include <stdio.h>
int main(void) {
  printf("SKIP: malloc interposition does not work under a sanitizer\n");
  return 77;
}
#else
#include "test_rt_util.h"

START_TEST(run_never_allocates_frees_or_locks) {
  cb_host *host = harness_host(false, 4096);
  const char *examples[] = {"examples/q.cb",    "examples/stress.cb", "examples/acid.cb",
                            "examples/poly.cb", "examples/chords.cb", "examples/orbits.cb",
                            "examples/space.cb"};
  cb_host_around_run = around_run;
  rt_play(host, 120, 0, 48000, 256); /* the default program */
  for (size_t i = 0; i < sizeof examples / sizeof *examples; ++i) {
    char *text = harness_read(examples[i]);
    cb_host_send_program(host, 0, text); /* arrives while rolling */
    free(text);
    rt_play(host, 120, 0, 3 * 96000, 256);
    rt_play(host, 140, 7, 96000, 64); /* locate and tempo change */
    rt_play(host, 90, 2, 96000, 1000);
    float l[64], r[64];
    cb_host_send_get(host, 0);
    cb_host_send_samples(host, 0, "/nonexistent/cyclebus-rt"); /* the worker recompiles */
    cb_host_run(host, 64, l, r);
    cb_host_send_program(host, 0, "~x $ saw\nd1 $ s \"~y\"\n"); /* an error */
    rt_play(host, 120, 3, 48000, 512);
  }
  /* Every orbit's reverb and delay at once, their parameters changing on
     every event (room sizes, delay times in seconds and locked to the
     tempo, feedback): no allocation either. */
  cb_host_send_program(host, 0,
                       "~x $ saw # env 0.001 0.1\nd1 $ s \"~x*16\" # orbit (irand 8) # room rand "
                       "# size rand # delay rand # delaytime (range 0.01 0.5 rand) # lock \"<0 "
                       "1>\" # delayfeedback rand # dry (rand * 0.5)\n");
  rt_play(host, 120, 0, 3 * 96000, 256);
  rt_play(host, 133, 1, 96000, 64);

  /* Issue 11's dense long notes: too long to pre-render, so up to the whole
     voice pool plays live, stealing; that allocates nothing either. */
  cb_host_send_program(host, 0,
                       "~l $ saw # lpf 3000 # env 0.01 60\nd1 $ s \"~l*1024\" # note (irand 48 + "
                       "36) # lpf (range 200 8000 rand) # legato 64\n");
  rt_play(host, 120, 0, 3 * 96000, 256);
  cb_host_around_run = NULL;
  cb_stats stats;
  cb_host_stats(host, &stats);
  ck_assert_uint_gt(stats.triggers, 500); /* it really played */
  ck_assert_uint_gt(stats.hits, 100);
  ck_assert_uint_gt(stats.too_long, 100); /* the long notes played live, */
  ck_assert_uint_gt(stats.stolen, 100);   /* more than the pool holds */
  ck_assert_int_eq(rt_counter_calls(), 0);
  cb_host_free(host);
}
END_TEST

/* The interposition works: the same counter sees an allocation and a free. */
START_TEST(the_counter_sees_an_allocation) {
  ck_assert_int_eq(rt_counter_probe(), RT_COUNTER_PROBE_CALLS);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rt");
  TCase *tc = tcase_create("run");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, the_counter_sees_an_allocation);
  tcase_add_test(tc, run_never_allocates_frees_or_locks);
  suite_add_tcase(s, tc);
  return check_run(s);
}

#endif
