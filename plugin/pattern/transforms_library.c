/* Builders for Tidal's library functions queried in query_arp.c,
   query_pick.c and query_cycles.c: one node each, their first arguments
   patterns joined as Tidal's tParam (innerJoin) does. */
#include <string.h>

#include "pattern/pat_internal.h"

const pat_pattern *pat_arpeggiate(pat_store *store, const pat_pattern *p) {
  return pat_node_make_args(store, PN_ARP, &p, 1, NULL, 0);
}

const pat_pattern *pat_arp(pat_store *store, const pat_pattern *modes, const pat_pattern *p) {
  pat_pattern *n = pat_node_make_args(store, PN_ARP, &p, 1, &modes, 1);
  if (n)
    n->signal = 2;
  return n;
}

/* Tidal's rolledBy pt = tParam rolledWith (segment 1 pt). */
const pat_pattern *pat_rolled_by(pat_store *store, const pat_pattern *amount,
                                 const pat_pattern *p) {
  const pat_pattern *once = pat_segment(store, pat_number(store, 1), amount);
  pat_pattern *n = pat_node_make_args(store, PN_ARP, &p, 1, &once, 1);
  if (n)
    n->signal = 1;
  return n;
}

/* plyWith and stutWith: f is applied once, to the placeholder that stands
   for the compound one level down. */
static const pat_pattern *compound(pat_store *store, const pat_pattern *const *args, int arg_count,
                                   bool ply, pat_transform_fn fn, void *context,
                                   const pat_pattern *p) {
  pat_pattern *n = pat_node_make_args(store, PN_COMPOUND, &p, 1, args, arg_count);
  pat_pattern *var = pat_node_make_args(store, PN_COMPOUND_VAR, NULL, 0, NULL, 0);
  if (!n || !var || !fn)
    return NULL;
  n->invert = ply;
  var->owner = n;
  const pat_pattern *kids[2] = {p, fn(store, var, context)};
  if (!kids[1] || !pat_node_set_kids(store, n, kids, 2))
    return NULL;
  return n;
}

const pat_pattern *pat_ply_with(pat_store *store, const pat_pattern *count, pat_transform_fn fn,
                                void *context, const pat_pattern *p) {
  return compound(store, &count, 1, true, fn, context, p);
}

const pat_pattern *pat_stut_with(pat_store *store, const pat_pattern *count,
                                 const pat_pattern *time, pat_transform_fn fn, void *context,
                                 const pat_pattern *p) {
  const pat_pattern *args[2] = {count, time};
  return compound(store, args, 2, false, fn, context, p);
}

const pat_pattern *pat_pick(pat_store *store, pat_pick_mode mode, const pat_pattern *index,
                            const pat_pattern *const *items, size_t count) {
  if (count == 0)
    return pat_silence(store);
  if (mode == PAT_PICK_SQUEEZE) {
    const pat_pattern **kids = pat_store_alloc(store, (count + 1) * sizeof *kids);
    if (!kids)
      return NULL;
    kids[0] = index;
    for (size_t i = 0; i < count; i++)
      kids[1 + i] = items[i];
    return pat_node_make_args(store, PN_SQUEEZE, kids, count + 1, NULL, 0);
  }
  pat_pattern *n = pat_node_make_args(store, PN_PICK, items, count, &index, 1);
  if (n)
    n->signal = (int)mode;
  return n;
}

const pat_pattern *pat_inhabit(pat_store *store, const pat_pattern *words, const char *const *names,
                               const pat_pattern *const *patterns, size_t count) {
  if (count == 0)
    return pat_silence(store);
  pat_pattern *n = (pat_pattern *)pat_pick(store, PAT_PICK_SQUEEZE, words, patterns, count);
  const char **copies = n ? pat_store_alloc(store, count * sizeof *copies) : NULL;
  if (!copies)
    return NULL;
  for (size_t i = 0; i < count; i++)
    if (!(copies[i] = pat_store_strdup(store, names[i], strlen(names[i]))))
      return NULL;
  n->names = copies;
  n->name_count = count;
  return n;
}

