/* Pattern engine: exact rational time, Tidal mini-notation, and queries that
   answer "the events in [begin, end)" exactly as Strudel does.
   Building patterns (parse, transforms) allocates from a pat_store and runs on
   the worker; querying allocates nothing and uses a caller-provided pat_arena. */
#ifndef CYCLEBUS_PATTERN_H
#define CYCLEBUS_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- exact time ---------------------------------------------------------- */

/* Always normalized: den > 0, gcd(|num|, den) == 1. */
typedef struct {
  int64_t num;
  int64_t den;
} pat_rat;

/* Arithmetic on rationals. On int64 overflow the result is unspecified and
   *overflow is set to true (never cleared), so a caller checks once after a
   chain of operations. */
pat_rat pat_rat_make(int64_t num, int64_t den, bool *overflow);
pat_rat pat_rat_int(int64_t value);
pat_rat pat_rat_add(pat_rat a, pat_rat b, bool *overflow);
pat_rat pat_rat_sub(pat_rat a, pat_rat b, bool *overflow);
pat_rat pat_rat_mul(pat_rat a, pat_rat b, bool *overflow);
pat_rat pat_rat_div(pat_rat a, pat_rat b, bool *overflow);
int pat_rat_cmp(pat_rat a, pat_rat b); /* -1, 0, 1; exact, never overflows */
pat_rat pat_rat_floor(pat_rat a);      /* largest integer <= a */
double pat_rat_to_double(pat_rat a);
/* Writes "n/d" (or "n" when d == 1), as the Strudel oracle prints fractions. */
int pat_rat_format(pat_rat a, char *buf, size_t size);

typedef struct {
  pat_rat begin;
  pat_rat end;
} pat_arc;

/* ---- values -------------------------------------------------------------- */

typedef enum {
  PAT_VALUE_STRING, /* "bd", "c4", "~bass": str */
  PAT_VALUE_NUMBER, /* 3, -2.5: number */
  PAT_VALUE_SAMPLE  /* "bd:3": str and number (the index) */
} pat_value_kind;

typedef struct {
  pat_value_kind kind;
  double number;
  const char *str; /* NUL-terminated, owned by the pat_store; NULL for numbers */
} pat_value;

/* MIDI note number of a note name: "c4" = 60, "eb3", "f#2", "cs4"; without an
   octave ("c") the octave is 3, as Strudel's noteToMidi. false if not a note. */
bool pat_note_to_midi(const char *name, double *midi);

/* ---- events -------------------------------------------------------------- */

typedef struct {
  pat_arc whole; /* the event's full span */
  pat_arc part;  /* the fragment inside the query; an onset when part.begin == whole.begin */
  pat_value value;
  double gain; /* multiplier set by echo/stut; 1 otherwise */
  double pan;  /* set by jux: 0 (left) or 1 (right); -1 when not set */
} pat_event;

/* ---- building (worker thread; allocates) ----------------------------------- */

typedef struct pat_store pat_store;     /* owns every pattern built in it */
typedef struct pat_pattern pat_pattern; /* immutable once built */

typedef struct {
  int line; /* 1-based, in the caller's coordinates */
  int column;
  char message[200];
} pat_error;

pat_store *pat_store_new(void);
void pat_store_free(pat_store *store);

/* Parses mini-notation. `line`/`column` give where `text` starts in the
   caller's source so errors point into it. Returns NULL and fills *error on a
   parse error ("expected ']' to close '[' opened at 1:5"). Each random operator
   (`?`, `|`) takes its seed from a counter in parse order, as Strudel does. */
const pat_pattern *pat_parse(pat_store *store, const char *text, size_t length, int line,
                             int column, pat_error *error);

/* A pattern of one value per cycle. */
const pat_pattern *pat_pure(pat_store *store, pat_value value);

/* Transforms. Arguments are patterns themselves (patterned arguments); a
   numeric argument is made with pat_pure. Higher-order transforms take the
   already-transformed pattern: `every 4 (fast 2) $ p` is
   pat_every(store, four, pat_fast(store, two, p), p). All return NULL only on
   allocation failure. */
const pat_pattern *pat_fast(pat_store *store, const pat_pattern *factor, const pat_pattern *p);
const pat_pattern *pat_slow(pat_store *store, const pat_pattern *factor, const pat_pattern *p);
const pat_pattern *pat_rev(pat_store *store, const pat_pattern *p);
const pat_pattern *pat_every(pat_store *store, const pat_pattern *period,
                             const pat_pattern *transformed, const pat_pattern *p);
const pat_pattern *pat_degrade_by(pat_store *store, const pat_pattern *amount,
                                  const pat_pattern *p);
/* sometimesBy: `amount` of the events come from `transformed`. sometimes =
   0.5, often = 0.75, rarely = 0.25, as in Strudel. */
const pat_pattern *pat_sometimes_by(pat_store *store, const pat_pattern *amount,
                                    const pat_pattern *transformed, const pat_pattern *p);
const pat_pattern *pat_ply(pat_store *store, const pat_pattern *factor, const pat_pattern *p);
const pat_pattern *pat_iter(pat_store *store, const pat_pattern *divisions, const pat_pattern *p);
const pat_pattern *pat_palindrome(pat_store *store, const pat_pattern *p);
/* off t f p = stack(p, f(p shifted later by t)): pass transformed = f(p). */
const pat_pattern *pat_off(pat_store *store, const pat_pattern *time,
                           const pat_pattern *transformed, const pat_pattern *p);
/* echo count time feedback p: count copies, each `time` later; copy i has its
   event gain multiplied by feedback^i (pat_event.gain). stut is the same. */
const pat_pattern *pat_echo(pat_store *store, const pat_pattern *count, const pat_pattern *time,
                            const pat_pattern *feedback, const pat_pattern *p);
const pat_pattern *pat_euclid(pat_store *store, const pat_pattern *pulses,
                              const pat_pattern *steps, const pat_pattern *rotation,
                              const pat_pattern *p);
const pat_pattern *pat_stack2(pat_store *store, const pat_pattern *a, const pat_pattern *b);
/* jux f p: p panned left (pan 0) stacked with f(p) panned right (pan 1). */
const pat_pattern *pat_jux(pat_store *store, const pat_pattern *transformed, const pat_pattern *p);
const pat_pattern *pat_late(pat_store *store, const pat_pattern *time, const pat_pattern *p);

/* ---- querying (audio thread; never allocates) ------------------------------ */

/* Scratch memory for queries, provided by the caller (e.g. at instantiate). */
typedef struct {
  unsigned char *memory;
  size_t size;
  size_t used;
  bool overflow; /* set when a query needed more than `size`; events were dropped */
} pat_arena;

void pat_arena_init(pat_arena *arena, void *memory, size_t size);
void pat_arena_reset(pat_arena *arena);

/* All events whose part intersects [span.begin, span.end) — Strudel's
   queryArc, fragments included — written to the arena. Returns the count and
   sets *events to the first; on arena overflow returns what fitted and sets
   arena->overflow. On rational overflow returns 0 and sets arena->overflow.
   Cost is bounded by the number of events produced (and the tree size). */
size_t pat_query(const pat_pattern *p, pat_arc span, pat_arena *arena, const pat_event **events);

#endif
