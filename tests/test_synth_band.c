/* The oscillators' band-limiting against an additive reference: a saw's
   harmonics are 2 / (pi k), a square's 4 / (pi k) for odd k. Each wave is
   rendered for 2^16 frames, Blackman-Harris windowed and transformed; every
   harmonic up to 16 kHz must be within 1 dB of its ideal amplitude, and no
   other component below 15 kHz (an alias) may come within 80 dB of the
   fundamental, at 44.1 and 48 kHz, for fundamentals up to 4 kHz. Set
   CB_OSC_FIGURES=1 to print the worst figures of each case. */
#include <check.h>

#include "check_run.h"
#include <complex.h>
#include <stdbool.h>
#include <stdio.h>

#include "test_synth_util.h"

#define FFT_SIZE 65536
#define PI 3.14159265358979323846

static double complex spectrum[FFT_SIZE];

static void fft(double complex *x, int n) {
  for (int i = 1, j = 0; i < n; i++) { /* bit reversal */
    int bit = n >> 1;
    for (; j & bit; bit >>= 1)
      j ^= bit;
    j ^= bit;
    if (i < j) {
      double complex t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }
  for (int len = 2; len <= n; len <<= 1) {
    const double complex step = cexp(-2.0 * PI * I / len);
    for (int i = 0; i < n; i += len) {
      double complex w = 1.0;
      for (int k = 0; k < len / 2; k++) {
        const double complex a = x[i + k], b = x[i + k + len / 2] * w;
        x[i + k] = a + b;
        x[i + k + len / 2] = a - b;
        w *= step;
      }
    }
  }
}

static double window_at(int i) { /* 4-term Blackman-Harris, sidelobes at -92 dB */
  const double t = 2.0 * PI * i / FFT_SIZE;
  return 0.35875 - 0.48829 * cos(t) + 0.14128 * cos(2 * t) - 0.01168 * cos(3 * t);
}

/* Amplitude of the windowed signal at exactly `freq` (a single-frequency
   DFT, so a harmonic between bins is not scalloped). */
static double amplitude_at(const float *x, double freq, double rate) {
  double complex sum = 0;
  const double complex step = cexp(-2.0 * PI * I * freq / rate);
  double complex turn = 1.0;
  for (int i = 0; i < FFT_SIZE; i++) {
    sum += x[i] * window_at(i) * turn;
    if ((i & 1023) == 1023) /* renormalize the rotating phasor now and then */
      turn = cexp(-2.0 * PI * I * freq * (i + 1) / rate);
    else
      turn *= step;
  }
  return 2.0 * cabs(sum) / (0.35875 * FFT_SIZE);
}

typedef struct {
  double worst_harmonic_db; /* largest |error| of a harmonic up to 16 kHz */
  double worst_harmonic_freq;
  double worst_alias_db; /* largest other component below 15 kHz, re the fundamental */
  double worst_alias_freq;
} band_figures;

static band_figures measure(int kind, double freq, double rate) {
  synth_bus bus = {0};
  add_node(&bus, kind, 1, P(0));
  bus.param_count = 1;
  const float pitch = (float)freq;
  synth_voice voice = make_voice(FFT_SIZE + 4800, FFT_SIZE + 4800, 1, &pitch);
  voice.sample_rate = (float)rate;
  float *out = render_all(&bus, &voice, FFT_SIZE + 4800);
  const float *x = out + 4800;         /* past the start */
  const double played = (double)pitch; /* the float the synth was given */
  band_figures f = {0, 0, -400, 0};
  const double ideal_scale = kind == SYNTH_SAW ? 2.0 / PI : 4.0 / PI;
  const int step = kind == SYNTH_SAW ? 1 : 2;
  for (int k = 1; k * played <= 16000.0; k += step) {
    const double error = decibels(amplitude_at(x, k * played, rate) / (ideal_scale / k));
    if (fabs(error) > fabs(f.worst_harmonic_db))
      f.worst_harmonic_db = error, f.worst_harmonic_freq = k * played;
  }
  for (int i = 0; i < FFT_SIZE; i++)
    spectrum[i] = x[i] * window_at(i);
  fft(spectrum, FFT_SIZE);
  const double bin_hz = rate / FFT_SIZE, fundamental = ideal_scale;
  for (int b = 1; b * bin_hz < 15000.0; b++) {
    const double at = b * bin_hz;
    const double nearest = played * round(at / played); /* harmonics, and DC */
    if (fabs(at - nearest) < 8 * bin_hz &&
        (step == 1 || ((long)round(nearest / played)) % 2 == 1 || nearest == 0.0))
      continue; /* a harmonic's main lobe */
    if (b < 8)
      continue; /* DC's main lobe */
    const double amplitude = 2.0 * cabs(spectrum[b]) / (0.35875 * FFT_SIZE);
    const double db = decibels(amplitude / fundamental + 1e-30);
    if (db > f.worst_alias_db)
      f.worst_alias_db = db, f.worst_alias_freq = at;
  }
  free(out);
  return f;
}

START_TEST(saw_and_square_match_their_harmonics_to_16_khz_with_aliases_below_80_db) {
  const double rates[] = {44100.0, 48000.0};
  const double fundamentals[] = {110.3, 523.7, 1234.5, 2500.3, 3951.1};
  const int kinds[] = {SYNTH_SAW, SYNTH_SQUARE};
  const bool print = getenv("CB_OSC_FIGURES") != NULL;
  char failure[200] = "";
  for (int r = 0; r < 2; r++) {
    for (int k = 0; k < 2; k++) {
      for (size_t n = 0; n < sizeof fundamentals / sizeof *fundamentals; n++) {
        band_figures f = measure(kinds[k], fundamentals[n], rates[r]);
        if (print)
          printf("%s %6.1f Hz at %5.0f: worst harmonic %+6.2f dB at %5.0f Hz, worst alias %7.1f "
                 "dB at %5.0f Hz\n",
                 kinds[k] == SYNTH_SAW ? "saw   " : "square", fundamentals[n], rates[r],
                 f.worst_harmonic_db, f.worst_harmonic_freq, f.worst_alias_db, f.worst_alias_freq);
        fflush(stdout);
        if (fabs(f.worst_harmonic_db) > 1.0 && !failure[0])
          snprintf(failure, sizeof failure,
                   "kind %d at %g Hz, rate %g: harmonic at %.0f Hz off by %.2f dB", kinds[k],
                   fundamentals[n], rates[r], f.worst_harmonic_freq, f.worst_harmonic_db);
        if (f.worst_alias_db > -80.0 && !failure[0])
          snprintf(failure, sizeof failure,
                   "kind %d at %g Hz, rate %g: alias at %.0f Hz is %.1f dB", kinds[k],
                   fundamentals[n], rates[r], f.worst_alias_freq, f.worst_alias_db);
      }
    }
  }
  ck_assert_msg(!failure[0], "%s", failure);
}
END_TEST

int main(void) {
  Suite *suite = suite_create("synth_band");
  TCase *tc = tcase_create("band");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, saw_and_square_match_their_harmonics_to_16_khz_with_aliases_below_80_db);
  suite_add_tcase(suite, tc);
  return check_run(suite);
}
