/* The cyclebus UI instance and how its files share it: lv2ui.c (the LV2 UI
   descriptor and the plugin's messages), x11.c (window, events, painting),
   input.c (keys and mouse), clipboard.c (the CLIPBOARD selection), layout.c
   (areas, toolbar, status). Everything runs on the host's UI thread. */
#ifndef CYCLEBUS_UI_UI_H
#define CYCLEBUS_UI_UI_H

#include <stdbool.h>
#include <stdint.h>

#include <X11/Xlib.h>
#include <cairo/cairo.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>

#include "editor_buffer.h"
#include "editor_view.h"
#include "knobs.h"
#include "protocol.h"
#include "punchcard.h"

#define UI_URI "urn:cyclebus:ui"
#define UI_DEFAULT_WIDTH 960
#define UI_DEFAULT_HEIGHT 640
#define UI_MIN_WIDTH 480
#define UI_MIN_HEIGHT 360

enum { /* areas to repaint */
       UI_DIRTY_TOOLBAR = 1,
       UI_DIRTY_EDITOR = 2,
       UI_DIRTY_CARD = 4,
       UI_DIRTY_KNOBS = 8,
       UI_DIRTY_ALL = 15
};

typedef struct {
  double x, y, width, height;
} ui_rect;

typedef struct cb_ui {
  /* From the host (instantiate; read-only afterwards). */
  LV2UI_Write_Function write;
  LV2UI_Controller controller;
  LV2_URID_Map *map;
  const LV2UI_Resize *host_resize;
  uip_uris uris;
  float host_scale; /* ui:scaleFactor, 0 when not given */

  /* X11: our own connection and window, a child of ui:parent when given. */
  Display *display;
  Window parent, window;
  bool embedded, mapped, closed;
  Atom wm_protocols, wm_delete, clipboard, targets, utf8_string, text_atom, paste_property;
  Visual *visual;    /* 24-bit TrueColor */
  Colormap colormap; /* ours when the parent's visual was not that, else 0 */
  GC gc;
  cairo_surface_t *back; /* the window's pixels, painted here, then shown */
  XImage *image;         /* over back's pixels, for XPutImage */
  int width, height;
  double scale;
  unsigned dirty;

  /* Clipboard (clipboard.c). */
  char *clipboard_text;
  size_t clipboard_length;
  bool paste_pending;
  bool paste_tried_string;

  /* The parts. */
  ed_buffer buffer;
  ed_view view;
  pc_card card;
  kn_row knobs;
  ev_error error;
  char warning[256];        /* the first of the last compile's warnings, "" for none */
  int warning_count;        /* how many it had */
  char samples_in_use[512]; /* the sample folders the program searches */

  /* Layout (layout.c). */
  ui_rect toolbar, send_button, message, editor, punchcard, knob_row;
  bool send_hovered, send_pressed;

  /* Mouse state (input.c). */
  bool selecting;
  Time last_click_time;
  int last_click_x, last_click_y;
  bool focused;
  Time event_time; /* of the last key or click, for selection ownership */

  /* Session. */
  enum { UI_STATUS_WAITING, UI_STATUS_SENT, UI_STATUS_OK, UI_STATUS_ERROR } status;
  char *sent_text; /* the text last sent, compiled for the punchcard once it is accepted */
  size_t sent_length;
  bool have_program; /* the editor holds the session's program (or the user's) */
} cb_ui;

/* x11.c */
bool ui_x11_open(cb_ui *ui, Window parent);
void ui_x11_close(cb_ui *ui);
void ui_x11_show(cb_ui *ui, bool show);
int ui_x11_idle(cb_ui *ui); /* pumps events and repaints; nonzero once the window was closed */
void ui_x11_resize(cb_ui *ui, int width, int height);
double ui_now(void); /* monotonic seconds */

/* layout.c */
void ui_layout(cb_ui *ui);
void ui_update_layout(cb_ui *ui); /* lays out again when the punchcard's rows changed */
void ui_paint(cb_ui *ui, cairo_t *cr, unsigned areas);
const ui_rect *ui_area_rect(const cb_ui *ui, unsigned area); /* one UI_DIRTY_ area's place */
bool ui_animating(const cb_ui *ui);

/* input.c */
void ui_key_press(cb_ui *ui, XKeyEvent *event);
void ui_button_press(cb_ui *ui, XButtonEvent *event);
void ui_button_release(cb_ui *ui, XButtonEvent *event);
void ui_motion(cb_ui *ui, XMotionEvent *event);
void ui_insert_text(cb_ui *ui, const char *text, size_t length); /* a paste */

/* clipboard.c */
void ui_clipboard_init(cb_ui *ui);
void ui_clipboard_copy(cb_ui *ui, const char *text, size_t length);
void ui_clipboard_paste(cb_ui *ui);
void ui_clipboard_event(cb_ui *ui, XEvent *event);
void ui_clipboard_free(cb_ui *ui);

/* lv2ui.c */
void ui_send_program(cb_ui *ui);
void ui_write_knob(cb_ui *ui, int knob);
void ui_text_changed(cb_ui *ui); /* the editor's text changed: labels, repaint */

#endif
