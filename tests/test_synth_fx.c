/* Tests of the per-voice effects and filter envelopes, each against a
   reference computed here: shape's and distort's curves, crush's levels,
   coarse's sample and hold, triode's half-wave, vowel's formant peaks, ring's
   and tremolo's modulation, djf's and phaser's responses, the filter
   envelope's cutoff trajectory; plus any split of the frames giving the same
   output and no NaN or denormal for any parameter. */
#include <check.h>

#include "check_run.h"
#include <float.h>
#include <stdbool.h>

#include "test_synth_util.h"

#define TWO_PI 6.283185307179586
#define SECOND 48000

/* A voice with one effect after a sine (params 0: frequency, 1..: the
   effect's), no envelope, so the effect's output is the voice's. */
static float *render_effect(int kind, float freq, const float *fx_params, int fx_count,
                            uint32_t frames) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SINE, 1, P(0));
  add_node(&bus, kind, 1 + fx_count, N(0), P(1), P(2), P(3));
  bus.param_count = (uint8_t)(1 + fx_count);
  float params[4] = {freq, 0, 0, 0};
  for (int i = 0; i < fx_count; i++)
    params[1 + i] = fx_params[i];
  synth_voice voice = make_voice(frames, frames, 4, params);
  return render_all(&bus, &voice, frames);
}

/* The sine the effects above are fed. */
static float *render_sine(float freq, uint32_t frames) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SINE, 1, P(0));
  bus.param_count = 1;
  synth_voice voice = make_voice(frames, frames, 1, &freq);
  return render_all(&bus, &voice, frames);
}

/* A louder sine (gain 3), so the shapers see their whole curve. */
static float *render_loud_effect(int kind, float amount, uint32_t frames, float **dry) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SINE, 1, P(0));
  add_node(&bus, SYNTH_MUL, 2, N(0), P(1));
  add_node(&bus, kind, 2, N(1), P(2));
  bus.param_count = 3;
  const float params[] = {110.0f, 3.0f, amount};
  synth_voice voice = make_voice(frames, frames, 3, params);
  float *wet = render_all(&bus, &voice, frames);
  bus.node_count = 2;
  *dry = render_all(&bus, &voice, frames);
  return wet;
}

START_TEST(test_shape_follows_superdirts_curve_and_is_transparent_at_0) {
  const float amounts[] = {0.0f, 0.3f, 0.9f, 0.999f, 5.0f /* clamped to 0.999 */};
  for (int a = 0; a < 5; a++) {
    float *dry, *wet = render_loud_effect(SYNTH_SHAPE, amounts[a], 4800, &dry);
    const double s = amounts[a] > 0.999f ? 0.999f : amounts[a];
    const double k = 2.0 * s / (1.0 - s);
    for (int i = 0; i < 4800; i++) {
      const double expected = (1.0 + k) * dry[i] / (1.0 + k * fabs(dry[i]));
      ck_assert_msg(fabs(wet[i] - expected) <= 1e-6 * (1.0 + fabs(expected)),
                    "shape %g at %d: %g, expected %g", amounts[a], i, wet[i], expected);
      if (amounts[a] == 0.0f)
        ck_assert_float_eq(wet[i], dry[i]);
    }
    free(wet);
    free(dry);
  }
}
END_TEST

START_TEST(test_distort_follows_strudels_curve) {
  const float amounts[] = {0.0f, 1.0f, 4.0f};
  for (int a = 0; a < 3; a++) {
    float *dry, *wet = render_loud_effect(SYNTH_DISTORT, amounts[a], 4800, &dry);
    const double k = exp(amounts[a]) - 1.0;
    for (int i = 0; i < 4800; i++) {
      const double expected = (1.0 + k) * dry[i] / (1.0 + k * fabs(dry[i]));
      ck_assert(fabs(wet[i] - expected) <= 1e-6 * (1.0 + fabs(expected)));
    }
    free(wet);
    free(dry);
  }
}
END_TEST

