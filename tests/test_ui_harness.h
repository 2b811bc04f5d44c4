/* The UI test harness: a private Xvfb, a host that loads cyclebus_ui.so as
   hosts do (dlopen, descriptor, ui:parent, urid:map, ui:resize, options,
   write_function capturing what the UI sends), XTest keys and mouse, the
   plugin's messages, and screenshots. Header-only, as tests/plugin_harness.h. */
#ifndef CYCLEBUS_TEST_UI_HARNESS_H
#define CYCLEBUS_TEST_UI_HARNESS_H

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
  if (pipe(fds) != 0)
    return false;
  xvfb_owner = getpid();
  xvfb_pid = fork();
  if (xvfb_pid == 0) {
    close(fds[0]);
    char fd[16];
    snprintf(fd, sizeof fd, "%d", fds[1]);
    freopen("/dev/null", "w", stderr);
    execlp("Xvfb", "Xvfb", "-displayfd", fd, "-screen", "0", "1280x1024x24", "-nolisten", "tcp",
           "-noreset", (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  char number[32] = {0};
  size_t got = 0;
  struct pollfd p = {fds[0], POLLIN, 0};
  while (got < sizeof number - 1 && !memchr(number, '\n', got) && poll(&p, 1, 20000) > 0) {
    ssize_t n = read(fds[0], number + got, sizeof number - 1 - got);
    if (n <= 0)
      break;
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
    if (!strcmp(uris[i], uri))
      return i + 1;
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
  if (h->sent_count == 2048)
    return;
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
  } while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 <
           milliseconds);
}

static void ui_path(char *path, size_t size) {
  const char *build = getenv("CB_BUILD") ? getenv("CB_BUILD") : "build";
  snprintf(path, size, "%s/lv2/cyclebus.lv2/cyclebus_ui.so", build);
}

/* scale 0: no ui:scaleFactor option; with_parent false: no ui:parent (the
   UI makes a top-level window for ui:showInterface). */
static void host_open_with(ui_host *h, float scale, bool with_parent) {
  memset(h, 0, sizeof *h);
  h->scale = scale;
  h->display = XOpenDisplay(NULL);
  ck_assert_ptr_nonnull(h->display);
  h->parent =
      XCreateSimpleWindow(h->display, DefaultRootWindow(h->display), 0, 0, 1000, 700, 0, 0, 0);
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
  LV2_Options_Option options[] = {{LV2_OPTIONS_INSTANCE, 0, urid(LV2_UI__scaleFactor),
                                   sizeof(float), urid(LV2_ATOM__Float), &h->scale},
                                  {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL}};
  LV2_Feature map_feature = {LV2_URID__map, &map};
  LV2_Feature parent_feature = {LV2_UI__parent, (void *)(uintptr_t)h->parent};
  LV2_Feature resize_feature = {LV2_UI__resize, &resize};
  LV2_Feature options_feature = {LV2_OPTIONS__options, options};
  const LV2_Feature *features[6] = {&map_feature, &resize_feature};
  int count = 2;
  if (scale > 0.0f)
    features[count++] = &options_feature;
  if (with_parent)
    features[count++] = &parent_feature;
  LV2UI_Widget widget = NULL;
  h->handle = h->descriptor->instantiate(h->descriptor, "urn:cyclebus:cyclebus", "", write_function,
                                         h, &widget, features);
  ck_assert_ptr_nonnull(h->handle);
  h->widget = (Window)(uintptr_t)widget;
  h->idle = h->descriptor->extension_data(LV2_UI__idleInterface);
  ck_assert_ptr_nonnull(h->idle);
  if (!with_parent)
    return;
  for (int i = 0; i < 200; ++i) { /* until the UI's window is on screen */
    XWindowAttributes attributes;
    XGetWindowAttributes(h->display, h->widget, &attributes);
    if (attributes.map_state == IsViewable)
      break;
    pump(h, 5);
  }
  XSetInputFocus(h->display, h->widget, RevertToParent, CurrentTime);
  pump(h, 30);
}

static void host_open(ui_host *h, float scale) { host_open_with(h, scale, true); }

static void host_close(ui_host *h) {
  h->descriptor->cleanup(h->handle);
  for (int i = 0; i < h->sent_count; ++i)
    free(h->sent[i].data);
  XDestroyWindow(h->display, h->parent);
  XCloseDisplay(h->display);
  dlclose(h->library);
}

/* ---- messages -------------------------------------------------------------------------- */

/* The text of the last patch:Set of urn:cyclebus:program the UI wrote, or NULL. */
static const char *last_program(const ui_host *h) {
  for (int i = h->sent_count - 1; i >= 0; --i) {
    const sent_message *m = &h->sent[i];
    if (m->port != 0 || m->format != urid(LV2_ATOM__eventTransfer))
      continue;
    const LV2_Atom_Object *obj = (const LV2_Atom_Object *)m->data;
    if (obj->body.otype != urid(LV2_PATCH__Set))
      continue;
    const LV2_Atom *property = NULL, *value = NULL;
    lv2_atom_object_get(obj, urid(LV2_PATCH__property), &property, urid(LV2_PATCH__value), &value,
                        0);
    if (property && ((const LV2_Atom_URID *)property)->body == urid("urn:cyclebus:program") &&
        value && value->type == urid(LV2_ATOM__String))
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
  h->descriptor->port_event(h->handle, 1, lv2_atom_total_size(atom), urid(LV2_ATOM__eventTransfer),
                            atom);
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
  KeyCode shift_code = XKeysymToKeycode(d, XK_Shift_L),
          ctrl_code = XKeysymToKeycode(d, XK_Control_L);
  if (modifiers & ControlMask)
    XTestFakeKeyEvent(d, ctrl_code, True, CurrentTime);
  if (shift)
    XTestFakeKeyEvent(d, shift_code, True, CurrentTime);
  XTestFakeKeyEvent(d, code, True, CurrentTime);
  XTestFakeKeyEvent(d, code, False, CurrentTime);
  if (shift)
    XTestFakeKeyEvent(d, shift_code, False, CurrentTime);
  if (modifiers & ControlMask)
    XTestFakeKeyEvent(d, ctrl_code, False, CurrentTime);
  XSync(d, False);
}

static void type_text(ui_host *h, const char *text) {
  for (const char *p = text; *p; ++p)
    key(h, *p == '\n' ? XK_Return : (KeySym)(unsigned char)*p, 0);
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
  shot s = {attributes.width, attributes.height,
            malloc(sizeof(uint32_t) * (size_t)attributes.width * (size_t)attributes.height)};
  for (int y = 0; y < s.height; ++y)
    for (int x = 0; x < s.width; ++x) {
      unsigned long p = XGetPixel(image, x, y);
      uint32_t r = (uint32_t)((p & image->red_mask) >> 16),
               g = (uint32_t)((p & image->green_mask) >> 8), b = (uint32_t)(p & image->blue_mask);
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
      int dr = (int)(c >> 16) - (int)(rgb >> 16),
          dg = (int)((c >> 8) & 255) - (int)((rgb >> 8) & 255),
          db = (int)(c & 255) - (int)(rgb & 255);
      if (abs(dr) <= tolerance && abs(dg) <= tolerance && abs(db) <= tolerance)
        ++count;
    }
  return count;
}

#define ERROR_RED 0xF0544F     /* theme.h UI_ERROR */
#define ROW_ORANGE 0xFF8C40    /* theme.h UI_ROWS[0], the first output line */
#define WARNING_AMBER 0xFAB340 /* theme.h UI_WARNING */
#define OK_GREEN 0x73CC73      /* theme.h UI_OK */
#define ROW_BLUE 0x59BFFF      /* theme.h UI_ROWS[1] */

static const char *demo_program =
    "-- cyclebus: a bass line, a lead and hats\n"
    "-- \\m1: drive\n"
    "-- \\m2: hats\n"
    "bpm: 124\n"
    "~bass $ saw # lpf \\cutoff \\res # env 0.004 0.2\n"
    "~lead $ square # hpf 300 # lpf (sine 0.25 * 800 + 1600) 0.9 # gain \\m1\n"
    "~hat $ noise # hpf 7000 # env 0.001 0.04 # gain \\m2\n"
    "d1 $ s \"~bass(3,8,<0 2>)\" # note \"<c2 g1>\" # gain 0.9\n"
    "d2 $ s \"~lead*4?\" # note \"c4'min7 e4'maj\" # legato 0.5\n"
    "d3 $ s \"{~hat ~hat ~hat, ~hat ~hat}%8\" # gain \"0.5 0.3\"\n";

#endif
