/* Mini-notation syntax tree, shared by the parser (mini_parse.c) and the
   builder that turns it into pattern nodes (mini_build.c). Private. */
#ifndef CYCLEBUS_PAT_MINI_H
#define CYCLEBUS_PAT_MINI_H

#include "pattern/pat_internal.h"

typedef enum {
  MINI_ATOM,      /* a word: text */
  MINI_ELEMENT,   /* slice + ops, weight, reps (one step of a sequence) */
  MINI_SEQUENCE,  /* items are elements: "a b c" */
  MINI_STACK,     /* items are sequences: "a, b" */
  MINI_CHOOSE,    /* "a | b", seed */
  MINI_FEET,      /* "a . b" */
  MINI_POLYMETER, /* "{a b, c d e}%steps" */
  MINI_SLOWCAT,   /* "<a b, c>" */
  MINI_CHORD /* Tidal's "c'<maj min>'ii": text (or slice) the root, items the name, modifiers */
} mini_kind;

typedef enum {
  MINI_OP_FAST,      /* a: amount */
  MINI_OP_SLOW,      /* a: amount */
  MINI_OP_REPLICATE, /* amount: repetitions */
  MINI_OP_EUCLID,    /* a, b, c (c may be NULL): elements, whose own ops krill ignores */
  MINI_OP_DEGRADE,   /* amount, seed */
  MINI_OP_TAIL,      /* a */
  MINI_OP_RANGE      /* a */
} mini_op_kind;

typedef struct mini_ast mini_ast;

typedef struct {
  mini_op_kind kind;
  mini_ast *a, *b, *c;
  double amount;
  int seed;
  size_t pos;
} mini_op;

#define MINI_MAX_OPS 64

struct mini_ast {
  mini_kind kind;
  size_t pos; /* byte offset in the text, for errors */
  const char *text;
  size_t text_length;
  mini_ast **items;
  size_t count, capacity;
  mini_ast *slice; /* MINI_ELEMENT */
  mini_ast *steps; /* MINI_POLYMETER: %steps, or NULL */
  double weight;   /* MINI_ELEMENT: @ and _ */
  double reps;     /* MINI_ELEMENT: ! */
  int seed;        /* MINI_CHOOSE, MINI_FEET */
  mini_op *ops;    /* MINI_ELEMENT: in order */
  int op_count, op_capacity;
};

/* Why a parse failed: the furthest position reached and what was expected
   there, as PEG parsers report it. */
enum {
  MINI_EXP_STEP = 1, /* a word, number, "~", or a bracket */
  MINI_EXP_CLOSE = 2,
  MINI_EXP_OP = 4,
  MINI_EXP_NUMBER = 8,
  MINI_EXP_COMMA = 16,
  MINI_EXP_END = 32,
  MINI_EXP_SLICE = 64,
};

#define MINI_MAX_NESTING 100

typedef struct {
  size_t fail_pos;
  unsigned expected; /* MINI_EXP_* bits at fail_pos */
  size_t open_pos;   /* with MINI_EXP_CLOSE: where the bracket was opened */
  char open_char;
  bool too_deep;
  bool out_of_memory;
  const char *custom; /* a message that replaces the expected list */
  size_t custom_pos;
} mini_failure;

/* Line and column (1-based, in characters) of byte `pos`, for text that
   starts at line:column in the caller's source. */
void mini_locate(const char *text, size_t length, size_t pos, int line, int column, int *out_line,
                 int *out_column);
void mini_describe_failure(const char *text, size_t length, const mini_failure *f, int line,
                           int column, pat_error *error);

mini_ast *mini_parse(pat_store *store, const char *text, size_t length, int line, int column,
                     pat_error *error);

#endif
