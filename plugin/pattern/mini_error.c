/* Mini-notation error messages: where (line and column in the caller's
   source) and what was expected, e.g. "expected ']' to close '[' opened at
   1:5, found the end of the pattern". */
#include <stdio.h>

#include "pattern/mini.h"

void mini_locate(const char *text, size_t length, size_t pos, int line, int column, int *out_line,
                 int *out_column) {
  *out_line = line;
  *out_column = column;
  for (size_t i = 0; i < pos && i < length; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '\n') {
      (*out_line)++;
      *out_column = 1;
    } else if ((c & 0xC0) != 0x80) { /* count characters, not UTF-8 bytes */
      (*out_column)++;
    }
  }
}

static void describe_found(const char *text, size_t length, size_t pos, char *buf, size_t size) {
  if (pos >= length) {
    snprintf(buf, size, "the end of the pattern");
    return;
  }
  unsigned char c = (unsigned char)text[pos];
  if (c >= 0x20 && c < 0x7F)
    snprintf(buf, size, "'%c'", c);
  else if (c == '\n')
    snprintf(buf, size, "a line break");
  else
    snprintf(buf, size, "character 0x%02x", c);
}

static char closer(char open) {
  return open == '[' ? ']' : open == '{' ? '}' : open == '<' ? '>' : ')';
}

void mini_describe_failure(const char *text, size_t length, const mini_failure *f, int line,
                           int column, pat_error *error) {
  size_t pos = f->custom ? f->custom_pos : f->fail_pos;
  char found[40];
  mini_locate(text, length, pos, line, column, &error->line, &error->column);
  describe_found(text, length, pos, found, sizeof found);
  if (f->out_of_memory) {
    snprintf(error->message, sizeof error->message, "out of memory");
  } else if (f->too_deep) {
    snprintf(error->message, sizeof error->message, "brackets nested deeper than %d levels",
             MINI_MAX_NESTING);
  } else if (f->custom) {
    snprintf(error->message, sizeof error->message, "%s", f->custom);
  } else if (f->open_char && (f->expected & MINI_EXP_CLOSE)) {
    int open_line, open_column;
    mini_locate(text, length, f->open_pos, line, column, &open_line, &open_column);
    snprintf(error->message, sizeof error->message,
             "expected '%c' to close '%c' opened at %d:%d, found %s", closer(f->open_char),
             f->open_char, open_line, open_column, found);
  } else {
    const char *what = (f->expected & (MINI_EXP_STEP | MINI_EXP_SLICE))
                           ? "a word, a number, '~' or a bracket"
                       : (f->expected & MINI_EXP_COMMA)  ? "','"
                       : (f->expected & MINI_EXP_NUMBER) ? "a number"
                                                         : "an operator or the end of the pattern";
    snprintf(error->message, sizeof error->message, "expected %s, found %s", what, found);
  }
}
