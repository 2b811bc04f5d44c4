/* Phonon's programs (github.com/ekg/phonon, examples/, quoted as they
   are there): the forms cyclebus takes from Phonon (tempo:, ~name: lines of
   sounds, out: mixes of them) play the events they should, and the forms it
   does not take give a LINE:COL error saying what is not supported. */
#include "test_program_util.h"

#include "../plugin/pattern/pattern.h"

static bool near(double a, double b) { return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b)); }

/* ---- the programs ------------------------------------------------------------------ */

/* examples/n_parameter_demo.ph: six named lines of samples, three mixed into out */
static const char n_parameter_demo[] =
    "-- Sample Bank Selection Demo\n"
    "-- Demonstrates the `n` parameter and colon syntax for sample variation\n"
    "\n"
    "tempo: 2.0\n"
    "\n"
    "-- METHOD 1: Using n parameter with patterns\n"
    "-- This cycles through samples dynamically\n"
    "~kick1: s \"bd*4\" # n \"0 1 2 3\"\n"
    "\n"
    "-- METHOD 2: Direct colon syntax in mini-notation\n"
    "-- Explicit sample selection\n"
    "~kick2: s \"bd:0 bd:1 bd:2 bd:3\"\n"
    "\n"
    "-- METHOD 3: Combining both approaches\n"
    "-- Pattern select which samples to cycle through\n"
    "~snare: s \"sn*4\" # n \"<0 1 2>\"\n"
    "\n"
    "-- METHOD 4: Random-ish variation with large n values\n"
    "-- These wrap around based on sample bank size\n"
    "-- If bd has 3 samples: n=5 → 5%3=2, n=7 → 7%3=1, etc.\n"
    "~random_kick: s \"bd*8\" # n \"0 5 2 7 1 6 3 4\"\n"
    "\n"
    "-- METHOD 5: Colon syntax with euclidean rhythms\n"
    "~hats: s \"hh:0(3,8) hh:1(5,8,2)\"\n"
    "\n"
    "-- METHOD 6: Alternating samples with colon syntax\n"
    "~perc: s \"<cp:0 cp:1 cp:2>\"\n"
    "\n"
    "-- Mix it all together\n"
    "out: (~kick1 + ~snare + ~hats) * 0.25\n";

/* examples/chord_progression.ph: chords on a synth bus, plus a continuous voice */
static const char chord_progression[] =
    "-- Chord progression (feat-chord-support)\n"
    "--\n"
    "-- Chords are written `root'quality` in mini-notation. A chord token expands\n"
    "-- into a STACK of simultaneous notes that trigger polyphonic voices:\n"
    "--\n"
    "--   c'maj   -> C  E  G        (major triad,   intervals 0 4 7)\n"
    "--   e'min7  -> E  G  B  D     (minor 7th,     intervals 0 3 7 10)\n"
    "--   g'dom7  -> G  B  D  F     (dominant 7th,  intervals 0 4 7 10)\n"
    "--\n"
    "-- Qualities include: maj min dom7 maj7 min7 dim aug sus2 sus4 (and more).\n"
    "--\n"
    "-- Two surfaces:\n"
    "--   * root'quality tokens:  note \"c4'maj f4'maj g4'dom7 c4'maj\"\n"
    "--   * the `chord` modifier:  n \"c e g c\" # chord \"maj\"   (relative semitones)\n"
    "\n"
    "tempo: 0.5\n"
    "\n"
    "-- A ii-V-I-ish progression voiced through a sine \"synth\" whose base pitch is\n"
    "-- C4 (261.63 Hz), so the voice manager repitches it to each chord tone.\n"
    "~synth $ sine 261.63\n"
    "~pads  $ s \"~synth*4\" # note \"c4'maj a3'min7 d4'min7 g3'dom7\"\n"
    "\n"
    "-- A sparse arpeggio-free stab an octave up using richer maj7 / min7 colours.\n"
    "~stab  $ s \"~synth*2\" # note \"c5'maj7 ~ e4'min7 ~\"\n"
    "\n"
    "-- A relative-semitone harmony line built with the `chord` modifier: a major\n"
    "-- triad stacked on each degree, transposed up to a root and sounded via mtof.\n"
    "~triad $ n \"0 5 7\" # chord \"maj\"\n"
    "~voice $ sine (mtof (~triad + 48)) * 0.10\n"
    "\n"
    "out $ ~pads * 0.28 + ~stab * 0.18 + ~voice\n";

