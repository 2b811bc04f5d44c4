/* The fused chain kernel: oscillators (and their sums), then filters,
   envelopes, gains and shapers, each reading the one before, run in one pass
   over the voices, one voice per vector lane. Each lane computes exactly what the node
   interpreter (synth.c and the node files) computes for its voice, operation
   for operation and in the same order, so the output is bit-identical: every
   branch of the scalar code is a select here, and the rare frames near an
   oscillator's discontinuity take the scalar BLEP code lane by lane.

   Included by synth_chain.c once per instantiation, with CHAIN_LANES (the
   lane count), CHAIN_NAME (the kernel's name; its helpers are prefixed with
   it) and CHAIN_TARGET (an instruction-set attribute, or nothing) defined,
   and optionally CHAIN_WIDEN (an intrinsic widening a vf to a vd) and
   CHAIN_MAX_U (one taking the lanes' unsigned maximum of two vu). */

#define CHAIN_PASTE2(a, b) a##_##b
#define CHAIN_PASTE(a, b) CHAIN_PASTE2(a, b)
#define CH(name) CHAIN_PASTE(CHAIN_NAME, name)
#define CHAIN_INLINE static inline __attribute__((always_inline)) CHAIN_TARGET

/* Lane vectors: doubles and floats, and the masks comparisons give. */
typedef double CH(vd) __attribute__((vector_size(8 * CHAIN_LANES)));
typedef float CH(vf) __attribute__((vector_size(4 * CHAIN_LANES)));
typedef int64_t CH(md) __attribute__((vector_size(8 * CHAIN_LANES)));
typedef int32_t CH(mf) __attribute__((vector_size(4 * CHAIN_LANES)));
typedef uint32_t CH(vu) __attribute__((vector_size(4 * CHAIN_LANES)));
#define vd CH(vd)
#define vf CH(vf)
#define md CH(md)
#define mf CH(mf)
#define vu CH(vu)

CHAIN_INLINE vd CH(select_d)(md mask, vd yes, vd no) {
  return (vd)(((md)yes & mask) | ((md)no & ~mask));
}

CHAIN_INLINE vf CH(select_f)(mf mask, vf yes, vf no) {
  return (vf)(((mf)yes & mask) | ((mf)no & ~mask));
}

CHAIN_INLINE vd CH(abs_d)(vd x) { return (vd)((md)x & INT64_MAX); }

CHAIN_INLINE bool CH(any)(md mask) {
  int64_t bits = 0;
  for (int l = 0; l < CHAIN_LANES; l++)
    bits |= mask[l];
  return bits != 0;
}

CHAIN_INLINE bool CH(any_f)(mf mask) {
  int32_t bits = 0;
  for (int l = 0; l < CHAIN_LANES; l++)
    bits |= mask[l];
  return bits != 0;
}

/* synth_clamp to the signal range, lane by lane. */
CHAIN_INLINE vf CH(clamp)(vf value) {
  const vf zero = {0}, magnitude = (vf)((mf)value & INT32_MAX);
  vf tidy = CH(select_f)(magnitude < SYNTH_TINY, zero, value);
  tidy = CH(select_f)(tidy < -SYNTH_SIGNAL_LIMIT, zero - SYNTH_SIGNAL_LIMIT, tidy);
  tidy = CH(select_f)(tidy > SYNTH_SIGNAL_LIMIT, zero + SYNTH_SIGNAL_LIMIT, tidy);
  return CH(select_f)(magnitude <= 3.40282347e38f, tidy, zero);
}

/* Notes a frame: the larger, lane by lane, of `seen` and the frame's
   offset, how far its magnitude's bits lie above SYNTH_TINY's (unsigned).
   An offset lies beyond CHAIN_USUAL exactly where synth_clamp would change
   the value: a magnitude below SYNTH_TINY wraps to a huge number, and the
   bits order as the magnitudes do (NaN above infinity, above the limit).
   Each stage keeps the largest over the frames it writes, and the stage
   that reads them clamps the block only if some lane's lies beyond
   (rarely). A maximum is one instruction; or-ing comparisons took four. */
#define CHAIN_USUAL (chain_float_bits(SYNTH_SIGNAL_LIMIT) - chain_float_bits(SYNTH_TINY))
CHAIN_INLINE vu CH(note)(vu seen, vf value) {
  const vu offset = ((vu)value & INT32_MAX) - chain_float_bits(SYNTH_TINY);
#ifdef CHAIN_MAX_U
  return (vu)CHAIN_MAX_U(seen, offset);
#else
  const mf beyond = (mf)(offset > seen);
  return (vu)(((mf)offset & beyond) | ((mf)seen & ~beyond));
#endif
}