START_TEST(test_triode_rounds_the_negative_half_and_blocks_dc) {
  float *dry, *wet = render_loud_effect(SYNTH_TRIODE, 0.5f, 2 * SECOND, &dry);
  /* the reference: half-wave tanh, then y[n] = x[n] - x[n-1] + p y[n-1] */
  const double scale = 10.0 * 0.5 + 0.001, pole = exp(-TWO_PI * 10.0 / RATE);
  double last_in = 0, last_out = 0, mean = 0;
  for (int i = 0; i < 2 * SECOND; i++) {
    const double x = dry[i] > 0 ? dry[i] : tanh(dry[i] * scale) / scale;
    last_out = x - last_in + pole * last_out;
    last_in = x;
    ck_assert_msg(fabs(wet[i] - last_out) < 1e-5, "at %d: %g, expected %g", i, wet[i], last_out);
    if (i >= SECOND)
      mean += wet[i];
  }
  ck_assert_double_lt(fabs(mean / SECOND), 0.01); /* the offset is gone */
  free(wet);
  free(dry);
  wet = render_loud_effect(SYNTH_TRIODE, 0.0f, 4800, &dry);
  for (int i = 0; i < 4800; i++)
    ck_assert_float_eq(wet[i], dry[i]);
  free(wet);
  free(dry);
}
END_TEST

START_TEST(test_crush_rounds_to_its_levels_and_0_is_off) {
  const float bits_list[] = {1.0f, 3.0f, 4.5f, 8.0f};
  float *dry = render_sine(220.0f, 4800);
  for (int b = 0; b < 4; b++) {
    const float bits = bits_list[b];
    float *wet = render_effect(SYNTH_CRUSH, 220.0f, &bits, 1, 4800);
    const double step = pow(2.0, 1.0 - bits);
    for (int i = 0; i < 4800; i++) {
      const double expected = floor(dry[i] / step + 0.5) * step;
      ck_assert_msg(fabs(wet[i] - expected) < 1e-6, "crush %g at %d: %g, expected %g", bits, i,
                    wet[i], expected);
    }
    free(wet);
  }
  const float off = 0.0f;
  float *wet = render_effect(SYNTH_CRUSH, 220.0f, &off, 1, 4800);
  ck_assert_mem_eq(wet, dry, 4800 * sizeof(float));
  free(wet);
  free(dry);
}
END_TEST

START_TEST(test_coarse_holds_every_nth_sample_from_the_voices_start) {
  const float factors[] = {2.0f, 5.0f, 16.0f};
  float *dry = render_sine(330.0f, 4800);
  for (int f = 0; f < 3; f++) {
    float *wet = render_effect(SYNTH_COARSE, 330.0f, &factors[f], 1, 4800);
    const int n = (int)factors[f];
    for (int i = 0; i < 4800; i++)
      ck_assert_float_eq(wet[i], dry[i - i % n]);
    free(wet);
  }
  /* a fractional factor takes new samples 2.5 frames apart on average */
  const float fraction = 2.5f;
  float *wet = render_effect(SYNTH_COARSE, 330.0f, &fraction, 1, 4800);
  int takes = 0;
  for (int i = 0; i < 4800; i++)
    takes += i == 0 || wet[i] != wet[i - 1];
  ck_assert_int_eq(takes, 4800 * 2 / 5);
  free(wet);
  const float one = 1.0f;
  wet = render_effect(SYNTH_COARSE, 330.0f, &one, 1, 4800);
  ck_assert_mem_eq(wet, dry, 4800 * sizeof(float));
  free(wet);
  free(dry);
}
END_TEST

/* Welch's power spectrum of x at `freq`: Hann-windowed segments of 4096. */
static double welch_power(const float *x, int n, double freq) {
  const int segment = 4096;
  double total = 0;
  int count = 0;
  for (int start = 0; start + segment <= n; start += segment / 2, count++) {
    double re = 0, im = 0;
    for (int i = 0; i < segment; i++) {
      const double w = 0.5 - 0.5 * cos(TWO_PI * i / segment);
      const double angle = TWO_PI * freq * i / RATE;
      re += w * x[start + i] * cos(angle);
      im += w * x[start + i] * sin(angle);
    }
    total += re * re + im * im;
  }
  return total / count;
}

