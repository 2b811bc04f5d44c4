/* Integrated loudness of a stereo signal, EBU R 128 / ITU-R BS.1770-4:
   K-weighting (a high shelf of about +4 dB above 1.5 kHz, then a high-pass
   at about 38 Hz, both biquads from their analogue prototypes by the
   bilinear transform, for any rate), mean squares over 400 ms blocks
   overlapping by 75 %, an absolute gate at -70 LUFS and a relative one
   10 LU under the loudness of the blocks above it. Left and right weigh 1. */
#ifndef CYCLEBUS_TEST_LOUDNESS_H
#define CYCLEBUS_TEST_LOUDNESS_H

#include <math.h>
#include <stdlib.h>

typedef struct {
  double b0, b1, b2, a1, a2;
} loudness_biquad;

/* The two K-weighting stages at `rate` Hz. */
static inline void loudness_k_weighting(double rate, loudness_biquad stage[2]) {
  /* stage 1: the head's shelf, f0, gain (dB) and Q of BS.1770's analogue prototype */
  double f0 = 1681.974450955533, gain_db = 3.999843853973347, q = 0.7071752369554196;
  double k = tan(M_PI * f0 / rate), vh = pow(10.0, gain_db / 20.0);
  double vb = pow(vh, 0.4996667741545416), a0 = 1.0 + k / q + k * k;
  stage[0] = (loudness_biquad){(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0,
                               (vh - vb * k / q + k * k) / a0, 2.0 * (k * k - 1.0) / a0,
                               (1.0 - k / q + k * k) / a0};
  /* stage 2: the revised low-frequency B-curve, a second-order high-pass */
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = tan(M_PI * f0 / rate);
  a0 = 1.0 + k / q + k * k;
  stage[1] =
      (loudness_biquad){1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
}

/* Integrated loudness in LUFS of left/right (`frames` each) at `rate`;
   -HUGE_VAL when every block is gated out (silence, or under 400 ms). */
static inline double loudness_integrated(const float *left, const float *right, size_t frames,
                                         double rate) {
  loudness_biquad stage[2];
  loudness_k_weighting(rate, stage);
  size_t step = (size_t)llround(rate * 0.1), block = 4 * step;
  if (frames < block)
    return -HUGE_VAL;
  /* the K-weighted power of each 100 ms step, both channels summed */
  size_t steps = frames / step;
  double *power = calloc(steps, sizeof *power);
  const float *channels[2] = {left, right};
  for (int c = 0; c < 2; ++c) {
    double s[2][2] = {{0}}; /* direct form II state of each stage */
    for (size_t i = 0; i < steps * step; ++i) {
      double x = channels[c][i];
      for (int k = 0; k < 2; ++k) {
        const loudness_biquad *f = &stage[k];
        double w = x - f->a1 * s[k][0] - f->a2 * s[k][1];
        x = f->b0 * w + f->b1 * s[k][0] + f->b2 * s[k][1];
        s[k][1] = s[k][0];
        s[k][0] = w;
      }
      power[i / step] += x * x;
    }
  }
  size_t blocks = steps - 3;
  double *z = malloc(blocks * sizeof *z);
  for (size_t j = 0; j < blocks; ++j)
    z[j] = (power[j] + power[j + 1] + power[j + 2] + power[j + 3]) / (double)block;
  free(power);
  /* the absolute gate, then the relative one */
  double absolute = pow(10.0, (-70.0 + 0.691) / 10.0), sum = 0;
  size_t kept = 0;
  for (size_t j = 0; j < blocks; ++j)
    if (z[j] > absolute)
      sum += z[j], ++kept;
  double result = -HUGE_VAL;
  if (kept) {
    double relative = sum / (double)kept * pow(10.0, -10.0 / 10.0);
    sum = 0;
    kept = 0;
    for (size_t j = 0; j < blocks; ++j)
      if (z[j] > absolute && z[j] > relative)
        sum += z[j], ++kept;
    result = -0.691 + 10.0 * log10(sum / (double)kept);
  }
  free(z);
  return result;
}

#endif
