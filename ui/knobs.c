/* Macro knobs: the value mapping (logarithmic where the TTL says so), mouse
   dragging and their drawing. Ranges and defaults come from ports.h, which a
   test keeps equal to the TTL. */
#include "knobs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../plugin/lv2/ports.h"
#include "theme.h"

#define DRAG_PIXELS 200.0 /* a full turn, in logical pixels */
#define FINE_FACTOR 10.0
#define SCROLL_STEP 0.02

typedef struct {
  uint32_t port;
  const char *name; /* when the program names none */
  const char *unit;
  bool logarithmic;
} knob_info;

static const knob_info knob_infos[] = {
    {CB_PORT_CUTOFF, "cutoff", "Hz", true}, {CB_PORT_RES, "res", "Q", true},
    {CB_PORT_ATTACK, "attack", "s", true},  {CB_PORT_RELEASE, "release", "s", true},
    {CB_PORT_GAIN, "gain", "dB", false},    {CB_PORT_M1 + 0, "m1", "", false},
    {CB_PORT_M1 + 1, "m2", "", false},      {CB_PORT_M1 + 2, "m3", "", false},
    {CB_PORT_M1 + 3, "m4", "", false},      {CB_PORT_M1 + 4, "m5", "", false},
    {CB_PORT_M1 + 5, "m6", "", false},      {CB_PORT_M1 + 6, "m7", "", false},
    {CB_PORT_M1 + 7, "m8", "", false},
};

_Static_assert(sizeof knob_infos / sizeof knob_infos[0] == KN_COUNT, "a knob per macro port");

static const cb_control_port *range_of(int knob) {
  for (size_t i = 0; i < CB_CONTROL_PORT_COUNT; ++i)
    if (cb_control_ports[i].index == knob_infos[knob].port)
      return &cb_control_ports[i];
  return &cb_control_ports[0]; /* not reached: every knob's port is in the table */
}

static float clamp_value(int knob, float value) {
  const cb_control_port *r = range_of(knob);
  if (!isfinite(value))
    return r->fallback;
  return value < r->minimum ? r->minimum : value > r->maximum ? r->maximum : value;
}

static double normalized(int knob, float value) {
  const cb_control_port *r = range_of(knob);
  value = clamp_value(knob, value);
  if (knob_infos[knob].logarithmic)
    return log((double)value / r->minimum) / log((double)r->maximum / r->minimum);
  return ((double)value - r->minimum) / ((double)r->maximum - r->minimum);
}

static float denormalized(int knob, double n) {
  const cb_control_port *r = range_of(knob);
  n = n < 0.0 ? 0.0 : n > 1.0 ? 1.0 : n;
  if (knob_infos[knob].logarithmic)
    return clamp_value(knob, (float)(r->minimum * pow((double)r->maximum / r->minimum, n)));
  return clamp_value(knob, (float)(r->minimum + n * ((double)r->maximum - r->minimum)));
}

void kn_init(kn_row *row) {
  memset(row, 0, sizeof *row);
  for (int k = 0; k < KN_COUNT; ++k)
    row->values[k] = range_of(k)->fallback;
  row->dragging = row->hovered = -1;
}

uint32_t kn_port(int knob) { return knob_infos[knob].port; }

int kn_knob_of_port(uint32_t port) {
  for (int k = 0; k < KN_COUNT; ++k)
    if (knob_infos[k].port == port)
      return k;
  return -1;
}

void kn_set_port_value(kn_row *row, uint32_t port, float value) {
  int knob = kn_knob_of_port(port);
  if (knob >= 0)
    row->values[knob] = clamp_value(knob, value);
}

void kn_macros(const kn_row *row, float macros[PROG_MACRO_COUNT]) {
  for (int m = 0; m < PROG_MACRO_COUNT; ++m)
    macros[m] = m < KN_COUNT ? row->values[m] : 0.0f;
}

void kn_set_program_text(kn_row *row, const char *text, size_t length) {
  syn_macro_labels(text, length, prog_macro_names, KN_COUNT, row->labels, row->used);
}

void kn_format(int knob, float value, char *out, size_t size) {
  const char *unit = knob_infos[knob].unit;
  if (!strcmp(unit, "Hz") && value >= 1000.0f)
    snprintf(out, size, "%.2f kHz", value / 1000.0f);
  else if (!strcmp(unit, "Hz"))
    snprintf(out, size, "%.0f Hz", value);
  else if (!strcmp(unit, "s") && value < 1.0f)
    snprintf(out, size, "%.1f ms", value * 1000.0f);
  else if (!strcmp(unit, "s"))
    snprintf(out, size, "%.2f s", value);
  else if (!strcmp(unit, "dB"))
    snprintf(out, size, "%+.1f dB", value);
  else if (!strcmp(unit, "Q"))
    snprintf(out, size, "Q %.2f", value);
  else
    snprintf(out, size, "%.2f", value);
}

/* ---- mouse ---------------------------------------------------------------------- */

int kn_hit(const kn_row *row, double x, double y) {
  if (x < row->x || y < row->y || x >= row->x + row->width || y >= row->y + row->height)
    return -1;
  int knob = (int)((x - row->x) / (row->width / KN_COUNT));
  return knob >= 0 && knob < KN_COUNT ? knob : -1;
}

