/* Turns the mini-notation syntax tree into pattern nodes the way Strudel's
   patternifyAST does: sequences are timeCat of weighted steps, `<>` a slowed
   stack, `{}` a stack of sped-up sequences, and each step's operators applied
   in order. Errors Strudel raises while building become parse errors. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pattern/mini.h"

typedef struct {
  pat_store *store;
  const char *text;
  size_t length;
  int line, column;
  pat_error *error;
  bool failed;
} builder;

typedef struct {
  const pat_pattern *node;
  pat_rat weight; /* Strudel's __weight: the sum of a sequence's step weights */
  bool weighed;   /* false where Strudel leaves __weight undefined */
} built;

static void fail_at(builder *b, size_t pos, const char *message) {
  if (b->failed)
    return;
  b->failed = true;
  mini_locate(b->text, b->length, pos, b->line, b->column, &b->error->line, &b->error->column);
  snprintf(b->error->message, sizeof b->error->message, "%s", message);
}

static pat_pattern *node(builder *b, pat_node_kind kind) {
  pat_pattern *n = pat_node_new(b->store, kind);
  if (!n)
    fail_at(b, 0, "out of memory");
  return n;
}

static const pat_pattern *with_kids(builder *b, pat_node_kind kind, const pat_pattern *const *kids,
                                    size_t count) {
  pat_pattern *n = node(b, kind);
  if (!n || !pat_node_set_kids(b->store, n, kids, count)) {
    fail_at(b, 0, "out of memory");
    return NULL;
  }
  return n;
}

static const pat_pattern *one_kid(builder *b, pat_node_kind kind, const pat_pattern *kid) {
  return with_kids(b, kind, &kid, 1);
}

static const pat_pattern *silence(builder *b) { return node(b, PN_SILENCE); }

static const pat_pattern *fast_const(builder *b, const pat_pattern *kid, pat_rat factor) {
  pat_pattern *n = (pat_pattern *)one_kid(b, PN_FAST, kid);
  if (!n)
    return NULL;
  n->has_const = true;
  n->const_time = factor;
  n->args_pure = true;
  return n;
}

/* A word: rest, chord, number or string. */
static const pat_pattern *build_atom(builder *b, const mini_ast *a) {
  if (a->text_length == 1 && (a->text[0] == '~' || a->text[0] == '-'))
    return silence(b);
  if (memchr(a->text, '\'', a->text_length)) {
    double notes[PAT_CHORD_MAX];
    int count = 0;
    if (!pat_chord_notes(a->text, a->text_length, notes, &count)) {
      char msg[200];
      snprintf(msg, sizeof msg,
               "unknown chord '%.*s' (chords: c'maj, e4'min7'ii; modifiers 'i 'o 'dN 'N, "
               "N up to 16)",
               (int)(a->text_length > 60 ? 60 : a->text_length), a->text);
      fail_at(b, a->pos, msg);
      return NULL;
    }
    const pat_pattern *kids[PAT_CHORD_MAX];
    for (int i = 0; i < count; i++) {
      pat_pattern *n = node(b, PN_PURE);
      if (!n)
        return NULL;
      n->value.kind = PAT_VALUE_NUMBER;
      n->value.number = notes[i];
      kids[i] = n;
    }
    if (count == 0) /* "c'maj'0": no notes */
      return silence(b);
    return count == 1 ? kids[0] : with_kids(b, PN_STACK, kids, (size_t)count);
  }
  pat_pattern *n = node(b, PN_PURE);
  if (!n)
    return NULL;
  double number;
  if (pat_js_number(a->text, a->text_length, &number)) {
    n->value.kind = PAT_VALUE_NUMBER;
    n->value.number = number;
  } else {
    n->value.kind = PAT_VALUE_STRING;
    n->value.str = pat_store_strdup(b->store, a->text, a->text_length);
    if (!n->value.str)
      fail_at(b, a->pos, "out of memory");
  }
  return n;
}

static built build(builder *b, const mini_ast *a);

