/* The UI as a host runs it, on a private Xvfb: dlopen cyclebus_ui.so, give
   it a parent window, urid:map, ui:resize and options, capture what it
   writes, type into it with XTest, feed it the plugin's messages, and look
   at screenshots. Exits 77 (skipped) only when Xvfb is not installed.
   CB_UI_CYCLES sets the open/close cycles (test_ui_valgrind.sh runs 50);
   CB_UI_SCREENSHOT names an extra copy of the screenshot (docs/ui.png). */
#define _GNU_SOURCE
#include "check_run.h"
#include "test_ui_harness.h"

/* ---- tests ---------------------------------------------------------------------------------- */

START_TEST(opening_asks_the_plugin_for_the_session_program) {
  ui_host h;
  host_open(&h, 1.0f);
  ck_assert_int_ge(h.sent_count, 1);
  const sent_message *m = &h.sent[0];
  ck_assert_uint_eq(m->port, 0);
  ck_assert_uint_eq(m->format, urid(LV2_ATOM__eventTransfer));
  ck_assert_uint_eq(((const LV2_Atom_Object *)m->data)->body.otype, urid(LV2_PATCH__Get));
  ck_assert_int_eq(h.resized_width, 960); /* told the host its size through ui:resize */
  ck_assert_int_eq(h.resized_height, 640);
  host_close(&h);
}
END_TEST

START_TEST(typed_text_is_sent_as_the_program_on_ctrl_enter) {
  ui_host h;
  host_open(&h, 1.0f);
  send_set(&h, "urn:cyclebus:program", "d1 $ s \"~old\"\n"); /* the session's program */
  pump(&h, 20);
  press(&h, XK_a, ControlMask); /* select all, then type over it */
  const char *typed = "~Bass $ saw # lpf \\cutoff 0.7\nd1 $ s \"~Bass*4?\" # note \"c2 <eb2 g1>\"";
  type_text(&h, typed);
  ck_assert_ptr_null(last_program(&h)); /* nothing sent while typing */
  press(&h, XK_Return, ControlMask);
  ck_assert_ptr_nonnull(last_program(&h));
  ck_assert_str_eq(last_program(&h), typed);
  host_close(&h);
}
END_TEST

START_TEST(undo_redo_and_shift_arrows_edit_as_expected) {
  ui_host h;
  host_open(&h, 1.0f);
  send_set(&h, "urn:cyclebus:program", "d1 $ s \"~a\"");
  pump(&h, 20);
  press(&h, XK_End, ControlMask);
  type_text(&h, " # gain 2");
  press(&h, XK_z, ControlMask);
  press(&h, XK_Return, ControlMask);
  ck_assert_str_eq(last_program(&h), "d1 $ s \"~a\" # gain "); /* words undo one by one */
  press(&h, XK_z, ControlMask | ShiftMask);                    /* redo */
  press(&h, XK_Return, ControlMask);
  ck_assert_str_eq(last_program(&h), "d1 $ s \"~a\" # gain 2");
  press(&h, XK_z, ControlMask);
  press(&h, XK_y, ControlMask); /* redo, the other way */
  press(&h, XK_Home, ControlMask);
  for (int i = 0; i < 2; ++i)
    press(&h, XK_Right, ShiftMask);
  type_text(&h, "d7");
  press(&h, XK_BackSpace, 0);
  type_text(&h, "2");
  press(&h, XK_Return, ControlMask);
  ck_assert_str_eq(last_program(&h), "d2 $ s \"~a\" # gain 2");
  host_close(&h);
}
END_TEST

/* The editor's grid, measured as the UI measures it. */
static void text_metrics(double *char_width, double *line_height) {
  cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 8, 8);
  cairo_t *cr = cairo_create(surface);
  cairo_select_font_face(cr, "monospace", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 13.0);
  cairo_font_extents_t font;
  cairo_text_extents_t m;
  cairo_font_extents(cr, &font);
  cairo_text_extents(cr, "M", &m);
  *char_width = m.x_advance;
  *line_height = ceil(font.height);
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
}

/* suil's GTK wrappers (Ardour, jalv) forward keys with XSendEvent, without
   giving the UI's window the focus. */
