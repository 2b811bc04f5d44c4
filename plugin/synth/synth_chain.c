/* The fused chain: the common bus shape (oscillators into filters, an
   envelope and gains) rendered by one loop instead of the node interpreter,
   several voices at once in SIMD lanes, for the worker's pre-synthesis. The
   bits are the interpreter's (synth_chain_kernel.h), so a voice the audio
   thread renders live with synth_render sounds exactly like its buffer. */
#include "synth_blep.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

/* The kernels' helpers take and return wide vectors, and GCC warns that
   passing them between functions built for different instruction sets would
   differ; they are always inlined, so no such call is ever made. */
#pragma GCC diagnostic ignored "-Wpsabi"

/* A float's bits (folded to a constant for a constant argument). */
static inline uint32_t chain_float_bits(float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof bits);
  return bits;
}

/* The kernel's builds: four lanes of doubles (one AVX register, two SSE
   ones) and, with AVX-512, eight. Each call renders two groups of lanes,
   whose recursions run interleaved. */
#define CHAIN_LANES 4
#define CHAIN_NAME chain_kernel_sse2
#define CHAIN_TARGET
#include "synth_chain_kernel.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define CHAIN_HAS_X86_BUILDS 1
#define CHAIN_LANES 4
#define CHAIN_NAME chain_kernel_avx2
#define CHAIN_TARGET __attribute__((target("avx2")))
#define CHAIN_WIDEN(value) _mm256_cvtps_pd((__m128)(value))
#define CHAIN_MAX_U(a, b) _mm_max_epu32((__m128i)(a), (__m128i)(b))
#include "synth_chain_kernel.h"

#define CHAIN_LANES 8
#define CHAIN_NAME chain_kernel_avx512
#define CHAIN_TARGET __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw")))
#define CHAIN_WIDEN(value) _mm512_cvtps_pd((__m256)(value))
#define CHAIN_MAX_U(a, b) _mm256_max_epu32((__m256i)(a), (__m256i)(b))
#include "synth_chain_kernel.h"
#endif

/* The most voices a call renders (two groups of eight lanes). */
#define CHAIN_VOICES 16

typedef void chain_kernel(const synth_chain *chain, synth_node_state *const *nodes, uint32_t start,
                          const synth_chain_lane *lanes, float *const *outs, uint32_t frames,
                          int used);

typedef struct {
  chain_kernel *render;
  int voices; /* a call's voices: two groups of its lanes */
} chain_build;

/* Baseline, AVX2, AVX-512: synth_chain_use_build's levels. They do the same
   arithmetic (no FMA: contraction is off), so the choice changes speed only. */
static const chain_build builds[] = {
    {chain_kernel_sse2, 8},
#ifdef CHAIN_HAS_X86_BUILDS
    {chain_kernel_avx2, 8},
    {chain_kernel_avx512, 16},
#endif
};
#define BUILD_COUNT (int)(sizeof builds / sizeof builds[0])

static bool machine_runs(int level) {
#ifdef CHAIN_HAS_X86_BUILDS
  __builtin_cpu_init();
  if (level == 1)
    return __builtin_cpu_supports("avx2");
  if (level == 2)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
#endif
  return level == 0;
}

/* The build in use: the widest this machine runs, chosen when the library
   loads (a constructor: before any thread runs). */
static const chain_build *build = &builds[0];

__attribute__((constructor)) static void choose_build(void) {
  for (int level = BUILD_COUNT - 1; level > 0; level--)
    if (machine_runs(level)) {
      build = &builds[level];
      return;
    }
}

bool synth_chain_use_build(int level) {
  if (level < 0) {
    choose_build();
    return true;
  }
  if (level >= BUILD_COUNT || !machine_runs(level))
    return false;
  build = &builds[level];
  return true;
}

static bool is_oscillator(int kind) { return kind >= SYNTH_SAW && kind <= SYNTH_NOISE; }

static bool has_envelope(int kind) { return kind >= SYNTH_LPF_ENV && kind <= SYNTH_BPF_ENV; }

