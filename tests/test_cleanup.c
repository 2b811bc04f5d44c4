/* Closing an instance while worker messages are still queued: a host may
   drop them unread (jalv does), and what they carried (a compiled program,
   rendered buffers) must still be freed by cleanup(). The leak itself is
   seen by LeakSanitizer, so CI's AddressSanitizer pass is what checks it;
   the plain build checks the sequence runs cleanly. */
#include "plugin_harness.h"

#define PROGRAM "~x $ saw # lpf 900\nd1 $ s \"~x*8\" # note \"c5 e5 g5\"\n"

/* The worker answered, and the host closes before delivering the answer. */
START_TEST(a_program_answer_dropped_at_close_is_freed) {
  cb_host *host = harness_host(false, 256);
  float l[256], r[256];
  cb_host_run(host, 256, l, r);
  cb_host_send_program(host, 0, PROGRAM);
  cb_host_run(host, 256, l, r); /* the request goes to the worker ... */
  cb_host_wait_worker(host);    /* ... which answers; nothing delivers it */
  cb_host_free(host);
}
END_TEST

/* Render answers queued at close. */
START_TEST(render_answers_dropped_at_close_are_freed) {
  cb_host *host = harness_host(false, 256);
  ck_assert_str_eq(harness_load(host, PROGRAM), "");
  float l[256], r[256];
  cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_run(host, 256, l, r); /* look-ahead: render requests */
  cb_host_wait_worker(host);
  cb_host_free(host);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cleanup");
  TCase *tc = tcase_create("cleanup");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, a_program_answer_dropped_at_close_is_freed);
  tcase_add_test(tc, render_answers_dropped_at_close_are_freed);
  suite_add_tcase(s, tc);
  return check_run(s);
}
