/* Tests that synth_render holds up: identical output for any split of the
   frames, no NaN/inf/denormal whatever the parameters, malformed graphs, and
   signals (LFOs) driving filter cutoffs and oscillator pitches. */
#include <check.h>

#include "check_run.h"
#include <float.h>

#include "test_synth_util.h"

/* The graphs under test, with sensible params. */
typedef struct {
  const char *name;
  synth_bus bus;
  float params[SYNTH_MAX_PARAMS];
} graph;

enum { GRAPH_COUNT = 8 };

static graph graphs[GRAPH_COUNT];

static void build_graphs(void) {
  memset(graphs, 0, sizeof graphs);
  graph *g = graphs;
  /* saw -> lpf -> env */
  g->name = "saw lpf env";
  add_node(&g->bus, SYNTH_SAW, 1, P(0));
  add_node(&g->bus, SYNTH_LPF, 3, N(0), P(1), P(2));
  add_node(&g->bus, SYNTH_ENV, 3, N(1), P(3), P(4));
  g->bus.param_count = 5;
  memcpy(g->params, (float[]){440, 800, 0.707f, 0.005f, 0.2f}, 5 * sizeof(float));
  g++;
  g->name = "square hpf lpf env";
  add_node(&g->bus, SYNTH_SQUARE, 1, P(0));
  add_node(&g->bus, SYNTH_HPF, 3, N(0), P(1), P(2));
  add_node(&g->bus, SYNTH_LPF, 3, N(1), P(3), P(4));
  add_node(&g->bus, SYNTH_ENV, 3, N(2), P(5), P(6));
  g->bus.param_count = 7;
  memcpy(g->params, (float[]){220, 300, 0.707f, 2400, 0.9f, 0.002f, 0.1f}, 7 * sizeof(float));
  g++;
  g->name = "noise hpf env";
  add_node(&g->bus, SYNTH_NOISE, 0);
  add_node(&g->bus, SYNTH_HPF, 3, N(0), P(0), P(1));
  add_node(&g->bus, SYNTH_ENV, 3, N(1), P(2), P(3));
  g->bus.param_count = 4;
  memcpy(g->params, (float[]){7000, 0.707f, 0.001f, 0.04f}, 4 * sizeof(float));
  g++;
  g->name = "lfo cutoff"; /* saw # lpf (sine 2 * 400 + 800) 4 # env */
  add_node(&g->bus, SYNTH_SINE, 1, P(0));
  add_node(&g->bus, SYNTH_MUL, 2, N(0), P(1));
  add_node(&g->bus, SYNTH_ADD, 2, N(1), P(2));
  add_node(&g->bus, SYNTH_SAW, 1, P(3));
  add_node(&g->bus, SYNTH_LPF, 3, N(3), N(2), P(4));
  add_node(&g->bus, SYNTH_ENV, 3, N(4), P(5), P(6));
  g->bus.param_count = 7;
  memcpy(g->params, (float[]){2, 400, 800, 110, 4, 0.01f, 0.3f}, 7 * sizeof(float));
  g++;
  g->name = "vibrato pwm adsr"; /* pulse (sine 5 * 10 + 440) (sine 0.3 * 0.4 + 0.5) */
  add_node(&g->bus, SYNTH_SINE, 1, P(0));
  add_node(&g->bus, SYNTH_MUL, 2, N(0), P(1));
  add_node(&g->bus, SYNTH_ADD, 2, N(1), P(2));
  add_node(&g->bus, SYNTH_SINE, 1, P(3));
  add_node(&g->bus, SYNTH_MUL, 2, N(3), P(4));
  add_node(&g->bus, SYNTH_ADD, 2, N(4), P(5));
  add_node(&g->bus, SYNTH_PULSE, 2, N(2), N(5));
  add_node(&g->bus, SYNTH_ADSR, 5, N(6), P(6), P(7), P(8), P(9));
  g->bus.param_count = 10;
  memcpy(g->params, (float[]){5, 10, 440, 0.3f, 0.4f, 0.5f, 0.01f, 0.1f, 0.6f, 0.2f},
         10 * sizeof(float));
  g++;
  g->name = "tri bpf notch, q and cutoff signals";
  add_node(&g->bus, SYNTH_TRI, 1, P(0));
  add_node(&g->bus, SYNTH_SINE, 1, P(1));
  add_node(&g->bus, SYNTH_MUL, 2, N(1), P(2));
  add_node(&g->bus, SYNTH_ADD, 2, N(2), P(3)); /* q: 5 +- 4 */
  add_node(&g->bus, SYNTH_BPF, 3, N(0), P(4), N(3));
  add_node(&g->bus, SYNTH_NOTCH, 3, N(4), N(3), P(5)); /* a cutoff of 1..9 Hz: clamped */
  add_node(&g->bus, SYNTH_DIV, 2, N(5), P(6));
  add_node(&g->bus, SYNTH_ENV, 3, N(6), P(7), P(8));
  g->bus.param_count = 9;
  memcpy(g->params, (float[]){330, 3, 4, 5, 900, 0.707f, 0.5f, 0.02f, 0.1f}, 9 * sizeof(float));
  g++;
  g->name = "gain and mix"; /* (saw + sine) * gain # env # lpf: rings after the env */
  add_node(&g->bus, SYNTH_SAW, 1, P(0));
  add_node(&g->bus, SYNTH_SINE, 1, P(1));
  add_node(&g->bus, SYNTH_ADD, 2, N(0), N(1));
  add_node(&g->bus, SYNTH_MUL, 2, N(2), P(2));
  add_node(&g->bus, SYNTH_ENV, 3, N(3), P(3), P(4));
  add_node(&g->bus, SYNTH_LPF, 3, N(4), P(5), P(6));
  g->bus.param_count = 7;
  memcpy(g->params, (float[]){110, 55, 0.5f, 0.001f, 0.05f, 500, 20}, 7 * sizeof(float));
  g++;
  g->name = "sub of two oscillators, sine-modulated saw";
  add_node(&g->bus, SYNTH_SINE, 1, P(0));
  add_node(&g->bus, SYNTH_MUL, 2, N(0), P(1));
  add_node(&g->bus, SYNTH_ADD, 2, N(1), P(2));
  add_node(&g->bus, SYNTH_SAW, 1, N(2)); /* fm: sine 200 * 300 + 400 */
  add_node(&g->bus, SYNTH_SQUARE, 1, P(3));
  add_node(&g->bus, SYNTH_SUB, 2, N(3), N(4));
  add_node(&g->bus, SYNTH_HPF, 3, N(5), N(2), P(4));
  g->bus.param_count = 5;
  memcpy(g->params, (float[]){200, 300, 400, 97, 1.5f}, 5 * sizeof(float));
}

