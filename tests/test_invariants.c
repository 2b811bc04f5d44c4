/* The pre-synthesis invariants: the output is bit-identical with and without
   pre-synthesis, with a threaded or synchronous worker, and for any block
   size; after the first cycle q.cb's triggers are cache hits; equal requests
   are rendered once; automation keeps the output equal to a live render. */
#include "plugin_harness.h"

#define CYCLE 96000
#define CYCLES 4

static float *render_text(render_mode mode, uint32_t block, const char *text) {
  cb_stats stats;
  float *out = harness_render_mode(mode, text, CYCLES * CYCLE, block, &stats);
  if (mode == PRESYNTH_SYNC)
    ck_assert_uint_gt(stats.hits, 0);
  if (mode == LIVE_ONLY)
    ck_assert_uint_eq(stats.hits, 0);
  return out;
}

static float *render_q(render_mode mode, uint32_t block) {
  char *text = harness_read("examples/q.cb");
  float *out = render_text(mode, block, text);
  free(text);
  return out;
}

static void assert_identical(const float *a, const float *b, const char *what) {
  harness_assert_identical(a, b, CYCLES * CYCLE, what);
}

START_TEST(presynthesis_threaded_sync_and_live_give_the_same_bits) {
  float *sync = render_q(PRESYNTH_SYNC, 256);
  float *threaded = render_q(PRESYNTH_THREADED, 256);
  float *live = render_q(LIVE_ONLY, 256);
  assert_identical(sync, live, "pre-synthesis vs live");
  assert_identical(sync, threaded, "synchronous vs threaded worker");
  free(sync);
  free(threaded);
  free(live);
}
END_TEST

START_TEST(any_block_size_gives_the_same_bits) {
  const uint32_t blocks[] = {1, 37, 64, 1000, 4096};
  float *reference = render_q(PRESYNTH_SYNC, 256);
  for (size_t i = 0; i < sizeof blocks / sizeof *blocks; ++i) {
    float *out = render_q(PRESYNTH_SYNC, blocks[i]);
    char what[64];
    snprintf(what, sizeof what, "block %u vs 256", blocks[i]);
    assert_identical(reference, out, what);
    free(out);
  }
  free(reference);
}
END_TEST

/* Every per-voice effect and a filter envelope, some patterned, some LFOs. */
static const char effects_program[] =
    "bpm: 120\n"
    "~a $ saw # lpf 600 4 # lpenv 3 # lpdecay 0.2 # shape (sine 3 * 0.3 + 0.4) # crush 6\n"
    "~b $ square # vowel \"<a o>\" # coarse 3 # ring 0.7 200 300 # djf (sine 1 * 0.4 + 0.5)\n"
    "d1 $ s \"~a(5,8)\" # note \"c3 g3\" # distort \"<0 2>\" # triode 0.3 # tremolorate 6\n"
    "d2 $ s \"~b*3\" # note \"e4\" # phaserdepth 0.8 # phaserrate 2 # hpf 200 # hpenv 2 # squiz "
    "\"<1 2>\"\n";

START_TEST(effects_sound_the_same_live_presynthesized_and_at_any_block_size) {
  float *sync = render_text(PRESYNTH_SYNC, 256, effects_program);
  float *live = render_text(LIVE_ONLY, 256, effects_program);
  assert_identical(sync, live, "effects: pre-synthesis vs live");
  const uint32_t blocks[] = {1, 37, 4096};
  for (size_t i = 0; i < sizeof blocks / sizeof *blocks; ++i) {
    float *out = render_text(i == 1 ? LIVE_ONLY : PRESYNTH_SYNC, blocks[i], effects_program);
    char what[64];
    snprintf(what, sizeof what, "effects: block %u vs 256", blocks[i]);
    assert_identical(sync, out, what);
    free(out);
  }
  free(sync);
  free(live);
}
END_TEST

START_TEST(after_the_first_cycle_q_triggers_hit_the_cache) {
  cb_host *host = harness_host(true, 4096);
  char *text = harness_read("examples/q.cb");
  ck_assert_str_eq(harness_load(host, text), "");
  float *first = harness_render(host, 120, CYCLE, 256);
  cb_stats a, b;
  cb_host_stats(host, &a);
  float *rest = malloc(2 * sizeof(float) * 256);
  for (uint32_t done = 0; done < 15 * CYCLE; done += 256)
    cb_host_run(host, 256, rest, rest + 256);
  cb_host_stats(host, &b);
  uint64_t requests = b.requests - a.requests, hits = b.hits - a.hits;
  ck_assert_uint_eq(requests, 15 * 28); /* 7 events x 4 chord notes per cycle */
  ck_assert_msg(hits * 100 >= requests * 99, "%llu hits of %llu", (unsigned long long)hits,
                (unsigned long long)requests);
  free(first);
  free(rest);
  free(text);
  cb_host_free(host);
}
END_TEST

