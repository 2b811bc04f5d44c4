/* Program state: the program text and program file are saved and restored
   through LV2 State (restore safe while run() is active), the program file is
   watched and reloaded when it changes, and bad input keeps the old program. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/state/state.h>

#include "plugin_harness.h"

#define PROGRAM_A                                                                                  \
  "bpm: 120\n~x $ saw # lpf 900 # env 0.001 0.05\nd1 $ s \"~x(3,8)\" # note \"c3\"\n"
#define PROGRAM_B "bpm: 120\n~y $ square # env 0.001 0.05\nd1 $ s \"~y*4\" # note \"g3\"\n"

static char *scratch_dir(void) {
  char *dir = strdup("/tmp/cyclebus-state-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  return dir;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

static const char *program_of(cb_host *host) {
  float l[64], r[64];
  cb_host_send_get(host, 0);
  cb_host_run(host, 64, l, r);
  return cb_host_program_reply(host);
}

START_TEST(saved_state_restores_the_same_program_and_sound) {
  char *dir = scratch_dir();
  cb_host *a = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(a, PROGRAM_A), "");
  ck_assert(cb_host_save_state(a, dir, "state.ttl"));
  float *sound_a = harness_render(a, 120, 96000, 256);

  cb_host *b = harness_host(true, 1024);
  ck_assert(cb_host_restore_state(b, dir, "state.ttl"));
  float *sound_b = harness_render(b, 120, 96000, 256);
  ck_assert_str_eq(program_of(b), PROGRAM_A);
  ck_assert(!harness_silent(sound_a, 0, 96000));
  ck_assert_int_eq(memcmp(sound_a, sound_b, 2 * 96000 * sizeof(float)), 0);
  free(sound_a);
  free(sound_b);
  cb_host_free(a);
  cb_host_free(b);
  free(dir);
}
END_TEST

/* Runs blocks until the plugin reports something new (or gives up). */
static const char *await_report(cb_host *host, uint32_t before) {
  float l[1024], r[1024];
  uint32_t count = before;
  for (int i = 0; i < 400 && count == before; ++i) {
    cb_host_run(host, 1024, l, r);
    cb_host_wait_worker(host);
    cb_host_status(host, &count);
  }
  ck_assert_msg(count != before, "no report from the plugin");
  return cb_host_status(host, NULL);
}

START_TEST(the_program_file_is_watched_and_reloaded) {
  char *dir = scratch_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/live.cb", dir);
  write_file(path, PROGRAM_A);
  cb_host *host = harness_host(false, 1024);
  uint32_t count;
  cb_host_status(host, &count);
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0); /* stopped: programs swap at once */
  cb_host_send_program_file(host, 0, path);
  ck_assert_str_eq(await_report(host, count), "");
  ck_assert_str_eq(program_of(host), PROGRAM_A);

  sleep(1); /* a new modification time */
  cb_host_status(host, &count);
  write_file(path, PROGRAM_B);
  ck_assert_str_eq(await_report(host, count), "");
  float l[64], r[64];
  cb_host_run(host, 64, l, r); /* stopped transport: installed at once */
  ck_assert_str_eq(program_of(host), PROGRAM_B);

  cb_host_status(host, &count);
  write_file(path, "~z $ saw\nd1 $ s \"~z(3,8\"\n");
  const char *error = await_report(host, count);
  ck_assert_msg(strncmp(error, "2:", 2) == 0, "error was '%s'", error);
  ck_assert_str_eq(program_of(host), PROGRAM_B); /* the last good program stays */

  cb_host_free(host);
  unlink(path);
  free(dir);
}
END_TEST

START_TEST(a_missing_program_file_is_reported) {
  cb_host *host = harness_host(true, 1024);
  uint32_t count;
  cb_host_status(host, &count);
  cb_host_send_program_file(host, 0, "/nonexistent/cyclebus.cb");
  const char *error = await_report(host, count);
  ck_assert_msg(strstr(error, "cannot read program file") != NULL, "error was '%s'", error);
  float *out = harness_render(host, 120, 96000, 256);
  ck_assert(!harness_silent(out, 0, 96000)); /* the default program keeps playing */
  free(out);
  cb_host_free(host);
}
END_TEST

/* Runs `seconds` of stopped-transport blocks (the file is polled twice a
   second); returns how many reports arrived meanwhile. */
