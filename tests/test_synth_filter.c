/* Tests of the filters as a state-variable filter: for fixed settings the
   magnitude response is the RBJ cookbook biquad's, and a cutoff or q swept at
   audio rate at high q stays within a few dB of the same filter's static
   resonance peak (a direct-form biquad ran away to the clamp there). */
#include <check.h>

#include "check_run.h"

#include "test_synth_util.h"

static const int filter_kinds[] = {SYNTH_LPF, SYNTH_HPF, SYNTH_BPF, SYNTH_NOTCH};
static const char *const filter_names[] = {"lpf", "hpf", "bpf", "notch"};

/* |H| at `freq` of the RBJ cookbook biquad (written out here from the
   cookbook, independently of the plugin's filter). */
static double rbj_gain(int kind, double cutoff, double q, double freq) {
  const double pi = 3.14159265358979323846;
  const double w0 = 2.0 * pi * cutoff / RATE, cos_w0 = cos(w0), alpha = sin(w0) / (2.0 * q);
  double b[3];
  switch (kind) {
  case SYNTH_LPF:
    b[0] = b[2] = (1.0 - cos_w0) / 2.0, b[1] = 1.0 - cos_w0;
    break;
  case SYNTH_HPF:
    b[0] = b[2] = (1.0 + cos_w0) / 2.0, b[1] = -(1.0 + cos_w0);
    break;
  case SYNTH_BPF:
    b[0] = alpha, b[1] = 0.0, b[2] = -alpha;
    break;
  default:
    b[0] = b[2] = 1.0, b[1] = -2.0 * cos_w0;
    break;
  }
  const double a[3] = {1.0 + alpha, -2.0 * cos_w0, 1.0 - alpha};
  const double w = 2.0 * pi * freq / RATE;
  double num_re = 0, num_im = 0, den_re = 0, den_im = 0;
  for (int i = 0; i < 3; i++) {
    num_re += b[i] * cos(w * i), num_im -= b[i] * sin(w * i);
    den_re += a[i] * cos(w * i), den_im -= a[i] * sin(w * i);
  }
  return sqrt((num_re * num_re + num_im * num_im) / (den_re * den_re + den_im * den_im));
}

/* The filter's gain for a sine at `freq` (an even number of hertz, so the
   half-second window holds whole periods), measured after 1 s of settling. */
static double measured_gain(int kind, float cutoff, float q, float freq) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SINE, 1, P(0));
  add_node(&bus, kind, 3, N(0), P(1), P(2));
  bus.param_count = 3;
  const float params[] = {freq, cutoff, q};
  synth_voice voice = make_voice(72000, 72000, 3, params);
  float *out = render_all(&bus, &voice, 72000);
  const double gain = rms(out, 48000, 72000) / sqrt(0.5);
  free(out);
  return gain;
}

START_TEST(test_static_magnitude_response_is_the_rbj_cookbook_s) {
  const int kind = filter_kinds[_i];
  const float cutoffs[] = {200.0f, 2000.0f, 12000.0f};
  const float qs[] = {0.5f, 0.707f, 4.0f, 30.0f};
  const double ratios[] = {0.3, 0.8, 0.97, 1.0, 1.03, 1.25, 3.0};
  for (int c = 0; c < 3; c++)
    for (int k = 0; k < 4; k++)
      for (int r = 0; r < 7; r++) {
        const float freq = 2.0f * roundf(cutoffs[c] * (float)ratios[r] / 2.0f);
        if (freq > 20000.0f)
          continue;
        const double expected = decibels(rbj_gain(kind, cutoffs[c], qs[k], freq));
        const double got = decibels(measured_gain(kind, cutoffs[c], qs[k], freq));
        if (expected < -50.0) /* the notch's centre: deep, not a level to match */
          ck_assert_msg(got < -40.0, "%s %g q %g at %g Hz: %.2f dB, cookbook %.2f dB",
                        filter_names[_i], cutoffs[c], qs[k], freq, got, expected);
        else
          ck_assert_msg(fabs(got - expected) < 0.05, "%s %g q %g at %g Hz: %.3f dB, cookbook %.3f",
                        filter_names[_i], cutoffs[c], qs[k], freq, got, expected);
      }
}
END_TEST

static double peak(const float *samples, uint32_t count) {
  double highest = 0;
  for (uint32_t i = 0; i < count; i++)
    highest = fmax(highest, fabs(samples[i]));
  return highest;
}

enum { MOD_NOISE, MOD_SINE, MOD_SQUARE };

/* saw 110 # <kind> (<modulator> * depth + centre) q, peak over 2 s, where
   the modulator is noise, sine `rate` or square `rate`. */
static double swept_peak(int kind, int modulator, float rate, float depth, float centre, float q) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SAW, 1, P(0));
  if (modulator == MOD_NOISE)
    add_node(&bus, SYNTH_NOISE, 0);
  else
    add_node(&bus, modulator == MOD_SINE ? SYNTH_SINE : SYNTH_SQUARE, 1, P(1));
  add_node(&bus, SYNTH_MUL, 2, N(1), P(2));
  add_node(&bus, SYNTH_ADD, 2, N(2), P(3));
  add_node(&bus, kind, 3, N(0), N(3), P(4));
  bus.param_count = 5;
  const float params[] = {110.0f, rate, depth, centre, q};
  synth_voice voice = make_voice(96000, 96000, 5, params);
  float *out = render_all(&bus, &voice, 96000);
  const double highest = peak(out, 96000);
  free(out);
  return highest;
}

