/* The plugin's urn:cyclebus:samples parameter through lilv: patch:Set and
   patch:Get, the program compiled again with new folders, warnings for
   unknown sounds and bad files on the notify port, the folders in use, and
   the parameter saved and restored in state (a missing folder kept, not lost).
   Sample files are written by the test; names are ones no alias table has. */
#include <pthread.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin_harness.h"

#define PROGRAM "bpm: 120\nd1 $ s \"zzkick*2 zzsnare\"\n"

static char *scratch_dir(void) {
  char *dir = strdup("/tmp/cyclebus-samples-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  return dir;
}

static void write_sample(const char *dir, const char *name) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  SF_INFO info = {.samplerate = 44100, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
  SNDFILE *file = sf_open(path, SFM_WRITE, &info);
  ck_assert_ptr_nonnull(file);
  float frames[441];
  for (int i = 0; i < 441; ++i)
    frames[i] = 0.5f * (float)(i % 50) / 50.0f;
  sf_writef_float(file, frames, 441);
  sf_close(file);
}

/* A folder with zzkick (Dirt layout: zzkick/0.wav) and zzsnare (flat). */
static char *sample_folder(void) {
  char *dir = scratch_dir();
  char sub[4200];
  snprintf(sub, sizeof sub, "%s/zzkick", dir);
  ck_assert_int_eq(mkdir(sub, 0755), 0);
  write_sample(sub, "0.wav");
  write_sample(dir, "zzsnare.wav");
  return dir;
}

static void remove_dir(char *dir) {
  char command[4300];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(command), 0);
  free(dir);
}

/* Sets the folders and runs until the program compiled again with them. */
static void set_samples(cb_host *host, const char *folders) {
  float l[64], r[64];
  uint32_t before, count;
  cb_host_status(host, &before);
  cb_host_send_samples(host, 0, folders);
  for (int i = 0; i < 2000; ++i) {
    cb_host_run(host, 64, l, r);
    cb_host_wait_worker(host);
    cb_host_status(host, &count);
    if (count != before)
      break;
  }
  cb_host_run(host, 64, l, r);
}

static const char *samples_of(cb_host *host) {
  float l[64], r[64];
  cb_host_send_get(host, 0); /* a Get without a property answers every parameter */
  cb_host_run(host, 64, l, r);
  return cb_host_samples_reply(host);
}

START_TEST(unknown_sounds_are_warnings_and_new_folders_find_them) {
  char *dir = sample_folder();
  cb_host *host = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(host, PROGRAM), "");
  const char *warnings = cb_host_warnings(host);
  ck_assert_msg(strstr(warnings, "2:9: unknown sound 'zzkick'"), "%s", warnings);
  ck_assert_msg(strstr(warnings, "unknown sound 'zzsnare'"), "%s", warnings);
  set_samples(host, dir);
  ck_assert_str_eq(cb_host_status(host, NULL), "");
  ck_assert_str_eq(cb_host_warnings(host), "");
  ck_assert_str_eq(samples_of(host), dir);
  /* The folder is the first one the program searches. */
  const char *in_use = cb_host_samples_in_use(host);
  ck_assert_msg(!strncmp(in_use, dir, strlen(dir)), "%s", in_use);
  cb_stats stats;
  ck_assert(cb_host_stats(host, &stats));
  ck_assert_uint_eq(stats.sample_files_loaded, 2);
  ck_assert_uint_eq(stats.sample_bytes, 2 * 480 * sizeof(float)); /* 441 frames at 48 kHz */
  cb_host_free(host);
  remove_dir(dir);
}
END_TEST

START_TEST(a_bad_folder_or_file_is_said_and_the_program_plays_on) {
  char *dir = sample_folder();
  char bad[4200];
  snprintf(bad, sizeof bad, "%s/zzkick/1.wav", dir);
  FILE *file = fopen(bad, "w");
  fputs("not a sound", file);
  fclose(file);
  cb_host *host = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(host, PROGRAM), "");
  char folders[8500];
  snprintf(folders, sizeof folders, "/nonexistent/cyclebus-samples:%s", dir);
  set_samples(host, folders);
  ck_assert_str_eq(cb_host_status(host, NULL), "");
  const char *warnings = cb_host_warnings(host);
  ck_assert_msg(strstr(warnings, "sample folder /nonexistent/cyclebus-samples cannot be read"),
                "%s", warnings);
  ck_assert_msg(strstr(warnings, "zzkick/1.wav: not an audio file"), "%s", warnings);
  ck_assert_msg(!strstr(warnings, "unknown sound"), "%s", warnings);
  ck_assert_str_eq(samples_of(host), folders);
  cb_host_free(host);
  remove_dir(dir);
}
END_TEST

