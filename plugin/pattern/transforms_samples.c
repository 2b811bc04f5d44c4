/* Tidal's sample functions as pattern builders (pattern.h): chop, striate,
   striateBy, randslice, bite and chew are nodes of their own
   (query_samples.c); slice, splice, loopAt, smash and gap are made of the
   engine's operators, as Tidal defines them. */
#include "pattern/pat_internal.h"

static pat_pattern *node_of(pat_store *store, pat_node_kind kind, const pat_pattern *const *kids,
                            size_t count, const pat_pattern *const *args, int arg_count,
                            int variant) {
  pat_pattern *n = pat_node_make_args(store, kind, kids, count, args, arg_count);
  if (n)
    n->signal = variant;
  return n;
}

const pat_pattern *pat_chop(pat_store *store, const pat_pattern *count, const pat_pattern *p) {
  return node_of(store, PN_CHOP, &p, 1, &count, 1, 0);
}

const pat_pattern *pat_striate(pat_store *store, const pat_pattern *count, const pat_pattern *p) {
  return node_of(store, PN_STRIATE, &p, 1, &count, 1, 0);
}

const pat_pattern *pat_striate_by(pat_store *store, const pat_pattern *count,
                                  const pat_pattern *length, const pat_pattern *p) {
  const pat_pattern *args[2] = {count, length};
  return node_of(store, PN_STRIATE, &p, 1, args, 2, 1);
}

const pat_pattern *pat_randslice(pat_store *store, const pat_pattern *count, const pat_pattern *p) {
  return node_of(store, PN_RANDSLICE, &p, 1, &count, 1, 0);
}

const pat_pattern *pat_bite(pat_store *store, const pat_pattern *count, const pat_pattern *indices,
                            const pat_pattern *p) {
  const pat_pattern *kids[2] = {indices, p};
  return node_of(store, PN_BITE, kids, 2, &count, 1, 0);
}

const pat_pattern *pat_chew(pat_store *store, const pat_pattern *count, const pat_pattern *indices,
                            const pat_pattern *p) {
  const pat_pattern *kids[2] = {indices, p};
  return node_of(store, PN_BITE, kids, 2, &count, 1, 1);
}

/* The slices as maps {begin, end} (splice: and speed) on the indices'
   structure, the count sampled (Tidal's <*, the mini-notation's i:n). */
static const pat_pattern *slice_ranges(pat_store *store, const pat_pattern *count,
                                       const pat_pattern *indices, int variant) {
  const pat_pattern *pair[2] = {indices, count};
  const pat_pattern *lists = node_of(store, PN_TAIL, pair, 2, NULL, 0, 0);
  return node_of(store, PN_SLICE_RANGE, &lists, 1, NULL, 0, variant);
}

/* Tidal's slice n i p = begin b # end e # p. */
const pat_pattern *pat_slice(pat_store *store, const pat_pattern *count, const pat_pattern *indices,
                             const pat_pattern *p) {
  return pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT, slice_ranges(store, count, indices, 0),
                     p);
}

static const pat_pattern *unit_c(pat_store *store) {
  pat_value c = {.kind = PAT_VALUE_STRING, .str = "c"};
  return pat_control_pattern(store, PAT_CONTROL_UNIT, pat_pure(store, c));
}

/* Tidal's splice: the slice with speed d * (p's speed or 1), d the slice's
   length over its event's, then # unit "c". */
const pat_pattern *pat_splice(pat_store *store, const pat_pattern *count,
                              const pat_pattern *indices, const pat_pattern *p) {
  const pat_pattern *sliced = pat_combine(store, PAT_OP_SPLICE, PAT_STRUCTURE_LEFT,
                                          slice_ranges(store, count, indices, 1), p);
  return pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT, sliced, unit_c(store));
}

/* Tidal's loopAt n p = slow n p |* speed (1 / n) # unit "c" (1 / n with n's
   structure: 1 /| n). */
const pat_pattern *pat_loop_at(pat_store *store, const pat_pattern *cycles, const pat_pattern *p) {
  const pat_pattern *inverse =
      pat_combine(store, PAT_OP_DIV, PAT_STRUCTURE_RIGHT, pat_number(store, 1), cycles);
  const pat_pattern *speed = pat_control_pattern(store, PAT_CONTROL_SPEED, inverse);
  const pat_pattern *slowed =
      pat_combine(store, PAT_OP_MUL, PAT_STRUCTURE_LEFT, pat_slow(store, cycles, p), speed);
  return pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT, slowed, unit_c(store));
}

const pat_pattern *pat_smash(pat_store *store, const pat_pattern *count,
                             const pat_pattern *const *factors, size_t factor_count, bool with_chop,
                             const pat_pattern *p) {
  const pat_pattern *cut = with_chop ? pat_chop(store, count, p) : pat_striate(store, count, p);
  const pat_pattern **slowed =
      store ? pat_store_alloc(store, (factor_count + 1) * sizeof *slowed) : NULL;
  if (!cut || !slowed)
    return NULL;
  for (size_t i = 0; i < factor_count; i++)
    if (!(slowed[i] = pat_slow(store, factors[i], cut)))
      return NULL;
  return pat_slowcat(store, slowed, factor_count);
}

const pat_pattern *pat_gap(pat_store *store, const pat_pattern *count, const pat_pattern *p) {
  const pat_pattern *halves[2] = {pat_control_pattern(store, PAT_CONTROL_N, pat_number(store, 1)),
                                  pat_silence(store)};
  if (!halves[0] || !halves[1])
    return NULL;
  return pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_BOTH,
                     pat_fast(store, count, pat_slowcat(store, halves, 2)),
                     pat_chop(store, count, p));
}
