/* Following the host transport through a scripted lilv host: locate, loop
   jumps, tempo changes in the middle of a block, stop and start, and time
   kept between position messages. No missing, doubled or hanging events. */
#include <time.h>

#include "../plugin/lv2/clock.h"
#include "plugin_harness.h"

#define BEAT 24000 /* frames per beat at 120 bpm, 48 kHz */
#define PROGRAM "bpm: 120\n~x $ saw 220 # env 0.001 0.01\nd1 $ s \"~x*4\" # legato 0.5\n"

typedef struct {
  cb_host *host;
  float *out; /* left channel of everything played */
  uint32_t frames;
  uint32_t capacity;
} session;

static session start(void) {
  session s = {harness_host(true, 4096), NULL, 0, 64 * BEAT};
  ck_assert_str_eq(harness_load(s.host, PROGRAM), "");
  s.out = calloc(s.capacity, sizeof(float));
  return s;
}

/* Plays `frames` in blocks of 256; a position (if given) is sent at
   `at` frames into the first block. */
static void play(session *s, uint32_t frames, const double *position, uint32_t at) {
  float right[256];
  for (uint32_t done = 0; done < frames; done += 256) {
    uint32_t n = frames - done < 256 ? frames - done : 256;
    if (done == 0 && position)
      cb_host_send_position(s->host, at, position[0], position[1], position[2], position[3], 4.0);
    cb_host_run(s->host, n, s->out + s->frames, right);
    s->frames += n;
  }
}

static uint64_t triggers(session *s) {
  cb_stats stats;
  cb_host_stats(s->host, &stats);
  return stats.triggers;
}

/* Onset frames: sound after at least `gap` silent frames. */
static int onsets(const float *x, uint32_t from, uint32_t to, uint32_t *found, int max) {
  int count = 0;
  uint32_t quiet = 1000000;
  for (uint32_t i = from; i < to; ++i) {
    if (x[i] != 0.0f) {
      if (quiet >= 2000 && count < max)
        found[count++] = i;
      quiet = 0;
    } else {
      quiet++;
    }
  }
  return count;
}

START_TEST(time_is_kept_between_position_messages) {
  session s = start();
  double roll[4] = {1.0, 120.0, 0.0, 0.0};
  play(&s, 8 * BEAT, roll, 0); /* one message, then eight beats */
  uint32_t found[16];
  ck_assert_int_eq(onsets(s.out, 0, s.frames, found, 16), 8);
  for (int i = 0; i < 8; ++i)
    ck_assert_frames_near(found[i], (uint32_t)i * BEAT, 1);
  ck_assert_uint_eq(triggers(&s), 8);
  free(s.out);
  cb_host_free(s.host);
}
END_TEST

START_TEST(a_locate_plays_exactly_the_events_of_the_new_position) {
  session s = start();
  double roll[4] = {1.0, 120.0, 0.0, 0.0};
  play(&s, 2 * BEAT + 1000, roll, 0); /* events at 0, 1, 2 beats */
  uint32_t locate = s.frames + 100;
  double jump[4] = {1.0, 120.0, 5.0, 0.5}; /* to bar 5, half a beat in */
  play(&s, 4 * BEAT, jump, 100);
  /* then beats 1, 2, 3 of bar 5 and beat 0 of bar 6 */
  ck_assert_uint_eq(triggers(&s), 3 + 4);
  uint32_t found[16];
  int n = onsets(s.out, locate + 300, s.frames, found, 16); /* after the old voice's fade */
  ck_assert_int_eq(n, 4);
  ck_assert_frames_near(found[0], locate + BEAT / 2, 1);
  ck_assert_frames_near(found[1], locate + BEAT / 2 + BEAT, 1);
  free(s.out);
  cb_host_free(s.host);
}
END_TEST

START_TEST(a_loop_replays_the_same_events_each_time) {
  session s = start();
  uint64_t per_loop[3];
  for (int loop = 0; loop < 3; ++loop) {
    double back[4] = {1.0, 120.0, 1.0, 0.0}; /* loop bar 1 .. bar 2 */
    uint64_t before = triggers(&s);
    play(&s, 4 * BEAT, back, 0);
    per_loop[loop] = triggers(&s) - before;
  }
  ck_assert_uint_eq(per_loop[0], 4);
  ck_assert_uint_eq(per_loop[1], 4);
  ck_assert_uint_eq(per_loop[2], 4);
  free(s.out);
  cb_host_free(s.host);
}
END_TEST

START_TEST(a_tempo_change_in_the_middle_of_a_block_respaces_the_events) {
  session s = start();
  double roll[4] = {1.0, 120.0, 0.0, 0.0};
  play(&s, BEAT + 5000, roll, 0);
  /* 37 frames into the next block the tempo doubles; the host reports the
     beat the clock is on (1 + (5000+37)/24000). */
  uint32_t change = s.frames + 37;
  double faster[4] = {1.0, 240.0, 0.0, 1.0 + 5037.0 / BEAT};
  play(&s, 4 * BEAT, faster, 37);
  uint32_t found[16];
  int n = onsets(s.out, change + 8000, s.frames, found, 16); /* the note before ends at 36480 */
  ck_assert_int_ge(n, 6);
  uint32_t next = change + (uint32_t)((2.0 - (1.0 + 5037.0 / BEAT)) * BEAT / 2.0 + 0.5);
  ck_assert_frames_near(found[0], next, 1);
  ck_assert_frames_near(found[1] - found[0], BEAT / 2, 1);
  ck_assert_uint_eq(triggers(&s), 2 + (uint64_t)n);
  free(s.out);
  cb_host_free(s.host);
}
END_TEST

