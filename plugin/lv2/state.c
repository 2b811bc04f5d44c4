/* LV2 State: the program text (urn:cyclebus:program) and the watched program
   file (urn:cyclebus:programFile, through mapPath). save() and restore() run
   on a non-real-time thread, possibly while run() is active: they touch only
   the state_lock-guarded fields and hand a compiled program to run() atomically. */
#include "plugin.h"

#include <stdlib.h>
#include <string.h>

static LV2_State_Status save(LV2_Handle instance, LV2_State_Store_Function store,
                             LV2_State_Handle handle, uint32_t flags,
                             const LV2_Feature *const *features) {
  (void)flags;
  cb_plugin *self = instance;
  const LV2_State_Map_Path *map_path = NULL;
  LV2_State_Free_Path *free_path = NULL;
  for (int i = 0; features && features[i]; ++i) {
    if (!strcmp(features[i]->URI, LV2_STATE__mapPath))
      map_path = features[i]->data;
    else if (!strcmp(features[i]->URI, LV2_STATE__freePath))
      free_path = features[i]->data;
  }
  LV2_State_Status status = LV2_STATE_SUCCESS;
  uint32_t pod = LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE;
  pthread_mutex_lock(&self->state_lock);
  if (self->state_text) {
    status = store(handle, self->uris.cb_program, self->state_text, strlen(self->state_text) + 1,
                   self->uris.atom_String, pod);
  }
  if (status == LV2_STATE_SUCCESS && self->watch_path) {
    char *path = map_path ? map_path->abstract_path(map_path->handle, self->watch_path)
                          : strdup(self->watch_path);
    if (path) {
      status = store(handle, self->uris.cb_programFile, path, strlen(path) + 1,
                     self->uris.atom_Path, LV2_STATE_IS_POD);
      if (map_path && free_path)
        free_path->free_path(free_path->handle, path);
      else
        free(path);
    }
  }
  pthread_mutex_unlock(&self->state_lock);
  return status;
}

/* The absolute path of a saved path value, as our own allocation. The value
   need not end in a NUL: only its `size` bytes are read. */
static char *absolute_path(const LV2_Feature *const *features, const char *value, size_t size) {
  const LV2_State_Map_Path *map_path = NULL;
  LV2_State_Free_Path *free_path = NULL;
  for (int i = 0; features && features[i]; ++i) {
    if (!strcmp(features[i]->URI, LV2_STATE__mapPath))
      map_path = features[i]->data;
    else if (!strcmp(features[i]->URI, LV2_STATE__freePath))
      free_path = features[i]->data;
  }
  char *stored = strndup(value, size);
  if (!stored || !map_path)
    return stored;
  char *mapped = map_path->absolute_path(map_path->handle, stored);
  char *path = mapped ? strdup(mapped) : NULL;
  if (mapped && free_path)
    free_path->free_path(free_path->handle, mapped);
  else
    free(mapped);
  free(stored);
  return path;
}

/* Plays the saved program: the text is what played when the session was
   saved. A saved program file is watched again from how it is now, so it
   replaces the text only once it changes; without a saved text it is read
   at once. A bad or too long state keeps the playing program and logs why. */
static LV2_State_Status restore(LV2_Handle instance, LV2_State_Retrieve_Function retrieve,
                                LV2_State_Handle handle, uint32_t flags,
                                const LV2_Feature *const *features) {
  (void)flags;
  cb_plugin *self = instance;
  size_t file_size = 0, text_size = 0;
  uint32_t file_type = 0, text_type = 0, value_flags = 0;
  const char *file =
      retrieve(handle, self->uris.cb_programFile, &file_size, &file_type, &value_flags);
  const char *text = retrieve(handle, self->uris.cb_program, &text_size, &text_type, &value_flags);
  if (file && file_type != self->uris.atom_Path)
    file = NULL;
  if (text && text_type != self->uris.atom_String)
    text = NULL;
  if (!text && !file)
    return LV2_STATE_SUCCESS; /* nothing of ours: keep playing */

  uint32_t sequence = atomic_fetch_add(&self->request_sequence, 1) + 1;
  cb_program *program = NULL;
  if (text) {
    prog_error error = {0};
    program = cb_program_make(text, strnlen(text, text_size), sequence, &error);
    if (!program) {
      lv2_log_error(&self->logger, "cyclebus: restored program: %d:%d: %s\n", error.line,
                    error.column, error.message);
      return LV2_STATE_ERR_UNKNOWN;
    }
  }
  char *file_path = file ? absolute_path(features, file, file_size) : NULL;
  cb_watch_file(self, file_path, sequence,
                program && file_path ? cb_file_stamp_of(file_path) : CB_FILE_STAMP_UNKNOWN);
  free(file_path);
  atomic_store_explicit(&self->restored_sequence, sequence, memory_order_release);
  if (program) {
    cb_remember_program(self, program);
    cb_program *unused = atomic_exchange_explicit(&self->restored, program, memory_order_acq_rel);
    cb_program_free(unused); /* a restore run() never took */
  }
  return LV2_STATE_SUCCESS;
}

const LV2_State_Interface cb_state_interface = {save, restore};
