/* Program text to tokens: names, numbers, strings, operators, line ends;
   comments dropped and continuation lines joined; the `samples:` line read
   whole. The parser (program_parse.c) reads the tokens. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "program_private.h"

/* ---- tokens -------------------------------------------------------------------- */

static bool is_name_start(char ch) { return isalpha((unsigned char)ch) || ch == '_'; }
static bool is_name_char(char ch) { return isalnum((unsigned char)ch) || ch == '_' || ch == '\''; }

static void push_token(prog_compiler *c, prog_token token, int *capacity) {
  if (c->token_count == *capacity) {
    int grown = *capacity ? *capacity * 2 : 256;
    prog_token *more = prog_alloc(c, (size_t)grown * sizeof *more);
    if (c->token_count)
      memcpy(more, c->tokens, (size_t)c->token_count * sizeof *more);
    c->tokens = more;
    *capacity = grown;
  }
  c->tokens[c->token_count++] = token;
}

const char *prog_token_name(tok_kind kind) {
  switch (kind) {
  case TOK_EOF:
    return "the end of the program";
  case TOK_NEWLINE:
    return "the end of the line";
  case TOK_NUMBER:
    return "a number";
  case TOK_STRING:
    return "a string";
  case TOK_NAME:
    return "a name";
  case TOK_BUS:
    return "a bus";
  case TOK_MACRO:
    return "a macro";
  case TOK_DOLLAR:
    return "'$'";
  case TOK_HASH:
    return "'#'";
  case TOK_OPERATOR:
    return "an operator like '|+'";
  case TOK_DOT:
    return "'.'";
  case TOK_SHIFT:
    return "'<~' or '~>'";
  case TOK_PLUS:
    return "'+'";
  case TOK_MINUS:
    return "'-'";
  case TOK_STAR:
    return "'*'";
  case TOK_SLASH:
    return "'/'";
  case TOK_LPAREN:
    return "'('";
  case TOK_RPAREN:
    return "')'";
  case TOK_COLON:
    return "':'";
  case TOK_LBRACKET:
    return "'['";
  case TOK_RBRACKET:
    return "']'";
  case TOK_COMMA:
    return "','";
  case TOK_EQUALS:
    return "'='";
  }
  return "?";
}

/* Scans a number at `p`; returns its length (0 if none). */
static size_t scan_number(const char *p, const char *end, double *value) {
  const char *q = p;
  while (q < end && isdigit((unsigned char)*q))
    ++q;
  if (q < end && *q == '.' && q + 1 < end && isdigit((unsigned char)q[1])) {
    ++q;
    while (q < end && isdigit((unsigned char)*q))
      ++q;
  }
  if (q == p)
    return 0;
  if (q < end && (*q == 'e' || *q == 'E')) {
    const char *e = q + 1;
    if (e < end && (*e == '+' || *e == '-'))
      ++e;
    if (e < end && isdigit((unsigned char)*e)) {
      while (e < end && isdigit((unsigned char)*e))
        ++e;
      q = e;
    }
  }
  char buffer[64];
  size_t length = (size_t)(q - p);
  if (length >= sizeof buffer)
    length = sizeof buffer - 1;
  memcpy(buffer, p, length);
  buffer[length] = '\0';
  *value = strtod(buffer, NULL);
  return (size_t)(q - p);
}

/* A line end, placed just after the last token so that "missing ')'" points
   at the line that lacks it. */
static prog_token end_of_line(const prog_compiler *c) {
  prog_token t = {.kind = TOK_NEWLINE, .line = 1, .column = 1};
  if (c->token_count > 0) {
    const prog_token *last = &c->tokens[c->token_count - 1];
    t.line = last->line;
    t.column = last->column + (int)last->length +
               (last->kind == TOK_STRING                           ? 2
                : last->kind == TOK_BUS || last->kind == TOK_MACRO ? 1
                                                                   : 0);
  }
  return t;
}

/* Tidal's operator family at p: `|+` (structure from the left), `+|` (from
   the right), `|+|` (both), for + - * / % < > and ++. Sets the token's op
   and structure and returns its length, or 0 when p starts none. */
static size_t lex_operator(const char *p, const char *end, prog_token *token) {
  bool bar_first = p[0] == '|';
  const char *q = bar_first ? p + 1 : p;
  size_t op_length = q + 1 < end && q[0] == '+' && q[1] == '+' ? 2 : 1;
  if (q >= end || *q == '\0' || !strchr("+-*/%<>", *q))
    return 0;
  bool bar_after = q + op_length < end && q[op_length] == '|';
  if (!bar_first && !bar_after)
    return 0;
  token->op = op_length == 2 ? 'c' : *q;
  token->structure = (uint8_t)(bar_first && bar_after ? PAT_STRUCTURE_BOTH
                               : bar_first            ? PAT_STRUCTURE_LEFT
                                                      : PAT_STRUCTURE_RIGHT);
  return (size_t)(bar_first) + op_length + (size_t)(bar_after);
}

