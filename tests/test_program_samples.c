/* The program side of samples: sound names that are not buses are acquired
   through the sample_source given to the compiler and released with the
   program; unknown names are warnings with line, column and a "did you
   mean"; the `samples:` line reaches the source first. */
#include "sample_bank.h"
#include "test_program_util.h"

static float frames_a[64], frames_b[64];

static sample_bank bank;
static sample_source source;

static void setup(void) {
  memset(&bank, 0, sizeof bank);
  bank_add(&bank, "bd", frames_a, 64, 1);
  bank_add(&bank, "bd", frames_b, 64, 1);
  bank_add(&bank, "sn", frames_a, 32, 1);
  bank_add(&bank, "808bd", frames_b, 16, 1);
  source = bank_source(&bank);
}

static prog_program *compile_samples(const char *text, prog_warnings *warnings) {
  prog_error error;
  prog_program *program = prog_compile_with(text, strlen(text), &source, &error, warnings);
  ck_assert_msg(program != NULL, "%d:%d: %s\nin:\n%s", error.line, error.column, error.message,
                text);
  return program;
}

START_TEST(each_sample_name_is_acquired_once_and_released_with_the_program) {
  prog_warnings warnings;
  prog_program *p = compile_samples("d1 $ s \"bd*2 [~ sn] bd:1 808bd\"\n"
                                    "d2 $ sound \"<sn bd>\" # n 1\n",
                                    &warnings);
  ck_assert_int_eq(warnings.count, 0);
  ck_assert_int_eq(bank.acquires, 3);
  ck_assert_int_eq(bank.acquired[0], 1); /* bd */
  ck_assert_int_eq(bank.acquired[1], 1); /* sn */
  ck_assert_int_eq(bank.acquired[2], 1); /* 808bd */
  prog_free(p);
  ck_assert_int_eq(bank.releases, 3);
  ck_assert_int_eq(bank.acquired[0] + bank.acquired[1] + bank.acquired[2], 0);
}
END_TEST

START_TEST(numbers_rests_buses_and_euclid_arguments_are_not_sample_names) {
  prog_warnings warnings;
  prog_program *p = compile_samples("~bass $ saw\n"
                                    "d1 $ s \"~bass(3,8,<0 2>) bd(<3 5>,8) ~ sn*2 bd:3 bd@3 "
                                    "bd!2 bd?0.5 {bd sn}%4 [bd|sn] bd . sn\"\n"
                                    "d2 $ s (fast \"<2 3>\" \"bd\")\n",
                                    &warnings);
  ck_assert_msg(warnings.count == 0, "%d warnings, first: %s", warnings.count,
                warnings.items[0].message);
  ck_assert_int_eq(bank.unknown, 0);
  ck_assert_int_eq(bank.acquires, 2);
  prog_free(p);
  ck_assert_int_eq(bank.releases, 2);
}
END_TEST

START_TEST(an_unknown_sound_is_a_warning_with_its_place_and_the_rest_plays) {
  prog_warnings warnings;
  prog_program *p = compile_samples("~bass $ saw\n"
                                    "d1 $ s \"~bass*2\"\n"
                                    "d2 $ s \"bd bdd [snn bdd]\"\n",
                                    &warnings);
  ck_assert_int_eq(warnings.count, 2); /* once per name */
  ck_assert_int_eq(warnings.items[0].line, 3);
  ck_assert_int_eq(warnings.items[0].column, 12);
  ck_assert_str_eq(warnings.items[0].message, "unknown sound 'bdd' (did you mean 'bd'?)");
  ck_assert_int_eq(warnings.items[1].line, 3);
  ck_assert_int_eq(warnings.items[1].column, 17);
  ck_assert_str_eq(warnings.items[1].message, "unknown sound 'snn' (did you mean 'sn'?)");
  ck_assert_uint_eq(query_cycle(p, 0), 3); /* the bus plays, and bd */
  prog_free(p);
  ck_assert_int_eq(bank.releases, 1);
}
END_TEST

START_TEST(without_a_library_every_sound_name_is_a_warning) {
  prog_warnings warnings;
  prog_error error;
  const char *text = "d1 $ s \"bd sn\"";
  prog_program *p = prog_compile_with(text, strlen(text), NULL, &error, &warnings);
  ck_assert_ptr_nonnull(p);
  ck_assert_int_eq(warnings.count, 2);
  ck_assert_str_eq(warnings.items[0].message, "unknown sound 'bd' (no sample library)");
  prog_free(p);
  p = prog_compile(text, strlen(text), &error); /* the plain form still compiles */
  ck_assert_ptr_nonnull(p);
  prog_free(p);
}
END_TEST

