/* The bus graph: resolves each node's inputs (parameters or earlier nodes'
   signals, all through the one clamp) and runs the nodes one after the other
   over small blocks. Also the clamp ranges and the arithmetic nodes. */
#include "synth_private.h"

#include <stddef.h>
#include <string.h>

/* What each input of each kind means (and so how it is clamped). */
typedef struct {
  int count;
  synth_input_class classes[SYNTH_MAX_INPUTS];
} synth_signature;

#define ENV_FILTER_INPUTS                                                                          \
  {                                                                                                \
    SYNTH_IN_SIGNAL, SYNTH_IN_CUTOFF, SYNTH_IN_Q, SYNTH_IN_OCTAVES, SYNTH_IN_TIME, SYNTH_IN_TIME,  \
        SYNTH_IN_LEVEL, SYNTH_IN_TIME                                                              \
  }

static const synth_signature signatures[SYNTH_KIND_COUNT] = {
    [SYNTH_SAW] = {1, {SYNTH_IN_FREQ}},
    [SYNTH_SQUARE] = {1, {SYNTH_IN_FREQ}},
    [SYNTH_PULSE] = {2, {SYNTH_IN_FREQ, SYNTH_IN_WIDTH}},
    [SYNTH_TRI] = {1, {SYNTH_IN_FREQ}},
    [SYNTH_SINE] = {1, {SYNTH_IN_FREQ}},
    [SYNTH_NOISE] = {0, {SYNTH_IN_SIGNAL}},
    [SYNTH_LPF] = {3, {SYNTH_IN_SIGNAL, SYNTH_IN_CUTOFF, SYNTH_IN_Q}},
    [SYNTH_HPF] = {3, {SYNTH_IN_SIGNAL, SYNTH_IN_CUTOFF, SYNTH_IN_Q}},
    [SYNTH_BPF] = {3, {SYNTH_IN_SIGNAL, SYNTH_IN_CUTOFF, SYNTH_IN_Q}},
    [SYNTH_NOTCH] = {3, {SYNTH_IN_SIGNAL, SYNTH_IN_CUTOFF, SYNTH_IN_Q}},
    [SYNTH_ENV] = {3, {SYNTH_IN_SIGNAL, SYNTH_IN_TIME, SYNTH_IN_TIME}},
    [SYNTH_ADSR] = {5,
                    {SYNTH_IN_SIGNAL, SYNTH_IN_TIME, SYNTH_IN_TIME, SYNTH_IN_LEVEL, SYNTH_IN_TIME}},
    [SYNTH_ADD] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_SIGNAL}},
    [SYNTH_SUB] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_SIGNAL}},
    [SYNTH_MUL] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_SIGNAL}},
    [SYNTH_DIV] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_SIGNAL}},
    [SYNTH_LPF_ENV] = {8, ENV_FILTER_INPUTS},
    [SYNTH_HPF_ENV] = {8, ENV_FILTER_INPUTS},
    [SYNTH_BPF_ENV] = {8, ENV_FILTER_INPUTS},
    [SYNTH_SHAPE] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_SHAPE}},
    [SYNTH_DISTORT] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_DRIVE}},
    [SYNTH_TRIODE] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_TRIODE}},
    [SYNTH_CRUSH] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_BITS}},
    [SYNTH_COARSE] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_HOLD}},
    [SYNTH_VOWEL] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_VOWEL}},
    [SYNTH_DJF] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_DJF}},
    [SYNTH_RING] = {4, {SYNTH_IN_SIGNAL, SYNTH_IN_RING, SYNTH_IN_LFO, SYNTH_IN_SWEEP}},
    [SYNTH_TREMOLO] = {3, {SYNTH_IN_SIGNAL, SYNTH_IN_DEPTH, SYNTH_IN_LFO}},
    [SYNTH_PHASER] = {3, {SYNTH_IN_SIGNAL, SYNTH_IN_DEPTH, SYNTH_IN_LFO}},
    [SYNTH_SQUIZ] = {2, {SYNTH_IN_SIGNAL, SYNTH_IN_SQUIZ}},
    [SYNTH_SAMPLE] = {5,
                      {SYNTH_IN_SPEED, SYNTH_IN_SIGNAL, SYNTH_IN_POSITION, SYNTH_IN_LEVEL,
                       SYNTH_IN_SIGNAL}},
};

