/* X11 glue: the UI's own display connection and window (a child of the
   host's ui:parent, or a top-level window for ui:showInterface), the scale
   factor, the event pump run from idle(), and double-buffered cairo painting. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <X11/Xatom.h>
#include <X11/Xutil.h>

#include "ui.h"

double ui_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

/* ui:scaleFactor when the host gives it, else Xft.dpi / 96 (what desktop
   settings set for HiDPI screens), else CYCLEBUS_UI_SCALE, else 1. */
static double find_scale(const cb_ui *ui) {
  if (ui->host_scale > 0.0f)
    return ui->host_scale;
  double scale = 1.0;
  const char *resources = XResourceManagerString(ui->display);
  const char *dpi = resources ? strstr(resources, "Xft.dpi:") : NULL;
  if (dpi) {
    double value = strtod(dpi + 8, NULL);
    if (value >= 48.0 && value <= 768.0)
      scale = value / 96.0;
  }
  const char *env = getenv("CYCLEBUS_UI_SCALE");
  if (!dpi && env) {
    double value = strtod(env, NULL);
    if (value >= 0.5 && value <= 8.0)
      scale = value;
  }
  return scale;
}

/* Our natural and smallest sizes: window managers read them, and so do
   suil's GTK wrappers (Ardour, jalv) when they size an embedded UI. */
static void set_size_hints(cb_ui *ui) {
  XSizeHints *hints = XAllocSizeHints();
  if (!hints)
    return;
  hints->flags = PMinSize | PBaseSize;
  hints->min_width = (int)(UI_MIN_WIDTH * ui->scale);
  hints->min_height = (int)(UI_MIN_HEIGHT * ui->scale);
  hints->base_width = ui->width;
  hints->base_height = ui->height;
  XSetWMNormalHints(ui->display, ui->window, hints);
  XFree(hints);
}

static void set_top_level_properties(cb_ui *ui) {
  XStoreName(ui->display, ui->window, "cyclebus");
  XSetWMProtocols(ui->display, ui->window, &ui->wm_delete, 1);
}

/* XEmbed: tells an embedding socket (suil's GTK wrappers) to map us. */
static void set_xembed_info(cb_ui *ui) {
  Atom info = XInternAtom(ui->display, "_XEMBED_INFO", False);
  unsigned long data[2] = {0, 1}; /* version 0, XEMBED_MAPPED */
  XChangeProperty(ui->display, ui->window, info, info, 32, PropModeReplace, (unsigned char *)data,
                  2);
}

/* The back buffer: a cairo image surface, shown with XPutImage through an
   XImage over the same pixels. (Painting text on cairo's xlib surfaces makes
   cairo 1.16 keep a per-Display object alive after XCloseDisplay, and its
   uploads leak a little: 13 kB per open. Plain XPutImage has neither.) */
static void destroy_back_buffer(cb_ui *ui) {
  if (ui->image) {
    ui->image->data = NULL; /* cairo's pixels: not Xlib's to free */
    XDestroyImage(ui->image);
    ui->image = NULL;
  }
  if (ui->back)
    cairo_surface_destroy(ui->back);
  ui->back = NULL;
}

static bool create_back_buffer(cb_ui *ui) {
  destroy_back_buffer(ui);
  ui->back = cairo_image_surface_create(CAIRO_FORMAT_RGB24, ui->width, ui->height);
  ui->dirty = UI_DIRTY_ALL;
  if (cairo_surface_status(ui->back) != CAIRO_STATUS_SUCCESS)
    return false;
  ui->image = XCreateImage(ui->display, ui->visual, 24, ZPixmap, 0,
                           (char *)cairo_image_surface_get_data(ui->back), (unsigned)ui->width,
                           (unsigned)ui->height, 32, cairo_image_surface_get_stride(ui->back));
  if (!ui->image)
    return false;
  uint32_t probe = 1; /* cairo's pixels are native-endian 32-bit words */
  ui->image->byte_order = *(unsigned char *)&probe ? LSBFirst : MSBFirst;
  ui->image->bitmap_bit_order = ui->image->byte_order;
  return true;
}

/* A 24-bit TrueColor visual with 8-bit red, green, blue: the parent's when it
   has one, else one of the screen's (then with its own colormap). */