START_TEST(more_warnings_than_fit_are_counted) {
  prog_warnings warnings;
  prog_program *p = compile_samples("d1 $ s \"q1 q2 q3 q4 q5 q6 q7 q8 q9 q10\"", &warnings);
  ck_assert_int_eq(warnings.count, 10);
  ck_assert_str_eq(warnings.items[PROG_MAX_WARNINGS - 1].message, "unknown sound 'q8'");
  prog_free(p);
}
END_TEST

START_TEST(a_failed_compile_releases_what_it_acquired) {
  prog_warnings warnings;
  prog_error error;
  const char *text = "d1 $ s \"bd sn\"\nd2 $ s \"bd\" # nosuch 3\n";
  prog_program *p = prog_compile_with(text, strlen(text), &source, &error, &warnings);
  ck_assert_ptr_null(p);
  ck_assert_int_eq(error.line, 2);
  ck_assert_int_eq(bank.acquires, 2);
  ck_assert_int_eq(bank.releases, 2);
  ck_assert_int_eq(warnings.count, 0);
}
END_TEST

START_TEST(the_samples_line_reaches_the_source_before_any_acquire) {
  prog_program *p = compile_samples("samples: /a/b:~/Dirt Samples -- mine\n"
                                    "d1 $ s \"bd\"\n",
                                    NULL);
  ck_assert_int_eq(bank.folder_calls, 1);
  ck_assert(bank.folders_before_acquire);
  ck_assert_str_eq(bank.folders, "/a/b:~/Dirt Samples");
  prog_free(p);
  memset(&bank.folders, 'x', 8);
  p = compile_samples("d1 $ s \"bd\"\n", NULL);
  ck_assert_int_eq(bank.folder_calls, 2);
  ck_assert_str_eq(bank.folders, ""); /* no samples: line */
  prog_free(p);
  prog_error error = compile_error("samples: /a\nsamples: /b\nd1 $ s \"~x\"");
  ck_assert_int_eq(error.line, 2);
  ck_assert_str_eq(error.message, "the samples are already set on line 1");
}
END_TEST

/* The one trigger of cycle 0 that plays `name`'s file `index` (fails if none). */
static const prog_trigger *first_trigger(const prog_program *p) {
  size_t n = query_cycle(p, 0);
  ck_assert_uint_ge(n, 1);
  return &test_triggers[0];
}

START_TEST(a_sample_event_carries_its_file_with_n_wrapping) {
  prog_program *p = compile_samples("d1 $ s \"bd bd:1 bd:3 sn ~ nosuch\"\n"
                                    "d2 $ s \"bd*2\" # n \"<-1 2.9>\"\n",
                                    NULL);
  size_t n = query_cycle(p, 0);
  ck_assert_uint_eq(n, 6); /* nosuch is silent */
  const sample_data *bd0 = bank.sets[0].items[0], *bd1 = bank.sets[0].items[1],
                    *sn = bank.sets[1].items[0];
  /* in onset order, lines in program order at one onset: bd (d1), bd n -1
     (d2: file 1 of 2), bd:1, bd:3 (file 1), sn (d1), bd n -1 (d2) */
  const sample_data *order[] = {bd0, bd1, bd1, bd1, sn, bd1};
  for (size_t i = 0; i < n; ++i) {
    ck_assert_msg(test_triggers[i].sample == order[i], "trigger %zu", i);
    ck_assert_ptr_eq(test_triggers[i].voice.sample, order[i]);
    ck_assert(test_triggers[i].voice.sample_id == order[i]->id);
  }
  n = query_cycle(p, 1); /* n 2.9 is file 0 (towards zero, wrapped) */
  ck_assert_ptr_eq(test_triggers[1].sample, bank.sets[0].items[0]);
  prog_free(p);
}
END_TEST

START_TEST(buses_and_samples_play_side_by_side) {
  prog_program *p = compile_samples("~bass $ saw\nd1 $ s \"~bass bd\"\n", NULL);
  ck_assert_uint_eq(query_cycle(p, 0), 2);
  ck_assert_ptr_null(test_triggers[0].sample);
  ck_assert_ptr_nonnull(test_triggers[1].sample);
  ck_assert_str_eq(prog_bus_name(p, test_triggers[0].bus), "bass");
  prog_free(p);
  p = compile_samples("~bass $ saw\nd1 $ s \"~bass bd\" # cut \"2 -1\"\n", NULL);
  ck_assert_uint_eq(query_cycle(p, 0), 2);
  ck_assert_int_eq(test_triggers[0].cut, 2); /* a bus is cut as a sample is */
  ck_assert_int_eq(test_triggers[1].cut, -1);
  prog_free(p);
}
END_TEST