/* Clamps frames [0, frames) of wave in place if `seen` (CH(note) of every
   frame) has a lane beyond CHAIN_USUAL. */
CHAIN_INLINE void CH(tidy_block)(vf *wave, int frames, vu seen) {
  if (!CH(any_f)((mf)(seen > CHAIN_USUAL)))
    return;
  for (int i = 0; i < frames; i++)
    wave[i] = CH(clamp)(wave[i]);
}

/* Floats to doubles (exact): CHAIN_WIDEN where the build defines one, as
   GCC 12 splits __builtin_convertvector's widening into halves. */
CHAIN_INLINE vd CH(widen)(vf value) {
#ifdef CHAIN_WIDEN
  return (vd)CHAIN_WIDEN(value);
#else
  return __builtin_convertvector(value, vd);
#endif
}
CHAIN_INLINE vf CH(narrow)(vd value) { return __builtin_convertvector(value, vf); }

/* Lanes certainly not near `corner` in any of the next `frames` frames (the
   phase rising from `phase` by `phase_step` a frame without wrapping), with a
   margin far beyond the rounding of the phase's sum: there blep_near_corner
   is false at every frame, and the lane needs no test frame by frame. */
CHAIN_INLINE md CH(far_from)(vd phase, vd corner, vd phase_step, int frames) {
  const double margin = 1e-9;
  const vd reach = BLEP_HALF * phase_step;
  const vd lo = phase - margin, hi = phase + (double)frames * phase_step + margin;
  return (reach < 0.5) & (hi < 1.0) & ((hi <= corner - reach) | (lo >= corner + reach)) &
         (hi <= corner + 1.0 - reach) & (lo >= corner - 1.0 + reach);
}

CHAIN_INLINE vd CH(advance)(vd phase, vd phase_step) {
  phase += phase_step;
  return CH(select_d)(phase >= 1.0, phase - 1.0, phase);
}

/* synth_sine_poly, lane by lane. */
CHAIN_INLINE vd CH(sine)(vd phase) {
  vd q = phase - 0.5;
  q = CH(select_d)(q > 0.25, 0.5 - q, CH(select_d)(q < -0.25, -0.5 - q, q));
  const vd x = 6.283185307179586 * q, x2 = x * x;
  return SYNTH_SINE_TAYLOR(x, x2);
}

/* synth_env_level, lane by lane: every segment's formula, then the one the
   scalar code's branches would take. */
CHAIN_INLINE vd CH(env_level)(const vd *env, vd t) {
  const vd attack = env[0], decay = env[1], sustain = env[2], release = env[3];
  const vd inv_attack = env[4], inv_decay = env[5], inv_release = env[6];
  const vd gate_level = env[7], gate = env[8];
  const vd into_decay = t - attack;
  const vd decaying = 1.0 - (1.0 - sustain) * into_decay * inv_decay;
  const vd open =
      CH(select_d)(t < attack, t * inv_attack, CH(select_d)(into_decay < decay, decaying, sustain));
  const vd into_release = t - gate;
  const vd releasing = CH(select_d)(into_release < release,
                                    gate_level * (1.0 - into_release * inv_release), (vd){0});
  return CH(select_d)(t < gate, open, releasing);
}

/* Frame i of wave times `level`, noted in *seen (CH(note)). */
CHAIN_INLINE void CH(scale_frame)(vf *wave, int i, vd level, vu *seen) {
  wave[i] = CH(narrow)(CH(widen)(wave[i]) * level);
  *seen = CH(note)(*seen, wave[i]);
}

/* A level every lane holds over the frames (sustaining, or done
   releasing). Where each lane's is a float, as a hold's 1, an ADSR's sustain
   and a done release's 0 always are, the frames take the float product: the
   same number, as two floats' product is exact in double and rounding it to
   float is what a float multiply does. Times 1 the frames are left as they
   are, and so is *seen: if the input was clamped, its notes still say so,
   and the reader clamps the block again, which changes nothing. */
