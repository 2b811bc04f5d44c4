/* Tidal's functions that Strudel 1.1.0 lacks or reads differently, worked
   out by hand from Tidal's definitions (Sound/Tidal/UI.hs) and its
   documented examples: arp's modes, plyWith, stutWith and rolledBy with
   patterned counts, rot, shuffle (Tidal's randrun), fit, select, ghost; and
   Tidal's documentation examples, pasted unchanged, compile. squeeze, pickF,
   scramble and the patterned linger, trunc, chunk and whenmod are compared
   with Strudel in tests/strudel/programs.txt. */
#include "test_program_util.h"

typedef struct {
  double onset, note, gain;
} heard;

static int heard_order(const void *a, const void *b) {
  const heard *x = a, *y = b;
  if (x->onset != y->onset)
    return x->onset < y->onset ? -1 : 1;
  return (x->note > y->note) - (x->note < y->note);
}

/* The triggers of `line` (played by `~x $ saw`) with onsets in cycles
   [from, to): onset, note (Tidal's: MIDI - 60), gain; sorted by onset, then note. */
static int play(const char *line, int from, int to, heard *out, int capacity) {
  char text[1024];
  snprintf(text, sizeof text, "~x $ saw\nd1 $ %s\n", line);
  prog_program *p = compile_ok(text);
  int n = (int)query_span(p, pat_rat_int(from), pat_rat_int(to), NULL, NULL);
  prog_free(p);
  ck_assert_int_le(n, capacity);
  for (int i = 0; i < n; ++i) {
    out[i].onset = pat_rat_to_double(test_triggers[i].onset);
    out[i].note = 69.0 + 12.0 * log2(test_triggers[i].voice.params[0] / 440.0) - 60.0;
    out[i].gain = test_triggers[i].gain;
  }
  qsort(out, (size_t)n, sizeof *out, heard_order);
  return n;
}

/* A number or a fraction "a/b" at *text, which moves past it. */
static double read_number(const char **text) {
  char *end;
  double x = strtod(*text, &end);
  if (*end == '/') {
    const char *den = end + 1;
    x /= strtod(den, &end);
  }
  *text = end;
  return x;
}

/* `expected` lists "onset note" or "onset note gain", comma separated. */
static void assert_plays(const char *line, int from, int to, const char *expected) {
  heard got[256];
  int n = play(line, from, to, got, 256);
  const char *at = expected;
  for (int i = 0;; ++i) {
    while (*at == ' ' || *at == ',')
      at++;
    if (!*at) {
      ck_assert_msg(n == i, "%s\n%d triggers, expected %d (%s)", line, n, i, expected);
      return;
    }
    ck_assert_msg(i < n, "%s\nonly %d triggers, expected: %s", line, n, expected);
    double onset = read_number(&at), note = read_number(&at), gain = 1.0;
    while (*at == ' ')
      at++;
    if (*at && *at != ',')
      gain = read_number(&at);
    ck_assert_msg(fabs(got[i].onset - onset) < 1e-9 && fabs(got[i].note - note) < 1e-4 &&
                      fabs(got[i].gain - gain) < 1e-6,
                  "%s\ntrigger %d: onset %g note %g gain %g; expected onset %g note %g gain %g",
                  line, i, got[i].onset, got[i].note, got[i].gain, onset, note, gain);
  }
}