START_TEST(controls_set_the_playback_parameters) {
  prog_program *p =
      compile_samples("d1 $ s \"bd\" # speed -2 # note 12 # begin 0.25 # end 0.75 # accelerate 0.5 "
                      "# loop 2 # cut 3 # unit \"c\" # gain 0.5 # pan 0.25\n",
                      NULL);
  const prog_trigger *t = first_trigger(p);
  ck_assert_float_eq(t->voice.params[0], -4.0f); /* speed times an octave up */
  ck_assert_float_eq(t->voice.params[1], 0.5f);
  ck_assert_float_eq(t->voice.params[2], 0.25f);
  ck_assert_float_eq(t->voice.params[3], 0.75f);
  ck_assert_float_eq(t->voice.params[4], 2.0f);
  ck_assert_int_eq(t->cut, 3);
  ck_assert(t->unit_cycles);
  ck_assert_float_eq(t->gain, 0.5f);
  ck_assert_float_eq(t->pan, 0.25f);
  ck_assert_float_eq(t->note, 72.0f);
  const synth_bus *bus = prog_bus(p, t->bus);
  ck_assert_int_eq(bus->nodes[0].kind, SYNTH_SAMPLE);
  prog_free(p);
  p = compile_samples("d1 $ s \"bd\" # speed 0\n", NULL); /* cannot sound */
  ck_assert_uint_eq(query_cycle(p, 0), 0);
  prog_free(p);
}
END_TEST

START_TEST(a_filter_control_adds_its_stage_after_the_sample) {
  prog_program *p = compile_samples("d1 $ s \"bd sn\" # lpf \"<500 800>\"\n", NULL);
  const prog_trigger *t = first_trigger(p);
  const synth_bus *bus = prog_bus(p, t->bus);
  ck_assert_int_eq(bus->node_count, 2);
  ck_assert_int_eq(bus->nodes[0].kind, SYNTH_SAMPLE);
  ck_assert_int_eq(bus->nodes[1].kind, SYNTH_LPF);
  ck_assert_float_eq(t->voice.params[bus->nodes[1].inputs[1].index], 500.0f);
  prog_free(p);
}
END_TEST

/* SuperDirt's lengths: 64 frames at 1 kHz are 0.064 s at speed 1. */
START_TEST(a_sample_voice_lasts_as_superdirt_says) {
  const double rate = 1000.0, frames_per_cycle = 2000.0; /* cps 0.5 */
  struct {
    const char *controls;
    uint32_t frames;
    float speed;
  } cases[] = {
      {"", 64, 1.0f},
      {"# speed 2", 32, 2.0f},
      {"# speed -0.5", 128, -0.5f},
      {"# begin 0.5", 32, 1.0f},
      {"# begin 0.75 # end 0.25", 32, 1.0f},
      {"# loop 3", 192, 1.0f},
      {"# accelerate 1", 43, 1.0f},             /* mean of 1 and 2: 64 / 1.5 */
      {"# unit \"c\"", 2000, 0.032f},           /* the file fills the cycle */
      {"# unit \"c\" # speed 2", 1000, 0.064f}, /* twice a cycle */
      {"# legato 0.01", 5, 1.0f},               /* a quarter cycle's event * 0.01 = 5 frames */
      {"# clip 0.01", 5, 1.0f},
      {"# legato 4", 64, 1.0f}, /* no longer than the file */
      {"# sustain 0.01", 10, 1.0f},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    char text[200];
    snprintf(text, sizeof text, "d1 $ s \"bd ~ ~ ~\" %s\n", cases[i].controls);
    prog_program *p = compile_samples(text, NULL);
    const prog_trigger *t = first_trigger(p);
    synth_voice voice;
    prog_sample_voice(t, frames_per_cycle, rate, &voice);
    ck_assert_msg(voice.total_frames == cases[i].frames, "%s: %u frames, not %u", cases[i].controls,
                  voice.total_frames, cases[i].frames);
    ck_assert_uint_eq(voice.gate_frames, voice.total_frames);
    ck_assert_msg(fabsf(voice.params[0] - cases[i].speed) < 1e-6f, "%s: speed %g",
                  cases[i].controls, voice.params[0]);
    ck_assert_float_eq(voice.sample_rate, 1000.0f);
    prog_free(p);
  }
}
END_TEST