/* examples/starter_template.ph (the lines it has uncommented), with '#' comments */
static const char starter_template[] = "# Phonon Starter Template\n"
                                       "# A minimal starting point for live coding\n"
                                       "\n"
                                       "tempo: 2.0  # 2 cycles per second (120 BPM equivalent)\n"
                                       "\n"
                                       "# Start with a simple kick drum\n"
                                       "~kick: s \"bd*4\"\n"
                                       "\n"
                                       "# Mix everything together\n"
                                       "out: ~kick  # + ~hats + ~snare + ~bass * 0.3\n";

/* examples/tidal_style.ph: the older '=' definitions */
static const char tidal_style[] =
    "-- Tidal-style sample patterns using 's' command\n"
    "-- This demonstrates the integration of mini-notation parser with sample playback\n"
    "\n"
    "-- Simple four-on-the-floor kick pattern\n"
    "~kick_pattern = s \"bd bd bd bd\"\n"
    "\n"
    "-- Clap on beats 2 and 4 with some rests\n"
    "~clap_pattern = s \"~ cp ~ cp\"\n"
    "\n"
    "-- Fast hihat pattern with grouping\n"
    "~hihat_pattern = s \"hh [hh hh] hh hh\"\n"
    "\n"
    "-- Mix all the patterns together\n"
    "out = ~kick_pattern + ~clap_pattern + ~hihat_pattern # mul 0.6\n";

/* examples/lfo_filter_sweep.ph, its first voice: a continuous drone on out */
static const char lfo_filter_sweep[] =
    "tempo: 0.5\n"
    "\n"
    "-- 1) Classic slow sine LFO sweeping a lowpass cutoff on a saw drone.\n"
    "--    cutoff glides continuously between 300 Hz and 2300 Hz at 0.25 Hz.\n"
    "~lfo1: sine 0.25\n"
    "~drone1: saw 55\n"
    "~swept1: ~drone1 # lpf (~lfo1 * 1000 + 1300) 0.7\n"
    "~voice1: ~swept1 * 0.3\n"
    "\n"
    "-- Mix the three smoothly-modulated voices.\n"
    "out: ~voice1\n";

/* ---- events of an output line, samples included ------------------------------------------ */

typedef struct {
  double onset, gain, n;
  char sound[16];
  bool has_gain, has_n;
} line_event;

/* The onsets of output `output` in `cycle`, in time order (the query's). */
static int line_events(const prog_program *p, int output, int64_t cycle, line_event *out,
                       int capacity) {
  const pat_event *events;
  size_t n = query_output(p, output, cycle, cycle + 1, PAT_NOTES_STRUDEL, &events);
  int count = 0;
  for (size_t i = 0; i < n; ++i) {
    const pat_event *e = &events[i];
    if (pat_rat_cmp(e->part.begin, e->whole.begin) != 0)
      continue;
    ck_assert_int_lt(count, capacity);
    ck_assert_int_eq(e->value.kind, PAT_VALUE_CONTROLS);
    const pat_controls *m = e->value.controls;
    line_event *x = &out[count++];
    memset(x, 0, sizeof *x);
    x->onset = pat_rat_to_double(e->whole.begin);
    const char *sound = pat_controls_string(m, PAT_CONTROL_S);
    snprintf(x->sound, sizeof x->sound, "%s", sound ? sound : "");
    x->has_gain = pat_controls_has(m, PAT_CONTROL_GAIN);
    x->gain = pat_controls_number(m, PAT_CONTROL_GAIN, 0.0);
    x->has_n = pat_controls_has(m, PAT_CONTROL_N);
    x->n = pat_controls_number(m, PAT_CONTROL_N, 0.0);
  }
  return count;
}

static int count_sound(const line_event *events, int count, const char *sound) {
  int found = 0;
  for (int i = 0; i < count; ++i)
    found += strcmp(events[i].sound, sound) == 0;
  return found;
}