START_TEST(keys_forwarded_by_the_host_are_typed) {
  ui_host h;
  host_open(&h, 1.0f);
  XSetInputFocus(h.display, h.parent, RevertToParent, CurrentTime);
  const KeySym keys[] = {XK_d, XK_1, XK_space, XK_dollar, XK_Return};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; ++i) {
    KeyCode code = XKeysymToKeycode(h.display, keys[i]);
    bool shift = XkbKeycodeToKeysym(h.display, code, 0, 0) != keys[i];
    bool last = i + 1 == sizeof keys / sizeof keys[0];
    XKeyEvent key = {KeyPress,
                     0,
                     True,
                     h.display,
                     h.widget,
                     DefaultRootWindow(h.display),
                     None,
                     CurrentTime,
                     0,
                     0,
                     0,
                     0,
                     (shift ? ShiftMask : 0u) | (last ? ControlMask : 0u),
                     code,
                     True};
    XSendEvent(h.display, h.widget, False, NoEventMask, (XEvent *)&key);
  }
  pump(&h, 60);
  ck_assert_ptr_nonnull(last_program(&h));
  ck_assert_str_eq(last_program(&h), "d1 $");
  host_close(&h);
}
END_TEST

START_TEST(a_mouse_drag_selects_text) {
  ui_host h;
  host_open(&h, 1.0f);
  send_set(&h, "urn:cyclebus:program", "bpm: 120\nd1 $ s \"~a\"");
  pump(&h, 20);
  double cw, lh;
  text_metrics(&cw, &lh);
  double gutter = cw * 4 + 12, top = 36 + 6;
  int y = (int)(top + lh * 1.5); /* the second line */
  pointer(&h, (int)(gutter + 0.2 * cw), y);
  button(&h, true);
  pointer(&h, (int)(gutter + 1.5 * cw), y);
  pointer(&h, (int)(gutter + 2.1 * cw), y); /* columns 0..2: "d1" */
  button(&h, false);
  type_text(&h, "d5");
  press(&h, XK_Return, ControlMask);
  ck_assert_str_eq(last_program(&h), "bpm: 120\nd5 $ s \"~a\"");
  host_close(&h);
}
END_TEST

START_TEST(an_error_is_shown_at_its_line_and_the_cursor_goes_there) {
  ui_host h;
  host_open(&h, 1.0f);
  send_set(&h, "urn:cyclebus:program", "bpm: 120\n~bass $ saw\nd1 $ s \"~bas*4\"\n");
  press(&h, XK_Return, ControlMask); /* send it: the plugin's answer is about this text */
  shot before = screenshot(&h);
  send_set(&h, "urn:cyclebus:error", "3:9: unknown bus '~bas' (did you mean '~bass'?)");
  shot with_error = screenshot(&h);
  int editor_top = 36, editor_bottom = 400;
  int red_before = pixels_near(&before, ERROR_RED, 40, editor_top, editor_bottom);
  int red_after = pixels_near(&with_error, ERROR_RED, 40, editor_top, editor_bottom);
  ck_assert_msg(red_after > red_before + 100, "error marks: %d red pixels, %d before", red_after,
                red_before);
  int toolbar_red = pixels_near(&with_error, ERROR_RED, 40, 0, 36);
  ck_assert_int_gt(toolbar_red, 50); /* the message in the status line */
  type_text(&h, "s");                /* the cursor sits at 3:9 */
  press(&h, XK_Return, ControlMask);
  ck_assert_str_eq(last_program(&h), "bpm: 120\n~bass $ saw\nd1 $ s \"s~bas*4\"\n");
  send_set(&h, "urn:cyclebus:error", ""); /* compiled: the marks go */
  shot cleared = screenshot(&h);
  ck_assert_int_lt(pixels_near(&cleared, ERROR_RED, 40, editor_top, editor_bottom),
                   red_before + 20);
  free(before.rgb);
  free(with_error.rgb);
  free(cleared.rgb);
  host_close(&h);
}
END_TEST

/* A report that does not answer the editor's text (the program file was
   reloaded, another editor sent one) is shown in the status only, and a
   success makes the editor fetch the new program. */
