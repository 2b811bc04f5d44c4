/* Querying Tidal's long-form composition (ur, seqP, seqPLoop) and its
   control matching (fix, unfix, contrast). Real-time safe like every query:
   no allocation, each loop counted against the work budget. */
#include <string.h>

#include "pattern/pat_internal.h"

/* ---- fix, unfix, contrast ------------------------------------------------ */

static bool same_value(const pat_value *a, const pat_value *b) {
  if (a->kind != b->kind)
    return false;
  if (a->kind == PAT_VALUE_NUMBER)
    return a->number == b->number;
  if (a->kind == PAT_VALUE_STRING)
    return a->str && b->str && strcmp(a->str, b->str) == 0;
  if (a->kind == PAT_VALUE_SAMPLE)
    return a->number == b->number && a->str && b->str && strcmp(a->str, b->str) == 0;
  return false;
}

/* Tidal's Map.isSubmapOfBy (==): every control of `condition` is in
   `value` with the same value. */
static bool submap(const pat_value *condition, const pat_value *value) {
  if (condition->kind != PAT_VALUE_CONTROLS || value->kind != PAT_VALUE_CONTROLS)
    return false;
  const pat_controls *c = condition->controls, *v = value->controls;
  for (uint32_t i = 0; i < c->count; i++) {
    pat_control k = (pat_control)c->entries[i].control;
    if (!pat_controls_has(v, k))
      return false;
    const char *text = pat_control_is_string(k) ? pat_controls_string(v, k) : NULL;
    bool same = k == PAT_CONTROL_VALUE     ? same_value(&c->value, &v->value)
                : pat_control_is_string(k) ? text && strcmp(c->entries[i].str, text) == 0
                                           : c->entries[i].number == pat_controls_number(v, k, 0);
    if (!same)
      return false;
  }
  return true;
}

/* Tidal's matchManyToOne: kids[1] is queried at the start of each event of
   kids[0] (of its whole, or of its part when continuous); the event matches
   when one of the maps found is a submap of its own. */
void pat_q_match(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  size_t mark = ctx->count;
  pat_q_part(ctx, node->kids[0], span);
  size_t end = ctx->count, kept = mark;
  for (size_t i = mark; i < end; i++) {
    if (!pat_q_work(ctx)) {
      end = i; /* only the events decided so far remain */
      break;
    }
    pat_rat start = ctx->events[i].analog ? ctx->events[i].part.begin : ctx->events[i].whole.begin;
    size_t found = ctx->count;
    pat_q_share(ctx, node->kids[1], (pat_arc){start, start});
    bool matched = false;
    for (size_t j = found; j < ctx->count && !matched; j++)
      matched = submap(&ctx->events[j].value, &ctx->events[i].value);
    ctx->count = found;
    if (matched != node->invert)
      ctx->events[kept++] = ctx->events[i];
  }
  ctx->count = kept;
}

/* ---- ur --------------------------------------------------------------------- */

/* A word of an outer event's value: a string as is, a number as JS writes
   it (into buf); NULL for anything else. */
static const char *word(const pat_value *v, char *buf, size_t size) {
  if ((v->kind == PAT_VALUE_STRING || v->kind == PAT_VALUE_SAMPLE) && v->str)
    return v->str;
  if (v->kind == PAT_VALUE_NUMBER) {
    pat_js_format_number(v->number, buf, size);
    return buf;
  }
  return NULL;
}

/* kids[1 + i * (fx_count + 2) + k]: the i-th named pattern as is (k = 0),
   warped without a function (k = 1: a function name not in the table) or
   with the j-th function (k = 2 + j), for the value "a", "b:double" (a list
   of two words) or "c:2" (a sample). NULL: a name not in the table. */
static const pat_pattern *ur_variant(const pat_pattern *node, const pat_value *v) {
  char name_buf[32], fx_buf[32];
  bool list = v->kind == PAT_VALUE_LIST && v->count > 0;
  const char *name = word(list ? &v->items[0] : v, name_buf, sizeof name_buf);
  const char *fx = NULL;
  bool has_fx = (list && v->count > 1) || v->kind == PAT_VALUE_SAMPLE;
  if (list && v->count > 1)
    fx = word(&v->items[1], fx_buf, sizeof fx_buf);
  else if (v->kind == PAT_VALUE_SAMPLE)
    fx = word(&(pat_value){.kind = PAT_VALUE_NUMBER, .number = v->number}, fx_buf, sizeof fx_buf);
  for (size_t i = 0; name && i < node->name_count; i++) {
    if (strcmp(node->names[i], name) != 0)
      continue;
    size_t k = has_fx ? 1 : 0;
    for (size_t j = 0; fx && j < node->fx_count && k == 1; j++)
      if (strcmp(node->names[node->name_count + j], fx) == 0)
        k = 2 + j;
    return node->kids[1 + i * (node->fx_count + 2) + k];
  }
  return NULL;
}

