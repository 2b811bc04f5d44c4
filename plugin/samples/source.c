/* The sample_source the compiler uses: acquire loads every file of a name
   (sharing files already in memory) and pins the set; release unpins it.
   Unpinned sets stay loaded until the memory cap needs their room, least
   recently used first. A set whose files changed on disk is stale: the next
   acquire loads a new one, and the old one goes when its last holder releases
   it. Worker thread (any non-real-time thread: every call takes the lock). */
#include "samples_private.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct samples_file {
  sample_data data;
  samples_path stamp; /* owns the path data.path points to */
  size_t bytes;
  uint32_t sets; /* sets holding it: freed at 0 */
  samples_file *next;
};

struct samples_set {
  sample_set set;        /* first: release() gets &set */
  samples_path *sources; /* the index's files when it was loaded */
  uint32_t source_count;
  samples_file **files;
  const sample_data **items;
  uint32_t pins;
  uint64_t last_use;
  bool stale;
  samples_set *next;
};

static atomic_uint_fast64_t next_sample_id = 1; /* unique across banks too */

static void free_file(samples_bank *bank, samples_file *file) {
  for (samples_file **at = &bank->files; *at; at = &(*at)->next) {
    if (*at == file) {
      *at = file->next;
      break;
    }
  }
  bank->bytes -= file->bytes;
  bank->stats.files--;
  free((void *)file->data.frames);
  free(file->stamp.path);
  free(file);
}

static void free_set(samples_bank *bank, samples_set *set) {
  for (samples_set **at = &bank->sets; *at; at = &(*at)->next) {
    if (*at == set) {
      *at = set->next;
      break;
    }
  }
  if (!set->stale)
    bank->stats.names_loaded--;
  for (uint32_t i = 0; i < set->set.count; ++i)
    if (--set->files[i]->sets == 0)
      free_file(bank, set->files[i]);
  for (uint32_t i = 0; i < set->source_count; ++i)
    free(set->sources[i].path);
  free(set->sources);
  free(set->files);
  free(set->items);
  free((void *)set->set.name);
  free(set);
}

void samples_free_sets(samples_bank *bank) {
  while (bank->sets)
    free_set(bank, bank->sets);
  while (bank->files) /* none should be left; a file no set holds cannot stay */
    free_file(bank, bank->files);
}

/* Unloads the least recently used set no program holds; false if none. */
static bool evict_one(samples_bank *bank) {
  samples_set *oldest = NULL;
  for (samples_set *set = bank->sets; set; set = set->next)
    if (!set->pins && (!oldest || set->last_use < oldest->last_use))
      oldest = set;
  if (!oldest)
    return false;
  free_set(bank, oldest);
  bank->stats.evictions++;
  return true;
}

static bool make_room(void *context, size_t bytes) {
  samples_bank *bank = context;
  while (bank->bytes + bytes > bank->cap)
    if (!evict_one(bank))
      return false;
  return true;
}

static double seconds_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

static bool same_stamp(const samples_path *a, const samples_path *b) {
  return a->mtime_ns == b->mtime_ns && a->size == b->size && !strcmp(a->path, b->path);
}

/* The file in memory, or loaded now; NULL (with a message) if it cannot be. */
static samples_file *file_for(samples_bank *bank, const samples_path *stamp) {
  for (samples_file *file = bank->files; file; file = file->next)
    if (same_stamp(&file->stamp, stamp))
      return file;
  samples_file *file = calloc(1, sizeof *file);
  char *path = strdup(stamp->path);
  samples_audio audio;
  char message[SAMPLES_MESSAGE_MAX] = "";
  double start = seconds_now();
  bool loaded =
      file && path &&
      samples_load(path, bank->sample_rate, make_room, bank, &audio, message, sizeof message);
  bank->stats.load_seconds += seconds_now() - start;
  if (message[0] || !file || !path)
    samples_message(bank, "%s", file && path ? message : "out of memory loading samples");
  if (!loaded) {
    bank->stats.load_failures++;
    free(file);
    free(path);
    return NULL;
  }
  file->stamp = *stamp;
  file->stamp.path = path;
  file->bytes = (size_t)audio.frame_count * audio.channels * sizeof(float);
  file->data = (sample_data){audio.frames, audio.frame_count, audio.channels,
                             atomic_fetch_add(&next_sample_id, 1), path};
  file->next = bank->files;
  bank->files = file;
  bank->bytes += file->bytes;
  bank->stats.files++;
  bank->stats.files_loaded++;
  return file;
}