/* The frequency in [lo, hi] (10 Hz steps) where the spectrum peaks. */
static double peak_between(const float *x, int n, double lo, double hi) {
  double best = lo, best_power = -1;
  for (double f = lo; f <= hi; f += 10.0) {
    const double power = welch_power(x, n, f);
    if (power > best_power)
      best_power = power, best = f;
  }
  return best;
}

START_TEST(test_vowels_put_their_first_two_formant_peaks_where_the_table_says) {
  /* white noise through each vowel: the spectrum's peaks are the formants */
  const double first[5] = {650, 400, 290, 400, 350}, second[5] = {1080, 1700, 1870, 800, 600};
  const double first_band[5][2] = {{450, 850}, {250, 600}, {200, 500}, {250, 600}, {200, 470}};
  const double second_band[5][2] = {
      {900, 1400}, {1300, 2200}, {1400, 2300}, {650, 1200}, {500, 1000}};
  const int n = SECOND;
  for (int v = 0; v < 5; v++) {
    synth_bus bus = {0};
    add_node(&bus, SYNTH_NOISE, 0);
    add_node(&bus, SYNTH_VOWEL, 2, N(0), P(0));
    bus.param_count = 1;
    const float index = (float)(v + 1);
    synth_voice voice = make_voice(n, n, 1, &index);
    float *out = render_all(&bus, &voice, n);
    const double f1 = peak_between(out, n, first_band[v][0], first_band[v][1]);
    const double f2 = peak_between(out, n, second_band[v][0], second_band[v][1]);
    ck_assert_msg(fabs(f1 - first[v]) <= 0.06 * first[v], "vowel %d: first peak at %g Hz", v, f1);
    ck_assert_msg(fabs(f2 - second[v]) <= 0.06 * second[v], "vowel %d: second peak at %g Hz", v,
                  f2);
    /* a formant stands well above the valley between the two */
    const double valley = welch_power(out, n, sqrt(first[v] * second[v]));
    ck_assert_double_gt(welch_power(out, n, first[v]), 4.0 * valley);
    free(out);
  }
  /* 0 is off: the signal passes untouched */
  const float off = 0.0f;
  float *dry = render_sine(440.0f, 4800), *wet = render_effect(SYNTH_VOWEL, 440.0f, &off, 1, 4800);
  ck_assert_mem_eq(wet, dry, 4800 * sizeof(float));
  free(wet);
  free(dry);
}
END_TEST

/* ring, tremolo: fed a constant 1 (a parameter as the signal). */
static float *render_on_one(int kind, const float *fx_params, int fx_count, uint32_t frames) {
  synth_bus bus = {0};
  add_node(&bus, kind, 1 + fx_count, P(0), P(1), P(2), P(3));
  bus.param_count = (uint8_t)(1 + fx_count);
  float params[4] = {1.0f, 0, 0, 0};
  for (int i = 0; i < fx_count; i++)
    params[1 + i] = fx_params[i];
  synth_voice voice = make_voice(frames, frames, 4, params);
  return render_all(&bus, &voice, frames);
}

