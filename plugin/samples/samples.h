/* The sample library: finds sound names in sample folders (Dirt-Samples
   layout or flat) and an alias table, loads their files with libsndfile,
   resamples them to the session rate with libsamplerate, and keeps them under
   a memory cap. Not real-time: the worker (and restore) call it; a mutex
   inside makes concurrent calls safe. run() only reads the sample_data of
   sets a program acquired (sample_data.h). */
#ifndef CYCLEBUS_SAMPLES_H
#define CYCLEBUS_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample_data.h"

#define SAMPLES_DEFAULT_CAP ((size_t)512 << 20)
#define SAMPLES_MESSAGE_MAX 512

typedef struct samples_bank samples_bank;

/* Where names are looked for, first to last (the first place that has a name
   gives all of its files): see samples_set_places. */
typedef enum {
  SAMPLES_PARAMETER, /* the plugin's urn:cyclebus:samples parameter */
  SAMPLES_PROGRAM,   /* the compiling program's `samples:` line */
  SAMPLES_ENV,       /* CYCLEBUS_SAMPLES, read at samples_bank_new */
  SAMPLES_DEFAULT,   /* SuperDirt's Dirt-Samples, ~/Dirt-Samples */
  SAMPLES_PLACE_COUNT
} samples_place;

typedef struct {
  uint64_t files_loaded;  /* files read (and resampled) since the bank was made */
  uint64_t load_failures; /* files that could not be loaded */
  uint64_t evictions;     /* names unloaded to stay under the cap */
  double load_seconds;    /* time spent reading and resampling */
  size_t bytes;           /* sample data in memory now */
  size_t cap;             /* the memory cap */
  uint32_t files;         /* files in memory now */
  uint32_t names_loaded;  /* names in memory now */
  uint32_t names_pinned;  /* ... that a program holds */
} samples_stats;

/* A bank for a session at `sample_rate`; `cap` bytes of sample data at most
   (0: SAMPLES_DEFAULT_CAP). The default places come from the environment
   (HOME, XDG_DATA_HOME, CYCLEBUS_SAMPLES). NULL if out of memory. */
samples_bank *samples_bank_new(double sample_rate, size_t cap);
/* Frees everything; no set may be acquired any more. */
void samples_bank_free(samples_bank *bank);

/* Colon-separated folders for one place ("" or NULL: none); `~/` is the home
   folder. Changing the folders rescans at the next look-up. */
void samples_set_places(samples_bank *bank, samples_place place, const char *folders);
/* The alias table file (NULL: none), searched after every place. */
void samples_set_alias_file(samples_bank *bank, const char *path);
/* Scans the folders again at the next look-up, even if they seem unchanged
   (a file rewritten in place does not change its folder's time stamp). */
void samples_rescan(samples_bank *bank);

/* The bank as the program compiler sees it; valid while the bank lives. */
sample_source samples_source(samples_bank *bank);

/* Calls `report` with each message (a file that could not be loaded, a
   folder that does not exist, the cap) since the last call, oldest first. */
void samples_take_messages(samples_bank *bank, void (*report)(void *context, const char *message),
                           void *context);
void samples_get_stats(samples_bank *bank, samples_stats *out);
/* The folders that exist and are searched, colon-separated, in search order
   (the alias table's folders last), into `out` (truncated at `size`).
   Returns the length it needs. */
size_t samples_folders_in_use(samples_bank *bank, char *out, size_t size);

#endif
