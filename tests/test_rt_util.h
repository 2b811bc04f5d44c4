/* Shared by the real-time safety tests (test_rt*.c), included after
   rt_counter.h: counting switched on while run() runs, and playing with
   buffers the counter does not see. */
#ifndef CYCLEBUS_TEST_RT_UTIL_H
#define CYCLEBUS_TEST_RT_UTIL_H

#include "plugin_harness.h"

/* cb_host_around_run's hook: count only inside run(). */
static inline void around_run(int entering) { rt_counting = entering; }

/* Plays `frames` from `bar` at `bpm` in blocks of `block`, the position sent
   with the first block; the buffers come from glibc, uncounted. */
static inline void rt_play(cb_host *host, double bpm, double bar, uint32_t frames, uint32_t block) {
  float *l = __libc_calloc(block, sizeof(float)), *r = __libc_calloc(block, sizeof(float));
  for (uint32_t done = 0; done < frames; done += block) {
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, bpm, bar, 0.0, 4.0);
    cb_host_run(host, block, l, r);
  }
  __libc_free(l);
  __libc_free(r);
}

#endif
