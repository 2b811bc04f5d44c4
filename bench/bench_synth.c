/* Benchmark of synthesis: nanoseconds per output sample for typical bus
   graphs, rendered one voice at a time by synth_render (whole, and in
   256-frame slices as a live voice on the audio thread is), and as the
   pre-synthesis worker renders them: synth_render_voices, VOICES_PER_RUN
   voices of different pitches together (in SIMD lanes where the graph is a
   chain the fused kernel takes), with each build of the kernel this machine
   runs (SSE2, AVX2, AVX-512; at the AVX-512 level, as in the plugin, the
   call of the last four voices takes the AVX2 build). Prints medians of
   runs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_time.h"
#include "synth/synth_private.h"

#define RATE 48000.0f
#define VOICE_FRAMES 48000 /* one second per voice */
#define VOICES_PER_RUN 20
#define RUNS 15

typedef struct {
  const char *name;
  synth_bus bus;
  float params[SYNTH_MAX_PARAMS];
} bench_graph;

static synth_input param(int index) { return (synth_input){SYNTH_FROM_PARAM, (uint8_t)index}; }
static synth_input node(int index) { return (synth_input){SYNTH_FROM_NODE, (uint8_t)index}; }

static void add(synth_bus *bus, int kind, synth_input a, synth_input b, synth_input c) {
  synth_node *n = &bus->nodes[bus->node_count++];
  n->kind = (uint8_t)kind;
  n->inputs[0] = a;
  n->inputs[1] = b;
  n->inputs[2] = c;
}

static int build(bench_graph *graphs) {
  const synth_input none = param(0);
  bench_graph *g = graphs;
  g->name = "saw > lpf > env";
  add(&g->bus, SYNTH_SAW, param(0), none, none);
  add(&g->bus, SYNTH_LPF, node(0), param(1), param(2));
  add(&g->bus, SYNTH_ENV, node(1), param(3), param(4));
  g->bus.param_count = 5;
  memcpy(g->params, (float[]){110, 800, 0.707f, 0.005f, 0.2f}, 5 * sizeof(float));
  g++;
  g->name = "square > hpf > lpf > env";
  add(&g->bus, SYNTH_SQUARE, param(0), none, none);
  add(&g->bus, SYNTH_HPF, node(0), param(1), param(2));
  add(&g->bus, SYNTH_LPF, node(1), param(3), param(4));
  add(&g->bus, SYNTH_ENV, node(2), param(5), param(6));
  g->bus.param_count = 7;
  memcpy(g->params, (float[]){220, 300, 0.707f, 2400, 0.9f, 0.002f, 0.1f}, 7 * sizeof(float));
  g++;
  g->name = "saw > lpenv > shape > env (acid)";
  add(&g->bus, SYNTH_SAW, param(0), none, none);
  synth_node *filter = &g->bus.nodes[g->bus.node_count++];
  filter->kind = SYNTH_LPF_ENV;
  filter->inputs[0] = node(0);
  for (int j = 1; j < 8; j++)
    filter->inputs[j] = param(j);
  add(&g->bus, SYNTH_SHAPE, node(1), param(8), none);
  add(&g->bus, SYNTH_ENV, node(2), param(9), param(10));
  g->bus.param_count = 11;
  memcpy(g->params, (float[]){55, 300, 7, 4, 0.005f, 0.2f, 0.1f, 0.1f, 0.5f, 0.005f, 0.2f},
         11 * sizeof(float));
  g++;
  g->name = "noise > hpf > env";
  add(&g->bus, SYNTH_NOISE, none, none, none);
  add(&g->bus, SYNTH_HPF, node(0), param(0), param(1));
  add(&g->bus, SYNTH_ENV, node(1), param(2), param(3));
  g->bus.param_count = 4;
  memcpy(g->params, (float[]){7000, 0.707f, 0.001f, 0.04f}, 4 * sizeof(float));
  g++;
  g->name = "saw > lpf (sine*400+800) > env";
  add(&g->bus, SYNTH_SINE, param(0), none, none);
  add(&g->bus, SYNTH_MUL, node(0), param(1), none);
  add(&g->bus, SYNTH_ADD, node(1), param(2), none);
  add(&g->bus, SYNTH_SAW, param(3), none, none);
  add(&g->bus, SYNTH_LPF, node(3), node(2), param(4));
  add(&g->bus, SYNTH_ENV, node(4), param(5), param(6));
  g->bus.param_count = 7;
  memcpy(g->params, (float[]){0.5f, 400, 800, 110, 0.707f, 0.005f, 0.2f}, 7 * sizeof(float));
  g++;
  g->name = "saw + saw > lpf > env (pad)";
  add(&g->bus, SYNTH_SAW, param(0), none, none);
  add(&g->bus, SYNTH_SAW, param(1), none, none);
  add(&g->bus, SYNTH_ADD, node(0), node(1), none);
  add(&g->bus, SYNTH_LPF, node(2), param(2), param(3));
  add(&g->bus, SYNTH_ENV, node(3), param(4), param(5));
  g->bus.param_count = 6;
  memcpy(g->params, (float[]){220, 221.5f, 1200, 0.5f, 0.4f, 1.5f}, 6 * sizeof(float));
  g++;
  return (int)(g - graphs);
}

