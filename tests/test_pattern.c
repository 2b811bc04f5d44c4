/* Pattern engine unit tests: exact rationals, Strudel's number conversion,
   notes and chords, parse errors, equivalences between notations, zero-width
   queries, arena limits and deterministic randomness. */
#include <check.h>

#include "check_run.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern/pattern.h"

static unsigned char arena_memory[4 << 20];

static pat_rat R(int64_t n, int64_t d) {
  bool of = false;
  return pat_rat_make(n, d, &of);
}

static pat_arc span_of(int64_t b, int64_t bd, int64_t e, int64_t ed) {
  pat_arc a = {R(b, bd), R(e, ed)};
  return a;
}

/* Onset events of `text` over [b, e) as sorted text lines "whole value". */
static char *events_text(const char *text, pat_arc span) {
  pat_store *store = pat_store_new();
  pat_error error;
  const pat_pattern *p = pat_parse(store, text, strlen(text), 1, 1, &error);
  ck_assert_msg(p != NULL, "%s: %s", text, error.message);
  pat_arena arena;
  const pat_event *events;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  size_t n = pat_query(p, span, &arena, &events);
  ck_assert(!arena.overflow && !arena.failed);
  static char line[1 << 16];
  size_t need = pat_json_line(text, events, n, NULL, line, sizeof line);
  ck_assert(need < sizeof line);
  pat_store_free(store);
  /* drop the "pat" field so different texts can be compared */
  char *events_part = strstr(line, "\"events\"");
  return strdup(events_part);
}

static void assert_same_events(const char *a, const char *b, int cycles) {
  pat_arc span = span_of(0, 1, cycles, 1);
  char *ea = events_text(a, span), *eb = events_text(b, span);
  ck_assert_msg(strcmp(ea, eb) == 0, "\"%s\" != \"%s\":\n%s\n%s", a, b, ea, eb);
  free(ea);
  free(eb);
}

/* ---- rationals ------------------------------------------------------------ */

START_TEST(rationals_are_normalized) {
  pat_rat r = R(6, -4);
  ck_assert_int_eq(r.num, -3);
  ck_assert_int_eq(r.den, 2);
  bool of = false;
  pat_rat s = pat_rat_add(R(1, 6), R(1, 3), &of);
  ck_assert(!of);
  ck_assert_int_eq(s.num, 1);
  ck_assert_int_eq(s.den, 2);
  char buf[32];
  pat_rat_format(R(-7, 4), buf, sizeof buf);
  ck_assert_str_eq(buf, "-7/4");
  pat_rat_format(R(8, 4), buf, sizeof buf);
  ck_assert_str_eq(buf, "2");
  ck_assert_int_eq(pat_rat_floor(R(-1, 3)).num, -1);
  ck_assert_int_eq(pat_rat_floor(R(7, 2)).num, 3);
}
END_TEST

START_TEST(rational_overflow_is_reported_not_wrapped) {
  bool of = false;
  pat_rat_add(pat_rat_int(INT64_MAX), pat_rat_int(1), &of);
  ck_assert(of);
  of = false;
  pat_rat_mul(R(INT64_MAX / 2, 3), pat_rat_int(7), &of);
  ck_assert(of);
  of = false;
  pat_rat_div(pat_rat_int(1), pat_rat_int(0), &of);
  ck_assert(of);
  of = false;
  pat_rat_make(1, 0, &of);
  ck_assert(of);
  /* comparisons are exact even where cross products exceed int64 */
  ck_assert_int_eq(pat_rat_cmp(R(INT64_MAX - 1, INT64_MAX), R(INT64_MAX - 2, INT64_MAX - 1)), 1);
}
END_TEST

/* Euclid's algorithm, the reference for the binary gcd inside the rationals. */
static uint64_t euclid_gcd(uint64_t a, uint64_t b) {
  while (b) {
    uint64_t r = a % b;
    a = b;
    b = r;
  }
  return a;
}

/* Large coprime and common-factor operands of every size, as deep speed-ups
   (ply 1e9) make them: every result is the exact fraction, fully reduced. */
START_TEST(rationals_on_large_times_are_exact_and_reduced) {
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 200000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int64_t common = (int64_t)(x % 5000) + 1;
    int64_t num = (int64_t)((x >> 3) >> (x % 40)) / common * common;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int64_t den = (int64_t)((x >> 3) >> (x % 40)) / common * common;
    if (den == 0)
      continue;
    if (i & 1)
      num = -num;
    bool of = false;
    pat_rat r = pat_rat_make(num, den, &of);
    ck_assert(!of);
    uint64_t g = euclid_gcd((uint64_t)(num < 0 ? -num : num), (uint64_t)den);
    ck_assert_msg(r.num == num / (int64_t)g && r.den == den / (int64_t)g,
                  "%lld/%lld gave %lld/%lld", (long long)num, (long long)den, (long long)r.num,
                  (long long)r.den);
    pat_rat p = pat_rat_mul(r, R(den % 1000003 + 1, num % 999983 + 1000000), &of);
    if (!of)
      ck_assert_uint_eq(euclid_gcd((uint64_t)(p.num < 0 ? -p.num : p.num), (uint64_t)p.den),
                        p.num == 0 ? (uint64_t)p.den : 1);
  }
}
END_TEST

