/* Per-voice effects, SuperDirt's and Strudel's: waveshapers (shape, distort,
   triode), bit and rate reduction (crush, coarse), formant and DJ filters
   (vowel, djf) and modulation (ring, tremolo, phaser). Each one is exactly
   transparent at its neutral value, so a stage the compiler appends changes
   nothing until an event sets it. Time runs from the voice's first frame:
   any split of the frames gives the same output. */
#include "synth_private.h"

#define TWO_PI 6.283185307179586

/* shape: k = 2a / (1 - a); distort: k = e^a - 1. The amount is clamped below 1
   (shape) and to 20 (distort), so k stays finite. */
static void shaper_block(int kind, const synth_block_input *inputs, float *out, int n) {
  const float *in = inputs[0].values, *amount = inputs[1].values;
  double k = 0.0;
  for (int i = 0; i < n; i++) {
    if (i == 0 || inputs[1].is_signal)
      k = synth_shaper_k(kind, amount[i]);
    out[i] = (float)synth_shaper_curve(in[i], k);
  }
}

/* SuperDirt's triode: the positive half passes, the negative half is rounded
   off by tanh, and a one-pole DC blocker (corner 10 Hz) removes the offset
   that leaves. At 0 it passes the signal untouched. */
static void triode_block(synth_node_state *node, const synth_block_input *inputs, float rate,
                         uint32_t frame, float *out, int n) {
  const float *in = inputs[0].values, *amount = inputs[1].values;
  const double pole = exp(-TWO_PI * 10.0 / (double)rate);
  double last_in = node->svf.ic1, last_out = node->svf.ic2;
  for (int i = 0; i < n; i++) {
    if ((frame + (uint32_t)i) % SYNTH_COEFF_FRAMES == 0) {
      last_in = synth_tidy_state(last_in);
      last_out = synth_tidy_state(last_out);
    }
    const double x = in[i];
    if (amount[i] == 0.0f) {
      out[i] = in[i];
      continue;
    }
    const double scale = 10.0 * amount[i] + 0.001;
    const double y = x > 0.0 ? x : tanh(x * scale) / scale;
    last_out = y - last_in + pole * last_out;
    last_in = y;
    out[i] = (float)last_out;
  }
  node->svf.ic1 = last_in;
  node->svf.ic2 = last_out;
}

/* Rounds to the nearest multiple of 2^(1 - bits); below 1 bit it is off. */
static void crush_block(const synth_block_input *inputs, float *out, int n) {
  const float *in = inputs[0].values, *bits = inputs[1].values;
  double steps = 1.0;
  for (int i = 0; i < n; i++) {
    if (bits[i] < 1.0f) {
      out[i] = in[i];
      continue;
    }
    if (i == 0 || inputs[1].is_signal)
      steps = exp2((double)bits[i] - 1.0);
    out[i] = (float)(floor((double)in[i] * steps + 0.5) / steps);
  }
}

/* Sample and hold: node->phase counts the frames left before the next take
   (fractional factors carry their remainder over). */
static void coarse_block(synth_node_state *node, const synth_block_input *inputs, float *out,
                         int n) {
  const float *in = inputs[0].values, *factor = inputs[1].values;
  for (int i = 0; i < n; i++) {
    if (factor[i] <= 1.0f) {
      node->phase = 0.0;
      out[i] = in[i];
      continue;
    }
    if (node->phase <= 0.0) {
      node->held = in[i];
      node->phase += factor[i];
    }
    node->phase -= 1.0;
    out[i] = node->held;
  }
}

/* ---- vowel ---------------------------------------------------------------------------- */

/* Formants of a tenor's a e i o u: centre (Hz), level (dB), bandwidth (Hz),
   from the formant table of Csound's manual, which SuperDirt's Vowel class
   uses too. */
static const struct {
  float freq[5], level_db[5], width[5];
} formants[5] = {
    {{650, 1080, 2650, 2900, 3250}, {0, -6, -7, -8, -22}, {80, 90, 120, 130, 140}},
    {{400, 1700, 2600, 3200, 3580}, {0, -14, -12, -14, -20}, {70, 80, 100, 120, 120}},
    {{290, 1870, 2800, 3250, 3540}, {0, -15, -18, -20, -30}, {40, 90, 100, 120, 120}},
    {{400, 800, 2600, 2800, 3000}, {0, -10, -12, -12, -26}, {40, 80, 100, 120, 120}},
    {{350, 600, 2700, 2900, 3300}, {0, -20, -17, -14, -26}, {40, 60, 100, 120, 120}},
};

