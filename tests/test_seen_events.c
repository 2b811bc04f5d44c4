/* The look-ahead's events kept for the trigger: windows that follow one
   another join, anything else starts afresh; a span is covered only inside
   the windows kept and with the macros they were queried with; passed
   events go. */
#include <check.h>

#include "check_run.h"

#include "../plugin/lv2/seen_events.h"

static pat_rat eighths(int64_t n) {
  bool overflow = false;
  return pat_rat_make(n, 8, &overflow);
}

static pat_arc window(int64_t begin, int64_t end) {
  return (pat_arc){eighths(begin), eighths(end)};
}

/* Events at every eighth of [begin, end), each with its onset's eighth as its note. */
static size_t events_of(int64_t begin, int64_t end, prog_trigger *out) {
  size_t n = 0;
  for (int64_t e = begin; e < end; ++e)
    out[n++] = (prog_trigger){.onset = eighths(e), .note = (float)e};
  return n;
}

static const float quiet[PROG_MACRO_COUNT] = {0}, loud[PROG_MACRO_COUNT] = {[4] = 1.0f};

static void keep(cb_seen_events *seen, int64_t begin, int64_t end, const float *macros) {
  prog_trigger events[64];
  size_t n = events_of(begin, end, events);
  cb_seen_keep(seen, window(begin, end), macros, events, n);
}

/* The events held are those of notes first .. end - 1, in order. */
static void assert_notes(const cb_seen_events *seen, int64_t first, int64_t end) {
  ck_assert_uint_eq(seen->count, (size_t)(end - first));
  for (size_t i = 0; i < seen->count; ++i)
    ck_assert_float_eq(seen->events[seen->first + i].note, (float)(first + (int64_t)i));
}

START_TEST(windows_that_follow_one_another_join) {
  cb_seen_events seen;
  ck_assert(cb_seen_init(&seen));
  ck_assert(!cb_seen_covers(&seen, window(0, 1), quiet));
  keep(&seen, 0, 4, quiet);
  keep(&seen, 4, 10, quiet);
  assert_notes(&seen, 0, 10);
  ck_assert(cb_seen_covers(&seen, window(0, 10), quiet));
  ck_assert(cb_seen_covers(&seen, window(3, 5), quiet));
  ck_assert(!cb_seen_covers(&seen, window(9, 11), quiet)); /* past the last window */
  ck_assert(!cb_seen_covers(&seen, window(-1, 2), quiet)); /* before the first */
  cb_seen_free(&seen);
}
END_TEST

START_TEST(a_gap_an_overlap_or_other_macros_start_afresh) {
  cb_seen_events seen;
  ck_assert(cb_seen_init(&seen));
  keep(&seen, 0, 4, quiet);
  keep(&seen, 5, 8, quiet); /* a gap: [4, 5) was never seen */
  assert_notes(&seen, 5, 8);
  ck_assert(!cb_seen_covers(&seen, window(3, 6), quiet));
  keep(&seen, 6, 9, quiet); /* a window queried again from an earlier point */
  assert_notes(&seen, 6, 9);
  keep(&seen, 9, 12, loud); /* a knob moved: what was queried before holds the old value */
  assert_notes(&seen, 9, 12);
  ck_assert(cb_seen_covers(&seen, window(9, 12), loud));
  ck_assert(!cb_seen_covers(&seen, window(9, 12), quiet));
  cb_seen_free(&seen);
}
END_TEST

START_TEST(passed_events_go_and_the_rest_stay_covered) {
  cb_seen_events seen;
  ck_assert(cb_seen_init(&seen));
  keep(&seen, 0, 8, quiet);
  cb_seen_pass(&seen, eighths(2)); /* the trigger fired up to onset 2/8 */
  assert_notes(&seen, 3, 8);
  ck_assert(cb_seen_covers(&seen, window(3, 8), quiet));
  cb_seen_pass(&seen, eighths(100));
  ck_assert_uint_eq(seen.count, 0);
  ck_assert(cb_seen_covers(&seen, window(7, 8), quiet)); /* none left in it, rightly */
  cb_seen_forget(&seen);
  ck_assert(!cb_seen_covers(&seen, window(7, 8), quiet));
  cb_seen_free(&seen);
}
END_TEST

START_TEST(the_held_events_move_to_make_room_and_too_many_are_not_kept) {
  cb_seen_events seen;
  ck_assert(cb_seen_init(&seen));
  int64_t begin = 0;
  /* windows of 60, each passed but for its last 10: the front is reused */
  for (int w = 0; w < 40; ++w, begin += 60) {
    keep(&seen, begin, begin + 60, quiet);
    assert_notes(&seen, w == 0 ? 0 : begin - 10, begin + 60);
    cb_seen_pass(&seen, eighths(begin + 49));
  }
  /* a window that would hold more than CB_SEEN_MAX: none is held, none
     covered, and the next window starts afresh */
  size_t held = seen.count;
  for (; held + 60 <= CB_SEEN_MAX; begin += 60, held += 60) {
    keep(&seen, begin, begin + 60, quiet);
    ck_assert_uint_eq(seen.count, held + 60);
  }
  keep(&seen, begin, begin + 60, quiet);
  ck_assert_uint_eq(seen.count, 0);
  ck_assert(!cb_seen_covers(&seen, window(begin, begin + 1), quiet));
  begin += 60;
  keep(&seen, begin, begin + 60, quiet);
  assert_notes(&seen, begin, begin + 60);
  cb_seen_free(&seen);
}
END_TEST

int main(void) {
  Suite *s = suite_create("seen_events");
  TCase *tc = tcase_create("seen_events");
  tcase_add_test(tc, windows_that_follow_one_another_join);
  tcase_add_test(tc, a_gap_an_overlap_or_other_macros_start_afresh);
  tcase_add_test(tc, passed_events_go_and_the_rest_stay_covered);
  tcase_add_test(tc, the_held_events_move_to_make_room_and_too_many_are_not_kept);
  suite_add_tcase(s, tc);
  return check_run(s);
}
