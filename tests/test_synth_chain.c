/* Tests of the fused chain kernel (plugin/synth/synth_chain.c): for every
   chain shape it takes, with random and absurd parameters, the bits it
   renders, several voices in SIMD lanes on either instruction set, are the
   node interpreter's (synth_render, which live voices use). */
#include <check.h>
#include <stdio.h>

#include "check_run.h"
#include "synth/synth_private.h"
#include "test_synth_util.h"

#define FRAMES 6000
#define VOICES 37 /* full calls of every build and a partial one */

static uint32_t random_state = 12345u;

static float random_unit(void) {
  random_state = random_state * 1664525u + 1013904223u;
  return (float)(random_state >> 8) / 16777216.0f;
}

/* A random chain: one to three oscillators summed, then up to five stages. */
static void random_chain(synth_bus *bus) {
  memset(bus, 0, sizeof *bus);
  static const int oscillators[] = {SYNTH_SAW, SYNTH_SQUARE, SYNTH_PULSE,
                                    SYNTH_TRI, SYNTH_SINE,   SYNTH_NOISE};
  static const int stages[] = {SYNTH_LPF,     SYNTH_HPF,     SYNTH_BPF,     SYNTH_NOTCH,
                               SYNTH_ENV,     SYNTH_ADSR,    SYNTH_MUL,     SYNTH_SHAPE,
                               SYNTH_DISTORT, SYNTH_LPF_ENV, SYNTH_HPF_ENV, SYNTH_BPF_ENV};
  int param = 0;
  const int oscillator_count = 1 + (int)(random_unit() * 3.0f) % 3;
  for (int o = 0; o < oscillator_count; o++) {
    const int previous = bus->node_count - 1;
    const int oscillator = oscillators[(int)(random_unit() * 6.0f) % 6];
    const int added = add_node(bus, oscillator, 2, P(param), P(param + 1));
    param += 2;
    if (o > 0) /* summed with what came before, in either order */
      add_node(bus, SYNTH_ADD, 2, N(random_unit() < 0.5f ? previous : added),
               N(random_unit() < 0.5f ? added : previous));
  }
  const int stage_count = (int)(random_unit() * 6.0f) % 6;
  for (int s = 0; s < stage_count; s++) {
    const int kind = stages[(int)(random_unit() * 12.0f) % 12];
    const int previous = bus->node_count - 1;
    if (kind == SYNTH_MUL && random_unit() < 0.5f)
      add_node(bus, kind, 2, P(param), N(previous));
    else
      add_node(bus, kind, 8, N(previous), P(param), P(param + 1), P(param + 2), P(param + 3),
               P(param + 4), P(param + 5), P(param + 6));
    param += 7;
  }
  bus->param_count = (uint8_t)param;
}

/* Parameters musical and not: frequencies to past Nyquist, tiny and huge
   gains, zero times, now and then NaN. */
static synth_voice random_voice(const synth_bus *bus) {
  synth_voice voice;
  memset(&voice, 0, sizeof voice);
  voice.sample_rate = random_unit() < 0.8f ? RATE : 44100.0f;
  voice.total_frames = 100 + (uint32_t)(random_unit() * (FRAMES - 100));
  voice.gate_frames = (uint32_t)(random_unit() * (float)voice.total_frames);
  voice.seed = (uint32_t)(random_unit() * 1000.0f);
  for (int p = 0; p < bus->param_count; p++) {
    const float pick = random_unit();
    voice.params[p] = pick < 0.05f   ? NAN
                      : pick < 0.1f  ? 1e-35f
                      : pick < 0.15f ? -3e7f
                      : pick < 0.3f  ? random_unit() * 0.05f
                      : pick < 0.6f  ? random_unit() * 2.0f
                                     : random_unit() * 24000.0f;
  }
  return voice;
}

static void assert_same_bits(const float *expected, const float *got, uint32_t frames,
                             const char *what, int round) {
  for (uint32_t i = 0; i < frames; i++)
    ck_assert_msg(memcmp(&expected[i], &got[i], sizeof(float)) == 0,
                  "%s, round %d, frame %u: %.9g, the interpreter gives %.9g", what, round, i,
                  (double)got[i], (double)expected[i]);
}

START_TEST(every_chain_shape_takes_the_fused_kernel) {
  for (int round = 0; round < 200; round++) {
    synth_bus bus;
    random_chain(&bus);
    synth_chain chain;
    ck_assert(synth_chain_of(&bus, &chain));
    ck_assert_int_eq(chain.length, bus.node_count);
  }
}
END_TEST

