/* Helpers shared by the synth tests: building bus graphs by hand, rendering a
   whole voice, and measuring pitch and level. Header-only (static functions). */
#ifndef CYCLEBUS_TEST_SYNTH_UTIL_H
#define CYCLEBUS_TEST_SYNTH_UTIL_H

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "synth/synth.h"

#define RATE 48000.0f

static inline synth_input P(int index) { return (synth_input){SYNTH_FROM_PARAM, (uint8_t)index}; }
static inline synth_input N(int index) { return (synth_input){SYNTH_FROM_NODE, (uint8_t)index}; }

/* Appends a node; returns its index. Unused inputs stay zero. */
static inline int add_node(synth_bus *bus, int kind, int input_count, ...) {
  synth_node *node = &bus->nodes[bus->node_count];
  memset(node, 0, sizeof *node);
  node->kind = (uint8_t)kind;
  va_list args;
  va_start(args, input_count);
  for (int i = 0; i < input_count; i++)
    node->inputs[i] = va_arg(args, synth_input);
  va_end(args);
  return bus->node_count++;
}

/* A voice at 48 kHz with `count` params. */
static inline synth_voice make_voice(uint32_t gate_frames, uint32_t total_frames, int count,
                                     const float *params) {
  synth_voice voice;
  memset(&voice, 0, sizeof voice);
  voice.sample_rate = RATE;
  voice.gate_frames = gate_frames;
  voice.total_frames = total_frames;
  voice.seed = 1234;
  for (int i = 0; i < count; i++)
    voice.params[i] = params[i];
  return voice;
}

/* Renders `frames` frames from the start, in one call. Caller frees. */
static inline float *render_all(const synth_bus *bus, const synth_voice *voice, uint32_t frames) {
  float *out = malloc(sizeof(float) * (frames ? frames : 1));
  synth_state state;
  synth_start(&state, bus, voice);
  synth_render(&state, bus, voice, out, frames);
  return out;
}

/* Frequency from the upward zero crossings (linearly interpolated) in
   samples [from, to): cycles counted between the first and last crossing. */
static inline double measured_frequency(const float *samples, int from, int to) {
  double first = -1, last = -1;
  int crossings = 0;
  for (int i = from + 1; i < to; i++) {
    if (samples[i - 1] < 0.0f && samples[i] >= 0.0f) {
      const double at = (i - 1) + samples[i - 1] / (double)(samples[i - 1] - samples[i]);
      if (first < 0)
        first = at;
      last = at;
      crossings++;
    }
  }
  if (crossings < 2)
    return 0.0;
  return (crossings - 1) * (double)RATE / (last - first);
}

static inline double rms(const float *samples, int from, int to) {
  double sum = 0;
  for (int i = from; i < to; i++)
    sum += (double)samples[i] * samples[i];
  return sqrt(sum / (to - from));
}

static inline double decibels(double ratio) { return 20.0 * log10(ratio); }

/* True when every sample is finite and either 0 or a normal float. */
static inline int all_clean(const float *samples, uint32_t count) {
  for (uint32_t i = 0; i < count; i++) {
    const float x = samples[i];
    if (!isfinite(x))
      return 0;
    if (x != 0.0f && fabsf(x) < 1.17549435e-38f)
      return 0;
  }
  return 1;
}

#endif
