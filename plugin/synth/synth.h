/* Synthesis: band-limited oscillators, state-variable filters, envelopes and the small
   per-voice graph a bus compiles to. synth_render() is the only synthesis code
   path: the worker's pre-synthesis and the audio thread's live voices both call
   it, from the same initial state, so their output is bit-identical.
   Nothing here allocates, locks or prints; it is real-time safe. */
#ifndef CYCLEBUS_SYNTH_H
#define CYCLEBUS_SYNTH_H

#include <stdint.h>

#include "../samples/sample_data.h"

#define SYNTH_MAX_NODES 32
#define SYNTH_MAX_PARAMS 64
#define SYNTH_MAX_INPUTS 8

typedef enum {
  /* Oscillators; inputs: frequency (Hz) [, pulse width 0..1 for PULSE].
     All start at phase 0: SINE and TRI at 0 rising, SAW at -1 rising, SQUARE
     and PULSE at +1. SAW, SQUARE and PULSE are band-limited with a 16-sample
     windowed-sinc BLEP, TRI with its BLAMP: harmonics flat to 0.1 dB up to
     0.36 of the rate, aliases below 15 kHz (at 44.1 kHz) under -90 dB.
     PULSE has its DC offset (2 * width - 1) removed. */
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
  /* Filters with an envelope on their cutoff (Strudel's lpenv, lpattack ...);
     inputs: signal, cutoff, q, depth (octaves, may be negative), attack s,
     decay s, sustain (0..1), release s. With depth d the cutoff moves between
     lo = cutoff and hi = cutoff * 2^|d| (swapped for d < 0): from lo to hi in
     the attack, to lo + sustain * (hi - lo) in the decay, held while the gate
     is open, back to lo in the release; every segment is a straight line in
     log frequency (Web Audio's exponential ramps, as in Strudel). Depth 0 is
     exactly the plain filter. Envelope inputs are sampled at the first frame. */
  SYNTH_LPF_ENV,
  SYNTH_HPF_ENV,
  SYNTH_BPF_ENV,
  /* Per-voice effects, SuperDirt's and Strudel's; input 0 is the signal. At
     their neutral value (in brackets) each passes the signal through exactly.
     SHAPE amount [0]: (1 + k) x / (1 + k |x|), k = 2 a / (1 - a).
     DISTORT amount [0]: the same curve with k = e^a - 1 (Strudel's distort).
     TRIODE amount [0]: the negative half goes through tanh(x s) / s, s = 10 a
       + 0.001, then a DC blocker (SuperDirt's triode).
     CRUSH bits [0 = off]: rounds to steps of 2^(1 - bits).
     COARSE factor [<= 1 = off]: sample and hold, a new sample every `factor`
       frames counted from the voice's start (fractions accumulate).
     VOWEL index [0 = off; 1..5 = a e i o u]: five parallel formant band-passes,
       latched at the first frame.
     DJF value [0.5]: below 0.5 a low-pass from 20 Hz (at 0) to 10 kHz, above it
       a high-pass from 20 Hz to 10 kHz (at 1); both q 1, exponential in value.
     RING depth [0], freq, sweep: x (1 + depth sin(2 pi f t)) / (1 + depth),
       f sliding exponentially from freq to freq + sweep over the first second
       (linearly when either end is 0) and holding there (SuperDirt's ring,
       ringf, ringdf).
     TREMOLO depth [0], rate Hz: x (1 - d / 2 + d / 2 cos(2 pi rate t)).
     PHASER depth [0], rate Hz: two notches (1000 and 1200 Hz) in parallel,
       swept +-20 semitones by a sine at `rate`, q = 2 - 1.9 depth (Strudel's). */
  SYNTH_SHAPE,
  SYNTH_DISTORT,
  SYNTH_TRIODE,
  SYNTH_CRUSH,
  SYNTH_COARSE,
  SYNTH_VOWEL,
  SYNTH_DJF,
  SYNTH_RING,
  SYNTH_TREMOLO,
  SYNTH_PHASER,
  /* Plays synth_voice.sample (silence without one), one channel of it: the
     one synth_start_channel chose. Inputs: speed (1 plays as recorded,
     negative backwards from the end), accelerate (added to the speed each
     second), begin and end (fractions of the file; the segment played),
     loop (> 0: the segment wraps; else the node falls silent past its
     edge). begin, end and loop are sampled at the voice's first frame.
     Reads between frames with 4-point cubic (Catmull-Rom) interpolation,
     so integer positions give the file's values exactly; fades in over
     SuperDirt's fade time (1 ms, at most 0.19 of the voice) when begin > 0,
     and out over the voice's last such time. */
  SYNTH_SAMPLE,
  /* SQUIZ ratio [<= 1 = off] (SuperDirt's squiz, our own take on it): each
     cycle of the input between upward zero crossings is played back `ratio`
     times faster and repeated until the next cycle is complete, a mix of
     pitch shifter and ring modulator. Cycles longer than a third of
     SYNTH_SQUIZ_FRAMES pass through; only a voice's first SQUIZ node has the
     memory for it (others pass their signal through). */
  SYNTH_SQUIZ,
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
  /* What SYNTH_SAMPLE plays; NULL: none. Owned by the sample library and
     pinned by the program whose trigger made the voice: valid until that
     program is freed (run.c frees a retired program only once no live voice
     started before it still sounds). */
  const sample_data *sample;
  uint64_t sample_id; /* sample->id (0: none): keys stay unique if memory is reused */
} synth_voice;

/* Channels a voice renders: 2 for a stereo sample, else 1. */
static inline uint32_t synth_channels(const synth_voice *voice) {
  return voice->sample && voice->sample->channels >= 2 ? 2u : 1u;
}

