/* The integrated-loudness meter (tests/loudness.h) against values derived
   from BS.1770 and EBU Tech 3341's test signals, then the shipped presets,
   each rendered through the plugin: within +-2 LU of their median. */
#include <dirent.h>

#include "loudness.h"
#include "plugin_harness.h"

#define PRESETS "presets/cyclebus-presets.lv2"

/* A 1 kHz sine of peak `dbfs` in each channel asked for, for `seconds`,
   appended at *at. */
static void sine(float *left, float *right, size_t *at, double rate, double seconds, double dbfs,
                 bool in_left, bool in_right) {
  double amplitude = pow(10.0, dbfs / 20.0);
  size_t n = (size_t)llround(seconds * rate);
  for (size_t i = 0; i < n; ++i) {
    float x = (float)(amplitude * sin(2.0 * M_PI * 1000.0 * (double)(*at + i) / rate));
    left[*at + i] = in_left ? x : 0.0f;
    right[*at + i] = in_right ? x : 0.0f;
  }
  *at += n;
}

/* BS.1770-4's table of the filters at 48 kHz; ours come from the analogue
   prototypes, so they hold at any rate. */
START_TEST(k_weighting_at_48k_is_the_standards_table) {
  loudness_biquad s[2];
  loudness_k_weighting(48000.0, s);
  const double tol = 1e-6;
  ck_assert_double_eq_tol(s[0].b0, 1.53512485958697, tol);
  ck_assert_double_eq_tol(s[0].b1, -2.69169618940638, tol);
  ck_assert_double_eq_tol(s[0].b2, 1.19839281085285, tol);
  ck_assert_double_eq_tol(s[0].a1, -1.69065929318241, tol);
  ck_assert_double_eq_tol(s[0].a2, 0.73248077421585, tol);
  ck_assert_double_eq_tol(s[1].a1, -1.99004745483398, tol);
  ck_assert_double_eq_tol(s[1].a2, 0.99007225036621, tol);
}
END_TEST

/* A sine of peak A has mean square A^2 / 2; K-weighting lifts 1 kHz by
   0.691 dB, which BS.1770's -0.691 takes back. So a 1 kHz sine of peak
   -20 dBFS in both channels is 10 log10(2 * 0.01 / 2) = -20.0 LUFS, in one
   channel 3.01 LU less, -23.0 LUFS, at any rate. */
START_TEST(a_1khz_sine_measures_its_derived_loudness) {
  const double rates[2] = {48000.0, 44100.0};
  for (int r = 0; r < 2; ++r) {
    size_t frames = (size_t)(20 * rates[r]), at = 0;
    float *left = malloc(frames * sizeof *left), *right = malloc(frames * sizeof *right);
    sine(left, right, &at, rates[r], 20.0, -20.0, true, true);
    ck_assert_double_eq_tol(loudness_integrated(left, right, frames, rates[r]), -20.0, 0.1);
    at = 0;
    sine(left, right, &at, rates[r], 20.0, -20.0, true, false);
    ck_assert_double_eq_tol(loudness_integrated(left, right, frames, rates[r]), -23.01, 0.1);
    at = 0;
    sine(left, right, &at, rates[r], 20.0, -23.0, true, true); /* Tech 3341 case 1 */
    ck_assert_double_eq_tol(loudness_integrated(left, right, frames, rates[r]), -23.0, 0.1);
    free(left);
    free(right);
  }
}
END_TEST

/* The gates: silence is under the absolute gate; EBU Tech 3341 case 3
   (-36, -23, -36 dBFS for 10, 60, 10 s) reads -23.0, the quiet parts being
   more than 10 LU under; without the relative gate it would read -24.2. */
START_TEST(the_gates_leave_out_silence_and_quiet_parts) {
  double rate = 48000.0;
  size_t frames = (size_t)(80 * rate), at = 0;
  float *left = calloc(frames, sizeof *left), *right = calloc(frames, sizeof *right);
  sine(left, right, &at, rate, 10.0, -20.0, true, true);
  ck_assert_double_eq_tol(loudness_integrated(left, right, frames, rate), -20.0, 0.1);
  at = 0;
  sine(left, right, &at, rate, 10.0, -36.0, true, true);
  sine(left, right, &at, rate, 60.0, -23.0, true, true);
  sine(left, right, &at, rate, 10.0, -36.0, true, true);
  ck_assert_double_eq_tol(loudness_integrated(left, right, frames, rate), -23.0, 0.1);
  for (size_t i = 0; i < frames; ++i)
    left[i] = right[i] = 0.0f;
  ck_assert(isinf(loudness_integrated(left, right, frames, rate)));
  free(left);
  free(right);
}
END_TEST

static char *presets_dir(void) {
  static char path[4096];
  char *top = realpath(getenv("CB_TOP") ? getenv("CB_TOP") : ".", NULL);
  snprintf(path, sizeof path, "%s/" PRESETS, top);
  free(top);
  return path;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Every shipped preset, restored into the plugin and played for 16 s at
   120 bpm (8 cycles), is within 2 LU of the presets' median loudness. */
START_TEST(the_presets_are_equally_loud) {
  DIR *dir = opendir(presets_dir());
  ck_assert_ptr_nonnull(dir);
  enum { MAX = 32 };
  char names[MAX][64];
  double lufs[MAX], sorted[MAX];
  int count = 0;
  struct dirent *entry;
  const uint32_t frames = (uint32_t)(16 * RATE);
  while ((entry = readdir(dir)) && count < MAX) {
    size_t n = strlen(entry->d_name);
    if (n < 5 || strcmp(entry->d_name + n - 4, ".ttl") || !strcmp(entry->d_name, "manifest.ttl"))
      continue;
    cb_host *host = harness_host(true, 1024);
    ck_assert_msg(cb_host_restore_state(host, presets_dir(), entry->d_name), "%s", entry->d_name);
    float *out = harness_render(host, 120, frames, 512);
    snprintf(names[count], sizeof names[count], "%s", entry->d_name);
    lufs[count] = loudness_integrated(out, out + frames, frames, RATE);
    sorted[count] = lufs[count];
    printf("  %-24s %6.1f LUFS\n", names[count], lufs[count]);
    free(out);
    cb_host_free(host);
    count++;
  }
  closedir(dir);
  ck_assert_int_ge(count, 8);
  qsort(sorted, (size_t)count, sizeof sorted[0], by_value);
  double median = count % 2 ? sorted[count / 2] : 0.5 * (sorted[count / 2 - 1] + sorted[count / 2]);
  for (int i = 0; i < count; ++i)
    ck_assert_msg(fabs(lufs[i] - median) <= 2.0, "%s: %.1f LUFS, the median %.1f", names[i],
                  lufs[i], median);
}
END_TEST

int main(void) {
  Suite *s = suite_create("loudness");
  TCase *tc = tcase_create("meter");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, k_weighting_at_48k_is_the_standards_table);
  tcase_add_test(tc, a_1khz_sine_measures_its_derived_loudness);
  tcase_add_test(tc, the_gates_leave_out_silence_and_quiet_parts);
  tcase_add_test(tc, the_presets_are_equally_loud);
  suite_add_tcase(s, tc);
  return check_run(s);
}
