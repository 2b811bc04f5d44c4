/* The real-time budget: every example and the README's dense and absurd
   programs played through lilv as a DAW plays them (threaded worker, 48 kHz,
   blocks of 256, each block run at its deadline so the worker works
   alongside), timing each run() call with CLOCK_MONOTONIC. Prints per
   program run()'s median, p99 and worst block, the worst as a share of the
   period (target: 25 %), the worst block's thread CPU time (work, not
   preemption), the worst whole cycle (run() plus the worker's responses,
   which a host delivers on its audio thread too), the blocks over 25 %, when
   the worst came, triggers, dropped events, stats.block_work_max and the
   most page faults in one run() call. The first rows time fixed loops of
   100 and 400 us the same way: the machine's own jitter, and what it does
   to a block as long as the heaviest programs' (a shared virtual machine
   stalls a running thread now and then, and the stall counts as its CPU).
   The playing thread runs SCHED_FIFO 10 while it plays, as a JACK client's
   process thread does (--no-fifo: normal), so other work on a shared machine
   does not preempt run(); the worker stays normal, as in a DAW. The address
   space is capped (--memory-mb, default 4096) so that a program whose renders
   outgrow memory fails its allocations, not the machine.
   Usage: build/bench/bench_rtbudget [--seconds S] [--block N] [--only TEXT] [--memory-mb M]
          [--no-fifo] [EXAMPLES_DIR] */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include "bench_common.h"

#define RATE 48000.0
#define TARGET_SHARE 0.25

typedef struct {
  const char *name;
  const char *text;
} program;

/* The README's dense and absurd programs (its "Absurd values" table and
   the memory example), each with a bus to play. */
static const program absurd[] = {
    {"s ~x*100000", "bpm: 120\n~x $ saw # env 0.001 0.05\nd1 $ s \"~x*100000\"\n"},
    {"note c!1e12", "bpm: 120\n~x $ saw # env 0.001 0.05\nd1 $ s \"~x*16\" # note \"c!1e12\"\n"},
    {"s [~x*1000000]", "bpm: 120\n~x $ saw # env 0.001 0.05\nd1 $ s \"[~x*1000000]\"\n"},
    {"ply 1e9", "bpm: 120\n~x $ saw # env 0.001 0.05\nd1 $ ply 1e9 $ s \"~x*4\"\n"},
    {"fast 1e9", "bpm: 120\n~x $ saw # env 0.001 0.05\nd1 $ fast 1e9 $ s \"~x*4\"\n"},
    {"dense long notes", "bpm: 120\n~l $ saw # lpf 3000 # env 0.01 60\n"
                         "d1 $ s \"~l*1024\" # note (irand 48 + 36) # lpf (range 200 8000 rand) "
                         "# legato 64\n"},
};

/* Wall time is what the budget is about; the thread's CPU time tells work
   from preemption on a shared machine. */
static double entered, inside, entered_cpu, inside_cpu;
static double thread_cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
/* Page faults inside run() (the kernel's time, counted as the thread's). */
static long entered_faults, inside_faults;
static long thread_faults(void) {
  struct rusage usage;
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt + usage.ru_majflt;
}
static void around_run(int entering) {
  if (entering)
    entered_faults = thread_faults();
  double t = bench_now(), cpu = thread_cpu_now();
  if (entering) {
    entered = t;
    entered_cpu = cpu;
  } else {
    inside = t - entered;
    inside_cpu = cpu - entered_cpu;
    inside_faults = thread_faults() - entered_faults;
  }
}

/* The playing thread's priority, raised only while it plays: the host's
   worker and render threads, made at load, inherit a normal one. */
static bool use_fifo;
static bool set_fifo(bool on) {
  struct sched_param param = {.sched_priority = on ? 10 : 0};
  return pthread_setschedparam(pthread_self(), on ? SCHED_FIFO : SCHED_OTHER, &param) == 0;
}

