/* The UI's pure parts, without X11: the editor buffer (editing, motion,
   selection, undo/redo, line and column mapping), syntax classes and names
   for the punchcard and knobs, and the atoms the UI sends and reads. */
#include <check.h>

#include "check_run.h"
#include <stdlib.h>
#include <string.h>

#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>

#include "../plugin/program/program.h"
#include "../ui/editor_buffer.h"
#include "../ui/protocol.h"
#include "../ui/syntax.h"

static ed_buffer b;
static void setup(void) { ed_init(&b); }
static void teardown(void) { ed_free(&b); }

static void type(const char *text) {
  for (const char *p = text; *p; ++p) {
    if (*p == '\n')
      ed_newline(&b);
    else
      ed_insert(&b, p, 1);
  }
}

START_TEST(typing_inserts_at_the_cursor_and_marks_modified) {
  ck_assert(!b.modified);
  type("d1 $ s");
  ck_assert_str_eq(b.text, "d1 $ s");
  ck_assert_uint_eq(b.cursor, 6);
  ck_assert(b.modified);
  ed_move(&b, ED_HOME, false, 1);
  type("-- ");
  ck_assert_str_eq(b.text, "-- d1 $ s");
}
END_TEST

START_TEST(a_typing_run_is_one_undo_step_and_redo_restores_it) {
  ed_set_text(&b, "d1 ", 3);
  ed_move(&b, ED_DOC_END, false, 1);
  type("fast");
  ck_assert_str_eq(b.text, "d1 fast");
  ck_assert(ed_undo(&b));
  ck_assert_str_eq(b.text, "d1 ");
  ck_assert_uint_eq(b.cursor, 3);
  ck_assert(!ed_undo(&b)); /* set_text cleared the history */
  ck_assert(ed_redo(&b));
  ck_assert_str_eq(b.text, "d1 fast");
  ck_assert_uint_eq(b.cursor, 7);
  ck_assert(!ed_redo(&b));
}
END_TEST

START_TEST(replacing_a_selection_undoes_in_one_step) {
  ed_set_text(&b, "saw square", 10);
  ed_set_cursor(&b, 0, false);
  ed_move(&b, ED_WORD_RIGHT, true, 1); /* shift+ctrl+right selects "saw" */
  ck_assert(ed_has_selection(&b));
  type("tri");
  ck_assert_str_eq(b.text, "tri square");
  ed_undo(&b);
  ck_assert_str_eq(b.text, "saw square");
  size_t from, to;
  ed_selection(&b, &from, &to);
  ck_assert_uint_eq(from, 0);
  ck_assert_uint_eq(to, 3); /* the selection comes back too */
}
END_TEST

START_TEST(a_new_edit_after_undo_drops_the_redo_history) {
  type("ab");
  ed_undo(&b);
  type("c");
  ck_assert(!ed_redo(&b));
  ck_assert_str_eq(b.text, "c");
}
END_TEST

START_TEST(backspace_and_delete_remove_whole_utf8_code_points) {
  const char *text = "a\xc3\xa9z"; /* aéz */
  ed_set_text(&b, text, strlen(text));
  ed_move(&b, ED_RIGHT, false, 1);
  ed_move(&b, ED_RIGHT, false, 1);
  ck_assert_uint_eq(b.cursor, 3); /* past the two bytes of é */
  ck_assert_int_eq(ed_column_of(&b, b.cursor), 2);
  ed_backspace(&b);
  ck_assert_str_eq(b.text, "az");
  ed_move(&b, ED_LEFT, false, 1);
  ed_delete(&b);
  ck_assert_str_eq(b.text, "z");
}
END_TEST

START_TEST(up_and_down_keep_the_goal_column_across_short_lines) {
  const char *text = "0123456789\nab\n0123456789";
  ed_set_text(&b, text, strlen(text));
  ed_set_cursor(&b, 8, false);
  ed_move(&b, ED_DOWN, false, 1);
  ck_assert_uint_eq(b.cursor, ed_line_end(&b, 1)); /* clamped to "ab" */
  ed_move(&b, ED_DOWN, false, 1);
  ck_assert_int_eq(ed_column_of(&b, b.cursor), 8); /* the goal column is back */
  ck_assert_uint_eq(ed_line_of(&b, b.cursor), 2);
}
END_TEST

