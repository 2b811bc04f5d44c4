/* An in-memory sample_source for tests: a few named sets of frames the test
   makes itself, with counts of what the compiler asked for. */
#ifndef CYCLEBUS_TEST_SAMPLE_BANK_H
#define CYCLEBUS_TEST_SAMPLE_BANK_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../plugin/samples/sample_data.h"

#define BANK_MAX_SETS 8
#define BANK_MAX_FILES 4

typedef struct {
  sample_set sets[BANK_MAX_SETS];
  const sample_data *items[BANK_MAX_SETS][BANK_MAX_FILES];
  sample_data files[BANK_MAX_SETS][BANK_MAX_FILES];
  int set_count;
  int acquired[BANK_MAX_SETS]; /* acquires minus releases, per set */
  int acquires, releases, unknown;
  char folders[256]; /* what program_folders last gave */
  int folder_calls;
  bool folders_before_acquire; /* every program_folders came before the compile's acquires */
  uint64_t next_id;
} sample_bank;

/* Adds a file to set `name` (made if new): `frames` interleaved values,
   copied by reference (the test keeps them alive). */
static inline const sample_data *bank_add(sample_bank *bank, const char *name, const float *frames,
                                          uint32_t frame_count, uint32_t channels) {
  int s = 0;
  while (s < bank->set_count && strcmp(bank->sets[s].name, name) != 0)
    ++s;
  if (s == bank->set_count) {
    bank->sets[s].name = name;
    bank->sets[s].items = bank->items[s];
    bank->set_count++;
  }
  uint32_t i = bank->sets[s].count++;
  sample_data *file = &bank->files[s][i];
  *file = (sample_data){frames, frame_count, channels, ++bank->next_id + 1000, name};
  bank->items[s][i] = file;
  return file;
}

static inline const sample_set *bank_acquire(void *context, const char *name, size_t length) {
  sample_bank *bank = context;
  bank->acquires++;
  for (int s = 0; s < bank->set_count; ++s)
    if (strlen(bank->sets[s].name) == length && memcmp(bank->sets[s].name, name, length) == 0) {
      bank->acquired[s]++;
      return &bank->sets[s];
    }
  bank->unknown++;
  return NULL;
}

static inline void bank_release(void *context, const sample_set *set) {
  sample_bank *bank = context;
  bank->releases++;
  bank->acquired[set - bank->sets]--;
}

/* The first set whose name shares its first letter: enough for tests. */
static inline const char *bank_suggest(void *context, const char *name, size_t length) {
  sample_bank *bank = context;
  for (int s = 0; s < bank->set_count; ++s)
    if (length > 0 && bank->sets[s].name[0] == name[0])
      return bank->sets[s].name;
  return NULL;
}

static inline void bank_folders(void *context, const char *folders, size_t length) {
  sample_bank *bank = context;
  snprintf(bank->folders, sizeof bank->folders, "%.*s", (int)length, folders);
  bank->folder_calls++;
  bank->folders_before_acquire = bank->acquires == 0 && bank->unknown == 0;
}

static inline sample_source bank_source(sample_bank *bank) {
  return (sample_source){bank_acquire, bank_release, bank_suggest, bank_folders, bank};
}

#endif