/* ---- what loads ----------------------------------------------------------------------- */

START_TEST(n_parameter_demo_plays_the_three_lines_its_out_mixes) {
  prog_program *p = compile_ok(n_parameter_demo);
  double cps = 0;
  ck_assert(prog_tempo(p, &cps));
  ck_assert(near(cps, 2.0)); /* tempo: is cycles per second */
  /* out mixes ~kick1, ~snare and ~hats; ~kick2, ~random_kick and ~perc reach no
     output, so (as in Phonon) they are silent */
  ck_assert_int_eq(prog_output_count(p), 1);
  ck_assert_str_eq(prog_output_name(p, 0), "out");
  line_event events[64];
  for (int64_t cycle = 0; cycle < 3; ++cycle) {
    int n = line_events(p, 0, cycle, events, 64);
    ck_assert_int_eq(count_sound(events, n, "bd"), 4);
    ck_assert_int_eq(count_sound(events, n, "sn"), 4);
    ck_assert_int_eq(n, 16); /* and 3 + 5 hats */
    int kick = 0;
    for (int i = 0; i < n; ++i) {
      ck_assert(events[i].has_gain && near(events[i].gain, 0.25)); /* (...) * 0.25 */
      if (strcmp(events[i].sound, "bd") == 0) {                    /* bd*4 # n "0 1 2 3" */
        ck_assert(near(events[i].onset, (double)cycle + kick * 0.25));
        ck_assert(events[i].has_n && near(events[i].n, kick));
        kick++;
      }
      if (strcmp(events[i].sound, "sn") == 0) /* # n "<0 1 2>" */
        ck_assert(events[i].has_n && near(events[i].n, (double)cycle));
    }
  }
  prog_free(p);
}
END_TEST

/* The lines of Phonon's examples/euclidean_demo.ph that use the forms above
   (commented out there, under "Polyrhythmic kick and snare"; its tempo line
   is `tempo 2.0  # 120 BPM`, which today's Phonon no longer reads either). */
START_TEST(euclidean_demo_mix_gives_both_rhythms_and_scales_one) {
  prog_program *p = compile_ok("tempo: 2.0\n"
                               "~kick: s \"bd(3,8)\"\n"
                               "~snare: s \"sn(5,16)\"\n"
                               "out: ~kick + ~snare * 0.8\n");
  ck_assert_int_eq(prog_output_count(p), 1);
  line_event events[32];
  int n = line_events(p, 0, 0, events, 32);
  ck_assert_int_eq(n, 8);
  const double kicks[] = {0, 3.0 / 8, 6.0 / 8},
               snares[] = {0, 3.0 / 16, 6.0 / 16, 9.0 / 16, 12.0 / 16};
  int k = 0, s = 0;
  for (int i = 0; i < n; ++i) {
    if (strcmp(events[i].sound, "bd") == 0) {
      ck_assert(near(events[i].onset, kicks[k++]));
      ck_assert(!events[i].has_gain);
    } else {
      ck_assert_str_eq(events[i].sound, "sn");
      ck_assert(near(events[i].onset, snares[s++]));
      ck_assert(events[i].has_gain && near(events[i].gain, 0.8));
    }
  }
  ck_assert_int_eq(k, 3);
  ck_assert_int_eq(s, 5);
  prog_free(p);
}
END_TEST

/* chord_progression.ph without its two lines built on `chord` and `mtof`: its
   lines of chords on a synth bus play what the same lines written Tidal's way
   play. */
