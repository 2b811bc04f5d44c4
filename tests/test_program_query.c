/* prog_query: triggers with their controls read at the onset, chords as one
   voice per note, macros, bounded output (dropped, never slow), clamped
   absurd values, and byte-equal voices for equal triggers. */
#include "test_program_util.h"

static bool near(double a, double b) { return fabs(a - b) <= 1e-3 * fmax(1.0, fabs(b)); }

/* q.cb's cutoff: fast "<3 19 3 3 2 8 9>" $ "800 <300 500 200 999>" at t. */
static double q_cutoff(double t) {
  static const int factors[] = {3, 19, 3, 3, 2, 8, 9};
  static const double seconds[] = {300, 500, 200, 999};
  double u = t * factors[(int)floor(t) % 7];
  double k = floor(u);
  return u - k < 0.5 ? 800.0 : seconds[(int)k % 4];
}

START_TEST(q_program_gives_28_triggers_per_cycle_with_right_pitches_and_cutoffs) {
  char *text = read_repo_file("examples/q.cb");
  ck_assert_ptr_nonnull(text);
  prog_program *p = compile_ok(text);
  free(text);
  const synth_bus *bus = prog_bus(p, 0);
  int pitch = bus->nodes[0].inputs[0].index, cutoff = bus->nodes[1].inputs[1].index;
  for (int64_t cycle = 0; cycle < 14; ++cycle) {
    size_t n = query_cycle(p, cycle);
    ck_assert_int_eq((int)n, 28);
    for (size_t i = 0; i < n; i += 4) {
      double t = pat_rat_to_double(test_triggers[i].onset);
      ck_assert_int_eq((int)test_triggers[i].onset.den % 17 == 0 || test_triggers[i].onset.den == 1,
                       1);
      bool first_chord = t - (double)cycle < 0.5;
      const double c4min7[] = {60, 63, 67, 70}, f3min7[] = {53, 56, 60, 63};
      for (int v = 0; v < 4; ++v) {
        const prog_trigger *tr = &test_triggers[i + (size_t)v];
        ck_assert(pat_rat_cmp(tr->onset, test_triggers[i].onset) == 0);
        double expected = midi_hz(first_chord ? c4min7[v] : f3min7[v]);
        ck_assert_msg(near(tr->voice.params[pitch], expected), "cycle %d voice %d: %f, not %f",
                      (int)cycle, v, tr->voice.params[pitch], expected);
        ck_assert_msg(near(tr->voice.params[cutoff], q_cutoff(t)), "t=%f: cutoff %f, not %f", t,
                      tr->voice.params[cutoff], q_cutoff(t));
        ck_assert(near(tr->gate_cycles, 1.0 / 17.0));
      }
    }
  }
  prog_free(p);
}
END_TEST

START_TEST(controls_are_read_at_each_onset) {
  prog_program *p = compile_ok("~x $ saw # lpf 100\n"
                               "d1 $ s \"~x*4\" # lpf \"300 [400 500]\" # note \"<c5 d5>\"\n");
  size_t n = query_cycle(p, 1);
  ck_assert_int_eq((int)n, 4);
  const float cutoffs[] = {300, 300, 400, 500};
  for (int i = 0; i < 4; ++i) {
    ck_assert_float_eq(test_triggers[i].voice.params[1], cutoffs[i]);
    ck_assert(near(test_triggers[i].voice.params[0], midi_hz(62)));
  }
  prog_free(p);
}
END_TEST

