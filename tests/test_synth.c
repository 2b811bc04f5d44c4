/* Tests of synth's sound: oscillator pitch and band-limiting, filter
   magnitudes, envelope shapes and seeded noise. Robustness (chunking, absurd
   values, malformed graphs, modulation) is in test_synth_robust.c. */
#include <check.h>

#include "check_run.h"

#include "test_synth_util.h"

static const int oscillator_kinds[] = {SYNTH_SAW, SYNTH_SQUARE, SYNTH_PULSE, SYNTH_TRI, SYNTH_SINE};

START_TEST(test_oscillators_play_440_hz_within_half_a_hertz) {
  for (size_t k = 0; k < sizeof oscillator_kinds / sizeof *oscillator_kinds; k++) {
    synth_bus bus = {0};
    add_node(&bus, oscillator_kinds[k], 2, P(0), P(1));
    bus.param_count = 2;
    const float params[] = {440.0f, 0.3f};
    synth_voice voice = make_voice(48000, 48000, 2, params);
    float *out = render_all(&bus, &voice, 48000);
    const double freq = measured_frequency(out, 0, 48000);
    ck_assert_msg(fabs(freq - 440.0) < 0.5, "kind %d plays %.3f Hz", oscillator_kinds[k], freq);
    free(out);
  }
}
END_TEST

START_TEST(test_oscillators_follow_a_low_and_a_high_pitch) {
  const float pitches[] = {55.0f, 3520.0f};
  for (size_t k = 0; k < sizeof oscillator_kinds / sizeof *oscillator_kinds; k++) {
    for (int p = 0; p < 2; p++) {
      synth_bus bus = {0};
      add_node(&bus, oscillator_kinds[k], 1, P(0));
      bus.param_count = 1;
      synth_voice voice = make_voice(48000, 48000, 1, &pitches[p]);
      float *out = render_all(&bus, &voice, 48000);
      const double freq = measured_frequency(out, 0, 48000);
      ck_assert_msg(fabs(freq - pitches[p]) < 0.5, "kind %d at %g plays %.3f Hz",
                    oscillator_kinds[k], pitches[p], freq);
      free(out);
    }
  }
}
END_TEST

/* Power of x at `freq` (an exact number of cycles in n samples). */
static double power_at(const float *x, int n, double freq) {
  double re = 0, im = 0;
  for (int i = 0; i < n; i++) {
    const double angle = 2.0 * 3.14159265358979323846 * freq * i / RATE;
    re += x[i] * cos(angle);
    im -= x[i] * sin(angle);
  }
  return (re * re + im * im) / ((double)n * n);
}

/* A 10 kHz wave at 48 kHz repeats every 24 samples, so its spectrum lies on
   multiples of 2 kHz: 10 and 20 kHz are its harmonics, every other line is an
   alias. */
static int is_harmonic_line(int m) { return m == 5 || m == 10; }

static double naive_wave(int kind, double phase) {
  switch (kind) {
  case SYNTH_SAW:
    return 2.0 * phase - 1.0;
  case SYNTH_SQUARE:
    return phase < 0.5 ? 1.0 : -1.0;
  default: { /* triangle from 0 rising */
    double shifted = fmod(phase + 0.25, 1.0);
    return 1.0 - 4.0 * fabs(shifted - 0.5);
  }
  }
}

START_TEST(test_every_alias_of_a_10_khz_wave_is_20_db_below_the_naive_waves) {
  const int kinds[] = {SYNTH_SAW, SYNTH_SQUARE, SYNTH_TRI};
  const int n = 24 * 200;
  for (int k = 0; k < 3; k++) {
    synth_bus bus = {0};
    add_node(&bus, kinds[k], 1, P(0));
    bus.param_count = 1;
    const float freq = 10000.0f;
    synth_voice voice = make_voice(n, n, 1, &freq);
    float *band_limited = render_all(&bus, &voice, (uint32_t)n);
    float *naive = malloc(sizeof(float) * n);
    double phase = 0;
    for (int i = 0; i < n; i++) {
      naive[i] = (float)naive_wave(kinds[k], phase);
      phase += 10000.0 / RATE;
      if (phase >= 1.0)
        phase -= 1.0;
    }
    double ours_total = 0, naive_total = 0;
    for (int m = 1; m <= 12; m++) {
      if (is_harmonic_line(m))
        continue;
      const double ours = power_at(band_limited, n, 2000.0 * m);
      const double theirs = power_at(naive, n, 2000.0 * m);
      ours_total += ours;
      naive_total += theirs;
      if (theirs < 1e-12)
        continue; /* a line the naive wave has no alias on */
      ck_assert_msg(10 * log10(ours / theirs) < -20.0, "kind %d alias at %d Hz: %.1f dB vs %.1f",
                    kinds[k], 2000 * m, 10 * log10(ours), 10 * log10(theirs));
    }
    ck_assert_double_lt(10 * log10(ours_total / naive_total), -25.0);
    free(band_limited);
    free(naive);
  }
}
END_TEST

