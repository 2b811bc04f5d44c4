/* prog_compile: text to an immutable prog_program (worker thread), the
   compiler's memory and error reporting, "did you mean" suggestions, and the
   program's accessors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program_private.h"

const char *const prog_macro_names[PROG_MACRO_COUNT] = {
    "cutoff", "res", "attack", "release", "gain", "m1", "m2",
    "m3",     "m4",  "m5",     "m6",      "m7",   "m8", "transpose"};

/* ---- compiler memory: chunks freed together when compiling ends ----------------------- */

struct chunk {
  chunk *next;
  size_t used, size;
  _Alignas(16) unsigned char bytes[];
};

void *prog_alloc(prog_compiler *c, size_t size) {
  size = (size + 15) & ~(size_t)15;
  chunk *head = c->chunks;
  if (!head || head->size - head->used < size) {
    size_t bytes = size > 65536 ? size : 65536;
    head = malloc(sizeof *head + bytes);
    if (!head)
      prog_fail(c, 0, 0, "out of memory");
    head->next = c->chunks;
    head->used = 0;
    head->size = bytes;
    c->chunks = head;
  }
  void *p = head->bytes + head->used;
  head->used += size;
  return p;
}

static void free_chunks(prog_compiler *c) {
  while (c->chunks) {
    chunk *next_chunk = c->chunks->next;
    free(c->chunks);
    c->chunks = next_chunk;
  }
}

/* ---- errors ----------------------------------------------------------------------------- */

void prog_fail(prog_compiler *c, int line, int column, const char *format, ...) {
  c->error->line = line;
  c->error->column = column;
  va_list args;
  va_start(args, format);
  vsnprintf(c->error->message, sizeof c->error->message, format, args);
  va_end(args);
  longjmp(c->fail, 1);
}

bool prog_name_is(const char *text, size_t length, const char *name) {
  /* the first letters first: a lookup compares a word with every name in a
     table, and most differ there */
  if (length > 0 && name[0] != text[0])
    return false;
  return strlen(name) == length && memcmp(text, name, length) == 0;
}

