/* Tidal's sample functions (chop, striate, striateBy, slice, splice,
   randslice, bite, chew, loopAt, segment) and Strudel's bank on output
   lines. Each pair of tests/strudel/samplefns.txt is compared event by event
   with Strudel (tests/strudel/samplefns.jsonl: spans and the controls a
   sample plays by); where Tidal and Strudel differ, the hand-worked tests
   below hold Tidal's meaning, and Tidal's documented examples must compile. */
#include "test_program_util.h"

#define CYCLES 4
#define MAX_EVENTS 1200

/* The controls the comparison reads, as query_samplefns.mjs names them. */
static const struct {
  const char *name;
  pat_control control;
} compared[] = {
    {"s", PAT_CONTROL_S},         {"n", PAT_CONTROL_N},           {"bank", PAT_CONTROL_BANK},
    {"begin", PAT_CONTROL_BEGIN}, {"end", PAT_CONTROL_END},       {"speed", PAT_CONTROL_SPEED},
    {"unit", PAT_CONTROL_UNIT},   {"legato", PAT_CONTROL_LEGATO}, {"gain", PAT_CONTROL_GAIN}};
#define COMPARED (sizeof compared / sizeof compared[0])

typedef struct {
  pat_arc whole, part;
  bool has[COMPARED];
  double number[COMPARED];
  char text[COMPARED][32];
  bool matched;
} event_row;

static event_row expected_rows[MAX_EVENTS], actual_rows[MAX_EVENTS];

static pat_rat fraction(const char *text) {
  long long num = 0, den = 1;
  sscanf(text, "%lld/%lld", &num, &den);
  bool overflow = false;
  return pat_rat_make(num, den, &overflow);
}

/* One event object of samplefns.jsonl ({"whole":[..],"part":[..],"s":..}),
   its fixed shape written by query_samplefns.mjs; returns past its '}'. */
static const char *parse_event(const char *p, event_row *row) {
  char wb[32], we[32], pb[32], pe[32];
  int used = 0;
  memset(row, 0, sizeof *row);
  if (sscanf(p, "{\"whole\":[\"%31[^\"]\",\"%31[^\"]\"],\"part\":[\"%31[^\"]\",\"%31[^\"]\"]%n", wb,
             we, pb, pe, &used) != 4)
    return NULL;
  row->whole = (pat_arc){fraction(wb), fraction(we)};
  row->part = (pat_arc){fraction(pb), fraction(pe)};
  p += used;
  while (*p == ',') {
    char key[32];
    if (sscanf(p, ",\"%31[^\"]\":%n", key, &used) != 1)
      return NULL;
    p += used;
    size_t k = 0;
    while (k < COMPARED && strcmp(compared[k].name, key) != 0)
      k++;
    if (k == COMPARED)
      return NULL;
    row->has[k] = true;
    if (*p == '"') {
      if (sscanf(p, "\"%31[^\"]\"%n", row->text[k], &used) != 1)
        return NULL;
    } else if (sscanf(p, "%lf%n", &row->number[k], &used) != 1) {
      return NULL;
    }
    p += used;
  }
  return *p == '}' ? p + 1 : NULL;
}

/* The events of one line of samplefns.jsonl; -1 on an "error" line. */
static int parse_expected(const char *line) {
  const char *p = strstr(line, "\"events\":[");
  if (!p)
    return -1;
  p += strlen("\"events\":[");
  int count = 0;
  while (*p == '{') {
    ck_assert_int_lt(count, MAX_EVENTS);
    p = parse_event(p, &expected_rows[count++]);
    ck_assert_msg(p, "samplefns.jsonl: cannot read %s", line);
    if (*p == ',')
      p++;
  }
  return count;
}

static int by_onset(const void *a, const void *b) {
  const event_row *x = a, *y = b;
  int c = pat_rat_cmp(x->whole.begin, y->whole.begin);
  return c ? c : pat_rat_cmp(x->whole.end, y->whole.end);
}

