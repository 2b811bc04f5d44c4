/* Tidal's control matching (fix, unfix, contrast), long-form composition
   (ur, seqP, seqPLoop) and wchooseBy. Strudel has none of them, so each is
   checked against Tidal's definitions and documented examples worked out by
   hand: the onsets of a line, as text, against the events Tidal gives. */
#include "test_program_util.h"

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The onsets of `line` (after "d1 $ ") in cycles [from, to) as
   "begin-end sound control=value ...", sorted and joined by "; ". */
static const char *onsets(const char *line, int from, int to) {
  static char result[4096];
  static char descriptions[256][96];
  const char *sorted[256];
  char text[2048];
  snprintf(text, sizeof text, "~x $ saw\n~y $ square\nd1 $ %s\n", line);
  prog_program *p = compile_ok(text);
  const pat_event *events;
  size_t n = query_output(p, 0, from, to, PAT_NOTES_TIDAL, &events);
  ck_assert_msg(!test_arena.overflow, "%s overflowed", line);
  int count = 0;
  for (size_t i = 0; i < n; ++i) {
    const pat_event *e = &events[i];
    if (e->analog || pat_rat_cmp(e->part.begin, e->whole.begin) != 0)
      continue;
    ck_assert_int_lt(count, 256);
    char begin[32], end[32];
    pat_rat_format(e->whole.begin, begin, sizeof begin);
    pat_rat_format(e->whole.end, end, sizeof end);
    char *d = descriptions[count];
    int used = snprintf(d, 96, "%s-%s", begin, end);
    ck_assert_int_eq(e->value.kind, PAT_VALUE_CONTROLS);
    const pat_controls *m = e->value.controls;
    if (pat_controls_has(m, PAT_CONTROL_S))
      used += snprintf(d + used, (size_t)(96 - used), " %s", pat_controls_string(m, PAT_CONTROL_S));
    const pat_control shown[] = {PAT_CONTROL_N,    PAT_CONTROL_NOTE, PAT_CONTROL_SPEED,
                                 PAT_CONTROL_GAIN, PAT_CONTROL_PAN,  PAT_CONTROL_SHAPE};
    for (size_t k = 0; k < sizeof shown / sizeof shown[0]; ++k)
      if (pat_controls_has(m, shown[k]))
        used += snprintf(d + used, (size_t)(96 - used), " %s=%g", pat_control_name(shown[k]),
                         pat_controls_number(m, shown[k], 0));
    sorted[count] = d;
    count++;
  }
  qsort(sorted, (size_t)count, sizeof sorted[0], compare_strings);
  result[0] = '\0';
  for (int i = 0; i < count; ++i) {
    if (i)
      strcat(result, "; ");
    strcat(result, sorted[i]);
  }
  prog_free(p);
  return result;
}

/* `text`'s "; "-separated items, sorted as onsets() sorts them. */
static const char *sorted(const char *text) {
  static char copy[4096], result[4096];
  const char *items[256];
  int count = 0;
  snprintf(copy, sizeof copy, "%s", text);
  for (char *item = copy; *item && count < 256;) {
    items[count++] = item;
    char *end = strstr(item, "; ");
    if (!end)
      break;
    *end = '\0';
    item = end + 2;
  }
  qsort(items, (size_t)count, sizeof items[0], compare_strings);
  result[0] = '\0';
  for (int i = 0; i < count; ++i) {
    if (i)
      strcat(result, "; ");
    strcat(result, items[i]);
  }
  return result;
}

/* The onsets of `line`, in any order, are the items of `expected`. */
#define ASSERT_ONSETS(line, from, to, expected)                                                    \
  do {                                                                                             \
    char got[4096];                                                                                \
    snprintf(got, sizeof got, "%s", onsets(line, from, to));                                       \
    ck_assert_msg(strcmp(got, sorted(expected)) == 0, "%s\ngave     %s\nexpected %s", line, got,   \
                  sorted(expected));                                                               \
  } while (0)

START_TEST(inhabit_squeezes_the_named_patterns) {
  /* Tidal: inhabit ps p = squeezeJoin $ (\s -> fromMaybe silence $ lookup s ps) <$> p:
     each word's pattern squeezed into the word's event */
  ASSERT_ONSETS("inhabit [(\"a\", s \"~x*2\"), (\"b\", s \"~y\")] \"a b\"", 0, 1,
                "0-1/4 ~x; 1/4-1/2 ~x; 1/2-1 ~y");
  /* a name the list lacks is silence; the first of a repeated name wins */
  ASSERT_ONSETS("inhabit [(\"a\", s \"~x\"), (\"a\", s \"~y\")] \"a c <a b>\"", 0, 2,
                "0-1/3 ~x; 2/3-1 ~x; 1-4/3 ~x");
  /* patterns of numbers, the words patterned */
  ASSERT_ONSETS("n (inhabit [(\"lo\", \"0 1\"), (\"hi\", \"12\")] \"<lo hi> lo\") # s \"~x\"", 0, 2,
                "0-1/4 ~x n=0; 1/4-1/2 ~x n=1; 1/2-3/4 ~x n=0; 3/4-1 ~x n=1; 1-3/2 ~x n=12; "
                "3/2-7/4 ~x n=0; 7/4-2 ~x n=1");
}
END_TEST

