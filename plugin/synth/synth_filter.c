/* The filters: a trapezoidal (topology-preserving transform) state-variable
   filter. For fixed settings its lpf, hpf, bpf (0 dB peak) and notch have
   exactly the magnitude response of the RBJ cookbook biquads (both are the
   bilinear transform of the same analog prototype, prewarped at the cutoff);
   unlike a direct-form biquad, its memory is the charge of two integrators,
   which stays meaningful when cutoff and q change, so fast sweeps at high q
   do not blow up. The *_ENV kinds move their cutoff with an envelope. */
#include "synth_private.h"

/* The plain response an *_ENV kind has. */
static int plain_kind(int kind) {
  switch (kind) {
  case SYNTH_LPF_ENV:
    return SYNTH_LPF;
  case SYNTH_HPF_ENV:
    return SYNTH_HPF;
  case SYNTH_BPF_ENV:
    return SYNTH_BPF;
  default:
    return kind;
  }
}

void synth_svf_set(synth_svf *svf, int kind, double cutoff, double q, double sample_rate) {
  const double g = tan(3.14159265358979323846 * cutoff / sample_rate);
  const double k = 1.0 / q; /* damping */
  svf->a1 = 1.0 / (1.0 + g * (g + k));
  svf->a2 = g * svf->a1;
  svf->a3 = g * svf->a2;
  /* The filter runs on `in` * input; its output is m0 * input + m1 * band
     + m2 * low. BPF (k * band) and notch (input - k * band) take their k at
     the input rather than the output, so a drop of q does not multiply the
     band state a high q built up by the new, larger k. */
  svf->in = kind == SYNTH_BPF || kind == SYNTH_NOTCH ? k : 1.0;
  switch (kind) {
  case SYNTH_LPF:
    svf->m0 = 0.0, svf->m1 = 0.0, svf->m2 = 1.0;
    break;
  case SYNTH_HPF: /* input - k * band - low */
    svf->m0 = 1.0, svf->m1 = -k, svf->m2 = -1.0;
    break;
  case SYNTH_BPF:
    svf->m0 = 0.0, svf->m1 = 1.0, svf->m2 = 0.0;
    break;
  default: /* SYNTH_NOTCH */
    svf->m0 = 1.0, svf->m1 = -1.0, svf->m2 = 0.0;
    break;
  }
}

void synth_filter_coefficients(synth_node_state *node, int kind, float cutoff, float q,
                               float sample_rate) {
  synth_svf_set(&node->svf, plain_kind(kind), (double)cutoff, (double)q, (double)sample_rate);
  node->last_cutoff = cutoff;
  node->last_q = q;
}

/* Frames [from, to) with the current coefficients (Simper's form of the
   trapezoidal SVF: ic1 and ic2 are the integrators' equivalent currents). */
void synth_svf_run(synth_svf *svf, const float *in, float *out, int from, int to) {
  const double a1 = svf->a1, a2 = svf->a2, a3 = svf->a3;
  const double scale = svf->in, m0 = svf->m0, m1 = svf->m1, m2 = svf->m2;
  double ic1 = svf->ic1, ic2 = svf->ic2;
  for (int i = from; i < to; i++) {
    const double x = in[i];
    const double v3 = scale * x - ic2;
    const double band = a1 * ic1 + a2 * v3;
    const double low = ic2 + a2 * ic1 + a3 * v3;
    ic1 = 2.0 * band - ic1;
    ic2 = 2.0 * low - ic2;
    out[i] = (float)(m0 * x + m1 * band + m2 * low);
  }
  svf->ic1 = ic1;
  svf->ic2 = ic2;
}

/* Latches a filter envelope at the first frame: lo and the span in octaves
   (negative when the depth is), and the sustain as a fraction of the span in
   log frequency, so the decay ends at lo + sustain * (hi - lo) in Hz. */
void synth_filter_env_start(synth_node_state *node, const synth_block_input *inputs,
                            const synth_voice *voice, double rate) {
  const double cutoff = inputs[1].values[0], depth = inputs[3].values[0];
  const double sustain = inputs[6].values[0];
  const double span = fabs(depth);
  /* with a negative depth the envelope rests at the top and dips to cutoff */
  const double lo = log2(cutoff) + (depth < 0.0 ? span : 0.0);
  const double signed_span = depth < 0.0 ? -span : span;
  const double hz_ratio = exp2(signed_span); /* hi / lo */
  const double sustain_log =
      span > 0.0 ? log2(1.0 + sustain * (hz_ratio - 1.0)) / signed_span : 0.0;
  node->env_lo = lo;
  node->env_span = signed_span;
  synth_env_latch(node, inputs[4].values[0] * rate, inputs[5].values[0] * rate, sustain_log,
                  inputs[7].values[0] * rate, (double)voice->gate_frames);
}

void synth_filter_env_move(synth_node_state *node, int kind, float q, const synth_voice *voice,
                           float sample_rate, uint32_t frame) {
  const double level = synth_env_level(node, (double)frame, (double)voice->gate_frames);
  const double octaves = node->env_lo + node->env_span * level;
  /* the cutoff signal (if any) is ignored: the envelope latched it */
  const float moved =
      synth_clamp((float)exp2(octaves), synth_range_of(SYNTH_IN_CUTOFF, sample_rate));
  if (moved != node->last_cutoff || q != node->last_q)
    synth_filter_coefficients(node, kind, moved, q, sample_rate);
}

/* Runs the block in pieces that end on multiples of SYNTH_COEFF_FRAMES from
   the voice's start. At each such frame the memory is flushed (no stable
   filter decays from 1e-20 to a denormal double within one period), and
   coefficients follow a signal cutoff or q, or the envelope. All happens on
   the same frames whatever the block boundaries, so the output does not
   depend on them. */
void synth_filter_block(synth_node_state *node, int kind, const synth_block_input *inputs,
                        const synth_voice *voice, float sample_rate, uint32_t frame, float *out,
                        int n) {
  const float *in = inputs[0].values, *cutoff = inputs[1].values, *q = inputs[2].values;
  const bool has_envelope = kind != plain_kind(kind);
  if (has_envelope && frame == 0)
    synth_filter_env_start(node, inputs, voice, sample_rate);
  const bool enveloped = has_envelope && node->env_span != 0.0;
  const bool modulated = inputs[1].is_signal || inputs[2].is_signal;
  int i = 0;
  while (i < n) {
    const uint32_t into_period = (frame + (uint32_t)i) % SYNTH_COEFF_FRAMES;
    if (into_period == 0) {
      node->svf.ic1 = synth_tidy_state(node->svf.ic1);
      node->svf.ic2 = synth_tidy_state(node->svf.ic2);
      if (enveloped) {
        synth_filter_env_move(node, kind, q[i], voice, sample_rate, frame + (uint32_t)i);
      } else if (modulated && (cutoff[i] != node->last_cutoff || q[i] != node->last_q)) {
        synth_filter_coefficients(node, kind, cutoff[i], q[i], sample_rate);
      }
    }
    int end = i + (int)(SYNTH_COEFF_FRAMES - into_period);
    if (end > n)
      end = n;
    synth_svf_run(&node->svf, in, out, i, end);
    i = end;
  }
}
