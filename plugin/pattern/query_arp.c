/* Querying Tidal's functions that spread or stack events inside their own
   span: arpeggiate and arp's modes (arpWith), rolledBy, and the compound
   stacks of plyWith and stutWith, which apply f once more to each layer. */
#include <math.h>
#include <string.h>

#include "pattern/pat_internal.h"

/* arp's modes, in Tidal's order; "up" is also arpeggiate's. */
enum {
  ARP_UP,
  ARP_DOWN,
  ARP_UPDOWN,
  ARP_DOWNUP,
  ARP_UP_AND_DOWN,
  ARP_DOWN_AND_UP,
  ARP_CONVERGE,
  ARP_DIVERGE,
  ARP_DISCONVERGE,
  ARP_PINKYUP,
  ARP_PINKYUPDOWN,
  ARP_THUMBUP,
  ARP_THUMBUPDOWN,
  ARP_MODES
};

static const char *const arp_names[ARP_MODES] = {
    "up",      "down",        "updown",  "downup",      "up&down", "down&up",    "converge",
    "diverge", "disconverge", "pinkyup", "pinkyupdown", "thumbup", "thumbupdown"};

/* An unknown name is "up" (Tidal's fromMaybe id). */
static int arp_mode(const pat_value *v) {
  if (v->kind == PAT_VALUE_STRING && v->str)
    for (int m = 0; m < ARP_MODES; m++)
      if (strcmp(v->str, arp_names[m]) == 0)
        return m;
  return ARP_UP;
}

/* converge [x0 .. xn-1] = x0, xn-1, x1, xn-2, ...: the index at position j. */
static int64_t converge(int64_t n, int64_t j) { return j % 2 == 0 ? j / 2 : n - 1 - (j - 1) / 2; }

/* pinkyup (xs without the last, each followed by the last) and thumbup (the
   first before each of the others): the index at position j. */
static int64_t pinky_or_thumb(int mode, int64_t n, int64_t j) {
  bool pinky = mode == ARP_PINKYUP || mode == ARP_PINKYUPDOWN;
  if (j % 2 == 0)
    return pinky ? j / 2 : 0;
  return pinky ? n - 1 : (j + 1) / 2;
}

/* How many notes a group of n becomes. Haskell's `init []` fails for the
 *updown modes of one note; here that group plays nothing. */
static int64_t arp_length(int mode, int64_t n) {
  switch (mode) {
  case ARP_UPDOWN:
  case ARP_DOWNUP:
    return 2 * n - 2;
  case ARP_UP_AND_DOWN:
  case ARP_DOWN_AND_UP:
    return 2 * n;
  case ARP_DISCONVERGE:
    return 2 * n - 1;
  case ARP_PINKYUP:
  case ARP_THUMBUP:
    return 2 * (n - 1);
  case ARP_PINKYUPDOWN:
  case ARP_THUMBUPDOWN:
    return n > 1 ? 4 * (n - 1) - 2 : 0; /* init l ++ init (reverse l), l of 2 (n - 1) */
  default:
    return n;
  }
}

/* The group's index that plays at position j of the mode's list. */
static int64_t arp_index(int mode, int64_t n, int64_t j) {
  switch (mode) {
  case ARP_DOWN:
    return n - 1 - j;
  case ARP_UPDOWN: /* init x ++ init (reverse x) */
    return j < n - 1 ? j : 2 * n - 2 - j;
  case ARP_DOWNUP: /* init (reverse x) ++ init x */
    return j < n - 1 ? n - 1 - j : j - (n - 1);
  case ARP_UP_AND_DOWN:
    return j < n ? j : 2 * n - 1 - j;
  case ARP_DOWN_AND_UP:
    return j < n ? n - 1 - j : j - n;
  case ARP_CONVERGE:
    return converge(n, j);
  case ARP_DIVERGE:
    return converge(n, n - 1 - j);
  case ARP_DISCONVERGE: /* converge x ++ drop 1 (reverse (converge x)) */
    return converge(n, j < n ? j : 2 * n - 2 - j);
  case ARP_PINKYUP:
  case ARP_THUMBUP:
    return pinky_or_thumb(mode, n, j);
  case ARP_PINKYUPDOWN:
  case ARP_THUMBUPDOWN: { /* init l ++ init (reverse l) */
    int64_t length = 2 * (n - 1);
    return pinky_or_thumb(mode, n, j < length - 1 ? j : 2 * length - 2 - j);
  }
  default:
    return j;
  }
}

static int whole_cmp(const pat_event *a, const pat_event *b) {
  int c = pat_rat_cmp(a->whole.begin, b->whole.begin);
  return c ? c : pat_rat_cmp(a->whole.end, b->whole.end);
}

/* Tidal's arpWith: events[from ..) sorted by whole (stably, each step counted
   as work), each group sharing a whole replaced by the mode's list of it,
   played one after another inside the whole (parts cut to the new wholes).
   Continuous events have no whole: Tidal leaves them out. */
