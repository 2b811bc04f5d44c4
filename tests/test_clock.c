/* The transport clock: cycles from time:Position, re-anchoring only on real
   jumps, tempo and meter changes, cycle length, free-running tempo. */
#include <check.h>

#include "check_run.h"
#include <math.h>

#include "../plugin/lv2/clock.h"

static cb_position rolling(double bpm, double bar, double beat, double per_bar) {
  return (cb_position){1.0, bpm, bar, beat, per_bar};
}

START_TEST(free_running_clock_follows_the_program_tempo) {
  cb_clock c;
  cb_clock_init(&c, 48000, 0.5); /* cps 0.5 = 120 bpm, two seconds a cycle */
  ck_assert(c.rolling);
  ck_assert_double_eq_tol(cb_clock_frames_per_cycle(&c), 96000.0, 1e-9);
  ck_assert_int_eq(cb_clock_frame_of(&c, 7.0 / 17.0), 39530); /* ceil(96000 * 7/17) */
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 48000), 0.5, 1e-12);
}
END_TEST

START_TEST(one_cycle_per_bar_in_any_meter) {
  cb_clock c;
  cb_clock_init(&c, 48000, 0.5);
  cb_position p = rolling(140, 2, 1.5, 3);
  ck_assert_int_eq(cb_clock_position(&c, 1000, &p), CB_CLOCK_JUMPED);
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 1000), 2.5, 1e-12);
  /* 3/4 at 140 bpm: a bar is 3 * 60/140 s */
  ck_assert_double_eq_tol(cb_clock_frames_per_cycle(&c), 48000.0 * 3 * 60 / 140, 1e-6);
}
END_TEST

START_TEST(a_position_where_the_clock_already_is_keeps_the_anchor) {
  cb_clock c;
  cb_clock_init(&c, 48000, 0.5);
  cb_position p = rolling(120, 0, 0, 4);
  cb_clock_position(&c, 0, &p);
  /* 1000 frames later at 120 bpm is beat 1000/24000 */
  cb_position same = rolling(120, 0, 1000.0 / 24000.0 + 1e-7, 4);
  ck_assert_int_eq(cb_clock_position(&c, 1000, &same), CB_CLOCK_CONTINUES);
  ck_assert_int_eq(c.anchor_frame, 0);
  cb_position jump = rolling(120, 5, 0, 4);
  ck_assert_int_eq(cb_clock_position(&c, 2000, &jump), CB_CLOCK_JUMPED);
  ck_assert_int_eq(c.anchor_frame, 2000);
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 2000), 5.0, 1e-12);
}
END_TEST

START_TEST(a_tempo_change_keeps_the_position_and_changes_the_rate) {
  cb_clock c;
  cb_clock_init(&c, 48000, 0.5);
  cb_position p = rolling(120, 0, 0, 4);
  cb_clock_position(&c, 0, &p);
  cb_position faster = rolling(240, 0, 2.0, 4); /* at frame 48000 we are on beat 2 */
  ck_assert_int_eq(cb_clock_position(&c, 48000, &faster), CB_CLOCK_REGRID);
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 48000), 0.5, 1e-12);
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 72000), 1.0, 1e-12);
}
END_TEST

START_TEST(stop_and_speed_zero_stop_the_clock) {
  cb_clock c;
  cb_clock_init(&c, 48000, 0.5);
  cb_position stop = {0.0, 120, 3, 0, 4};
  cb_clock_position(&c, 0, &stop);
  ck_assert(!c.rolling);
  cb_position start = rolling(120, 3, 0, 4);
  ck_assert_int_eq(cb_clock_position(&c, 500, &start), CB_CLOCK_JUMPED);
  ck_assert(c.rolling);
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 500), 3.0, 1e-12);
}
END_TEST

