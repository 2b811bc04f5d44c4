/* The voice pool's worst block: the default pool (256) kept full of long
   voices while every block starts as many voices as a block may (256) or
   more, so each start steals, retires or fades. Prints the median and worst
   CPU time (median, p99, worst) of voice_start + voice_mix per block of 256 frames
   after the pool is full, for sample voices
   (the mix is cheap, the starts' bookkeeping shows) and live voices.
   Usage: build/bench/bench_voices [BLOCKS]   (default 2000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../plugin/voices/voices.h"
#include "bench_time.h"

#define BLOCK 256

/* Thread CPU time: on a shared machine, wall time's tail is other processes. */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void no_release(void *owner, uint32_t ref) {
  (void)owner;
  (void)ref;
}

static synth_bus saw_env_bus(void) {
  synth_bus bus;
  memset(&bus, 0, sizeof bus);
  bus.nodes[0].kind = SYNTH_SAW;
  bus.nodes[0].inputs[0] = (synth_input){SYNTH_FROM_PARAM, 0};
  bus.nodes[1].kind = SYNTH_ENV;
  bus.nodes[1].inputs[0] = (synth_input){SYNTH_FROM_NODE, 0};
  bus.nodes[1].inputs[1] = (synth_input){SYNTH_FROM_PARAM, 1};
  bus.nodes[1].inputs[2] = (synth_input){SYNTH_FROM_PARAM, 2};
  bus.node_count = 2;
  bus.param_count = 3;
  return bus;
}

/* `starts` voices a block at spread frames; voice length varies so that
   natural ends fall between starts too. */
static void measure(const char *what, bool live, uint32_t starts, int blocks) {
  static float buffer[96000], left[BLOCK], right[BLOCK];
  for (int i = 0; i < 96000; ++i)
    buffer[i] = (float)(i % 100) / 100.0f - 0.5f;
  synth_bus bus = saw_env_bus();
  synth_voice voice;
  memset(&voice, 0, sizeof voice);
  voice.sample_rate = 48000.0f;
  voice.params[0] = 110.0f;
  voice.params[1] = 0.001f;
  voice.params[2] = 0.1f;
  voice_pool pool;
  if (!voice_pool_init(&pool, 0, 48000.0, no_release, NULL))
    return;
  double *times = malloc(sizeof(double) * (size_t)blocks);
  uint32_t serial = 0;
  for (int b = 0; b < blocks; ++b) {
    memset(left, 0, sizeof left);
    memset(right, 0, sizeof right);
    const double begin = cpu_now();
    for (uint32_t s = 0; s < starts; ++s, ++serial) {
      const uint32_t length = 20000 + (serial * 7919u) % 60000;
      const uint32_t frame = s * BLOCK / starts;
      if (live) {
        voice.gate_frames = length - 4800;
        voice.total_frames = length;
        voice_start_live(&pool, frame, &bus, &voice, 0.1f, 0.5f);
      } else {
        voice_start_sample(&pool, frame, buffer, length, 0, 0.1f, 0.5f);
      }
    }
    voice_mix(&pool, left, right, 0, BLOCK);
    voice_end_block(&pool);
    times[b] = cpu_now() - begin;
  }
  /* the first blocks fill the pool (and touch its pages): not measured */
  const int warm = blocks / 10, measured = blocks - warm;
  const double median = bench_median(times + warm, measured); /* sorts them */
  const double p99 = times[warm + (measured * 99) / 100], worst = times[blocks - 1];
  printf("%-50s median %7.1f us  p99 %7.1f us  worst %7.1f us (%.0f %% of 5.33 ms)"
         "  stolen %llu dropped %llu cut %llu\n",
         what, median * 1e6, p99 * 1e6, worst * 1e6, 100.0 * worst / (BLOCK / 48000.0),
         (unsigned long long)pool.stolen_count, (unsigned long long)pool.dropped_count,
         (unsigned long long)pool.cut_count);
  free(times);
  voice_pool_destroy(&pool);
}

int main(int argc, char **argv) {
  const int blocks = argc > 1 ? atoi(argv[1]) : 2000;
  if (blocks <= 0) {
    fprintf(stderr, "usage: bench_voices [BLOCKS]\n");
    return 1;
  }
  measure("sample voices, 16 starts a block", false, 16, blocks);
  measure("sample voices, 256 starts a block", false, 256, blocks);
  measure("sample voices, 2048 starts a block (7/8 dropped)", false, 2048, blocks);
  measure("live voices, 16 starts a block", true, 16, blocks / 4);
  measure("live voices, 256 starts a block", true, 256, blocks / 4);
  return 0;
}
