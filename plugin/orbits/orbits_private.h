/* Inside the orbits module: the reverb (reverb.c) and the delay (delay.c)
   of one orbit, driven by orbits.c on the 64-frame grid of absolute frames.
   Parameters move only at grid points, and each piece of audio they process
   lies inside one grid cell, so the output does not depend on how the host
   splits its blocks. Both write exact zeros below ORBIT_FLUSH, so a tail
   that has died leaves exactly zero state behind, and an idle effect is
   exactly an effect running on silence. */
#ifndef CYCLEBUS_ORBITS_PRIVATE_H
#define CYCLEBUS_ORBITS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ORBIT_GRID 64
/* Samples written into the effects' delay lines below this (-120 dBFS)
   are written as 0: no subnormal can form, and a tail ends in exact zeros. */
#define ORBIT_FLUSH 1e-6f

/* The reverb: a feedback delay network of REVERB_LINES delay lines (prime
   lengths from 31 to 93 ms), mixed by a Hadamard matrix, each line damped
   by a one-pole low-pass whose gains give the decay time at low frequencies
   and half of it at the top; the input passes four all-pass diffusers per
   channel first. Left feeds the even lines, right the odd ones. */
#define REVERB_LINES 16
#define REVERB_DIFFUSERS 4

typedef struct {
  float *buffer;
  uint32_t length, position;
} orbit_ring;

/* An effect's lines in one block of memory (memory.c): reserved zeroed at
   init, resident only once committed (or written). */
typedef struct {
  void *base;
  size_t bytes;
  bool lazy; /* reserved address space, made resident by orbit_memory_commit */
} orbit_memory;

bool orbit_memory_reserve(orbit_memory *m, size_t bytes);
/* Makes the memory resident without changing it; any thread, also while
   the audio thread writes it. */
void orbit_memory_commit(const orbit_memory *m);
/* Bytes of it resident (all of it where it is not lazy). */
size_t orbit_memory_resident(const orbit_memory *m);
void orbit_memory_release(orbit_memory *m);

typedef struct {
  double sample_rate;
  orbit_memory memory; /* the lines' and diffusers' samples */
  orbit_ring lines[REVERB_LINES];
  orbit_ring diffusers[2][REVERB_DIFFUSERS];
  bool written;                /* it has run since its lines were last zeroed */
  uint32_t longest;            /* frames: the longest line plus the diffusers */
  uint32_t diffuser_length[2]; /* frames of each channel's diffusers together */
  uint32_t diffuser_quiet[2];  /* frames since a channel's diffusers last wrote non-zero */
  float damp_state[REVERB_LINES];
  /* Line gains over the current grid cell, from its start to its end: a
     line's output is gain * lowpass(pole) of what it read. */
  float gain_from[REVERB_LINES], gain_to[REVERB_LINES];
  float pole_from[REVERB_LINES], pole_to[REVERB_LINES];
  double rt60_now, rt60_target; /* seconds; rt60_now glides to the target */
  bool running;
  uint32_t quiet_cells; /* whole grid cells in which it wrote only zeros */
  bool cell_loud;       /* the current cell wrote something */
  float work[REVERB_LINES][ORBIT_GRID];
  float diffused[2][ORBIT_GRID];
} orbit_reverb;

bool reverb_init(orbit_reverb *r, double sample_rate);
void reverb_destroy(orbit_reverb *r);
void reverb_set_rt60(orbit_reverb *r, double seconds);
/* Silences the tail: every line, diffuser and filter state to zero. */
void reverb_clear(orbit_reverb *r);
/* At a grid point: the decay time glides one step to its target, and a
   reverb silent for longer than its longest path stops. */
void reverb_grid_point(orbit_reverb *r);
/* Whether its grid points matter: running, or its gains still moving. */
bool reverb_busy(const orbit_reverb *r);
/* Adds the reverb of input (stereo, may be NULL: silence) to out, over
   `frames` frames inside one grid cell starting `offset` frames into it. */
void reverb_process(orbit_reverb *r, const float *in_left, const float *in_right, float *out_left,
                    float *out_right, uint32_t frames, uint32_t offset);

/* The delay: one ring per channel, ORBIT_DELAY_MAX_SECONDS long, read at the
   delay time rounded to the frame (so taps land on exact frames) and fed
   back with the feedback gain. A new delay time cross-fades from the old
   tap to the new one over DELAY_FADE_SECONDS. */
#define DELAY_FADE_SECONDS 0.02
typedef struct {
  double sample_rate;
  orbit_memory memory; /* both rings' samples */
  orbit_ring rings[2];
  bool written;          /* it has run since its rings were last zeroed */
  uint32_t tap, old_tap; /* frames */
  uint32_t pending_tap;  /* a tap waiting for the running cross-fade to end (0: none) */
  uint32_t fade_length;  /* frames, a whole number of grid cells */
  uint64_t fade_start;   /* absolute frame the running cross-fade began at */
  float feedback_from, feedback_to, feedback_target;
  bool running;
  uint32_t quiet_cells;
  bool cell_loud;
} orbit_delay;

bool delay_init(orbit_delay *d, double sample_rate);
void delay_destroy(orbit_delay *d);
void delay_set(orbit_delay *d, uint32_t tap_frames, float feedback);
/* Silences the echoes: both rings to zero. */
void delay_clear(orbit_delay *d);
/* At grid point `frame`: a pending tap starts its cross-fade, the feedback
   glides a step, and a delay silent for its whole length stops. */
void delay_grid_point(orbit_delay *d, uint64_t frame);
bool delay_busy(const orbit_delay *d);
/* Adds the delayed input to out over `frames` frames inside one grid cell,
   the first at absolute frame `frame`, `offset` frames into the cell. */
void delay_process(orbit_delay *d, const float *in_left, const float *in_right, float *out_left,
                   float *out_right, uint32_t frames, uint32_t offset, uint64_t frame);

#endif
