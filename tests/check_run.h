/* Every Check test program ends the same way: run the suite, print Check's
   summary line, exit 1 if anything failed. */
#ifndef CYCLEBUS_CHECK_RUN_H
#define CYCLEBUS_CHECK_RUN_H

#include <check.h>

static inline int check_run(Suite *suite) {
  SRunner *runner = srunner_create(suite);
  srunner_run_all(runner, CK_NORMAL);
  int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? 1 : 0;
}

#endif