static uint32_t idle(cb_host *host, double seconds) {
  float l[1024], r[1024];
  uint32_t before, after;
  cb_host_status(host, &before);
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  for (int i = 0; i < (int)(seconds * RATE / 1024); ++i) {
    cb_host_run(host, 1024, l, r);
    cb_host_wait_worker(host);
  }
  cb_host_status(host, &after);
  return after - before;
}

#define PROGRAM_C "bpm: 120\n~z $ tri # env 0.001 0.05\nd1 $ s \"~z*2\" # note \"e3\"\n"
#define PROGRAM_D "bpm: 120\n~w $ saw # env 0.001 0.05\nd1 $ s \"~w*3\" # note \"a2\"\n"

START_TEST(a_program_string_ends_the_file_watch) {
  char *dir = scratch_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/live.cb", dir);
  write_file(path, PROGRAM_A);
  cb_host *host = harness_host(true, 1024);
  uint32_t count;
  cb_host_status(host, &count);
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_send_program_file(host, 0, path);
  ck_assert_str_eq(await_report(host, count), "");
  ck_assert_str_eq(harness_load(host, PROGRAM_B), "");
  write_file(path, PROGRAM_C); /* a new size: changed even within one clock tick */
  ck_assert_uint_eq(idle(host, 1.5), 0);
  ck_assert_str_eq(program_of(host), PROGRAM_B);

  /* Nor does a saved session watch it. */
  ck_assert(cb_host_save_state(host, dir, "state.ttl"));
  cb_host *again = harness_host(true, 1024);
  ck_assert(cb_host_restore_state(again, dir, "state.ttl"));
  write_file(path, PROGRAM_D);
  idle(again, 1.5);
  ck_assert_str_eq(program_of(again), PROGRAM_B);
  cb_host_free(again);
  cb_host_free(host);
  unlink(path);
  unlink(strcat(strcpy(path, dir), "/state.ttl"));
  rmdir(dir);
  free(dir);
}
END_TEST

/* Reopening a session plays what was saved, even when the program file
   changed while it was closed; the watch resumes: the file's next change
   replaces it. */
START_TEST(restore_plays_the_saved_program_until_the_file_changes) {
  char *dir = scratch_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/live.cb", dir);
  write_file(path, PROGRAM_A);
  cb_host *host = harness_host(true, 1024);
  uint32_t count;
  cb_host_status(host, &count);
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_send_program_file(host, 0, path);
  ck_assert_str_eq(await_report(host, count), "");
  ck_assert(cb_host_save_state(host, dir, "state.ttl"));
  cb_host_free(host);
  write_file(path, PROGRAM_C); /* edited while the session was closed */

  cb_host *again = harness_host(true, 1024);
  ck_assert(cb_host_restore_state(again, dir, "state.ttl"));
  ck_assert_uint_eq(idle(again, 1.5), 0);
  ck_assert_str_eq(program_of(again), PROGRAM_A);
  write_file(path, PROGRAM_D);
  cb_host_status(again, &count);
  ck_assert_str_eq(await_report(again, count), "");
  idle(again, 0.1);
  ck_assert_str_eq(program_of(again), PROGRAM_D);
  cb_host_free(again);
  unlink(path);
  unlink(strcat(strcpy(path, dir), "/state.ttl"));
  rmdir(dir);
  free(dir);
}
END_TEST

/* File times have a coarse tick (4 ms on Linux before 6.13, 1 or 2 s on some
   disks): a rewrite of the same size within the tick of the version read
   keeps its time, size and inode. Setting the time back simulates it. */
START_TEST(a_rewrite_within_the_file_clock_tick_is_seen) {
  ck_assert_uint_eq(strlen(PROGRAM_C), strlen(PROGRAM_D));
  char *dir = scratch_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/live.cb", dir);
  write_file(path, PROGRAM_C);
  struct stat first;
  ck_assert_int_eq(stat(path, &first), 0);
  cb_host *host = harness_host(true, 1024);
  uint32_t count;
  cb_host_status(host, &count);
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_send_program_file(host, 0, path);
  ck_assert_str_eq(await_report(host, count), "");
  idle(host, 0.1);
  ck_assert_str_eq(program_of(host), PROGRAM_C);

  cb_host_status(host, &count);
  write_file(path, PROGRAM_D);
  struct timespec times[2] = {first.st_atim, first.st_mtim};
  ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
  ck_assert_str_eq(await_report(host, count), "");
  idle(host, 0.1);
  ck_assert_str_eq(program_of(host), PROGRAM_D);
  cb_host_free(host);
  unlink(path);
  rmdir(dir);
  free(dir);
}
END_TEST

