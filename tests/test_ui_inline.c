/* The inline display (Ardour's mixer-strip punchcard): a small lilv host
   that offers the #queue_draw feature and a worker, plays the default program
   and calls render() as Ardour does. The image shows the triggered events,
   redraw requests stay under ~30 a second, run() neither allocates nor
   locks, and render() may run on another thread while run() plays. */
#define _GNU_SOURCE
#include <check.h>

#include "check_run.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo/cairo.h>
#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include "../plugin/lv2/inline_display.h"
#include "../plugin/lv2/ports.h"
#include "rt_counter.h"

/* ---- the host ---------------------------------------------------------------------------- */

#define RATE 48000.0
#define BLOCK 256
#define MESSAGE_BYTES 4096
#define QUEUE 512
#define ATOM_BYTES 65536

typedef struct {
  uint32_t size;
  uint8_t data[MESSAGE_BYTES];
} message;

typedef struct {
  LilvWorld *world;
  LilvInstance *instance;
  const LV2_Worker_Interface *worker;
  const cb_idisp_interface *display;
  char *uris[256];
  pthread_mutex_t uri_lock;
  LV2_URID_Map map;
  LV2_Worker_Schedule schedule;
  cb_idisp_queue_draw queue_draw;
  atomic_int draws;
  message *requests, *responses;
  int request_count, response_count;
  float controls[CB_PORT_COUNT];
  float left[BLOCK], right[BLOCK];
  LV2_Atom_Sequence *control, *notify;
} host;

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri) {
  host *h = handle;
  pthread_mutex_lock(&h->uri_lock);
  LV2_URID id = 0;
  for (LV2_URID i = 0; i < 256 && !id; ++i) {
    if (!h->uris[i])
      h->uris[i] = strdup(uri);
    if (!strcmp(h->uris[i], uri))
      id = i + 1;
  }
  pthread_mutex_unlock(&h->uri_lock);
  return id;
}

/* run() asks: queue it for after the block (the host's worker). */
static LV2_Worker_Status schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size,
                                       const void *data) {
  host *h = handle;
  if (h->request_count == QUEUE || size > MESSAGE_BYTES)
    return LV2_WORKER_ERR_NO_SPACE;
  h->requests[h->request_count].size = size;
  memcpy(h->requests[h->request_count++].data, data, size);
  return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status respond(LV2_Worker_Respond_Handle handle, uint32_t size,
                                 const void *data) {
  host *h = handle;
  if (h->response_count == QUEUE || size > MESSAGE_BYTES)
    return LV2_WORKER_ERR_NO_SPACE;
  h->responses[h->response_count].size = size;
  memcpy(h->responses[h->response_count++].data, data, size);
  return LV2_WORKER_SUCCESS;
}

static void queue_draw(void *handle) { atomic_fetch_add(&((host *)handle)->draws, 1); }

static void host_open(host *h) {
  memset(h, 0, sizeof *h);
  pthread_mutex_init(&h->uri_lock, NULL);
  h->map = (LV2_URID_Map){h, map_uri};
  h->schedule = (LV2_Worker_Schedule){h, schedule_work};
  h->queue_draw = (cb_idisp_queue_draw){h, queue_draw};
  h->requests = calloc(QUEUE, sizeof(message));
  h->responses = calloc(QUEUE, sizeof(message));
  h->world = lilv_world_new();
  char path[4096];
  const char *build = getenv("CB_BUILD") ? getenv("CB_BUILD") : "build";
  char *abs = realpath(build, NULL);
  ck_assert_ptr_nonnull(abs);
  snprintf(path, sizeof path, "%s/lv2/cyclebus.lv2/", abs);
  free(abs);
  LilvNode *bundle = lilv_new_file_uri(h->world, NULL, path);
  lilv_world_load_bundle(h->world, bundle);
  lilv_node_free(bundle);
  LilvNode *uri = lilv_new_uri(h->world, "urn:cyclebus:cyclebus");
  const LilvPlugin *plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(h->world), uri);
  lilv_node_free(uri);
  ck_assert_ptr_nonnull(plugin);

  LilvNode *feature = lilv_new_uri(h->world, CB_IDISP__queue_draw);
  LilvNodes *optional = lilv_plugin_get_optional_features(plugin);
  ck_assert(lilv_nodes_contains(optional, feature)); /* the TTL offers it */
  lilv_nodes_free(optional);
  lilv_node_free(feature);
  LilvNode *interface = lilv_new_uri(h->world, CB_IDISP__interface);
  ck_assert(lilv_plugin_has_extension_data(plugin, interface));
  lilv_node_free(interface);

  LV2_Feature map_feature = {LV2_URID__map, &h->map};
  LV2_Feature schedule_feature = {LV2_WORKER__schedule, &h->schedule};
  LV2_Feature draw_feature = {CB_IDISP__queue_draw, &h->queue_draw};
  const LV2_Feature *features[] = {&map_feature, &schedule_feature, &draw_feature, NULL};
  h->instance = lilv_plugin_instantiate(plugin, RATE, features);
  ck_assert_ptr_nonnull(h->instance);
  h->worker = lilv_instance_get_extension_data(h->instance, LV2_WORKER__interface);
  h->display = lilv_instance_get_extension_data(h->instance, CB_IDISP__interface);
  ck_assert_ptr_nonnull(h->display);

  float defaults[CB_PORT_COUNT];
  lilv_plugin_get_port_ranges_float(plugin, NULL, NULL, defaults);
  h->control = aligned_alloc(64, ATOM_BYTES);
  h->notify = aligned_alloc(64, ATOM_BYTES);
  for (uint32_t i = 0; i < CB_PORT_COUNT; ++i) {
    h->controls[i] = defaults[i];
    void *data = i == CB_PORT_CONTROL     ? (void *)h->control
                 : i == CB_PORT_NOTIFY    ? (void *)h->notify
                 : i == CB_PORT_OUT_LEFT  ? (void *)h->left
                 : i == CB_PORT_OUT_RIGHT ? (void *)h->right
                                          : (void *)&h->controls[i];
    lilv_instance_connect_port(h->instance, i, data);
  }
  lilv_instance_activate(h->instance);
}

