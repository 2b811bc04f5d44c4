/* The program file as a host sends it (patch:Set of urn:cyclebus:programFile):
   what is not a regular text file (a FIFO, a device, a directory, a /proc
   file, an empty or missing file) is refused with a message saying why, never
   blocks the worker, and the previous program keeps playing; a file being
   rewritten never installs a partial or empty program. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "plugin_harness.h"

#define PROGRAM_A                                                                                  \
  "bpm: 120\n~x $ saw # lpf 900 # env 0.001 0.05\nd1 $ s \"~x(3,8)\" # note \"c3\"\n"
#define PROGRAM_B "bpm: 120\n~y $ square # env 0.001 0.05\nd1 $ s \"~y*4\" # note \"g3\"\n"

static char *scratch_dir(void) {
  char *dir = strdup("/tmp/cyclebus-file-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  return dir;
}

static const char *program_of(cb_host *host) {
  float l[64], r[64];
  cb_host_send_get(host, 0);
  cb_host_run(host, 64, l, r);
  return cb_host_program_reply(host);
}

/* Sends `path` as the program file (transport stopped) and returns the
   plugin's report. */
static const char *send_file(cb_host *host, const char *path) {
  float l[256], r[256];
  uint32_t before, count;
  cb_host_status(host, &before);
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_send_program_file(host, 0, path);
  for (int i = 0; i < 400; ++i) {
    cb_host_run(host, 256, l, r);
    cb_host_wait_worker(host);
    cb_host_status(host, &count);
    if (count != before)
      break;
  }
  ck_assert_msg(count != before, "no report for %s", path);
  cb_host_run(host, 256, l, r); /* stopped transport: a new program is installed at once */
  return cb_host_status(host, NULL);
}

/* `path` is refused with a message containing `why`; program A plays on. */
static void check_refused(const char *path, const char *why) {
  cb_host *host = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(host, PROGRAM_A), "");
  const char *error = send_file(host, path);
  ck_assert_msg(strstr(error, why) != NULL && strstr(error, path) != NULL, "%s: the error was '%s'",
                path, error);
  ck_assert_str_eq(program_of(host), PROGRAM_A);
  float *out = harness_render(host, 120, 96000, 256);
  ck_assert(!harness_silent(out, 0, 96000));
  free(out);
  cb_host_free(host);
}

START_TEST(a_fifo_is_refused_without_blocking_the_worker) {
  char *dir = scratch_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/pipe.cb", dir);
  ck_assert_int_eq(mkfifo(path, 0600), 0);
  check_refused(path, "is a FIFO, not a program file");
  unlink(path);
  rmdir(dir);
  free(dir);
}
END_TEST

START_TEST(a_device_is_refused) { check_refused("/dev/zero", "is a character device"); }
END_TEST

START_TEST(a_directory_is_refused) {
  char *dir = scratch_dir();
  check_refused(dir, "is a directory, not a program file");
  rmdir(dir);
  free(dir);
}
END_TEST

START_TEST(a_missing_file_says_so) {
  check_refused("/nonexistent/cyclebus.cb", "No such file or directory");
}
END_TEST

START_TEST(a_proc_file_is_refused) { check_refused("/proc/self/status", "is a special file"); }
END_TEST

START_TEST(an_empty_file_is_refused) {
  char *dir = scratch_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/empty.cb", dir);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fclose(f);
  check_refused(path, "is empty");
  unlink(path);
  rmdir(dir);
  free(dir);
}
END_TEST

/* The program file reader installs a file once it has been still for 30 ms
   (SETTLE_NS in plugin/lv2/program_file.c): a writer stalled that long in the
   middle of a save looks finished. The writer below means to leave its file
   half written for 5 ms, but a busy machine can deschedule it for longer; a
   half state that may have lasted STALL_NS (the settle time less the 4 ms of
   a coarse file clock and a margin) is counted as a stall, and only then may
   a partial program be installed. */
#define STALL_NS 20000000

static int64_t monotonic_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* A writer that rewrites the file in place (truncate, then two writes), as
   editors without atomic save do, until told to stop; the file is empty or
   half written one time in nine. When asked to hold, it leaves the file whole
   and untouched until released, so that a load of a settled file can be
   checked however late the scheduler runs the worker (a busy machine can
   oversleep the 10 ms between the reader's settle time and the next rewrite
   every time). */