START_TEST(test_ring_modulates_by_a_sine_gliding_from_ringf_to_ringf_plus_ringdf) {
  const float steady[] = {0.8f, 300.0f, 0.0f};
  float *out = render_on_one(SYNTH_RING, steady, 3, 4800);
  for (int i = 0; i < 4800; i++) {
    const double expected = (1.0 + 0.8 * sin(TWO_PI * 300.0 * i / RATE)) / 1.8;
    ck_assert_msg(fabs(out[i] - expected) < 1e-5, "at %d: %g, expected %g", i, out[i], expected);
  }
  free(out);
  /* ringdf: 200 Hz to 800 Hz exponentially over a second, then 800 Hz */
  const float glide[] = {1.0f, 200.0f, 600.0f};
  out = render_on_one(SYNTH_RING, glide, 3, 2 * SECOND);
  double phase = 0;
  for (int i = 0; i < 2 * SECOND; i++) {
    const double t = (double)i / RATE;
    const double expected = (1.0 + sin(TWO_PI * phase)) / 2.0;
    ck_assert_msg(fabs(out[i] - expected) < 1e-4, "at %d: %g, expected %g", i, out[i], expected);
    phase += (t < 1.0 ? 200.0 * pow(4.0, t) : 800.0) / RATE;
    phase -= floor(phase);
  }
  free(out);
  const float off[] = {0.0f, 300.0f, 100.0f};
  out = render_on_one(SYNTH_RING, off, 3, 4800);
  for (int i = 0; i < 4800; i++)
    ck_assert_float_eq(out[i], 1.0f);
  free(out);
}
END_TEST

START_TEST(test_tremolo_swings_between_1_minus_depth_and_1_at_its_rate) {
  const float settings[] = {0.6f, 4.0f};
  float *out = render_on_one(SYNTH_TREMOLO, settings, 2, SECOND);
  for (int i = 0; i < SECOND; i++) {
    const double expected = 1.0 - 0.3 + 0.3 * cos(TWO_PI * 4.0 * i / RATE);
    ck_assert_msg(fabs(out[i] - expected) < 1e-5, "at %d: %g, expected %g", i, out[i], expected);
  }
  free(out);
  const float off[] = {0.0f, 4.0f};
  out = render_on_one(SYNTH_TREMOLO, off, 2, 4800);
  for (int i = 0; i < 4800; i++)
    ck_assert_float_eq(out[i], 1.0f);
  free(out);
}
END_TEST

/* Level of a sine through an effect, over the second half of a 0.2 s voice. */
static double effect_gain(int kind, float freq, const float *fx_params, int fx_count) {
  const uint32_t n = 9600;
  float *wet = render_effect(kind, freq, fx_params, fx_count, n);
  float *dry = render_sine(freq, n);
  const double gain = rms(wet, n / 2, n) / rms(dry, n / 2, n);
  free(wet);
  free(dry);
  return gain;
}

START_TEST(test_djf_is_a_low_pass_below_half_a_high_pass_above_and_off_at_half) {
  const float low = 0.25f, high = 0.75f, off = 0.5f; /* cutoffs 447 Hz */
  ck_assert_double_gt(decibels(effect_gain(SYNTH_DJF, 100.0f, &low, 1)), -1.0);
  ck_assert_double_lt(decibels(effect_gain(SYNTH_DJF, 5000.0f, &low, 1)), -35.0);
  ck_assert_double_lt(decibels(effect_gain(SYNTH_DJF, 100.0f, &high, 1)), -20.0);
  ck_assert_double_gt(decibels(effect_gain(SYNTH_DJF, 5000.0f, &high, 1)), -1.0);
  /* the ends: 20 Hz low-pass and 10 kHz high-pass, 12 dB an octave */
  const float bottom = 0.0f, top = 1.0f;
  ck_assert_double_lt(decibels(effect_gain(SYNTH_DJF, 1000.0f, &bottom, 1)), -60.0);
  ck_assert_double_lt(decibels(effect_gain(SYNTH_DJF, 1000.0f, &top, 1)), -38.0);
  float *wet = render_effect(SYNTH_DJF, 440.0f, &off, 1, 4800), *dry = render_sine(440.0f, 4800);
  ck_assert_mem_eq(wet, dry, 4800 * sizeof(float));
  free(wet);
  free(dry);
}
END_TEST

