/* The editor's drawing: a monospaced grid of cells (one per code point), a
   line-number gutter, syntax colours, the selection, the cursor and the
   plugin's error at its line and column. */
#include "editor_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syntax.h"
#include "theme.h"

#define FONT_SIZE 13.0
#define PADDING 6.0
#define MAX_LINE_BYTES 1024 /* longer lines are drawn up to here */

void ev_init(ed_view *view) { memset(view, 0, sizeof *view); }

void ev_layout(ed_view *view, cairo_t *cr, double x, double y, double width, double height,
               double scale) {
  view->x = x;
  view->y = y;
  view->width = width;
  view->height = height;
  if (!view->metrics_known || view->scale != scale) {
    cairo_save(cr);
    cairo_select_font_face(cr, UI_FONT_MONO, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, FONT_SIZE * scale);
    cairo_font_extents_t font;
    cairo_text_extents_t m;
    cairo_font_extents(cr, &font);
    cairo_text_extents(cr, "M", &m);
    cairo_restore(cr);
    view->char_width = m.x_advance > 1 ? m.x_advance : FONT_SIZE * scale * 0.6;
    view->line_height = ceil(font.height > 1 ? font.height : FONT_SIZE * scale * 1.3);
    view->ascent = ceil(font.ascent);
    view->scale = scale;
    view->metrics_known = true;
  }
  view->gutter = view->char_width * 4 + PADDING * 2 * scale;
}

int ev_visible_lines(const ed_view *view) {
  if (!view->metrics_known || view->line_height <= 0)
    return 1;
  int lines = (int)((view->height - PADDING * view->scale) / view->line_height);
  return lines < 1 ? 1 : lines;
}

static int visible_columns(const ed_view *view) {
  if (!view->metrics_known || view->char_width <= 0)
    return 1;
  int columns = (int)((view->width - view->gutter - PADDING * view->scale) / view->char_width);
  return columns < 1 ? 1 : columns;
}

void ev_reveal_cursor(ed_view *view, ed_buffer *buffer) {
  long line = (long)ed_line_of(buffer, buffer->cursor);
  long column = ed_column_of(buffer, buffer->cursor);
  long lines = ev_visible_lines(view), columns = visible_columns(view);
  if (line < view->first_line)
    view->first_line = line;
  if (line >= view->first_line + lines)
    view->first_line = line - lines + 1;
  if (column < view->first_column)
    view->first_column = column > 4 ? column - 4 : 0;
  if (column >= view->first_column + columns)
    view->first_column = column - columns + 4;
}

void ev_scroll(ed_view *view, ed_buffer *buffer, long lines) {
  long last = (long)ed_line_count(buffer) - 1;
  view->first_line += lines;
  if (view->first_line > last)
    view->first_line = last;
  if (view->first_line < 0)
    view->first_line = 0;
}

bool ev_contains(const ed_view *view, double x, double y) {
  return x >= view->x && y >= view->y && x < view->x + view->width && y < view->y + view->height;
}

size_t ev_pos_at(const ed_view *view, ed_buffer *buffer, double x, double y) {
  if (!view->metrics_known)
    return buffer->cursor;
  double row = (y - view->y - PADDING * view->scale) / view->line_height;
  long line = view->first_line + (long)floor(row);
  if (line < 0)
    return 0;
  if ((size_t)line >= ed_line_count(buffer))
    return buffer->length;
  double cell = (x - view->x - view->gutter) / view->char_width;
  long column = view->first_column + (long)floor(cell + 0.5);
  return ed_pos_at(buffer, (size_t)line, column < 0 ? 0 : (int)column);
}

/* Cells of a line: the byte offset of each code point, for drawing. */
static size_t cells_of(const char *text, size_t length, size_t *starts, size_t max) {
  size_t count = 0;
  for (size_t i = 0; i < length && count < max; ++i)
    if (((unsigned char)text[i] & 0xC0) != 0x80)
      starts[count++] = i;
  return count;
}

