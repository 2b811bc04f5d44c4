/* The shipped presets (presets/cyclebus-presets.lv2): lilv finds all of them
   for the plugin, each restores through the state interface with its port
   values, compiles and plays. */
#include <dirent.h>

#include <lilv/lilv.h>

#include "plugin_harness.h"

#define PRESETS "presets/cyclebus-presets.lv2"

static char *presets_dir(void) {
  static char path[4096];
  char *top = realpath(getenv("CB_TOP") ? getenv("CB_TOP") : ".", NULL);
  snprintf(path, sizeof path, "%s/" PRESETS, top);
  free(top);
  return path;
}

START_TEST(lilv_finds_eight_presets_for_both_plugins) {
  LilvWorld *world = lilv_world_new();
  char uri_path[4200], *bundle = realpath(harness_bundle(), NULL);
  snprintf(uri_path, sizeof uri_path, "%s/", bundle);
  LilvNode *b = lilv_new_file_uri(world, NULL, uri_path);
  lilv_world_load_bundle(world, b);
  lilv_node_free(b);
  snprintf(uri_path, sizeof uri_path, "%s/", presets_dir());
  b = lilv_new_file_uri(world, NULL, uri_path);
  lilv_world_load_bundle(world, b);
  lilv_node_free(b);
  LilvNode *preset_class = lilv_new_uri(world, "http://lv2plug.in/ns/ext/presets#Preset");
  /* the plain plugin and the multi-out one show the same presets */
  const char *uris[2] = {"urn:cyclebus:cyclebus", "urn:cyclebus:stems"};
  unsigned counts[2];
  for (int i = 0; i < 2; ++i) {
    LilvNode *uri = lilv_new_uri(world, uris[i]);
    const LilvPlugin *plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world), uri);
    ck_assert_ptr_nonnull(plugin);
    LilvNodes *presets = lilv_plugin_get_related(plugin, preset_class);
    counts[i] = lilv_nodes_size(presets);
    ck_assert_msg(counts[i] >= 8, "%s: %u presets", uris[i], counts[i]);
    lilv_nodes_free(presets);
    lilv_node_free(uri);
  }
  ck_assert_uint_eq(counts[0], counts[1]);
  lilv_node_free(preset_class);
  lilv_world_free(world);
  free(bundle);
}
END_TEST

START_TEST(every_preset_restores_and_plays) {
  DIR *dir = opendir(presets_dir());
  ck_assert_ptr_nonnull(dir);
  int played = 0;
  struct dirent *entry;
  while ((entry = readdir(dir))) {
    size_t n = strlen(entry->d_name);
    if (n < 5 || strcmp(entry->d_name + n - 4, ".ttl") || !strcmp(entry->d_name, "manifest.ttl"))
      continue;
    cb_host *host = harness_host(true, 1024);
    ck_assert_msg(cb_host_restore_state(host, presets_dir(), entry->d_name), "%s", entry->d_name);
    float *out = harness_render(host, 120, 4 * 96000, 512);
    ck_assert_msg(!harness_silent(out, 0, 8 * 96000), "%s is silent", entry->d_name);
    cb_stats stats;
    cb_host_stats(host, &stats);
    ck_assert_uint_ge(stats.programs, 1); /* the preset's program replaced the default */
    if (!strcmp(entry->d_name, "acid-line.ttl"))
      ck_assert_float_eq(cb_host_get_control(host, "cutoff"), 700.0f);
    free(out);
    cb_host_free(host);
    played++;
  }
  closedir(dir);
  ck_assert_int_ge(played, 8);
}
END_TEST

int main(void) {
  Suite *s = suite_create("presets");
  TCase *tc = tcase_create("bundle");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, lilv_finds_eight_presets_for_both_plugins);
  tcase_add_test(tc, every_preset_restores_and_plays);
  suite_add_tcase(s, tc);
  return check_run(s);
}
