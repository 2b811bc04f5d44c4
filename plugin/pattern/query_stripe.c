/* Tidal's stripe n p (substruct' (randStruct n) p): each cycle is cut into n
   stripes of random lengths, and stripe i plays p's cycle squeezed into it. */
#include <math.h>

#include "pattern/pat_internal.h"

/* Tidal's randArcs: stripe x of cycle c weighs 1, 2 or 3, chosen by rand
   over the cycle shifted x/n earlier (its middle is c + x/n + 1/2). */
static int64_t weight(pat_rat cycle, int64_t x, int64_t n, bool *of) {
  pat_rat middle =
      pat_rat_add(cycle, pat_rat_add(pat_rat_make(x, n, of), pat_rat_make(1, 2, of), of), of);
  double r = pat_tidal_time_to_rand(middle);
  return 1 + (int64_t)floor(r * 3.0) % 3;
}

void pat_q_stripe(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  if (v->kind != PAT_VALUE_NUMBER || !(fabs(v->number) < 2147483648.0)) {
    ctx->failed = true;
    return;
  }
  int64_t n = (int64_t)floor(v->number);
  if (n <= 0)
    return; /* randArcs of no stripes */
  bool of = false;
  bool point = pat_rat_cmp(span.begin, span.end) == 0;
  pat_cycle_iter it;
  pat_arc piece;
  pat_cycles_start(&it, span);
  while (!of && pat_cycles_next(ctx, &it, &piece)) {
    pat_rat cycle = pat_rat_floor(piece.begin);
    int64_t total = 0;
    for (int64_t x = 0; x < n && pat_q_work(ctx); x++)
      total += weight(cycle, x, n, &of);
    int64_t sum = 0;
    for (int64_t i = 0; i < n && !of && !ctx->overflow; i++) {
      int64_t w = weight(cycle, i, n, &of);
      pat_rat b = pat_rat_add(cycle, pat_rat_make(sum, total, &of), &of);
      sum += w;
      pat_rat e = pat_rat_add(cycle, pat_rat_make(sum, total, &of), &of);
      pat_arc part;
      if (point) {
        if (pat_rat_cmp(b, piece.begin) > 0 || pat_rat_cmp(piece.begin, e) >= 0)
          continue;
        part = piece;
      } else if (!pat_arc_intersect((pat_arc){b, e}, piece, &part, &of) ||
                 pat_rat_cmp(part.begin, part.end) >= 0) {
        continue;
      }
      /* stripe i plays cycle c - i * n of p (inside (1/n) (rotR i)), in [b, e) */
      pat_rat length = pat_rat_sub(e, b, &of);
      pat_rat source = pat_rat_sub(cycle, pat_rat_int(i * n), &of);
      pat_arc inner = {
          pat_rat_add(source, pat_rat_div(pat_rat_sub(part.begin, b, &of), length, &of), &of),
          pat_rat_add(source, pat_rat_div(pat_rat_sub(part.end, b, &of), length, &of), &of)};
      pat_rat add = pat_rat_sub(b, pat_rat_mul(source, length, &of), &of);
      if (of)
        break;
      size_t from = ctx->count;
      pat_q(ctx, node->kids[0], inner);
      pat_q_map_times(ctx, from, length, add);
    }
  }
  if (of)
    pat_q_time_overflow(ctx);
}
