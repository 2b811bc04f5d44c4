/* The UI as a host runs it, on a private Xvfb: dlopen cyclebus_ui.so, give
   it a parent window, urid:map, ui:resize and options, capture what it
   writes, type into it with XTest, feed it the plugin's messages, and look
   at screenshots. Exits 77 (skipped) only when Xvfb is not installed.
   CB_UI_CYCLES sets the open/close cycles (test_ui_valgrind.sh runs 50);
   CB_UI_SCREENSHOT names an extra copy of the screenshot (docs/ui.png). */
#define _GNU_SOURCE
#include <check.h>
#include <dlfcn.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* LV2 first: Xlib.h defines Bool, a member name in the atom forge. */
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/options/options.h>
#include <lv2/patch/patch.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>
#include <X11/XKBlib.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>
#include <cairo/cairo.h>

#include "../plugin/lv2/ui_protocol.h"

/* ---- Xvfb --------------------------------------------------------------------------- */

static pid_t xvfb_pid, xvfb_owner; /* Check forks per test: only the owner stops it */

static void stop_xvfb(void) {
  if (xvfb_pid > 0 && getpid() == xvfb_owner) {
    kill(xvfb_pid, SIGTERM);
    waitpid(xvfb_pid, NULL, 0);
    xvfb_pid = 0;
  }
}

static bool have_program(const char *name) {
  const char *path = getenv("PATH");
  char *copy = strdup(path ? path : "/usr/bin:/bin"), *save = NULL;
  bool found = false;
  for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", dir, name);
    found = access(full, X_OK) == 0;
  }
  free(copy);
  return found;
}

/* Starts Xvfb on a display number it picks itself (-displayfd) and points
   DISPLAY at it. */
static bool start_xvfb(void) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  xvfb_owner = getpid();
  xvfb_pid = fork();
  if (xvfb_pid == 0) {
    close(fds[0]);
    char fd[16];
    snprintf(fd, sizeof fd, "%d", fds[1]);
    freopen("/dev/null", "w", stderr);
    execlp("Xvfb", "Xvfb", "-displayfd", fd, "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset",
           (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  char number[32] = {0};
  size_t got = 0;
  struct pollfd p = {fds[0], POLLIN, 0};
  while (got < sizeof number - 1 && !memchr(number, '\n', got) && poll(&p, 1, 20000) > 0) {
    ssize_t n = read(fds[0], number + got, sizeof number - 1 - got);
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fds[0]);
  if (!memchr(number, '\n', got)) {
    stop_xvfb();
    return false;
  }
  char display[40];
  snprintf(display, sizeof display, ":%d", atoi(number));
  setenv("DISPLAY", display, 1);
  atexit(stop_xvfb);
  return true;
}

/* ---- the host -------------------------------------------------------------------------- */

#define MAX_URIS 256
static char *uris[MAX_URIS];
static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri) {
  (void)handle;
  for (LV2_URID i = 0; i < MAX_URIS; ++i) {
    if (!uris[i]) {
      uris[i] = strdup(uri);
      return i + 1;
    }
    if (!strcmp(uris[i], uri)) return i + 1;
  }
  return 0;
}
static LV2_URID_Map map = {NULL, map_uri};
static LV2_URID urid(const char *uri) { return map_uri(NULL, uri); }

typedef struct {
  uint32_t port, size, format;
  uint8_t *data;
} sent_message;

typedef struct {
  Display *display;
  Window parent, widget;
  void *library;
  const LV2UI_Descriptor *descriptor;
  LV2UI_Handle handle;
  const LV2UI_Idle_Interface *idle;
  sent_message sent[2048];
  int sent_count;
  int resized_width, resized_height;
  float scale;
} ui_host;

static void write_function(LV2UI_Controller controller, uint32_t port, uint32_t size,
                           uint32_t format, const void *buffer) {
  ui_host *h = controller;
  if (h->sent_count == 2048) return;
  sent_message *m = &h->sent[h->sent_count++];
  m->port = port;
  m->size = size;
  m->format = format;
  m->data = malloc(size);
  memcpy(m->data, buffer, size);
}

static int host_resize(LV2UI_Feature_Handle handle, int width, int height) {
  ui_host *h = handle;
  h->resized_width = width;
  h->resized_height = height;
  return 0;
}

static void pump(ui_host *h, int milliseconds) {
  XSync(h->display, False);
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  do {
    h->idle->idle(h->handle);
    usleep(2000);
    clock_gettime(CLOCK_MONOTONIC, &now);
  } while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < milliseconds);
}