START_TEST(reports_about_other_programs_leave_the_editor_alone) {
  ui_host h;
  host_open(&h, 1.0f);
  send_set(&h, "urn:cyclebus:program", "bpm: 120\nd1 $ s \"~a\"\n");
  shot before = screenshot(&h);
  send_set(&h, "urn:cyclebus:error", "2:9: unknown bus '~a'");
  shot after = screenshot(&h);
  int editor_red = pixels_near(&after, ERROR_RED, 40, 36, 400);
  ck_assert_int_lt(editor_red, pixels_near(&before, ERROR_RED, 40, 36, 400) + 20);
  ck_assert_int_gt(pixels_near(&after, ERROR_RED, 40, 0, 36), 50); /* the status says it */
  int sent = h.sent_count;
  send_set(&h, "urn:cyclebus:error", "");
  pump(&h, 20);
  ck_assert_int_eq(h.sent_count, sent + 1);
  ck_assert_uint_eq(((const LV2_Atom_Object *)h.sent[sent].data)->body.otype, urid(LV2_PATCH__Get));
  send_set(&h, "urn:cyclebus:program", "bpm: 120\nd1 $ s \"~b\"\n"); /* the reply */
  pump(&h, 20);
  press(&h, XK_Return, ControlMask);
  ck_assert_str_eq(last_program(&h), "bpm: 120\nd1 $ s \"~b\"\n"); /* the editor took it */
  free(before.rgb);
  free(after.rgb);
  host_close(&h);
}
END_TEST

/* A program that compiled with warnings shows the first in the status line,
   in amber; without warnings the status names the sample folders in use. */
START_TEST(warnings_and_sample_folders_are_shown_in_the_status_line) {
  ui_host h;
  host_open(&h, 1.0f);
  send_set(&h, "urn:cyclebus:program", "bpm: 120\nd1 $ s \"bdd\"\n");
  send_set(&h, "urn:cyclebus:error", "");
  shot plain = screenshot(&h);
  send_set(&h, "urn:cyclebus:warnings",
           "2:9: unknown sound 'bdd' (did you mean 'bd'?)\n2:13: unknown sound 'x'");
  shot warned = screenshot(&h);
  int amber_plain = pixels_near(&plain, WARNING_AMBER, 40, 0, 36);
  ck_assert_int_gt(pixels_near(&warned, WARNING_AMBER, 40, 0, 36), amber_plain + 50);
  send_set(&h, "urn:cyclebus:warnings", "");
  send_set(&h, "urn:cyclebus:samplesInUse", "/usr/share/sonic-pi/samples:/home/me/Dirt-Samples");
  shot folders = screenshot(&h);
  ck_assert_int_lt(pixels_near(&folders, WARNING_AMBER, 40, 0, 36), amber_plain + 20);
  ck_assert_int_gt(pixels_near(&folders, OK_GREEN, 40, 0, 36),
                   pixels_near(&plain, OK_GREEN, 40, 0, 36) + 50);
  free(plain.rgb);
  free(warned.rgb);
  free(folders.rgb);
  host_close(&h);
}
END_TEST

START_TEST(the_punchcard_lights_triggered_events_and_the_screenshot_is_not_blank) {
  ui_host h;
  host_open(&h, 1.0f);
  send_set(&h, "urn:cyclebus:program", demo_program);
  send_set(&h, "urn:cyclebus:error", "");
  send_playhead(&h, 2.0);
  shot unlit = screenshot(&h);
  send_playhead(&h, 2.42);
  double d1[] = {2.0, 2.375}, d2[] = {2.0, 2.25}, d3[] = {2.0, 2.125, 2.25, 2.375};
  for (int i = 0; i < 2; ++i)
    send_triggered(&h, 0, d1[i], d1[i] + 0.125);
  for (int i = 0; i < 2; ++i)
    send_triggered(&h, 1, d2[i], d2[i] + 0.125);
  for (int i = 0; i < 4; ++i)
    send_triggered(&h, 2, d3[i], d3[i] + 0.125);
  shot lit = screenshot(&h);
  char path[4096];
  snprintf(path, sizeof path, "%s/ui.png", getenv("CB_BUILD") ? getenv("CB_BUILD") : "build");
  save_png(&lit, path);
  if (getenv("CB_UI_SCREENSHOT"))
    save_png(&lit, getenv("CB_UI_SCREENSHOT"));
  int card_top = 548 - (16 + 8 + 3 * 24), card_bottom = 548; /* above the knobs */
  int orange_unlit = pixels_near(&unlit, ROW_ORANGE, 30, card_top, card_bottom);
  int orange_lit = pixels_near(&lit, ROW_ORANGE, 30, card_top, card_bottom);
  int blue_lit = pixels_near(&lit, ROW_BLUE, 30, card_top, card_bottom);
  ck_assert_msg(orange_lit > orange_unlit + 150, "lit d1: %d orange pixels, %d unlit", orange_lit,
                orange_unlit);
  ck_assert_int_gt(blue_lit, 100);
  int colours = distinct_colours(&lit);
  ck_assert_msg(colours >= 32, "only %d colours", colours);
  free(unlit.rgb);
  free(lit.rgb);
  host_close(&h);
}
END_TEST

