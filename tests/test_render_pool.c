/* The render pool driven as the worker drives it: thousands of small batches
   back to back, with 0 to 7 helpers, every buffer compared with a direct
   render. A watchdog (alarm) turns a deadlock into a failure instead of a
   hang. Run under ThreadSanitizer by CI (.ci/run) and under LeakSanitizer
   (the ASan build), which reports a buffer rendered twice as a leak. */
#include <check.h>

#include "check_run.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../plugin/presynth/render_pool.h"

#define VOICES 61    /* distinct voices the batches draw from */
#define MAX_BATCH 24 /* batch sizes are 0 .. MAX_BATCH */
#define BATCHES 4096 /* per helper count */
#define BURST 16     /* batches sent back to back, then checked */
#define WATCHDOG_SECONDS 120

static const int helper_counts[] = {0, 1, 3, 7};

static presynth_entry voices[VOICES];
static float *direct[VOICES]; /* each voice rendered on this thread alone */
/* Marks a buffer slot the pool must not write: past the batch's count, or in
   a batch that has returned. */
static float sentinel;

/* The watchdog: a batch that never returns fails the test (in Check's
   forked child, or the whole program with CK_FORK=no). */
static void watchdog_expired(int signal_number) {
  (void)signal_number;
  static const char message[] = "render pool: a batch did not return in time: deadlock\n";
  ssize_t written = write(STDERR_FILENO, message, sizeof message - 1);
  (void)written;
  _exit(1);
}

static void start_watchdog(void) {
  signal(SIGALRM, watchdog_expired);
  alarm(WATCHDOG_SECONDS);
}

/* A saw through a low-pass filter, with a different pitch, cutoff and length
   per voice, so a buffer swapped between entries shows. */
static void make_voices(void) {
  synth_bus bus;
  memset(&bus, 0, sizeof bus);
  bus.node_count = 2;
  bus.param_count = 3;
  bus.nodes[0].kind = SYNTH_SAW;
  bus.nodes[0].inputs[0] = (synth_input){SYNTH_FROM_PARAM, 0};
  bus.nodes[1].kind = SYNTH_LPF;
  bus.nodes[1].inputs[0] = (synth_input){SYNTH_FROM_NODE, 0};
  bus.nodes[1].inputs[1] = (synth_input){SYNTH_FROM_PARAM, 1};
  bus.nodes[1].inputs[2] = (synth_input){SYNTH_FROM_PARAM, 2};
  for (uint32_t i = 0; i < VOICES; ++i) {
    presynth_entry *e = &voices[i];
    memset(e, 0, sizeof *e);
    e->bus = bus;
    e->voice.sample_rate = 48000.0f;
    e->voice.total_frames = 16 + (i * 37) % 300;
    e->voice.gate_frames = e->voice.total_frames / 2;
    e->voice.params[0] = 55.0f + 13.0f * (float)i;
    e->voice.params[1] = 300.0f + 97.0f * (float)i;
    e->voice.params[2] = 0.707f;
    direct[i] = malloc(presynth_buffer_bytes(&e->voice));
    synth_state state;
    synth_start(&state, &e->bus, &e->voice);
    synth_render(&state, &e->bus, &e->voice, direct[i], e->voice.total_frames);
  }
}

static void free_voices(void) {
  for (uint32_t i = 0; i < VOICES; ++i)
    free(direct[i]);
}

/* The buffers of one batch: `count` rendered and right, the rest untouched. */
static void check_batch(float **buffers, const uint32_t *picked, uint32_t count, uint32_t batch) {
  for (uint32_t i = 0; i < count; ++i) {
    const presynth_entry *e = &voices[picked[i]];
    ck_assert_msg(buffers[i] != NULL && buffers[i] != &sentinel, "batch %u: buffer %u missing",
                  batch, i);
    ck_assert_msg(memcmp(buffers[i], direct[picked[i]], presynth_buffer_bytes(&e->voice)) == 0,
                  "batch %u: buffer %u differs from the direct render", batch, i);
  }
  for (uint32_t i = count; i <= MAX_BATCH; ++i)
    ck_assert_msg(buffers[i] == &sentinel, "batch %u: slot %u past the batch was written", batch,
                  i);
}

