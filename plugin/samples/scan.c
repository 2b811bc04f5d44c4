/* Scanning sample folders into the index of names: a sub-folder with audio
   files is a name (Dirt-Samples), an audio file directly in the folder is a
   name by its stem (flat). The folders read are watched by time stamp. */
#include "samples_private.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const audio_extensions[] = {"wav",  "wave", "aif", "aiff", "aifc",
                                               "flac", "ogg",  "oga", "opus", "mp3"};

bool samples_is_audio_name(const char *file_name) {
  const char *dot = strrchr(file_name, '.');
  if (!dot || dot == file_name || file_name[0] == '.')
    return false;
  for (size_t i = 0; i < sizeof audio_extensions / sizeof *audio_extensions; ++i)
    if (!strcasecmp(dot + 1, audio_extensions[i]))
      return true;
  return false;
}

bool samples_stamp(const char *path, samples_path *out) {
  struct stat info;
  out->mtime_ns = -1;
  out->size = -1;
  if (stat(path, &info) != 0)
    return false;
  out->mtime_ns = (int64_t)info.st_mtim.tv_sec * 1000000000 + info.st_mtim.tv_nsec;
  out->size = S_ISREG(info.st_mode) ? (int64_t)info.st_size : -2; /* -2: a folder */
  return true;
}

static bool grow(void **items, size_t *capacity, size_t count, size_t item_size) {
  if (count < *capacity)
    return true;
  size_t wanted = *capacity ? *capacity * 2 : 16;
  void *grown = realloc(*items, wanted * item_size);
  if (!grown)
    return false;
  *items = grown;
  *capacity = wanted;
  return true;
}

void samples_index_watch(samples_index *index, const char *path) {
  if (!grow((void **)&index->watched, &index->watched_capacity, index->watched_count,
            sizeof *index->watched))
    return;
  samples_path *watched = &index->watched[index->watched_count];
  samples_stamp(path, watched);
  if ((watched->path = strdup(path)))
    index->watched_count++;
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const samples_path *)a)->path, ((const samples_path *)b)->path);
}

/* `paths` become the entry's (sorted by the caller or here). */
static void add_entry(samples_index *index, char *name, samples_path *files, uint32_t count,
                      uint32_t rank) {
  if (!name ||
      !grow((void **)&index->entries, &index->capacity, index->count, sizeof *index->entries)) {
    free(name);
    for (uint32_t i = 0; i < count; ++i)
      free(files[i].path);
    free(files);
    return;
  }
  index->entries[index->count++] = (samples_entry){name, files, count, rank};
}

void samples_index_add(samples_index *index, const char *name, size_t length, char **paths,
                       uint32_t count, uint32_t rank) {
  samples_path *files = calloc(count ? count : 1, sizeof *files);
  uint32_t kept = 0;
  for (uint32_t i = 0; files && i < count; ++i) {
    samples_path stamp;
    if (samples_stamp(paths[i], &stamp) && stamp.size >= 0 && (stamp.path = strdup(paths[i])))
      files[kept++] = stamp;
  }
  if (!kept) {
    free(files);
    return;
  }
  add_entry(index, strndup(name, length), files, kept, rank);
}

static char *join(const char *folder, const char *name) {
  size_t a = strlen(folder), b = strlen(name);
  char *path = malloc(a + b + 2);
  if (!path)
    return NULL;
  memcpy(path, folder, a);
  size_t at = a;
  if (a && folder[a - 1] != '/')
    path[at++] = '/';
  memcpy(path + at, name, b + 1);
  return path;
}

