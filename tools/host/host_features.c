/* The features the host offers: urid:map/unmap, log, options. */
#include "host_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/buf-size/buf-size.h>
#include <lv2/parameters/parameters.h>

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri) {
  cb_urid_table *table = handle;
  pthread_mutex_lock(&table->lock);
  LV2_URID id = 0;
  for (uint32_t i = 0; i < table->count; ++i) {
    if (!strcmp(table->uris[i], uri)) {
      id = i + 1;
      break;
    }
  }
  if (!id && table->count < CB_HOST_MAX_URIS) {
    table->uris[table->count++] = strdup(uri);
    id = table->count;
  }
  pthread_mutex_unlock(&table->lock);
  return id;
}

static const char *unmap_uri(LV2_URID_Unmap_Handle handle, LV2_URID id) {
  cb_urid_table *table = handle;
  pthread_mutex_lock(&table->lock);
  const char *uri = id >= 1 && id <= table->count ? table->uris[id - 1] : NULL;
  pthread_mutex_unlock(&table->lock);
  return uri;
}

static int log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, va_list ap) {
  (void)type;
  cb_host *host = handle;
  if (host->options.quiet_log)
    return 0;
  return vfprintf(stderr, fmt, ap);
}

static int log_printf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = log_vprintf(handle, type, fmt, ap);
  va_end(ap);
  return n;
}

void cb_host_init_features(cb_host *host) {
  pthread_mutex_init(&host->urids.lock, NULL);
  host->map = (LV2_URID_Map){&host->urids, map_uri};
  host->unmap = (LV2_URID_Unmap){&host->urids, unmap_uri};
  host->log = (LV2_Log_Log){host, log_printf, log_vprintf};
  host->sample_rate_f = (float)host->options.sample_rate;
  host->max_block = (int32_t)host->options.max_block;
  host->block_length = (int32_t)host->options.max_block;
  LV2_URID atom_Int = map_uri(&host->urids, LV2_ATOM__Int);
  LV2_URID atom_Float = map_uri(&host->urids, LV2_ATOM__Float);
  LV2_Options_Option *o = host->option_list;
  o[0] = (LV2_Options_Option){
      LV2_OPTIONS_INSTANCE, 0,          map_uri(&host->urids, LV2_PARAMETERS__sampleRate),
      sizeof(float),        atom_Float, &host->sample_rate_f};
  o[1] = (LV2_Options_Option){
      LV2_OPTIONS_INSTANCE, 0,        map_uri(&host->urids, LV2_BUF_SIZE__maxBlockLength),
      sizeof(int32_t),      atom_Int, &host->max_block};
  o[2] = (LV2_Options_Option){
      LV2_OPTIONS_INSTANCE, 0,        map_uri(&host->urids, LV2_BUF_SIZE__nominalBlockLength),
      sizeof(int32_t),      atom_Int, &host->block_length};
  int n = 3;
  if (host->options.render_threads > 0) {
    host->render_helpers = host->options.render_threads - 1;
    o[n++] = (LV2_Options_Option){
        LV2_OPTIONS_INSTANCE, 0,        map_uri(&host->urids, "urn:cyclebus:renderThreads"),
        sizeof(int32_t),      atom_Int, &host->render_helpers};
  }
  if (host->options.sample_memory > 0) {
    host->sample_memory = host->options.sample_memory;
    o[n++] = (LV2_Options_Option){
        LV2_OPTIONS_INSTANCE, 0,        map_uri(&host->urids, "urn:cyclebus:sampleMemory"),
        sizeof(int32_t),      atom_Int, &host->sample_memory};
  }
  o[n] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL};
  LV2_Feature *f = host->features_storage;
  f[0] = (LV2_Feature){LV2_URID__map, &host->map};
  f[1] = (LV2_Feature){LV2_URID__unmap, &host->unmap};
  f[2] = (LV2_Feature){LV2_LOG__log, &host->log};
  f[3] = (LV2_Feature){LV2_OPTIONS__options, host->option_list};
  f[4] = (LV2_Feature){LV2_WORKER__schedule, &host->schedule};
  for (int i = 0; i < 5; ++i)
    host->features[i] = &f[i];
  host->features[5] = NULL;
}

void cb_host_free_features(cb_host *host) {
  for (uint32_t i = 0; i < host->urids.count; ++i)
    free(host->urids.uris[i]);
  pthread_mutex_destroy(&host->urids.lock);
}
