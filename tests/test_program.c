/* The program language: every example compiles, Phonon's `name:` spelling
   works (Phonon's own programs: test_program_phonon.c), errors carry line,
   column and a musician's message (with suggestions), and buses compile to
   the expected synth graphs. */
#include <dirent.h>

#include "test_program_util.h"

/* ---- programs that compile ---------------------------------------------------------- */

static int compile_examples_in(const char *folder) {
  const char *top = getenv("CB_TOP");
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", top && *top ? top : ".", folder);
  DIR *dir = opendir(path);
  ck_assert_msg(dir != NULL, "cannot open %s (set CB_TOP to the repo root)", path);
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    size_t length = strlen(entry->d_name);
    if (length < 4 || strcmp(entry->d_name + length - 3, ".cb") != 0)
      continue;
    char relative[512];
    snprintf(relative, sizeof relative, "%s/%s", folder, entry->d_name);
    char *text = read_repo_file(relative);
    ck_assert_msg(text != NULL, "cannot read %s", relative);
    prog_error error;
    prog_program *program = prog_compile(text, strlen(text), &error);
    ck_assert_msg(program != NULL, "%s:%d:%d: %s", relative, error.line, error.column,
                  error.message);
    ck_assert_int_gt(query_cycle(program, 0) + query_cycle(program, 1), 0);
    prog_free(program);
    free(text);
    count++;
  }
  closedir(dir);
  return count;
}

START_TEST(every_example_program_compiles_and_plays) {
  ck_assert_int_ge(compile_examples_in("examples"), 5);
  char *text = read_repo_file("ttl/default.cb");
  if (text) {
    prog_free(compile_ok(text));
    free(text);
  }
}
END_TEST

START_TEST(colon_definitions_as_in_phonon) {
  prog_program *p = compile_ok("~x: saw 440 # lpf 800\n"
                               "o1: s \"~x(7,17)\" # note \"c5'min7 f4'min7\"\n");
  ck_assert_int_eq(prog_bus_count(p), 1);
  ck_assert_str_eq(prog_bus_name(p, 0), "x");
  ck_assert_int_eq((int)query_cycle(p, 0), 28);
  prog_free(p);
}
END_TEST

START_TEST(tempo_lines_set_cycles_per_second) {
  double cps = 0;
  prog_program *p = compile_ok("bpm: 120\n");
  ck_assert(prog_tempo(p, &cps));
  ck_assert_double_eq_tol(cps, 0.5, 1e-12);
  prog_free(p);
  p = compile_ok("cps: 0.75\n");
  ck_assert(prog_tempo(p, &cps));
  ck_assert_double_eq_tol(cps, 0.75, 1e-12);
  prog_free(p);
  p = compile_ok("tempo: 2.0\n"); /* Phonon's: cycles per second */
  ck_assert(prog_tempo(p, &cps));
  ck_assert_double_eq_tol(cps, 2.0, 1e-12);
  prog_free(p);
  p = compile_ok("setcps (130/60/4)\n");
  ck_assert(prog_tempo(p, &cps));
  ck_assert_double_eq_tol(cps, 130.0 / 240.0, 1e-12);
  prog_free(p);
  p = compile_ok("-- nothing but a comment\n\n");
  ck_assert(!prog_tempo(p, &cps));
  ck_assert_int_eq(prog_bus_count(p), 0);
  prog_free(p);
}
END_TEST

START_TEST(all_output_line_spellings_are_outputs) {
  prog_program *p = compile_ok("~b $ sine\n"
                               "d1 $ s \"~b\"\n"
                               "~d2 $ s \"~b\"\n"
                               "o3: s \"~b\"\n"
                               "out $ s \"~b\"\n"
                               "d12: s \"~b\"\n");
  ck_assert_int_eq(prog_bus_count(p), 1); /* ~d2 is an output, not a bus */
  ck_assert_int_eq((int)query_cycle(p, 0), 5);
  for (int i = 0; i < 5; ++i)
    ck_assert_int_eq(test_triggers[i].output, i);
  prog_free(p);
}
END_TEST

