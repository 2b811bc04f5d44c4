/* run()'s work per block is bounded, whatever the program and however many
   atom events split the block: the pattern queries of one block share one
   budget (the README's absurd programs drop and count what does not fit),
   while a dense but sane program loses nothing at any block size. Work is
   counted in query steps (stats.block_work_max), not timed: the timing is
   bench/bench_rtbudget's. */
#include "plugin_harness.h"

static const char *const absurd[][2] = {
    {"s ~x*100000", "~x $ saw # env 0.001 0.05\nd1 $ s \"~x*100000\"\n"},
    {"note c!1e12", "~x $ saw # env 0.001 0.05\nd1 $ s \"~x*16\" # note \"c!1e12\"\n"},
    {"s [~x*1000000]", "~x $ saw # env 0.001 0.05\nd1 $ s \"[~x*1000000]\"\n"},
    {"ply 1e9", "~x $ saw # env 0.001 0.05\nd1 $ ply 1e9 $ s \"~x*4\"\n"},
    {"fast 1e9", "~x $ saw # env 0.001 0.05\nd1 $ fast 1e9 $ s \"~x*4\"\n"},
};

static uint64_t block_budget(uint32_t frames) {
  return CB_BLOCK_WORK_BASE + (uint64_t)(frames * CB_BLOCK_WORK_PER_SECOND / RATE);
}

/* Plays `seconds` in blocks of `block`, each split by `splits` MIDI events
   the plugin ignores (a controller change): every split is one more query. */
static cb_stats play_split_as(const char *text, uint32_t block, uint32_t splits, double seconds,
                              bool freewheel) {
  cb_host *host = harness_host(true, 4096);
  ck_assert(cb_host_set_control(host, "freewheel", freewheel ? 1.0f : 0.0f));
  ck_assert_str_eq(harness_load(host, text), "");
  float *l = calloc(block, sizeof(float)), *r = calloc(block, sizeof(float));
  const uint8_t controller[3] = {0xB0, 1, 0};
  uint32_t blocks = (uint32_t)(seconds * RATE / block);
  for (uint32_t i = 0; i < blocks; ++i) {
    if (i == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    for (uint32_t k = 1; k <= splits; ++k)
      cb_host_send_midi(host, k * block / (splits + 1), controller, sizeof controller);
    cb_host_run(host, block, l, r);
  }
  cb_stats stats;
  cb_host_stats(host, &stats);
  free(l);
  free(r);
  cb_host_free(host);
  return stats;
}

static cb_stats play_split(const char *text, uint32_t block, uint32_t splits, double seconds) {
  return play_split_as(text, block, splits, seconds, false);
}

/* The budget is a bound, not a target: no block spends more than it, however
   its queries end (mapping what a walk found, the triggers' cost). */
START_TEST(an_absurd_program_does_bounded_work_in_every_block_however_split) {
  for (size_t i = 0; i < sizeof absurd / sizeof *absurd; ++i) {
    cb_stats stats = play_split(absurd[i][1], 256, 32, 1.0);
    ck_assert_msg(stats.block_work_max <= block_budget(256),
                  "%s: %llu steps in a block of 256 (budget %llu)", absurd[i][0],
                  (unsigned long long)stats.block_work_max, (unsigned long long)block_budget(256));
    ck_assert_msg(stats.dropped > 0, "%s: nothing dropped", absurd[i][0]);
  }
}
END_TEST

/* Freewheeling (an export) a block may do CB_FREEWHEEL_WORK times the work,
   and no more. */
START_TEST(freewheeling_an_absurd_program_does_bounded_work_in_every_block) {
  for (size_t i = 0; i < sizeof absurd / sizeof *absurd; ++i) {
    cb_stats stats = play_split_as(absurd[i][1], 256, 32, 1.0, true);
    ck_assert_msg(stats.block_work_max <= CB_FREEWHEEL_WORK * block_budget(256),
                  "%s: %llu steps in a block of 256 (budget %llu)", absurd[i][0],
                  (unsigned long long)stats.block_work_max,
                  (unsigned long long)(CB_FREEWHEEL_WORK * block_budget(256)));
    ck_assert_msg(stats.block_work_max > block_budget(256), "%s: no more work freewheeling",
                  absurd[i][0]);
    ck_assert_msg(stats.dropped > 0, "%s: nothing dropped", absurd[i][0]);
  }
}
END_TEST

/* 512 events a cycle, each with its own pitch and cutoff: far denser than
   music needs, and every one of them still plays, at any block size. */
START_TEST(a_dense_sane_program_drops_nothing_at_any_block_size) {
  const char *text = "bpm: 120\n~x $ saw # lpf 1500 # env 0.001 0.01\n"
                     "d1 $ s \"~x*512\" # note (irand 48 + 36) # lpf (range 200 8000 rand)\n";
  const uint32_t blocks[] = {16, 256, 4096};
  for (size_t i = 0; i < sizeof blocks / sizeof *blocks; ++i) {
    cb_stats stats = play_split(text, blocks[i], blocks[i] >= 256 ? 8 : 0, 4.0);
    ck_assert_msg(stats.dropped == 0, "block %u: %llu dropped", blocks[i],
                  (unsigned long long)stats.dropped);
    uint32_t frames = (uint32_t)(4.0 * RATE / blocks[i]) * blocks[i];
    ck_assert_uint_ge(stats.triggers, (uint64_t)frames * 512 / 96000); /* 512 every 2 s */
    ck_assert_uint_le(stats.block_work_max, block_budget(blocks[i]));
  }
}
END_TEST

/* A window of look-ahead too dense for one block's share of the budget is
   looked ahead in slices over several blocks: its events still find their
   buffers ready (here 256 new pitches in each half second). */
START_TEST(a_look_ahead_too_dense_for_one_block_is_spread_over_blocks) {
  const char *text = "bpm: 120\n~x $ saw # env 0.001 0.01\n"
                     "d1 $ s \"~x*1024\" # note (irand 48 + 36) # lpf (range 200 8000 rand)\n";
  cb_stats stats = play_split(text, 256, 0, 8.0);
  ck_assert_uint_eq(stats.dropped, 0);
  ck_assert_uint_ge(stats.requests, 1000);
  ck_assert_msg(stats.hits * 10 >= stats.requests * 9, "%llu hits of %llu",
                (unsigned long long)stats.hits, (unsigned long long)stats.requests);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rt_budget");
  TCase *tc = tcase_create("budget");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, an_absurd_program_does_bounded_work_in_every_block_however_split);
  tcase_add_test(tc, freewheeling_an_absurd_program_does_bounded_work_in_every_block);
  tcase_add_test(tc, a_dense_sane_program_drops_nothing_at_any_block_size);
  tcase_add_test(tc, a_look_ahead_too_dense_for_one_block_is_spread_over_blocks);
  suite_add_tcase(s, tc);
  return check_run(s);
}