START_TEST(stripe_and_smooth_follow_tidal) {
  /* Tidal's own timeToRand (64-bit xorwise, worked in Haskell's Int): not
     Strudel's 32-bit one (0.2604806162416935 at 1/2) */
  ck_assert_double_eq_tol(pat_tidal_time_to_rand(pat_rat_make(1, 2, NULL)), 0.2591378428041935,
                          1e-15);
  ck_assert_double_eq_tol(pat_tidal_time_to_rand(pat_rat_int(1)), 0.5177721455693245, 1e-15);
  /* stripe 2: stripe x of cycle c weighs [1,2,3] !! floor (3 * timeToRand
     (c + x/2 + 1/2)): cycle 0 [1, 2] (rand 0.259, 0.518), cycle 1 [2, 1]
     (0.401, 0.036); stripe i plays cycle c - 2i of the pattern */
  ASSERT_ONSETS("stripe 2 $ n \"<0 1 2> 5\" # s \"~x\"", 0, 2,
                "0-1/6 ~x n=0; 1/6-1/3 ~x n=5; 1/3-2/3 ~x n=1; 2/3-1 ~x n=5; "
                "1-4/3 ~x n=1; 4/3-5/3 ~x n=5; 5/3-11/6 ~x n=2; 11/6-2 ~x n=5");
  /* slowstripe 3 = slow 3 . stripe 3: cycle 0's weights [1, 3, 3] */
  ASSERT_ONSETS("slowstripe 3 $ s \"~x\"", 0, 3, "0-3/7 ~x; 3/7-12/7 ~x; 12/7-3 ~x");
  /* smooth "1 2": 1 to 2 over the first half, back to 1 (the next cycle's
     first) over the second; sampled at each quarter's middle */
  ASSERT_ONSETS("n (segment 4 $ smooth \"1 2\") # s \"~x\"", 0, 1,
                "0-1/4 ~x n=1.25; 1/4-1/2 ~x n=1.75; 1/2-3/4 ~x n=1.75; 3/4-1 ~x n=1.25");
  /* interlace a b = weave 16 (shape (sine * 0.9)) [a, b]: a's shape 0.9 *
     sine over 16 cycles at each whole's middle, b's half a period on */
  ASSERT_ONSETS("interlace (s \"~x\") (s \"~y\")", 0, 2,
                "0-1 ~x shape=0.537791; 0-1 ~y shape=0.362209; 1-2 ~x shape=0.700007; "
                "1-2 ~y shape=0.199993");
  /* a rest after an event: its value unchanged; no event in the rest */
  ASSERT_ONSETS("n (segment 3 $ smooth \"0 ~ 1\") # s \"~x\"", 0, 1,
                "0-1/3 ~x n=0; 2/3-1 ~x n=0.5");
  /* Tidal's documented example: pan at each bd's whole's middle, t / 4 */
  ASSERT_ONSETS("s \"~x*4\" # pan (slow 4 $ smooth \"0 1 0.5 1\")", 1, 2,
                "1-5/4 ~x pan=0.9375; 5/4-3/2 ~x pan=0.8125; 3/2-7/4 ~x pan=0.6875; "
                "7/4-2 ~x pan=0.5625");
}
END_TEST

