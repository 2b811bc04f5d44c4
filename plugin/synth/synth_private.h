/* Private to plugin/synth: the one clamp every input goes through, the input
   classes it clamps to, and the block processors of each node family. */
#ifndef CYCLEBUS_SYNTH_PRIVATE_H
#define CYCLEBUS_SYNTH_PRIVATE_H

#include <math.h>
#include <stdbool.h>

#include "synth.h"

/* Nodes are processed one after the other over blocks of at most this many
   frames; every node's state carries over, so any split gives the same output. */
#define SYNTH_BLOCK 64

/* What an input means, which decides its clamp range and default. */
typedef enum {
  SYNTH_IN_SIGNAL,
  SYNTH_IN_FREQ,
  SYNTH_IN_CUTOFF,
  SYNTH_IN_Q,
  SYNTH_IN_TIME,
  SYNTH_IN_LEVEL,
  SYNTH_IN_WIDTH,
  SYNTH_IN_RATE,
  SYNTH_IN_OCTAVES,
  SYNTH_IN_SHAPE,
  SYNTH_IN_DRIVE,
  SYNTH_IN_TRIODE,
  SYNTH_IN_BITS,
  SYNTH_IN_HOLD,
  SYNTH_IN_VOWEL,
  SYNTH_IN_DJF,
  SYNTH_IN_DEPTH,
  SYNTH_IN_RING,
  SYNTH_IN_LFO,
  SYNTH_IN_SWEEP,
  SYNTH_IN_SQUIZ,
  SYNTH_IN_SPEED,    /* a sample's playback speed */
  SYNTH_IN_POSITION, /* a fraction of a sample, default 0 */
  SYNTH_IN_CLASS_COUNT
} synth_input_class;

typedef struct {
  float lo, hi, fallback;
} synth_range;

#define SYNTH_SIGNAL_LIMIT 1e6f
#define SYNTH_TINY 1e-30f

/* THE clamp: non-finite -> fallback, tiny -> 0, then into [lo, hi]. Written
   with selects only, so loops over a block vectorize. */
static inline float synth_clamp(float value, synth_range range) {
  float tidy = fabsf(value) < SYNTH_TINY ? 0.0f : value;
  tidy = tidy < range.lo ? range.lo : tidy;
  tidy = tidy > range.hi ? range.hi : tidy;
  return fabsf(value) <= 3.40282347e38f ? tidy : range.fallback; /* false for NaN, inf */
}

/* The range of an input class at a (clamped) sample rate. */
synth_range synth_range_of(synth_input_class input_class, float sample_rate);
/* The voice's sample rate, clamped. */
float synth_clamped_rate(const synth_voice *voice);
/* What node `node_index`'s `input` reads when it is the same for the whole
   voice (a parameter, or a malformed input's default), clamped to `range`;
   false when it is an earlier node's signal. */
bool synth_constant_input(const synth_bus *bus, const synth_voice *voice, int node_index,
                          synth_input input, synth_range range, float *value);

/* Filter memory, tidied every SYNTH_COEFF_FRAMES frames: flushes what would
   decay into denormals, and (a safety net) resets memory that ran away under
   extreme modulation; growth within one period cannot reach infinity. NaN
   compares false, so it becomes 0 too. */
static inline double synth_tidy_state(double z) {
  double magnitude = fabs(z);
  return (magnitude >= 1e-20 && magnitude < 1e12) ? z : 0.0;
}

/* A bus the fused kernel renders (synth_chain.c): first its sources, each an
   oscillator (saw, square, pulse, tri, sine, noise) with constant inputs or
   the ADD of two earlier sources; then its stages, each a filter (with or
   without an envelope), ENV, ADSR, MUL, SHAPE or DISTORT reading the node
   before it and constants only. */
#define SYNTH_CHAIN_MAX 12
typedef struct {
  int length;  /* the bus's node count */
  int sources; /* nodes [0, sources) are sources, the rest stages */
  uint8_t kinds[SYNTH_CHAIN_MAX];
  uint8_t operands[SYNTH_CHAIN_MAX][2]; /* an ADD source's two inputs */
} synth_chain;

/* What one voice brings to the kernel, resolved from its constant inputs
   exactly as the interpreter resolves them. */
typedef struct {
  double phase_step[SYNTH_CHAIN_MAX]; /* an oscillator's frequency / rate */
  double width[SYNTH_CHAIN_MAX];      /* its pulse width (0.5 for a square) */
  double gate;                        /* gate_frames */
  float gains[SYNTH_CHAIN_MAX];       /* a MUL stage's constant operand */
  double curves[SYNTH_CHAIN_MAX];     /* a SHAPE or DISTORT stage's k */
  float q[SYNTH_CHAIN_MAX];           /* a filter stage's q */
  uint32_t limit;                     /* frames of this call the voice writes */
} synth_chain_lane;