/* saw 110 # <kind> cutoff q: the highest peak over 60 cutoffs from 10 Hz to
   the top of the cutoff range, 1 s each. */
static double static_peak(int kind, float q) {
  double highest = 0;
  for (int c = 0; c < 60; c++) {
    synth_bus bus = {0};
    add_node(&bus, SYNTH_SAW, 1, P(0));
    add_node(&bus, kind, 3, N(0), P(1), P(2));
    bus.param_count = 3;
    const float params[] = {110.0f, 10.0f * powf(2160.0f, (float)c / 59.0f), q};
    synth_voice voice = make_voice(48000, 48000, 3, params);
    float *out = render_all(&bus, &voice, 48000);
    highest = fmax(highest, peak(out, 48000));
    free(out);
  }
  return highest;
}

START_TEST(test_a_cutoff_swept_at_audio_rate_stays_near_the_static_resonance_peak) {
  const int kind = filter_kinds[_i / 2];
  const float q = _i % 2 ? 30.0f : 20.0f;
  const double ceiling = decibels(static_peak(kind, q)) + 3.0;
  struct {
    int modulator;
    float rate, depth, centre;
  } const sweeps[] = {
      {MOD_NOISE, 0.0f, 10000.0f, 10010.0f},  {MOD_SINE, 300.0f, 10000.0f, 10010.0f},
      {MOD_SQUARE, 2.0f, 2000.0f, 2500.0f},   {MOD_SQUARE, 8.0f, 2000.0f, 2500.0f},
      {MOD_SQUARE, 30.0f, 2000.0f, 2500.0f},  {MOD_SQUARE, 100.0f, 2000.0f, 2500.0f},
      {MOD_SQUARE, 8.0f, 10000.0f, 10010.0f}, {MOD_SQUARE, 300.0f, 10000.0f, 10010.0f},
  };
  for (size_t s = 0; s < sizeof sweeps / sizeof *sweeps; s++) {
    const double level = decibels(swept_peak(kind, sweeps[s].modulator, sweeps[s].rate,
                                             sweeps[s].depth, sweeps[s].centre, q));
    ck_assert_msg(level <= ceiling, "%s q %g, sweep %zu: peak %.2f dB, static peak + 3 dB %.2f",
                  filter_names[_i / 2], q, s, level, ceiling);
  }
}
END_TEST

/* saw 110 # <kind> 880 (square rate * 14.75 + 15.25): q jumps between 0.5
   and 30. What one q stored rings on under the other (a notch narrowing from
   q 0.5 to 30 lets the band it was cutting ring out: up to the input's level
   again, +6 dB), so the bound is the higher static peak + 9 dB. */
START_TEST(test_a_q_swept_at_audio_rate_stays_near_the_static_peaks) {
  const int kind = filter_kinds[_i];
  const float rates[] = {3.0f, 30.0f, 300.0f, 3000.0f};
  double static_level = 0;
  const float static_qs[] = {0.5f, 30.0f};
  for (int k = 0; k < 2; k++) {
    synth_bus bus = {0};
    add_node(&bus, SYNTH_SAW, 1, P(0));
    add_node(&bus, kind, 3, N(0), P(1), P(2));
    bus.param_count = 3;
    const float params[] = {110.0f, 880.0f, static_qs[k]};
    synth_voice voice = make_voice(96000, 96000, 3, params);
    float *out = render_all(&bus, &voice, 96000);
    static_level = fmax(static_level, peak(out, 96000));
    free(out);
  }
  for (int r = 0; r < 4; r++) {
    synth_bus bus = {0};
    add_node(&bus, SYNTH_SAW, 1, P(0));
    add_node(&bus, SYNTH_SQUARE, 1, P(1));
    add_node(&bus, SYNTH_MUL, 2, N(1), P(2));
    add_node(&bus, SYNTH_ADD, 2, N(2), P(3));
    add_node(&bus, kind, 3, N(0), P(4), N(3));
    bus.param_count = 5;
    const float params[] = {110.0f, rates[r], 14.75f, 15.25f, 880.0f};
    synth_voice voice = make_voice(96000, 96000, 5, params);
    float *out = render_all(&bus, &voice, 96000);
    const double level = decibels(peak(out, 96000)), ceiling = decibels(static_level) + 9.0;
    ck_assert_msg(level <= ceiling, "%s, q swept at %g Hz: peak %.2f dB, ceiling %.2f dB",
                  filter_names[_i], rates[r], level, ceiling);
    free(out);
  }
}
END_TEST

int main(void) {
  Suite *suite = suite_create("synth_filter");
  TCase *response = tcase_create("response");
  tcase_set_timeout(response, 120);
  tcase_add_loop_test(response, test_static_magnitude_response_is_the_rbj_cookbook_s, 0, 4);
  suite_add_tcase(suite, response);
  TCase *sweeps = tcase_create("sweeps");
  tcase_set_timeout(sweeps, 120);
  tcase_add_loop_test(sweeps,
                      test_a_cutoff_swept_at_audio_rate_stays_near_the_static_resonance_peak, 0, 8);
  tcase_add_loop_test(sweeps, test_a_q_swept_at_audio_rate_stays_near_the_static_peaks, 0, 4);
  suite_add_tcase(suite, sweeps);
  return check_run(suite);
}
