/* Mini-notation parser: a recursive-descent reading of Strudel's krill PEG
   grammar (ordered choice, backtracking on failure), so exactly the same
   texts are accepted and random operators get the same seeds. Builds the
   syntax tree mini_build.c turns into pattern nodes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern/mini.h"

typedef struct {
  const char *text;
  size_t length;
  size_t pos;
  pat_store *store;
  int seed; /* random operators in parse order, as krill's `seed++` */
  int depth;
  long slices;    /* slices tried, backtracking included (MINI_MAX_SLICES) */
  mini_failure f; /* the furthest failure, for the error message */
} parser;

/* Backtracking can try the same text again and again (unclosed brackets
   under ranges and weights inside a euclid cost 51 s for 1 KB): a parse that
   tries this many slices stops with an error. The Strudel corpus and its
   edge cases try at most 523. */
#define MINI_MAX_SLICES 200000

static void expect(parser *p, size_t pos, unsigned what) {
  if (pos > p->f.fail_pos) {
    p->f.fail_pos = pos;
    p->f.expected = 0;
    p->f.open_char = 0;
  }
  if (pos == p->f.fail_pos)
    p->f.expected |= what;
}

static void expect_close(parser *p, size_t pos, char open, size_t open_pos) {
  /* the innermost unclosed bracket at the furthest position wins */
  if (pos > p->f.fail_pos || (pos == p->f.fail_pos && !p->f.open_char)) {
    if (pos > p->f.fail_pos)
      p->f.expected = 0;
    p->f.fail_pos = pos;
    p->f.open_char = open;
    p->f.open_pos = open_pos;
  }
  if (pos == p->f.fail_pos)
    p->f.expected |= MINI_EXP_CLOSE;
}

static bool at_end(const parser *p) { return p->pos >= p->length; }
static char peek(const parser *p) { return at_end(p) ? '\0' : p->text[p->pos]; }

static bool lit(parser *p, const char *s) {
  size_t n = strlen(s);
  if (p->length - p->pos >= n && memcmp(p->text + p->pos, s, n) == 0) {
    p->pos += n;
    return true;
  }
  return false;
}

/* ws = [ \n\r\t\u00A0]* */
static void ws(parser *p) {
  for (;;) {
    char c = peek(p);
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      p->pos++;
    } else if ((unsigned char)c == 0xC2 && p->pos + 1 < p->length &&
               (unsigned char)p->text[p->pos + 1] == 0xA0) {
      p->pos += 2;
    } else {
      return;
    }
  }
}

/* Length in bytes of the step character at pos, 0 if none. Letters beyond
   ASCII count as letters (Unicode's categories, approximately: U+00C0 up). */
static size_t step_char(const parser *p, size_t pos) {
  if (pos >= p->length)
    return 0;
  unsigned char c = (unsigned char)p->text[pos];
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '~' ||
      c == '-' || c == '#' || c == '.' || c == '^' || c == '_')
    return 1;
  if (c < 0xC0)
    return 0;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (pos + n > p->length)
    return 0;
  if (c == 0xC2)
    return 0; /* U+0080..U+00BF: controls, NBSP, symbols */
  if (c == 0xC3 &&
      ((unsigned char)p->text[pos + 1] == 0x97 || (unsigned char)p->text[pos + 1] == 0xB7))
    return 0; /* x and / signs */
  return n;
}

static mini_ast *new_ast(parser *p, mini_kind kind, size_t pos) {
  mini_ast *a = pat_store_alloc(p->store, sizeof(mini_ast));
  if (!a) {
    p->f.out_of_memory = true;
    return NULL;
  }
  a->kind = kind;
  a->pos = pos;
  a->weight = 1;
  a->reps = 1;
  return a;
}

static bool push_child(parser *p, mini_ast *parent, mini_ast *child) {
  if (parent->count == parent->capacity) {
    size_t cap = parent->capacity ? parent->capacity * 2 : 4;
    mini_ast **items = pat_store_alloc(p->store, cap * sizeof(*items));
    if (!items) {
      p->f.out_of_memory = true;
      return false;
    }
    if (parent->count)
      memcpy(items, parent->items, parent->count * sizeof(*items));
    parent->items = items;
    parent->capacity = cap;
  }
  parent->items[parent->count++] = child;
  return true;
}

