/* The fused chain kernel: an oscillator, then filters, envelopes and gains,
   each reading the one before, run in one pass over CHAIN_LANES voices at
   once, one voice per vector lane. Each lane computes exactly what the node
   interpreter (synth.c and the node files) computes for its voice, operation
   for operation and in the same order, so the output is bit-identical: every
   branch of the scalar code is a select here, and the rare frames near an
   oscillator's discontinuity take the scalar BLEP code lane by lane.

   Included by synth_chain.c once per instantiation, with CHAIN_LANES (the
   lane count), CHAIN_NAME (the kernel's name; its helpers are prefixed with
   it) and CHAIN_TARGET (an instruction-set attribute, or nothing) defined. */

#define CHAIN_PASTE2(a, b) a##_##b
#define CHAIN_PASTE(a, b) CHAIN_PASTE2(a, b)
#define CH(name) CHAIN_PASTE(CHAIN_NAME, name)
#define CHAIN_INLINE static inline __attribute__((always_inline)) CHAIN_TARGET

/* Lane vectors: doubles and floats, and the masks comparisons give. */
typedef double CH(vd) __attribute__((vector_size(8 * CHAIN_LANES)));
typedef float CH(vf) __attribute__((vector_size(4 * CHAIN_LANES)));
typedef int64_t CH(md) __attribute__((vector_size(8 * CHAIN_LANES)));
typedef int32_t CH(mf) __attribute__((vector_size(4 * CHAIN_LANES)));
#define vd CH(vd)
#define vf CH(vf)
#define md CH(md)
#define mf CH(mf)

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

/* synth_clamp to the signal range, lane by lane. */
CHAIN_INLINE vf CH(clamp)(vf value) {
  const vf zero = {0}, magnitude = (vf)((mf)value & INT32_MAX);
  vf tidy = CH(select_f)(magnitude < SYNTH_TINY, zero, value);
  tidy = CH(select_f)(tidy < -SYNTH_SIGNAL_LIMIT, zero - SYNTH_SIGNAL_LIMIT, tidy);
  tidy = CH(select_f)(tidy > SYNTH_SIGNAL_LIMIT, zero + SYNTH_SIGNAL_LIMIT, tidy);
  return CH(select_f)(magnitude <= 3.40282347e38f, tidy, zero);
}

/* Clamps frames [0, frames) of wave in place; most blocks hold only values
   the clamp leaves as they are (|v| in [SYNTH_TINY, the limit]), which one
   test finds. */
CHAIN_INLINE void CH(clamp_block)(vf *wave, int frames) {
  mf ordinary = ~(mf){0};
  for (int i = 0; i < frames; i++) {
    const vf magnitude = (vf)((mf)wave[i] & INT32_MAX);
    ordinary &= (magnitude >= SYNTH_TINY) & (magnitude <= SYNTH_SIGNAL_LIMIT);
  }
  int32_t all = -1;
  for (int l = 0; l < CHAIN_LANES; l++)
    all &= ordinary[l];
  if (all)
    return;
  for (int i = 0; i < frames; i++)
    wave[i] = CH(clamp)(wave[i]);
}

CHAIN_INLINE vd CH(widen)(vf value) { return __builtin_convertvector(value, vd); }
CHAIN_INLINE vf CH(narrow)(vd value) { return __builtin_convertvector(value, vf); }

/* blep_near_corner, lane by lane. */
CHAIN_INLINE md CH(near_corner)(vd phase, vd corner, vd phase_step) {
  const vd distance = CH(abs_d)(phase - corner), reach = BLEP_HALF * phase_step;
  return (reach >= 0.5) | (distance < reach) | (distance > 1.0 - reach);
}

/* Lanes certainly not near `corner` in any of the next `frames` frames (the
   phase rising from `phase` by `phase_step` a frame without wrapping), with a
   margin far beyond the rounding of the phase's sum: there near_corner is
   false at every frame, and the oscillator needs no test frame by frame. */
CHAIN_INLINE md CH(far_from)(vd phase, vd corner, vd phase_step, int frames) {
  const double margin = 1e-9;
  const vd reach = BLEP_HALF * phase_step;
  const vd lo = phase - margin, hi = phase + (double)frames * phase_step + margin;
  return (reach < 0.5) & (hi < 1.0) & ((hi <= corner - reach) | (lo >= corner + reach)) &
         (hi <= corner + 1.0 - reach) & (lo >= corner - 1.0 + reach);
}

