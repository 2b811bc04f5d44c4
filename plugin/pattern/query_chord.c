/* Querying Tidal's chords whose name or modifiers are patterns
   (`"c'<maj min>'<i ii>"`): as Tidal's chordToPatSeq, the name pattern and
   then each modifier pattern are bound in turn (wholes intersected, each
   queried over the part so far), and every note of the result is an event. */
#include <string.h>

#include "pattern/pat_internal.h"

typedef struct {
  double root;
  double notes[PAT_CHORD_MAX];
  int count;
} chord_notes;

/* A value of the root (k == 0), of the name (k == 1) or of a modifier
   pattern, applied to `chord`; false when it is none of these (the event
   plays nothing). */
static bool apply_value(size_t k, const pat_value *value, chord_notes *chord) {
  if (k == 0) { /* the root: a number, or a note name in Tidal's numbering */
    if (value->kind == PAT_VALUE_NUMBER) {
      chord->root = value->number;
      return true;
    }
    return value->kind == PAT_VALUE_STRING && value->str &&
           pat_chord_root(value->str, strlen(value->str), &chord->root);
  }
  char text[32];
  const char *word = NULL;
  size_t length = 0;
  if (value->kind == PAT_VALUE_STRING && value->str) {
    word = value->str;
    length = strlen(word);
  } else if (value->kind == PAT_VALUE_NUMBER) { /* "1" and "5" are names, and note counts */
    int written = pat_js_format_number(value->number, text, sizeof text);
    if (written <= 0 || (size_t)written >= sizeof text)
      return false;
    word = text;
    length = (size_t)written;
  } else {
    return false;
  }
  if (k == 1)
    return pat_chord_named(word, length, chord->notes, &chord->count);
  return pat_chord_modify(word, length, chord->notes, &chord->count);
}

/* Tidal's bind: kid k queried over the part so far, each of its events
   narrowing the whole and the part, then the next kid. */
static void bind_part(pat_qctx *ctx, const pat_pattern *node, size_t k, const pat_arc *whole,
                      pat_arc part, const chord_notes *so_far) {
  bool of = false;
  if (k == node->kid_count) {
    for (int i = 0; i < so_far->count; i++) {
      pat_value note = {.kind = PAT_VALUE_NUMBER, .number = so_far->root + so_far->notes[i]};
      if (!pat_q_push(ctx, *whole, part, &note))
        return;
    }
    return;
  }
  size_t mark = ctx->count;
  pat_q(ctx, node->kids[k], part);
  size_t end = ctx->count;
  for (size_t i = mark; i < end && pat_q_work(ctx); i++) {
    pat_event inner = ctx->events[i];
    pat_arc w = inner.whole, p;
    if (inner.analog || (whole && !pat_arc_intersect(*whole, inner.whole, &w, &of)) ||
        !pat_arc_intersect(part, inner.part, &p, &of))
      continue;
    chord_notes chord = *so_far;
    if (apply_value(k, &inner.value, &chord))
      bind_part(ctx, node, k + 1, &w, p, &chord);
  }
  pat_q_drop(ctx, mark, end);
  if (of)
    pat_q_time_overflow(ctx);
}

void pat_q_chord(pat_qctx *ctx, const pat_pattern *node, pat_arc span) {
  bind_part(ctx, node, 0, NULL, span, &(chord_notes){.count = 0});
}