int synth_input_count(int kind) {
  return kind >= 0 && kind < SYNTH_KIND_COUNT ? signatures[kind].count : 0;
}

synth_range synth_range_of(synth_input_class input_class, float sample_rate) {
  const float nyquist_guard = 0.45f * sample_rate; /* keeps filters and BLEPs sane */
  switch (input_class) {
  case SYNTH_IN_FREQ:
    return (synth_range){0.0f, nyquist_guard, 261.6256f};
  case SYNTH_IN_CUTOFF:
    return (synth_range){10.0f, nyquist_guard, 1000.0f};
  case SYNTH_IN_Q:
    return (synth_range){0.1f, 30.0f, 0.707f};
  case SYNTH_IN_TIME:
    return (synth_range){0.0f, 60.0f, 0.01f};
  case SYNTH_IN_LEVEL:
    return (synth_range){0.0f, 1.0f, 1.0f};
  case SYNTH_IN_WIDTH:
    return (synth_range){0.01f, 0.99f, 0.5f};
  case SYNTH_IN_RATE:
    return (synth_range){1000.0f, 768000.0f, 48000.0f};
  case SYNTH_IN_OCTAVES:
    return (synth_range){-10.0f, 10.0f, 0.0f};
  case SYNTH_IN_SHAPE:
    return (synth_range){0.0f, 0.999f, 0.0f};
  case SYNTH_IN_DRIVE:
    return (synth_range){0.0f, 20.0f, 0.0f};
  case SYNTH_IN_TRIODE:
    return (synth_range){0.0f, 100.0f, 0.0f};
  case SYNTH_IN_BITS:
    return (synth_range){0.0f, 24.0f, 0.0f};
  case SYNTH_IN_HOLD:
    return (synth_range){0.0f, 4096.0f, 0.0f};
  case SYNTH_IN_VOWEL:
    return (synth_range){0.0f, 5.0f, 0.0f};
  case SYNTH_IN_DJF:
    return (synth_range){0.0f, 1.0f, 0.5f};
  case SYNTH_IN_DEPTH:
    return (synth_range){0.0f, 1.0f, 0.0f};
  case SYNTH_IN_RING:
    return (synth_range){0.0f, 100.0f, 0.0f};
  case SYNTH_IN_LFO:
    return (synth_range){0.0f, nyquist_guard, 1.0f};
  case SYNTH_IN_SQUIZ:
    return (synth_range){0.0f, 16.0f, 0.0f};
  case SYNTH_IN_SWEEP:
    return (synth_range){-nyquist_guard, nyquist_guard, 0.0f};
  case SYNTH_IN_SPEED:
    return (synth_range){-1000.0f, 1000.0f, 1.0f};
  case SYNTH_IN_POSITION:
    return (synth_range){0.0f, 1.0f, 0.0f};
  case SYNTH_IN_SIGNAL:
  default:
    return (synth_range){-SYNTH_SIGNAL_LIMIT, SYNTH_SIGNAL_LIMIT, 0.0f};
  }
}

float synth_clamped_rate(const synth_voice *voice) {
  return synth_clamp(voice->sample_rate, synth_range_of(SYNTH_IN_RATE, 48000.0f));
}

bool synth_constant_input(const synth_bus *bus, const synth_voice *voice, int node_index,
                          synth_input input, synth_range range, float *value) {
  if (input.source == SYNTH_FROM_NODE && input.index < node_index)
    return false;
  if (input.source == SYNTH_FROM_PARAM && input.index < bus->param_count &&
      input.index < SYNTH_MAX_PARAMS)
    *value = synth_clamp(voice->params[input.index], range);
  else
    *value = range.fallback;
  return true;
}

static int node_count_of(const synth_bus *bus) {
  return bus->node_count < SYNTH_MAX_NODES ? bus->node_count : SYNTH_MAX_NODES;
}

void synth_start(synth_state *state, const synth_bus *bus, const synth_voice *voice) {
  synth_start_channel(state, bus, voice, 0);
}