START_TEST(dragging_a_knob_writes_its_port_and_the_host_moves_it_back) {
  ui_host h;
  host_open(&h, 1.0f);
  double cell = 960.0 / 13, radius = fmin(cell * 0.36, (92 - 34) * 0.45);
  int x = (int)(cell * 5.5), y = (int)(548 + 16 + radius + 2); /* m1, the sixth knob */
  pointer(&h, x, y);
  button(&h, true);
  for (int step = 1; step <= 5; ++step)
    pointer(&h, x, y - 10 * step);
  button(&h, false);
  const float *m1 = last_control(&h, 9);
  ck_assert_ptr_nonnull(m1);
  ck_assert_float_eq_tol(*m1, 0.75f, 0.02f); /* 50 px of 200 from 0.5 */
  shot before = screenshot(&h);
  float cutoff = 150.0f;
  h.descriptor->port_event(h.handle, 4, sizeof cutoff, 0, &cutoff);
  shot after = screenshot(&h);
  int changed = 0;
  for (int i = 548 * 960; i < 640 * 960; ++i)
    changed += before.rgb[i] != after.rgb[i];
  ck_assert_int_gt(changed, 50); /* the cutoff knob moved */
  free(before.rgb);
  free(after.rgb);
  host_close(&h);
}
END_TEST

/* Waits for an event of `type` on the host's window, pumping the UI meanwhile. */
static bool wait_event(ui_host *h, int type, XEvent *event) {
  for (int i = 0; i < 300; ++i) {
    if (XCheckTypedWindowEvent(h->display, h->parent, type, event))
      return true;
    pump(h, 5);
  }
  return false;
}

START_TEST(copy_puts_the_selection_on_the_clipboard) {
  ui_host h;
  host_open(&h, 1.0f);
  send_set(&h, "urn:cyclebus:program", "d1 $ s \"~copied\"");
  pump(&h, 20);
  press(&h, XK_a, ControlMask);
  press(&h, XK_c, ControlMask);
  Atom clipboard = XInternAtom(h.display, "CLIPBOARD", False);
  Atom utf8 = XInternAtom(h.display, "UTF8_STRING", False);
  Atom property = XInternAtom(h.display, "TEST_PASTE", False);
  ck_assert_uint_eq(XGetSelectionOwner(h.display, clipboard), h.widget);
  XConvertSelection(h.display, clipboard, utf8, property, h.parent, CurrentTime);
  XEvent event;
  ck_assert(wait_event(&h, SelectionNotify, &event));
  ck_assert_uint_eq(event.xselection.property, property);
  Atom type;
  int format;
  unsigned long items, remaining;
  unsigned char *data = NULL;
  XGetWindowProperty(h.display, h.parent, property, 0, 1024, True, AnyPropertyType, &type, &format,
                     &items, &remaining, &data);
  ck_assert_uint_eq(type, utf8);
  ck_assert_str_eq((const char *)data, "d1 $ s \"~copied\"");
  XFree(data);
  host_close(&h);
}
END_TEST

START_TEST(paste_takes_another_programs_clipboard) {
  ui_host h;
  host_open(&h, 1.0f);
  Atom clipboard = XInternAtom(h.display, "CLIPBOARD", False);
  Atom utf8 = XInternAtom(h.display, "UTF8_STRING", False);
  const char *pasted = "d3 $ s \"~pasted(5,8)\"";
  XSetSelectionOwner(h.display, clipboard, h.parent, CurrentTime);
  ck_assert_uint_eq(XGetSelectionOwner(h.display, clipboard), h.parent);
  press(&h, XK_a, ControlMask);
  key(&h, XK_v, ControlMask);
  XEvent event;
  ck_assert(wait_event(&h, SelectionRequest, &event));
  XSelectionRequestEvent *request = &event.xselectionrequest;
  ck_assert_uint_eq(request->target, utf8);
  XChangeProperty(h.display, request->requestor, request->property, utf8, 8, PropModeReplace,
                  (const unsigned char *)pasted, (int)strlen(pasted));
  XSelectionEvent reply = {SelectionNotify,
                           0,
                           True,
                           h.display,
                           request->requestor,
                           request->selection,
                           request->target,
                           request->property,
                           request->time};
  XSendEvent(h.display, request->requestor, False, NoEventMask, (XEvent *)&reply);
  pump(&h, 80);
  press(&h, XK_Return, ControlMask);
  ck_assert_ptr_nonnull(last_program(&h));
  ck_assert_str_eq(last_program(&h), pasted);
  host_close(&h);
}
END_TEST

