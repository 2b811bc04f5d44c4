/* Exact rationals against a slow reference: every operation on edge values
   (powers of two up to 2^62, which take the shift paths, odd and even
   numbers near the int64 limits, negatives, zero, units) must give the
   normalized exact result, or flag an overflow when that does not fit. */
#include <check.h>

#include "check_run.h"
#include <stdint.h>
#include <stdio.h>

#include "pattern/pat_internal.h"

typedef __int128 wide;

/* Euclid's gcd of magnitudes: no shortcut to share a bug with. */
static wide reference_gcd(wide a, wide b) {
  a = a < 0 ? -a : a;
  b = b < 0 ? -b : b;
  while (b != 0) {
    wide r = a % b;
    a = b;
    b = r;
  }
  return a;
}

/* n/d (d != 0) normalized; false when it does not fit int64 as pat_rat does
   (INT64_MIN is never a numerator or denominator). */
static bool reference(wide n, wide d, pat_rat *out) {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  wide g = reference_gcd(n, d);
  if (g > 1) {
    n /= g;
    d /= g;
  }
  if (n == 0)
    d = 1;
  if (n <= INT64_MIN || n > INT64_MAX || d > INT64_MAX)
    return false;
  out->num = (int64_t)n;
  out->den = (int64_t)d;
  return true;
}

static wide floor_div(wide n, wide d) { /* d > 0 */
  wide q = n / d;
  return (n % d != 0 && n < 0) ? q - 1 : q;
}

/* Values the fast paths and the general ones meet: 2^k and 2^k +- 1, odd
   multiples of powers of two, near-limit magnitudes, primes, both signs. */
static int64_t edge_values[160];
static size_t edge_count;

static void add_edge(int64_t v) {
  if (v == INT64_MIN || edge_count >= sizeof edge_values / sizeof edge_values[0])
    return;
  edge_values[edge_count++] = v;
}

static void make_edges(void) {
  edge_count = 0;
  static const int shifts[] = {0, 1, 2, 3, 9, 16, 25, 31, 32, 40, 52, 61, 62};
  for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
    int64_t p = (int64_t)1 << shifts[i];
    add_edge(p);
    add_edge(-p);
    add_edge(p + 1);
    add_edge(p - 1 > 0 ? p - 1 : 3);
    add_edge(p <= INT64_MAX / 6 ? p * 3 : 5);
    add_edge(-(p > INT64_MAX / 5 ? p : p * 5));
  }
  static const int64_t others[] = {0,
                                   7,
                                   12,
                                   65536 * 3,
                                   999983,
                                   1000003,
                                   2147483647,
                                   INT64_MAX,
                                   INT64_MAX - 1,
                                   -INT64_MAX,
                                   INT64_MAX / 2,
                                   (int64_t)1 << 62 | 1,
                                   3LL * 1000000007LL,
                                   48000,
                                   44100};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
    add_edge(others[i]);
}

/* Check's ck_assert reports to its parent process at every call: the loops
   below make millions of checks, so they test first and fail through it. */
#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      ck_abort_msg(__VA_ARGS__);                                                                   \
  } while (0)

static void expect(pat_rat got, bool overflow, bool fits, pat_rat want, const char *what, int64_t a,
                   int64_t b, int64_t c, int64_t d) {
  if (!fits) {
    CHECK(overflow, "%s %lld/%lld, %lld/%lld: the result does not fit, no overflow", what,
          (long long)a, (long long)b, (long long)c, (long long)d);
    return;
  }
  /* An intermediate product may overflow before a result that fits; a
     result given must be exact. */
  if (!overflow)
    CHECK(got.num == want.num && got.den == want.den,
          "%s %lld/%lld, %lld/%lld: %lld/%lld, want %lld/%lld", what, (long long)a, (long long)b,
          (long long)c, (long long)d, (long long)got.num, (long long)got.den, (long long)want.num,
          (long long)want.den);
}

