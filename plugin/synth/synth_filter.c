/* The filters: a trapezoidal (topology-preserving transform) state-variable
   filter. For fixed settings its lpf, hpf, bpf (0 dB peak) and notch have
   exactly the magnitude response of the RBJ cookbook biquads (both are the
   bilinear transform of the same analog prototype, prewarped at the cutoff);
   unlike a direct-form biquad, its memory is the charge of two integrators,
   which stays meaningful when cutoff and q change, so fast sweeps at high q
   do not blow up. */
#include "synth_private.h"

void synth_filter_coefficients(synth_node_state *node, int kind, float cutoff, float q,
                               float sample_rate) {
  const double g = tan(3.14159265358979323846 * (double)cutoff / (double)sample_rate);
  const double k = 1.0 / (double)q; /* damping */
  node->svf_a1 = 1.0 / (1.0 + g * (g + k));
  node->svf_a2 = g * node->svf_a1;
  node->svf_a3 = g * node->svf_a2;
  /* The filter runs on svf_in * input; its output is m0 * input + m1 * band
     + m2 * low. BPF (k * band) and notch (input - k * band) take their k at
     the input rather than the output, so a drop of q does not multiply the
     band state a high q built up by the new, larger k. */
  node->svf_in = kind == SYNTH_BPF || kind == SYNTH_NOTCH ? k : 1.0;
  switch (kind) {
  case SYNTH_LPF:
    node->svf_m0 = 0.0, node->svf_m1 = 0.0, node->svf_m2 = 1.0;
    break;
  case SYNTH_HPF: /* input - k * band - low */
    node->svf_m0 = 1.0, node->svf_m1 = -k, node->svf_m2 = -1.0;
    break;
  case SYNTH_BPF:
    node->svf_m0 = 0.0, node->svf_m1 = 1.0, node->svf_m2 = 0.0;
    break;
  default: /* SYNTH_NOTCH */
    node->svf_m0 = 1.0, node->svf_m1 = -1.0, node->svf_m2 = 0.0;
    break;
  }
  node->last_cutoff = cutoff;
  node->last_q = q;
}

/* Frames [from, to) with the current coefficients (Simper's form of the
   trapezoidal SVF: ic1 and ic2 are the integrators' equivalent currents). */
static void run_svf(synth_node_state *node, const float *in, float *out, int from, int to) {
  const double a1 = node->svf_a1, a2 = node->svf_a2, a3 = node->svf_a3;
  const double scale = node->svf_in, m0 = node->svf_m0, m1 = node->svf_m1, m2 = node->svf_m2;
  double ic1 = node->svf_ic1, ic2 = node->svf_ic2;
  for (int i = from; i < to; i++) {
    const double x = in[i];
    const double v3 = scale * x - ic2;
    const double band = a1 * ic1 + a2 * v3;
    const double low = ic2 + a2 * ic1 + a3 * v3;
    ic1 = 2.0 * band - ic1;
    ic2 = 2.0 * low - ic2;
    out[i] = (float)(m0 * x + m1 * band + m2 * low);
  }
  node->svf_ic1 = ic1;
  node->svf_ic2 = ic2;
}

/* Runs the block in pieces that end on multiples of SYNTH_COEFF_FRAMES from
   the voice's start. At each such frame the memory is flushed (no stable
   filter decays from 1e-20 to a denormal double within one period), and
   coefficients follow a signal cutoff or q. Both happen on the same frames
   whatever the block boundaries, so the output does not depend on them. */
void synth_filter_block(synth_node_state *node, int kind, const synth_block_input *inputs,
                        float sample_rate, uint32_t frame, float *out, int n) {
  const float *in = inputs[0].values, *cutoff = inputs[1].values, *q = inputs[2].values;
  const bool modulated = inputs[1].is_signal || inputs[2].is_signal;
  int i = 0;
  while (i < n) {
    const uint32_t into_period = (frame + (uint32_t)i) % SYNTH_COEFF_FRAMES;
    if (into_period == 0) {
      node->svf_ic1 = synth_tidy_state(node->svf_ic1);
      node->svf_ic2 = synth_tidy_state(node->svf_ic2);
      if (modulated && (cutoff[i] != node->last_cutoff || q[i] != node->last_q))
        synth_filter_coefficients(node, kind, cutoff[i], q[i], sample_rate);
    }
    int end = i + (int)(SYNTH_COEFF_FRAMES - into_period);
    if (end > n)
      end = n;
    run_svf(node, in, out, i, end);
    i = end;
  }
}