START_TEST(test_phaser_notches_1_khz_at_rest_sweeps_with_its_rate_and_0_is_off) {
  const float still[] = {1.0f, 0.0f};
  ck_assert_double_lt(decibels(effect_gain(SYNTH_PHASER, 1000.0f, still, 2)), -20.0);
  ck_assert_double_gt(decibels(effect_gain(SYNTH_PHASER, 12000.0f, still, 2)), -6.0);
  /* moving at 1 Hz: 1 kHz is notched at the start, passes as the notches move up */
  const float moving[] = {0.5f, 1.0f};
  float *wet = render_effect(SYNTH_PHASER, 1000.0f, moving, 2, SECOND);
  double quietest = 1e9, loudest = 0;
  for (int w = 0; w < 20; w++) {
    const double level = rms(wet, w * SECOND / 20, (w + 1) * SECOND / 20);
    quietest = fmin(quietest, level);
    loudest = fmax(loudest, level);
  }
  ck_assert_double_gt(decibels(loudest / quietest), 10.0);
  free(wet);
  const float off[] = {0.0f, 1.0f};
  float *dry = render_sine(440.0f, 4800);
  wet = render_effect(SYNTH_PHASER, 440.0f, off, 2, 4800);
  ck_assert_mem_eq(wet, dry, 4800 * sizeof(float));
  free(wet);
  free(dry);
}
END_TEST

START_TEST(test_squiz_replays_each_cycle_faster_and_1_is_off) {
  const float ratios[] = {2.0f, 3.0f};
  for (int r = 0; r < 2; r++) {
    float *wet = render_effect(SYNTH_SQUIZ, 200.0f, &ratios[r], 1, SECOND);
    /* a 200 Hz sine's cycles, each played ratio times faster: ratio * 200 Hz */
    const double freq = measured_frequency(wet, SECOND / 10, SECOND);
    ck_assert_msg(fabs(freq - 200.0 * ratios[r]) < 2.0, "squiz %g plays %.1f Hz", ratios[r], freq);
    /* and it is the input's cycle: the same level */
    float *dry = render_sine(200.0f, SECOND);
    ck_assert_double_eq_tol(rms(wet, SECOND / 10, SECOND), rms(dry, SECOND / 10, SECOND), 0.02);
    free(dry);
    free(wet);
  }
  const float off = 1.0f;
  float *wet = render_effect(SYNTH_SQUIZ, 200.0f, &off, 1, 4800), *dry = render_sine(200.0f, 4800);
  ck_assert_mem_eq(wet, dry, 4800 * sizeof(float));
  free(wet);
  free(dry);
  /* a cycle too long for the memory (10 Hz) passes through */
  const float two = 2.0f;
  wet = render_effect(SYNTH_SQUIZ, 10.0f, &two, 1, SECOND);
  dry = render_sine(10.0f, SECOND);
  ck_assert_mem_eq(wet, dry, SECOND * sizeof(float));
  free(wet);
  free(dry);
}
END_TEST

/* ---- filter envelopes ---------------------------------------------------------------------- */

/* A 2 kHz sine through an lpf with an envelope: cutoff 200 Hz, depth, attack
   1 s, decay 1 s, sustain 0.5, gate at 3 s, release 1 s. */
static float *render_swept(int kind, float depth, float freq, uint32_t frames) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SINE, 1, P(0));
  add_node(&bus, kind, 8, N(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7));
  bus.param_count = 8;
  const float params[] = {freq, 200.0f, 0.70710678f, depth, 1.0f, 1.0f, 0.5f, 1.0f};
  synth_voice voice = make_voice(3 * SECOND, frames, 8, params);
  return render_all(&bus, &voice, frames);
}

/* Strudel's cutoff at t seconds: straight lines in log frequency between lo,
   hi, lo + sustain * (hi - lo) and back to lo. */
static double expected_cutoff(double t, double lo, double hi) {
  const double sustain = lo + 0.5 * (hi - lo);
  if (t < 1.0)
    return lo * pow(hi / lo, t);
  if (t < 2.0)
    return hi * pow(sustain / hi, t - 1.0);
  if (t < 3.0)
    return sustain;
  return t < 4.0 ? sustain * pow(lo / sustain, t - 3.0) : lo;
}