START_TEST(numbers_become_fractions_as_in_strudel) {
  pat_rat r;
  ck_assert(pat_rat_from_double(0.1, &r) && r.num == 1 && r.den == 10);
  ck_assert(pat_rat_from_double(1.5, &r) && r.num == 3 && r.den == 2);
  ck_assert(pat_rat_from_double(-2.5, &r) && r.num == -5 && r.den == 2);
  ck_assert(pat_rat_from_double(12.34, &r) && r.num == 617 && r.den == 50);
  ck_assert(pat_rat_from_double(0.123456, &r) && r.num == 1929 && r.den == 15625);
  /* Fraction.js's Farey search stops at denominators of 1e7 */
  ck_assert(pat_rat_from_double(1e-8, &r) && r.num == 0);
  ck_assert(pat_rat_from_double(1.0000001, &r) && r.num == 10000000 && r.den == 9999999);
  ck_assert(!pat_rat_from_double(NAN, &r));
  ck_assert(!pat_rat_from_double(INFINITY, &r));
}
END_TEST

/* Fraction.js's loop, one mediant at a time (the engine skips runs). */
static void farey_reference(double p, double *n, double *d) {
  double a = 0, b = 1, c = 1, dd = 1, N = 1e7;
  *n = 0;
  *d = 1;
  while (b <= N && dd <= N) {
    double m = (a + c) / (b + dd);
    if (p == m) {
      if (b + dd <= N) {
        *n = a + c;
        *d = b + dd;
      } else if (dd > b) {
        *n = c;
        *d = dd;
      } else {
        *n = a;
        *d = b;
      }
      break;
    }
    if (p > m) {
      a += c;
      b += dd;
    } else {
      c += a;
      dd += b;
    }
    if (b > N) {
      *n = c;
      *d = dd;
    } else {
      *n = a;
      *d = b;
    }
  }
}

START_TEST(fast_farey_search_equals_the_step_by_step_one) {
  srand(1234);
  for (int i = 0; i < 300; i++) {
    double p;
    switch (i % 3) {
    case 0:
      p = (double)(rand() % 100000) / 100000.0;
      break;
    case 1:
      p = (double)rand() / RAND_MAX;
      break;
    default:
      p = 0.0003 * (i + 1);
      break;
    }
    if (p <= 0 || p >= 1)
      continue;
    double n, d;
    farey_reference(p, &n, &d);
    pat_rat r;
    ck_assert(pat_rat_from_double(p, &r));
    bool of = false;
    pat_rat want = pat_rat_make((int64_t)n, (int64_t)d, &of);
    ck_assert_msg(pat_rat_cmp(r, want) == 0, "%.17g: %lld/%lld vs %lld/%lld", p, (long long)r.num,
                  (long long)r.den, (long long)want.num, (long long)want.den);
  }
}
END_TEST

/* ---- notes and chords ---------------------------------------------------------- */

START_TEST(note_names_are_midi_numbers_in_strudel_numbering) {
  double m;
  ck_assert(pat_note_number("c4", PAT_NOTES_STRUDEL, &m) && m == 60);
  ck_assert(pat_note_number("eb3", PAT_NOTES_STRUDEL, &m) && m == 51);
  ck_assert(pat_note_number("f#2", PAT_NOTES_STRUDEL, &m) && m == 42);
  ck_assert(pat_note_number("cs4", PAT_NOTES_STRUDEL, &m) && m == 61);
  ck_assert(pat_note_number("C", PAT_NOTES_STRUDEL, &m) && m == 48); /* octave 3 by default */
  ck_assert(pat_note_number("a4", PAT_NOTES_STRUDEL, &m) && m == 69);
  ck_assert(!pat_note_number("en3", PAT_NOTES_STRUDEL, &m)); /* not noteToMidi's */
  ck_assert(!pat_note_number("h4", PAT_NOTES_STRUDEL, &m));
  ck_assert(!pat_note_number("c4x", PAT_NOTES_STRUDEL, &m));
  ck_assert(!pat_note_number("", PAT_NOTES_STRUDEL, &m));
}
END_TEST

/* Tidal's parseNote: semitones from middle C, c5 = 0, octave 5 by default. */
START_TEST(note_names_count_from_middle_c_in_tidal_numbering) {
  static const struct {
    const char *name;
    double number;
  } cases[] = {{"c5", 0}, {"c", 0},     {"a5", 9},   {"a", 9},   {"e4", -8},  {"c6", 12},
               {"cs", 1}, {"ef", 3},    {"en", 4},   {"eb", 3},  {"f#4", -6}, {"b3", -13},
               {"C", 0},  {"gs2", -28}, {"c0", -60}, {"g10", 67}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    double m = NAN;
    ck_assert_msg(pat_note_number(cases[i].name, PAT_NOTES_TIDAL, &m) && m == cases[i].number,
                  "%s: %g, not %g", cases[i].name, m, cases[i].number);
  }
  double m;
  ck_assert(!pat_note_number("h", PAT_NOTES_TIDAL, &m));
  ck_assert(!pat_note_number("c5x", PAT_NOTES_TIDAL, &m));
}
END_TEST

