/* Drawing the editor buffer: line numbers, coloured text, selection, cursor,
   the error underline and message, scrolling, and mouse positions to text
   positions. UI thread. */
#ifndef CYCLEBUS_UI_EDITOR_VIEW_H
#define CYCLEBUS_UI_EDITOR_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo/cairo.h>

#include "editor_buffer.h"

typedef struct {
  bool active;
  bool placed;      /* line and column point into the editor's text */
  int line, column; /* 1-based, as reported; 0 when the report names no place */
  char message[320];
} ev_error;

typedef struct {
  double x, y, width, height; /* where it was last drawn */
  double scale;
  double char_width, line_height, ascent, gutter;
  long first_line;   /* scrolled: the top visible line */
  long first_column; /* scrolled: the leftmost visible column */
  bool metrics_known;
} ed_view;

void ev_init(ed_view *view);

/* Lays out the view in the rectangle (measuring the font) without drawing,
   so key handling can scroll before the first paint. */
void ev_layout(ed_view *view, cairo_t *cr, double x, double y, double width, double height,
               double scale);
void ev_draw(ed_view *view, ed_buffer *buffer, cairo_t *cr, const ev_error *error, bool focused);

int ev_visible_lines(const ed_view *view);
/* Scrolls so the cursor is visible. */
void ev_reveal_cursor(ed_view *view, ed_buffer *buffer);
void ev_scroll(ed_view *view, ed_buffer *buffer, long lines);
bool ev_contains(const ed_view *view, double x, double y);
/* The text position under a point (clamped to the text). */
size_t ev_pos_at(const ed_view *view, ed_buffer *buffer, double x, double y);

#endif