static synth_voice graph_voice(const graph *g, uint32_t gate, uint32_t total) {
  return make_voice(gate, total, g->bus.param_count, g->params);
}

/* Renders `frames` frames in chunks of sizes[0], sizes[1], ... (cycling). */
static float *render_chunked(const synth_bus *bus, const synth_voice *voice, uint32_t frames,
                             const uint32_t *sizes, int size_count) {
  float *out = malloc(sizeof(float) * frames);
  synth_state state;
  synth_start(&state, bus, voice);
  uint32_t done = 0;
  for (int s = 0; done < frames; s = (s + 1) % size_count) {
    uint32_t n = sizes[s] < frames - done ? sizes[s] : frames - done;
    synth_render(&state, bus, voice, out + done, n);
    done += n;
  }
  return out;
}

START_TEST(test_output_is_bit_identical_for_any_split_into_calls) {
  const uint32_t frames = 48000 + 6000; /* past total_frames too */
  const uint32_t splits[][1] = {{1}, {37}, {64}, {256}, {1000}, {4096}};
  const uint32_t irregular[] = {0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 63};
  const graph *g = &graphs[_i];
  synth_voice voice = graph_voice(g, 36000, 48000);
  float *whole = render_all(&g->bus, &voice, frames);
  ck_assert(all_clean(whole, frames));
  for (int s = 0; s < 6; s++) {
    float *chunked = render_chunked(&g->bus, &voice, frames, splits[s], 1);
    ck_assert_msg(memcmp(whole, chunked, sizeof(float) * frames) == 0, "%s: chunks of %u differ",
                  g->name, splits[s][0]);
    free(chunked);
  }
  float *chunked = render_chunked(&g->bus, &voice, frames, irregular, 17);
  ck_assert_msg(memcmp(whole, chunked, sizeof(float) * frames) == 0, "%s: irregular chunks differ",
                g->name);
  for (uint32_t i = 48000; i < frames; i++)
    ck_assert_float_eq(whole[i], 0.0f);
  free(chunked);
  free(whole);
}
END_TEST

