/* Memory is bounded by the cache's byte cap: the dense long-note program of
   issue 11 (and a variant whose notes are short enough to be pre-rendered)
   rendered through the plugin with a threaded worker, as a host runs it,
   under an address-space limit (RLIMIT_AS, `ulimit -v`) the cap allows; the
   peak resident memory stays within the cap plus 64 MB.
   Skipped under AddressSanitizer and ThreadSanitizer: they reserve terabytes
   of virtual memory (shadow memory), which no address-space limit allows. */
#include <stdio.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MEMORY_TEST_WORKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MEMORY_TEST_WORKS 0
#endif
#endif
#ifndef MEMORY_TEST_WORKS
#define MEMORY_TEST_WORKS 1
#endif

#if !MEMORY_TEST_WORKS
int main(void) {
  printf("SKIP: sanitizers reserve more virtual memory than any ulimit -v allows\n");
  return 77;
}
#else
#include <sys/resource.h>

#include "../plugin/lv2/plugin.h"
#include "plugin_harness.h"

#define MB ((size_t)1 << 20)
/* What the process may map beyond the cap: code, lilv, thread stacks, the
   malloc arenas of the worker threads, the host's rings. */
#define ADDRESS_SPACE_BEYOND_CAP (768 * MB)

/* A field of /proc/self/status in bytes (VmHWM: peak resident memory). */
static size_t status_bytes(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  ck_assert_ptr_nonnull(f);
  char line[256];
  size_t kb = 0;
  size_t length = strlen(field);
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, field, length) && line[length] == ':')
      kb = strtoull(line + length + 1, NULL, 10);
  fclose(f);
  return kb * 1024;
}

/* Check runs each test in its own child process: the limit ends with it. */
static void limit_address_space(void) {
  struct rlimit limit = {CB_CACHE_BYTES + ADDRESS_SPACE_BEYOND_CAP,
                         CB_CACHE_BYTES + ADDRESS_SPACE_BEYOND_CAP};
  ck_assert_int_eq(setrlimit(RLIMIT_AS, &limit), 0);
}

/* Renders `seconds` of `text` with a threaded worker in blocks of 256,
   waiting for the worker after each block: a worker that keeps up renders
   everything asked, so the cache meets its cap however fast run() is. */
static void render(const char *text, double seconds, cb_stats *stats) {
  limit_address_space();
  cb_host *host = harness_host(false, 256);
  ck_assert_str_eq(harness_load(host, text), "");
  float l[256], r[256];
  for (uint32_t done = 0; done < (uint32_t)(seconds * RATE); done += 256) {
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    cb_host_run(host, 256, l, r);
    cb_host_wait_worker(host);
  }
  cb_host_run(host, 256, l, r);
  ck_assert(cb_host_stats(host, stats));
  cb_host_free(host);
  size_t peak = status_bytes("VmHWM");
  printf("peak resident %.1f MB (cap %zu MB): renders %llu evicted %llu over_cap %llu too_long "
         "%llu\n",
         (double)peak / (double)MB, CB_CACHE_BYTES / MB, (unsigned long long)stats->renders,
         (unsigned long long)stats->evicted, (unsigned long long)stats->over_cap,
         (unsigned long long)stats->too_long);
  ck_assert_uint_le(stats->cache_bytes, CB_CACHE_BYTES);
  ck_assert_msg(peak <= CB_CACHE_BYTES + 64 * MB, "peak resident %zu MB, cap %zu MB", peak / MB,
                CB_CACHE_BYTES / MB);
}

/* Issue 11's program: 1024 notes a cycle, each with a 60 s release. */
START_TEST(dense_long_notes_stay_within_the_cap) {
  cb_stats stats;
  render("~l $ saw # lpf 3000 # env 0.01 60\n"
         "d1 $ s \"~l*1024\" # note (irand 48 + 36) # lpf (range 200 8000 rand) # legato 64\n",
         10.0, &stats);
  ck_assert_uint_gt(stats.triggers, 4000);
}
END_TEST

/* The same with 2 s releases: short enough to pre-render, so the cache fills
   to its cap and must evict or refuse. */
START_TEST(dense_cached_notes_stay_within_the_cap) {
  cb_stats stats;
  render("~l $ saw # lpf 3000 # env 0.01 2\n"
         "d1 $ s \"~l*1024\" # note (irand 48 + 36) # lpf (range 200 8000 rand) # legato 64\n",
         5.0, &stats);
  ck_assert_uint_gt(stats.renders, 300);
  ck_assert_uint_gt(stats.evicted + stats.over_cap, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("memory");
  TCase *tc = tcase_create("cap");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, dense_long_notes_stay_within_the_cap);
  tcase_add_test(tc, dense_cached_notes_stay_within_the_cap);
  suite_add_tcase(s, tc);
  return check_run(s);
}
#endif
