/* What run() writes is resident before run() may write it: a stereo sample
   played live runs a second synth state, which the voice pool keeps out of
   resident memory until a program that plays samples is compiled (on the
   worker). Counted with the thread's minor page faults around run(), after
   a warm-up that ran every code path once: 40 stereo voices starting at
   once in slots never used before take no page fault there. */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include <sys/resource.h>

#include <unistd.h>

#include "plugin_harness.h"
#include "test_wav_util.h"

static long faults_in_run;
static long faults_before;

static long thread_minor_faults(void) {
  struct rusage usage;
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt;
}

/* cb_host_around_run's hook: count only inside run(). */
static void count_faults(int entering) {
  if (entering)
    faults_before = thread_minor_faults();
  else
    faults_in_run += thread_minor_faults() - faults_before;
}

static void play(cb_host *host, double bar, uint32_t frames) {
  float l[256], r[256];
  for (uint32_t done = 0; done < frames; done += 256) {
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, bar, 0.0, 4.0);
    cb_host_run(host, 256, l, r);
  }
}

START_TEST(stereo_samples_played_live_take_no_page_fault_in_run) {
  char folder[] = "/tmp/cyclebus-resident-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(folder));
  write_test_wav(folder, "zzst", 48000, 2, 24000);
  char one[5000], many[5000];
  snprintf(one, sizeof one, "samples: %s\nd1 $ s \"zzst\"\n", folder);
  /* 40 voices at each onset, 0.5 s long: a voice slot each */
  int n = snprintf(many, sizeof many, "samples: %s\nd1 $ s \"[zzst", folder);
  for (int i = 1; i < 40; ++i)
    n += snprintf(many + n, sizeof many - (size_t)n, ", zzst");
  snprintf(many + n, sizeof many - (size_t)n, "]\" # note \"0 1\"\n");
  cb_host *host = harness_host(false, 4096);
  cb_host_set_presynth(host, false); /* every voice live */
  ck_assert_str_eq(harness_load(host, one), "");
  play(host, 0, 96000); /* every code path once, one voice at a time */
  ck_assert_str_eq(harness_load(host, many), "");
  play(host, 2, 4096); /* the new program's first blocks, before the measure */
  cb_host_around_run = count_faults;
  play(host, 4, 96000);
  cb_host_around_run = NULL;
  cb_stats stats;
  cb_host_stats(host, &stats);
  cb_host_free(host);
  char path[4200];
  snprintf(path, sizeof path, "%s/zzst.wav", folder);
  unlink(path);
  rmdir(folder);
  ck_assert_uint_ge(stats.live_fallbacks + stats.triggers, 40);
  /* 40 unprepared right states would take two pages each */
  ck_assert_int_le(faults_in_run, 8);
}
END_TEST

int main(void) {
  Suite *s = suite_create("voices_resident");
  TCase *tc = tcase_create("voices_resident");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, stereo_samples_played_live_take_no_page_fault_in_run);
  suite_add_tcase(s, tc);
  return check_run(s);
}
