/* Queries for onsets only (arena.onsets_only, as prog_query asks for a
   line's triggers): a one-sided operator skips a span where its structure
   can have no onset. The onsets must be the ones the full query gives, on
   the block-sized spans run() asks for, at span edges that touch onsets and
   at zero-width spans, for structures whose onsets are known (sequences,
   speed-ups, cats, stacks, silence) and for those that are not. */
#include <check.h>

#include "check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tools/host/text_file.h"
#include "pattern/pattern.h"

static unsigned char arena_memory[1 << 20];

static pat_rat R(int64_t n, int64_t d) {
  bool of = false;
  return pat_rat_make(n, d, &of);
}

/* Appends the onsets among n events (whole begin, whole end, value) to
   text from `at`; returns where the text ends. */
static size_t append_onsets(const pat_event *ev, size_t n, char *text, size_t size, size_t at) {
  for (size_t i = 0; i < n && at < size - 256; i++) {
    if (ev[i].analog || pat_rat_cmp(ev[i].part.begin, ev[i].whole.begin) != 0)
      continue;
    char value[160];
    pat_json_value(&ev[i].value, value, sizeof value);
    at += (size_t)snprintf(text + at, size - at, "%lld/%lld %lld/%lld %s\n",
                           (long long)ev[i].whole.begin.num, (long long)ev[i].whole.begin.den,
                           (long long)ev[i].whole.end.num, (long long)ev[i].whole.end.den, value);
  }
  return at;
}

/* Appends the onsets of `p` over `span` to text, one per line. */
static size_t onsets_over(const pat_pattern *p, pat_arc span, bool onsets_only, char *text,
                          size_t size, size_t at) {
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  arena.onsets_only = onsets_only;
  size_t n = pat_query(p, span, &arena, &ev);
  return append_onsets(ev, n, text, size, at);
}

/* The onsets of `p` over two cycles queried in many small spans: run()'s
   blocks (256 frames at 48 kHz, 120 BPM, edges on 1/65536 widened by one
   step), spans of 1/384 and 1/7, spans ending on each 1/24 and zero-width
   spans there. */
static char *onsets_in_spans(const pat_pattern *p, bool onsets_only) {
  static char text[1 << 18];
  size_t at = 0;
  text[0] = '\0';
  for (int64_t k = 0; k < 375 * 2; k++) {
    int64_t begin = k * 65536 / 375, end = (k + 1) * 65536 / 375;
    at = onsets_over(p, (pat_arc){R(begin - 1, 65536), R(end + 1, 65536)}, onsets_only, text,
                     sizeof text, at);
  }
  for (int64_t k = 0; k < 384 * 2; k++)
    at = onsets_over(p, (pat_arc){R(k, 384), R(k + 1, 384)}, onsets_only, text, sizeof text, at);
  for (int64_t k = 0; k < 14; k++)
    at = onsets_over(p, (pat_arc){R(k, 7), R(k + 1, 7)}, onsets_only, text, sizeof text, at);
  for (int64_t k = 1; k < 48; k++) {
    at = onsets_over(p, (pat_arc){R(4 * k - 1, 96), R(k, 24)}, onsets_only, text, sizeof text, at);
    at = onsets_over(p, (pat_arc){R(k, 24), R(k, 24)}, onsets_only, text, sizeof text, at);
  }
  return strdup(text);
}

static const pat_pattern *parse(pat_store *store, const char *text) {
  pat_error error;
  const pat_pattern *p = pat_parse(store, text, strlen(text), 1, 1, &error);
  ck_assert_msg(p != NULL, "%s: %s", text, error.message);
  return p;
}

/* s "structure" # note "notes" */
static const pat_pattern *line(pat_store *store, const char *structure, const char *notes) {
  return pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT,
                     pat_control_pattern(store, PAT_CONTROL_S, parse(store, structure)),
                     pat_control_pattern(store, PAT_CONTROL_NOTE, parse(store, notes)));
}