/* Edit distance counting a swap of neighbours as one edit ("lfp" -> "lpf"). */
static size_t edit_distance(const char *a, size_t a_length, const char *b) {
  size_t b_length = strlen(b);
  if (a_length > 40 || b_length > 40)
    return 99;
  size_t d[41][41];
  for (size_t i = 0; i <= a_length; ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b_length; ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a_length; ++i) {
    for (size_t j = 1; j <= b_length; ++j) {
      size_t best = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      if (d[i - 1][j] + 1 < best)
        best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  }
  return d[a_length][b_length];
}

const char *prog_suggest(const char *name, size_t length, const char *const *candidates,
                         int count) {
  const char *best = NULL;
  size_t best_distance = 99;
  size_t limit = length <= 3 ? 1 : length <= 6 ? 2 : 3;
  for (int i = 0; i < count; ++i) {
    size_t distance = edit_distance(name, length, candidates[i]);
    if (distance < best_distance) {
      best = candidates[i];
      best_distance = distance;
    }
  }
  return best_distance <= limit ? best : NULL;
}

void prog_did_you_mean(char *out, size_t size, const char *prefix, const char *suggestion) {
  if (suggestion)
    snprintf(out, size, " (did you mean '%s%s'?)", prefix, suggestion);
  else if (size)
    out[0] = '\0';
}

/* ---- statements -------------------------------------------------------------------------- */

static void declare(prog_compiler *c) {
  int output_lines[PROG_MAX_OUTPUTS];
  const prog_stmt *outputs[PROG_MAX_OUTPUTS];
  int output_count = 0;
  const prog_stmt *tempo = NULL;
  for (int i = 0; i < c->stmt_count; ++i) {
    const prog_stmt *s = &c->stmts[i];
    if (s->kind == STMT_TEMPO) {
      if (tempo)
        prog_fail(c, s->line, s->column, "the tempo is already set on line %d", tempo->line);
      tempo = s;
    } else if (s->kind == STMT_BUS) {
      for (int d = 0; d < c->decl_count; ++d)
        if (prog_name_is(s->name, s->name_length, c->decls[d].name) &&
            c->decls[d].length == s->name_length)
          prog_fail(c, s->line, s->column, "bus '~%.*s' is already defined on line %d",
                    (int)s->name_length, s->name, c->decls[d].line);
      if (s->name_length >= PROG_MAX_NAME)
        prog_fail(c, s->line, s->column, "bus name too long (at most %d characters)",
                  PROG_MAX_NAME - 1);
      if (c->decl_count == PROG_MAX_BUS_DECLS)
        prog_fail(c, s->line, s->column, "too many bus definitions (at most %d)",
                  PROG_MAX_BUS_DECLS);
      bus_decl *d = &c->decls[c->decl_count++];
      char *name = prog_alloc(c, s->name_length + 1);
      memcpy(name, s->name, s->name_length);
      name[s->name_length] = '\0';
      *d = (bus_decl){.name = name,
                      .length = s->name_length,
                      .line = s->line,
                      .column = s->column,
                      .stmt = s,
                      .program_index = -1};
    } else {
      for (int o = 0; o < output_count; ++o)
        if (outputs[o]->name_length == s->name_length &&
            memcmp(outputs[o]->name, s->name, s->name_length) == 0)
          prog_fail(c, s->line, s->column, "output '%.*s' is already used on line %d",
                    (int)s->name_length, s->name, output_lines[o]);
      if (output_count == PROG_MAX_OUTPUTS)
        prog_fail(c, s->line, s->column, "too many output lines (at most %d)", PROG_MAX_OUTPUTS);
      if (s->name_length >= sizeof c->program->outputs[0].name)
        prog_fail(c, s->line, s->column, "output name too long");
      outputs[output_count] = s;
      output_lines[output_count++] = s->line;
    }
  }
}

/* bpm and cps bounds: 10 to 1000 beats per minute, four beats to a cycle. */
static void compile_tempo(prog_compiler *c, const prog_stmt *s) {
  c->in_bus = false;
  c->statement_line = s->line;
  prog_value v = prog_eval(c, s->body);
  if (v.kind != V_NUMBER)
    prog_fail(c, v.line, v.column, "the tempo must be a number, not %s", prog_value_kind_name(&v));
  bool bpm = prog_name_is(s->name, s->name_length, "bpm");
  double cps = bpm ? v.number / 240.0 : v.number;
  if (!(cps >= 10.0 / 240.0 && cps <= 1000.0 / 240.0)) {
    if (bpm)
      prog_fail(c, v.line, v.column, "bpm must be between 10 and 1000");
    prog_fail(c, v.line, v.column,
              "%.*s must be between 0.042 and 4.17 cycles per second (10 to 1000 bpm)",
              (int)s->name_length, s->name);
  }
  c->program->has_tempo = true;
  c->program->cycles_per_second = cps;
}

/* Runs the compiler; false when it stopped at an error (c->error is set). */
static bool run_compiler(prog_compiler *c) {
  if (setjmp(c->fail))
    return false;
  prog_lex(c);
  prog_sample_folders(c);
  prog_parse(c);
  prog_prelude(c);
  declare(c);
  prog_find_lines(c);
  for (int i = 0; i < c->stmt_count; ++i) {
    const prog_stmt *s = &c->stmts[i];
    if (s->kind == STMT_LET) {
      continue; /* its value is compiled where its name is used */
    } else if (s->kind == STMT_TEMPO) {
      compile_tempo(c, s);
    } else if (s->kind == STMT_BUS) {
      for (int d = 0; d < c->decl_count; ++d)
        if (c->decls[d].stmt == s && c->decls[d].is_line)
          prog_compile_output(c, s, &c->decls[d]);
        else if (c->decls[d].stmt == s)
          prog_compile_bus(c, &c->decls[d]);
    } else {
      prog_compile_output(c, s, NULL);
    }
  }
  return true;
}

prog_program *prog_compile(const char *text, size_t length, prog_error *error) {
  return prog_compile_with(text, length, NULL, error, NULL);
}

prog_program *prog_compile_with(const char *text, size_t length, const sample_source *samples,
                                prog_error *error, prog_warnings *warnings) {
  prog_error ignored;
  if (warnings)
    memset(warnings, 0, sizeof *warnings);
  if (!error)
    error = &ignored;
  memset(error, 0, sizeof *error);
  prog_compiler *c = calloc(1, sizeof *c);
  prog_program *program = calloc(1, sizeof *program);
  pat_store *store = pat_store_new();
  if (!c || !program || !store || (!text && length)) {
    snprintf(error->message, sizeof error->message, text ? "out of memory" : "no program text");
    free(c);
    free(program);
    if (store)
      pat_store_free(store);
    return NULL;
  }
  program->store = store;
  c->program = program;
  c->error = error;
  c->samples = samples;
  c->warnings = warnings;
  c->text = text ? text : "";
  c->length = length;
  bool ok = run_compiler(c);
  free_chunks(c);
  free(c);
  if (!ok) {
    prog_free(program);
    if (warnings) /* the error is what counts */
      memset(warnings, 0, sizeof *warnings);
    return NULL;
  }
  memset(error, 0, sizeof *error);
  prog_sample_sort(program);
  return program;
}

void prog_free(prog_program *program) {
  if (!program)
    return;
  prog_sample_release_all(program);
  if (program->store)
    pat_store_free(program->store);
  free(program);
}

bool prog_tempo(const prog_program *program, double *cycles_per_second) {
  if (!program || !program->has_tempo)
    return false;
  if (cycles_per_second)
    *cycles_per_second = program->cycles_per_second;
  return true;
}

int prog_bus_count(const prog_program *program) { return program ? program->bus_count : 0; }

const synth_bus *prog_bus(const prog_program *program, int bus_index) {
  if (!program || bus_index < 0 || bus_index >= program->bus_count)
    return NULL;
  return &program->buses[bus_index].graph;
}

const char *prog_bus_name(const prog_program *program, int bus_index) {
  if (!program || bus_index < 0 || bus_index >= program->bus_count)
    return NULL;
  return program->buses[bus_index].name;
}

int prog_output_count(const prog_program *program) { return program ? program->output_count : 0; }

const char *prog_output_name(const prog_program *program, int output) {
  if (!program || output < 0 || output >= program->output_count)
    return NULL;
  return program->outputs[output].name;
}

const pat_pattern *prog_output_pattern(const prog_program *program, int output) {
  if (!program || output < 0 || output >= program->output_count)
    return NULL;
  return program->outputs[output].pattern;
}
