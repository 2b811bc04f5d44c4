/* The events the look-ahead queried, kept so that run() triggers them
   without querying the program a second time. Owner: the audio thread (all
   of it); the memory is allocated and freed by instantiate and cleanup. */
#ifndef CYCLEBUS_SEEN_EVENTS_H
#define CYCLEBUS_SEEN_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "../program/program.h"

/* Events held at most: a look-ahead window of a dense program (half a
   second of 64 layers of eighth notes at 120 BPM is 128) with room for the
   next; a window that does not fit is simply not kept. */
#define CB_SEEN_MAX 512

/* While `covered`, every event of the playing program with its onset in
   `span` that the trigger has not passed is events[first .. first + count),
   in onset order, as prog_query gave them with `macros`. */
typedef struct {
  prog_trigger *events; /* CB_SEEN_MAX of them */
  size_t first, count;
  bool covered;
  pat_arc span;
  float macros[PROG_MACRO_COUNT];
} cb_seen_events;

/* Instantiate: false when out of memory. */
bool cb_seen_init(cb_seen_events *seen);
void cb_seen_free(cb_seen_events *seen);

/* Forgets every event: the program, the playhead or a query changed. */
void cb_seen_forget(cb_seen_events *seen);

/* Keeps the `count` events a whole query of `window` gave (none lost),
   after those held when the window starts where they end and the macros are
   the same; else in their place. */
void cb_seen_keep(cb_seen_events *seen, pat_arc window, const float macros[PROG_MACRO_COUNT],
                  const prog_trigger *events, size_t count);

/* Whether the events held are all that a query of `span` with `macros`
   would give (and some the trigger passed: their onsets lie before the
   span's begin). */
bool cb_seen_covers(const cb_seen_events *seen, pat_arc span, const float macros[PROG_MACRO_COUNT]);

/* Drops the events with onsets at or before `onset`: triggered or passed. */
void cb_seen_pass(cb_seen_events *seen, pat_rat onset);

#endif