/* Text of one line in its colours, from the first visible column. ASCII
   runs are drawn as one string (the font is monospaced); other code points
   cell by cell, so each stays on the grid whatever its width in the font. */
static void draw_line_text(const ed_view *view, cairo_t *cr, const char *text, size_t length,
                           double baseline) {
  unsigned char kinds[MAX_LINE_BYTES];
  size_t starts[MAX_LINE_BYTES];
  if (length > MAX_LINE_BYTES)
    length = MAX_LINE_BYTES;
  syn_classify_line(text, length, kinds);
  size_t cells = cells_of(text, length, starts, MAX_LINE_BYTES);
  double left = view->x + view->gutter;
  size_t first = view->first_column > 0 ? (size_t)view->first_column : 0;
  size_t last = first + (size_t)visible_columns(view) + 1;
  char run[MAX_LINE_BYTES + 1];
  for (size_t c = first; c < cells && c < last;) {
    unsigned char kind = kinds[starts[c]];
    bool ascii = (unsigned char)text[starts[c]] < 0x80;
    size_t end = c + 1;
    while (end < cells && end < last && kinds[starts[end]] == kind &&
           ((unsigned char)text[starts[end]] < 0x80) == ascii)
      ++end;
    size_t from = starts[c], to = end < cells ? starts[end] : length;
    ui_set_colour(cr, UI_SYNTAX[kind < SYN_KIND_COUNT ? kind : 0]);
    if (ascii) {
      size_t n = 0;
      for (size_t i = from; i < to; ++i)
        run[n++] = text[i] == '\t' || text[i] < ' ' ? ' ' : text[i];
      run[n] = '\0';
      cairo_move_to(cr, left + (double)(c - first) * view->char_width, baseline);
      cairo_show_text(cr, run);
    } else {
      for (size_t k = c; k < end; ++k) {
        size_t bytes = (k + 1 < cells ? starts[k + 1] : length) - starts[k];
        char glyph[8] = {0};
        memcpy(glyph, text + starts[k], bytes < 7 ? bytes : 7);
        cairo_move_to(cr, left + (double)(k - first) * view->char_width, baseline);
        cairo_show_text(cr, glyph);
      }
    }
    c = end;
  }
}

static double column_x(const ed_view *view, long column) {
  return view->x + view->gutter + (double)(column - view->first_column) * view->char_width;
}

static void draw_selection(const ed_view *view, ed_buffer *buffer, cairo_t *cr, long line,
                           double top) {
  size_t from, to;
  ed_selection(buffer, &from, &to);
  size_t start = ed_line_start(buffer, (size_t)line), end = ed_line_end(buffer, (size_t)line);
  if (from == to || to < start || from > end + 1)
    return;
  long c0 = from <= start ? 0 : ed_column_of(buffer, from);
  long c1 = to > end ? ed_column_of(buffer, end) + 1 : ed_column_of(buffer, to);
  if (c1 <= c0)
    return;
  ui_set_colour(cr, UI_SELECTION);
  cairo_rectangle(cr, column_x(view, c0), top, (double)(c1 - c0) * view->char_width,
                  view->line_height);
  cairo_fill(cr);
}

/* The error's place: a wavy underline under the word at LINE:COL, and the
   message after the line's end. */