/* One block, then the worker's requests and responses, as a host does. */
static void run_block(host *h) {
  h->control->atom.type = map_uri(h, LV2_ATOM__Sequence);
  h->control->atom.size = sizeof(LV2_Atom_Sequence_Body);
  h->control->body.unit = h->control->body.pad = 0;
  h->notify->atom.type = 0;
  h->notify->atom.size = ATOM_BYTES - sizeof(LV2_Atom);
#if RT_COUNTER_WORKS
  rt_counting = 1;
#endif
  lilv_instance_run(h->instance, BLOCK);
#if RT_COUNTER_WORKS
  rt_counting = 0;
#endif
  LV2_Handle handle = lilv_instance_get_handle(h->instance);
  for (int i = 0; i < h->request_count; ++i)
    h->worker->work(handle, respond, h, h->requests[i].size, h->requests[i].data);
  h->request_count = 0;
  for (int i = 0; i < h->response_count; ++i)
    h->worker->work_response(handle, h->responses[i].size, h->responses[i].data);
  h->response_count = 0;
}

static void host_close(host *h) {
  lilv_instance_deactivate(h->instance);
  lilv_instance_free(h->instance);
  lilv_world_free(h->world);
  for (int i = 0; i < 256; ++i)
    free(h->uris[i]);
  free(h->requests);
  free(h->responses);
  free(h->control);
  free(h->notify);
  pthread_mutex_destroy(&h->uri_lock);
}

static cb_idisp_surface *render(host *h, uint32_t width, uint32_t max_height) {
  return h->display->render(lilv_instance_get_handle(h->instance), width, max_height);
}

/* ---- image checks ------------------------------------------------------------------------- */

static int distinct_colours(const cb_idisp_surface *s) {
  uint32_t seen[64];
  int count = 0;
  for (int y = 0; y < s->height; ++y)
    for (int x = 0; x < s->width; ++x) {
      uint32_t c = ((const uint32_t *)(s->data + y * s->stride))[x] & 0xFFFFFF;
      bool known = false;
      for (int i = 0; i < count && !known; ++i)
        known = seen[i] == c;
      if (!known && count < 64)
        seen[count++] = c;
    }
  return count;
}

static int pixels_of(const cb_idisp_surface *s, uint32_t rgb) {
  int count = 0;
  for (int y = 0; y < s->height; ++y)
    for (int x = 0; x < s->width; ++x)
      count += (((const uint32_t *)(s->data + y * s->stride))[x] & 0xFFFFFF) == rgb;
  return count;
}

static bool opaque(const cb_idisp_surface *s) {
  for (int y = 0; y < s->height; ++y)
    for (int x = 0; x < s->width; ++x)
      if ((((const uint32_t *)(s->data + y * s->stride))[x] >> 24) != 0xFF)
        return false;
  return true;
}

static void save_png(const cb_idisp_surface *s, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", getenv("CB_BUILD") ? getenv("CB_BUILD") : "build", name);
  cairo_surface_t *image = cairo_image_surface_create_for_data(s->data, CAIRO_FORMAT_ARGB32,
                                                               s->width, s->height, s->stride);
  cairo_surface_write_to_png(image, path);
  cairo_surface_destroy(image);
}