START_TEST(test_synth_start_gives_the_same_voice_again) {
  const graph *g = &graphs[_i];
  synth_voice voice = graph_voice(g, 6000, 12000);
  float first[12000], second[12000];
  synth_state state;
  memset(&state, 0xA5, sizeof state); /* garbage before start must not matter */
  synth_start(&state, &g->bus, &voice);
  synth_render(&state, &g->bus, &voice, first, 12000);
  synth_start(&state, &g->bus, &voice);
  synth_render(&state, &g->bus, &voice, second, 12000);
  ck_assert_int_eq(memcmp(first, second, sizeof first), 0);
  ck_assert_double_gt(rms(first, 0, 6000), 0.01); /* it does make a sound */
}
END_TEST

static const float absurd_values[] = {1e9f,   -5.0f,  NAN,     INFINITY, -INFINITY, 0.0f,  1e6f,
                                      -1e30f, 1e-40f, FLT_MAX, -FLT_MAX, 1e-3f,     -1e-3f};
enum { ABSURD_COUNT = sizeof absurd_values / sizeof *absurd_values };

START_TEST(test_no_nan_inf_or_denormal_whatever_one_param_is) {
  const graph *g = &graphs[_i];
  float out[12000];
  for (int p = 0; p < g->bus.param_count; p++) {
    for (int v = 0; v < ABSURD_COUNT; v++) {
      synth_voice voice = graph_voice(g, 6000, 12000);
      voice.params[p] = absurd_values[v];
      synth_state state;
      synth_start(&state, &g->bus, &voice);
      synth_render(&state, &g->bus, &voice, out, 12000);
      ck_assert_msg(all_clean(out, 12000), "%s: param %d = %g", g->name, p, absurd_values[v]);
    }
  }
}
END_TEST

START_TEST(test_no_nan_inf_or_denormal_when_every_param_is_absurd) {
  const graph *g = &graphs[_i];
  float out[4800];
  uint32_t pick = 12345;
  for (int trial = 0; trial < 300; trial++) {
    synth_voice voice = graph_voice(g, 2400, 4800);
    for (int p = 0; p < g->bus.param_count; p++) {
      pick = pick * 1664525u + 1013904223u;
      voice.params[p] = absurd_values[(pick >> 16) % ABSURD_COUNT];
    }
    synth_state state;
    synth_start(&state, &g->bus, &voice);
    synth_render(&state, &g->bus, &voice, out, 4800);
    ck_assert_msg(all_clean(out, 4800), "%s: trial %d", g->name, trial);
  }
}
END_TEST

START_TEST(test_absurd_sample_rates_and_lengths_stay_clean) {
  const float rates[] = {0.0f, -48000.0f, NAN, INFINITY, 1.0f, 1e9f, 44100.0f, 192000.0f};
  const uint32_t gates[] = {0, 1, 100000, UINT32_MAX};
  float out[9000];
  for (int g = 0; g < GRAPH_COUNT; g++) {
    for (int r = 0; r < 8; r++) {
      for (int t = 0; t < 4; t++) {
        synth_voice voice = graph_voice(&graphs[g], gates[t], 8000);
        voice.sample_rate = rates[r];
        synth_state state;
        synth_start(&state, &graphs[g].bus, &voice);
        synth_render(&state, &graphs[g].bus, &voice, out, 9000);
        ck_assert_msg(all_clean(out, 9000), "%s: rate %g gate %u", graphs[g].name, rates[r],
                      gates[t]);
        for (int i = 8000; i < 9000; i++)
          ck_assert_float_eq(out[i], 0.0f);
      }
    }
  }
}
END_TEST

START_TEST(test_a_minus_infinite_gain_param_gives_silence_not_nan) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SAW, 1, P(0));
  add_node(&bus, SYNTH_MUL, 2, N(0), P(1));
  add_node(&bus, SYNTH_ENV, 3, N(1), P(2), P(3));
  bus.param_count = 4;
  const float params[] = {440, -INFINITY, 0.0f, 0.0f};
  synth_voice voice = make_voice(4800, 9600, 4, params);
  float *out = render_all(&bus, &voice, 9600);
  for (int i = 0; i < 9600; i++)
    ck_assert_float_eq(out[i], 0.0f);
  free(out);
}
END_TEST

