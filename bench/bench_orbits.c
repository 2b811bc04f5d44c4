/* The orbits' effects (figures for the README): CPU per second of audio
   with 1 and with 8 orbits busy (every busy orbit's reverb and delay fed
   noise all the time), at blocks of 64 and 256 frames, and the cost of idle
   orbits; run() through lilv for q.cb and for q.cb with a reverb
   (examples/space.cb); the reverb's wet energy for a unit impulse.
   Usage: build/bench/bench_orbits [EXAMPLES_DIR]   (medians of 5 runs, 48 kHz,
   thread CPU time: the machine may be shared, wall time is not the cost) */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../plugin/orbits/orbits.h"
#include "bench_common.h"

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define RATE 48000.0
#define RUNS 5
#define SECONDS 10.0

static float noise(uint32_t *state) {
  *state = *state * 1664525u + 1013904223u;
  return (float)(*state >> 8) / 8388608.0f - 1.0f;
}

/* ms of CPU per second of audio with `busy` orbits fed. */
static double cost(uint32_t busy, uint32_t block) {
  double values[RUNS];
  for (int run = 0; run < RUNS; ++run) {
    orbit_bank bank;
    if (!orbit_bank_init(&bank, RATE))
      return NAN;
    orbit_params p = {ORBIT_SET_SIZE | ORBIT_SET_DELAYTIME | ORBIT_SET_DELAYFEEDBACK, 0.8f, 0.3f,
                      0.6f, false};
    for (uint32_t o = 0; o < busy; ++o)
      orbit_set(&bank, o, 0, &p);
    float left[ORBIT_CHUNK], right[ORBIT_CHUNK];
    uint32_t seed = 1, frames = (uint32_t)(SECONDS * RATE);
    double spent = 0;
    for (uint32_t done = 0; done < frames; done += block) {
      orbit_inputs *in = orbit_begin_chunk(&bank, block);
      for (uint32_t o = 0; o < busy; ++o) {
        orbit_mark(&in->dry_used, in->dry[o], o, block);
        orbit_mark(&in->room_used, in->room[o], o, block);
        orbit_mark(&in->delay_used, in->delay[o], o, block);
        for (uint32_t i = 0; i < block; ++i) {
          float x = 0.1f * noise(&seed);
          in->dry[o][0][i] = in->dry[o][1][i] = x;
          in->room[o][0][i] = in->room[o][1][i] = 0.3f * x;
          in->delay[o][0][i] = in->delay[o][1][i] = 0.2f * x;
        }
      }
      double start = cpu_now();
      orbit_process(&bank, 96000.0, left, right, NULL);
      spent += cpu_now() - start;
      orbit_end_block(&bank);
    }
    values[run] = 1000.0 * spent / SECONDS;
    orbit_bank_destroy(&bank);
  }
  return bench_median(values, RUNS);
}

/* Energy of the wet output for a unit impulse into the room send, relative
   to the impulse's: how loud `room 1` is for each size. */
static double wet_energy(float size) {
  orbit_bank bank;
  if (!orbit_bank_init(&bank, RATE))
    return NAN;
  orbit_params p = {.present = ORBIT_SET_SIZE, .size = size};
  orbit_set(&bank, 0, 0, &p);
  float left[ORBIT_CHUNK], right[ORBIT_CHUNK];
  double energy = 0;
  for (uint32_t done = 0; done < 30 * RATE; done += ORBIT_CHUNK) {
    orbit_inputs *in = orbit_begin_chunk(&bank, ORBIT_CHUNK);
    if (done == 24064) {
      orbit_mark(&in->room_used, in->room[0], 0, ORBIT_CHUNK);
      in->room[0][0][0] = 1.0f;
    }
    orbit_process(&bank, 96000.0, left, right, NULL);
    orbit_end_block(&bank);
    for (uint32_t i = 0; i < ORBIT_CHUNK; ++i)
      energy += (double)left[i] * left[i];
  }
  orbit_bank_destroy(&bank);
  return energy;
}

/* run()'s CPU time per second of audio, in % of a core, for a program
   played 16 s from bar 0 after a first pass has filled the cache. */
static double run_spent, run_entered;
static void around_run(int entering) {
  double t = cpu_now();
  if (entering)
    run_entered = t;
  else
    run_spent += t - run_entered;
}

static double run_percent(const char *text, uint32_t block) {
  double values[RUNS];
  const double seconds = 16.0;
  for (int run = 0; run < RUNS; ++run) {
    cb_host *host = bench_host(true, 4096, 0);
    bench_load(host, text);
    float *l = malloc(block * sizeof(float)), *r = malloc(block * sizeof(float));
    for (int pass = 0; pass < 2; ++pass) {
      cb_host_around_run = pass ? around_run : NULL;
      run_spent = 0;
      for (uint32_t done = 0; done < seconds * RATE; done += block) {
        if (done == 0)
          cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
        cb_host_run(host, block, l, r);
      }
    }
    cb_host_around_run = NULL;
    values[run] = 100.0 * run_spent / seconds;
    free(l);
    free(r);
    cb_host_free(host);
  }
  return bench_median(values, RUNS);
}

int main(int argc, char **argv) {
  bench_help(argc, argv,
             "usage: bench_orbits [EXAMPLES_DIR]\n"
             "prints the orbits' effects' CPU with 0, 1 and 8 orbits busy, run()'s CPU for\n"
             "q.cb and space.cb (q.cb with a reverb), and the reverb's wet energy\n");
  const char *dir = argc > 1 ? argv[1] : "examples";
  printf("orbit effects, ms of CPU per second of audio (%% of a core = ms / 10), 48 kHz\n");
  printf("%-28s %10s %10s\n", "", "block 64", "block 256");
  const uint32_t busy[] = {0, 1, 8};
  for (int i = 0; i < 3; ++i)
    printf("%u orbit%s busy (reverb+delay) %9.3f %10.3f\n", busy[i], busy[i] == 1 ? " " : "s",
           cost(busy[i], 64), cost(busy[i], 256));
  printf("\nrun() CPU, %% of one core, pre-synthesis (thread CPU time)\n");
  printf("%-28s %10s %10s\n", "", "block 64", "block 256");
  const char *names[] = {"q", "space", "orbits"};
  for (int i = 0; i < 3; ++i) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.cb", dir, names[i]);
    char *text = bench_read(path);
    printf("%-28s %9.3f%% %9.3f%%\n", path, run_percent(text, 64), run_percent(text, 256));
    fflush(stdout);
    free(text);
  }
  printf("\nwet energy of a unit impulse into room (left channel)\n");
  const float sizes[] = {0.1f, 0.5f, 0.8f, 0.9f};
  for (int i = 0; i < 4; ++i)
    printf("size %.1f (RT60 %.2f s): %.3f (%.1f dB)\n", sizes[i], orbit_rt60(sizes[i]),
           wet_energy(sizes[i]), 10 * log10(wet_energy(sizes[i])));
  return 0;
}