/* An input that is the same for the whole voice (see synth_constant_input). */
static bool is_constant(synth_input input, int node_index) {
  return !(input.source == SYNTH_FROM_NODE && input.index < node_index);
}

static bool reads_previous(synth_input input, int node_index) {
  return input.source == SYNTH_FROM_NODE && input.index == node_index - 1;
}

/* Whether node k can be a source: an oscillator with constant inputs, or the
   ADD of two earlier sources. */
static bool is_source(const synth_bus *bus, int k) {
  const synth_node *node = &bus->nodes[k];
  if (node->kind == SYNTH_ADD)
    return node->inputs[0].source == SYNTH_FROM_NODE && node->inputs[0].index < k &&
           node->inputs[1].source == SYNTH_FROM_NODE && node->inputs[1].index < k;
  if (!is_oscillator(node->kind))
    return false;
  for (int j = 0; j < synth_input_count(node->kind); j++)
    if (!is_constant(node->inputs[j], k))
      return false;
  return true;
}

/* Whether node k can be a stage: it reads node k - 1 and constants only. */
static bool is_stage(const synth_bus *bus, int k) {
  const synth_node *node = &bus->nodes[k];
  const bool kind_fits = synth_chain_filters(node->kind) || node->kind == SYNTH_ENV ||
                         node->kind == SYNTH_ADSR || node->kind == SYNTH_MUL ||
                         node->kind == SYNTH_SHAPE || node->kind == SYNTH_DISTORT;
  if (!kind_fits)
    return false;
  /* MUL's operands commute (one float product); the others read the signal
     at input 0 */
  const bool signal_first = reads_previous(node->inputs[0], k) && is_constant(node->inputs[1], k);
  const bool signal_second = node->kind == SYNTH_MUL && reads_previous(node->inputs[1], k) &&
                             is_constant(node->inputs[0], k);
  if (!signal_first && !signal_second)
    return false;
  for (int j = 2; j < synth_input_count(node->kind); j++)
    if (!is_constant(node->inputs[j], k))
      return false;
  return true;
}

bool synth_chain_of(const synth_bus *bus, synth_chain *chain) {
  const int count = bus->node_count;
  if (count < 1 || count > SYNTH_CHAIN_MAX || !is_oscillator(bus->nodes[0].kind))
    return false;
  int k = 0;
  for (; k < count && is_source(bus, k); k++) {
    chain->kinds[k] = bus->nodes[k].kind;
    chain->operands[k][0] = bus->nodes[k].inputs[0].index;
    chain->operands[k][1] = bus->nodes[k].inputs[1].index;
  }
  chain->sources = k;
  for (; k < count; k++) {
    if (!is_stage(bus, k))
      return false;
    chain->kinds[k] = bus->nodes[k].kind;
  }
  chain->length = count;
  return true;
}

/* A constant input of node k, clamped as the interpreter clamps it. */
static float constant_of(const synth_bus *bus, const synth_voice *voice, int k, int j,
                         synth_input_class input_class, float rate) {
  float value = 0.0f;
  synth_constant_input(bus, voice, k, bus->nodes[k].inputs[j], synth_range_of(input_class, rate),
                       &value);
  return value;
}

/* Latches the envelope of stage k (ENV, ADSR or a filter's) at the voice's
   first frame, from its inputs' constants, as the node would. */
static void start_stage(const synth_bus *bus, const synth_voice *voice, int k, float rate,
                        synth_node_state *node) {
  static const synth_input_class env[] = {SYNTH_IN_SIGNAL, SYNTH_IN_TIME, SYNTH_IN_TIME};
  static const synth_input_class adsr[] = {SYNTH_IN_SIGNAL, SYNTH_IN_TIME, SYNTH_IN_TIME,
                                           SYNTH_IN_LEVEL, SYNTH_IN_TIME};
  static const synth_input_class filter[] = {SYNTH_IN_SIGNAL,  SYNTH_IN_CUTOFF, SYNTH_IN_Q,
                                             SYNTH_IN_OCTAVES, SYNTH_IN_TIME,   SYNTH_IN_TIME,
                                             SYNTH_IN_LEVEL,   SYNTH_IN_TIME};
  const int kind = bus->nodes[k].kind;
  const synth_input_class *classes = kind == SYNTH_ENV ? env : kind == SYNTH_ADSR ? adsr : filter;
  float first[SYNTH_MAX_INPUTS] = {0};
  synth_block_input inputs[SYNTH_MAX_INPUTS];
  for (int j = 0; j < synth_input_count(kind); j++) {
    if (j > 0)
      first[j] = constant_of(bus, voice, k, j, classes[j], rate);
    inputs[j] = (synth_block_input){&first[j], false};
  }
  if (has_envelope(kind))
    synth_filter_env_start(node, inputs, voice, rate);
  else
    synth_env_start(node, kind, inputs, voice, rate);
}

