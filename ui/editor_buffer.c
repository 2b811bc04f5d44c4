/* The editor's text storage: insertion and removal, the line index and the
   undo history. Cursor motion lives in editor_motion.c. */
#include "editor_buffer.h"

#include <stdlib.h>
#include <string.h>

void ed_init(ed_buffer *b) {
  memset(b, 0, sizeof *b);
  b->text = calloc(1, 1);
  b->capacity = b->text ? 1 : 0;
  b->goal_column = -1;
  b->indexed_version = ~0u;
}

static void free_edit(ed_edit *e) { free(e->text); }

static void clear_history(ed_buffer *b) {
  for (size_t i = 0; i < b->total; ++i)
    free_edit(&b->edits[i]);
  b->done = b->total = 0;
  b->last_action = ED_ACTION_OTHER;
}

void ed_free(ed_buffer *b) {
  clear_history(b);
  free(b->edits);
  free(b->text);
  if (b->line_starts != &b->single_start)
    free(b->line_starts);
  memset(b, 0, sizeof *b);
}

static bool reserve(ed_buffer *b, size_t length) {
  if (length + 1 <= b->capacity)
    return true;
  size_t capacity = b->capacity ? b->capacity : 64;
  while (capacity < length + 1)
    capacity *= 2;
  char *text = realloc(b->text, capacity);
  if (!text)
    return false;
  b->text = text;
  b->capacity = capacity;
  return true;
}

/* The raw edits, without history. */
static bool raw_insert(ed_buffer *b, size_t pos, const char *text, size_t length) {
  if (b->length + length > ED_MAX_BYTES || !reserve(b, b->length + length))
    return false;
  memmove(b->text + pos + length, b->text + pos, b->length - pos + 1);
  memcpy(b->text + pos, text, length);
  b->length += length;
  b->version++;
  b->modified = true;
  return true;
}

static void raw_remove(ed_buffer *b, size_t pos, size_t length) {
  memmove(b->text + pos, b->text + pos + length, b->length - pos - length + 1);
  b->length -= length;
  b->version++;
  b->modified = true;
}

bool ed_set_text(ed_buffer *b, const char *text, size_t length) {
  if (length > ED_MAX_BYTES || !reserve(b, length))
    return false;
  memcpy(b->text, text, length);
  b->text[length] = '\0';
  b->length = length;
  b->cursor = b->anchor = 0;
  b->goal_column = -1;
  b->version++;
  b->modified = false;
  clear_history(b);
  return true;
}

void ed_mark_clean(ed_buffer *b) { b->modified = false; }

/* ---- history ----------------------------------------------------------------- */

/* Drops the oldest group when the history is full. */
static void drop_oldest_group(ed_buffer *b) {
  size_t n = 1;
  while (n < b->total && b->edits[n].group == b->edits[0].group)
    ++n;
  for (size_t i = 0; i < n; ++i)
    free_edit(&b->edits[i]);
  memmove(b->edits, b->edits + n, (b->total - n) * sizeof *b->edits);
  b->total -= n;
  b->done = b->done > n ? b->done - n : 0;
}

static bool record(ed_buffer *b, bool inserted, size_t pos, const char *text, size_t length,
                   size_t cursor_before, size_t anchor_before) {
  for (size_t i = b->done; i < b->total; ++i)
    free_edit(&b->edits[i]); /* no more redo */
  b->total = b->done;
  if (b->total == ED_MAX_EDITS)
    drop_oldest_group(b);
  if (b->total == b->edit_capacity) {
    size_t capacity = b->edit_capacity ? b->edit_capacity * 2 : 64;
    ed_edit *edits = realloc(b->edits, capacity * sizeof *edits);
    if (!edits)
      return false;
    b->edits = edits;
    b->edit_capacity = capacity;
  }
  char *copy = malloc(length + 1);
  if (!copy)
    return false;
  memcpy(copy, text, length);
  copy[length] = '\0';
  b->edits[b->total++] =
      (ed_edit){inserted, pos, copy, length, cursor_before, anchor_before, b->cursor, b->group};
  b->done = b->total;
  return true;
}

/* Starts a new undo group unless this action continues the last one (typing
   or deleting in a run, with the cursor where that run left it). */