START_TEST(home_toggles_between_indentation_and_line_start_and_end_goes_to_line_end) {
  const char *text = "d1 $ s \"x\"\n  # gain 0.5";
  ed_set_text(&b, text, strlen(text));
  ed_set_cursor(&b, strlen(text), false);
  ed_move(&b, ED_HOME, false, 1);
  ck_assert_int_eq(ed_column_of(&b, b.cursor), 2);
  ed_move(&b, ED_HOME, false, 1);
  ck_assert_int_eq(ed_column_of(&b, b.cursor), 0);
  ed_move(&b, ED_END, false, 1);
  ck_assert_uint_eq(b.cursor, strlen(text));
  ed_move(&b, ED_DOC_START, true, 1);
  ck_assert_uint_eq(b.cursor, 0);
  ck_assert_uint_eq(b.anchor, strlen(text)); /* shift+ctrl+home selected everything */
}
END_TEST

START_TEST(page_moves_go_by_the_page_height_and_stop_at_the_ends) {
  char text[400] = "";
  for (int i = 0; i < 50; ++i)
    strcat(text, "line\n");
  ed_set_text(&b, text, strlen(text));
  ed_move(&b, ED_PAGE_DOWN, false, 20);
  ck_assert_uint_eq(ed_line_of(&b, b.cursor), 20);
  ed_move(&b, ED_PAGE_DOWN, false, 40);
  ck_assert_uint_eq(b.cursor, b.length);
  ed_move(&b, ED_PAGE_UP, false, 100);
  ck_assert_uint_eq(b.cursor, 0);
}
END_TEST

START_TEST(enter_keeps_the_indentation_of_a_continuation_line) {
  ed_set_text(&b, "d1 $ s \"x\"\n  # gain 1", 21);
  ed_move(&b, ED_DOC_END, false, 1);
  ed_newline(&b);
  type("# pan 0");
  ck_assert_str_eq(b.text, "d1 $ s \"x\"\n  # gain 1\n  # pan 0");
}
END_TEST

START_TEST(selected_text_and_select_word) {
  ed_set_text(&b, "d1 $ s \"~bass*4\"", 16);
  ed_select_word(&b, 10);
  size_t length;
  char *word = ed_selected_text(&b, &length);
  ck_assert_str_eq(word, "bass");
  free(word);
  ed_select_all(&b);
  char *all = ed_selected_text(&b, &length);
  ck_assert_uint_eq(length, 16);
  free(all);
  ed_set_cursor(&b, 3, false);
  ck_assert_ptr_null(ed_selected_text(&b, &length));
}
END_TEST

START_TEST(compiler_reports_map_to_byte_positions_clamped_into_the_text) {
  ed_set_text(&b, "bpm: 120\nd1 $ s \"~bas\"", 23);
  ck_assert_uint_eq(ed_pos_of_report(&b, 2, 9), 9 + 8);
  ck_assert_uint_eq(ed_pos_of_report(&b, 2, 99), 23); /* past the line: its end */
  ck_assert_uint_eq(ed_pos_of_report(&b, 9, 1), 23);  /* past the text: its end */
  ck_assert_uint_eq(ed_pos_of_report(&b, 0, 0), 0);
}
END_TEST

START_TEST(history_stays_bounded) {
  for (int i = 0; i < ED_MAX_EDITS * 2; ++i) {
    ed_insert(&b, "x", 1);
    ed_move(&b, ED_LEFT, false, 1); /* a move between keys: each key its own group */
  }
  ck_assert_uint_le(b.total, ED_MAX_EDITS);
  int undone = 0;
  while (ed_undo(&b))
    ++undone;
  ck_assert_int_gt(undone, ED_MAX_EDITS / 2);
}
END_TEST

/* ---- syntax ---------------------------------------------------------------------- */

static void classes(const char *line, unsigned char *kinds) {
  syn_classify_line(line, strlen(line), kinds);
}