/* Every word of a chord part (part 0 the root, 1 the name, then the
   modifiers) is one Tidal knows, or a rest. */
static bool chord_words_ok(builder *b, const mini_ast *a, size_t part) {
  static const char *const what[] = {"root", "name", "modifier"};
  if (a->kind == MINI_ATOM) {
    double notes[PAT_CHORD_MAX] = {0, 4, 7}, root;
    int count = 3;
    bool rest = a->text_length == 1 && (a->text[0] == '~' || a->text[0] == '-');
    bool ok = rest || (part == 0   ? pat_chord_root(a->text, a->text_length, &root)
                       : part == 1 ? pat_chord_named(a->text, a->text_length, notes, &count)
                                   : pat_chord_modify(a->text, a->text_length, notes, &count));
    if (!ok) {
      char msg[200];
      snprintf(msg, sizeof msg, "unknown chord %s '%.*s'", what[part < 2 ? part : 2],
               (int)(a->text_length > 60 ? 60 : a->text_length), a->text);
      fail_at(b, a->pos, msg);
    }
    return ok;
  }
  if (a->slice && !chord_words_ok(b, a->slice, part))
    return false;
  for (size_t i = 0; i < a->count; i++)
    if (!chord_words_ok(b, a->items[i], part))
      return false;
  return true;
}

/* Tidal's chord whose name or modifiers are patterns ("c'<maj min>'[i ii]"). */
static const pat_pattern *build_chord(builder *b, const mini_ast *a) {
  const pat_pattern **kids = pat_store_alloc(b->store, (a->count + 1) * sizeof(*kids));
  pat_pattern *root = node(b, PN_PURE);
  if (!kids || !root) {
    fail_at(b, a->pos, "out of memory");
    return NULL;
  }
  root->value.kind = PAT_VALUE_NUMBER;
  if (!a->slice && !pat_chord_root(a->text, a->text_length, &root->value.number)) {
    fail_at(b, a->pos, "a chord's root is a note name or a number, as in c'maj or 0'maj");
    return NULL;
  }
  if (a->slice && !chord_words_ok(b, a->slice, 0))
    return NULL;
  kids[0] = a->slice ? build(b, a->slice).node : root; /* "<c e>'maj": a pattern of roots */
  if (!kids[0])
    return NULL;
  for (size_t i = 0; i < a->count; i++) {
    if (!chord_words_ok(b, a->items[i], i + 1))
      return NULL;
    kids[i + 1] = build(b, a->items[i]).node;
    if (!kids[i + 1])
      return NULL;
  }
  return with_kids(b, PN_CHORD, kids, a->count + 1);
}

static const pat_pattern *enter(builder *b, const mini_ast *a) {
  /* an element reached this way (euclid arguments) loses its own operators */
  if (a->kind == MINI_ELEMENT)
    a = a->slice;
  return build(b, a).node;
}

/* fast / slow by an amount pattern: Strudel's register() uses a pure
   amount directly (and throws at once for a bad one), else joins. */
static const pat_pattern *stretch(builder *b, const pat_pattern *kid, const mini_op *op) {
  const pat_pattern *amount = enter(b, op->a);
  if (!amount)
    return NULL;
  pat_pattern *n = (pat_pattern *)one_kid(b, PN_FAST, kid);
  if (!n)
    return NULL;
  n->slow = op->kind == MINI_OP_SLOW;
  pat_node_set_args(n, &amount, 1);
  if (n->args_pure) {
    const pat_value *v = &amount->value;
    pat_rat r;
    if (v->kind == PAT_VALUE_NUMBER && v->number == 0)
      return silence(b);
    if (!(v->kind == PAT_VALUE_NUMBER && pat_rat_from_double(v->number, &r)) ||
        (n->slow && pat_rat_is_zero(r))) {
      fail_at(b, op->a->pos,
              n->slow ? "'/' needs a number that is not zero" : "'*' needs a number");
      return NULL;
    }
  }
  return n;
}