void synth_start_nodes(synth_node_state *nodes, const synth_bus *bus, const synth_voice *voice) {
  const float rate = synth_clamped_rate(voice);
  const int count = node_count_of(bus);
  memset(nodes, 0, sizeof *nodes * (size_t)count);
  for (int k = 0; k < count; k++) {
    const synth_node *node = &bus->nodes[k];
    synth_node_state *node_state = &nodes[k];
    if (node->kind == SYNTH_NOISE)
      synth_noise_seed(node_state, voice->seed, k);
    if ((node->kind >= SYNTH_LPF && node->kind <= SYNTH_NOTCH) ||
        (node->kind >= SYNTH_LPF_ENV && node->kind <= SYNTH_BPF_ENV)) {
      float cutoff, q;
      const bool fixed_cutoff = synth_constant_input(
          bus, voice, k, node->inputs[1], synth_range_of(SYNTH_IN_CUTOFF, rate), &cutoff);
      const bool fixed_q = synth_constant_input(bus, voice, k, node->inputs[2],
                                                synth_range_of(SYNTH_IN_Q, rate), &q);
      /* with a signal cutoff or q, the filter computes them itself at frame 0 */
      if (fixed_cutoff && fixed_q)
        synth_filter_coefficients(node_state, node->kind, cutoff, q, rate);
    }
  }
}

void synth_start_channel(synth_state *state, const synth_bus *bus, const synth_voice *voice,
                         uint32_t channel) {
  /* squiz_memory is left as it is: a squiz reads only frames it wrote */
  memset(state, 0, offsetof(synth_state, squiz_memory));
  state->channel = channel;
  state->squiz_node = -1;
  synth_start_nodes(state->nodes, bus, voice);
  const int count = node_count_of(bus);
  for (int k = 0; k < count && state->squiz_node < 0; k++)
    if (bus->nodes[k].kind == SYNTH_SQUIZ)
      state->squiz_node = k;
}

/* The element-wise loops below always run over the whole SYNTH_BLOCK, even
   when fewer frames are wanted: a fixed trip count and restrict pointers let
   the compiler vectorize them at -O2. So every node's signal is defined over
   the whole block (frames past n are zeroed), and no read is uninitialized. */

/* Fills `scratch` with the block's clamped values of one input. */
static synth_block_input resolve_input(const synth_bus *bus, const synth_voice *voice,
                                       int node_index, synth_input input, synth_range range,
                                       float signals[][SYNTH_BLOCK], float *restrict scratch) {
  float constant;
  if (synth_constant_input(bus, voice, node_index, input, range, &constant)) {
    for (int i = 0; i < SYNTH_BLOCK; i++)
      scratch[i] = constant;
    return (synth_block_input){scratch, false};
  }
  const float *restrict source = signals[input.index];
  for (int i = 0; i < SYNTH_BLOCK; i++)
    scratch[i] = synth_clamp(source[i], range);
  return (synth_block_input){scratch, true};
}

static void arithmetic_block(int kind, const synth_block_input *inputs, float *restrict out) {
  const float *restrict a = inputs[0].values, *restrict b = inputs[1].values;
  switch (kind) {
  case SYNTH_ADD:
    for (int i = 0; i < SYNTH_BLOCK; i++)
      out[i] = a[i] + b[i];
    break;
  case SYNTH_SUB:
    for (int i = 0; i < SYNTH_BLOCK; i++)
      out[i] = a[i] - b[i];
    break;
  case SYNTH_MUL:
    for (int i = 0; i < SYNTH_BLOCK; i++)
      out[i] = a[i] * b[i];
    break;
  default: /* SYNTH_DIV; inputs are clamped, so the quotient stays finite */
    for (int i = 0; i < SYNTH_BLOCK; i++) {
      const float divisor = fabsf(b[i]) < 1e-6f ? 1.0f : b[i];
      out[i] = fabsf(b[i]) < 1e-6f ? 0.0f : a[i] / divisor;
    }
    break;
  }
}