static mini_ast *slice(parser *p);
static mini_ast *slice_with_ops(parser *p);
static mini_ast *stack_or_choose(parser *p);
static mini_ast *polymeter_stack(parser *p);

/* number = "-"? ("0" / [1-9][0-9]*) ("." [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool number(parser *p, double *out) {
  size_t start = p->pos;
  lit(p, "-");
  if (peek(p) == '0') {
    p->pos++;
  } else if (peek(p) >= '1' && peek(p) <= '9') {
    while (peek(p) >= '0' && peek(p) <= '9')
      p->pos++;
  } else {
    expect(p, p->pos, MINI_EXP_NUMBER);
    p->pos = start;
    return false;
  }
  size_t save = p->pos;
  if (lit(p, ".") && peek(p) >= '0' && peek(p) <= '9') {
    while (peek(p) >= '0' && peek(p) <= '9')
      p->pos++;
  } else {
    p->pos = save;
  }
  save = p->pos;
  if (peek(p) == 'e' || peek(p) == 'E') {
    p->pos++;
    if (peek(p) == '+' || peek(p) == '-')
      p->pos++;
    if (peek(p) >= '0' && peek(p) <= '9') {
      while (peek(p) >= '0' && peek(p) <= '9')
        p->pos++;
    } else {
      p->pos = save;
    }
  }
  char buf[64];
  size_t n = p->pos - start;
  if (n >= sizeof buf)
    n = sizeof buf - 1;
  memcpy(buf, p->text + start, n);
  buf[n] = '\0';
  *out = strtod(buf, NULL);
  return true;
}

static mini_ast *bracketed(parser *p, char open, char close, bool poly);

static bool chord_char(char d) {
  return (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9') || d == '#';
}

/* A chord part starts here: a quote, then a letter, a digit or a bracket. */
static bool chord_part_next(const parser *p) {
  if (p->pos + 1 >= p->length || p->text[p->pos] != '\'')
    return false;
  char c = p->text[p->pos + 1];
  return (chord_char(c) && c != '#') || c == '<' || c == '[';
}

/* Tidal's chord suffix after a root (cyclebus's, not Strudel syntax):
   `c4'min7'ii`, `'min7` on root 0, and parts that are patterns,
   `c'<maj min>'[i ii]`, `<c e>'maj`. After a root word, word parts stay in
   the word's text; a chord with a bracketed part or root becomes a
   MINI_CHORD (text: the root word, or slice: the root pattern; items: the
   parts). */
static mini_ast *chord_suffix(parser *p, size_t start, size_t *end, mini_ast *root) {
  mini_ast *chord = NULL;
  if (root && chord_part_next(p)) {
    chord = new_ast(p, MINI_CHORD, start);
    if (!chord)
      return NULL;
    chord->slice = root;
  }
  while (chord_part_next(p)) {
    char c = p->text[p->pos + 1];
    if (chord_char(c) && c != '#') {
      size_t part = ++p->pos;
      while (chord_char(peek(p)))
        p->pos++;
      if (!chord)
        continue;
      mini_ast *atom = new_ast(p, MINI_ATOM, part);
      if (!atom || !push_child(p, chord, atom))
        return NULL;
      atom->text = p->text + part;
      atom->text_length = p->pos - part;
    } else if (c == '<' || c == '[') {
      size_t quote = p->pos++;
      mini_ast *pattern = bracketed(p, c, c == '<' ? '>' : ']', c == '<');
      if (!pattern) {
        p->pos = quote;
        return NULL;
      }
      if (c == '<')
        pattern->kind = MINI_SLOWCAT;
      if (!chord) { /* the root word and the word parts so far become items too */
        chord = new_ast(p, MINI_CHORD, start);
        if (!chord)
          return NULL;
        chord->text = p->text + start;
        const char *q = memchr(p->text + start, '\'', quote - start);
        chord->text_length = q ? (size_t)(q - (p->text + start)) : quote - start;
        for (size_t i = start + chord->text_length; i < quote;) {
          size_t part = ++i;
          while (i < quote && p->text[i] != '\'')
            i++;
          mini_ast *atom = new_ast(p, MINI_ATOM, part);
          if (!atom || !push_child(p, chord, atom))
            return NULL;
          atom->text = p->text + part;
          atom->text_length = i - part;
        }
      }
      if (!push_child(p, chord, pattern))
        return NULL;
    } else {
      break;
    }
  }
  *end = p->pos;
  return chord;
}

