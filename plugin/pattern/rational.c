/* Exact rational time: int64 fractions kept normalized, with every overflow
   detected (never wrapped), plus Strudel's number -> Fraction conversion. */
#include <math.h>
#include <stdio.h>

#include "pattern/pat_internal.h"

/* Binary gcd of magnitudes: no divisions, the hot path of every operation.
   Branch-free inside the loop: the next difference's trailing zeros are
   found alongside the minimum and |difference| (cmov, no mispredicted swap):
   on the operands ply 1e9 makes, 32-35 ns a call where a swapping loop took
   78-104. INT64_MIN never reaches here (make rejects it), so magnitudes and
   their differences fit in int64. */
static int64_t gcd64(int64_t sa, int64_t sb) {
  uint64_t a = (uint64_t)(sa < 0 ? -sa : sa), b = (uint64_t)(sb < 0 ? -sb : sb);
  if (a == 0)
    return (int64_t)b;
  if (b == 0)
    return (int64_t)a;
  int a_zeros = __builtin_ctzll(a), b_zeros = __builtin_ctzll(b);
  int shift = a_zeros < b_zeros ? a_zeros : b_zeros;
  a >>= a_zeros;
  b >>= b_zeros; /* both odd from here on */
  /* An odd part of 1 (a power of two: the host's block spans and every
     binary subdivision of them; or a unit): no odd factor in common. */
  if (a == 1 || b == 1)
    return (int64_t)(1ull << shift);
  a_zeros = 0;
  while (a != 0) {
    a >>= a_zeros;
    int64_t difference = (int64_t)b - (int64_t)a;
    /* the top bit keeps ctz defined at 0 (the loop then ends) and is
       above any magnitude's */
    a_zeros = __builtin_ctzll((uint64_t)difference | (1ull << 63));
    b = a < b ? a : b;
    a = (uint64_t)(difference < 0 ? -difference : difference);
  }
  return (int64_t)(b << shift);
}

/* x / g for a divisor g > 0 of x: a shift when g is a power of two (an
   arithmetic shift of an exact multiple is the quotient, negative or not),
   as a 64-bit division costs tens of cycles. */
static int64_t div_exact(int64_t x, int64_t g) {
  if ((g & (g - 1)) == 0)
    return x >> __builtin_ctzll((uint64_t)g);
  return x / g;
}

pat_rat pat_rat_make(int64_t num, int64_t den, bool *overflow) {
  pat_rat r = {0, 1};
  if (den == 0 || num == INT64_MIN || den == INT64_MIN) {
    *overflow = true;
    return r;
  }
  if (den < 0) {
    num = -num;
    den = -den;
  }
  if (den == 1) {
    r.num = num;
    return r;
  }
  int64_t g = gcd64(num, den);
  if (g > 1) {
    num = div_exact(num, g);
    den = div_exact(den, g);
  }
  r.num = num;
  r.den = den;
  return r;
}

pat_rat pat_rat_int(int64_t value) {
  pat_rat r = {value, 1};
  return r;
}

/* a/b + c/d computed over lcm(b, d) to keep intermediates small. */
pat_rat pat_rat_add(pat_rat a, pat_rat b, bool *overflow) {
  if (a.den == 1 && b.den == 1) {
    int64_t n;
    if (__builtin_add_overflow(a.num, b.num, &n) || n == INT64_MIN) /* never a value */
      goto fail;
    return pat_rat_int(n);
  }
  if (a.den == b.den) {
    int64_t n;
    if (__builtin_add_overflow(a.num, b.num, &n))
      goto fail;
    return pat_rat_make(n, a.den, overflow);
  }
  if ((a.den & (a.den - 1)) == 0 && (b.den & (b.den - 1)) == 0) {
    /* Two different powers of two (the host's times): the same products as
       below, over the larger one. Its fraction's numerator is odd and the
       other's term even, so the sum is odd: normalized already. */
    int a_shift = __builtin_ctzll((uint64_t)a.den), b_shift = __builtin_ctzll((uint64_t)b.den);
    int shift = a_shift > b_shift ? a_shift : b_shift;
    int64_t x, y, n;
    if (__builtin_mul_overflow(a.num, (int64_t)1 << (shift - a_shift), &x) ||
        __builtin_mul_overflow(b.num, (int64_t)1 << (shift - b_shift), &y) ||
        __builtin_add_overflow(x, y, &n))
      goto fail;
    pat_rat r = {n, (int64_t)1 << shift};
    return r;
  }
  int64_t g = gcd64(a.den, b.den);
  int64_t bd = b.den, ad = a.den;
  if (g > 1) { /* a 64-bit division costs tens of cycles, even by 1 */
    bd = div_exact(bd, g);
    ad = div_exact(ad, g);
  }
  int64_t x, y, n, d;
  if (__builtin_mul_overflow(a.num, bd, &x) || __builtin_mul_overflow(b.num, ad, &y) ||
      __builtin_add_overflow(x, y, &n) || __builtin_mul_overflow(a.den, bd, &d))
    goto fail;
  return pat_rat_make(n, d, overflow);
fail:
  *overflow = true;
  return pat_rat_int(0);
}