/* Chords as Tidal's mini-notation reads them (Sound.Tidal.Chords, worked out
   by hand from its chordTable and applyModifier): relative to middle C. */
START_TEST(chords_are_stacks_of_tidal_note_numbers) {
  char *a = events_text("e4'min7", span_of(0, 1, 1, 1));
  ck_assert_msg(strstr(a, "\"value\":-8}") && strstr(a, "\"value\":-5}") &&
                    strstr(a, "\"value\":-1}") && strstr(a, "\"value\":2}"),
                "%s", a);
  free(a);
  assert_same_events("c'maj", "[0,4,7]", 1);
  assert_same_events("c5'min7 f4'min7", "[0,3,7,10] [-7,-4,0,3]", 2);
  assert_same_events("e'maj a'min", "[4,8,11] [9,12,16]", 1);
  assert_same_events("c'major c'M c'maj 0'maj", "[0,4,7] [0,4,7] [0,4,7] [0,4,7]", 1);
  assert_same_events("c'dom7 c'm7f5 c'minor7f5 c'sus4", "[0,4,7,10] [0,3,6,10] [0,3,6,10] [0,5,7]",
                     1);
  /* inversions: the lowest note up an octave, once per i, or 'iN times */
  assert_same_events("e4'min7'ii", "[-1,2,4,7]", 1);
  assert_same_events("c'maj'i c'maj'ii c'maj'i2 c'maj'iii",
                     "[4,7,12] [7,12,16] [7,12,16] [12,16,19]", 1);
  /* open: the 1st and 3rd down an octave, first */
  assert_same_events("c'maj'o c'maj7'o", "[-12,-5,4] [-12,-5,4,11]", 1);
  assert_same_events("c'maj'oo", "[-24,-8,-5]", 1);
  /* a number of notes: the chord repeated up by octaves */
  assert_same_events("c'maj'5", "[0,4,7,12,16]", 1);
  assert_same_events("c'maj'2 c'five'5", "[0,4] [0,7,12,19,24]", 1);
  /* drop N: the Nth from the top down an octave, to the bottom */
  assert_same_events("c'maj7'd1 c'maj7'd2 c'maj7'd4", "[-1,0,4,7] [-5,0,4,11] [-12,4,7,11]", 1);
  assert_same_events("c'maj'd4", "[0,4,7]", 1); /* fewer notes: unchanged */
  /* modifiers apply in order */
  assert_same_events("c'maj'ii'o", "[-5,4,12]", 1);
  assert_same_events("c'maj'o'ii", "[4,0,7]", 1);
  assert_same_events("c'maj'0 e", "~ e", 1); /* no notes */
  /* names and modifiers as patterns, bound in turn as Tidal's chordToPatSeq */
  assert_same_events("c'<maj min>", "<c'maj c'min>", 4);
  assert_same_events("c'maj'<i ii>", "<c'maj'i c'maj'ii>", 4);
  assert_same_events("c'<maj min>'<i ii>", "<c'maj'i c'min'ii>", 4);
  assert_same_events("e'min7'[o d1]", "[e'min7'o e'min7'd1]", 2);
  assert_same_events("c'[maj min]'<i ii>", "<[c'maj'i c'min'i] [c'maj'ii c'min'ii]>", 4);
  assert_same_events("'<maj min7>'<5 0> a'maj'<ii ~>", "<'maj'5 ~> <a'maj'ii ~>", 4);
  assert_same_events("c'<maj min>*2", "[c'maj c'min]", 2); /* Tidal: *2 on the name */
  /* and the root: a bracketed pattern of note names or numbers */
  assert_same_events("<c e>'maj", "<c'maj e'maj>", 4);
  assert_same_events("[c e4]'<maj min>'ii", "<[c'maj'ii e4'maj'ii] [c'min'ii e4'min'ii]>", 4);
  assert_same_events("<0 7 ~>'min", "<0'min 7'min ~>", 6);
  assert_same_events("<c e> 'maj", "<c e> 0'maj", 2); /* a space ends the root */
  /* without a root, root 0 (Tidal's `up "<'min7 ['thirteen 'aug]>"`) */
  assert_same_events("'maj <'min7 ['thirteen 'aug]>", "[0,4,7] [0,3,7,10]", 1);
  assert_same_events("<'min7 ['thirteen 'aug]>", "<[0,3,7,10] [[0,4,7,10,14,17,21] [0,4,8]]>", 2);
  assert_same_events("<c3'min e3'maj>*2", "[-24,-21,-17] [-20,-16,-13]", 1);
  pat_store *store = pat_store_new();
  pat_error error;
  ck_assert(pat_parse(store, "c'blah", 6, 1, 1, &error) == NULL);
  ck_assert(strstr(error.message, "unknown chord"));
  ck_assert(pat_parse(store, "c'maj'x", 7, 1, 1, &error) == NULL);
  ck_assert(pat_parse(store, "c'maj'd0", 8, 1, 1, &error) == NULL);
  ck_assert(pat_parse(store, "c'm7b5", 6, 1, 1, &error) == NULL); /* not in Tidal's table */
  ck_assert(pat_parse(store, "c'<maj blah>", 12, 1, 1, &error) == NULL);
  ck_assert_msg(strstr(error.message, "unknown chord name 'blah'") && error.column == 8, "%d: %s",
                error.column, error.message);
  ck_assert(pat_parse(store, "c'maj'<i x>", 11, 1, 1, &error) == NULL);
  ck_assert(strstr(error.message, "unknown chord modifier 'x'"));
  ck_assert(pat_parse(store, "<c h>'maj", 9, 1, 1, &error) == NULL);
  ck_assert(strstr(error.message, "unknown chord root 'h'"));
  ck_assert(pat_parse(store, "c'<maj", 6, 1, 1, &error) == NULL);
  ck_assert(strstr(error.message, "expected '>'"));
  pat_store_free(store);
}
END_TEST

