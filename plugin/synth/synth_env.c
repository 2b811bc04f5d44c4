/* Envelopes: linear attack, decay and release segments computed from the
   frame index (not accumulated), so the attack ends at exactly 1, the release
   at exactly 0, and any split of the frames gives the same levels. */
#include "synth_private.h"

/* The level at frame t of a gate that never closes. */
static inline double open_level(const synth_node_state *env, double t, double inv_attack,
                                double inv_decay) {
  if (t < env->attack)
    return t * inv_attack;
  const double into_decay = t - env->attack;
  if (into_decay < env->decay)
    return 1.0 - (1.0 - env->sustain) * into_decay * inv_decay;
  return env->sustain;
}

static inline double inverse(double frames) { return frames > 0.0 ? 1.0 / frames : 0.0; }

/* Samples the time and level inputs at the voice's first frame. */
static void latch(synth_node_state *env, int kind, const synth_block_input *inputs,
                  const synth_voice *voice, double rate) {
  env->attack = inputs[1].values[0] * rate;
  if (kind == SYNTH_ADSR) {
    env->decay = inputs[2].values[0] * rate;
    env->sustain = inputs[3].values[0];
    env->release = inputs[4].values[0] * rate;
  } else {
    env->decay = 0.0;
    env->sustain = 1.0;
    env->release = inputs[2].values[0] * rate;
  }
  env->gate_level =
      open_level(env, (double)voice->gate_frames, inverse(env->attack), inverse(env->decay));
}

void synth_env_block(synth_node_state *env, int kind, const synth_block_input *inputs,
                     const synth_voice *voice, float sample_rate, uint32_t frame, float *out,
                     int n) {
  if (frame == 0)
    latch(env, kind, inputs, voice, sample_rate);
  const double inv_attack = inverse(env->attack), inv_decay = inverse(env->decay);
  const double inv_release = inverse(env->release);
  const double gate = (double)voice->gate_frames;
  const float *in = inputs[0].values;
  for (int i = 0; i < n; i++) {
    const double t = (double)frame + (double)i;
    double level;
    if (t < gate) {
      level = open_level(env, t, inv_attack, inv_decay);
    } else {
      const double into_release = t - gate;
      level =
          into_release < env->release ? env->gate_level * (1.0 - into_release * inv_release) : 0.0;
    }
    out[i] = (float)(in[i] * level);
  }
}