static const pat_pattern *euclid(builder *b, const pat_pattern *kid, const mini_op *op) {
  const pat_pattern *args[3];
  int count = op->c ? 3 : 2;
  args[0] = enter(b, op->a);
  args[1] = enter(b, op->b);
  if (op->c)
    args[2] = enter(b, op->c);
  for (int i = 0; i < count; i++)
    if (!args[i])
      return NULL;
  pat_pattern *n = (pat_pattern *)one_kid(b, PN_EUCLID, kid);
  if (!n)
    return NULL;
  pat_node_set_args(n, args, count);
  if (n->args_pure) {
    unsigned char bits[PAT_EUCLID_MAX_STEPS];
    int steps;
    double v[3] = {0, 0, 0};
    for (int i = 0; i < count; i++)
      v[i] = args[i]->value.kind == PAT_VALUE_NUMBER ? args[i]->value.number : NAN;
    if (!pat_euclid_bits(v[0], v[1], v[2], count == 3, bits, &steps)) {
      char msg[160];
      snprintf(msg, sizeof msg, "euclid (%g,%g) needs whole numbers with |pulses| <= steps <= %d",
               v[0], v[1], PAT_EUCLID_MAX_STEPS);
      fail_at(b, op->a->pos, msg);
      return NULL;
    }
  }
  return n;
}

static const pat_pattern *apply_op(builder *b, const pat_pattern *kid, const mini_op *op) {
  switch (op->kind) {
  case MINI_OP_FAST:
  case MINI_OP_SLOW:
    return stretch(b, kid, op);
  case MINI_OP_REPLICATE: {
    /* _repeatCycles(n)._fast(n) */
    pat_rat r;
    if (op->amount == 0)
      return silence(b);
    if (!pat_rat_from_double(op->amount, &r)) {
      fail_at(b, op->pos, "'!' count out of range");
      return NULL;
    }
    pat_pattern *rep = (pat_pattern *)one_kid(b, PN_REPEAT, kid);
    if (!rep)
      return NULL;
    rep->amount = op->amount;
    rep->args_pure = true;
    return fast_const(b, rep, r);
  }
  case MINI_OP_EUCLID:
    return euclid(b, kid, op);
  case MINI_OP_DEGRADE: {
    pat_pattern *n = (pat_pattern *)one_kid(b, PN_DEGRADE, kid);
    if (!n)
      return NULL;
    n->amount = op->amount;
    n->seed_shift = pat_seed_shift(op->seed);
    n->args_pure = true;
    return n;
  }
  case MINI_OP_TAIL:
  case MINI_OP_RANGE: {
    const pat_pattern *other = enter(b, op->a);
    if (!other)
      return NULL;
    const pat_pattern *kids[2] = {kid, other};
    return with_kids(b, op->kind == MINI_OP_TAIL ? PN_TAIL : PN_RANGE, kids, 2);
  }
  }
  return NULL;
}

/* a step's weight as Strudel sums it: a 0 (or NaN) weight counts as 1 */
static bool element_weight(builder *b, const mini_ast *e, pat_rat *out) {
  double w = e->weight;
  if (w == 0 || isnan(w))
    w = 1;
  if (!pat_rat_from_double(w, out)) {
    fail_at(b, e->pos, "weight out of range");
    return false;
  }
  return true;
}

/* timeCat of the weighted steps: every step has a weight in krill, and only
   when all of them are 0 (falsy) is it a plain fastcat without __weight */

/* Steps in order, none empty: a query then needs only the steps it overlaps
   (query.c), which keeps long sequences cheap to read at one point. */
static bool is_timecat(const pat_pattern *const *parts, size_t count) {
  for (size_t i = 0; i < count; i++) {
    const pat_pattern *p = parts[i];
    if (p->kind != PN_COMPRESS || pat_rat_cmp(p->begin, p->end) >= 0)
      return false;
    if (i > 0 && pat_rat_cmp(parts[i - 1]->end, p->begin) > 0)
      return false;
  }
  return true;
}