/* The band-passes sum to far less than a full-band signal; this brings a
   voiced sound back to roughly its level. */
#define VOWEL_MAKEUP 4.0

static void vowel_latch(synth_node_state *node, float index, float rate) {
  const int vowel = (int)(index + 0.5f) - 1;
  const synth_range cutoff_range = synth_range_of(SYNTH_IN_CUTOFF, rate);
  const synth_range q_range = synth_range_of(SYNTH_IN_Q, rate);
  for (int f = 0; f < 5; f++) {
    node->formant_state[f][0] = node->formant_state[f][1] = 0.0f;
    if (vowel < 0 || vowel > 4) {
      node->formant_gain[f] = 0.0f;
      continue;
    }
    const float centre = synth_clamp(formants[vowel].freq[f], cutoff_range);
    const float q = synth_clamp(formants[vowel].freq[f] / formants[vowel].width[f], q_range);
    synth_svf svf;
    synth_svf_set(&svf, SYNTH_BPF, centre, q, rate);
    node->formant_coeff[f][0] = (float)svf.a1;
    node->formant_coeff[f][1] = (float)svf.a2;
    node->formant_coeff[f][2] = (float)svf.a3;
    /* the band-pass's input scale (1 / q) is folded into its gain */
    node->formant_gain[f] =
        (float)(svf.in * VOWEL_MAKEUP * pow(10.0, formants[vowel].level_db[f] / 20.0));
  }
}

static void vowel_block(synth_node_state *node, const synth_block_input *inputs, float rate,
                        uint32_t frame, float *out, int n) {
  const float *in = inputs[0].values;
  if (frame == 0)
    vowel_latch(node, inputs[1].values[0], rate);
  if (node->formant_gain[0] == 0.0f) { /* off: the first formant is 0 dB when on */
    for (int i = 0; i < n; i++)
      out[i] = in[i];
    return;
  }
  for (int i = 0; i < n; i++)
    out[i] = 0.0f;
  for (int f = 0; f < 5; f++) {
    const double a1 = node->formant_coeff[f][0], a2 = node->formant_coeff[f][1],
                 a3 = node->formant_coeff[f][2], gain = node->formant_gain[f];
    double ic1 = node->formant_state[f][0], ic2 = node->formant_state[f][1];
    for (int i = 0; i < n; i++) {
      if ((frame + (uint32_t)i) % SYNTH_COEFF_FRAMES == 0) {
        ic1 = synth_tidy_state(ic1);
        ic2 = synth_tidy_state(ic2);
      }
      const double v3 = in[i] - ic2; /* gain carries the 1 / q */
      const double band = a1 * ic1 + a2 * v3;
      const double low = ic2 + a2 * ic1 + a3 * v3;
      ic1 = (double)(float)(2.0 * band - ic1); /* the state is kept in float */
      ic2 = (double)(float)(2.0 * low - ic2);
      out[i] += (float)(gain * band);
    }
    node->formant_state[f][0] = (float)ic1;
    node->formant_state[f][1] = (float)ic2;
  }
}

/* ---- djf -------------------------------------------------------------------------------- */

/* One state-variable filter whose integrators both modes share, so sweeping
   through 0.5 from low-pass to high-pass does not click. Coefficients follow
   the value every SYNTH_COEFF_FRAMES frames; last_q holds the value they were
   made from. */
static void djf_block(synth_node_state *node, const synth_block_input *inputs, float rate,
                      uint32_t frame, float *out, int n) {
  const float *in = inputs[0].values, *value = inputs[1].values;
  const synth_range cutoff_range = synth_range_of(SYNTH_IN_CUTOFF, rate);
  int i = 0;
  while (i < n) {
    const uint32_t into_period = (frame + (uint32_t)i) % SYNTH_COEFF_FRAMES;
    if (into_period == 0) {
      node->svf.ic1 = synth_tidy_state(node->svf.ic1);
      node->svf.ic2 = synth_tidy_state(node->svf.ic2);
      const float v = value[i];
      if (frame + (uint32_t)i == 0 || v != node->last_q) {
        node->last_q = v;
        if (v != 0.5f) {
          const bool low = v < 0.5f;
          const double position = low ? v / 0.5 : (v - 0.5) / 0.5;
          const float cutoff = synth_clamp((float)(20.0 * pow(500.0, position)), cutoff_range);
          synth_svf_set(&node->svf, low ? SYNTH_LPF : SYNTH_HPF, cutoff, 1.0, rate);
        }
      }
    }
    int end = i + (int)(SYNTH_COEFF_FRAMES - into_period);
    if (end > n)
      end = n;
    if (node->last_q == 0.5f) {
      for (int j = i; j < end; j++)
        out[j] = in[j];
    } else {
      synth_svf_run(&node->svf, in, out, i, end);
    }
    i = end;
  }
}

