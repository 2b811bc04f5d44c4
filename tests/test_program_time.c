/* Tidal's time, condition and number functions where Strudel has no such
   function or the comparison in tests/strudel/programs.txt cannot see the
   result: hurry's speed control (the comparison reads onsets, notes, gains
   and pans), quantise and toScale (Tidal's documented examples) and the
   errors misuse gives (LINE:COL). Everything else is compared event by event
   with Strudel in tests/strudel/programs.txt. */
#include "test_program_util.h"

/* Control `control` of the onsets of output 0 in `cycle`, in query order
   (-1 where unset). */
static int controls(const prog_program *p, pat_control control, int64_t cycle, double *out,
                    int capacity) {
  const pat_event *events;
  size_t n = query_output(p, 0, cycle, cycle + 1, PAT_NOTES_STRUDEL, &events);
  int count = 0;
  for (size_t i = 0; i < n; ++i) {
    const pat_event *e = &events[i];
    if (pat_rat_cmp(e->part.begin, e->whole.begin) != 0)
      continue;
    ck_assert_int_lt(count, capacity);
    ck_assert_int_eq(e->value.kind, PAT_VALUE_CONTROLS);
    const pat_controls *m = e->value.controls;
    out[count++] = pat_controls_number(m, (pat_control)control, -1.0);
  }
  return count;
}

START_TEST(hurry_speeds_up_the_pattern_and_the_sound) {
  /* Tidal: hurry r p = fast r p |* speed r; an unset speed becomes r. */
  prog_program *p = compile_ok("~x $ saw\nd1 $ hurry \"<1 2>\" $ s \"~x*2\"\n");
  double v[8];
  ck_assert_int_eq(controls(p, PAT_CONTROL_SPEED, 0, v, 8), 2);
  ck_assert(v[0] == 1.0 && v[1] == 1.0);
  ck_assert_int_eq(controls(p, PAT_CONTROL_SPEED, 1, v, 8), 4);
  for (int i = 0; i < 4; ++i)
    ck_assert_msg(v[i] == 2.0, "cycle 1 event %d speed %g", i, v[i]);
  prog_free(p);
  /* A speed already set is multiplied. */
  p = compile_ok("~x $ saw\nd1 $ hurry 2 $ s \"~x\" # speed 1.5\n");
  ck_assert_int_eq(controls(p, PAT_CONTROL_SPEED, 0, v, 8), 2);
  ck_assert(v[0] == 3.0 && v[1] == 3.0);
  prog_free(p);
}
END_TEST

/* The note controls of `line` (after "d1 $ ") in cycle 0 are `expected`. */
static void assert_notes(const char *line, const double *expected, int count) {
  char text[256];
  snprintf(text, sizeof text, "~x $ saw\nd1 $ %s\n", line);
  prog_program *p = compile_ok(text);
  double v[16];
  int n = controls(p, PAT_CONTROL_NOTE, 0, v, 16);
  ck_assert_msg(n == count, "%s: %d events, not %d", line, n, count);
  for (int i = 0; i < n; ++i)
    ck_assert_msg(fabs(v[i] - expected[i]) < 1e-9, "%s: event %d note %.17g, not %g", line, i, v[i],
                  expected[i]);
  prog_free(p);
}

START_TEST(quantise_rounds_to_fractions_as_tidal_does) {
  /* Tidal's documentation: quantise 5 [0, 1.3, 2.6, 3.2, 4.7, 5] is
     [0.0, 1.2, 2.6, 3.2, 4.8, 5.0] (6.5 rounds to 6: halves go to even). */
  const double q[] = {0, 1.2, 2.6, 3.2, 4.8, 5};
  assert_notes("s \"~x*6\" # note (quantise 5 \"0 1.3 2.6 3.2 4.7 5\")", q, 6);
  const double halves[] = {0, 2, 2, -2};
  assert_notes("s \"~x*4\" # note (quantise 1 \"0.5 1.5 2.5 -2.5\")", halves, 4);
}
END_TEST

START_TEST(to_scale_maps_degrees_to_steps_with_octaves) {
  /* Tidal's documentation: toScale [0, 2, 4, 5, 7, 9, 11] "0 1 2 3 4 5 6 7"
     plays a major scale up to the octave. */
  const double major[] = {0, 2, 4, 5, 7, 9, 11, 12};
  assert_notes("s \"~x*8\" # note (toScale [0, 2, 4, 5, 7, 9, 11] \"0 1 2 3 4 5 6 7\")", major, 8);
  /* toScale' o: an octave of o steps; below 0 counts down (floor, mod);
     a fraction counts as its floor (Tidal's degrees are whole). */
  const double tens[] = {0, 2, 4, 10, -6, 2};
  assert_notes("s \"~x*6\" # note (toScale' 10 [0, 2, 4] \"0 1 2 3 -1 1.5\")", tens, 6);
}
END_TEST