START_TEST(onsets_only_queries_give_the_full_querys_onsets) {
  pat_store *store = pat_store_new();
  const pat_pattern *eight = line(store, "x*8", "<c e> g [a b]");
  const pat_pattern *silent = line(store, "~", "c"); /* no onsets at all */
  /* a layered line: shifted lines in a stack (the stack skips a layer that
     can give no onset in the span), with layers it cannot tell about */
  const pat_pattern *layers[] = {
      eight,
      pat_late(store, pat_number(store, 1.0 / 512), line(store, "x*8", "c e")),
      pat_early(store, pat_number(store, 0.3), line(store, "x [y z]", "c e")),
      pat_late(store, pat_number(store, 0.25),
               pat_late(store, pat_number(store, 1.0 / 7), line(store, "x*3", "c e"))),
      pat_late(store, pat_number(store, 0.1), pat_rev(store, line(store, "x y", "c e"))),
      pat_late(store, parse(store, "<0 0.25>"), line(store, "x*2", "g")),
      line(store, "~", "c"),
  };
  const pat_pattern *cases[] = {
      pat_stack(store, layers, sizeof layers / sizeof layers[0]),
      eight,
      line(store, "x [y z]", "c e g"),
      line(store, "<x y>*3", "c <e g>"),
      line(store, "x/2 y", "c e"),
      line(store, "~ x", "c"),
      line(store, "x . y z", "c e"),
      line(store, "x!3 y", "c e"), /* repeat: onsets not known */
      line(store, "[x, y*3]", "c e"),
      line(store, "x*1.5", "c e"),
      line(store, "<x y z>", "c"),
      silent,
      line(store, "x(3,8)", "c e"),  /* euclid: not known */
      line(store, "x*<2 3>", "c e"), /* a patterned factor: not known */
      line(store, "[x y]?", "c e"),  /* degraded: not known */
      line(store, "x@3 y", "c e"),   /* weights (timecat) */
      line(store, "a b c", "c e"),
      line(store, "bd*2 [~ sn] hh*4", "c e g"),
      line(store, "[x*1.5] y", "c e"), /* a step whose kid's onsets move from cycle to cycle */
      line(store, "[x*1.5] ~", "c e"),
      line(store, "<x [y z]> [w@2 v]", "c e"),
      line(store, "{x y z}%4", "c e"), /* polymeter steps */
      pat_combine(store, PAT_OP_ADD, PAT_STRUCTURE_RIGHT,
                  pat_control_pattern(store, PAT_CONTROL_NOTE, parse(store, "c e")),
                  pat_control_pattern(store, PAT_CONTROL_S, parse(store, "x*3"))),
      pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT, eight,
                  pat_control_pattern(store, PAT_CONTROL_GAIN, parse(store, "1 0.5"))),
      pat_late(store, pat_number(store, 0.1), eight),
      pat_late(store, pat_number(store, 1.0 / 512), eight),
      pat_fast(store, pat_number(store, 1.5), eight),
      pat_slow(store, pat_number(store, 3), eight),
      pat_rev(store, eight),
      pat_fast(store, parse(store, "<1 2>"), eight),
      pat_combine(
          store, PAT_OP_SET, PAT_STRUCTURE_LEFT,
          pat_control_pattern(store, PAT_CONTROL_S,
                              pat_late(store, pat_number(store, 1.0 / 3), parse(store, "x y"))),
          pat_control_pattern(store, PAT_CONTROL_NOTE, parse(store, "c e g"))),
      pat_combine(
          store, PAT_OP_SET, PAT_STRUCTURE_LEFT,
          pat_control_pattern(store, PAT_CONTROL_S,
                              pat_early(store, pat_number(store, 0.3), parse(store, "x*3"))),
          pat_control_pattern(store, PAT_CONTROL_NOTE, parse(store, "c e"))),
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ck_assert_msg(cases[i] != NULL, "case %zu not built", i);
    char *all = onsets_in_spans(cases[i], false), *onsets = onsets_in_spans(cases[i], true);
    ck_assert_msg(strlen(all) > 0 || cases[i] == silent, "case %zu has no onsets", i);
    size_t at = 0; /* Check's messages are short: where they first differ */
    while (all[at] && all[at] == onsets[at])
      at++;
    while (at > 0 && all[at - 1] != '\n')
      at--;
    ck_assert_msg(strcmp(all, onsets) == 0, "case %zu: full query\n%.300s\nonsets only\n%.300s", i,
                  all + at, onsets + at);
    free(all);
    free(onsets);
  }
  pat_store_free(store);
}
END_TEST

/* The onsets of `p` over `span` as text: false when the query overflowed
   (the budget then decides what is left, and the two differ in cost). */
static bool onsets_text(const pat_pattern *p, pat_arc span, bool onsets_only, char *text,
                        size_t size, bool *failed) {
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  arena.onsets_only = onsets_only;
  size_t n = pat_query(p, span, &arena, &ev);
  *failed = arena.failed;
  text[0] = '\0';
  append_onsets(ev, n, text, size, 0);
  return !arena.overflow;
}