/* ---- parsing ------------------------------------------------------------------- */

static void assert_error(const char *text, int line, int column, const char *message_part) {
  pat_store *store = pat_store_new();
  pat_error error;
  const pat_pattern *p = pat_parse(store, text, strlen(text), 1, 1, &error);
  ck_assert_msg(p == NULL, "\"%s\" should not parse", text);
  ck_assert_msg(error.line == line && error.column == column, "\"%s\": %d:%d %s", text, error.line,
                error.column, error.message);
  ck_assert_msg(strstr(error.message, message_part), "\"%s\": %s", text, error.message);
  pat_store_free(store);
}

START_TEST(parse_errors_say_where_and_what_was_expected) {
  assert_error("bd [sn hh", 1, 10, "expected ']' to close '[' opened at 1:4");
  assert_error("<a b", 1, 5, "expected '>' to close '<' opened at 1:1");
  assert_error("{a b}%", 1, 7, "found the end");
  assert_error("a b]", 1, 4, "found ']'");
  assert_error("a\n[b\nc", 3, 2, "opened at 2:1");
  assert_error("bd(3,8", 1, 7, "expected ')' to close '(' opened at 1:3");
  assert_error("bd(9,8)", 1, 4, "euclid");
  assert_error("", 1, 1, "expected a word");
  assert_error("<a | b> c", 1, 4, "found '|'");
  /* the caller's coordinates */
  pat_store *store = pat_store_new();
  pat_error error;
  ck_assert(pat_parse(store, "a [b", 4, 7, 20, &error) == NULL);
  ck_assert_int_eq(error.line, 7);
  ck_assert_int_eq(error.column, 24);
  pat_store_free(store);
}
END_TEST

/* Backtracking has a bound: this text (found by the program fuzzer: unclosed
   brackets under ranges, weights and a euclid) tried 51 s of slices before
   the bound; now it is an error. */
START_TEST(a_pattern_that_backtracks_too_much_is_an_error) {
  static const char text[] =
      "~x(7HHHHHHHHHHHHHHHHHHpanHH...0.....................HHHHHHHKHHHHHHHHHHHHHHHslowH"
      "HHHHHHHHHHH......@..[..@..[....,.................*................. *.....HHHHHH"
      "HHHHHHHHHHHHHHHHHHHHHHHHHHH............@..[.............HHHHHHHs,owHHHHHHHHHHHHH"
      "HHHHHH......@..[..@..[........????????????????????????????????..............1..H"
      "H......@..[..@..[.............................0..HH......@..[..@..[............."
      ".......................??????????????????????????????????HHHHHHHHHHHHHHHpanHH..."
      "0.....................HHHHHHHKHHHHHHHHHHHHHHHslowHHHHHHHHHHHH......@..[..@..[..."
      ".,.................*................. *.....HHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH..."
      ".........@..[.............HHHHHHHKHHHHHHHHHHoutHHHHHs,owHHHHHHHHHHHHHHHHHHH....."
      ".@..[..@..[........????????????????????????????????..............1..HH......@..["
      "..@..[.............................0..HH......@..[..@..[........................"
      "............????????????????????????????????????B???????????????????????????????"
      "??........HHHHHHHKHHHHHHHHHHoutHHHHHs,owHHHHHHHHHHHHHHHHHHH......@..[..@..[....."
      "...????????????....................HHHHHHHKHHHH......@..[..@..[................."
      ".....*............?min@ f4'm?7";
  pat_store *store = pat_store_new();
  pat_error error;
  ck_assert_ptr_null(pat_parse(store, text, strlen(text), 1, 1, &error));
  ck_assert_msg(strstr(error.message, "too tangled"), "%s", error.message);
  pat_store_free(store);
}
END_TEST