static int add_rows(const pat_event *events, size_t n, event_row *rows, int count);

/* The onsets of program p's output 0 in [0, cycles), as rows sorted by onset
   (MAX_EVENTS of room); `onsets_only` as the program's own queries ask, in
   pieces. */
static int onset_rows(const prog_program *p, int64_t cycles, event_row *rows, bool onsets_only) {
  /* onsets_only: in sevenths of a cycle, as the program queries block by block */
  int64_t pieces = onsets_only ? 7 * cycles : 1, count = 0;
  for (int64_t piece = 0; piece < pieces; piece++) {
    pat_arena arena;
    pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
    arena.notes = PAT_NOTES_TIDAL;
    arena.onsets_only = onsets_only;
    const pat_event *events;
    bool of = false;
    pat_arc span = {pat_rat_make(piece * cycles, pieces, &of),
                    pat_rat_make((piece + 1) * cycles, pieces, &of)};
    size_t n = pat_query(prog_output_pattern(p, 0), span, &arena, &events);
    ck_assert_msg(!arena.overflow && !arena.failed, "query overflowed or failed");
    count = add_rows(events, n, rows, (int)count);
  }
  qsort(rows, (size_t)count, sizeof rows[0], by_onset);
  return (int)count;
}

/* The onsets of events[0..n) appended to rows[count..]; the new count. */
static int add_rows(const pat_event *events, size_t n, event_row *rows, int count) {
  for (size_t i = 0; i < n; i++) {
    const pat_event *e = &events[i];
    if (e->analog || pat_rat_cmp(e->part.begin, e->whole.begin) != 0)
      continue;
    ck_assert_int_lt(count, MAX_EVENTS);
    event_row *row = &rows[count++];
    memset(row, 0, sizeof *row);
    row->whole = e->whole;
    row->part = e->part;
    ck_assert_int_eq(e->value.kind, PAT_VALUE_CONTROLS);
    for (size_t k = 0; k < COMPARED; k++) {
      const pat_controls *map = e->value.controls;
      row->has[k] = pat_controls_has(map, compared[k].control);
      if (row->has[k] && pat_control_is_string(compared[k].control))
        snprintf(row->text[k], sizeof row->text[k], "%s",
                 pat_controls_string(map, compared[k].control));
      else if (row->has[k])
        row->number[k] = pat_controls_number(map, compared[k].control, 0.0);
    }
  }
  return count;
}

static bool rows_equal(const event_row *a, const event_row *b);
static bool arc_equal(pat_arc a, pat_arc b);

/* The onsets of output 0 of `text` in [0, cycles): the same whether queried
   at once keeping every fragment, or block by block keeping only onsets, as
   the program queries. */
static int query_rows(const char *text, int64_t cycles, event_row *rows) {
  static event_row onsets[MAX_EVENTS];
  prog_program *p = compile_ok(text);
  int count = onset_rows(p, cycles, rows, false);
  int only = onset_rows(p, cycles, onsets, true);
  prog_free(p);
  ck_assert_msg(only == count, "%s: %d onsets, %d queried as the program does", text, count, only);
  for (int i = 0; i < count; i++) {
    event_row piece = onsets[i]; /* a block cuts parts short: the same onset, whole and controls */
    bool same_onset = pat_rat_cmp(piece.part.begin, rows[i].part.begin) == 0;
    piece.part = rows[i].part;
    ck_assert_msg(same_onset && rows_equal(&rows[i], &piece),
                  "%s: onset %d differs queried as the program does", text, i);
  }
  return count;
}

static bool arc_equal(pat_arc a, pat_arc b) {
  return pat_rat_cmp(a.begin, b.begin) == 0 && pat_rat_cmp(a.end, b.end) == 0;
}

