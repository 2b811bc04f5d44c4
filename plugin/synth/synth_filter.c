/* RBJ biquads (Robert Bristow-Johnson's Audio EQ Cookbook: lpf, hpf, bpf with
   0 dB peak, notch) in transposed direct form II, which tolerates coefficients
   that change while it runs. State memory is flushed of denormals each frame. */
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

/* Frames [from, to) with the current coefficients. */
static void run_biquad(synth_node_state *node, const float *in, float *out, int from, int to) {
  const double b0 = node->b0, b1 = node->b1, b2 = node->b2, a1 = node->a1, a2 = node->a2;
  double z1 = node->z1, z2 = node->z2;
  for (int i = from; i < to; i++) {
    const double x = in[i];
    const double y = b0 * x + z1;
    z1 = synth_tidy_state(b1 * x - a1 * y + z2);
    z2 = synth_tidy_state(b2 * x - a2 * y);
    out[i] = (float)y;
  }
  node->z1 = z1;
  node->z2 = z2;
}

void synth_filter_block(synth_node_state *node, int kind, const synth_block_input *inputs,
                        float sample_rate, uint32_t frame, float *out, int n) {
  const float *in = inputs[0].values;
  if (!inputs[1].is_signal && !inputs[2].is_signal) { /* coefficients made by synth_start */
    run_biquad(node, in, out, 0, n);
    return;
  }
  /* Modulated: new coefficients on frames that are multiples of
     SYNTH_COEFF_FRAMES from the voice's start, whatever the block boundaries. */
  const float *cutoff = inputs[1].values, *q = inputs[2].values;
  int i = 0;
  while (i < n) {
    const uint32_t into_period = (frame + (uint32_t)i) % SYNTH_COEFF_FRAMES;
    if (into_period == 0 && (cutoff[i] != node->last_cutoff || q[i] != node->last_q))
      synth_filter_coefficients(node, kind, cutoff[i], q[i], sample_rate);
    int end = i + (int)(SYNTH_COEFF_FRAMES - into_period);
    if (end > n) end = n;
    run_biquad(node, in, out, i, end);
    i = end;
  }
}