START_TEST(a_tilde_alone_is_a_rest_and_before_a_name_a_bus) {
  char *a = events_text("~bass ~ ~x -", span_of(0, 1, 1, 1));
  ck_assert_msg(strstr(a, "\"~bass\"") && strstr(a, "\"~x\""), "%s", a);
  ck_assert_int_eq((int)(strlen(a) - strlen(strstr(a, "~x"))) > 0, 1);
  free(a);
  assert_same_events("~bass ~", "~bass ~", 2);
  assert_same_events("~ ~bass", "- ~bass", 2);
}
END_TEST

/* ---- equivalences ---------------------------------------------------------------- */

START_TEST(notations_that_mean_the_same_give_the_same_events) {
  assert_same_events("a*3 b", "[a a a] b", 4);
  assert_same_events("a!3 b", "a a a b", 4);
  assert_same_events("a! b", "a a b", 4);
  assert_same_events("a@3 b", "a _ _ b", 4);
  assert_same_events("a . b c", "a [b c]", 4);
  assert_same_events("a(3,8)", "a ~ ~ a ~ ~ a ~", 4);
  /* Strudel 1.1 rotates the other way than Tidal */
  assert_same_events("a(3,8,2)", "a ~ a ~ ~ a ~ ~", 4);
  assert_same_events("{a b c}%4", "<[a b c a] [b c a b] [c a b c]>", 6);
  assert_same_events("<a b>/2", "<a@2 b@2>", 8);
  assert_same_events("a*<2 3>", "<[a a] [a a a]>", 4);
  assert_same_events("0 .. 3", "0 1 2 3", 2);
  assert_same_events("[a b, c d]", "{a b, c d}", 2);
  assert_same_events("{a, b c}%1", "[a, <b c>]", 4);
  assert_same_events("a/1", "a", 3);
}
END_TEST

START_TEST(alternation_picks_by_cycle) {
  char *cycle1 = events_text("<a b>", span_of(1, 1, 2, 1));
  char *b = events_text("b", span_of(1, 1, 2, 1));
  ck_assert_str_eq(cycle1, b);
  free(cycle1);
  free(b);
  char *nested = events_text("<a <b c>>", span_of(3, 1, 4, 1));
  ck_assert_msg(strstr(nested, "\"c\""), "%s", nested);
  free(nested);
}
END_TEST

/* ---- queries ----------------------------------------------------------------------- */

static size_t query_text(const char *text, pat_arc span, pat_arena *arena, const pat_event **events,
                         pat_store *store) {
  pat_error error;
  const pat_pattern *p = pat_parse(store, text, strlen(text), 1, 1, &error);
  ck_assert_msg(p != NULL, "%s: %s", text, error.message);
  return pat_query(p, span, arena, events);
}

START_TEST(zero_width_queries_return_the_events_around_the_point) {
  pat_store *store = pat_store_new();
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  size_t n = query_text("a b", span_of(1, 4, 1, 4), &arena, &ev, store);
  ck_assert_int_eq(n, 1);
  ck_assert_str_eq(ev[0].value.str, "a");
  ck_assert(pat_rat_cmp(ev[0].whole.end, R(1, 2)) == 0);
  ck_assert(pat_rat_cmp(ev[0].part.begin, R(1, 4)) == 0);
  ck_assert(pat_rat_cmp(ev[0].part.end, R(1, 4)) == 0);
  pat_arena_reset(&arena);
  n = query_text("a b", span_of(1, 2, 1, 2), &arena, &ev, store);
  ck_assert_int_eq(n, 1);
  ck_assert_str_eq(ev[0].value.str, "b");
  pat_arena_reset(&arena);
  n = query_text("<300 500>", span_of(1, 1, 1, 1), &arena, &ev, store);
  ck_assert_int_eq(n, 1);
  ck_assert(ev[0].value.kind == PAT_VALUE_NUMBER && ev[0].value.number == 500);
  pat_arena_reset(&arena);
  n = query_text("c/2", span_of(3, 2, 3, 2), &arena, &ev, store);
  ck_assert_int_eq(n, 1);
  ck_assert(pat_rat_cmp(ev[0].whole.begin, R(0, 1)) == 0);
  ck_assert(pat_rat_cmp(ev[0].whole.end, R(2, 1)) == 0);
  pat_store_free(store);
}
END_TEST

START_TEST(random_choices_do_not_depend_on_where_the_query_starts) {
  static const char *const texts[] = {"a*16?", "[a | b | c]*8", "a*8?0.3 b?", "~bass*16?0.4"};
  for (size_t t = 0; t < 4; t++) {
    char *whole = events_text(texts[t], span_of(0, 1, 4, 1));
    for (int c = 0; c < 4; c++) {
      char *one = events_text(texts[t], span_of(c, 1, c + 1, 1));
      /* each event of the one-cycle query is in the four-cycle answer */
      char *cursor = one + strlen("\"events\":[");
      while (*cursor == '{') {
        char *end = strchr(cursor, '}');
        *end = '\0';
        ck_assert_msg(strstr(whole, cursor), "%s: %s missing", texts[t], cursor);
        cursor = end + 2;
      }
      free(one);
    }
    free(whole);
  }
}
END_TEST