/* How often (in frames from the voice's start) a filter whose cutoff or q is a
   signal recomputes its coefficients, and every filter flushes its memory of
   values that would decay into denormals. */
#define SYNTH_COEFF_FRAMES 16

/* A trapezoidal state-variable filter: its memory and coefficients. */
typedef struct {
  double ic1, ic2;       /* the two integrators' states */
  double a1, a2, a3;     /* the recursion's coefficients */
  double in, m0, m1, m2; /* input scale; output's mix of input, band, low */
} synth_svf;

/* Per-node running state, fixed size so voices can be preallocated. Private to
   synth: which fields a node uses depends on its kind. */
typedef struct {
  double phase; /* oscillators and effects' LFOs: position in the cycle, [0, 1) */
  union {
    struct { /* filters, envelopes, djf; triode's DC blocker (svf.ic1, svf.ic2) */
      synth_svf svf;
      float last_cutoff, last_q; /* filters: what the coefficients were made from */
      /* envelopes: segment lengths (frames) and levels, latched at frame 0 */
      double attack, decay, sustain, release;
      double inv_attack, inv_decay, inv_release; /* 1 / length, or 0 for a zero length */
      double gate_level;                         /* the level the release starts from */
      double env_lo,
          env_span; /* filter envelopes: log2 of the resting cutoff, octaves to the peak */
    };
    synth_svf pair[2]; /* phaser: its two notches */
    struct {           /* vowel: five formant band-passes, in float to stay small */
      float formant_state[5][2];
      float formant_coeff[5][3];
      float formant_gain[5]; /* 0 for every formant: the vowel is off */
    };
    struct { /* sample: the segment (frames), latched at frame 0; `phase` is the position */
      double segment_begin, segment_end;
      uint32_t fade_frames;
      uint8_t looping, silent;
    };
    float held; /* coarse: the sample being held */
    struct {    /* squiz: the cycle being replayed, in frames from the voice's start */
      uint32_t squiz_start, squiz_length, squiz_next_start, squiz_next_length;
      uint32_t squiz_crossing; /* the last upward zero crossing (0: none yet) */
      float squiz_previous;    /* the last input sample */
      double squiz_position;   /* where in the cycle playback is */
    };
    uint32_t noise; /* noise: PRNG state, never 0 */
  };
} synth_node_state;

/* The input history a SQUIZ node replays from (a power of two). */
#define SYNTH_SQUIZ_FRAMES 1024

typedef struct {
  uint32_t frame;   /* frames rendered so far (saturates) */
  uint32_t channel; /* the sample channel SYNTH_SAMPLE reads */
  int squiz_node;   /* the node that owns squiz_memory, or -1 */
  synth_node_state nodes[SYNTH_MAX_NODES];
  float squiz_memory[SYNTH_SQUIZ_FRAMES];
} synth_state;

/* Number of inputs a node of `kind` reads (0 for an unknown kind). */
int synth_input_count(int kind);

/* Puts `state` in the fixed initial state of a voice. */
void synth_start(synth_state *state, const synth_bus *bus, const synth_voice *voice);
/* The same, for channel `channel` (< synth_channels) of a stereo sample: a
   stereo voice is the graph run once per channel. */
void synth_start_channel(synth_state *state, const synth_bus *bus, const synth_voice *voice,
                         uint32_t channel);

/* Renders the next `frames` mono samples of the voice into out (overwrites).
   Frames past voice->total_frames are 0. The output does not depend on how a
   voice's frames are split across calls. Real-time safe; its cost is bounded
   by frames * node_count. */
void synth_render(synth_state *state, const synth_bus *bus, const synth_voice *voice, float *out,
                  uint32_t frames);

/* Renders `count` voices of one bus whole, each from its start, as
   synth_start_channel and synth_render would, channel after channel into
   outs[i] (synth_channels(voices[i]) * total_frames samples): the same bits.
   Voices of a bus the fused kernel takes are rendered several at a time, one
   per SIMD lane. Real-time safe (its cost is bounded by the frames). */
void synth_render_voices(const synth_bus *bus, const synth_voice *const *voices, float *const *outs,
                         uint32_t count);

/* Clamps, applied by one function to every input as it is read (parameters
   and signals alike) and to the output; documented in the README:
     sample rate   [1000, 768000] Hz          default 48000
     frequency     [0, 0.45 * rate] Hz        default 261.63 (c4)
     cutoff        [10, 0.45 * rate] Hz       default 1000
     q             [0.1, 30]                  default 0.707
     time          [0, 60] s                  default 0.01
     level (ADSR s)[0, 1]                     default 1
     pulse width   [0.01, 0.99]               default 0.5
     speed         [-1000, 1000]              default 1
     position      [0, 1]                     default 0 (a sample's begin)
     signal        [-1e6, 1e6]                default 0
     env depth     [-10, 10] octaves          default 0
     shape         [0, 0.999]                 default 0
     distort       [0, 20]                    default 0
     triode        [0, 100]                   default 0
     crush         [0, 24] bits               default 0 (off)
     coarse        [0, 4096] frames           default 0 (off)
     vowel         [0, 5]                     default 0 (off)
     djf           [0, 1]                     default 0.5 (off)
     depth         [0, 1] (tremolo, phaser)   default 0
     ring          [0, 100]                   default 0
     lfo rate      [0, 0.45 * rate] Hz        default 1 (also ringf)
     squiz         [0, 16]                    default 0 (off)
     sweep         [-0.45, 0.45] * rate Hz    default 0 (ringdf)
   NaN and infinities become the default of the input; magnitudes below 1e-30
   become 0, so no NaN, infinity or denormal reaches the output. */

#endif