START_TEST(chord_progression_lines_play_as_their_tidal_spelling) {
  static const char without_chord_modifier[] =
      "tempo: 0.5\n"
      "~synth $ sine 261.63\n"
      "~pads  $ s \"~synth*4\" # note \"c4'maj a3'min7 d4'min7 g3'dom7\"\n"
      "~stab  $ s \"~synth*2\" # note \"c5'maj7 ~ e4'min7 ~\"\n"
      "out $ ~pads * 0.28 + ~stab * 0.18\n";
  static const char tidal[] =
      "cps: 0.5\n"
      "~synth $ sine 261.63\n"
      "d1 $ s \"~synth*4\" # note \"c4'maj a3'min7 d4'min7 g3'dom7\" # gain 0.28\n"
      "d2 $ s \"~synth*2\" # note \"c5'maj7 ~ e4'min7 ~\" # gain 0.18\n";
  static prog_trigger phonon[64];
  prog_program *p = compile_ok(without_chord_modifier);
  int n = (int)query_cycle(p, 0);
  ck_assert_int_eq(n, 12 + 3 + 4 + 4); /* 3 + 4 + 4 + 4 pad notes, 4 + 4 stab notes */
  memcpy(phonon, test_triggers, (size_t)n * sizeof *phonon);
  prog_free(p);
  p = compile_ok(tidal);
  ck_assert_int_eq((int)query_cycle(p, 0), n);
  for (int i = 0; i < n; ++i) { /* every Tidal trigger is among the Phonon ones */
    const prog_trigger *t = &test_triggers[i];
    bool found = false;
    for (int j = 0; j < n && !found; ++j)
      found = pat_rat_cmp(phonon[j].onset, t->onset) == 0 && phonon[j].note == t->note &&
              phonon[j].gain == t->gain && phonon[j].bus == t->bus &&
              phonon[j].voice.params[0] == t->voice.params[0];
    ck_assert_msg(found, "trigger %d (note %.0f at %.2f) missing", i, (double)t->note,
                  pat_rat_to_double(t->onset));
  }
  prog_free(p);
}
END_TEST

START_TEST(named_lines_without_an_output_line_play_as_lines) {
  prog_program *p = compile_ok("~x $ saw\n"
                               "~kick: s \"~x(3,8)\"\n"
                               "~hat: fast 2 $ s \"~x*4\" # gain 0.5\n");
  ck_assert_int_eq(prog_output_count(p), 2);
  ck_assert_str_eq(prog_output_name(p, 0), "~kick");
  ck_assert_str_eq(prog_output_name(p, 1), "~hat");
  ck_assert_int_eq((int)query_cycle(p, 0), 3 + 8);
  prog_free(p);
}
END_TEST

START_TEST(a_named_line_is_a_pattern_transforms_take) {
  prog_program *p = compile_ok("~x $ saw\n"
                               "~kick: s \"~x(3,8)\"\n"
                               "d1 $ every 2 (fast 2) $ ~kick # note 2\n"
                               "~doubled: ~kick + ~kick / 2\n"
                               "d2 $ ~doubled\n");
  ck_assert_int_eq(prog_output_count(p), 2);
  ck_assert_int_eq((int)query_cycle(p, 0), 6 + 6); /* cycle 0: fast 2 */
  int halves = 0;
  for (int i = 0; i < 12; ++i) {
    if (test_triggers[i].output == 0)
      ck_assert(near(test_triggers[i].note, 62)); /* note 2: MIDI 62 */
    else
      halves += near(test_triggers[i].gain, 0.5);
  }
  ck_assert_int_eq(halves, 3);
  ck_assert_int_eq((int)query_cycle(p, 1), 3 + 6);
  prog_free(p);
  /* a mix inside a transform is a mix too */
  p = compile_ok("~x $ saw\n"
                 "~kick: s \"~x(3,8)\"\n"
                 "d1 $ fast 2 $ ~kick + 0.5 * ~kick\n");
  ck_assert_int_eq((int)query_cycle(p, 0), 12);
  halves = 0;
  for (int i = 0; i < 12; ++i)
    halves += near(test_triggers[i].gain, 0.5);
  ck_assert_int_eq(halves, 6);
  prog_free(p);
}
END_TEST

/* ---- what does not ----------------------------------------------------------------------- */

typedef struct {
  const char *text;
  int line, column;
  const char *message;
} error_case;