START_TEST(fix_applies_its_function_to_the_matching_events_only) {
  /* Tidal: fix f test = contrast f id test; the hh events alone go through
     fast 2 (the pattern of them, squeezed), the others stay. */
  ASSERT_ONSETS("fix (fast 2) (s \"~y\") $ s \"~x ~y\"", 0, 1, "0-1/2 ~x; 1/4-1/2 ~y; 3/4-1 ~y");
  /* a test with several controls needs all of them; n "1" as a number */
  ASSERT_ONSETS("fix (# speed 2) (n 1) $ s \"~x*4\" # n \"0 1 2 1\"", 0, 1,
                "0-1/4 ~x n=0; 1/2-3/4 ~x n=2; 1/4-1/2 ~x n=1 speed=2; 3/4-1 ~x n=1 speed=2");
  ASSERT_ONSETS("fix (# speed 2) (s \"~x\" # n 1) $ s \"~x ~y\" # n 1", 0, 1,
                "0-1/2 ~x n=1 speed=2; 1/2-1 ~y n=1");
  /* Tidal's older map literal: a list of (control, value) pairs */
  ASSERT_ONSETS("fix (# speed 2) [(\"n\", 1), (\"s\", \"~y\")] $ s \"~x [~y ~y]\" # n \"1 [1 2]\"",
                0, 1, "0-1/2 ~x n=1; 1/2-3/4 ~y n=1 speed=2; 3/4-1 ~y n=2");
  /* the test is a pattern, read at each event's start: n "<0 1>" */
  ASSERT_ONSETS("fix (# speed 2) (n \"<0 1>\") $ s \"~x*2\" # n \"0 1\"", 0, 2,
                "0-1/2 ~x n=0 speed=2; 1-3/2 ~x n=0; 1/2-1 ~x n=1; 3/2-2 ~x n=1 speed=2");
  /* unfix: the function on the others */
  ASSERT_ONSETS("unfix (# speed 2) (n 1) $ s \"~x*4\" # n \"0 1 2 1\"", 0, 1,
                "0-1/4 ~x n=0 speed=2; 1/2-3/4 ~x n=2 speed=2; 1/4-1/2 ~x n=1; 3/4-1 ~x n=1");
}
END_TEST

START_TEST(contrast_splits_events_between_two_functions) {
  /* Tidal's documentation: every note that is not middle c goes down an
     octave, middle c up one: contrast (|+ n 12) (|- n 12) (n "c") $ n (run 4) */
  ASSERT_ONSETS("contrast (|+ n 12) (|- n 12) (n \"c\") $ n (run 4) # s \"~x\"", 0, 1,
                "0-1/4 ~x n=12; 1/2-3/4 ~x n=-10; 1/4-1/2 ~x n=-11; 3/4-1 ~x n=-9");
  /* ... and the test alternating between cycles, as documented */
  ASSERT_ONSETS("contrast (|+ n 12) (|- n 12) (s \"<~x ~y>\") $ s \"~x ~y\" # n 0", 0, 2,
                "0-1/2 ~x n=12; 1-3/2 ~x n=-12; 1/2-1 ~y n=-12; 3/2-2 ~y n=12");
  /* the example: contrast (# speed 2) (# speed 0.5) (n "1") */
  ASSERT_ONSETS("contrast (# speed 2) (# speed 0.5) (n \"1\") $ s \"~x*2\" # n \"1 2\"", 0, 1,
                "0-1/2 ~x n=1 speed=2; 1/2-1 ~x n=2 speed=0.5");
}
END_TEST

START_TEST(ur_plays_named_patterns_over_its_period) {
  /* ur 4 "a b": a for cycles 0-1, b for 2-3, each at its own speed (Tidal
     makes each named pattern fast 4 under the outer slow 4). */
  ASSERT_ONSETS("ur 4 \"a b\" [(\"a\", s \"~x*2\"), (\"b\", s \"~y\")] []", 0, 4,
                "0-1/2 ~x; 1-3/2 ~x; 1/2-1 ~x; 2-3 ~y; 3-4 ~y; 3/2-2 ~x");
  /* "b:double": rotR 1/2 (inside 2 (fast 2) (fast 4 b)) in ur's frame, so b
     plays twice as fast in its cycles; a function name not in the table
     leaves the pattern as is (moved to the outer event's start) */
  ASSERT_ONSETS("ur 4 \"a b:double\" [(\"a\", s \"~x\"), (\"b\", s \"~y\")] "
                "[(\"double\", fast 2)]",
                0, 4, "0-1 ~x; 1-2 ~x; 2-5/2 ~y; 3-7/2 ~y; 5/2-3 ~y; 7/2-4 ~y");
  ASSERT_ONSETS("ur 2 \"a:nothing\" [(\"a\", s \"~x\")] []", 0, 2, "0-1 ~x; 1-2 ~x");
  /* a function on controls, several names at once, and a name not in the
     list (silence): Tidal's third documented example, shortened */
  ASSERT_ONSETS("ur 3 \"[a, b] c b:higher\" [(\"a\", s \"~x\"), (\"b\", s \"~y\")] "
                "[(\"higher\", (# speed 2))]",
                0, 3, "0-1 ~x; 0-1 ~y; 2-3 ~y speed=2");
  /* the outer events cut the named ones: a's whole, cycles 0-2 of ~x/2
     (0-1 in ur's frame), meets its outer event (1/2-1) in their
     intersection, so it starts there (Tidal's unwrap) */
  ASSERT_ONSETS("ur 2 \"b a\" [(\"a\", s \"~x/2\"), (\"b\", s \"~y\")] []", 0, 2, "0-1 ~y; 1-2 ~x");
  /* ur repeats after its period */
  ASSERT_ONSETS("ur 2 \"a b\" [(\"a\", s \"~x\"), (\"b\", s \"~y\")] []", 4, 6, "4-5 ~x; 5-6 ~y");
}
END_TEST