static bool rows_equal(const event_row *a, const event_row *b) {
  if (!arc_equal(a->whole, b->whole) || !arc_equal(a->part, b->part))
    return false;
  for (size_t k = 0; k < COMPARED; k++) {
    if (a->has[k] != b->has[k])
      return false;
    if (a->has[k] && (strcmp(a->text[k], b->text[k]) != 0 ||
                      fabs(a->number[k] - b->number[k]) > 1e-9 * fmax(1.0, fabs(a->number[k]))))
      return false;
  }
  return true;
}

static void print_row(const char *label, const event_row *r) {
  fprintf(stderr, "  %s whole %lld/%lld-%lld/%lld part %lld/%lld-%lld/%lld", label,
          (long long)r->whole.begin.num, (long long)r->whole.begin.den, (long long)r->whole.end.num,
          (long long)r->whole.end.den, (long long)r->part.begin.num, (long long)r->part.begin.den,
          (long long)r->part.end.num, (long long)r->part.end.den);
  for (size_t k = 0; k < COMPARED; k++)
    if (r->has[k] && pat_control_is_string(compared[k].control))
      fprintf(stderr, " %s %s", compared[k].name, r->text[k]);
    else if (r->has[k])
      fprintf(stderr, " %s %.17g", compared[k].name, r->number[k]);
  fprintf(stderr, "\n");
}

/* Every expected event is one of ours and we have no other: prints the first
   difference and returns false. */
static bool line_matches(const char *body, int expected_count) {
  char text[1024];
  snprintf(text, sizeof text, "d1 $ %s\n", body);
  int count = query_rows(text, CYCLES, actual_rows);
  if (count != expected_count) {
    fprintf(stderr, "MISMATCH %s\n  %d events, Strudel has %d\n", body, count, expected_count);
    return false;
  }
  for (int i = 0; i < expected_count; i++) {
    int j = 0;
    while (j < count && (actual_rows[j].matched || !rows_equal(&expected_rows[i], &actual_rows[j])))
      j++;
    if (j == count) {
      fprintf(stderr, "MISMATCH %s\n  Strudel's event %d is not ours:\n", body, i);
      print_row("Strudel:", &expected_rows[i]);
      for (j = 0; j < count; j++)
        if (arc_equal(actual_rows[j].whole, expected_rows[i].whole))
          print_row("ours:   ", &actual_rows[j]);
      return false;
    }
    actual_rows[j].matched = true;
  }
  return true;
}