/* ---- modulation ------------------------------------------------------------------------ */

static inline double wrap(double phase) { return phase - floor(phase); }

/* SuperDirt's ring: x * (1 + depth * sin) / (1 + depth), the sine's frequency
   gliding from ringf to ringf + ringdf over the first second. */
static void ring_block(synth_node_state *node, const synth_block_input *inputs, float rate,
                       uint32_t frame, float *out, int n) {
  const float *in = inputs[0].values, *depth = inputs[1].values, *from = inputs[2].values,
              *sweep = inputs[3].values;
  const synth_range freq_range = synth_range_of(SYNTH_IN_LFO, rate);
  const double inv_rate = 1.0 / (double)rate;
  double phase = node->phase;
  for (int i = 0; i < n; i++) {
    const double t = ((double)frame + (double)i) * inv_rate; /* seconds into the voice */
    const double start = from[i], end = synth_clamp(from[i] + sweep[i], freq_range);
    double freq = end;
    if (t < 1.0)
      freq = start > 0.0 && end > 0.0 ? start * pow(end / start, t) : start + (end - start) * t;
    const double d = depth[i];
    out[i] = (float)((double)in[i] * (1.0 + d * synth_sine_of_phase(phase)) / (1.0 + d));
    phase = wrap(phase + freq * inv_rate);
  }
  node->phase = phase;
}

/* SuperDirt's tremolo: a cosine between 1 - depth and 1, starting at 1. */
static void tremolo_block(synth_node_state *node, const synth_block_input *inputs, float rate,
                          float *out, int n) {
  const float *in = inputs[0].values, *depth = inputs[1].values, *speed = inputs[2].values;
  const double inv_rate = 1.0 / (double)rate;
  double phase = node->phase;
  for (int i = 0; i < n; i++) {
    const double half = 0.5 * depth[i];
    const double cosine = synth_sine_of_phase(wrap(phase + 0.25));
    out[i] = (float)((double)in[i] * (1.0 - half + half * cosine));
    phase = wrap(phase + speed[i] * inv_rate);
  }
  node->phase = phase;
}

/* Strudel's phaser: two notches, 1000 and 1200 Hz at rest, swept together
   +-2000 cents by a sine, averaged. Depth 0 passes the signal untouched. */
static void phaser_block(synth_node_state *node, const synth_block_input *inputs, float rate,
                         uint32_t frame, float *out, int n) {
  const float *in = inputs[0].values, *depth = inputs[1].values, *speed = inputs[2].values;
  static const double rest[2] = {1000.0, 1200.0};
  const synth_range cutoff_range = synth_range_of(SYNTH_IN_CUTOFF, rate);
  const double inv_rate = 1.0 / (double)rate;
  float notched[2][SYNTH_BLOCK];
  int i = 0;
  while (i < n) {
    const uint32_t into_period = (frame + (uint32_t)i) % SYNTH_COEFF_FRAMES;
    int end = i + (int)(SYNTH_COEFF_FRAMES - into_period);
    if (end > n)
      end = n;
    if (into_period == 0) {
      const double sweep = synth_sine_of_phase(node->phase) * (2000.0 / 1200.0);
      const double q = 2.0 - fmin(2.0 * depth[i], 1.9);
      for (int s = 0; s < 2; s++) {
        node->pair[s].ic1 = synth_tidy_state(node->pair[s].ic1);
        node->pair[s].ic2 = synth_tidy_state(node->pair[s].ic2);
        const float centre = synth_clamp((float)(rest[s] * exp2(sweep)), cutoff_range);
        synth_svf_set(&node->pair[s], SYNTH_NOTCH, centre, q, rate);
      }
    }
    for (int s = 0; s < 2; s++)
      synth_svf_run(&node->pair[s], in, notched[s], i, end);
    for (int j = i; j < end; j++) {
      out[j] = depth[j] == 0.0f ? in[j] : 0.5f * (notched[0][j] + notched[1][j]);
      node->phase = wrap(node->phase + speed[j] * inv_rate);
    }
    i = end;
  }
}

