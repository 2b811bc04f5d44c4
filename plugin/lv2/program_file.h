/* Reading the program file on the worker: never blocks (a FIFO or a device is
   refused before it is opened), reads only regular files, and never returns a
   torn read of a file that is being rewritten. No LV2 types. */
#ifndef CYCLEBUS_PROGRAM_FILE_H
#define CYCLEBUS_PROGRAM_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../program/program.h"

/* What identifies one version of a file: a different stamp means it changed.
   An equal stamp may not mean the same content: file times have a coarse tick
   (4 ms on Linux before 6.13, 1 s or 2 s on some disks), and a rewrite of the
   same size within the tick of the version read keeps its stamp. */
typedef struct {
  int64_t mtime_ns;
  int64_t size; /* -1: the file could not be looked at */
  uint64_t inode;
  int64_t seen_ns; /* when the file was read (wall clock) */
  uint64_t hash;   /* of the content read; 0: not read */
} cb_file_stamp;

#define CB_FILE_STAMP_UNKNOWN ((cb_file_stamp){INT64_MIN, -2, 0, 0, 0}) /* matches no file */

/* The file's stamp now ({0, -1, 0} when it cannot be looked at), not read. */
cb_file_stamp cb_file_stamp_of(const char *path);
/* Same time, size and file (the content is not compared). */
bool cb_file_stamp_equal(cb_file_stamp a, cb_file_stamp b);
/* The stamp of a read that came so soon after the file's time that a rewrite
   since may have kept that time: only the content tells whether it changed. */
bool cb_file_stamp_racy(cb_file_stamp stamp);

typedef enum {
  CB_FILE_READ,     /* *text holds the whole file */
  CB_FILE_REFUSED,  /* missing, unreadable, not a regular file, empty or too long */
  CB_FILE_CHANGING, /* it kept changing while being read: try again later */
} cb_file_result;

/* Reads the whole program file (shorter than `limit` bytes) into a new
   NUL-terminated *text (the caller frees it) and the stamp of that content.
   Otherwise a message for the musician in *error, naming the file. */
cb_file_result cb_read_program_file(const char *path, size_t limit, char **text, size_t *length,
                                    cb_file_stamp *stamp, prog_error *error);

#endif