START_TEST(sample_values_keep_name_and_index) {
  pat_store *store = pat_store_new();
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  size_t n = query_text("bd:3 3:4", span_of(0, 1, 1, 1), &arena, &ev, store);
  ck_assert_int_eq(n, 2);
  ck_assert_int_eq(ev[0].value.kind, PAT_VALUE_SAMPLE);
  ck_assert_str_eq(ev[0].value.str, "bd");
  ck_assert(ev[0].value.number == 3);
  ck_assert_int_eq(ev[1].value.kind, PAT_VALUE_LIST);
  ck_assert_int_eq(ev[1].value.count, 2);
  /* a second query in the same arena leaves the first one's lists intact */
  const pat_event *ev2;
  size_t n2 = query_text("x:1:2", span_of(0, 1, 1, 1), &arena, &ev2, store);
  ck_assert_int_eq(n2, 1);
  ck_assert_int_eq(ev2[0].value.count, 3);
  ck_assert(ev[1].value.items[0].number == 3 && ev[1].value.items[1].number == 4);
  pat_store_free(store);
}
END_TEST

START_TEST(a_tiny_arena_overflows_without_crashing) {
  static unsigned char tiny[1024];
  pat_store *store = pat_store_new();
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, tiny, sizeof tiny);
  size_t n = query_text("[a*16, b*12, c(7,16)]*8", span_of(0, 1, 1, 1), &arena, &ev, store);
  ck_assert(arena.overflow);
  ck_assert(n * sizeof(pat_event) <= sizeof tiny);
  pat_arena_init(&arena, tiny, 8); /* smaller than one event */
  n = query_text("a", span_of(0, 1, 1, 1), &arena, &ev, store);
  ck_assert_int_eq(n, 0);
  ck_assert(arena.overflow);
  pat_arena_init(&arena, NULL, 0);
  n = query_text("a", span_of(0, 1, 1, 1), &arena, &ev, store);
  ck_assert_int_eq(n, 0);
  pat_store_free(store);
}
END_TEST

START_TEST(absurd_patterns_stop_at_the_arena_or_work_budget) {
  static const char *const texts[] = {"bd*1e9", "<a ~ ~ ~ ~ ~ ~>*1e9", "bd*1e15?0.99", "0 .. 1e12",
                                      "[a a a a a a a a]*99999999"};
  pat_store *store = pat_store_new();
  for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
    pat_arena arena;
    const pat_event *ev;
    pat_arena_init(&arena, arena_memory, sizeof arena_memory);
    query_text(texts[t], span_of(0, 1, 4, 1), &arena, &ev, store);
    ck_assert_msg(arena.overflow, "%s", texts[t]);
  }
  pat_store_free(store);
}
END_TEST

/* Each speed-up maps the times of every event below it. A deep stack of them
   over a dense pattern would map the walk's events once per level, far past
   the query's budget; the mapping may only go to twice the budget in all
   (here that leaves no event: what is lost is counted as overflow). */
/* "a b" # "[v!1e12] c": reading the right side for a costs too much; b
   still gets its value, a is left out and counted in arena.dropped. */
START_TEST(an_operator_drops_the_event_whose_other_side_is_too_dense) {
  pat_store *store = pat_store_new();
  pat_error error;
  const pat_pattern *left = pat_parse(store, "a b", 3, 1, 1, &error);
  const char *dense = "[v!1177777777777] c";
  const pat_pattern *right = pat_parse(store, dense, strlen(dense), 1, 1, &error);
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  size_t n = pat_query(pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT, left, right),
                       span_of(0, 1, 1, 1), &arena, &ev);
  ck_assert_int_eq(n, 1);
  ck_assert_str_eq(ev[0].value.str, "c");
  ck_assert(pat_rat_cmp(ev[0].whole.begin, R(1, 2)) == 0);
  ck_assert_uint_eq(arena.dropped, 1);
  ck_assert(!arena.overflow);
  pat_store_free(store);
}
END_TEST

/* The onsets of `p` over [0, 2) queried in blocks of 1/7 cycle, one per line. */
static char *onsets_in_blocks(const pat_pattern *p, bool onsets_only) {
  static char text[1 << 16];
  size_t at = 0;
  text[0] = '\0';
  for (int64_t k = 0; k < 14; k++) {
    pat_arena arena;
    const pat_event *ev;
    pat_arena_init(&arena, arena_memory, sizeof arena_memory);
    arena.onsets_only = onsets_only;
    size_t n = pat_query(p, span_of(k, 7, k + 1, 7), &arena, &ev);
    for (size_t i = 0; i < n && at < sizeof text - 256; i++) {
      if (ev[i].analog || pat_rat_cmp(ev[i].part.begin, ev[i].whole.begin) != 0)
        continue;
      char value[160];
      pat_json_value(&ev[i].value, value, sizeof value);
      at += (size_t)snprintf(text + at, sizeof text - at, "%lld/%lld %lld/%lld %s\n",
                             (long long)ev[i].whole.begin.num, (long long)ev[i].whole.begin.den,
                             (long long)ev[i].whole.end.num, (long long)ev[i].whole.end.den, value);
    }
  }
  return strdup(text);
}

