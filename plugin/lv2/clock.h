/* The transport clock: maps frames to pattern cycles from the host's
   time:Position (re-anchored when it changes) or, without a host transport,
   a free-running clock at the program's tempo. No LV2 types: run() feeds it
   plain numbers. Owner: the audio thread. */
#ifndef CYCLEBUS_CLOCK_H
#define CYCLEBUS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  double sample_rate;
  bool host_driven; /* a time:Position has arrived */
  bool rolling;     /* speed != 0 */
  double bpm;
  double speed;
  double beats_per_bar;
  double cycle_length; /* in bars or beats, from the ports */
  bool cycle_in_beats;
  int64_t anchor_frame; /* absolute frame (counted since activate) ... */
  double anchor_cycle;  /* ... and the cycle position there */
} cb_clock;

#define CB_SPEED_MAX 16.0 /* transport speed (varispeed) is clamped to ±this */

/* What the host reported, as plain numbers (fields it did not send keep
   their previous values). A field that is NaN or infinite keeps the clock's
   last good value; speed is clamped to ±CB_SPEED_MAX. */
typedef struct {
  double speed;
  double bpm;
  double bar;
  double bar_beat;
  double beats_per_bar;
} cb_position;

void cb_clock_init(cb_clock *clock, double sample_rate, double program_cps);
/* Frames per cycle at the current tempo and speed (speed 0 counts as 1). */
double cb_clock_frames_per_cycle(const cb_clock *clock);
double cb_clock_cycle_at(const cb_clock *clock, int64_t frame);
/* The first frame at or after `cycle` (rolling clock). */
int64_t cb_clock_frame_of(const cb_clock *clock, double cycle);

typedef enum {
  CB_CLOCK_CONTINUES, /* where the clock already was */
  CB_CLOCK_REGRID,    /* same place, new tempo, meter or speed: frames of later onsets moved */
  CB_CLOCK_JUMPED,    /* locate, loop, start or stop: a discontinuity */
} cb_clock_change;

/* A time:Position at absolute `frame`: re-anchors the clock when needed and
   says what changed, so the caller can release voices (jump) or restart its
   look-ahead (regrid). */
cb_clock_change cb_clock_position(cb_clock *clock, int64_t frame, const cb_position *position);

/* The cycle-length ports; returns true if they changed the grid. */
bool cb_clock_set_cycle_length(cb_clock *clock, int64_t frame, double length, bool in_beats);
/* The program's tempo, used while no host transport drives the clock. */
void cb_clock_set_program_tempo(cb_clock *clock, int64_t frame, double cps);

#endif
