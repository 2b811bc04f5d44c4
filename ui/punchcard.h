/* The punchcard: the events of the current cycle per output line on a time
   grid, from the program compiled locally (prog_compile, prog_query), with a
   playhead and the events the plugin reports as triggered lit up. UI thread. */
#ifndef CYCLEBUS_UI_PUNCHCARD_H
#define CYCLEBUS_UI_PUNCHCARD_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo/cairo.h>

#include "../plugin/pattern/pattern.h"
#include "../plugin/program/program.h"
#include "syntax.h"

#define PC_MAX_EVENTS 512 /* drawn per cycle */
#define PC_LIT_MAX 256    /* triggered events remembered */
#define PC_ROWS_MAX SYN_MAX_OUTPUTS

typedef struct {
  int output;
  double onset, end; /* in cycles */
} pc_event;

typedef struct {
  pc_event event;
  double lit_at; /* seconds (monotonic) when the report arrived */
} pc_lit;

typedef struct {
  prog_program *program; /* compiled here from the playing program's text */
  char names[PC_ROWS_MAX][SYN_NAME_MAX];
  int named_rows;

  void *arena_memory;
  pat_arena arena;
  prog_trigger *triggers;
  bool queried;
  double queried_cycle;
  pc_event events[PC_MAX_EVENTS];
  int event_count;

  double playhead; /* cycles */
  bool rolling, have_playhead;
  pc_lit lit[PC_LIT_MAX]; /* a ring */
  int lit_next, lit_count;
} pc_card;

bool pc_init(pc_card *card);
void pc_free(pc_card *card);

/* Compiles `text` for the grid; false (and the old program stays) when it
   does not compile. */
bool pc_set_program(pc_card *card, const char *text, size_t length);
void pc_set_playhead(pc_card *card, double cycle, bool rolling);
void pc_trigger(pc_card *card, int output, double onset, double end, double now);

/* The cycle shown: the playhead's. */
double pc_cycle(const pc_card *card);
int pc_rows(const pc_card *card);

/* Draws into the rectangle; `macros` are the knob values for the query.
   Returns true while something animates (a lit event fading). */
bool pc_draw(pc_card *card, cairo_t *cr, double x, double y, double width, double height,
             double scale, double now, const float macros[PROG_MACRO_COUNT]);

/* Height the card wants for its rows, in logical pixels. */
double pc_preferred_height(const pc_card *card);

#endif
