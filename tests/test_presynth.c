/* The pre-synthesis cache through its presynth_* functions, with the worker
   played by the test: exact keys, the request / claim / answer life cycle,
   reference counts, least-recently-used eviction, the byte cap, lost and late
   answers, garbage before renders. No host needed. */
#include <check.h>

#include "check_run.h"
#include <stdlib.h>
#include <string.h>

#include "../plugin/presynth/presynth.h"

static synth_bus bus;

static synth_voice voice_with(float cutoff, uint32_t frames) {
  synth_voice v;
  memset(&v, 0, sizeof v);
  v.sample_rate = 48000.0f;
  v.gate_frames = frames / 2;
  v.total_frames = frames;
  v.params[0] = 440.0f;
  v.params[1] = cutoff;
  return v;
}

static void setup(void) {
  memset(&bus, 0, sizeof bus);
  bus.node_count = 1;
}

static void init(presynth_cache *c, uint32_t entries, size_t cap) {
  presynth_limits limits = {entries, cap, cap, 1000000, 0, 0};
  ck_assert(presynth_cache_init(c, &limits));
}

static presynth_request_status request(presynth_cache *c, synth_voice v) {
  return presynth_request(c, &bus, &v, 0);
}

static const float *trigger(presynth_cache *c, synth_voice v, uint32_t *ref) {
  return presynth_lookup_for_trigger(c, &bus, &v, ref);
}

/* The worker: claims and renders every job of a batch (zeros, by size). */
static void render_batch(presynth_cache *c, const presynth_batch *batch, float **buffers) {
  for (uint32_t i = 0; i < batch->count; ++i) {
    synth_bus b;
    synth_voice v;
    buffers[i] = presynth_claim(c, batch->jobs[i], &b, &v)
                     ? calloc(v.total_frames ? v.total_frames : 1, sizeof(float))
                     : NULL;
  }
}

/* Sends the batch, renders it and answers at once (a synchronous worker). */
static void round_trip(presynth_cache *c) {
  presynth_batch batch;
  float *buffers[PRESYNTH_BATCH_MAX];
  if (!presynth_take_batch(c, &batch))
    return;
  render_batch(c, &batch, buffers);
  for (uint32_t i = 0; i < batch.count; ++i)
    presynth_rendered(c, batch.jobs[i], buffers[i]);
}

static void free_garbage(presynth_cache *c) {
  float *const *buffers;
  uint32_t n;
  while ((n = presynth_garbage(c, &buffers, 7)) > 0) {
    for (uint32_t i = 0; i < n; ++i)
      free(buffers[i]);
    presynth_garbage_sent(c, n);
  }
}

