/* X11 glue: the UI's own display connection and window (a child of the
   host's ui:parent, or a top-level window for ui:showInterface), the scale
   factor, the event pump run from idle(), and double-buffered cairo painting. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <cairo/cairo-xlib.h>

#include "ui.h"

double ui_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

/* ui:scaleFactor when the host gives it, else Xft.dpi / 96 (what desktop
   settings set for HiDPI screens), else CYCLEBUS_UI_SCALE, else 1. */
static double find_scale(const cb_ui *ui) {
  if (ui->host_scale > 0.0f) return ui->host_scale;
  double scale = 1.0;
  const char *resources = XResourceManagerString(ui->display);
  const char *dpi = resources ? strstr(resources, "Xft.dpi:") : NULL;
  if (dpi) {
    double value = strtod(dpi + 8, NULL);
    if (value >= 48.0 && value <= 768.0) scale = value / 96.0;
  }
  const char *env = getenv("CYCLEBUS_UI_SCALE");
  if (!dpi && env) {
    double value = strtod(env, NULL);
    if (value >= 0.5 && value <= 8.0) scale = value;
  }
  return scale;
}

static void set_top_level_properties(cb_ui *ui) {
  XStoreName(ui->display, ui->window, "cyclebus");
  XSetWMProtocols(ui->display, ui->window, &ui->wm_delete, 1);
  XSizeHints *hints = XAllocSizeHints();
  if (hints) {
    hints->flags = PMinSize;
    hints->min_width = (int)(UI_MIN_WIDTH * ui->scale);
    hints->min_height = (int)(UI_MIN_HEIGHT * ui->scale);
    XSetWMNormalHints(ui->display, ui->window, hints);
    XFree(hints);
  }
}

/* XEmbed: tells an embedding socket (suil's GTK wrappers) to map us. */
static void set_xembed_info(cb_ui *ui) {
  Atom info = XInternAtom(ui->display, "_XEMBED_INFO", False);
  unsigned long data[2] = {0, 1}; /* version 0, XEMBED_MAPPED */
  XChangeProperty(ui->display, ui->window, info, info, 32, PropModeReplace,
                  (unsigned char *)data, 2);
}

static bool create_surfaces(cb_ui *ui) {
  if (ui->back) cairo_surface_destroy(ui->back);
  ui->back = NULL;
  if (!ui->surface) {
    XWindowAttributes attributes;
    XGetWindowAttributes(ui->display, ui->window, &attributes);
    ui->surface = cairo_xlib_surface_create(ui->display, ui->window, attributes.visual,
                                            ui->width, ui->height);
  } else {
    cairo_xlib_surface_set_size(ui->surface, ui->width, ui->height);
  }
  if (cairo_surface_status(ui->surface) != CAIRO_STATUS_SUCCESS) return false;
  ui->back = cairo_surface_create_similar(ui->surface, CAIRO_CONTENT_COLOR, ui->width, ui->height);
  ui->dirty = UI_DIRTY_ALL;
  return cairo_surface_status(ui->back) == CAIRO_STATUS_SUCCESS;
}

bool ui_x11_open(cb_ui *ui, Window parent) {
  ui->display = XOpenDisplay(NULL);
  if (!ui->display) return false;
  Display *d = ui->display;
  ui->scale = find_scale(ui);
  ui->width = (int)lround(UI_DEFAULT_WIDTH * ui->scale);
  ui->height = (int)lround(UI_DEFAULT_HEIGHT * ui->scale);
  ui->embedded = parent != 0;
  ui->parent = parent ? parent : DefaultRootWindow(d);
  XSetWindowAttributes attributes = {0};
  attributes.background_pixmap = None; /* we paint everything: no flash of background */
  attributes.event_mask = ExposureMask | KeyPressMask | KeyReleaseMask | ButtonPressMask |
                          ButtonReleaseMask | PointerMotionMask | StructureNotifyMask |
                          FocusChangeMask | LeaveWindowMask;
  ui->window = XCreateWindow(d, ui->parent, 0, 0, (unsigned)ui->width, (unsigned)ui->height, 0,
                             CopyFromParent, InputOutput, CopyFromParent,
                             CWBackPixmap | CWEventMask, &attributes);
  if (!ui->window) return false;
  ui->wm_protocols = XInternAtom(d, "WM_PROTOCOLS", False);
  ui->wm_delete = XInternAtom(d, "WM_DELETE_WINDOW", False);
  if (ui->embedded) {
    set_xembed_info(ui);
    XSelectInput(d, ui->parent, StructureNotifyMask); /* follow the host's size */
    XMapRaised(d, ui->window);
    ui->mapped = ui->visible = true;
  } else {
    set_top_level_properties(ui);
  }
  if (!create_surfaces(ui)) return false;
  ui_layout(ui);
  XFlush(d);
  return true;
}

/* Our window may already be gone with the host's parent: look for its
   DestroyNotify before destroying it, so no BadWindow reaches the host. */