pat_rat pat_rat_gcd(pat_rat a, pat_rat b, bool *overflow) {
  if (a.num == 0)
    return b;
  if (b.num == 0)
    return a;
  /* over the common denominator lcm(a.den, b.den) = a.den * (b.den / g) */
  int64_t g = gcd64(a.den, b.den), x, y, d;
  if (__builtin_mul_overflow(a.num, div_exact(b.den, g), &x) ||
      __builtin_mul_overflow(b.num, div_exact(a.den, g), &y) ||
      __builtin_mul_overflow(a.den, div_exact(b.den, g), &d)) {
    *overflow = true;
    return pat_rat_int(0);
  }
  return pat_rat_make(gcd64(x, y), d, overflow);
}

pat_rat pat_rat_neg(pat_rat a) {
  if (a.num == INT64_MIN)
    return a; /* unreachable for normalized values */
  a.num = -a.num;
  return a;
}

pat_rat pat_rat_sub(pat_rat a, pat_rat b, bool *overflow) {
  if (b.num == INT64_MIN) {
    *overflow = true;
    return pat_rat_int(0);
  }
  return pat_rat_add(a, pat_rat_neg(b), overflow);
}

pat_rat pat_rat_mul(pat_rat a, pat_rat b, bool *overflow) {
  if (a.den == 1 && b.den == 1) {
    int64_t n;
    if (__builtin_mul_overflow(a.num, b.num, &n) || n == INT64_MIN) {
      *overflow = true;
      return pat_rat_int(0);
    }
    return pat_rat_int(n);
  }
  /* Cross-cancel first so products stay small. */
  int64_t g1 = gcd64(a.num, b.den), g2 = gcd64(b.num, a.den);
  int64_t an = a.num, bd = b.den, bn = b.num, ad = a.den;
  if (g1 > 1) { /* divide only when there is something to cancel (g 0: a zero) */
    an = div_exact(an, g1);
    bd = div_exact(bd, g1);
  }
  if (g2 > 1) {
    bn = div_exact(bn, g2);
    ad = div_exact(ad, g2);
  }
  int64_t n, d;
  if (__builtin_mul_overflow(an, bn, &n) || __builtin_mul_overflow(ad, bd, &d) || n == INT64_MIN) {
    *overflow = true;
    return pat_rat_int(0);
  }
  /* Normalized operands, cross-cancelled: the product is normalized already
     (denominators are positive), so no third gcd; only zero needs den 1. */
  pat_rat r = {n, n == 0 ? 1 : d};
  return r;
}

pat_rat pat_rat_div(pat_rat a, pat_rat b, bool *overflow) {
  if (b.num == 0) {
    *overflow = true;
    return pat_rat_int(0);
  }
  pat_rat inv = {b.den, b.num};
  if (inv.den < 0) {
    inv.num = -inv.num;
    inv.den = -inv.den;
  }
  return pat_rat_mul(a, inv, overflow);
}

