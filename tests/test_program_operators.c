/* Tidal's control operators (|+ with the structure from the left, +| from
   the right, |+| and + from both, for + - * / % < > ++), as sections, function composition with
   '.', the time shifts <~ and ~>, and Tidal's scale: each checked by the triggers a query gives. */
#include "test_program_util.h"

static bool near(double a, double b) { return fabs(a - b) <= 1e-3 * fmax(1.0, fabs(b)); }

/* The pitches (MIDI) of the triggers of `text` in `cycle`, checked against
   `expected` (count must match). The bus is `~x $ saw`: param 0 is its pitch. */
static void assert_notes(const char *text, int64_t cycle, const double *expected, int count) {
  prog_program *p = compile_ok(text);
  int n = (int)query_cycle(p, cycle);
  ck_assert_msg(n == count, "%s\ncycle %d: %d triggers, not %d", text, (int)cycle, n, count);
  for (int i = 0; i < n; ++i)
    ck_assert_msg(near(test_triggers[i].voice.params[0], midi_hz(expected[i])),
                  "%s\ncycle %d trigger %d: %.3f Hz, not MIDI %.1f", text, (int)cycle, i,
                  test_triggers[i].voice.params[0], expected[i]);
  prog_free(p);
}

START_TEST(arithmetic_operators_combine_with_the_left_values) {
  const double up[] = {72, 76};
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"c5 e5\" |+ note 12\n", 0, up, 2);
  const double down[] = {48, 52};
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"c5 e5\" |- note 12\n", 0, down, 2);
  const double times[] = {90, 92}; /* note 30 and 32: MIDI 90 and 92 */
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"60 64\" |/ note 2\n", 0, times, 2);
  /* The right side is a pattern read at each onset of the left. */
  const double stepped[] = {60, 71};
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"c5 e5\" |+ note \"0 7\"\n", 0, stepped, 2);
  const double second_cycle[] = {65, 69};
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"c5 e5\" |+ note \"<0 5>\"\n", 1, second_cycle,
               2);
  /* A chord is transposed note by note. */
  const double chord[] = {72, 76, 79};
  assert_notes("~x $ saw\nd1 $ s \"~x\" # note \"c5'maj\" |+ note 12\n", 0, chord, 3);
  /* Gain multiplies. */
  prog_program *p = compile_ok("~x $ saw\nd1 $ s \"~x\" # gain 0.8 |* gain \"0.5\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 1);
  ck_assert(near(test_triggers[0].gain, 0.4));
  prog_free(p);
}
END_TEST

START_TEST(operators_reach_the_value_of_the_structure_itself) {
  /* The events come from `note`, so the value added to is the event's own. */
  const double first[] = {60, 64};
  assert_notes("~x $ saw\nd1 $ note \"c5 e5\" # s \"~x\" |+ note \"<0 7>\"\n", 0, first, 2);
  const double second[] = {67, 71};
  assert_notes("~x $ saw\nd1 $ note \"c5 e5\" # s \"~x\" |+ note \"<0 7>\"\n", 1, second, 2);
  /* ...and it moves with a transform applied to the whole line. */
  const double reversed[] = {76, 72};
  assert_notes("~x $ saw\nd1 $ rev $ note \"c5 e5\" # s \"~x\" |+ note 12\n", 0, reversed, 2);
}
END_TEST

START_TEST(keep_and_replace_operators_choose_a_side) {
  const double kept[] = {60};
  assert_notes("~x $ saw\nd1 $ s \"~x\" # note \"c5\" |< note \"e5\"\n", 0, kept, 1);
  const double replaced[] = {64};
  assert_notes("~x $ saw\nd1 $ s \"~x\" # note \"c5\" |> note \"e5\"\n", 0, replaced, 1);
  /* A control the left lacks is taken from the right, whatever the operator. */
  const double added[] = {67};
  assert_notes("~x $ saw\nd1 $ s \"~x\" |< note \"g5\"\n", 0, added, 1);
  assert_notes("~x $ saw\nd1 $ s \"~x\" |+ note \"g5\"\n", 0, added, 1);
  /* The pitch is `note`, or `n` without one (SuperDirt's note ? n): |+ n 12
     transposes a line written with n, not one written with note. */
  const double octave[] = {72}, kept_note[] = {60};
  assert_notes("~x $ saw\nd1 $ s \"~x\" # n 0 |+ n 12\n", 0, octave, 1);
  assert_notes("~x $ saw\nd1 $ s \"~x\" # note \"c5\" |+ n 12\n", 0, kept_note, 1);
}
END_TEST

START_TEST(a_rest_on_either_side_drops_the_event) {
  const double one[] = {60};
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"c5 e5\" |+ note \"0 ~\"\n", 0, one, 1);
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"c5 ~\" |+ note \"0 7\"\n", 0, one, 1);
}
END_TEST