static void arp_events(pat_qctx *ctx, size_t from, int mode) {
  size_t end = from;
  for (size_t i = from; i < ctx->count; i++)
    if (!ctx->events[i].analog)
      ctx->events[end++] = ctx->events[i];
  ctx->count = end;
  for (size_t i = from + 1; i < end && pat_q_work(ctx); i++) {
    pat_event e = ctx->events[i];
    size_t j = i;
    for (; j > from && whole_cmp(&ctx->events[j - 1], &e) > 0; j--)
      ctx->events[j] = ctx->events[j - 1];
    ctx->events[j] = e;
  }
  bool of = false, full = false;
  for (size_t i = from; i < end && !full && pat_q_work(ctx);) {
    size_t group_end = i + 1;
    while (group_end < end && whole_cmp(&ctx->events[group_end], &ctx->events[i]) == 0)
      group_end++;
    int64_t n = (int64_t)(group_end - i), length = arp_length(mode, n);
    pat_arc whole = ctx->events[i].whole;
    pat_rat step = pat_rat_div(pat_rat_sub(whole.end, whole.begin, &of),
                               pat_rat_int(length ? length : 1), &of);
    for (int64_t j = 0; j < length && !of; j++) {
      pat_event e = ctx->events[i + (size_t)arp_index(mode, n, j)];
      pat_arc moved = {pat_rat_add(whole.begin, pat_rat_mul(step, pat_rat_int(j), &of), &of),
                       pat_rat_add(whole.begin, pat_rat_mul(step, pat_rat_int(j + 1), &of), &of)};
      pat_arc part;
      if (!pat_arc_intersect(e.part, moved, &part, &of))
        continue;
      if (!pat_q_push(ctx, moved, part, &e.value)) {
        full = true; /* what was pushed is finished: keep it */
        break;
      }
    }
    i = group_end;
  }
  pat_q_drop(ctx, from, end);
  if (of)
    pat_q_time_overflow(ctx);
}

/* Tidal's rolledWith t: no sort; each group of events sharing a whole (the
   list reversed first for t < 0) starts the i-th of n at i * |t| / n of the
   whole, keeping its end; t = 0 changes nothing. */
static void rolled_events(pat_qctx *ctx, size_t from, pat_rat amount) {
  bool of = false, down = amount.num < 0;
  pat_rat share = down ? pat_rat_neg(amount) : amount;
  size_t kept = from;
  for (size_t i = from; i < ctx->count;) {
    size_t end = i + 1;
    while (!ctx->events[i].analog && end < ctx->count && !ctx->events[end].analog &&
           whole_cmp(&ctx->events[end], &ctx->events[i]) == 0)
      end++;
    int64_t n = (int64_t)(end - i);
    pat_arc whole = ctx->events[i].whole;
    pat_rat step = pat_rat_div(pat_rat_mul(pat_rat_sub(whole.end, whole.begin, &of), share, &of),
                               pat_rat_int(n), &of);
    for (size_t k = i; k < end; k++) {
      pat_event e = ctx->events[k];
      int64_t index = down ? (int64_t)(end - 1 - k) : (int64_t)(k - i);
      if (!e.analog && amount.num != 0) {
        e.whole.begin = pat_rat_add(whole.begin, pat_rat_mul(step, pat_rat_int(index), &of), &of);
        if (!pat_arc_intersect(e.part, e.whole, &e.part, &of))
          continue;
      }
      ctx->events[kept++] = e;
    }
    i = end;
  }
  ctx->count = kept;
  if (of)
    pat_q_time_overflow(ctx);
}

/* PN_ARP: signal 0 arpeggiate, 1 rolledBy (the amount an argument), 2 arp
   (the mode's name an argument). */
void pat_q_arp(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat amount = pat_rat_int(0);
  if (node->signal == 1 &&
      (v[0].kind != PAT_VALUE_NUMBER || !pat_rat_from_double(v[0].number, &amount))) {
    ctx->failed = true;
    return;
  }
  size_t from = ctx->count;
  pat_q(ctx, node->kids[0], span);
  if (node->signal == 1)
    rolled_events(ctx, from, amount);
  else
    arp_events(ctx, from, node->signal == 2 ? arp_mode(&v[0]) : ARP_UP);
}

/* compound n = p for n <= 1, else plyWith's stack [p, f (compound (n - 1))]
   or stutWith's stack [f (t ~> compound (n - 1)), p]: kids[1] is f of the
   placeholder, which reads n - 1 from binding b (set here, restored after). */
static void compound(pat_qctx *ctx, const pat_pattern *node, int b, double levels, pat_arc span) {
  if (!(levels > 1)) {
    pat_q(ctx, node->kids[0], span);
    return;
  }
  if (node->invert)
    pat_q(ctx, node->kids[0], span);
  double saved = ctx->bindings[b].number;
  ctx->bindings[b].number = levels - 1;
  pat_q(ctx, node->kids[1], span);
  ctx->bindings[b].number = saved;
  if (!node->invert)
    pat_q(ctx, node->kids[0], span);
}

/* PN_COMPOUND (invert: plyWith, arpeggiated): args count (and time). */
void pat_q_compound(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span) {
  pat_rat time = pat_rat_int(0);
  if (v[0].kind != PAT_VALUE_NUMBER ||
      (!node->invert &&
       (v[1].kind != PAT_VALUE_NUMBER || !pat_rat_from_double(v[1].number, &time)))) {
    ctx->failed = true;
    return;
  }
  if (!pat_q_bind(ctx, node, v[0].number, time))
    return;
  size_t from = ctx->count;
  compound(ctx, node, ctx->binding_count - 1, v[0].number, span);
  ctx->binding_count--;
  if (node->invert)
    arp_events(ctx, from, ARP_UP);
}

void pat_q_compound_var(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  int b = pat_q_binding(ctx, node->owner);
  if (b < 0)
    return; /* queried outside its owner: nothing */
  pat_rat time = ctx->bindings[b].time;
  bool of = false;
  pat_arc inner = {pat_rat_sub(span.begin, time, &of), pat_rat_sub(span.end, time, &of)};
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  size_t from = ctx->count;
  compound(ctx, node->owner, b, ctx->bindings[b].number, inner);
  pat_q_map_times(ctx, from, pat_rat_int(1), time);
}