static void ui_path(char *path, size_t size) {
  const char *build = getenv("CB_BUILD") ? getenv("CB_BUILD") : "build";
  snprintf(path, size, "%s/lv2/cyclebus.lv2/cyclebus_ui.so", build);
}

static void host_open(ui_host *h, float scale) {
  memset(h, 0, sizeof *h);
  h->scale = scale;
  h->display = XOpenDisplay(NULL);
  ck_assert_ptr_nonnull(h->display);
  h->parent = XCreateSimpleWindow(h->display, DefaultRootWindow(h->display), 0, 0, 1000, 700, 0, 0, 0);
  XMapWindow(h->display, h->parent);
  XSync(h->display, False);
  char path[4096];
  ui_path(path, sizeof path);
  h->library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  ck_assert_msg(h->library != NULL, "%s", dlerror());
  LV2UI_DescriptorFunction get = (LV2UI_DescriptorFunction)dlsym(h->library, "lv2ui_descriptor");
  ck_assert_ptr_nonnull(get);
  h->descriptor = get(0);
  ck_assert_ptr_nonnull(h->descriptor);
  ck_assert_str_eq(h->descriptor->URI, "urn:cyclebus:ui");
  ck_assert_ptr_null(get(1));
  static LV2UI_Resize resize;
  resize = (LV2UI_Resize){h, host_resize};
  LV2_Options_Option options[] = {
      {LV2_OPTIONS_INSTANCE, 0, urid(LV2_UI__scaleFactor), sizeof(float), urid(LV2_ATOM__Float), &h->scale},
      {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL}};
  LV2_Feature map_feature = {LV2_URID__map, &map};
  LV2_Feature parent_feature = {LV2_UI__parent, (void *)(uintptr_t)h->parent};
  LV2_Feature resize_feature = {LV2_UI__resize, &resize};
  LV2_Feature options_feature = {LV2_OPTIONS__options, options};
  const LV2_Feature *features[] = {&map_feature, &parent_feature, &resize_feature,
                                   &options_feature, NULL};
  LV2UI_Widget widget = NULL;
  h->handle = h->descriptor->instantiate(h->descriptor, "urn:cyclebus:cyclebus", "", write_function,
                                         h, &widget, features);
  ck_assert_ptr_nonnull(h->handle);
  h->widget = (Window)(uintptr_t)widget;
  h->idle = h->descriptor->extension_data(LV2_UI__idleInterface);
  ck_assert_ptr_nonnull(h->idle);
  for (int i = 0; i < 200; ++i) { /* until the UI's window is on screen */
    XWindowAttributes attributes;
    XGetWindowAttributes(h->display, h->widget, &attributes);
    if (attributes.map_state == IsViewable) break;
    pump(h, 5);
  }
  XSetInputFocus(h->display, h->widget, RevertToParent, CurrentTime);
  pump(h, 30);
}

static void host_close(ui_host *h) {
  h->descriptor->cleanup(h->handle);
  for (int i = 0; i < h->sent_count; ++i) free(h->sent[i].data);
  XDestroyWindow(h->display, h->parent);
  XCloseDisplay(h->display);
  dlclose(h->library);
}

/* ---- messages -------------------------------------------------------------------------- */

/* The text of the last patch:Set of urn:cyclebus:program the UI wrote, or NULL. */
static const char *last_program(const ui_host *h) {
  for (int i = h->sent_count - 1; i >= 0; --i) {
    const sent_message *m = &h->sent[i];
    if (m->port != 0 || m->format != urid(LV2_ATOM__eventTransfer)) continue;
    const LV2_Atom_Object *obj = (const LV2_Atom_Object *)m->data;
    if (obj->body.otype != urid(LV2_PATCH__Set)) continue;
    const LV2_Atom *property = NULL, *value = NULL;
    lv2_atom_object_get(obj, urid(LV2_PATCH__property), &property, urid(LV2_PATCH__value), &value, 0);
    if (property && ((const LV2_Atom_URID *)property)->body == urid("urn:cyclebus:program") && value &&
        value->type == urid(LV2_ATOM__String))
      return LV2_ATOM_BODY_CONST(value);
  }
  return NULL;
}

static const float *last_control(const ui_host *h, uint32_t port) {
  for (int i = h->sent_count - 1; i >= 0; --i)
    if (h->sent[i].port == port && h->sent[i].format == 0 && h->sent[i].size == sizeof(float))
      return (const float *)h->sent[i].data;
  return NULL;
}