static float sink; /* keeps the rendering from being optimized away */

/* Median ns per sample over RUNS runs of VOICES_PER_RUN voices, one at a
   time, in `slice`-frame calls. */
static double measure(const bench_graph *g, uint32_t slice, float *buffer) {
  double runs[RUNS];
  synth_voice voice;
  memset(&voice, 0, sizeof voice);
  voice.sample_rate = RATE;
  voice.gate_frames = VOICE_FRAMES / 2;
  voice.total_frames = VOICE_FRAMES;
  memcpy(voice.params, g->params, sizeof voice.params);
  synth_state state;
  for (int r = 0; r < RUNS; r++) {
    const double start = 1e9 * bench_now();
    for (int v = 0; v < VOICES_PER_RUN; v++) {
      voice.seed = (uint32_t)v;
      synth_start(&state, &g->bus, &voice);
      for (uint32_t done = 0; done < VOICE_FRAMES; done += slice) {
        const uint32_t n = VOICE_FRAMES - done < slice ? VOICE_FRAMES - done : slice;
        synth_render(&state, &g->bus, &voice, buffer + done, n);
      }
      sink += buffer[VOICE_FRAMES / 3];
    }
    runs[r] = (1e9 * bench_now() - start) / ((double)VOICES_PER_RUN * VOICE_FRAMES);
  }
  return bench_median(runs, RUNS);
}

/* The same voices at pitches a semitone apart, rendered together. */
static double measure_together(const bench_graph *g, float *buffers) {
  double runs[RUNS];
  synth_voice voices[VOICES_PER_RUN];
  const synth_voice *list[VOICES_PER_RUN];
  float *outs[VOICES_PER_RUN];
  for (int v = 0; v < VOICES_PER_RUN; v++) {
    memset(&voices[v], 0, sizeof voices[v]);
    voices[v].sample_rate = RATE;
    voices[v].gate_frames = VOICE_FRAMES / 2;
    voices[v].total_frames = VOICE_FRAMES;
    voices[v].seed = (uint32_t)v;
    memcpy(voices[v].params, g->params, sizeof voices[v].params);
    voices[v].params[0] *= powf(2.0f, (float)v / 12.0f);
    list[v] = &voices[v];
    outs[v] = buffers + (size_t)v * VOICE_FRAMES;
  }
  for (int r = 0; r < RUNS; r++) {
    const double start = 1e9 * bench_now();
    synth_render_voices(&g->bus, list, outs, VOICES_PER_RUN);
    sink += buffers[VOICE_FRAMES / 3];
    runs[r] = (1e9 * bench_now() - start) / ((double)VOICES_PER_RUN * VOICE_FRAMES);
  }
  return bench_median(runs, RUNS);
}

int main(void) {
  static bench_graph graphs[8];
  const int count = build(graphs);
  float *buffer = malloc(sizeof(float) * VOICE_FRAMES * VOICES_PER_RUN);
  if (!buffer)
    return 1;
  printf("synth_render, %d voices x %d frames at %.0f Hz, median of %d runs\n", VOICES_PER_RUN,
         VOICE_FRAMES, RATE, RUNS);
  printf("%-34s %10s %10s %10s %10s %10s\n", "ns per voice-sample", "whole", "256-slice",
         "lanes sse2", "avx2", "avx512");
  for (int i = 0; i < count; i++) {
    const double whole = measure(&graphs[i], VOICE_FRAMES, buffer);
    const double sliced = measure(&graphs[i], 256, buffer);
    printf("%-34s %10.2f %10.2f", graphs[i].name, whole, sliced);
    for (int level = 0; level < 3; level++)
      if (synth_chain_use_build(level))
        printf(" %10.2f", measure_together(&graphs[i], buffer));
      else
        printf(" %10s", "-");
    printf("\n");
    synth_chain_use_build(-1);
  }
  free(buffer);
  return sink == 12345.0f; /* never true in practice; uses sink */
}