CHAIN_INLINE void CH(hold)(vd level, vf *wave, int frames, vu *seen) {
  const vf level_f = CH(narrow)(level);
  vu out = {0};
  if (CH(any)((md)(CH(widen)(level_f) != level))) { /* some lane's is not a float */
    for (int i = 0; i < frames; i++)
      CH(scale_frame)(wave, i, level, &out);
  } else if (CH(any_f)((mf)(level_f != 1.0f))) {
    for (int i = 0; i < frames; i++) {
      wave[i] = wave[i] * level_f;
      out = CH(note)(out, wave[i]);
    }
  } else {
    return;
  }
  *seen = out;
}

/* An envelope stage over `frames` frames from frame `at`. Where every lane
   is in one segment for all of them, only that segment's formula in
   env_level is computed: a level held (CH(hold)), the release's ramp or the
   attack's. */
CHAIN_INLINE void CH(envelope)(const vd *env, uint32_t at, vf *wave, int frames, vu *seen) {
  CH(tidy_block)(wave, frames, *seen);
  vu out = {0};
  const vd first = (vd){0} + (double)at, last = first + (double)(frames - 1);
  const vd attack = env[0], decay = env[1], sustain = env[2], release = env[3];
  const vd inv_attack = env[4], inv_release = env[6], gate_level = env[7], gate = env[8];
  const md sustaining = (first >= attack) & (first - attack >= decay) & (last < gate);
  const md done = (first >= gate) & (first - gate >= release);
  const md releasing = (first >= gate) & (last - gate < release);
  const md attacking = (last < attack) & (last < gate);
  if (!CH(any)(~(sustaining | done))) {
    CH(hold)(CH(select_d)(sustaining, sustain, (vd){0}), wave, frames, seen);
    return;
  } else if (!CH(any)(~releasing)) {
    for (int i = 0; i < frames; i++)
      CH(scale_frame)(wave, i, gate_level * (1.0 - (first + (double)i - gate) * inv_release), &out);
  } else if (!CH(any)(~attacking)) {
    for (int i = 0; i < frames; i++)
      CH(scale_frame)(wave, i, (first + (double)i) * inv_attack, &out);
  } else {
    for (int i = 0; i < frames; i++)
      CH(scale_frame)(wave, i, CH(env_level)(env, first + (double)i), &out);
  }
  *seen = out;
}

/* The naive wave of an oscillator with corners (SAW, SQUARE, PULSE, TRI)
   at `phase`, as the oscillator node computes it before blep_corrected. */
CHAIN_INLINE vd CH(naive)(int kind, vd phase, vd width) {
  const vd zero = {0};
  switch (kind) {
  case SYNTH_SAW:
    return 2.0 * phase - 1.0;
  case SYNTH_SQUARE:
  case SYNTH_PULSE:
    return CH(select_d)(phase < width, zero + 1.0, zero - 1.0) - (2.0 * width - 1.0);
  default: { /* SYNTH_TRI */
    vd shifted = phase + 0.25;
    shifted = CH(select_d)(shifted >= 1.0, shifted - 1.0, shifted);
    return 1.0 - 4.0 * CH(abs_d)(shifted - 0.5);
  }
  }
}

/* Lanes whose phase comes near none of the wave's corners in the next
   `frames` frames (see CH(far_from)). */
CHAIN_INLINE md CH(far_from_corners)(int kind, vd phase, vd step, vd width, int frames) {
  const vd zero = {0};
  switch (kind) {
  case SYNTH_SAW:
    return CH(far_from)(phase, zero, step, frames);
  case SYNTH_SQUARE:
  case SYNTH_PULSE:
    return CH(far_from)(phase, zero, step, frames) & CH(far_from)(phase, width, step, frames);
  default: /* SYNTH_TRI */
    return CH(far_from)(phase, zero + 0.75, step, frames) &
           CH(far_from)(phase, zero + 0.25, step, frames);
  }
}

/* The oscillators' next `frames` samples into wave[g][] for each of
   `groups` groups, the groups' phases advanced side by side (each phase's
   sum waits on the one before), noted in seen[g] (CH(note)). Waves
   with corners: where every lane is far from them, the naive wave as it
   is; otherwise it is kept with its phases, and each lane whose phase
   comes near a corner takes blep_corrected frame by frame, as the
   oscillator node does. */