START_TEST(seqp_plays_each_pattern_between_its_begin_and_end) {
  /* Tidal's documentation's seqP, over cycles 3 to 9: bd from 0, hh from 4
     (its own cycle 0 moved to 4), nothing after 12 */
  ASSERT_ONSETS("seqP [(0, 12, s \"~x\"), (4, 12, s \"~y*2\"), (8, 12, s \"~x*3\" # n 1)]", 3, 9,
                "3-4 ~x; 4-5 ~x; 4-9/2 ~y; 5-6 ~x; 6-7 ~x; 7-8 ~x; 8-25/3 ~x n=1; 8-9 ~x; "
                "9/2-5 ~y; 5-11/2 ~y; 6-13/2 ~y; 7-15/2 ~y; 11/2-6 ~y; 13/2-7 ~y; 15/2-8 ~y; "
                "8-17/2 ~y; 17/2-9 ~y; 25/3-26/3 ~x n=1; 26/3-9 ~x n=1");
  ASSERT_ONSETS("seqP [(0, 2, s \"~x\")]", 2, 4, "");
  /* a fractional begin: sam b ~> p, played from b (the onset at 1 is before it) */
  ASSERT_ONSETS("seqP [(1.5, 3, s \"~x*2\")]", 0, 4, "3/2-2 ~x; 2-5/2 ~x; 5/2-3 ~x");
}
END_TEST

START_TEST(seqp_loop_repeats_from_the_first_begin_to_the_last_end) {
  /* seqPLoop: timeLoop (3 - 1) $ 1 <~ seqP ps: cycles 1 and 2 again and again */
  ASSERT_ONSETS("seqPLoop [(1, 2, s \"~x\"), (2, 3, s \"~y*2\")]", 0, 4,
                "0-1 ~x; 1-3/2 ~y; 2-3 ~x; 3-7/2 ~y; 3/2-2 ~y; 7/2-4 ~y");
  ASSERT_ONSETS("seqPLoop [(0, 2, s \"<~x ~y ~x>\")]", 10, 12, "10-11 ~x; 11-12 ~y");
  ASSERT_ONSETS("seqPLoop [(1, 1, s \"~x\")]", 0, 2, "");
}
END_TEST

START_TEST(wchoose_by_picks_by_the_given_pattern_and_weights) {
  /* wchooseBy f [(0, 0.25), (2, 0.5), (3, 0.25)]: 0 below 0.25, 2 below 0.75, then 3 */
  ASSERT_ONSETS("s \"~x*4\" # n (wchooseBy \"0 0.3 0.74 0.9\" [(0,0.25),(2,0.5),(3,0.25)])", 0, 1,
                "0-1/4 ~x n=0; 1/2-3/4 ~x n=2; 1/4-1/2 ~x n=2; 3/4-1 ~x n=3");
}
END_TEST