START_TEST(other_graphs_stay_with_the_interpreter) {
  synth_bus bus = {0};
  synth_chain chain;
  add_node(&bus, SYNTH_SAW, 1, P(0));
  add_node(&bus, SYNTH_TRIODE, 2, N(0), P(1));
  bus.param_count = 2;
  ck_assert(!synth_chain_of(&bus, &chain)); /* an effect the kernel does not have */
  memset(&bus, 0, sizeof bus);
  add_node(&bus, SYNTH_SINE, 1, P(0));
  add_node(&bus, SYNTH_SAW, 1, P(1));
  add_node(&bus, SYNTH_LPF, 3, N(1), N(0), P(2));
  bus.param_count = 3;
  ck_assert(!synth_chain_of(&bus, &chain)); /* a modulated cutoff */
  memset(&bus, 0, sizeof bus);
  add_node(&bus, SYNTH_SAW, 1, P(0));
  add_node(&bus, SYNTH_LPF, 3, N(0), P(1), P(2));
  add_node(&bus, SYNTH_ENV, 3, N(0), P(3), P(4)); /* reads node 0, skipping the filter */
  bus.param_count = 5;
  ck_assert(!synth_chain_of(&bus, &chain));
}
END_TEST

/* Renders VOICES voices together, as the worker does, and checks each
   against the interpreter; `what` names the case in a failure. */
static void assert_lanes_match(const synth_bus *bus, const synth_voice *voices, const char *what,
                               int round) {
  const synth_voice *voice_list[VOICES];
  float *outs[VOICES];
  for (int v = 0; v < VOICES; v++) {
    voice_list[v] = &voices[v];
    outs[v] = malloc(sizeof(float) * voices[v].total_frames);
  }
  synth_render_voices(bus, voice_list, outs, VOICES);
  for (int v = 0; v < VOICES; v++) {
    float *expected = render_all(bus, &voices[v], voices[v].total_frames);
    char label[96];
    snprintf(label, sizeof label, "%s, voice %d", what, v);
    assert_same_bits(expected, outs[v], voices[v].total_frames, label, round);
    free(expected);
    free(outs[v]);
  }
}

/* Lanes of the kernel's build _i (0 SSE2, 1 AVX2, 2 AVX-512), where this machine runs it. */
START_TEST(voices_in_lanes_give_the_interpreters_bits) {
  if (!synth_chain_use_build(_i)) {
    fprintf(stderr, "synth_chain: this machine does not run build %d; not tested here\n", _i);
    return;
  }
  for (int round = 0; round < 30; round++) {
    synth_bus bus;
    random_chain(&bus);
    synth_voice voices[VOICES];
    for (int v = 0; v < VOICES; v++)
      voices[v] = random_voice(&bus);
    char what[64];
    snprintf(what, sizeof what, "kinds %d %d %d %d %d %d", bus.nodes[0].kind, bus.nodes[1].kind,
             bus.nodes[2].kind, bus.nodes[3].kind, bus.nodes[4].kind, bus.nodes[5].kind);
    assert_lanes_match(&bus, voices, what, round);
  }
  synth_chain_use_build(-1);
}
END_TEST

/* Signals swept across the clamp's edges (SYNTH_TINY and the signal limit)
   a twentieth of a float step a frame, which the random chains never do: a
   very slow saw times gains that take it across an edge mid-voice. The
   kernel clamps a block where some lane needs it, and a block here holds
   values within a step of the edge only, so a test of which blocks need
   clamping that is wrong by one step shows. The sweeping voices share their
   calls with ordinary ones, at several lane positions; one ends at the edge
   (the output's clamp), the next with the edge undone (so what the stages
   before clamped shows). */