const pat_pattern *pat_rot(pat_store *store, const pat_pattern *amount, const pat_pattern *p) {
  return pat_node_make_args(store, PN_ROT, &p, 1, &amount, 1);
}

const pat_pattern *pat_shuffle(pat_store *store, const pat_pattern *parts, bool with_replacement,
                               const pat_pattern *p) {
  pat_pattern *n = pat_node_make_args(store, PN_REARRANGE, &p, 1, &parts, 1);
  if (n)
    n->invert = with_replacement;
  return n;
}

const pat_pattern *pat_fit(pat_store *store, const pat_pattern *step,
                           const pat_pattern *const *items, size_t count,
                           const pat_pattern *indices) {
  if (count == 0)
    return pat_silence(store);
  const pat_pattern **kids = pat_store_alloc(store, (count + 1) * sizeof *kids);
  if (!kids)
    return NULL;
  kids[0] = indices;
  for (size_t i = 0; i < count; i++)
    kids[1 + i] = items[i];
  return pat_node_make_args(store, PN_FIT, kids, count + 1, &step, 1);
}

const pat_pattern *pat_whenmod(pat_store *store, const pat_pattern *period, const pat_pattern *from,
                               const pat_pattern *changed, const pat_pattern *p) {
  const pat_pattern *kids[2] = {p, changed}, *args[2] = {period, from};
  return pat_node_make_args(store, PN_WHENMOD, kids, 2, args, 2);
}

const pat_pattern *pat_chunk(pat_store *store, const pat_pattern *count, bool backward,
                             const pat_pattern *changed, const pat_pattern *p) {
  const pat_pattern *kids[2] = {p, changed};
  pat_pattern *n = pat_node_make_args(store, PN_CHUNK, kids, 2, &count, 1);
  if (n)
    n->invert = backward;
  return n;
}

const pat_pattern *pat_linger(pat_store *store, const pat_pattern *amount, const pat_pattern *p) {
  return pat_node_make_args(store, PN_LINGER, &p, 1, &amount, 1);
}

const pat_pattern *pat_trunc(pat_store *store, const pat_pattern *amount, const pat_pattern *p) {
  return pat_node_make_args(store, PN_TRUNC, &p, 1, &amount, 1);
}

const pat_pattern *pat_stripe(pat_store *store, const pat_pattern *count, bool slow,
                              const pat_pattern *p) {
  const pat_pattern *n = pat_node_make_args(store, PN_STRIPE, &p, 1, &count, 1);
  return slow && n ? pat_slow(store, count, n) : n;
}

const pat_pattern *pat_smooth(pat_store *store, const pat_pattern *p) {
  return pat_node_make_args(store, PN_SMOOTH, &p, 1, NULL, 0);
}

const pat_pattern *pat_inside(pat_store *store, const pat_pattern *factor, bool outside,
                              pat_transform_fn fn, void *context, const pat_pattern *p) {
  pat_pattern *n = pat_node_make_args(store, PN_INSIDE, NULL, 0, &factor, 1);
  pat_pattern *var = pat_node_make_args(store, PN_INSIDE_VAR, &p, 1, NULL, 0);
  if (!n || !var || !fn)
    return NULL;
  n->invert = outside;
  var->owner = n;
  const pat_pattern *changed = fn(store, var, context);
  if (!changed || !pat_node_set_kids(store, n, &changed, 1))
    return NULL;
  return n;
}

const pat_pattern *pat_ntake(pat_store *store, pat_control control, const double *values,
                             size_t count) {
  pat_pattern *n = pat_node_make_args(store, PN_NTAKE, NULL, 0, NULL, 0);
  double *table = count ? pat_store_alloc(store, count * sizeof *table) : NULL;
  if (!n || !table)
    return count ? NULL : pat_silence(store);
  for (size_t i = 0; i < count; i++)
    table[i] = values[i];
  n->signal = (int)control;
  n->weights = table;
  n->table_count = count;
  n->op = PAT_OP_SET;
  return n;
}
