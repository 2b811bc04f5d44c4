/* The program text being edited: bytes (UTF-8) with a cursor, a selection and
   undo/redo. Pure data with no X11 or cairo, so tests drive it directly.
   UI thread only. */
#ifndef CYCLEBUS_UI_EDITOR_BUFFER_H
#define CYCLEBUS_UI_EDITOR_BUFFER_H

#include <stdbool.h>
#include <stddef.h>

#define ED_MAX_BYTES (1u << 20) /* longer pastes are refused (the plugin takes 64 KiB) */
#define ED_MAX_EDITS 4096       /* undo history, in edits; the oldest groups go first */

/* One change, enough to undo and redo it. Edits of one user action share a
   group number and are undone together. */
typedef struct {
  bool inserted; /* true: `text` was inserted at `pos`; false: removed from there */
  size_t pos;
  char *text;
  size_t length;
  size_t cursor_before, anchor_before;
  size_t cursor_after;
  unsigned group;
} ed_edit;

typedef enum { ED_ACTION_OTHER, ED_ACTION_TYPE, ED_ACTION_BACKSPACE, ED_ACTION_DELETE } ed_action;

typedef struct {
  char *text; /* always NUL-terminated */
  size_t length, capacity;
  size_t cursor, anchor; /* byte offsets; anchor == cursor means no selection */
  int goal_column;       /* column kept by up/down moves; -1 when none */

  size_t *line_starts; /* line index, rebuilt lazily after a change */
  size_t line_count, line_capacity;
  size_t single_start; /* the index when memory ran out */
  unsigned indexed_version;

  ed_edit *edits; /* [0, done) can be undone, [done, total) redone */
  size_t done, total, edit_capacity;
  unsigned group;
  ed_action last_action; /* for coalescing typing into one undo step */
  size_t last_cursor;

  unsigned version; /* bumped by every change to the text */
  bool modified;    /* changed since ed_set_text or ed_mark_clean */
} ed_buffer;

typedef enum {
  ED_LEFT,
  ED_RIGHT,
  ED_UP,
  ED_DOWN,
  ED_WORD_LEFT,
  ED_WORD_RIGHT,
  ED_HOME,
  ED_END,
  ED_PAGE_UP,
  ED_PAGE_DOWN,
  ED_DOC_START,
  ED_DOC_END
} ed_motion;

void ed_init(ed_buffer *b);
void ed_free(ed_buffer *b);

/* Replaces the whole text (e.g. the session's program), clears the history
   and the modified flag, puts the cursor at the start. false if too long. */
bool ed_set_text(ed_buffer *b, const char *text, size_t length);
void ed_mark_clean(ed_buffer *b);

/* Edits, each one undo step (typing runs coalesce). They replace the
   selection when there is one. false when nothing changed. */
bool ed_insert(ed_buffer *b, const char *text, size_t length);
bool ed_newline(ed_buffer *b); /* keeps the current line's indentation */
bool ed_backspace(ed_buffer *b);
bool ed_delete(ed_buffer *b);
bool ed_delete_selection(ed_buffer *b);
bool ed_undo(ed_buffer *b);
bool ed_redo(ed_buffer *b);

/* Cursor moves; `extend` grows the selection (shift), `page_lines` is the
   height of a page for ED_PAGE_*. */
void ed_move(ed_buffer *b, ed_motion motion, bool extend, int page_lines);
void ed_set_cursor(ed_buffer *b, size_t pos, bool extend);
void ed_select_all(ed_buffer *b);
void ed_select_word(ed_buffer *b, size_t pos);

bool ed_has_selection(const ed_buffer *b);
void ed_selection(const ed_buffer *b, size_t *from, size_t *to);
/* The selected text as a new NUL-terminated string (free it), or NULL. */
char *ed_selected_text(const ed_buffer *b, size_t *length);

/* Lines are 0-based here; columns count code points from 0. */
size_t ed_line_count(ed_buffer *b);
size_t ed_line_start(ed_buffer *b, size_t line);
size_t ed_line_end(ed_buffer *b, size_t line); /* before its '\n' */
size_t ed_line_of(ed_buffer *b, size_t pos);
int ed_column_of(ed_buffer *b, size_t pos);
size_t ed_pos_at(ed_buffer *b, size_t line, int column); /* clamped to the line */
/* The byte offset of a 1-based LINE:COL as the compiler reports it (COL
   counts bytes), clamped into the text. */
size_t ed_pos_of_report(ed_buffer *b, int line, int column);

/* Code point steps, shared with editor_motion.c. */
size_t ed__prev_char(const ed_buffer *b, size_t pos);
size_t ed__next_char(const ed_buffer *b, size_t pos);

#endif