static void begin_action(ed_buffer *b, ed_action action) {
  bool continues = action != ED_ACTION_OTHER && action == b->last_action &&
                   b->cursor == b->last_cursor && b->done > 0 && b->done == b->total;
  if (!continues)
    b->group++;
  b->last_action = action;
}

static void end_action(ed_buffer *b) {
  b->last_cursor = b->cursor;
  b->goal_column = -1;
}

/* Removes [from, to) and records it. */
static bool remove_range(ed_buffer *b, size_t from, size_t to) {
  if (from >= to)
    return false;
  size_t cursor_before = b->cursor, anchor_before = b->anchor;
  char *removed = malloc(to - from);
  if (!removed)
    return false;
  memcpy(removed, b->text + from, to - from);
  raw_remove(b, from, to - from);
  b->cursor = b->anchor = from;
  bool ok = record(b, false, from, removed, to - from, cursor_before, anchor_before);
  free(removed);
  return ok;
}

static bool insert_at_cursor(ed_buffer *b, const char *text, size_t length) {
  size_t cursor_before = b->cursor, anchor_before = b->anchor, pos = b->cursor;
  if (!raw_insert(b, pos, text, length))
    return false;
  b->cursor = b->anchor = pos + length;
  return record(b, true, pos, text, length, cursor_before, anchor_before);
}

bool ed_delete_selection(ed_buffer *b) {
  if (!ed_has_selection(b))
    return false;
  size_t from, to;
  ed_selection(b, &from, &to);
  begin_action(b, ED_ACTION_OTHER);
  bool ok = remove_range(b, from, to);
  end_action(b);
  return ok;
}

bool ed_insert(ed_buffer *b, const char *text, size_t length) {
  if (length == 0 && !ed_has_selection(b))
    return false;
  bool single = length == 1 && text[0] != '\n' && text[0] != ' ';
  ed_action action = single ? ED_ACTION_TYPE : ED_ACTION_OTHER;
  if (ed_has_selection(b)) { /* replacing starts a step; typing on continues it */
    b->group++;
    b->last_action = action;
  } else {
    begin_action(b, action);
  }
  size_t from, to;
  ed_selection(b, &from, &to);
  if (from < to)
    remove_range(b, from, to);
  bool ok = length == 0 || insert_at_cursor(b, text, length);
  end_action(b);
  return ok;
}

bool ed_newline(ed_buffer *b) {
  size_t from, to;
  ed_selection(b, &from, &to);
  size_t start = ed_line_start(b, ed_line_of(b, from)), indent = 0;
  while (start + indent < from &&
         (b->text[start + indent] == ' ' || b->text[start + indent] == '\t'))
    ++indent;
  char stack[64], *line = indent + 1 <= sizeof stack ? stack : malloc(indent + 1);
  if (!line)
    return false;
  line[0] = '\n';
  memcpy(line + 1, b->text + start, indent);
  bool ok = ed_insert(b, line, indent + 1);
  if (line != stack)
    free(line);
  return ok;
}

static size_t prev_char(const ed_buffer *b, size_t pos) {
  if (pos == 0)
    return 0;
  do
    --pos;
  while (pos > 0 && ((unsigned char)b->text[pos] & 0xC0) == 0x80);
  return pos;
}

static size_t next_char(const ed_buffer *b, size_t pos) {
  if (pos >= b->length)
    return b->length;
  do
    ++pos;
  while (pos < b->length && ((unsigned char)b->text[pos] & 0xC0) == 0x80);
  return pos;
}

bool ed_backspace(ed_buffer *b) {
  if (ed_has_selection(b))
    return ed_delete_selection(b);
  if (b->cursor == 0)
    return false;
  begin_action(b, ED_ACTION_BACKSPACE);
  bool ok = remove_range(b, prev_char(b, b->cursor), b->cursor);
  end_action(b);
  return ok;
}

bool ed_delete(ed_buffer *b) {
  if (ed_has_selection(b))
    return ed_delete_selection(b);
  if (b->cursor >= b->length)
    return false;
  begin_action(b, ED_ACTION_DELETE);
  bool ok = remove_range(b, b->cursor, next_char(b, b->cursor));
  end_action(b);
  return ok;
}

