/* Where each part of the UI goes (toolbar, editor, punchcard, knobs) for the
   window's size and scale, and the painting of the toolbar: the Send button,
   the program's status (or the plugin's error) and the cursor position. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "theme.h"
#include "ui.h"

#define TOOLBAR_HEIGHT 36.0
#define KNOBS_HEIGHT 92.0
#define SEND_WIDTH 120.0

void ui_layout(cb_ui *ui) {
  double s = ui->scale, w = ui->width, h = ui->height;
  double toolbar = TOOLBAR_HEIGHT * s, knobs = KNOBS_HEIGHT * s;
  double card = pc_preferred_height(&ui->card) * s;
  double rest = h - toolbar - knobs;
  if (card > rest * 0.45)
    card = floor(rest * 0.45);
  ui->toolbar = (ui_rect){0, 0, w, toolbar};
  ui->send_button = (ui_rect){8 * s, 6 * s, SEND_WIDTH * s, toolbar - 12 * s};
  ui->message = (ui_rect){ui->send_button.x + ui->send_button.width + 12 * s, 0,
                          w - SEND_WIDTH * s - 140 * s, toolbar};
  ui->editor = (ui_rect){0, toolbar, w, fmax(rest - card, 0)};
  ui->punchcard = (ui_rect){0, toolbar + ui->editor.height, w, card};
  ui->knob_row = (ui_rect){0, h - knobs, w, knobs};
  ui->dirty = UI_DIRTY_ALL;
}

void ui_update_layout(cb_ui *ui) {
  double s = ui->scale, rest = ui->height - (TOOLBAR_HEIGHT + KNOBS_HEIGHT) * s;
  double card = pc_preferred_height(&ui->card) * s;
  if (card > rest * 0.45)
    card = floor(rest * 0.45);
  if (card != ui->punchcard.height)
    ui_layout(ui);
}

const ui_rect *ui_area_rect(const cb_ui *ui, unsigned area) {
  switch (area) {
  case UI_DIRTY_TOOLBAR:
    return &ui->toolbar;
  case UI_DIRTY_EDITOR:
    return &ui->editor;
  case UI_DIRTY_CARD:
    return &ui->punchcard;
  default:
    return &ui->knob_row;
  }
}

bool ui_animating(const cb_ui *ui) {
  double now = ui_now();
  for (int i = 0; i < ui->card.lit_count; ++i)
    if (now - ui->card.lit[i].lit_at < 0.4)
      return true;
  return false;
}

static void draw_send_button(cb_ui *ui, cairo_t *cr) {
  const ui_rect *b = &ui->send_button;
  double s = ui->scale, r = 4 * s;
  cairo_new_sub_path(cr);
  cairo_arc(cr, b->x + b->width - r, b->y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, b->x + b->width - r, b->y + b->height - r, r, 0, M_PI / 2);
  cairo_arc(cr, b->x + r, b->y + b->height - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, b->x + r, b->y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
  ui_colour fill = UI_ACCENT;
  double shade = ui->send_pressed ? 0.7 : ui->send_hovered ? 1.15 : 1.0;
  cairo_set_source_rgb(cr, fmin(fill.r * shade, 1), fmin(fill.g * shade, 1),
                       fmin(fill.b * shade, 1));
  cairo_fill(cr);
  cairo_select_font_face(cr, UI_FONT_SANS, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 12.5 * s);
  const char *label = ui->buffer.modified ? "Send \342\200\242" : "Send"; /* a dot: unsent edits */
  cairo_text_extents_t ext;
  cairo_text_extents(cr, label, &ext);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_move_to(cr, b->x + (b->width - ext.x_advance) / 2, b->y + b->height / 2 + 4.5 * s);
  cairo_show_text(cr, label);
}

