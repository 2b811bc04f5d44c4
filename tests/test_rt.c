/* run() is real-time safe: with malloc, calloc, realloc, free and
   pthread_mutex_lock interposed, a long session (program changes, locates,
   tempo changes, patch:Get, dense and cache-hostile programs, a threaded
   worker) makes no such call from inside run(). */
#if defined(__SANITIZE_ADDRESS__)
#include <stdio.h>
int main(void) {
  printf("SKIP: malloc interposition does not work under AddressSanitizer\n");
  return 77;
}
#else
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>

#include "plugin_harness.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

/* volatile: gcc assumes malloc reads no user globals and would drop stores. */
static _Thread_local volatile int inside_run;
static atomic_int forbidden_calls;
static int (*real_mutex_lock)(pthread_mutex_t *);

void *malloc(size_t size) {
  if (inside_run)
    atomic_fetch_add(&forbidden_calls, 1);
  return __libc_malloc(size);
}
void *calloc(size_t n, size_t size) {
  if (inside_run)
    atomic_fetch_add(&forbidden_calls, 1);
  return __libc_calloc(n, size);
}
void *realloc(void *p, size_t size) {
  if (inside_run)
    atomic_fetch_add(&forbidden_calls, 1);
  return __libc_realloc(p, size);
}
void free(void *p) {
  if (inside_run && p)
    atomic_fetch_add(&forbidden_calls, 1);
  __libc_free(p);
}
int pthread_mutex_lock(pthread_mutex_t *m) {
  if (inside_run)
    atomic_fetch_add(&forbidden_calls, 1);
  if (!real_mutex_lock)
    real_mutex_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
  return real_mutex_lock(m);
}

static void around_run(int entering) { inside_run = entering; }

static void play(cb_host *host, double bpm, double bar, uint32_t frames, uint32_t block) {
  float *l = __libc_calloc(block, sizeof(float)), *r = __libc_calloc(block, sizeof(float));
  for (uint32_t done = 0; done < frames; done += block) {
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, bpm, bar, 0.0, 4.0);
    cb_host_run(host, block, l, r);
  }
  __libc_free(l);
  __libc_free(r);
}

START_TEST(run_never_allocates_frees_or_locks) {
  cb_host *host = harness_host(false, 4096);
  const char *examples[] = {"examples/q.cb", "examples/stress.cb", "examples/acid.cb",
                            "examples/poly.cb", "examples/chords.cb"};
  cb_host_around_run = around_run;
  play(host, 120, 0, 48000, 256); /* the default program */
  for (size_t i = 0; i < sizeof examples / sizeof *examples; ++i) {
    char *text = harness_read(examples[i]);
    cb_host_send_program(host, 0, text); /* arrives while rolling */
    free(text);
    play(host, 120, 0, 3 * 96000, 256);
    play(host, 140, 7, 96000, 64); /* locate and tempo change */
    play(host, 90, 2, 96000, 1000);
    float l[64], r[64];
    cb_host_send_get(host, 0);
    cb_host_run(host, 64, l, r);
    cb_host_send_program(host, 0, "~x $ saw\nd1 $ s \"~y\"\n"); /* an error */
    play(host, 120, 3, 48000, 512);
  }
  cb_host_around_run = NULL;
  cb_stats stats;
  cb_host_stats(host, &stats);
  ck_assert_uint_gt(stats.triggers, 500); /* it really played */
  ck_assert_uint_gt(stats.hits, 100);
  ck_assert_int_eq(atomic_load(&forbidden_calls), 0);
  cb_host_free(host);
}
END_TEST

/* The interposition works: the same counters see an allocation. */
START_TEST(the_counter_sees_an_allocation) {
  atomic_store(&forbidden_calls, 0);
  inside_run = 1;
  void *volatile p = malloc(16); /* volatile: the compiler may not drop the pair */
  inside_run = 0;
  free(p);
  ck_assert_int_eq(atomic_load(&forbidden_calls), 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rt");
  TCase *tc = tcase_create("run");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, the_counter_sees_an_allocation);
  tcase_add_test(tc, run_never_allocates_frees_or_locks);
  suite_add_tcase(s, tc);
  return harness_run_suite(s);
}

#endif
