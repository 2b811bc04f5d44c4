/* The prelude: SuperDirt's and Strudel's synth names (superpiano, supersaw,
   sine ...) as bus definitions in the program language, in
   plugin/program/prelude.cb, compiled into the plugin by wscript. A program
   gets only the prelude buses it names (in a string or as ~name) and does not
   define itself, so a program naming none compiles as if there were no
   prelude. */
#include <ctype.h>
#include <string.h>

#include "prelude_program.h"
#include "program_private.h"

#define PRELUDE_COUNT (sizeof prog_prelude_buses / sizeof prog_prelude_buses[0])

static bool is_word_char(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

/* The index of the prelude bus named `word`, or -1. */
static int prelude_index(const char *word, size_t length) {
  for (size_t i = 0; i < PRELUDE_COUNT; ++i)
    if (prog_prelude_buses[i].length == length &&
        memcmp(prog_prelude_buses[i].name, word, length) == 0)
      return (int)i;
  return -1;
}

bool prog_prelude_has(const char *name, size_t length) { return prelude_index(name, length) >= 0; }

/* Marks the prelude buses named by the words of strings and the ~names under `node`. */
static void mark_names(const ast *node, bool *wanted) {
  if (!node)
    return;
  if (node->kind == AST_BUS) {
    int i = prelude_index(node->text, node->length);
    if (i >= 0)
      wanted[i] = true;
  }
  if (node->kind == AST_STRING) {
    for (size_t k = 0; k < node->length; ++k) {
      if (!isalpha((unsigned char)node->text[k]) || (k > 0 && is_word_char(node->text[k - 1])))
        continue;
      size_t end = k;
      while (end < node->length && is_word_char(node->text[end]))
        ++end;
      int i = prelude_index(node->text + k, end - k);
      if (i >= 0)
        wanted[i] = true;
      k = end - 1;
    }
  }
  mark_names(node->left, wanted);
  mark_names(node->right, wanted);
  for (int k = 0; k < node->arg_count; ++k)
    mark_names(node->args[k], wanted);
}

void prog_prelude(prog_compiler *c) {
  bool wanted[PRELUDE_COUNT] = {false};
  bool any = false;
  for (int s = 0; s < c->stmt_count; ++s)
    mark_names(c->stmts[s].body, wanted);
  for (int s = 0; s < c->stmt_count; ++s) { /* a user's definition wins */
    const prog_stmt *stmt = &c->stmts[s];
    int i = stmt->kind == STMT_BUS ? prelude_index(stmt->name, stmt->name_length) : -1;
    if (i >= 0)
      wanted[i] = false;
  }
  for (size_t i = 0; i < PRELUDE_COUNT; ++i)
    any = any || wanted[i];
  if (!any)
    return;
  /* parse the prelude with the compiler's lexer and parser, then put the
     wanted definitions before the program's statements */
  const char *text = c->text;
  size_t length = c->length;
  prog_stmt *user = c->stmts;
  int user_count = c->stmt_count;
  c->text = prog_prelude_text;
  c->length = strlen(prog_prelude_text);
  c->tokens = NULL;
  c->token_count = 0;
  c->stmts = NULL;
  c->stmt_count = 0;
  prog_lex(c);
  prog_parse(c);
  prog_stmt *merged = prog_alloc(c, (size_t)(c->stmt_count + user_count) * sizeof *merged);
  int count = 0;
  for (int s = 0; s < c->stmt_count; ++s) {
    int i = prelude_index(c->stmts[s].name, c->stmts[s].name_length);
    if (c->stmts[s].kind == STMT_BUS && i >= 0 && wanted[i]) {
      merged[count] = c->stmts[s];
      merged[count].line = 0; /* above every line of the program */
      merged[count].column = 0;
      ++count;
    }
  }
  if (user_count)
    memcpy(merged + count, user, (size_t)user_count * sizeof *merged);
  c->stmts = merged;
  c->stmt_count = count + user_count;
  c->text = text;
  c->length = length;
}
