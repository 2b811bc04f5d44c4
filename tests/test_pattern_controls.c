/* Control maps: every control name reaches the map of a line's events, maps
   stay sorted with each control once, string controls (s, vowel, unit, bank)
   join as strings, and a map holds at most PAT_MAP_MAX controls. */
#include "test_program_util.h"

/* The map of the first onset of output 0 in cycle 0 of `text`. */
static const pat_controls *first_map(const prog_program *p) {
  const pat_event *events;
  size_t n = query_output(p, 0, 0, 1, PAT_NOTES_STRUDEL, &events);
  ck_assert_uint_ge(n, 1);
  ck_assert_int_eq(events[0].value.kind, PAT_VALUE_CONTROLS);
  return events[0].value.controls;
}

static void assert_sorted_once(const pat_controls *map) {
  for (uint32_t i = 1; i < map->count; i++)
    ck_assert_int_lt(map->entries[i - 1].control, map->entries[i].control);
}

START_TEST(every_control_name_sets_its_control) {
  int names = 0;
  for (size_t i = 0; pat_control_name_at(i); i++, names++) {
    const char *name = pat_control_name_at(i);
    pat_control control = (pat_control)pat_control_lookup(name, strlen(name));
    char text[256];
    bool string = pat_control_is_string(control);
    if (control == PAT_CONTROL_S)
      snprintf(text, sizeof text, "d1 $ %s \"x\"\n", name);
    else
      snprintf(text, sizeof text, "d1 $ s \"x\" # %s \"%s\"\n", name, string ? "a" : "0.25");
    prog_program *p = compile_ok(text);
    const pat_controls *map = first_map(p);
    assert_sorted_once(map);
    ck_assert_msg(pat_controls_has(map, control), "%s", name);
    if (control == PAT_CONTROL_S)
      ck_assert_str_eq(pat_controls_string(map, control), "x");
    else if (string)
      ck_assert_str_eq(pat_controls_string(map, control), "a");
    else
      ck_assert_msg(pat_controls_number(map, control, -1.0) == 0.25, "%s", name);
    /* the other kind of accessor does not read it */
    ck_assert(string ? pat_controls_number(map, control, -1.0) == -1.0
                     : pat_controls_string(map, control) == NULL);
    prog_free(p);
  }
  ck_assert_int_gt(names, 90);
}
END_TEST

START_TEST(string_controls_join_and_replace_as_strings) {
  prog_program *p = compile_ok("d1 $ s \"x\" # vowel \"a\" |+ vowel \"e\" # unit \"c\"\n");
  const pat_controls *map = first_map(p);
  ck_assert_str_eq(pat_controls_string(map, PAT_CONTROL_VOWEL), "ae");
  ck_assert_str_eq(pat_controls_string(map, PAT_CONTROL_UNIT), "c");
  prog_free(p);
  p = compile_ok("d1 $ s \"x\" # vowel \"a\" # vowel \"o\" # bank \"tr909\"\n");
  map = first_map(p);
  ck_assert_str_eq(pat_controls_string(map, PAT_CONTROL_VOWEL), "o");
  ck_assert_str_eq(pat_controls_string(map, PAT_CONTROL_BANK), "tr909");
  prog_free(p);
}
END_TEST

START_TEST(a_map_holds_at_most_its_maximum_and_keeps_the_lowest) {
  /* Four more numeric controls than a map holds, on one line. (Not every
     control: each '#' nests the query deeper, and a query bounds its stack,
     which a sanitizer's larger frames reach sooner.) */
  char text[4096] = "d1 $ s \"x\"";
  int given = 0, last = PAT_CONTROL_N;
  for (int c = PAT_CONTROL_N; c < PAT_CONTROL_COUNT && given < PAT_MAP_MAX + 4; c++) {
    if (pat_control_is_string((pat_control)c))
      continue;
    size_t used = strlen(text);
    snprintf(text + used, sizeof text - used, " # %s %d", pat_control_name((pat_control)c), c);
    given++;
    last = c;
  }
  strcat(text, "\n");
  ck_assert_int_gt(given + 1, PAT_MAP_MAX);
  prog_program *p = compile_ok(text);
  const pat_controls *map = first_map(p);
  ck_assert_uint_eq(map->count, PAT_MAP_MAX);
  assert_sorted_once(map);
  ck_assert_str_eq(pat_controls_string(map, PAT_CONTROL_S), "x");
  ck_assert(pat_controls_number(map, PAT_CONTROL_N, -1.0) == PAT_CONTROL_N);
  ck_assert(pat_controls_number(map, PAT_CONTROL_GAIN, -1.0) == PAT_CONTROL_GAIN);
  ck_assert(!pat_controls_has(map, (pat_control)last));
  prog_free(p);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("pattern_controls");
  TCase *tc = tcase_create("controls");
  tcase_add_test(tc, every_control_name_sets_its_control);
  tcase_add_test(tc, string_controls_join_and_replace_as_strings);
  tcase_add_test(tc, a_map_holds_at_most_its_maximum_and_keeps_the_lowest);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return check_run(suite()); }