static void deliver(ui_host *h, const uint8_t *buffer) {
  const LV2_Atom *atom = (const LV2_Atom *)buffer;
  h->descriptor->port_event(h->handle, 1, lv2_atom_total_size(atom), urid(LV2_ATOM__eventTransfer), atom);
}

static void send_set(ui_host *h, const char *property, const char *text) {
  uint8_t buffer[8192];
  LV2_Atom_Forge forge;
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_init(&forge, &map);
  lv2_atom_forge_set_buffer(&forge, buffer, sizeof buffer);
  lv2_atom_forge_object(&forge, &frame, 0, urid(LV2_PATCH__Set));
  lv2_atom_forge_key(&forge, urid(LV2_PATCH__property));
  lv2_atom_forge_urid(&forge, urid(property));
  lv2_atom_forge_key(&forge, urid(LV2_PATCH__value));
  lv2_atom_forge_string(&forge, text, (uint32_t)strlen(text));
  lv2_atom_forge_pop(&forge, &frame);
  deliver(h, buffer);
}

static void send_playhead(ui_host *h, double cycle) {
  uint8_t buffer[256];
  LV2_Atom_Forge forge;
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_init(&forge, &map);
  lv2_atom_forge_set_buffer(&forge, buffer, sizeof buffer);
  lv2_atom_forge_object(&forge, &frame, 0, urid(CB__Playhead));
  lv2_atom_forge_key(&forge, urid(CB__cycle));
  lv2_atom_forge_double(&forge, cycle);
  lv2_atom_forge_key(&forge, urid(CB__rolling));
  lv2_atom_forge_bool(&forge, true);
  lv2_atom_forge_pop(&forge, &frame);
  deliver(h, buffer);
}

static void send_triggered(ui_host *h, int output, double onset, double end) {
  uint8_t buffer[256];
  LV2_Atom_Forge forge;
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_init(&forge, &map);
  lv2_atom_forge_set_buffer(&forge, buffer, sizeof buffer);
  lv2_atom_forge_object(&forge, &frame, 0, urid(CB__Triggered));
  lv2_atom_forge_key(&forge, urid(CB__output));
  lv2_atom_forge_int(&forge, output);
  lv2_atom_forge_key(&forge, urid(CB__onset));
  lv2_atom_forge_double(&forge, onset);
  lv2_atom_forge_key(&forge, urid(CB__end));
  lv2_atom_forge_double(&forge, end);
  lv2_atom_forge_pop(&forge, &frame);
  deliver(h, buffer);
}

/* ---- keys and mouse through XTest ---------------------------------------------------------- */

static void key(ui_host *h, KeySym sym, unsigned modifiers) {
  Display *d = h->display;
  KeyCode code = XKeysymToKeycode(d, sym);
  ck_assert_msg(code != 0, "no key for keysym 0x%lx", sym);
  bool shift = (modifiers & ShiftMask) || XkbKeycodeToKeysym(d, code, 0, 0) != sym;
  KeyCode shift_code = XKeysymToKeycode(d, XK_Shift_L), ctrl_code = XKeysymToKeycode(d, XK_Control_L);
  if (modifiers & ControlMask) XTestFakeKeyEvent(d, ctrl_code, True, CurrentTime);
  if (shift) XTestFakeKeyEvent(d, shift_code, True, CurrentTime);
  XTestFakeKeyEvent(d, code, True, CurrentTime);
  XTestFakeKeyEvent(d, code, False, CurrentTime);
  if (shift) XTestFakeKeyEvent(d, shift_code, False, CurrentTime);
  if (modifiers & ControlMask) XTestFakeKeyEvent(d, ctrl_code, False, CurrentTime);
  XSync(d, False);
}

static void type_text(ui_host *h, const char *text) {
  for (const char *p = text; *p; ++p) key(h, *p == '\n' ? XK_Return : (KeySym)(unsigned char)*p, 0);
  pump(h, 100);
}

static void press(ui_host *h, KeySym sym, unsigned modifiers) {
  key(h, sym, modifiers);
  pump(h, 40);
}

/* Moves the pointer to a point of the UI's window. */
static void pointer(ui_host *h, int x, int y) {
  int root_x, root_y;
  Window child;
  XTranslateCoordinates(h->display, h->widget, DefaultRootWindow(h->display), x, y, &root_x,
                        &root_y, &child);
  XTestFakeMotionEvent(h->display, DefaultScreen(h->display), root_x, root_y, CurrentTime);
  XSync(h->display, False);
  pump(h, 20);
}