/* A state holding one value (a program file or a program text). */
typedef struct {
  uint32_t key, type;
  const char *value;
  size_t size;
} saved_value;

static const void *retrieve_value(LV2_State_Handle handle, uint32_t key, size_t *size,
                                  uint32_t *type, uint32_t *flags) {
  const saved_value *saved = handle;
  if (key != saved->key)
    return NULL;
  *size = saved->size;
  *type = saved->type;
  *flags = LV2_STATE_IS_POD;
  return saved->value;
}

/* The path's last byte is the last of a page and the next page is
   unreadable: reading past the value's size crashes. */
START_TEST(a_restored_path_is_read_to_its_size_only) {
  char *dir = scratch_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/live.cb", dir);
  write_file(path, PROGRAM_C);
  size_t page = (size_t)sysconf(_SC_PAGESIZE), length = strlen(path);
  char *pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ck_assert(pages != MAP_FAILED);
  ck_assert_int_eq(mprotect(pages + page, page, PROT_NONE), 0);
  memcpy(pages + page - length, path, length);

  cb_host *host = harness_host(true, 1024);
  const LV2_State_Interface *state =
      lilv_instance_get_extension_data(cb_host_instance(host), LV2_STATE__interface);
  saved_value saved = {cb_host_map(host, "urn:cyclebus:programFile"),
                       cb_host_map(host, LV2_ATOM__Path), pages + page - length, length};
  const LV2_Feature *none[] = {NULL};
  uint32_t count;
  cb_host_status(host, &count);
  ck_assert_int_eq(state->restore(cb_host_handle(host), retrieve_value, &saved, 0, none),
                   LV2_STATE_SUCCESS);
  ck_assert_str_eq(await_report(host, count), "");
  idle(host, 0.1);
  ck_assert_str_eq(program_of(host), PROGRAM_C);
  cb_host_free(host);
  munmap(pages, 2 * page);
  unlink(path);
  rmdir(dir);
  free(dir);
}
END_TEST

static atomic_bool stop_restoring;
static void *restore_loop(void *arg) {
  cb_host *host = arg;
  const char *dir = getenv("CB_STATE_DIR");
  while (!atomic_load(&stop_restoring))
    cb_host_restore_state(host, dir, "state.ttl");
  return NULL;
}

START_TEST(restore_is_safe_while_run_is_active) {
  char *dir = scratch_dir();
  cb_host *a = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(a, PROGRAM_B), "");
  ck_assert(cb_host_save_state(a, dir, "state.ttl"));
  cb_host_free(a);
  setenv("CB_STATE_DIR", dir, 1);
  cb_host *host = harness_host(false, 1024);
  pthread_t thread;
  atomic_store(&stop_restoring, false);
  pthread_create(&thread, NULL, restore_loop, host);
  float *out = harness_render(host, 120, 8 * 96000, 256);
  atomic_store(&stop_restoring, true);
  pthread_join(thread, NULL);
  ck_assert(!harness_silent(out, 4 * 96000, 8 * 96000));
  ck_assert_str_eq(program_of(host), PROGRAM_B);
  free(out);
  cb_host_free(host);
  free(dir);
}
END_TEST

/* The watch's fields are shared by restore() and the worker (ThreadSanitizer
   checks it in CI): restoring a state with a program file over and over
   while run() polls that file and it changes. */
START_TEST(restoring_a_watched_file_is_safe_while_run_is_active) {
  char *dir = scratch_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/live.cb", dir);
  write_file(path, PROGRAM_A);
  cb_host *a = harness_host(true, 1024);
  uint32_t count;
  cb_host_status(a, &count);
  cb_host_send_program_file(a, 0, path);
  ck_assert_str_eq(await_report(a, count), "");
  ck_assert(cb_host_save_state(a, dir, "state.ttl"));
  cb_host_free(a);
  setenv("CB_STATE_DIR", dir, 1);
  cb_host *host = harness_host(false, 1024);
  pthread_t thread;
  atomic_store(&stop_restoring, false);
  pthread_create(&thread, NULL, restore_loop, host);
  float *out = calloc(2 * 96000, sizeof(float));
  for (int second = 0; second < 4; ++second) {
    write_file(path, second % 2 ? PROGRAM_A : PROGRAM_B);
    for (uint32_t done = 0; done < 48000; done += 256)
      cb_host_run(host, 256, out + done % 96000, out + 96000 + done % 96000);
  }
  atomic_store(&stop_restoring, true);
  pthread_join(thread, NULL);
  const char *playing = program_of(host);
  ck_assert(!strcmp(playing, PROGRAM_A) || !strcmp(playing, PROGRAM_B));
  free(out);
  cb_host_free(host);
  unlink(path);
  free(dir);
}
END_TEST

