/* Program benchmark: compile time of each example program (worker thread)
   and prog_query time per cycle (audio thread), with a 4 MB arena and 2048
   triggers as the plugin uses, plus a 100000-events-per-cycle line that must
   stay bounded and a line with five controls under three transforms. Medians of several runs.
   The examples and bench_engines' 64-layer reference program are also
   queried as run() does: a query per 256-frame block at 48 kHz and 120 BPM
   (spans of 1/65536 cycles widened by one step at each end), with run()'s
   work budget for triggering.
   Usage: CB_TOP=. build/bench/bench_program [ref64] (ref64: only the reference program) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tools/host/text_file.h"
#include "bench_time.h"
#include "program/program.h"

#define RUNS 15
#define CYCLES 16
#define ARENA_BYTES (4u << 20)
#define TRIGGERS 2048

static char *read_example(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "examples/%s", name);
  return cb_read_repo_file(path);
}

static unsigned char arena_memory[ARENA_BYTES];
static prog_trigger triggers[TRIGGERS];
static const float macros[PROG_MACRO_COUNT] = {1000.0f, 0.7f, 0.005f, 0.05f, 0.0f};

/* The program compiled, or NULL after printing its error on its row. */
static prog_program *compiled(const char *name, const char *text) {
  prog_error error;
  prog_program *p = prog_compile(text, strlen(text), &error);
  if (!p)
    printf("%-12s %d:%d: %s\n", name, error.line, error.column, error.message);
  return p;
}

static void measure(const char *name, const char *text) {
  double compile[RUNS], query[RUNS];
  prog_error error;
  for (int r = 0; r < RUNS; ++r) {
    double start = 1e6 * bench_now();
    prog_program *p = prog_compile(text, strlen(text), &error);
    compile[r] = 1e6 * bench_now() - start;
    prog_free(p);
  }
  prog_program *p = compiled(name, text);
  if (!p)
    return;
  pat_arena arena;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  size_t total = 0, dropped = 0, lost = 0;
  for (int r = 0; r < RUNS; ++r) {
    double start = 1e6 * bench_now();
    total = lost = 0;
    for (int cycle = 0; cycle < CYCLES; ++cycle) {
      pat_arena_reset(&arena);
      total += prog_query(p, (pat_arc){pat_rat_int(cycle), pat_rat_int(cycle + 1)}, macros, &arena,
                          triggers, TRIGGERS, &dropped);
      lost += dropped;
    }
    query[r] = (1e6 * bench_now() - start) / CYCLES;
  }
  printf("%-12s compile %7.1f us   query %8.1f us/cycle   %6.1f triggers/cycle   %7.1f "
         "dropped/cycle   %.2f us/trigger\n",
         name, bench_median(compile, RUNS), bench_median(query, RUNS), (double)total / CYCLES,
         (double)lost / CYCLES, bench_median(query, RUNS) / ((double)total / CYCLES + 1e-9));
  prog_free(p);
}

/* bench/engines_scores.py's cyclebus program: `layers` layers of 8 unique
   notes a cycle, layer k shifted late by k/64 of a step. */
static char *reference_program(int layers) {
  size_t size = 512 + (size_t)layers * 512, used = 0;
  char *text = malloc(size);
  used += (size_t)snprintf(text + used, size - used,
                           "bpm: 120\n~x $ saw # lpf 2000 # env 0.005 0.05\nd1 $ stack [\n");
  for (int k = 0; k < layers; ++k) {
    used += (size_t)snprintf(text + used, size - used, "%s  %.10f ~> (s \"~x*8\" # note \"<",
                             k ? ",\n" : "", k / 64.0 / 8.0);
    for (int c = 0; c < 4; ++c) {
      used += (size_t)snprintf(text + used, size - used, "%s[", c ? " " : "");
      for (int j = 0; j < 8; ++j)
        used += (size_t)snprintf(text + used, size - used, "%s%.4f", j ? " " : "",
                                 -30.0 + (k * 32 + c * 8 + j) * 0.0137);
      used += (size_t)snprintf(text + used, size - used, "]");
    }
    used += (size_t)snprintf(text + used, size - used, ">\" # legato 0.7 # gain 0.05)");
  }
  snprintf(text + used, size - used, "\n  ]\n");
  return text;
}