static bool choose_visual(cb_ui *ui) {
  XWindowAttributes parent;
  XGetWindowAttributes(ui->display, ui->parent, &parent);
  Visual *v = parent.visual;
  if (parent.depth == 24 && v->class == TrueColor && v->red_mask == 0xFF0000 &&
      v->green_mask == 0xFF00 && v->blue_mask == 0xFF) {
    ui->visual = v;
    return true;
  }
  XVisualInfo info;
  if (!XMatchVisualInfo(ui->display, DefaultScreen(ui->display), 24, TrueColor, &info) ||
      info.red_mask != 0xFF0000 || info.blue_mask != 0xFF)
    return false;
  ui->visual = info.visual;
  ui->colormap = XCreateColormap(ui->display, ui->parent, info.visual, AllocNone);
  return true;
}

bool ui_x11_open(cb_ui *ui, Window parent) {
  ui->display = XOpenDisplay(NULL);
  if (!ui->display)
    return false;
  Display *d = ui->display;
  ui->scale = find_scale(ui);
  ui->width = (int)lround(UI_DEFAULT_WIDTH * ui->scale);
  ui->height = (int)lround(UI_DEFAULT_HEIGHT * ui->scale);
  ui->embedded = parent != 0;
  ui->parent = parent ? parent : DefaultRootWindow(d);
  if (!choose_visual(ui))
    return false;
  XSetWindowAttributes attributes = {0};
  unsigned long mask = CWBackPixmap | CWEventMask;
  attributes.background_pixmap = None; /* we paint everything: no flash of background */
  if (ui->colormap) {
    attributes.colormap = ui->colormap;
    attributes.border_pixel = 0;
    mask |= CWColormap | CWBorderPixel;
  }
  attributes.event_mask = ExposureMask | KeyPressMask | KeyReleaseMask | ButtonPressMask |
                          ButtonReleaseMask | PointerMotionMask | StructureNotifyMask |
                          FocusChangeMask | LeaveWindowMask;
  ui->window = XCreateWindow(d, ui->parent, 0, 0, (unsigned)ui->width, (unsigned)ui->height, 0, 24,
                             InputOutput, ui->visual, mask, &attributes);
  if (!ui->window)
    return false;
  ui->wm_protocols = XInternAtom(d, "WM_PROTOCOLS", False);
  ui->wm_delete = XInternAtom(d, "WM_DELETE_WINDOW", False);
  set_size_hints(ui);
  if (ui->embedded) {
    set_xembed_info(ui);
    XSelectInput(d, ui->parent, StructureNotifyMask); /* follow the host's size */
    XMapRaised(d, ui->window);
    ui->mapped = true;
  } else {
    set_top_level_properties(ui);
  }
  ui->gc = XCreateGC(d, ui->window, 0, NULL);
  if (!create_back_buffer(ui))
    return false;
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
    if (event.xdestroywindow.window == ui->window)
      return true;
  return false;
}

void ui_x11_close(cb_ui *ui) {
  if (!ui->display)
    return;
  destroy_back_buffer(ui);
  if (ui->gc)
    XFreeGC(ui->display, ui->gc);
  ui->gc = NULL;
  if (ui->window && !window_destroyed(ui)) {
    if (ui->embedded)
      XSelectInput(ui->display, ui->parent, NoEventMask);
    XDestroyWindow(ui->display, ui->window);
  }
  if (ui->colormap)
    XFreeColormap(ui->display, ui->colormap);
  ui->colormap = 0;
  XCloseDisplay(ui->display);
  ui->display = NULL;
  ui->window = 0;
}

void ui_x11_show(cb_ui *ui, bool show) {
  if (!ui->display)
    return;
  if (show) {
    ui->closed = false;
    XMapRaised(ui->display, ui->window);
  } else {
    XUnmapWindow(ui->display, ui->window);
  }
  XFlush(ui->display);
}

void ui_x11_resize(cb_ui *ui, int width, int height) {
  if (!ui->display || width < 1 || height < 1)
    return;
  XResizeWindow(ui->display, ui->window, (unsigned)width, (unsigned)height);
  XFlush(ui->display);
}