CHAIN_INLINE void CH(oscillate)(int kind, int groups, vd *phase, const vd *step, const vd *width,
                                vu *noise, vf (*wave)[SYNTH_COEFF_FRAMES], vu *seen, int frames) {
  seen[0] = seen[1] = (vu){0};
  if (kind == SYNTH_NOISE) { /* xorshift, as noise_block in synth_osc.c */
    for (int i = 0; i < frames; i++)
      for (int g = 0; g < groups; g++) {
        vu x = noise[g];
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise[g] = x;
        wave[g][i] = CH(narrow)(__builtin_convertvector(x, vd) * (1.0 / 2147483648.0) - 1.0);
        seen[g] = CH(note)(seen[g], wave[g][i]);
      }
    return;
  }
  if (kind == SYNTH_SINE) { /* no corners */
    for (int i = 0; i < frames; i++)
      for (int g = 0; g < groups; g++) {
        wave[g][i] = CH(narrow)(CH(sine)(phase[g]));
        seen[g] = CH(note)(seen[g], wave[g][i]);
        phase[g] = CH(advance)(phase[g], step[g]);
      }
    return;
  }
  md far[2], near_any = {0};
  for (int g = 0; g < groups; g++) {
    far[g] = CH(far_from_corners)(kind, phase[g], step[g], width[g], frames);
    near_any |= ~far[g];
  }
  if (!CH(any)(near_any)) {
    for (int i = 0; i < frames; i++)
      for (int g = 0; g < groups; g++) {
        wave[g][i] = CH(narrow)(CH(naive)(kind, phase[g], width[g]));
        seen[g] = CH(note)(seen[g], wave[g][i]);
        phase[g] = CH(advance)(phase[g], step[g]);
      }
    return;
  }
  vd values[2][SYNTH_COEFF_FRAMES], phases[2][SYNTH_COEFF_FRAMES];
  for (int i = 0; i < frames; i++)
    for (int g = 0; g < groups; g++) {
      phases[g][i] = phase[g];
      values[g][i] = CH(naive)(kind, phase[g], width[g]);
      phase[g] = CH(advance)(phase[g], step[g]);
    }
  for (int g = 0; g < groups; g++) {
    for (int l = 0; l < CHAIN_LANES; l++) {
      if (far[g][l])
        continue;
      const blep_pace pace = blep_pace_held(step[g][l]);
      /* the same loop twice: built for the usual case apart (one corner in
         reach, the nearest), the test of the reach leaves every frame */
      if (pace.reach < 0.5)
        for (int i = 0; i < frames; i++)
          values[g][i][l] =
              blep_corrected(kind, phases[g][i][l], pace, width[g][l], values[g][i][l]);
      else
        for (int i = 0; i < frames; i++)
          values[g][i][l] =
              blep_corrected(kind, phases[g][i][l], pace, width[g][l], values[g][i][l]);
    }
    for (int i = 0; i < frames; i++) {
      wave[g][i] = CH(narrow)(values[g][i]);
      seen[g] = CH(note)(seen[g], wave[g][i]);
    }
  }
}

/* CH(oscillate) built for each kind and group count, so no switch on the
   kind runs frame by frame. */
CHAIN_INLINE void CH(oscillate_kind)(int kind, int groups, vd *phase, const vd *step,
                                     const vd *width, vu *noise, vf (*wave)[SYNTH_COEFF_FRAMES],
                                     vu *seen, int frames) {
#define CHAIN_OSCILLATE(k)                                                                         \
  (groups == 2 ? CH(oscillate)(k, 2, phase, step, width, noise, wave, seen, frames)                \
               : CH(oscillate)(k, 1, phase, step, width, noise, wave, seen, frames))
  switch (kind) {
  case SYNTH_SAW:
    CHAIN_OSCILLATE(SYNTH_SAW);
    break;
  case SYNTH_SQUARE:
  case SYNTH_PULSE:
    CHAIN_OSCILLATE(SYNTH_PULSE);
    break;
  case SYNTH_TRI:
    CHAIN_OSCILLATE(SYNTH_TRI);
    break;
  case SYNTH_NOISE:
    CHAIN_OSCILLATE(SYNTH_NOISE);
    break;
  default:
    CHAIN_OSCILLATE(SYNTH_SINE);
    break;
  }
#undef CHAIN_OSCILLATE
}

/* synth_shaper_curve with each lane's k. */
CHAIN_INLINE void CH(shaper)(vd k, vf *wave, int frames, vu *seen) {
  CH(tidy_block)(wave, frames, *seen);
  vu out = {0};
  for (int i = 0; i < frames; i++) {
    const vd x = CH(widen)(wave[i]);
    wave[i] = CH(narrow)((1.0 + k) * x / (1.0 + k * CH(abs_d)(x)));
    out = CH(note)(out, wave[i]);
  }
  *seen = out;
}

