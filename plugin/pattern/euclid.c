/* Euclidean rhythms as Strudel computes them: Bjorklund's algorithm as in
   Rohan Drape's formulation, then a rotation with JS slice semantics. */
#include <math.h>
#include <string.h>

#include "pattern/pat_internal.h"

/* Bjorklund keeps two groups of identical sequences: `ons` copies of x and
   `offs` copies of y; each round pairs them up until one group has <= 1.
   Writes ons + offs... flattened: steps bits in all. */
static void bjork(int ons, int offs, unsigned char *out) {
  unsigned char x[PAT_EUCLID_MAX_STEPS], y[PAT_EUCLID_MAX_STEPS], t[PAT_EUCLID_MAX_STEPS];
  int xlen = 1, ylen = 1;
  x[0] = 1;
  y[0] = 0;
  while ((ons < offs ? ons : offs) > 1) {
    int oldx = xlen, oldy = ylen; /* oldx + oldy <= steps / 2 here */
    memcpy(t, x, (size_t)oldx);
    memcpy(t + oldx, y, (size_t)oldy);
    if (ons > offs) { /* left: the leftover x's become the y group */
      memcpy(y, x, (size_t)oldx);
      ylen = oldx;
      int pairs = offs;
      offs = ons - offs;
      ons = pairs;
    } else { /* right: the leftover y's stay */
      offs = offs - ons;
    }
    memcpy(x, t, (size_t)(oldx + oldy));
    xlen = oldx + oldy;
  }
  int k = 0;
  for (int i = 0; i < ons; i++, k += xlen)
    memcpy(out + k, x, (size_t)xlen);
  for (int i = 0; i < offs; i++, k += ylen)
    memcpy(out + k, y, (size_t)ylen);
}

/* JS Array(n) accepts only integers in [0, 2^32). */
static bool array_length(double n) { return n >= 0 && n == floor(n) && n < 4294967296.0; }

bool pat_euclid_bits(double pulses, double steps, double rotation, bool rotate, unsigned char *bits,
                     int *step_count) {
  bool inverted = pulses < 0;
  double ons = fabs(pulses);
  double offs = steps - ons;
  if (!array_length(ons) || !array_length(offs))
    return false;
  if (steps > PAT_EUCLID_MAX_STEPS)
    return false; /* cyclebus's cap, documented */
  int n = (int)steps;
  bjork((int)ons, (int)offs, bits);
  if (inverted)
    for (int i = 0; i < n; i++)
      bits[i] = !bits[i];
  *step_count = n;
  /* rotate(b, -rotation) = b.slice(r).concat(b.slice(0, r)), r = -rotation,
     with slice's truncation and clamping; rotation 0 or NaN does nothing */
  if (rotate && rotation != 0 && !isnan(rotation) && n > 0) {
    double r = trunc(-rotation);
    int start;
    if (r < 0)
      start = r <= -n ? 0 : n + (int)r;
    else
      start = r >= n ? n : (int)r;
    unsigned char tmp[PAT_EUCLID_MAX_STEPS];
    memcpy(tmp, bits + start, (size_t)(n - start));
    memcpy(tmp + (n - start), bits, (size_t)start);
    memcpy(bits, tmp, (size_t)n);
  }
  return true;
}
