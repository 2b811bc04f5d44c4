/* An orbit's reverb: a 16-line feedback delay network (orbits_private.h).
   Each grid cell is processed line by line over the cell's frames: the
   lines are at least 31 ms long, longer than a cell, so a cell's reads never
   need what the same cell writes, and every inner loop runs over frames. */
#include "orbits_private.h"

#include <math.h>
#include <string.h>

/* GCC vectorizes at -O2 only loops of a known count; the loops here run over
   a grid cell's frames (up to 64), across 16 lines. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif

static const double line_ms[REVERB_LINES] = {31.0,  33.36, 35.89, 38.62, 41.56, 44.72,
                                             48.12, 51.78, 55.71, 59.95, 64.50, 69.41,
                                             74.68, 80.36, 86.47, 93.04};
static const double diffuser_ms[2][REVERB_DIFFUSERS] = {{4.771, 3.595, 12.73, 9.307},
                                                        {4.957, 3.391, 13.03, 8.929}};
#define DIFFUSION 0.62f
/* The wet level: a 1 s decay returns about the energy that went in. */
#define OUTPUT_GAIN 0.35f
/* The decay time glides to a new setting with this time constant. */
#define GLIDE_SECONDS 0.02

static bool is_prime(uint32_t n) {
  if (n < 2)
    return false;
  for (uint32_t d = 2; d * d <= n; ++d)
    if (n % d == 0)
      return false;
  return true;
}

/* A line of about `ms` milliseconds: a prime number of frames, at least a
   grid cell. */
static uint32_t ring_length(double ms, double sample_rate) {
  uint32_t length = (uint32_t)lround(ms * sample_rate / 1000.0);
  if (length < ORBIT_GRID)
    length = ORBIT_GRID;
  while (!is_prime(length))
    length++;
  return length;
}

/* Gives the ring `length` frames of *next (zeroes) and moves past them. */
static void ring_place(orbit_ring *ring, uint32_t length, float **next) {
  ring->buffer = *next;
  ring->length = length;
  ring->position = 0;
  *next += length;
}

/* Signs of the input taps: rows of a Hadamard matrix, so that left and
   right excite the lines differently. */
static float sign_of(uint32_t bits) { return __builtin_parity(bits) ? -1.0f : 1.0f; }

bool reverb_init(orbit_reverb *r, double sample_rate) {
  memset(r, 0, sizeof *r);
  r->sample_rate = sample_rate;
  uint32_t line_length[REVERB_LINES], diffuser_length[2][REVERB_DIFFUSERS];
  size_t frames = 0;
  for (int i = 0; i < REVERB_LINES; ++i)
    frames += line_length[i] = ring_length(line_ms[i], sample_rate);
  for (int c = 0; c < 2; ++c)
    for (int i = 0; i < REVERB_DIFFUSERS; ++i)
      frames += diffuser_length[c][i] = ring_length(diffuser_ms[c][i], sample_rate);
  if (!orbit_memory_reserve(&r->memory, frames * sizeof(float)))
    return false;
  float *next = r->memory.base;
  for (int i = 0; i < REVERB_LINES; ++i)
    ring_place(&r->lines[i], line_length[i], &next);
  for (int c = 0; c < 2; ++c)
    for (int i = 0; i < REVERB_DIFFUSERS; ++i) {
      ring_place(&r->diffusers[c][i], diffuser_length[c][i], &next);
      r->diffuser_length[c] += diffuser_length[c][i];
    }
  r->longest = r->lines[REVERB_LINES - 1].length + r->diffuser_length[0] + r->diffuser_length[1];
  r->rt60_target = 1.0;
  r->rt60_now = 0.0; /* the first grid point sets it */
  reverb_set_rt60(r, 1.0);
  return true;
}

void reverb_destroy(orbit_reverb *r) {
  orbit_memory_release(&r->memory);
  memset(r, 0, sizeof *r);
}

void reverb_clear(orbit_reverb *r) {
  /* one that never ran holds zeros: writing them would make it resident */
  if (r->written)
    memset(r->memory.base, 0, r->memory.bytes);
  r->written = false;
  for (int c = 0; c < 2; ++c)
    r->diffuser_quiet[c] = r->diffuser_length[c] + 1; /* they hold only zeros */
  memset(r->damp_state, 0, sizeof r->damp_state);
  r->running = false;
  r->quiet_cells = 0;
  r->cell_loud = false;
}

void reverb_set_rt60(orbit_reverb *r, double seconds) {
  if (!(seconds > 0.05))
    seconds = 0.05;
  r->rt60_target = seconds;
}