/* q.cb repeats every 28 cycles (lcm of its 7- and 4-cycle alternations): a
   second period renders nothing new, and nothing is rendered twice. */
START_TEST(equal_requests_are_rendered_once) {
  cb_host *host = harness_host(true, 4096);
  char *text = harness_read("examples/q.cb");
  ck_assert_str_eq(harness_load(host, text), "");
  float *first = harness_render(host, 120, 28 * CYCLE, 1024);
  cb_stats a, b;
  cb_host_stats(host, &a);
  float *block = malloc(2 * sizeof(float) * 1024);
  for (uint32_t done = 0; done < 28 * CYCLE; done += 1024)
    cb_host_run(host, 1024, block, block + 1024);
  cb_host_stats(host, &b);
  ck_assert_uint_eq(a.renders, a.scheduled);
  ck_assert_uint_lt(a.renders, a.requests);
  ck_assert_uint_eq(b.renders, a.renders);
  ck_assert_uint_eq(b.evicted, 0);
  free(first);
  free(block);
  free(text);
  cb_host_free(host);
}
END_TEST

/* Every note of this program is a different pitch, so a buffer the worker
   renders is worth it only if a voice plays it: the renders equal the hits.
   The first note starts 255 frames in, at the end of the first block of 256:
   the look-ahead's window begins a rounding step before the block's end, and
   used to ask for that note after the block had started it live (rendered for
   nothing). Cycles 4 to 7 are silent: nothing is asked for past the end. */
START_TEST(no_render_goes_unused) {
  static const char text[] = "~x $ saw # lpf 2000 # env 0.005 0.05\n"
                             "d1 $ 0.00265625 ~> (s \"~x*8\" # note \"<[0 1 2 3 4 5 6 7] "
                             "[8 9 10 11 12 13 14 15] [16 17 18 19 20 21 22 23] "
                             "[-1 -2 -3 -4 -5 -6 -7 -8] ~ ~ ~ ~>\" # legato 0.7)\n";
  cb_host *host = harness_host(true, 4096);
  ck_assert_str_eq(harness_load(host, text), "");
  float *out = harness_render(host, 120, CYCLES * CYCLE, 256);
  cb_stats stats;
  cb_host_stats(host, &stats);
  ck_assert_uint_eq(stats.triggers, 32);
  ck_assert_msg(stats.renders == stats.hits, "%llu renders, %llu hits, %llu live",
                (unsigned long long)stats.renders, (unsigned long long)stats.hits,
                (unsigned long long)stats.live_fallbacks);
  ck_assert_uint_eq(stats.hits + stats.live_fallbacks, 32);
  ck_assert_uint_eq(stats.live_fallbacks, 1); /* the first note: nothing asked for it in time */
  free(out);
  cb_host_free(host);
}
END_TEST

/* Automation: the cutoff port steps while the pattern plays. A buffer
   requested before a step no longer matches the notes after it (the key holds
   the macro's value), so those notes synthesize live: the output still equals
   a live-only render with the same automation, bit for bit. */
static float *render_automated(bool presynth, bool automate, cb_stats *stats) {
  static const char program[] = "~x $ saw # lpf \\cutoff \\res\n"
                                "d1 $ s \"~x*8\" # note \"c3 e3 g3 c4\"\n";
  static const float cutoffs[] = {200, 1600, 400, 6400, 800, 3200, 300, 9000};
  const uint32_t frames = CYCLES * CYCLE, block = 256, step = 30000;
  cb_host *host = harness_host(true, 4096);
  ck_assert_str_eq(harness_load(host, program), "");
  cb_host_set_presynth(host, presynth);
  float *out = calloc(2 * (size_t)frames, sizeof(float));
  for (uint32_t done = 0; done < frames; done += block) {
    if (automate)
      cb_host_set_control(host, "cutoff", cutoffs[done / step % 8]);
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, 120, 0.0, 0.0, 4.0);
    cb_host_run(host, block, out + done, out + frames + done);
  }
  cb_host_stats(host, stats);
  cb_host_free(host);
  return out;
}

