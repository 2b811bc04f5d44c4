/* pat_onset_grid_meets, whether a span [begin, end] holds a point
   phase + k * period, against a reference in 128-bit integers: on spans like
   the blocks run() asks for (44.1 and 48 kHz, dyadic host times), on spans
   whose ends lie on a point or a hair's breadth either side, zero-width
   spans, late times, and small and large periods. Its quick answer in
   doubles must never differ from the exact one; where the exact one's int64
   rationals overflow, it may say true ("not known"), never false wrongly. */
#include <check.h>

#include "check_run.h"
#include <stdint.h>
#include <stdlib.h>

#include "pattern/pat_internal.h"

typedef __int128 wide;

static pat_rat R(int64_t n, int64_t d) {
  bool of = false;
  return pat_rat_make(n, d, &of);
}

/* floor(n / d) for d > 0. */
static wide floor_div(wide n, wide d) { return n / d - (n % d != 0 && n < 0); }

/* The smallest k with phase + k * period >= begin, then whether that point
   is <= end: exact, in 128 bits (the test's values keep every product far
   below 2^127). The period is positive. */
static bool reference_meets(pat_rat period, pat_rat phase, pat_arc span) {
  const wide pn = period.num, pd = period.den, fn = phase.num, fd = phase.den;
  const wide bn = span.begin.num, bd = span.begin.den, en = span.end.num, ed = span.end.den;
  /* (begin - phase) / period = ((bn fd - fn bd) pd) / (bd fd pn) */
  const wide num = (bn * fd - fn * bd) * pd, den = bd * fd * pn;
  const wide k = -floor_div(-num, den); /* the ceiling */
  /* phase + k * period <= end: (k pn fd + fn pd) ed <= en pd fd */
  return (k * pn * fd + fn * pd) * ed <= en * pd * fd;
}

static const int64_t denominators[] = {1, 2, 3, 7, 8, 512, 44100, 48000, 96000, 1 << 20};
#define DENOMINATORS (int)(sizeof denominators / sizeof denominators[0])

static int64_t pick(int64_t below) { return (int64_t)(((uint64_t)rand() << 16 ^ rand()) % below); }

static pat_rat random_time(int64_t cycles) {
  const int64_t den = denominators[pick(DENOMINATORS)];
  return R(pick(cycles * den) - (pick(4) == 0 ? cycles * den / 2 : 0), den);
}

/* Whether the exact way, in int64 rationals, overflows on the span (then
   pat_onset_grid_meets may say true: "not known"). */
static bool rationals_overflow(const pat_onset_grid *grid, pat_arc span) {
  bool of = false;
  const pat_rat steps = pat_rat_div(pat_rat_sub(span.begin, grid->phase, &of), grid->period, &of);
  const pat_rat first = pat_rat_add(pat_rat_floor(steps), pat_rat_int(1), &of);
  pat_rat_add(pat_rat_mul(first, grid->period, &of), grid->phase, &of);
  return of;
}

static int checked;

/* Compares the two on a span, unless making the span overflowed. */
static void check_span(const pat_onset_grid *grid, pat_rat begin, pat_rat end, bool overflowed) {
  if (overflowed || pat_rat_cmp(begin, end) > 0)
    return;
  const pat_arc span = {begin, end};
  const bool got = pat_onset_grid_meets(grid, span);
  const bool want = reference_meets(grid->period, grid->phase, span);
  ck_assert_msg(got == want || (got && rationals_overflow(grid, span)),
                "period %lld/%lld phase %lld/%lld span [%lld/%lld, %lld/%lld]: %d, want %d",
                (long long)grid->period.num, (long long)grid->period.den,
                (long long)grid->phase.num, (long long)grid->phase.den, (long long)begin.num,
                (long long)begin.den, (long long)end.num, (long long)end.den, got, want);
  checked++;
}

START_TEST(the_quick_answer_is_the_exact_one) {
  srand(15);
  const pat_rat hairs[] = {R(0, 1), R(1, 1 << 20), R(1, 96000), R(1, 44100 * 4)};
  for (int trial = 0; trial < 20000; trial++) {
    bool of = false;
    const int64_t cycles = trial % 3 == 0 ? 100000 : 16;
    const pat_onset_grid grid = {R(1 + pick(4096), 1 + pick(4096)),
                                 R(pick(64) - 32, 1 + pick(4096)), true};
    /* a block-sized span anywhere */
    const pat_rat begin = random_time(cycles);
    const pat_rat length = R(pick(4096), denominators[pick(DENOMINATORS)] * 4);
    check_span(&grid, begin, pat_rat_add(begin, length, &of), of);
    /* spans touching a point of the grid (within the cycles), or missing
       it by a hair */
    const int64_t steps = cycles * grid.period.den / grid.period.num + 1;
    const pat_rat point = pat_rat_add(
        grid.phase, pat_rat_mul(R(pick(2 * steps) - steps / 2, 1), grid.period, &of), &of);
    for (int h = 0; h < (int)(sizeof hairs / sizeof hairs[0]); h++) {
      const pat_rat below = pat_rat_sub(point, hairs[h], &of);
      const pat_rat above = pat_rat_add(point, hairs[h], &of);
      check_span(&grid, below, point, of);
      check_span(&grid, point, above, of);
      check_span(&grid, below, below, of);
      check_span(&grid, above, above, of);
      bool wider = of;
      check_span(&grid, pat_rat_sub(below, length, &wider), below, wider);
      wider = of;
      check_span(&grid, above, pat_rat_add(above, length, &wider), wider);
    }
  }
  ck_assert_int_gt(checked, 400000);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pattern_grid");
  TCase *tc = tcase_create("grid");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, the_quick_answer_is_the_exact_one);
  suite_add_tcase(s, tc);
  return check_run(s);
}