/* arena.onsets_only lets an operator skip its structure's fragments: the
   onsets are the same, under transforms that turn fragments into onsets
   (rev, ply, segment, euclid) too. */
START_TEST(queries_for_onsets_only_give_the_same_onsets) {
  pat_store *store = pat_store_new();
  pat_error error;
#define PAT(text) pat_parse(store, text, strlen(text), 1, 1, &error)
  const pat_pattern *line =
      pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT,
                  pat_control_pattern(store, PAT_CONTROL_S, PAT("x [y z]@2 w")),
                  pat_control_pattern(store, PAT_CONTROL_NOTE, PAT("c e <g b> [d f]")));
  const pat_pattern *right =
      pat_combine(store, PAT_OP_ADD, PAT_STRUCTURE_RIGHT, line,
                  pat_control_pattern(store, PAT_CONTROL_NOTE, PAT("0 12 7")));
  const pat_pattern *cases[] = {
      line,
      right,
      pat_rev(store, line),
      pat_ply(store, pat_number(store, 3), line),
      pat_segment(store, pat_number(store, 5), right),
      pat_euclid(store, pat_number(store, 3), pat_number(store, 8), NULL, pat_rev(store, right)),
      pat_palindrome(store, pat_fast(store, pat_number(store, 1.5), right)),
      pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT, pat_rev(store, line),
                  pat_control_pattern(store, PAT_CONTROL_GAIN, PAT("0.5 1"))),
  };
#undef PAT
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *all = onsets_in_blocks(cases[i], false), *onsets = onsets_in_blocks(cases[i], true);
    ck_assert_msg(strlen(all) > 0, "case %zu has no onsets", i);
    ck_assert_msg(strcmp(all, onsets) == 0, "case %zu:\n%s\nvs\n%s", i, all, onsets);
    free(all);
    free(onsets);
  }
  pat_store_free(store);
}
END_TEST

START_TEST(a_deep_stack_of_speed_ups_stays_within_the_work_budget) {
  char text[1024];
  size_t k = 0;
  for (int i = 0; i < 30; i++)
    text[k++] = '[';
  k += (size_t)snprintf(text + k, sizeof text - k, "a*100000");
  for (int i = 0; i < 30; i++)
    k += (size_t)snprintf(text + k, sizeof text - k, "]*2");
  pat_store *store = pat_store_new();
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  arena.work_budget = 20000;
  query_text(text, span_of(0, 1, 1, 1), &arena, &ev, store);
  ck_assert(arena.overflow);
  ck_assert_uint_le(arena.work_spent, arena.work_budget); /* mapping the events found too */
  pat_store_free(store);
}
END_TEST

START_TEST(time_overflow_returns_nothing_rather_than_wrong_times) {
  pat_store *store = pat_store_new();
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  int64_t huge = (int64_t)1 << 62;
  pat_arc span = {pat_rat_int(huge), pat_rat_int(huge + 1)};
  size_t n = query_text("a*1000 b", span, &arena, &ev, store);
  ck_assert_int_eq(n, 0);
  ck_assert(arena.overflow);
  /* the same pattern is fine at ordinary times */
  pat_arena_reset(&arena);
  n = query_text("a*1000 b", span_of(0, 1, 1, 1), &arena, &ev, store);
  ck_assert_int_eq(n, 1001);
  ck_assert(!arena.overflow);
  pat_store_free(store);
}
END_TEST

START_TEST(deep_nesting_is_an_error_not_a_crash) {
  char text[4000];
  size_t k = 0;
  for (int i = 0; i < 1000; i++)
    text[k++] = '[';
  text[k++] = 'a';
  for (int i = 0; i < 1000; i++)
    text[k++] = ']';
  text[k] = '\0';
  pat_store *store = pat_store_new();
  pat_error error;
  ck_assert(pat_parse(store, text, k, 1, 1, &error) == NULL);
  ck_assert(strstr(error.message, "nested"));
  pat_store_free(store);
}
END_TEST

static const pat_pattern *deep_pattern;
static pat_arena deep_arena;

static void *query_deep(void *unused) {
  (void)unused;
  const pat_event *ev;
  pat_arc span = {{0, 1}, {1, 1}};
  pat_query(deep_pattern, span, &deep_arena, &ev);
  return NULL;
}

