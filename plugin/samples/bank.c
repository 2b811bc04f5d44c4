/* The bank: where to look (the places, in search order, then the alias
   table), the index built from them (rescanned when a folder changes or on
   request), messages and figures. Loading and sets: source.c. */
#include "samples_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGES_KEPT 64

static char *default_places(void) {
  const char *home = getenv("HOME");
  const char *data = getenv("XDG_DATA_HOME");
  char buffer[8192];
  int length = 0;
  /* SuperCollider's Platform.userAppSupportDir on Linux, where Quarks puts
     SuperDirt's Dirt-Samples. */
  if (data && data[0] == '/')
    length =
        snprintf(buffer, sizeof buffer, "%s/SuperCollider/downloaded-quarks/Dirt-Samples:", data);
  else if (home)
    length = snprintf(buffer, sizeof buffer,
                      "%s/.local/share/SuperCollider/downloaded-quarks/Dirt-Samples:", home);
  if (home && length >= 0 && (size_t)length < sizeof buffer)
    snprintf(buffer + length, sizeof buffer - (size_t)length, "%s/Dirt-Samples", home);
  return strdup(length >= 0 ? buffer : "");
}

samples_bank *samples_bank_new(double sample_rate, size_t cap) {
  samples_bank *bank = calloc(1, sizeof *bank);
  if (!bank)
    return NULL;
  if (pthread_mutex_init(&bank->lock, NULL) != 0) {
    free(bank);
    return NULL;
  }
  bank->sample_rate = sample_rate;
  bank->cap = cap ? cap : SAMPLES_DEFAULT_CAP;
  const char *env = getenv("CYCLEBUS_SAMPLES");
  bank->places[SAMPLES_ENV] = env ? strdup(env) : NULL;
  bank->places[SAMPLES_DEFAULT] = default_places();
  return bank;
}

void samples_bank_free(samples_bank *bank) {
  if (!bank)
    return;
  samples_free_sets(bank);
  samples_index_clear(&bank->index);
  for (int i = 0; i < SAMPLES_PLACE_COUNT; ++i)
    free(bank->places[i]);
  free(bank->alias_file);
  for (size_t i = 0; i < bank->message_count; ++i)
    free(bank->messages[i]);
  free(bank->messages);
  for (size_t i = 0; i < bank->suggested_count; ++i)
    free(bank->suggested[i]);
  free(bank->suggested);
  pthread_mutex_destroy(&bank->lock);
  free(bank);
}

static bool same(const char *a, const char *b) {
  return (!a || !*a) ? (!b || !*b) : (b && !strcmp(a, b));
}

static void replace(samples_bank *bank, char **field, const char *value) {
  if (same(*field, value))
    return;
  free(*field);
  *field = value && *value ? strdup(value) : NULL;
  bank->index_valid = false;
}

void samples_set_places(samples_bank *bank, samples_place place, const char *folders) {
  if (place >= SAMPLES_PLACE_COUNT)
    return;
  pthread_mutex_lock(&bank->lock);
  replace(bank, &bank->places[place], folders);
  pthread_mutex_unlock(&bank->lock);
}

void samples_set_alias_file(samples_bank *bank, const char *path) {
  pthread_mutex_lock(&bank->lock);
  replace(bank, &bank->alias_file, path);
  pthread_mutex_unlock(&bank->lock);
}

void samples_rescan(samples_bank *bank) {
  pthread_mutex_lock(&bank->lock);
  bank->index_valid = false;
  pthread_mutex_unlock(&bank->lock);
}