START_TEST(test_lpf_envelope_moves_the_cutoff_along_strudels_trajectory) {
  const uint32_t frames = 5 * SECOND;
  const double f = 2000.0;
  float *out = render_swept(SYNTH_LPF_ENV, 4.0f, (float)f, frames);
  const double times[] = {0.25, 0.5, 0.75, 1.25, 1.5, 1.75, 2.5, 3.25, 3.5, 3.75};
  for (size_t k = 0; k < sizeof times / sizeof *times; k++) {
    /* the sine's level over 10 ms, inverted through a 2-pole Butterworth's
       |H|^2 = 1 / (1 + (f / fc)^4) */
    const int at = (int)(times[k] * RATE);
    const double gain = rms(out, at - 240, at + 240) / sqrt(0.5);
    const double fc = f / pow(1.0 / (gain * gain) - 1.0, 0.25);
    const double expected = expected_cutoff(times[k], 200.0, 3200.0);
    ck_assert_msg(fabs(fc / expected - 1.0) < 0.1, "at %.2f s the cutoff is %.0f Hz, expected %.0f",
                  times[k], fc, expected);
  }
  free(out);
}
END_TEST

START_TEST(test_a_negative_envelope_rests_at_the_top_and_dips_to_the_cutoff) {
  const double f = 1000.0;
  float *out = render_swept(SYNTH_LPF_ENV, -3.0f, (float)f, 5 * SECOND);
  /* lo and hi swap: it starts at 1600 Hz and dips to 200 Hz at the attack's end */
  const double times[] = {0.5, 1.0, 2.5, 4.5};
  for (size_t k = 0; k < 4; k++) {
    const int at = (int)(times[k] * RATE);
    const double gain = rms(out, at - 480, at + 480) / sqrt(0.5);
    const double fc = f / pow(1.0 / (gain * gain) - 1.0, 0.25);
    const double expected = expected_cutoff(times[k], 1600.0, 200.0);
    ck_assert_msg(fabs(fc / expected - 1.0) < 0.1, "at %.2f s the cutoff is %.0f Hz, expected %.0f",
                  times[k], fc, expected);
  }
  free(out);
}
END_TEST

START_TEST(test_an_envelope_of_depth_0_is_exactly_the_plain_filter) {
  const int kinds[3][2] = {
      {SYNTH_LPF_ENV, SYNTH_LPF}, {SYNTH_HPF_ENV, SYNTH_HPF}, {SYNTH_BPF_ENV, SYNTH_BPF}};
  for (int k = 0; k < 3; k++) {
    float *swept = render_swept(kinds[k][0], 0.0f, 700.0f, SECOND);
    synth_bus bus = {0};
    add_node(&bus, SYNTH_SINE, 1, P(0));
    add_node(&bus, kinds[k][1], 3, N(0), P(1), P(2));
    bus.param_count = 3;
    const float params[] = {700.0f, 200.0f, 0.70710678f};
    synth_voice voice = make_voice(3 * SECOND, SECOND, 3, params);
    float *plain = render_all(&bus, &voice, SECOND);
    ck_assert_mem_eq(swept, plain, SECOND * sizeof(float));
    free(swept);
    free(plain);
  }
}
END_TEST

/* ---- robustness ---------------------------------------------------------------------------- */

