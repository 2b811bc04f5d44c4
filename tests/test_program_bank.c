/* Strudel's bank on output lines, and the sample functions reaching what a
   sample plays: `s "bd" # bank "RolandTR808"` plays the library's
   RolandTR808_bd (acquired when the program compiles, found when it plays),
   and chop's, splice's and loopAt's controls become the trigger's playback
   parameters. */
#include "sample_bank.h"
#include "test_program_util.h"

static float frames[64];
static sample_bank bank;
static sample_source source;

static void setup(void) {
  memset(&bank, 0, sizeof bank);
  bank_add(&bank, "bd", frames, 64, 1);
  bank_add(&bank, "RolandTR808_bd", frames, 32, 1);
  bank_add(&bank, "RolandTR808_sn", frames, 16, 1);
  bank_add(&bank, "RolandTR808_sn", frames, 8, 1);
  bank_add(&bank, "RolandTR909_bd", frames, 4, 1);
  source = bank_source(&bank);
}

static const sample_data *file_of(const char *name, int index) {
  for (int s = 0; s < bank.set_count; ++s)
    if (strcmp(bank.sets[s].name, name) == 0)
      return bank.sets[s].items[index];
  return NULL;
}

static prog_program *compile_banked(const char *text, prog_warnings *warnings) {
  prog_error error;
  prog_program *p = prog_compile_with(text, strlen(text), &source, &error, warnings);
  ck_assert_msg(p != NULL, "%d:%d: %s\nin:\n%s", error.line, error.column, error.message, text);
  return p;
}

START_TEST(a_bank_prefixes_the_sound_name) {
  prog_warnings warnings = {0};
  prog_program *p = compile_banked("d1 $ s \"bd sn:1\" # bank \"RolandTR808\"\n", &warnings);
  ck_assert_int_eq(warnings.count, 0);
  ck_assert_uint_eq(query_cycle(p, 0), 2);
  ck_assert_ptr_eq(test_triggers[0].sample, file_of("RolandTR808_bd", 0));
  ck_assert_ptr_eq(test_triggers[1].sample, file_of("RolandTR808_sn", 1));
  prog_free(p);
  /* the bank given first (its structure then), or patterned */
  p = compile_banked("d1 $ bank \"RolandTR909\" # s \"bd*2\"\n", &warnings);
  ck_assert_uint_eq(query_cycle(p, 0), 1);
  ck_assert_ptr_eq(test_triggers[0].sample, file_of("RolandTR909_bd", 0));
  prog_free(p);
  p = compile_banked("d1 $ s \"bd*2\" # bank \"<RolandTR808 RolandTR909>\"\n", &warnings);
  ck_assert_int_eq(warnings.count, 0);
  ck_assert_uint_eq(query_cycle(p, 0), 2);
  ck_assert_ptr_eq(test_triggers[1].sample, file_of("RolandTR808_bd", 0));
  ck_assert_uint_eq(query_cycle(p, 1), 2);
  ck_assert_ptr_eq(test_triggers[0].sample, file_of("RolandTR909_bd", 0));
  prog_free(p);
}
END_TEST

START_TEST(events_without_a_bank_play_the_plain_name) {
  prog_warnings warnings = {0};
  prog_program *p =
      compile_banked("d1 $ stack [s \"bd\", s \"sn\" # bank \"RolandTR808\"]\n", &warnings);
  ck_assert_int_eq(warnings.count, 0); /* no sn alone: the line only plays it banked */
  ck_assert_uint_eq(query_cycle(p, 0), 2);
  ck_assert_ptr_eq(test_triggers[0].sample, file_of("bd", 0));
  ck_assert_ptr_eq(test_triggers[1].sample, file_of("RolandTR808_sn", 0));
  prog_free(p);
}
END_TEST

START_TEST(an_unknown_bank_is_a_warning_at_the_sound) {
  prog_warnings warnings = {0};
  prog_program *p = compile_banked("d1 $ s \"bd\" # bank \"Nope\"\n", &warnings);
  ck_assert_int_eq(warnings.count, 1);
  ck_assert_int_eq(warnings.items[0].line, 1);
  ck_assert_int_eq(warnings.items[0].column, 9); /* the b of bd */
  ck_assert_msg(strstr(warnings.items[0].message, "unknown sound 'Nope_bd'"), "%s",
                warnings.items[0].message);
  ck_assert_uint_eq(query_cycle(p, 0), 0); /* bd plays only without the bank */
  prog_free(p);
}
END_TEST

START_TEST(sample_functions_set_what_the_sample_plays) {
  /* params 0..4: speed, accelerate, begin, end, loop (the sample bus) */
  prog_program *p = compile_banked("d1 $ chop 2 $ s \"bd\"\n", NULL);
  ck_assert_uint_eq(query_cycle(p, 0), 2);
  ck_assert_float_eq(test_triggers[0].voice.params[2], 0.0f);
  ck_assert_float_eq(test_triggers[0].voice.params[3], 0.5f);
  ck_assert_float_eq(test_triggers[1].voice.params[2], 0.5f);
  ck_assert_float_eq(test_triggers[1].voice.params[3], 1.0f);
  prog_free(p);
  p = compile_banked("d1 $ splice 4 \"1 [2 3]\" $ s \"bd\"\n", NULL);
  ck_assert_uint_eq(query_cycle(p, 0), 3);
  ck_assert(test_triggers[0].unit_cycles);
  ck_assert_float_eq(test_triggers[0].voice.params[0], 0.5f); /* a quarter in half a cycle */
  ck_assert_float_eq(test_triggers[2].voice.params[0], 1.0f);
  ck_assert_float_eq(test_triggers[2].voice.params[2], 0.75f);
  prog_free(p);
  p = compile_banked("d1 $ loopAt 2 $ s \"bd\" # bank \"RolandTR808\"\n", NULL);
  ck_assert_uint_eq(query_cycle(p, 0), 1);
  ck_assert(test_triggers[0].unit_cycles);
  ck_assert_float_eq(test_triggers[0].voice.params[0], 0.5f);
  ck_assert_ptr_eq(test_triggers[0].sample, file_of("RolandTR808_bd", 0));
  prog_free(p);
}
END_TEST

int main(void) {
  Suite *s = suite_create("program_bank");
  TCase *tc = tcase_create("bank");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, a_bank_prefixes_the_sound_name);
  tcase_add_test(tc, events_without_a_bank_play_the_plain_name);
  tcase_add_test(tc, an_unknown_bank_is_a_warning_at_the_sound);
  tcase_add_test(tc, sample_functions_set_what_the_sample_plays);
  suite_add_tcase(s, tc);
  return check_run(s);
}