CHAIN_INLINE bool CH(all)(md mask) { return !CH(any)(~mask); }

CHAIN_INLINE vd CH(advance)(vd phase, vd phase_step) {
  phase += phase_step;
  return CH(select_d)(phase >= 1.0, phase - 1.0, phase);
}

/* synth_sine_poly, lane by lane. */
CHAIN_INLINE vd CH(sine)(vd phase) {
  vd q = phase - 0.5;
  q = CH(select_d)(q > 0.25, 0.5 - q, CH(select_d)(q < -0.25, -0.5 - q, q));
  const vd x = 6.283185307179586 * q, x2 = x * x;
  const vd poly =
      1.0 +
      x2 * (-1.0 / 6 +
            x2 * (1.0 / 120 +
                  x2 * (-1.0 / 5040 +
                        x2 * (1.0 / 362880 + x2 * (-1.0 / 39916800 + x2 * (1.0 / 6227020800.0))))));
  return -x * poly;
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

/* The BLEP residual near a corner, per lane: fix(l) where `near` is set,
   added (sign +1) or taken (-1) as the scalar code does for those lanes;
   the other lanes are left exactly as they are. */
#define CHAIN_BLEP(value, near, sign, fix)                                                         \
  do {                                                                                             \
    if (CH(any)(near)) {                                                                           \
      double fixes[CHAIN_LANES] = {0};                                                             \
      for (int l = 0; l < CHAIN_LANES; l++)                                                        \
        if ((near)[l])                                                                             \
          fixes[l] = (fix);                                                                        \
      vd amount;                                                                                   \
      memcpy(&amount, fixes, sizeof amount);                                                       \
      value = CH(select_d)(near, (sign) > 0 ? value + amount : value - amount, value);             \
    }                                                                                              \
  } while (0)

/* An envelope stage over `frames` frames from frame `at`. Where every lane
   holds one level for all of them (sustaining, or done releasing), that
   level is what env_level would give at each frame, so it is used as it is. */
CHAIN_INLINE void CH(envelope)(const vd *env, uint32_t at, vf *wave, int frames) {
  CH(clamp_block)(wave, frames);
  const vd first = (vd){0} + (double)at, last = first + (double)(frames - 1);
  const vd attack = env[0], decay = env[1], sustain = env[2], release = env[3], gate = env[8];
  const md sustaining = (first >= attack) & (first - attack >= decay) & (last < gate);
  const md done = (first >= gate) & (first - gate >= release);
  if (!CH(any)(~(sustaining | done))) {
    const vd level = CH(select_d)(sustaining, sustain, (vd){0});
    for (int i = 0; i < frames; i++)
      wave[i] = CH(narrow)(CH(widen)(wave[i]) * level);
    return;
  }
  for (int i = 0; i < frames; i++) {
    const vd t = first + (double)i;
    wave[i] = CH(narrow)(CH(widen)(wave[i]) * CH(env_level)(env, t));
  }
}

/* The oscillator's next `frames` samples into wave[]. */
CHAIN_INLINE vd CH(oscillate)(int kind, vd phase, vd step, vd width, vf *wave, int frames) {
  const vd zero = {0};
  switch (kind) {
  case SYNTH_SAW:
    if (CH(all)(CH(far_from)(phase, zero, step, frames))) {
      for (int i = 0; i < frames; i++) {
        wave[i] = CH(narrow)(2.0 * phase - 1.0);
        phase = CH(advance)(phase, step);
      }
      break;
    }
    for (int i = 0; i < frames; i++) {
      vd value = 2.0 * phase - 1.0;
      const md near = CH(near_corner)(phase, zero, step);
      CHAIN_BLEP(value, near, -1, 2.0 * blep_steps_near(phase[l], 0.0, step[l]));
      wave[i] = CH(narrow)(value);
      phase = CH(advance)(phase, step);
    }
    break;
  case SYNTH_SQUARE:
  case SYNTH_PULSE: {
    const bool far =
        CH(all)(CH(far_from)(phase, zero, step, frames) & CH(far_from)(phase, width, step, frames));
    for (int i = 0; i < frames; i++) {
      vd value = CH(select_d)(phase < width, zero + 1.0, zero - 1.0) - (2.0 * width - 1.0);
      if (!far) {
        const md near_start = CH(near_corner)(phase, zero, step);
        CHAIN_BLEP(value, near_start, 1, 2.0 * blep_steps_near(phase[l], 0.0, step[l]));
        const md near_width = CH(near_corner)(phase, width, step);
        CHAIN_BLEP(value, near_width, -1, 2.0 * blep_steps_near(phase[l], width[l], step[l]));
      }
      wave[i] = CH(narrow)(value);
      phase = CH(advance)(phase, step);
    }
    break;
  }
  case SYNTH_TRI: {
    const bool far = CH(all)(CH(far_from)(phase, zero + 0.75, step, frames) &
                             CH(far_from)(phase, zero + 0.25, step, frames));
    for (int i = 0; i < frames; i++) {
      vd shifted = phase + 0.25;
      shifted = CH(select_d)(shifted >= 1.0, shifted - 1.0, shifted);
      vd value = 1.0 - 4.0 * CH(abs_d)(shifted - 0.5);
      if (!far) {
        const md near_trough = CH(near_corner)(phase, zero + 0.75, step);
        CHAIN_BLEP(value, near_trough, 1, 8.0 * step[l] * blep_ramps_near(phase[l], 0.75, step[l]));
        const md near_peak = CH(near_corner)(phase, zero + 0.25, step);
        CHAIN_BLEP(value, near_peak, -1, 8.0 * step[l] * blep_ramps_near(phase[l], 0.25, step[l]));
      }
      wave[i] = CH(narrow)(value);
      phase = CH(advance)(phase, step);
    }
    break;
  }
  default: /* SYNTH_SINE */
    for (int i = 0; i < frames; i++) {
      wave[i] = CH(narrow)(CH(sine)(phase));
      phase = CH(advance)(phase, step);
    }
    break;
  }
  return phase;
}

/* A filter stage over frames; `filter` holds ic1, ic2, a1, a2, a3, in, m0,
   m1, m2. The memory is tidied first when the frames start a period. */
CHAIN_INLINE void CH(filter)(vd *filter, bool period_start, vf *wave, int frames) {
  vd ic1 = filter[0], ic2 = filter[1];
  const vd a1 = filter[2], a2 = filter[3], a3 = filter[4];
  const vd scale = filter[5], m0 = filter[6], m1 = filter[7], m2 = filter[8];
  if (period_start) {
    const vd zero = {0}, mag1 = CH(abs_d)(ic1), mag2 = CH(abs_d)(ic2);
    ic1 = CH(select_d)((mag1 >= 1e-20) & (mag1 < 1e12), ic1, zero);
    ic2 = CH(select_d)((mag2 >= 1e-20) & (mag2 < 1e12), ic2, zero);
  }
  CH(clamp_block)(wave, frames);
  for (int i = 0; i < frames; i++) {
    const vd x = CH(widen)(wave[i]);
    const vd v3 = scale * x - ic2;
    const vd band = a1 * ic1 + a2 * v3;
    const vd low = ic2 + a2 * ic1 + a3 * v3;
    ic1 = 2.0 * band - ic1;
    ic2 = 2.0 * low - ic2;
    wave[i] = CH(narrow)(m0 * x + m1 * band + m2 * low);
  }
  filter[0] = ic1;
  filter[1] = ic2;
}

#if CHAIN_LANES == 4
/* Stores n frames of four lanes by 4x4 transposes, when all four lanes take
   them all (n a multiple of 4); false: the caller stores lane by lane. */
CHAIN_INLINE bool CH(store_four)(const vf *wave, int n, const synth_chain_lane *lanes,
                                 float *const *outs, uint32_t done, int used) {
  if (used != 4 || n % 4 != 0)
    return false;
  for (int l = 0; l < 4; l++)
    if (lanes[l].limit < done + (uint32_t)n)
      return false;
  for (int i = 0; i < n; i += 4) {
    const vf low_ab = __builtin_shufflevector(wave[i], wave[i + 1], 0, 4, 1, 5);
    const vf high_ab = __builtin_shufflevector(wave[i], wave[i + 1], 2, 6, 3, 7);
    const vf low_cd = __builtin_shufflevector(wave[i + 2], wave[i + 3], 0, 4, 1, 5);
    const vf high_cd = __builtin_shufflevector(wave[i + 2], wave[i + 3], 2, 6, 3, 7);
    const vf lane[4] = {__builtin_shufflevector(low_ab, low_cd, 0, 1, 4, 5),
                        __builtin_shufflevector(low_ab, low_cd, 2, 3, 6, 7),
                        __builtin_shufflevector(high_ab, high_cd, 0, 1, 4, 5),
                        __builtin_shufflevector(high_ab, high_cd, 2, 3, 6, 7)};
    for (int l = 0; l < 4; l++)
      memcpy(outs[l] + done + (uint32_t)i, &lane[l], sizeof lane[l]);
  }
  return true;
}
#endif

/* Renders `frames` frames of every lane from frame `start` of the voices;
   nodes[l] is lane l's node states. Lane l writes outs[l][i] for i <
   lanes[l].limit; lanes at or past `used` repeat lane 0 and write nothing. */
CHAIN_TARGET static void CHAIN_NAME(const synth_chain *chain, synth_node_state *const *nodes,
                                    uint32_t start, const synth_chain_lane *lanes,
                                    float *const *outs, uint32_t frames, int used) {
  vd phase, step, width;
  vd stage[SYNTH_CHAIN_MAX][9];
  vf gain[SYNTH_CHAIN_MAX];
  for (int l = 0; l < CHAIN_LANES; l++) {
    const int from = l < used ? l : 0;
    const synth_node_state *voice_nodes = nodes[from];
    phase[l] = voice_nodes[0].phase;
    step[l] = lanes[from].phase_step;
    width[l] = lanes[from].width;
    for (int s = 1; s < chain->length; s++) {
      const synth_node_state *node = &voice_nodes[s];
      gain[s][l] = lanes[from].gains[s];
      if (chain->kinds[s] == SYNTH_ENV || chain->kinds[s] == SYNTH_ADSR) {
        const double env[9] = {node->attack,      node->decay,      node->sustain,
                               node->release,     node->inv_attack, node->inv_decay,
                               node->inv_release, node->gate_level, lanes[from].gate};
        for (int j = 0; j < 9; j++)
          stage[s][j][l] = env[j];
      } else if (chain->kinds[s] != SYNTH_MUL) {
        const synth_svf *svf = &node->svf;
        const double filter[9] = {svf->ic1, svf->ic2, svf->a1, svf->a2, svf->a3,
                                  svf->in,  svf->m0,  svf->m1, svf->m2};
        for (int j = 0; j < 9; j++)
          stage[s][j][l] = filter[j];
      }
    }
  }
  uint32_t done = 0;
  while (done < frames) {
    const uint32_t at = start + done;
    uint32_t count = SYNTH_COEFF_FRAMES - at % SYNTH_COEFF_FRAMES;
    if (count > frames - done)
      count = frames - done;
    const int n = (int)count;
    vf wave[SYNTH_COEFF_FRAMES];
    phase = CH(oscillate)(chain->kinds[0], phase, step, width, wave, n);
    for (int s = 1; s < chain->length; s++) {
      switch (chain->kinds[s]) {
      case SYNTH_ENV:
      case SYNTH_ADSR:
        CH(envelope)(stage[s], at, wave, n);
        break;
      case SYNTH_MUL:
        CH(clamp_block)(wave, n);
        for (int i = 0; i < n; i++)
          wave[i] = wave[i] * gain[s];
        break;
      default: /* the plain filters */
        CH(filter)(stage[s], at % SYNTH_COEFF_FRAMES == 0, wave, n);
        break;
      }
    }
    CH(clamp_block)(wave, n);
    bool stored = false;
#if CHAIN_LANES == 4
    stored = CH(store_four)(wave, n, lanes, outs, done, used);
#endif
    for (int l = 0; l < used && !stored; l++) {
      const uint32_t left = lanes[l].limit > done ? lanes[l].limit - done : 0;
      const int wanted = left < count ? (int)left : n;
      for (int i = 0; i < wanted; i++)
        outs[l][done + (uint32_t)i] = wave[i][l];
    }
    done += count;
  }
  for (int l = 0; l < used; l++) {
    synth_node_state *voice_nodes = nodes[l];
    voice_nodes[0].phase = phase[l];
    for (int s = 1; s < chain->length; s++)
      if (chain->kinds[s] >= SYNTH_LPF && chain->kinds[s] <= SYNTH_NOTCH) {
        voice_nodes[s].svf.ic1 = stage[s][0][l];
        voice_nodes[s].svf.ic2 = stage[s][1][l];
      }
  }
}

#undef CHAIN_BLEP
#undef vd
#undef vf
#undef md
#undef mf
#undef CH
#undef CHAIN_INLINE
#undef CHAIN_LANES
#undef CHAIN_NAME
#undef CHAIN_TARGET
