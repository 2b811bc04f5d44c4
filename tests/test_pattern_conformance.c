/* Mini-notation conformance: every pattern of the Strudel corpus
   (tests/strudel: features.txt + generated.txt -> expected.jsonl, and
   edge.txt -> edge.jsonl) parsed and queried over cycles 0..4 must give the
   exact JSON line Strudel gave; a pattern Strudel rejects must be rejected. */
#include <check.h>

#include "check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tools/host/text_file.h"
#include "pattern/pattern.h"

static char *read_file(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "tests/strudel/%s", name);
  return cb_read_repo_file(path);
}

/* The next pattern line (query.mjs trims and skips blank and # lines). */
static char *next_pattern(char **cursor) {
  while (**cursor) {
    char *line = *cursor, *end = strchr(line, '\n');
    *cursor = end ? end + 1 : line + strlen(line);
    if (end)
      *end = '\0';
    while (*line == ' ' || *line == '\t' || *line == '\r')
      line++;
    size_t n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
      line[--n] = 0;
    if (n && line[0] != '#')
      return line;
  }
  return NULL;
}

typedef struct {
  int total, passed;
} tally;

/* Runs the patterns of `sources` (concatenated) against `expected`. */
static void check_corpus(const char *const *sources, int source_count, const char *expected_name,
                         tally *t) {
  char *expected = read_file(expected_name);
  ck_assert_msg(expected, "tests/strudel/%s not found (set CB_TOP)", expected_name);
  char *exp_cursor = expected;
  size_t arena_size = (size_t)32 << 20;
  void *memory = malloc(arena_size);
  char *line_buf = malloc(1 << 20);
  for (int s = 0; s < source_count; s++) {
    char *text = read_file(sources[s]);
    ck_assert_msg(text, "tests/strudel/%s not found", sources[s]);
    char *cursor = text, *pat;
    while ((pat = next_pattern(&cursor)) != NULL) {
      char *exp = exp_cursor, *exp_end = strchr(exp_cursor, '\n');
      ck_assert_msg(exp_end, "%s has fewer lines than patterns", expected_name);
      *exp_end = '\0';
      exp_cursor = exp_end + 1;
      t->total++;
      pat_store *store = pat_store_new();
      pat_error error;
      const pat_pattern *p = pat_parse(store, pat, strlen(pat), 1, 1, &error);
      bool strudel_rejects = strstr(exp, "\"error\":") && !strstr(exp, "\"events\":");
      bool ok;
      if (!p) {
        ok = strudel_rejects;
        if (!ok)
          fprintf(stderr, "REJECTED %s: %d:%d: %s\n", pat, error.line, error.column, error.message);
      } else if (strudel_rejects) {
        ok = false;
        fprintf(stderr, "ACCEPTED (Strudel rejects) %s\n", pat);
      } else {
        pat_arena arena;
        const pat_event *events;
        pat_arena_init(&arena, memory, arena_size);
        pat_arc span = {{0, 1}, {4, 1}};
        size_t count = pat_query(p, span, &arena, &events);
        ck_assert_msg(!arena.overflow, "arena overflow on %s", pat);
        pat_json_line(pat, events, arena.failed ? 0 : count, NULL, line_buf, 1 << 20);
        ok = strcmp(line_buf, exp) == 0;
        if (!ok)
          fprintf(stderr, "MISMATCH %s\n  mine:    %.500s\n  strudel: %.500s\n", pat, line_buf,
                  exp);
      }
      if (ok)
        t->passed++;
      pat_store_free(store);
    }
    free(text);
  }
  free(line_buf);
  free(memory);
  free(expected);
}

START_TEST(strudel_corpus_events_match_exactly) {
  static const char *const sources[] = {"features.txt", "generated.txt"};
  tally t = {0, 0};
  check_corpus(sources, 2, "expected.jsonl", &t);
  printf("conformance: %d/%d (shared Strudel corpus)\n", t.passed, t.total);
  ck_assert_int_ge(t.total, 268);
  ck_assert_int_eq(t.passed, t.total);
}
END_TEST

START_TEST(edge_cases_match_strudel) {
  static const char *const sources[] = {"edge.txt"};
  tally t = {0, 0};
  check_corpus(sources, 1, "edge.jsonl", &t);
  printf("conformance: %d/%d (edge cases)\n", t.passed, t.total);
  ck_assert_int_gt(t.total, 50);
  ck_assert_int_eq(t.passed, t.total);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pattern_conformance");
  TCase *tc = tcase_create("strudel");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, strudel_corpus_events_match_exactly);
  tcase_add_test(tc, edge_cases_match_strudel);
  suite_add_tcase(s, tc);
  return check_run(s);
}