START_TEST(tidal_documented_examples_compile_unchanged) {
  const char *const examples[] = {
      "d1 $ contrast (|+ n 12) (|- n 12) (n \"c\") $ n (run 4) # s \"superpiano\"\n",
      "d1 $ contrast (|+ n 12) (|- n 12) (s \"<superpiano superchip>\") $ s \"superpiano "
      "superchip\" # n 0\n",
      "d1 $ seqP [\n  (0, 12, sound \"bd bd*2\"),\n  (4, 12, sound \"hh*2 [sn cp] cp "
      "future*4\")\n]\n",
      "d1 $ seqPLoop [\n  (0, 12, sound \"bd bd*2\"),\n  (4, 12, sound \"hh*2 [sn cp] cp "
      "future*4\")\n]\n",
      "d1 $ ur 8 \"[drums, melody] [drums,craziness,melody] melody:higher\" [(\"drums\", s "
      "\"drum cp*2\"),\n    (\"melody\", s \"arpy:2 arpy:3 arpy:5\"),\n    (\"craziness\", s "
      "\"cp:4*8\" # speed ( sine + 0.5))\n   ] [(\"higher\", (# speed 2))]\n",
      "d1 $ slow 2\n   $ fix (# crush 4) (n \"[1,4]\")\n   $ n \"0 1 2 3 4 5 6\"\n   # sound "
      "\"drum\"\n",
      "d1 $ ur 12 \"a b:reverb c:faster\" [(\"a\", s \"bd*2\"), (\"b\", s \"sn\"), (\"c\", s "
      "\"hh\")] [(\"reverb\", (# (room 0.8 # sz 0.99 # orbit 1))),\n          (\"faster\", "
      "fast 2)\n         ]\n",
      "d1 $ slow 3 $ spin 4 $ sound \"drum*3 tabla:4 [arpy:2 ~ arpy] [can:2 can:3]\"\n",
      "d1 $ weave 16 (pan sine)\n  [sound \"bd sn cp\",\n   sound \"casio casio:1\",\n   sound "
      "\"[jvbass*2 jvbass:2]/2\",\n   sound \"hc*4\"\n  ]\n",
      "d1 $ weaveWith 3 (sound \"bd [sn drum:2*2] bd*2 [sn drum:1]\")\n  [fast 2,\n   (# speed "
      "\"0.5\"),\n   chop 16\n  ]\n",
      "d1 $ struct (every 3 inv \"t f t*2 f\") $ sound \"cp\"\n",
      "d1 $ stripe 3 $ sound \"bd sd ~ [mt ht]\"\nd2 $ sound \"cp\"\n",
      "d1 $ sound \"bd*4\" # pan (slow 4 $ smooth \"0 1 0.5 1\")\n",
      "d1 $ sound \"bd*8\" # pan (slowstripe 2 $ smooth \"0 1\")\n",
      "d1 $ interlace (sound  \"bd sn kurt\") (every 3 rev $ sound  \"bd sn:2\")\n",
      "d1 $ s (step \"sn\" \"x x 12 \")\n",
      "d1 $ sound (\"bd sn:2\" <> \"cp*3\")\n",
      "let pats = [(\"drums\", s \"drum cp*2\"),\n            (\"melody\", s \"arpy:2 arpy:3 "
      "arpy:5\"),\n            (\"craziness\", s \"cp:4*8\" # speed ( sine + 0.5))\n           "
      "]\n    fx = [(\"higher\", (# speed 2))]\nin\nd1 $ ur 8 \"[drums, melody] "
      "[drums,craziness,melody] melody:higher\" pats fx\n",
      "d1 $ layer [id, rev, fast 2] $ sound \"arpy [~ arpy:4]\"\n",
      "d1 $ spread ($) [density 2, rev, slow 2, striate 3, (# speed \"0.8\")] $ sound \"[bd*2 "
      "[~ bd]] [sn future]*2 cp jvbass*4\"\n",
      "d1 $ s (step' [\"superpiano\",\"supermandolin\"] \"0 1 000 1\") # sustain 4 # n 0\n",
      "d1 $ s (steps [(\"cp\",\"x  x x  x x  x\"),(\"bd\", \"xxxx\")])\n",
      "d1 $ sound \"drum ~ drum drum\" # n (wchooseBy \"0 0.5\" [(0,0.25),(2,0.5),(3,0.25)])\n",
  };
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; ++i)
    prog_free(compile_ok(examples[i]));
}
END_TEST

START_TEST(time_loops_and_shifts_follow_tidal) {
  /* loopFirst: cycle 0 everywhere; timeLoop n: the first n cycles again */
  ASSERT_ONSETS("loopFirst $ s \"<~x ~y>\"", 0, 3, "0-1 ~x; 1-2 ~x; 2-3 ~x");
  ASSERT_ONSETS("timeLoop 2 $ s \"<~x ~y ~x*2>\"", 0, 4, "0-1 ~x; 1-2 ~y; 2-3 ~x; 3-4 ~y");
  /* rotL and rotR are <~ and ~> */
  ASSERT_ONSETS("rotR 0.25 $ s \"~x ~y\"", 0, 1, "1/4-3/4 ~x; 3/4-5/4 ~y");
  ASSERT_ONSETS("rotL 0.25 $ s \"~x ~y\"", 0, 1, "1/4-3/4 ~y; 3/4-5/4 ~x");
  /* discretise is segment: saw read at the middle of each half */
  ASSERT_ONSETS("s \"~x*4\" # n (discretise 2 saw)", 0, 1,
                "0-1/4 ~x n=0.25; 1/4-1/2 ~x n=0.25; 1/2-3/4 ~x n=0.75; 3/4-1 ~x n=0.75");
  /* Tidal's documentation: stutter 4 (1/16) is stut 4 1 (1/16): four
     copies, each 1/16 later than the one before, at the same gain */
  ASSERT_ONSETS("stutter 4 (1/16) $ s \"~x ~y\"", 0, 1,
                "0-1/2 ~x; 1/16-9/16 ~x; 1/8-5/8 ~x; 3/16-11/16 ~x; 1/2-1 ~y; 9/16-17/16 ~y; "
                "5/8-9/8 ~y; 11/16-19/16 ~y");
  /* wedge t p p': p in the first t of the cycle, p' in the rest */
  ASSERT_ONSETS("wedge (1/4) (s \"~x*2\") (s \"~y*3\")", 0, 1,
                "0-1/8 ~x; 1/8-1/4 ~x; 1/4-1/2 ~y; 1/2-3/4 ~y; 3/4-1 ~y");
  ASSERT_ONSETS("wedge 0 (s \"~x*2\") (s \"~y\")", 0, 1, "0-1 ~y");
  /* spaceOut [1, 0.5]: a cycle at speed 1, then the same cycle at speed 2 */
  ASSERT_ONSETS("spaceOut [1, 0.5] $ s \"~x ~y\"", 0, 3,
                "0-1/2 ~x; 1/2-1 ~y; 1-5/4 ~x; 5/4-3/2 ~y; 3/2-2 ~x; 2-5/2 ~y; 5/2-11/4 ~x; "
                "11/4-3 ~y");
}
END_TEST

