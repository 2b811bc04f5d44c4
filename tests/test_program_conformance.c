/* Output lines against Strudel: each pair of tests/strudel/programs.txt is a
   cyclebus output line and the same music as a Strudel expression. The line
   is played here (after `~x $ saw`) and its triggers over cycles 0 to 4 must
   be Strudel's events in tests/strudel/programs.jsonl (query_program.mjs):
   the same onsets and ends, notes, gains and pans. */
#include "test_program_util.h"

#define CYCLES 4
#define MAX_EXPECTED 512

typedef struct {
  pat_rat onset, end;
  double note, gain, pan;
} expected_trigger;

static pat_rat parse_fraction(const char *text) {
  long long num = 0, den = 1;
  if (sscanf(text, "%lld/%lld", &num, &den) < 1)
    return pat_rat_int(-1);
  bool overflow = false;
  return pat_rat_make(num, den, &overflow);
}

/* The triggers of one line of programs.jsonl (its fixed shape, written by
   query_program.mjs); -1 on an "error" line. */
static int parse_expected(const char *line, expected_trigger *out, int capacity) {
  const char *p = strstr(line, "\"triggers\":[");
  if (!p)
    return -1;
  int count = 0;
  while ((p = strstr(p, "{\"onset\":\"")) && count < capacity) {
    char onset[64], end[64];
    expected_trigger *t = &out[count];
    if (sscanf(p,
               "{\"onset\":\"%63[^\"]\",\"end\":\"%63[^\"]\",\"note\":%lf,\"gain\":%lf,\"pan\":%lf",
               onset, end, &t->note, &t->gain, &t->pan) != 5)
      return -1;
    t->onset = parse_fraction(onset);
    t->end = parse_fraction(end);
    count++;
    p++;
  }
  return count;
}

static double trigger_note(const prog_trigger *t) {
  return 69.0 + 12.0 * log2(t->voice.params[0] / 440.0); /* ~x $ saw: param 0 is the pitch */
}

/* Onset, then note, then pan: the order query_program.mjs writes. */
static int compare_triggers(const void *a, const void *b) {
  const prog_trigger *x = a, *y = b;
  int by_onset = pat_rat_cmp(x->onset, y->onset);
  if (by_onset)
    return by_onset;
  double dn = trigger_note(x) - trigger_note(y);
  if (fabs(dn) > 1e-6)
    return dn < 0 ? -1 : 1;
  return (x->pan > y->pan) - (x->pan < y->pan);
}

/* Compares one line; prints the first difference and returns false. */
static bool line_matches(const char *body, const expected_trigger *expected, int count) {
  char text[1024];
  snprintf(text, sizeof text, "~x $ saw\nd1 $ %s\n", body);
  prog_error error;
  prog_program *p = prog_compile(text, strlen(text), &error);
  if (!p) {
    fprintf(stderr, "MISMATCH %s\n  does not compile: %d:%d: %s\n", body, error.line, error.column,
            error.message);
    return false;
  }
  size_t dropped = 0;
  int n = (int)query_span(p, pat_rat_int(0), pat_rat_int(CYCLES), NULL, &dropped);
  prog_free(p);
  qsort(test_triggers, (size_t)n, sizeof test_triggers[0], compare_triggers);
  if (n != count || dropped) {
    fprintf(stderr, "MISMATCH %s\n  %d triggers (%zu dropped), Strudel has %d\n", body, n, dropped,
            count);
    return false;
  }
  for (int i = 0; i < n; ++i) {
    const prog_trigger *t = &test_triggers[i];
    const expected_trigger *e = &expected[i];
    /* The gate is the event's length (legato 1). */
    double length = pat_rat_to_double(e->end) - pat_rat_to_double(e->onset);
    if (pat_rat_cmp(t->onset, e->onset) == 0 && fabs(t->gate_cycles - length) < 1e-9 &&
        fabs(trigger_note(t) - e->note) < 1e-4 && fabs(t->gain - e->gain) < 1e-6 &&
        fabs(t->pan - e->pan) < 1e-6)
      continue;
    fprintf(stderr,
            "MISMATCH %s\n  trigger %d: onset %lld/%lld length %g note %g gain %g pan %g\n"
            "  Strudel:    onset %lld/%lld length %g note %g gain %g pan %g\n",
            body, i, (long long)t->onset.num, (long long)t->onset.den, t->gate_cycles,
            trigger_note(t), t->gain, t->pan, (long long)e->onset.num, (long long)e->onset.den,
            length, e->note, e->gain, e->pan);
    return false;
  }
  return true;
}

START_TEST(every_output_line_plays_what_strudel_plays) {
  char *pairs = read_repo_file("tests/strudel/programs.txt");
  char *expected = read_repo_file("tests/strudel/programs.jsonl");
  ck_assert_msg(pairs && expected, "tests/strudel/programs.{txt,jsonl} not found (CB_TOP?)");
  static expected_trigger triggers[MAX_EXPECTED];
  int total = 0, passed = 0;
  char *expected_line = expected;
  for (char *line = strtok(pairs, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#')
      continue;
    char *separator = strstr(line, " == ");
    ck_assert_msg(separator, "no ' == ' in: %s", line);
    *separator = '\0';
    char *expected_end = strchr(expected_line, '\n');
    ck_assert_msg(expected_end, "programs.jsonl has fewer lines than programs.txt");
    *expected_end = '\0';
    int count = parse_expected(expected_line, triggers, MAX_EXPECTED);
    ck_assert_msg(count >= 0, "Strudel could not play the pair of: %s\n%s", line, expected_line);
    total++;
    passed += line_matches(line, triggers, count);
    expected_line = expected_end + 1;
  }
  printf("programs: %d/%d output lines play what Strudel plays\n", passed, total);
  ck_assert_int_ge(total, 40);
  ck_assert_int_eq(passed, total);
  free(pairs);
  free(expected);
}
END_TEST

int main(void) {
  Suite *s = suite_create("program_conformance");
  TCase *tc = tcase_create("strudel");
  tcase_add_test(tc, every_output_line_plays_what_strudel_plays);
  suite_add_tcase(s, tc);
  return check_run(s);
}
