/* Tests of the per-voice effects in programs: effect stages inside bus
   definitions, effect controls on output lines appending a stage the bus
   lacks (transparent for events that do not set it), vowel letters, the
   filter envelopes (stages and controls, Strudel's implied depth) and the
   errors. */
#include "test_program_util.h"

#include "synth/synth.h"

/* The index of the first node of `kind` in the bus a trigger plays, or -1. */
static int find_node(const prog_program *p, const prog_trigger *t, int kind) {
  const synth_bus *bus = prog_bus(p, t->bus);
  for (int k = 0; k < bus->node_count; ++k)
    if (bus->nodes[k].kind == kind)
      return k;
  return -1;
}

/* The value a trigger gives input `input` of the first node of `kind`. */
static float input_value(const prog_program *p, const prog_trigger *t, int kind, int input) {
  int k = find_node(p, t, kind);
  ck_assert_msg(k >= 0, "no node of kind %d in the bus", kind);
  const synth_input in = prog_bus(p, t->bus)->nodes[k].inputs[input];
  ck_assert_int_eq(in.source, SYNTH_FROM_PARAM);
  return t->voice.params[in.index];
}

START_TEST(effect_stages_in_a_bus_take_their_values_and_the_events_override_them) {
  prog_program *p = compile_ok("~b $ saw # shape 0.5 # crush 4 # coarse 3 # vowel \"o\"\n"
                               "d1 $ stack [n \"0 ~\" # s \"~b\" # shape \"<0.5 0.9>\",\n"
                               "  n \"~ 1\" # s \"~b\" # crush 8 # dist 2 # squiz 3]\n");
  size_t n = query_cycle(p, 1);
  ck_assert_uint_eq(n, 2);
  ck_assert_float_eq_tol(input_value(p, &test_triggers[0], SYNTH_SHAPE, 1), 0.9f, 1e-6f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_CRUSH, 1), 4.0f); /* the bus's */
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_CRUSH, 1), 8.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_COARSE, 1), 3.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_VOWEL, 1), 4.0f); /* o */
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_SHAPE, 1), 0.5f);
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_DISTORT, 1), 2.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_DISTORT, 1), 0.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_SQUIZ, 1), 3.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_SQUIZ, 1), 0.0f);
  prog_free(p);
}
END_TEST

START_TEST(an_effect_control_appends_its_stage_neutral_for_events_without_it) {
  prog_program *p =
      compile_ok("~b $ saw # lpf 800\n"
                 "d1 $ stack [n \"0 ~ ~ ~\" # s \"~b\" # shape 0.7 # ring 1 # ringf 300,\n"
                 "  n \"~ 1 ~ ~\" # s \"~b\" # tremolorate 4,\n"
                 "  n \"~ ~ 2 ~\" # s \"~b\" # djf 0.2]\n");
  size_t n = query_cycle(p, 0);
  ck_assert_uint_eq(n, 3);
  const synth_bus *bus = prog_bus(p, test_triggers[0].bus);
  /* the effects sit before the bus's final envelope */
  ck_assert_int_eq(bus->nodes[bus->node_count - 1].kind, SYNTH_ENV);
  ck_assert_int_lt(find_node(p, &test_triggers[0], SYNTH_SHAPE), bus->node_count - 1);
  ck_assert_float_eq_tol(input_value(p, &test_triggers[0], SYNTH_SHAPE, 1), 0.7f, 1e-6f);
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_SHAPE, 1), 0.0f); /* neutral */
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_DJF, 1), 0.5f);
  ck_assert_float_eq_tol(input_value(p, &test_triggers[2], SYNTH_DJF, 1), 0.2f, 1e-6f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_RING, 1), 1.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_RING, 2), 300.0f);
  /* tremolorate alone: a tremolo of depth 0.5, as SuperDirt's */
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_TREMOLO, 1), 0.5f);
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_TREMOLO, 2), 4.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_TREMOLO, 1), 0.0f);
  prog_free(p);
}
END_TEST

START_TEST(strudels_phaser_and_tremolo_are_their_rates_with_an_implied_depth) {
  prog_program *p = compile_ok("~b $ saw\nd1 $ n 0 # s \"~b\" # phaser 4 # trem 3\n");
  ck_assert_uint_eq(query_cycle(p, 0), 1);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_PHASER, 1), 0.5f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_PHASER, 2), 4.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_TREMOLO, 1), 0.5f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_TREMOLO, 2), 3.0f);
  prog_free(p);
}
END_TEST