START_TEST(stop_releases_voices_and_start_resumes_at_the_position) {
  session s = start();
  double roll[4] = {1.0, 120.0, 0.0, 0.0};
  play(&s, BEAT / 2, roll, 0);
  uint32_t stop_at = s.frames;
  double stop[4] = {0.0, 120.0, 0.0, 2.0};
  play(&s, 3 * BEAT, stop, 0);
  ck_assert(harness_silent(s.out, stop_at + 300, s.frames)); /* a 5 ms fade, then nothing */
  uint64_t before = triggers(&s);
  uint32_t resume = s.frames;
  double start_again[4] = {1.0, 120.0, 0.0, 2.0};
  play(&s, 2 * BEAT, start_again, 0);
  ck_assert_uint_eq(triggers(&s) - before, 2); /* beats 2 and 3 */
  ck_assert_frames_near(harness_first_sound(s.out, resume, s.frames), resume, 1);
  free(s.out);
  cb_host_free(s.host);
}
END_TEST

/* Positions with NaN or infinite fields, first and later: each such field
   keeps its last good value, so time goes on; a speed of 1e9 is clamped. */
START_TEST(non_finite_positions_first_and_later_keep_time) {
  session s = start();
  cb_host_send_position_doubles(s.host, 0, 1.0, 120.0, NAN, 0.0, 4.0);
  play(&s, 4 * BEAT, NULL, 0);
  uint32_t bad_at = s.frames;
  cb_host_send_position_doubles(s.host, 0, INFINITY, NAN, NAN, INFINITY, -INFINITY);
  play(&s, 4 * BEAT, NULL, 0);
  uint32_t found[16];
  ck_assert_int_eq(onsets(s.out, 0, s.frames, found, 16), 8);
  uint32_t start_frame = found[0];
  ck_assert_uint_lt(start_frame, BEAT); /* it plays from the first position on */
  for (int i = 0; i < 8; ++i)
    ck_assert_frames_near(found[i], start_frame + (uint32_t)i * BEAT, 1);
  ck_assert_uint_lt(found[4], bad_at + BEAT);
  ck_assert_uint_eq(triggers(&s), 8);

  cb_host_send_position_doubles(s.host, 0, 1e9, 120.0, NAN, NAN, 4.0);
  play(&s, 2 * BEAT, NULL, 0);
  uint64_t fast = triggers(&s) - 8;
  ck_assert_msg(fast >= 2 * CB_SPEED_MAX - 1 && fast <= 2 * CB_SPEED_MAX + 1,
                "%llu triggers in two beats", (unsigned long long)fast);
  free(s.out);
  cb_host_free(s.host);
}
END_TEST

/* Realtime equals bounce: paced blocks with a threaded worker give the same
   bits as freewheeling with a synchronous worker. */
START_TEST(realtime_with_a_threaded_worker_equals_the_bounce) {
  char *text = harness_read("examples/acid.cb");
  float *runs[2];
  for (int mode = 0; mode < 2; ++mode) {
    cb_host *host = harness_host(mode == 1, 4096);
    ck_assert_str_eq(harness_load(host, text), "");
    uint32_t frames = 3 * 48000;
    runs[mode] = calloc(2 * (size_t)frames, sizeof(float));
    for (uint32_t done = 0; done < frames; done += 500) {
      if (done == 0)
        cb_host_send_position(host, 0, 1.0, 128.0, 0.0, 0.0, 4.0);
      cb_host_run(host, 500, runs[mode] + done, runs[mode] + frames + done);
      if (mode == 0) {
        struct timespec block = {0, 500 * 1000000000L / 48000};
        nanosleep(&block, NULL);
      }
    }
    cb_host_free(host);
  }
  ck_assert(!harness_silent(runs[0], 0, 3 * 48000));
  ck_assert_int_eq(memcmp(runs[0], runs[1], 2 * sizeof(float) * 3 * 48000), 0);
  free(runs[0]);
  free(runs[1]);
  free(text);
}
END_TEST

int main(void) {
  Suite *s = suite_create("transport");
  TCase *tc = tcase_create("transport");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, time_is_kept_between_position_messages);
  tcase_add_test(tc, a_locate_plays_exactly_the_events_of_the_new_position);
  tcase_add_test(tc, a_loop_replays_the_same_events_each_time);
  tcase_add_test(tc, a_tempo_change_in_the_middle_of_a_block_respaces_the_events);
  tcase_add_test(tc, stop_releases_voices_and_start_resumes_at_the_position);
  tcase_add_test(tc, realtime_with_a_threaded_worker_equals_the_bounce);
  tcase_add_test(tc, non_finite_positions_first_and_later_keep_time);
  suite_add_tcase(s, tc);
  return check_run(s);
}
