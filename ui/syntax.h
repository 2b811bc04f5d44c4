/* What the editor needs to know of the program language without compiling
   it: a colour class for each byte of a line, the output lines' names (the
   punchcard's rows) and the names a program gives its macros. Pure text
   scanning; UI thread. */
#ifndef CYCLEBUS_UI_SYNTAX_H
#define CYCLEBUS_UI_SYNTAX_H

#include <stddef.h>

typedef enum {
  SYN_PLAIN,
  SYN_COMMENT, /* -- to the end of the line */
  SYN_STRING,  /* "..." (mini-notation) */
  SYN_NUMBER,
  SYN_BUS,      /* ~name */
  SYN_MACRO,    /* \cutoff */
  SYN_OUTPUT,   /* d1, out, ... at the start of a line */
  SYN_KEYWORD,  /* bpm: cps: */
  SYN_OPERATOR, /* $ # + - * / ( ) : */
  SYN_KIND_COUNT
} syn_kind;

/* Fills kinds[0..length) for one line (without its '\n'). */
void syn_classify_line(const char *line, size_t length, unsigned char *kinds);

#define SYN_MAX_OUTPUTS 16
#define SYN_NAME_MAX 24

/* The output lines in program order ("d1", "d2", "out"): what prog_query
   numbers them by. Returns their count (at most `max`). */
int syn_outputs(const char *text, size_t length, char names[][SYN_NAME_MAX], int max);

/* Macro names from comments of the form `-- \m1: wobble` (or `-- \cutoff =
   brightness`): for each macro in `macro_names` (e.g. prog_macro_names),
   labels[i] gets the given name, or "" when the program names none.
   used[i] says whether the program mentions \name outside comments. */
void syn_macro_labels(const char *text, size_t length, const char *const *macro_names,
                      int macro_count, char labels[][SYN_NAME_MAX], int *used);

#endif