/* Tidal's unwrap of the outer events' patterns: each inner event over the
   outer event's part, its whole the two wholes' intersection. */
void pat_q_ur(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  size_t mark = ctx->count;
  pat_q_part(ctx, node->kids[0], span);
  size_t end = ctx->count;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event outer = ctx->events[i];
    const pat_pattern *inner = outer.analog ? NULL : ur_variant(node, &outer.value);
    pat_rat length = pat_rat_sub(outer.whole.end, outer.whole.begin, &of);
    if (!inner || of || pat_rat_cmp(length, pat_rat_int(0)) <= 0)
      continue;
    if (!pat_q_bind(ctx, node, 0, outer.whole.begin))
      break;
    ctx->bindings[ctx->binding_count - 1].length = length;
    size_t inner_mark = ctx->count;
    pat_q_share(ctx, inner, outer.part);
    ctx->binding_count--;
    size_t inner_end = ctx->count;
    for (size_t j = inner_mark; j < inner_end; j++) {
      pat_event e = ctx->events[j];
      pat_arc part, whole;
      if (!pat_arc_intersect(outer.part, e.part, &part, &of))
        continue;
      if (e.analog)
        whole = part;
      else if (!pat_arc_intersect(outer.whole, e.whole, &whole, &of))
        continue;
      if (!pat_q_push(ctx, whole, part, &e.value))
        break;
      ctx->events[ctx->count - 1].analog = e.analog;
    }
    pat_q_drop(ctx, inner_mark, inner_end);
  }
  pat_q_drop(ctx, mark, end);
  if (of)
    pat_q_time_overflow(ctx);
}

/* t -> t * mul + add on the kid: queried over (span - add) / mul. */
static void affine(pat_qctx *ctx, const pat_pattern *kid, pat_rat mul, pat_rat add, pat_arc span) {
  bool of = false;
  pat_arc inner = {pat_rat_div(pat_rat_sub(span.begin, add, &of), mul, &of),
                   pat_rat_div(pat_rat_sub(span.end, add, &of), mul, &of)};
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  size_t from = ctx->count;
  pat_q(ctx, kid, inner);
  pat_q_map_times(ctx, from, mul, add);
}

/* ur's warp for an outer event starting at s, d long: the function sees
   the pattern fast d (inner), its result is slowed by d and moved to s
   (outer): rotR s (inside (1/d) f p). */
void pat_q_ur_var(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  int b = pat_q_binding(ctx, node->owner);
  if (b < 0)
    return; /* a placeholder queried outside its owner: nothing */
  bool of = false;
  pat_rat start = ctx->bindings[b].time, length = ctx->bindings[b].length;
  if (node->slow)
    affine(ctx, node->kids[0], length, start, span);
  else
    affine(ctx, node->kids[0], pat_rat_div(pat_rat_int(1), length, &of), pat_rat_int(0), span);
  if (of)
    pat_q_time_overflow(ctx);
}

/* ---- seqP, seqPLoop ------------------------------------------------------------ */

void pat_q_play_for(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  pat_arc inside;
  if (pat_arc_intersect(span, (pat_arc){node->begin, node->end}, &inside, &of))
    pat_q(ctx, node->kids[0], inside);
}

/* Every cycle plays the kid's cycle 0 (the query split at cycles). */
void pat_q_loop_first(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  pat_rat begin = span.begin;
  if (pat_rat_cmp(span.begin, span.end) == 0) {
    pat_q_early_by(ctx, node->kids[0], pat_rat_neg(pat_rat_floor(begin)), span);
    return;
  }
  while (pat_rat_cmp(begin, span.end) < 0 && pat_q_work(ctx)) {
    pat_rat cycle = pat_rat_floor(begin), next = pat_rat_add(cycle, pat_rat_int(1), &of);
    pat_arc piece = {begin, pat_rat_cmp(next, span.end) < 0 ? next : span.end};
    if (of)
      break;
    pat_q_early_by(ctx, node->kids[0], pat_rat_neg(cycle), piece);
    begin = piece.end;
  }
  if (of)
    pat_q_time_overflow(ctx);
}
