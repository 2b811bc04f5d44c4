/* The inline display: run() side (record events, publish snapshots through a
   triple buffer, queue_draw at a modest rate) and the render side (the
   current cycle's events per output line on a 16-step grid with the playhead,
   last cycle's events as ghosts, drawn as plain pixels: no cairo here). */
#include "inline_display.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRESH 4u                 /* in `middle`: a snapshot the render thread has not taken yet */
#define PIXEL_STEP (1.0 / 256.0) /* playhead moves smaller than this are not redrawn */

void cb_idisp_init(cb_inline_display *d, const cb_idisp_queue_draw *queue_draw,
                   double sample_rate) {
  memset(d, 0, sizeof *d);
  d->queue_draw = queue_draw;
  d->frames_between = (int64_t)(sample_rate / CB_IDISP_RATE);
  d->working.rows = 1;
  d->drawn_playhead = -1.0;
  d->back = 0;
  atomic_init(&d->middle, 1u);
  d->front = 2;
}

void cb_idisp_free(cb_inline_display *d) {
  free(d->pixels);
  d->pixels = NULL;
  d->pixel_bytes = 0;
}

/* ---- audio thread ------------------------------------------------------------------- */

void cb_idisp_record(cb_inline_display *d, unsigned output, double onset, double end) {
  if (output >= CB_IDISP_ROWS || !isfinite(onset) || !isfinite(end))
    return;
  d->working.events[d->next_slot] = (cb_idisp_event){(uint8_t)output, onset, end};
  d->next_slot = (d->next_slot + 1) % CB_IDISP_EVENTS;
  if (d->working.count < CB_IDISP_EVENTS)
    d->working.count++;
  if (output + 1 > d->working.rows)
    d->working.rows = output + 1;
  d->changed = true;
}

void cb_idisp_publish(cb_inline_display *d, int64_t frame, double cycle, bool rolling) {
  d->working.playhead = cycle;
  d->working.rolling = rolling;
  bool moved = fabs(cycle - d->drawn_playhead) >= PIXEL_STEP || rolling != d->drawn_rolling;
  if (!d->changed && !moved)
    return;
  if (frame < d->next_publish_frame && frame + d->frames_between >= d->next_publish_frame)
    return; /* too soon (a frame far before the limit means the count restarted) */
  d->slots[d->back] = d->working; /* fixed size: a bounded copy */
  d->back = atomic_exchange_explicit(&d->middle, d->back | FRESH, memory_order_acq_rel) & 3u;
  d->changed = false;
  d->drawn_playhead = cycle;
  d->drawn_rolling = rolling;
  d->next_publish_frame = frame + d->frames_between;
  if (d->queue_draw && d->queue_draw->queue_draw)
    d->queue_draw->queue_draw(d->queue_draw->handle);
}

/* ---- render thread ------------------------------------------------------------------ */

typedef struct {
  uint32_t *pixels;
  int width, height, stride_pixels;
} canvas;

static const uint32_t row_colours[CB_IDISP_ROWS] = {0xFF8C40, 0x59BFFF, 0x8CE666, 0xF266B3,
                                                    0xBF99FF, 0xFFD94D, 0x4DE6CC, 0xF25959};

static uint32_t mix(uint32_t colour, uint32_t other, double amount) {
  uint32_t out = 0xFF000000u;
  for (int shift = 0; shift <= 16; shift += 8) {
    double a = (colour >> shift) & 0xFF, b = (other >> shift) & 0xFF;
    out |= (uint32_t)lround(a + (b - a) * amount) << shift;
  }
  return out;
}

static void fill(canvas *c, int x0, int y0, int x1, int y1, uint32_t argb) {
  if (x0 < 0)
    x0 = 0;
  if (y0 < 0)
    y0 = 0;
  if (x1 > c->width)
    x1 = c->width;
  if (y1 > c->height)
    y1 = c->height;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      c->pixels[y * c->stride_pixels + x] = argb | 0xFF000000u;
}