static void draw_error(const ed_view *view, ed_buffer *buffer, cairo_t *cr, const ev_error *error,
                       long line, double top, double baseline) {
  if (!error->placed || error->line < 1 || line != error->line - 1)
    return;
  size_t pos = ed_pos_of_report(buffer, error->line, error->column);
  size_t end = ed_line_end(buffer, (size_t)line), word = pos;
  while (word < end && buffer->text[word] != ' ' && buffer->text[word] != '"')
    ++word;
  if (word == pos)
    word = pos + 1;
  long c0 = ed_column_of(buffer, pos), c1 = c0 + (long)(word - pos);
  double s = view->scale, y = top + view->line_height - 2.0 * s;
  ui_set_colour_alpha(cr, UI_ERROR, 0.12);
  cairo_rectangle(cr, view->x + view->gutter, top, view->width - view->gutter, view->line_height);
  cairo_fill(cr);
  ui_set_colour(cr, UI_ERROR);
  cairo_set_line_width(cr, 1.5 * s);
  double x = column_x(view, c0), x_end = column_x(view, c1);
  cairo_move_to(cr, x, y);
  for (int i = 0; x < x_end; ++i) { /* a wave of 2-pixel steps */
    x += 2.0 * s;
    cairo_line_to(cr, x, y + (i % 2 ? 0.0 : -2.0 * s));
  }
  cairo_stroke(cr);
  long line_end_column = ed_column_of(buffer, end);
  double message_x = column_x(view, line_end_column + 3);
  cairo_save(cr);
  cairo_select_font_face(cr, UI_FONT_SANS, CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 12.0 * s);
  cairo_move_to(cr, message_x, baseline);
  cairo_show_text(cr, error->message);
  cairo_restore(cr);
}

static void draw_gutter(const ed_view *view, ed_buffer *buffer, cairo_t *cr, const ev_error *error,
                        long line, double baseline) {
  char number[16];
  snprintf(number, sizeof number, "%4d", (int)(line + 1 > 999999 ? 999999 : line + 1));
  bool current = (size_t)line == ed_line_of(buffer, buffer->cursor);
  bool wrong = error->placed && error->line == line + 1;
  ui_set_colour(cr, wrong ? UI_ERROR : current ? UI_TEXT : UI_LINE_NUMBER);
  cairo_move_to(cr, view->x + PADDING * view->scale * 0.5, baseline);
  cairo_show_text(cr, number);
}

void ev_draw(ed_view *view, ed_buffer *buffer, cairo_t *cr, const ev_error *error, bool focused) {
  double s = view->scale;
  cairo_save(cr);
  cairo_rectangle(cr, view->x, view->y, view->width, view->height);
  cairo_clip(cr);
  ui_set_colour(cr, UI_BACKGROUND);
  cairo_paint(cr);
  ui_set_colour(cr, UI_GUTTER);
  cairo_rectangle(cr, view->x, view->y, view->gutter - PADDING * s * 0.5, view->height);
  cairo_fill(cr);
  cairo_select_font_face(cr, UI_FONT_MONO, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, FONT_SIZE * s);

  long lines = (long)ed_line_count(buffer), visible = ev_visible_lines(view) + 1;
  long cursor_line = (long)ed_line_of(buffer, buffer->cursor);
  for (long line = view->first_line; line < lines && line < view->first_line + visible; ++line) {
    double top = view->y + PADDING * s + (double)(line - view->first_line) * view->line_height;
    double baseline = top + view->ascent;
    if (line == cursor_line && !ed_has_selection(buffer)) {
      ui_set_colour(cr, UI_CURRENT_LINE);
      cairo_rectangle(cr, view->x + view->gutter - PADDING * s * 0.5, top, view->width,
                      view->line_height);
      cairo_fill(cr);
    }
    draw_selection(view, buffer, cr, line, top);
    size_t start = ed_line_start(buffer, (size_t)line), end = ed_line_end(buffer, (size_t)line);
    cairo_save(cr);
    cairo_rectangle(cr, view->x + view->gutter - 1, view->y, view->width - view->gutter + 1,
                    view->height);
    cairo_clip(cr);
    draw_line_text(view, cr, buffer->text + start, end - start, baseline);
    draw_error(view, buffer, cr, error, line, top, baseline);
    cairo_restore(cr);
    draw_gutter(view, buffer, cr, error, line, baseline);
    if (line == cursor_line && focused) {
      double x = floor(column_x(view, ed_column_of(buffer, buffer->cursor))) + 0.5;
      if (x >= view->x + view->gutter - 1) {
        ui_set_colour(cr, UI_CURSOR);
        cairo_set_line_width(cr, 2.0 * s);
        cairo_move_to(cr, x, top + 1);
        cairo_line_to(cr, x, top + view->line_height - 1);
        cairo_stroke(cr);
      }
    }
  }
  cairo_restore(cr);
}