START_TEST(syntax_classes_cover_buses_strings_numbers_macros_comments) {
  const char *line = "d1 $ s \"~bass*2\" # lpf \\cutoff 0.5 -- wobble";
  unsigned char k[64];
  classes(line, k);
  ck_assert_int_eq(k[0], SYN_OUTPUT);
  ck_assert_int_eq(k[3], SYN_OPERATOR);
  ck_assert_int_eq(k[7], SYN_STRING);
  ck_assert_int_eq(k[8], SYN_STRING); /* ~ inside the string is the string's */
  ck_assert_int_eq(k[23], SYN_MACRO);
  ck_assert_int_eq(k[31], SYN_NUMBER);
  ck_assert_int_eq(k[38], SYN_COMMENT);
  const char *bus = "~lead $ square # hpf 300";
  classes(bus, k);
  ck_assert_int_eq(k[0], SYN_BUS);
  ck_assert_int_eq(k[4], SYN_BUS);
  ck_assert_int_eq(k[8], SYN_PLAIN);
  ck_assert_int_eq(k[21], SYN_NUMBER);
  classes("bpm: 120", k);
  ck_assert_int_eq(k[0], SYN_KEYWORD);
  ck_assert_int_eq(k[5], SYN_NUMBER);
}
END_TEST

START_TEST(output_lines_are_named_in_program_order) {
  const char *text = "bpm: 120\n~bass $ saw\nd1 $ s \"~bass\"\n-- d9 $ silence\n~d3: s "
                     "\"~bass\"\nout $ s \"~bass\"\ndrum $ 1\n";
  char names[SYN_MAX_OUTPUTS][SYN_NAME_MAX];
  int count = syn_outputs(text, strlen(text), names, SYN_MAX_OUTPUTS);
  ck_assert_int_eq(count, 3);
  ck_assert_str_eq(names[0], "d1");
  ck_assert_str_eq(names[1], "~d3");
  ck_assert_str_eq(names[2], "out");
}
END_TEST

START_TEST(macro_labels_come_from_comments_and_uses_are_marked) {
  const char *text = "-- \\m1: wobble\n-- \\cutoff = brightness  \n~b $ saw # lpf \\cutoff \\res\n"
                     "d1 $ s \"~b\" -- \\m2 mentioned in a comment only\n";
  char labels[PROG_MACRO_COUNT][SYN_NAME_MAX];
  int used[PROG_MACRO_COUNT];
  syn_macro_labels(text, strlen(text), prog_macro_names, PROG_MACRO_COUNT, labels, used);
  ck_assert_str_eq(labels[PROG_MACRO_M1], "wobble");
  ck_assert_str_eq(labels[PROG_MACRO_CUTOFF], "brightness");
  ck_assert_str_eq(labels[PROG_MACRO_RES], "");
  ck_assert(used[PROG_MACRO_CUTOFF] && used[PROG_MACRO_RES]);
  ck_assert(!used[PROG_MACRO_M1] && !used[PROG_MACRO_M1 + 1]);
}
END_TEST

/* ---- protocol -------------------------------------------------------------------- */

static char *uri_table[64];
static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri) {
  (void)handle;
  for (LV2_URID i = 0; i < 64; ++i) {
    if (!uri_table[i]) {
      uri_table[i] = strdup(uri);
      return i + 1;
    }
    if (!strcmp(uri_table[i], uri))
      return i + 1;
  }
  return 0;
}
static LV2_URID_Map map = {NULL, map_uri};

START_TEST(the_program_travels_as_a_patch_set_of_a_string) {
  uip_uris u;
  uip_map_uris(&map, &u);
  uint8_t buffer[256];
  uint32_t size = uip_forge_program(&u, &map, "d1 $ s \"~x\"", 11, buffer, sizeof buffer);
  ck_assert_uint_gt(size, 0);
  const LV2_Atom_Object *obj = (const LV2_Atom_Object *)buffer;
  ck_assert_uint_eq(obj->body.otype, u.patch_Set);
  const LV2_Atom *property = NULL, *value = NULL;
  lv2_atom_object_get(obj, u.patch_property, &property, u.patch_value, &value, 0);
  ck_assert_uint_eq(((const LV2_Atom_URID *)property)->body, u.cb_program);
  ck_assert_uint_eq(value->type, u.atom_String);
  ck_assert_str_eq(LV2_ATOM_BODY_CONST(value), "d1 $ s \"~x\"");
  /* the UI reads its own kind of message back */
  uip_message m = uip_parse(&u, (const LV2_Atom *)buffer, size);
  ck_assert_int_eq(m.kind, UIP_PROGRAM);
  ck_assert_uint_eq(m.length, 11);
  ck_assert_uint_eq(uip_forge_program(&u, &map, "too long", 8, buffer, 16), 0);
  size = uip_forge_get(&u, &map, buffer, sizeof buffer);
  ck_assert_uint_eq(((const LV2_Atom_Object *)buffer)->body.otype, u.patch_Get);
}
END_TEST