/* A text of `size` bytes: comments, then program A. */
static char *long_program(size_t size) {
  char *text = malloc(size + 1);
  size_t tail = strlen(PROGRAM_A);
  memset(text, '-', size - tail);
  for (size_t i = 80; i < size - tail; i += 81)
    text[i] = '\n';
  text[size - tail - 1] = '\n';
  memcpy(text + size - tail, PROGRAM_A, tail + 1);
  return text;
}

/* A patch:Get the notify port can never hold is answered with an error,
   once, instead of being tried again every block. */
START_TEST(a_program_too_long_for_the_notify_port_is_answered_with_one_error) {
  cb_host *host = harness_host(true, 1024);
  char *text = long_program(6000);
  ck_assert_str_eq(harness_load(host, text), "");
  cb_host_set_notify_capacity(host, 4096);
  uint32_t before, after;
  cb_host_status(host, &before);
  float l[64], r[64];
  cb_host_send_get(host, 0);
  for (int i = 0; i < 50; ++i)
    cb_host_run(host, 64, l, r);
  cb_host_status(host, &after);
  ck_assert_uint_eq(after - before, 1);
  const char *error = cb_host_status(host, NULL);
  ck_assert_msg(strstr(error, "cannot send the program text (6000 bytes)") != NULL &&
                    strstr(error, "4096 bytes") != NULL,
                "the error was '%s'", error);
  ck_assert_ptr_null(cb_host_program_reply(host));
  cb_host_set_notify_capacity(host, 0); /* a host with room gets it */
  ck_assert_str_eq(program_of(host), text);
  cb_host_free(host);
  free(text);
}
END_TEST

/* Restore has the same length limit as patch:Set: a longer saved text is
   refused and the playing program stays. */
START_TEST(a_restored_program_longer_than_the_limit_is_refused) {
  cb_host *host = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(host, PROGRAM_B), "");
  char *text = long_program(70000);
  const LV2_State_Interface *state =
      lilv_instance_get_extension_data(cb_host_instance(host), LV2_STATE__interface);
  saved_value saved = {cb_host_map(host, "urn:cyclebus:program"),
                       cb_host_map(host, LV2_ATOM__String), text, strlen(text) + 1};
  const LV2_Feature *none[] = {NULL};
  ck_assert_int_ne(state->restore(cb_host_handle(host), retrieve_value, &saved, 0, none),
                   LV2_STATE_SUCCESS);
  idle(host, 0.1);
  ck_assert_str_eq(program_of(host), PROGRAM_B);
  cb_host_free(host);
  free(text);
}
END_TEST

int main(void) {
  Suite *s = suite_create("state");
  TCase *tc = tcase_create("state");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, saved_state_restores_the_same_program_and_sound);
  tcase_add_test(tc, the_program_file_is_watched_and_reloaded);
  tcase_add_test(tc, a_missing_program_file_is_reported);
  tcase_add_test(tc, restore_is_safe_while_run_is_active);
  tcase_add_test(tc, a_program_string_ends_the_file_watch);
  tcase_add_test(tc, restore_plays_the_saved_program_until_the_file_changes);
  tcase_add_test(tc, a_restored_path_is_read_to_its_size_only);
  tcase_add_test(tc, a_rewrite_within_the_file_clock_tick_is_seen);
  tcase_add_test(tc, restoring_a_watched_file_is_safe_while_run_is_active);
  tcase_add_test(tc, a_program_too_long_for_the_notify_port_is_answered_with_one_error);
  tcase_add_test(tc, a_restored_program_longer_than_the_limit_is_refused);
  suite_add_tcase(s, tc);
  return check_run(s);
}