/* Resolves a voice's constants and latches its envelopes, as the nodes do
   at the voice's first frame. */
static void prepare_lane(const synth_chain *chain, const synth_bus *bus, const synth_voice *voice,
                         synth_node_state *nodes, synth_chain_lane *lane) {
  const float rate = synth_clamped_rate(voice);
  const double inv_rate = 1.0 / (double)rate;
  memset(lane, 0, sizeof *lane);
  for (int k = 0; k < chain->sources; k++) {
    const float freq = constant_of(bus, voice, k, 0, SYNTH_IN_FREQ, rate);
    lane->phase_step[k] = freq * inv_rate;
    lane->width[k] = chain->kinds[k] == SYNTH_PULSE
                         ? (double)constant_of(bus, voice, k, 1, SYNTH_IN_WIDTH, rate)
                         : 0.5;
  }
  lane->gate = (double)voice->gate_frames;
  for (int k = chain->sources; k < chain->length; k++) {
    const int kind = chain->kinds[k];
    if (kind == SYNTH_SHAPE || kind == SYNTH_DISTORT) {
      const synth_input_class amount_class = kind == SYNTH_SHAPE ? SYNTH_IN_SHAPE : SYNTH_IN_DRIVE;
      lane->curves[k] = synth_shaper_k(kind, constant_of(bus, voice, k, 1, amount_class, rate));
    } else if (kind == SYNTH_MUL) {
      const int operand = reads_previous(bus->nodes[k].inputs[0], k) ? 1 : 0;
      lane->gains[k] = constant_of(bus, voice, k, operand, SYNTH_IN_SIGNAL, rate);
    } else if (synth_chain_filters(kind)) {
      lane->q[k] = constant_of(bus, voice, k, 2, SYNTH_IN_Q, rate);
      if (has_envelope(kind))
        start_stage(bus, voice, k, rate, &nodes[k]);
    } else if (kind == SYNTH_ENV || kind == SYNTH_ADSR) {
      start_stage(bus, voice, k, rate, &nodes[k]);
    }
  }
}

/* Whether stage k of a voice is a filter whose envelope moves its cutoff. */
static bool envelope_moves(const synth_chain *chain, const synth_node_state *nodes, int k) {
  return has_envelope(chain->kinds[k]) && nodes[k].env_span != 0.0;
}

/* Whether a filter envelope holds the same level at period `frame` as at
   the period before: both in its sustain, or both past its release. */
static bool envelope_still(const synth_node_state *env, uint32_t frame, uint32_t gate_frames) {
  const double t = (double)frame, before = t - SYNTH_COEFF_FRAMES, gate = (double)gate_frames;
  const bool sustaining = before >= env->attack && before - env->attack >= env->decay && t < gate;
  const bool released = before >= gate && before - gate >= env->release;
  return sustaining || released;
}

/* Frames [from, to) of the voices in the kernel. */
static void render_span(chain_kernel *kernel, const synth_chain *chain,
                        synth_node_state *const *nodes, const synth_chain_lane *lanes,
                        float *const *outs, uint32_t from, uint32_t to, int used) {
  if (to <= from)
    return;
  synth_chain_lane span_lanes[CHAIN_VOICES];
  float *span_outs[CHAIN_VOICES];
  for (int l = 0; l < used; l++) {
    span_lanes[l] = lanes[l];
    span_lanes[l].limit = lanes[l].limit > from ? lanes[l].limit - from : 0;
    span_outs[l] = outs[l] + from;
  }
  kernel(chain, nodes, from, span_lanes, span_outs, to - from, used);
}

