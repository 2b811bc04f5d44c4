/* Shared by the benchmark programs that drive the plugin: a host on the
   built bundle, reading files, timing (bench_time.h). Header-only so each benchmark stays one
   program. */
#ifndef CYCLEBUS_BENCH_COMMON_H
#define CYCLEBUS_BENCH_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tools/host/cli.h"
#include "../tools/host/host.h"
#include "../tools/host/text_file.h"
#include "bench_time.h"

static char *bench_read(const char *path) {
  char *text = cb_read_text_file(path);
  if (!text) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    exit(1);
  }
  return text;
}

/* --help or -h as the first argument: `usage` on stdout, exit 0. */
static void bench_help(int argc, char **argv, const char *usage) {
  if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(usage, stdout);
    exit(0);
  }
}

static cb_host *bench_host(bool sync_worker, uint32_t max_block, int render_threads) {
  char error[512];
  const char *build = getenv("CB_BUILD") ? getenv("CB_BUILD") : "build";
  static char bundle[4096];
  snprintf(bundle, sizeof bundle, "%s/lv2/cyclebus.lv2", build);
  cb_host_options options = {bundle, 48000, max_block, sync_worker, true, render_threads, NULL, 0};
  cb_host *host = cb_host_new(&options, error, sizeof error);
  if (!host) {
    fprintf(stderr, "%s\n", error);
    exit(1);
  }
  return host;
}

/* Sends a program with the transport stopped and waits until it is in. */
static void bench_load(cb_host *host, const char *text) {
  float l[64], r[64];
  uint32_t before, count;
  cb_host_status(host, &before);
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_send_program(host, 0, text);
  do {
    cb_host_run(host, 64, l, r);
    cb_host_wait_worker(host);
    cb_host_status(host, &count);
  } while (count == before);
  if (*cb_host_status(host, NULL)) {
    fprintf(stderr, "program error: %s\n", cb_host_status(host, NULL));
    exit(1);
  }
  cb_host_run(host, 64, l, r);
}

/* Plays `seconds` from bar 0 at 120 BPM (the transport rolling from the
   first block); returns the wall time of the whole loop. */
static inline double bench_play(cb_host *host, double seconds, uint32_t block) {
  float *l = malloc(block * sizeof(float)), *r = malloc(block * sizeof(float));
  uint32_t frames = (uint32_t)(seconds * 48000);
  double start = bench_now();
  for (uint32_t done = 0; done < frames; done += block) {
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    cb_host_run(host, block, l, r);
  }
  double wall = bench_now() - start;
  free(l);
  free(r);
  return wall;
}

#endif
