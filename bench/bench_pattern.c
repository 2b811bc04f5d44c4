/* Pattern engine benchmark: parse time of the Strudel corpus and query cost
   per event of the example program's patterns, a line with five controls
   under three transforms and a dense one, as medians of several runs. Usage: CB_TOP=.
   build/bench/bench_pattern */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tools/host/text_file.h"
#include "bench_time.h"
#include "pattern/pattern.h"

#define RUNS 9

static char *read_file(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "tests/strudel/%s", name);
  return cb_read_repo_file(path);
}

/* ---- parsing --------------------------------------------------------------- */

static void bench_parse(void) {
  char *a = read_file("features.txt"), *b = read_file("generated.txt");
  if (!a || !b) {
    printf("parse: corpus not found (set CB_TOP to the repository)\n");
    free(a);
    free(b);
    return;
  }
  size_t total = strlen(a) + strlen(b) + 2;
  char *all = malloc(total);
  snprintf(all, total, "%s\n%s", a, b);
  const char *lines[1024];
  size_t lengths[1024];
  int count = 0;
  size_t bytes = 0;
  for (char *line = strtok(all, "\n"); line && count < 1024; line = strtok(NULL, "\n")) {
    if (line[0] == '#' || line[0] == '\0')
      continue;
    lines[count] = line;
    lengths[count] = strlen(line);
    bytes += lengths[count];
    count++;
  }
  double times[RUNS];
  for (int r = 0; r < RUNS; r++) {
    double start = 1e9 * bench_now();
    for (int i = 0; i < count; i++) {
      pat_store *store = pat_store_new();
      pat_error error;
      pat_parse(store, lines[i], lengths[i], 1, 1, &error);
      pat_store_free(store);
    }
    times[r] = 1e9 * bench_now() - start;
  }
  double m = bench_median(times, RUNS);
  printf("| parse corpus (%d patterns, %zu bytes) | %.2f ms | %.1f us/pattern | %.0f ns/byte |\n",
         count, bytes, m / 1e6, m / 1e3 / count, m / (double)bytes);
  free(all);
  free(a);
  free(b);
}

/* ---- querying ---------------------------------------------------------------- */

static unsigned char arena_memory[4 << 20];

typedef struct {
  const char *name;
  const pat_pattern *pattern;
  const pat_pattern *control; /* read at each onset with a zero-width query, or NULL */
} bench_case;

/* Queries `cycles` cycles in blocks of 1/blocks_per_cycle (as run() would),
   returns ns per event (events counted: all returned, fragments included). */
static double query_cost(const bench_case *c, int cycles, int blocks_per_cycle, long *events) {
  double times[RUNS];
  pat_arena arena;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  for (int r = 0; r < RUNS; r++) {
    long n = 0;
    double start = 1e9 * bench_now();
    for (int64_t k = 0; k < (int64_t)cycles * blocks_per_cycle; k++) {
      pat_arc span = {{k, blocks_per_cycle}, {k + 1, blocks_per_cycle}};
      const pat_event *ev;
      pat_arena_reset(&arena);
      size_t got = pat_query(c->pattern, span, &arena, &ev);
      n += (long)got;
      for (size_t i = 0; c->control && i < got; i++) {
        if (pat_rat_cmp(ev[i].whole.begin, ev[i].part.begin) != 0)
          continue;
        pat_arc point = {ev[i].whole.begin, ev[i].whole.begin};
        const pat_event *cv;
        n += (long)pat_query(c->control, point, &arena, &cv);
      }
    }
    times[r] = 1e9 * bench_now() - start;
    *events = n;
  }
  return *events ? bench_median(times, RUNS) / (double)*events : 0;
}

/* off's function in the five-controls line: |+ note 12 */
static const pat_pattern *octave_up(pat_store *store, const pat_pattern *q, void *context) {
  return pat_combine(store, PAT_OP_ADD, PAT_STRUCTURE_LEFT, q, (const pat_pattern *)context);
}

