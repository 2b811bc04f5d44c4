/* Tidal's library in the program language, where Strudel has no such
   function or reads it differently: list literals and tuples, struct's
   and mask's Tidal words for false ("f"), sew and stitch as Tidal's
   documentation shows them, and the errors misuse gives (LINE:COL, with
   a did-you-mean). Everything Strudel has is compared event by event in
   tests/strudel/programs.txt. */
#include "test_program_util.h"

static bool near(double a, double b) { return fabs(a - b) <= 1e-3 * fmax(1.0, fabs(b)); }

/* The pitches (MIDI) and onsets of the triggers of `text` in cycle 0; the
   bus is `~x $ saw`, param 0 its pitch. */
static void assert_events(const char *text, const double *notes, const double *onsets, int count) {
  prog_program *p = compile_ok(text);
  int n = (int)query_cycle(p, 0);
  ck_assert_msg(n == count, "%s\n%d triggers, not %d", text, n, count);
  for (int i = 0; i < n; ++i) {
    ck_assert_msg(near(test_triggers[i].voice.params[0], midi_hz(notes[i])),
                  "%s\ntrigger %d: %.3f Hz, not MIDI %.1f", text, i,
                  test_triggers[i].voice.params[0], notes[i]);
    double onset = pat_rat_to_double(test_triggers[i].onset);
    ck_assert_msg(near(onset, onsets[i]), "%s\ntrigger %d at %.4f, not %.4f", text, i, onset,
                  onsets[i]);
  }
  prog_free(p);
}

START_TEST(struct_reads_tidal_words_for_true_and_false) {
  /* Tidal's `struct "t f t t" $ sound "bd"`: three events, the second step rests. */
  const double notes[] = {60, 60, 60}, onsets[] = {0, 0.5, 0.75};
  assert_events("~x $ saw\nd1 $ struct \"t f t t\" $ s \"~x\" # note 0\n", notes, onsets, 3);
  assert_events("~x $ saw\nd1 $ struct \"true false true true\" $ s \"~x\" # note 0\n", notes,
                onsets, 3);
  /* mask keeps the pattern's own events where the booleans are true. */
  const double masked[] = {60, 64}, masked_onsets[] = {0, 0.75};
  assert_events("~x $ saw\nd1 $ mask \"t f f t\" $ s \"~x*4\" # note \"c e\"\n", masked,
                masked_onsets, 2);
}
END_TEST

START_TEST(sew_and_stitch_switch_between_two_patterns) {
  /* Tidal's `sew "t f" (n "0*4") (n "12*4")`: the first half from the
     first pattern, the second from the second. */
  const double sewn[] = {60, 60, 72, 72}, quarters[] = {0, 0.25, 0.5, 0.75};
  assert_events("~x $ saw\nd1 $ sew \"t f\" (s \"~x*4\" # note 0) (s \"~x*4\" # note 12)\n", sewn,
                quarters, 4);
  /* stitch takes the rhythm from the booleans: true steps from the first. */
  const double stitched[] = {60, 72, 60, 72}, steps[] = {0, 0.25, 0.5, 0.75};
  assert_events("~x $ saw\nd1 $ stitch \"t f t f\" (s \"~x\" # note 0) (s \"~x\" # note 12)\n",
                stitched, steps, 4);
}
END_TEST

START_TEST(lists_and_tuples_are_values_wherever_tidal_takes_them) {
  /* Tidal's `spread fast [1, 2]`: cycle 0 at speed 1, cycle 1 at speed 2. */
  const double spread[] = {60, 64}, halves[] = {0, 0.5};
  assert_events("~x $ saw\nd1 $ spread fast [1, 2] $ s \"~x*2\" # note \"c e\"\n", spread, halves,
                2);
  /* fastspread squeezes both into one cycle: a cycle of each, c e in the
     first half, fast 3's six events in the second. */
  prog_program *p =
      compile_ok("~x $ saw\nd1 $ fastspread fast [1, 3] $ s \"~x*2\" # note \"c e\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 2 + 6);
  prog_free(p);
  /* A list over lines, a line break inside the brackets. */
  const double stacked[] = {60, 67, 64}, stack_onsets[] = {0, 0, 0.5};
  assert_events("~x $ saw\nd1 $ stack [s \"~x*2\" # note \"c e\",\n    s \"~x\" # note \"g\"]\n",
                stacked, stack_onsets, 3);
  /* An empty list is silence, as Tidal's `stack []` (a line of silence alone plays nothing,
     an error). */
  p = compile_ok("~x $ saw\nd1 $ overlay (stack []) $ s \"~x\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 1);
  prog_free(p);
}
END_TEST

START_TEST(misused_lists_say_where_and_what) {
  assert_error("~x $ saw\nd1 $ stack [s \"~x\", \"c e\"]\n", 2, 21, "cannot mix events");
  assert_error("~x $ saw\nd1 $ stack [s \"~x\")\n", 2, 19, "expected ',' or ']'");
  assert_error("~x $ saw\nd1 $ stack (s \"~x\")\n", 2, 12, "takes a list here");
  assert_error("~x $ saw\nd1 $ timeCat [s \"~x\"]\n", 2, 15, "pairs (weight, pattern)");
  assert_error("~x $ saw\nd1 $ timeCat [(-1, s \"~x\")]\n", 2, 17, "weight");
  assert_error("~x $ saw\nd1 $ layer [rev, 2] $ s \"~x\"\n", 2, 18, "expects a function");
  assert_error("~x $ saw\nd1 $ stak [s \"~x\"]\n", 2, 6, "did you mean 'stack'");
  assert_error("~x $ saw\nd1 $ s \"~x\" # note [1, 2]\n", 2, 20, "a list");
  assert_error("~x $ saw\nd1 $ s \"~x\" # note (every 2 (+) \"0\")\n", 2, 31,
               "expected a value before ')'");
  assert_error("~x $ saw\nd1 $ sew \"t f\" (s \"~x\") \"c\"\n", 2, 16, "cannot mix events");
}
END_TEST

int main(void) {
  Suite *s = suite_create("program_library");
  TCase *tc = tcase_create("library");
  tcase_add_test(tc, struct_reads_tidal_words_for_true_and_false);
  tcase_add_test(tc, sew_and_stitch_switch_between_two_patterns);
  tcase_add_test(tc, lists_and_tuples_are_values_wherever_tidal_takes_them);
  tcase_add_test(tc, misused_lists_say_where_and_what);
  suite_add_tcase(s, tc);
  return check_run(s);
}