static void draw_status(cb_ui *ui, cairo_t *cr) {
  double s = ui->scale;
  char text[sizeof ui->error.message + sizeof ui->samples_in_use + 64];
  ui_colour colour = UI_DIM_TEXT;
  switch (ui->status) {
  case UI_STATUS_WAITING:
    snprintf(text, sizeof text, "waiting for the plugin");
    break;
  case UI_STATUS_SENT:
    snprintf(text, sizeof text, "sent, compiling\342\200\246");
    break;
  case UI_STATUS_OK:
    if (ui->warning[0]) { /* it plays, but something it names is missing */
      snprintf(text, sizeof text, "\342\232\240 %s%s", ui->warning,
               ui->warning_count > 1 ? " (and more)" : "");
      colour = UI_WARNING;
    } else if (ui->samples_in_use[0]) {
      snprintf(text, sizeof text, "\342\234\223 playing%s \302\267 samples: %s",
               ui->buffer.modified ? " (edited since)" : "", ui->samples_in_use);
      colour = UI_OK;
    } else {
      snprintf(text, sizeof text, "\342\234\223 playing%s",
               ui->buffer.modified ? " (edited since)" : "");
      colour = UI_OK;
    }
    break;
  case UI_STATUS_ERROR:
    if (ui->error.line > 0)
      snprintf(text, sizeof text, "\342\234\227 %d:%d: %s", ui->error.line, ui->error.column,
               ui->error.message);
    else
      snprintf(text, sizeof text, "\342\234\227 %s", ui->error.message);
    colour = UI_ERROR;
    break;
  }
  cairo_save(cr);
  cairo_rectangle(cr, ui->message.x, ui->message.y, ui->message.width, ui->message.height);
  cairo_clip(cr);
  cairo_select_font_face(cr, UI_FONT_SANS, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 12.5 * s);
  ui_set_colour(cr, colour);
  cairo_move_to(cr, ui->message.x, ui->toolbar.height / 2 + 4.5 * s);
  cairo_show_text(cr, text);
  cairo_restore(cr);

  char position[48];
  snprintf(position, sizeof position, "Ln %zu, Col %d",
           ed_line_of(&ui->buffer, ui->buffer.cursor) + 1,
           ed_column_of(&ui->buffer, ui->buffer.cursor) + 1);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, position, &ext);
  ui_set_colour(cr, UI_DIM_TEXT);
  cairo_move_to(cr, ui->toolbar.width - ext.x_advance - 10 * s, ui->toolbar.height / 2 + 4.5 * s);
  cairo_show_text(cr, position);
}

static void paint_toolbar(cb_ui *ui, cairo_t *cr) {
  ui_set_colour(cr, UI_PANEL);
  cairo_rectangle(cr, ui->toolbar.x, ui->toolbar.y, ui->toolbar.width, ui->toolbar.height);
  cairo_fill(cr);
  draw_send_button(ui, cr);
  draw_status(ui, cr);
}

void ui_paint(cb_ui *ui, cairo_t *cr, unsigned areas) {
  if (areas & UI_DIRTY_TOOLBAR)
    paint_toolbar(ui, cr);
  if (areas & UI_DIRTY_EDITOR) {
    ev_layout(&ui->view, cr, ui->editor.x, ui->editor.y, ui->editor.width, ui->editor.height,
              ui->scale);
    ev_draw(&ui->view, &ui->buffer, cr, &ui->error, ui->focused);
  }
  if (areas & UI_DIRTY_CARD) {
    cairo_save(cr);
    cairo_rectangle(cr, ui->punchcard.x, ui->punchcard.y, ui->punchcard.width,
                    ui->punchcard.height);
    cairo_clip(cr);
    float macros[PROG_MACRO_COUNT];
    kn_macros(&ui->knobs, macros);
    pc_draw(&ui->card, cr, ui->punchcard.x, ui->punchcard.y, ui->punchcard.width,
            ui->punchcard.height, ui->scale, ui_now(), macros);
    ui_set_colour(cr, UI_GRID);
    cairo_rectangle(cr, ui->punchcard.x, ui->punchcard.y, ui->punchcard.width, 1.0);
    cairo_fill(cr);
    cairo_restore(cr);
  }
  if (areas & UI_DIRTY_KNOBS) {
    cairo_save(cr);
    cairo_rectangle(cr, ui->knob_row.x, ui->knob_row.y, ui->knob_row.width, ui->knob_row.height);
    cairo_clip(cr);
    kn_draw(&ui->knobs, cr, ui->knob_row.x, ui->knob_row.y, ui->knob_row.width, ui->knob_row.height,
            ui->scale);
    cairo_restore(cr);
  }
}
