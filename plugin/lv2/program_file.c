/* Reading the program file (worker thread). A FIFO would block the worker in
   open() forever and /dev/zero or a /proc file would read as nothing, so only
   regular files are opened, without blocking, and a read counts only when the
   file's stamp before and after it agree with the bytes read. */
#include "program_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A file changed less than SETTLE_NS ago may be half written (an editor that
   truncates and writes, a script still writing): it is looked at again once it
   is that old, and read again if it changed, for at most MAX_WAIT_NS. */
#define SETTLE_NS 30000000
#define MAX_WAIT_NS 250000000
#define RETRY_NS 5000000 /* after a read the file changed under */
/* A read less than RACY_NS after the file's time may have been in the same
   tick as a rewrite (a 2 s tick on FAT disks, with a margin for clocks). */
#define RACY_NS 3000000000

static cb_file_stamp stamp_from(const struct stat *st) {
  return (cb_file_stamp){(int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
                         (int64_t)st->st_size, (uint64_t)st->st_ino, 0, 0};
}

cb_file_stamp cb_file_stamp_of(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0)
    return (cb_file_stamp){0, -1, 0, 0, 0};
  return stamp_from(&st);
}

bool cb_file_stamp_equal(cb_file_stamp a, cb_file_stamp b) {
  return a.mtime_ns == b.mtime_ns && a.size == b.size && a.inode == b.inode;
}

static int64_t now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now); /* the clock file times are taken from */
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

bool cb_file_stamp_racy(cb_file_stamp stamp) {
  return stamp.hash != 0 && stamp.seen_ns - stamp.mtime_ns < RACY_NS;
}

/* FNV-1a, never 0 (0 means "not read"). */
static uint64_t hash_of(const char *text, size_t length) {
  uint64_t hash = 14695981039346656037u;
  for (size_t i = 0; i < length; ++i)
    hash = (hash ^ (uint8_t)text[i]) * 1099511628211u;
  return hash ? hash : 1;
}

__attribute__((format(printf, 3, 4))) static cb_file_result
report(prog_error *error, cb_file_result result, const char *format, ...) {
  *error = (prog_error){0, 0, ""};
  va_list args;
  va_start(args, format);
  vsnprintf(error->message, sizeof error->message, format, args);
  va_end(args);
  return result;
}

/* What a file that is not a regular file is, for the message. */
static const char *kind_of(mode_t mode) {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

/* Reads until end of file or until `capacity` bytes; -1 on a read error. */
static ssize_t read_all(int fd, char *buffer, size_t capacity) {
  size_t total = 0;
  while (total < capacity) {
    ssize_t n = read(fd, buffer + total, capacity - total);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0)
      break;
    total += (size_t)n;
  }
  return (ssize_t)total;
}

/* One attempt: CB_FILE_CHANGING when the file moved under the read. */
static cb_file_result read_once(const char *path, size_t limit, char *buffer, size_t *length,
                                cb_file_stamp *stamp, prog_error *error) {
  struct stat st;
  /* Look before opening: opening a FIFO blocks, opening a device may act. */
  if (stat(path, &st) != 0)
    return report(error, CB_FILE_REFUSED, "cannot read program file %s: %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode))
    return report(error, CB_FILE_REFUSED, "%s is %s, not a program file", path,
                  kind_of(st.st_mode));
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return report(error, CB_FILE_REFUSED, "cannot read program file %s: %s", path, strerror(errno));
  struct stat before, after;
  int64_t seen = now_ns(); /* before the read: a later rewrite is later than this */
  cb_file_result result = CB_FILE_READ;
  if (fstat(fd, &before) != 0) {
    result =
        report(error, CB_FILE_REFUSED, "cannot read program file %s: %s", path, strerror(errno));
  } else if (!S_ISREG(before.st_mode)) { /* replaced since the stat() */
    result = report(error, CB_FILE_REFUSED, "%s is %s, not a program file", path,
                    kind_of(before.st_mode));
  } else if (before.st_size >= (off_t)limit) {
    result = report(error, CB_FILE_REFUSED, "program file %s is too long (%lld bytes; at most %zu)",
                    path, (long long)before.st_size, limit - 1);
  } else {
    ssize_t got = read_all(fd, buffer, limit); /* `limit` bytes is one too many */
    if (got < 0)
      result =
          report(error, CB_FILE_REFUSED, "cannot read program file %s: %s", path, strerror(errno));
    else if (fstat(fd, &after) != 0 ||
             !cb_file_stamp_equal(stamp_from(&before), stamp_from(&after)))
      result = CB_FILE_CHANGING;
    else if ((off_t)got != before.st_size)
      /* Its size is not what it reads: a /proc or /sys file. */
      result = report(error, CB_FILE_REFUSED,
                      "%s is a special file (its size says %lld bytes but it reads %zd), not a "
                      "program file",
                      path, (long long)before.st_size, got);
    else if (got == 0)
      result = report(error, CB_FILE_REFUSED, "program file %s is empty", path);
    *length = got > 0 ? (size_t)got : 0;
    *stamp = stamp_from(&before);
    stamp->seen_ns = seen;
    stamp->hash = hash_of(buffer, *length);
  }
  close(fd);
  return result;
}

cb_file_result cb_read_program_file(const char *path, size_t limit, char **text, size_t *length,
                                    cb_file_stamp *stamp, prog_error *error) {
  *text = NULL;
  char *buffer = malloc(limit + 1);
  if (!buffer)
    return report(error, CB_FILE_REFUSED, "cannot read program file %s: %s", path,
                  strerror(ENOMEM));
  cb_file_result result = CB_FILE_CHANGING;
  for (int64_t waited = 0; waited <= MAX_WAIT_NS;) {
    result = read_once(path, limit, buffer, length, stamp, error);
    if (result == CB_FILE_REFUSED)
      break;
    int64_t age = now_ns() - stamp->mtime_ns;
    /* Settled (or stamped by a clock far ahead of ours, as network disks are). */
    if (result == CB_FILE_READ && (age >= SETTLE_NS || age < -1000000000))
      break;
    int64_t pause = result == CB_FILE_READ ? SETTLE_NS - (age > 0 ? age : 0) : RETRY_NS;
    nanosleep(&(struct timespec){0, (long)pause}, NULL);
    waited += pause;
    if (result == CB_FILE_READ && cb_file_stamp_equal(*stamp, cb_file_stamp_of(path)))
      break;
    result = CB_FILE_CHANGING;
  }
  if (result == CB_FILE_CHANGING)
    report(error, result,
           "program file %s changed while it was read; it is read again when it settles", path);
  else if (result == CB_FILE_READ) {
    buffer[*length] = '\0';
    *text = buffer;
    return result;
  }
  free(buffer);
  return result;
}