/* synth_tidy_state, lane by lane. */
CHAIN_INLINE vd CH(tidy)(vd state) {
  const vd magnitude = CH(abs_d)(state);
  return CH(select_d)((magnitude >= 1e-20) & (magnitude < 1e12), state, (vd){0});
}

/* One frame of synth_svf_run; `filter` holds ic1, ic2, a1, a2, a3, in, m0,
   m1, m2 (the first two are the caller's *ic1, *ic2 while it runs).

   `low_pass` (a constant at each call) is for LPF and LPF_ENV, whose `in` is
   1 and whose output mix is 0 * x + 0 * band + 1 * low: x times 1 is x, and
   the mix is `low` to the bit wherever it is not zero (x and band are
   finite: the input is clamped, the filter stable and its memory tidied
   each period). Where it is zero, the two may differ in sign only, and every
   reader of a stage's output (the next stage, or the output) clamps it
   first, which makes either zero +0. */
CHAIN_INLINE vf CH(svf_step)(const vd *filter, vd *ic1, vd *ic2, vf input, bool low_pass) {
  const vd x = CH(widen)(input);
  const vd v3 = (low_pass ? x : filter[5] * x) - *ic2;
  const vd band = filter[2] * *ic1 + filter[3] * v3;
  const vd low = *ic2 + filter[3] * *ic1 + filter[4] * v3;
  *ic1 = 2.0 * band - *ic1;
  *ic2 = 2.0 * low - *ic2;
  if (low_pass)
    return CH(narrow)(low);
  return CH(narrow)(filter[6] * x + filter[7] * band + filter[8] * low);
}

/* A filter stage over frames; `filter` holds ic1, ic2, a1, a2, a3, in, m0,
   m1, m2. The memory is tidied first when the frames start a period. */
CHAIN_INLINE void CH(filter)(vd *filter, bool low_pass, bool period_start, vf *wave, int frames,
                             vu *seen) {
  vd ic1 = filter[0], ic2 = filter[1];
  if (period_start)
    ic1 = CH(tidy)(ic1), ic2 = CH(tidy)(ic2);
  CH(tidy_block)(wave, frames, *seen);
  vu out = {0};
  for (int i = 0; i < frames; i++) {
    wave[i] = CH(svf_step)(filter, &ic1, &ic2, wave[i], low_pass);
    out = CH(note)(out, wave[i]);
  }
  *seen = out;
  filter[0] = ic1;
  filter[1] = ic2;
}

/* Two filter stages of two groups over the same frames, interleaved frame
   by frame: the same arithmetic as CH(filter) on each. */
CHAIN_INLINE void CH(filter_pair)(vd *filter_a, vd *filter_b, bool low_pass, bool period_start,
                                  vf *wave_a, vf *wave_b, int frames, vu *seen) {
  vd ic1_a = filter_a[0], ic2_a = filter_a[1], ic1_b = filter_b[0], ic2_b = filter_b[1];
  if (period_start) {
    ic1_a = CH(tidy)(ic1_a), ic2_a = CH(tidy)(ic2_a);
    ic1_b = CH(tidy)(ic1_b), ic2_b = CH(tidy)(ic2_b);
  }
  CH(tidy_block)(wave_a, frames, seen[0]);
  CH(tidy_block)(wave_b, frames, seen[1]);
  vu out_a = {0}, out_b = {0};
  for (int i = 0; i < frames; i++) {
    wave_a[i] = CH(svf_step)(filter_a, &ic1_a, &ic2_a, wave_a[i], low_pass);
    wave_b[i] = CH(svf_step)(filter_b, &ic1_b, &ic2_b, wave_b[i], low_pass);
    out_a = CH(note)(out_a, wave_a[i]);
    out_b = CH(note)(out_b, wave_b[i]);
  }
  seen[0] = out_a, seen[1] = out_b;
  filter_a[0] = ic1_a, filter_a[1] = ic2_a;
  filter_b[0] = ic1_b, filter_b[1] = ic2_b;
}

/* Stores frames [0, CHAIN_LANES) of wave (frame-major: wave[i][l] is lane
   l's frame i) transposed, each lane's frames into outs[l] + at, without
   leaving the registers. */
