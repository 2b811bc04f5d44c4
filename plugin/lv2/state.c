/* LV2 State: the program text (urn:cyclebus:program), the watched program
   file (urn:cyclebus:programFile, through mapPath) and the sample folders
   (urn:cyclebus:samples, each folder through mapPath). save() and restore() run
   on a non-real-time thread, possibly while run() is active: they touch only
   the state_lock-guarded fields and hand a compiled program to run() atomically. */
#include "plugin.h"

#include <stdlib.h>
#include <string.h>

/* Each colon-separated folder through `map` (abstract or absolute), joined
   again; NULL if out of memory. */
static char *map_folders(const char *folders, char *(*map)(void *context, const char *path),
                         void *context) {
  char *joined = calloc(1, 1);
  size_t length = 0;
  for (const char *at = folders; joined && *at;) {
    const char *end = strchr(at, ':');
    size_t piece = end ? (size_t)(end - at) : strlen(at);
    char *folder = strndup(at, piece);
    char *mapped = folder && piece ? map(context, folder) : NULL;
    free(folder);
    if (mapped) {
      size_t add = strlen(mapped);
      char *grown = realloc(joined, length + add + 2);
      if (grown) {
        if (length)
          grown[length++] = ':';
        memcpy(grown + length, mapped, add + 1);
        length += add;
        joined = grown;
      }
      free(mapped);
    }
    at = end ? end + 1 : at + piece;
  }
  return joined;
}

typedef struct {
  const LV2_State_Map_Path *map_path;
  LV2_State_Free_Path *free_path;
} path_features;

/* A host's mapped path as our own allocation. */
static char *own(const path_features *f, char *mapped) {
  char *copy = mapped ? strdup(mapped) : NULL;
  if (mapped && f->free_path)
    f->free_path->free_path(f->free_path->handle, mapped);
  else
    free(mapped);
  return copy;
}

static char *to_abstract(void *context, const char *path) {
  const path_features *f = context;
  return f->map_path ? own(f, f->map_path->abstract_path(f->map_path->handle, path)) : strdup(path);
}

static char *to_absolute(void *context, const char *path) {
  const path_features *f = context;
  return f->map_path ? own(f, f->map_path->absolute_path(f->map_path->handle, path)) : strdup(path);
}

static path_features find_path_features(const LV2_Feature *const *features) {
  path_features f = {NULL, NULL};
  for (int i = 0; features && features[i]; ++i) {
    if (!strcmp(features[i]->URI, LV2_STATE__mapPath))
      f.map_path = features[i]->data;
    else if (!strcmp(features[i]->URI, LV2_STATE__freePath))
      f.free_path = features[i]->data;
  }
  return f;
}

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
  if (status == LV2_STATE_SUCCESS && self->samples_folders) {
    path_features f = find_path_features(features);
    char *folders = map_folders(self->samples_folders, to_abstract, &f);
    /* One folder is an atom:Path, which hosts treat as a file of the
       session; several, joined by ':', a string (a Path with a ':' reads
       back as a URI with a scheme in lilv). */
    if (folders)
      status = store(handle, self->uris.cb_samples, folders, strlen(folders) + 1,
                     strchr(folders, ':') ? self->uris.atom_String : self->uris.atom_Path,
                     LV2_STATE_IS_POD);
    free(folders);
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

/* The newest good program compiled again with restored sample folders, for
   a state without a text: the names they provide play at once and run()
   shows the folders, as after any restore. Answers `*sequence` (a program
   file's request, read later) or, without one, the program's own. */
static cb_program *refresh_last_good(cb_plugin *self, const uint32_t *sequence) {
  pthread_mutex_lock(&self->state_lock);
  char *text = self->state_text ? strdup(self->state_text) : NULL;
  uint32_t answers = sequence ? *sequence : self->state_sequence;
  pthread_mutex_unlock(&self->state_lock);
  if (!text)
    return NULL;
  prog_error error = {0};
  cb_program *program = cb_program_make(self, text, strlen(text), answers, &error);
  if (program)
    program->refresh = true;
  else
    lv2_log_error(&self->logger, "cyclebus: program with the restored sample folders: %d:%d: %s\n",
                  error.line, error.column, error.message);
  free(text);
  return program;
}

/* Plays the saved program: the text is what played when the session was
   saved. A saved program file is watched again from how it is now, so it
   replaces the text only once it changes; without a saved text it is read
   at once. Restored sample folders without a text compile the playing
   program again. A bad or too long state keeps the playing program and logs
   why. */
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
  /* The sample folders first, so the program compiles with them; a state
     without them (a preset) keeps the session's. A folder that does not
     exist is kept too (it may be mounted later); the compile says so. */
  size_t samples_size = 0;
  uint32_t samples_type = 0;
  const char *samples =
      retrieve(handle, self->uris.cb_samples, &samples_size, &samples_type, &value_flags);
  bool folders_restored = false;
  if (samples && (samples_type == self->uris.atom_Path || samples_type == self->uris.atom_String)) {
    path_features f = find_path_features(features);
    char *stored = strndup(samples, samples_size);
    char *folders = stored ? map_folders(stored, to_absolute, &f) : NULL;
    if (folders) {
      cb_samples_apply(self, folders);
      folders_restored = true;
    } else {
      lv2_log_error(&self->logger, "cyclebus: restored sample folders: out of memory\n");
    }
    free(folders);
    free(stored);
  }
  if (!text && !file && !folders_restored)
    return LV2_STATE_SUCCESS; /* nothing of ours: keep playing */

  /* Folders alone are no new request: the program they refresh keeps its. */
  uint32_t sequence = text || file ? atomic_fetch_add(&self->request_sequence, 1) + 1 : 0;
  cb_program *program = NULL;
  if (text) {
    prog_error error = {0};
    program = cb_program_make(self, text, strnlen(text, text_size), sequence, &error);
    if (!program) {
      lv2_log_error(&self->logger, "cyclebus: restored program: %d:%d: %s\n", error.line,
                    error.column, error.message);
      return LV2_STATE_ERR_UNKNOWN;
    }
  } else if (folders_restored) {
    program = refresh_last_good(self, file ? &sequence : NULL);
  }
  if (text || file)
    atomic_store_explicit(&self->restored_sequence, sequence, memory_order_release);
  if (program) {
    cb_remember_program(self, program);
    cb_program *unused = atomic_exchange_explicit(&self->restored, program, memory_order_acq_rel);
    cb_program_free(unused); /* a restore run() never took */
  }
  /* The watch last: the file's program must come after a refreshed one,
     which would replace it. */
  if (text || file) {
    char *file_path = file ? absolute_path(features, file, file_size) : NULL;
    cb_watch_file(self, file_path, sequence,
                  text && file_path ? cb_file_stamp_of(file_path) : CB_FILE_STAMP_UNKNOWN);
    free(file_path);
  }
  return LV2_STATE_SUCCESS;
}

const LV2_State_Interface cb_state_interface = {save, restore};
