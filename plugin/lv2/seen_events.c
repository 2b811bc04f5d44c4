/* The look-ahead's events, kept for the trigger (seen_events.h). */
#include "seen_events.h"

#include <stdlib.h>
#include <string.h>

#include "../prefault.h"

bool cb_seen_init(cb_seen_events *seen) {
  *seen = (cb_seen_events){.events = calloc(CB_SEEN_MAX, sizeof(prog_trigger))};
  cb_prefault(seen->events, seen->events ? CB_SEEN_MAX * sizeof(prog_trigger) : 0);
  return seen->events != NULL;
}

void cb_seen_free(cb_seen_events *seen) {
  free(seen->events);
  seen->events = NULL;
}

void cb_seen_forget(cb_seen_events *seen) {
  seen->first = seen->count = 0;
  seen->covered = false;
}

void cb_seen_keep(cb_seen_events *seen, pat_arc window, const float macros[PROG_MACRO_COUNT],
                  const prog_trigger *events, size_t count) {
  bool follows = seen->covered && pat_rat_cmp(window.begin, seen->span.end) == 0 &&
                 memcmp(macros, seen->macros, sizeof seen->macros) == 0;
  if (!follows) {
    cb_seen_forget(seen);
    seen->span.begin = window.begin;
    memcpy(seen->macros, macros, sizeof seen->macros);
  }
  if (seen->count + count > CB_SEEN_MAX) {
    cb_seen_forget(seen); /* the trigger queries until a window fits again */
    return;
  }
  if (seen->first + seen->count + count > CB_SEEN_MAX) { /* move the held ones to the front */
    memmove(seen->events, seen->events + seen->first, seen->count * sizeof(prog_trigger));
    seen->first = 0;
  }
  memcpy(seen->events + seen->first + seen->count, events, count * sizeof(prog_trigger));
  seen->count += count;
  seen->span.end = window.end;
  seen->covered = true;
}

bool cb_seen_covers(const cb_seen_events *seen, pat_arc span,
                    const float macros[PROG_MACRO_COUNT]) {
  return seen->covered && pat_rat_cmp(span.begin, seen->span.begin) >= 0 &&
         pat_rat_cmp(span.end, seen->span.end) <= 0 &&
         memcmp(macros, seen->macros, sizeof seen->macros) == 0;
}

void cb_seen_pass(cb_seen_events *seen, pat_rat onset) {
  while (seen->count > 0 && pat_rat_cmp(seen->events[seen->first].onset, onset) <= 0) {
    seen->first++;
    seen->count--;
  }
}