static void button(ui_host *h, bool down) {
  XTestFakeButtonEvent(h->display, 1, down, CurrentTime);
  XSync(h->display, False);
  pump(h, 20);
}

/* ---- screenshots --------------------------------------------------------------------------- */

typedef struct {
  int width, height;
  uint32_t *rgb; /* 0xRRGGBB */
} shot;

static shot screenshot(ui_host *h) {
  pump(h, 50);
  XWindowAttributes attributes;
  XGetWindowAttributes(h->display, h->widget, &attributes);
  XImage *image = XGetImage(h->display, h->widget, 0, 0, (unsigned)attributes.width,
                            (unsigned)attributes.height, AllPlanes, ZPixmap);
  ck_assert_ptr_nonnull(image);
  shot s = {attributes.width, attributes.height, malloc(sizeof(uint32_t) * (size_t)attributes.width * (size_t)attributes.height)};
  for (int y = 0; y < s.height; ++y)
    for (int x = 0; x < s.width; ++x) {
      unsigned long p = XGetPixel(image, x, y);
      uint32_t r = (uint32_t)((p & image->red_mask) >> 16), g = (uint32_t)((p & image->green_mask) >> 8),
               b = (uint32_t)(p & image->blue_mask);
      s.rgb[y * s.width + x] = (r << 16) | (g << 8) | b;
    }
  XDestroyImage(image);
  return s;
}

static void save_png(const shot *s, const char *path) {
  cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, s->width, s->height);
  unsigned char *data = cairo_image_surface_get_data(surface);
  int stride = cairo_image_surface_get_stride(surface);
  cairo_surface_flush(surface);
  for (int y = 0; y < s->height; ++y)
    memcpy(data + y * stride, s->rgb + y * s->width, (size_t)s->width * 4);
  cairo_surface_mark_dirty(surface);
  ck_assert_int_eq(cairo_surface_write_to_png(surface, path), CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(surface);
}

static int distinct_colours(const shot *s) {
  unsigned char *seen = calloc(1u << 21, 1); /* a bit per 24-bit colour */
  int count = 0;
  for (int i = 0; i < s->width * s->height; ++i) {
    uint32_t c = s->rgb[i];
    if (!(seen[c >> 3] & (1u << (c & 7)))) {
      seen[c >> 3] |= (unsigned char)(1u << (c & 7));
      ++count;
    }
  }
  free(seen);
  return count;
}

/* Pixels within `tolerance` of a colour, in rows [y0, y1). */
static int pixels_near(const shot *s, uint32_t rgb, int tolerance, int y0, int y1) {
  int count = 0;
  for (int y = y0 < 0 ? 0 : y0; y < y1 && y < s->height; ++y)
    for (int x = 0; x < s->width; ++x) {
      uint32_t c = s->rgb[y * s->width + x];
      int dr = (int)(c >> 16) - (int)(rgb >> 16), dg = (int)((c >> 8) & 255) - (int)((rgb >> 8) & 255),
          db = (int)(c & 255) - (int)(rgb & 255);
      if (abs(dr) <= tolerance && abs(dg) <= tolerance && abs(db) <= tolerance) ++count;
    }
  return count;
}

#define ERROR_RED 0xF0544F   /* theme.h UI_ERROR */
#define ROW_ORANGE 0xFF8C40  /* theme.h UI_ROWS[0], the first output line */
#define ROW_BLUE 0x59BFFF    /* theme.h UI_ROWS[1] */

