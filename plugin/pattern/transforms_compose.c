/* Tidal's composition and structure builders: stack, timeCat, randcat,
   wrandcat, struct, mask, sew, stitch, euclidInv. Each is made of the
   engine's existing nodes (stack, compress, choose, combine, euclid). */
#include <string.h>

#include "pattern/pat_internal.h"

static bool all_there(const pat_pattern *const *items, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (!items[i])
      return false;
  return true;
}

const pat_pattern *pat_stack(pat_store *store, const pat_pattern *const *items, size_t count) {
  if (count == 0)
    return pat_silence(store);
  if (count == 1)
    return items[0];
  pat_pattern *n = pat_node_make(store, PN_STACK, items, count);
  if (n)
    pat_stack_grids(store, n);
  return n;
}

/* s_cat: item i compressed into [sum before / total, sum to i / total);
   items of weight 0 are left out. */
const pat_pattern *pat_timecat(pat_store *store, const double *weights,
                               const pat_pattern *const *items, size_t count) {
  if (!store || !all_there(items, count))
    return NULL;
  pat_rat *w = pat_store_alloc(store, (count ? count : 1) * sizeof *w);
  const pat_pattern **parts = pat_store_alloc(store, (count ? count : 1) * sizeof *parts);
  if (!w || !parts)
    return NULL;
  bool of = false;
  pat_rat total = pat_rat_int(0);
  for (size_t i = 0; i < count; i++) {
    if (!pat_rat_from_double(weights[i], &w[i]) || pat_rat_cmp(w[i], pat_rat_int(0)) < 0)
      return NULL;
    total = pat_rat_add(total, w[i], &of);
  }
  if (of || pat_rat_is_zero(total))
    return pat_silence(store);
  size_t used = 0;
  pat_rat begin = pat_rat_int(0);
  for (size_t i = 0; i < count; i++) {
    if (pat_rat_is_zero(w[i]))
      continue;
    pat_rat end = pat_rat_add(begin, w[i], &of);
    pat_pattern *part = pat_node_make(store, PN_COMPRESS, &items[i], 1);
    if (!part)
      return NULL;
    part->begin = pat_rat_div(begin, total, &of);
    part->end = pat_rat_div(end, total, &of);
    parts[used++] = part;
    begin = end;
  }
  if (of)
    return NULL;
  if (used == 1 && pat_rat_cmp(w[0], total) == 0)
    return items[0];
  pat_pattern *n = pat_node_make(store, PN_STACK, parts, used);
  if (n)
    n->timecat = true; /* ordered, non-empty steps: q_timecat reads only those it overlaps */
  return n;
}

const pat_pattern *pat_randcat(pat_store *store, const pat_pattern *const *items, size_t count) {
  if (count == 0)
    return pat_silence(store);
  return pat_node_make(store, PN_CHOOSE, items, count); /* seed_shift 0: rand itself */
}

const pat_pattern *pat_wrandcat(pat_store *store, const double *weights,
                                const pat_pattern *const *items, size_t count) {
  if (count == 0)
    return pat_silence(store);
  pat_pattern *n = pat_node_make(store, PN_CHOOSE, items, count);
  double *sums = n ? pat_store_alloc(store, count * sizeof *sums) : NULL;
  if (!sums)
    return NULL;
  double sum = 0;
  for (size_t i = 0; i < count; i++)
    sums[i] = sum += weights[i];
  n->weights = sums;
  return n;
}

const pat_pattern *pat_struct(pat_store *store, const pat_pattern *booleans, const pat_pattern *p) {
  return pat_combine(store, PAT_OP_KEEP_IF, PAT_STRUCTURE_RIGHT, p, booleans);
}

const pat_pattern *pat_mask(pat_store *store, const pat_pattern *booleans, const pat_pattern *p) {
  return pat_combine(store, PAT_OP_KEEP_IF, PAT_STRUCTURE_LEFT, p, booleans);
}

const pat_pattern *pat_sew(pat_store *store, const pat_pattern *booleans, const pat_pattern *p,
                           const pat_pattern *q) {
  return pat_stack2(store, pat_mask(store, booleans, p),
                    pat_combine(store, PAT_OP_KEEP_UNLESS, PAT_STRUCTURE_LEFT, q, booleans));
}

const pat_pattern *pat_stitch(pat_store *store, const pat_pattern *booleans, const pat_pattern *p,
                              const pat_pattern *q) {
  return pat_stack2(store, pat_struct(store, booleans, p),
                    pat_combine(store, PAT_OP_KEEP_UNLESS, PAT_STRUCTURE_RIGHT, q, booleans));
}

const pat_pattern *pat_euclid_inv(pat_store *store, const pat_pattern *pulses,
                                  const pat_pattern *steps, const pat_pattern *rotation,
                                  const pat_pattern *p) {
  pat_pattern *n = (pat_pattern *)pat_euclid(store, pulses, steps, rotation, p);
  if (n)
    n->invert = true;
  return n;
}