bool kn_press(kn_row *row, double x, double y, bool double_click, int *changed) {
  int knob = kn_hit(row, x, y);
  *changed = -1;
  if (knob < 0)
    return false;
  if (double_click) { /* back to the default */
    row->values[knob] = range_of(knob)->fallback;
    *changed = knob;
    row->dragging = -1;
    return true;
  }
  row->dragging = knob;
  row->drag_y = y;
  row->drag_start = (float)normalized(knob, row->values[knob]);
  return true;
}

bool kn_motion(kn_row *row, double x, double y, bool fine, int *changed) {
  *changed = -1;
  if (row->dragging < 0) {
    int hovered = kn_hit(row, x, y);
    bool moved = hovered != row->hovered;
    row->hovered = hovered;
    return moved;
  }
  int knob = row->dragging;
  double pixels = DRAG_PIXELS * (row->scale > 0 ? row->scale : 1.0) * (fine ? FINE_FACTOR : 1.0);
  float value = denormalized(knob, row->drag_start + (row->drag_y - y) / pixels);
  if (fine) { /* fine mode restarts from here, so switching modes does not jump */
    row->drag_start = (float)normalized(knob, value);
    row->drag_y = y;
  }
  if (value == row->values[knob])
    return false;
  row->values[knob] = value;
  *changed = knob;
  return true;
}

void kn_release(kn_row *row) { row->dragging = -1; }

bool kn_scroll(kn_row *row, double x, double y, int direction, int *changed) {
  int knob = kn_hit(row, x, y);
  *changed = -1;
  if (knob < 0)
    return false;
  row->values[knob] =
      denormalized(knob, normalized(knob, row->values[knob]) + direction * SCROLL_STEP);
  *changed = knob;
  return true;
}

/* ---- drawing -------------------------------------------------------------------- */

static void centred_text(cairo_t *cr, const char *text, double cx, double baseline,
                         double max_width) {
  cairo_text_extents_t ext;
  cairo_text_extents(cr, text, &ext);
  double w = ext.x_advance > max_width ? max_width : ext.x_advance;
  cairo_save(cr);
  cairo_rectangle(cr, cx - max_width / 2, baseline - 20 * 4, max_width, 20 * 4 + 8);
  cairo_clip(cr);
  cairo_move_to(cr, cx - w / 2, baseline);
  cairo_show_text(cr, text);
  cairo_restore(cr);
}

static void draw_knob(const kn_row *row, cairo_t *cr, int k, double cx, double cy, double radius) {
  double s = row->scale, n = normalized(k, row->values[k]);
  double start = M_PI * 0.75, sweep = M_PI * 1.5;
  ui_colour accent = row->used[k] ? UI_ACCENT : UI_DIM_TEXT;
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width(cr, 4.0 * s);
  ui_set_colour(cr, UI_GRID);
  cairo_arc(cr, cx, cy, radius, start, start + sweep);
  cairo_stroke(cr);
  ui_set_colour(cr, accent);
  cairo_arc(cr, cx, cy, radius, start, start + sweep * n);
  cairo_stroke(cr);
  ui_set_colour(cr, row->hovered == k || row->dragging == k ? UI_CURRENT_LINE : UI_BACKGROUND);
  cairo_arc(cr, cx, cy, radius - 5.0 * s, 0, 2 * M_PI);
  cairo_fill(cr);
  double angle = start + sweep * n;
  cairo_set_line_width(cr, 2.0 * s);
  ui_set_colour(cr, UI_TEXT);
  cairo_move_to(cr, cx + cos(angle) * (radius - 12.0 * s), cy + sin(angle) * (radius - 12.0 * s));
  cairo_line_to(cr, cx + cos(angle) * (radius - 5.0 * s), cy + sin(angle) * (radius - 5.0 * s));
  cairo_stroke(cr);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
}

void kn_draw(kn_row *row, cairo_t *cr, double x, double y, double width, double height,
             double scale) {
  row->x = x;
  row->y = y;
  row->width = width;
  row->height = height;
  row->scale = scale;
  ui_set_colour(cr, UI_PANEL);
  cairo_rectangle(cr, x, y, width, height);
  cairo_fill(cr);
  double cell = width / KN_COUNT;
  double radius = fmin(cell * 0.36, (height - 34.0 * scale) * 0.45);
  if (radius < 4.0)
    return;
  cairo_select_font_face(cr, UI_FONT_SANS, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 10.5 * scale);
  for (int k = 0; k < KN_COUNT; ++k) {
    double cx = x + cell * (k + 0.5);
    double cy = y + 16.0 * scale + radius + 2.0 * scale;
    const char *label = row->labels[k][0] ? row->labels[k] : knob_infos[k].name;
    ui_set_colour(cr, row->labels[k][0] ? UI_SYNTAX[5] : UI_DIM_TEXT);
    centred_text(cr, label, cx, y + 12.0 * scale, cell - 4.0 * scale);
    draw_knob(row, cr, k, cx, cy, radius);
    char value[32];
    kn_format(k, row->values[k], value, sizeof value);
    ui_set_colour(cr, UI_TEXT);
    centred_text(cr, value, cx, cy + radius + 14.0 * scale, cell - 2.0 * scale);
  }
}