static const char *demo_program =
    "-- acid.cb\n"
    "-- \\m1: drive\n"
    "bpm: 120\n"
    "~bass $ saw # lpf \\cutoff \\res # env 0.005 0.2\n"
    "~lead $ square # hpf 300 # lpf 2400 0.9 # gain \\m1\n"
    "d1 $ s \"~bass(3,8,<0 2>)\" # note \"<c2 g1>\" # gain 0.9\n"
    "d2 $ s \"~lead*4?\" # note \"c4'min7 e4'maj\" # legato 0.5\n";

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
  press(&h, XK_z, ControlMask | ShiftMask); /* redo */
  press(&h, XK_Return, ControlMask);
  ck_assert_str_eq(last_program(&h), "d1 $ s \"~a\" # gain 2");
  press(&h, XK_z, ControlMask);
  press(&h, XK_y, ControlMask); /* redo, the other way */
  press(&h, XK_Home, ControlMask);
  for (int i = 0; i < 2; ++i) press(&h, XK_Right, ShiftMask);
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
  shot before = screenshot(&h);
  send_set(&h, "urn:cyclebus:error", "3:9: unknown bus '~bas' (did you mean '~bass'?)");
  shot with_error = screenshot(&h);
  int editor_top = 36, editor_bottom = 400;
  int red_before = pixels_near(&before, ERROR_RED, 40, editor_top, editor_bottom);
  int red_after = pixels_near(&with_error, ERROR_RED, 40, editor_top, editor_bottom);
  ck_assert_msg(red_after > red_before + 100, "error marks: %d red pixels, %d before", red_after, red_before);
  int toolbar_red = pixels_near(&with_error, ERROR_RED, 40, 0, 36);
  ck_assert_int_gt(toolbar_red, 50); /* the message in the status line */
  type_text(&h, "s"); /* the cursor sits at 3:9 */
  press(&h, XK_Return, ControlMask);
  ck_assert_str_eq(last_program(&h), "bpm: 120\n~bass $ saw\nd1 $ s \"s~bas*4\"\n");
  send_set(&h, "urn:cyclebus:error", ""); /* compiled: the marks go */
  shot cleared = screenshot(&h);
  ck_assert_int_lt(pixels_near(&cleared, ERROR_RED, 40, editor_top, editor_bottom), red_before + 20);
  free(before.rgb);
  free(with_error.rgb);
  free(cleared.rgb);
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
  double d1[] = {2.0, 2.375}, d2[] = {2.0, 2.25};
  for (int i = 0; i < 2; ++i) send_triggered(&h, 0, d1[i], d1[i] + 0.125);
  for (int i = 0; i < 2; ++i) send_triggered(&h, 1, d2[i], d2[i] + 0.0625);
  shot lit = screenshot(&h);
  char path[4096];
  snprintf(path, sizeof path, "%s/ui.png", getenv("CB_BUILD") ? getenv("CB_BUILD") : "build");
  save_png(&lit, path);
  if (getenv("CB_UI_SCREENSHOT")) save_png(&lit, getenv("CB_UI_SCREENSHOT"));
  int card_top = 440, card_bottom = 548;
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
  for (int step = 1; step <= 5; ++step) pointer(&h, x, y - 10 * step);
  button(&h, false);
  const float *m1 = last_control(&h, 9);
  ck_assert_ptr_nonnull(m1);
  ck_assert_float_eq_tol(*m1, 0.75f, 0.02f); /* 50 px of 200 from 0.5 */
  shot before = screenshot(&h);
  float cutoff = 150.0f;
  h.descriptor->port_event(h.handle, 4, sizeof cutoff, 0, &cutoff);
  shot after = screenshot(&h);
  int changed = 0;
  for (int i = 548 * 960; i < 640 * 960; ++i) changed += before.rgb[i] != after.rgb[i];
  ck_assert_int_gt(changed, 50); /* the cutoff knob moved */
  free(before.rgb);
  free(after.rgb);
  host_close(&h);
}
END_TEST

/* Waits for an event of `type` on the host's window, pumping the UI meanwhile. */
static bool wait_event(ui_host *h, int type, XEvent *event) {
  for (int i = 0; i < 300; ++i) {
    if (XCheckTypedWindowEvent(h->display, h->parent, type, event)) return true;
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
  XSelectionEvent reply = {SelectionNotify, 0, True, h.display, request->requestor, request->selection,
                           request->target, request->property, request->time};
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
  tcase_add_test(host, a_mouse_drag_selects_text);
  tcase_add_test(host, an_error_is_shown_at_its_line_and_the_cursor_goes_there);
  tcase_add_test(host, the_punchcard_lights_triggered_events_and_the_screenshot_is_not_blank);
  tcase_add_test(host, dragging_a_knob_writes_its_port_and_the_host_moves_it_back);
  tcase_add_test(host, copy_puts_the_selection_on_the_clipboard);
  tcase_add_test(host, paste_takes_another_programs_clipboard);
  tcase_add_test(host, the_ui_follows_host_resizes_and_the_scale_factor);
  tcase_add_test(host, a_reopened_ui_shows_the_session_program);
  suite_add_tcase(s, host);
  TCase *cycles = tcase_create("cycles");
  tcase_set_timeout(cycles, 1200);
  tcase_add_test(cycles, open_close_cycles);
  suite_add_tcase(s, cycles);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  stop_xvfb();
  for (int i = 0; i < MAX_URIS; ++i) free(uris[i]);
  return failed ? 1 : 0;
}