START_TEST(indented_lines_continue_the_previous_line) {
  prog_program *p = compile_ok("~b $ saw\n"
                               "  # lpf 800 -- a comment\n"
                               "\n"
                               "d1 $ s \"~b*2\"\n"
                               "   # note \"c5 e5\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 2);
  ck_assert_double_eq_tol(test_triggers[1].voice.params[0], midi_hz(64), 1e-2);
  prog_free(p);
}
END_TEST

START_TEST(an_indented_program_reads_as_if_it_were_not) {
  /* pasted with a margin: lines at the first line's indent start statements,
     deeper ones continue them */
  prog_program *p = compile_ok("    -- a comment\n"
                               "    ~b $ saw\n"
                               "\n"
                               "    d1 $ s \"~b*2\"\n"
                               "       # note \"c5 e5\"\n"
                               "    d2 $ s \"~b\"\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 3);
  ck_assert_int_eq(test_triggers[2].output, 0); /* d1's e5 at 0.5 */
  ck_assert_double_eq_tol(test_triggers[2].voice.params[0], midi_hz(64), 1e-2);
  ck_assert_int_eq(test_triggers[1].output, 1);
  prog_free(p);
  p = compile_ok("\t~b $ saw\n\td1 $ s \"~b\"\n"); /* a tab is one column */
  ck_assert_int_eq((int)query_cycle(p, 0), 1);
  prog_free(p);
}
END_TEST

/* ---- errors ---------------------------------------------------------------------------- */

typedef struct {
  const char *text;
  int line, column;
  const char *message;
} error_case;

static const error_case error_cases[] = {
    {"~bass $ saw\nd1 $ s \"~bas*2\"\n", 2, 9, "unknown bus '~bas' (did you mean '~bass'?)"},
    {"~bass $ saw\nd1 $ s \"~bass ~bss\"\n", 2, 15, "unknown bus '~bss' (did you mean '~bass'?)"},
    {"~x $ saw\nd1 $ fsat 2 $ s \"~x\"\n", 2, 6, "unknown function 'fsat' (did you mean 'fast'?)"},
    {"~x $ saw\nd1 $ s \"~x\" # gian 0.5\n", 2, 15,
     "unknown control 'gian' (did you mean 'gain'?)"},
    {"~x $ saw\nd1 $ every 2 (# gian 0.5) $ s \"~x\"\n", 2, 17,
     "unknown control 'gian' (did you mean 'gain'?)"},
    {"~x $ saw # lpf \\cutof\n", 1, 16,
     "unknown macro '\\cutof' (did you mean '\\cutoff'?); the macros are \\cutoff, \\res, "
     "\\attack, \\release, \\gain and \\m1 to \\m8"},
    {"~x $ saw # lfp 800\n", 1, 12,
     "unknown stage 'lfp' (did you mean 'lpf'?); the stages are lpf, hpf, bpf, notch, env, adsr, "
     "gain, the effects shape, distort, triode, squiz, crush, coarse, vowel, djf, ring, tremolo "
     "and phaser, and the filter envelopes lpenv, lpattack ... (hp..., bp...)"},
    {"~a $ saw + ~a\n", 1, 12, "bus '~a' uses itself"},
    {"~a $ saw + ~b\n~b $ sine * ~a\n", 2, 13, "bus '~a' uses itself (through '~b')"},
    {"d1 $ s \"~x\"\n~x $ saw\n", 1, 9,
     "bus '~x' is defined on line 2, below this line; define buses above the lines that play "
     "them"},
    {"~x $ saw # lpf (800\n", 1, 20, "expected ')' to close the '(' opened at 1:16"},
    {"~x $ saw # lpf 800)\n", 1, 19, "unexpected ')' without a matching '('"},
    {"~x saw\n", 1, 4, "expected '$' after '~x', as in '~x $ saw'"},
    {"d1 s \"~x\"\n", 1, 4, "expected '$' after 'd1', as in 'd1 $ s \"~bass\"'"},
    {"bpm 120\n", 1, 5, "expected ':' after 'bpm', as in 'bpm: 120'"},
    {"bpm: 5\n", 1, 6, "bpm must be between 10 and 1000"},
    {"~x $ saw # lpf \"<400 800\"\n", 1, 25,
     "expected '>' to close '<' opened at 1:17, found the end of the pattern"},
    {"~x $ saw\n~x $ sine\n", 2, 1, "bus '~x' is already defined on line 1"},
    {"~x $ saw\nd1 $ s \"~x\"\nd1 $ s \"~x\"\n", 3, 1, "output 'd1' is already used on line 2"},
    {"~x $ saw\nd1 $ note \"c e\"\n", 2, 1, "d1 plays nothing: add a sound, like # s \"~bass\""},
    {"~x $ saw\nd1 $ \"~x ~x\"\n", 2, 6,
     "an output line plays events: start it with s \"~bus\", not a pattern"},
    {"~x $ 440 # lpf 800\n", 1, 12,
     "'# lpf' needs a signal on its left, like 'saw # lpf 800', not a number"},
    {"~x $ saw # env (sine 2) 0.1\n", 1, 16,
     "the attack must be a number, pattern or macro, not a signal"},
    {"~x $ saw \"oops\n", 1, 10, "this string has no closing '\"' on its line"},
    {"~x $ saw # note 60\n", 1, 12, "'note' is a control of output lines, not a stage of a bus"},
    {"~x $ saw\nd1 $ s \"~x\" # env 0.1\n", 2, 15,
     "'env' belongs in a bus definition (~name $ ...)"},
    {"hello\n", 1, 1,
     "a line starts with a bus (~name $ ...), an output (d1 $ ...) or a tempo (bpm: 120)"},
    {"~x $ saw ?\n", 1, 10, "unexpected character '?'"},
    /* ("c" +) is a section, Haskell's; () is a value missing */
    {"~x $ saw\nd1 $ s \"~x\" # note (\"c\" + ())\n", 2, 28, "expected a value before ')'"},
    {"~x $ saw\nd1 $ every 2 $ s \"~x\"\n", 2, 16,
     "every expects a function here, like (fast 2) or rev, not events"},
    {"~x $ saw 1 2\n", 1, 12, "saw takes at most one argument (its frequency)"},
    {"~x $ saw\nd1 $ s \"~x\" # note \"c\" + 12\n", 2, 24,
     "'+' cannot combine events with a value; to change a control's values, write '|+' (# note "
     "\"c e\" |+ note 12) or put the arithmetic inside it, like note (\"c e\" + 12)"},
    {"~x $ saw\nd1 $ s \"~x\" # note 60 +| 12\n", 2, 26,
     "after '+|' comes a control, like '+| note \"c e\"', not a number"},
    {"~x $ saw\nd1 $ s \"~x\" | note 12\n", 2, 13,
     "'|' starts an operator that combines controls, like |+ |- |* |/ |% |< |> |++ (or +| and "
     "|+| for the structure from the right or both sides)"},
    {"~x $ saw |* lpf 800\n", 1, 10,
     "'|*' combines the controls of events on an output line; in a bus, chain stages with '#'"},
    {"~x $ saw\nd1 $ every 2 (fast 2 . 3) $ s \"~x\"\n", 2, 24,
     "'.' joins functions, like 'fast 2 . rev'; this is a number"},
    {"~x $ saw\nd1 $ s \"~x\" <~ 0.25\n", 2, 6,
     "early expects a pattern or a number here, not events"},
    {"~x $ saw\nd1 $ ghost' 0 $ s \"~x\"\n", 2, 13,
     "ghost' takes a positive number here, like ghost' (1/16), not that number"},
    {"~x $ saw\nd1 $ s \"~x\" # note (scale \"<major majr>\" 2)\n", 2, 35,
     "unknown scale 'majr' (did you mean 'major'?)"},
    {"~x $ saw\nd1 $ 3 |+ note 1\n", 2, 6,
     "the left of '|+' must be events, like s \"~bass\", not a number"},
    {"~bass $ saw\nd1 $ s \"bd bass\"\n", 2, 12,
     "'bass' is not a bus name here: buses are written with a tilde, '~bass'"},
    {"~lfo $ 800\n~x $ saw\nd1 $ s \"~lfo\"\n", 3, 9,
     "'~lfo' is a value (a number or pattern), not a sound"},
    {"  ~x $ saw\n  d1 $ s \"~x\"\n    d2 $ s \"~x\"\n", 3, 5,
     "this line is indented more than line 1, so it continues the line above (did you mean to "
     "start a new line? begin it in column 3, as line 1 does)"},
    {"~x $ saw\nd1 $ s \"~x\"\n # lpf 300\n ~y $ saw\n", 4, 2,
     "this line is indented more than line 1, so it continues the line above (did you mean to "
     "start a new line? begin it in column 1, as line 1 does)"},
    {"~x $ saw\nd1 $ s \"~x\"\n# lpf 300\n", 3, 1,
     "this line starts a new statement, so its '#' has nothing to chain onto; indent it to "
     "continue the line above (comments start with '--')"},
    {"tempo: 5\n", 1, 8, "tempo must be between 0.042 and 4.17 cycles per second (10 to 1000 bpm)"},
};

START_TEST(errors_have_line_column_and_message) {
  const error_case *e = &error_cases[_i];
  prog_error error = compile_error(e->text);
  ck_assert_msg(error.line == e->line && error.column == e->column &&
                    strcmp(error.message, e->message) == 0,
                "for:\n%s\nexpected %d:%d: %s\n     got %d:%d: %s", e->text, e->line, e->column,
                e->message, error.line, error.column, error.message);
}
END_TEST

START_TEST(garbage_never_crashes_the_compiler) {
  static const char *const texts[] = {
      "",
      "\n\n\n",
      "(",
      ")",
      "$",
      "#",
      "~",
      "\\",
      "d1 $",
      "~x $",
      "~x $ (((((((",
      "d1 $ s \"",
      "~x $ saw # # #",
      "d1 $ s \"~x\" $ $ $",
      "~x $ - - - - saw",
      "~x: :",
      "bpm: bpm",
      "~x $ saw\nd1 $ every (fast 2) 4 $ s \"~x\"",
      "~x $ saw\nd1 $ (# note 3) 4",
      "~x $ saw\nd1 $ jux (jux (jux (jux (jux rev)))) $ s \"~x\"",
      "~x $ saw\nd1 $ s (fast 2)",
      "~x $ saw\nd1 $ s \"~x\" # (# note 3)",
      "~x $ saw\nd1 $ fast 2 3 4 5 6 $ s \"~x\"",
      "~x $ \\m1 * \\m2",
      "~x $ saw\nd1 $ silence",
      "~x $ saw\n  \n\td1 $ s \"~x\"",
      "\xff\xfe",
      "~x $ saw # lpf 1e999999",
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; ++i) {
    prog_error error;
    prog_program *p = prog_compile(texts[i], strlen(texts[i]), &error);
    if (p) {
      query_cycle(p, 0);
      prog_free(p);
    } else {
      ck_assert_msg(error.message[0] != '\0', "empty message for: %s", texts[i]);
      ck_assert_int_ge(error.line, 0);
    }
  }
  char deep[4096];
  memset(deep, '(', sizeof deep - 1);
  deep[sizeof deep - 1] = '\0';
  memcpy(deep, "~x $ ", 5);
  prog_error error;
  ck_assert_ptr_null(prog_compile(deep, strlen(deep), &error));
  ck_assert_str_eq(error.message, "too deeply nested (more than 200 levels)");
}
END_TEST

/* `d1 $ ` OPEN*levels `s "a"` CLOSE*levels, or with the brackets inside the
   string: `d1 $ s "[[a]]"`. Returns whether it compiles; *error says why not. */
static bool nested_compiles(char open, char close, int levels, bool in_string, prog_error *error) {
  char text[1024];
  size_t n = (size_t)snprintf(text, sizeof text, in_string ? "d1 $ s \"" : "d1 $ ");
  for (int i = 0; i < levels; ++i)
    text[n++] = open;
  n += (size_t)snprintf(text + n, sizeof text - n, in_string ? "a" : "s \"a\"");
  for (int i = 0; i < levels; ++i)
    text[n++] = close;
  n += (size_t)snprintf(text + n, sizeof text - n, in_string ? "\"\n" : "\n");
  prog_program *program = prog_compile(text, n, error);
  prog_free(program);
  return program != NULL;
}

/* The README's limits: expressions nest 200 levels (a parenthesis, an
   application, an operator each count one), mini-notation brackets 100. */
START_TEST(nesting_limits_are_200_expression_levels_and_100_brackets) {
  prog_error error;
  ck_assert(nested_compiles('(', ')', 190, false, &error));
  ck_assert(!nested_compiles('(', ')', 200, false, &error));
  ck_assert_str_eq(error.message, "too deeply nested (more than 200 levels)");
  ck_assert(nested_compiles('[', ']', 100, true, &error));
  ck_assert(!nested_compiles('[', ']', 101, true, &error));
  ck_assert_str_eq(error.message, "brackets nested deeper than 100 levels");
  ck_assert_int_eq(error.line, 1);
  ck_assert_int_eq(error.column, 9 + 100); /* the 101st '[': the first is at 9 */
}
END_TEST

/* ---- bus graphs ------------------------------------------------------------------------- */

static int node_kind(const synth_bus *bus, int node) { return bus->nodes[node].kind; }

START_TEST(saw_lpf_bus_gets_an_envelope) {
  prog_program *p = compile_ok("~x $ saw # lpf 800\n");
  const synth_bus *bus = prog_bus(p, 0);
  ck_assert_int_eq(bus->node_count, 3);
  ck_assert_int_eq(node_kind(bus, 0), SYNTH_SAW);
  ck_assert_int_eq(node_kind(bus, 1), SYNTH_LPF);
  ck_assert_int_eq(node_kind(bus, 2), SYNTH_ENV);
  ck_assert_int_eq(bus->nodes[1].inputs[0].source, SYNTH_FROM_NODE);
  ck_assert_int_eq(bus->nodes[1].inputs[0].index, 0);
  ck_assert_int_eq(bus->nodes[2].inputs[0].index, 1);
  ck_assert_int_eq(bus->param_count, 5); /* pitch, cutoff, q, attack, release */
  prog_free(p);
}
END_TEST

START_TEST(explicit_envelope_is_not_doubled) {
  prog_program *p = compile_ok("~x $ saw + saw # lpf 1200 0.5 # env 0.4 1.5\n"
                               "~y $ (saw # env 0.01 0.1) + (noise # adsr 0.01 0.1 0.5 0.2)\n"
                               "~z $ (saw # env 0.01 0.1) + noise\n");
  const synth_bus *x = prog_bus(p, 0), *y = prog_bus(p, 1), *z = prog_bus(p, 2);
  int expected_x[] = {SYNTH_SAW, SYNTH_SAW, SYNTH_ADD, SYNTH_LPF, SYNTH_ENV};
  ck_assert_int_eq(x->node_count, 5);
  for (int i = 0; i < 5; ++i)
    ck_assert_int_eq(node_kind(x, i), expected_x[i]);
  ck_assert_int_eq(node_kind(y, y->node_count - 1), SYNTH_ADD); /* both sides enveloped */
  ck_assert_int_eq(node_kind(z, z->node_count - 1), SYNTH_ENV); /* noise was not */
  prog_free(p);
}
END_TEST

START_TEST(modulator_keeps_its_frequency_and_audio_oscillator_follows_note) {
  prog_program *p = compile_ok("~x $ saw 55 # lpf (sine 0.5 * 400 + 800)\n"
                               "d1 $ s \"~x\" # note 9\n");
  const synth_bus *bus = prog_bus(p, 0);
  int expected[] = {SYNTH_SAW, SYNTH_SINE, SYNTH_MUL, SYNTH_ADD, SYNTH_LPF, SYNTH_ENV};
  ck_assert_int_eq(bus->node_count, 6);
  for (int i = 0; i < 6; ++i)
    ck_assert_int_eq(node_kind(bus, i), expected[i]);
  ck_assert_int_eq(bus->nodes[4].inputs[1].source, SYNTH_FROM_NODE); /* cutoff is the LFO */
  ck_assert_int_eq(bus->nodes[4].inputs[1].index, 3);
  ck_assert_int_eq((int)query_cycle(p, 0), 1);
  const synth_voice *v = &test_triggers[0].voice;
  ck_assert_float_eq(v->params[bus->nodes[0].inputs[0].index], 440.0f); /* note 9: a5 */
  ck_assert_float_eq(v->params[bus->nodes[1].inputs[0].index], 0.5f);   /* LFO rate */
  prog_free(p);
  p = compile_ok("~x $ saw 55\nd1 $ s \"~x\"\n"); /* no note: its own frequency */
  query_cycle(p, 0);
  ck_assert_float_eq(test_triggers[0].voice.params[0], 55.0f);
  prog_free(p);
}
END_TEST

START_TEST(bus_inside_a_bus_is_built_in_place) {
  prog_program *p = compile_ok("~lfo $ sine 2 * 300 + 900\n"
                               "~x $ saw # lpf ~lfo\n"
                               "~y $ ~x + square\n");
  ck_assert_int_eq(prog_bus_count(p), 3);
  const synth_bus *x = prog_bus(p, 1), *y = prog_bus(p, 2);
  ck_assert_int_eq(node_kind(x, 0), SYNTH_SAW);
  ck_assert_int_eq(node_kind(x, 1), SYNTH_SINE);
  ck_assert_int_eq(x->nodes[4].kind, SYNTH_LPF);
  ck_assert_int_eq(x->nodes[4].inputs[1].source, SYNTH_FROM_NODE);
  ck_assert_int_eq(node_kind(y, y->node_count - 1), SYNTH_ENV);
  ck_assert_int_eq(node_kind(y, y->node_count - 3), SYNTH_SQUARE);
  prog_free(p);
}
END_TEST

START_TEST(control_for_a_missing_stage_adds_it_before_the_envelope) {
  prog_program *p = compile_ok("~x $ saw # lpf 800 # env 0.01 0.2\n"
                               "d1 $ s \"~x\" # hpf 300\n"
                               "d2 $ s \"~x\" # lpf 500\n");
  ck_assert_int_eq(prog_bus_count(p), 2); /* ~x and ~x with an hpf */
  ck_assert_str_eq(prog_bus_name(p, 1), "x");
  const synth_bus *v = prog_bus(p, 1);
  int expected[] = {SYNTH_SAW, SYNTH_LPF, SYNTH_HPF, SYNTH_ENV};
  ck_assert_int_eq(v->node_count, 4);
  for (int i = 0; i < 4; ++i)
    ck_assert_int_eq(node_kind(v, i), expected[i]);
  ck_assert_int_eq(v->nodes[3].inputs[0].index, 2);
  ck_assert_int_eq((int)query_cycle(p, 0), 2);
  ck_assert_int_eq(test_triggers[0].bus, 1);
  ck_assert_float_eq(test_triggers[0].voice.params[v->nodes[2].inputs[1].index], 300.0f);
  ck_assert_int_eq(test_triggers[1].bus, 0); /* the bus has an lpf: the control sets it */
  ck_assert_float_eq(test_triggers[1].voice.params[1], 500.0f);
  prog_free(p);
}
END_TEST

START_TEST(graphs_of_equal_programs_are_byte_equal) {
  const char *text = "~x $ saw # lpf 800 0.3 # env 0.01 0.2\n~y $ pulse 110 0.3 * tri\n";
  prog_program *a = compile_ok(text), *b = compile_ok(text);
  for (int i = 0; i < prog_bus_count(a); ++i)
    ck_assert(memcmp(prog_bus(a, i), prog_bus(b, i), sizeof(synth_bus)) == 0);
  prog_free(a);
  prog_free(b);
}
END_TEST

START_TEST(too_big_a_bus_is_an_error_not_a_crash) {
  char text[4096] = "~x $ saw";
  for (int i = 0; i < 40; ++i)
    strcat(text, " + saw");
  prog_error error = compile_error(text);
  ck_assert_str_eq(error.message, "bus '~x' is too big (at most 32 synth nodes)");
}
END_TEST

int main(void) {
  Suite *suite = suite_create("program");
  TCase *tc = tcase_create("compile");
  tcase_add_test(tc, every_example_program_compiles_and_plays);
  tcase_add_test(tc, nesting_limits_are_200_expression_levels_and_100_brackets);
  tcase_add_test(tc, colon_definitions_as_in_phonon);
  tcase_add_test(tc, an_indented_program_reads_as_if_it_were_not);
  tcase_add_test(tc, tempo_lines_set_cycles_per_second);
  tcase_add_test(tc, all_output_line_spellings_are_outputs);
  tcase_add_test(tc, indented_lines_continue_the_previous_line);
  tcase_add_loop_test(tc, errors_have_line_column_and_message, 0,
                      (int)(sizeof error_cases / sizeof error_cases[0]));
  tcase_add_test(tc, garbage_never_crashes_the_compiler);
  suite_add_tcase(suite, tc);
  TCase *graphs = tcase_create("graphs");
  tcase_add_test(graphs, saw_lpf_bus_gets_an_envelope);
  tcase_add_test(graphs, explicit_envelope_is_not_doubled);
  tcase_add_test(graphs, modulator_keeps_its_frequency_and_audio_oscillator_follows_note);
  tcase_add_test(graphs, bus_inside_a_bus_is_built_in_place);
  tcase_add_test(graphs, control_for_a_missing_stage_adds_it_before_the_envelope);
  tcase_add_test(graphs, graphs_of_equal_programs_are_byte_equal);
  tcase_add_test(graphs, too_big_a_bus_is_an_error_not_a_crash);
  suite_add_tcase(suite, graphs);
  return check_run(suite);
}