/* A continuation line (indented deeper than the first line) that begins like
   a statement (`d1 $`, `~x:`, `tempo:`) was meant to start one. */
static void check_continuations(prog_compiler *c, int first_line, int margin) {
  for (int i = 1; i + 1 < c->token_count; ++i) {
    const prog_token *t = &c->tokens[i], *before = &c->tokens[i - 1], *after = &c->tokens[i + 1];
    if (t->line == before->line || before->kind == TOK_NEWLINE ||
        (after->kind != TOK_DOLLAR && after->kind != TOK_COLON))
      continue;
    bool output =
        prog_is_output_name(t->text, t->length) && (t->kind == TOK_NAME || t->text[0] == 'd');
    bool tempo =
        t->kind == TOK_NAME && after->kind == TOK_COLON &&
        (prog_name_is(t->text, t->length, "tempo") || prog_name_is(t->text, t->length, "cps") ||
         prog_name_is(t->text, t->length, "bpm"));
    if (t->kind == TOK_BUS || output || tempo)
      prog_fail(c, t->line, t->column,
                "this line is indented more than line %d, so it continues the line above "
                "(did you mean to start a new line? begin it in column %d, as line %d does)",
                first_line, margin, first_line);
  }
}

/* `samples: PATH[:PATH...]` (folders for the sample library): the rest of
   the line, up to a " --" comment, taken as it is (paths are not tokens).
   Advances *p past it and returns true when the line is one. */