START_TEST(automation_falls_back_to_live_and_sounds_the_same) {
  cb_stats pre, live, still;
  float *automated = render_automated(true, true, &pre);
  float *live_only = render_automated(false, true, &live);
  float *unmoved = render_automated(true, false, &still);
  assert_identical(automated, live_only, "automated: pre-synthesis vs live");
  ck_assert_msg(pre.hits > 0 && pre.live_fallbacks > 0, "hits %llu, live fallbacks %llu",
                (unsigned long long)pre.hits, (unsigned long long)pre.live_fallbacks);
  ck_assert_uint_gt(pre.live_fallbacks, still.live_fallbacks);
  bool differs = false;
  for (size_t i = 0; i < 2 * (size_t)CYCLES * CYCLE && !differs; ++i)
    differs = automated[i] != unmoved[i];
  ck_assert_msg(differs, "the automation changed nothing");
  free(automated);
  free(live_only);
  free(unmoved);
}
END_TEST

/* The same with every orbit effect on (examples/orbits.cb: reverbs, a
   tempo-locked delay, a room size that changes every cycle, three orbits):
   the effects run on a grid of absolute frames, so the host's blocks
   change nothing. */
START_TEST(orbit_effects_on_any_block_size_and_live_give_the_same_bits) {
  const uint32_t blocks[] = {1, 37, 64, 1000, 4096};
  char *text = harness_read("examples/orbits.cb");
  float *reference = render_text(PRESYNTH_SYNC, 256, text);
  float *live = render_text(LIVE_ONLY, 256, text);
  assert_identical(reference, live, "orbit effects: pre-synthesis vs live");
  free(live);
  for (size_t i = 0; i < sizeof blocks / sizeof *blocks; ++i) {
    float *out = render_text(PRESYNTH_SYNC, blocks[i], text);
    char what[64];
    snprintf(what, sizeof what, "orbit effects: block %u vs 256", blocks[i]);
    assert_identical(reference, out, what);
    free(out);
  }
  free(reference);
  free(text);
}
END_TEST

/* Two lines of long notes keep more than the 256 voices of the pool
   sounding, so voices are stolen all the time (and from the other line);
   a steal's fade starts at the stealing note's frame, so the output is the
   same for any block size. */
START_TEST(stealing_gives_the_same_bits_for_any_block_size) {
  static const char program[] = "~x $ saw # env 0.001 0.1\n"
                                "d1 $ s \"~x*512\" # legato 700 # note \"0 3 7 12 5\"\n"
                                "d2 $ s \"~x*384\" # legato 500 # note \"-12 -5\" # pan 0.8\n";
  const uint32_t blocks[] = {1, 64, 1000, 4096}, frames = 3 * CYCLE / 2;
  float *outs[4];
  uint64_t stolen[4];
  for (int b = 0; b < 4; ++b) {
    cb_host *host = harness_host(true, 4096);
    ck_assert_str_eq(harness_load(host, program), "");
    outs[b] = harness_render(host, 120, frames, blocks[b]);
    cb_stats stats;
    cb_host_stats(host, &stats);
    stolen[b] = stats.stolen;
    cb_host_free(host);
  }
  ck_assert_uint_gt(stolen[0], 100);
  for (int b = 1; b < 4; ++b) {
    ck_assert_uint_eq(stolen[b], stolen[0]);
    float largest = 0.0f;
    uint32_t first = UINT32_MAX;
    for (uint32_t i = 0; i < 2 * frames; ++i) {
      float difference = fabsf(outs[b][i] - outs[0][i]);
      if (difference > 0.0f && first == UINT32_MAX)
        first = i;
      largest = fmaxf(largest, difference);
    }
    ck_assert_msg(first == UINT32_MAX, "block %u vs 1: first difference at sample %u, largest %g",
                  blocks[b], first, (double)largest);
  }
  for (int b = 0; b < 4; ++b)
    free(outs[b]);
}
END_TEST

int main(void) {
  Suite *s = suite_create("invariants");
  TCase *tc = tcase_create("presynth");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, presynthesis_threaded_sync_and_live_give_the_same_bits);
  tcase_add_test(tc, any_block_size_gives_the_same_bits);
  tcase_add_test(tc, effects_sound_the_same_live_presynthesized_and_at_any_block_size);
  tcase_add_test(tc, orbit_effects_on_any_block_size_and_live_give_the_same_bits);
  tcase_add_test(tc, stealing_gives_the_same_bits_for_any_block_size);
  tcase_add_test(tc, after_the_first_cycle_q_triggers_hit_the_cache);
  tcase_add_test(tc, equal_requests_are_rendered_once);
  tcase_add_test(tc, automation_falls_back_to_live_and_sounds_the_same);
  tcase_add_test(tc, no_render_goes_unused);
  suite_add_tcase(s, tc);
  return check_run(s);
}
