/* The punchcard: queries one cycle of the locally compiled program and draws
   it as boxes on a 16-step grid, one row per output line; events the plugin
   reports as triggered are drawn lit, the one under the playhead brightest. */
#include "punchcard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

#define ARENA_BYTES (1u << 20)
#define TRIGGERS_MAX 2048
#define FLASH_SECONDS 0.35
#define LABEL_WIDTH 44.0
#define HEADER_HEIGHT 16.0
#define ROW_HEIGHT 24.0

bool pc_init(pc_card *card) {
  memset(card, 0, sizeof *card);
  card->arena_memory = malloc(ARENA_BYTES);
  card->triggers = calloc(TRIGGERS_MAX, sizeof *card->triggers);
  if (!card->arena_memory || !card->triggers) {
    pc_free(card);
    return false;
  }
  pat_arena_init(&card->arena, card->arena_memory, ARENA_BYTES);
  return true;
}

void pc_free(pc_card *card) {
  prog_free(card->program);
  free(card->arena_memory);
  free(card->triggers);
  memset(card, 0, sizeof *card);
}

bool pc_set_program(pc_card *card, const char *text, size_t length) {
  prog_error error;
  prog_program *program = prog_compile(text, length, &error);
  if (!program)
    return false;
  prog_free(card->program);
  card->program = program;
  card->named_rows = syn_outputs(text, length, card->names, PC_ROWS_MAX);
  card->queried = false;
  return true;
}

void pc_set_playhead(pc_card *card, double cycle, bool rolling) {
  if (!isfinite(cycle))
    return;
  card->playhead = cycle;
  card->rolling = rolling;
  card->have_playhead = true;
}

void pc_trigger(pc_card *card, int output, double onset, double end, double now) {
  if (!isfinite(onset) || !isfinite(end) || output < 0)
    return;
  card->lit[card->lit_next] = (pc_lit){{output, onset, end > onset ? end : onset}, now};
  card->lit_next = (card->lit_next + 1) % PC_LIT_MAX;
  if (card->lit_count < PC_LIT_MAX)
    card->lit_count++;
}

double pc_cycle(const pc_card *card) { return card->have_playhead ? floor(card->playhead) : 0.0; }

/* Events of the shown cycle from the local program. */
static void query_cycle(pc_card *card, const float macros[PROG_MACRO_COUNT]) {
  double cycle = pc_cycle(card);
  if (card->queried && card->queried_cycle == cycle)
    return;
  card->queried = true;
  card->queried_cycle = cycle;
  card->event_count = 0;
  if (!card->program || fabs(cycle) > 1e12)
    return;
  pat_arc span = {pat_rat_int((int64_t)cycle), pat_rat_int((int64_t)cycle + 1)};
  size_t dropped = 0;
  pat_arena_reset(&card->arena);
  size_t count =
      prog_query(card->program, span, macros, &card->arena, card->triggers, TRIGGERS_MAX, &dropped);
  for (size_t i = 0; i < count && card->event_count < PC_MAX_EVENTS; ++i) {
    const prog_trigger *t = &card->triggers[i];
    double onset = pat_rat_to_double(t->onset);
    pc_event *previous = card->event_count ? &card->events[card->event_count - 1] : NULL;
    if (previous && previous->output == t->output && previous->onset == onset)
      continue; /* chord */
    card->events[card->event_count++] = (pc_event){t->output, onset, onset + t->gate_cycles};
  }
}

int pc_rows(const pc_card *card) {
  int rows = card->named_rows;
  for (int i = 0; i < card->event_count; ++i)
    if (card->events[i].output + 1 > rows)
      rows = card->events[i].output + 1;
  for (int i = 0; i < card->lit_count; ++i)
    if (card->lit[i].event.output + 1 > rows)
      rows = card->lit[i].event.output + 1;
  if (rows > PC_ROWS_MAX)
    rows = PC_ROWS_MAX;
  return rows < 1 ? 1 : rows;
}

double pc_preferred_height(const pc_card *card) {
  int rows = pc_rows(card);
  if (rows < 3)
    rows = 3;
  if (rows > 8)
    rows = 8;
  return HEADER_HEIGHT + 8.0 + rows * ROW_HEIGHT;
}

typedef struct {
  double x, y, width, row_height, scale, cycle;
} card_geometry;

static void event_box(const card_geometry *g, const pc_event *e, double *x0, double *x1, double *y0,
                      double *height) {
  double from = fmax(e->onset - g->cycle, 0.0), to = fmin(e->end - g->cycle, 1.0);
  *x0 = g->x + from * g->width;
  *x1 = fmax(g->x + to * g->width, *x0 + 3.0 * g->scale);
  *y0 = g->y + e->output * g->row_height + 2.0 * g->scale;
  *height = g->row_height - 4.0 * g->scale;
}

static void rounded_box(cairo_t *cr, double x, double y, double w, double h, double radius) {
  if (radius > w / 2)
    radius = w / 2;
  if (radius > h / 2)
    radius = h / 2;
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - radius, y + radius, radius, -M_PI / 2, 0);
  cairo_arc(cr, x + w - radius, y + h - radius, radius, 0, M_PI / 2);
  cairo_arc(cr, x + radius, y + h - radius, radius, M_PI / 2, M_PI);
  cairo_arc(cr, x + radius, y + radius, radius, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
}