START_TEST(test_band_limiting_keeps_a_10_khz_saws_fundamental_within_3_db) {
  const int n = 24 * 200;
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SAW, 1, P(0));
  bus.param_count = 1;
  const float freq = 10000.0f;
  synth_voice voice = make_voice(n, n, 1, &freq);
  float *out = render_all(&bus, &voice, (uint32_t)n);
  const double ideal = 1.0 / 3.14159265358979323846; /* half the amplitude 2/pi */
  const double level = 10 * log10(power_at(out, n, 10000.0) / (ideal * ideal));
  ck_assert_msg(level > -3.0 && level < 0.5, "fundamental at %.2f dB", level);
  free(out);
}
END_TEST

/* Gain in dB of a filter for a sine at `freq`, measured after it settles. */
static double filter_gain_db(int kind, float cutoff, float q, float freq) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SINE, 1, P(0));
  add_node(&bus, kind, 3, N(0), P(1), P(2));
  bus.param_count = 3;
  const float params[] = {freq, cutoff, q};
  synth_voice voice = make_voice(48000, 48000, 3, params);
  float *out = render_all(&bus, &voice, 48000);
  const double gain = rms(out, 24000, 48000) / sqrt(0.5);
  free(out);
  return decibels(gain);
}

START_TEST(test_lpf_and_hpf_are_3_db_down_at_cutoff) {
  const float cutoffs[] = {200.0f, 1000.0f, 5000.0f};
  for (int c = 0; c < 3; c++) {
    const double low = filter_gain_db(SYNTH_LPF, cutoffs[c], 0.707f, cutoffs[c]);
    const double high = filter_gain_db(SYNTH_HPF, cutoffs[c], 0.707f, cutoffs[c]);
    ck_assert_msg(fabs(low + 3.01) < 0.2, "lpf at %g: %.2f dB", cutoffs[c], low);
    ck_assert_msg(fabs(high + 3.01) < 0.2, "hpf at %g: %.2f dB", cutoffs[c], high);
  }
}
END_TEST

START_TEST(test_lpf_passes_lows_and_cuts_highs_hpf_the_reverse) {
  ck_assert_double_gt(filter_gain_db(SYNTH_LPF, 1000.0f, 0.707f, 100.0f), -0.2);
  ck_assert_double_lt(filter_gain_db(SYNTH_LPF, 1000.0f, 0.707f, 10000.0f), -35.0);
  ck_assert_double_gt(filter_gain_db(SYNTH_HPF, 1000.0f, 0.707f, 10000.0f), -0.2);
  ck_assert_double_lt(filter_gain_db(SYNTH_HPF, 1000.0f, 0.707f, 100.0f), -35.0);
}
END_TEST

START_TEST(test_resonance_raises_the_lpf_peak_to_about_q) {
  const double peak = filter_gain_db(SYNTH_LPF, 1000.0f, 8.0f, 1000.0f);
  ck_assert_msg(fabs(peak - decibels(8.0)) < 0.3, "q 8 at cutoff: %.2f dB", peak);
}
END_TEST

START_TEST(test_bpf_peaks_at_0_db_and_notch_removes_its_centre_by_30_db) {
  const double centre = filter_gain_db(SYNTH_BPF, 1500.0f, 4.0f, 1500.0f);
  ck_assert_msg(fabs(centre) < 0.1, "bpf centre %.2f dB", centre);
  ck_assert_double_lt(filter_gain_db(SYNTH_BPF, 1500.0f, 4.0f, 6000.0f), -20.0);
  const double notch = filter_gain_db(SYNTH_NOTCH, 1500.0f, 0.707f, 1500.0f);
  ck_assert_msg(notch < -30.0, "notch centre %.2f dB", notch);
  ck_assert_double_gt(filter_gain_db(SYNTH_NOTCH, 1500.0f, 0.707f, 15000.0f), -0.5);
}
END_TEST

/* The envelope alone: its signal input is the constant 1. `times` holds
   attack, release (ENV) or attack, decay, sustain, release (ADSR). */
static float *envelope(int kind, const float *times, uint32_t gate, uint32_t total) {
  synth_bus bus = {0};
  if (kind == SYNTH_ENV)
    add_node(&bus, SYNTH_ENV, 3, P(0), P(1), P(2));
  else
    add_node(&bus, SYNTH_ADSR, 5, P(0), P(1), P(2), P(3), P(4));
  bus.param_count = 5;
  const int time_count = kind == SYNTH_ENV ? 2 : 4;
  float params[5] = {1.0f, 0.0f, 0.0f, 0.0f, 0.0f};
  for (int i = 0; i < time_count; i++)
    params[1 + i] = times[i];
  synth_voice voice = make_voice(gate, total, 5, params);
  return render_all(&bus, &voice, total + 500);
}