START_TEST(control_rest_drops_the_event_as_tidal_does) {
  prog_program *p = compile_ok("~x $ saw\nd1 $ s \"~x*4\" # note \"c ~ e ~\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 2);
  prog_free(p);
}
END_TEST

START_TEST(chord_gives_one_voice_per_note_and_octave_moves_it) {
  prog_program *p = compile_ok("~x $ tri\nd1 $ s \"~x\" # note \"c'maj\" # octave 6\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 3);
  const double notes[] = {72, 76, 79};
  for (int i = 0; i < 3; ++i)
    ck_assert(near(test_triggers[i].voice.params[0], midi_hz(notes[i])));
  prog_free(p);
  p = compile_ok("~x $ saw \"<a5 110>\"\nd1 $ s \"~x\"\n"); /* note names as frequencies */
  query_cycle(p, 0);
  ck_assert(near(test_triggers[0].voice.params[0], 440.0));
  query_cycle(p, 1);
  ck_assert(near(test_triggers[0].voice.params[0], 110.0));
  prog_free(p);
  p = compile_ok("~x $ saw 110\nd1 $ s \"~x\" # octave 4\n"); /* octave alone moves it */
  query_cycle(p, 0);
  ck_assert(near(test_triggers[0].voice.params[0], 55.0));
  prog_free(p);
  p = compile_ok("~x $ saw 110\nd1 $ s \"~x\" # n \"-12\"\n"); /* n alone is the note */
  query_cycle(p, 0);
  ck_assert(near(test_triggers[0].voice.params[0], midi_hz(48)));
  prog_free(p);
}
END_TEST

/* The first trigger's pitch as a MIDI number, for each of a cycle's triggers. */
static void assert_pitches(const char *line, const double *midi, int count) {
  char text[256];
  snprintf(text, sizeof text, "~x $ saw\nd1 $ %s\n", line);
  prog_program *p = compile_ok(text);
  ck_assert_int_eq((int)query_cycle(p, 0), count);
  for (int i = 0; i < count; ++i)
    ck_assert_msg(near(test_triggers[i].voice.params[0], midi_hz(midi[i])) &&
                      near(test_triggers[i].note, midi[i]),
                  "%s: trigger %d plays %g Hz (MIDI %g), not MIDI %g", line, i,
                  test_triggers[i].voice.params[0], (double)test_triggers[i].note, midi[i]);
  prog_free(p);
}

/* Tidal's pitch, as SuperDirt plays it (worked out by hand from Tidal's note
   parser and chord table and SuperDirt's midinote = (note ? n) + 12 * octave,
   octave 5 by default): note 0 is middle C, MIDI 60. */
START_TEST(notes_count_semitones_from_middle_c_as_in_tidal) {
  const double names[] = {60, 69, 65, 64}; /* note "c a f e" = 0 9 5 4 */
  assert_pitches("s \"~x*4\" # note \"c a f e\"", names, 4);
  assert_pitches("note \"0 9 5 4\" # s \"~x\"", names, 4);
  assert_pitches("s \"~x*4\" # up \"c a f e\"", names, 4); /* up is note */
  const double scale[] = {60, 61, 62, 63, 64, 65, 66, 67};
  assert_pitches("n \"0 .. 7\" # s \"~x\"", scale, 8);
  const double a440[] = {69, 69, 69};
  assert_pitches("s \"~x*3\" # note \"a5 a 9\"", a440, 3);
  assert_pitches("s \"~x\" # midinote 69", a440, 1);
  assert_pitches("s \"~x\" # midinote 69 # note 3 # octave 2", a440, 1); /* midinote wins */
  const double down[] = {48, 57}; /* octave 4: an octave down */
  assert_pitches("s \"~x*2\" # note \"c a\" # octave 4", down, 2);
  assert_pitches("s \"~x*2\" # n \"c a\" # octave 4", down, 2);
  const double octaves[] = {48, 72};
  assert_pitches("s \"~x*2\" # octave \"4 6\"", octaves, 2); /* note 0 by default */
  const double with_n[] = {64};                              /* note ? n: the note wins */
  assert_pitches("s \"~x\" # note 4 # n 7", with_n, 1);
  /* chords are relative: c'maj = 0 4 7; e4'min7'ii = -1 2 4 7 */
  const double chords[] = {60, 64, 67, 59, 62, 64, 67};
  assert_pitches("note \"c'maj e4'min7'ii\" # s \"~x\"", chords, 7);
  const double five[] = {60, 64, 67, 72, 76};
  assert_pitches("s \"~x\" # note \"c'maj'5\"", five, 5);
  const double arithmetic[] = {48, 52}; /* names are numbers: "c4 e4" + "<0 12>" */
  assert_pitches("s \"~x*2\" # note (\"c4 e4\" + \"<0 12>\")", arithmetic, 2);
  prog_program *p = compile_ok("~x $ saw\nd1 $ s \"~x*2\" # note (\"c4 e4\" + \"<0 12>\")\n");
  ck_assert_int_eq((int)query_cycle(p, 1), 2);
  ck_assert(near(test_triggers[0].note, 60) && near(test_triggers[1].note, 64));
  prog_free(p);
}
END_TEST

/* `note ("[-24,-23,...]"<inner>)<outer>`: count notes on one event, MIDI 36, 37, ... */
static prog_program *chord_of(int count, const char *inner, const char *outer) {
  char text[512];
  int at = snprintf(text, sizeof text, "~x $ saw\nd1 $ s \"~x\" # note (\"[");
  for (int i = 0; i < count; ++i)
    at += snprintf(text + at, sizeof text - (size_t)at, i ? ",%d" : "%d", 36 + i - 60);
  snprintf(text + at, sizeof text - (size_t)at, "]\"%s)%s\n", inner, outer);
  return compile_ok(text);
}

/* A chord is one event per note (a stack, as in Tidal): every note plays,
   however many, and arithmetic and other chords combine event by event. */
START_TEST(a_chord_is_one_event_per_note_and_every_note_plays) {
  size_t dropped = 99;
  prog_program *p = chord_of(32, "", "");
  ck_assert_int_eq((int)query_span(p, pat_rat_int(0), pat_rat_int(1), NULL, &dropped), 32);
  ck_assert_uint_eq(dropped, 0);
  for (int i = 0; i < 32; ++i)
    ck_assert(near(test_triggers[i].voice.params[0], midi_hz(36 + i)));
  prog_free(p);
  p = chord_of(33, "", "");
  ck_assert_int_eq((int)query_span(p, pat_rat_int(0), pat_rat_int(1), NULL, &dropped), 33);
  ck_assert_uint_eq(dropped, 0);
  prog_free(p);
  p = chord_of(12, " + \"[0,12]\"", ""); /* 24 from a sum of chords: all play */
  ck_assert_int_eq((int)query_span(p, pat_rat_int(0), pat_rat_int(1), NULL, &dropped), 24);
  ck_assert_uint_eq(dropped, 0);
  ck_assert(near(test_triggers[1].voice.params[0], midi_hz(48)));  /* 36 + 12 */
  ck_assert(near(test_triggers[23].voice.params[0], midi_hz(59))); /* 47 + 12 */
  prog_free(p);
  p = chord_of(40, "", " # lpf \"[400,800]\""); /* every combination: 80 */
  ck_assert_int_eq((int)query_span(p, pat_rat_int(0), pat_rat_int(1), NULL, &dropped), 80);
  ck_assert_uint_eq(dropped, 0);
  prog_free(p);
  /* what does not fit the caller's triggers is counted */
  p = chord_of(40, "", "");
  pat_arena arena;
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  ck_assert_int_eq((int)prog_query(p, (pat_arc){pat_rat_int(0), pat_rat_int(1)}, test_macros,
                                   &arena, test_triggers, 32, &dropped),
                   32);
  ck_assert_uint_eq(dropped, 8);
  prog_free(p);
}
END_TEST

START_TEST(structure_can_come_from_note_with_sound_as_a_control) {
  prog_program *p = compile_ok("~x $ saw\nd1 $ note \"c5 [e5 g5]\" # s \"~x\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 3);
  ck_assert(near(test_triggers[2].voice.params[0], midi_hz(67)));
  ck_assert(near(test_triggers[2].gate_cycles, 0.25));
  prog_free(p);
}
END_TEST

START_TEST(macros_reach_params_and_set_uses_macros) {
  prog_program *p = compile_ok("~x $ saw # lpf \\cutoff \\res # env 0.01 0.2\n"
                               "~y $ saw # lpf 800 # env 0.01 0.2\n"
                               "d1 $ s \"~x ~y\"\n");
  float macros[PROG_MACRO_COUNT];
  memcpy(macros, test_macros, sizeof macros);
  macros[PROG_MACRO_CUTOFF] = 1234.0f;
  macros[PROG_MACRO_RES] = 3.0f;
  ck_assert_int_eq((int)query_span(p, pat_rat_int(0), pat_rat_int(1), macros, NULL), 2);
  ck_assert_float_eq(test_triggers[0].voice.params[1], 1234.0f);
  ck_assert_float_eq(test_triggers[0].voice.params[2], 3.0f);
  ck_assert(test_triggers[0].uses_macros);
  ck_assert(!test_triggers[1].uses_macros);
  macros[PROG_MACRO_CUTOFF] = 99.0f;
  query_span(p, pat_rat_int(0), pat_rat_int(1), macros, NULL);
  ck_assert_float_eq(test_triggers[0].voice.params[1], 99.0f);
  prog_free(p);
  /* without an envelope, the bus's fade comes from the \attack and \release ports */
  p = compile_ok("~x $ saw\nd1 $ s \"~x*2\" # release \"<0.3 ~>\"\n");
  macros[PROG_MACRO_RELEASE] = 0.125f;
  query_span(p, pat_rat_int(0), pat_rat_int(1), macros, NULL);
  ck_assert_float_eq(test_triggers[0].voice.params[2], 0.3f);
  ck_assert(near(test_triggers[0].release_seconds, 0.3));
  prog_free(p);
  p = compile_ok("~x $ saw\nd1 $ s \"~x*2\" # lpf \\m3\n");
  macros[PROG_MACRO_M1 + 2] = 640.0f;
  query_span(p, pat_rat_int(0), pat_rat_int(1), macros, NULL);
  ck_assert_float_eq(test_triggers[0].voice.params[2], 0.125f); /* release macro */
  ck_assert(near(test_triggers[0].release_seconds, 0.125));
  ck_assert(test_triggers[0].uses_macros);
  prog_free(p);
}
END_TEST

START_TEST(gain_pan_legato_and_release_reach_the_trigger) {
  prog_program *p =
      compile_ok("~x $ saw # env 0.01 0.3\n"
                 "d1 $ echo 2 0.25 0.5 $ s \"~x\" # gain 0.8 # legato 0.5 # pan 0.25\n"
                 "d2 $ jux rev $ s \"~x\"\n");
  size_t n = query_cycle(p, 0);
  ck_assert_int_eq((int)n, 4);
  /* in onset order across lines: d1 at 0, d2's two at 0, d1's echo at 1/4 */
  ck_assert(near(test_triggers[0].gain, 0.8) && near(test_triggers[3].gain, 0.4));
  ck_assert(test_triggers[3].onset.num == 1 && test_triggers[3].onset.den == 4);
  ck_assert_int_eq(test_triggers[3].output, 0);
  ck_assert(near(test_triggers[0].gate_cycles, 0.5));
  ck_assert(near(test_triggers[0].pan, 0.25));
  ck_assert(near(test_triggers[0].release_seconds, 0.3));
  ck_assert(near(test_triggers[1].pan + test_triggers[2].pan, 1.0)); /* jux: 0 and 1 */
  ck_assert_int_eq(test_triggers[1].output, 1);
  ck_assert_int_eq(test_triggers[2].output, 1);
  prog_free(p);
}
END_TEST

/* Orbits: `orbit` picks the effect bus (modulo 8, as Tidal's orbits wrap
   SuperDirt's), `room` and `delay` are the event's sends (`dry` takes from
   the reverb's), and the orbit parameters an event sets are marked present;
   the others stay the orbit's own. */
START_TEST(orbit_sends_and_orbit_parameters_reach_the_trigger) {
  prog_program *p = compile_ok("~x $ saw\n"
                               "d1 $ s \"~x ~x ~x\" # orbit \"1 9 -1\" # room \"0.5 2 0\" "
                               "# dry \"0.5 0 0\" # size 0.8 # delay \"0 0.25 -1\"\n"
                               "d2 $ s \"~x\" # delaytime 0.1875 # lock 1 # delayfeedback 3\n"
                               "d3 $ s \"~x\"\n");
  size_t n = query_cycle(p, 0);
  ck_assert_int_eq((int)n, 5);
  /* onset order: d1, d2 and d3 at 0, then d1 at 1/3 and 2/3 */
  const prog_trigger *a = &test_triggers[0], *d2 = &test_triggers[1], *d3 = &test_triggers[2];
  const prog_trigger *b = &test_triggers[3], *c = &test_triggers[4];
  ck_assert_int_eq(a->orbit, 1);
  ck_assert_int_eq(b->orbit, 1); /* 9 wraps */
  ck_assert_int_eq(c->orbit, 7); /* so does -1 */
  ck_assert(near(a->room, 0.25) && near(b->room, 1.0) && near(c->room, 0.0));
  ck_assert(near(a->delay, 0.0) && near(b->delay, 0.25) && near(c->delay, 0.0));
  ck_assert_uint_eq(a->fx.present, ORBIT_SET_SIZE);
  ck_assert(near(a->fx.size, 0.8));
  ck_assert_uint_eq(d2->fx.present, ORBIT_SET_DELAYTIME | ORBIT_SET_LOCK | ORBIT_SET_DELAYFEEDBACK);
  ck_assert(near(d2->fx.delaytime, 0.1875) && d2->fx.lock);
  ck_assert(near(d2->fx.delayfeedback, ORBIT_FEEDBACK_MAX));
  ck_assert_int_eq(d3->orbit, 0);
  ck_assert_uint_eq(d3->fx.present, 0);
  ck_assert(near(d3->room, 0.0) && near(d3->delay, 0.0));
  prog_free(p);
}
END_TEST

START_TEST(transforms_keep_each_event_with_its_own_controls) {
  /* every 2 (fast 2): cycle 0 fast, cycle 1 plain, notes follow */
  prog_program *p = compile_ok("~x $ saw\nd1 $ every 2 (fast 2) $ s \"~x*2\" # note \"0 2\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 4);
  const double fast[] = {60, 62, 60, 62};
  for (int i = 0; i < 4; ++i)
    ck_assert(near(test_triggers[i].voice.params[0], midi_hz(fast[i])));
  ck_assert_int_eq((int)query_cycle(p, 1), 2);
  prog_free(p);
  /* rev reverses the notes with the events */
  p = compile_ok("~x $ saw\nd1 $ rev $ s \"~x*4\" # note \"0 2 4 5\"\n");
  query_cycle(p, 0);
  ck_assert(near(test_triggers[0].voice.params[0], midi_hz(65)));
  prog_free(p);
  /* off: the copy has its own note */
  p = compile_ok("~x $ saw\nd1 $ off 0.25 (# note 7) $ s \"~x\" # note 0\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 2);
  ck_assert(near(test_triggers[0].voice.params[0], midi_hz(60)));
  ck_assert(near(test_triggers[1].voice.params[0], midi_hz(67)));
  ck_assert_int_eq((int)test_triggers[1].onset.den, 4);
  prog_free(p);
}
END_TEST

START_TEST(bus_parameter_patterns_are_read_at_the_onset) {
  prog_program *p = compile_ok("~x $ saw # lpf \"<400 800>\" \"0.5 2\"\nd1 $ s \"~x*2\"\n");
  query_cycle(p, 1);
  ck_assert_float_eq(test_triggers[0].voice.params[1], 800.0f);
  ck_assert_float_eq(test_triggers[0].voice.params[2], 0.5f);
  ck_assert_float_eq(test_triggers[1].voice.params[2], 2.0f);
  prog_free(p);
}
END_TEST

START_TEST(split_spans_give_each_onset_once) {
  prog_program *p = compile_ok("~x $ saw\nd1 $ s \"~x(5,8) ~x@3\" # note \"c e g\"\n");
  size_t whole = query_cycle(p, 3);
  prog_trigger all[64];
  memcpy(all, test_triggers, whole * sizeof all[0]);
  size_t got = 0;
  for (int part = 0; part < 7; ++part) {
    pat_rat begin = pat_rat_make(21 + part, 7, NULL), end = pat_rat_make(22 + part, 7, NULL);
    size_t n = query_span(p, begin, end, NULL, NULL);
    for (size_t i = 0; i < n; ++i) {
      ck_assert(pat_rat_cmp(test_triggers[i].onset, begin) >= 0);
      ck_assert(memcmp(&test_triggers[i], &all[got + i], sizeof all[0]) == 0);
    }
    got += n;
  }
  ck_assert_int_eq((int)got, (int)whole);
  prog_free(p);
}
END_TEST

START_TEST(triggers_are_in_onset_order_within_each_output) {
  prog_program *p =
      compile_ok("~x $ saw\n"
                 "d1 $ off 0.125 (fast 2) $ jux rev $ s \"~x*16 ~x*3\" # note \"c e\"\n"
                 "d2 $ s \"[~x*64, ~x*3]\"\n");
  size_t n = query_cycle(p, 2);
  ck_assert_int_gt((int)n, 64);
  for (size_t i = 1; i < n; ++i)
    if (test_triggers[i].output == test_triggers[i - 1].output)
      ck_assert(pat_rat_cmp(test_triggers[i - 1].onset, test_triggers[i].onset) <= 0);
  prog_free(p);
}
END_TEST

START_TEST(equal_triggers_have_byte_equal_voices) {
  prog_program *p = compile_ok("~x $ saw # lpf 800 # env 0.01 0.1\n"
                               "d1 $ s \"~x*8\" # note \"c5 e5\"\n");
  size_t n = query_cycle(p, 0);
  ck_assert_int_eq((int)n, 8);
  ck_assert(memcmp(&test_triggers[0].voice, &test_triggers[1].voice, sizeof(synth_voice)) == 0);
  ck_assert(memcmp(&test_triggers[0].voice, &test_triggers[4].voice, sizeof(synth_voice)) != 0);
  for (int i = prog_bus(p, 0)->param_count; i < SYNTH_MAX_PARAMS; ++i)
    ck_assert_float_eq(test_triggers[0].voice.params[i], 0.0f);
  ck_assert_uint_eq(test_triggers[0].voice.seed, 1u);
  prog_free(p);
}
END_TEST

START_TEST(too_many_events_are_dropped_and_counted_quickly) {
  prog_program *p = compile_ok("~x $ saw\nd1 $ s \"~x*100000\" # note \"c'maj\"\n");
  pat_arena arena;
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  size_t dropped = 0;
  size_t n = prog_query(p, (pat_arc){pat_rat_int(0), pat_rat_int(1)}, test_macros, &arena,
                        test_triggers, 100, &dropped);
  ck_assert_int_eq((int)n, 100);
  /* a lower bound: the events past the query's work budget are not enumerated */
  ck_assert_int_gt((int)dropped, 100);
  prog_free(p);
  p = compile_ok("~x $ saw\nd1 $ s \"~x*16\" # note \"c'maj\"\n");
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  n = prog_query(p, (pat_arc){pat_rat_int(0), pat_rat_int(1)}, test_macros, &arena, test_triggers,
                 10, &dropped);
  ck_assert_int_eq((int)n, 10);
  /* a chord is three events (stacked, as in Tidal): 48 events, 10 fit */
  ck_assert_int_eq((int)dropped, 48 - 10);
  prog_free(p);
}
END_TEST

/* A control with an absurd density (a step repeated 10^12 times) would cost a
   full-arena query at every onset; one prog_query's pattern work is bounded
   in all, so the call stays short and the lost events are counted. (Found by
   the program fuzzer: 8 s for one cycle before the bound, 15 ms after.) */
START_TEST(an_absurdly_dense_control_costs_a_bounded_amount_of_work) {
  prog_program *p = compile_ok("~x $ saw\nd1 $ s \"~x*64\" # note \"[c4 v!1177777777777 a4]*6\"\n");
  pat_arena arena;
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  size_t dropped = 0;
  prog_query(p, (pat_arc){pat_rat_int(0), pat_rat_int(1)}, test_macros, &arena, test_triggers,
             TEST_TRIGGERS, &dropped);
  ck_assert_uint_lt(arena.work_spent, 60000);
  ck_assert_uint_gt(dropped, 0);
  ck_assert_uint_eq(arena.work_budget, 0); /* the caller's (none) is given back */
  /* An event whose control is readable plays beside one whose is not: each
     event's read of its controls may spend a quarter of the work left, no more. */
  prog_free(p);
  p = compile_ok("~x $ saw\nd1 $ s \"~x*2\" # note \"[v!1177777777777] e4\"\n");
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  ck_assert_int_eq((int)prog_query(p, (pat_arc){pat_rat_int(0), pat_rat_int(1)}, test_macros,
                                   &arena, test_triggers, TEST_TRIGGERS, &dropped),
                   1);
  ck_assert(near(test_triggers[0].voice.params[0], midi_hz(52)));
  ck_assert_uint_eq(dropped, 1);
  /* The same program's rhythm with a sane control plays every event. */
  prog_free(p);
  p = compile_ok("~x $ saw\nd1 $ s \"~x*64\" # note \"[c4 e4 a4]*6\"\n");
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  ck_assert_int_eq((int)prog_query(p, (pat_arc){pat_rat_int(0), pat_rat_int(1)}, test_macros,
                                   &arena, test_triggers, TEST_TRIGGERS, &dropped),
                   64);
  ck_assert_uint_eq(dropped, 0);
  prog_free(p);
}
END_TEST

START_TEST(absurd_values_are_clamped_and_never_crash) {
  static const char *const controls[] = {
      "note 1000",     "note \"-1000\"",  "n 1e308",     "legato 0",      "legato 1e6",
      "legato \"-3\"", "gain \"-1e400\"", "gain 1e400",  "gain (0/0)",    "pan 7",
      "pan \"-2\"",    "attack \"-1\"",   "release 1e9", "lpf 0",         "lpf 1e12",
      "res \"-5\"",    "hpf 1e30",        "bpf \"-1\"",  "note (1/0)",    "sustain 50",
      "legato (1/0)",  "note \"c100\"",   "gain \\m8",   "lpf (\\m1 / 0)"};
  float macros[PROG_MACRO_COUNT];
  for (int m = 0; m < PROG_MACRO_COUNT; ++m)
    macros[m] = (m % 2) ? INFINITY : NAN;
  for (size_t i = 0; i < sizeof controls / sizeof controls[0]; ++i) {
    char text[256];
    snprintf(text, sizeof text,
             "~x $ saw # lpf \\cutoff # adsr 0.01 0.1 0.5 0.2\n"
             "d1 $ s \"~x*4\" # %s\n",
             controls[i]);
    prog_program *p = compile_ok(text);
    size_t n = query_span(p, pat_rat_int(0), pat_rat_int(1), macros, NULL);
    for (size_t k = 0; k < n; ++k) {
      const prog_trigger *t = &test_triggers[k];
      ck_assert_msg(t->gate_cycles >= 0.0 && t->gate_cycles <= 64.0, "%s: gate", controls[i]);
      ck_assert_msg(t->gain >= 0.0f && t->gain <= 8.0f, "%s: gain %f", controls[i], t->gain);
      ck_assert_msg(t->pan >= 0.0f && t->pan <= 1.0f, "%s: pan", controls[i]);
      ck_assert_msg(t->release_seconds >= 0.0 && t->release_seconds <= 60.0, "%s: release",
                    controls[i]);
    }
    prog_free(p);
  }
}
END_TEST

START_TEST(queries_without_a_program_or_room_are_safe) {
  pat_arena arena;
  pat_arena_init(&arena, test_arena_memory, 64); /* too small for any event */
  size_t dropped = 7;
  ck_assert_int_eq((int)prog_query(NULL, (pat_arc){pat_rat_int(0), pat_rat_int(1)}, test_macros,
                                   &arena, test_triggers, 10, &dropped),
                   0);
  ck_assert_int_eq((int)dropped, 0);
  prog_program *p = compile_ok("~x $ saw\nd1 $ s \"~x*4\"\n");
  ck_assert_int_eq((int)prog_query(p, (pat_arc){pat_rat_int(0), pat_rat_int(1)}, test_macros,
                                   &arena, test_triggers, 10, &dropped),
                   0);
  ck_assert_int_gt((int)dropped, 0);
  ck_assert(arena.overflow);
  prog_free(p);
}
END_TEST

int main(void) {
  Suite *suite = suite_create("program_query");
  TCase *tc = tcase_create("query");
  tcase_add_test(tc, q_program_gives_28_triggers_per_cycle_with_right_pitches_and_cutoffs);
  tcase_add_test(tc, controls_are_read_at_each_onset);
  tcase_add_test(tc, control_rest_drops_the_event_as_tidal_does);
  tcase_add_test(tc, chord_gives_one_voice_per_note_and_octave_moves_it);
  tcase_add_test(tc, notes_count_semitones_from_middle_c_as_in_tidal);
  tcase_add_test(tc, a_chord_is_one_event_per_note_and_every_note_plays);
  tcase_add_test(tc, structure_can_come_from_note_with_sound_as_a_control);
  tcase_add_test(tc, macros_reach_params_and_set_uses_macros);
  tcase_add_test(tc, gain_pan_legato_and_release_reach_the_trigger);
  tcase_add_test(tc, orbit_sends_and_orbit_parameters_reach_the_trigger);
  tcase_add_test(tc, transforms_keep_each_event_with_its_own_controls);
  tcase_add_test(tc, bus_parameter_patterns_are_read_at_the_onset);
  tcase_add_test(tc, split_spans_give_each_onset_once);
  tcase_add_test(tc, triggers_are_in_onset_order_within_each_output);
  tcase_add_test(tc, equal_triggers_have_byte_equal_voices);
  tcase_add_test(tc, too_many_events_are_dropped_and_counted_quickly);
  tcase_add_test(tc, absurd_values_are_clamped_and_never_crash);
  tcase_add_test(tc, an_absurdly_dense_control_costs_a_bounded_amount_of_work);
  tcase_add_test(tc, queries_without_a_program_or_room_are_safe);
  suite_add_tcase(suite, tc);
  return check_run(suite);
}