START_TEST(every_sample_function_line_makes_strudels_events) {
  char *pairs = read_repo_file("tests/strudel/samplefns.txt");
  char *expected = read_repo_file("tests/strudel/samplefns.jsonl");
  ck_assert_msg(pairs && expected, "tests/strudel/samplefns.{txt,jsonl} not found (CB_TOP?)");
  int total = 0, passed = 0;
  char *expected_line = expected;
  for (char *line = strtok(pairs, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#')
      continue;
    char *separator = strstr(line, " == ");
    ck_assert_msg(separator, "no ' == ' in: %s", line);
    *separator = '\0';
    char *expected_end = strchr(expected_line, '\n');
    ck_assert_msg(expected_end, "samplefns.jsonl has fewer lines than samplefns.txt");
    *expected_end = '\0';
    int count = parse_expected(expected_line);
    ck_assert_msg(count >= 0, "Strudel could not play the pair of: %s\n%s", line, expected_line);
    total++;
    passed += line_matches(line, count);
    expected_line = expected_end + 1;
  }
  printf("samplefns: %d/%d lines make Strudel's events\n", passed, total);
  ck_assert_int_ge(total, 50);
  ck_assert_int_eq(passed, total);
  free(pairs);
  free(expected);
}
END_TEST

/* ---- Tidal's meaning where Strudel has none or another ------------------ */

/* The onsets of `line` (an output line's body) in [0, cycles). */
static int rows_of(const char *line, int64_t cycles, event_row *rows) {
  char text[512];
  snprintf(text, sizeof text, "d1 $ %s\n", line);
  return query_rows(text, cycles, rows);
}

static double control_of(const event_row *row, pat_control control) {
  for (size_t k = 0; k < COMPARED; k++)
    if (compared[k].control == control)
      return row->has[k] ? row->number[k] : NAN;
  return NAN;
}

static const char *text_of(const event_row *row, pat_control control) {
  for (size_t k = 0; k < COMPARED; k++)
    if (compared[k].control == control && row->has[k])
      return row->text[k];
  return "";
}

static event_row rows[MAX_EVENTS]; /* the hand-worked tests' events */

/* Two lines make the same events in `cycles` cycles. */
static void assert_same_events(const char *a, const char *b, int64_t cycles) {
  static event_row rows_b[MAX_EVENTS];
  int na = rows_of(a, cycles, actual_rows), nb = rows_of(b, cycles, rows_b);
  ck_assert_msg(na == nb && na > 0, "%s: %d events, %s: %d", a, na, b, nb);
  for (int i = 0; i < nb; i++) {
    int j = 0;
    while (j < na && (actual_rows[j].matched || !rows_equal(&rows_b[i], &actual_rows[j])))
      j++;
    ck_assert_msg(j < na, "%s has an event %s does not (the %d-th)", b, a, i);
    actual_rows[j].matched = true;
  }
}

START_TEST(chop_and_striate_play_parts_of_the_range_an_event_already_plays) {
  /* Tidal's chop and mergePlayRange: begin' = b + (i/n) (e - b); Strudel's chop sets i/n. */
  ck_assert_int_eq(rows_of("chop 2 $ s \"bev\" # begin 0.5", 1, rows), 2);
  ck_assert(control_of(&rows[0], PAT_CONTROL_BEGIN) == 0.5);
  ck_assert(control_of(&rows[0], PAT_CONTROL_END) == 0.75);
  ck_assert(control_of(&rows[1], PAT_CONTROL_BEGIN) == 0.75);
  ck_assert(control_of(&rows[1], PAT_CONTROL_END) == 1.0);
  /* an event 3/4 long in cycle 1: Tidal's chopArc cuts its own whole, where
     Strudel's focus starts the sequence a third in (begin 1/3 first) */
  ck_assert_int_eq(rows_of("chop 3 $ s \"bd@3 sn\"", 2, rows), 12);
  for (int i = 0; i < 3; i++)
    ck_assert_msg(control_of(&rows[6 + i], PAT_CONTROL_BEGIN) == i / 3.0, "bd@3 in cycle 1: %d", i);
  ck_assert_int_eq(rows_of("chop 2 $ chop 2 $ s \"bev\"", 1, rows), 4);
  for (int i = 0; i < 4; i++)
    ck_assert_msg(control_of(&rows[i], PAT_CONTROL_BEGIN) == i * 0.25 &&
                      control_of(&rows[i], PAT_CONTROL_END) == (i + 1) * 0.25,
                  "chop 2 $ chop 2: event %d", i);
  ck_assert_int_eq(rows_of("striate 2 $ s \"bev\" # end 0.5", 1, rows), 2);
  ck_assert(control_of(&rows[0], PAT_CONTROL_BEGIN) == 0.0);
  ck_assert(control_of(&rows[0], PAT_CONTROL_END) == 0.25);
  ck_assert(control_of(&rows[1], PAT_CONTROL_BEGIN) == 0.25);
  ck_assert(control_of(&rows[1], PAT_CONTROL_END) == 0.5);
  /* striateBy sets its range (# begin, # end), whatever the event had */
  ck_assert_int_eq(rows_of("striateBy 2 0.5 $ s \"bev\" # begin 0.9", 1, rows), 2);
  ck_assert(control_of(&rows[1], PAT_CONTROL_BEGIN) == 0.25);
  ck_assert(control_of(&rows[1], PAT_CONTROL_END) == 0.75);
}
END_TEST

START_TEST(slice_wraps_indices_past_the_count) {
  /* Tidal's div' i n = (i mod n) / n, mod with the divisor's sign */
  ck_assert_int_eq(rows_of("slice 4 \"-1 5\" $ s \"bev\"", 1, rows), 2);
  ck_assert(control_of(&rows[0], PAT_CONTROL_BEGIN) == 0.75);
  ck_assert(control_of(&rows[0], PAT_CONTROL_END) == 1.0);
  ck_assert(control_of(&rows[1], PAT_CONTROL_BEGIN) == 0.25);
  ck_assert(control_of(&rows[1], PAT_CONTROL_END) == 0.5);
  ck_assert_int_eq(rows_of("slice 0 \"0 1\" $ s \"bev\"", 1, rows), 0); /* a count below 1 */
}
END_TEST

START_TEST(slices_in_order_are_chop_and_backwards_are_rev_chop) {
  /* Tidal's documentation: slice 8 "7 6 5 4 3 2 1 0" is rev $ chop 8 */
  assert_same_events("slice 4 \"0 1 2 3\" $ s \"bev\"", "chop 4 $ s \"bev\"", 3);
  assert_same_events("slice 8 \"7 6 5 4 3 2 1 0\" $ s \"bev\"", "rev $ chop 8 $ s \"bev\"", 3);
  assert_same_events("striate 1 $ s \"bd sn\"", "chop 1 $ s \"bd sn\"", 2);
  assert_same_events("bite 4 \"0 1 2 3\" $ n \"0 .. 7\" # s \"drum\"", "n \"0 .. 7\" # s \"drum\"",
                     3);
}
END_TEST

START_TEST(bite_squeezes_the_cycle_its_event_is_in) {
  /* Tidal's squeezeJoin (focusArc): the event at [1, 3/2) plays cycle 1 of
     the pattern (n "2 3"), so its slice 1 is n 3. Strudel's focus would
     play cycle 2 (n "0 1") there. */
  ck_assert_int_eq(rows_of("bite 2 \"1 0\" $ n \"<[0 1] [2 3]>\" # s \"x\"", 2, rows), 4);
  double want[4] = {1, 0, 3, 2};
  for (int i = 0; i < 4; i++)
    ck_assert_msg(control_of(&rows[i], PAT_CONTROL_N) == want[i], "event %d: n %g, Tidal %g", i,
                  control_of(&rows[i], PAT_CONTROL_N), want[i]);
}
END_TEST

START_TEST(chew_gives_nothing_for_an_event_across_a_cycle_boundary) {
  /* squeezeJoinUp compresses into cycleArc w: past the cycle it is silence */
  ck_assert_int_eq(rows_of("chew 4 \"0/2\" $ s \"bev*4\"", 2, rows), 0);
  /* bite: a whole longer than a cycle plays the slice at its own speed */
  ck_assert_int_eq(rows_of("bite 4 \"0/2\" $ s \"bev*4\"", 2, rows), 2);
  /* chew 4 "0 1": each slice (a quarter) in half a cycle: speed 1/2 */
  ck_assert_int_eq(rows_of("chew 4 \"0 1\" $ s \"bev*4\"", 1, rows), 2);
  ck_assert(control_of(&rows[0], PAT_CONTROL_SPEED) == 0.5);
}
END_TEST

START_TEST(randslice_is_the_same_however_the_time_is_queried) {
  /* one rand per event (its whole's middle), not per query as Tidal's innerJoin */
  const char *line = "d1 $ randslice 8 $ s \"bev*3 sn\"\n";
  static event_row whole_rows[64];
  int n = query_rows(line, 2, whole_rows);
  ck_assert_int_eq(n, 8);
  prog_program *p = compile_ok(line);
  int seen = 0;
  for (int64_t step = 0; step < 14; step++) { /* the same two cycles in sevenths */
    pat_arena arena;
    pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
    const pat_event *events;
    size_t count = pat_query(
        prog_output_pattern(p, 0),
        (pat_arc){pat_rat_make(step, 7, &(bool){false}), pat_rat_make(step + 1, 7, &(bool){false})},
        &arena, &events);
    for (size_t i = 0; i < count; i++) {
      if (pat_rat_cmp(events[i].part.begin, events[i].whole.begin) != 0)
        continue;
      double begin = pat_controls_number(events[i].value.controls, PAT_CONTROL_BEGIN, -1);
      ck_assert_msg(begin == control_of(&whole_rows[seen], PAT_CONTROL_BEGIN),
                    "onset %d: begin %g in pieces, %g at once", seen, begin,
                    control_of(&whole_rows[seen], PAT_CONTROL_BEGIN));
      seen++;
    }
  }
  ck_assert_int_eq(seen, n);
  prog_free(p);
}
END_TEST

START_TEST(loop_at_slows_and_sets_speed_in_cycles) {
  /* Tidal: slow n p |* speed (1/n) # unit "c" (Strudel's loopAt multiplies
     by its cps as well) */
  ck_assert_int_eq(rows_of("loopAt 4 $ chop 2 $ s \"break\" # speed 3", 4, rows), 2);
  ck_assert(control_of(&rows[0], PAT_CONTROL_SPEED) == 0.75);
  ck_assert_int_eq(pat_rat_cmp(rows[1].whole.begin, pat_rat_int(2)), 0);
  ck_assert_str_eq(text_of(&rows[0], PAT_CONTROL_UNIT), "c");
}
END_TEST

START_TEST(tidals_documented_examples_compile) {
  static const char *const examples[] = {
      "d1 $ chop 16 $ sound \"arpy ~ feel*2 newnotes\"",
      "d1 $ chop \"<16 128 32>\" $ sound \"arpy ~ feel*2 newnotes\"",
      "d1 $ slow 2 $ rev $ chop 16 $ sound \"breaks125\"",
      "d1 $ slow 2 $ jux rev $ chop 16 $ sound \"breaks125\"",
      "d1 $ chop 256 $ sound \"bd*4 [sn cp] [hh future]*2 [cp feel]\"",
      "d1 $ chop 16 $ sound (samples \"arpy*8\" (run 16))",
      "d1 $ chop 32 $ sound (samples \"arpy*8\" (run 16))",
      "d1 $ loopAt 8 $ chop 32 $ sound \"bev\"",
      "d1 $ loopAt 8 $ rev $ chop 32 $ sound \"bev\"",
      "d1 $ chop 16 $ sound \"arpy arp feel*4 arpy*4\"",
      "d1 $ striate 3 $ sound \"ho ho:2 ho:3 hc\"",
      "d1 $ slow 4 $ striate 3 $ sound \"numbers:0 numbers:1 numbers:2 numbers:3\"",
      "d1 $ slow 4 $ chop 3 $ sound \"numbers:0 numbers:1 numbers:2 numbers:3\"",
      "d1 $  slow 8 $ striate 128 $ sound \"bev\"",
      "d1 $ slow 32 $ striateBy 32 (1/16) $ sound \"bev\"",
      "d1 $ slow 32 $ striate' 32 (1/16) $ sound \"bev\"",
      "d1 $ slice 8 \"7 6 5 4 3 2 1 0\" $ sound \"breaks165\"\n  # legato 1",
      "d1 $ slice 8 \"[<0*8 0*2> 3*4 2 4] [4 .. 7]\" $ sound \"breaks165\"\n  # legato 1",
      "d1 $ splice 8 \"[<0*8 0*2> 3*4 2 4] [4 .. 7]\" $ sound \"breaks165\"",
      "d1 $ randslice 32 $ sound \"bev\"",
      "d1 $ fast 4 $ randslice 32 $ sound \"bev\"",
      "d1 $ smash 3 [2,3,4] $ sound \"ho ho:2 ho:3 hc\"",
      "d1 $ gap 8 $ sound \"jvbass\"",
      "d1 $ gap 16 $ sound \"[jvbass drum:4]\"",
      "d1 $ loopAt 4 $ sound \"breaks125\"",
      "d1 $ loopAt 2 $ chop 4 $ s \"break\"",
      "d1 $ juxBy 0.6 (|* speed \"2\") $ slowspread (loopAt) [4,6,2,3] $ chop 12 $ s \"fm:14\"",
      "d1 $ bite 4 \"0 1 2 3\" $ n \"0 .. 7\" # sound \"arpy\"",
      "d1 $ bite 4 \"2 0 1 3\" $ n \"0 .. 7\" # sound \"arpy\"",
      "d1 $ bite 4 \"2 [0 3] 1*4 1\" $ n \"0 .. 7\" # sound \"arpy\"",
      "d1 $ bite 4 \"0 1*2 2*2 [~ 3]\" $ n \"0 .. 7\" # sound \"drum\"",
      "d1 $ chew 4 \"0 1*2 2*2 [~ 3]\" $ n \"0 .. 7\" # sound \"drum\"",
      "d1 $ segment 4 $ n (irand 5) # sound \"drum\"",
      "d1 $ n (slow 2 $ segment 16 $ range 0 32 $ sine) # sound \"amencutup\"",
  };
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
    char text[512];
    snprintf(text, sizeof text, "%s\n", examples[i]);
    prog_free(compile_ok(text));
  }
}
END_TEST