#define BLOCK_FRAMES 256
#define BLOCK_RATE 48000.0
#define BLOCK_CPS 0.5    /* 120 BPM */
#define BLOCKS 1500      /* 8 s */
#define SPAN_STEPS 65536 /* run.c's SPAN_RESOLUTION */
/* run()'s triggering share of a 256-frame block's work (run.c's block_work) */
#define BLOCK_BUDGET ((1000 + 256 * 400000 / 48000) / 4 * 3)

static pat_rat block_edge(int64_t frame, int widen) {
  double cycle = (double)frame / BLOCK_RATE * BLOCK_CPS * SPAN_STEPS;
  bool overflow = false;
  return pat_rat_make((int64_t)(widen < 0 ? floor(cycle) : ceil(cycle)) + widen, SPAN_STEPS,
                      &overflow);
}

/* run()'s trigger queries: microseconds a block (median of RUNS passes over
   BLOCKS blocks), triggers, work a block (mean and most) and drops. */
static void measure_blocks(const char *name, const char *text) {
  prog_program *p = compiled(name, text);
  if (!p)
    return;
  pat_arena arena;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  double times[RUNS];
  size_t total = 0, lost = 0, dropped = 0;
  uint64_t work = 0, work_max = 0;
  for (int r = 0; r < RUNS; ++r) {
    total = lost = 0;
    work = work_max = 0;
    double start = bench_now();
    for (int64_t b = 0; b < BLOCKS; ++b) {
      pat_arena_reset(&arena);
      arena.work_budget = BLOCK_BUDGET;
      pat_arc span = {block_edge(b * BLOCK_FRAMES, -1), block_edge((b + 1) * BLOCK_FRAMES, 1)};
      total += prog_query(p, span, macros, &arena, triggers, TRIGGERS, &dropped);
      lost += dropped;
      work += arena.work_spent;
      work_max = arena.work_spent > work_max ? arena.work_spent : work_max;
    }
    times[r] = 1e6 * (bench_now() - start) / BLOCKS;
  }
  printf("%-12s block query %6.2f us (median of %d x %d blocks)   %zu triggers   work %.0f "
         "mean %llu max of %d   %zu dropped\n",
         name, bench_median(times, RUNS), RUNS, BLOCKS, total, (double)work / BLOCKS,
         (unsigned long long)work_max, BLOCK_BUDGET, lost);
  prog_free(p);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "ref64") == 0) {
    char *reference = reference_program(64);
    measure_blocks("ref64", reference);
    free(reference);
    return 0;
  }
  const char *examples[] = {"acid.cb", "chords.cb", "poly.cb", "q.cb", "stress.cb"};
  printf("prog_compile and prog_query, medians of %d runs, %d cycles each\n", RUNS, CYCLES);
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; ++i) {
    char *text = read_example(examples[i]);
    if (!text) {
      printf("%-12s cannot read (set CB_TOP to the repo root)\n", examples[i]);
      continue;
    }
    measure(examples[i], text);
    measure_blocks(examples[i], text);
    free(text);
  }
  measure("dense", "~x $ saw # lpf \"<400 800>\"\nd1 $ s \"~x*100000\" # note \"c e\"\n");
  /* five controls under three transforms, the shape of a typical Tidal line */
  measure("5ctl3xf", "~x $ saw # lpf 1000\nd1 $ every 2 (fast 2) $ off 0.125 (|+ note 12) $ jux "
                     "rev $ s \"~x*8\" # note \"c e g b\" # gain \"1 0.8\" # pan sine # legato "
                     "0.5 # lpf \"<400 800>\"\n");
  char *reference = reference_program(64);
  measure("ref64", reference);
  measure_blocks("ref64", reference);
  free(reference);
  return 0;
}