/* The audio files of a sound's folder, sorted by name; NULL if none. */
static samples_path *folder_files(samples_index *index, const char *folder, uint32_t *count) {
  DIR *dir = opendir(folder);
  *count = 0;
  if (!dir)
    return NULL;
  samples_index_watch(index, folder);
  samples_path *files = NULL;
  size_t capacity = 0;
  for (struct dirent *item; (item = readdir(dir));) {
    if (!samples_is_audio_name(item->d_name))
      continue;
    char *path = join(folder, item->d_name);
    samples_path stamp;
    /* Only regular files: a FIFO named x.wav would block the worker. */
    if (!path || !samples_stamp(path, &stamp) || stamp.size < 0 ||
        !grow((void **)&files, &capacity, *count, sizeof *files)) {
      free(path);
      continue;
    }
    stamp.path = path;
    files[(*count)++] = stamp;
  }
  closedir(dir);
  if (*count)
    qsort(files, *count, sizeof *files, by_path);
  return files;
}

bool samples_scan_folder(samples_index *index, const char *folder, uint32_t rank) {
  DIR *dir = opendir(folder);
  samples_index_watch(index, folder); /* a missing folder is watched for appearing */
  if (!dir)
    return false;
  if (grow((void **)&index->roots, &index->root_capacity, index->root_count,
           sizeof *index->roots) &&
      (index->roots[index->root_count] = strdup(folder)))
    index->root_count++;
  for (struct dirent *item; (item = readdir(dir));) {
    if (item->d_name[0] == '.')
      continue;
    char *path = join(folder, item->d_name);
    samples_path stamp;
    if (!path || !samples_stamp(path, &stamp)) {
      free(path);
      continue;
    }
    if (stamp.size == -2) { /* a sound's folder */
      uint32_t count;
      samples_path *files = folder_files(index, path, &count);
      if (count)
        add_entry(index, strdup(item->d_name), files, count, rank);
      else
        free(files);
      free(path);
    } else if (stamp.size >= 0 && samples_is_audio_name(item->d_name)) {
      samples_path *file = malloc(sizeof *file);
      if (!file) {
        free(path);
        continue;
      }
      stamp.path = path;
      *file = stamp;
      size_t stem = (size_t)(strrchr(item->d_name, '.') - item->d_name);
      add_entry(index, strndup(item->d_name, stem), file, 1, rank);
    } else {
      free(path);
    }
  }
  closedir(dir);
  return true;
}

static int by_name_then_rank(const void *a, const void *b) {
  const samples_entry *x = a, *y = b;
  int order = strcmp(x->name, y->name);
  if (order)
    return order;
  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static void free_entry(samples_entry *entry) {
  for (uint32_t i = 0; i < entry->count; ++i)
    free(entry->files[i].path);
  free(entry->files);
  free(entry->name);
}

void samples_index_finish(samples_index *index) {
  if (!index->count)
    return;
  qsort(index->entries, index->count, sizeof *index->entries, by_name_then_rank);
  size_t kept = 0;
  for (size_t i = 0; i < index->count; ++i) {
    if (kept && !strcmp(index->entries[kept - 1].name, index->entries[i].name))
      free_entry(&index->entries[i]); /* a later place's: the first place wins */
    else
      index->entries[kept++] = index->entries[i];
  }
  index->count = kept;
}

const samples_entry *samples_index_find(const samples_index *index, const char *name,
                                        size_t length) {
  size_t low = 0, high = index->count;
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    const char *candidate = index->entries[middle].name;
    int order = strncmp(candidate, name, length);
    if (!order && candidate[length])
      order = 1; /* longer than `name` */
    if (!order)
      return &index->entries[middle];
    if (order < 0)
      low = middle + 1;
    else
      high = middle;
  }
  return NULL;
}

bool samples_index_stale(const samples_index *index) {
  for (size_t i = 0; i < index->watched_count; ++i) {
    samples_path now;
    samples_stamp(index->watched[i].path, &now);
    if (now.mtime_ns != index->watched[i].mtime_ns || now.size != index->watched[i].size)
      return true;
  }
  return false;
}

void samples_index_clear(samples_index *index) {
  for (size_t i = 0; i < index->count; ++i)
    free_entry(&index->entries[i]);
  for (size_t i = 0; i < index->watched_count; ++i)
    free(index->watched[i].path);
  for (size_t i = 0; i < index->root_count; ++i)
    free(index->roots[i]);
  free(index->entries);
  free(index->watched);
  free(index->roots);
  *index = (samples_index){0};
}
