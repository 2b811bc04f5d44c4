/* Real-time proof: pat_query never allocates, locks or sleeps. The calls are
   counted (rt_counter.h) while many cycles of complex patterns are queried the
   way run() does: block by block, plus zero-width reads of controls. */
#define _GNU_SOURCE
#include "rt_counter.h"

#if !RT_COUNTER_WORKS
#include <stdio.h>
int main(void) {
  printf("SKIP: malloc interposition does not work under AddressSanitizer\n");
  return 77;
}
#else
#include <check.h>

#include "check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern/pattern.h"

static const char *const patterns[] = {
    "~x(7,17)",
    "c4'min7 f3'min7",
    "<c2 c2 eb2 g1>",
    "~bass*16?0.4",
    "{c5 eb5 g5 bb5}%3",
    "[a*16, b*12, c(7,16)]*8",
    "<[bd [~ bd cp | -3?0.3 7 f#3*1.5] | -3/[2 3] bd@1.5 [b 0.5 eb4 c4]]!3>*3",
    "bd:3*2 [sn:1 cp:<2 3>] 0 .. <2 4> a . b c",
    "{a b c d e}%<3 5> [a | b | c]*4 a(<3 5>,8,<0 2>)",
    "[a b c]*2/3 <a@3 b!2 c _ d?>",
};

static size_t query_blocks(const pat_pattern *p, pat_arena *arena, long *events_seen) {
  size_t total = 0;
  for (int64_t block = 0; block < 64 * 16; block++) {
    pat_arc span = {{block, 16}, {block + 1, 16}};
    const pat_event *ev;
    pat_arena_reset(arena);
    size_t n = pat_query(p, span, arena, &ev);
    total += n;
    /* read a control at each onset, as the compiler does */
    for (size_t i = 0; i < n && i < 8; i++) {
      pat_arc point = {ev[i].whole.begin, ev[i].whole.begin};
      const pat_event *at;
      total += pat_query(p, point, arena, &at);
    }
  }
  *events_seen += (long)total;
  return total;
}

/* f = ply 2, for off and sometimesBy */
static const pat_pattern *ply_two(pat_store *store, const pat_pattern *q, void *context) {
  (void)context;
  return pat_ply(store, pat_number(store, 2), q);
}

START_TEST(the_counter_sees_allocations) {
  ck_assert_int_eq(rt_counter_probe(), RT_COUNTER_PROBE_CALLS);
}
END_TEST

START_TEST(queries_never_allocate) {
  static unsigned char memory[1 << 20];
  pat_arena arena;
  pat_arena_init(&arena, memory, sizeof memory);
  pat_store *store = pat_store_new();
  const pat_pattern *built[32];
  size_t count = 0;
  pat_error error;
  for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
    built[count] = pat_parse(store, patterns[i], strlen(patterns[i]), 1, 1, &error);
    ck_assert_msg(built[count], "%s: %s", patterns[i], error.message);
    count++;
  }
  /* transforms through the API, with patterned arguments */
  const pat_pattern *base = built[5];
  const pat_pattern *slow_pat = pat_parse(store, "<1 2 0.5>", 9, 1, 1, &error);
  built[count++] = pat_fast(store, slow_pat, base);
  built[count++] = pat_jux(store, pat_rev(store, built[1]), built[1]);
  built[count++] = pat_off(store, pat_number(store, 0.125), ply_two, NULL, built[3]);
  built[count++] = pat_echo(store, pat_number(store, 3), pat_number(store, 0.2),
                            pat_number(store, 0.5), built[0]);
  built[count++] = pat_sometimes_by(store, pat_number(store, 0.3), ply_two, NULL, built[2]);
  /* control maps made at query time: a control pattern, operators, echo and jux on maps */
  const pat_pattern *notes = pat_control_pattern(store, PAT_CONTROL_NOTE, built[2]);
  built[count++] = pat_jux(store, pat_rev(store, notes),
                           pat_combine(store, PAT_OP_ADD, PAT_STRUCTURE_BOTH, notes,
                                       pat_control_pattern(store, PAT_CONTROL_NOTE, built[1])));
  built[count++] =
      pat_echo(store, pat_number(store, 3), pat_number(store, 0.2), pat_number(store, 0.5),
               pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT, notes, pat_input(store, 0)));
  built[count++] = pat_every(store, pat_parse(store, "<2 3>", 5, 1, 1, &error),
                             pat_iter(store, pat_number(store, 4), built[8]), built[8]);
  built[count++] = pat_palindrome(store, pat_degrade_by(store, pat_number(store, 0.5), built[6]));
  built[count++] = pat_euclid(store, pat_parse(store, "<3 5>", 5, 1, 1, &error),
                              pat_number(store, 8), pat_number(store, 1), built[7]);
  long seen = 0;
  long before = rt_counter_calls();
  rt_counting = 1;
  for (size_t i = 0; i < count; i++)
    query_blocks(built[i], &arena, &seen);
  rt_counting = 0;
  long calls = rt_counter_calls() - before;
  ck_assert_msg(calls == 0, "%ld forbidden calls during queries", calls);
  ck_assert_int_gt(seen, 100000); /* the queries did real work */
  ck_assert(!arena.failed);
  printf("realtime: %ld events queried, 0 allocations\n", seen);
  pat_store_free(store);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pattern_realtime");
  TCase *tc = tcase_create("alloc");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, the_counter_sees_allocations);
  tcase_add_test(tc, queries_never_allocate);
  suite_add_tcase(s, tc);
  return check_run(s);
}
#endif