START_TEST(the_breaks_example_plays_every_line) {
  char *text = read_repo_file("examples/breaks.cb");
  ck_assert_msg(text, "examples/breaks.cb not found (CB_TOP?)");
  prog_program *p = compile_ok(text);
  ck_assert_int_eq(prog_output_count(p), 6);
  for (int output = 0; output < prog_output_count(p); output++) {
    const pat_event *events;
    size_t n = query_output(p, output, 0, 8, PAT_NOTES_STRUDEL, &events);
    ck_assert_msg(n > 0 && !test_arena.overflow, "%s plays nothing", prog_output_name(p, output));
  }
  prog_free(p);
  free(text);
}
END_TEST

START_TEST(sample_functions_say_what_they_need) {
  prog_error e = compile_error("d1 $ chop 4 $ \"1 2\"\n");
  ck_assert_int_eq(e.line, 1);
  ck_assert_int_eq(e.column, 6);
  ck_assert_msg(strstr(e.message, "chop cuts sounds"), "%s", e.message);
  e = compile_error("d1 $ slice 4 $ s \"bev\"\n");
  ck_assert_int_eq(e.line, 1);
  e = compile_error("d1 $ chop rev $ s \"bev\"\n");
  ck_assert_msg(strstr(e.message, "chop"), "%s", e.message);
}
END_TEST

int main(void) {
  Suite *s = suite_create("program_samplefns");
  TCase *tc = tcase_create("samplefns");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, every_sample_function_line_makes_strudels_events);
  tcase_add_test(tc, chop_and_striate_play_parts_of_the_range_an_event_already_plays);
  tcase_add_test(tc, slice_wraps_indices_past_the_count);
  tcase_add_test(tc, slices_in_order_are_chop_and_backwards_are_rev_chop);
  tcase_add_test(tc, bite_squeezes_the_cycle_its_event_is_in);
  tcase_add_test(tc, chew_gives_nothing_for_an_event_across_a_cycle_boundary);
  tcase_add_test(tc, randslice_is_the_same_however_the_time_is_queried);
  tcase_add_test(tc, loop_at_slows_and_sets_speed_in_cycles);
  tcase_add_test(tc, tidals_documented_examples_compile);
  tcase_add_test(tc, the_breaks_example_plays_every_line);
  tcase_add_test(tc, sample_functions_say_what_they_need);
  suite_add_tcase(s, tc);
  return check_run(s);
}