START_TEST(a_key_is_found_only_with_equal_parameters) {
  presynth_cache c;
  init(&c, 64, 1 << 20);
  ck_assert_int_eq(request(&c, voice_with(800, 100)), PRESYNTH_QUEUED);
  ck_assert_int_eq(request(&c, voice_with(800, 100)), PRESYNTH_KNOWN);
  ck_assert_int_eq(request(&c, voice_with(801, 100)), PRESYNTH_QUEUED);
  ck_assert_int_eq(request(&c, voice_with(800, 101)), PRESYNTH_QUEUED);
  synth_bus other = bus;
  other.nodes[0].kind = SYNTH_SQUARE;
  synth_voice v = voice_with(800, 100);
  ck_assert_int_eq(presynth_request(&c, &other, &v, 0), PRESYNTH_QUEUED);
  ck_assert_uint_eq(c.batch.count, 4);
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(a_rendered_request_plays_with_a_reference_until_released) {
  presynth_cache c;
  init(&c, 64, 1 << 20);
  uint32_t ref;
  request(&c, voice_with(800, 100));
  ck_assert_uint_eq(presynth_pending(&c), 1);
  ck_assert_ptr_null(trigger(&c, voice_with(800, 100), &ref)); /* pending: plays live */
  round_trip(&c);
  ck_assert_uint_eq(presynth_pending(&c), 0);
  const float *samples = trigger(&c, voice_with(800, 100), &ref);
  ck_assert_ptr_nonnull(samples);
  ck_assert_ptr_eq(trigger(&c, voice_with(800, 100), &ref), samples);
  ck_assert_uint_eq(c.entries[ref].refs, 2);
  presynth_release(&c, ref);
  presynth_release(&c, ref);
  presynth_release(&c, ref); /* one too many: harmless */
  ck_assert_uint_eq(c.entries[ref].refs, 0);
  const presynth_counters *n = presynth_get_counters(&c);
  ck_assert_uint_eq(n->requests, 3);
  ck_assert_uint_eq(n->hits, 2);
  ck_assert_uint_eq(n->live_fallbacks, 1);
  ck_assert_uint_eq(n->scheduled, 1);
  ck_assert_uint_eq(n->renders, 1);
  ck_assert_uint_eq(presynth_bytes(&c), 100 * sizeof(float));
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(a_refused_batch_is_forgotten_and_can_be_asked_again) {
  presynth_cache c;
  init(&c, 64, 1 << 20);
  request(&c, voice_with(800, 100));
  presynth_batch batch;
  ck_assert(presynth_take_batch(&c, &batch));
  presynth_request_refused(&c, &batch);
  ck_assert_uint_eq(presynth_pending(&c), 0);
  ck_assert_uint_eq(presynth_get_counters(&c)->refused, 1);
  ck_assert_uint_eq(presynth_get_counters(&c)->scheduled, 0);
  ck_assert_uint_eq(presynth_bytes(&c), 0);
  ck_assert_uint_eq(c.used, 0); /* the tombstone before an empty slot is cleared */
  ck_assert_int_eq(request(&c, voice_with(800, 100)), PRESYNTH_QUEUED);
  presynth_cache_destroy(&c);
}
END_TEST

/* Four buffers of 100 frames under a cap of three: the fourth request evicts
   the least recently used one that no voice plays. */
START_TEST(eviction_takes_the_least_recently_used_unreferenced_buffer) {
  presynth_cache c;
  init(&c, 64, 3 * 100 * sizeof(float));
  for (int i = 0; i < 3; ++i) {
    c.frame = (uint64_t)i;
    ck_assert_int_eq(request(&c, voice_with(100.0f * (float)(i + 1), 100)), PRESYNTH_QUEUED);
    round_trip(&c);
  }
  c.frame = 10;
  uint32_t ref0, ref1;
  trigger(&c, voice_with(100, 100), &ref0); /* used again: now the newest */
  presynth_release(&c, ref0);
  trigger(&c, voice_with(200, 100), &ref1); /* playing: never evicted */
  ck_assert_int_eq(request(&c, voice_with(400, 100)), PRESYNTH_QUEUED);
  ck_assert_uint_eq(presynth_get_counters(&c)->evicted, 1);
  ck_assert_int_eq(request(&c, voice_with(100, 100)), PRESYNTH_KNOWN);
  ck_assert_int_eq(request(&c, voice_with(200, 100)), PRESYNTH_KNOWN);
  ck_assert_uint_eq(c.garbage_count, 1); /* 300's buffer waits for the worker */
  ck_assert(presynth_bytes(&c) <= 3 * 100 * sizeof(float));
  /* Garbage goes to the worker before the batch that needs its room. */
  presynth_batch batch;
  ck_assert(!presynth_take_batch(&c, &batch));
  free_garbage(&c);
  round_trip(&c);
  ck_assert_int_eq(request(&c, voice_with(300, 100)), PRESYNTH_QUEUED); /* evicted: asked again */
  presynth_release(&c, ref1);
  round_trip(&c);
  free_garbage(&c);
  presynth_cache_destroy(&c);
}
END_TEST

/* Look-ahead: a buffer requested for an onset still to come is kept over one
   that has played, though the played one was used more recently. */
START_TEST(a_buffer_waiting_for_its_onset_outlives_one_that_played) {
  presynth_cache c;
  init(&c, 64, 2 * 100 * sizeof(float));
  synth_voice later = voice_with(100, 100), soon = voice_with(200, 100);
  ck_assert_int_eq(presynth_request(&c, &bus, &later, 48000), PRESYNTH_QUEUED);
  ck_assert_int_eq(presynth_request(&c, &bus, &soon, 0), PRESYNTH_QUEUED);
  round_trip(&c);
  presynth_end_block(&c, 256);
  uint32_t ref;
  ck_assert_ptr_nonnull(trigger(&c, soon, &ref)); /* plays, ends */
  presynth_release(&c, ref);
  presynth_end_block(&c, 256);
  synth_voice next = voice_with(300, 100);
  ck_assert_int_eq(presynth_request(&c, &bus, &next, 100), PRESYNTH_QUEUED);
  ck_assert_uint_eq(presynth_get_counters(&c)->evicted, 1);
  ck_assert_ptr_null(trigger(&c, soon, &ref));
  ck_assert_ptr_nonnull(trigger(&c, later, &ref));
  presynth_release(&c, ref);
  free_garbage(&c);
  round_trip(&c);
  presynth_cache_destroy(&c);
}
END_TEST

enum { SIM_BLOCK = 256, SIM_FRAMES = 1000 };
#define NOTE_BYTES (SIM_FRAMES * sizeof(float))

/* Plays `blocks` blocks through the cache as run() and a synchronous worker
   do: the look-ahead asks for the notes two blocks ahead (a new one when
   `unique`, and one of `period` that repeat), the worker renders them, the
   block's notes play and last one block. Every note must hit and, after the
   first `period` blocks, the cache hold at most `bound` bytes. */
static void play_blocks(presynth_cache *c, uint32_t blocks, uint32_t period, bool unique,
                        size_t bound) {
  uint32_t playing[2] = {0, 0}, playing_count = 0;
  uint64_t hits = presynth_get_counters(c)->hits, triggers = 0;
  for (uint32_t k = 0; k < blocks; ++k) {
    synth_voice ahead[2] = {voice_with(100.0f + (float)((k + 2) % period), SIM_FRAMES),
                            voice_with(10000.0f + (float)(k + 2), SIM_FRAMES)};
    for (int i = 0; i < (unique ? 2 : 1); ++i)
      presynth_request(c, &bus, &ahead[i], 2 * SIM_BLOCK);
    round_trip(c);
    for (uint32_t i = 0; i < playing_count; ++i)
      presynth_release(c, playing[i]); /* last block's notes end */
    playing_count = 0;
    if (k >= 2) {
      synth_voice now[2] = {voice_with(100.0f + (float)(k % period), SIM_FRAMES),
                            voice_with(10000.0f + (float)k, SIM_FRAMES)};
      for (playing_count = 0; playing_count < (unique ? 2u : 1u); ++playing_count)
        ck_assert_ptr_nonnull(
            presynth_lookup_for_trigger(c, &bus, &now[playing_count], &playing[playing_count]));
      triggers += playing_count;
    }
    presynth_end_block(c, SIM_BLOCK);
    free_garbage(c);
    if (k > period)
      ck_assert_uint_le(presynth_bytes(c), bound);
  }
  ck_assert_uint_eq(presynth_get_counters(c)->hits - hits, triggers);
}

/* The soft target: notes that never repeat are let go once played, so the
   cache holds the look-ahead, what plays and the notes that repeat, not
   every note it ever rendered (before: 2000 notes, 8 MB); the repeating
   ones keep hitting without being rendered again and again. */
START_TEST(played_unique_notes_go_above_the_soft_target_and_repeating_ones_stay) {
  enum { PERIOD = 8, BLOCKS = 2000 };
  const size_t target = 64 * NOTE_BYTES;
  presynth_cache c;
  presynth_limits limits = {2048, 64 << 20, 64 << 20, 1u << 30, target, target};
  ck_assert(presynth_cache_init(&c, &limits));
  /* beyond the target: the notes awaited and those of the block */
  play_blocks(&c, BLOCKS, PERIOD, true, target + 6 * NOTE_BYTES);
  /* each repeating note rendered once, or twice when it was let go before
     it came back (it is kept from then on) */
  ck_assert_uint_le(presynth_get_counters(&c)->renders, BLOCKS + 2 * PERIOD);
  ck_assert_uint_le(c.reused_bytes, target);
  presynth_cache_destroy(&c);
}
END_TEST

/* A repeating program larger than the soft target: its notes go after their
   first play, come back (remembered as let go), and from then on stay, up
   to the reuse target: each is rendered twice, not once a period. */
START_TEST(a_repeating_set_within_the_reuse_target_is_kept_after_it_comes_back) {
  enum { PERIOD = 64, PERIODS = 8 };
  presynth_cache c;
  presynth_limits limits = {2048, 64 << 20, 64 << 20, 1u << 30, 16 * NOTE_BYTES, 128 * NOTE_BYTES};
  ck_assert(presynth_cache_init(&c, &limits));
  play_blocks(&c, PERIOD * PERIODS, PERIOD, false, (PERIOD + 4) * NOTE_BYTES);
  /* (a few three times: the memory of what was let go keeps one hash a
     place, and another key's may take it) */
  ck_assert_uint_le(presynth_get_counters(&c)->renders, 2 * PERIOD + PERIOD / 8);
  ck_assert_uint_eq(c.reused_bytes, PERIOD * NOTE_BYTES);
  presynth_cache_destroy(&c);
}
END_TEST

/* A render answered after its onset (the note played live) is of no use
   to that note: above the soft target it goes at the next block's end, as
   one that played (before, it stayed until the cap: hits 0 of 30720 and
   220 MB resident for bench_memory's dense 2 s notes, now 47 MB). */
START_TEST(a_render_answered_after_its_onset_goes_above_the_soft_target) {
  presynth_cache c;
  presynth_limits limits = {64, 1 << 20, 1 << 20, 1u << 30, 1, 1 << 20};
  ck_assert(presynth_cache_init(&c, &limits));
  synth_voice v = voice_with(100, 100);
  ck_assert_int_eq(presynth_request(&c, &bus, &v, 10), PRESYNTH_QUEUED);
  presynth_batch batch;
  float *buffers[PRESYNTH_BATCH_MAX];
  ck_assert(presynth_take_batch(&c, &batch));
  render_batch(&c, &batch, buffers); /* claimed before the onset */
  presynth_end_block(&c, 256);       /* the onset passes: the note plays live */
  presynth_rendered(&c, batch.jobs[0], buffers[0]);
  ck_assert_uint_eq(presynth_bytes(&c), 100 * sizeof(float));
  presynth_end_block(&c, 256);
  ck_assert_uint_eq(presynth_bytes(&c), 0);
  ck_assert_uint_eq(presynth_get_counters(&c)->evicted, 1);
  free_garbage(&c);
  presynth_cache_destroy(&c);
}
END_TEST

/* Entries share their bus graph: at most PRESYNTH_BUSES graphs in use at
   once (a request for one more is not made), and a graph no entry uses
   any longer gives its place to another. */
START_TEST(bus_graphs_are_shared_and_bounded) {
  presynth_cache c;
  init(&c, 4096, 64 << 20);
  synth_voice v = voice_with(100, 10);
  for (uint32_t i = 0; i < 2 * PRESYNTH_BUSES; ++i) {
    synth_voice note = voice_with(100.0f + (float)i, 10); /* many notes, one graph */
    ck_assert_int_eq(presynth_request(&c, &bus, &note, 0), PRESYNTH_QUEUED);
    if (c.batch.count == PRESYNTH_BATCH_MAX)
      round_trip(&c);
  }
  round_trip(&c);
  synth_bus other = bus;
  for (uint32_t i = 1; i < PRESYNTH_BUSES; ++i) {
    other.nodes[0].kind = (uint8_t)(i & 0xff);
    other.nodes[1].kind = (uint8_t)(i >> 8);
    ck_assert_int_eq(presynth_request(&c, &other, &v, 0), PRESYNTH_QUEUED);
    if (c.batch.count == PRESYNTH_BATCH_MAX)
      round_trip(&c);
  }
  other.nodes[1].kind = 0xff; /* one graph too many */
  ck_assert_int_eq(presynth_request(&c, &other, &v, 0), PRESYNTH_TABLE_FULL);
  ck_assert_uint_eq(presynth_get_counters(&c)->dropped, 1);
  /* the batch refused: its graphs are no longer used, the new one fits */
  presynth_batch batch;
  ck_assert(presynth_take_batch(&c, &batch));
  presynth_request_refused(&c, &batch);
  ck_assert_int_eq(presynth_request(&c, &other, &v, 0), PRESYNTH_QUEUED);
  round_trip(&c);
  uint32_t ref;
  ck_assert_ptr_nonnull(trigger(&c, voice_with(101, 10), &ref)); /* the shared graph's */
  ck_assert_ptr_nonnull(presynth_lookup_for_trigger(&c, &other, &v, &ref));
  free_garbage(&c);
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(requests_beyond_the_cap_or_too_long_are_not_made) {
  presynth_cache c;
  presynth_limits limits = {64, 1000 * sizeof(float), 400 * sizeof(float), 1000000, 0, 0};
  ck_assert(presynth_cache_init(&c, &limits));
  ck_assert_int_eq(request(&c, voice_with(1, 401)), PRESYNTH_TOO_LONG);
  ck_assert_int_eq(request(&c, voice_with(2, 400)), PRESYNTH_QUEUED);
  ck_assert_int_eq(request(&c, voice_with(3, 400)), PRESYNTH_QUEUED);
  /* Pending renders count: nothing READY to evict, so no room. */
  ck_assert_int_eq(request(&c, voice_with(4, 400)), PRESYNTH_OVER_CAP);
  ck_assert_int_eq(request(&c, voice_with(5, 200)), PRESYNTH_QUEUED);
  ck_assert_uint_eq(presynth_bytes(&c), 1000 * sizeof(float));
  const presynth_counters *n = presynth_get_counters(&c);
  ck_assert_uint_eq(n->too_long, 1);
  ck_assert_uint_eq(n->over_cap, 1);
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(a_full_table_drops_requests_and_counts_them) {
  presynth_cache c;
  init(&c, 16, 1 << 20);
  int accepted = 0;
  for (int i = 0; i < 40; ++i) {
    presynth_request_status s = request(&c, voice_with((float)i, 10));
    accepted += s == PRESYNTH_QUEUED;
  }
  ck_assert_int_eq(accepted, 12); /* three quarters of 16 */
  ck_assert_uint_eq(presynth_get_counters(&c)->dropped, 28);
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(many_requests_and_refusals_keep_the_table_usable) {
  presynth_cache c;
  init(&c, 64, 1 << 20);
  for (int i = 0; i < 10000; ++i) {
    ck_assert_int_eq(request(&c, voice_with((float)i, 10)), PRESYNTH_QUEUED);
    presynth_batch batch;
    ck_assert(presynth_take_batch(&c, &batch));
    presynth_request_refused(&c, &batch);
  }
  ck_assert_uint_lt(c.used, 48);
  presynth_cache_destroy(&c);
}
END_TEST

/* The worker rendered but could not deliver its answer: the entry leaves the
   table at the next block and the key can be asked again. */
START_TEST(an_entry_whose_answer_is_lost_is_reclaimed) {
  presynth_cache c;
  init(&c, 64, 1 << 20);
  request(&c, voice_with(800, 100));
  presynth_batch batch;
  ck_assert(presynth_take_batch(&c, &batch));
  float *buffers[PRESYNTH_BATCH_MAX];
  render_batch(&c, &batch, buffers);
  presynth_answer_lost(&c, batch.jobs[0]);
  free(buffers[0]);
  presynth_end_block(&c, 64);
  ck_assert_uint_eq(presynth_get_counters(&c)->reclaimed, 1);
  ck_assert_uint_eq(presynth_bytes(&c), 0);
  ck_assert_int_eq(request(&c, voice_with(800, 100)), PRESYNTH_QUEUED);
  presynth_cache_destroy(&c);
}
END_TEST

/* A request the worker never answers is taken back after the bound; the
   worker, if it ever gets to the job, finds it gone; an answer that comes
   after the slot holds another key is freed, never installed there. */
START_TEST(an_unanswered_request_is_reclaimed_and_a_late_answer_is_freed) {
  presynth_cache c;
  presynth_limits limits = {16, 1 << 20, 1 << 20, 1000, 0, 0};
  ck_assert(presynth_cache_init(&c, &limits));
  request(&c, voice_with(800, 100));
  request(&c, voice_with(900, 100));
  presynth_batch batch;
  ck_assert(presynth_take_batch(&c, &batch));
  synth_bus b;
  synth_voice v;
  ck_assert(presynth_claim(&c, batch.jobs[1], &b, &v)); /* the worker takes the second job */
  float *late = calloc(100, sizeof(float));
  for (int i = 0; i < 20; ++i)
    presynth_end_block(&c, 64);
  ck_assert_uint_eq(presynth_get_counters(&c)->reclaimed, 2);
  ck_assert_uint_eq(presynth_pending(&c), 0);
  ck_assert_uint_eq(presynth_bytes(&c), 0);
  ck_assert(!presynth_claim(&c, batch.jobs[0], &b, &v)); /* taken back: not rendered */
  /* The slots are reused by new keys before the late answer arrives. */
  for (float f = 1; f < 12; ++f)
    request(&c, voice_with(f, 100));
  presynth_rendered(&c, batch.jobs[0], NULL);
  presynth_rendered(&c, batch.jobs[1], late);
  ck_assert_uint_eq(c.garbage_count, 1);
  ck_assert_ptr_eq(c.garbage[0], late);
  ck_assert_uint_eq(presynth_get_counters(&c)->renders, 0);
  uint32_t ref;
  for (float f = 1; f < 12; ++f)
    ck_assert_ptr_null(trigger(&c, voice_with(f, 100), &ref));
  free_garbage(&c);
  presynth_cache_destroy(&c);
}
END_TEST

/* A worker that fell behind skips a job whose onset has passed: nothing is
   rendered, the entry leaves the table, the key can be asked again. */
START_TEST(a_job_whose_onset_has_passed_is_not_rendered) {
  presynth_cache c;
  init(&c, 64, 1 << 20);
  synth_voice soon = voice_with(800, 100), later = voice_with(900, 100);
  presynth_request(&c, &bus, &soon, 100);
  presynth_request(&c, &bus, &later, 1000);
  presynth_batch batch;
  ck_assert(presynth_take_batch(&c, &batch));
  presynth_end_block(&c, 256); /* the worker gets to the jobs only now */
  synth_bus b;
  synth_voice v;
  ck_assert(!presynth_claim(&c, batch.jobs[0], &b, &v));
  ck_assert(presynth_claim(&c, batch.jobs[1], &b, &v));
  presynth_rendered(&c, batch.jobs[0], NULL);
  presynth_rendered(&c, batch.jobs[1], calloc(100, sizeof(float)));
  ck_assert_uint_eq(presynth_get_counters(&c)->renders, 1);
  ck_assert_uint_eq(presynth_bytes(&c), 100 * sizeof(float));
  ck_assert_int_eq(request(&c, soon), PRESYNTH_QUEUED);
  ck_assert_int_eq(request(&c, later), PRESYNTH_KNOWN);
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(garbage_the_list_cannot_hold_is_counted) {
  presynth_cache c;
  init(&c, 16, 1 << 20);
  request(&c, voice_with(800, 100));
  presynth_batch batch;
  ck_assert(presynth_take_batch(&c, &batch));
  /* Answers to a job that is not pending, more than the list holds. */
  presynth_job stale = {batch.jobs[0].index, batch.jobs[0].ticket + 1};
  static float buffers[40][4];
  for (int i = 0; i < 40; ++i)
    presynth_rendered(&c, stale, buffers[i]);
  ck_assert_uint_eq(c.garbage_count, 16);
  ck_assert_uint_eq(presynth_get_counters(&c)->leaked, 24);
  presynth_garbage_sent(&c, 16); /* static buffers: not freed */
  presynth_cache_destroy(&c);
}
END_TEST

/* The worst stream the test can make: distinct keys of every length up to
   the longest allowed, voices holding buffers, a host that refuses messages,
   a worker that lags, loses answers and answers jobs taken back. Every buffer
   the simulated worker allocates is counted until it is freed: together they
   never exceed the cap. */
#define SIM_CAP ((size_t)64 << 10)
#define SIM_MAX_BUFFERS 4096
#define SIM_QUEUE 64

typedef struct {
  float *pointer;
  size_t bytes;
} sim_buffer;

typedef struct {
  bool is_batch;
  presynth_batch batch;
  uint32_t count;
  float *buffers[PRESYNTH_BATCH_MAX];
} sim_message;

typedef struct {
  sim_buffer alive[SIM_MAX_BUFFERS];
  uint32_t alive_count;
  size_t alive_bytes, peak_bytes;
  sim_message requests[SIM_QUEUE], answers[SIM_QUEUE];
  uint32_t request_head, request_count, answer_head, answer_count;
  uint32_t refs[256];
  uint32_t ref_count;
  uint64_t rng;
} sim_world;

static uint32_t sim_random(sim_world *w, uint32_t n) {
  w->rng = w->rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(w->rng >> 33) % n;
}

static float *sim_alloc(sim_world *w, size_t bytes) {
  ck_assert_uint_lt(w->alive_count, SIM_MAX_BUFFERS);
  float *p = malloc(bytes);
  w->alive[w->alive_count++] = (sim_buffer){p, bytes};
  w->alive_bytes += bytes;
  if (w->alive_bytes > w->peak_bytes)
    w->peak_bytes = w->alive_bytes;
  ck_assert_msg(w->alive_bytes <= SIM_CAP, "%zu bytes alive, cap %zu", w->alive_bytes, SIM_CAP);
  return p;
}

static void sim_free(sim_world *w, float *p) {
  if (!p)
    return;
  for (uint32_t i = 0; i < w->alive_count; ++i) {
    if (w->alive[i].pointer == p) {
      w->alive_bytes -= w->alive[i].bytes;
      w->alive[i] = w->alive[--w->alive_count];
      free(p);
      return;
    }
  }
  ck_abort_msg("freed a buffer that is not alive");
}

/* schedule_work: false when the host refuses (full queue, or at random). */
static bool sim_schedule(sim_world *w, const sim_message *m) {
  if (w->request_count == SIM_QUEUE || sim_random(w, 8) == 0)
    return false;
  w->requests[(w->request_head + w->request_count++) % SIM_QUEUE] = *m;
  return true;
}

/* run()'s glue, in its order: garbage, then the batch. */
static void sim_send(sim_world *w, presynth_cache *c) {
  float *const *buffers;
  uint32_t n;
  while ((n = presynth_garbage(c, &buffers, 1 + sim_random(w, 40))) > 0) {
    sim_message m = {.is_batch = false, .count = n};
    memcpy(m.buffers, buffers, n * sizeof *buffers);
    if (!sim_schedule(w, &m))
      break;
    presynth_garbage_sent(c, n);
  }
  sim_message m = {.is_batch = true};
  if (presynth_take_batch(c, &m.batch) && !sim_schedule(w, &m))
    presynth_request_refused(c, &m.batch);
}

/* work(): one message, in order. */
static void sim_work(sim_world *w, presynth_cache *c) {
  if (w->request_count == 0)
    return;
  sim_message *m = &w->requests[w->request_head];
  w->request_head = (w->request_head + 1) % SIM_QUEUE;
  w->request_count--;
  if (!m->is_batch) {
    for (uint32_t i = 0; i < m->count; ++i)
      sim_free(w, m->buffers[i]);
    return;
  }
  sim_message answer = *m;
  for (uint32_t i = 0; i < m->batch.count; ++i) {
    synth_bus b;
    synth_voice v;
    answer.buffers[i] = presynth_claim(c, m->batch.jobs[i], &b, &v)
                            ? sim_alloc(w, presynth_buffer_bytes(&v))
                            : NULL;
  }
  if (w->answer_count == SIM_QUEUE || sim_random(w, 10) == 0) { /* respond() failed */
    for (uint32_t i = 0; i < m->batch.count; ++i) {
      presynth_answer_lost(c, m->batch.jobs[i]);
      sim_free(w, answer.buffers[i]);
    }
    return;
  }
  w->answers[(w->answer_head + w->answer_count++) % SIM_QUEUE] = answer;
}

/* work_response(): one answer, in order. */
static void sim_deliver(sim_world *w, presynth_cache *c) {
  if (w->answer_count == 0)
    return;
  sim_message *m = &w->answers[w->answer_head];
  w->answer_head = (w->answer_head + 1) % SIM_QUEUE;
  w->answer_count--;
  for (uint32_t i = 0; i < m->batch.count; ++i)
    presynth_rendered(c, m->batch.jobs[i], m->buffers[i]);
}

/* Keys: 200 cutoffs times 16 lengths up to the longest allowed, and now and
   then one too long. */
static synth_voice sim_voice(sim_world *w, uint32_t max_frames) {
  uint32_t frames = (1 + sim_random(w, 16)) * (max_frames / 16);
  if (sim_random(w, 50) == 0)
    frames = max_frames + 1;
  return voice_with((float)sim_random(w, 200), frames);
}

static void sim_step(sim_world *w, presynth_cache *c, uint32_t max_frames) {
  switch (sim_random(w, 8)) {
  case 0:
  case 1: /* look-ahead: a burst of requests, every length, few repeats */
    for (uint32_t n = sim_random(w, 120); n > 0; --n) {
      synth_voice v = sim_voice(w, max_frames);
      if (presynth_request(c, &bus, &v, sim_random(w, 8 * 256)) == PRESYNTH_BATCH_FULL)
        sim_send(w, c);
    }
    break;
  case 2: /* onsets: voices take references */
    for (uint32_t n = sim_random(w, 20); n > 0 && w->ref_count < 256; --n) {
      synth_voice v = sim_voice(w, max_frames);
      uint32_t ref;
      if (trigger(c, v, &ref))
        w->refs[w->ref_count++] = ref;
    }
    break;
  case 3: /* voices end */
    for (uint32_t n = sim_random(w, 20); n > 0 && w->ref_count > 0; --n) {
      uint32_t i = sim_random(w, w->ref_count);
      presynth_release(c, w->refs[i]);
      w->refs[i] = w->refs[--w->ref_count];
    }
    break;
  case 4:
    sim_work(w, c);
    break;
  case 5:
    sim_deliver(w, c);
    break;
  default: /* end of a block */
    sim_send(w, c);
    presynth_end_block(c, 256);
    break;
  }
  ck_assert_uint_le(presynth_bytes(c), SIM_CAP);
  ck_assert_uint_le(w->alive_bytes, SIM_CAP);
}

START_TEST(buffers_alive_never_exceed_the_cap) {
  static sim_world world;
  sim_world *w = &world;
  memset(w, 0, sizeof *w);
  w->rng = (uint64_t)_i * 7919 + 1;
  presynth_cache c;
  uint32_t max_frames = (uint32_t)(SIM_CAP / sizeof(float) / 4);
  presynth_limits limits = {512, SIM_CAP, max_frames * sizeof(float), 1u << 30, 0, 0};
  ck_assert(presynth_cache_init(&c, &limits));
  for (int step = 0; step < 6000; ++step)
    sim_step(w, &c, max_frames);
  /* Drain: voices end, the worker and the host catch up. */
  while (w->ref_count > 0)
    presynth_release(&c, w->refs[--w->ref_count]);
  for (int i = 0; i < 200; ++i) {
    sim_send(w, &c);
    sim_work(w, &c);
    sim_deliver(w, &c);
    presynth_end_block(&c, 256);
  }
  const presynth_counters *n = presynth_get_counters(&c);
  ck_assert_uint_gt(n->renders, 100);
  ck_assert_uint_gt(n->evicted, 100);
  ck_assert_uint_gt(n->over_cap, 0);
  ck_assert_uint_gt(n->refused, 0);
  ck_assert_uint_gt(n->reclaimed, 0);
  ck_assert_uint_eq(n->leaked, 0);
  ck_assert_uint_gt(w->peak_bytes, SIM_CAP / 2); /* the cap was really pressed */
  /* Nothing is lost: every live buffer is the cache's or its garbage's. */
  size_t held = 0;
  for (uint32_t i = 0; i < c.capacity; ++i)
    if (c.entries[i].state == PRESYNTH_READY)
      held += c.entries[i].bytes;
  ck_assert_uint_eq(c.garbage_count, 0);
  ck_assert_uint_eq(held, w->alive_bytes);
  presynth_cache_destroy(&c);
}
END_TEST

int main(void) {
  Suite *s = suite_create("presynth");
  TCase *tc = tcase_create("cache");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, a_key_is_found_only_with_equal_parameters);
  tcase_add_test(tc, a_rendered_request_plays_with_a_reference_until_released);
  tcase_add_test(tc, a_refused_batch_is_forgotten_and_can_be_asked_again);
  tcase_add_test(tc, eviction_takes_the_least_recently_used_unreferenced_buffer);
  tcase_add_test(tc, a_buffer_waiting_for_its_onset_outlives_one_that_played);
  tcase_add_test(tc, played_unique_notes_go_above_the_soft_target_and_repeating_ones_stay);
  tcase_add_test(tc, a_repeating_set_within_the_reuse_target_is_kept_after_it_comes_back);
  tcase_add_test(tc, bus_graphs_are_shared_and_bounded);
  tcase_add_test(tc, a_render_answered_after_its_onset_goes_above_the_soft_target);
  tcase_add_test(tc, requests_beyond_the_cap_or_too_long_are_not_made);
  tcase_add_test(tc, a_full_table_drops_requests_and_counts_them);
  tcase_add_test(tc, many_requests_and_refusals_keep_the_table_usable);
  tcase_add_test(tc, an_entry_whose_answer_is_lost_is_reclaimed);
  tcase_add_test(tc, an_unanswered_request_is_reclaimed_and_a_late_answer_is_freed);
  tcase_add_test(tc, a_job_whose_onset_has_passed_is_not_rendered);
  tcase_add_test(tc, garbage_the_list_cannot_hold_is_counted);
  tcase_add_loop_test(tc, buffers_alive_never_exceed_the_cap, 0, 8);
  suite_add_tcase(s, tc);
  return check_run(s);
}