START_TEST(make_normalizes_like_the_reference) {
  make_edges();
  for (size_t i = 0; i < edge_count; i++)
    for (size_t j = 0; j < edge_count; j++) {
      int64_t n = edge_values[i], d = edge_values[j];
      if (d == 0)
        continue;
      bool of = false;
      pat_rat want = {0, 1}, got = pat_rat_make(n, d, &of);
      bool fits = reference(n, d, &want);
      CHECK(fits && !of, "make %lld/%lld", (long long)n, (long long)d); /* always fits */
      expect(got, of, fits, want, "make", n, d, 1, 1);
    }
}
END_TEST

START_TEST(arithmetic_matches_the_reference_on_edge_values) {
  make_edges();
  size_t checked = 0, exact = 0;
  /* operands n/d normalized from pairs of edge values (a subset: n from
     every edge value, d from the positive ones) */
  for (size_t i = 0; i < edge_count; i++)
    for (size_t j = 0; j < edge_count; j += 3) {
      if (edge_values[j] <= 0)
        continue;
      bool of = false;
      pat_rat a = pat_rat_make(edge_values[i], edge_values[j], &of);
      for (size_t k = 0; k < edge_count; k += 2)
        for (size_t l = 0; l < edge_count; l += 5) {
          if (edge_values[l] <= 0)
            continue;
          pat_rat b = pat_rat_make(edge_values[k], edge_values[l], &of);
          pat_rat want = {0, 1}, got;
          bool fits;
          of = false;
          got = pat_rat_add(a, b, &of);
          fits = reference((wide)a.num * b.den + (wide)b.num * a.den, (wide)a.den * b.den, &want);
          expect(got, of, fits, want, "add", a.num, a.den, b.num, b.den);
          exact += !of;
          of = false;
          got = pat_rat_sub(a, b, &of);
          fits = reference((wide)a.num * b.den - (wide)b.num * a.den, (wide)a.den * b.den, &want);
          expect(got, of, fits, want, "sub", a.num, a.den, b.num, b.den);
          of = false;
          got = pat_rat_mul(a, b, &of);
          /* num * num may pass 2^127: reduce across first, as the reference may */
          wide g1 = reference_gcd(a.num, b.den), g2 = reference_gcd(b.num, a.den);
          g1 = g1 ? g1 : 1;
          g2 = g2 ? g2 : 1;
          fits = reference(((wide)a.num / g1) * ((wide)b.num / g2),
                           ((wide)a.den / g2) * ((wide)b.den / g1), &want);
          expect(got, of, fits, want, "mul", a.num, a.den, b.num, b.den);
          if (b.num != 0) {
            of = false;
            got = pat_rat_div(a, b, &of);
            wide g3 = reference_gcd(a.num, b.num), g4 = reference_gcd(b.den, a.den);
            fits = reference(((wide)a.num / g3) * ((wide)b.den / g4),
                             ((wide)a.den / g4) * ((wide)b.num / g3), &want);
            expect(got, of, fits, want, "div", a.num, a.den, b.num, b.den);
          }
          wide l_side = (wide)a.num * b.den, r_side = (wide)b.num * a.den;
          CHECK(pat_rat_cmp(a, b) == (l_side < r_side ? -1 : l_side > r_side), "cmp");
          checked++;
        }
      pat_rat f = pat_rat_floor(a);
      CHECK(f.den == 1 && (wide)f.num == floor_div(a.num, a.den), "floor %lld/%lld: %lld",
            (long long)a.num, (long long)a.den, (long long)f.num);
    }
  ck_assert_uint_gt(checked, 10000);
  ck_assert_uint_gt(exact, checked / 4); /* most results fit: the exact paths ran */
}
END_TEST

/* The block spans run() queries (n / 65536) shifted by a layer's k / 512 and
   sped up by 8: the dyadic shift paths on the values a real program makes. */
START_TEST(dyadic_block_times_stay_exact) {
  for (int64_t block = -3000; block < 300000; block += 37) {
    bool of = false;
    pat_rat t = pat_rat_make(block * 24 - 1, 65536, &of);
    for (int64_t k = 0; k < 64; k += 7) {
      pat_rat shifted = pat_rat_sub(t, pat_rat_make(k, 512, &of), &of);
      pat_rat want;
      reference((wide)(block * 24 - 1) * 512 - (wide)k * 65536, (wide)65536 * 512, &want);
      CHECK(shifted.num == want.num && shifted.den == want.den, "shift %lld", (long long)block);
      pat_rat fast = pat_rat_mul(shifted, pat_rat_int(8), &of);
      reference((wide)want.num * 8, want.den, &want);
      CHECK(fast.num == want.num && fast.den == want.den, "fast %lld", (long long)block);
      pat_rat floor = pat_rat_floor(fast);
      CHECK((wide)floor.num == floor_div(fast.num, fast.den), "floor %lld", (long long)block);
    }
    CHECK(!of, "overflow at block %lld", (long long)block);
  }
}
END_TEST

