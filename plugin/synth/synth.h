/* Synthesis: band-limited oscillators, state-variable filters, envelopes and the small
   per-voice graph a bus compiles to. synth_render() is the only synthesis code
   path: the worker's pre-synthesis and the audio thread's live voices both call
   it, from the same initial state, so their output is bit-identical.
   Nothing here allocates, locks or prints; it is real-time safe. */
#ifndef CYCLEBUS_SYNTH_H
#define CYCLEBUS_SYNTH_H

#include <stdint.h>

#define SYNTH_MAX_NODES 32
#define SYNTH_MAX_PARAMS 32
#define SYNTH_MAX_INPUTS 5

typedef enum {
  /* Oscillators; inputs: frequency (Hz) [, pulse width 0..1 for PULSE].
     All start at phase 0: SINE and TRI at 0 rising, SAW at -1 rising, SQUARE
     and PULSE at +1. SAW, SQUARE and PULSE are band-limited with PolyBLEP,
     TRI with PolyBLAMP. PULSE has its DC offset (2 * width - 1) removed. */
  SYNTH_SAW,
  SYNTH_SQUARE,
  SYNTH_PULSE,
  SYNTH_TRI,
  SYNTH_SINE,
  SYNTH_NOISE, /* no inputs; white, uniform in [-1, 1), deterministic from
                  synth_voice.seed and the node's index */
  /* Filters with the magnitude response of the RBJ biquads (Audio EQ
     Cookbook), as a trapezoidal state-variable filter, which stays stable
     when cutoff and q change at audio rate; inputs:
     signal, cutoff (Hz), q (default 0.707 is the compiler's business: the
     input is always given). BPF has a constant 0 dB peak. When cutoff or q is
     a signal, the coefficients follow it every SYNTH_COEFF_FRAMES frames,
     counted from the voice's start. */
  SYNTH_LPF,
  SYNTH_HPF,
  SYNTH_BPF,
  SYNTH_NOTCH,
  /* Envelopes multiply their signal; the gate closes at synth_voice.gate_frames.
     ENV inputs: signal, attack s, release s. ADSR: signal, a, d, s (level), r.
     Segments are linear: attack 0 -> 1, decay 1 -> s, hold while the gate is
     open, release from the level reached at the gate (also when the gate
     closes during the attack or decay) to exactly 0 over `release` seconds.
     Time and level inputs that are signals are sampled at the voice's first
     frame. */
  SYNTH_ENV,
  SYNTH_ADSR,
  /* arithmetic on two inputs */
  SYNTH_ADD,
  SYNTH_SUB,
  SYNTH_MUL,
  SYNTH_DIV, /* division by (near) zero (|divisor| < 1e-6) gives 0 */
  SYNTH_KIND_COUNT
} synth_node_kind;

typedef enum {
  SYNTH_FROM_NODE, /* the output of an earlier node (a signal) */
  SYNTH_FROM_PARAM /* a per-voice constant: synth_voice.params[index] */
} synth_source;

typedef struct {
  uint8_t source; /* synth_source */
  uint8_t index;
} synth_input;

typedef struct {
  uint8_t kind; /* synth_node_kind */
  synth_input inputs[SYNTH_MAX_INPUTS];
} synth_node;

/* A bus graph: nodes in evaluation order (a node reads only earlier nodes);
   the last node is the output. Built by the program compiler, immutable.
   A malformed graph never crashes synth_render: an input naming a later node,
   itself or a parameter at or past param_count reads the input's default; an
   unknown kind outputs silence. */
typedef struct {
  synth_node nodes[SYNTH_MAX_NODES];
  uint8_t node_count;
  uint8_t param_count;
} synth_bus;

/* Everything one voice's sound depends on. Equal values give equal output,
   which is what makes a pre-synthesized buffer reusable. */
typedef struct {
  float sample_rate;
  uint32_t gate_frames;  /* envelopes release from here */
  uint32_t total_frames; /* the voice's length: gate plus release tail */
  uint32_t seed;         /* noise seed */
  float params[SYNTH_MAX_PARAMS];
} synth_voice;

/* How often (in frames from the voice's start) a filter whose cutoff or q is a
   signal recomputes its coefficients, and every filter flushes its memory of
   values that would decay into denormals. */
#define SYNTH_COEFF_FRAMES 16

/* Per-node running state, fixed size so voices can be preallocated. Private to
   synth: which fields a node uses depends on its kind. */
typedef struct {
  double phase;                  /* oscillators: position in the cycle, [0, 1) */
  double svf_ic1, svf_ic2;       /* filters: the two integrators' states */
  double svf_a1, svf_a2, svf_a3; /* filters: the recursion's coefficients */
  double svf_in, svf_m0, svf_m1,
      svf_m2;                /* filters: input scale; output's mix of input, band, low */
  float last_cutoff, last_q; /* filters: what the coefficients were made from */
  /* envelopes: segment lengths (frames) and levels, latched at frame 0 */
  double attack, decay, sustain, release;
  double gate_level; /* the level the release starts from */
  uint32_t noise;    /* noise: PRNG state, never 0 */
} synth_node_state;

typedef struct {
  uint32_t frame; /* frames rendered so far (saturates) */
  synth_node_state nodes[SYNTH_MAX_NODES];
} synth_state;

/* Number of inputs a node of `kind` reads (0 for an unknown kind). */
int synth_input_count(int kind);

/* Puts `state` in the fixed initial state of a voice. */
void synth_start(synth_state *state, const synth_bus *bus, const synth_voice *voice);

/* Renders the next `frames` mono samples of the voice into out (overwrites).
   Frames past voice->total_frames are 0. The output does not depend on how a
   voice's frames are split across calls. Real-time safe; its cost is bounded
   by frames * node_count. */
void synth_render(synth_state *state, const synth_bus *bus, const synth_voice *voice, float *out,
                  uint32_t frames);

/* Clamps, applied by one function to every input as it is read (parameters
   and signals alike) and to the output; documented in the README:
     sample rate   [1000, 768000] Hz          default 48000
     frequency     [0, 0.45 * rate] Hz        default 261.63 (c4)
     cutoff        [10, 0.45 * rate] Hz       default 1000
     q             [0.1, 30]                  default 0.707
     time          [0, 60] s                  default 0.01
     level (ADSR s)[0, 1]                     default 1
     pulse width   [0.01, 0.99]               default 0.5
     signal        [-1e6, 1e6]                default 0
   NaN and infinities become the default of the input; magnitudes below 1e-30
   become 0, so no NaN, infinity or denormal reaches the output. */

#endif