START_TEST(a_bus_can_play_a_sample_through_its_stages) {
  prog_warnings warnings;
  prog_program *p = compile_samples("~kick $ sample \"<bd:1 sn>\" # lpf 2000\n"
                                    "~odd $ sample \"nosuch\"\n"
                                    "d1 $ s \"~kick*2 ~odd\" # speed 2 # begin 0.5\n",
                                    &warnings);
  ck_assert_int_eq(warnings.count, 1);
  ck_assert_int_eq(warnings.items[0].line, 2);
  ck_assert_str_eq(warnings.items[0].message, "unknown sound 'nosuch'");
  ck_assert_uint_eq(query_cycle(p, 0), 2); /* ~odd has no sample: silent */
  const prog_trigger *t = &test_triggers[0];
  ck_assert_ptr_null(t->sample); /* a bus, timed as one */
  ck_assert_ptr_eq(t->voice.sample, bank.sets[0].items[1]);
  ck_assert(t->voice.sample_id == bank.sets[0].items[1]->id);
  const synth_bus *bus = prog_bus(p, t->bus);
  ck_assert_int_eq(bus->node_count, 2); /* no envelope: the sample fades itself */
  ck_assert_int_eq(bus->nodes[0].kind, SYNTH_SAMPLE);
  ck_assert_int_eq(bus->nodes[1].kind, SYNTH_LPF);
  ck_assert_float_eq(t->voice.params[bus->nodes[0].inputs[0].index], 2.0f);
  ck_assert_float_eq(t->voice.params[bus->nodes[0].inputs[2].index], 0.5f);
  ck_assert_float_eq(t->voice.params[bus->nodes[0].inputs[3].index], 1.0f);
  query_cycle(p, 1);
  ck_assert_ptr_eq(test_triggers[0].voice.sample, bank.sets[1].items[0]);
  prog_free(p);
  prog_error error = compile_error("~x $ sample \"bd\" + sample \"sn\"\nd1 $ s \"~x\"\n");
  ck_assert_str_eq(error.message, "bus '~x' already plays a sample (one a bus)");
}
END_TEST

/* Lookups find every name whatever the order they were acquired in (they
   are searched sorted). */
START_TEST(every_name_is_found_among_many) {
  const char *more[] = {"zz", "aa", "mm", "b"};
  for (int i = 0; i < 4; ++i)
    bank_add(&bank, more[i], frames_a, 8, 1);
  prog_program *p = compile_samples("d1 $ s \"zz sn aa 808bd mm b bd\"\n", NULL);
  const char *expected[] = {"zz", "sn", "aa", "808bd", "mm", "b", "bd"};
  ck_assert_uint_eq(query_cycle(p, 0), 7);
  for (int i = 0; i < 7; ++i)
    ck_assert_str_eq(test_triggers[i].sample->path, expected[i]);
  prog_free(p);
  ck_assert_int_eq(bank.acquires, bank.releases);
}
END_TEST

int main(void) {
  Suite *suite = suite_create("program_samples");
  TCase *tc = tcase_create("names");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, each_sample_name_is_acquired_once_and_released_with_the_program);
  tcase_add_test(tc, numbers_rests_buses_and_euclid_arguments_are_not_sample_names);
  tcase_add_test(tc, an_unknown_sound_is_a_warning_with_its_place_and_the_rest_plays);
  tcase_add_test(tc, without_a_library_every_sound_name_is_a_warning);
  tcase_add_test(tc, more_warnings_than_fit_are_counted);
  tcase_add_test(tc, a_failed_compile_releases_what_it_acquired);
  tcase_add_test(tc, the_samples_line_reaches_the_source_before_any_acquire);
  suite_add_tcase(suite, tc);
  TCase *play = tcase_create("play");
  tcase_add_checked_fixture(play, setup, NULL);
  tcase_add_test(play, a_sample_event_carries_its_file_with_n_wrapping);
  tcase_add_test(play, buses_and_samples_play_side_by_side);
  tcase_add_test(play, controls_set_the_playback_parameters);
  tcase_add_test(play, a_filter_control_adds_its_stage_after_the_sample);
  tcase_add_test(play, a_sample_voice_lasts_as_superdirt_says);
  tcase_add_test(play, a_bus_can_play_a_sample_through_its_stages);
  tcase_add_test(play, every_name_is_found_among_many);
  suite_add_tcase(suite, play);
  return check_run(suite);
}
