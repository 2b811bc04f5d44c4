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
  MINI_SLOWCAT    /* "<a b, c>" */
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
  mini_ast *slice;  /* MINI_ELEMENT */
  mini_ast *steps;  /* MINI_POLYMETER: %steps, or NULL */
  double weight;    /* MINI_ELEMENT: @ and _ */
  double reps;      /* MINI_ELEMENT: ! */
  int seed;         /* MINI_CHOOSE, MINI_FEET */
  mini_op *ops; /* MINI_ELEMENT: in order */
  int op_count, op_capacity;
};

mini_ast *mini_parse(pat_store *store, const char *text, size_t length, int line, int column,
                     pat_error *error);

#endif