void samples_message(samples_bank *bank, const char *format, ...) {
  char text[SAMPLES_MESSAGE_MAX];
  va_list args;
  va_start(args, format);
  vsnprintf(text, sizeof text, format, args);
  va_end(args);
  if (bank->message_count == MESSAGES_KEPT) { /* the oldest goes */
    free(bank->messages[0]);
    memmove(bank->messages, bank->messages + 1, (MESSAGES_KEPT - 1) * sizeof *bank->messages);
    bank->message_count--;
  }
  if (bank->message_count == bank->message_capacity) {
    char **grown = realloc(bank->messages, MESSAGES_KEPT * sizeof *grown);
    if (!grown)
      return;
    bank->messages = grown;
    bank->message_capacity = MESSAGES_KEPT;
  }
  char *copy = strdup(text);
  if (copy)
    bank->messages[bank->message_count++] = copy;
}

static void report_to_bank(void *context, const char *message) {
  samples_message(context, "%s", message);
}

/* `~/x` is x in the home folder. */
static void scan_place(samples_bank *bank, const char *folders, uint32_t *rank, bool named) {
  const char *home = getenv("HOME");
  for (const char *at = folders; at && *at;) {
    const char *end = strchr(at, ':');
    size_t length = end ? (size_t)(end - at) : strlen(at);
    char folder[4096];
    int written = -1;
    if (length >= 2 && at[0] == '~' && at[1] == '/' && home)
      written = snprintf(folder, sizeof folder, "%s%.*s", home, (int)length - 1, at + 1);
    else if (length)
      written = snprintf(folder, sizeof folder, "%.*s", (int)length, at);
    if (written > 0 && (size_t)written < sizeof folder &&
        !samples_scan_folder(&bank->index, folder, (*rank)++) && named)
      samples_message(bank, "sample folder %s cannot be read (missing?)", folder);
    at = end ? end + 1 : NULL;
  }
}

/* Stamps are checked once a compile (program_folders starts one), not at
   every name: a Dirt-Samples folder has a couple of hundred folders to stat. */
void samples_refresh_index(samples_bank *bank) {
  bool check = !bank->stamps_checked;
  bank->stamps_checked = true;
  if (bank->index_valid && !(check && samples_index_stale(&bank->index)))
    return;
  samples_index_clear(&bank->index);
  uint32_t rank = 0;
  for (int place = 0; place < SAMPLES_PLACE_COUNT; ++place)
    scan_place(bank, bank->places[place], &rank, place != SAMPLES_DEFAULT);
  if (bank->alias_file) {
    char *alias_folders = NULL;
    samples_read_aliases(&bank->index, bank->alias_file, rank++, &alias_folders, report_to_bank,
                         bank);
    /* The aliased folders' own names (bd_haus ...) come last. */
    scan_place(bank, alias_folders, &rank, false);
    free(alias_folders);
  }
  samples_index_finish(&bank->index);
  bank->index_valid = true;
}

void samples_take_messages(samples_bank *bank, samples_report report, void *context) {
  pthread_mutex_lock(&bank->lock);
  for (size_t i = 0; i < bank->message_count; ++i) {
    report(context, bank->messages[i]);
    free(bank->messages[i]);
  }
  bank->message_count = 0;
  pthread_mutex_unlock(&bank->lock);
}

void samples_get_stats(samples_bank *bank, samples_stats *out) {
  pthread_mutex_lock(&bank->lock);
  *out = bank->stats;
  out->bytes = bank->bytes;
  out->cap = bank->cap;
  pthread_mutex_unlock(&bank->lock);
}

size_t samples_folders_in_use(samples_bank *bank, char *out, size_t size) {
  pthread_mutex_lock(&bank->lock);
  samples_refresh_index(bank);
  size_t length = 0;
  for (size_t i = 0; i < bank->index.root_count; ++i) {
    const char *root = bank->index.roots[i];
    for (size_t k = 0; k < (i ? 1 : 0) + strlen(root); ++k) {
      char c = (i && k == 0) ? ':' : root[k - (i ? 1 : 0)];
      if (length + 1 < size)
        out[length] = c;
      length++;
    }
  }
  if (size)
    out[length < size ? length : size - 1] = '\0';
  pthread_mutex_unlock(&bank->lock);
  return length;
}
