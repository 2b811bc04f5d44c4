/* The sample library's parts: the index of names (scan.c, aliases.c), the
   loader (load.c), the bank that ties them together (bank.c, source.c). */
#ifndef CYCLEBUS_SAMPLES_PRIVATE_H
#define CYCLEBUS_SAMPLES_PRIVATE_H

#include <pthread.h>

#include "samples.h"

/* A file as the scan found it: a changed stamp means a changed file. */
typedef struct {
  char *path;
  int64_t mtime_ns;
  int64_t size;
} samples_path;

/* A name and its files, sorted by file name. */
typedef struct {
  char *name;
  samples_path *files;
  uint32_t count;
  uint32_t rank; /* the search position of the place that gave it: the lowest wins */
} samples_entry;

/* Every name the places offer, and the folders and files read to find them,
   with their stamps, to tell when to scan again. */
typedef struct {
  samples_entry *entries; /* sorted by name once finished */
  size_t count, capacity;
  samples_path *watched; /* folders and alias files read */
  size_t watched_count, watched_capacity;
  char **roots; /* the folders that exist, in search order */
  size_t root_count, root_capacity;
} samples_index;

typedef void (*samples_report)(void *context, const char *message);

/* scan.c */
void samples_index_clear(samples_index *index);
/* Adds the names of one folder: its sub-folders with audio files (Dirt-Samples)
   and its audio files by stem (flat). False if the folder cannot be read. */
bool samples_scan_folder(samples_index *index, const char *folder, uint32_t rank);
/* Adds a name from a list of files (the alias table); files that are not
   regular audio files are left out. */
void samples_index_add(samples_index *index, const char *name, size_t length, char **paths,
                       uint32_t count, uint32_t rank);
void samples_index_watch(samples_index *index, const char *path);
/* Sorts the names and keeps, for each, the entry of the lowest rank. */
void samples_index_finish(samples_index *index);
const samples_entry *samples_index_find(const samples_index *index, const char *name,
                                        size_t length);
/* True if a watched folder or file changed (or vanished, or appeared). */
bool samples_index_stale(const samples_index *index);
bool samples_is_audio_name(const char *file_name);
bool samples_stamp(const char *path, samples_path *out); /* false: no such file */

/* aliases.c: reads the table, adds its names (rank `rank`) and returns, in
   `folders` (malloc'd, colon-separated), the folders it names, to be
   scanned as flat folders after it. */
void samples_read_aliases(samples_index *index, const char *file, uint32_t rank, char **folders,
                          samples_report report, void *context);

/* load.c: a file read, folded to at most 2 channels and resampled to `rate`.
   `room` is asked whether the result's bytes fit before any is read. On
   failure, `message` says why (with the path). */
typedef struct {
  float *frames;
  uint32_t frame_count;
  uint32_t channels;
} samples_audio;

typedef bool (*samples_room)(void *context, size_t bytes);

bool samples_load(const char *path, double rate, samples_room room, void *room_context,
                  samples_audio *out, char *message, size_t message_size);

/* resample.c: `frames` frames of `channels` interleaved at `in_rate` to
   `out_rate`, in a new buffer (NULL if out of memory). */
float *samples_resample(const float *in, uint32_t frames, uint32_t channels, double in_rate,
                        double out_rate, uint32_t *out_frames);

/* suggest.c */
size_t samples_edit_distance(const char *a, size_t a_length, const char *b, size_t b_length);

/* source.c: the loaded files and sets. */
typedef struct samples_file samples_file;
typedef struct samples_set samples_set;

/* bank.c owns this; every field under `lock`. */
struct samples_bank {
  pthread_mutex_t lock;
  double sample_rate;
  size_t cap;
  char *places[SAMPLES_PLACE_COUNT];
  char *alias_file;
  samples_index index;
  bool index_valid;    /* false: scan before the next look-up */
  bool stamps_checked; /* the folders' stamps were checked since the compile began */
  samples_file *files;
  samples_set *sets; /* loaded sets; stale ones stay until released */
  uint64_t next_id;
  uint64_t use_clock; /* for least-recently-used */
  size_t bytes;
  samples_stats stats;
  char **messages;
  size_t message_count, message_capacity;
  char **suggested; /* names suggest() returned: kept until the bank is freed */
  size_t suggested_count;
};

void samples_message(samples_bank *bank, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
void samples_refresh_index(samples_bank *bank); /* scans if needed */
void samples_free_sets(samples_bank *bank);     /* at the end */

#endif