CHAIN_INLINE void CH(store_row)(float *out, vf row) { memcpy(out, &row, sizeof row); }
#define CHAIN_STORE_ROW(l, row) CH(store_row)(outs[l] + at, row)
CHAIN_INLINE void CH(store_transposed)(const vf *wave, float *const *outs, uint32_t at) {
#if CHAIN_LANES == 4
  const vf low_ab = __builtin_shufflevector(wave[0], wave[1], 0, 4, 1, 5);
  const vf high_ab = __builtin_shufflevector(wave[0], wave[1], 2, 6, 3, 7);
  const vf low_cd = __builtin_shufflevector(wave[2], wave[3], 0, 4, 1, 5);
  const vf high_cd = __builtin_shufflevector(wave[2], wave[3], 2, 6, 3, 7);
  CHAIN_STORE_ROW(0, __builtin_shufflevector(low_ab, low_cd, 0, 1, 4, 5));
  CHAIN_STORE_ROW(1, __builtin_shufflevector(low_ab, low_cd, 2, 3, 6, 7));
  CHAIN_STORE_ROW(2, __builtin_shufflevector(high_ab, high_cd, 0, 1, 4, 5));
  CHAIN_STORE_ROW(3, __builtin_shufflevector(high_ab, high_cd, 2, 3, 6, 7));
#else /* eight: pairs of frames, then quads, then halves */
#define CHAIN_PAIRS(a, b, first)                                                                   \
  __builtin_shufflevector(a, b, first, first + 8, first + 1, first + 9, first + 4, first + 12,     \
                          first + 5, first + 13)
#define CHAIN_QUADS(a, b, first)                                                                   \
  __builtin_shufflevector(a, b, first, first + 1, first + 8, first + 9, first + 4, first + 5,      \
                          first + 12, first + 13)
#define CHAIN_HALVES(a, b, first)                                                                  \
  __builtin_shufflevector(a, b, first, first + 1, first + 2, first + 3, first + 8, first + 9,      \
                          first + 10, first + 11)
  /* pairs: frames (0, 1) of lanes 0, 1, 4, 5 and of lanes 2, 3, 6, 7; ... */
  const vf p0 = CHAIN_PAIRS(wave[0], wave[1], 0), p1 = CHAIN_PAIRS(wave[0], wave[1], 2);
  const vf p2 = CHAIN_PAIRS(wave[2], wave[3], 0), p3 = CHAIN_PAIRS(wave[2], wave[3], 2);
  const vf p4 = CHAIN_PAIRS(wave[4], wave[5], 0), p5 = CHAIN_PAIRS(wave[4], wave[5], 2);
  const vf p6 = CHAIN_PAIRS(wave[6], wave[7], 0), p7 = CHAIN_PAIRS(wave[6], wave[7], 2);
  /* quads: frames 0-3 of lanes 0 and 4, 1 and 5, 2 and 6, 3 and 7; then 4-7 */
  const vf q0 = CHAIN_QUADS(p0, p2, 0), q1 = CHAIN_QUADS(p0, p2, 2);
  const vf q2 = CHAIN_QUADS(p1, p3, 0), q3 = CHAIN_QUADS(p1, p3, 2);
  const vf q4 = CHAIN_QUADS(p4, p6, 0), q5 = CHAIN_QUADS(p4, p6, 2);
  const vf q6 = CHAIN_QUADS(p5, p7, 0), q7 = CHAIN_QUADS(p5, p7, 2);
  CHAIN_STORE_ROW(0, CHAIN_HALVES(q0, q4, 0));
  CHAIN_STORE_ROW(4, CHAIN_HALVES(q0, q4, 4));
  CHAIN_STORE_ROW(1, CHAIN_HALVES(q1, q5, 0));
  CHAIN_STORE_ROW(5, CHAIN_HALVES(q1, q5, 4));
  CHAIN_STORE_ROW(2, CHAIN_HALVES(q2, q6, 0));
  CHAIN_STORE_ROW(6, CHAIN_HALVES(q2, q6, 4));
  CHAIN_STORE_ROW(3, CHAIN_HALVES(q3, q7, 0));
  CHAIN_STORE_ROW(7, CHAIN_HALVES(q3, q7, 4));
#undef CHAIN_PAIRS
#undef CHAIN_QUADS
#undef CHAIN_HALVES
#endif
}
#undef CHAIN_STORE_ROW

/* Stores n frames by transposes when every lane is used and takes them all
   (n a multiple of CHAIN_LANES); false: the caller stores lane by lane. */