int pat_rat_cmp(pat_rat a, pat_rat b) {
  if (a.den == b.den)
    return a.num < b.num ? -1 : a.num > b.num;
  /* 128-bit cross products are exact for any int64 operands. */
  __int128 l = (__int128)a.num * b.den, r = (__int128)b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

bool pat_rat_eq(pat_rat a, pat_rat b) { return a.num == b.num && a.den == b.den; }
bool pat_rat_is_zero(pat_rat a) { return a.num == 0; }

pat_rat pat_rat_floor(pat_rat a) {
  if (a.den == 1)
    return a;
  if ((a.den & (a.den - 1)) == 0) /* an arithmetic shift rounds down */
    return pat_rat_int(a.num >> __builtin_ctzll((uint64_t)a.den));
  int64_t q = a.num / a.den;
  if (a.num % a.den != 0 && a.num < 0)
    q -= 1;
  return pat_rat_int(q);
}

pat_rat pat_rat_ceil_next(pat_rat a) {
  pat_rat f = pat_rat_floor(a);
  f.num += 1; /* floor of an int64 fraction is never INT64_MAX unless den == 1 */
  return f;
}

double pat_rat_to_double(pat_rat a) { return (double)a.num / (double)a.den; }

int pat_rat_format(pat_rat a, char *buf, size_t size) {
  if (a.den == 1)
    return snprintf(buf, size, "%lld", (long long)a.num);
  return snprintf(buf, size, "%lld/%lld", (long long)a.num, (long long)a.den);
}

/* ---- Fraction(number) ---------------------------------------------------- */

/* Fraction.js parses a non-integer double with a Farey (Stern-Brocot) search
   for the first mediant whose double equals the input, denominators up to
   1e7. Walking it one mediant at a time can take 1e7 steps, so each run of
   same-direction steps is found by binary search: the mediants of a run move
   monotonically, and so do their rounded doubles. The result is the same. */
#define FAREY_LIMIT 10000000.0

typedef struct {
  double a, b, c, d; /* left bound a/b, right bound c/d (exact integers as doubles) */
} farey_state;

/* Mediant after j more steps of a run moving the left bound up. */
static double mediant_left(const farey_state *s, double j) {
  return (s->a + (j + 1) * s->c) / (s->b + (j + 1) * s->d);
}
static double mediant_right(const farey_state *s, double j) {
  return (s->c + (j + 1) * s->a) / (s->d + (j + 1) * s->b);
}

/* Largest count of steps k in [0, max] with pred(j) true for all j < k. */
static double run_length(const farey_state *s, double p, bool up, double max) {
  double lo = 0, hi = max + 1; /* pred holds for j < lo; fails at hi (or hi = max+1) */
  /* exponential search keeps short runs cheap */
  double step = 1;
  while (lo + step < hi) {
    double j = lo + step - 1;
    double m = up ? mediant_left(s, j) : mediant_right(s, j);
    bool holds = up ? p > m : p < m;
    if (!holds) {
      hi = j;
      break;
    }
    lo = j + 1;
    step *= 2;
  }
  while (lo < hi) {
    double j = floor((lo + hi) / 2);
    double m = up ? mediant_left(s, j) : mediant_right(s, j);
    bool holds = up ? p > m : p < m;
    if (holds)
      lo = j + 1;
    else
      hi = j;
  }
  return lo;
}

static void farey(double p, double *num, double *den) {
  farey_state s = {0, 1, 1, 1};
  double n = 0, d = 1;
  while (s.b <= FAREY_LIMIT && s.d <= FAREY_LIMIT) {
    double m = (s.a + s.c) / (s.b + s.d);
    if (p == m) {
      if (s.b + s.d <= FAREY_LIMIT) {
        n = s.a + s.c;
        d = s.b + s.d;
      } else if (s.d > s.b) {
        n = s.c;
        d = s.d;
      } else {
        n = s.a;
        d = s.b;
      }
      break;
    }
    if (p > m) {
      /* steps j = 0.. while b + j*d <= limit (b checked before each step) */
      double max = floor((FAREY_LIMIT - s.b) / s.d);
      double k = run_length(&s, p, true, max);
      /* k steps of the run all moved left; step k (if within the limit) is
         an equality or the turn, handled by the next loop iteration. */
      if (k == 0)
        k = 1; /* p > m was just checked for j = 0 */
      s.a += k * s.c;
      s.b += k * s.d;
    } else {
      double max = floor((FAREY_LIMIT - s.d) / s.b);
      double k = run_length(&s, p, false, max);
      if (k == 0)
        k = 1;
      s.c += k * s.a;
      s.d += k * s.b;
    }
    if (s.b > FAREY_LIMIT) {
      n = s.c;
      d = s.d;
    } else {
      n = s.a;
      d = s.b;
    }
  }
  *num = n;
  *den = d;
}

bool pat_rat_from_double(double value, pat_rat *out) {
  if (!isfinite(value))
    return false;
  bool negative = value < 0;
  double p = negative ? -value : value;
  double n, d = 1;
  if (fmod(p, 1.0) == 0) {
    n = p;
  } else {
    double z = 1;
    if (p >= 1) {
      z = pow(10, floor(1 + log(p) / 2.302585092994046)); /* Math.LN10 */
      p /= z;
    }
    farey(p, &n, &d);
    n *= z;
  }
  if (n >= 9.2e18 || d >= 9.2e18)
    return false;
  bool overflow = false;
  *out = pat_rat_make((int64_t)(negative ? -n : n), (int64_t)d, &overflow);
  return !overflow;
}