START_TEST(signals_at_the_clamps_edges_give_the_interpreters_bits) {
  if (!synth_chain_use_build(_i))
    return;
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SAW, 1, P(0));
  add_node(&bus, SYNTH_MUL, 2, P(1), N(0));
  add_node(&bus, SYNTH_LPF, 3, N(1), P(2), P(3));
  add_node(&bus, SYNTH_MUL, 2, P(4), N(2));
  add_node(&bus, SYNTH_MUL, 2, P(5), N(3));
  bus.param_count = 6;
  /* at 0.0001 Hz the saw rises from -1 by 2.5e-5 over FRAMES; a gain (a
     signal, so at most the limit) of 1 + 1.25e-5 takes it across mid-voice:
     tiny, after the first gain; the limit, after the second */
  const float across = 1.0000125f;
  const float first[2] = {SYNTH_TINY * across, SYNTH_SIGNAL_LIMIT};
  const float second[2] = {1.0f, across}, undo[2] = {SYNTH_SIGNAL_LIMIT, 1.0f / SYNTH_SIGNAL_LIMIT};
  static const int sweeping[] = {0, 6, 10, 35};
  for (int e = 0; e < 2; e++)
    for (int w = 0; w < 4; w++) {
      synth_voice voices[VOICES];
      for (int v = 0; v < VOICES; v++) {
        const int role = v - sweeping[w]; /* 0: ends at the edge, 1: undone */
        const bool sweeps = role == 0 || role == 1;
        const float params[] = {0.0001f, sweeps ? first[e] : 0.5f,  20000.0f,
                                0.7f,    sweeps ? second[e] : 1.0f, role == 1 ? undo[e] : 1.0f};
        voices[v] = make_voice(FRAMES, FRAMES, 6, params);
      }
      char what[32];
      snprintf(what, sizeof what, "edge %d", e);
      assert_lanes_match(&bus, voices, what, w);
    }
  synth_chain_use_build(-1);
}
END_TEST

/* Envelopes holding a level in every lane at once, which the random
   chains seldom do: a saw through two gains into an ADSR, every voice with
   the same times, so the lanes sustain together and are done together. The
   kernel takes float products there (left alone at 1); the sustains reach
   tiny products that the output clamps, and some voices' gains drive the
   envelope's input past the signal limit, so the input it holds was
   clamped. */
START_TEST(held_levels_give_the_interpreters_bits) {
  if (!synth_chain_use_build(_i))
    return;
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SAW, 1, P(0));
  add_node(&bus, SYNTH_MUL, 2, P(1), N(0));
  add_node(&bus, SYNTH_MUL, 2, P(2), N(1));
  add_node(&bus, SYNTH_ADSR, 5, N(2), P(3), P(4), P(5), P(6));
  bus.param_count = 7;
  static const float sustains[] = {1.0f, 0.5f, 0.3f, 1e-25f, 0.0f};
  for (int k = 0; k < 5; k++) {
    synth_voice voices[VOICES];
    for (int v = 0; v < VOICES; v++) {
      const float gain = v % 7 == 3 ? SYNTH_SIGNAL_LIMIT : v == 11 ? NAN : 0.5f;
      const float params[] = {
          55.0f * (float)(1 + v % 5), gain, gain, 0.001f, 0.002f, sustains[k], 0.01f};
      voices[v] = make_voice(FRAMES / 2, FRAMES, 7, params);
    }
    char what[32];
    snprintf(what, sizeof what, "sustain %g", (double)sustains[k]);
    assert_lanes_match(&bus, voices, what, k);
  }
  synth_chain_use_build(-1);
}
END_TEST

START_TEST(graphs_the_kernel_does_not_take_render_as_before) {
  synth_bus bus = {0};
  add_node(&bus, SYNTH_SAW, 1, P(0));
  add_node(&bus, SYNTH_TRIODE, 2, N(0), P(1));
  bus.param_count = 2;
  const float params[] = {300.0f, 0.7f};
  const synth_voice voice = make_voice(2000, 3000, 2, params);
  const synth_voice *list[] = {&voice};
  float *got = malloc(sizeof(float) * voice.total_frames);
  synth_render_voices(&bus, list, &got, 1);
  float *expected = render_all(&bus, &voice, voice.total_frames);
  assert_same_bits(expected, got, voice.total_frames, "triode", 0);
  free(expected);
  free(got);
}
END_TEST

int main(void) {
  Suite *suite = suite_create("synth_chain");
  TCase *tc = tcase_create("chain");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, every_chain_shape_takes_the_fused_kernel);
  tcase_add_test(tc, other_graphs_stay_with_the_interpreter);
  tcase_add_loop_test(tc, voices_in_lanes_give_the_interpreters_bits, 0, 3);
  tcase_add_loop_test(tc, signals_at_the_clamps_edges_give_the_interpreters_bits, 0, 3);
  tcase_add_loop_test(tc, held_levels_give_the_interpreters_bits, 0, 3);
  tcase_add_test(tc, graphs_the_kernel_does_not_take_render_as_before);
  suite_add_tcase(suite, tc);
  return check_run(suite);
}
