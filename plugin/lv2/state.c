/* LV2 State: the program text (urn:cyclebus:program) and program file
   (urn:cyclebus:programFile, through mapPath). save() and restore() run on a
   non-real-time thread, possibly while run() is active: they touch only the
   state_lock-guarded copies and hand a compiled program to run() atomically. */
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
  if (status == LV2_STATE_SUCCESS && self->state_file) {
    char *path = map_path ? map_path->abstract_path(map_path->handle, self->state_file)
                          : strdup(self->state_file);
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

static char *absolute_path(const LV2_Feature *const *features, const char *path) {
  for (int i = 0; features && features[i]; ++i) {
    if (!strcmp(features[i]->URI, LV2_STATE__mapPath)) {
      const LV2_State_Map_Path *map_path = features[i]->data;
      return map_path->absolute_path(map_path->handle, path);
    }
  }
  return strdup(path);
}

/* Compiles the saved program (the file's current text when a file is saved
   and readable) and hands it to run(). A bad state keeps the playing program
   and logs the error. */
static LV2_State_Status restore(LV2_Handle instance, LV2_State_Retrieve_Function retrieve,
                                LV2_State_Handle handle, uint32_t flags,
                                const LV2_Feature *const *features) {
  (void)flags;
  cb_plugin *self = instance;
  size_t size = 0;
  uint32_t type = 0, value_flags = 0;
  const char *file = retrieve(handle, self->uris.cb_programFile, &size, &type, &value_flags);
  char *file_path = file && type == self->uris.atom_Path ? absolute_path(features, file) : NULL;
  const char *text = retrieve(handle, self->uris.cb_program, &size, &type, &value_flags);
  if (text && type != self->uris.atom_String)
    text = NULL;
  if (!text && !file_path)
    return LV2_STATE_SUCCESS; /* nothing of ours: keep playing */

  prog_error error = {0};
  cb_program *program = NULL;
  if (file_path) {
    /* The file wins when it can be read: it is what the musician edits. */
    pthread_mutex_lock(&self->state_lock);
    free(self->state_file);
    self->state_file = strdup(file_path);
    self->file_stamp = CB_FILE_STAMP_UNKNOWN;
    pthread_mutex_unlock(&self->state_lock);
    atomic_store_explicit(&self->file_watched, true, memory_order_release);
  }
  if (text)
    program = cb_program_make(self, text, strnlen(text, size), file_path, &error);
  free(file_path);
  if (!program) {
    if (text)
      lv2_log_error(&self->logger, "cyclebus: restored program: %d:%d: %s\n", error.line,
                    error.column, error.message);
    return text ? LV2_STATE_ERR_UNKNOWN : LV2_STATE_SUCCESS;
  }
  cb_remember_program(self, program);
  cb_program *unused = atomic_exchange_explicit(&self->restored, program, memory_order_acq_rel);
  cb_program_free(unused); /* a restore run() never took */
  return LV2_STATE_SUCCESS;
}

const LV2_State_Interface cb_state_interface = {save, restore};
