/* Benchmarks of the plugin through lilv (figures for the README):
   run() CPU per second of audio for each example (pre-synthesis vs live,
   blocks 64 and 1024), offline render speed of q.cb, the worker pool's
   speedup, and how run() and worker time grow with events per cycle.
   Usage: build/bench/bench_run [EXAMPLES_DIR]   (medians of 5 runs) */
#include <math.h>

#include "bench_common.h"

#define RUNS 5
#define SECONDS 16.0

static double run_seconds; /* time inside the plugin's run() */
static double entered;
static void around_run(int entering) {
  double t = bench_now();
  if (entering)
    entered = t;
  else
    run_seconds += t - entered;
}

/* run() CPU per second of audio, in percent of one core. Pre-synthesis is
   measured in steady state: a first pass fills the cache (synchronous worker),
   the second pass from bar 0 is timed. */
static double run_cpu_percent(const char *text, uint32_t block, bool presynth) {
  double values[RUNS];
  for (int i = 0; i < RUNS; ++i) {
    cb_host *host = bench_host(true, 4096, 0);
    bench_load(host, text);
    cb_host_set_presynth(host, presynth);
    if (presynth)
      bench_play(host, SECONDS, block);
    cb_host_around_run = around_run;
    run_seconds = 0;
    bench_play(host, SECONDS, block);
    cb_host_around_run = NULL;
    values[i] = 100.0 * run_seconds / SECONDS;
    cb_host_free(host);
  }
  return bench_median(values, RUNS);
}

/* Realtime factor of an offline render with a synchronous worker, the host
   freewheeling (as hosts export). */
static double render_once(const char *text, int render_threads) {
  cb_host *host = bench_host(true, 4096, render_threads);
  cb_host_set_control(host, "freewheel", 1.0f);
  bench_load(host, text);
  double speed = SECONDS / bench_play(host, SECONDS, 1024);
  cb_host_free(host);
  return speed;
}

static double render_speed(const char *text, int render_threads) {
  double values[RUNS];
  for (int i = 0; i < RUNS; ++i)
    values[i] = render_once(text, render_threads);
  return bench_median(values, RUNS);
}

/* Medians of POOL_RUNS renders with one and with two render threads, taken
   in turn, so that a shared machine's load falls on both alike. */
#define POOL_RUNS 7
static void pool_speeds(const char *text, double *one, double *two) {
  double ones[POOL_RUNS], twos[POOL_RUNS];
  for (int i = 0; i < POOL_RUNS; ++i) {
    ones[i] = render_once(text, 1);
    twos[i] = render_once(text, 2);
  }
  *one = bench_median(ones, POOL_RUNS);
  *two = bench_median(twos, POOL_RUNS);
}

static char *scaling_program(int events, bool unique) {
  size_t size = 256 + (size_t)events * 12;
  char *text = malloc(size);
  int n = snprintf(text, size,
                   "bpm: 120\n~x $ saw # lpf 1500 # env 0.001 0.01\n"
                   "d1 $ s \"~x*%d\" # note \"",
                   events);
  for (int i = 0; i < events && unique; ++i)
    n += snprintf(text + n, size - (size_t)n, "%s%.3f", i ? " " : "", 36.0 + 48.0 * i / events);
  if (!unique)
    n += snprintf(text + n, size - (size_t)n, "c4");
  snprintf(text + n, size - (size_t)n, "\"\n");
  return text;
}

/* A program whose cost is all in rendering: 64 notes a cycle, each new for
   eight cycles, three oscillators and two filters per voice. */
static char *render_heavy_program(void) {
  size_t size = 16384;
  char *text = malloc(size);
  int n = snprintf(text, size,
                   "bpm: 120\n~x $ saw + square + tri # hpf 100 # lpf 2000 0.9 # env 0.01 0.3\n"
                   "d1 $ s \"~x*64\" # note \"<");
  for (int cycle = 0; cycle < 8; ++cycle) {
    n += snprintf(text + n, size - (size_t)n, "%s[", cycle ? " " : "");
    for (int i = 0; i < 64; ++i)
      n += snprintf(text + n, size - (size_t)n, "%s%.2f", i ? " " : "",
                    36.0 + (cycle * 64 + i) * 0.09);
    n += snprintf(text + n, size - (size_t)n, "]");
  }
  snprintf(text + n, size - (size_t)n, ">\"\n");
  return text;
}

int main(int argc, char **argv) {
  bench_help(argc, argv,
             "usage: bench_run [EXAMPLES_DIR]\n"
             "prints run()'s CPU for each example in EXAMPLES_DIR (default examples), render\n"
             "speed, the worker pool's speedup and the cost of events per cycle\n");
  const char *dir = argc > 1 ? argv[1] : "examples";
  const char *names[] = {"q", "acid", "chords", "poly", "stress"};
  printf("run() CPU, %% of one core per second of audio (48 kHz, median of %d)\n", RUNS);
  printf("%-8s %12s %12s %12s %12s\n", "example", "pre b64", "pre b1024", "live b64", "live b1024");
  for (size_t i = 0; i < sizeof names / sizeof *names; ++i) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.cb", dir, names[i]);
    char *text = bench_read(path);
    printf("%-8s %11.3f%% %11.3f%% %11.3f%% %11.3f%%\n", names[i], run_cpu_percent(text, 64, true),
           run_cpu_percent(text, 1024, true), run_cpu_percent(text, 64, false),
           run_cpu_percent(text, 1024, false));
    fflush(stdout);
    free(text);
  }

  char path[4096];
  snprintf(path, sizeof path, "%s/q.cb", dir);
  char *q = bench_read(path);
  printf("\noffline render of q.cb (sync worker, block 1024): %.0fx realtime\n",
         render_speed(q, 0));
  free(q);
  char *heavy = render_heavy_program();
  double one, two;
  pool_speeds(heavy, &one, &two);
  printf("worker pool, render-bound program (every note new, 0.3 s long, 3 oscillators; "
         "medians of %d, taken in turn): 1 thread %.0fx, 2 threads %.0fx realtime: speedup "
         "%.2f\n",
         POOL_RUNS, one, two, two / one);
  free(heavy);

  printf("\nscaling: run() CPU %% (pre-synthesis, block 256) and offline speed, by events per "
         "cycle\n");
  printf("%8s %14s %14s %14s %14s\n", "events", "run repeat", "run unique", "speed repeat",
         "speed unique");
  const int counts[] = {8, 64, 512, 4096};
  for (size_t i = 0; i < 4; ++i) {
    char *repeat = scaling_program(counts[i], false), *unique = scaling_program(counts[i], true);
    printf("%8d %13.3f%% %13.3f%% %13.0fx %13.0fx\n", counts[i], run_cpu_percent(repeat, 256, true),
           run_cpu_percent(unique, 256, true), render_speed(repeat, 0), render_speed(unique, 0));
    fflush(stdout);
    free(repeat);
    free(unique);
  }
  return 0;
}