START_TEST(every_buffer_of_every_batch_is_rendered_and_right) {
  start_watchdog();
  int helpers = helper_counts[_i];
  presynth_pool *pool = presynth_pool_new(helpers);
  ck_assert_ptr_nonnull(pool);
  /* Batches come in bursts of BURST, back to back as the worker sends them,
     each with its own array (one slot past MAX_BATCH as a guard), checked
     after the burst: a late write into a finished batch shows there. */
  float *buffers[BURST][MAX_BATCH + 1];
  const presynth_entry *entries[BURST][MAX_BATCH];
  uint32_t picked[BURST][MAX_BATCH];
  uint32_t counts[BURST];
  uint32_t random = 12345;
  for (uint32_t burst = 0; burst < BATCHES / BURST; ++burst) {
    for (uint32_t b = 0; b < BURST; ++b) {
      random = random * 1664525u + 1013904223u;
      counts[b] = (random >> 16) % (MAX_BATCH + 1);
      uint32_t first = (random >> 8) % VOICES;
      for (uint32_t i = 0; i <= MAX_BATCH; ++i)
        buffers[b][i] = i < counts[b] ? NULL : &sentinel;
      for (uint32_t i = 0; i < counts[b]; ++i) {
        picked[b][i] = (first + i * 7) % VOICES;
        entries[b][i] = &voices[picked[b][i]];
      }
    }
    for (uint32_t b = 0; b < BURST; ++b)
      presynth_render_batch(pool, entries[b], buffers[b], counts[b]);
    for (uint32_t b = 0; b < BURST; ++b) {
      check_batch(buffers[b], picked[b], counts[b], burst * BURST + b);
      for (uint32_t i = 0; i < counts[b]; ++i)
        free(buffers[b][i]);
    }
  }
  presynth_pool_free(pool);
  alarm(0);
}
END_TEST

START_TEST(a_pool_freed_right_after_a_batch_stops_its_helpers) {
  start_watchdog();
  const presynth_entry *entries[MAX_BATCH];
  float *buffers[MAX_BATCH];
  for (uint32_t i = 0; i < MAX_BATCH; ++i)
    entries[i] = &voices[i];
  for (int round = 0; round < 200; ++round) {
    presynth_pool *pool = presynth_pool_new(1 + round % 7);
    ck_assert_ptr_nonnull(pool);
    uint32_t count = 2 + (uint32_t)round % (MAX_BATCH - 1);
    presynth_render_batch(pool, entries, buffers, count);
    presynth_pool_free(pool);
    for (uint32_t i = 0; i < count; ++i) {
      ck_assert(memcmp(buffers[i], direct[i], presynth_buffer_bytes(&voices[i].voice)) == 0);
      free(buffers[i]);
    }
  }
  alarm(0);
}
END_TEST

/* A buffer the cache let go of is reused, pages already mapped, by the next
   render of a voice its size (rendered right over its old contents); a voice
   much longer gets a buffer of its own. */
START_TEST(a_recycled_buffer_is_reused_for_a_voice_of_its_size) {
#ifdef __GLIBC__
  presynth_pool *pool = presynth_pool_new(0);
  const presynth_entry *small = &voices[0], *large = NULL; /* 16 frames */
  for (uint32_t i = 0; i < VOICES && !large; ++i)
    if (voices[i].voice.total_frames > 2 * small->voice.total_frames)
      large = &voices[i];
  ck_assert_ptr_nonnull(large);
  float *first = NULL, *again = NULL, *other = NULL;
  presynth_render_batch(pool, &small, &first, 1);
  ck_assert_ptr_nonnull(first);
  for (uint32_t f = 0; f < small->voice.total_frames; ++f)
    first[f] = 1e30f; /* what a reused buffer held must not show */
  ck_assert(presynth_pool_recycle(pool, first));
  presynth_render_batch(pool, &small, &again, 1);
  ck_assert_ptr_eq(again, first);
  ck_assert_mem_eq(again, direct[0], presynth_buffer_bytes(&small->voice));
  ck_assert(presynth_pool_recycle(pool, again));
  presynth_render_batch(pool, &large, &other, 1);
  ck_assert_ptr_ne(other, again);
  free(other);
  presynth_pool_free(pool); /* frees the spare */
#endif
}
END_TEST

static Suite *render_pool_suite(void) {
  Suite *s = suite_create("render_pool");
  TCase *tc = tcase_create("batches");
  tcase_add_checked_fixture(tc, make_voices, free_voices);
  tcase_set_timeout(tc, WATCHDOG_SECONDS + 60);
  tcase_add_loop_test(tc, every_buffer_of_every_batch_is_rendered_and_right, 0,
                      (int)(sizeof helper_counts / sizeof helper_counts[0]));
  tcase_add_test(tc, a_pool_freed_right_after_a_batch_stops_its_helpers);
  tcase_add_test(tc, a_recycled_buffer_is_reused_for_a_voice_of_its_size);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return check_run(render_pool_suite()); }
