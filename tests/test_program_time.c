/* Tidal's time and condition functions where Strudel has no such function or
   the comparison in tests/strudel/programs.txt cannot see the result: hurry's
   speed control (the comparison reads onsets, notes, gains and pans) and the
   errors misuse gives (LINE:COL). Everything else is compared event by event
   with Strudel in tests/strudel/programs.txt. */
#include "test_program_util.h"

/* The speed control of the onsets of output 0 in `cycle`, in query order. */
static int speeds(const prog_program *p, int64_t cycle, double *out, int capacity) {
  pat_arena arena;
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  const pat_event *events;
  size_t n = pat_query(prog_output_pattern(p, 0),
                       (pat_arc){pat_rat_int(cycle), pat_rat_int(cycle + 1)}, &arena, &events);
  int count = 0;
  for (size_t i = 0; i < n; ++i) {
    const pat_event *e = &events[i];
    if (pat_rat_cmp(e->part.begin, e->whole.begin) != 0)
      continue;
    ck_assert_int_lt(count, capacity);
    ck_assert_int_eq(e->value.kind, PAT_VALUE_CONTROLS);
    const pat_controls *m = e->value.controls;
    out[count++] = m->present >> PAT_CONTROL_SPEED & 1u ? m->numbers[PAT_CONTROL_SPEED] : -1.0;
  }
  return count;
}

START_TEST(hurry_speeds_up_the_pattern_and_the_sound) {
  /* Tidal: hurry r p = fast r p |* speed r; an unset speed becomes r. */
  prog_program *p = compile_ok("~x $ saw\nd1 $ hurry \"<1 2>\" $ s \"~x*2\"\n");
  double v[8];
  ck_assert_int_eq(speeds(p, 0, v, 8), 2);
  ck_assert(v[0] == 1.0 && v[1] == 1.0);
  ck_assert_int_eq(speeds(p, 1, v, 8), 4);
  for (int i = 0; i < 4; ++i)
    ck_assert_msg(v[i] == 2.0, "cycle 1 event %d speed %g", i, v[i]);
  prog_free(p);
  /* A speed already set is multiplied. */
  p = compile_ok("~x $ saw\nd1 $ hurry 2 $ s \"~x\" # speed 1.5\n");
  ck_assert_int_eq(speeds(p, 0, v, 8), 2);
  ck_assert(v[0] == 3.0 && v[1] == 3.0);
  prog_free(p);
}
END_TEST

static void assert_error(const char *text, int line, int column, const char *words) {
  prog_error e = compile_error(text);
  ck_assert_msg(e.line == line && e.column == column && strstr(e.message, words),
                "%s\ngave %d:%d: %s\nnot %d:%d with '%s'", text, e.line, e.column, e.message, line,
                column, words);
}

START_TEST(misused_time_functions_say_where_and_what) {
  assert_error("~x $ saw\nd1 $ whenmod 4 1.5 rev $ s \"~x\"\n", 2, 16, "whole number");
  assert_error("~x $ saw\nd1 $ whenmod 0 0 rev $ s \"~x\"\n", 2, 14, "1 or more");
  assert_error("~x $ saw\nd1 $ stutWith 1000 0.25 rev $ s \"~x\"\n", 2, 15, "whole number");
  assert_error("~x $ saw\nd1 $ s \"~x\" # note (hurry 2 \"0 1\")\n", 2, 21, "needs events");
  assert_error("~x $ saw\nd1 $ whenmode 4 2 rev $ s \"~x\"\n", 2, 6, "whenmod");
  assert_error("~x $ saw\nd1 $ within (0.5, 2) rev $ s \"~x\"\n", 2, 13, "(begin, end)");
  assert_error("~x $ saw\nd1 $ within 0.5 rev $ s \"~x\"\n", 2, 13, "(begin, end)");
  assert_error("~x $ saw\nd1 $ chunk 0 rev $ s \"~x\"\n", 2, 12, "1 or more");
  assert_error("~x $ saw\nd1 $ chunk' 2.5 rev $ s \"~x\"\n", 2, 13, "whole number");
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("program_time");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, hurry_speeds_up_the_pattern_and_the_sound);
  tcase_add_test(tc, misused_time_functions_say_where_and_what);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return check_run(suite()); }