static void draw_event(canvas *c, const cb_idisp_event *e, double cycle, double playhead, int rows,
                       uint32_t colour) {
  double from = fmax(e->onset - cycle, 0.0), to = fmin(e->end - cycle, 1.0);
  int x0 = (int)floor(from * c->width), x1 = (int)ceil(to * c->width);
  if (x1 < x0 + 2)
    x1 = x0 + 2;
  int top = 1 + e->output * (c->height - 2) / rows,
      bottom = 1 + (e->output + 1) * (c->height - 2) / rows;
  if (bottom - top > 3) { /* a gap between rows */
    top += 1;
    bottom -= 1;
  }
  bool sounding = playhead >= e->onset && playhead < e->end;
  fill(c, x0 + 1, top, x1 - 1, bottom, sounding ? mix(colour, 0xFFFFFF, 0.35) : colour);
}

static void draw(canvas *c, const cb_idisp_snapshot *s) {
  const uint32_t background = 0x1A1C21, grid = 0x2C3038, beat = 0x3E424C, playhead = 0xFFD95A;
  fill(c, 0, 0, c->width, c->height, background);
  for (int step = 1; step < 16; ++step) {
    int x = step * c->width / 16;
    fill(c, x, 0, x + 1, c->height, step % 4 ? grid : beat);
  }
  int rows = s->rows >= 1 && s->rows <= CB_IDISP_ROWS ? (int)s->rows : 1;
  double cycle = floor(s->playhead);
  for (uint32_t i = 0; i < s->count && i < CB_IDISP_EVENTS; ++i) { /* last cycle, as ghosts */
    cb_idisp_event e = s->events[i];
    if (e.output >= rows || floor(e.onset) != cycle - 1.0)
      continue;
    e.onset += 1.0;
    e.end += 1.0;
    draw_event(c, &e, cycle, -1.0, rows, mix(row_colours[e.output], background, 0.7));
  }
  for (uint32_t i = 0; i < s->count && i < CB_IDISP_EVENTS; ++i) { /* this cycle */
    const cb_idisp_event *e = &s->events[i];
    if (e->output >= rows || floor(e->onset) != cycle)
      continue;
    draw_event(c, e, cycle, s->playhead, rows, row_colours[e->output]);
  }
  int x = (int)floor((s->playhead - cycle) * c->width);
  fill(c, x, 0, x + 1, c->height, s->rolling ? playhead : mix(playhead, background, 0.6));
}

cb_idisp_surface *cb_idisp_render(cb_inline_display *d, uint32_t width, uint32_t max_height) {
  if (width < 8 || width > 4096 || max_height < 4)
    return NULL;
  if (atomic_load_explicit(&d->middle, memory_order_acquire) & FRESH)
    d->front = atomic_exchange_explicit(&d->middle, d->front, memory_order_acq_rel) & 3u;
  const cb_idisp_snapshot *s = &d->slots[d->front];
  uint32_t rows = s->rows >= 1 && s->rows <= CB_IDISP_ROWS ? s->rows : 1;
  uint32_t row_height = width / 16 < 6 ? 6 : width / 16 > 14 ? 14 : width / 16;
  uint32_t height = rows * row_height + 2;
  if (height < width / 4)
    height = width / 4;
  if (height > max_height)
    height = max_height;
  size_t bytes = (size_t)width * height * 4;
  if (bytes > d->pixel_bytes) {
    unsigned char *pixels = realloc(d->pixels, bytes);
    if (!pixels)
      return NULL;
    d->pixels = pixels;
    d->pixel_bytes = bytes;
  }
  canvas c = {(uint32_t *)d->pixels, (int)width, (int)height, (int)width};
  draw(&c, s);
  d->surface = (cb_idisp_surface){d->pixels, (int)width, (int)height, (int)width * 4};
  return &d->surface;
}