/* Each line's gain g loses 60 dB over rt60 seconds at DC; the low-pass pole
   b makes the gain at Nyquist g^2, so the top decays twice as fast:
   g (1 - b) / (1 + b) = g^2. */
static void line_gains(const orbit_reverb *r, double rt60, float *gain, float *pole) {
  for (int i = 0; i < REVERB_LINES; ++i) {
    double g = pow(10.0, -3.0 * r->lines[i].length / (rt60 * r->sample_rate));
    gain[i] = (float)g;
    pole[i] = (float)((1.0 - g) / (1.0 + g));
  }
}

bool reverb_busy(const orbit_reverb *r) {
  return r->running || r->rt60_now != r->rt60_target ||
         memcmp(r->gain_from, r->gain_to, sizeof r->gain_to) != 0;
}

void reverb_grid_point(orbit_reverb *r) {
  if (r->running) {
    r->quiet_cells = r->cell_loud ? 0 : r->quiet_cells + 1;
    r->cell_loud = false;
    if ((uint64_t)r->quiet_cells * ORBIT_GRID > r->longest + ORBIT_GRID) {
      /* every line and diffuser holds exact zeros: only the filters remain */
      r->running = false;
      memset(r->damp_state, 0, sizeof r->damp_state);
    }
  }
  memcpy(r->gain_from, r->gain_to, sizeof r->gain_from);
  memcpy(r->pole_from, r->pole_to, sizeof r->pole_from);
  if (r->rt60_now == r->rt60_target)
    return;
  double step = 1.0 - exp(-ORBIT_GRID / (GLIDE_SECONDS * r->sample_rate));
  if (r->rt60_now <= 0.0 || fabs(r->rt60_target - r->rt60_now) < 1e-4 * r->rt60_target)
    r->rt60_now = r->rt60_target;
  else
    r->rt60_now += (r->rt60_target - r->rt60_now) * step;
  line_gains(r, r->rt60_now, r->gain_to, r->pole_to);
  if (r->gain_from[0] == 0.0f) { /* the very first grid point: no glide from nothing */
    memcpy(r->gain_from, r->gain_to, sizeof r->gain_from);
    memcpy(r->pole_from, r->pole_to, sizeof r->pole_from);
  }
}

static float flush(float x) { return fabsf(x) < ORBIT_FLUSH ? 0.0f : x; }

/* Four Schroeder all-passes in series over one channel, into
   r->diffused[channel]; false when they hold and give only zeros (then they
   are skipped). */
static bool diffuse(orbit_reverb *r, int channel, const float *in, uint32_t frames) {
  float *out = r->diffused[channel];
  if (!in && r->diffuser_quiet[channel] > r->diffuser_length[channel]) {
    memset(out, 0, frames * sizeof(float));
    return false;
  }
  if (in)
    memcpy(out, in, frames * sizeof(float));
  else
    memset(out, 0, frames * sizeof(float));
  int loud = 0;
  for (int k = 0; k < REVERB_DIFFUSERS; ++k) {
    orbit_ring *ring = &r->diffusers[channel][k];
    float *buffer = ring->buffer;
    uint32_t position = ring->position, length = ring->length;
    for (uint32_t t = 0; t < frames; ++t) {
      float delayed = buffer[position];
      float w = flush(out[t] + DIFFUSION * delayed);
      out[t] = delayed - DIFFUSION * w;
      buffer[position] = w;
      loud |= w != 0.0f;
      if (++position == length)
        position = 0;
    }
    ring->position = position;
  }
  if (loud)
    r->diffuser_quiet[channel] = 0;
  else if (r->diffuser_quiet[channel] <= r->diffuser_length[channel])
    r->diffuser_quiet[channel] += frames;
  return true;
}

static void ring_read(const orbit_ring *ring, float *to, uint32_t frames) {
  uint32_t first = ring->length - ring->position;
  if (first > frames)
    first = frames;
  memcpy(to, ring->buffer + ring->position, first * sizeof(float));
  memcpy(to + first, ring->buffer, (frames - first) * sizeof(float));
}

static void ring_write(orbit_ring *ring, const float *from, uint32_t frames) {
  uint32_t first = ring->length - ring->position;
  if (first > frames)
    first = frames;
  memcpy(ring->buffer + ring->position, from, first * sizeof(float));
  memcpy(ring->buffer, from + first, (frames - first) * sizeof(float));
  ring->position = (ring->position + frames) % ring->length;
}