static void sleep_until(double deadline) {
  struct timespec ts = {(time_t)deadline, (long)((deadline - (double)(time_t)deadline) * 1e9)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
    ;
}

/* Plays `text` for `seconds` realtime-paced and prints its line. */
static void measure(const char *name, const char *text, double seconds, uint32_t block) {
  cb_host *host = bench_host(false, block > 64 ? block : 64, 0);
  bench_load(host, text);
  uint32_t blocks = (uint32_t)(seconds * RATE / block);
  double *times = malloc(blocks * sizeof(double));
  float *l = malloc(block * sizeof(float)), *r = malloc(block * sizeof(float));
  double period = block / RATE, start = bench_now();
  uint32_t worst_at = 0, over = 0;
  double worst_cpu = 0.0, worst_cycle = 0.0;
  long worst_faults = 0;
  cb_host_around_run = around_run; /* times run() alone, not the host around it */
  if (use_fifo)
    set_fifo(true);
  for (uint32_t i = 0; i < blocks; ++i) {
    if (i == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    double cycle_start = bench_now();
    cb_host_run(host, block, l, r); /* run(), then the worker's responses, as a host does */
    double cycle = bench_now() - cycle_start;
    if (cycle > worst_cycle)
      worst_cycle = cycle;
    times[i] = inside;
    if (inside > times[worst_at])
      worst_at = i;
    if (inside_cpu > worst_cpu)
      worst_cpu = inside_cpu;
    if (inside_faults > worst_faults)
      worst_faults = inside_faults;
    if (inside > TARGET_SHARE * period)
      over++;
    sleep_until(start + (i + 1) * period);
  }
  cb_host_around_run = NULL;
  set_fifo(false);
  cb_stats stats = {0};
  cb_host_stats(host, &stats);
  double worst_time = times[worst_at];
  double median = bench_median(times, (int)blocks); /* sorts */
  double p99 = times[(size_t)((double)(blocks - 1) * 0.99)];
  printf("%-18s %9.1f %9.1f %9.1f %7.1f%% %9.1f %9.1f %6u %8.2f %10llu %10llu %9llu %7ld\n", name,
         median * 1e6, p99 * 1e6, worst_time * 1e6, 100.0 * worst_time / period, worst_cpu * 1e6,
         worst_cycle * 1e6, over, worst_at * period, (unsigned long long)stats.triggers,
         (unsigned long long)stats.dropped, (unsigned long long)stats.block_work_max, worst_faults);
  fflush(stdout);
  free(times);
  free(l);
  free(r);
  cb_host_free(host);
}

/* The machine's own jitter, measured the same way: a fixed loop of `us`
   microseconds in place of run(). On a shared virtual machine its worst
   shows what no code of ours can go below. */
static volatile uint64_t busy_sink;
static void busy(uint64_t iterations) {
  uint64_t x = 88172645463325252ULL;
  for (uint64_t i = 0; i < iterations; ++i)
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  busy_sink = x;
}

static void measure_machine(double seconds, uint32_t block, double us) {
  uint64_t iterations = 100000;
  double fastest = 1.0; /* the quickest of a few: a preempted one would shorten the loop */
  for (int i = 0; i < 5; ++i) {
    double t = bench_now();
    busy(iterations);
    fastest = fmin(fastest, bench_now() - t);
  }
  iterations = (uint64_t)((double)iterations * us * 1e-6 / fastest);
  uint32_t blocks = (uint32_t)(seconds * RATE / block), over = 0;
  double *times = malloc(blocks * sizeof(double));
  double period = block / RATE, start = bench_now(), worst = 0.0, worst_cpu = 0.0;
  if (use_fifo)
    set_fifo(true);
  for (uint32_t i = 0; i < blocks; ++i) {
    around_run(1);
    busy(iterations);
    around_run(0);
    times[i] = inside;
    worst = inside > worst ? inside : worst;
    worst_cpu = inside_cpu > worst_cpu ? inside_cpu : worst_cpu;
    over += inside > TARGET_SHARE * period;
    sleep_until(start + (i + 1) * period);
  }
  set_fifo(false);
  double median = bench_median(times, (int)blocks);
  double p99 = times[(size_t)((double)(blocks - 1) * 0.99)];
  char name[32];
  snprintf(name, sizeof name, "(%.0f us loop)", us);
  printf("%-18s %9.1f %9.1f %9.1f %7.1f%% %9.1f %9s %6u\n", name, median * 1e6, p99 * 1e6,
         worst * 1e6, 100.0 * worst / period, worst_cpu * 1e6, "", over);
  fflush(stdout);
  free(times);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool wanted(const char *name, const char *only) { return !only || strstr(name, only); }

static void measure_examples(const char *dir, double seconds, uint32_t block, const char *only) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "cannot open %s: %s\n", dir, strerror(errno));
    exit(1);
  }
  char *names[256];
  size_t count = 0;
  for (struct dirent *e; (e = readdir(d)) && count < 256;) {
    size_t n = strlen(e->d_name);
    if (n > 3 && strcmp(e->d_name + n - 3, ".cb") == 0)
      names[count++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, count, sizeof *names, compare_names);
  for (size_t i = 0; i < count; ++i) {
    if (wanted(names[i], only)) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", dir, names[i]);
      char *text = bench_read(path);
      measure(names[i], text, seconds, block);
      free(text);
    }
    free(names[i]);
  }
}