/* step = ws step_char+ ws, not "." or "_"; plus cyclebus's chord suffix */
static mini_ast *step(parser *p) {
  size_t save = p->pos;
  ws(p);
  size_t start = p->pos, n;
  while ((n = step_char(p, p->pos)) > 0)
    p->pos += n;
  size_t end = p->pos;
  mini_ast *chord = chord_suffix(p, start, &end, NULL);
  if (!chord && (p->f.out_of_memory || p->f.too_deep)) {
    p->pos = save;
    return NULL;
  }
  if (end == start) {
    expect(p, start, MINI_EXP_STEP);
    p->pos = save;
    return NULL;
  }
  ws(p);
  if (chord)
    return chord;
  if ((end - start == 1 && (p->text[start] == '.' || p->text[start] == '_'))) {
    expect(p, start, MINI_EXP_STEP);
    p->pos = save;
    return NULL;
  }
  mini_ast *a = new_ast(p, MINI_ATOM, start);
  if (!a)
    return NULL;
  a->text = p->text + start;
  a->text_length = end - start;
  return a;
}

/* open ws stack close ws, for "[" / "{" / "<" */
static mini_ast *bracketed(parser *p, char open, char close, bool poly) {
  size_t save = p->pos;
  ws(p);
  size_t open_pos = p->pos;
  if (peek(p) != open) {
    expect(p, p->pos, MINI_EXP_STEP);
    p->pos = save;
    return NULL;
  }
  p->pos++;
  if (++p->depth > MINI_MAX_NESTING) {
    p->f.too_deep = true;
    p->depth--;
    p->pos = save;
    return NULL;
  }
  ws(p);
  mini_ast *inner = poly ? polymeter_stack(p) : stack_or_choose(p);
  p->depth--;
  if (!inner) {
    p->pos = save;
    return NULL;
  }
  ws(p);
  if (peek(p) != close) {
    expect_close(p, p->pos, open, open_pos);
    p->pos = save;
    return NULL;
  }
  p->pos++;
  return inner;
}

static mini_ast *polymeter(parser *p) {
  size_t save = p->pos;
  mini_ast *s = bracketed(p, '{', '}', true);
  if (!s)
    return NULL;
  size_t before = p->pos;
  if (lit(p, "%")) {
    mini_ast *steps = slice(p);
    if (steps)
      s->steps = steps;
    else
      p->pos = before;
  }
  (void)save;
  ws(p);
  return s;
}

/* `[...]` or `<...>`, maybe the root of a Tidal chord (`<c e>'maj`). */
static mini_ast *bracket_or_chord(parser *p, char open, char close, bool poly) {
  size_t save = p->pos;
  ws(p);
  size_t start = p->pos, end;
  mini_ast *s = bracketed(p, open, close, poly);
  if (!s) {
    p->pos = save;
    return NULL;
  }
  if (open == '<')
    s->kind = MINI_SLOWCAT;
  mini_ast *chord = chord_suffix(p, start, &end, s);
  if (!chord && (p->f.out_of_memory || p->f.too_deep)) {
    p->pos = save;
    return NULL;
  }
  ws(p);
  return chord ? chord : s;
}

static mini_ast *slow_sequence(parser *p) { return bracket_or_chord(p, '<', '>', true); }

static mini_ast *sub_cycle(parser *p) { return bracket_or_chord(p, '[', ']', false); }

static mini_ast *slice(parser *p) {
  if (p->f.too_deep || p->f.out_of_memory || p->f.custom)
    return NULL;
  if (++p->slices > MINI_MAX_SLICES) {
    p->f.custom = "this pattern is too tangled to read (unclosed brackets?)";
    p->f.custom_pos = p->pos;
    return NULL;
  }
  mini_ast *a = step(p);
  if (!a && !p->f.too_deep)
    a = sub_cycle(p);
  if (!a && !p->f.too_deep)
    a = polymeter(p);
  if (!a && !p->f.too_deep)
    a = slow_sequence(p);
  return a;
}