START_TEST(the_ui_follows_host_resizes_and_the_scale_factor) {
  ui_host h;
  host_open(&h, 1.0f);
  const LV2UI_Resize *resize = h.descriptor->extension_data(LV2_UI__resize);
  ck_assert_ptr_nonnull(resize);
  resize->ui_resize(h.handle, 640, 480);
  pump(&h, 60);
  shot small = screenshot(&h);
  ck_assert_int_eq(small.width, 640);
  ck_assert_int_eq(small.height, 480);
  ck_assert_int_ge(distinct_colours(&small), 16);
  free(small.rgb);
  XResizeWindow(h.display, h.parent, 800, 500); /* the host's window: the UI fills it */
  pump(&h, 60);
  shot filled = screenshot(&h);
  ck_assert_int_eq(filled.width, 800);
  ck_assert_int_eq(filled.height, 500);
  free(filled.rgb);
  XResizeWindow(h.display, h.parent, 200, 200); /* smaller than usable (suil's plug at first) */
  pump(&h, 60);
  XWindowAttributes attributes;
  XGetWindowAttributes(h.display, h.widget, &attributes);
  ck_assert_int_eq(attributes.width, 800); /* ignored: the host sizes us itself then */
  host_close(&h);
  host_open(&h, 1.5f);
  ck_assert_int_eq(h.resized_width, 1440); /* ui:scaleFactor 1.5 */
  ck_assert_int_eq(h.resized_height, 960);
  host_close(&h);
}
END_TEST

START_TEST(a_reopened_ui_shows_the_session_program) {
  ui_host h;
  host_open(&h, 1.0f);
  type_text(&h, "d1 $ s \"~first\"");
  press(&h, XK_Return, ControlMask);
  host_close(&h);
  host_open(&h, 1.0f);
  ck_assert_uint_eq(((const LV2_Atom_Object *)h.sent[0].data)->body.otype, urid(LV2_PATCH__Get));
  send_set(&h, "urn:cyclebus:program", "d1 $ s \"~first\""); /* the plugin's answer */
  pump(&h, 20);
  press(&h, XK_Return, ControlMask);
  ck_assert_str_eq(last_program(&h), "d1 $ s \"~first\"");
  host_close(&h);
}
END_TEST

static int map_state(ui_host *h) {
  XWindowAttributes attributes;
  XGetWindowAttributes(h->display, h->widget, &attributes);
  return attributes.map_state;
}

START_TEST(without_a_parent_the_show_interface_opens_a_window_the_user_can_close) {
  ui_host h;
  host_open_with(&h, 1.0f, false);
  const LV2UI_Show_Interface *show = h.descriptor->extension_data(LV2_UI__showInterface);
  ck_assert_ptr_nonnull(show);
  Window root, parent, *children;
  unsigned count;
  XQueryTree(h.display, h.widget, &root, &parent, &children, &count);
  if (children)
    XFree(children);
  ck_assert_uint_eq(parent, root); /* a top-level window */
  ck_assert_int_ne(map_state(&h), IsViewable);
  show->show(h.handle);
  pump(&h, 50);
  ck_assert_int_eq(map_state(&h), IsViewable);
  ck_assert_int_eq(h.idle->idle(h.handle), 0);
  XEvent close = {0}; /* the window manager's close button */
  close.xclient.type = ClientMessage;
  close.xclient.window = h.widget;
  close.xclient.message_type = XInternAtom(h.display, "WM_PROTOCOLS", False);
  close.xclient.format = 32;
  close.xclient.data.l[0] = (long)XInternAtom(h.display, "WM_DELETE_WINDOW", False);
  XSendEvent(h.display, h.widget, False, NoEventMask, &close);
  XSync(h.display, False);
  int closed = 0;
  for (int i = 0; i < 50 && !closed; ++i) {
    closed = h.idle->idle(h.handle);
    usleep(2000);
  }
  ck_assert_int_ne(closed, 0); /* idle() tells the host the user closed it */
  pump(&h, 20);
  ck_assert_int_ne(map_state(&h), IsViewable);
  show->show(h.handle); /* and it can be shown again */
  pump(&h, 50);
  ck_assert_int_eq(h.idle->idle(h.handle), 0);
  ck_assert_int_eq(map_state(&h), IsViewable);
  show->hide(h.handle);
  pump(&h, 50);
  ck_assert_int_ne(map_state(&h), IsViewable);
  host_close(&h);
}
END_TEST