CHAIN_INLINE bool CH(store_full)(const vf *wave, int n, const synth_chain_lane *lanes,
                                 float *const *outs, uint32_t done, int used) {
  if (used != CHAIN_LANES || n % CHAIN_LANES != 0)
    return false;
  for (int l = 0; l < CHAIN_LANES; l++)
    if (lanes[l].limit < done + (uint32_t)n)
      return false;
  for (int i = 0; i < n; i += CHAIN_LANES)
    CH(store_transposed)(wave + i, outs, done + (uint32_t)i);
  return true;
}

/* Loads lane l of group g from a voice's node states and constants. */
CHAIN_INLINE void CH(load_lane)(const synth_chain *chain, const synth_node_state *voice_nodes,
                                const synth_chain_lane *lane, int g, int l, vd (*phase)[2],
                                vu (*noise)[2], vd (*step)[2], vd (*width)[2], vd (*stage)[9],
                                vf *gain) {
  for (int k = 0; k < chain->sources; k++) {
    phase[k][g][l] = voice_nodes[k].phase;
    noise[k][g][l] = voice_nodes[k].noise;
    step[k][g][l] = lane->phase_step[k];
    width[k][g][l] = lane->width[k];
  }
  for (int s = chain->sources; s < chain->length; s++) {
    const synth_node_state *node = &voice_nodes[s];
    gain[s][l] = lane->gains[s];
    if (chain->kinds[s] == SYNTH_ENV || chain->kinds[s] == SYNTH_ADSR) {
      const double env[9] = {node->attack,      node->decay,      node->sustain,
                             node->release,     node->inv_attack, node->inv_decay,
                             node->inv_release, node->gate_level, lane->gate};
      for (int j = 0; j < 9; j++)
        stage[s][j][l] = env[j];
    } else if (chain->kinds[s] == SYNTH_SHAPE || chain->kinds[s] == SYNTH_DISTORT) {
      stage[s][0][l] = lane->curves[s];
    } else if (chain->kinds[s] != SYNTH_MUL) {
      const synth_svf *svf = &node->svf;
      const double filter[9] = {svf->ic1, svf->ic2, svf->a1, svf->a2, svf->a3,
                                svf->in,  svf->m0,  svf->m1, svf->m2};
      for (int j = 0; j < 9; j++)
        stage[s][j][l] = filter[j];
    }
  }
}

/* Stores a group's n frames from `done` into the lanes' outputs. */
CHAIN_INLINE void CH(store)(const vf *wave, int n, const synth_chain_lane *lanes,
                            float *const *outs, uint32_t done, int used) {
  if (CH(store_full)(wave, n, lanes, outs, done, used))
    return;
  for (int l = 0; l < used; l++) {
    const uint32_t left = lanes[l].limit > done ? lanes[l].limit - done : 0;
    const int wanted = left < (uint32_t)n ? (int)left : n;
    for (int i = 0; i < wanted; i++)
      outs[l][done + (uint32_t)i] = wave[i][l];
  }
}

/* Renders `frames` frames of up to 2 * CHAIN_LANES voices from frame `start`,
   as two groups of lanes whose filters run interleaved (one filter's
   recursion alone leaves the processor waiting on each frame's result);
   nodes[l] is voice l's node states. Voice l writes outs[l][i] for i <
   lanes[l].limit; lanes at or past `used` repeat voice 0 and write nothing. */
