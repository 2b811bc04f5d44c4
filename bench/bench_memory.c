/* Resident memory while playing: each program rendered for 60 s of audio
   (as fast as the machine goes, blocks of 256 at 48 kHz, the worker on its
   own thread as in a host), in its own process; prints the peak (VmHWM) and
   the largest and last VmRSS sampled every second of audio, against the
   cache's cap (target: peak <= cap + 64 MB).
   Usage: build/bench/bench_memory [--paced] [SECONDS] [PROGRAM.cb ...]
   (--paced: realtime-paced, as a host plays, instead of as fast as possible)
   (default: q.cb, issue 11's dense long-note program, the same with 2 s
   notes, and a cache-thrashing program). */
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../plugin/lv2/plugin.h"
#include "bench_common.h"

#define BLOCK 256
#define MB (1024.0 * 1024.0)

typedef struct {
  const char *name, *text;
} bench_program;

static const bench_program builtin[] = {
    {"dense long notes (issue 11)",
     "~l $ saw # lpf 3000 # env 0.01 60\n"
     "d1 $ s \"~l*1024\" # note (irand 48 + 36) # lpf (range 200 8000 rand) # legato 64\n"},
    {"dense 2 s notes (pre-rendered)",
     "~l $ saw # lpf 3000 # env 0.01 2\n"
     "d1 $ s \"~l*1024\" # note (irand 48 + 36) # lpf (range 200 8000 rand) # legato 64\n"},
    {"cache thrashing", "~t $ saw # env 0.01 3\n"
                        "d1 $ s \"~t*64\" # note (irand 96) # lpf (range 100 9000 rand)\n"},
};

/* A field of /proc/self/status, in bytes. */
static double status_bytes(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  double kb = 0;
  size_t length = strlen(field);
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, field, length) && line[length] == ':')
      kb = atof(line + length + 1);
  if (f)
    fclose(f);
  return kb * 1024.0;
}

static bool paced;

/* Sleeps until `when` (bench_now() time). */
static void wait_until(double when) {
  double wait = when - bench_now();
  if (wait > 0) {
    struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
    nanosleep(&ts, NULL);
  }
}

static void measure(const char *name, const char *text, double seconds) {
  double before = status_bytes("VmRSS");
  cb_host *host = bench_host(false, 4096, 0);
  bench_load(host, text);
  float l[BLOCK], r[BLOCK];
  uint32_t blocks = (uint32_t)(seconds * 48000 / BLOCK), per_second = 48000 / BLOCK;
  double max_rss = 0, start = bench_now();
  for (uint32_t i = 0; i < blocks; ++i) {
    if (i == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    cb_host_run(host, BLOCK, l, r);
    if (i % per_second == 0) {
      double rss = status_bytes("VmRSS");
      max_rss = rss > max_rss ? rss : max_rss;
    }
    if (paced)
      wait_until(start + (double)(i + 1) * BLOCK / 48000.0);
  }
  double wall = bench_now() - start, last_rss = status_bytes("VmRSS");
  cb_stats s = {0};
  cb_host_stats(host, &s);
  double peak = status_bytes("VmHWM"), cap = (double)CB_CACHE_BYTES;
  printf("%-32s peak %6.1f MB (cap %+6.1f MB; %s), max RSS %6.1f MB, last %6.1f MB, "
         "before %4.1f MB; %.0f s in %.1f s wall; hits %llu/%llu renders %llu evicted %llu "
         "over_cap %llu too_long %llu cache %.1f MB\n",
         name, peak / MB, (peak - cap) / MB, peak <= cap + 64 * MB ? "ok" : "OVER", max_rss / MB,
         last_rss / MB, before / MB, seconds, wall, (unsigned long long)s.hits,
         (unsigned long long)s.requests, (unsigned long long)s.renders,
         (unsigned long long)s.evicted, (unsigned long long)s.over_cap,
         (unsigned long long)s.too_long, (double)s.cache_bytes / MB);
  fflush(stdout);
  cb_host_free(host);
}

/* Each program in a fresh process, so each peak is its own. */
static void measure_apart(const char *name, const char *text, double seconds) {
  pid_t child = fork();
  if (child == 0) {
    measure(name, text, seconds);
    _exit(0);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    printf("%-32s failed\n", name);
}

int main(int argc, char **argv) {
  bench_help(argc, argv,
             "usage: bench_memory [--paced] [SECONDS] [PROGRAM.cb ...]\n"
             "Peak resident memory (VmHWM) and VmRSS while playing each program for SECONDS\n"
             "(default 60) of audio, each in its own process, threaded worker; --paced plays\n"
             "in real time instead of as fast as possible. Default programs: examples/q.cb,\n"
             "issue 11's dense long-note program, the same with 2 s notes, a cache-thrashing "
             "one.\n");
  int first = 1;
  if (argc > first && !strcmp(argv[first], "--paced")) {
    paced = true;
    first++;
  }
  double seconds = argc > first ? atof(argv[first]) : 60.0;
  if (!(seconds > 0)) {
    fprintf(stderr, "usage: bench_memory [--paced] [SECONDS > 0] [PROGRAM.cb ...]\n");
    return 1;
  }
  printf("resident memory, %.0f s of audio each (%s), blocks of %d, threaded worker, "
         "cap %.0f MB\n",
         seconds, paced ? "realtime-paced" : "as fast as possible", BLOCK,
         (double)CB_CACHE_BYTES / MB);
  fflush(stdout);
  if (argc > first + 1) {
    for (int i = first + 1; i < argc; ++i) {
      char *text = bench_read(argv[i]);
      measure_apart(argv[i], text, seconds);
      free(text);
    }
    return 0;
  }
  char *q = bench_read("examples/q.cb");
  measure_apart("examples/q.cb", q, seconds);
  free(q);
  for (size_t i = 0; i < sizeof builtin / sizeof *builtin; ++i)
    measure_apart(builtin[i].name, builtin[i].text, seconds);
  return 0;
}
