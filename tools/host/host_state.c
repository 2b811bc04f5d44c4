/* Saving and restoring the plugin's state with lilv, as a DAW does with a
   session (lilv provides mapPath and friends). */
#include "host_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const void *no_port_value(const char *symbol, void *user_data, uint32_t *size,
                                 uint32_t *type) {
  (void)symbol;
  (void)user_data;
  *size = 0;
  *type = 0;
  return NULL;
}

bool cb_host_save_state(cb_host *host, const char *dir, const char *file) {
  LilvState *state = lilv_state_new_from_instance(
      host->plugin, host->instance, &host->map, NULL, dir, dir, dir, no_port_value, host,
      LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, host->features);
  if (!state)
    return false;
  int rc = lilv_state_save(host->world, &host->map, &host->unmap, state, NULL, dir, file);
  lilv_state_free(state);
  return rc == 0;
}

/* Port values in a state or preset land in the host's control values. */
static void set_port_value(const char *symbol, void *user_data, const void *value, uint32_t size,
                           uint32_t type) {
  cb_host *host = user_data;
  if (type == host->atom_Float && size == sizeof(float))
    cb_host_set_control(host, symbol, *(const float *)value);
  else if (type == host->atom_Double && size == sizeof(double))
    cb_host_set_control(host, symbol, (float)*(const double *)value);
}

bool cb_host_restore_state(cb_host *host, const char *dir, const char *file) {
  char *path = malloc(strlen(dir) + strlen(file) + 2);
  sprintf(path, "%s/%s", dir, file);
  LilvState *state = lilv_state_new_from_file(host->world, &host->map, NULL, path);
  free(path);
  if (!state)
    return false;
  lilv_state_restore(state, host->instance, set_port_value, host, 0, host->features);
  lilv_state_free(state);
  return true;
}
