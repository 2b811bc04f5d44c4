/* run() stays real-time safe with samples playing: with the allocator,
   locks, waits and file writes counted (rt_counter.h), drums from files the
   test writes (pre-synthesized and live, stereo, cut groups, a filter), a
   program change that loads new files while rolling, and a locate make no
   such call from inside run(). The loading happens on the worker. */
#define _GNU_SOURCE
#include "rt_counter.h"

#if !RT_COUNTER_WORKS
#include <stdio.h>
int main(void) {
  printf("SKIP: malloc interposition does not work under a sanitizer\n");
  return 77;
}
#else
#include <unistd.h>

#include "test_rt_util.h"
#include "test_wav_util.h"

START_TEST(run_allocates_nothing_with_samples_playing) {
  char folder[] = "/tmp/cyclebus-rt-samples-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(folder));
  write_test_wav(folder, "zzbd", 44100, 1, 8000);
  write_test_wav(folder, "zzsn", 48000, 2, 8000);
  write_test_wav(folder, "zzhh", 22050, 1, 8000);
  char first[5000], second[5000];
  snprintf(first, sizeof first,
           "samples: %s\n~b $ saw\nd1 $ s \"zzbd*4 ~b\" # speed \"<1 -1>\"\n"
           "d2 $ s \"[~ zzsn]*2\" # cut 1 # lpf 3000\nd3 $ s \"zzsn*8\" # cut 1 # loop 2\n",
           folder);
  snprintf(second, sizeof second,
           "samples: %s\nd1 $ s \"zzhh*16\" # note \"<0 12>\" # begin 0.2\n"
           "d2 $ s \"zzbd(5,8)\" # unit \"c\" # accelerate 2\n",
           folder);
  cb_host *host = harness_host(false, 4096);
  ck_assert_str_eq(harness_load(host, first), "");
  cb_host_around_run = around_run;
  rt_play(host, 120, 0, 3 * 96000, 256);
  cb_host_set_presynth(host, false); /* every voice live */
  rt_play(host, 120, 3, 96000, 128);
  cb_host_set_presynth(host, true);
  cb_host_send_program(host, 0, second); /* loads zzhh on the worker while rolling */
  rt_play(host, 120, 4, 3 * 96000, 256);
  /* the blocks above run faster than real time: on a busy machine the worker
     may not have loaded zzhh by now, so the locate waits for it */
  cb_host_wait_worker(host);
  rt_play(host, 120, 9, 96000, 1000); /* a locate */
  cb_host_around_run = NULL;
  cb_stats stats;
  cb_host_stats(host, &stats);
  ck_assert_uint_gt(stats.triggers, 100);
  ck_assert_uint_gt(stats.hits, 50);
  ck_assert_uint_ge(stats.sample_files_loaded, 3);
  ck_assert_int_eq(rt_counter_calls(), 0);
  cb_host_free(host);
  char command[200];
  snprintf(command, sizeof command, "rm -rf '%s'", folder);
  ck_assert_int_eq(system(command), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rt_samples");
  TCase *tc = tcase_create("run");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, run_allocates_nothing_with_samples_playing);
  suite_add_tcase(s, tc);
  return check_run(s);
}

#endif