START_TEST(vowel_letters_become_the_synths_vowel_index) {
  prog_program *p = compile_ok("~b $ saw\nd1 $ n \"0*6\" # s \"~b\" # vowel \"a e i o u x\"\n");
  ck_assert_uint_eq(query_cycle(p, 0), 6);
  for (int i = 0; i < 6; ++i)
    ck_assert_float_eq(input_value(p, &test_triggers[i], SYNTH_VOWEL, 1),
                       i < 5 ? (float)(i + 1) : 0.0f);
  prog_free(p);
}
END_TEST

START_TEST(filter_envelope_controls_give_the_lpf_an_envelope) {
  prog_program *p =
      compile_ok("~b $ saw # lpf 400\n"
                 "d1 $ stack [n \"0 ~ ~\" # s \"~b\" # lpenv 3 # lpsustain 0.4,\n"
                 "  n \"~ 1 ~\" # s \"~b\" # lpattack 0.2, n \"~ ~ 2\" # s \"~b\" # lps 0.4]\n");
  ck_assert_uint_eq(query_cycle(p, 0), 3);
  ck_assert_int_lt(find_node(p, &test_triggers[0], SYNTH_LPF), 0);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_LPF_ENV, 1), 400.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_LPF_ENV, 3), 3.0f);
  /* a time without a depth: Strudel's depth of 1 */
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_LPF_ENV, 3), 1.0f);
  ck_assert_float_eq_tol(input_value(p, &test_triggers[1], SYNTH_LPF_ENV, 4), 0.2f, 1e-6f);
  ck_assert_float_eq_tol(input_value(p, &test_triggers[0], SYNTH_LPF_ENV, 6), 0.4f, 1e-6f);
  /* lpsustain alone implies the depth too */
  ck_assert_float_eq(input_value(p, &test_triggers[2], SYNTH_LPF_ENV, 3), 1.0f);
  /* and Strudel's other defaults once a time is given: lpattack alone sweeps
     up in 0.2 s and stays (decay 0.001, sustain 1, release 0.01) */
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_LPF_ENV, 5), 0.001f);
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_LPF_ENV, 6), 1.0f);
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_LPF_ENV, 7), 0.01f);
  ck_assert_float_eq(input_value(p, &test_triggers[2], SYNTH_LPF_ENV, 4), 0.001f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_LPF_ENV, 5), 0.001f);
  prog_free(p);
  /* on a bus without an lpf, the appended one (when an event sets lpf) gets it */
  p = compile_ok("~b $ saw\nd1 $ stack [n \"0 ~\" # s \"~b\" # lpf 300 # lpenv 2,\n"
                 "  n \"~ 1\" # s \"~b\" # hpenv 2]\n");
  ck_assert_uint_eq(query_cycle(p, 0), 2);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_LPF_ENV, 3), 2.0f);
  /* lpenv alone: Strudel's envelope without times */
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_LPF_ENV, 5), 0.14f);
  ck_assert_float_eq(input_value(p, &test_triggers[0], SYNTH_LPF_ENV, 6), 0.0f);
  ck_assert_int_lt(find_node(p, &test_triggers[1], SYNTH_LPF_ENV), 0);
  ck_assert_int_lt(find_node(p, &test_triggers[0], SYNTH_HPF_ENV), 0); /* no hpf: no envelope */
  prog_free(p);
}
END_TEST

START_TEST(filter_envelope_stages_in_a_bus_set_its_envelope) {
  prog_program *p = compile_ok("~b $ saw # lpf 300 0.5 # lpenv 4 # lpdecay 0.3 # hpf 50 # hpe -1\n"
                               "d1 $ n 0 # s \"~b\" # lpdecay 0.5\n");
  ck_assert_uint_eq(query_cycle(p, 0), 1);
  const prog_trigger *t = &test_triggers[0];
  ck_assert_float_eq(input_value(p, t, SYNTH_LPF_ENV, 3), 4.0f);
  /* the event gives a decay: Strudel's floor for the attack it lacks */
  ck_assert_float_eq(input_value(p, t, SYNTH_LPF_ENV, 4), 0.001f);
  ck_assert_float_eq(input_value(p, t, SYNTH_LPF_ENV, 5), 0.5f); /* the event's */
  ck_assert_float_eq(input_value(p, t, SYNTH_HPF_ENV, 3), -1.0f);
  prog_free(p);
}
END_TEST