bool ed_undo(ed_buffer *b) {
  if (b->done == 0)
    return false;
  unsigned group = b->edits[b->done - 1].group;
  const ed_edit *first = NULL;
  while (b->done > 0 && b->edits[b->done - 1].group == group) {
    const ed_edit *e = &b->edits[--b->done];
    if (e->inserted)
      raw_remove(b, e->pos, e->length);
    else
      raw_insert(b, e->pos, e->text, e->length);
    first = e;
  }
  b->cursor = first->cursor_before;
  b->anchor = first->anchor_before;
  b->last_action = ED_ACTION_OTHER;
  b->goal_column = -1;
  return true;
}

bool ed_redo(ed_buffer *b) {
  if (b->done == b->total)
    return false;
  unsigned group = b->edits[b->done].group;
  const ed_edit *last = NULL;
  while (b->done < b->total && b->edits[b->done].group == group) {
    const ed_edit *e = &b->edits[b->done++];
    if (e->inserted)
      raw_insert(b, e->pos, e->text, e->length);
    else
      raw_remove(b, e->pos, e->length);
    last = e;
  }
  b->cursor = b->anchor = last->cursor_after;
  b->last_action = ED_ACTION_OTHER;
  b->goal_column = -1;
  return true;
}

/* ---- lines --------------------------------------------------------------------- */

static void index_lines(ed_buffer *b) {
  if (b->indexed_version == b->version && b->line_starts)
    return;
  size_t count = 1;
  for (size_t i = 0; i < b->length; ++i)
    count += b->text[i] == '\n';
  if (count > b->line_capacity) {
    size_t *old = b->line_starts == &b->single_start ? NULL : b->line_starts;
    size_t *starts = realloc(old, count * sizeof *starts);
    if (starts) {
      b->line_starts = starts;
      b->line_capacity = count;
    } else if (!b->line_starts) { /* out of memory: a one-line index rather than none */
      b->line_starts = &b->single_start;
      b->line_capacity = 1;
    }
  }
  if (count > b->line_capacity)
    count = b->line_capacity;
  b->line_starts[0] = 0;
  size_t line = 1;
  for (size_t i = 0; i < b->length && line < count; ++i)
    if (b->text[i] == '\n')
      b->line_starts[line++] = i + 1;
  b->line_count = count;
  b->indexed_version = b->version;
}

size_t ed_line_count(ed_buffer *b) {
  index_lines(b);
  return b->line_count;
}

size_t ed_line_start(ed_buffer *b, size_t line) {
  index_lines(b);
  return line < b->line_count ? b->line_starts[line] : b->length;
}

size_t ed_line_end(ed_buffer *b, size_t line) {
  index_lines(b);
  if (line + 1 < b->line_count)
    return b->line_starts[line + 1] - 1;
  return b->length;
}

size_t ed_line_of(ed_buffer *b, size_t pos) {
  index_lines(b);
  size_t low = 0, high = b->line_count; /* the last start <= pos */
  while (high - low > 1) {
    size_t mid = (low + high) / 2;
    if (b->line_starts[mid] <= pos)
      low = mid;
    else
      high = mid;
  }
  return low;
}

int ed_column_of(ed_buffer *b, size_t pos) {
  size_t start = ed_line_start(b, ed_line_of(b, pos));
  int column = 0;
  for (size_t i = start; i < pos && i < b->length; ++i)
    column += ((unsigned char)b->text[i] & 0xC0) != 0x80;
  return column;
}

size_t ed_pos_at(ed_buffer *b, size_t line, int column) {
  if (line >= ed_line_count(b))
    return b->length;
  size_t pos = ed_line_start(b, line), end = ed_line_end(b, line);
  for (int c = 0; c < column && pos < end; ++c)
    pos = next_char(b, pos);
  return pos;
}

size_t ed_pos_of_report(ed_buffer *b, int line, int column) {
  if (line < 1)
    return 0;
  if ((size_t)line > ed_line_count(b))
    return b->length;
  size_t start = ed_line_start(b, (size_t)line - 1), end = ed_line_end(b, (size_t)line - 1);
  size_t pos = start + (size_t)(column > 1 ? column - 1 : 0);
  return pos < end ? pos : end;
}

size_t ed__prev_char(const ed_buffer *b, size_t pos) { return prev_char(b, pos); }
size_t ed__next_char(const ed_buffer *b, size_t pos) { return next_char(b, pos); }