START_TEST(envelopes_ramp_over_the_first_cycle) {
  /* Tidal's envL: the cycle position over cycle 0, then 1; envR: 1 - envL.
     segment 4 reads each quarter at its middle. */
  const double up[] = {1, 3, 5, 7}, down[] = {7, 5, 3, 1};
  assert_notes("s \"~x*4\" # note (segment 4 $ range 0 8 envL)", up, 4);
  assert_notes("s \"~x*4\" # note (segment 4 $ range 0 8 envR)", down, 4);
  const double slowed[] = {0.5, 1.5, 2.5, 3.5};
  assert_notes("s \"~x*4\" # note (segment 4 $ range 0 8 $ slow 2 envL)", slowed, 4);
}
END_TEST

/* The onsets (time, note) of `line` in cycle 0 are `notes` at `onsets`, in
   time order. */
static void assert_onsets(const char *line, const double *notes, const double *onsets, int count) {
  char text[256];
  snprintf(text, sizeof text, "~x $ saw\nd1 $ %s\n", line);
  prog_program *p = compile_ok(text);
  int n = (int)query_cycle(p, 0);
  ck_assert_msg(n == count, "%s: %d triggers, not %d", line, n, count);
  for (int i = 0; i < n; ++i) {
    double onset = pat_rat_to_double(test_triggers[i].onset);
    double hz = test_triggers[i].voice.params[0];
    double midi = 69 + 12 * log2(hz / 440.0);
    ck_assert_msg(fabs(onset - onsets[i]) < 1e-9 && fabs(midi - notes[i]) < 1e-3,
                  "%s: trigger %d at %.4f MIDI %.2f, not at %.4f MIDI %.0f", line, i, onset, midi,
                  onsets[i], notes[i]);
  }
  prog_free(p);
}

START_TEST(arpeggiate_and_rolled_spread_chords) {
  /* Tidal's documentation: arpeggiate $ n "c'maj e'min" plays each chord's
     notes one after another inside its step. */
  const double arp[] = {60, 64, 67, 64, 67, 71};
  const double arp_at[] = {0, 1.0 / 6, 2.0 / 6, 3.0 / 6, 4.0 / 6, 5.0 / 6};
  assert_onsets("arpeggiate $ s \"~x\" # note \"c'maj e'min\"", arp, arp_at, 6);
  assert_onsets("arpg $ s \"~x\" # note \"c'maj e'min\"", arp, arp_at, 6);
  /* rolled: each note of a chord 1/4 of its step / 3 after the one before. */
  const double chord[] = {60, 64, 67, 65, 69, 72};
  const double rolled_at[] = {0, 1.0 / 24, 2.0 / 24, 0.5, 0.5 + 1.0 / 24, 0.5 + 2.0 / 24};
  assert_onsets("rolled $ note \"[0,4,7] [5,9,12]\" # s \"~x\"", chord, rolled_at, 6);
  /* rolledBy (-0.5): from the top down, over half the step. */
  const double down[] = {67, 64, 60}, down_at[] = {0, 1.0 / 6, 2.0 / 6};
  assert_onsets("rolledBy (-0.5) $ note \"[0,4,7]\" # s \"~x\"", down, down_at, 3);
}
END_TEST

START_TEST(misused_time_functions_say_where_and_what) {
  assert_error("~x $ saw\nd1 $ s \"~x\" # note (hurry 2 \"0 1\")\n", 2, 21, "needs events");
  assert_error("~x $ saw\nd1 $ whenmode 4 2 rev $ s \"~x\"\n", 2, 6, "whenmod");
  assert_error("~x $ saw\nd1 $ within (0.5, 2) rev $ s \"~x\"\n", 2, 13, "(begin, end)");
  assert_error("~x $ saw\nd1 $ within 0.5 rev $ s \"~x\"\n", 2, 13, "(begin, end)");
  assert_error("~x $ saw\nd1 $ s \"~x\" # note (toScale [0, \"a\"] \"0 1\")\n", 2, 33, "numbers");
  assert_error("~x $ saw\nd1 $ quantise 0 \"0 1\"\n", 2, 15, "positive number");
  assert_error("~x $ saw\nd1 $ s \"~x\" # note (rangex 0 10 sine)\n", 2, 28, "positive number");
  assert_error("~x $ saw\nd1 $ toScale [0, 2] $ s \"~x\"\n", 2, 6, "numbers");
  assert_error("~x $ saw\nd1 $ zoom (0.5, 0.25) $ s \"~x\"\n", 2, 11, "(begin, end)");
  assert_error("~x $ saw\nd1 $ s \"~x\" # note (choose [0, \"a\"])\n", 2, 32, "among numbers");
  assert_error("~x $ saw\nd1 $ s \"~x\" # note (wchoose [0, 1])\n", 2, 30, "(value, weight)");
  assert_error("~x $ saw\nd1 $ s \"~x\" # note (choose [])\n", 2, 28, "from 1 to 256");
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("program_time");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, hurry_speeds_up_the_pattern_and_the_sound);
  tcase_add_test(tc, misused_time_functions_say_where_and_what);
  tcase_add_test(tc, quantise_rounds_to_fractions_as_tidal_does);
  tcase_add_test(tc, envelopes_ramp_over_the_first_cycle);
  tcase_add_test(tc, arpeggiate_and_rolled_spread_chords);
  tcase_add_test(tc, to_scale_maps_degrees_to_steps_with_octaves);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return check_run(suite()); }