START_TEST(test_env_attacks_to_1_holds_and_releases_to_exactly_0) {
  const float times[] = {0.01f, 0.02f}; /* 480 frames up, 960 down */
  float *out = envelope(SYNTH_ENV, times, 1000, 3000);
  ck_assert_float_eq(out[0], 0.0f);
  ck_assert_float_eq_tol(out[240], 0.5f, 1e-4f);
  ck_assert_float_eq_tol(out[479], 1.0f, 3e-3f);
  ck_assert_float_eq(out[480], 1.0f);
  ck_assert_float_eq(out[999], 1.0f);
  ck_assert_float_eq_tol(out[1000 + 480], 0.5f, 1e-4f);
  ck_assert_float_gt(out[1959], 0.0f);
  ck_assert_float_lt(out[1959], 2e-3f);
  for (int i = 1960; i < 3500; i++)
    ck_assert_float_eq(out[i], 0.0f);
  for (int i = 1; i < 3500; i++) /* no step larger than one attack increment */
    ck_assert_float_le(fabsf(out[i] - out[i - 1]), 1.0f / 480 + 1e-6f);
  free(out);
}
END_TEST

START_TEST(test_a_gate_shorter_than_the_attack_releases_from_the_level_reached) {
  const float times[] = {0.01f, 0.02f};
  float *out = envelope(SYNTH_ENV, times, 240, 3000);
  ck_assert_float_eq_tol(out[239], 239.0f / 480, 1e-5f);
  ck_assert_float_eq_tol(out[240], 0.5f, 1e-5f);
  ck_assert_float_eq_tol(out[240 + 480], 0.25f, 1e-5f);
  for (int i = 241; i < 1200; i++)
    ck_assert_float_le(out[i], out[i - 1]);
  ck_assert_float_gt(out[1199], 0.0f);
  for (int i = 1200; i < 3500; i++)
    ck_assert_float_eq(out[i], 0.0f);
  free(out);
}
END_TEST

START_TEST(test_adsr_decays_to_sustain_and_releases_from_it) {
  const float times[] = {0.01f, 0.01f, 0.5f, 0.02f};
  float *out = envelope(SYNTH_ADSR, times, 2000, 4000);
  ck_assert_float_eq(out[480], 1.0f);
  ck_assert_float_eq_tol(out[720], 0.75f, 1e-5f);
  ck_assert_float_eq(out[960], 0.5f);
  ck_assert_float_eq(out[1999], 0.5f);
  ck_assert_float_eq_tol(out[2000 + 480], 0.25f, 1e-5f);
  for (int i = 2960; i < 4500; i++)
    ck_assert_float_eq(out[i], 0.0f);
  free(out);
}
END_TEST

START_TEST(test_adsr_gate_during_decay_releases_from_the_decaying_level) {
  const float times[] = {0.01f, 0.01f, 0.0f, 0.01f};
  float *out = envelope(SYNTH_ADSR, times, 720, 4000); /* halfway down the decay */
  ck_assert_float_eq_tol(out[720], 0.5f, 1e-5f);
  ck_assert_float_eq_tol(out[720 + 240], 0.25f, 1e-5f);
  for (int i = 720 + 480; i < 4500; i++)
    ck_assert_float_eq(out[i], 0.0f);
  free(out);
}
END_TEST

START_TEST(test_output_is_0_after_total_frames_even_mid_release) {
  const float times[] = {0.001f, 1.0f};
  float *out = envelope(SYNTH_ENV, times, 1000, 2000);
  ck_assert_float_gt(out[1999], 0.9f);
  for (int i = 2000; i < 2500; i++)
    ck_assert_float_eq(out[i], 0.0f);
  free(out);
}
END_TEST

START_TEST(test_zero_attack_and_release_give_a_gate) {
  const float times[] = {0.0f, 0.0f};
  float *out = envelope(SYNTH_ENV, times, 100, 200);
  for (int i = 0; i < 100; i++)
    ck_assert_float_eq(out[i], 1.0f);
  for (int i = 100; i < 700; i++)
    ck_assert_float_eq(out[i], 0.0f);
  free(out);
}
END_TEST

static float *noise(uint32_t seed, uint32_t frames) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_NOISE, 0);
  synth_voice voice = make_voice(frames, frames, 0, NULL);
  voice.seed = seed;
  return render_all(&bus, &voice, frames);
}

