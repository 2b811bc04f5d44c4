/* The transport clock. A cycle's onset frame is computed from the exact
   onset and the anchor, never accumulated per block, so output does not
   depend on block size. Audio thread only. */
#include "clock.h"

#include <math.h>

/* A host position within this many frames of where the clock already is
   keeps the old anchor, so hosts that send a position every block (Ardour in
   export, Carla) give the same frames as hosts that send it only on change. */
#define SAME_POSITION_FRAMES 1.0
/* A host position further than this from beat 0 (about 1.6 years at 120 bpm)
   is ignored: cycles that far out lose the frame precision of a double and
   overflow the pattern engine's rationals. */
#define BEAT_LIMIT 1e8

static double beats_per_cycle(const cb_clock *clock) {
  return clock->cycle_in_beats ? clock->cycle_length : clock->cycle_length * clock->beats_per_bar;
}

void cb_clock_init(cb_clock *clock, double sample_rate, double program_cps) {
  clock->sample_rate = sample_rate;
  clock->host_driven = false;
  clock->rolling = true; /* free-running until a host transport says otherwise */
  clock->beats_per_bar = 4.0;
  clock->cycle_length = 1.0;
  clock->cycle_in_beats = false;
  clock->speed = 1.0;
  clock->bpm = program_cps > 0.0 ? program_cps * 240.0 : 120.0;
  clock->anchor_frame = 0;
  clock->anchor_cycle = 0.0;
}

double cb_clock_frames_per_cycle(const cb_clock *clock) {
  double speed = clock->speed != 0.0 ? fabs(clock->speed) : 1.0;
  return clock->sample_rate * 60.0 / clock->bpm * beats_per_cycle(clock) / speed;
}

double cb_clock_cycle_at(const cb_clock *clock, int64_t frame) {
  return clock->anchor_cycle +
         (double)(frame - clock->anchor_frame) / cb_clock_frames_per_cycle(clock);
}

int64_t cb_clock_frame_of(const cb_clock *clock, double cycle) {
  double offset = (cycle - clock->anchor_cycle) * cb_clock_frames_per_cycle(clock);
  return clock->anchor_frame + (int64_t)ceil(offset - 1e-6);
}

static void reanchor(cb_clock *clock, int64_t frame, double cycle) {
  clock->anchor_frame = frame;
  clock->anchor_cycle = cycle;
}

/* The bar and beat in it where the clock is at `frame` (its last good value). */
static void bar_and_beat(const cb_clock *clock, int64_t frame, double *bar, double *bar_beat) {
  double beat = cb_clock_cycle_at(clock, frame) * beats_per_cycle(clock);
  *bar = floor(beat / clock->beats_per_bar);
  *bar_beat = beat - *bar * clock->beats_per_bar;
}

cb_clock_change cb_clock_position(cb_clock *clock, int64_t frame, const cb_position *p) {
  /* Each field that is not finite (or not sane) keeps its last good value. */
  bool sane_tempo = p->bpm > 1.0 && p->bpm < 10000.0;
  bool sane_meter = p->beats_per_bar >= 1.0 && p->beats_per_bar <= 64.0;
  double bpm = sane_tempo ? p->bpm : clock->bpm;
  double beats_per_bar = sane_meter ? p->beats_per_bar : clock->beats_per_bar;
  double speed =
      !isfinite(p->speed) ? clock->speed : fmax(-CB_SPEED_MAX, fmin(p->speed, CB_SPEED_MAX));
  double now_bar, now_bar_beat;
  bar_and_beat(clock, frame, &now_bar, &now_bar_beat);
  double bar = isfinite(p->bar) ? p->bar : now_bar;
  double bar_beat = isfinite(p->bar_beat) ? p->bar_beat : now_bar_beat;
  double beat = bar * beats_per_bar + bar_beat;
  if (!(fabs(beat) <= BEAT_LIMIT))
    beat = now_bar * beats_per_bar + now_bar_beat;
  bool rolling = speed != 0.0;
  bool grid_changed =
      bpm != clock->bpm || beats_per_bar != clock->beats_per_bar || speed != clock->speed;
  double predicted = cb_clock_cycle_at(clock, frame);
  bool was_driven = clock->host_driven;
  bool was_rolling = clock->rolling;

  clock->host_driven = true;
  clock->rolling = rolling;
  clock->bpm = bpm;
  clock->beats_per_bar = beats_per_bar;
  clock->speed = speed;
  double cycle = beat / beats_per_cycle(clock);
  double drift = fabs(cycle - predicted) * cb_clock_frames_per_cycle(clock);
  /* Ardour rounds barBeat to a tick (1/1920 beat): a tick off is no jump. */
  double tick = cb_clock_frames_per_cycle(clock) / beats_per_cycle(clock) / 1920.0;
  bool jumped = !was_driven || !was_rolling || drift >= SAME_POSITION_FRAMES + tick;
  if (jumped || grid_changed)
    reanchor(clock, frame, cycle);
  if (jumped || rolling != was_rolling)
    return CB_CLOCK_JUMPED;
  return grid_changed ? CB_CLOCK_REGRID : CB_CLOCK_CONTINUES;
}

bool cb_clock_set_cycle_length(cb_clock *clock, int64_t frame, double length, bool in_beats) {
  if (!(length >= 0.25 && length <= 16.0))
    length = 1.0;
  if (length == clock->cycle_length && in_beats == clock->cycle_in_beats)
    return false;
  /* Keep the musical position (the beat) where it is; the cycle number changes. */
  double beat = cb_clock_cycle_at(clock, frame) * beats_per_cycle(clock);
  clock->cycle_length = length;
  clock->cycle_in_beats = in_beats;
  reanchor(clock, frame, beat / beats_per_cycle(clock));
  return true;
}

void cb_clock_set_program_tempo(cb_clock *clock, int64_t frame, double cps) {
  if (clock->host_driven || !(cps > 0.0))
    return;
  double bpm = cps * 240.0; /* cps counts four-beat cycles, as Tidal's */
  if (bpm == clock->bpm)
    return;
  reanchor(clock, frame, cb_clock_cycle_at(clock, frame));
  clock->bpm = bpm;
}
