/* Tokens to statements: a recursive-descent parser for the grammar in
   docs/language.md (the tokenizer is program_lex.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "program_private.h"

/* ---- syntax tree ------------------------------------------------------------------ */

static const prog_token *peek(prog_compiler *c) { return &c->tokens[c->token_pos]; }
static const prog_token *next(prog_compiler *c) {
  const prog_token *t = &c->tokens[c->token_pos];
  if (t->kind != TOK_EOF)
    c->token_pos++;
  return t;
}

static ast *new_node(prog_compiler *c, ast_kind kind, const prog_token *at) {
  ast *node = prog_alloc(c, sizeof *node);
  memset(node, 0, sizeof *node);
  node->kind = kind;
  node->line = at->line;
  node->column = at->column;
  return node;
}

static ast *parse_expr(prog_compiler *c);

/* Can this token begin an argument of a call? */
static bool starts_atom(const prog_token *t) {
  return t->kind == TOK_NUMBER || t->kind == TOK_STRING || t->kind == TOK_NAME ||
         t->kind == TOK_BUS || t->kind == TOK_MACRO || t->kind == TOK_LPAREN ||
         t->kind == TOK_LBRACKET;
}

/* A number literal's value (-x too); false for anything else. */
static bool literal_number(const ast *node, double *out) {
  if (node->kind == AST_NEG && node->left && literal_number(node->left, out)) {
    *out = -*out;
    return true;
  }
  if (node->kind == AST_PAREN && node->left)
    return literal_number(node->left, out);
  *out = node->number;
  return node->kind == AST_NUMBER;
}

/* Haskell's range `[a .. b]` (after `a` and the two dots): a, a + 1, ...
   while at most b + 1/2 (enumFromTo on numbers), into items[]. */
static int parse_range(prog_compiler *c, const prog_token *open, ast *from, ast **items) {
  const prog_token *t = peek(c);
  if (t->kind == TOK_RBRACKET)
    prog_fail(c, t->line, t->column,
              "an endless list like [0 ..] cannot play: give its end, [0 .. 7]");
  ast *to = parse_expr(c);
  double a, b;
  if (!literal_number(from, &a) || !literal_number(to, &b))
    prog_fail(c, open->line, open->column, "a range [a .. b] takes two numbers, like [0 .. 7]");
  t = next(c);
  if (t->kind != TOK_RBRACKET)
    prog_fail(c, t->line, t->column, "expected ']' to close the range opened at %d:%d", open->line,
              open->column);
  int count = 0;
  for (double x = a; x <= b + 0.5; x += 1.0) {
    if (count == 64)
      prog_fail(c, open->line, open->column, "too many items (a list holds at most 64)");
    items[count] = new_node(c, AST_NUMBER, open);
    items[count++]->number = x;
  }
  return count;
}

/* The items of a list `[a, b]` or `[a .. b]` (after its '[') or of a tuple
   `(a, b)` (after its first item and ','), up to the closing bracket. */
static ast *parse_items(prog_compiler *c, const prog_token *open, ast *first) {
  ast *node = new_node(c, first ? AST_TUPLE : AST_LIST, open);
  tok_kind close = first ? TOK_RPAREN : TOK_RBRACKET;
  ast *items[64];
  int count = 0;
  if (first)
    items[count++] = first;
  if (!first && peek(c)->kind == TOK_RBRACKET) {
    next(c);
    return node; /* [] */
  }
  for (;;) {
    const prog_token *t = peek(c);
    if (count == 64)
      prog_fail(c, t->line, t->column, "too many items (a list holds at most 64)");
    items[count++] = parse_expr(c);
    if (!first && count == 1 && peek(c)->kind == TOK_DOT) {
      next(c), next(c); /* `..`: parse_compose left both */
      count = parse_range(c, open, items[0], items);
      break;
    }
    t = next(c);
    if (t->kind == close)
      break;
    if (t->kind != TOK_COMMA)
      prog_fail(c, t->line, t->column, "expected ',' or '%c' to close the '%c' opened at %d:%d",
                first ? ')' : ']', first ? '(' : '[', open->line, open->column);
  }
  node->args = prog_alloc(c, (size_t)count * sizeof *node->args);
  memcpy(node->args, items, (size_t)count * sizeof *items);
  node->arg_count = count;
  return node;
}