static samples_set *load_set(samples_bank *bank, const samples_entry *entry) {
  samples_set *set = calloc(1, sizeof *set);
  if (!set)
    return NULL;
  set->set.name = strdup(entry->name);
  set->sources = calloc(entry->count, sizeof *set->sources);
  set->files = calloc(entry->count, sizeof *set->files);
  set->items = calloc(entry->count, sizeof *set->items);
  bool ok = set->set.name && set->sources && set->files && set->items;
  for (uint32_t i = 0; ok && i < entry->count; ++i) {
    set->sources[i] = entry->files[i];
    if (!(set->sources[i].path = strdup(entry->files[i].path)))
      break;
    set->source_count++;
  }
  /* Pinned from the start, so making room for its later files keeps its first. */
  set->pins = 1;
  set->next = bank->sets;
  bank->sets = set;
  bank->stats.names_loaded++;
  for (uint32_t i = 0; ok && i < entry->count; ++i) {
    samples_file *file = file_for(bank, &entry->files[i]);
    if (!file)
      continue; /* left out: `n` wraps over the files that play */
    file->sets++;
    set->files[set->set.count] = file;
    set->items[set->set.count++] = &file->data;
  }
  set->set.items = set->items;
  if (!ok || !set->set.count) {
    free_set(bank, set);
    return NULL;
  }
  return set;
}

static samples_set *current_set(samples_bank *bank, const char *name) {
  for (samples_set *set = bank->sets; set; set = set->next)
    if (!set->stale && !strcmp(set->set.name, name))
      return set;
  return NULL;
}

static bool unchanged(const samples_set *set, const samples_entry *entry) {
  if (set->source_count != entry->count)
    return false;
  for (uint32_t i = 0; i < entry->count; ++i)
    if (!same_stamp(&set->sources[i], &entry->files[i]))
      return false;
  return true;
}

static const sample_set *acquire(void *context, const char *name, size_t length) {
  samples_bank *bank = context;
  pthread_mutex_lock(&bank->lock);
  samples_refresh_index(bank);
  const samples_entry *entry = samples_index_find(&bank->index, name, length);
  samples_set *set = entry ? current_set(bank, entry->name) : NULL;
  if (set && !unchanged(set, entry)) {
    set->stale = true;
    bank->stats.names_loaded--;
    if (!set->pins)
      free_set(bank, set);
    set = NULL;
  }
  if (set)
    set->pins++;
  else if (entry)
    set = load_set(bank, entry);
  if (set) {
    set->last_use = ++bank->use_clock;
    bank->stats.names_pinned += set->pins == 1;
  }
  pthread_mutex_unlock(&bank->lock);
  return set ? &set->set : NULL;
}

static void release(void *context, const sample_set *released) {
  samples_bank *bank = context;
  if (!released)
    return;
  samples_set *set = (samples_set *)released;
  pthread_mutex_lock(&bank->lock);
  set->last_use = ++bank->use_clock; /* used until now */
  if (set->pins && --set->pins == 0) {
    bank->stats.names_pinned--;
    if (set->stale)
      free_set(bank, set);
  }
  pthread_mutex_unlock(&bank->lock);
}

/* A copy of `name` that lives as long as the bank: another thread's compile
   may rescan (and free the index's names) before the caller reads it. */
static const char *kept_name(samples_bank *bank, const char *name) {
  for (size_t i = 0; i < bank->suggested_count; ++i)
    if (!strcmp(bank->suggested[i], name))
      return bank->suggested[i];
  char **grown = realloc(bank->suggested, (bank->suggested_count + 1) * sizeof *grown);
  if (!grown)
    return NULL;
  bank->suggested = grown;
  char *copy = strdup(name);
  if (copy)
    bank->suggested[bank->suggested_count++] = copy;
  return copy;
}

/* The nearest name within a few edits (about a third of its length, at
   least 2); valid as long as the bank. */
static const char *suggest(void *context, const char *name, size_t length) {
  samples_bank *bank = context;
  pthread_mutex_lock(&bank->lock);
  samples_refresh_index(bank);
  const char *best = NULL;
  size_t best_distance = length / 3 > 2 ? length / 3 : 2;
  for (size_t i = 0; i < bank->index.count; ++i) {
    const char *candidate = bank->index.entries[i].name;
    size_t distance = samples_edit_distance(name, length, candidate, strlen(candidate));
    if (distance && (distance < best_distance || (!best && distance == best_distance))) {
      best = candidate;
      best_distance = distance;
    }
  }
  best = best ? kept_name(bank, best) : NULL;
  pthread_mutex_unlock(&bank->lock);
  return best;
}

static void program_folders(void *context, const char *folders, size_t length) {
  samples_bank *bank = context;
  char *copy = strndup(folders ? folders : "", folders ? length : 0);
  if (copy)
    samples_set_places(bank, SAMPLES_PROGRAM, copy);
  free(copy);
  pthread_mutex_lock(&bank->lock);
  bank->stamps_checked = false; /* a new compile: look at the folders again */
  pthread_mutex_unlock(&bank->lock);
}

sample_source samples_source(samples_bank *bank) {
  return (sample_source){acquire, release, suggest, program_folders, bank};
}