/* saw -> every effect -> lpf env -> env, an LFO on shape and djf. */
static synth_bus every_effect(float *params) {
  synth_bus bus = {0};
  const float values[] = {110,  0.5f, 4,    3, 2,     0.3f, 0.6f, 300,  50,    0.5f, 3,    0.7f,
                          0.5f, 800,  0.7f, 3, 0.01f, 0.2f, 0.3f, 0.2f, 0.01f, 0.3f, 0.2f, 1.0f};
  memcpy(params, values, sizeof values);
  add_node(&bus, SYNTH_SAW, 1, P(0));                    /* 0 */
  add_node(&bus, SYNTH_SINE, 1, P(23));                  /* 1: lfo */
  add_node(&bus, SYNTH_MUL, 2, N(1), P(22));             /* 2 */
  add_node(&bus, SYNTH_ADD, 2, N(2), P(1));              /* 3: 0.3 .. 0.7 */
  add_node(&bus, SYNTH_SHAPE, 2, N(0), N(3));            /* 4 */
  add_node(&bus, SYNTH_CRUSH, 2, N(4), P(2));            /* 5 */
  add_node(&bus, SYNTH_COARSE, 2, N(5), P(3));           /* 6 */
  add_node(&bus, SYNTH_VOWEL, 2, N(6), P(4));            /* 7 */
  add_node(&bus, SYNTH_DISTORT, 2, N(7), P(5));          /* 8 */
  add_node(&bus, SYNTH_TRIODE, 2, N(8), P(6));           /* 9 */
  add_node(&bus, SYNTH_RING, 4, N(9), P(6), P(7), P(8)); /* 10 */
  add_node(&bus, SYNTH_DJF, 2, N(10), N(3));             /* 11 */
  add_node(&bus, SYNTH_TREMOLO, 3, N(11), P(9), P(10));  /* 12 */
  add_node(&bus, SYNTH_PHASER, 3, N(12), P(11), P(12));  /* 13 */
  add_node(&bus, SYNTH_SQUIZ, 2, N(13), P(2));           /* 14 */
  add_node(&bus, SYNTH_LPF_ENV, 8, N(14), P(13), P(14), P(15), P(16), P(17), P(18), P(19));
  add_node(&bus, SYNTH_ENV, 3, N(15), P(20), P(21));
  bus.param_count = 24;
  return bus;
}

START_TEST(test_every_effect_gives_the_same_output_for_any_split_of_the_frames) {
  float params[SYNTH_MAX_PARAMS] = {0};
  synth_bus bus = every_effect(params);
  const uint32_t frames = 30000;
  synth_voice voice = make_voice(20000, frames, 24, params);
  float *whole = render_all(&bus, &voice, frames);
  ck_assert_double_gt(rms(whole, 0, frames), 1e-3);
  const uint32_t chunks[] = {1, 7, 16, 63, 64, 65, 256, 1000};
  float *pieces = malloc(frames * sizeof(float));
  for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
    synth_state state;
    synth_start(&state, &bus, &voice);
    for (uint32_t done = 0; done < frames; done += chunks[c]) {
      const uint32_t n = frames - done < chunks[c] ? frames - done : chunks[c];
      synth_render(&state, &bus, &voice, pieces + done, n);
    }
    ck_assert_msg(memcmp(whole, pieces, frames * sizeof(float)) == 0, "chunks of %u differ",
                  chunks[c]);
  }
  free(pieces);
  free(whole);
}
END_TEST

static bool clean(const float *x, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (!isfinite(x[i]) || (x[i] != 0.0f && fabsf(x[i]) < FLT_MIN) || fabsf(x[i]) > 1e6f)
      return false;
  return true;
}

