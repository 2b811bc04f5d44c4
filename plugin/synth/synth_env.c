/* Envelopes: linear attack, decay and release segments computed from the
   frame index (not accumulated), so the attack ends at exactly 1, the release
   at exactly 0, and any split of the frames gives the same levels. */
#include "synth_private.h"

static inline double inverse(double frames) { return frames > 0.0 ? 1.0 / frames : 0.0; }

/* The level at frame t of a gate that never closes. */
static inline double open_level(const synth_node_state *env, double t) {
  if (t < env->attack)
    return t * env->inv_attack;
  const double into_decay = t - env->attack;
  if (into_decay < env->decay)
    return 1.0 - (1.0 - env->sustain) * into_decay * env->inv_decay;
  return env->sustain;
}

void synth_env_latch(synth_node_state *env, double attack, double decay, double sustain,
                     double release, double gate) {
  env->attack = attack;
  env->decay = decay;
  env->sustain = sustain;
  env->release = release;
  env->inv_attack = inverse(attack);
  env->inv_decay = inverse(decay);
  env->inv_release = inverse(release);
  env->gate_level = open_level(env, gate);
}

double synth_env_level(const synth_node_state *env, double t, double gate) {
  if (t < gate)
    return open_level(env, t);
  const double into_release = t - gate;
  return into_release < env->release ? env->gate_level * (1.0 - into_release * env->inv_release)
                                     : 0.0;
}

void synth_env_start(synth_node_state *env, int kind, const synth_block_input *inputs,
                     const synth_voice *voice, double rate) {
  const double gate = (double)voice->gate_frames;
  if (kind == SYNTH_ADSR)
    synth_env_latch(env, inputs[1].values[0] * rate, inputs[2].values[0] * rate,
                    inputs[3].values[0], inputs[4].values[0] * rate, gate);
  else
    synth_env_latch(env, inputs[1].values[0] * rate, 0.0, 1.0, inputs[2].values[0] * rate, gate);
}

void synth_env_block(synth_node_state *env, int kind, const synth_block_input *inputs,
                     const synth_voice *voice, float sample_rate, uint32_t frame, float *out,
                     int n) {
  if (frame == 0)
    synth_env_start(env, kind, inputs, voice, sample_rate);
  const double gate = (double)voice->gate_frames;
  const float *in = inputs[0].values;
  for (int i = 0; i < n; i++)
    out[i] = (float)(in[i] * synth_env_level(env, (double)frame + (double)i, gate));
}
