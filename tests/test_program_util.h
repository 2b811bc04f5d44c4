/* Helpers shared by the program tests: compiling with a readable failure,
   asserting where an error is, querying triggers or an output's events,
   reading repo files through CB_TOP. */
#ifndef CYCLEBUS_TEST_PROGRAM_UTIL_H
#define CYCLEBUS_TEST_PROGRAM_UTIL_H

#include <check.h>

#include "check_run.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../plugin/program/program.h"
#include "../tools/host/text_file.h"

#define TEST_TRIGGERS 8192
#define TEST_ARENA_BYTES (4u << 20)

static prog_trigger test_triggers[TEST_TRIGGERS];
static unsigned char test_arena_memory[TEST_ARENA_BYTES];

/* The control ports' defaults, as the plugin passes them. */
static const float test_macros[PROG_MACRO_COUNT] = {[PROG_MACRO_CUTOFF] = 1000.0f,
                                                    [PROG_MACRO_RES] = 0.7f,
                                                    [PROG_MACRO_ATTACK] = 0.005f,
                                                    [PROG_MACRO_RELEASE] = 0.05f,
                                                    [PROG_MACRO_GAIN] = 0.0f};

static inline prog_program *compile_ok(const char *text) {
  prog_error error;
  prog_program *program = prog_compile(text, strlen(text), &error);
  ck_assert_msg(program != NULL, "%d:%d: %s\nin:\n%s", error.line, error.column, error.message,
                text);
  return program;
}

/* Compiles text that must fail; returns the error. */
static inline prog_error compile_error(const char *text) {
  prog_error error;
  prog_program *program = prog_compile(text, strlen(text), &error);
  ck_assert_msg(program == NULL, "compiled but should not have:\n%s", text);
  return error;
}

/* text fails to compile at line:column with a message containing words. */
static inline void assert_error(const char *text, int line, int column, const char *words) {
  prog_error e = compile_error(text);
  ck_assert_msg(e.line == line && e.column == column && strstr(e.message, words),
                "%s\ngave %d:%d: %s\nnot %d:%d with '%s'", text, e.line, e.column, e.message, line,
                column, words);
}

/* The arena of the last query_output: its events live until the next query. */
static pat_arena test_arena;

/* The events of output `output` in cycles [from, to), note names read as `notes` says
   (the program's own triggers read them as Tidal; PAT_NOTES_STRUDEL is the
   engine's default); test_arena.overflow says whether any were dropped. */
static inline size_t query_output(const prog_program *program, int output, int64_t from, int64_t to,
                                  pat_note_numbering notes, const pat_event **events) {
  pat_arena_init(&test_arena, test_arena_memory, sizeof test_arena_memory);
  test_arena.notes = notes;
  return pat_query(prog_output_pattern(program, output),
                   (pat_arc){pat_rat_int(from), pat_rat_int(to)}, &test_arena, events);
}

static inline size_t query_span(const prog_program *program, pat_rat begin, pat_rat end,
                                const float *macros, size_t *dropped) {
  pat_arena arena;
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  size_t lost = 0;
  size_t n = prog_query(program, (pat_arc){begin, end}, macros ? macros : test_macros, &arena,
                        test_triggers, TEST_TRIGGERS, &lost);
  if (dropped)
    *dropped = lost;
  return n;
}

static inline size_t query_cycle(const prog_program *program, int64_t cycle) {
  return query_span(program, pat_rat_int(cycle), pat_rat_int(cycle + 1), NULL, NULL);
}

static inline double midi_hz(double midi) { return 440.0 * pow(2.0, (midi - 69.0) / 12.0); }

static inline char *read_repo_file(const char *relative) { return cb_read_repo_file(relative); }

#endif
