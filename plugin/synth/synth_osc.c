/* Oscillators: PolyBLEP saw/square/pulse, PolyBLAMP triangle, a polynomial
   sine and seeded xorshift noise. Phases are doubles in [0, 1) advanced by
   frequency / rate each frame; the frequency may change every frame. */
#include "synth_private.h"

/* Four-sample polynomial residuals: a discontinuity is smoothed by the
   cubic B-spline (support: two samples either side), and the residual is the
   smoothed step (BLEP) or ramp (BLAMP) minus the naive one, as a function of
   the signed distance d to the discontinuity in samples, |d| < 2. The cubic
   B-spline is a far better anti-alias kernel than the usual two-sample
   (linear) one: it keeps every alias of a 10 kHz saw at 48 kHz at least 20 dB
   below the naive saw's, for a gentle roll-off (sinc^4) of the top harmonics.
   Derivation: smoothed step(-u) for u = |d| is the kernel's tail integral. */
static inline double step_tail(double u) {
  if (u >= 1.0) {
    const double far = 2.0 - u;
    return far * far * far * far * (1.0 / 24.0);
  }
  return 0.5 + u * (-2.0 / 3.0 + u * u * (1.0 / 3.0 - u * (1.0 / 8.0)));
}

static inline double step_residual(double d) { return d < 0.0 ? step_tail(-d) : -step_tail(d); }

/* The integral of the residual above; even in d. */
static inline double ramp_residual(double d) {
  const double v = fabs(d);
  if (v >= 1.0) {
    const double far = 2.0 - v, far2 = far * far;
    return far2 * far2 * far * (1.0 / 120.0);
  }
  return 7.0 / 30.0 + v * (-0.5 + v * (1.0 / 3.0 + v * v * (-1.0 / 12.0 + v * (1.0 / 40.0))));
}

/* Every discontinuity at `corner` (a phase, in cycles) within two samples of
   `phase`: the nearest one, and the one a cycle away when the period is under
   four samples. Returns the sum of their step (or ramp) residuals. Callers
   test near_corner() first: most samples are nowhere near a corner. */
static inline int near_corner(double phase, double corner, double phase_step) {
  const double distance = fabs(phase - corner), reach = 2.0 * phase_step;
  return distance < reach || distance > 1.0 - reach;
}

static inline double steps_near(double phase, double corner, double phase_step) {
  const double reach = 2.0 * phase_step;
  const double u = phase - corner, other = u >= 0.0 ? u - 1.0 : u + 1.0;
  double sum = 0.0;
  if (fabs(u) < reach)
    sum += step_residual(u / phase_step);
  if (fabs(other) < reach)
    sum += step_residual(other / phase_step);
  return sum;
}

static inline double ramps_near(double phase, double corner, double phase_step) {
  const double reach = 2.0 * phase_step;
  const double u = phase - corner, other = u >= 0.0 ? u - 1.0 : u + 1.0;
  double sum = 0.0;
  if (fabs(u) < reach)
    sum += ramp_residual(u / phase_step);
  if (fabs(other) < reach)
    sum += ramp_residual(other / phase_step);
  return sum;
}

static inline double advance(double phase, double phase_step) {
  phase += phase_step;
  return phase >= 1.0 ? phase - 1.0 : phase;
}

static void saw_block(synth_node_state *node, const float *freq, double inv_rate, float *out,
                      int n) {
  double phase = node->phase;
  for (int i = 0; i < n; i++) {
    const double phase_step = freq[i] * inv_rate;
    double value = 2.0 * phase - 1.0;
    /* the wrap is a step of -2 at phase 0 */
    if (near_corner(phase, 0.0, phase_step))
      value -= 2.0 * steps_near(phase, 0.0, phase_step);
    out[i] = (float)value;
    phase = advance(phase, phase_step);
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
    double value = (phase < w ? 1.0 : -1.0) - (2.0 * w - 1.0);
    if (near_corner(phase, 0.0, phase_step))
      value += 2.0 * steps_near(phase, 0.0, phase_step);
    if (near_corner(phase, w, phase_step))
      value -= 2.0 * steps_near(phase, w, phase_step);
    out[i] = (float)value;
    phase = advance(phase, phase_step);
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
    double value = 1.0 - 4.0 * fabs(shifted - 0.5);
    if (near_corner(phase, 0.75, phase_step))
      value += 8.0 * phase_step * ramps_near(phase, 0.75, phase_step);
    if (near_corner(phase, 0.25, phase_step))
      value -= 8.0 * phase_step * ramps_near(phase, 0.25, phase_step);
    out[i] = (float)value;
    phase = advance(phase, phase_step);
  }
  node->phase = phase;
}

/* sin(2 pi phase) for phase in [0, 1): folded into [-pi/2, pi/2], then a
   Taylor polynomial to x^13 (error below 1e-9, far under float precision).
   Our own, so the result never depends on the C library. */
static inline double sine_of_phase(double phase) {
  double q = phase - 0.5; /* sin(2 pi p) = -sin(2 pi q), q in [-0.5, 0.5) */
  if (q > 0.25)
    q = 0.5 - q;
  else if (q < -0.25)
    q = -0.5 - q;
  const double x = 6.283185307179586 * q, x2 = x * x;
  const double poly =
      1.0 +
      x2 * (-1.0 / 6 +
            x2 * (1.0 / 120 +
                  x2 * (-1.0 / 5040 +
                        x2 * (1.0 / 362880 + x2 * (-1.0 / 39916800 + x2 * (1.0 / 6227020800.0))))));
  return -x * poly;
}

double synth_sine_of_phase(double phase) { return sine_of_phase(phase); }

static void sine_block(synth_node_state *node, const float *freq, double inv_rate, float *out,
                       int n) {
  double phase = node->phase;
  for (int i = 0; i < n; i++) {
    out[i] = (float)sine_of_phase(phase);
    phase = advance(phase, freq[i] * inv_rate);
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