static void draw_grid(cairo_t *cr, const card_geometry *g, int rows) {
  for (int r = 0; r < rows; ++r) {
    ui_set_colour_alpha(cr, UI_ROWS[r % UI_ROW_COLOURS], r % 2 ? 0.03 : 0.06);
    cairo_rectangle(cr, g->x, g->y + r * g->row_height, g->width, g->row_height);
    cairo_fill(cr);
  }
  cairo_set_line_width(cr, 1.0 * g->scale);
  for (int step = 0; step <= 16; ++step) {
    double x = floor(g->x + g->width * step / 16.0) + 0.5;
    ui_set_colour(cr, step % 4 ? UI_GRID : UI_GRID_BEAT);
    cairo_move_to(cr, x, g->y);
    cairo_line_to(cr, x, g->y + rows * g->row_height);
    cairo_stroke(cr);
  }
}

static void draw_labels(pc_card *card, cairo_t *cr, double x, const card_geometry *g, int rows) {
  cairo_select_font_face(cr, UI_FONT_MONO, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 11.0 * g->scale);
  for (int r = 0; r < rows; ++r) {
    char fallback[SYN_NAME_MAX];
    const char *name = r < card->named_rows ? card->names[r] : fallback;
    if (r >= card->named_rows)
      snprintf(fallback, sizeof fallback, "#%d", r + 1);
    ui_set_colour(cr, UI_ROWS[r % UI_ROW_COLOURS]);
    cairo_move_to(cr, x + 6.0 * g->scale, g->y + (r + 0.5) * g->row_height + 4.0 * g->scale);
    cairo_show_text(cr, name);
  }
}

static bool draw_events(pc_card *card, cairo_t *cr, const card_geometry *g, int rows, double now) {
  bool animating = false;
  for (int i = 0; i < card->event_count; ++i) { /* the program's events, unlit */
    const pc_event *e = &card->events[i];
    if (e->output >= rows)
      continue;
    double x0, x1, y0, h;
    event_box(g, e, &x0, &x1, &y0, &h);
    ui_set_colour_alpha(cr, UI_ROWS[e->output % UI_ROW_COLOURS], 0.28);
    rounded_box(cr, x0 + 1, y0, x1 - x0 - 2, h, 3.0 * g->scale);
    cairo_fill(cr);
  }
  for (int i = 0; i < card->lit_count; ++i) { /* reported by the plugin: lit */
    const pc_lit *lit = &card->lit[i];
    const pc_event *e = &lit->event;
    if (e->output >= rows || e->onset < g->cycle || e->onset >= g->cycle + 1.0)
      continue;
    if (card->have_playhead && e->onset > card->playhead + 0.25)
      continue; /* stale report */
    bool sounding = card->playhead >= e->onset && card->playhead < e->end;
    double flash = fmax(0.0, 1.0 - (now - lit->lit_at) / FLASH_SECONDS);
    if (flash > 0.0)
      animating = true;
    double x0, x1, y0, h;
    event_box(g, e, &x0, &x1, &y0, &h);
    ui_colour c = UI_ROWS[e->output % UI_ROW_COLOURS];
    if (sounding)
      c = (ui_colour){c.r + (1 - c.r) * 0.3, c.g + (1 - c.g) * 0.3, c.b + (1 - c.b) * 0.3};
    ui_set_colour(cr, c);
    rounded_box(cr, x0 + 1, y0, x1 - x0 - 2, h, 3.0 * g->scale);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.15 + 0.6 * flash + (sounding ? 0.2 : 0.0));
    cairo_set_line_width(cr, 1.5 * g->scale);
    cairo_stroke(cr);
  }
  return animating;
}

bool pc_draw(pc_card *card, cairo_t *cr, double x, double y, double width, double height,
             double scale, double now, const float macros[PROG_MACRO_COUNT]) {
  query_cycle(card, macros);
  int rows = pc_rows(card);
  double label = LABEL_WIDTH * scale, header = HEADER_HEIGHT * scale;
  card_geometry g = {x + label,
                     y + header,
                     width - label - 8.0 * scale,
                     fmin(ROW_HEIGHT * scale * 1.6, (height - header - 4.0 * scale) / rows),
                     scale,
                     pc_cycle(card)};
  if (g.width < 10 || g.row_height < 4)
    return false;
  ui_set_colour(cr, UI_PANEL);
  cairo_rectangle(cr, x, y, width, height);
  cairo_fill(cr);

  char title[64];
  snprintf(title, sizeof title, "cycle %.0f%s", g.cycle, card->rolling ? "" : " (stopped)");
  cairo_select_font_face(cr, UI_FONT_SANS, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 10.5 * scale);
  ui_set_colour(cr, UI_DIM_TEXT);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, title, &ext);
  cairo_move_to(cr, g.x + g.width - ext.x_advance, y + 12.0 * scale);
  cairo_show_text(cr, title);
  for (int beat = 0; beat < 4; ++beat) {
    char number[8];
    snprintf(number, sizeof number, "%d", beat + 1);
    cairo_move_to(cr, g.x + g.width * beat / 4.0 + 3.0 * scale, y + 12.0 * scale);
    cairo_show_text(cr, number);
  }

  draw_grid(cr, &g, rows);
  draw_labels(card, cr, x, &g, rows);
  bool animating = draw_events(card, cr, &g, rows, now);
  if (!card->program && card->event_count == 0 && card->lit_count == 0) {
    ui_set_colour(cr, UI_DIM_TEXT);
    cairo_move_to(cr, g.x + 8.0 * scale, g.y + g.row_height * 0.5 + 4.0 * scale);
    cairo_show_text(cr, "waiting for the program");
  }
  if (card->have_playhead) {
    double px = floor(g.x + (card->playhead - g.cycle) * g.width) + 0.5;
    ui_set_colour_alpha(cr, UI_PLAYHEAD, card->rolling ? 0.95 : 0.4);
    cairo_set_line_width(cr, 2.0 * scale);
    cairo_move_to(cr, px, g.y - 3.0 * scale);
    cairo_line_to(cr, px, g.y + rows * g.row_height);
    cairo_stroke(cr);
  }
  return animating;
}
