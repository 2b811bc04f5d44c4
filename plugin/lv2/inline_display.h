/* Ardour's inline display (http://harrisonconsoles.com/lv2/inlinedisplay): a
   small punchcard in the mixer strip. run() records the triggered events and
   the playhead and publishes a snapshot through a triple buffer (lock-free,
   no allocation, bounded copy), then asks the host to redraw at most
   CB_IDISP_RATE times a second; the host calls render() from a non-realtime
   thread, which draws the newest snapshot into plain ARGB32 pixels. */
#ifndef CYCLEBUS_INLINE_DISPLAY_H
#define CYCLEBUS_INLINE_DISPLAY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lv2/core/lv2.h>

/* The extension's ABI, as Ardour defines it (ardour/lv2_extensions.h). */
#define CB_IDISP_URI "http://harrisonconsoles.com/lv2/inlinedisplay"
#define CB_IDISP__interface CB_IDISP_URI "#interface"
#define CB_IDISP__queue_draw CB_IDISP_URI "#queue_draw"

typedef struct {
  unsigned char *data; /* ARGB32, premultiplied (cairo's CAIRO_FORMAT_ARGB32) */
  int width;
  int height;
  int stride; /* bytes per row */
} cb_idisp_surface;

typedef struct {
  /* Non-realtime thread. The plugin owns the returned surface; height <= max_height. */
  cb_idisp_surface *(*render)(LV2_Handle instance, uint32_t width, uint32_t max_height);
} cb_idisp_interface;

typedef struct {
  void *handle;
  void (*queue_draw)(void *handle); /* realtime safe: may be called from run() */
} cb_idisp_queue_draw;

#define CB_IDISP_EVENTS 96 /* the newest triggered events kept */
#define CB_IDISP_ROWS 8    /* output lines drawn */
#define CB_IDISP_RATE 30   /* redraw requests per second, at most */

typedef struct {
  uint8_t output;
  double onset, end; /* cycles */
} cb_idisp_event;

/* What render() draws: plain data, copied whole. */
typedef struct {
  double playhead; /* cycles */
  bool rolling;
  uint32_t rows;  /* output lines seen so far (1..CB_IDISP_ROWS) */
  uint32_t count; /* events[0..count) hold the newest, in no particular order */
  cb_idisp_event events[CB_IDISP_EVENTS];
} cb_idisp_snapshot;

typedef struct {
  /* Audio thread only. */
  cb_idisp_snapshot working; /* updated per block, copied out when published */
  uint32_t next_slot;        /* where the next event goes in working.events */
  bool changed;
  double drawn_playhead;
  bool drawn_rolling;
  int64_t next_publish_frame;
  int64_t frames_between;
  unsigned back;                         /* the triple buffer slot the audio thread writes */
  const cb_idisp_queue_draw *queue_draw; /* the host's feature, or NULL */

  /* Shared: the slot last published, with CB_IDISP_FRESH while unread. */
  cb_idisp_snapshot slots[3];
  atomic_uint middle;

  /* Render thread only. */
  unsigned front;
  cb_idisp_surface surface;
  unsigned char *pixels;
  size_t pixel_bytes;
} cb_inline_display;

/* Instantiate thread. */
void cb_idisp_init(cb_inline_display *display, const cb_idisp_queue_draw *queue_draw,
                   double sample_rate);
void cb_idisp_free(cb_inline_display *display);

/* Audio thread: record one triggered event; then, once per block, publish
   the playhead at `frame` (only when something moved by about a pixel, and
   at most CB_IDISP_RATE times a second) and ask for a redraw. */
void cb_idisp_record(cb_inline_display *display, unsigned output, double onset, double end);
void cb_idisp_publish(cb_inline_display *display, int64_t frame, double cycle, bool rolling);

/* Render thread (non-realtime; may allocate the pixels). */
cb_idisp_surface *cb_idisp_render(cb_inline_display *display, uint32_t width, uint32_t max_height);

#endif