START_TEST(operator_sections_are_functions) {
  const char *text = "~x $ saw\nd1 $ every 2 (|+ note 12) $ s \"~x\" # note \"c5\"\n";
  const double transposed[] = {72}, plain[] = {60};
  assert_notes(text, 0, transposed, 1);
  assert_notes(text, 1, plain, 1);
  const double echo[] = {60, 67};
  assert_notes("~x $ saw\nd1 $ off 0.5 (|+ note 7) $ s \"~x\" # note \"c5\"\n", 0, echo, 2);
}
END_TEST

START_TEST(composition_applies_right_then_left) {
  /* every 2 (fast 2 . rev): cycle 0 reversed at double speed, cycle 1 as written. */
  const char *text = "~x $ saw\nd1 $ every 2 (fast 2 . rev) $ s \"~x*2\" # note \"c5 e5\"\n";
  const double composed[] = {64, 60, 64, 60}, plain[] = {60, 64};
  assert_notes(text, 0, composed, 4);
  assert_notes(text, 1, plain, 2);
  /* Sections compose with transforms, and '.' chains to the right. */
  const double up_fast[] = {72, 76, 72, 76};
  assert_notes("~x $ saw\nd1 $ every 1 ((|+ note 12) . fast 2) $ s \"~x*2\" # note \"c5 e5\"\n", 0,
               up_fast, 4);
  const double three[] = {76, 72, 76, 72};
  assert_notes("~x $ saw\nd1 $ (|+ note 12) . fast 2 . rev $ s \"~x*2\" # note \"c5 e5\"\n", 0,
               three, 4);
}
END_TEST

START_TEST(time_shift_operators_move_events_as_early_and_late_do) {
  const char *line = "(s \"~x*4\" # note \"c5 d5 e5 f5\")\n";
  char text[160];
  const double earlier[] = {62, 64, 65, 60}, later[] = {65, 60, 62, 64}, plain[] = {60, 62, 64, 65};
  snprintf(text, sizeof text, "~x $ saw\nd1 $ 0.25 <~ %s", line);
  assert_notes(text, 0, earlier, 4);
  snprintf(text, sizeof text, "~x $ saw\nd1 $ 0.25 ~> %s", line);
  assert_notes(text, 0, later, 4);
  /* A patterned amount, and a section given to every. */
  snprintf(text, sizeof text, "~x $ saw\nd1 $ \"<0 0.25>\" <~ %s", line);
  assert_notes(text, 0, plain, 4);
  assert_notes(text, 1, earlier, 4);
  snprintf(text, sizeof text, "~x $ saw\nd1 $ every 2 (0.25 <~) $ %s", line);
  assert_notes(text, 0, earlier, 4);
  assert_notes(text, 1, plain, 4);
  /* <~ binds tighter than '#': only the rhythm moves, the notes are read
     where the events now start, as in Tidal. */
  assert_notes("~x $ saw\nd1 $ 0.25 <~ s \"~x*4\" # note \"c5 d5 e5 f5\"\n", 0, plain, 4);
}
END_TEST

START_TEST(scale_maps_degrees_as_tidal_does) {
  const double major[] = {60, 62, 64, 65, 67, 69, 71, 72};
  assert_notes("~x $ saw\nd1 $ s \"~x*8\" # note (scale \"major\" \"0 .. 7\")\n", 0, major, 8);
  /* Below the root and past the octave: -1 is the step under it, 9 two
     steps into the next octave. */
  const double minor[] = {58, 48, 46, 75};
  assert_notes("~x $ saw\nd1 $ s \"~x*4\" # note (scale \"minor\" \"-1 -7 -8 9\")\n", 0, minor, 4);
  /* The name is a pattern too, and chords of degrees give chords. */
  const double first[] = {64}, second[] = {63};
  const char *alternating = "~x $ saw\nd1 $ s \"~x\" # note (scale \"<major minor>\" 2)\n";
  assert_notes(alternating, 0, first, 1);
  assert_notes(alternating, 1, second, 1);
  /* A transform of the line moves names and degrees with the events. */
  const double reversed[] = {60, 52, 57, 48};
  assert_notes("~x $ saw\nd1 $ rev $ s \"~x*3\" # note (scale \"majPent\" \"0 [2,4] 5\" - 12)\n", 0,
               reversed, 4);
}
END_TEST

