/* Counts the calls a real-time path must not make: the allocator (malloc,
   calloc, realloc, posix_memalign, aligned_alloc, free), locks and waits
   (pthread_mutex_lock, pthread_cond_wait, sem_wait), sleeps (nanosleep,
   usleep) and file I/O (fopen, write). The replacements forward to glibc and
   count only on a thread that set rt_counting, so a worker thread may
   allocate freely meanwhile. Include it in one test program's only source
   file: it defines those symbols. Under AddressSanitizer or ThreadSanitizer,
   which own malloc, RT_COUNTER_WORKS is 0 and nothing is replaced. Define
   _GNU_SOURCE before any include (for RTLD_NEXT). */
#ifndef CYCLEBUS_RT_COUNTER_H
#define CYCLEBUS_RT_COUNTER_H

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RT_COUNTER_WORKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RT_COUNTER_WORKS 0
#endif
#endif
#ifndef RT_COUNTER_WORKS
#define RT_COUNTER_WORKS 1
#endif

#if RT_COUNTER_WORKS
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

/* volatile: gcc assumes malloc reads no user globals and would move stores
   to it across the calls being counted. */
static _Thread_local volatile int rt_counting;
static atomic_long rt_forbidden_calls;

static inline void rt_count(void) {
  if (rt_counting)
    atomic_fetch_add(&rt_forbidden_calls, 1);
}

/* The next definition of `name` (glibc's), looked up once; dlsym may
   allocate, which is the lookup's doing, not the caller's. */
#define RT_REAL(name)                                                                              \
  static __typeof__(&name) real_##name;                                                            \
  if (!real_##name) {                                                                              \
    int counting = rt_counting;                                                                    \
    rt_counting = 0;                                                                               \
    real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name);                                      \
    rt_counting = counting;                                                                        \
  }

void *malloc(size_t size) {
  rt_count();
  return __libc_malloc(size);
}
void *calloc(size_t count, size_t size) {
  rt_count();
  return __libc_calloc(count, size);
}
void *realloc(void *p, size_t size) {
  rt_count();
  return __libc_realloc(p, size);
}
int posix_memalign(void **out, size_t alignment, size_t size) {
  rt_count();
  *out = __libc_memalign(alignment, size);
  return *out ? 0 : 12; /* ENOMEM */
}
void *aligned_alloc(size_t alignment, size_t size) {
  rt_count();
  return __libc_memalign(alignment, size);
}
void free(void *p) {
  if (p)
    rt_count();
  __libc_free(p);
}
int pthread_mutex_lock(pthread_mutex_t *m) {
  RT_REAL(pthread_mutex_lock);
  rt_count();
  return real_pthread_mutex_lock(m);
}
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
  RT_REAL(pthread_cond_wait);
  rt_count();
  return real_pthread_cond_wait(c, m);
}
int sem_wait(sem_t *s) {
  RT_REAL(sem_wait);
  rt_count();
  return real_sem_wait(s);
}
int nanosleep(const struct timespec *duration, struct timespec *rest) {
  RT_REAL(nanosleep);
  rt_count();
  return real_nanosleep(duration, rest);
}
int usleep(useconds_t microseconds) {
  RT_REAL(usleep);
  rt_count();
  return real_usleep(microseconds);
}
FILE *fopen(const char *path, const char *mode) {
  RT_REAL(fopen);
  rt_count();
  return real_fopen(path, mode);
}
ssize_t write(int fd, const void *bytes, size_t size) {
  RT_REAL(write);
  rt_count();
  return real_write(fd, bytes, size);
}

/* Calls counted so far. */
static inline long rt_counter_calls(void) { return atomic_load(&rt_forbidden_calls); }

/* The counter works: an allocation, a free, a lock and a sleep, each counted
   (the tests expect RT_COUNTER_PROBE_CALLS). */
#define RT_COUNTER_PROBE_CALLS 4
static inline long rt_counter_probe(void) {
  void *(*volatile alloc)(size_t) = malloc; /* volatile: keep the pair */
  void (*volatile release)(void *) = free;
  static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
  const struct timespec no_time = {0, 0};
  long before = rt_counter_calls();
  rt_counting = 1;
  release(alloc(16));
  pthread_mutex_lock(&mutex);
  nanosleep(&no_time, NULL);
  rt_counting = 0;
  pthread_mutex_unlock(&mutex);
  return rt_counter_calls() - before;
}
#endif

#endif