CHAIN_TARGET static void CHAIN_NAME(const synth_chain *chain, synth_node_state *const *nodes,
                                    uint32_t start, const synth_chain_lane *lanes,
                                    float *const *outs, uint32_t frames, int used) {
  const int groups = used > CHAIN_LANES ? 2 : 1;
  vd phase[SYNTH_CHAIN_MAX][2], step[SYNTH_CHAIN_MAX][2], width[SYNTH_CHAIN_MAX][2];
  vu noise[SYNTH_CHAIN_MAX][2];
  vd stage[2][SYNTH_CHAIN_MAX][9];
  vf gain[2][SYNTH_CHAIN_MAX];
  for (int g = 0; g < groups; g++)
    for (int l = 0; l < CHAIN_LANES; l++) {
      const int voice = g * CHAIN_LANES + l < used ? g * CHAIN_LANES + l : 0;
      CH(load_lane)
      (chain, nodes[voice], &lanes[voice], g, l, phase, noise, step, width, stage[g], gain[g]);
    }
  const int last_source = chain->sources - 1;
  uint32_t done = 0;
  while (done < frames) {
    const uint32_t at = start + done;
    uint32_t count = SYNTH_COEFF_FRAMES - at % SYNTH_COEFF_FRAMES;
    if (count > frames - done)
      count = frames - done;
    const int n = (int)count;
    const bool period_start = at % SYNTH_COEFF_FRAMES == 0;
    /* the sources: oscillators, and sums of them as the ADD node makes them */
    vf sources[SYNTH_CHAIN_MAX][2][SYNTH_COEFF_FRAMES];
    vu seen[SYNTH_CHAIN_MAX][2]; /* each group's CH(note) over the block */
    for (int k = 0; k <= last_source; k++) {
      const int kind = chain->kinds[k];
      if (kind == SYNTH_ADD) {
        const int a = chain->operands[k][0], b = chain->operands[k][1];
        for (int g = 0; g < groups; g++) {
          /* clamping twice changes nothing, if an operand serves twice */
          CH(tidy_block)(sources[a][g], n, seen[a][g]);
          CH(tidy_block)(sources[b][g], n, seen[b][g]);
          seen[k][g] = (vu){0};
          for (int i = 0; i < n; i++) {
            sources[k][g][i] = sources[a][g][i] + sources[b][g][i];
            seen[k][g] = CH(note)(seen[k][g], sources[k][g][i]);
          }
        }
      } else {
        CH(oscillate_kind)
        (kind, groups, phase[k], step[k], width[k], noise[k], sources[k], seen[k], n);
      }
    }
    vf(*wave)[SYNTH_COEFF_FRAMES] = sources[last_source];
    vu *flow = seen[last_source];
    for (int s = chain->sources; s < chain->length; s++) {
      const int kind = chain->kinds[s];
      /* a constant at each call, so each is built for its own */
      const bool low_pass = kind == SYNTH_LPF || kind == SYNTH_LPF_ENV;
      if (synth_chain_filters(kind) && groups == 2) {
        if (low_pass)
          CH(filter_pair)(stage[0][s], stage[1][s], true, period_start, wave[0], wave[1], n, flow);
        else
          CH(filter_pair)(stage[0][s], stage[1][s], false, period_start, wave[0], wave[1], n, flow);
        continue;
      }
      for (int g = 0; g < groups; g++)
        switch (kind) {
        case SYNTH_ENV:
        case SYNTH_ADSR:
          CH(envelope)(stage[g][s], at, wave[g], n, &flow[g]);
          break;
        case SYNTH_SHAPE:
        case SYNTH_DISTORT:
          CH(shaper)(stage[g][s][0], wave[g], n, &flow[g]);
          break;
        case SYNTH_MUL:
          CH(tidy_block)(wave[g], n, flow[g]);
          flow[g] = (vu){0};
          for (int i = 0; i < n; i++) {
            wave[g][i] = wave[g][i] * gain[g][s];
            flow[g] = CH(note)(flow[g], wave[g][i]);
          }
          break;
        default: /* the filters */
          if (low_pass)
            CH(filter)(stage[g][s], true, period_start, wave[g], n, &flow[g]);
          else
            CH(filter)(stage[g][s], false, period_start, wave[g], n, &flow[g]);
          break;
        }
    }
    for (int g = 0; g < groups; g++) {
      CH(tidy_block)(wave[g], n, flow[g]);
      const int in_group =
          used - g * CHAIN_LANES < CHAIN_LANES ? used - g * CHAIN_LANES : CHAIN_LANES;
      CH(store)(wave[g], n, lanes + g * CHAIN_LANES, outs + g * CHAIN_LANES, done, in_group);
    }
    done += count;
  }
  for (int voice = 0; voice < used; voice++) {
    const int g = voice / CHAIN_LANES, l = voice % CHAIN_LANES;
    synth_node_state *voice_nodes = nodes[voice];
    for (int k = 0; k <= last_source; k++) {
      voice_nodes[k].phase = phase[k][g][l];
      voice_nodes[k].noise = noise[k][g][l];
    }
    for (int s = chain->sources; s < chain->length; s++)
      if (synth_chain_filters(chain->kinds[s])) {
        voice_nodes[s].svf.ic1 = stage[g][s][0][l];
        voice_nodes[s].svf.ic2 = stage[g][s][1][l];
      }
  }
}

#undef vd
#undef vf
#undef md
#undef mf
#undef vu
#undef CH
#undef CHAIN_INLINE
#undef CHAIN_LANES
#undef CHAIN_NAME
#undef CHAIN_TARGET
#undef CHAIN_WIDEN
#undef CHAIN_MAX_U