/* `a <~ p` is `early a p`, `a ~> p` is `late a p` and `a <> p` (Haskell's
   semigroup append) is `overlay a p`; without p (a section, `(0.25 <~)`)
   it is the function waiting for its pattern. */
static ast *shift_call(prog_compiler *c, const prog_token *shift, ast *amount, ast *pattern) {
  bool early = shift->text[0] == '<', overlay = early && shift->text[1] == '>';
  ast *head = new_node(c, AST_NAME, shift);
  head->text = overlay ? "overlay" : early ? "early" : "late";
  head->length = strlen(head->text);
  ast *call = new_node(c, AST_APPLY, shift);
  call->left = head;
  call->arg_count = pattern ? 2 : 1;
  call->args = prog_alloc(c, 2 * sizeof *call->args);
  call->args[0] = amount;
  call->args[1] = pattern;
  return call;
}

static ast *parse_atom(prog_compiler *c) {
  const prog_token *t = next(c);
  ast *node;
  switch (t->kind) {
  case TOK_NUMBER:
    node = new_node(c, AST_NUMBER, t);
    node->number = t->number;
    return node;
  case TOK_STRING:
  case TOK_NAME:
  case TOK_BUS:
  case TOK_MACRO:
    node = new_node(c,
                    t->kind == TOK_STRING ? AST_STRING
                    : t->kind == TOK_NAME ? AST_NAME
                    : t->kind == TOK_BUS  ? AST_BUS
                                          : AST_MACRO,
                    t);
    node->text = t->text;
    node->length = t->length;
    return node;
  case TOK_LPAREN: {
    const prog_token *op = peek(c);
    if (op->kind == TOK_DOLLAR && op[1].kind == TOK_RPAREN) { /* ($): Haskell's application */
      next(c), next(c);
      node = new_node(c, AST_NAME, t);
      node->text = "($)";
      node->length = 3;
      return node;
    }
    if (op->kind == TOK_HASH || op->kind == TOK_OPERATOR) { /* (# lpf 800): a section */
      next(c);
      node = new_node(c, AST_SECTION, t);
      node->op = op->kind == TOK_HASH ? '#' : op->op;
      node->structure = op->kind == TOK_HASH ? PAT_STRUCTURE_LEFT : op->structure;
      node->right = parse_expr(c);
    } else if (op->kind == TOK_PLUS || op->kind == TOK_STAR || op->kind == TOK_SLASH) {
      next(c); /* (+ 7), (* 2): Haskell's sections; (- 7) is minus seven, as there */
      node = new_node(c, AST_SECTION, t);
      node->op = *op->text;
      node->arithmetic = true;
      node->right = parse_expr(c);
    } else {
      node = new_node(c, AST_PAREN, t);
      node->left = parse_expr(c);
      const prog_token *shift = peek(c);
      if (shift->kind == TOK_SHIFT && shift[1].kind == TOK_RPAREN) /* (0.25 <~) */
        node->left = shift_call(c, next(c), node->left, NULL);
      const prog_token *op_after = peek(c);
      if ((op_after->kind == TOK_PLUS || op_after->kind == TOK_MINUS ||
           op_after->kind == TOK_STAR || op_after->kind == TOK_SLASH) &&
          op_after[1].kind == TOK_RPAREN) { /* (7 -): a function giving 7 - x */
        next(c);
        ast *operand = node->left;
        node = new_node(c, AST_SECTION, t);
        node->op = *op_after->text;
        node->arithmetic = true;
        node->operand_first = true;
        node->right = operand;
      }
      if (peek(c)->kind == TOK_COMMA) { /* (1, s "bd"): a tuple */
        next(c);
        return parse_items(c, t, node->left);
      }
    }
    const prog_token *close = peek(c);
    if (close->kind != TOK_RPAREN)
      prog_fail(c, close->line, close->column, "expected ')' to close the '(' opened at %d:%d",
                t->line, t->column);
    next(c);
    return node;
  }
  case TOK_LBRACKET:
    return parse_items(c, t, NULL);
  case TOK_RPAREN:
    prog_fail(c, t->line, t->column, "expected a value before ')'");
  case TOK_RBRACKET:
    prog_fail(c, t->line, t->column, "expected a value before ']'");
  case TOK_COMMA:
    prog_fail(c, t->line, t->column, "expected a value before ','");
  case TOK_NEWLINE:
  case TOK_EOF:
    prog_fail(c, t->line, t->column, "the line ends where a value was expected");
  default:
    prog_fail(c, t->line, t->column, "expected a value but found %s", prog_token_name(t->kind));
  }
}

