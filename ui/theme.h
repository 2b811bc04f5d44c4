/* Colours and sizes shared by the UI's drawing code. Sizes are in logical
   pixels, multiplied by the scale factor where they are used. */
#ifndef CYCLEBUS_UI_THEME_H
#define CYCLEBUS_UI_THEME_H

#include <cairo/cairo.h>

typedef struct {
  double r, g, b;
} ui_colour;

static const ui_colour UI_BACKGROUND = {0.10, 0.11, 0.13};
static const ui_colour UI_PANEL = {0.14, 0.15, 0.18};
static const ui_colour UI_GUTTER = {0.12, 0.13, 0.15};
static const ui_colour UI_LINE_NUMBER = {0.42, 0.45, 0.50};
static const ui_colour UI_TEXT = {0.86, 0.87, 0.89};
static const ui_colour UI_DIM_TEXT = {0.55, 0.58, 0.62};
static const ui_colour UI_SELECTION = {0.22, 0.33, 0.52};
static const ui_colour UI_CURSOR = {0.98, 0.80, 0.30};
static const ui_colour UI_CURRENT_LINE = {0.16, 0.17, 0.21};
static const ui_colour UI_ERROR = {0.94, 0.33, 0.31};
static const ui_colour UI_OK = {0.45, 0.80, 0.45};
static const ui_colour UI_WARNING = {0.98, 0.70, 0.25};
static const ui_colour UI_ACCENT = {0.36, 0.62, 0.96};
static const ui_colour UI_GRID = {0.22, 0.24, 0.28};
static const ui_colour UI_GRID_BEAT = {0.32, 0.34, 0.40};
static const ui_colour UI_PLAYHEAD = {1.00, 0.85, 0.35};

/* Editor colours per syn_kind (syntax.h order). */
static const ui_colour UI_SYNTAX[] = {
    {0.86, 0.87, 0.89}, /* plain */
    {0.45, 0.50, 0.55}, /* comment */
    {0.60, 0.82, 0.45}, /* string */
    {0.78, 0.57, 0.96}, /* number */
    {1.00, 0.62, 0.28}, /* bus */
    {0.98, 0.83, 0.35}, /* macro */
    {0.38, 0.72, 1.00}, /* output */
    {0.95, 0.45, 0.65}, /* keyword */
    {0.62, 0.70, 0.80}, /* operator */
};

/* One colour per output line in the punchcard. */
static const ui_colour UI_ROWS[] = {
    {1.00, 0.55, 0.25}, {0.35, 0.75, 1.00}, {0.55, 0.90, 0.40}, {0.95, 0.40, 0.70},
    {0.75, 0.60, 1.00}, {1.00, 0.85, 0.30}, {0.30, 0.90, 0.80}, {0.95, 0.35, 0.35},
};
#define UI_ROW_COLOURS (sizeof UI_ROWS / sizeof UI_ROWS[0])

static inline void ui_set_colour(cairo_t *cr, ui_colour c) {
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}
static inline void ui_set_colour_alpha(cairo_t *cr, ui_colour c, double alpha) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

#define UI_FONT_MONO "monospace"
#define UI_FONT_SANS "sans-serif"

#endif