/* The kernel for a call of `used` voices. Where they fill at most half of
   one AVX-512 group, the AVX2 build's one group of four lanes renders them
   (every AVX-512 machine runs AVX2): the same work per frame on registers
   of half the width (four notes: 5.8 -> 3.9 ns a note's sample, measured
   on an AVX-512 Xeon). */
static chain_kernel *kernel_for(int used) {
#ifdef CHAIN_HAS_X86_BUILDS
  if (build == &builds[2] && used <= 4)
    return builds[1].render;
#endif
  return build->render;
}

/* Renders up to build->voices voices of a chain in the kernel, from their
   first frame to the end of the longest. */
static void render_lanes(const synth_chain *chain, const synth_bus *bus,
                         const synth_voice *const *voices, float *const *outs, int used) {
  chain_kernel *kernel = kernel_for(used);
  synth_node_state states[CHAIN_VOICES][SYNTH_CHAIN_MAX];
  synth_node_state *nodes[CHAIN_VOICES];
  synth_chain_lane lanes[CHAIN_VOICES];
  uint32_t longest = 0;
  for (int l = 0; l < used; l++) {
    nodes[l] = states[l];
    synth_start_nodes(states[l], bus, voices[l]);
    prepare_lane(chain, bus, voices[l], states[l], &lanes[l]);
    lanes[l].limit = voices[l]->total_frames;
    if (lanes[l].limit > longest)
      longest = lanes[l].limit;
  }
  /* Filter envelopes move at each coefficient period's start, as in the
     filter node; the periods where none can have moved join one call. */
  bool moving = false;
  for (int l = 0; l < used; l++)
    for (int k = 1; k < chain->length; k++)
      moving = moving || envelope_moves(chain, states[l], k);
  uint32_t span = 0; /* the first frame not rendered */
  for (uint32_t frame = 0; moving && frame < longest; frame += SYNTH_COEFF_FRAMES) {
    bool still = frame > 0;
    for (int l = 0; l < used; l++)
      for (int k = 1; k < chain->length; k++)
        if (envelope_moves(chain, states[l], k))
          still = still && envelope_still(&states[l][k], frame, voices[l]->gate_frames);
    if (still)
      continue;
    render_span(kernel, chain, nodes, lanes, outs, span, frame, used);
    for (int l = 0; l < used; l++)
      for (int k = 1; k < chain->length; k++)
        if (envelope_moves(chain, states[l], k))
          synth_filter_env_move(&states[l][k], chain->kinds[k], lanes[l].q[k], voices[l],
                                synth_clamped_rate(voices[l]), frame);
    span = frame;
  }
  render_span(kernel, chain, nodes, lanes, outs, span, longest, used);
  /* a chain has no sample node, so a stereo sample's second channel is the first */
  for (int l = 0; l < used; l++)
    if (synth_channels(voices[l]) == 2)
      memcpy(outs[l] + voices[l]->total_frames, outs[l], sizeof(float) * voices[l]->total_frames);
}

void synth_render_voices(const synth_bus *bus, const synth_voice *const *voices, float *const *outs,
                         uint32_t count) {
  synth_chain chain;
  if (synth_chain_of(bus, &chain)) {
    const uint32_t per_call = (uint32_t)build->voices;
    for (uint32_t first = 0; first < count; first += per_call) {
      const uint32_t rest = count - first;
      render_lanes(&chain, bus, voices + first, outs + first,
                   (int)(rest < per_call ? rest : per_call));
    }
    return;
  }
  synth_state state;
  for (uint32_t i = 0; i < count; i++)
    for (uint32_t channel = 0; channel < synth_channels(voices[i]); channel++) {
      synth_start_channel(&state, bus, voices[i], channel);
      synth_render(&state, bus, voices[i], outs[i] + (size_t)channel * voices[i]->total_frames,
                   voices[i]->total_frames);
    }
}