/* A call: a name (or parenthesized function) followed by arguments. A '-'
   glued to a number after a space is a negative argument: `late -0.25`. */
static ast *parse_application(prog_compiler *c) {
  ast *head = parse_atom(c);
  if (head->kind != AST_NAME && head->kind != AST_PAREN && head->kind != AST_SECTION)
    return head;
  ast *args[64];
  int count = 0;
  for (;;) {
    const prog_token *t = peek(c);
    ast *arg;
    if (t->kind == TOK_NAME && t[1].kind == TOK_EQUALS) {
      break; /* the next binding of a `let` */
    } else if (starts_atom(t)) {
      arg = parse_atom(c);
    } else if (t->kind == TOK_MINUS && t->space_before && t[1].kind == TOK_NUMBER &&
               !t[1].space_before) {
      next(c);
      arg = parse_atom(c);
      arg->number = -arg->number;
      arg->column--;
    } else {
      break;
    }
    if (count == 64)
      prog_fail(c, arg->line, arg->column, "too many arguments");
    args[count++] = arg;
  }
  if (count == 0)
    return head;
  ast *call = new_node(c, AST_APPLY, &(prog_token){.line = head->line, .column = head->column});
  call->left = head;
  call->args = prog_alloc(c, (size_t)count * sizeof *call->args);
  memcpy(call->args, args, (size_t)count * sizeof *args);
  call->arg_count = count;
  return call;
}

/* compose = call [ '.' compose ]: Haskell's `.`, binding tighter than the
   operators and to the right, so `fast 2 . rev $ x` is `fast 2 (rev x)`. */
static ast *parse_compose(prog_compiler *c) {
  ast *left = parse_application(c);
  if (peek(c)->kind != TOK_DOT || c->tokens[c->token_pos + 1].kind == TOK_DOT)
    return left; /* `..` is a list's range */
  const prog_token *t = next(c);
  if (++c->depth > PROG_MAX_DEPTH)
    prog_fail(c, t->line, t->column, "too deeply nested (more than %d levels)", PROG_MAX_DEPTH);
  ast *node = new_node(c, AST_COMPOSE, t);
  node->left = left;
  node->right = parse_compose(c);
  c->depth--;
  return node;
}

static ast *parse_unary(prog_compiler *c) {
  const prog_token *t = peek(c);
  if (t->kind == TOK_MINUS) {
    next(c);
    if (++c->depth > PROG_MAX_DEPTH)
      prog_fail(c, t->line, t->column, "too deeply nested (more than %d levels)", PROG_MAX_DEPTH);
    ast *node = new_node(c, AST_NEG, t);
    node->left = parse_unary(c);
    c->depth--;
    return node;
  }
  return parse_compose(c);
}

static ast *parse_binary_level(prog_compiler *c, int level);

static ast *parse_operand(prog_compiler *c, int level) {
  return level == 0 ? parse_binary_level(c, 1) : parse_unary(c);
}

/* level 0: + and -, level 1: * and / (all left-associative). */
static ast *parse_binary_level(prog_compiler *c, int level) {
  ast *left = parse_operand(c, level);
  for (;;) {
    const prog_token *t = peek(c);
    bool matches = level == 0 ? (t->kind == TOK_PLUS || t->kind == TOK_MINUS)
                              : (t->kind == TOK_STAR || t->kind == TOK_SLASH);
    if (!matches || t[1].kind == TOK_RPAREN) /* (7 +): a section, made by parse_atom */
      return left;
    next(c);
    ast *node = new_node(c, AST_BINARY, t);
    node->op = *t->text;
    node->left = left;
    node->right = parse_operand(c, level);
    left = node;
  }
}

/* shift = sum { ('<~' | '~>' | '<>') sum }, left-associative; looser than
   '+' and tighter than '#', as in Tidal. */