#define D1_ORANGE 0xFF8C40 /* the first output line's colour */

START_TEST(render_draws_the_triggered_events_of_the_current_cycle) {
  host h;
  host_open(&h);
  cb_idisp_surface *empty = render(&h, 160, 80);
  ck_assert_ptr_nonnull(empty);
  ck_assert_int_eq(empty->width, 160);
  ck_assert_int_le(empty->height, 80);
  ck_assert_int_ge(empty->stride, 160 * 4);
  ck_assert_int_eq(pixels_of(empty, D1_ORANGE), 0); /* nothing played yet */
  for (int i = 0; i < (int)(1.6 * RATE / BLOCK); ++i)
    run_block(&h); /* 0.8 of a cycle */
  cb_idisp_surface *played = render(&h, 160, 80);
  ck_assert_ptr_nonnull(played);
  save_png(played, "inline_display.png");
  ck_assert(opaque(played));
  ck_assert_int_gt(pixels_of(played, D1_ORANGE), 20);
  ck_assert_int_ge(distinct_colours(played), 5); /* background, grid, rows, playhead */
  ck_assert_ptr_null(render(&h, 0, 80));         /* absurd sizes: no image, no crash */
  ck_assert_ptr_nonnull(render(&h, 40, 4));
  ck_assert_int_le(render(&h, 400, 30)->height, 30);
  host_close(&h);
}
END_TEST

START_TEST(redraw_requests_stay_under_thirty_a_second) {
  host h;
  host_open(&h);
  int seconds = 4;
  for (int i = 0; i < (int)(seconds * RATE / BLOCK); ++i)
    run_block(&h);
  int draws = atomic_load(&h.draws);
  ck_assert_int_gt(draws, seconds * 10); /* the playhead moves: it asks */
  ck_assert_int_le(draws, seconds * CB_IDISP_RATE + 1);
  host_close(&h);
}
END_TEST

START_TEST(run_neither_allocates_nor_locks_with_the_inline_display) {
#if RT_COUNTER_WORKS
  host h;
  host_open(&h);
  long before = rt_counter_calls();
  for (int i = 0; i < (int)(6 * RATE / BLOCK); ++i) {
    run_block(&h);
    if (i % 8 == 0)
      ck_assert_ptr_nonnull(render(&h, 120 + i % 64, 60)); /* sizes change: render reallocates */
  }
  ck_assert_int_eq(rt_counter_calls() - before, 0);
  ck_assert_int_eq(rt_counter_probe(), RT_COUNTER_PROBE_CALLS);
  host_close(&h);
#endif
}
END_TEST

typedef struct {
  host *h;
  atomic_bool stop;
  atomic_int renders;
  bool all_valid;
} render_thread;

static void *render_loop(void *arg) {
  render_thread *t = arg;
  t->all_valid = true;
  while (!atomic_load(&t->stop)) {
    cb_idisp_surface *s = render(t->h, 200, 50);
    t->all_valid = t->all_valid && s && s->width == 200 && s->height <= 50 && opaque(s);
    atomic_fetch_add(&t->renders, 1);
  }
  return NULL;
}

START_TEST(render_may_run_on_another_thread_while_run_plays) {
  host h;
  host_open(&h);
  render_thread t = {&h, false, 0, false};
  pthread_t thread;
  pthread_create(&thread, NULL, render_loop, &t);
  /* At least 4 s of audio, and on until the render thread has drawn 20
     times: on a loaded machine it may not be scheduled at first. The cap
     (an hour of audio) only ends a test that is failing anyway. */
  for (long i = 0; i < (long)(3600 * RATE / BLOCK); ++i) {
    run_block(&h);
    if (i >= (long)(4 * RATE / BLOCK) && atomic_load(&t.renders) >= 20)
      break;
  }
  atomic_store(&t.stop, true);
  pthread_join(thread, NULL);
  ck_assert_int_ge(atomic_load(&t.renders), 20);
  ck_assert(t.all_valid);
  host_close(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ui_inline");
  TCase *tc = tcase_create("inline_display");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, render_draws_the_triggered_events_of_the_current_cycle);
  tcase_add_test(tc, redraw_requests_stay_under_thirty_a_second);
  tcase_add_test(tc, run_neither_allocates_nor_locks_with_the_inline_display);
  tcase_add_test(tc, render_may_run_on_another_thread_while_run_plays);
  suite_add_tcase(s, tc);
  return check_run(s);
}
