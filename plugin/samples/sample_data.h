/* The contract between the sample library (plugin/samples: finds, loads and
   resamples files on the worker) and the program and synthesis code that plays
   them. Types only; no LV2 type, no file access. */
#ifndef CYCLEBUS_SAMPLE_DATA_H
#define CYCLEBUS_SAMPLE_DATA_H

#include <stddef.h>
#include <stdint.h>

/* One loaded file, already at the session's sample rate. Immutable once
   loaded; owned by the sample library, which frees it on the worker only when
   no set holding it is acquired (see sample_source). */
typedef struct {
  const float *frames;  /* interleaved: `channels` values a frame */
  uint32_t frame_count; /* frames at the session rate */
  uint32_t channels;    /* 1 or 2 (more are folded down to 2 when loaded) */
  uint64_t id;          /* unique for the plugin's life: part of a render request's key */
  const char *path;     /* the file, for messages */
} sample_data;

/* Every file a sound name has, in Dirt-Samples order (sorted by file name):
   `bd:3` or `# n 3` plays items[3 % count], as SuperDirt wraps. Owned by the
   sample library; immutable and valid from acquire() until release(). */
typedef struct {
  const char *name;
  uint32_t count;
  const sample_data *const *items;
} sample_set;

/* How the program compiler reaches the library, on the worker thread.
   acquire() finds the name (a NUL is not required), loads every file of it
   that is not loaded yet and pins the set until release(); it returns NULL
   for a name the library does not have (the compiler then warns, with a
   "did you mean" from suggest()). A compiled program acquires every sample
   name it can play and releases them when it is freed, so run() only ever
   reads pinned, loaded data and never touches a file. */
typedef struct sample_source {
  const sample_set *(*acquire)(void *context, const char *name, size_t length);
  void (*release)(void *context, const sample_set *set);
  /* The nearest known name to `name`, or NULL; for "did you mean". */
  const char *(*suggest)(void *context, const char *name, size_t length);
  /* The folders of the program's `samples: PATH[:PATH...]` line, given
     before any acquire() of that compile (length 0: the program has none).
     They are searched after the plugin's samples parameter and before
     CYCLEBUS_SAMPLES and the default places. */
  void (*program_folders)(void *context, const char *folders, size_t length);
  void *context;
} sample_source;

#endif