START_TEST(scan_and_the_equal_power_envelopes_follow_tidal) {
  /* scan 3: cat [run 1, run 2, run 3] */
  ASSERT_ONSETS(
      "n (scan 3) # s \"~x\"", 0, 3,
      "0-1 ~x n=0; 1-3/2 ~x n=0; 3/2-2 ~x n=1; 2-7/3 ~x n=0; 7/3-8/3 ~x n=1; 8/3-3 ~x n=2");
  /* envEq = sqrt (sin (pi/2 * (1 - t))), envEqR with cos, over cycle 0 */
  char expected[512], line[128];
  const char *names[2] = {"envEq", "envEqR"}, *quarters[5] = {"0", "1/4", "1/2", "3/4", "1"};
  for (int k = 0; k < 2; ++k) {
    int used = 0;
    for (int i = 0; i < 4; ++i) {
      double t = (2 * i + 1) / 8.0, angle = 1.5707963267948966 * (1 - t);
      used += snprintf(expected + used, sizeof expected - (size_t)used, "%s%s-%s ~x gain=%g",
                       i ? "; " : "", quarters[i], quarters[i + 1],
                       sqrt(k == 0 ? sin(angle) : cos(angle)));
    }
    snprintf(line, sizeof line, "s \"~x*4\" # gain (segment 4 %s)", names[k]);
    ASSERT_ONSETS(line, 0, 1, expected);
  }
}
END_TEST

START_TEST(spin_and_weave_layer_shifted_copies) {
  /* Tidal's _spin 2: the pattern, and a copy half a cycle earlier panned 0.5 */
  ASSERT_ONSETS("spin 2 $ s \"~x ~y\"", 0, 1,
                "0-1/2 ~x pan=0; 1/2-1 ~y pan=0; 0-1/2 ~y pan=0.5; 1/2-1 ~x pan=0.5");
  /* weaveWith t p fs = slow t $ stack [i/l <~ fast t (f_i (slow t p))]: the
     first function on p itself, the second (fast 2) one cycle earlier */
  ASSERT_ONSETS("weaveWith 2 (s \"~x ~y\") [(# n 1), fast 2]", 0, 2,
                "0-1 ~x n=1; 1-2 ~y n=1; 0-1/2 ~x; 1/2-1 ~y; 1-3/2 ~x; 3/2-2 ~y");
  /* weave t p [a, b]: p slowed by t under each, b's copy t/2 cycles on */
  ASSERT_ONSETS("weave 2 (n \"0 1\") [s \"~x\", s \"~y*2\"]", 0, 2,
                "0-1 ~x n=0; 1-2 ~x n=1; 0-1/2 ~y n=1; 1/2-1 ~y n=1; 1-3/2 ~y n=0; 3/2-2 ~y n=0");
}
END_TEST

START_TEST(step_sequences_names_from_characters) {
  /* Tidal's documentation: step "sn" "x x 12 " is "sn ~ sn ~ sn:1 sn:2 ~" */
  ASSERT_ONSETS("s (step \"sn\" \"x x 12 \")", 0, 1,
                "0-1/7 sn; 2/7-3/7 sn; 4/7-5/7 sn n=1; 5/7-6/7 sn n=2");
  /* step' picks by index, x the first; steps stacks rows */
  ASSERT_ONSETS("s (step' [\"bd\", \"sn:3\"] \"0 1x\")", 0, 1,
                "0-1/4 bd; 1/2-3/4 sn n=3; 3/4-1 bd");
  ASSERT_ONSETS("s (steps [(\"cp\", \"x x\"), (\"bd\", \"xx\")])", 0, 1,
                "0-1/3 cp; 2/3-1 cp; 0-1/2 bd; 1/2-1 bd");
}
END_TEST

