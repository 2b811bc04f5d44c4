/* Tidal's long-form composition (ur, seqP, seqPLoop) and control matching
   (the split fix, unfix and contrast make), timeLoop: the builders. Their queries are
   in query_form.c. */
#include <string.h>

#include "pattern/pat_internal.h"

const pat_pattern *pat_match_controls(pat_store *store, const pat_pattern *condition, bool matched,
                                      const pat_pattern *p) {
  const pat_pattern *kids[2] = {p, condition};
  pat_pattern *n = pat_node_make(store, PN_MATCH, kids, 2);
  if (n) {
    n->invert = !matched;
    n->has_combine = true; /* the condition is queried for each event, as an operator's side */
  }
  return n;
}

static const pat_pattern *warp(pat_store *store, const pat_pattern *owner, bool outer,
                               const pat_pattern *p) {
  pat_pattern *n = pat_node_make(store, PN_UR_VAR, &p, 1);
  if (n) {
    n->owner = owner;
    n->slow = outer;
  }
  return n;
}

/* ur t outer names fx = slow t of the node; each named pattern is fast t,
   and gets fx_count + 2 variants (see query_form.c's ur_variant). */
const pat_pattern *pat_ur(pat_store *store, double period, const pat_pattern *outer,
                          const char *const *names, const pat_pattern *const *patterns,
                          size_t count, const char *const *fx_names, pat_transform_fn fn,
                          void *const *contexts, size_t fx_count) {
  pat_rat t;
  if (!store || !outer || !(period > 0) || !pat_rat_from_double(period, &t) || pat_rat_is_zero(t))
    return NULL;
  pat_pattern *n = pat_node_make(store, PN_UR, &outer, 1);
  size_t per_name = fx_count + 2, kid_count = 1 + count * per_name;
  const pat_pattern **kids = pat_store_alloc(store, kid_count * sizeof *kids);
  const char **all_names = pat_store_alloc(store, (count + fx_count + 1) * sizeof *all_names);
  const pat_pattern *factor = pat_number(store, period);
  if (!n || !kids || !all_names || !factor)
    return NULL;
  kids[0] = outer;
  for (size_t i = 0; i < count + fx_count; i++) {
    const char *name = i < count ? names[i] : fx_names[i - count];
    all_names[i] = pat_store_strdup(store, name, strlen(name));
    if (!all_names[i])
      return NULL;
  }
  for (size_t i = 0; i < count; i++) {
    const pat_pattern *fast = pat_fast(store, factor, patterns[i]);
    const pat_pattern *inner = warp(store, n, false, fast);
    const pat_pattern **variant = &kids[1 + i * per_name];
    variant[0] = fast;
    variant[1] = warp(store, n, true, inner);
    for (size_t j = 0; j < fx_count; j++)
      variant[2 + j] = inner && fn ? warp(store, n, true, fn(store, inner, contexts[j])) : NULL;
    for (size_t k = 0; k < per_name; k++)
      if (!variant[k])
        return NULL;
  }
  if (!pat_node_set_kids(store, n, kids, kid_count))
    return NULL;
  n->names = all_names;
  n->has_combine = true; /* each outer event's pattern is queried as an operator's side */
  n->name_count = count;
  n->fx_count = fx_count;
  return pat_slow(store, factor, n);
}

/* seqP: stack [playFor b e (sam b ~> p)]; seqPLoop: those cycles, from the
   earliest begin to the latest end, in a loop (Tidal's timeLoop (max - min)
   of rotL min). */
const pat_pattern *pat_seqp(pat_store *store, const double *begins, const double *ends,
                            const pat_pattern *const *items, size_t count, bool loop) {
  const pat_pattern **parts =
      store ? pat_store_alloc(store, (count ? count : 1) * sizeof *parts) : NULL;
  if (!parts)
    return NULL;
  double first = 0, last = 0;
  for (size_t i = 0; i < count; i++) {
    pat_rat begin, end;
    if (!pat_rat_from_double(begins[i], &begin) || !pat_rat_from_double(ends[i], &end))
      return NULL;
    pat_rat sam = pat_rat_floor(begin);
    pat_pattern *part =
        pat_node_make(store, PN_PLAY_FOR,
                      (const pat_pattern *const[]){
                          pat_late(store, pat_number(store, pat_rat_to_double(sam)), items[i])},
                      1);
    if (!part)
      return NULL;
    part->begin = begin;
    part->end = end;
    parts[i] = part;
    first = i == 0 || begins[i] < first ? begins[i] : first;
    last = i == 0 || ends[i] > last ? ends[i] : last;
  }
  const pat_pattern *all = pat_stack(store, parts, count);
  if (!loop || !all)
    return all;
  return pat_time_loop(store, last - first, pat_early(store, pat_number(store, first), all));
}

/* outside n loopFirst: slow n $ loopFirst $ fast n p */
const pat_pattern *pat_time_loop(pat_store *store, double cycles, const pat_pattern *p) {
  if (!(cycles > 0))
    return pat_silence(store); /* Tidal's _fast 0 */
  const pat_pattern *length = pat_number(store, cycles);
  const pat_pattern *looped = pat_node_make(
      store, PN_LOOP_FIRST, (const pat_pattern *const[]){pat_fast(store, length, p)}, 1);
  return pat_slow(store, length, looped);
}