static ast *parse_shift(prog_compiler *c) {
  ast *left = parse_binary_level(c, 0);
  while (peek(c)->kind == TOK_SHIFT && peek(c)[1].kind != TOK_RPAREN) { /* not (0.25 <~) */
    const prog_token *t = next(c);
    left = shift_call(c, t, left, parse_binary_level(c, 0));
  }
  return left;
}

/* chain = shift { ('#' | '|+' ...) shift }, left-associative. */
static ast *parse_chain(prog_compiler *c) {
  ast *left = parse_shift(c);
  while (peek(c)->kind == TOK_HASH || peek(c)->kind == TOK_OPERATOR) {
    const prog_token *t = next(c);
    ast *node = new_node(c, AST_CHAIN, t);
    node->op = t->kind == TOK_HASH ? '#' : t->op;
    node->structure = t->kind == TOK_HASH ? PAT_STRUCTURE_LEFT : t->structure;
    node->left = left;
    node->right = parse_shift(c);
    left = node;
  }
  return left;
}

/* expr = chain [ '$' expr ]: `$` binds loosest and to the right, as in
   Haskell, so `f $ a # b` is `f (a # b)`. */
static ast *parse_expr(prog_compiler *c) {
  const prog_token *start = peek(c);
  if (++c->depth > PROG_MAX_DEPTH)
    prog_fail(c, start->line, start->column, "too deeply nested (more than %d levels)",
              PROG_MAX_DEPTH);
  ast *left = parse_chain(c);
  const prog_token *t = peek(c);
  if (t->kind != TOK_DOLLAR) {
    c->depth--;
    return left;
  }
  next(c);
  if (left->kind != AST_NAME && left->kind != AST_APPLY && left->kind != AST_PAREN &&
      left->kind != AST_SECTION && left->kind != AST_COMPOSE)
    prog_fail(c, t->line, t->column,
              "'$' applies a function to what follows it, but its left side is not a function");
  ast *node = new_node(c, AST_APPLY, t);
  node->left = left;
  node->args = prog_alloc(c, sizeof *node->args);
  node->args[0] = parse_expr(c);
  node->arg_count = 1;
  c->depth--;
  return node;
}

/* ---- statements -------------------------------------------------------------------- */

bool prog_is_output_name(const char *text, size_t length) {
  if (prog_name_is(text, length, "out"))
    return true;
  if (length < 2 || (text[0] != 'd' && text[0] != 'o'))
    return false;
  for (size_t i = 1; i < length; ++i)
    if (!isdigit((unsigned char)text[i]))
      return false;
  return true;
}

static void expect_line_end(prog_compiler *c) {
  const prog_token *t = peek(c);
  if (t->kind == TOK_NEWLINE || t->kind == TOK_EOF) {
    next(c);
    return;
  }
  if (t->kind == TOK_RPAREN)
    prog_fail(c, t->line, t->column, "unexpected ')' without a matching '('");
  if (t->kind == TOK_COLON)
    prog_fail(c, t->line, t->column, "unexpected ':'");
  prog_fail(c, t->line, t->column,
            "unexpected %s here; expected '#', '$', an operator or the end of the line",
            prog_token_name(t->kind));
}

/* Tidal's `let a = x` (more bindings on continuation lines, `b = y`):
   each name stands for its value in every line of the program. */
static void parse_let(prog_compiler *c, prog_stmt *stmt, const prog_token *name) {
  if (name->kind != TOK_NAME || peek(c)->kind != TOK_EQUALS)
    prog_fail(c, name->line, name->column,
              "let binds a name, as in 'let pats = [(\"a\", s \"bd\")]'");
  next(c);
  memset(stmt, 0, sizeof *stmt);
  stmt->kind = STMT_LET;
  stmt->line = name->line;
  stmt->column = name->column;
  stmt->name = name->text;
  stmt->name_length = name->length;
  const prog_token *t = peek(c);
  if (t->kind == TOK_NEWLINE || t->kind == TOK_EOF)
    prog_fail(c, t->line, t->column, "the line ends where a value was expected");
  stmt->body = parse_expr(c);
}

