/* The alias table: a plain text file giving sound names files elsewhere
   (shipped: Dirt-Samples names onto Debian's sonic-pi-samples). Lines:
     # a comment
     @folder PATH          relative files below are found here (~/ = home)
     NAME FILE FILE ...    NAME plays these files, n picking one in this order
   A FILE without an audio extension is tried with .flac, .wav, .aiff, .ogg.
   Files that do not exist are left out, so a table for a package that is not
   installed offers nothing. */
#include "samples_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *expand(const char *folder, const char *file, size_t length) {
  const char *home = getenv("HOME");
  const char *base = "";
  if (file[0] == '~' && length > 1 && file[1] == '/' && home) {
    base = home;
    file++;
    length--;
  } else if (file[0] != '/') {
    base = folder;
  }
  size_t base_length = strlen(base);
  char *path = malloc(base_length + length + 2);
  if (!path)
    return NULL;
  memcpy(path, base, base_length);
  size_t at = base_length;
  if (base_length && base[base_length - 1] != '/' && file[0] != '/')
    path[at++] = '/';
  memcpy(path + at, file, length);
  path[at + length] = '\0';
  return path;
}

/* The path of FILE, with an extension tried if it has none. */
static char *find_file(const char *folder, const char *file, size_t length) {
  char *path = expand(folder, file, length);
  const char *slash = path ? strrchr(path, '/') : NULL;
  if (!path || samples_is_audio_name(slash ? slash + 1 : path))
    return path;
  static const char *const tried[] = {".flac", ".wav", ".aiff", ".ogg"};
  size_t path_length = strlen(path);
  for (size_t i = 0; i < sizeof tried / sizeof *tried; ++i) {
    char *with = malloc(path_length + 6);
    if (!with)
      break;
    memcpy(with, path, path_length);
    strcpy(with + path_length, tried[i]);
    samples_path stamp;
    if (samples_stamp(with, &stamp) && stamp.size >= 0) {
      free(path);
      return with;
    }
    free(with);
  }
  return path;
}

static void append_folder(char **folders, const char *folder) {
  size_t have = *folders ? strlen(*folders) : 0, add = strlen(folder);
  char *grown = realloc(*folders, have + add + 2);
  if (!grown)
    return;
  if (have)
    grown[have++] = ':';
  memcpy(grown + have, folder, add + 1);
  *folders = grown;
}

static const char *skip_space(const char *at) {
  while (*at == ' ' || *at == '\t')
    at++;
  return at;
}

static size_t word_length(const char *at) {
  size_t length = 0;
  while (at[length] && at[length] != ' ' && at[length] != '\t' && at[length] != '\n' &&
         at[length] != '\r')
    length++;
  return length;
}

/* One "NAME FILE ..." line. */
static void read_alias(samples_index *index, const char *folder, const char *line, uint32_t rank) {
  size_t name_length = word_length(line);
  char *paths[256];
  uint32_t count = 0;
  for (const char *at = skip_space(line + name_length); *at && count < 256;) {
    size_t length = word_length(at);
    if (!length)
      break;
    if ((paths[count] = find_file(folder, at, length)))
      count++;
    at = skip_space(at + length);
  }
  samples_index_add(index, line, name_length, paths, count, rank);
  for (uint32_t i = 0; i < count; ++i)
    free(paths[i]);
}

void samples_read_aliases(samples_index *index, const char *file, uint32_t rank, char **folders,
                          samples_report report, void *context) {
  *folders = NULL;
  samples_index_watch(index, file);
  FILE *stream = fopen(file, "r");
  if (!stream) {
    char message[SAMPLES_MESSAGE_MAX];
    snprintf(message, sizeof message, "sample alias table %s cannot be read", file);
    report(context, message);
    return;
  }
  /* Relative files without an @folder line are beside the table. */
  char *folder = strdup(file);
  char *slash = folder ? strrchr(folder, '/') : NULL;
  if (slash)
    *slash = '\0';
  else if (folder)
    strcpy(folder, ".");
  char line[4096];
  while (folder && fgets(line, sizeof line, stream)) {
    const char *at = skip_space(line);
    if (*at == '#' || !word_length(at))
      continue;
    if (!strncmp(at, "@folder", 7) && word_length(at) == 7) {
      at = skip_space(at + 7);
      char *named = expand(folder, at, word_length(at));
      if (named) {
        free(folder);
        folder = named;
        append_folder(folders, folder);
      }
      continue;
    }
    read_alias(index, folder, at, rank);
  }
  free(folder);
  fclose(stream);
}
