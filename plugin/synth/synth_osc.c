/* Oscillators: band-limited saw/square/pulse (BLEP) and triangle (BLAMP), a
   polynomial sine and seeded xorshift noise. Phases are doubles in [0, 1)
   advanced by frequency / rate each frame; the frequency may change every
   frame. */
#include "synth_blep.h"

/* Band-limiting: each discontinuity of the naive wave is smoothed by a
   Kaiser-windowed sinc kernel BLEP_HALF samples either side of it, so the
   wave is in effect the ideal wave through that low-pass: flat (within
   0.1 dB) to 0.38 of the rate, down more than 90 dB from 0.64 of it, so what
   folds back lands above 0.36 of the rate (16 kHz at 44.1 kHz). The residual
   (smoothed step minus naive step) is added around each discontinuity: a
   function of the signed distance d to it in samples, predicted from the
   current frequency, so it needs no look-ahead and no state. The tables of
   the residuals are computed at build time by
   plugin/synth/tables/gen_blep_tables.c. */
#include "synth_blep_tables.h"

static void saw_block(synth_node_state *node, const float *freq, double inv_rate, float *out,
                      int n) {
  double phase = node->phase;
  for (int i = 0; i < n; i++) {
    const double phase_step = freq[i] * inv_rate;
    out[i] =
        (float)blep_corrected(SYNTH_SAW, phase, blep_pace_at(phase_step), 0.0, 2.0 * phase - 1.0);
    phase = synth_advance_phase(phase, phase_step);
  }
  node->phase = phase;
}

/* Square is the pulse with width 0.5: +2 at phase 0, -2 at the width; the
   pulse's mean (2 * width - 1) is removed so narrow pulses do not thump. */
static void pulse_block(synth_node_state *node, const float *freq, const float *width,
                        int width_stride, double inv_rate, float *out, int n) {
  double phase = node->phase;
  for (int i = 0; i < n; i++) {
    const double phase_step = freq[i] * inv_rate;
    const double w = width[i * width_stride];
    const double value = (phase < w ? 1.0 : -1.0) - (2.0 * w - 1.0);
    out[i] = (float)blep_corrected(SYNTH_PULSE, phase, blep_pace_at(phase_step), w, value);
    phase = synth_advance_phase(phase, phase_step);
  }
  node->phase = phase;
}

/* Triangle starting at 0 rising; corners at phase 0.25 (peak) and 0.75. Its
   slope is +-4 per cycle, so each corner changes it by 8 * phase_step per
   sample, and the BLAMP residual is scaled by that. */
static void tri_block(synth_node_state *node, const float *freq, double inv_rate, float *out,
                      int n) {
  double phase = node->phase;
  for (int i = 0; i < n; i++) {
    const double phase_step = freq[i] * inv_rate;
    double shifted = phase + 0.25;
    if (shifted >= 1.0)
      shifted -= 1.0;
    const double value = 1.0 - 4.0 * fabs(shifted - 0.5);
    out[i] = (float)blep_corrected(SYNTH_TRI, phase, blep_pace_at(phase_step), 0.0, value);
    phase = synth_advance_phase(phase, phase_step);
  }
  node->phase = phase;
}

double synth_sine_of_phase(double phase) { return synth_sine_poly(phase); }

static void sine_block(synth_node_state *node, const float *freq, double inv_rate, float *out,
                       int n) {
  double phase = node->phase;
  for (int i = 0; i < n; i++) {
    out[i] = (float)synth_sine_poly(phase);
    phase = synth_advance_phase(phase, freq[i] * inv_rate);
  }
  node->phase = phase;
}

void synth_noise_seed(synth_node_state *node, uint32_t seed, int node_index) {
  /* a murmur3-style finalizer, so nearby seeds and noise nodes decorrelate */
  uint32_t x = seed ^ (0x9E3779B9u * (uint32_t)(node_index + 1));
  x ^= x >> 16;
  x *= 0x85EBCA6Bu;
  x ^= x >> 13;
  x *= 0xC2B2AE35u;
  x ^= x >> 16;
  node->noise = x != 0 ? x : 0x6D2B79F5u; /* xorshift must not start at 0 */
}

static void noise_block(synth_node_state *node, float *out, int n) {
  uint32_t x = node->noise;
  for (int i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = (float)((double)x * (1.0 / 2147483648.0) - 1.0);
  }
  node->noise = x;
}

void synth_osc_block(synth_node_state *node, int kind, const synth_block_input *inputs, float rate,
                     float *out, int n) {
  const double inv_rate = 1.0 / (double)rate;
  switch (kind) {
  case SYNTH_SAW:
    saw_block(node, inputs[0].values, inv_rate, out, n);
    break;
  case SYNTH_SQUARE: {
    static const float half = 0.5f;
    pulse_block(node, inputs[0].values, &half, 0, inv_rate, out, n);
    break;
  }
  case SYNTH_PULSE:
    pulse_block(node, inputs[0].values, inputs[1].values, 1, inv_rate, out, n);
    break;
  case SYNTH_TRI:
    tri_block(node, inputs[0].values, inv_rate, out, n);
    break;
  case SYNTH_SINE:
    sine_block(node, inputs[0].values, inv_rate, out, n);
    break;
  default:
    noise_block(node, out, n);
    break;
  }
}