/* The number after option argv[i] within `range`, or exit 2 saying why. */
static double number_argument(int argc, char **argv, int i, cb_cli_range range) {
  double value = 0.0;
  if (!cb_cli_number("bench_rtbudget", argv[i], i + 1 < argc ? argv[i + 1] : "", range, &value))
    exit(2);
  return value;
}

int main(int argc, char **argv) {
  double seconds = 60.0;
  uint32_t block = 256;
  double memory_mb = 4096.0;
  bool fifo = true;
  const char *only = NULL, *dir = "examples";
  bench_help(argc, argv,
             "usage: bench_rtbudget [--seconds S] [--block N] [--only TEXT] [--memory-mb M] "
             "[--no-fifo] [EXAMPLES_DIR]\n"
             "Plays each example and the README's absurd programs realtime-paced and prints\n"
             "run()'s median, p99 and worst block (target: worst <= 25% of the period).\n");
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--seconds") == 0) {
      seconds = number_argument(argc, argv, i++, (cb_cli_range){.min = 0.1, .max = 3600.0});
    } else if (strcmp(argv[i], "--block") == 0) {
      block = (uint32_t)number_argument(argc, argv, i++,
                                        (cb_cli_range){.min = 1, .max = 4096, .whole = true});
    } else if (strcmp(argv[i], "--memory-mb") == 0) {
      memory_mb = number_argument(argc, argv, i++, (cb_cli_range){.min = 256.0, .max = 1048576.0});
    } else if (strcmp(argv[i], "--no-fifo") == 0) {
      fifo = false;
    } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "unknown option %s (try --help)\n", argv[i]);
      return 2;
    } else {
      dir = argv[i];
    }
  }
  struct rlimit limit = {(rlim_t)(memory_mb * 1048576.0), (rlim_t)(memory_mb * 1048576.0)};
  if (setrlimit(RLIMIT_AS, &limit) != 0)
    perror("setrlimit");
  if (fifo && !set_fifo(true)) {
    fprintf(stderr, "SCHED_FIFO refused: the playing thread runs at normal priority\n");
    fifo = false;
  }
  set_fifo(false);
  use_fifo = fifo;
  double period = block / RATE;
  printf("run() per block, %.0f s realtime-paced, block %u at 48 kHz (period %.0f us, "
         "target worst <= %.0f us), threaded worker, playing thread %s\n",
         seconds, block, period * 1e6, TARGET_SHARE * period * 1e6,
         fifo ? "SCHED_FIFO 10" : "normal");
  printf("%-18s %9s %9s %9s %8s %9s %9s %6s %8s %10s %10s %9s %7s\n", "program", "median us",
         "p99 us", "worst us", "worst %", "cpu worst", "cycle max", "over", "worst s", "triggers",
         "dropped", "work max", "faults");
  if (wanted("(100 us loop)", only))
    measure_machine(seconds, block, 100.0);
  if (wanted("(400 us loop)", only))
    measure_machine(seconds, block, 400.0);
  measure_examples(dir, seconds, block, only);
  for (size_t i = 0; i < sizeof absurd / sizeof *absurd; ++i)
    if (wanted(absurd[i].name, only))
      measure(absurd[i].name, absurd[i].text, seconds, block);
  return 0;
}
