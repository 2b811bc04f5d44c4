/* The prelude's synths (plugin/program/prelude.cb): each compiles from its
   bare name, renders finite, audible audio at the note's pitch (measured
   from the spectrum), a program's own definition wins, and a program that
   names none compiles no prelude bus. */
#include "test_program_util.h"

#define RATE 48000.0
#define WINDOW 24000 /* half a second, from 0.15 s in */
#define SKIP 7200

static const char *const synths[] = {
    "superpiano", "supersaw",    "supersquare", "supermandolin", "superfm",   "superhammond",
    "superchip",  "superhoover", "supergong",   "superzow",      "supervibe", "superstatic",
    "soskick",    "sawtooth",    "square",      "triangle",      "sine"};
#define SYNTH_COUNT (int)(sizeof synths / sizeof synths[0])

static float rendered[(int)RATE * 2];

/* Renders the first trigger of cycle 0 for two seconds (gate 1 s). */
static const float *render_first(const prog_program *program) {
  size_t n = query_cycle(program, 0);
  ck_assert_uint_ge(n, 1);
  prog_trigger *t = &test_triggers[0];
  synth_voice v = t->voice;
  v.sample_rate = (float)RATE;
  v.gate_frames = (uint32_t)RATE;
  v.total_frames = (uint32_t)(2 * RATE);
  static synth_state state;
  const synth_bus *bus = prog_bus(program, t->bus);
  synth_start(&state, bus, &v);
  synth_render(&state, bus, &v, rendered, v.total_frames);
  return rendered;
}

