/* Copy and paste through the X11 CLIPBOARD selection, both ways: on copy the
   UI owns the selection and answers other clients' SelectionRequests; on
   paste it asks the owner for UTF8_STRING (then STRING) and inserts the
   reply. Transfers are single properties (no INCR): programs are small. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xatom.h>

#include "ui.h"

void ui_clipboard_init(cb_ui *ui) {
  Display *d = ui->display;
  ui->clipboard = XInternAtom(d, "CLIPBOARD", False);
  ui->targets = XInternAtom(d, "TARGETS", False);
  ui->utf8_string = XInternAtom(d, "UTF8_STRING", False);
  ui->text_atom = XInternAtom(d, "TEXT", False);
  ui->paste_property = XInternAtom(d, "CYCLEBUS_PASTE", False);
}

void ui_clipboard_free(cb_ui *ui) {
  free(ui->clipboard_text);
  ui->clipboard_text = NULL;
  ui->clipboard_length = 0;
}

void ui_clipboard_copy(cb_ui *ui, const char *text, size_t length) {
  char *copy = malloc(length + 1);
  if (!copy)
    return;
  memcpy(copy, text, length);
  copy[length] = '\0';
  free(ui->clipboard_text);
  ui->clipboard_text = copy;
  ui->clipboard_length = length;
  XSetSelectionOwner(ui->display, ui->clipboard, ui->window, ui->event_time);
  XFlush(ui->display);
}

void ui_clipboard_paste(cb_ui *ui) {
  Window owner = XGetSelectionOwner(ui->display, ui->clipboard);
  if (owner == ui->window && ui->clipboard_text) {
    ui_insert_text(ui, ui->clipboard_text, ui->clipboard_length);
    return;
  }
  if (owner == None)
    return;
  XDeleteProperty(ui->display, ui->window, ui->paste_property);
  XConvertSelection(ui->display, ui->clipboard, ui->utf8_string, ui->paste_property, ui->window,
                    ui->event_time);
  ui->paste_pending = true;
  ui->paste_tried_string = false;
  XFlush(ui->display);
}

/* Another client asks for our selection. */
static void answer_request(cb_ui *ui, const XSelectionRequestEvent *request) {
  XSelectionEvent reply = {0};
  reply.type = SelectionNotify;
  reply.display = ui->display;
  reply.requestor = request->requestor;
  reply.selection = request->selection;
  reply.target = request->target;
  reply.time = request->time;
  reply.property = None;
  /* obsolete clients give no property: use the target's name, as ICCCM says */
  Atom property = request->property != None ? request->property : request->target;
  if (request->selection == ui->clipboard && ui->clipboard_text) {
    if (request->target == ui->targets) {
      Atom offered[] = {ui->targets, ui->utf8_string, XA_STRING, ui->text_atom};
      XChangeProperty(ui->display, request->requestor, property, XA_ATOM, 32, PropModeReplace,
                      (const unsigned char *)offered, 4);
      reply.property = property;
    } else if (request->target == ui->utf8_string || request->target == XA_STRING ||
               request->target == ui->text_atom) {
      Atom type = request->target == ui->text_atom ? ui->utf8_string : request->target;
      XChangeProperty(ui->display, request->requestor, property, type, 8, PropModeReplace,
                      (const unsigned char *)ui->clipboard_text, (int)ui->clipboard_length);
      reply.property = property;
    }
  }
  XSendEvent(ui->display, request->requestor, False, NoEventMask, (XEvent *)&reply);
  XFlush(ui->display);
}

/* The owner's answer to our paste request. */
static void take_paste(cb_ui *ui, const XSelectionEvent *event) {
  if (!ui->paste_pending || event->selection != ui->clipboard)
    return;
  if (event->property == None) { /* refused: try plain STRING once */
    if (!ui->paste_tried_string) {
      ui->paste_tried_string = true;
      XConvertSelection(ui->display, ui->clipboard, XA_STRING, ui->paste_property, ui->window,
                        event->time);
      XFlush(ui->display);
    } else {
      ui->paste_pending = false;
    }
    return;
  }
  ui->paste_pending = false;
  Atom type;
  int format;
  unsigned long items, remaining;
  unsigned char *data = NULL;
  if (XGetWindowProperty(ui->display, ui->window, ui->paste_property, 0, LONG_MAX / 4, True,
                         AnyPropertyType, &type, &format, &items, &remaining, &data) != Success)
    return;
  if (data && format == 8 &&
      (type == ui->utf8_string || type == XA_STRING || type == ui->text_atom))
    ui_insert_text(ui, (const char *)data, items);
  if (data)
    XFree(data);
}

void ui_clipboard_event(cb_ui *ui, XEvent *event) {
  switch (event->type) {
  case SelectionRequest:
    answer_request(ui, &event->xselectionrequest);
    break;
  case SelectionNotify:
    take_paste(ui, &event->xselection);
    break;
  case SelectionClear:
    if (event->xselectionclear.selection == ui->clipboard)
      ui_clipboard_free(ui);
    break;
  default:
    break;
  }
}