static bool samples_line(prog_compiler *c, const char **p, const char *end, int line, int column) {
  static const char keyword[] = "samples";
  const size_t keyword_length = sizeof keyword - 1;
  const char *q = *p;
  if ((size_t)(end - q) < keyword_length || memcmp(q, keyword, keyword_length) != 0)
    return false;
  q += keyword_length;
  while (q < end && (*q == ' ' || *q == '\t'))
    ++q;
  if (q >= end || *q != ':')
    return false;
  if (c->sample_folders)
    prog_fail(c, line, column, "the samples are already set on line %d", c->sample_folders_line);
  ++q;
  const char *line_end = q;
  while (line_end < end && *line_end != '\n')
    ++line_end;
  const char *stop = line_end;
  for (const char *r = q; r + 1 < line_end; ++r)
    if (r[0] == '-' && r[1] == '-' && (r == q || r[-1] == ' ' || r[-1] == '\t')) {
      stop = r;
      break;
    }
  while (q < stop && (*q == ' ' || *q == '\t'))
    ++q;
  while (stop > q && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r'))
    --stop;
  if (stop == q)
    prog_fail(c, line, column, "samples: needs a folder, as in 'samples: ~/Dirt-Samples'");
  c->sample_folders = q;
  c->sample_folders_length = (size_t)(stop - q);
  c->sample_folders_line = line;
  *p = line_end;
  return true;
}

/* A line indented deeper than the program's first line continues the
   previous statement, so long lines can be wrapped as in Tidal; a line
   starting at the first line's column (or left of it) starts a new one
   unless it starts with a closing bracket (Tidal's lists end so), so a
   program pasted with an indent reads the same. Blank and comment-only
   lines are skipped. */
void prog_lex(prog_compiler *c) {
  const char *p = c->text, *end = c->text + c->length;
  c->let_statement = -1;
  int line = 1, capacity = 0, margin = 0, first_line = 1;
  const char *line_start = p;
  bool at_line_start = true, space = true;
  while (p < end) {
    char ch = *p;
    int column = (int)(p - line_start) + 1;
    if (ch == '\n') {
      ++p, ++line, line_start = p, at_line_start = true, space = true;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\r') {
      ++p, space = true;
      continue;
    }
    /* a closing bracket cannot start a statement: `]` alone ends a list */
    bool starts_statement =
        at_line_start && (margin == 0 || column <= margin) && ch != ']' && ch != ')';
    if (ch == '-' && p + 1 < end && p[1] == '-') {
      while (p < end && *p != '\n')
        ++p;
      continue;
    }
    if (at_line_start) {
      at_line_start = false;
      if (margin == 0)
        margin = column, first_line = line;
      if (starts_statement && c->token_count > 0 &&
          c->tokens[c->token_count - 1].kind != TOK_NEWLINE)
        push_token(c, end_of_line(c), &capacity);
      if (starts_statement) /* Tidal's `let name = value` may use '=' */
        c->let_statement =
            p + 3 <= end && memcmp(p, "let", 3) == 0 && (p + 3 == end || !is_name_char(p[3]))
                ? c->token_count
                : -1;
      if (starts_statement && ch == '#')
        prog_fail(c, line, column,
                  "this line starts a new statement, so its '#' has nothing to chain onto; "
                  "indent it to continue the line above (comments start with '--')");
      if (starts_statement && samples_line(c, &p, end, line, column))
        continue;
    }
    prog_token token = {
        .line = line, .column = column, .text = p, .length = 1, .space_before = space};
    space = false;
    if (ch == '"') {
      const char *q = p + 1;
      while (q < end && *q != '"' && *q != '\n')
        ++q;
      if (q >= end || *q != '"')
        prog_fail(c, line, column, "this string has no closing '\"' on its line");
      token.kind = TOK_STRING;
      token.text = p + 1;
      token.length = (size_t)(q - p - 1);
      p = q + 1;
    } else if (isdigit((unsigned char)ch) ||
               (ch == '.' && p + 1 < end && isdigit((unsigned char)p[1]))) {
      if (ch == '.') { /* ".5" */
        size_t n = scan_number(p + 1, end, &token.number);
        char buffer[72] = "0.";
        memcpy(buffer + 2, p + 1, n < 64 ? n : 64);
        token.number = strtod(buffer, NULL);
        token.length = n + 1;
      } else {
        token.length = scan_number(p, end, &token.number);
      }
      token.kind = TOK_NUMBER;
      p += token.length;
      if (p < end && is_name_start(*p))
        prog_fail(c, line, column, "a name cannot start with a digit");
    } else if (is_name_start(ch)) {
      const char *q = p;
      while (q < end && is_name_char(*q))
        ++q;
      token.kind = TOK_NAME;
      token.length = (size_t)(q - p);
      p = q;
    } else if ((ch == '<' && p + 1 < end && (p[1] == '~' || p[1] == '>')) ||
               (ch == '~' && p + 1 < end && p[1] == '>')) {
      token.kind = TOK_SHIFT;
      token.length = 2;
      p += 2;
    } else if (ch == '~' || ch == '\\') {
      const char *q = p + 1;
      if (q >= end || !is_name_start(*q))
        prog_fail(c, line, column,
                  ch == '~' ? "expected a bus name after '~', like ~bass"
                            : "expected a macro name after '\\', like \\cutoff");
      while (q < end && is_name_char(*q))
        ++q;
      token.kind = ch == '~' ? TOK_BUS : TOK_MACRO;
      token.text = p + 1;
      token.length = (size_t)(q - p - 1);
      p = q;
    } else if ((token.length = lex_operator(p, end, &token)) > 0) {
      token.kind = TOK_OPERATOR;
      p += token.length;
    } else if (ch == '|') {
      prog_fail(c, line, column,
                "'|' starts an operator that combines controls, like |+ |- |* |/ |%% |< |> |++ "
                "(or +| and |+| for the structure from the right or both sides)");
    } else {
      static const char singles[] = "$#+-*/():.[],";
      static const tok_kind kinds[] = {TOK_DOLLAR,   TOK_HASH,     TOK_PLUS,   TOK_MINUS, TOK_STAR,
                                       TOK_SLASH,    TOK_LPAREN,   TOK_RPAREN, TOK_COLON, TOK_DOT,
                                       TOK_LBRACKET, TOK_RBRACKET, TOK_COMMA};
      const char *found = strchr(singles, ch);
      if (ch == '=' && c->let_statement >= 0) {
        token.kind = TOK_EQUALS;
        ++p;
        push_token(c, token, &capacity);
        continue;
      }
      if (ch == '=')
        prog_fail(c, line, column,
                  "unexpected '='; a definition is written '~name: ...' or '~name $ ...' "
                  "(Phonon's older '~name = ...' is not supported)");
      if (!found || ch == '\0') {
        if ((unsigned char)ch < 32 || (unsigned char)ch >= 127)
          prog_fail(c, line, column, "unexpected character (code %d)", (unsigned char)ch);
        prog_fail(c, line, column, "unexpected character '%c'", ch);
      }
      token.kind = kinds[found - singles];
      ++p;
    }
    push_token(c, token, &capacity);
  }
  prog_token eof = end_of_line(c);
  eof.kind = TOK_EOF;
  push_token(c, eof, &capacity);
  check_continuations(c, first_line, margin);
}
