/* Band-limiting and phase helpers shared by the oscillator nodes
   (synth_osc.c) and the fused chain kernel (synth_chain.c), so both compute
   every sample with the same code: inline, for the kernels' inner loops. */
#ifndef CYCLEBUS_SYNTH_BLEP_H
#define CYCLEBUS_SYNTH_BLEP_H

#include "synth_private.h"

/* Always inlined: the chain kernel's AVX2 build must get its own copies, as
   a call from AVX code into SSE code costs a state transition each time. */
#define BLEP_INLINE static inline __attribute__((always_inline))

#define BLEP_HALF 8      /* samples either side of a discontinuity */
#define BLEP_STEPS 256   /* table points per sample (linear in between: error < 1e-5) */
#define BLEP_CUTOFF 0.51 /* the kernel's cutoff, in cycles per sample */
#define BLEP_BETA 9.0    /* the Kaiser window's shape: about -90 dB stopband */
#define BLEP_POINTS (BLEP_HALF * BLEP_STEPS + 1)

/* The residual tables (synth_osc.c), computed at build time by
   plugin/synth/tables/gen_blep_tables.c. */
extern const float synth_blep_step[BLEP_POINTS + 1], synth_blep_ramp[BLEP_POINTS + 1];

/* Linear interpolation of a table at u in [0, BLEP_HALF). */
BLEP_INLINE double blep_table_at(const float *values, double u) {
  const double position = u * BLEP_STEPS;
  const int i = (int)position;
  const double t = position - i;
  return values[i] + t * (values[i + 1] - values[i]);
}

BLEP_INLINE double blep_step_residual(double d) {
  return d < 0.0 ? blep_table_at(synth_blep_step, -d) : -blep_table_at(synth_blep_step, d);
}

BLEP_INLINE double blep_ramp_residual(double d) { return blep_table_at(synth_blep_ramp, fabs(d)); }

/* An oscillator's phase step and what the corrections derive from it: how
   far a corner's smoothing reaches (in cycles) and the samples per cycle.
   The chain kernel works them out once for a lane's frames (blep_pace_held);
   the oscillator nodes, whose step may change every frame, leave the
   reciprocal at 0 (blep_pace_at), and it is then taken only near a corner.
   The values are the same either way. */
typedef struct {
  double step, reach, inv_step;
} blep_pace;

BLEP_INLINE blep_pace blep_pace_at(double phase_step) {
  return (blep_pace){phase_step, BLEP_HALF * phase_step, 0.0};
}

BLEP_INLINE blep_pace blep_pace_held(double phase_step) {
  return (blep_pace){phase_step, BLEP_HALF * phase_step, 1.0 / phase_step};
}

/* Whether a discontinuity at `corner` (a phase, in cycles) is within
   BLEP_HALF samples of `phase`; callers test this first, as most samples of
   a low note are nowhere near one. */
BLEP_INLINE int blep_near_corner(double phase, double corner, blep_pace pace) {
  const double distance = fabs(phase - corner);
  return pace.reach >= 0.5 || distance < pace.reach || distance > 1.0 - pace.reach;
}

/* The sum of the step (or ramp) residuals of every discontinuity at `corner`
   plus a whole number of cycles within reach of `phase`: one for low notes,
   up to 2 * BLEP_HALF * 0.45 for the highest. */
BLEP_INLINE double blep_residuals_near(double phase, double corner, blep_pace pace, bool ramp) {
  const double reach = pace.reach, u = phase - corner;
  const double inv_step = pace.inv_step != 0.0 ? pace.inv_step : 1.0 / pace.step;
  if (reach < 0.5) { /* the nearest discontinuity is the only one in reach */
    /* nearbyint(u) for u in (-1, 1), which phase and corner in [0, 1) give:
       the same value without a library call */
    const double v = u - (u > 0.5 ? 1.0 : u < -0.5 ? -1.0 : 0.0);
    if (!(fabs(v) < reach))
      return 0.0;
    const double d = v * inv_step;
    return ramp ? blep_ramp_residual(d) : blep_step_residual(d);
  }
  double sum = 0.0;
  for (double v = u - floor(u + reach); v < reach; v += 1.0) {
    const double d = v * inv_step;
    if (d > -BLEP_HALF && d < BLEP_HALF)
      sum += ramp ? blep_ramp_residual(d) : blep_step_residual(d);
  }
  return sum;
}

/* An oscillator's sample: `value`, the naive wave of `kind` (SAW, SQUARE,
   PULSE or TRI) at `phase`, with the residuals of the corners in reach
   added. The oscillator nodes and the chain kernel both use it. */
BLEP_INLINE double blep_corrected(int kind, double phase, blep_pace pace, double width,
                                  double value) {
  switch (kind) {
  case SYNTH_SAW: /* the wrap is a step of -2 at phase 0 */
    if (blep_near_corner(phase, 0.0, pace))
      value -= 2.0 * blep_residuals_near(phase, 0.0, pace, false);
    break;
  case SYNTH_SQUARE:
  case SYNTH_PULSE: /* +2 at phase 0, -2 at the width */
    if (blep_near_corner(phase, 0.0, pace))
      value += 2.0 * blep_residuals_near(phase, 0.0, pace, false);
    if (blep_near_corner(phase, width, pace))
      value -= 2.0 * blep_residuals_near(phase, width, pace, false);
    break;
  case SYNTH_TRI: /* the slope changes by 8 * phase_step a sample at 0.75 and 0.25 */
    if (blep_near_corner(phase, 0.75, pace))
      value += 8.0 * pace.step * blep_residuals_near(phase, 0.75, pace, true);
    if (blep_near_corner(phase, 0.25, pace))
      value -= 8.0 * pace.step * blep_residuals_near(phase, 0.25, pace, true);
    break;
  default:
    break;
  }
  return value;
}

BLEP_INLINE double synth_advance_phase(double phase, double phase_step) {
  phase += phase_step;
  return phase >= 1.0 ? phase - 1.0 : phase;
}

/* -sin(x) for x in [-pi/2, pi/2] (x2 = x * x), a Taylor polynomial to x^13;
   a macro, so the chain kernel computes it on lanes with the same steps. */
#define SYNTH_SINE_TAYLOR(x, x2)                                                                   \
  (-(x) *                                                                                          \
   (1.0 + (x2) * (-1.0 / 6 +                                                                       \
                  (x2) * (1.0 / 120 +                                                              \
                          (x2) * (-1.0 / 5040 + (x2) * (1.0 / 362880 +                             \
                                                        (x2) * (-1.0 / 39916800 +                  \
                                                                (x2) * (1.0 / 6227020800.0))))))))

/* sin(2 pi phase) for phase in [0, 1): folded into [-pi/2, pi/2], then a
   Taylor polynomial to x^13 (error below 1e-9, far under float precision).
   Our own, so the result never depends on the C library. */
BLEP_INLINE double synth_sine_poly(double phase) {
  double q = phase - 0.5; /* sin(2 pi p) = -sin(2 pi q), q in [-0.5, 0.5) */
  if (q > 0.25)
    q = 0.5 - q;
  else if (q < -0.25)
    q = -0.5 - q;
  const double x = 6.283185307179586 * q, x2 = x * x;
  return SYNTH_SINE_TAYLOR(x, x2);
}

#endif
