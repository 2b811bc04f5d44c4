/* Tidal's smooth: a continuous pattern that goes in a straight line from
   each of its pattern's numbers to the next. */
#include "pattern/pat_internal.h"

/* The number of the event mono p gives at the point t (Tidal's mono keeps
   the event whose whole sorts first: earliest begin, then earliest end), and
   that whole; false when nothing there is a number. The events the query
   found are dropped again. */
static bool number_at(pat_qctx *ctx, const pat_pattern *p, pat_rat t, double *number,
                      pat_arc *whole, bool *analog) {
  size_t from = ctx->count;
  pat_q(ctx, p, (pat_arc){t, t});
  bool found = false;
  for (size_t i = from; i < ctx->count && pat_q_work(ctx); i++) {
    const pat_event *e = &ctx->events[i];
    double x = e->value.number;
    if (e->value.kind != PAT_VALUE_NUMBER &&
        !(e->value.kind == PAT_VALUE_STRING && pat_note_number(e->value.str, ctx->notes, &x)))
      continue;
    /* an analog event has no whole: Tidal's sort puts it first */
    bool first =
        e->analog ? !found || !*analog
                  : pat_rat_cmp(e->whole.begin, t) <= 0 && pat_rat_cmp(t, e->whole.end) < 0 &&
                        (!found || (!*analog && (pat_rat_cmp(e->whole.begin, whole->begin) < 0 ||
                                                 (pat_rat_cmp(e->whole.begin, whole->begin) == 0 &&
                                                  pat_rat_cmp(e->whole.end, whole->end) < 0))));
    if (!first)
      continue;
    found = true;
    *number = x;
    *whole = e->whole;
    *analog = e->analog;
  }
  pat_q_drop(ctx, from, ctx->count);
  return found;
}

/* The event at the query's middle m, of value v and whole (b, e), gives
   v + (v' - v) * (m - b) / (e - b), v' the value of the event at e (v when
   none is there), over the whole query, without a whole (Tidal's). */
void pat_q_smooth(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bool of = false;
  pat_rat middle = pat_rat_div(pat_rat_add(span.begin, span.end, &of), pat_rat_int(2), &of);
  if (of) {
    pat_q_time_overflow(ctx);
    return;
  }
  double here = 0.0, next = 0.0;
  pat_arc whole, next_whole;
  bool analog = false, next_analog = false;
  if (!number_at(ctx, node->kids[0], middle, &here, &whole, &analog))
    return;
  pat_value value = {.kind = PAT_VALUE_NUMBER, .number = here};
  if (!analog && number_at(ctx, node->kids[0], whole.end, &next, &next_whole, &next_analog)) {
    pat_rat length = pat_rat_sub(whole.end, whole.begin, &of);
    pat_rat into = pat_rat_sub(middle, whole.begin, &of);
    double share =
        pat_rat_is_zero(length) ? 0.0 : pat_rat_to_double(pat_rat_div(into, length, &of));
    if (of) {
      pat_q_time_overflow(ctx);
      return;
    }
    value.number = here + (next - here) * share;
  }
  if (pat_q_push(ctx, span, span, &value))
    ctx->events[ctx->count - 1].analog = true;
}