typedef struct {
  const char *path;
  atomic_bool stop, hold, holding;
  atomic_uint cycles, stalls; /* rewrites done; of them, half written STALL_NS or more */
} rewriter;

static void *rewrite_loop(void *arg) {
  rewriter *w = arg;
  for (unsigned i = 0; !atomic_load(&w->stop); ++i) {
    const char *text = i % 2 ? PROGRAM_A : PROGRAM_B;
    size_t half = strlen(text) / 2;
    FILE *f = fopen(w->path, "w");
    if (!f)
      continue;
    fwrite(text, 1, half, f);
    int64_t half_from = monotonic_ns(); /* before the half reaches the file */
    fflush(f);
    nanosleep(&(struct timespec){0, 5000000}, NULL); /* half written for 5 ms */
    fwrite(text + half, 1, strlen(text) - half, f);
    fclose(f);
    if (monotonic_ns() - half_from >= STALL_NS) /* after the whole reached it */
      atomic_fetch_add(&w->stalls, 1);
    atomic_fetch_add(&w->cycles, 1);
    nanosleep(&(struct timespec){0, 40000000}, NULL); /* then whole for 40 ms */
    while (atomic_load(&w->hold) && !atomic_load(&w->stop)) {
      atomic_store(&w->holding, true);
      nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    atomic_store(&w->holding, false);
  }
  return NULL;
}

/* Waits (60 s at most) until the writer has finished the rewrite under way. */
static void await_rewrite(rewriter *w) {
  unsigned cycles = atomic_load(&w->cycles);
  for (int i = 0; i < 60000 && atomic_load(&w->cycles) == cycles; ++i)
    nanosleep(&(struct timespec){0, 1000000}, NULL);
}

/* Asks the writer to hold and waits (60 s at most) until it does. */
static void hold_writer(rewriter *w) {
  atomic_store(&w->hold, true);
  for (int i = 0; i < 60000 && !atomic_load(&w->holding); ++i)
    nanosleep(&(struct timespec){0, 1000000}, NULL);
  ck_assert_msg(atomic_load(&w->holding), "the writer never paused");
}

START_TEST(a_file_being_rewritten_never_installs_a_partial_program) {
  char *dir = scratch_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/busy.cb", dir);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(PROGRAM_A, f);
  fclose(f);
  rewriter w = {path, false, false, false, 0, 0};
  pthread_t thread;
  pthread_create(&thread, NULL, rewrite_loop, &w);
  cb_host *host = harness_host(true, 1024);
  int installed = 0;
  for (int i = 0; i < 100; ++i) {
    /* One load in ten is of the file left whole: it must be installed. */
    bool settled = i % 10 == 9;
    if (settled)
      hold_writer(&w);
    unsigned stalls = atomic_load(&w.stalls);
    const char *report = send_file(host, path);
    if (settled)
      ck_assert_msg(!strcmp(report, ""), "a settled file was not loaded: '%s'", report);
    if (strcmp(report, "") == 0) {
      const char *text = program_of(host);
      if (strcmp(text, PROGRAM_A) && strcmp(text, PROGRAM_B)) {
        await_rewrite(&w); /* was that file half written for the settle time? */
        ck_assert_msg(atomic_load(&w.stalls) != stalls,
                      "installed a partial program (the writer was never stalled): '%s'", text);
      }
      installed++;
    } /* else refused or changing: the previous program plays on */
    atomic_store(&w.hold, false);
  }
  atomic_store(&w.stop, true);
  pthread_join(thread, NULL);
  ck_assert_int_gt(installed, 0);
  cb_host_free(host);
  unlink(path);
  rmdir(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("program_file");
  TCase *tc = tcase_create("program_file");
  tcase_set_timeout(tc, 60); /* a worker blocked in open() fails here */
  tcase_add_test(tc, a_fifo_is_refused_without_blocking_the_worker);
  tcase_add_test(tc, a_device_is_refused);
  tcase_add_test(tc, a_directory_is_refused);
  tcase_add_test(tc, a_missing_file_says_so);
  tcase_add_test(tc, a_proc_file_is_refused);
  tcase_add_test(tc, an_empty_file_is_refused);
  tcase_add_test(tc, a_file_being_rewritten_never_installs_a_partial_program);
  suite_add_tcase(s, tc);
  return check_run(s);
}
