/* Worst block times: q.cb played realtime-paced (blocks of 256 at 48 kHz)
   with a threaded worker for 60 s; prints the median, p99.9 and maximum
   time inside the plugin's run(). Usage: build/bench/bench_blocktime [PROGRAM] [SECONDS] */
#include <time.h>

#include "bench_common.h"

#define BLOCK 256

static double entered, inside;
static void around_run(int entering) {
  double t = bench_now();
  if (entering)
    entered = t;
  else
    inside = t - entered;
}

int main(int argc, char **argv) {
  bench_help(argc, argv,
             "usage: bench_blocktime [PROGRAM] [SECONDS]\n"
             "plays PROGRAM (default examples/q.cb) realtime-paced for SECONDS (default 60)\n"
             "and prints the median, p99.9 and maximum time of run() per block\n");
  const char *path = argc > 1 ? argv[1] : "examples/q.cb";
  double seconds = 60.0;
  const cb_cli_range seconds_range = {0, 3600, true, false, false};
  if (argc > 2 && !cb_cli_number("bench_blocktime", "SECONDS", argv[2], seconds_range, &seconds))
    return 2;
  char *text = bench_read(path);
  cb_host *host = bench_host(false, 4096, 0);
  bench_load(host, text);
  uint32_t blocks = (uint32_t)(seconds * 48000 / BLOCK);
  double *times = malloc(blocks * sizeof(double));
  float l[BLOCK], r[BLOCK];
  double period = (double)BLOCK / 48000.0, start = bench_now();
  cb_host_around_run = around_run; /* times run() alone, not the host around it */
  for (uint32_t i = 0; i < blocks; ++i) {
    if (i == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    cb_host_run(host, BLOCK, l, r);
    times[i] = inside;
    double next = start + (i + 1) * period, wait = next - bench_now();
    if (wait > 0) {
      struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
      nanosleep(&ts, NULL);
    }
  }
  double median = bench_median(times, (int)blocks);
  double p999 = times[(size_t)((double)blocks * 0.999)], worst = times[blocks - 1];
  printf("%s, %.0f s realtime-paced, %u blocks of %d (budget %.0f us): median %.1f us, "
         "p99.9 %.1f us, max %.1f us\n",
         path, seconds, blocks, BLOCK, period * 1e6, median * 1e6, p999 * 1e6, worst * 1e6);
  free(times);
  free(text);
  cb_host_free(host);
  return 0;
}