START_TEST(arp_plays_each_of_tidals_modes) {
  /* Tidal's arps table on the chord [0, 4, 7, 11]. */
  static const struct {
    const char *mode;
    int count;
    double notes[10];
  } modes[] = {
      {"up", 4, {0, 4, 7, 11}},
      {"down", 4, {11, 7, 4, 0}},
      {"updown", 6, {0, 4, 7, 11, 7, 4}}, /* init x ++ init (reverse x) */
      {"downup", 6, {11, 7, 4, 0, 4, 7}},
      {"up&down", 8, {0, 4, 7, 11, 11, 7, 4, 0}},
      {"down&up", 8, {11, 7, 4, 0, 0, 4, 7, 11}},
      {"converge", 4, {0, 11, 4, 7}},
      {"diverge", 4, {7, 4, 11, 0}}, /* reverse . converge */
      {"disconverge", 7, {0, 11, 4, 7, 4, 11, 0}},
      {"pinkyup", 6, {0, 11, 4, 11, 7, 11}},
      {"pinkyupdown", 10, {0, 11, 4, 11, 7, 11, 7, 11, 4, 11}},
      {"thumbup", 6, {0, 4, 0, 7, 0, 11}},
      {"thumbupdown", 10, {0, 4, 0, 7, 0, 11, 0, 7, 0, 4}},
  };
  /* The engine's arp with each name ("up&down" cannot be written in the
     mini-notation, whose words exclude '&'). */
  pat_store *store = pat_store_new();
  pat_error error;
  const pat_pattern *chord = pat_parse(store, "[0,4,7,11]", 10, 1, 1, &error);
  for (size_t m = 0; m < sizeof modes / sizeof modes[0]; ++m) {
    pat_value name = {.kind = PAT_VALUE_STRING, .str = modes[m].mode};
    const pat_pattern *p = pat_arp(store, pat_pure(store, name), chord);
    pat_arena arena;
    pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
    const pat_event *events;
    int n = (int)pat_query(p, (pat_arc){pat_rat_int(0), pat_rat_int(1)}, &arena, &events);
    ck_assert_msg(n == modes[m].count, "%s: %d notes, not %d", modes[m].mode, n, modes[m].count);
    for (int j = 0; j < n; ++j)
      ck_assert_msg(pat_rat_cmp(events[j].whole.begin, pat_rat_make(j, n, &(bool){false})) == 0 &&
                        events[j].value.number == modes[m].notes[j],
                    "%s note %d: %g", modes[m].mode, j, events[j].value.number);
  }
  pat_store_free(store);
  /* On an output line, the names patterned, one a cycle. */
  assert_plays("arp \"<converge pinkyupdown>\" $ note \"[0,4,7,11]\" # s \"~x\"", 0, 2,
               "0 0, 1/4 11, 1/2 4, 3/4 7, 1 0, 11/10 11, 6/5 4, 13/10 11, 7/5 7, 3/2 11, "
               "8/5 7, 17/10 11, 9/5 4, 19/10 11");
  /* A single note: updown's init [x] leaves nothing; an unknown name is up. */
  assert_plays("arp \"<updown nonsense>\" $ note \"0 [4,7]\" # s \"~x\"", 0, 2,
               "1/2 4, 3/4 7, 1 0, 3/2 4, 7/4 7");
}
END_TEST

START_TEST(ply_with_and_stut_with_compound_f_on_each_copy) {
  /* Tidal's plyWith 3 (|* gain 0.8): each event three times, f applied 0, 1, 2 times. */
  assert_plays("plyWith 3 (|* gain 0.8) $ s \"~x ~x\" # note \"0 7\"", 0, 1,
               "0 0 1, 1/6 0 0.8, 1/3 0 0.64, 1/2 7 1, 2/3 7 0.8, 5/6 7 0.64");
  /* Patterned counts (innerJoin): 2 copies in cycle 0, 3 in cycle 1. */
  assert_plays("plyWith \"<2 3>\" (|+ note 12) $ s \"~x\" # note 0", 0, 2,
               "0 0, 1/2 12, 1 0, 4/3 12, 5/3 24");
  assert_plays("stutWith \"<2 3>\" (1/8) (|+ note 12) $ s \"~x\" # note 0", 0, 3,
               "0 0, 1/8 12, 1 0, 9/8 12, 5/4 24, 2 0, 17/8 12");
}
END_TEST

START_TEST(rolled_by_takes_a_pattern_read_once_a_cycle) {
  /* rolledWith (-0.5) reverses the chord, each note 1/6 later. */
  assert_plays("rolledBy \"<0.5 -0.5>\" $ note \"[0,4,7]\" # s \"~x\"", 0, 2,
               "0 0, 1/6 4, 1/3 7, 1 7, 7/6 4, 4/3 0");
}
END_TEST