static const error_case unsupported[] = {
    {chord_progression, 28, 10, "'n' is a control of output lines, not part of a bus"},
    {starter_template, 1, 1,
     "this line starts a new statement, so its '#' has nothing to chain onto; indent it to "
     "continue the line above (comments start with '--')"},
    {tidal_style, 5, 15,
     "unexpected '='; a definition is written '~name: ...' or '~name $ ...' (Phonon's older "
     "'~name = ...' is not supported)"},
    {lfo_filter_sweep, 11, 6,
     "'~voice1' is a synth; a line plays events, so play it with s \"~voice1\" (Phonon's "
     "continuous signals on output lines are not supported)"},
    /* examples/stack_demo.ph: Phonon's transform after '$' */
    {"tempo: 2.0\n~fast_hats: s \"hh*4\" $ fast 2\n", 2, 24,
     "'$' applies the function on its left to what follows; write the transform first, as in "
     "'fast 2 $ s ...' (Phonon's 'pattern $ transform' order is not supported)"},
    /* the Phonon quick start's first program, in today's syntax */
    {"tempo: 2.0\nout: sine 440 * 0.2\n", 2, 11,
     "on an output line sine is a pattern of values from 0 to 1 and takes no arguments; to "
     "play a synth, define a bus (~x: sine ...) and play it with s \"~x\" (Phonon's "
     "continuous signal outputs are not supported)"},
    /* examples/supersaw_demo.ph: Phonon's own synths */
    {"tempo: 1.5\n~trance: supersaw 110 0.5\n", 2, 10,
     "'supersaw' is Phonon's; its own synths and effects are not supported (a bus is built from "
     "saw, square, pulse, tri, sine and noise, with the stages lpf, hpf, bpf, notch, env, adsr "
     "and gain)"},
    /* examples/minimal_beat.ph, in today's syntax */
    {"~kick: impulse 2 # mul 0.5 # lpf 60 0.98\n", 1, 8,
     "'impulse' is Phonon's; its own synths and effects are not supported (a bus is built from "
     "saw, square, pulse, tri, sine and noise, with the stages lpf, hpf, bpf, notch, env, adsr "
     "and gain)"},
    {"~x: saw 55 # mul 0.5\n", 1, 14,
     "'mul' is Phonon's; its own synths and effects are not supported (a bus is built from "
     "saw, square, pulse, tri, sine and noise, with the stages lpf, hpf, bpf, notch, env, adsr "
     "and gain)"},
    {"~x $ saw\n~kick: s \"~x\"\nd1 $ s \"~kick*2\"\n", 3, 9,
     "'~kick' is a line (it plays sounds), not a synth: use it as a line, like out: ~kick"},
    {"~x $ saw\nout: ~kick\n~kick: s \"~x\"\n", 2, 6,
     "line '~kick' is defined on line 3, below this line; define lines above the lines that "
     "use them"},
    {"~x $ saw\n~kick: ~kick + s \"~x\"\n", 2, 8, "line '~kick' uses itself"},
    {"~x $ saw\n~kick: s \"~x\"\n~y $ saw # lpf ~kick\n", 3, 16,
     "'~kick' is a line (it plays sounds), not a synth a bus can use"},
};

START_TEST(unsupported_phonon_forms_say_what_is_not_supported) {
  const error_case *e = &unsupported[_i];
  prog_error error = compile_error(e->text);
  ck_assert_msg(error.line == e->line && error.column == e->column &&
                    strcmp(error.message, e->message) == 0,
                "for:\n%s\nexpected %d:%d: %s\n     got %d:%d: %s", e->text, e->line, e->column,
                e->message, error.line, error.column, error.message);
}
END_TEST

int main(void) {
  Suite *s = suite_create("program_phonon");
  TCase *tc = tcase_create("phonon");
  tcase_add_test(tc, n_parameter_demo_plays_the_three_lines_its_out_mixes);
  tcase_add_test(tc, euclidean_demo_mix_gives_both_rhythms_and_scales_one);
  tcase_add_test(tc, chord_progression_lines_play_as_their_tidal_spelling);
  tcase_add_test(tc, named_lines_without_an_output_line_play_as_lines);
  tcase_add_test(tc, a_named_line_is_a_pattern_transforms_take);
  tcase_add_loop_test(tc, unsupported_phonon_forms_say_what_is_not_supported, 0,
                      (int)(sizeof unsupported / sizeof unsupported[0]));
  suite_add_tcase(s, tc);
  return check_run(s);
}