/* Every pattern of the Strudel corpus as a line's structure, alone and as
   layers of a stack shifted by constants, over spans of 1/96 cycle and
   run()'s blocks: onsets-only queries give the full query's onsets. */
START_TEST(the_corpus_as_structures_gives_the_same_onsets) {
  static const char *const sources[] = {"tests/strudel/features.txt",
                                        "tests/strudel/generated.txt"};
  static char all[1 << 16], onsets[1 << 16];
  size_t patterns = 0, compared = 0;
  for (size_t f = 0; f < sizeof sources / sizeof sources[0]; f++) {
    char *text = cb_read_repo_file(sources[f]);
    ck_assert_msg(text != NULL, "%s not found (set CB_TOP)", sources[f]);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
      if (line[0] == '#' || line[0] == '\0')
        continue;
      pat_store *store = pat_store_new();
      pat_error error;
      const pat_pattern *p = pat_parse(store, line, strlen(line), 1, 1, &error);
      if (!p) {
        pat_store_free(store);
        continue;
      }
      const pat_pattern *one = pat_combine(
          store, PAT_OP_SET, PAT_STRUCTURE_LEFT, pat_control_pattern(store, PAT_CONTROL_S, p),
          pat_control_pattern(store, PAT_CONTROL_NOTE, parse(store, "c e g")));
      const pat_pattern *layers[] = {one, pat_late(store, pat_number(store, 1.0 / 512), one),
                                     pat_early(store, pat_number(store, 1.0 / 3), one)};
      const pat_pattern *shapes[] = {one, pat_stack(store, layers, 3)};
      patterns++;
      for (size_t k = 0; k < 96 * 2 + 94; k++) {
        pat_arc span = k < 96 * 2 ? (pat_arc){R((int64_t)k, 96), R((int64_t)k + 1, 96)}
                                  : (pat_arc){R((int64_t)(k - 192) * 697 - 1, 262144),
                                              R((int64_t)(k - 191) * 697 + 1, 262144)};
        for (size_t s = 0; s < 2; s++) {
          bool failed_all, failed_onsets;
          if (!onsets_text(shapes[s], span, false, all, sizeof all, &failed_all) ||
              !onsets_text(shapes[s], span, true, onsets, sizeof onsets, &failed_onsets))
            continue;
          compared++;
          ck_assert_msg(
              failed_all == failed_onsets && strcmp(all, onsets) == 0,
              "\"%s\" (shape %zu) over %lld/%lld: full query\n%.300s\nonsets only\n%.300s", line, s,
              (long long)span.begin.num, (long long)span.begin.den, all, onsets);
        }
      }
      pat_store_free(store);
    }
    free(text);
  }
  ck_assert_uint_gt(patterns, 200);
  ck_assert_uint_gt(compared, patterns * 400);
}
END_TEST

/* A span holding only a fragment of `s "x*8" # note ...`'s events: a query
   for onsets does not look at the structure at all (most of a line's audio
   blocks are such spans), while the full query walks it. */
START_TEST(a_span_without_onsets_costs_no_structure_query) {
  pat_store *store = pat_store_new();
  const pat_pattern *p = line(store, "x*8", "<c e> g [a b]");
  pat_arc span = {R(1, 64), R(3, 64)}; /* inside the first eighth */
  const pat_event *ev;
  pat_arena full, onsets;
  pat_arena_init(&full, arena_memory, sizeof arena_memory / 2);
  pat_arena_init(&onsets, arena_memory + sizeof arena_memory / 2, sizeof arena_memory / 2);
  onsets.onsets_only = true;
  ck_assert_uint_eq(pat_query(p, span, &full, &ev), 1); /* the fragment */
  ck_assert_uint_eq(pat_query(p, span, &onsets, &ev), 0);
  ck_assert_uint_ge(full.work_spent, 3);
  ck_assert_uint_eq(onsets.work_spent, 0);
  /* a span that holds an onset is queried as before */
  pat_arena_reset(&onsets);
  ck_assert_uint_eq(pat_query(p, (pat_arc){R(7, 64), R(9, 64)}, &onsets, &ev), 1);
  ck_assert(pat_rat_cmp(ev[0].whole.begin, R(1, 8)) == 0);
  pat_store_free(store);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pattern_onsets");
  TCase *tc = tcase_create("onsets");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, onsets_only_queries_give_the_full_querys_onsets);
  tcase_add_test(tc, a_span_without_onsets_costs_no_structure_query);
  tcase_add_test(tc, the_corpus_as_structures_gives_the_same_onsets);
  suite_add_tcase(s, tc);
  return check_run(s);
}
