/* The TTL is the one description of the ports: the built bundle, read
   through lilv, must agree with plugin/lv2/ports.h (index, symbol, range,
   default), declare the features and interfaces the C side needs, and carry
   the embedded default program as its default state. */
#include <check.h>

#include "check_run.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include "../plugin/lv2/ports.h"
#include "default_program.h"

static LilvWorld *world;
static const LilvPlugin *plugin;

static void load(void) {
  world = lilv_world_new();
  char path[4096];
  const char *build = getenv("CB_BUILD") ? getenv("CB_BUILD") : "build";
  char *abs = realpath(build, NULL);
  ck_assert_ptr_nonnull(abs);
  snprintf(path, sizeof path, "%s/lv2/cyclebus.lv2/", abs);
  free(abs);
  LilvNode *bundle = lilv_new_file_uri(world, NULL, path);
  lilv_world_load_bundle(world, bundle);
  lilv_node_free(bundle);
  LilvNode *uri = lilv_new_uri(world, "urn:cyclebus:cyclebus");
  plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world), uri);
  lilv_node_free(uri);
  ck_assert_msg(plugin != NULL, "plugin not found in %s", path);
}

static void unload(void) { lilv_world_free(world); }

START_TEST(control_ports_match_the_c_side) {
  ck_assert_uint_eq(lilv_plugin_get_num_ports(plugin), CB_PORT_COUNT);
  float *min = calloc(CB_PORT_COUNT, sizeof(float)), *max = calloc(CB_PORT_COUNT, sizeof(float));
  float *def = calloc(CB_PORT_COUNT, sizeof(float));
  lilv_plugin_get_port_ranges_float(plugin, min, max, def);
  for (size_t i = 0; i < CB_CONTROL_PORT_COUNT; ++i) {
    const cb_control_port *c = &cb_control_ports[i];
    const LilvPort *port = lilv_plugin_get_port_by_index(plugin, c->index);
    ck_assert_ptr_nonnull(port);
    ck_assert_str_eq(lilv_node_as_string(lilv_port_get_symbol(plugin, port)), c->symbol);
    ck_assert_msg(fabsf(min[c->index] - c->minimum) < 1e-6f, "%s minimum", c->symbol);
    ck_assert_msg(fabsf(max[c->index] - c->maximum) < 1e-6f, "%s maximum", c->symbol);
    ck_assert_msg(fabsf(def[c->index] - c->fallback) < 1e-6f, "%s default", c->symbol);
  }
  free(min);
  free(max);
  free(def);
}
END_TEST

static bool port_is(uint32_t index, const char *class_uri) {
  LilvNode *cls = lilv_new_uri(world, class_uri);
  bool is = lilv_port_is_a(plugin, lilv_plugin_get_port_by_index(plugin, index), cls);
  lilv_node_free(cls);
  return is;
}

START_TEST(atom_and_audio_ports_are_where_the_c_side_expects) {
  ck_assert(port_is(CB_PORT_CONTROL, LV2_ATOM__AtomPort) &&
            port_is(CB_PORT_CONTROL, LV2_CORE__InputPort));
  ck_assert(port_is(CB_PORT_NOTIFY, LV2_ATOM__AtomPort) &&
            port_is(CB_PORT_NOTIFY, LV2_CORE__OutputPort));
  ck_assert(port_is(CB_PORT_OUT_LEFT, LV2_CORE__AudioPort));
  ck_assert(port_is(CB_PORT_OUT_RIGHT, LV2_CORE__AudioPort));
  LilvNode *supports = lilv_new_uri(world, LV2_ATOM__supports);
  LilvNode *position = lilv_new_uri(world, "http://lv2plug.in/ns/ext/time#Position");
  LilvNodes *values =
      lilv_port_get_value(plugin, lilv_plugin_get_port_by_index(plugin, CB_PORT_CONTROL), supports);
  ck_assert(lilv_nodes_contains(values, position));
  lilv_nodes_free(values);
  lilv_node_free(supports);
  lilv_node_free(position);
}
END_TEST

/* A host that honours rsz:minimumSize gives the atom ports room for a
   patch:Set of the longest program text (65535 bytes) and its overhead. */
START_TEST(atom_ports_hold_the_longest_program) {
  LilvNode *minimum = lilv_new_uri(world, "http://lv2plug.in/ns/ext/resize-port#minimumSize");
  const uint32_t ports[2] = {CB_PORT_CONTROL, CB_PORT_NOTIFY};
  for (int i = 0; i < 2; ++i) {
    LilvNodes *values =
        lilv_port_get_value(plugin, lilv_plugin_get_port_by_index(plugin, ports[i]), minimum);
    ck_assert_msg(values && lilv_nodes_size(values) == 1, "port %u: no rsz:minimumSize", ports[i]);
    ck_assert_int_ge(lilv_node_as_int(lilv_nodes_get_first(values)), 65536 + 1024);
    lilv_nodes_free(values);
  }
  lilv_node_free(minimum);
}
END_TEST

