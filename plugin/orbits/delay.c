/* An orbit's delay (orbits_private.h): a feedback delay per channel whose
   taps land on whole frames, a new tap cross-faded in on the grid. */
#include "orbits_private.h"

#include <math.h>
#include <string.h>

#include "orbits.h"

#define GLIDE_SECONDS 0.02

bool delay_init(orbit_delay *d, double sample_rate) {
  memset(d, 0, sizeof *d);
  d->sample_rate = sample_rate;
  uint32_t length = (uint32_t)ceil(ORBIT_DELAY_MAX_SECONDS * sample_rate) + 2 * ORBIT_GRID;
  if (!orbit_memory_reserve(&d->memory, 2 * (size_t)length * sizeof(float)))
    return false;
  for (int c = 0; c < 2; ++c) {
    d->rings[c].buffer = (float *)d->memory.base + (size_t)c * length;
    d->rings[c].length = length;
  }
  /* a whole number of grid cells, about DELAY_FADE_SECONDS */
  d->fade_length = (uint32_t)ceil(DELAY_FADE_SECONDS * sample_rate / ORBIT_GRID) * ORBIT_GRID;
  d->tap = d->old_tap = (uint32_t)lround(ORBIT_DEFAULT_DELAYTIME * sample_rate);
  d->feedback_from = d->feedback_to = d->feedback_target = ORBIT_DEFAULT_DELAYFEEDBACK;
  return true;
}

void delay_destroy(orbit_delay *d) {
  orbit_memory_release(&d->memory);
  memset(d, 0, sizeof *d);
}

void delay_clear(orbit_delay *d) {
  /* one that never ran holds zeros: writing them would make it resident */
  if (d->written)
    memset(d->memory.base, 0, d->memory.bytes);
  d->written = false;
  d->running = false;
  d->quiet_cells = 0;
  d->cell_loud = false;
}

static uint32_t clamp_tap(const orbit_delay *d, uint32_t tap) {
  uint32_t longest = d->rings[0].length - 2 * ORBIT_GRID;
  return tap < 1 ? 1 : tap > longest ? longest : tap;
}

void delay_set(orbit_delay *d, uint32_t tap_frames, float feedback) {
  tap_frames = clamp_tap(d, tap_frames);
  uint32_t newest = d->pending_tap ? d->pending_tap : d->tap;
  if (tap_frames != newest)
    d->pending_tap = tap_frames == d->tap ? 0 : tap_frames;
  if (!(feedback >= 0.0f))
    feedback = 0.0f; /* NaN too */
  d->feedback_target = feedback > ORBIT_FEEDBACK_MAX ? ORBIT_FEEDBACK_MAX : feedback;
}

bool delay_busy(const orbit_delay *d) {
  return d->running || d->pending_tap || d->old_tap != d->tap ||
         d->feedback_from != d->feedback_to || d->feedback_to != d->feedback_target;
}

void delay_grid_point(orbit_delay *d, uint64_t frame) {
  if (d->running) {
    d->quiet_cells = d->cell_loud ? 0 : d->quiet_cells + 1;
    d->cell_loud = false;
    if ((uint64_t)d->quiet_cells * ORBIT_GRID > d->rings[0].length + ORBIT_GRID)
      d->running = false; /* every frame of the rings has been rewritten with 0 */
  }
  if (d->old_tap != d->tap && frame >= d->fade_start + d->fade_length)
    d->old_tap = d->tap; /* the cross-fade is over */
  if (d->old_tap == d->tap && d->pending_tap) {
    d->old_tap = d->tap;
    d->tap = d->pending_tap;
    d->pending_tap = 0;
    d->fade_start = frame;
  }
  d->feedback_from = d->feedback_to;
  if (d->feedback_to != d->feedback_target) {
    double step = 1.0 - exp(-ORBIT_GRID / (GLIDE_SECONDS * d->sample_rate));
    float next = d->feedback_to + (float)((d->feedback_target - d->feedback_to) * step);
    d->feedback_to = fabsf(next - d->feedback_target) < 1e-4f ? d->feedback_target : next;
  }
}

static uint32_t behind(const orbit_ring *ring, uint32_t tap) {
  return ring->position >= tap ? ring->position - tap : ring->position + ring->length - tap;
}

static void delay_channel(orbit_delay *d, orbit_ring *ring, const float *in, float *out,
                          uint32_t frames, uint32_t offset, uint64_t frame) {
  float *buffer = ring->buffer;
  const uint32_t length = ring->length;
  uint32_t write = ring->position, read = behind(ring, d->tap), read_old = behind(ring, d->old_tap);
  const float fb0 = d->feedback_from, dfb = (d->feedback_to - fb0) / ORBIT_GRID;
  const bool fading = d->old_tap != d->tap;
  bool loud = false;
  for (uint32_t t = 0; t < frames; ++t) {
    float y = buffer[read];
    if (fading) {
      const uint64_t into = frame + t - d->fade_start + 1;
      const float w = into >= d->fade_length ? 1.0f : (float)into / (float)d->fade_length;
      y = buffer[read_old] + (y - buffer[read_old]) * w;
    }
    const float fb = fb0 + dfb * (float)(offset + t + 1);
    float x = (in ? in[t] : 0.0f) + fb * y;
    x = fabsf(x) < ORBIT_FLUSH ? 0.0f : x;
    loud |= x != 0.0f;
    buffer[write] = x;
    out[t] += y;
    if (++write == length)
      write = 0;
    if (++read == length)
      read = 0;
    if (++read_old == length)
      read_old = 0;
  }
  ring->position = write;
  d->cell_loud |= loud;
}

void delay_process(orbit_delay *d, const float *in_left, const float *in_right, float *out_left,
                   float *out_right, uint32_t frames, uint32_t offset, uint64_t frame) {
  if (in_left || in_right) {
    d->running = true;
    d->written = true;
    d->quiet_cells = 0;
  }
  if (!d->running)
    return;
  delay_channel(d, &d->rings[0], in_left, out_left, frames, offset, frame);
  delay_channel(d, &d->rings[1], in_right, out_right, frames, offset, frame);
}
