/* The macro knobs: cutoff res attack release gain m1..m8, one per control
   port, with value, unit and the name the program gives the macro. Dragging
   one writes its port; port_event moves it. UI thread. */
#ifndef CYCLEBUS_UI_KNOBS_H
#define CYCLEBUS_UI_KNOBS_H

#include <stdbool.h>
#include <stdint.h>

#include <cairo/cairo.h>

#include "../plugin/program/program.h"
#include "syntax.h"

/* One knob per macro port, in prog_macro order: cutoff .. m8 (the program's
   other macros, such as \transpose, have no knob). */
#define KN_COUNT (PROG_MACRO_M1 + 8)

typedef struct {
  float values[KN_COUNT];
  char labels[KN_COUNT][SYN_NAME_MAX]; /* from the program, "" when it names none */
  int used[KN_COUNT];                  /* the program mentions \name */
  int dragging;                        /* knob index, -1 when none */
  int hovered;
  double drag_y;
  float drag_start;                  /* normalized value when the drag began */
  double x, y, width, height, scale; /* where the row was last drawn */
} kn_row;

void kn_init(kn_row *row);

uint32_t kn_port(int knob);         /* the plugin port a knob writes */
int kn_knob_of_port(uint32_t port); /* -1 when no knob shows that port */
void kn_set_port_value(kn_row *row, uint32_t port, float value);
/* The macro values for prog_query: the knobs', 0 for macros without one. */
void kn_macros(const kn_row *row, float macros[PROG_MACRO_COUNT]);

/* The program text changed: labels and "used" marks follow it. */
void kn_set_program_text(kn_row *row, const char *text, size_t length);

/* Mouse handling; each returns true when a value changed (then *knob tells
   which, to be written to its port) or something needs a redraw. */
int kn_hit(const kn_row *row, double x, double y);
bool kn_press(kn_row *row, double x, double y, bool double_click, int *changed);
bool kn_motion(kn_row *row, double x, double y, bool fine, int *changed);
void kn_release(kn_row *row);
bool kn_scroll(kn_row *row, double x, double y, int direction, int *changed);

void kn_draw(kn_row *row, cairo_t *cr, double x, double y, double width, double height,
             double scale);
/* The value as shown under the knob, e.g. "2.0 kHz", "-6.0 dB". */
void kn_format(int knob, float value, char *out, size_t size);

#endif