START_TEST(test_a_huge_gain_is_clamped_to_a_finite_signal) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SAW, 1, P(0));
  int last = 0;
  for (int i = 0; i < 10; i++)
    last = add_node(&bus, SYNTH_MUL, 2, N(last), P(1));
  bus.param_count = 2;
  const float params[] = {440, 1e30f};
  synth_voice voice = make_voice(4800, 4800, 2, params);
  float *out = render_all(&bus, &voice, 4800);
  ck_assert(all_clean(out, 4800));
  for (int i = 0; i < 4800; i++)
    ck_assert_float_le(fabsf(out[i]), 1e6f);
  free(out);
}
END_TEST

START_TEST(test_malformed_graphs_render_clean_without_crashing) {
  synth_bus bus;
  memset(&bus, 0, sizeof bus);
  bus.node_count = 200;  /* more than SYNTH_MAX_NODES */
  bus.param_count = 250; /* more than SYNTH_MAX_PARAMS */
  uint32_t pick = 99;
  float out[2048];
  for (int trial = 0; trial < 500; trial++) {
    for (int k = 0; k < SYNTH_MAX_NODES; k++) {
      synth_node *node = &bus.nodes[k];
      pick = pick * 1664525u + 1013904223u;
      node->kind = (uint8_t)((pick >> 24) % (SYNTH_KIND_COUNT + 3)); /* some unknown kinds */
      for (int j = 0; j < SYNTH_MAX_INPUTS; j++) {
        pick = pick * 1664525u + 1013904223u;
        node->inputs[j].source = (uint8_t)((pick >> 20) % 3); /* 2 is no source at all */
        node->inputs[j].index = (uint8_t)(pick >> 8);         /* often past the end */
      }
    }
    synth_voice voice = make_voice(1024, 2048, 0, NULL);
    for (int p = 0; p < SYNTH_MAX_PARAMS; p++)
      voice.params[p] = absurd_values[p % ABSURD_COUNT];
    synth_state state;
    synth_start(&state, &bus, &voice);
    synth_render(&state, &bus, &voice, out, 2048);
    ck_assert_msg(all_clean(out, 2048), "trial %d", trial);
  }
  bus.node_count = 0; /* an empty graph is silent */
  synth_voice voice = make_voice(10, 100, 0, NULL);
  synth_state state;
  synth_start(&state, &bus, &voice);
  out[0] = 1.0f;
  synth_render(&state, &bus, &voice, out, 100);
  for (int i = 0; i < 100; i++)
    ck_assert_float_eq(out[i], 0.0f);
}
END_TEST

START_TEST(test_a_resonant_filter_rings_down_to_exact_zeros_not_denormals) {
  const graph *g = &graphs[6]; /* env before a q 20 lpf */
  synth_voice voice = graph_voice(g, 2400, 48000 * 4);
  float *out = render_all(&g->bus, &voice, 48000 * 4);
  ck_assert(all_clean(out, 48000 * 4));
  ck_assert_double_gt(rms(out, 2400 + 2400, 2400 + 4800), 1e-4); /* it rings after the env */
  for (int i = 48000 * 3; i < 48000 * 4; i++)
    ck_assert_float_eq(out[i], 0.0f);
  free(out);
  /* the filter's own memory was flushed to 0, not left decaying through doubles' denormals */
  synth_state state;
  float block[4800];
  synth_start(&state, &g->bus, &voice);
  for (int i = 0; i < 40; i++)
    synth_render(&state, &g->bus, &voice, block, 4800);
  ck_assert(state.nodes[5].svf.ic1 == 0.0 && state.nodes[5].svf.ic2 == 0.0);
}
END_TEST

START_TEST(test_a_constant_cutoff_signal_sounds_exactly_like_the_parameter) {
  graph g = graphs[3]; /* lfo cutoff, with the lfo depth set to 0 */
  g.params[1] = 0.0f;
  synth_voice voice = graph_voice(&g, 24000, 48000);
  float *modulated = render_all(&g.bus, &voice, 48000);
  synth_bus fixed = {0}; /* saw # lpf 800 4 # env, all parameters */
  add_node(&fixed, SYNTH_SAW, 1, P(3));
  add_node(&fixed, SYNTH_LPF, 3, N(0), P(2), P(4));
  add_node(&fixed, SYNTH_ENV, 3, N(1), P(5), P(6));
  fixed.param_count = 7;
  float *constant = render_all(&fixed, &voice, 48000);
  ck_assert_int_eq(memcmp(modulated, constant, sizeof(float) * 48000), 0);
  free(modulated);
  free(constant);
}
END_TEST

