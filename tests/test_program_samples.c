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
  ck_assert_uint_eq(query_cycle(p, 0), 2); /* the bus plays */
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
  return check_run(suite);
}