static bool window_destroyed(cb_ui *ui) {
  XSync(ui->display, False);
  XEvent event;
  while (XCheckTypedWindowEvent(ui->display, ui->window, DestroyNotify, &event))
    if (event.xdestroywindow.window == ui->window) return true;
  return false;
}

void ui_x11_close(cb_ui *ui) {
  if (!ui->display) return;
  if (ui->back) cairo_surface_destroy(ui->back);
  if (ui->surface) cairo_surface_destroy(ui->surface);
  ui->back = ui->surface = NULL;
  if (ui->window && !window_destroyed(ui)) {
    if (ui->embedded) XSelectInput(ui->display, ui->parent, NoEventMask);
    XDestroyWindow(ui->display, ui->window);
  }
  XCloseDisplay(ui->display);
  ui->display = NULL;
  ui->window = 0;
}

void ui_x11_show(cb_ui *ui, bool show) {
  if (!ui->display) return;
  if (show) {
    ui->closed = false;
    XMapRaised(ui->display, ui->window);
  } else {
    XUnmapWindow(ui->display, ui->window);
  }
  ui->visible = show;
  XFlush(ui->display);
}

void ui_x11_resize(cb_ui *ui, int width, int height) {
  if (!ui->display || width < 1 || height < 1) return;
  XResizeWindow(ui->display, ui->window, (unsigned)width, (unsigned)height);
  XFlush(ui->display);
}

static void configured(cb_ui *ui, int width, int height) {
  if (width == ui->width && height == ui->height) return;
  ui->width = width;
  ui->height = height;
  create_surfaces(ui);
  ui_layout(ui);
}

static void handle_event(cb_ui *ui, XEvent *event) {
  switch (event->type) {
  case Expose:
    if (event->xexpose.count == 0) ui->dirty |= UI_DIRTY_ALL;
    break;
  case ConfigureNotify:
    if (event->xconfigure.window == ui->window)
      configured(ui, event->xconfigure.width, event->xconfigure.height);
    else if (event->xconfigure.window == ui->parent && ui->embedded &&
             (event->xconfigure.width != ui->width || event->xconfigure.height != ui->height))
      ui_x11_resize(ui, event->xconfigure.width, event->xconfigure.height);
    break;
  case MapNotify:
    if (event->xmap.window == ui->window) ui->mapped = true;
    break;
  case UnmapNotify:
    if (event->xunmap.window == ui->window) ui->mapped = false;
    break;
  case DestroyNotify:
    if (event->xdestroywindow.window == ui->window) ui->closed = true;
    break;
  case ClientMessage:
    if (event->xclient.message_type == ui->wm_protocols &&
        (Atom)event->xclient.data.l[0] == ui->wm_delete) {
      ui->closed = true;
      XUnmapWindow(ui->display, ui->window);
      ui->visible = false;
    }
    break;
  case FocusIn:
  case FocusOut:
    ui->focused = event->type == FocusIn;
    ui->dirty |= UI_DIRTY_EDITOR;
    break;
  case KeyPress: ui_key_press(ui, &event->xkey); break;
  case ButtonPress: ui_button_press(ui, &event->xbutton); break;
  case ButtonRelease: ui_button_release(ui, &event->xbutton); break;
  case MotionNotify: {
    while (XCheckTypedWindowEvent(ui->display, ui->window, MotionNotify, event)) {
    } /* only the latest position matters */
    ui_motion(ui, &event->xmotion);
    break;
  }
  case LeaveNotify:
    ui->knobs.hovered = -1;
    ui->send_hovered = false;
    ui->dirty |= UI_DIRTY_KNOBS | UI_DIRTY_TOOLBAR;
    break;
  case SelectionRequest:
  case SelectionNotify:
  case SelectionClear: ui_clipboard_event(ui, event); break;
  default: break;
  }
}

/* Paints the dirty areas into the back buffer, then shows it. */
static void repaint(cb_ui *ui) {
  if (!ui->back || !ui->dirty) return;
  unsigned areas = ui->dirty;
  ui->dirty = 0;
  cairo_t *cr = cairo_create(ui->back);
  ui_paint(ui, cr, areas);
  cairo_destroy(cr);
  cairo_surface_flush(ui->back);
  cr = cairo_create(ui->surface);
  cairo_set_source_surface(cr, ui->back, 0, 0);
  cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
  ui_area_path(ui, cr, areas); /* only what changed crosses to the server */
  cairo_fill(cr);
  cairo_destroy(cr);
  cairo_surface_flush(ui->surface);
  XFlush(ui->display);
}

int ui_x11_idle(cb_ui *ui) {
  if (!ui->display) return 1;
  while (XPending(ui->display) > 0) {
    XEvent event;
    XNextEvent(ui->display, &event);
    handle_event(ui, &event);
  }
  ui_update_layout(ui);
  if (ui_animating(ui)) ui->dirty |= UI_DIRTY_CARD;
  if (ui->mapped) repaint(ui);
  return ui->closed ? 1 : 0;
}