START_TEST(test_noise_is_the_same_for_a_seed_and_differs_across_seeds) {
  float *a = noise(7, 4800), *b = noise(7, 4800), *c = noise(8, 4800), *zero = noise(0, 4800);
  ck_assert_int_eq(memcmp(a, b, sizeof(float) * 4800), 0);
  int same = 0;
  for (int i = 0; i < 4800; i++)
    same += a[i] == c[i];
  ck_assert_int_lt(same, 5);
  ck_assert_double_gt(rms(zero, 0, 4800), 0.5); /* seed 0 is as good as any */
  free(a);
  free(b);
  free(c);
  free(zero);
}
END_TEST

START_TEST(test_noise_is_white_uniform_and_centred) {
  float *x = noise(99, 96000);
  double sum = 0, lag = 0, lo = 1, hi = -1;
  for (int i = 0; i < 96000; i++) {
    sum += x[i];
    if (i)
      lag += (double)x[i] * x[i - 1];
    lo = fmin(lo, x[i]);
    hi = fmax(hi, x[i]);
  }
  const double power = rms(x, 0, 96000) * rms(x, 0, 96000);
  ck_assert_double_lt(fabs(sum / 96000), 0.01);
  ck_assert_double_lt(fabs(power - 1.0 / 3.0), 0.01); /* uniform on [-1, 1) */
  ck_assert_double_lt(fabs(lag / 96000) / power, 0.02);
  ck_assert_double_ge(lo, -1.0);
  ck_assert_double_lt(hi, 1.0);
  free(x);
}
END_TEST

START_TEST(test_two_noise_nodes_in_one_voice_are_independent) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_NOISE, 0);
  add_node(&bus, SYNTH_NOISE, 0);
  add_node(&bus, SYNTH_SUB, 2, N(0), N(1));
  synth_voice voice = make_voice(4800, 4800, 0, NULL);
  float *out = render_all(&bus, &voice, 4800);
  ck_assert_double_gt(rms(out, 0, 4800), 0.7); /* sqrt(2/3) for independent ones */
  free(out);
}
END_TEST

START_TEST(test_arithmetic_nodes_combine_params_and_signals) {
  const int kinds[] = {SYNTH_ADD, SYNTH_SUB, SYNTH_MUL, SYNTH_DIV, SYNTH_DIV};
  const float b_values[] = {4.0f, 4.0f, 4.0f, 4.0f, 0.0f};
  const float expected[] = {7.0f, -1.0f, 12.0f, 0.75f, 0.0f};
  for (int k = 0; k < 5; k++) {
    synth_bus bus = {0};
    add_node(&bus, kinds[k], 2, P(0), P(1));
    bus.param_count = 2;
    const float params[] = {3.0f, b_values[k]};
    synth_voice voice = make_voice(64, 64, 2, params);
    float *out = render_all(&bus, &voice, 64);
    ck_assert_float_eq(out[63], expected[k]);
    free(out);
  }
}
END_TEST

int main(void) {
  Suite *suite = suite_create("synth");
  TCase *osc = tcase_create("oscillators");
  tcase_add_test(osc, test_oscillators_play_440_hz_within_half_a_hertz);
  tcase_add_test(osc, test_oscillators_follow_a_low_and_a_high_pitch);
  tcase_add_test(osc, test_every_alias_of_a_10_khz_wave_is_20_db_below_the_naive_waves);
  tcase_add_test(osc, test_band_limiting_keeps_a_10_khz_saws_fundamental_within_3_db);
  tcase_add_test(osc, test_noise_is_the_same_for_a_seed_and_differs_across_seeds);
  tcase_add_test(osc, test_noise_is_white_uniform_and_centred);
  tcase_add_test(osc, test_two_noise_nodes_in_one_voice_are_independent);
  suite_add_tcase(suite, osc);
  TCase *filters = tcase_create("filters");
  tcase_add_test(filters, test_lpf_and_hpf_are_3_db_down_at_cutoff);
  tcase_add_test(filters, test_lpf_passes_lows_and_cuts_highs_hpf_the_reverse);
  tcase_add_test(filters, test_resonance_raises_the_lpf_peak_to_about_q);
  tcase_add_test(filters, test_bpf_peaks_at_0_db_and_notch_removes_its_centre_by_30_db);
  suite_add_tcase(suite, filters);
  TCase *envelopes = tcase_create("envelopes");
  tcase_add_test(envelopes, test_env_attacks_to_1_holds_and_releases_to_exactly_0);
  tcase_add_test(envelopes, test_a_gate_shorter_than_the_attack_releases_from_the_level_reached);
  tcase_add_test(envelopes, test_adsr_decays_to_sustain_and_releases_from_it);
  tcase_add_test(envelopes, test_adsr_gate_during_decay_releases_from_the_decaying_level);
  tcase_add_test(envelopes, test_output_is_0_after_total_frames_even_mid_release);
  tcase_add_test(envelopes, test_zero_attack_and_release_give_a_gate);
  tcase_add_test(envelopes, test_arithmetic_nodes_combine_params_and_signals);
  suite_add_tcase(suite, envelopes);
  return check_run(suite);
}
