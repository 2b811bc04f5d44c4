/* Program bursts: however many programs a host sends before the worker has
   compiled the first (within one block or block after block), the newest is
   the one that plays, and what the plugin reports is the newest's outcome. */
#include "plugin_harness.h"

#define BURST 12
#define FILLER_LINES                                                                               \
  250 /* comments that make each compile take a while (a burst fits one block)                     \
       */

/* Program `n` of a burst: the same buses, note `n`; `bad` makes it fail. */
static char *program_text(int n, bool bad) {
  size_t size = FILLER_LINES * 64 + 256;
  char *text = malloc(size);
  size_t used = 0;
  for (int i = 0; i < FILLER_LINES; ++i)
    used += (size_t)snprintf(text + used, size - used,
                             "-- filler line %04d so the compile takes its time .........\n", i);
  snprintf(text + used, size - used,
           "bpm: 120\n~x $ saw # env 0.001 0.05\nd1 $ s \"~x*4\" # note %d%s\n", 40 + n,
           bad ? " # nosuchcontrol" : "");
  return text;
}

static const char *program_of(cb_host *host) {
  float l[64], r[64];
  cb_host_send_get(host, 0);
  cb_host_run(host, 64, l, r);
  return cb_host_program_reply(host);
}

/* Lets the worker finish and run() take every answer (transport stopped, so
   programs are installed at once). */
static void settle(cb_host *host) {
  float l[64], r[64];
  for (int i = 0; i < 4; ++i) {
    cb_host_wait_worker(host);
    cb_host_run(host, 64, l, r);
  }
}

/* Sends programs 0 .. BURST-1, `per_block` of them in each block. */
static void send_burst(cb_host *host, char **texts, int per_block) {
  float l[64], r[64];
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  for (int n = 0; n < BURST;) {
    for (int k = 0; k < per_block && n < BURST; ++k, ++n)
      cb_host_send_program(host, (uint32_t)k, texts[n]);
    cb_host_run(host, 64, l, r);
  }
}

static void check_newest_wins(int per_block) {
  char *texts[BURST];
  for (int n = 0; n < BURST; ++n)
    texts[n] = program_text(n, false);
  cb_host *host = harness_host(false, 1024); /* a worker thread, as in a live session */
  send_burst(host, texts, per_block);
  settle(host);
  ck_assert_str_eq(cb_host_status(host, NULL), "");
  ck_assert_msg(strcmp(program_of(host), texts[BURST - 1]) == 0,
                "%d a block: an older program plays", per_block);
  cb_host_free(host);
  for (int n = 0; n < BURST; ++n)
    free(texts[n]);
}

START_TEST(the_newest_of_a_burst_in_one_block_plays) { check_newest_wins(BURST); }
END_TEST

START_TEST(the_newest_of_a_burst_across_blocks_plays) {
  check_newest_wins(1);
  check_newest_wins(3);
}
END_TEST

/* When the newest fails, its error is what is reported (no success of an
   older one in its place) and a program it replaced plays on: within one
   block no program of the burst was answered in time, so the one from
   before the burst; across blocks, one before the newest may have been. */
static void check_failing_newest(int per_block) {
  char *texts[BURST];
  for (int n = 0; n < BURST; ++n)
    texts[n] = program_text(n, n == BURST - 1);
  cb_host *host = harness_host(false, 1024);
  char *before = program_text(99, false);
  ck_assert_str_eq(harness_load(host, before), "");
  send_burst(host, texts, per_block);
  settle(host);
  const char *error = cb_host_status(host, NULL);
  ck_assert_msg(strstr(error, "nosuchcontrol") != NULL, "the report was '%s'", error);
  const char *playing = program_of(host);
  bool older = !strcmp(playing, before);
  for (int n = 0; n < BURST - 1 && per_block < BURST; ++n)
    older = older || !strcmp(playing, texts[n]);
  ck_assert_msg(older, "%d a block: not a program from before the newest plays", per_block);
  cb_host_free(host);
  free(before);
  for (int n = 0; n < BURST; ++n)
    free(texts[n]);
}

START_TEST(a_failing_newest_is_reported_and_an_older_program_plays_on) {
  check_failing_newest(BURST);
  check_failing_newest(1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("program_burst");
  TCase *tc = tcase_create("program_burst");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, the_newest_of_a_burst_in_one_block_plays);
  tcase_add_test(tc, the_newest_of_a_burst_across_blocks_plays);
  tcase_add_test(tc, a_failing_newest_is_reported_and_an_older_program_plays_on);
  suite_add_tcase(s, tc);
  return check_run(s);
}
