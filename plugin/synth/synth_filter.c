/* RBJ biquads (Robert Bristow-Johnson's Audio EQ Cookbook: lpf, hpf, bpf with
   0 dB peak, notch) in direct form I. Its memory is the signal itself (past
   inputs and outputs), so modulated coefficients cannot leave it inconsistent,
   and its recursion is one multiply-subtract per sample. */
#include "synth_private.h"

void synth_filter_coefficients(synth_node_state *node, int kind, float cutoff, float q,
                               float sample_rate) {
  const double w0 = 2.0 * 3.14159265358979323846 * (double)cutoff / (double)sample_rate;
  const double cos_w0 = cos(w0);
  const double alpha = sin(w0) / (2.0 * (double)q);
  double b0, b1, b2;
  switch (kind) {
  case SYNTH_LPF:
    b1 = 1.0 - cos_w0;
    b0 = b2 = 0.5 * b1;
    break;
  case SYNTH_HPF:
    b1 = -(1.0 + cos_w0);
    b0 = b2 = -0.5 * b1;
    break;
  case SYNTH_BPF: /* constant 0 dB peak gain */
    b0 = alpha;
    b1 = 0.0;
    b2 = -alpha;
    break;
  default: /* SYNTH_NOTCH */
    b0 = b2 = 1.0;
    b1 = -2.0 * cos_w0;
    break;
  }
  const double inv_a0 = 1.0 / (1.0 + alpha);
  node->b0 = b0 * inv_a0;
  node->b1 = b1 * inv_a0;
  node->b2 = b2 * inv_a0;
  node->a1 = -2.0 * cos_w0 * inv_a0;
  node->a2 = (1.0 - alpha) * inv_a0;
  node->last_cutoff = cutoff;
  node->last_q = q;
}

/* Frames [from, to) with the current coefficients. Inputs come through the
   clamp (no denormals); outputs are flushed by the caller every period. */
static void run_biquad(synth_node_state *node, const float *in, float *out, int from, int to) {
  const double b0 = node->b0, b1 = node->b1, b2 = node->b2, a1 = node->a1, a2 = node->a2;
  double x1 = node->x1, x2 = node->x2, y1 = node->y1, y2 = node->y2;
  for (int i = from; i < to; i++) {
    const double x = in[i];
    /* everything but a1 * y1 is known a sample early: a short recursion */
    const double y = (b0 * x + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[i] = (float)y;
  }
  node->x1 = x1;
  node->x2 = x2;
  node->y1 = y1;
  node->y2 = y2;
}

/* Runs the block in pieces that end on multiples of SYNTH_COEFF_FRAMES from
   the voice's start. At each such frame the output memory is flushed (no
   stable filter decays from 1e-20 to a denormal within one period), and
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
      node->y1 = synth_tidy_state(node->y1);
      node->y2 = synth_tidy_state(node->y2);
      if (modulated && (cutoff[i] != node->last_cutoff || q[i] != node->last_q))
        synth_filter_coefficients(node, kind, cutoff[i], q[i], sample_rate);
    }
    int end = i + (int)(SYNTH_COEFF_FRAMES - into_period);
    if (end > n)
      end = n;
    run_biquad(node, in, out, i, end);
    i = end;
  }
}