static void render_block(synth_state *state, const synth_bus *bus, const synth_voice *voice,
                         const synth_range *ranges, float rate, float *out, int n) {
  float signals[SYNTH_MAX_NODES][SYNTH_BLOCK];
  float scratch[SYNTH_MAX_INPUTS][SYNTH_BLOCK];
  synth_block_input inputs[SYNTH_MAX_INPUTS];
  const int count = node_count_of(bus);
  if (count == 0) {
    for (int i = 0; i < n; i++)
      out[i] = 0.0f;
    return;
  }
  for (int k = 0; k < count; k++) {
    const synth_node *node = &bus->nodes[k];
    const int kind = node->kind;
    const int arity = synth_input_count(kind);
    for (int j = 0; j < arity; j++)
      inputs[j] = resolve_input(bus, voice, k, node->inputs[j], ranges[signatures[kind].classes[j]],
                                signals, scratch[j]);
    float *signal = signals[k];
    synth_node_state *node_state = &state->nodes[k];
    switch (kind) {
    case SYNTH_SAW:
    case SYNTH_SQUARE:
    case SYNTH_PULSE:
    case SYNTH_TRI:
    case SYNTH_SINE:
    case SYNTH_NOISE:
      synth_osc_block(node_state, kind, inputs, rate, signal, n);
      break;
    case SYNTH_LPF:
    case SYNTH_HPF:
    case SYNTH_BPF:
    case SYNTH_NOTCH:
    case SYNTH_LPF_ENV:
    case SYNTH_HPF_ENV:
    case SYNTH_BPF_ENV:
      synth_filter_block(node_state, kind, inputs, voice, rate, state->frame, signal, n);
      break;
    case SYNTH_SHAPE:
    case SYNTH_DISTORT:
    case SYNTH_TRIODE:
    case SYNTH_CRUSH:
    case SYNTH_COARSE:
    case SYNTH_VOWEL:
    case SYNTH_DJF:
    case SYNTH_RING:
    case SYNTH_TREMOLO:
    case SYNTH_PHASER:
      synth_fx_block(node_state, kind, inputs, rate, state->frame, signal, n);
      break;
    case SYNTH_SQUIZ:
      synth_squiz_block(node_state, inputs, state->squiz_node == k ? state->squiz_memory : NULL,
                        state->frame, signal, n);
      break;
    case SYNTH_ENV:
    case SYNTH_ADSR:
      synth_env_block(node_state, kind, inputs, voice, rate, state->frame, signal, n);
      break;
    case SYNTH_ADD:
    case SYNTH_SUB:
    case SYNTH_MUL:
    case SYNTH_DIV:
      arithmetic_block(kind, inputs, signal);
      break;
    case SYNTH_SAMPLE:
      synth_sample_block(node_state, inputs, voice, state->channel, rate, state->frame, signal, n);
      break;
    default:
      for (int i = 0; i < SYNTH_BLOCK; i++)
        signal[i] = 0.0f;
      break;
    }
    for (int i = n; i < SYNTH_BLOCK; i++)
      signal[i] = 0.0f; /* stateful nodes wrote n */
  }
  float clean[SYNTH_BLOCK];
  const float *restrict last = signals[count - 1];
  const synth_range range = ranges[SYNTH_IN_SIGNAL];
  for (int i = 0; i < SYNTH_BLOCK; i++)
    clean[i] = synth_clamp(last[i], range);
  memcpy(out, clean, sizeof(float) * (size_t)n);
}

void synth_render(synth_state *state, const synth_bus *bus, const synth_voice *voice, float *out,
                  uint32_t frames) {
  const float rate = synth_clamped_rate(voice);
  synth_range ranges[SYNTH_IN_CLASS_COUNT];
  for (int c = 0; c < SYNTH_IN_CLASS_COUNT; c++)
    ranges[c] = synth_range_of(c, rate);
  uint32_t done = 0;
  while (done < frames) {
    const uint32_t frame = state->frame;
    if (frame >= voice->total_frames) { /* the voice is over: silence */
      for (uint32_t i = done; i < frames; i++)
        out[i] = 0.0f;
      const uint32_t rest = frames - done;
      state->frame = frame > UINT32_MAX - rest ? UINT32_MAX : frame + rest;
      return;
    }
    uint32_t n = frames - done;
    if (n > SYNTH_BLOCK)
      n = SYNTH_BLOCK;
    if (n > voice->total_frames - frame)
      n = voice->total_frames - frame;
    render_block(state, bus, voice, ranges, rate, out + done, (int)n);
    state->frame = frame + n;
    done += n;
  }
}
