/* The program language: bus definitions, output lines, tempo and macros,
   compiled on the worker into one immutable prog_program, and queried on the
   audio thread for the triggers (bus events with resolved parameters) in a
   span of cycles. The language is described in docs/language.md. */
#ifndef CYCLEBUS_PROGRAM_H
#define CYCLEBUS_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../orbits/orbits.h"
#include "../pattern/pattern.h"
#include "../samples/sample_data.h"
#include "../synth/synth.h"

/* Macros: the plugin's control ports a program can name with a backslash
   (\cutoff, \res, \attack, \release, \gain, \m1 .. \m8). */
typedef enum {
  PROG_MACRO_CUTOFF,
  PROG_MACRO_RES,
  PROG_MACRO_ATTACK,
  PROG_MACRO_RELEASE,
  PROG_MACRO_GAIN,
  PROG_MACRO_M1,
  PROG_MACRO_TRANSPOSE = PROG_MACRO_M1 + 8, /* semitones added to every played pitch */
  PROG_MACRO_COUNT
} prog_macro;

extern const char *const prog_macro_names[PROG_MACRO_COUNT]; /* "cutoff", ..., "m8", "transpose" */

#define PROG_MAX_BUSES 32
#define PROG_MAX_OUTPUTS 16

typedef struct prog_program prog_program; /* immutable; owned by whoever compiled it */

typedef struct {
  int line; /* 1-based line and column in the program text */
  int column;
  char message[256]; /* "unknown bus '~bas' (did you mean '~bass'?)" */
} prog_error;

/* What a program that compiled may still want to tell: sound names the
   sample library does not have ("unknown sound 'bdd' (did you mean 'bd'?)").
   The rest of the program plays. The first PROG_MAX_WARNINGS are kept;
   `count` counts them all. */
#define PROG_MAX_WARNINGS 8
typedef struct {
  int count;
  struct {
    int line, column; /* 1-based */
    char message[160];
  } items[PROG_MAX_WARNINGS];
} prog_warnings;

/* Compiles program text (worker thread: allocates; `text` need not be
   NUL-terminated). Returns NULL and fills *error on the first error, with a
   1-based line and column (0 when not about a place) and a message for
   musicians; on success *error is zeroed. The language: docs/language.md.
   `samples` (may be NULL: no sample library) is asked, on this thread, for
   every sound name the output lines can play that is not a bus; the program
   holds what it acquired and releases it in prog_free (so the source must
   outlive the program). The folders of a `samples:` line go to
   samples->program_folders first. Names the source lacks are `warnings`
   (may be NULL), and play nothing. */
prog_program *prog_compile_with(const char *text, size_t length, const sample_source *samples,
                                prog_error *error, prog_warnings *warnings);
/* prog_compile_with without samples or warnings. */
prog_program *prog_compile(const char *text, size_t length, prog_error *error);
/* Worker thread: releases the sample sets the program acquired and frees it. */
void prog_free(prog_program *program);

/* The program's own tempo in cycles per second (`cps: x`, or `bpm: b` as
   b / 240); false when the program gives none. */
bool prog_tempo(const prog_program *program, double *cycles_per_second);

/* The buses, in definition order, then the copies a control adds a stage to
   (`# hpf 300` on a bus without hpf): such a copy has its bus's name. The
   graphs are zeroed before they are built, so equal buses are equal bytes. */
int prog_bus_count(const prog_program *program);
const synth_bus *prog_bus(const prog_program *program, int bus_index);
const char *prog_bus_name(const prog_program *program, int bus_index); /* without '~' */

/* The output lines, in program order: their names (d1, out, ~kick for a
   named line) and control patterns, which also hold the events of sounds
   the program has no bus for (samples: they play the file the program
   acquired for the name, or nothing when it has none). */
int prog_output_count(const prog_program *program);
const char *prog_output_name(const prog_program *program, int output);
const pat_pattern *prog_output_pattern(const prog_program *program, int output);

/* One voice to start: one event of an output line's control pattern (a
   chord is several events). */
typedef struct {
  /* the file a sample event plays, pinned by the program until prog_free;
     NULL: a bus */
  const sample_data *sample;
  pat_rat onset;          /* the event's whole.begin, in cycles */
  double gate_cycles;     /* (whole.end - whole.begin) * legato */
  double release_seconds; /* tail after the gate (the longest release in the bus) */
  uint16_t bus;           /* index of the bus */
  uint16_t output;        /* index of the output line, in program order */
  float gain;             /* event gain (controls `gain`, echo), default 1 */
  float pan;              /* 0..1, default 0.5 */
  float note;             /* MIDI note of the pitch played (MIDI out), 60 for a bus without one */
  bool uses_macros;       /* some parameter came from a macro */
  /* a sample's timing, which prog_sample_voice completes with the tempo */
  bool unit_cycles;      /* unit "c": the speed counts the file's lengths per cycle */
  bool has_length;       /* legato or clip given: gate_cycles cuts it short */
  float sustain_seconds; /* `sustain`, cutting it short; 0: not given */
  int32_t cut;           /* SuperDirt's cut group (buses too); 0: none */
  uint8_t orbit;         /* `orbit` modulo 8 (default 0): the effect bus it mixes into */
  float room;            /* reverb send: `room` * (1 - `dry`), each 0..1 */
  float delay;           /* delay send: `delay`, 0..1 */
  orbit_params fx;       /* size, delaytime, delayfeedback, lock where the event sets them */
  /* params resolved at the onset (frequency from note, filter and envelope
     values, macro values); the caller fills sample_rate, gate_frames,
     total_frames; seed is set. */
  synth_voice voice;
} prog_trigger;

/* A sample trigger's voice (t->sample set), at the session's rate and the
   tempo, by SuperDirt's rules: unit "c" makes the speed speed * cps * the
   file's duration; the voice lasts the segment's duration at the mean of
   its first and last speed (times `loop`), or less: `sustain` seconds, or
   the event's length times legato. Real-time safe. */
void prog_sample_voice(const prog_trigger *t, double frames_per_cycle, double sample_rate,
                       synth_voice *voice);

/* The triggers whose onsets lie in [span.begin, span.end), in onset order
   (at one onset, in program order). `macros` are the current control-port values.
   Audio thread: allocates nothing; returns the count written and sets
   *dropped to the triggers that did not fit plus one per pattern query that
   overflowed the arena (arena->overflow is then set too; the events the
   query finished still play) and the events whose controls were too dense to
   read (arena->dropped).
   Pattern queries use `arena` from arena->used on: an output line's events
   may take three quarters of the free space, the rest is for the bus
   parameters read at their onsets. arena->inputs is the macros while it
   runs. prog_query gives back all it used (used and top_used are as they
   were) and leaves arena->size and inputs as it found them; the caller may
   still reset the arena between calls. Cost is bounded by the arena's size. */
size_t prog_query(const prog_program *program, pat_arc span, const float macros[PROG_MACRO_COUNT],
                  pat_arena *arena, prog_trigger *out, size_t capacity, size_t *dropped);

#endif