/* Sums and differences of small dyadic fractions, many of them whole
   numbers or with a smaller denominator than either operand. */
START_TEST(dyadic_sums_are_normalized) {
  for (int64_t an = -40; an <= 40; an++)
    for (int a_shift = 0; a_shift < 7; a_shift++)
      for (int64_t bn = -40; bn <= 40; bn += 3)
        for (int b_shift = 0; b_shift < 7; b_shift++) {
          bool of = false;
          pat_rat a = pat_rat_make(an, (int64_t)1 << a_shift, &of);
          pat_rat b = pat_rat_make(bn, (int64_t)1 << b_shift, &of);
          pat_rat sum = pat_rat_add(a, b, &of), difference = pat_rat_sub(a, b, &of), want;
          reference((wide)a.num * b.den + (wide)b.num * a.den, (wide)a.den * b.den, &want);
          CHECK(sum.num == want.num && sum.den == want.den, "%lld/%lld + %lld/%lld",
                (long long)a.num, (long long)a.den, (long long)b.num, (long long)b.den);
          reference((wide)a.num * b.den - (wide)b.num * a.den, (wide)a.den * b.den, &want);
          CHECK(difference.num == want.num && difference.den == want.den, "%lld/%lld - %lld/%lld",
                (long long)a.num, (long long)a.den, (long long)b.num, (long long)b.den);
          CHECK(!of, "overflow");
        }
}
END_TEST

/* pat_rat_gcd (the period of a stack's onsets): the largest g with a / g
   and b / g both integers. */
START_TEST(rational_gcd_divides_both_and_is_largest) {
  make_edges();
  size_t checked = 0;
  for (size_t i = 0; i < edge_count; i += 2)
    for (size_t j = 0; j < edge_count; j += 3)
      for (size_t k = 1; k < edge_count; k += 4) {
        int64_t den_a = edge_values[j] > 0 ? edge_values[j] : 1;
        int64_t den_b = edge_values[k] > 0 ? edge_values[k] : 1;
        bool of = false;
        pat_rat a = pat_rat_make(edge_values[i] < 0 ? -edge_values[i] : edge_values[i], den_a, &of);
        pat_rat b = pat_rat_make(edge_values[k] < 0 ? -edge_values[k] : edge_values[k], den_b, &of);
        pat_rat g = pat_rat_gcd(a, b, &of);
        if (of)
          continue;
        checked++;
        if (a.num == 0 || b.num == 0) {
          pat_rat other = a.num == 0 ? b : a;
          CHECK(g.num == other.num && g.den == other.den, "gcd with 0");
          continue;
        }
        CHECK(g.num > 0, "gcd sign");
        /* a / g = (a.num * g.den) / (a.den * g.num): a whole number, and
           the two quotients have no common factor */
        wide qa_num = (wide)a.num * g.den, qa_den = (wide)a.den * g.num;
        wide qb_num = (wide)b.num * g.den, qb_den = (wide)b.den * g.num;
        CHECK(qa_num % qa_den == 0 && qb_num % qb_den == 0, "gcd divides");
        CHECK(reference_gcd(qa_num / qa_den, qb_num / qb_den) == 1, "gcd largest");
      }
  ck_assert_uint_gt(checked, 1000);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pattern_rational");
  TCase *tc = tcase_create("rational");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, make_normalizes_like_the_reference);
  tcase_add_test(tc, arithmetic_matches_the_reference_on_edge_values);
  tcase_add_test(tc, dyadic_block_times_stay_exact);
  tcase_add_test(tc, rational_gcd_divides_both_and_is_largest);
  tcase_add_test(tc, dyadic_sums_are_normalized);
  suite_add_tcase(s, tc);
  return check_run(s);
}
