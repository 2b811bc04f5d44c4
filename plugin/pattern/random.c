/* Strudel's time-seeded randomness: a xorshift hash of time, so the same
   pattern gives the same random choices from any starting point. */
#include <math.h>

#include "pattern/pat_internal.h"

/* JS int32 arithmetic: << wraps modulo 2^32, >> is arithmetic. */
static int32_t xorwise(int32_t x) {
  int32_t a = (int32_t)((uint32_t)x << 13) ^ x;
  int32_t b = (a >> 17) ^ a;
  return (int32_t)((uint32_t)b << 5) ^ b;
}

double pat_time_to_rand(double time) {
  double scaled = time / 300;
  double frac = scaled - trunc(scaled);
  double seed = trunc(frac * 536870912);
  /* |seed| < 2^29, so ToInt32 is the identity */
  int32_t hashed = xorwise((int32_t)seed);
  double r = fmod((double)hashed, 536870912.0) / 536870912.0;
  return fabs(r);
}

pat_rat pat_seed_shift(int seed) {
  pat_rat r = pat_rat_int(0);
  /* the mini-notation multiplies in doubles, then Fraction() converts */
  if (!pat_rat_from_double(0.0003 * (double)seed, &r))
    r = pat_rat_int(0);
  return r;
}

double pat_rand_mid(pat_arc arc, pat_rat shift, bool *overflow) {
  /* rand.early(shift) sampled at the midpoint of the (shifted) span */
  pat_rat b = pat_rat_add(arc.begin, shift, overflow);
  pat_rat e = pat_rat_add(arc.end, shift, overflow);
  pat_rat mid =
      pat_rat_add(b, pat_rat_div(pat_rat_sub(e, b, overflow), pat_rat_int(2), overflow), overflow);
  return pat_time_to_rand(pat_rat_to_double(mid));
}
