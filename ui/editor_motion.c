/* Cursor motion and selection in the editor buffer: by character, word, line
   and page, with shift extending the selection. */
#include "editor_buffer.h"

#include <stdlib.h>
#include <string.h>

bool ed_has_selection(const ed_buffer *b) { return b->cursor != b->anchor; }

void ed_selection(const ed_buffer *b, size_t *from, size_t *to) {
  *from = b->cursor < b->anchor ? b->cursor : b->anchor;
  *to = b->cursor < b->anchor ? b->anchor : b->cursor;
}

char *ed_selected_text(const ed_buffer *b, size_t *length) {
  size_t from, to;
  ed_selection(b, &from, &to);
  if (from == to)
    return NULL;
  char *text = malloc(to - from + 1);
  if (!text)
    return NULL;
  memcpy(text, b->text + from, to - from);
  text[to - from] = '\0';
  if (length)
    *length = to - from;
  return text;
}

void ed_set_cursor(ed_buffer *b, size_t pos, bool extend) {
  if (pos > b->length)
    pos = b->length;
  while (pos > 0 && pos < b->length && ((unsigned char)b->text[pos] & 0xC0) == 0x80)
    --pos;
  b->cursor = pos;
  if (!extend)
    b->anchor = pos;
  b->goal_column = -1;
  b->last_action = ED_ACTION_OTHER;
}

void ed_select_all(ed_buffer *b) {
  b->anchor = 0;
  b->cursor = b->length;
  b->goal_column = -1;
  b->last_action = ED_ACTION_OTHER;
}

static bool is_word(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '_' || ch == '.' || ch == '\'' || (unsigned char)ch >= 0x80;
}

void ed_select_word(ed_buffer *b, size_t pos) {
  if (pos > b->length)
    pos = b->length;
  size_t from = pos, to = pos;
  while (from > 0 && is_word(b->text[from - 1]))
    --from;
  while (to < b->length && is_word(b->text[to]))
    ++to;
  b->anchor = from;
  b->cursor = to;
  b->goal_column = -1;
  b->last_action = ED_ACTION_OTHER;
}

static size_t word_left(const ed_buffer *b, size_t pos) {
  while (pos > 0 && !is_word(b->text[pos - 1]))
    --pos;
  while (pos > 0 && is_word(b->text[pos - 1]))
    --pos;
  return pos;
}

static size_t word_right(const ed_buffer *b, size_t pos) {
  while (pos < b->length && !is_word(b->text[pos]))
    ++pos;
  while (pos < b->length && is_word(b->text[pos]))
    ++pos;
  return pos;
}

/* Home goes to the first non-blank of the line, or to its start when already
   there (as most code editors do). */
static size_t home(ed_buffer *b, size_t pos) {
  size_t start = ed_line_start(b, ed_line_of(b, pos)), end = ed_line_end(b, ed_line_of(b, pos));
  size_t text = start;
  while (text < end && (b->text[text] == ' ' || b->text[text] == '\t'))
    ++text;
  return pos == text ? start : text;
}

static size_t vertical(ed_buffer *b, size_t pos, long lines) {
  long line = (long)ed_line_of(b, pos), last = (long)ed_line_count(b) - 1;
  if (b->goal_column < 0)
    b->goal_column = ed_column_of(b, pos);
  long target = line + lines;
  if (target < 0)
    return 0;
  if (target > last)
    return b->length;
  return ed_pos_at(b, (size_t)target, b->goal_column);
}

void ed_move(ed_buffer *b, ed_motion motion, bool extend, int page_lines) {
  size_t from, to, pos = b->cursor;
  ed_selection(b, &from, &to);
  int goal = b->goal_column;
  bool keep_goal = false;
  if (page_lines < 1)
    page_lines = 1;
  switch (motion) {
  case ED_LEFT:
    pos = !extend && from != to ? from : ed__prev_char(b, pos);
    break;
  case ED_RIGHT:
    pos = !extend && from != to ? to : ed__next_char(b, pos);
    break;
  case ED_WORD_LEFT:
    pos = word_left(b, pos);
    break;
  case ED_WORD_RIGHT:
    pos = word_right(b, pos);
    break;
  case ED_UP:
    pos = vertical(b, pos, -1);
    keep_goal = true;
    break;
  case ED_DOWN:
    pos = vertical(b, pos, 1);
    keep_goal = true;
    break;
  case ED_PAGE_UP:
    pos = vertical(b, pos, -page_lines);
    keep_goal = true;
    break;
  case ED_PAGE_DOWN:
    pos = vertical(b, pos, page_lines);
    keep_goal = true;
    break;
  case ED_HOME:
    pos = home(b, pos);
    break;
  case ED_END:
    pos = ed_line_end(b, ed_line_of(b, pos));
    break;
  case ED_DOC_START:
    pos = 0;
    break;
  case ED_DOC_END:
    pos = b->length;
    break;
  }
  goal = keep_goal ? b->goal_column : -1;
  ed_set_cursor(b, pos, extend);
  b->goal_column = goal;
}