static bool add_op(parser *p, mini_ast *element, mini_op_kind kind, mini_ast *a, mini_ast *b,
                   mini_ast *c) {
  if (element->op_count == MINI_MAX_OPS) {
    p->f.custom = "too many operators on one step";
    p->f.custom_pos = p->pos;
    return false;
  }
  if (element->op_count == element->op_capacity) {
    int cap = element->op_capacity ? element->op_capacity * 2 : 4;
    mini_op *ops = pat_store_alloc(p->store, (size_t)cap * sizeof(mini_op));
    if (!ops) {
      p->f.out_of_memory = true;
      return false;
    }
    if (element->op_count)
      memcpy(ops, element->ops, (size_t)element->op_count * sizeof(mini_op));
    element->ops = ops;
    element->op_capacity = cap;
  }
  mini_op *op = &element->ops[element->op_count++];
  memset(op, 0, sizeof *op);
  op->kind = kind;
  op->a = a;
  op->b = b;
  op->c = c;
  op->pos = p->pos;
  return true;
}

/* op_bjorklund = "(" ws p ws comma ws s ws comma? ws r? ws ")" */
static bool op_bjorklund(parser *p, mini_ast *element) {
  size_t save = p->pos;
  if (!lit(p, "(")) {
    expect(p, p->pos, MINI_EXP_OP);
    return false;
  }
  size_t open_pos = save;
  ws(p);
  mini_ast *pulses = slice_with_ops(p), *steps = NULL, *rotation = NULL;
  if (!pulses)
    goto fail;
  ws(p);
  ws(p);
  if (!lit(p, ",")) {
    expect(p, p->pos, MINI_EXP_COMMA);
    goto fail;
  }
  ws(p);
  ws(p);
  steps = slice_with_ops(p);
  if (!steps)
    goto fail;
  ws(p);
  ws(p);
  lit(p, ",");
  ws(p);
  ws(p);
  rotation = slice_with_ops(p);
  ws(p);
  if (!lit(p, ")")) {
    expect_close(p, p->pos, '(', open_pos);
    goto fail;
  }
  return add_op(p, element, MINI_OP_EUCLID, pulses, steps, rotation);
fail:
  p->pos = save;
  return false;
}

static bool slice_op(parser *p, mini_ast *element) {
  size_t save = p->pos;
  double amount;
  /* op_weight = ws ("@" / "_") number? */
  ws(p);
  if (lit(p, "@") || lit(p, "_")) {
    bool has = number(p, &amount);
    element->weight = element->weight + (has ? amount : 2) - 1;
    return true;
  }
  p->pos = save;
  if (op_bjorklund(p, element))
    return true;
  if (lit(p, "/")) {
    mini_ast *s = slice(p);
    if (s)
      return add_op(p, element, MINI_OP_SLOW, s, NULL, NULL);
    p->pos = save;
  }
  if (lit(p, "*")) {
    mini_ast *s = slice(p);
    if (s)
      return add_op(p, element, MINI_OP_FAST, s, NULL, NULL);
    p->pos = save;
  }
  /* op_replicate = ws "!" number?: x!3 and x!!! both mean three copies */
  ws(p);
  if (lit(p, "!")) {
    bool has = number(p, &amount);
    element->reps = element->reps + (has ? amount : 2) - 1;
    int kept = 0;
    for (int i = 0; i < element->op_count; i++)
      if (element->ops[i].kind != MINI_OP_REPLICATE)
        element->ops[kept++] = element->ops[i];
    element->op_count = kept;
    if (!add_op(p, element, MINI_OP_REPLICATE, NULL, NULL, NULL))
      return false;
    element->ops[element->op_count - 1].amount = element->reps;
    element->weight = element->reps;
    return true;
  }
  p->pos = save;
  if (lit(p, "?")) {
    bool has = number(p, &amount);
    if (!add_op(p, element, MINI_OP_DEGRADE, NULL, NULL, NULL))
      return false;
    mini_op *op = &element->ops[element->op_count - 1];
    op->amount = has ? amount : 0.5;
    op->seed = p->seed++;
    return true;
  }
  if (lit(p, ":")) {
    mini_ast *s = slice(p);
    if (s)
      return add_op(p, element, MINI_OP_TAIL, s, NULL, NULL);
    p->pos = save;
  }
  if (lit(p, "..")) {
    mini_ast *s = slice(p);
    if (s)
      return add_op(p, element, MINI_OP_RANGE, s, NULL, NULL);
    p->pos = save;
  }
  expect(p, p->pos, MINI_EXP_OP);
  return false;
}