START_TEST(rot_moves_values_over_the_structure) {
  /* Tidal's documentation: rot 1 "a ~ b c" is "b ~ c a". */
  assert_plays("rot 1 $ s \"~x ~ ~x ~x\" # note \"0 ~ 4 7\"", 0, 1, "0 4, 1/2 7, 3/4 0");
  assert_plays("rot (-1) $ s \"~x ~ ~x ~x\" # note \"0 ~ 4 7\"", 0, 1, "0 7, 1/2 0, 3/4 4");
  /* rot "<0 0 1 3>" $ n "0 ~ 1 2 0 2 ~ 3*2": by one in cycle 2, by three in cycle 3. */
  const char *doc = "rot \"<0 0 1 3>\" $ note \"0 ~ 1 2 0 2 ~ 3*2\" # s \"~x\"";
  assert_plays(doc, 0, 1, "0 0, 1/4 1, 3/8 2, 1/2 0, 5/8 2, 7/8 3, 15/16 3");
  assert_plays(doc, 2, 3, "2 1, 9/4 2, 19/8 0, 5/2 2, 21/8 3, 23/8 3, 47/16 0");
  assert_plays(doc, 3, 4, "3 0, 13/4 2, 27/8 3, 7/2 3, 29/8 0, 31/8 1, 63/16 2");
  /* fast "1 1 1" cuts each event at thirds: Tidal joins the fragments of an
     event first (defragParts), so two events rotate, not four fragments. */
  assert_plays("rot 1 $ note (fast \"1 1 1\" \"0 4\") # s \"~x\"", 0, 1, "0 4, 1/2 0");
  /* Events sharing a part sort by value (Tidal's Ord): [0, 4, 7] -> [4, 7, 0]. */
  assert_plays("rot 1 $ note \"[0,4] 7\" # s \"~x\"", 0, 1, "0 4, 0 7, 1/2 0");
}
END_TEST

START_TEST(shuffle_plays_tidals_random_permutations) {
  /* randrun 4 of cycle c orders 0 .. 3 by Tidal's timeToRands c 4 (its
     64-bit xorshift; cycle 0 seeded by 9999999): worked out separately,
     cycle 0 [3 2 0 1], 1 [3 1 2 0], 2 [0 3 2 1], 3 [1 3 0 2]. */
  assert_plays("shuffle 4 $ note \"0 1 2 3\" # s \"~x\"", 0, 4,
               "0 3, 1/4 2, 1/2 0, 3/4 1, 1 3, 5/4 1, 3/2 2, 7/4 0, "
               "2 0, 9/4 3, 5/2 2, 11/4 1, 3 1, 13/4 3, 7/2 0, 15/4 2");
  /* Each part plays once a cycle, whatever the pattern inside it. */
  heard got[64];
  for (int c = 0; c < 8; ++c) {
    int n = play("shuffle 8 $ note \"0 .. 7\" # s \"~x\"", c, c + 1, got, 64);
    ck_assert_int_eq(n, 8);
    int seen = 0;
    for (int i = 0; i < n; ++i)
      seen |= 1 << (int)lround(got[i].note);
    ck_assert_msg(seen == 0xff, "cycle %d is not a permutation", c);
  }
}
END_TEST

START_TEST(fit_steps_through_the_list_each_cycle) {
  /* Tidal's documentation: fit 3 [bd, sn, arpy, arpy:1, casio] "0 [~ 1] 2 1"
     is "bd [~ sn] arpy sn", then "arpy:1 [~ casio] bd casio". */
  assert_plays("note (fit 3 [0, 1, 2, 3, 4] \"0 [~ 1] 2 1\") # s \"~x\"", 0, 2,
               "0 0, 3/8 1, 1/2 2, 3/4 1, 1 3, 11/8 4, 3/2 0, 7/4 4");
  assert_plays("note (fit \"<1 2>\" [0, 1, 2] \"0 1\") # s \"~x\"", 0, 2, "0 0, 1/2 1, 1 2, 3/2 0");
}
END_TEST

START_TEST(select_chooses_a_pattern_by_a_float) {
  /* Tidal's _select f ps = ps !! floor (clamp 0 1 f * (length ps - 1)). */
  assert_plays("note (select \"<0 0.5 1>\" [\"0 1\", \"5\", \"7 8 9\"]) # s \"~x\"", 0, 3,
               "0 0, 1/2 1, 1 5, 2 7, 7/3 8, 8/3 9");
  /* innerJoin: the chosen pattern's own events, inside each index event. */
  assert_plays("note (select \"0 1\" [\"0 1\", \"5\", \"7 8 9\"]) # s \"~x\"", 0, 1, "0 0, 2/3 9");
  /* selectF: floor (clamp 0 0.999999 f * length fs), so 0.5 and 1 both pick the second. */
  assert_plays("selectF \"<0 0.5 1>\" [rev, (|+ note 12)] $ note \"0 7\" # s \"~x\"", 0, 3,
               "0 7, 1/2 0, 1 12, 3/2 19, 2 12, 5/2 19");
}
END_TEST

