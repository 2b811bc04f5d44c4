/* Resampling to the session rate. Between integer rates whose ratio is L/M
   with L <= MAX_PHASES (48000/44100 = 160/147, 1/2, 3/2 ...), a polyphase
   Kaiser-windowed sinc filter: one table of L phases, each output frame a
   dot product of its taps; cutoff at the lower Nyquist, transition band
   +-10 % of it (passband to 19.8 kHz from 44.1 kHz), stopband -110 dB. libsamplerate's sinc filter
   computes its coefficients for every output frame and was 40 times slower than decoding (12 s for
   210 s of audio, bench_samples); this is about 20 times faster. Other ratios (a rate like 44056
   Hz) go to libsamplerate's medium sinc. Aliasing of both: tests/test_samples.c. Worker thread. */
#include "samples_private.h"

#include <math.h>
#include <samplerate.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PHASES 4096
#define STOPBAND_DB 110.0
#define TRANSITION 0.2 /* the transition band's full width, as a share of the cutoff */
#define MAX_TAPS 1024  /* down-sampling more than 16 times goes to libsamplerate */

static double bessel_i0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 64 && term > sum * 1e-17; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
  }
  return sum;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
  while (b) {
    uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* The filter: `phases` rows of `taps` coefficients; row p gives the output
   at input position i + p / phases from inputs i - taps/2 + 1 ... i + taps/2. */
static float *design(uint32_t phases, double scale, uint32_t taps) {
  float *table = malloc(sizeof(float) * phases * taps);
  if (!table)
    return NULL;
  double cutoff = 0.5 * scale; /* cycles per input frame */
  double beta = 0.1102 * (STOPBAND_DB - 8.7), half = taps / 2.0, norm = bessel_i0(beta);
  double *row = malloc(sizeof(double) * taps);
  if (!row) {
    free(table);
    return NULL;
  }
  for (uint32_t p = 0; p < phases; ++p) {
    double fraction = (double)p / phases, sum = 0.0;
    for (uint32_t k = 0; k < taps; ++k) {
      double t = (double)k - (half - 1.0) - fraction; /* input k's distance from the output */
      double x = 2.0 * cutoff * t;
      double sinc = fabs(x) < 1e-12 ? 1.0 : sin(M_PI * x) / (M_PI * x);
      double r = t / half;
      double window = fabs(r) >= 1.0 ? 0.0 : bessel_i0(beta * sqrt(1.0 - r * r)) / norm;
      row[k] = 2.0 * cutoff * sinc * window;
      sum += row[k];
    }
    for (uint32_t k = 0; k < taps; ++k) /* each phase passes DC exactly */
      table[p * taps + k] = (float)(row[k] / sum);
  }
  free(row);
  return table;
}

/* Four lanes at a time (GCC's and clang's vector extension: -O2 does not
   vectorize a float sum by itself); `taps` is a multiple of 8. */
typedef float lanes __attribute__((vector_size(16)));

static float dot(const float *x, const float *h, uint32_t taps) {
  lanes sum0 = {0, 0, 0, 0}, sum1 = {0, 0, 0, 0};
  for (uint32_t k = 0; k < taps; k += 8) {
    lanes x0, x1, h0, h1;
    memcpy(&x0, x + k, sizeof x0);
    memcpy(&x1, x + k + 4, sizeof x1);
    memcpy(&h0, h + k, sizeof h0);
    memcpy(&h1, h + k + 4, sizeof h1);
    sum0 += x0 * h0;
    sum1 += x1 * h1;
  }
  sum0 += sum1;
  return (sum0[0] + sum0[1]) + (sum0[2] + sum0[3]);
}

/* Kaiser's estimate of the length for the stopband and transition. */
static uint32_t taps_for(double scale) {
  double width = TRANSITION * 0.5 * scale; /* cycles per input frame */
  uint32_t taps = (uint32_t)ceil((STOPBAND_DB - 8.0) / (2.285 * 2.0 * M_PI * width));
  return (taps + 7) / 8 * 8;
}

static float *polyphase(const float *in, uint32_t frames, uint32_t channels, uint32_t up,
                        uint32_t down, uint32_t *out_frames) {
  double scale = up < down ? (double)up / down : 1.0;
  uint32_t taps = taps_for(scale);
  uint64_t count = ((uint64_t)frames * up + down - 1) / down;
  float *table = design(up, scale, taps);
  float *padded = malloc(sizeof(float) * ((size_t)frames + taps + 1));
  float *out = count < UINT32_MAX ? malloc(sizeof(float) * count * channels) : NULL;
  if (!table || !padded || !out) {
    free(table);
    free(padded);
    free(out);
    return NULL;
  }
  uint32_t lead = taps / 2 - 1; /* zeros before the first frame */
  for (uint32_t c = 0; c < channels; ++c) {
    memset(padded, 0, sizeof(float) * ((size_t)frames + taps + 1));
    for (uint32_t f = 0; f < frames; ++f)
      padded[lead + f] = in[(size_t)f * channels + c];
    for (uint64_t n = 0; n < count; ++n) {
      uint64_t position = n * down;
      uint64_t index = position / up;
      uint32_t phase = (uint32_t)(position % up);
      out[n * channels + c] = dot(padded + index, table + (size_t)phase * taps, taps);
    }
  }
  free(table);
  free(padded);
  *out_frames = (uint32_t)count;
  return out;
}

static float *with_libsamplerate(const float *in, uint32_t frames, uint32_t channels, double ratio,
                                 uint32_t *out_frames) {
  long capacity = (long)ceil((double)frames * ratio) + 8;
  float *out = malloc((size_t)capacity * channels * sizeof *out);
  if (!out)
    return NULL;
  SRC_DATA data = {.data_in = in,
                   .data_out = out,
                   .input_frames = frames,
                   .output_frames = capacity,
                   .src_ratio = ratio};
  if (src_simple(&data, SRC_SINC_MEDIUM_QUALITY, (int)channels) != 0 ||
      data.output_frames_gen <= 0) {
    free(out);
    return NULL;
  }
  *out_frames = (uint32_t)data.output_frames_gen;
  return out;
}

float *samples_resample(const float *in, uint32_t frames, uint32_t channels, double in_rate,
                        double out_rate, uint32_t *out_frames) {
  bool integers = in_rate == floor(in_rate) && out_rate == floor(out_rate) && in_rate >= 1 &&
                  out_rate >= 1 && in_rate < 1e7 && out_rate < 1e7;
  if (integers) {
    uint64_t common = gcd((uint64_t)in_rate, (uint64_t)out_rate);
    uint64_t up = (uint64_t)out_rate / common, down = (uint64_t)in_rate / common;
    if (up <= MAX_PHASES &&
        taps_for(up < down ? (double)(uint32_t)up / (double)down : 1.0) <= MAX_TAPS)
      return polyphase(in, frames, channels, (uint32_t)up, (uint32_t)down, out_frames);
  }
  return with_libsamplerate(in, frames, channels, out_rate / in_rate, out_frames);
}