START_TEST(a_line_with_every_effect_and_envelope_fits_a_bus_with_every_filter) {
  prog_program *p = compile_ok(
      "~b $ saw # lpf 800 # hpf 100 # bpf 900 # adsr\n"
      "d1 $ n \"0 1\" # s \"~b\" # lpf 500 # hpf 50 # bpf 700 # shape 0.3 # distort 1\n"
      "  # triode 0.2 # squiz 2 # crush 6 # coarse 2 # vowel \"a\" # djf 0.4 # ring 0.5\n"
      "  # ringf 100 # ringdf 50 # tremolodepth 0.3 # tremolorate 5 # phaserdepth 0.5\n"
      "  # phaserrate 1 # lpenv 2 # lpa 0.1 # lpd 0.2 # lps 0.5 # lpr 0.3 # hpenv 1 # hpa 0.1\n"
      "  # hpd 0.1 # hps 0.2 # hpr 0.2 # bpenv -1 # bpa 0.1 # bpd 0.1 # bps 0.1 # bpr 0.1\n");
  ck_assert_uint_eq(query_cycle(p, 0), 2);
  const int kinds[] = {SYNTH_LPF_ENV, SYNTH_HPF_ENV, SYNTH_BPF_ENV, SYNTH_SHAPE,  SYNTH_DISTORT,
                       SYNTH_TRIODE,  SYNTH_SQUIZ,   SYNTH_CRUSH,   SYNTH_COARSE, SYNTH_VOWEL,
                       SYNTH_DJF,     SYNTH_RING,    SYNTH_TREMOLO, SYNTH_PHASER};
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; ++k)
    ck_assert_msg(find_node(p, &test_triggers[1], kinds[k]) >= 0, "no node of kind %d", kinds[k]);
  ck_assert_float_eq(input_value(p, &test_triggers[1], SYNTH_BPF_ENV, 3), -1.0f);
  prog_free(p);
}
END_TEST

START_TEST(effect_stages_report_misuse_with_line_and_column) {
  const struct {
    const char *text;
    int line, column;
    const char *message;
  } cases[] = {
      {"~b $ saw # lpenv 3\n", 1, 12, "lpenv follows a lpf stage, as in 'saw # lpf 400 # lpenv 3'"},
      {"~b $ saw # lpf 300 # hpattack 0.1\n", 1, 22,
       "hpattack follows a hpf stage, as in 'saw # hpf 400 # hpattack 0.2'"},
      {"~b $ saw # shape\n", 1, 12, "shape takes one value, as in '# shape 0.5'"},
      {"~b $ saw # ring 1 2 3 4\n", 1, 12,
       "ring takes one to three values, as in '# ring 1 300 (depth, frequency, sweep)'"},
      {"~b $ saw # vowel (sine 3)\n", 1, 18,
       "the vowel must be a number, pattern or macro, not a signal"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
    prog_error e = compile_error(cases[i].text);
    ck_assert_msg(e.line == cases[i].line && e.column == cases[i].column &&
                      strcmp(e.message, cases[i].message) == 0,
                  "%s: got %d:%d: %s", cases[i].text, e.line, e.column, e.message);
  }
}
END_TEST

int main(void) {
  Suite *suite = suite_create("program_fx");
  TCase *tc = tcase_create("effects");
  tcase_add_test(tc, effect_stages_in_a_bus_take_their_values_and_the_events_override_them);
  tcase_add_test(tc, an_effect_control_appends_its_stage_neutral_for_events_without_it);
  tcase_add_test(tc, vowel_letters_become_the_synths_vowel_index);
  tcase_add_test(tc, strudels_phaser_and_tremolo_are_their_rates_with_an_implied_depth);
  tcase_add_test(tc, filter_envelope_controls_give_the_lpf_an_envelope);
  tcase_add_test(tc, filter_envelope_stages_in_a_bus_set_its_envelope);
  tcase_add_test(tc, a_line_with_every_effect_and_envelope_fits_a_bus_with_every_filter);
  tcase_add_test(tc, effect_stages_report_misuse_with_line_and_column);
  suite_add_tcase(suite, tc);
  return check_run(suite);
}