START_TEST(a_computed_note_is_the_same_voice_as_the_note_written_out) {
  /* c4 |+ 12 and c5 written out are the same voice: byte-equal, so one cache entry. */
  prog_program *a = compile_ok("~x $ saw # lpf 800\nd1 $ s \"~x\" # note \"c5\" |+ note 12\n");
  prog_program *b = compile_ok("~x $ saw # lpf 800\nd1 $ s \"~x\" # note \"c6\"\n");
  ck_assert_int_eq((int)query_cycle(a, 0), 1);
  prog_trigger first = test_triggers[0];
  ck_assert_int_eq((int)query_cycle(b, 0), 1);
  ck_assert_mem_eq(&first.voice, &test_triggers[0].voice, sizeof first.voice);
  prog_free(a);
  prog_free(b);
}
END_TEST

START_TEST(operators_take_the_rhythm_from_the_right_or_both_sides) {
  /* +|: the events are the right's, three a cycle; each adds the left's note there */
  const double right[] = {60, 72, 71};
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"c5 e5\" +| note \"0 12 7\"\n", 0, right, 3);
  /* |+|: an event wherever both have one: [0,1/3) [1/3,1/2) [1/2,2/3) [2/3,1) */
  const double both[] = {60, 72, 76, 71};
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"c5 e5\" |+| note \"0 12 7\"\n", 0, both, 4);
  prog_program *p = compile_ok("~x $ saw\nd1 $ (s \"~x*2\" # note \"c5 e5\") + note \"0 12 7\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 4);
  ck_assert(pat_rat_cmp(test_triggers[1].onset, pat_rat_make(1, 3, &(bool){false})) == 0);
  ck_assert(near(test_triggers[1].gate_cycles, 1.0 / 6.0)); /* the overlap [1/3, 1/2) */
  prog_free(p);
}
END_TEST

START_TEST(sound_names_join_and_numbers_wrap) {
  /* s "~x" |+ s "2" names ~x2, as Tidal joins strings */
  prog_program *p = compile_ok("~x $ saw\n~x2 $ square\nd1 $ s \"~x\" |+ s \"2\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 1);
  ck_assert_int_eq(test_triggers[0].bus, 1);
  prog_free(p);
  p = compile_ok("~x $ saw\n~x2 $ square\nd1 $ s \"~x\" |++ s \"2\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 1);
  ck_assert_int_eq(test_triggers[0].bus, 1);
  prog_free(p);
  /* the result of mod has the divisor's sign: 62 mod 12 = 2, -1 mod -61 = -1 (MIDI 62, 59) */
  const double wrapped[] = {62, 59};
  assert_notes("~x $ saw\nd1 $ s \"~x*2\" # note \"62 -1\" |% note \"12 -61\"\n", 0, wrapped, 2);
  const double by_zero[] = {60}; /* division and mod by zero give 0: note 0 */
  assert_notes("~x $ saw\nd1 $ s \"~x\" # note 60 |/ note 0\n", 0, by_zero, 1);
}
END_TEST

START_TEST(a_macro_in_a_control_is_read_live) {
  prog_program *p = compile_ok("~x $ saw # lpf 800\nd1 $ s \"~x*2\" # lpf (\\cutoff * 2)\n");
  float macros[PROG_MACRO_COUNT] = {0};
  macros[PROG_MACRO_CUTOFF] = 300.0f;
  ck_assert_int_eq((int)query_span(p, pat_rat_int(0), pat_rat_int(1), macros, NULL), 2);
  ck_assert(near(test_triggers[0].voice.params[1], 600.0) && test_triggers[0].uses_macros);
  macros[PROG_MACRO_CUTOFF] = 1000.0f;
  query_span(p, pat_rat_int(0), pat_rat_int(1), macros, NULL);
  ck_assert(near(test_triggers[1].voice.params[1], 2000.0));
  prog_free(p);
}
END_TEST

int main(void) {
  Suite *s = suite_create("program_operators");
  TCase *tc = tcase_create("operators");
  tcase_add_test(tc, arithmetic_operators_combine_with_the_left_values);
  tcase_add_test(tc, operators_reach_the_value_of_the_structure_itself);
  tcase_add_test(tc, keep_and_replace_operators_choose_a_side);
  tcase_add_test(tc, a_rest_on_either_side_drops_the_event);
  tcase_add_test(tc, operator_sections_are_functions);
  tcase_add_test(tc, composition_applies_right_then_left);
  tcase_add_test(tc, time_shift_operators_move_events_as_early_and_late_do);
  tcase_add_test(tc, scale_maps_degrees_as_tidal_does);
  tcase_add_test(tc, a_computed_note_is_the_same_voice_as_the_note_written_out);
  tcase_add_test(tc, operators_take_the_rhythm_from_the_right_or_both_sides);
  tcase_add_test(tc, sound_names_join_and_numbers_wrap);
  tcase_add_test(tc, a_macro_in_a_control_is_read_live);
  suite_add_tcase(s, tc);
  return check_run(s);
}
