/* prog_query runs on the audio thread: with the allocator, locks and sleeps
   counted (rt_counter.h), querying every example program and a
   transform-heavy one makes no such call. Skipped under AddressSanitizer,
   which owns malloc. */
#define _GNU_SOURCE
#include "rt_counter.h"

#include "test_program_util.h"

#if RT_COUNTER_WORKS

static const char *const programs[] = {"examples/acid.cb",
                                       "examples/chords.cb",
                                       "examples/poly.cb",
                                       "examples/q.cb",
                                       "examples/stress.cb",
                                       "examples/phonon.cb",
                                       NULL};

static const char *const heavy =
    "~x $ saw # lpf (fast \"<3 19>\" $ \"800 <300 500>\") # env 0.01 0.1\n"
    "~y $ square # lpf \\cutoff \\res\n"
    "d1 $ every 3 (fast 2) $ jux rev $ off 0.125 (# note 67) $ s \"~x(5,8) ~y*3?\" "
    "# note \"c4'min7 e4'maj\" # lpf (range 200 2000 sine) # hpf 100 # gain \"0.5 0.8\"\n"
    "d2 $ sometimes (# pan 0.2) $ echo 3 0.125 0.6 $ note \"[c3 e3]*4\" # s \"~y\" # n 12\n"
    "d3 $ s \"~x*100000\"\n"
    /* Tidal's lists, composition and structure */
    "d4 $ stack [struct \"t f t t\" $ s \"~x\" # note \"<c e>\", mask \"1 0 1 1\" $ s \"~y*8\",\n"
    "  sew \"t f\" (s \"~x*4\") (s \"~y*2\"), euclidFull 3 8 (s \"~x\") (s \"~y\" |+ n 1),\n"
    "  randcat [s \"~x\", s \"~y*2\"], wrandcat [(s \"~x\", 2), (s \"~y\", 1)],\n"
    "  timeCat [(1, s \"~x*2\"), (2, s \"~y\")], layer [rev, (+ n 12)] $ s \"~x*3\" # n 0,\n"
    "  stitch \"t*2 f\" (s \"~x\") (s \"~y\"), spread fast [1, 2] $ s \"~x*2\"]\n"
    /* control matching and long-form composition */
    "d5 $ contrast (fast 2) (# speed 2) (n \"<0 1>\") $ s \"~x*4\" # n \"0 1\"\n"
    "d6 $ ur 4 \"a b:f [a, b]\" [(\"a\", s \"~x*2\"), (\"b\", s \"~y\")] [(\"f\", fast 2)]\n"
    "d7 $ seqPLoop [(0, 2, s \"~x*2\"), (1, 3, s \"~y\" # n \"<1 2>\")]\n"
    /* Tidal's library with patterned first arguments */
    "d8 $ stack [arp \"<up converge>\" $ note \"c'maj7\" # s \"~x\", rot \"<1 2>\" $ s \"~x*4\",\n"
    "  plyWith \"<2 3>\" (|* gain 0.8) $ s \"~y\", shuffle 4 $ s \"~x*4\", scramble 3 $ s "
    "\"~y*3\",\n"
    "  stutWith \"<2 3>\" (1/8) (|+ n 12) $ s \"~x\", ghost $ s \"~ ~y\",\n"
    "  squeeze \"0 [1 0]\" [s \"~x\", s \"~y*2\"], s (fit 1 [\"~x\", \"~y\"] \"0 1\"),\n"
    "  pickF \"<0 1>\" [rev, fast 2] $ s \"~x*2\", chunk \"<2 4>\" (fast 2) $ s \"~y*2\",\n"
    "  whenmod 4 \"<2 3>\" rev $ s \"~x*2\", linger \"<0.25 -0.5>\" $ s \"~y*4\",\n"
    "  trunc \"0.75 1\" $ s \"~x*4\", rolledBy \"<0.25 -0.5>\" $ note \"[0,4,7]\" # s \"~y\",\n"
    "  s \"~x(3,8)\" # nTake \"a\" [0 .. 3], swingBy \"<0 0.25>\" 4 $ s \"~y*8\"]\n"
    /* Tidal's sample functions (on buses: the same events) */
    "d9 $ stack [chop \"<2 3>\" $ s \"~x*2\", striate 2 $ s \"~y\", striateBy 2 0.5 $ s \"~x\",\n"
    "  slice 4 \"0 [1 3]\" $ s \"~x\", splice \"<4 8>\" \"0 2\" $ s \"~y\", randslice 4 $ s "
    "\"~x*2\",\n"
    "  bite 4 \"0 2\" $ s \"~x*4\" # n \"0 1 2 3\", chew 4 \"0 [1 2]\" $ s \"~y*4\",\n"
    "  loopAt 2 $ chop 4 $ s \"~x\", juxBy 0.5 rev $ s \"~x*2\" # bank \"b\"]\n";

static long count_query_allocations(const prog_program *p) {
  pat_arena arena;
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  size_t dropped, total = 0;
  long before = rt_counter_calls();
  rt_counting = 1;
  for (int step = 0; step < 64; ++step) {
    pat_arena_reset(&arena);
    pat_rat begin = pat_rat_make(step, 8, NULL), end = pat_rat_make(step + 1, 8, NULL);
    total += prog_query(p, (pat_arc){begin, end}, test_macros, &arena, test_triggers, TEST_TRIGGERS,
                        &dropped);
  }
  rt_counting = 0;
  long calls = rt_counter_calls() - before;
  ck_assert_int_gt((int)total, 0);
  return calls;
}

START_TEST(the_counting_allocator_sees_allocations) {
  ck_assert_int_eq(rt_counter_probe(), RT_COUNTER_PROBE_CALLS);
}
END_TEST

START_TEST(prog_query_allocates_nothing) {
  for (int i = 0; programs[i]; ++i) {
    char *text = read_repo_file(programs[i]);
    ck_assert_msg(text != NULL, "cannot read %s", programs[i]);
    prog_program *p = compile_ok(text);
    free(text);
    ck_assert_msg(count_query_allocations(p) == 0, "%s allocated while querying", programs[i]);
    prog_free(p);
  }
  prog_program *p = compile_ok(heavy);
  ck_assert_msg(count_query_allocations(p) == 0, "the heavy program allocated while querying");
  prog_free(p);
}
END_TEST

int main(void) {
  Suite *suite = suite_create("program_alloc");
  TCase *tc = tcase_create("alloc");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, the_counting_allocator_sees_allocations);
  tcase_add_test(tc, prog_query_allocates_nothing);
  suite_add_tcase(suite, tc);
  return check_run(suite);
}

#else

int main(void) {
  printf("SKIP: malloc interposition does not work under AddressSanitizer\n");
  return 77;
}

#endif