static built build_sequence(builder *b, const mini_ast *seq) {
  built out = {NULL, pat_rat_int(1), true};
  bool weighted = false;
  for (size_t i = 0; i < seq->count; i++)
    if (seq->items[i]->weight != 0 && !isnan(seq->items[i]->weight))
      weighted = true;
  size_t count = seq->count ? seq->count : 1;
  const pat_pattern **kids = pat_store_alloc(b->store, count * sizeof(*kids));
  const pat_pattern **parts = pat_store_alloc(b->store, count * sizeof(*parts));
  pat_rat *weights = pat_store_alloc(b->store, count * sizeof(*weights));
  if (!kids || !parts || !weights) {
    fail_at(b, seq->pos, "out of memory");
    return out;
  }
  pat_rat total = pat_rat_int(0);
  bool of = false;
  built first = {NULL, pat_rat_int(1), false};
  for (size_t i = 0; i < seq->count; i++) {
    const mini_ast *e = seq->items[i];
    built inner = build(b, e->slice);
    const pat_pattern *n = inner.node;
    if (i == 0)
      first = inner;
    for (int k = 0; n && k < e->op_count; k++)
      n = apply_op(b, n, &e->ops[k]);
    if (e->op_count > 0)
      first.weighed = false; /* a new pattern object */
    if (!n || !element_weight(b, e, &weights[i]))
      return out;
    kids[i] = n;
    total = pat_rat_add(total, weights[i], &of);
  }
  if (of) {
    fail_at(b, seq->pos, "step weights out of range");
    return out;
  }
  out.weight = total;
  if (!weighted) {
    /* sequence(): the one child itself (keeping its own __weight), or fastcat */
    if (seq->count == 1) {
      first.node = kids[0];
      return first;
    }
    out.weighed = false;
    out.node = pat_fastcat(b->store, kids, seq->count);
    if (!out.node)
      fail_at(b, seq->pos, "out of memory");
    return out;
  }
  if (seq->count == 1) {
    out.node = kids[0];
    return out;
  }
  if (pat_rat_is_zero(total)) {
    fail_at(b, seq->pos, "the step weights add up to zero");
    return out;
  }
  pat_rat begin = pat_rat_int(0);
  for (size_t i = 0; i < seq->count; i++) {
    pat_rat end = pat_rat_add(begin, weights[i], &of);
    pat_rat cb = pat_rat_div(begin, total, &of), ce = pat_rat_div(end, total, &of);
    begin = end;
    pat_rat zero = pat_rat_int(0), one = pat_rat_int(1);
    if (pat_rat_cmp(cb, ce) > 0 || pat_rat_cmp(cb, one) > 0 || pat_rat_cmp(ce, one) > 0 ||
        pat_rat_cmp(cb, zero) < 0 || pat_rat_cmp(ce, zero) < 0) {
      parts[i] = silence(b); /* compress() outside the cycle is silence */
      continue;
    }
    pat_pattern *c = (pat_pattern *)one_kid(b, PN_COMPRESS, kids[i]);
    if (!c)
      return out;
    c->begin = cb;
    c->end = ce;
    parts[i] = c;
  }
  if (of) {
    fail_at(b, seq->pos, "step weights out of range");
    return out;
  }
  out.node = with_kids(b, PN_STACK, parts, seq->count);
  if (out.node)
    ((pat_pattern *)out.node)->timecat = is_timecat(parts, seq->count);
  return out;
}