/* The initial state of the bus's nodes (node_count of them) for `voice`:
   synth_start_channel's, and the chain kernel's. */
void synth_start_nodes(synth_node_state *nodes, const synth_bus *bus, const synth_voice *voice);
/* Whether a chain stage of `kind` is a state-variable filter. */
static inline bool synth_chain_filters(int kind) {
  return (kind >= SYNTH_LPF && kind <= SYNTH_NOTCH) ||
         (kind >= SYNTH_LPF_ENV && kind <= SYNTH_BPF_ENV);
}
/* Whether `bus` is such a chain (filling *chain). */
bool synth_chain_of(const synth_bus *bus, synth_chain *chain);
/* Tests and benchmarks: runs the chain kernel's build `level` (0 baseline
   SSE2, 1 AVX2, 2 AVX-512); false when this machine cannot (the build in
   use stays). A negative level goes back to the widest, the default. */
bool synth_chain_use_build(int level);

/* One resolved input for the current block: `values` holds SYNTH_BLOCK
   clamped samples (the first n matter); `is_signal` tells whether they may
   change from frame to frame. */
typedef struct {
  const float *values;
  bool is_signal;
} synth_block_input;

/* Block processors. `frame` is the index, from the voice's start, of the
   block's first frame; n <= SYNTH_BLOCK. */
void synth_osc_block(synth_node_state *node, int kind, const synth_block_input *inputs,
                     float sample_rate, float *out, int n);
void synth_noise_seed(synth_node_state *node, uint32_t seed, int node_index);
void synth_filter_coefficients(synth_node_state *node, int kind, float cutoff, float q,
                               float sample_rate);
void synth_filter_block(synth_node_state *node, int kind, const synth_block_input *inputs,
                        const synth_voice *voice, float sample_rate, uint32_t frame, float *out,
                        int n);
/* A filter envelope (*_ENV kinds): latched from the inputs' first values at
   the voice's first frame, and the coefficients it gives at `frame`, the
   start of a coefficient period (node->env_span != 0: it moves). */
void synth_filter_env_start(synth_node_state *node, const synth_block_input *inputs,
                            const synth_voice *voice, double rate);
void synth_filter_env_move(synth_node_state *node, int kind, float q, const synth_voice *voice,
                           float sample_rate, uint32_t frame);
/* A state-variable filter of `kind` (LPF, HPF, BPF or NOTCH) made or run on
   its own, for effects built from several. */
void synth_svf_set(synth_svf *svf, int kind, double cutoff, double q, double sample_rate);
void synth_svf_run(synth_svf *svf, const float *in, float *out, int from, int to);
/* sin(2 pi phase), phase in [0, 1), from a polynomial (no C library call). */
double synth_sine_of_phase(double phase);
/* The level at frame t of an envelope whose fields were latched (attack ...
   in frames); the envelope code's one formula, which the filter envelopes
   share. */
double synth_env_level(const synth_node_state *env, double t, double gate);
void synth_env_latch(synth_node_state *env, double attack, double decay, double sustain,
                     double release, double gate);
/* SHAPE's and DISTORT's curve, and its k for an amount. */
static inline double synth_shaper_curve(double x, double k) {
  return (1.0 + k) * x / (1.0 + k * fabs(x));
}
static inline double synth_shaper_k(int kind, float amount) {
  return kind == SYNTH_SHAPE ? 2.0 * amount / (1.0 - amount) : expm1((double)amount);
}
/* The effects (SHAPE ... PHASER); `frame` as for filters. */
void synth_squiz_block(synth_node_state *node, const synth_block_input *inputs, float *memory,
                       uint32_t frame, float *out, int n);
void synth_fx_block(synth_node_state *node, int kind, const synth_block_input *inputs,
                    float sample_rate, uint32_t frame, float *out, int n);
/* Latches an ENV or ADSR node's times and level from its inputs' values at
   the voice's first frame (inputs[j].values[0]). */
void synth_env_start(synth_node_state *env, int kind, const synth_block_input *inputs,
                     const synth_voice *voice, double rate);
void synth_env_block(synth_node_state *node, int kind, const synth_block_input *inputs,
                     const synth_voice *voice, float sample_rate, uint32_t frame, float *out,
                     int n);

void synth_sample_block(synth_node_state *node, const synth_block_input *inputs,
                        const synth_voice *voice, uint32_t channel, float sample_rate,
                        uint32_t frame, float *out, int n);

#endif
