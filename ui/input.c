/* Keys and mouse: editing keys and shortcuts for the editor (ctrl+Enter
   sends), clicks and drags for text selection, the Send button and the knobs,
   and the wheel for scrolling and fine knob steps. */
#include <stdlib.h>

#include <X11/Xutil.h>
#include <X11/keysym.h>

#include "ui.h"

#define DOUBLE_CLICK_MS 400
#define WHEEL_LINES 3

/* UTF-8 of a code point; returns the byte count. */
static int utf8_encode(unsigned long code, char *out) {
  if (code < 0x80) {
    out[0] = (char)code;
    return 1;
  }
  if (code < 0x800) {
    out[0] = (char)(0xC0 | (code >> 6));
    out[1] = (char)(0x80 | (code & 0x3F));
    return 2;
  }
  if (code < 0x10000) {
    out[0] = (char)(0xE0 | (code >> 12));
    out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[2] = (char)(0x80 | (code & 0x3F));
    return 3;
  }
  if (code > 0x10FFFF)
    return 0;
  out[0] = (char)(0xF0 | (code >> 18));
  out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
  out[3] = (char)(0x80 | (code & 0x3F));
  return 4;
}

/* After an edit or move: keep the cursor in view and repaint. */
static void edited(cb_ui *ui, unsigned version_before) {
  ev_reveal_cursor(&ui->view, &ui->buffer);
  if (ui->buffer.version != version_before)
    ui_text_changed(ui);
  ui->dirty |= UI_DIRTY_EDITOR | UI_DIRTY_TOOLBAR;
}

void ui_insert_text(cb_ui *ui, const char *text, size_t length) {
  char *clean = malloc(length + 1);
  if (!clean)
    return;
  size_t n = 0;
  for (size_t i = 0; i < length; ++i) { /* \r\n and \r become \n; NULs go */
    if (text[i] == '\r') {
      clean[n++] = '\n';
      if (i + 1 < length && text[i + 1] == '\n')
        ++i;
    } else if (text[i] != '\0') {
      clean[n++] = text[i];
    }
  }
  unsigned version = ui->buffer.version;
  ed_insert(&ui->buffer, clean, n);
  free(clean);
  edited(ui, version);
}

static void copy_selection(cb_ui *ui) {
  size_t length;
  char *text = ed_selected_text(&ui->buffer, &length);
  if (!text)
    return;
  ui_clipboard_copy(ui, text, length);
  free(text);
}

/* Shortcuts with ctrl held; false when the key is not one. */
static bool control_key(cb_ui *ui, KeySym sym, bool shift) {
  switch (sym) {
  case XK_Return:
  case XK_KP_Enter:
    ui_send_program(ui);
    return true;
  case XK_z:
  case XK_Z:
    shift ? ed_redo(&ui->buffer) : ed_undo(&ui->buffer);
    return true;
  case XK_y:
  case XK_Y:
    ed_redo(&ui->buffer);
    return true;
  case XK_a:
  case XK_A:
    ed_select_all(&ui->buffer);
    return true;
  case XK_c:
  case XK_C:
  case XK_Insert:
    copy_selection(ui);
    return true;
  case XK_x:
  case XK_X:
    copy_selection(ui);
    ed_delete_selection(&ui->buffer);
    return true;
  case XK_v:
  case XK_V:
    ui_clipboard_paste(ui);
    return true;
  case XK_Left:
    ed_move(&ui->buffer, ED_WORD_LEFT, shift, 1);
    return true;
  case XK_Right:
    ed_move(&ui->buffer, ED_WORD_RIGHT, shift, 1);
    return true;
  case XK_Home:
    ed_move(&ui->buffer, ED_DOC_START, shift, 1);
    return true;
  case XK_End:
    ed_move(&ui->buffer, ED_DOC_END, shift, 1);
    return true;
  default:
    return false;
  }
}

static bool motion_key(cb_ui *ui, KeySym sym, bool shift) {
  int page = ev_visible_lines(&ui->view) - 1;
  ed_motion motion;
  switch (sym) {
  case XK_Left:
  case XK_KP_Left:
    motion = ED_LEFT;
    break;
  case XK_Right:
  case XK_KP_Right:
    motion = ED_RIGHT;
    break;
  case XK_Up:
  case XK_KP_Up:
    motion = ED_UP;
    break;
  case XK_Down:
  case XK_KP_Down:
    motion = ED_DOWN;
    break;
  case XK_Home:
  case XK_KP_Home:
    motion = ED_HOME;
    break;
  case XK_End:
  case XK_KP_End:
    motion = ED_END;
    break;
  case XK_Page_Up:
  case XK_KP_Page_Up:
    motion = ED_PAGE_UP;
    break;
  case XK_Page_Down:
  case XK_KP_Page_Down:
    motion = ED_PAGE_DOWN;
    break;
  default:
    return false;
  }
  ed_move(&ui->buffer, motion, shift, page);
  return true;
}