static void configured(cb_ui *ui, int width, int height) {
  if (width == ui->width && height == ui->height)
    return;
  ui->width = width;
  ui->height = height;
  create_back_buffer(ui);
  ui_layout(ui);
}

/* A host that resizes its window without telling us fills it with us, but
   a parent smaller than our minimum (suil's plug before its first layout)
   is ignored: the host sizes us itself then. */
static void follow_parent(cb_ui *ui, int width, int height) {
  if (width == ui->width && height == ui->height)
    return;
  if (width < UI_MIN_WIDTH * ui->scale || height < UI_MIN_HEIGHT * ui->scale)
    return;
  ui_x11_resize(ui, width, height);
}

static void handle_event(cb_ui *ui, XEvent *event) {
  switch (event->type) {
  case Expose:
    if (event->xexpose.count == 0)
      ui->dirty |= UI_DIRTY_ALL;
    break;
  case ConfigureNotify:
    if (event->xconfigure.window == ui->window)
      configured(ui, event->xconfigure.width, event->xconfigure.height);
    else if (event->xconfigure.window == ui->parent && ui->embedded)
      follow_parent(ui, event->xconfigure.width, event->xconfigure.height);
    break;
  case MapNotify:
    if (event->xmap.window == ui->window)
      ui->mapped = true;
    break;
  case UnmapNotify:
    if (event->xunmap.window == ui->window)
      ui->mapped = false;
    break;
  case DestroyNotify:
    if (event->xdestroywindow.window == ui->window)
      ui->closed = true;
    break;
  case ClientMessage:
    if (event->xclient.message_type == ui->wm_protocols &&
        (Atom)event->xclient.data.l[0] == ui->wm_delete) {
      ui->closed = true;
      XUnmapWindow(ui->display, ui->window);
    }
    break;
  case FocusIn:
  case FocusOut:
    ui->focused = event->type == FocusIn;
    ui->dirty |= UI_DIRTY_EDITOR;
    break;
  case KeyPress:
    ui_key_press(ui, &event->xkey);
    break;
  case ButtonPress:
    ui_button_press(ui, &event->xbutton);
    break;
  case ButtonRelease:
    ui_button_release(ui, &event->xbutton);
    break;
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
  case SelectionClear:
    ui_clipboard_event(ui, event);
    break;
  default:
    break;
  }
}

/* Sends one rectangle of the back buffer to the window. */
static void show_rect(cb_ui *ui, const ui_rect *r) {
  int x0 = (int)floor(r->x), y0 = (int)floor(r->y);
  int x1 = (int)ceil(r->x + r->width), y1 = (int)ceil(r->y + r->height);
  if (x0 < 0)
    x0 = 0;
  if (y0 < 0)
    y0 = 0;
  if (x1 > ui->width)
    x1 = ui->width;
  if (y1 > ui->height)
    y1 = ui->height;
  if (x1 > x0 && y1 > y0)
    XPutImage(ui->display, ui->window, ui->gc, ui->image, x0, y0, x0, y0, (unsigned)(x1 - x0),
              (unsigned)(y1 - y0));
}

/* Paints the dirty areas into the back buffer, then shows them. */
static void repaint(cb_ui *ui) {
  if (!ui->back || !ui->image || !ui->dirty)
    return;
  unsigned areas = ui->dirty;
  ui->dirty = 0;
  cairo_t *cr = cairo_create(ui->back);
  ui_paint(ui, cr, areas);
  cairo_destroy(cr);
  cairo_surface_flush(ui->back);
  if (areas == UI_DIRTY_ALL) {
    show_rect(ui, &(ui_rect){0, 0, ui->width, ui->height});
  } else {
    for (unsigned area = 1; area <= UI_DIRTY_KNOBS; area <<= 1)
      if (areas & area)
        show_rect(ui, ui_area_rect(ui, area));
  }
  XFlush(ui->display);
}

int ui_x11_idle(cb_ui *ui) {
  if (!ui->display)
    return 1;
  while (XPending(ui->display) > 0) {
    XEvent event;
    XNextEvent(ui->display, &event);
    handle_event(ui, &event);
  }
  ui_update_layout(ui);
  if (ui_animating(ui))
    ui->dirty |= UI_DIRTY_CARD;
  if (ui->mapped)
    repaint(ui);
  return ui->closed ? 1 : 0;
}