START_TEST(ghost_adds_two_quieter_copies_and_their_ghost) {
  /* ghost = ghost' 0.125: copies 1.5 and 2.5 eighths later at gain 0.7, the
     second layer's copy of the first at 0.49 (from the previous cycle at 0).
     |*| gain 0.7 takes its structure from both sides, so the first copy,
     [11/16, 19/16), is cut at the cycle (Tidal's appBoth with pure): its
     part from 1 is an event of its own, copied 5/16 later. */
  assert_plays("ghost $ s \"~ ~x\" # note 0", 0, 1,
               "0 0 0.49, 5/16 0 0.49, 1/2 0 1, 11/16 0 0.7, 13/16 0 0.7");
  /* The ghosts also get end 0.2 and speed 1.25 (the first event is the original). */
  prog_program *p = compile_ok("d1 $ ghost $ s \"~ sn\"");
  const pat_event *events;
  size_t n = query_output(p, 0, 1, 2, PAT_NOTES_STRUDEL, &events);
  int ghosts = 0;
  for (size_t i = 0; i < n; ++i) {
    const pat_controls *map = events[i].value.controls;
    if (pat_rat_cmp(events[i].part.begin, events[i].whole.begin) != 0)
      continue; /* a fragment, not an onset */
    bool ghost = pat_controls_has(map, PAT_CONTROL_END);
    ck_assert(!ghost || (pat_controls_number(map, PAT_CONTROL_END, 0) == 0.2 &&
                         pat_controls_number(map, PAT_CONTROL_SPEED, 0) >= 1.25));
    ghosts += ghost;
  }
  ck_assert_int_eq(ghosts, 4);
  prog_free(p);
  assert_plays("ghostWith (1/16) (|+ note 12) $ s \"~x ~\" # note 0", 0, 1,
               "0 0, 3/32 12, 5/32 12, 8/32 24");
}
END_TEST

START_TEST(ntake_counts_the_lines_events) {
  /* Tidal: each event played takes the next value. Here the k-th of the m
     onsets of cycle c takes xs[(c * m + k) mod length]: Tidal's count when
     every cycle has m events and play began at cycle 0. */
  assert_plays("s \"~x(5,8)\" # nTake \"susan\" [0 .. 6]", 0, 2,
               "0 0, 1/4 1, 3/8 2, 5/8 3, 3/4 4, 1 5, 5/4 6, 11/8 0, 13/8 1, 7/4 2");
  /* An operator other than # combines as usual: n |+ the taken value. */
  assert_plays("s \"~x*3\" # n \"0 1 2\" |+ nTake \"a\" [0, 12]", 0, 2,
               "0 0, 1/3 13, 2/3 2, 1 12, 4/3 1, 5/3 14");
  /* Alone, one event a cycle. */
  assert_plays("nTake \"a\" [0, 7] # s \"~x\"", 0, 3, "0 0, 1 7, 2 0");
  /* Haskell's [a .. b]; an endless [a ..] is refused. */
  assert_plays("note \"0*3\" |+ note (fit 0 [2 .. 4] \"0 1 2\") # s \"~x\"", 0, 1,
               "0 2, 1/3 3, 2/3 4");
  prog_error e = compile_error("d1 $ s \"x\" # nTake \"a\" [0 ..]\n");
  ck_assert_msg(e.line == 1 && e.column == 29 && strstr(e.message, "endless"), "%d:%d %s", e.line,
                e.column, e.message);
}
END_TEST