static built build_group(builder *b, const mini_ast *a) {
  built out = {NULL, pat_rat_int(1), false};
  size_t n = a->count;
  built *kids = pat_store_alloc(b->store, (n ? n : 1) * sizeof(*kids));
  const pat_pattern **nodes = pat_store_alloc(b->store, (n ? n : 1) * sizeof(*nodes));
  if (!kids || !nodes) {
    fail_at(b, a->pos, "out of memory");
    return out;
  }
  for (size_t i = 0; i < n; i++) {
    kids[i] = build(b, a->items[i]);
    if (!kids[i].node)
      return out;
    nodes[i] = kids[i].node;
  }
  bool of = false;
  switch (a->kind) {
  case MINI_STACK:
    out.node = with_kids(b, PN_STACK, nodes, n);
    break;
  case MINI_SLOWCAT: /* stack of each sequence slowed by its weight */
    for (size_t i = 0; i < n; i++) {
      if (!kids[i].weighed || pat_rat_is_zero(kids[i].weight)) {
        fail_at(b, a->pos, "'<>' of steps weighing zero");
        return out;
      }
      nodes[i] = fast_const(b, nodes[i], pat_rat_div(pat_rat_int(1), kids[i].weight, &of));
    }
    out.node = with_kids(b, PN_STACK, nodes, n);
    break;
  case MINI_POLYMETER: {
    /* each sequence sped up by steps / its weight, joined per steps event */
    const pat_pattern *steps = a->steps ? build(b, a->steps).node : NULL;
    if (a->steps && !steps)
      return out;
    for (size_t i = 0; i < n; i++) {
      pat_pattern *f = (pat_pattern *)one_kid(b, PN_FAST, nodes[i]);
      if (!f)
        return out;
      f->join_always = true;
      f->arg_mode = PAT_ARG_FRACTION;
      f->weight = kids[i].weight;
      if (!kids[i].weighed)
        f->kind = PN_FAILED; /* x.div(undefined) throws */
      if (steps) {
        pat_node_set_args(f, &steps, 1);
      } else {
        pat_pattern *dummy = node(b, PN_PURE);
        if (!dummy)
          return out;
        const pat_pattern *arg = dummy;
        pat_node_set_args(f, &arg, 1);
        f->has_const = true;
        if (!kids[i].weighed || pat_rat_is_zero(kids[i].weight)) {
          f->kind = PN_FAILED;
        } else {
          f->const_time = pat_rat_div(kids[0].weight, kids[i].weight, &of);
        }
      }
      nodes[i] = f;
    }
    out.node = with_kids(b, PN_STACK, nodes, n);
    break;
  }
  case MINI_CHOOSE: {
    pat_pattern *c = (pat_pattern *)with_kids(b, PN_CHOOSE, nodes, n);
    if (c)
      c->seed_shift = pat_seed_shift(a->seed);
    out.node = c;
    break;
  }
  case MINI_FEET:
    out.node = fast_const(b, with_kids(b, PN_SLOWCAT, nodes, n), pat_rat_int((int64_t)n));
    break;
  default:
    break;
  }
  if (of)
    fail_at(b, a->pos, "step weights out of range");
  return out;
}

static built build(builder *b, const mini_ast *a) {
  built out = {NULL, pat_rat_int(1), false};
  if (b->failed)
    return out;
  switch (a->kind) {
  case MINI_ATOM:
    out.node = build_atom(b, a);
    return out;
  case MINI_ELEMENT: /* only as a euclid argument: the slice alone */
    return build(b, a->slice);
  case MINI_SEQUENCE:
    return build_sequence(b, a);
  case MINI_CHORD:
    out.node = build_chord(b, a);
    return out;
  default:
    return build_group(b, a);
  }
}

const pat_pattern *pat_parse(pat_store *store, const char *text, size_t length, int line,
                             int column, pat_error *error) {
  pat_error scratch;
  if (!error)
    error = &scratch;
  memset(error, 0, sizeof *error);
  if (!store || !text) {
    snprintf(error->message, sizeof error->message, "no pattern");
    return NULL;
  }
  mini_ast *ast = mini_parse(store, text, length, line, column, error);
  if (!ast)
    return NULL;
  builder b = {store, text, length, line, column, error, false};
  built result = build(&b, ast);
  if (b.failed || !result.node) {
    if (!b.failed)
      fail_at(&b, 0, "out of memory");
    return NULL;
  }
  return result.node;
}
