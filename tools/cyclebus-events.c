/* cyclebus-events: prints the events of mini-notation patterns as the
   Strudel oracle (tests/strudel/query.mjs) does, one JSON line per pattern.
   Usage: cyclebus-events [--cycles N] [--from C] < patterns.txt */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/cli.h"
#include "pattern/pattern.h"

/* JS String.prototype.trim for ASCII whitespace and U+00A0 / U+FEFF. */
static void trim(char **text, size_t *length) {
  char *s = *text;
  size_t n = *length;
  for (;;) {
    if (n && isspace((unsigned char)s[0])) {
      s++, n--;
    } else if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
      s += 2, n -= 2;
    } else if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
      s += 3, n -= 3;
    } else {
      break;
    }
  }
  for (;;) {
    if (n && isspace((unsigned char)s[n - 1])) {
      n--;
    } else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0) {
      n -= 2;
    } else if (n >= 3 && memcmp(s + n - 3, "\xEF\xBB\xBF", 3) == 0) {
      n -= 3;
    } else {
      break;
    }
  }
  *text = s;
  *length = n;
}

static void print_line(const char *pattern, const pat_event *events, size_t count,
                       const pat_error *error) {
  char small[4096];
  size_t need = pat_json_line(pattern, events, count, error, small, sizeof small);
  if (need < sizeof small) {
    fputs(small, stdout);
  } else {
    char *big = malloc(need + 1);
    if (!big)
      return;
    pat_json_line(pattern, events, count, error, big, need + 1);
    fputs(big, stdout);
    free(big);
  }
  fputc('\n', stdout);
}

static void usage(FILE *to) {
  fprintf(to, "usage: cyclebus-events [--cycles N] [--from C] < patterns.txt\n"
              "prints the events of each line's mini-notation pattern over cycles C to C+N\n"
              "(default 0 to 4) as one JSON line, as the Strudel oracle does\n");
}

int main(int argc, char **argv) {
  double cycles = 4, from = 0;
  const cb_cli_range cycles_range = {1, 100000, false, false, true};
  const cb_cli_range from_range = {-1e9, 1e9, false, false, true};
  for (int i = 1; i < argc; i++) {
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--cycles")) {
      if (!cb_cli_number("cyclebus-events", argv[i++], next, cycles_range, &cycles))
        return 2;
    } else if (!strcmp(argv[i], "--from")) {
      if (!cb_cli_number("cyclebus-events", argv[i++], next, from_range, &from))
        return 2;
    } else {
      fprintf(stderr, "cyclebus-events: unknown option '%s'\n", argv[i]);
      fprintf(stderr, "cyclebus-events --help shows the usage\n");
      return 2;
    }
  }
  size_t arena_size = (size_t)8 << 20;
  void *memory = malloc(arena_size);
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  while (memory && (got = getline(&line, &cap, stdin)) >= 0) {
    char *text = line;
    size_t length = (size_t)got;
    trim(&text, &length);
    if (length == 0 || text[0] == '#')
      continue;
    text[length] = '\0';
    pat_store *store = pat_store_new();
    pat_error error;
    const pat_pattern *p = pat_parse(store, text, length, 1, 1, &error);
    if (!p) {
      print_line(text, NULL, 0, &error);
      pat_store_free(store);
      continue;
    }
    pat_arc span = {{(int64_t)from, 1}, {(int64_t)(from + cycles), 1}};
    for (;;) {
      pat_arena arena;
      const pat_event *events;
      pat_arena_init(&arena, memory, arena_size);
      size_t count = pat_query(p, span, &arena, &events);
      if (arena.overflow && arena_size < ((size_t)1 << 30)) {
        free(memory);
        arena_size *= 4;
        memory = malloc(arena_size);
        if (!memory)
          break;
        continue;
      }
      if (arena.overflow) {
        pat_error e = {0, 0, "too many events (arena overflow)"};
        print_line(text, NULL, 0, &e);
      } else {
        print_line(text, events, count, NULL);
      }
      break;
    }
    pat_store_free(store);
  }
  free(line);
  free(memory);
  return 0;
}
