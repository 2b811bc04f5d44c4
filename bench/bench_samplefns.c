/* Tidal's sample functions: the query cost of one line with each (16 sample
   events a cycle), queried as the program queries (blocks of 1/64 cycle,
   onsets only), beside the same line without it. Medians of several runs.
   Usage: build/bench/bench_samplefns */
#include <stdio.h>
#include <string.h>

#include "bench_time.h"
#include "program/program.h"

#define RUNS 9
#define CYCLES 100
#define BLOCKS_PER_CYCLE 64

static unsigned char arena_memory[1u << 20];

static const char *const lines[] = {
    "s \"bd*16\"",
    "s \"bd*16\" # begin 0.25 # end 0.5",
    "chop 16 $ s \"bd\"",
    "striate 16 $ s \"bd\"",
    "striateBy 16 0.125 $ s \"bd\"",
    "slice 16 \"0 .. 15\" $ s \"bd\"",
    "splice 16 \"0 .. 15\" $ s \"bd\"",
    "randslice 16 $ s \"bd*16\"",
    "bite 16 \"0 .. 15\" $ s \"bd*16\"",
    "chew 16 \"0 .. 15\" $ s \"bd*16\"",
    "loopAt 2 $ chop 32 $ s \"bd\"",
};

/* One run: every block of CYCLES cycles; returns the onsets found. */
static size_t query_all(const pat_pattern *pattern) {
  size_t onsets = 0;
  for (int64_t b = 0; b < CYCLES * BLOCKS_PER_CYCLE; b++) {
    pat_arena arena;
    pat_arena_init(&arena, arena_memory, sizeof arena_memory);
    arena.onsets_only = true;
    bool overflow = false;
    pat_arc block = {pat_rat_make(b, BLOCKS_PER_CYCLE, &overflow),
                     pat_rat_make(b + 1, BLOCKS_PER_CYCLE, &overflow)};
    const pat_event *events;
    size_t n = pat_query(pattern, block, &arena, &events);
    for (size_t i = 0; i < n; i++)
      onsets += pat_rat_cmp(events[i].part.begin, events[i].whole.begin) == 0;
  }
  return onsets;
}

int main(void) {
  printf("query per block of 1/%d cycle, onsets only (median of %d runs of %d cycles)\n",
         BLOCKS_PER_CYCLE, RUNS, CYCLES);
  for (size_t l = 0; l < sizeof lines / sizeof lines[0]; l++) {
    char text[256];
    snprintf(text, sizeof text, "d1 $ %s\n", lines[l]);
    prog_error error;
    prog_program *program = prog_compile(text, strlen(text), &error);
    if (!program) {
      printf("%s: %s\n", lines[l], error.message);
      continue;
    }
    double runs[RUNS];
    size_t onsets = 0;
    for (int r = 0; r < RUNS; r++) {
      double start = bench_now();
      onsets = query_all(prog_output_pattern(program, 0));
      runs[r] = (bench_now() - start) / (CYCLES * BLOCKS_PER_CYCLE) * 1e6;
    }
    printf("  %-36s %6.2f us a block, %4.1f onsets a cycle\n", lines[l], bench_median(runs, RUNS),
           (double)onsets / CYCLES);
    prog_free(program);
  }
  return 0;
}
