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

int64_t pat_tidal_xorwise(int64_t x) {
  uint64_t a = ((uint64_t)x << 13) ^ (uint64_t)x;
  int64_t sa = (int64_t)a;
  uint64_t b = (uint64_t)(sa < 0 ? ~(~sa >> 17) : sa >> 17) ^ a;
  return (int64_t)((b << 5) ^ b);
}

/* timeToRand t = (xorwise (truncate (2^29 * snd (properFraction (t / 300))))
   `mod` 2^29) / 2^29, in exact arithmetic (the fraction keeps t's sign). */
double pat_tidal_time_to_rand(pat_rat time) {
  int64_t seed;
  if (time.den <= INT64_MAX / 300) {
    int64_t whole = time.den * 300; /* t / 300 = num / whole */
    int64_t rem = time.num % whole;
#ifdef __SIZEOF_INT128__
    seed = (int64_t)((__int128)rem * 536870912 / whole);
#else
    seed = (int64_t)((double)rem / (double)whole * 536870912.0);
#endif
  } else {
    double scaled = pat_rat_to_double(time) / 300;
    seed = (int64_t)((scaled - trunc(scaled)) * 536870912.0);
  }
  int64_t hashed = pat_tidal_xorwise(seed) % 536870912;
  if (hashed < 0)
    hashed += 536870912;
  return (double)hashed / 536870912.0;
}
