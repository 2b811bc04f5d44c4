/* Benchmark of sample playback through lilv (figures for the README): a drum
   pattern of 16 events a cycle from files this program writes (mono 44.1 kHz
   and stereo 48 kHz), run()'s CPU per second of audio pre-synthesized and
   live, its worst block, and the offline render speed.
   Usage: build/bench/bench_drums   (medians of 5 runs, 48 kHz, 120 bpm) */
#include <math.h>
#include <sndfile.h>
#include <unistd.h>

#include "bench_common.h"

#define RUNS 5
#define SECONDS 16.0

static double thread_cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Wall time inside run() for the CPU share, and the worst call's thread
   CPU time (its work; a shared machine's preemption is not run()'s). */
static double run_seconds, entered, entered_cpu, worst_block;
static void around_run(int entering) {
  double t = bench_now(), cpu = thread_cpu_now();
  if (entering) {
    entered = t;
    entered_cpu = cpu;
  } else {
    run_seconds += t - entered;
    if (cpu - entered_cpu > worst_block)
      worst_block = cpu - entered_cpu;
  }
}

static void write_wav(const char *folder, const char *name, int rate, int channels, double seconds,
                      double pitch) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s.wav", folder, name);
  SF_INFO info = {
      .samplerate = rate, .channels = channels, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
  SNDFILE *file = sf_open(path, SFM_WRITE, &info);
  if (!file) {
    fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
    exit(1);
  }
  int frames = (int)(seconds * rate);
  float *data = calloc((size_t)frames * (size_t)channels, sizeof(float));
  for (int i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c)
      data[i * channels + c] = (float)(0.7 * exp(-6.0 * i / frames) *
                                       sin(2.0 * M_PI * pitch * (1 + c * 0.01) * i / rate));
  sf_writef_float(file, data, frames);
  sf_close(file);
  free(data);
}

/* run() CPU in percent of one core per second of audio, and the worst
   block's CPU time in percent of its period, with the worker on its own thread;
   pre-synthesis in steady state (a first pass fills the cache). */
static void run_cpu(const char *text, uint32_t block, bool presynth, double *cpu, double *worst) {
  double cpus[RUNS], worsts[RUNS];
  for (int i = 0; i < RUNS; ++i) {
    cb_host *host = bench_host(false, 4096, 0); /* the worker on its own thread, as a host's */
    bench_load(host, text);
    cb_host_set_presynth(host, presynth);
    if (presynth)
      bench_play(host, SECONDS, block);
    cb_host_around_run = around_run;
    run_seconds = worst_block = 0;
    bench_play(host, SECONDS, block);
    cb_host_around_run = NULL;
    cpus[i] = 100.0 * run_seconds / SECONDS;
    worsts[i] = 100.0 * worst_block / (block / 48000.0);
    cb_host_free(host);
  }
  *cpu = bench_median(cpus, RUNS);
  *worst = bench_median(worsts, RUNS);
}

int main(int argc, char **argv) {
  (void)bench_read;
  bench_help(argc, argv,
             "usage: bench_drums\n"
             "prints run()'s CPU and worst block for a 16-events-a-cycle drum pattern of\n"
             "samples (pre-synthesized and live) and the offline render speed\n");
  char folder[] = "/tmp/cyclebus-bench-drums-XXXXXX";
  if (!mkdtemp(folder))
    return 1;
  write_wav(folder, "zbd", 44100, 1, 0.45, 55.0);
  write_wav(folder, "zsn", 48000, 2, 0.3, 190.0);
  write_wav(folder, "zhh", 44100, 1, 0.08, 7000.0);
  write_wav(folder, "zcp", 48000, 2, 0.25, 900.0);
  char text[8192];
  snprintf(text, sizeof text,
           "bpm: 120\nsamples: %s\n"
           "d1 $ s \"zbd*4\"\n"                                 /* 4 */
           "d2 $ s \"~ zsn ~ zsn\" # cut 1\n"                   /* 2 */
           "d3 $ s \"zhh*8\" # gain \"0.9 0.6\" # pan 0.6\n"    /* 8 */
           "d4 $ s \"~ zcp\" # speed \"<1 1.5>\" # lpf 3000\n", /* 2 */
           folder);
  printf("drums: 16 sample events a cycle (4 files: mono 44.1k, stereo 48k), 120 bpm, 48 kHz,\n"
         "median of %d runs of %.0f s\n",
         RUNS, SECONDS);
  printf("%-18s %10s %14s\n", "run()", "CPU", "worst block (thread CPU time)");
  const uint32_t blocks[] = {64, 256};
  for (int live = 0; live < 2; ++live)
    for (size_t b = 0; b < 2; ++b) {
      double cpu, worst;
      run_cpu(text, blocks[b], !live, &cpu, &worst);
      char label[40];
      snprintf(label, sizeof label, "%s, block %u", live ? "live" : "pre-synth", blocks[b]);
      printf("%-18s %9.3f%% %12.2f%% of its period\n", label, cpu, worst);
      fflush(stdout);
    }
  double speeds[RUNS];
  for (int i = 0; i < RUNS; ++i) {
    cb_host *host = bench_host(true, 4096, 0);
    bench_load(host, text);
    speeds[i] = SECONDS / bench_play(host, SECONDS, 1024);
    cb_host_free(host);
  }
  printf("offline render (sync worker, block 1024): %.0fx realtime\n", bench_median(speeds, RUNS));
  char command[200];
  snprintf(command, sizeof command, "rm -rf '%s'", folder);
  return system(command) == 0 ? 0 : 1;
}