START_TEST(test_no_parameter_value_makes_an_effect_output_nan_inf_or_denormals) {
  const float sweep[] = {-INFINITY, -1e30f, -1e6f, -100,   -1,       -1e-35f, 0, 1e-35f,
                         1e-3f,     0.25f,  0.5f,  0.999f, 1,        1.5f,    2, 16,
                         100,       4096,   1e6f,  1e30f,  INFINITY, NAN};
  const int count = (int)(sizeof sweep / sizeof *sweep);
  float defaults[SYNTH_MAX_PARAMS] = {0};
  synth_bus bus = every_effect(defaults);
  for (int p = 1; p < 24; p++) {
    for (int v = 0; v < count; v++) {
      float params[SYNTH_MAX_PARAMS];
      memcpy(params, defaults, sizeof params);
      params[p] = sweep[v];
      params[0] = 3000; /* a loud, bright source */
      synth_voice voice = make_voice(2000, 6000, 24, params);
      float *out = render_all(&bus, &voice, 6000);
      ck_assert_msg(clean(out, 6000), "param %d = %g", p, sweep[v]);
      free(out);
    }
  }
  /* and each effect alone on a loud signal that falls silent (the tail must
     reach exact zeros, not denormals) */
  const int kinds[] = {SYNTH_SHAPE,   SYNTH_DISTORT, SYNTH_TRIODE, SYNTH_CRUSH,
                       SYNTH_COARSE,  SYNTH_VOWEL,   SYNTH_DJF,    SYNTH_RING,
                       SYNTH_TREMOLO, SYNTH_PHASER,  SYNTH_SQUIZ};
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
    for (int v = 0; v < count; v++) {
      synth_bus one = {0};
      add_node(&one, SYNTH_SAW, 1, P(0));
      add_node(&one, SYNTH_MUL, 2, N(0), P(1));
      add_node(&one, SYNTH_ENV, 3, N(1), P(2), P(3));
      add_node(&one, kinds[k], 4, N(2), P(4), P(4), P(4));
      one.param_count = 5;
      const float params[] = {5000, 1e6f, 0.001f, 0.01f, sweep[v]};
      synth_voice voice = make_voice(4800, SECOND, 5, params);
      float *out = render_all(&one, &voice, SECOND);
      ck_assert_msg(clean(out, SECOND), "kind %d with %g", kinds[k], sweep[v]);
      free(out);
    }
  }
}
END_TEST

int main(void) {
  Suite *suite = suite_create("synth_fx");
  TCase *shapers = tcase_create("shapers");
  tcase_add_test(shapers, test_shape_follows_superdirts_curve_and_is_transparent_at_0);
  tcase_add_test(shapers, test_distort_follows_strudels_curve);
  tcase_add_test(shapers, test_triode_rounds_the_negative_half_and_blocks_dc);
  tcase_add_test(shapers, test_crush_rounds_to_its_levels_and_0_is_off);
  tcase_add_test(shapers, test_coarse_holds_every_nth_sample_from_the_voices_start);
  suite_add_tcase(suite, shapers);
  TCase *filters = tcase_create("filters");
  tcase_set_timeout(filters, 60);
  tcase_add_test(filters, test_vowels_put_their_first_two_formant_peaks_where_the_table_says);
  tcase_add_test(filters, test_djf_is_a_low_pass_below_half_a_high_pass_above_and_off_at_half);
  tcase_add_test(filters, test_phaser_notches_1_khz_at_rest_sweeps_with_its_rate_and_0_is_off);
  tcase_add_test(filters, test_lpf_envelope_moves_the_cutoff_along_strudels_trajectory);
  tcase_add_test(filters, test_a_negative_envelope_rests_at_the_top_and_dips_to_the_cutoff);
  tcase_add_test(filters, test_an_envelope_of_depth_0_is_exactly_the_plain_filter);
  suite_add_tcase(suite, filters);
  TCase *modulation = tcase_create("modulation");
  tcase_add_test(modulation, test_ring_modulates_by_a_sine_gliding_from_ringf_to_ringf_plus_ringdf);
  tcase_add_test(modulation, test_tremolo_swings_between_1_minus_depth_and_1_at_its_rate);
  tcase_add_test(modulation, test_squiz_replays_each_cycle_faster_and_1_is_off);
  suite_add_tcase(suite, modulation);
  TCase *robust = tcase_create("robustness");
  tcase_set_timeout(robust, 120);
  tcase_add_test(robust, test_every_effect_gives_the_same_output_for_any_split_of_the_frames);
  tcase_add_test(robust, test_no_parameter_value_makes_an_effect_output_nan_inf_or_denormals);
  suite_add_tcase(suite, robust);
  return check_run(suite);
}
