/* The pre-synthesis cache: exact keys, pending/ready life cycle, reference
   counts, least-recently-used eviction under the memory cap, tombstones. */
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

static presynth_entry *request(presynth_cache *c, synth_voice v) {
  return presynth_insert_pending(c, &bus, &v, presynth_hash(&bus, &v));
}

static presynth_entry *lookup(presynth_cache *c, synth_voice v) {
  return presynth_find(c, &bus, &v, presynth_hash(&bus, &v));
}

static void setup(void) {
  memset(&bus, 0, sizeof bus);
  bus.node_count = 1;
}

START_TEST(a_key_is_found_only_with_equal_parameters) {
  presynth_cache c;
  ck_assert(presynth_cache_init(&c, 64, 1 << 20));
  ck_assert_ptr_nonnull(request(&c, voice_with(800, 100)));
  ck_assert_ptr_nonnull(lookup(&c, voice_with(800, 100)));
  ck_assert_ptr_null(lookup(&c, voice_with(801, 100)));
  ck_assert_ptr_null(lookup(&c, voice_with(800, 101)));
  synth_bus other = bus;
  other.nodes[0].kind = SYNTH_SQUARE;
  synth_voice v = voice_with(800, 100);
  ck_assert_ptr_null(presynth_find(&c, &other, &v, presynth_hash(&other, &v)));
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(a_request_becomes_ready_with_its_buffer) {
  presynth_cache c;
  ck_assert(presynth_cache_init(&c, 64, 1 << 20));
  presynth_entry *e = request(&c, voice_with(800, 100));
  ck_assert_int_eq(e->state, PRESYNTH_PENDING);
  float *samples = calloc(100, sizeof(float));
  presynth_complete(&c, presynth_index(&c, e), samples);
  ck_assert_int_eq(lookup(&c, voice_with(800, 100))->state, PRESYNTH_READY);
  ck_assert_ptr_eq(lookup(&c, voice_with(800, 100))->samples, samples);
  ck_assert_uint_eq(c.counters.renders, 1);
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(a_refused_request_is_forgotten_and_can_be_asked_again) {
  presynth_cache c;
  ck_assert(presynth_cache_init(&c, 64, 1 << 20));
  presynth_entry *e = request(&c, voice_with(800, 100));
  presynth_forget(&c, presynth_index(&c, e));
  ck_assert_ptr_null(lookup(&c, voice_with(800, 100)));
  ck_assert_uint_eq(c.counters.refused, 1);
  ck_assert_uint_eq(c.used, 0); /* the tombstone before an empty slot is cleared */
  ck_assert_ptr_nonnull(request(&c, voice_with(800, 100)));
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(eviction_takes_the_least_recently_used_unreferenced_buffer) {
  presynth_cache c;
  ck_assert(presynth_cache_init(&c, 64, 3 * 100 * sizeof(float)));
  presynth_entry *entries[4];
  for (int i = 0; i < 4; ++i) {
    c.block = (uint64_t)i;
    entries[i] = request(&c, voice_with(100.0f * (float)(i + 1), 100));
    presynth_complete(&c, presynth_index(&c, entries[i]), calloc(100, sizeof(float)));
  }
  c.block = 10;
  lookup(&c, voice_with(100, 100)); /* entry 0 used again: now the newest */
  entries[1]->refs = 1;             /* entry 1 is playing: never evicted */
  presynth_evict(&c);
  ck_assert_uint_eq(c.counters.evicted, 1);
  ck_assert_ptr_nonnull(lookup(&c, voice_with(100, 100)));
  ck_assert_ptr_nonnull(lookup(&c, voice_with(200, 100)));
  ck_assert_ptr_null(lookup(&c, voice_with(300, 100)));
  ck_assert_ptr_nonnull(lookup(&c, voice_with(400, 100)));
  ck_assert_uint_eq(c.retired_count, 1); /* its buffer waits for the worker to free it */
  ck_assert(c.bytes <= c.memory_cap);
  free(c.retired[0]);
  c.retired_count = 0;
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(a_full_table_drops_requests_and_counts_them) {
  presynth_cache c;
  ck_assert(presynth_cache_init(&c, 16, 1 << 20));
  int accepted = 0;
  for (int i = 0; i < 40; ++i)
    accepted += request(&c, voice_with((float)i, 10)) != NULL;
  ck_assert_int_eq(accepted, 12); /* three quarters of 16 */
  ck_assert_uint_eq(c.counters.dropped, 28);
  presynth_cache_destroy(&c);
}
END_TEST

START_TEST(many_inserts_and_removals_keep_the_table_usable) {
  presynth_cache c;
  ck_assert(presynth_cache_init(&c, 64, 1 << 20));
  for (int i = 0; i < 10000; ++i) {
    presynth_entry *e = request(&c, voice_with((float)i, 10));
    ck_assert_ptr_nonnull(e);
    presynth_forget(&c, presynth_index(&c, e));
  }
  ck_assert_uint_lt(c.used, 48);
  presynth_cache_destroy(&c);
}
END_TEST

int main(void) {
  Suite *s = suite_create("presynth");
  TCase *tc = tcase_create("cache");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, a_key_is_found_only_with_equal_parameters);
  tcase_add_test(tc, a_request_becomes_ready_with_its_buffer);
  tcase_add_test(tc, a_refused_request_is_forgotten_and_can_be_asked_again);
  tcase_add_test(tc, eviction_takes_the_least_recently_used_unreferenced_buffer);
  tcase_add_test(tc, a_full_table_drops_requests_and_counts_them);
  tcase_add_test(tc, many_inserts_and_removals_keep_the_table_usable);
  suite_add_tcase(s, tc);
  return check_run(s);
}