/* Each line's output: its damping low-pass, with the gains ramped across the
   cell when the decay time glides. Eight lines at a time, frame by frame:
   eight independent recursions keep the processor busy where one would
   wait on each result. */
#define DAMP_GROUP 8
static void damp(orbit_reverb *r, uint32_t frames, uint32_t offset) {
  const bool gliding = memcmp(r->gain_from, r->gain_to, sizeof r->gain_to) != 0 ||
                       memcmp(r->pole_from, r->pole_to, sizeof r->pole_to) != 0;
  for (int first = 0; first < REVERB_LINES; first += DAMP_GROUP) {
    float state[DAMP_GROUP], a[DAMP_GROUP], b[DAMP_GROUP], da[DAMP_GROUP], db[DAMP_GROUP];
    for (int k = 0; k < DAMP_GROUP; ++k) {
      const int i = first + k;
      state[k] = r->damp_state[i];
      b[k] = r->pole_from[i];
      a[k] = r->gain_from[i] * (1.0f - b[k]);
      db[k] = (r->pole_to[i] - b[k]) / ORBIT_GRID;
      da[k] = (r->gain_to[i] * (1.0f - r->pole_to[i]) - a[k]) / ORBIT_GRID;
    }
    if (gliding) {
      /* the gains at a frame depend on its place in the cell only */
      for (uint32_t t = 0; t < frames; ++t) {
        const float into = (float)(offset + t + 1);
        for (int k = 0; k < DAMP_GROUP; ++k) {
          float *x = &r->work[first + k][t];
          *x = state[k] = (a[k] + da[k] * into) * *x + (b[k] + db[k] * into) * state[k];
        }
      }
    } else {
      for (uint32_t t = 0; t < frames; ++t)
        for (int k = 0; k < DAMP_GROUP; ++k) {
          float *x = &r->work[first + k][t];
          *x = state[k] = a[k] * *x + b[k] * state[k];
        }
    }
    for (int k = 0; k < DAMP_GROUP; ++k)
      r->damp_state[first + k] = state[k];
  }
}

/* In place over the lines, frame by frame: the 16-point Walsh-Hadamard
   transform (orthogonal once scaled by 1/4: a lossless mix). */
static void hadamard(orbit_reverb *r, uint32_t frames) {
  for (int h = 1; h < REVERB_LINES; h *= 2)
    for (int i = 0; i < REVERB_LINES; i += 2 * h)
      for (int j = i; j < i + h; ++j) {
        float *a = r->work[j], *b = r->work[j + h];
        for (uint32_t t = 0; t < frames; ++t) {
          const float x = a[t], y = b[t];
          a[t] = x + y;
          b[t] = x - y;
        }
      }
}

void reverb_process(orbit_reverb *r, const float *in_left, const float *in_right, float *out_left,
                    float *out_right, uint32_t frames, uint32_t offset) {
  if (in_left || in_right) {
    r->running = true;
    r->written = true;
    r->quiet_cells = 0;
  }
  if (!r->running)
    return;
  const bool fed[2] = {diffuse(r, 0, in_left, frames), diffuse(r, 1, in_right, frames)};
  int loud = 0;
  for (int i = 0; i < REVERB_LINES; ++i)
    ring_read(&r->lines[i], r->work[i], frames);
  damp(r, frames, offset);
  hadamard(r, frames);
  /* The outputs: two rows of the Hadamard matrix (Walsh functions 5 and
     10), decorrelated sums of every line's output. */
  for (uint32_t t = 0; t < frames; ++t) {
    out_left[t] += OUTPUT_GAIN * r->work[5][t];
    out_right[t] += OUTPUT_GAIN * r->work[10][t];
  }
  for (int i = 0; i < REVERB_LINES; ++i) {
    float *x = r->work[i];
    if (fed[i & 1]) {
      const float *in = r->diffused[i & 1];
      const float in_gain = sign_of((uint32_t)i & 6u);
      for (uint32_t t = 0; t < frames; ++t)
        x[t] = 0.25f * x[t] + in_gain * in[t];
    } else {
      for (uint32_t t = 0; t < frames; ++t)
        x[t] = 0.25f * x[t];
    }
    for (uint32_t t = 0; t < frames; ++t) {
      x[t] = fabsf(x[t]) < ORBIT_FLUSH ? 0.0f : x[t];
      loud |= x[t] != 0.0f;
    }
    ring_write(&r->lines[i], x, frames);
  }
  r->cell_loud |= loud != 0;
}