START_TEST(cycle_length_in_bars_or_beats) {
  cb_clock c;
  cb_clock_init(&c, 48000, 0.5);
  cb_position p = rolling(120, 4, 0, 4);
  cb_clock_position(&c, 0, &p);
  ck_assert(cb_clock_set_cycle_length(&c, 0, 2.0, false)); /* two bars a cycle */
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 0), 2.0, 1e-12);
  ck_assert_double_eq_tol(cb_clock_frames_per_cycle(&c), 192000.0, 1e-9);
  ck_assert(cb_clock_set_cycle_length(&c, 0, 1.0, true)); /* one beat a cycle */
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 0), 16.0, 1e-12);
  ck_assert_double_eq_tol(cb_clock_frames_per_cycle(&c), 24000.0, 1e-9);
}
END_TEST

START_TEST(non_finite_fields_keep_their_last_good_value) {
  cb_clock c;
  cb_clock_init(&c, 48000, 0.5);
  /* First: nothing usable but the bar beat; the free-running clock's bar stays. */
  cb_position first = {NAN, INFINITY, NAN, 0.0, NAN};
  cb_clock_position(&c, 0, &first);
  ck_assert(c.rolling);
  ck_assert_double_eq_tol(cb_clock_frames_per_cycle(&c), 96000.0, 1e-9);
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 48000), 0.5, 1e-12);
  /* Later: a good position, then one with every field NaN or infinite. */
  cb_position good = rolling(120, 4, 0, 4);
  cb_clock_position(&c, 96000, &good);
  cb_position bad = {INFINITY, NAN, -INFINITY, NAN, INFINITY};
  ck_assert_int_eq(cb_clock_position(&c, 144000, &bad), CB_CLOCK_CONTINUES);
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 144000), 4.5, 1e-12);
  ck_assert_double_eq_tol(cb_clock_frames_per_cycle(&c), 96000.0, 1e-9);
  /* A NaN bar with a good bar beat: the bar the clock is in (5), beat 2. */
  cb_position half = rolling(120, NAN, 2.0, 4);
  ck_assert_int_eq(cb_clock_position(&c, 192000, &half), CB_CLOCK_JUMPED);
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 192000), 5.5, 1e-12);
  /* A bar too far out to keep frame precision is ignored like a NaN. */
  cb_position far = rolling(120, 1e300, 0, 4);
  ck_assert_int_eq(cb_clock_position(&c, 240000, &far), CB_CLOCK_CONTINUES);
  ck_assert_double_eq_tol(cb_clock_cycle_at(&c, 240000), 6.0, 1e-12);
}
END_TEST

START_TEST(speed_is_clamped) {
  cb_clock c;
  cb_clock_init(&c, 48000, 0.5);
  cb_position fast = {1e9, 120, 0, 0, 4};
  cb_clock_position(&c, 0, &fast);
  ck_assert_double_eq(c.speed, CB_SPEED_MAX);
  ck_assert_double_eq_tol(cb_clock_frames_per_cycle(&c), 96000.0 / CB_SPEED_MAX, 1e-9);
  cb_position back = {-INFINITY, 120, 0, 0, 4}; /* not finite: the last speed stays */
  cb_clock_position(&c, 0, &back);
  ck_assert_double_eq(c.speed, CB_SPEED_MAX);
  cb_position reverse = {-1e9, 120, 0, 0, 4};
  cb_clock_position(&c, 0, &reverse);
  ck_assert_double_eq(c.speed, -CB_SPEED_MAX);
  cb_position half = {0.5, 120, 0, 0, 4};
  cb_clock_position(&c, 0, &half);
  ck_assert_double_eq_tol(cb_clock_frames_per_cycle(&c), 192000.0, 1e-9);
}
END_TEST

int main(void) {
  Suite *s = suite_create("clock");
  TCase *tc = tcase_create("clock");
  tcase_add_test(tc, free_running_clock_follows_the_program_tempo);
  tcase_add_test(tc, one_cycle_per_bar_in_any_meter);
  tcase_add_test(tc, a_position_where_the_clock_already_is_keeps_the_anchor);
  tcase_add_test(tc, a_tempo_change_keeps_the_position_and_changes_the_rate);
  tcase_add_test(tc, stop_and_speed_zero_stop_the_clock);
  tcase_add_test(tc, cycle_length_in_bars_or_beats);
  tcase_add_test(tc, non_finite_fields_keep_their_last_good_value);
  tcase_add_test(tc, speed_is_clamped);
  suite_add_tcase(s, tc);
  return check_run(s);
}
