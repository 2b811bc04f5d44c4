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
  uint32_t before;
  cb_host_status(host, &before);
  cb_host_send_samples(host, 0, folders);
  harness_wait_report(host, before);
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

/* Runs blocks (the worker answers within them) without waiting for a new
   status: a compile for new folders while the newest program failed leaves
   the status as it was. */
static void settle(cb_host *host) {
  float l[64], r[64];
  for (int i = 0; i < 8; ++i) {
    cb_host_run(host, 64, l, r);
    cb_host_wait_worker(host);
  }
}

static bool sounds(cb_host *host) {
  float *out = harness_render(host, 120, 48000, 256);
  bool heard = !harness_silent(out, 0, 96000);
  free(out);
  return heard;
}

/* A state with the sample folders and, when `program_file` is given, a
   program file but no program text, as a DAW may write it. */
static void write_state(const char *state_dir, const char *folders, const char *program_file) {
  char path[4300];
  snprintf(path, sizeof path, "%s/state.ttl", state_dir);
  FILE *file = fopen(path, "w");
  ck_assert_ptr_nonnull(file);
  fprintf(file,
          "@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n"
          "@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n"
          "@prefix state: <http://lv2plug.in/ns/ext/state#> .\n"
          "<> a pset:Preset ; lv2:appliesTo <urn:cyclebus:cyclebus> ;\n"
          "  state:state [ <urn:cyclebus:samples> <file://%s>",
          folders);
  if (program_file)
    fprintf(file, " ; <urn:cyclebus:programFile> <file://%s>", program_file);
  fputs(" ] .\n", file);
  fclose(file);
}

START_TEST(restored_folders_without_a_program_compile_the_playing_one_again) {
  char *dir = sample_folder();
  char *state_dir = scratch_dir();
  write_state(state_dir, dir, NULL);
  cb_host *host = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(host, PROGRAM), "");
  ck_assert_msg(strstr(cb_host_warnings(host), "unknown sound"), "%s", cb_host_warnings(host));
  ck_assert(cb_host_restore_state(host, state_dir, "state.ttl"));
  settle(host);
  ck_assert_str_eq(cb_host_warnings(host), ""); /* re-evaluated: both names found */
  ck_assert_str_eq(cb_host_samples_reply(host), dir);
  cb_stats stats;
  ck_assert(cb_host_stats(host, &stats));
  ck_assert_uint_eq(stats.sample_files_loaded, 2);
  ck_assert(sounds(host));
  cb_host_free(host);
  remove_dir(state_dir);
  remove_dir(dir);
}
END_TEST

/* The restored parameter reaches the host and the UI without a patch:Get,
   before the program file is even read. */
START_TEST(a_restored_program_file_shows_the_restored_folders_at_once) {
  char *dir = sample_folder();
  char *state_dir = scratch_dir();
  char program_file[4300];
  snprintf(program_file, sizeof program_file, "%s/p.cb", state_dir);
  FILE *file = fopen(program_file, "w");
  ck_assert_ptr_nonnull(file);
  fputs("bpm: 120\nd1 $ s \"zzkick*4\"\n", file);
  fclose(file);
  write_state(state_dir, dir, program_file);
  cb_host *host = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(host, PROGRAM), "");
  ck_assert(cb_host_restore_state(host, state_dir, "state.ttl"));
  float l[64], r[64];
  cb_host_run(host, 64, l, r);
  const char *shown = cb_host_samples_reply(host);
  ck_assert_msg(shown && !strcmp(shown, dir), "%s", shown ? shown : "(nothing)");
  settle(host);
  ck_assert_str_eq(cb_host_status(host, NULL), "");
  ck_assert_str_eq(cb_host_warnings(host), "");
  ck_assert(sounds(host));
  cb_host_free(host);
  remove_dir(state_dir);
  remove_dir(dir);
}
END_TEST

/* The failed text stays failed (its error shown); the last good program
   plays with the new folders. */
START_TEST(new_folders_reach_the_last_good_program_when_the_newest_failed) {
  char *dir = sample_folder();
  cb_host *host = harness_host(true, 1024);
  ck_assert_str_eq(harness_load(host, PROGRAM), "");
  char error[512];
  snprintf(error, sizeof error, "%s", harness_load(host, "d1 $ s \"[zzkick\"\n"));
  ck_assert_msg(error[0] != '\0', "the bad program compiled");
  cb_host_send_samples(host, 0, dir);
  settle(host);
  ck_assert_str_eq(cb_host_status(host, NULL), error);
  ck_assert_str_eq(cb_host_warnings(host), "");
  cb_stats stats;
  ck_assert(cb_host_stats(host, &stats));
  ck_assert_uint_eq(stats.sample_files_loaded, 2);
  ck_assert(sounds(host));
  /* A good program after it clears the error as usual. */
  ck_assert_str_eq(harness_load(host, PROGRAM), "");
  cb_host_free(host);
  remove_dir(dir);
}
END_TEST