/* ---- squiz ------------------------------------------------------------------------------ */

/* The input goes into memory (a ring, by frame); at each upward zero crossing
   the cycle just ended becomes the next one to replay. Playback reads the
   current cycle at `ratio` frames a frame and, at the end of it, starts the
   newest complete cycle. Frames are counted from the voice's start, so any
   split of the frames gives the same output. */
void synth_squiz_block(synth_node_state *node, const synth_block_input *inputs, float *memory,
                       uint32_t frame, float *out, int n) {
  const float *in = inputs[0].values, *ratio = inputs[1].values;
  const uint32_t mask = SYNTH_SQUIZ_FRAMES - 1, longest = SYNTH_SQUIZ_FRAMES / 3;
  for (int i = 0; i < n; i++) {
    const uint32_t t = frame + (uint32_t)i;
    const float x = in[i];
    if (!memory) {
      out[i] = x;
      continue;
    }
    memory[t & mask] = x;
    if (node->squiz_previous < 0.0f && x >= 0.0f) { /* a cycle ends at t */
      const uint32_t length = t - node->squiz_crossing;
      if (node->squiz_crossing > 0 && length >= 2 && length <= longest) {
        node->squiz_next_start = node->squiz_crossing;
        node->squiz_next_length = length;
      }
      node->squiz_crossing = t;
    }
    node->squiz_previous = x;
    if (ratio[i] <= 1.0f) {
      node->squiz_length = 0; /* off: playback starts afresh when it comes back */
      out[i] = x;
      continue;
    }
    if (node->squiz_length == 0 && node->squiz_next_length > 0) {
      node->squiz_start = node->squiz_next_start;
      node->squiz_length = node->squiz_next_length;
      node->squiz_position = 0.0;
    }
    /* nothing to replay yet, or the cycle is older than the memory holds */
    if (node->squiz_length == 0 || t - node->squiz_start >= SYNTH_SQUIZ_FRAMES - 1) {
      node->squiz_length = 0;
      out[i] = x;
      continue;
    }
    const uint32_t whole = (uint32_t)node->squiz_position;
    const double part = node->squiz_position - whole;
    const uint32_t at = node->squiz_start + whole;
    const uint32_t after = whole + 1 < node->squiz_length ? at + 1 : node->squiz_start;
    out[i] = (float)(memory[at & mask] + part * (memory[after & mask] - memory[at & mask]));
    node->squiz_position += ratio[i];
    if (node->squiz_position >= node->squiz_length) { /* the cycle again, or the newest */
      node->squiz_position = fmod(node->squiz_position, (double)node->squiz_length);
      if (node->squiz_next_start != node->squiz_start) {
        node->squiz_start = node->squiz_next_start;
        node->squiz_length = node->squiz_next_length;
        node->squiz_position = 0.0;
      }
    }
  }
}

void synth_fx_block(synth_node_state *node, int kind, const synth_block_input *inputs,
                    float sample_rate, uint32_t frame, float *out, int n) {
  switch (kind) {
  case SYNTH_SHAPE:
  case SYNTH_DISTORT:
    shaper_block(kind, inputs, out, n);
    break;
  case SYNTH_TRIODE:
    triode_block(node, inputs, sample_rate, frame, out, n);
    break;
  case SYNTH_CRUSH:
    crush_block(inputs, out, n);
    break;
  case SYNTH_COARSE:
    coarse_block(node, inputs, out, n);
    break;
  case SYNTH_VOWEL:
    vowel_block(node, inputs, sample_rate, frame, out, n);
    break;
  case SYNTH_DJF:
    djf_block(node, inputs, sample_rate, frame, out, n);
    break;
  case SYNTH_RING:
    ring_block(node, inputs, sample_rate, frame, out, n);
    break;
  case SYNTH_TREMOLO:
    tremolo_block(node, inputs, sample_rate, out, n);
    break;
  default: /* SYNTH_PHASER */
    phaser_block(node, inputs, sample_rate, frame, out, n);
    break;
  }
}