void ui_key_press(cb_ui *ui, XKeyEvent *event) {
  char text[32];
  KeySym sym = NoSymbol;
  int count = XLookupString(event, text, sizeof text - 1, &sym, NULL);
  ui->event_time = event->time;
  ui->focused = true; /* keys reach us: hosts may forward them without giving focus */
  bool ctrl = event->state & ControlMask, shift = event->state & ShiftMask;
  unsigned version = ui->buffer.version;
  if (ctrl && control_key(ui, sym, shift)) {
  } else if (motion_key(ui, sym, shift)) {
  } else if (shift && sym == XK_Insert) {
    ui_clipboard_paste(ui);
  } else if (shift && sym == XK_Delete) {
    copy_selection(ui);
    ed_delete_selection(&ui->buffer);
  } else if (sym == XK_BackSpace) {
    ed_backspace(&ui->buffer);
  } else if (sym == XK_Delete || sym == XK_KP_Delete) {
    ed_delete(&ui->buffer);
  } else if (sym == XK_Return || sym == XK_KP_Enter) {
    ed_newline(&ui->buffer);
  } else if (sym == XK_Tab || sym == XK_ISO_Left_Tab) {
    ed_insert(&ui->buffer, "  ", 2);
  } else if (sym == XK_Escape) {
    ed_set_cursor(&ui->buffer, ui->buffer.cursor, false);
  } else if (!ctrl) {
    char utf8[8];
    int n = 0;
    if (sym >= 0x01000100 && sym <= 0x0110FFFF) /* a Unicode keysym */
      n = utf8_encode(sym - 0x01000000, utf8);
    else if (count == 1 && (unsigned char)text[0] >= 0x20 && text[0] != 0x7F)
      n = utf8_encode((unsigned char)text[0], utf8); /* XLookupString gives Latin-1 */
    if (n > 0)
      ed_insert(&ui->buffer, utf8, (size_t)n);
    else
      return;
  } else {
    return;
  }
  edited(ui, version);
}

static bool inside(const ui_rect *r, double x, double y) {
  return x >= r->x && y >= r->y && x < r->x + r->width && y < r->y + r->height;
}

void ui_button_press(cb_ui *ui, XButtonEvent *event) {
  double x = event->x, y = event->y;
  int changed = -1;
  if (event->button == Button4 || event->button == Button5) {
    int direction = event->button == Button4 ? 1 : -1;
    if (ev_contains(&ui->view, x, y)) {
      ev_scroll(&ui->view, &ui->buffer, -direction * WHEEL_LINES);
      ui->dirty |= UI_DIRTY_EDITOR;
    } else if (kn_scroll(&ui->knobs, x, y, direction, &changed) && changed >= 0) {
      ui_write_knob(ui, changed);
    }
    return;
  }
  if (event->button != Button1)
    return;
  ui->event_time = event->time;
  bool double_click = event->time - ui->last_click_time < DOUBLE_CLICK_MS &&
                      abs(event->x - ui->last_click_x) < 5 && abs(event->y - ui->last_click_y) < 5;
  ui->last_click_time = event->time;
  ui->last_click_x = event->x;
  ui->last_click_y = event->y;
  if (inside(&ui->send_button, x, y)) {
    ui->send_pressed = true;
    ui->dirty |= UI_DIRTY_TOOLBAR;
  } else if (ev_contains(&ui->view, x, y)) {
    XSetInputFocus(ui->display, ui->window, RevertToParent, event->time);
    size_t pos = ev_pos_at(&ui->view, &ui->buffer, x, y);
    if (double_click)
      ed_select_word(&ui->buffer, pos);
    else
      ed_set_cursor(&ui->buffer, pos, (event->state & ShiftMask) != 0);
    ui->selecting = !double_click;
    ui->dirty |= UI_DIRTY_EDITOR | UI_DIRTY_TOOLBAR;
  } else if (kn_press(&ui->knobs, x, y, double_click, &changed)) {
    if (changed >= 0)
      ui_write_knob(ui, changed);
    ui->dirty |= UI_DIRTY_KNOBS;
  }
}

void ui_button_release(cb_ui *ui, XButtonEvent *event) {
  if (event->button != Button1)
    return;
  if (ui->send_pressed && inside(&ui->send_button, event->x, event->y))
    ui_send_program(ui);
  if (ui->send_pressed)
    ui->dirty |= UI_DIRTY_TOOLBAR;
  ui->send_pressed = false;
  ui->selecting = false;
  if (ui->knobs.dragging >= 0) {
    kn_release(&ui->knobs);
    ui->dirty |= UI_DIRTY_KNOBS;
  }
}

void ui_motion(cb_ui *ui, XMotionEvent *event) {
  double x = event->x, y = event->y;
  if (ui->selecting) {
    if (y < ui->view.y)
      ev_scroll(&ui->view, &ui->buffer, -1); /* drag past an edge scrolls */
    else if (y >= ui->view.y + ui->view.height)
      ev_scroll(&ui->view, &ui->buffer, 1);
    ed_set_cursor(&ui->buffer, ev_pos_at(&ui->view, &ui->buffer, x, y), true);
    ui->dirty |= UI_DIRTY_EDITOR | UI_DIRTY_TOOLBAR;
    return;
  }
  int changed = -1;
  if (kn_motion(&ui->knobs, x, y, (event->state & ShiftMask) != 0, &changed)) {
    if (changed >= 0)
      ui_write_knob(ui, changed);
    ui->dirty |= UI_DIRTY_KNOBS;
  }
  bool hovered = inside(&ui->send_button, x, y);
  if (hovered != ui->send_hovered) {
    ui->send_hovered = hovered;
    ui->dirty |= UI_DIRTY_TOOLBAR;
  }
}
