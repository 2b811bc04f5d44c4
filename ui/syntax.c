/* Colour classes for the editor and the names the punchcard and knobs show,
   found by scanning the text the way the compiler's tokenizer does (comments,
   strings, ~buses, \macros, numbers, output lines). */
#include "syntax.h"

#include <string.h>

static int is_alpha(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}
static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static int is_name(char ch) { return is_alpha(ch) || is_digit(ch) || ch == '\''; }

/* Length of an output-line head at the start of a line ("d1", "~d2", "o3",
   "out") when a '$' or ':' follows it; 0 otherwise. */
static size_t output_head(const char *line, size_t length) {
  size_t n = 0;
  if (length >= 3 && !strncmp(line, "out", 3))
    n = 3;
  else {
    size_t i = line[0] == '~' ? 1 : 0;
    if (i < length && (line[i] == 'd' || (line[i] == 'o' && i == 0))) {
      size_t digits = i + 1;
      while (digits < length && is_digit(line[digits]))
        ++digits;
      if (digits > i + 1)
        n = digits;
    }
  }
  if (n == 0 || (n < length && is_name(line[n])))
    return 0;
  size_t after = n;
  while (after < length && (line[after] == ' ' || line[after] == '\t'))
    ++after;
  return after < length && (line[after] == '$' || line[after] == ':') ? n : 0;
}

void syn_classify_line(const char *line, size_t length, unsigned char *kinds) {
  size_t i = 0;
  size_t head = length ? output_head(line, length) : 0;
  for (; i < head; ++i)
    kinds[i] = SYN_OUTPUT;
  if (head == 0 && length >= 3 && (!strncmp(line, "bpm", 3) || !strncmp(line, "cps", 3))) {
    size_t j = 3;
    while (j < length && line[j] == ' ')
      ++j;
    if (j < length && line[j] == ':')
      for (; i < 3; ++i)
        kinds[i] = SYN_KEYWORD;
  }
  while (i < length) {
    char ch = line[i];
    size_t start = i;
    syn_kind kind = SYN_PLAIN;
    if (ch == '-' && i + 1 < length && line[i + 1] == '-') {
      i = length;
      kind = SYN_COMMENT;
    } else if (ch == '"') {
      ++i;
      while (i < length && line[i] != '"')
        ++i;
      if (i < length)
        ++i;
      kind = SYN_STRING;
    } else if ((ch == '~' || ch == '\\') && i + 1 < length && is_alpha(line[i + 1])) {
      ++i;
      while (i < length && is_name(line[i]))
        ++i;
      kind = ch == '~' ? SYN_BUS : SYN_MACRO;
    } else if (is_digit(ch) || (ch == '.' && i + 1 < length && is_digit(line[i + 1]))) {
      while (i < length && (is_digit(line[i]) || line[i] == '.' || line[i] == 'e'))
        ++i;
      kind = SYN_NUMBER;
    } else if (is_alpha(ch)) {
      while (i < length && is_name(line[i]))
        ++i;
    } else if (strchr("$#+-*/():", ch)) {
      ++i;
      kind = SYN_OPERATOR;
    } else {
      ++i;
    }
    memset(kinds + start, kind, i - start);
  }
}

/* The next line from *cursor (without its '\n'), or NULL at the end. */
static const char *next_line(const char **cursor, const char *end, size_t *length) {
  if (*cursor >= end)
    return NULL;
  const char *line = *cursor, *newline = memchr(line, '\n', (size_t)(end - line));
  *length = (size_t)((newline ? newline : end) - line);
  *cursor = newline ? newline + 1 : end;
  return line;
}

int syn_outputs(const char *text, size_t length, char names[][SYN_NAME_MAX], int max) {
  int count = 0;
  size_t line_length;
  for (const char *cursor = text, *line;
       (line = next_line(&cursor, text + length, &line_length));) {
    size_t head = line_length ? output_head(line, line_length) : 0;
    if (head == 0 || count == max)
      continue;
    size_t n = head < SYN_NAME_MAX - 1 ? head : SYN_NAME_MAX - 1;
    memcpy(names[count], line, n);
    names[count][n] = '\0';
    count++;
  }
  return count;
}

/* The comment text of a line (after "--"), or NULL. */
static const char *comment_of(const char *line, size_t length, size_t *comment_length) {
  int in_string = 0;
  for (size_t i = 0; i + 1 < length; ++i) {
    if (line[i] == '"')
      in_string = !in_string;
    if (!in_string && line[i] == '-' && line[i + 1] == '-') {
      *comment_length = length - i - 2;
      return line + i + 2;
    }
  }
  *comment_length = 0;
  return NULL;
}

/* In a comment, "\name: label" or "\name = label": copies the label. */
static void label_from_comment(const char *c, size_t n, const char *const *macro_names,
                               int macro_count, char labels[][SYN_NAME_MAX]) {
  size_t i = 0;
  while (i < n && c[i] == ' ')
    ++i;
  if (i >= n || c[i] != '\\')
    return;
  size_t name = ++i;
  while (i < n && is_name(c[i]))
    ++i;
  size_t name_length = i - name;
  while (i < n && c[i] == ' ')
    ++i;
  if (i >= n || (c[i] != ':' && c[i] != '='))
    return;
  ++i;
  while (i < n && c[i] == ' ')
    ++i;
  size_t label = i, label_end = n;
  while (label_end > label && (c[label_end - 1] == ' ' || c[label_end - 1] == '\r'))
    --label_end;
  if (label_end == label)
    return;
  for (int m = 0; m < macro_count; ++m) {
    if (strlen(macro_names[m]) != name_length || strncmp(macro_names[m], c + name, name_length))
      continue;
    size_t len = label_end - label < SYN_NAME_MAX - 1 ? label_end - label : SYN_NAME_MAX - 1;
    memcpy(labels[m], c + label, len);
    labels[m][len] = '\0';
  }
}

static void mark_used(const char *line, size_t length, const char *const *macro_names,
                      int macro_count, int *used) {
  for (size_t i = 0; i + 1 < length; ++i) {
    if (line[i] != '\\')
      continue;
    size_t end = i + 1;
    while (end < length && is_name(line[end]))
      ++end;
    for (int m = 0; m < macro_count; ++m)
      if (strlen(macro_names[m]) == end - i - 1 &&
          !strncmp(macro_names[m], line + i + 1, end - i - 1))
        used[m] = 1;
  }
}

void syn_macro_labels(const char *text, size_t length, const char *const *macro_names,
                      int macro_count, char labels[][SYN_NAME_MAX], int *used) {
  for (int m = 0; m < macro_count; ++m) {
    labels[m][0] = '\0';
    used[m] = 0;
  }
  size_t line_length;
  for (const char *cursor = text, *line;
       (line = next_line(&cursor, text + length, &line_length));) {
    size_t comment_length;
    const char *comment = comment_of(line, line_length, &comment_length);
    size_t code_length = comment ? (size_t)(comment - 2 - line) : line_length;
    mark_used(line, code_length, macro_names, macro_count, used);
    if (comment)
      label_from_comment(comment, comment_length, macro_names, macro_count, labels);
  }
}