/* High-frequency content: RMS of the first difference. */
static double brightness(const float *x, int from, int to) {
  double sum = 0;
  for (int i = from + 1; i < to; i++)
    sum += (double)(x[i] - x[i - 1]) * (x[i] - x[i - 1]);
  return sqrt(sum / (to - from - 1));
}

START_TEST(test_an_lfo_on_the_cutoff_opens_and_closes_the_filter) {
  graph g = graphs[3]; /* cutoff = sine 1 Hz * 1500 + 2000: 3500 Hz at 0.25 s, 500 at 0.75 */
  g.params[0] = 1.0f;
  g.params[1] = 1500.0f;
  g.params[2] = 2000.0f;
  g.params[4] = 0.707f;
  synth_voice voice = graph_voice(&g, 48000, 48000);
  float *out = render_all(&g.bus, &voice, 48000);
  /* about sqrt(3500 / 500): the differenced saw has flat harmonics up to the cutoff */
  const double open = brightness(out, 11000, 13000), closed = brightness(out, 35000, 37000);
  ck_assert_msg(open > 2.0 * closed, "open %g closed %g", open, closed);
  const double rising = brightness(out, 1000, 3000), falling = brightness(out, 21000, 23000);
  ck_assert_double_lt(fabs(rising - falling) / rising, 0.2); /* both at the centre, 2000 Hz */
  free(out);
}
END_TEST

START_TEST(test_vibrato_swings_the_pitch_around_its_centre) {
  synth_bus bus = {0}; /* sine (sine 4 * 20 + 440) */
  add_node(&bus, SYNTH_SINE, 1, P(0));
  add_node(&bus, SYNTH_MUL, 2, N(0), P(1));
  add_node(&bus, SYNTH_ADD, 2, N(1), P(2));
  add_node(&bus, SYNTH_SINE, 1, N(2));
  bus.param_count = 3;
  const float params[] = {4, 20, 440};
  synth_voice voice = make_voice(48000, 48000, 3, params);
  float *out = render_all(&bus, &voice, 48000);
  const double centre = measured_frequency(out, 0, 48000);
  /* the LFO's quarter periods: rising through its top, then through its bottom */
  const double high = measured_frequency(out, 1500, 4500);
  const double low = measured_frequency(out, 7500, 10500);
  ck_assert_msg(fabs(centre - 440.0) < 0.5, "centre %.2f", centre);
  ck_assert_msg(high > 452.0 && high < 461.0, "high %.2f", high);
  ck_assert_msg(low < 428.0 && low > 419.0, "low %.2f", low);
  free(out);
}
END_TEST

int main(void) {
  build_graphs();
  Suite *suite = suite_create("synth_robust");
  TCase *chunks = tcase_create("chunks");
  tcase_add_loop_test(chunks, test_output_is_bit_identical_for_any_split_into_calls, 0,
                      GRAPH_COUNT);
  tcase_add_loop_test(chunks, test_synth_start_gives_the_same_voice_again, 0, GRAPH_COUNT);
  suite_add_tcase(suite, chunks);
  TCase *absurd = tcase_create("absurd");
  tcase_set_timeout(absurd, 120);
  tcase_add_loop_test(absurd, test_no_nan_inf_or_denormal_whatever_one_param_is, 0, GRAPH_COUNT);
  tcase_add_loop_test(absurd, test_no_nan_inf_or_denormal_when_every_param_is_absurd, 0,
                      GRAPH_COUNT);
  tcase_add_test(absurd, test_absurd_sample_rates_and_lengths_stay_clean);
  tcase_add_test(absurd, test_a_minus_infinite_gain_param_gives_silence_not_nan);
  tcase_add_test(absurd, test_a_huge_gain_is_clamped_to_a_finite_signal);
  tcase_add_test(absurd, test_malformed_graphs_render_clean_without_crashing);
  tcase_add_test(absurd, test_a_resonant_filter_rings_down_to_exact_zeros_not_denormals);
  suite_add_tcase(suite, absurd);
  TCase *modulation = tcase_create("modulation");
  tcase_add_test(modulation, test_a_constant_cutoff_signal_sounds_exactly_like_the_parameter);
  tcase_add_test(modulation, test_an_lfo_on_the_cutoff_opens_and_closes_the_filter);
  tcase_add_test(modulation, test_vibrato_swings_the_pitch_around_its_centre);
  suite_add_tcase(suite, modulation);
  return check_run(suite);
}
