/* Whole files as NUL-terminated text, for the tools, tests and benchmarks
   (not the plugin: its worker reads program files with its own limits). */
#ifndef CYCLEBUS_TEXT_FILE_H
#define CYCLEBUS_TEXT_FILE_H

/* The file's text (malloc'd, the caller frees), or NULL with errno set. */
char *cb_read_text_file(const char *path);
/* A file of the repository: $CB_TOP/relative (CB_TOP defaults to "."). */
char *cb_read_repo_file(const char *relative);

#endif