START_TEST(requires_map_and_worker_and_is_an_instrument) {
  LilvNodes *required = lilv_plugin_get_required_features(plugin);
  LilvNode *map = lilv_new_uri(world, LV2_URID__map),
           *schedule = lilv_new_uri(world, LV2_WORKER__schedule);
  ck_assert(lilv_nodes_contains(required, map) && lilv_nodes_contains(required, schedule));
  /* Asked of the data: the class hierarchy lives in lv2core, not loaded here. */
  LilvNode *rdf_type = lilv_new_uri(world, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
  LilvNode *instrument = lilv_new_uri(world, LV2_CORE__InstrumentPlugin);
  ck_assert(lilv_world_ask(world, lilv_plugin_get_uri(plugin), rdf_type, instrument));
  lilv_node_free(rdf_type);
  lilv_node_free(instrument);
  LilvNode *worker = lilv_new_uri(world, LV2_WORKER__interface);
  LilvNode *state = lilv_new_uri(world, LV2_STATE__interface);
  ck_assert(lilv_plugin_has_extension_data(plugin, worker));
  ck_assert(lilv_plugin_has_extension_data(plugin, state));
  lilv_nodes_free(required);
  lilv_node_free(map);
  lilv_node_free(schedule);
  lilv_node_free(worker);
  lilv_node_free(state);
}
END_TEST

START_TEST(default_state_is_the_embedded_program) {
  LilvNode *state_pred = lilv_new_uri(world, LV2_STATE__state);
  LilvNode *program = lilv_new_uri(world, "urn:cyclebus:program");
  LilvNodes *states = lilv_plugin_get_value(plugin, state_pred);
  ck_assert_uint_eq(lilv_nodes_size(states), 1);
  const LilvNode *state = lilv_nodes_get_first(states);
  LilvNodes *texts = lilv_world_find_nodes(world, state, program, NULL);
  ck_assert_uint_eq(lilv_nodes_size(texts), 1);
  ck_assert_str_eq(lilv_node_as_string(lilv_nodes_get_first(texts)), cb_default_program);
  lilv_nodes_free(texts);
  lilv_nodes_free(states);
  lilv_node_free(state_pred);
  lilv_node_free(program);
}
END_TEST

/* The multi-out plugin: the plugin's ports (the same symbols at the same
   indices), then a stereo pair per orbit, each in its own pg:StereoGroup
   with pg:left and pg:right, where ports.h puts them. */
START_TEST(the_stems_plugin_adds_a_stereo_group_per_orbit) {
  LilvNode *uri = lilv_new_uri(world, "urn:cyclebus:stems");
  const LilvPlugin *stems = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world), uri);
  lilv_node_free(uri);
  ck_assert_ptr_nonnull(stems);
  ck_assert_uint_eq(lilv_plugin_get_num_ports(stems), CB_STEMS_PORT_COUNT);
  for (uint32_t i = 0; i < CB_PORT_COUNT; ++i)
    ck_assert_str_eq(
        lilv_node_as_string(lilv_port_get_symbol(stems, lilv_plugin_get_port_by_index(stems, i))),
        lilv_node_as_string(
            lilv_port_get_symbol(plugin, lilv_plugin_get_port_by_index(plugin, i))));
  LilvNode *audio = lilv_new_uri(world, LV2_CORE__AudioPort);
  LilvNode *output = lilv_new_uri(world, LV2_CORE__OutputPort);
  LilvNode *group = lilv_new_uri(world, "http://lv2plug.in/ns/ext/port-groups#group");
  LilvNode *designation = lilv_new_uri(world, LV2_CORE__designation);
  LilvNode *stereo = lilv_new_uri(world, "http://lv2plug.in/ns/ext/port-groups#StereoGroup");
  LilvNode *rdf_type = lilv_new_uri(world, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
  const char *sides[2] = {"left", "right"};
  for (uint32_t o = 0; o < 8; ++o)
    for (uint32_t c = 0; c < 2; ++c) {
      const LilvPort *port = lilv_plugin_get_port_by_index(stems, CB_PORT_STEM_FIRST + 2 * o + c);
      char symbol[32], side[64], group_uri[64];
      snprintf(symbol, sizeof symbol, "orbit%u_%s", o, sides[c]);
      snprintf(side, sizeof side, "http://lv2plug.in/ns/ext/port-groups#%s", sides[c]);
      snprintf(group_uri, sizeof group_uri, "urn:cyclebus:orbit%u", o);
      ck_assert_str_eq(lilv_node_as_string(lilv_port_get_symbol(stems, port)), symbol);
      ck_assert(lilv_port_is_a(stems, port, audio) && lilv_port_is_a(stems, port, output));
      LilvNodes *groups = lilv_port_get_value(stems, port, group);
      ck_assert_uint_eq(lilv_nodes_size(groups), 1);
      ck_assert_str_eq(lilv_node_as_uri(lilv_nodes_get_first(groups)), group_uri);
      ck_assert(lilv_world_ask(world, lilv_nodes_get_first(groups), rdf_type, stereo));
      LilvNodes *designations = lilv_port_get_value(stems, port, designation);
      ck_assert_uint_eq(lilv_nodes_size(designations), 1);
      ck_assert_str_eq(lilv_node_as_uri(lilv_nodes_get_first(designations)), side);
      lilv_nodes_free(groups);
      lilv_nodes_free(designations);
    }
  lilv_node_free(audio);
  lilv_node_free(output);
  lilv_node_free(group);
  lilv_node_free(designation);
  lilv_node_free(stereo);
  lilv_node_free(rdf_type);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ttl");
  TCase *tc = tcase_create("bundle");
  tcase_add_checked_fixture(tc, load, unload);
  tcase_add_test(tc, control_ports_match_the_c_side);
  tcase_add_test(tc, atom_and_audio_ports_are_where_the_c_side_expects);
  tcase_add_test(tc, requires_map_and_worker_and_is_an_instrument);
  tcase_add_test(tc, atom_ports_hold_the_longest_program);
  tcase_add_test(tc, default_state_is_the_embedded_program);
  tcase_add_test(tc, the_stems_plugin_adds_a_stereo_group_per_orbit);
  suite_add_tcase(s, tc);
  return check_run(s);
}