/* A mono file of `frames` at the session rate: frames * 4 bytes in memory. */
static void write_long_sample(const char *dir, const char *name, int frames) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  SF_INFO info = {.samplerate = 48000, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
  SNDFILE *file = sf_open(path, SFM_WRITE, &info);
  ck_assert_ptr_nonnull(file);
  float *data = calloc((size_t)frames, sizeof(float));
  for (int i = 0; i < frames; ++i)
    data[i] = 0.25f * (float)(i % 64) / 64.0f;
  sf_writef_float(file, data, frames);
  sf_close(file);
  free(data);
}

static uint64_t files_loaded(cb_host *host) {
  cb_stats stats;
  ck_assert(cb_host_stats(host, &stats));
  return stats.sample_files_loaded;
}

/* The host's urn:cyclebus:sampleMemory option (MB) is the cap: three files
   of 300000 bytes fit under 1 MB, a fourth unloads the least recently used
   name no program holds, and a file bigger than the cap is refused. */
START_TEST(the_sample_memory_option_caps_sample_data) {
  char *dir = scratch_dir();
  const char *names[] = {"zza.wav", "zzb.wav", "zzc.wav", "zzd.wav"};
  for (int i = 0; i < 4; ++i)
    write_long_sample(dir, names[i], 75000);
  write_long_sample(dir, "zzhuge.wav", 300000);
  char error[512];
  cb_host_options options = {harness_bundle(), RATE, 1024, true, true, 0, NULL, 1};
  cb_host *host = cb_host_new(&options, error, sizeof error);
  ck_assert_msg(host != NULL, "%s", error);
  set_samples(host, dir);
  cb_stats stats;
  ck_assert(cb_host_stats(host, &stats));
  ck_assert_uint_eq(stats.sample_cap, (size_t)1 << 20);
  const char *programs[] = {"d1 $ s \"zza\"\n", "d1 $ s \"zzb\"\n", "d1 $ s \"zzc\"\n"};
  for (int i = 0; i < 3; ++i)
    ck_assert_str_eq(harness_load(host, programs[i]), "");
  ck_assert(cb_host_stats(host, &stats));
  ck_assert_uint_eq(stats.sample_bytes, 3 * 300000);
  ck_assert_uint_eq(stats.sample_evictions, 0);
  /* zzd needs room: zza, used longest ago and held by no program, goes. */
  ck_assert_str_eq(harness_load(host, "d1 $ s \"zzd\"\n"), "");
  ck_assert(cb_host_stats(host, &stats));
  ck_assert_uint_eq(stats.sample_evictions, 1);
  ck_assert_uint_eq(stats.sample_bytes, 3 * 300000);
  ck_assert_uint_eq(files_loaded(host), 4);
  ck_assert_str_eq(harness_load(host, "d1 $ s \"zzb zzc zzd\"\n"), "");
  ck_assert_uint_eq(files_loaded(host), 4); /* kept */
  ck_assert_str_eq(harness_load(host, "d1 $ s \"zzd\"\n"), "");
  ck_assert_str_eq(harness_load(host, "d1 $ s \"zza\"\n"), "");
  ck_assert_uint_eq(files_loaded(host), 5); /* unloaded, so read again */
  ck_assert_str_eq(harness_load(host, "d1 $ s \"zzhuge\"\n"), "");
  const char *warnings = cb_host_warnings(host);
  ck_assert_msg(strstr(warnings, "zzhuge.wav: 1.1 MB at the session rate does not fit under the "
                                 "sample memory cap"),
                "%s", warnings);
  cb_host_free(host);
  remove_dir(dir);
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
  tcase_add_test(tc, restored_folders_without_a_program_compile_the_playing_one_again);
  tcase_add_test(tc, a_restored_program_file_shows_the_restored_folders_at_once);
  tcase_add_test(tc, new_folders_reach_the_last_good_program_when_the_newest_failed);
  tcase_add_test(tc, the_sample_memory_option_caps_sample_data);
  tcase_add_test(tc, the_parameter_is_safe_while_restores_and_compiles_race);
  suite_add_tcase(s, tc);
  return check_run(s);
}