START_TEST(semigroup_append_overlays_patterns) {
  /* Tidal's documentation: sound ("bd sn:2" <> "cp*3") is sound "[bd sn:2, cp*3]" */
  ASSERT_ONSETS("sound (\"bd sn:2\" <> \"cp*3\")", 0, 1,
                "0-1/2 bd; 1/2-1 sn n=2; 0-1/3 cp; 1/3-2/3 cp; 2/3-1 cp");
  /* tighter than # (Haskell's infixr 6 against #'s 1): ~x # (n 1 <> s ~y) */
  ASSERT_ONSETS("s \"~x\" # n 1 <> s \"~y*2\"", 0, 1, "0-1 ~x n=1; 0-1 ~y");
  /* looser than +, tighter than #; a section waits for the other side */
  ASSERT_ONSETS("(s \"~x\" <>) $ s \"~y\"", 0, 1, "0-1 ~x; 0-1 ~y");
  ASSERT_ONSETS("n (\"0\" + 1 <> \"5\") # s \"~x\"", 0, 1, "0-1 ~x n=1; 0-1 ~x n=5");
}
END_TEST

START_TEST(spread_dollar_applies_each_function_in_turn) {
  /* Tidal's spread ($) [f, g] p = cat [f p, g p]; spreadf is spread ($) */
  ASSERT_ONSETS("spread ($) [fast 2, rev, (# n 1)] $ s \"~x ~y\"", 0, 3,
                "0-1/4 ~x; 1/4-1/2 ~y; 1/2-3/4 ~x; 3/4-1 ~y; 1-3/2 ~y; 3/2-2 ~x; 2-5/2 ~x n=1; "
                "5/2-3 ~y n=1");
  ASSERT_ONSETS("spreadf [rev, fast 2] $ s \"~x ~y\"", 0, 2,
                "0-1/2 ~y; 1/2-1 ~x; 1-5/4 ~x; 5/4-3/2 ~y; 3/2-7/4 ~x; 7/4-2 ~y");
  ASSERT_ONSETS("fastspread ($) [id, (# n 2)] $ s \"~x\"", 0, 1, "0-1/2 ~x; 1/2-1 ~x n=2");
}
END_TEST

START_TEST(ncat_and_spread_choose_follow_tidal) {
  /* ncat [(1, a), (0, b), (2, c)] = seqPLoop [(0, 1, a), (1, 3, c)] */
  ASSERT_ONSETS("ncat [(1, s \"~x\"), (0, s \"~y\"), (2, s \"~y*2\")]", 0, 4,
                "0-1 ~x; 1-3/2 ~y; 3/2-2 ~y; 2-5/2 ~y; 5/2-3 ~y; 3-4 ~x");
  /* spreadChoose f vs p = do v <- _segment 1 (choose vs); f v p: the same
     choice each cycle as segment 1 (chooseBy rand [0, 1]) */
  char expected[4096];
  snprintf(expected, sizeof expected, "%s",
           onsets("s \"~x\" # n (segment 1 $ chooseBy rand [0, 1])", 0, 8));
  ASSERT_ONSETS("spreadChoose ($) [(# n 0), (# n 1)] $ s \"~x\"", 0, 8, expected);
  ASSERT_ONSETS("spreadr ($) [(# n 0), (# n 1)] $ s \"~x\"", 0, 8, expected);
  /* the chosen pattern's events are cut to the cycle (Tidal's unwrap) */
  ASSERT_ONSETS("spreadChoose ($) [id] $ s \"~x/2\"", 0, 2, "0-1 ~x; 1-2 ~x");
}
END_TEST

/* The onsets of output 0 of a whole program in cycles [from, to), as onsets() gives them. */
static size_t program_onsets(const char *text, int from, int to) {
  prog_program *p = compile_ok(text);
  size_t n = 0;
  for (int cycle = from; cycle < to; ++cycle)
    n += query_cycle(p, cycle);
  prog_free(p);
  return n;
}

