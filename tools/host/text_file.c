/* Reading whole text files. */
#include "text_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

char *cb_read_text_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  /* A directory opens, then reads as a huge or empty file: say what it is. */
  struct stat info;
  if (fstat(fileno(f), &info) == 0 && S_ISDIR(info.st_mode)) {
    fclose(f);
    errno = EISDIR;
    return NULL;
  }
  char *text = NULL;
  long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)))
    text[fread(text, 1, (size_t)size, f)] = '\0';
  int saved = errno;
  fclose(f);
  errno = saved;
  return text;
}

char *cb_read_repo_file(const char *relative) {
  const char *top = getenv("CB_TOP");
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", top ? top : ".", relative);
  return cb_read_text_file(path);
}