START_TEST(the_samples_parameter_is_saved_and_restored) {
  char *dir = sample_folder();
  char *state_dir = scratch_dir();
  cb_host *a = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(a, PROGRAM), "");
  char folders[8500];
  snprintf(folders, sizeof folders, "%s:/nonexistent/cyclebus-samples", dir);
  set_samples(a, folders);
  ck_assert(cb_host_save_state(a, state_dir, "state.ttl"));
  cb_host_free(a);

  cb_host *b = harness_host(true, 1024);
  ck_assert(cb_host_restore_state(b, state_dir, "state.ttl"));
  float l[64], r[64];
  cb_host_run(b, 64, l, r);
  /* The restored program found its samples; the missing folder is kept. */
  const char *warnings = cb_host_warnings(b);
  ck_assert_msg(!strstr(warnings, "unknown sound"), "%s", warnings);
  const char *restored = samples_of(b);
  ck_assert_ptr_nonnull(restored);
  /* lilv maps a saved path to a link in the state's folder: the second
     folder, missing, is still there as a link to where it was. */
  const char *second = strchr(restored, ':');
  ck_assert_ptr_nonnull(second);
  char target[4200] = "";
  ssize_t length = readlink(second + 1, target, sizeof target - 1);
  if (length > 0)
    target[length] = '\0';
  ck_assert_str_eq(length > 0 ? target : second + 1, "/nonexistent/cyclebus-samples");
  cb_stats stats;
  ck_assert(cb_host_stats(b, &stats));
  ck_assert_uint_eq(stats.sample_files_loaded, 2);
  cb_host_free(b);
  remove_dir(state_dir);
  remove_dir(dir);
}
END_TEST

START_TEST(a_preset_without_samples_keeps_the_session_folders) {
  char *dir = sample_folder();
  char *state_dir = scratch_dir();
  cb_host *a = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(a, PROGRAM), ""); /* no samples parameter set */
  ck_assert(cb_host_save_state(a, state_dir, "state.ttl"));
  cb_host_free(a);
  cb_host *b = harness_host(true, 1024);
  set_samples(b, dir);
  ck_assert(cb_host_restore_state(b, state_dir, "state.ttl"));
  float l[64], r[64];
  cb_host_run(b, 64, l, r);
  ck_assert_str_eq(cb_host_warnings(b), "");
  ck_assert_str_eq(samples_of(b), dir);
  cb_host_free(b);
  remove_dir(state_dir);
  remove_dir(dir);
}
END_TEST

/* The loaded data plays on when its folder goes; the next compile says so. */
START_TEST(a_folder_that_disappears_while_playing_plays_on_until_the_next_compile) {
  char *dir = sample_folder();
  cb_host *host = harness_host(false, 1024); /* the worker on its own thread, as in a DAW */
  set_samples(host, dir);
  ck_assert_str_eq(harness_load(host, "bpm: 120\nd1 $ s \"zzkick*4\"\n"), "");
  ck_assert_str_eq(cb_host_warnings(host), "");
  float *before = harness_render(host, 120, 96000, 256);
  ck_assert(!harness_silent(before, 0, 96000));
  char command[4300];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(command), 0);
  float *after = harness_render(host, 120, 96000, 256);
  ck_assert(!harness_silent(after, 0, 96000));
  ck_assert_str_eq(harness_load(host, "bpm: 120\nd1 $ s \"zzkick*4\"\n"), "");
  const char *warnings = cb_host_warnings(host);
  ck_assert_msg(strstr(warnings, "cannot be read"), "%s", warnings);
  ck_assert_msg(strstr(warnings, "unknown sound 'zzkick'"), "%s", warnings);
  free(before);
  free(after);
  cb_host_free(host);
  free(dir);
}
END_TEST

static atomic_bool stop_restoring;
static const char *restore_dir;
static void *restore_loop(void *arg) {
  while (!atomic_load(&stop_restoring))
    cb_host_restore_state(arg, restore_dir, "state.ttl");
  return NULL;
}

/* restore() (its own thread), patch:Set of the folders (run()) and the
   worker's compiles all reach the library at once: ThreadSanitizer checks it
   in CI. */
START_TEST(the_parameter_is_safe_while_restores_and_compiles_race) {
  char *dir = sample_folder();
  char *state_dir = scratch_dir();
  cb_host *a = harness_host(true, 1024);
  set_samples(a, dir);
  ck_assert_str_eq(harness_load(a, "bpm: 120\nd1 $ s \"zzkick*4 zzsnare\"\n"), "");
  ck_assert(cb_host_save_state(a, state_dir, "state.ttl"));
  cb_host_free(a);
  cb_host *host = harness_host(false, 1024);
  restore_dir = state_dir;
  atomic_store(&stop_restoring, false);
  pthread_t thread;
  pthread_create(&thread, NULL, restore_loop, host);
  float sound = 0.0f;
  for (int i = 0; i < 16; ++i) {
    cb_host_send_samples(host, 0, i % 2 ? dir : "/nonexistent/cyclebus-samples");
    float *out = harness_render(host, 120, 24000, 256);
    for (uint32_t f = 0; f < 24000; ++f)
      sound = fmaxf(sound, fabsf(out[f]));
    free(out);
  }
  atomic_store(&stop_restoring, true);
  pthread_join(thread, NULL);
  ck_assert_float_gt(sound, 0.0f);
  cb_host_free(host);
  remove_dir(state_dir);
  remove_dir(dir);
}
END_TEST

int main(void) {
  unsetenv("CYCLEBUS_SAMPLES");
  Suite *s = suite_create("samples_plugin");
  TCase *tc = tcase_create("parameter");
  tcase_add_test(tc, unknown_sounds_are_warnings_and_new_folders_find_them);
  tcase_add_test(tc, a_bad_folder_or_file_is_said_and_the_program_plays_on);
  tcase_add_test(tc, the_samples_parameter_is_saved_and_restored);
  tcase_add_test(tc, a_preset_without_samples_keeps_the_session_folders);
  tcase_add_test(tc, a_folder_that_disappears_while_playing_plays_on_until_the_next_compile);
  tcase_add_test(tc, the_parameter_is_safe_while_restores_and_compiles_race);
  suite_add_tcase(s, tc);
  return check_run(s);
}