START_TEST(let_binds_names_for_the_program) {
  /* Tidal's let: a name for a value, used as the value itself; a function
     applied to more arguments; several bindings on continuation lines; `in` */
  ck_assert_uint_eq(program_onsets("~x $ saw\nlet p = s \"~x*2\"\nd1 $ fast 2 p\n", 0, 1), 4);
  ck_assert_uint_eq(program_onsets("~x $ saw\nlet f = fast 2\nd1 $ f $ s \"~x*3\"\n", 0, 1), 6);
  ck_assert_uint_eq(
      program_onsets("~x $ saw\nlet pats = [(\"a\", s \"~x*2\"), (\"b\", s \"~x\")]\n"
                     "    fx = [(\"twice\", fast 2)]\nin\nd1 $ ur 2 \"a b:twice\" pats fx\n",
                     0, 2),
      4);
  ck_assert_uint_eq(
      program_onsets("~x $ saw\nlet n4 = \"<4 8>\"\nin d1 $ s \"~x\" # note n4\n", 0, 2), 2);
  /* '=' outside a let is Phonon's old definition, refused as before */
  prog_error e = compile_error("~x = saw\n");
  ck_assert_msg(strstr(e.message, "Phonon's older") && e.line == 1 && e.column == 4, "%d:%d: %s",
                e.line, e.column, e.message);
  e = compile_error("let 3 = s \"~x\"\n");
  ck_assert_msg(strstr(e.message, "let binds a name") && e.column == 5, "%d:%d: %s", e.line,
                e.column, e.message);
}
END_TEST

START_TEST(misused_composition_functions_say_where_and_what) {
  assert_error("~x $ saw\nd1 $ fix (fast 2) 1 $ s \"~x\"\n", 2, 19, "tests events");
  assert_error("~x $ saw\nd1 $ fix (fast 2) [(\"nn\", 1)] $ s \"~x\"\n", 2, 22, "unknown control");
  assert_error("~x $ saw\nd1 $ fix (fast 2) [(nn, 1)] $ s \"~x\"\n", 2, 21, "unknown function");
  assert_error("~x $ saw\nd1 $ fix (fast 2) [(1, 1)] $ s \"~x\"\n", 2, 21, "name in quotes");
  assert_error("~x $ saw\nd1 $ s \"~x\" # note (fix (fast 2) (n 1) \"0 1\")\n", 2, 21,
               "works on events");
  assert_error("~x $ saw\nd1 $ ur 0 \"a\" [(\"a\", s \"~x\")] []\n", 2, 9, "positive number");
  assert_error("~x $ saw\nd1 $ ur 4 \"a\" [] []\n", 2, 15, "at least one");
  assert_error("~x $ saw\nd1 $ ur 4 \"a\" [(\"a\", s \"~x\")] [(\"f\", 2)]\n", 2, 38, "a function");
  assert_error("~x $ saw\nd1 $ seqP [(0, s \"~x\")]\n", 2, 12, "triples");
  assert_error("~x $ saw\nd1 $ seqP [(0, \"1\", s \"~x\")]\n", 2, 16, "cycle number");
  assert_error("~x $ saw\nd1 $ timeLoop 0 $ s \"~x\"\n", 2, 15, "positive number");
  assert_error("~x $ saw\nd1 $ wedge (-0.5) (s \"~x\") $ s \"~x\"\n", 2, 12, "from 0 to 1");
  assert_error("~x $ saw\nd1 $ spaceOut [1, 0] $ s \"~x\"\n", 2, 19, "positive numbers");
  assert_error("~x $ saw\nd1 $ s \"~x\" # n (wchooseBy rand [1, 2])\n", 2, 34, "(value, weight)");
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("program_compose");
  TCase *t = tcase_create("compose");
  tcase_add_test(t, fix_applies_its_function_to_the_matching_events_only);
  tcase_add_test(t, contrast_splits_events_between_two_functions);
  tcase_add_test(t, ur_plays_named_patterns_over_its_period);
  tcase_add_test(t, seqp_plays_each_pattern_between_its_begin_and_end);
  tcase_add_test(t, seqp_loop_repeats_from_the_first_begin_to_the_last_end);
  tcase_add_test(t, wchoose_by_picks_by_the_given_pattern_and_weights);
  tcase_add_test(t, time_loops_and_shifts_follow_tidal);
  tcase_add_test(t, scan_and_the_equal_power_envelopes_follow_tidal);
  tcase_add_test(t, spin_and_weave_layer_shifted_copies);
  tcase_add_test(t, step_sequences_names_from_characters);
  tcase_add_test(t, semigroup_append_overlays_patterns);
  tcase_add_test(t, spread_dollar_applies_each_function_in_turn);
  tcase_add_test(t, ncat_and_spread_choose_follow_tidal);
  tcase_add_test(t, inhabit_squeezes_the_named_patterns);
  tcase_add_test(t, stripe_and_smooth_follow_tidal);
  tcase_add_test(t, let_binds_names_for_the_program);
  tcase_add_test(t, tidal_documented_examples_compile_unchanged);
  tcase_add_test(t, misused_composition_functions_say_where_and_what);
  suite_add_tcase(s, t);
  return s;
}

int main(void) { return check_run(suite()); }