START_TEST(deep_trees_stop_before_a_small_audio_thread_stack_runs_out) {
  /* 100 bracket levels, each with patterned operators: far deeper than
     music needs; the query must give up (overflow) within 256 KB of stack */
  size_t cap = 100 * 40 + 16, k = 0;
  char *text = malloc(cap);
  for (int i = 0; i < 99; i++)
    text[k++] = '[';
  text[k++] = 'a';
  for (int i = 0; i < 99; i++)
    k += (size_t)sprintf(text + k, " b]*<2 3>?(3,8,<0 1>)");
  pat_store *store = pat_store_new();
  pat_error error;
  deep_pattern = pat_parse(store, text, k, 1, 1, &error);
  ck_assert_msg(deep_pattern != NULL, "%s", error.message);
  pat_arena_init(&deep_arena, arena_memory, sizeof arena_memory);
  pthread_attr_t attr;
  pthread_t thread;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  ck_assert_int_eq(pthread_create(&thread, &attr, query_deep, NULL), 0);
  pthread_join(thread, NULL);
  ck_assert(deep_arena.overflow);
  pat_store_free(store);
  free(text);
}
END_TEST

START_TEST(a_query_strudel_would_reject_fails_as_a_whole) {
  pat_store *store = pat_store_new();
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  size_t n = query_text("a b bd(<3 9>,8)", span_of(0, 1, 2, 1), &arena, &ev, store);
  ck_assert_int_eq(n, 0);
  ck_assert(arena.failed);
  pat_store_free(store);
}
END_TEST

START_TEST(the_first_example_patterns_play) {
  pat_store *store = pat_store_new();
  pat_arena arena;
  const pat_event *ev;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  size_t n = query_text("~x(7,17)", span_of(0, 1, 1, 1), &arena, &ev, store);
  ck_assert_int_eq(n, 7);
  ck_assert_str_eq(ev[0].value.str, "~x");
  ck_assert(pat_rat_cmp(ev[0].whole.end, R(1, 17)) == 0);
  pat_arena_reset(&arena);
  n = query_text("{c5 eb5 g5 bb5}%3", span_of(1, 1, 2, 1), &arena, &ev, store);
  ck_assert_int_eq(n, 3);
  for (size_t i = 0; i < n; i++) /* cycle 1 starts at the 4th step */
    if (pat_rat_cmp(ev[i].whole.begin, pat_rat_int(1)) == 0)
      ck_assert_str_eq(ev[i].value.str, "bb5");
  pat_error error;
  const pat_pattern *factor = pat_parse(store, "<3 19 3 3 2 8 9>", 16, 1, 1, &error);
  const pat_pattern *lpf = pat_parse(store, "800 <300 500 200 999>", 21, 1, 1, &error);
  const pat_pattern *p = pat_fast(store, factor, lpf);
  pat_arena_reset(&arena);
  n = pat_query(p, span_of(1, 1, 2, 1), &arena, &ev);
  ck_assert_int_eq(n, 38); /* 19 times "800 500" */
  pat_store_free(store);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pattern");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, rationals_are_normalized);
  tcase_add_test(tc, rational_overflow_is_reported_not_wrapped);
  tcase_add_test(tc, rationals_on_large_times_are_exact_and_reduced);
  tcase_add_test(tc, numbers_become_fractions_as_in_strudel);
  tcase_add_test(tc, fast_farey_search_equals_the_step_by_step_one);
  tcase_add_test(tc, note_names_are_midi_numbers_in_strudel_numbering);
  tcase_add_test(tc, note_names_count_from_middle_c_in_tidal_numbering);
  tcase_add_test(tc, chords_are_stacks_of_tidal_note_numbers);
  tcase_add_test(tc, parse_errors_say_where_and_what_was_expected);
  tcase_add_test(tc, a_tilde_alone_is_a_rest_and_before_a_name_a_bus);
  tcase_add_test(tc, notations_that_mean_the_same_give_the_same_events);
  tcase_add_test(tc, alternation_picks_by_cycle);
  tcase_add_test(tc, zero_width_queries_return_the_events_around_the_point);
  tcase_add_test(tc, random_choices_do_not_depend_on_where_the_query_starts);
  tcase_add_test(tc, sample_values_keep_name_and_index);
  tcase_add_test(tc, a_tiny_arena_overflows_without_crashing);
  tcase_add_test(tc, absurd_patterns_stop_at_the_arena_or_work_budget);
  tcase_add_test(tc, a_deep_stack_of_speed_ups_stays_within_the_work_budget);
  tcase_add_test(tc, an_operator_drops_the_event_whose_other_side_is_too_dense);
  tcase_add_test(tc, queries_for_onsets_only_give_the_same_onsets);
  tcase_add_test(tc, a_pattern_that_backtracks_too_much_is_an_error);
  tcase_add_test(tc, time_overflow_returns_nothing_rather_than_wrong_times);
  tcase_add_test(tc, deep_nesting_is_an_error_not_a_crash);
  tcase_add_test(tc, deep_trees_stop_before_a_small_audio_thread_stack_runs_out);
  tcase_add_test(tc, a_query_strudel_would_reject_fails_as_a_whole);
  tcase_add_test(tc, the_first_example_patterns_play);
  suite_add_tcase(s, tc);
  return check_run(s);
}