/* Magnitude of the windowed signal w's spectrum at f Hz (Goertzel). */
static double magnitude(const double *w, int length, double f) {
  double coeff = 2.0 * cos(2.0 * M_PI * f / RATE), s1 = 0, s2 = 0;
  for (int i = 0; i < length; ++i) {
    double s0 = w[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return sqrt(s1 * s1 + s2 * s2 - coeff * s1 * s2);
}

/* The fundamental: the lowest spectral peak (1 Hz steps from 30 Hz to
   3 kHz, averaged over +-smooth Hz) reaching 0.3 of the highest, refined by
   a parabola through its neighbours; with `highest`, the highest peak (a
   band of noise). */
static double fundamental_of(const float *x, int length, int smooth, bool highest) {
  enum { LOW = 30, HIGH = 3000 };
  static double raw[HIGH + 1], s[HIGH + 1], windowed[WINDOW];
  ck_assert_int_le(length, WINDOW);
  for (int i = 0; i < length; ++i) /* Hann */
    windowed[i] = (0.5 - 0.5 * cos(2.0 * M_PI * i / (length - 1))) * x[i];
  for (int f = LOW; f <= HIGH; ++f)
    raw[f] = magnitude(windowed, length, f);
  double top = 0;
  for (int f = LOW; f <= HIGH; ++f) {
    double sum = 0;
    int count = 0;
    for (int k = f - smooth; k <= f + smooth; ++k)
      if (k >= LOW && k <= HIGH)
        sum += raw[k], ++count;
    s[f] = sum / count;
    top = s[f] > top ? s[f] : top;
  }
  for (int f = LOW + 1; f < HIGH; ++f)
    if (s[f] >= (highest ? 1.0 : 0.3) * top && s[f] >= s[f - 1] && s[f] >= s[f + 1]) {
      double a = s[f - 1], b = s[f], c = s[f + 1], d = a - 2 * b + c;
      return f + (d != 0 ? 0.5 * (a - c) / d : 0.0);
    }
  return 0;
}

static double fundamental(const float *x, int length, int smooth) {
  return fundamental_of(x, length, smooth, false);
}

/* Every prelude synth at n 0 (middle C) and n 9 (440 Hz): finite, audible,
   at that pitch (soskick two octaves down, as SuperDirt's 65 Hz). */
START_TEST(each_synth_plays_its_note) {
  const char *name = synths[_i];
  const int notes[2] = {0, 9};
  for (int k = 0; k < 2; ++k) {
    char text[160];
    snprintf(text, sizeof text, "d1 $ n %d # s \"%s\"", notes[k], name);
    prog_program *program = compile_ok(text);
    ck_assert_int_eq(prog_bus_count(program), 1);
    const float *x = render_first(program);
    double energy = 0;
    for (int i = 0; i < (int)(2 * RATE); ++i) {
      ck_assert_msg(isfinite(x[i]), "%s: frame %d is %f", name, i, (double)x[i]);
      energy += (double)x[i] * x[i];
    }
    double rms = sqrt(energy / (2 * RATE));
    ck_assert_msg(rms > 0.005, "%s is nearly silent (rms %g)", name, rms);
    double expected = midi_hz(60 + notes[k]) * (strcmp(name, "soskick") == 0 ? 0.25 : 1.0);
    /* a band of noise: its centre; detuned saws: the middle of the cluster */
    bool noise = strcmp(name, "superstatic") == 0;
    bool detuned = strcmp(name, "supersaw") == 0 || strcmp(name, "superhoover") == 0;
    double f = fundamental_of(x + SKIP, WINDOW, noise ? 10 : detuned ? 4 : 0, noise);
    double cents = 1200.0 * log2(f / expected);
    ck_assert_msg(fabs(cents) < (noise ? 50.0 : 15.0),
                  "%s n %d: fundamental %.2f Hz, expected %.2f", name, notes[k], f, expected);
    prog_free(program);
  }
}
END_TEST

/* Tidal's example: n "c a f e" plays c5 a5 f5 e5 (n 0 is middle C). */
START_TEST(superpiano_plays_tidals_pitch) {
  prog_program *program = compile_ok("d1 $ n \"c a f e\" # s \"superpiano\"");
  size_t n = query_cycle(program, 0);
  ck_assert_uint_eq(n, 4);
  const double midi[4] = {60, 69, 65, 64};
  for (int i = 0; i < 4; ++i)
    ck_assert_double_eq_tol(test_triggers[i].note, midi[i], 1e-4);
  /* the second note measured */
  memmove(&test_triggers[0], &test_triggers[1], sizeof test_triggers[0]);
  prog_trigger *t = &test_triggers[0];
  synth_voice v = t->voice;
  v.sample_rate = (float)RATE;
  v.gate_frames = (uint32_t)RATE;
  v.total_frames = (uint32_t)(2 * RATE);
  static synth_state state;
  synth_start(&state, prog_bus(program, t->bus), &v);
  synth_render(&state, prog_bus(program, t->bus), &v, rendered, v.total_frames);
  double f = fundamental(rendered + SKIP, WINDOW, 0);
  ck_assert_msg(fabs(f - 440.0) < 2.0, "a5 measured %.2f Hz", f);
  prog_free(program);
}
END_TEST

static bool has_node(const synth_bus *bus, synth_node_kind kind) {
  for (int i = 0; i < bus->node_count; ++i)
    if (bus->nodes[i].kind == kind)
      return true;
  return false;
}

START_TEST(a_programs_definition_wins) {
  prog_program *program =
      compile_ok("~superpiano $ square # gain 0.1\nd1 $ n \"c e\" # s \"superpiano ~superpiano\"");
  ck_assert_int_eq(prog_bus_count(program), 1);
  ck_assert(has_node(prog_bus(program, 0), SYNTH_SQUARE));
  ck_assert(!has_node(prog_bus(program, 0), SYNTH_SINE));
  ck_assert_uint_eq(query_cycle(program, 0), 2);
  prog_free(program);
}
END_TEST

START_TEST(only_the_named_synths_are_compiled) {
  /* sine and square as signals and oscillators are not the synths */
  prog_program *program =
      compile_ok("~x $ saw # lpf (sine 2 * 300 + 900)\nd1 $ s \"~x*4\" # pan sine # gain square");
  ck_assert_int_eq(prog_bus_count(program), 1);
  prog_free(program);
  program = compile_ok("d1 $ s \"<superpiano supersaw> sine\"");
  ck_assert_int_eq(prog_bus_count(program), 3);
  prog_free(program);
  /* all of them at once still fit */
  char text[1024] = "d1 $ s \"";
  for (int i = 0; i < SYNTH_COUNT; ++i) {
    strcat(text, synths[i]);
    strcat(text, i + 1 < SYNTH_COUNT ? " " : "\"");
  }
  program = compile_ok(text);
  ck_assert_int_eq(prog_bus_count(program), SYNTH_COUNT);
  prog_free(program);
}
END_TEST

/* Tidal's and Strudel's documented lines naming these synths compile unchanged. */
START_TEST(documented_examples_compile) {
  static const char *const examples[] = {
      "d1 $ n \"c a f e\" # s \"superpiano\"",
      "d1 $ n \"0 .. 7\" # s \"supergong\"\n  # decay \"[1 0.2]/4\"\n  # voice \"[0.5 0]/8\"",
      "d1 $ s \"supersaw\" # n \"<c e g>\" # voice 0.8 # lpf 2000",
      "d1 $ n (\"0 2 4 <[6,8] [7,9]>\" + \"<0 3>\") # s \"superpiano\" # octave 4 # legato 2",
      "d1 $ jux rev $ n \"0 [3 5] 7 10\" # s \"supermandolin\" # room 0.3",
      "d1 $ s \"soskick*4\" # voice 0.5",
      "d1 $ note \"c2 c2 [c3 c2]\" # s \"sawtooth\" # lpf 800 # lpenv 3",
      "d1 $ n \"0 4 7\" # s \"<superhammond supervibe superfm superchip>\" # orbit 1",
  };
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; ++i) {
    prog_program *program = compile_ok(examples[i]);
    ck_assert_uint_gt(query_cycle(program, 0), 0);
    prog_free(program);
  }
}
END_TEST

/* freq and controls as bus parameters: saw (freq * 2) plays an octave up,
   voice 0.25 reads the event's voice. */
START_TEST(freq_and_controls_in_a_bus) {
  prog_program *program =
      compile_ok("~x $ saw (freq * 2) * voice 0.25\nd1 $ n 9 # s \"~x\" # voice 0.5");
  const float *x = render_first(program);
  double f = fundamental(x + SKIP, WINDOW, 0);
  ck_assert_msg(fabs(f - 880.0) < 3.0, "saw (freq * 2) at n 9: %.2f Hz", f);
  double peak = 0;
  for (int i = SKIP; i < SKIP + WINDOW; ++i)
    peak = fabs(x[i]) > peak ? fabs(x[i]) : peak;
  ck_assert_msg(peak > 0.4 && peak < 0.6, "voice 0.5 should scale the saw to 0.5: peak %g", peak);
  prog_free(program);
  prog_error e = compile_error("~x $ saw (freq 2)\nd1 $ s \"~x\"");
  ck_assert_ptr_nonnull(strstr(e.message, "freq"));
}
END_TEST

/* accelerate glides every prelude synth as it does a sample's speed:
   freq * (1 + accelerate * t); half a second in, accelerate 1 plays 1.5
   times the note, -0.5 three quarters of it. */
START_TEST(accelerate_glides_the_pitch) {
  const double accelerate[2] = {1.0, -0.5};
  for (int k = 0; k < 2; ++k) {
    char text[160];
    snprintf(text, sizeof text, "d1 $ n 9 # s \"%s\" # accelerate %g", _i ? "supersquare" : "sine",
             accelerate[k]);
    prog_program *program = compile_ok(text);
    const float *x = render_first(program);
    /* 100 ms around 0.5 s: the mean frequency there */
    double f = fundamental(x + (int)(0.45 * RATE), (int)(0.1 * RATE), 0);
    double expected = 440.0 * (1.0 + accelerate[k] * 0.5);
    ck_assert_msg(fabs(f / expected - 1.0) < 0.015, "%s: %.1f Hz at 0.5 s, expected %.1f", text, f,
                  expected);
    prog_free(program);
  }
}
END_TEST

int main(void) {
  Suite *suite = suite_create("prelude");
  TCase *tc = tcase_create("prelude");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, each_synth_plays_its_note, 0, SYNTH_COUNT);
  tcase_add_test(tc, superpiano_plays_tidals_pitch);
  tcase_add_test(tc, a_programs_definition_wins);
  tcase_add_test(tc, only_the_named_synths_are_compiled);
  tcase_add_test(tc, documented_examples_compile);
  tcase_add_test(tc, freq_and_controls_in_a_bus);
  tcase_add_loop_test(tc, accelerate_glides_the_pitch, 0, 2);
  suite_add_tcase(suite, tc);
  return check_run(suite);
}