START_TEST(playhead_and_triggered_objects_are_read_and_truncated_ones_refused) {
  uip_uris u;
  uip_map_uris(&map, &u);
  uint8_t buffer[256];
  LV2_Atom_Forge forge;
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_init(&forge, &map);
  lv2_atom_forge_set_buffer(&forge, buffer, sizeof buffer);
  lv2_atom_forge_object(&forge, &frame, 0, u.cb_Triggered);
  lv2_atom_forge_key(&forge, u.cb_output);
  lv2_atom_forge_int(&forge, 2);
  lv2_atom_forge_key(&forge, u.cb_onset);
  lv2_atom_forge_double(&forge, 3.25);
  lv2_atom_forge_key(&forge, u.cb_end);
  lv2_atom_forge_double(&forge, 3.5);
  lv2_atom_forge_pop(&forge, &frame);
  uint32_t size = lv2_atom_total_size((const LV2_Atom *)buffer);
  uip_message m = uip_parse(&u, (const LV2_Atom *)buffer, size);
  ck_assert_int_eq(m.kind, UIP_TRIGGERED);
  ck_assert_int_eq(m.output, 2);
  ck_assert(m.onset == 3.25 && m.end == 3.5);
  ck_assert_int_eq(uip_parse(&u, (const LV2_Atom *)buffer, size - 8).kind, UIP_NONE);
}
END_TEST

START_TEST(error_reports_split_into_place_and_message) {
  int line, column;
  const char *message;
  uint32_t length;
  const char *report = "12:5: unknown bus '~bas'";
  ck_assert(uip_split_error(report, (uint32_t)strlen(report), &line, &column, &message, &length));
  ck_assert_int_eq(line, 12);
  ck_assert_int_eq(column, 5);
  ck_assert_int_eq(strncmp(message, "unknown bus", 11), 0);
  const char *placeless = "the worker is busy; send the program again";
  ck_assert(
      uip_split_error(placeless, (uint32_t)strlen(placeless), &line, &column, &message, &length));
  ck_assert_int_eq(line, 0);
  ck_assert_uint_eq(length, strlen(placeless));
  ck_assert(!uip_split_error("", 0, &line, &column, &message, &length));
}
END_TEST

int main(void) {
  Suite *s = suite_create("ui_editor");
  TCase *buffer = tcase_create("buffer");
  tcase_add_checked_fixture(buffer, setup, teardown);
  tcase_add_test(buffer, typing_inserts_at_the_cursor_and_marks_modified);
  tcase_add_test(buffer, a_typing_run_is_one_undo_step_and_redo_restores_it);
  tcase_add_test(buffer, replacing_a_selection_undoes_in_one_step);
  tcase_add_test(buffer, a_new_edit_after_undo_drops_the_redo_history);
  tcase_add_test(buffer, backspace_and_delete_remove_whole_utf8_code_points);
  tcase_add_test(buffer, up_and_down_keep_the_goal_column_across_short_lines);
  tcase_add_test(buffer, home_toggles_between_indentation_and_line_start_and_end_goes_to_line_end);
  tcase_add_test(buffer, page_moves_go_by_the_page_height_and_stop_at_the_ends);
  tcase_add_test(buffer, enter_keeps_the_indentation_of_a_continuation_line);
  tcase_add_test(buffer, selected_text_and_select_word);
  tcase_add_test(buffer, compiler_reports_map_to_byte_positions_clamped_into_the_text);
  tcase_add_test(buffer, history_stays_bounded);
  suite_add_tcase(s, buffer);
  TCase *syntax = tcase_create("syntax");
  tcase_add_test(syntax, syntax_classes_cover_buses_strings_numbers_macros_comments);
  tcase_add_test(syntax, output_lines_are_named_in_program_order);
  tcase_add_test(syntax, macro_labels_come_from_comments_and_uses_are_marked);
  suite_add_tcase(s, syntax);
  TCase *protocol = tcase_create("protocol");
  tcase_add_test(protocol, the_program_travels_as_a_patch_set_of_a_string);
  tcase_add_test(protocol, playhead_and_triggered_objects_are_read_and_truncated_ones_refused);
  tcase_add_test(protocol, error_reports_split_into_place_and_message);
  suite_add_tcase(s, protocol);
  return check_run(s);
}
