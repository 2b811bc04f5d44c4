/* Helpers for the integration tests: a host on the built bundle, programs
   rendered with a rolling transport, and onset checks. Header-only so each
   test program stays one file. */
#ifndef CYCLEBUS_TEST_HARNESS_H
#define CYCLEBUS_TEST_HARNESS_H

#include <check.h>

#include "check_run.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tools/host/host.h"
#include "../tools/host/text_file.h"

#define RATE 48000.0

static inline char *harness_bundle(void) {
  static char path[4096];
  const char *build = getenv("CB_BUILD") ? getenv("CB_BUILD") : "build";
  snprintf(path, sizeof path, "%s/lv2/cyclebus.lv2", build);
  return path;
}

static inline cb_host *harness_host(bool sync_worker, uint32_t max_block) {
  char error[512];
  cb_host_options options = {harness_bundle(), RATE, max_block, sync_worker, true, 0, NULL, 0};
  cb_host *host = cb_host_new(&options, error, sizeof error);
  ck_assert_msg(host != NULL, "%s", error);
  return host;
}

static inline char *harness_read(const char *relative) {
  char *text = cb_read_repo_file(relative);
  ck_assert_msg(text != NULL, "cannot read %s", relative);
  return text;
}

/* Runs 64-frame blocks until the plugin reports again (its status count is
   no longer `before`; 2000 blocks at most), then one more, in which a
   program compiled with the transport stopped is installed. */
static inline void harness_wait_report(cb_host *host, uint32_t before) {
  float l[64], r[64];
  uint32_t count;
  for (int i = 0; i < 2000; ++i) {
    cb_host_run(host, 64, l, r);
    cb_host_wait_worker(host);
    cb_host_status(host, &count);
    if (count != before)
      break;
  }
  cb_host_run(host, 64, l, r);
}

/* Sends a program with the transport stopped; returns the plugin's verdict
   ("" when it compiled). */
static inline const char *harness_load(cb_host *host, const char *text) {
  uint32_t before;
  cb_host_status(host, &before);
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_send_program(host, 0, text);
  harness_wait_report(host, before);
  return cb_host_status(host, NULL);
}

/* Renders `frames` stereo frames with the transport rolling from bar 0 at
   `bpm` (4/4), in blocks of `block`; the position is sent once, as hosts do
   when nothing changes. Returns left and right one after the other. */
static inline float *harness_render(cb_host *host, double bpm, uint32_t frames, uint32_t block) {
  float *out = calloc(2 * (size_t)frames, sizeof(float));
  for (uint32_t done = 0; done < frames;) {
    uint32_t n = frames - done < block ? frames - done : block;
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, bpm, 0.0, 0.0, 4.0);
    cb_host_run(host, n, out + done, out + frames + done);
    done += n;
  }
  return out;
}

/* How a render is made: pre-synthesis with the worker on its own thread or
   synchronous (each request answered in the block that makes it), or live
   only (no pre-synthesis). */
typedef enum { PRESYNTH_THREADED, PRESYNTH_SYNC, LIVE_ONLY } render_mode;

/* `frames` of `text` at 120 bpm in blocks of `block` (harness_render), made
   as `mode` says; *stats: the host's counts after the render. */
static inline float *harness_render_mode(render_mode mode, const char *text, uint32_t frames,
                                         uint32_t block, cb_stats *stats) {
  cb_host *host = harness_host(mode != PRESYNTH_THREADED, 4096);
  ck_assert_str_eq(harness_load(host, text), "");
  cb_host_set_presynth(host, mode != LIVE_ONLY);
  float *out = harness_render(host, 120, frames, block);
  cb_host_stats(host, stats);
  cb_host_free(host);
  return out;
}

static inline bool harness_silent(const float *x, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; ++i)
    if (x[i] != 0.0f)
      return false;
  return true;
}

/* The first non-zero sample at or after `from`, or `to` if none. */
static inline uint32_t harness_first_sound(const float *x, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; ++i)
    if (x[i] != 0.0f)
      return i;
  return to;
}

/* Two renders of `frames` stereo frames are the same to the bit, and not silent. */
static inline void harness_assert_identical(const float *a, const float *b, uint32_t frames,
                                            const char *what) {
  size_t n = 2 * (size_t)frames;
  ck_assert_msg(!harness_silent(a, 0, (uint32_t)n), "%s: silent", what);
  for (size_t i = 0; i < n; ++i)
    ck_assert_msg(a[i] == b[i], "%s: sample %zu differs (%g vs %g)", what, i, a[i], b[i]);
}

/* |a - b| <= tolerance, for frame positions (unsigned). */
#define ck_assert_frames_near(a, b, tolerance)                                                     \
  ck_assert_msg(((a) > (b) ? (a) - (b) : (b) - (a)) <= (tolerance), "frame %u, expected %u",       \
                (unsigned)(a), (unsigned)(b))

#endif
