/* Program benchmark: compile time of each example program (worker thread)
   and prog_query time per cycle (audio thread), with a 4 MB arena and 2048
   triggers as the plugin uses, plus a 100000-events-per-cycle line that must
   stay bounded and a line with five controls under three transforms. Medians of several runs.
   Usage: CB_TOP=. build/bench/bench_program */
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

static void measure(const char *name, const char *text) {
  double compile[RUNS], query[RUNS];
  prog_error error;
  for (int r = 0; r < RUNS; ++r) {
    double start = 1e6 * bench_now();
    prog_program *p = prog_compile(text, strlen(text), &error);
    compile[r] = 1e6 * bench_now() - start;
    prog_free(p);
  }
  prog_program *p = prog_compile(text, strlen(text), &error);
  if (!p) {
    printf("%-12s %d:%d: %s\n", name, error.line, error.column, error.message);
    return;
  }
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

int main(void) {
  const char *examples[] = {"acid.cb", "chords.cb", "poly.cb", "q.cb", "stress.cb"};
  printf("prog_compile and prog_query, medians of %d runs, %d cycles each\n", RUNS, CYCLES);
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; ++i) {
    char *text = read_example(examples[i]);
    if (!text) {
      printf("%-12s cannot read (set CB_TOP to the repo root)\n", examples[i]);
      continue;
    }
    measure(examples[i], text);
    free(text);
  }
  measure("dense", "~x $ saw # lpf \"<400 800>\"\nd1 $ s \"~x*100000\" # note \"c e\"\n");
  /* five controls under three transforms, the shape of a typical Tidal line */
  measure("5ctl3xf", "~x $ saw # lpf 1000\nd1 $ every 2 (fast 2) $ off 0.125 (|+ note 12) $ jux "
                     "rev $ s \"~x*8\" # note \"c e g b\" # gain \"1 0.8\" # pan sine # legato "
                     "0.5 # lpf \"<400 800>\"\n");
  return 0;
}