static mini_ast *slice_with_ops(parser *p) {
  size_t start = p->pos;
  mini_ast *s = slice(p);
  if (!s)
    return NULL;
  mini_ast *e = new_ast(p, MINI_ELEMENT, start);
  if (!e)
    return NULL;
  e->slice = s;
  while (!p->f.custom && slice_op(p, e)) {
  }
  if (p->f.custom || p->f.out_of_memory)
    return NULL;
  return e;
}

/* sequence = "^"? slice_with_ops+ */
static mini_ast *sequence(parser *p) {
  size_t save = p->pos;
  mini_ast *seq = new_ast(p, MINI_SEQUENCE, p->pos);
  if (!seq)
    return NULL;
  lit(p, "^");
  mini_ast *e;
  while ((e = slice_with_ops(p)) != NULL)
    if (!push_child(p, seq, e))
      return NULL;
  if (seq->count == 0 || p->f.too_deep || p->f.custom || p->f.out_of_memory) {
    p->pos = save;
    return NULL;
  }
  return seq;
}

/* (sep sequence)+ for sep in "," "|" "." */
static bool tail(parser *p, mini_ast *group, char sep) {
  int n = 0;
  for (;;) {
    size_t save = p->pos;
    ws(p);
    if (peek(p) != sep) {
      if (sep == ',')
        expect(p, p->pos, MINI_EXP_COMMA);
      p->pos = save;
      break;
    }
    p->pos++;
    ws(p);
    mini_ast *s = sequence(p);
    if (!s) {
      p->pos = save;
      break;
    }
    if (!push_child(p, group, s))
      return false;
    n++;
  }
  return n > 0;
}

static mini_ast *stack_or_choose(parser *p) {
  mini_ast *head = sequence(p);
  if (!head)
    return NULL;
  static const struct {
    char sep;
    mini_kind kind;
    bool seeded;
  } tails[] = {{',', MINI_STACK, false}, {'|', MINI_CHOOSE, true}, {'.', MINI_FEET, true}};
  for (size_t t = 0; t < 3; t++) {
    mini_ast *group = new_ast(p, tails[t].kind, head->pos);
    if (!group || !push_child(p, group, head))
      return NULL;
    if (tail(p, group, tails[t].sep)) {
      if (tails[t].seeded)
        group->seed = p->seed++;
      return group;
    }
    if (p->f.too_deep || p->f.custom || p->f.out_of_memory)
      return NULL;
  }
  return head;
}

static mini_ast *polymeter_stack(parser *p) {
  mini_ast *head = sequence(p);
  if (!head)
    return NULL;
  mini_ast *group = new_ast(p, MINI_POLYMETER, head->pos);
  if (!group || !push_child(p, group, head))
    return NULL;
  tail(p, group, ',');
  if (p->f.too_deep || p->f.custom || p->f.out_of_memory)
    return NULL;
  return group;
}

/* ---- entry ------------------------------------------------------------------ */

mini_ast *mini_parse(pat_store *store, const char *text, size_t length, int line, int column,
                     pat_error *error) {
  parser p;
  memset(&p, 0, sizeof p);
  p.text = text;
  p.length = length;
  p.store = store;
  ws(&p);
  mini_ast *root = stack_or_choose(&p);
  if (root) {
    ws(&p);
    if (!at_end(&p)) {
      /* krill reads the text between quotes: a quote here closes it, and
         only a `//` comment may follow */
      char c = peek(&p);
      size_t save = p.pos;
      bool ok = false;
      if (c == '"' || c == '\'') {
        p.pos++;
        ws(&p);
        if (lit(&p, "//") && !memchr(text + p.pos, '\n', length - p.pos))
          ok = true;
      }
      if (!ok) {
        p.pos = save;
        expect(&p, save, MINI_EXP_END | MINI_EXP_OP | MINI_EXP_STEP);
        root = NULL;
      }
    }
  }
  if (!root) {
    if (p.f.fail_pos < p.pos)
      p.f.fail_pos = p.pos;
    mini_describe_failure(text, length, &p.f, line, column, error);
    return NULL;
  }
  return root;
}