/* Tidal's documentation examples, pasted unchanged (with d1), must compile. */
START_TEST(tidals_documented_examples_compile) {
  static const char *const examples[] = {
      "d1 $ rot \"<0 0 1 3>\" $ n \"0 ~ 1 2 0 2 ~ 3*2\" # sound \"drum\"",
      "d1 $ every 4 (rot 2) $ slow 2 $ sound \"bd hh hh hh\"",
      "d1 $ sound \"superpiano\" # n (arp \"<up down diverge>\" \"<a'm9'8 e'7sus4'8>\")",
      "d1 $ n (arp \"<up down diverge>\" \"<a'm9'8 e'7sus4'8>\") # sound \"superpiano\"",
      "d1 $ plyWith 3 (|* gain 0.8) $ s \"a b c\"",
      "d1 $ plyWith \"<2 3>\" (|* gain 0.8) $ s \"bd sn\"",
      "d1 $ stack [ ghost $ sound \"~ sn\", sound \"bd*2 [~ bd]\" ]",
      "d1 $ stack [ ghost' 0.125 $ sound \"~ sn\", sound \"bd*2 [~ bd]\" ]",
      "d1 $ sound $ shuffle 3 \"bd sn hh\"",
      "d1 $ sound $ scramble 3 \"bd sn hh\"",
      "d1 $ sound (fit 3 [\"bd\", \"sn\", \"arpy\", \"arpy:1\", \"casio\"] \"0 [~ 1] 2 1\")",
      "d1 $ trunc 0.75 $ sound \"bd sn*2 cp hh*4 arpy bd*2 cp bd*2\"",
      "d1 $ trunc \"<0.75 0.25 1>\" $ sound \"bd sn:2 [mt rs] hc\"",
      "d1 $ linger \"<0.75 0.25 1>\" $ sound \"bd sn:2 [mt rs] hc\"",
      "d1 $ linger (-0.25) $ sound \"bd sn*2 cp hh*4 arpy bd*2 cp bd*2\"",
      "d1 $ every 4 (linger 0.25) $ n \"0 2 [3 4] 2\" # sound \"arpy\"",
      "d1 $ whenmod 8 4 (fast 2) (sound \"bd sn kurt\")",
      "d1 $ chunk 4 (# speed 2) $ sound \"bd hh sn cp\"",
      "d1 $ chunk 4 (hurry 2) $ sound \"bd sn:2 [~ bd] sn:2\"",
      "d1 $ chunk 4 (fast 4) $ sound \"cp sn arpy [mt lt]\"",
      "d1 $ rolledBy \"<1 -0.5 0.25 -0.125>\" $ note \"c'maj9\" # s \"superpiano\"",
      "d1 $ stutWith 3 (1/3) (# vowel \"a\") $ sound \"bd sn\"",
      "d1 $ slow 2 $ ghostWith (1/16) ((|*| gain 1.1) . (|> begin 0.05)) $ sound \"sn\"",
      "d1 $ pickF \"<0 1 2>\" [rev, fast 2, (# speed 2)] $ sound \"bd [~ sn]\"",
      "d1 $ sound (squeeze \"<0 [1 0]>\" [\"bd sn:2\", \"jvbass*3\"])",
      "d1 $ sound (select \"<0 0.5 1>\" [\"bd sn\", \"arpy*2 cp\", \"hh*4\"])",
      "d1 $ sound \"alphabet(5,8)\" # nTake \"susan\" [0 .. 4]",
      "d1 $ sound \"alphabet(5,8)\" # nTake \"susan\" [7]",
  };
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; ++i) {
    prog_program *p = compile_ok(examples[i]);
    query_cycle(p, 3);
    prog_free(p);
  }
}
END_TEST

START_TEST(misuse_says_where_and_what) {
  assert_error("d1 $ pickF 1 [rev, 3] $ s \"x\"\n", 1, 20, "function");
  assert_error("d1 $ s (fit 1 [\"bd\", s \"sn\"] \"0 1\")\n", 1, 22, "values");
  assert_error("d1 $ note (ghost \"0 1\")\n", 1, 12, "needs events");
  assert_error("d1 $ note (select 0.5 \"0 1\")\n", 1, 23, "list");
}
END_TEST

int main(void) {
  Suite *s = suite_create("program_reorder");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, arp_plays_each_of_tidals_modes);
  tcase_add_test(tc, ply_with_and_stut_with_compound_f_on_each_copy);
  tcase_add_test(tc, rolled_by_takes_a_pattern_read_once_a_cycle);
  tcase_add_test(tc, rot_moves_values_over_the_structure);
  tcase_add_test(tc, shuffle_plays_tidals_random_permutations);
  tcase_add_test(tc, fit_steps_through_the_list_each_cycle);
  tcase_add_test(tc, select_chooses_a_pattern_by_a_float);
  tcase_add_test(tc, ghost_adds_two_quieter_copies_and_their_ghost);
  tcase_add_test(tc, ntake_counts_the_lines_events);
  tcase_add_test(tc, tidals_documented_examples_compile);
  tcase_add_test(tc, misuse_says_where_and_what);
  suite_add_tcase(s, tc);
  return check_run(s);
}