static prog_stmt *new_statement(prog_compiler *c, int *capacity) {
  if (c->stmt_count == *capacity) {
    int grown = *capacity ? *capacity * 2 : 32;
    prog_stmt *more = prog_alloc(c, (size_t)grown * sizeof *more);
    if (c->stmt_count)
      memcpy(more, c->stmts, (size_t)c->stmt_count * sizeof *more);
    c->stmts = more;
    *capacity = grown;
  }
  return &c->stmts[c->stmt_count++];
}

static void parse_statement(prog_compiler *c, prog_stmt *stmt) {
  const prog_token *first = next(c);
  memset(stmt, 0, sizeof *stmt);
  stmt->line = first->line;
  stmt->column = first->column;
  stmt->name = first->text;
  stmt->name_length = first->length;
  const prog_token *sep = peek(c);
  bool has_sep = sep->kind == TOK_DOLLAR || sep->kind == TOK_COLON;
  if (first->kind == TOK_NAME && (prog_name_is(first->text, first->length, "bpm") ||
                                  prog_name_is(first->text, first->length, "cps") ||
                                  prog_name_is(first->text, first->length, "tempo") ||
                                  prog_name_is(first->text, first->length, "setcps") ||
                                  prog_name_is(first->text, first->length, "setbpm"))) {
    stmt->kind = STMT_TEMPO;
    if (first->text[0] != 's') { /* bpm: 120, cps: 0.5, tempo: 0.5 (Phonon's cps) */
      if (sep->kind != TOK_COLON)
        prog_fail(c, sep->line, sep->column, "expected ':' after '%.*s', as in '%.*s: %s'",
                  (int)first->length, first->text, (int)first->length, first->text,
                  first->text[0] == 'b' ? "120" : "0.5");
      next(c);
    } else { /* setcps 0.5 */
      stmt->name += 3;
      stmt->name_length -= 3;
    }
  } else if ((first->kind == TOK_NAME && prog_is_output_name(first->text, first->length)) ||
             (first->kind == TOK_BUS && first->text[0] == 'd' &&
              prog_is_output_name(first->text, first->length))) {
    stmt->kind = STMT_OUTPUT;
    if (!has_sep)
      prog_fail(c, sep->line, sep->column, "expected '$' after '%s%.*s', as in 'd1 $ s \"~bass\"'",
                first->kind == TOK_BUS ? "~" : "", (int)first->length, first->text);
    next(c);
  } else if (first->kind == TOK_BUS) {
    stmt->kind = STMT_BUS;
    if (!has_sep)
      prog_fail(c, sep->line, sep->column, "expected '$' after '~%.*s', as in '~%.*s $ saw'",
                (int)first->length, first->text, (int)first->length, first->text);
    next(c);
  } else if (first->kind == TOK_NAME && has_sep) {
    prog_fail(c, first->line, first->column,
              "'%.*s' is not an output name; outputs are d1, d2, ... (or o1, out), buses "
              "start with '~'",
              (int)first->length, first->text);
  } else {
    prog_fail(c, first->line, first->column,
              "a line starts with a bus (~name $ ...), an output (d1 $ ...) or a tempo "
              "(bpm: 120)");
  }
  const prog_token *t = peek(c);
  if (t->kind == TOK_NEWLINE || t->kind == TOK_EOF)
    prog_fail(c, t->line, t->column, "the line ends where a value was expected");
  stmt->body = parse_expr(c);
  expect_line_end(c);
}

void prog_parse(prog_compiler *c) {
  int capacity = 0;
  c->token_pos = 0;
  while (peek(c)->kind != TOK_EOF) {
    if (peek(c)->kind == TOK_NEWLINE) {
      next(c);
      continue;
    }
    const prog_token *first = peek(c);
    if (first->kind == TOK_NAME && prog_name_is(first->text, first->length, "let")) {
      next(c);
      do
        parse_let(c, new_statement(c, &capacity), next(c));
      while (peek(c)->kind == TOK_NAME && peek(c)[1].kind == TOK_EQUALS);
      expect_line_end(c);
      continue;
    }
    if (first->kind == TOK_NAME && prog_name_is(first->text, first->length, "in")) {
      next(c); /* let ... in: the bindings hold for the whole program anyway */
      if (peek(c)->kind == TOK_NEWLINE || peek(c)->kind == TOK_EOF)
        continue;
    }
    parse_statement(c, new_statement(c, &capacity));
  }
}