START_TEST(without_a_scale_option_the_desktop_dpi_sets_the_scale) {
  Display *d = XOpenDisplay(NULL);
  const char *resources = "Xft.dpi:\t192\n";
  XChangeProperty(d, DefaultRootWindow(d), XA_RESOURCE_MANAGER, XA_STRING, 8, PropModeReplace,
                  (const unsigned char *)resources, (int)strlen(resources));
  XSync(d, False);
  ui_host h;
  host_open_with(&h, 0.0f, true);
  XDeleteProperty(d, DefaultRootWindow(d), XA_RESOURCE_MANAGER);
  XCloseDisplay(d);
  ck_assert_int_eq(h.resized_width, 1920); /* 192 dpi is twice 96 */
  ck_assert_int_eq(h.resized_height, 1280);
  host_close(&h);
}
END_TEST

/* Instantiate, show, feed every kind of message, clean up: CB_UI_CYCLES
   times (test_ui_valgrind.sh runs 50 under valgrind). */
START_TEST(open_close_cycles) {
  int cycles = getenv("CB_UI_CYCLES") ? atoi(getenv("CB_UI_CYCLES")) : 5;
  for (int i = 0; i < cycles; ++i) {
    ui_host h;
    host_open(&h, 1.0f);
    send_set(&h, "urn:cyclebus:program", demo_program);
    send_set(&h, "urn:cyclebus:error", i % 2 ? "2:1: something" : "");
    send_playhead(&h, 1.5 + i);
    send_triggered(&h, 0, 1.0 + i, 1.125 + i);
    type_text(&h, "x");
    press(&h, XK_a, ControlMask);
    press(&h, XK_c, ControlMask);
    press(&h, XK_Return, ControlMask);
    pump(&h, 20);
    host_close(&h);
  }
}
END_TEST

int main(void) {
  if (!have_program("Xvfb")) {
    printf("SKIP: Xvfb is not installed\n");
    return 77;
  }
  if (!start_xvfb()) {
    printf("FAIL: Xvfb did not start\n");
    return 1;
  }
  Suite *s = suite_create("ui");
  TCase *host = tcase_create("host");
  tcase_set_timeout(host, 120);
  tcase_add_test(host, opening_asks_the_plugin_for_the_session_program);
  tcase_add_test(host, typed_text_is_sent_as_the_program_on_ctrl_enter);
  tcase_add_test(host, undo_redo_and_shift_arrows_edit_as_expected);
  tcase_add_test(host, keys_forwarded_by_the_host_are_typed);
  tcase_add_test(host, a_mouse_drag_selects_text);
  tcase_add_test(host, an_error_is_shown_at_its_line_and_the_cursor_goes_there);
  tcase_add_test(host, reports_about_other_programs_leave_the_editor_alone);
  tcase_add_test(host, warnings_and_sample_folders_are_shown_in_the_status_line);
  tcase_add_test(host, the_punchcard_lights_triggered_events_and_the_screenshot_is_not_blank);
  tcase_add_test(host, dragging_a_knob_writes_its_port_and_the_host_moves_it_back);
  tcase_add_test(host, copy_puts_the_selection_on_the_clipboard);
  tcase_add_test(host, paste_takes_another_programs_clipboard);
  tcase_add_test(host, the_ui_follows_host_resizes_and_the_scale_factor);
  tcase_add_test(host, a_reopened_ui_shows_the_session_program);
  tcase_add_test(host, without_a_parent_the_show_interface_opens_a_window_the_user_can_close);
  tcase_add_test(host, without_a_scale_option_the_desktop_dpi_sets_the_scale);
  suite_add_tcase(s, host);
  TCase *cycles = tcase_create("cycles");
  tcase_set_timeout(cycles, 1200);
  tcase_add_test(cycles, open_close_cycles);
  suite_add_tcase(s, cycles);
  int status = check_run(s);
  stop_xvfb();
  for (int i = 0; i < MAX_URIS; ++i)
    free(uris[i]);
  return status;
}