static const pat_pattern *set(pat_store *store, const pat_pattern *line, pat_control control,
                              const pat_pattern *values) {
  return pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT, line,
                     pat_control_pattern(store, control, values));
}

int main(void) {
  printf("| measurement | median of %d | | |\n|---|---|---|---|\n", RUNS);
  bench_parse();
  pat_store *store = pat_store_new();
  pat_error error;
#define PARSE(text) pat_parse(store, text, strlen(text), 1, 1, &error)
  const pat_pattern *bass = PARSE("~x(7,17)");
  const pat_pattern *notes = PARSE("c4'min7 f3'min7");
  const pat_pattern *lpf =
      pat_fast(store, PARSE("<3 19 3 3 2 8 9>"), PARSE("800 <300 500 200 999>"));
  const pat_pattern *dense = PARSE("[a*16, b*12, c(7,16)]*8");
  const pat_pattern *corpus_heavy =
      PARSE("<[bd [~ bd cp | -3?0.3 7 f#3*1.5] | -3/[2 3] bd@1.5 [b 0.5 eb4 c4] | "
            "{sn(5,11) eb4*<2 3> bd b c4:5*2, cp/2/3 b e4@3}(7,11,1)]!3>*3");
  /* the same line as one control pattern, as the program compiles it */
  const pat_pattern *line = pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT,
                                        pat_control_pattern(store, PAT_CONTROL_S, bass),
                                        pat_control_pattern(store, PAT_CONTROL_NOTE, notes));
  /* bench_program's five controls under three transforms, as the program
     compiles it: every 2 (fast 2) $ off 0.125 (|+ note 12) $ jux rev $
     s "~x*8" # note "c e g b" # gain "1 0.8" # pan sine # legato 0.5 # lpf "<400 800>" */
  const pat_pattern *five = pat_control_pattern(store, PAT_CONTROL_S, PARSE("~x*8"));
  five = set(store, five, PAT_CONTROL_NOTE, PARSE("c e g b"));
  five = set(store, five, PAT_CONTROL_GAIN, PARSE("1 0.8"));
  five = set(store, five, PAT_CONTROL_PAN, pat_signal(store, PAT_SIGNAL_SINE, 0));
  five = set(store, five, PAT_CONTROL_LEGATO, pat_number(store, 0.5));
  five = set(store, five, PAT_CONTROL_LPF, PARSE("<400 800>"));
  five = pat_jux(store, pat_rev(store, five), five);
  five = pat_off(store, pat_number(store, 0.125), octave_up,
                 (void *)pat_control_pattern(store, PAT_CONTROL_NOTE, pat_number(store, 12)), five);
  five = pat_every(store, pat_number(store, 2), pat_fast(store, pat_number(store, 2), five), five);
  bench_case cases[] = {
      {"~x(7,17) + note c4'min7 f3'min7 at each onset", bass, notes},
      {"s \"~x(7,17)\" # note \"c4'min7 f3'min7\" (one control pattern)", line, NULL},
      {"five controls under three transforms (bench_program's 5ctl3xf)", five, NULL},
      {"fast \"<3 19 3 3 2 8 9>\" $ \"800 <300 500 200 999>\"", lpf, NULL},
      {"[a*16, b*12, c(7,16)]*8 (dense)", dense, NULL},
      {"random-structure corpus pattern", corpus_heavy, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    long per_cycle_events = 0, per_block_events = 0;
    double cycle_ns = query_cost(&cases[i], 64, 1, &per_cycle_events);
    double block_ns = query_cost(&cases[i], 16, 128, &per_block_events);
    printf("| query %s | %.0f ns/event (1-cycle spans, %.1f events/cycle) | %.0f ns/event "
           "(1/128-cycle blocks) | %.2f us/block |\n",
           cases[i].name, cycle_ns, (double)per_cycle_events / 64, block_ns,
           block_ns * (double)per_block_events / (16.0 * 128) / 1e3);
  }
  pat_store_free(store);
  return 0;
}
