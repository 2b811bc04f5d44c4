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
/* The rational Strudel's Fraction(x) makes of a JS number: integers exactly,
   other values by Fraction.js's Farey search (denominators up to 1e7), so
   0.1 -> 1/10, 1.5 -> 3/2, 1e-8 -> 0. false for NaN, infinities and values
   beyond int64. */
bool pat_rat_from_double(double value, pat_rat *out);
/* Strudel's timeToRand, its `rand` at a time: a hash of time in [0, 1). */
double pat_time_to_rand(double time);
/* Tidal's own: xorwise on its 64-bit Int, and timeToRand of an exact time
   (Strudel's differs: it hashes in 32 bits). */
int64_t pat_tidal_xorwise(int64_t x);
double pat_tidal_time_to_rand(pat_rat time);

typedef struct {
  pat_rat begin;
  pat_rat end;
} pat_arc;

/* ---- values -------------------------------------------------------------- */

typedef enum {
  PAT_VALUE_STRING,  /* "bd", "c4", "~bass": str */
  PAT_VALUE_NUMBER,  /* 3, -2.5: number */
  PAT_VALUE_SAMPLE,  /* "bd:3": str and number (the index) */
  PAT_VALUE_LIST,    /* any other "a:b[:c...]" (e.g. "3:4", "bd:x"): items[0..count) */
  PAT_VALUE_CONTROLS /* a control map (s, note, gain, ...): controls */
} pat_value_kind;

typedef struct pat_value pat_value;
typedef struct pat_controls pat_controls;
struct pat_value {
  pat_value_kind kind;
  bool live; /* computed from a live input (pat_input): may differ at the next query */
  double number;
  const char *str;        /* NUL-terminated, owned by the pat_store or the query arena */
  const pat_value *items; /* PAT_VALUE_LIST only: in the query arena (valid until its reset) */
  size_t count;
  const pat_controls *controls; /* PAT_VALUE_CONTROLS: in the store or the query arena */
};

/* ---- controls -----------------------------------------------------------------

   As in Tidal and Strudel, a control pattern is a pattern whose values are
   control maps: `s "x" # note "e"` has values {s: x, note: 4} (read in
   Tidal's numbering, below; 52 in Strudel's). A map is a short list of
   (control, value) entries sorted by control, so a query builds maps in its
   arena without allocating, and a map costs what it holds. */

typedef enum {
  PAT_CONTROL_VALUE, /* a plain value given controls (Strudel's {value: x}: "a b" # gain 1) */
  PAT_CONTROL_S,     /* the sound: a string (so are unit, bank and vowel) */
  PAT_CONTROL_N,     /* every other control is a number */
  PAT_CONTROL_NOTE,
  PAT_CONTROL_GAIN,
  PAT_CONTROL_PAN,
  PAT_CONTROL_SPEED,
  PAT_CONTROL_LEGATO,
  PAT_CONTROL_ATTACK,
  PAT_CONTROL_DECAY,
  PAT_CONTROL_SUSTAIN,
  PAT_CONTROL_RELEASE,
  PAT_CONTROL_LPF,
  PAT_CONTROL_RES,
  PAT_CONTROL_HPF,
  PAT_CONTROL_HPQ,
  PAT_CONTROL_BPF,
  PAT_CONTROL_BPQ,
  PAT_CONTROL_OCTAVE,   /* SuperDirt's: the pitch is (note or n) + 12 * octave (default 5) */
  PAT_CONTROL_MIDINOTE, /* a MIDI note number, in place of note, n and octave */
  /* sample playback (SuperDirt's and Strudel's names) */
  PAT_CONTROL_BEGIN,
  PAT_CONTROL_END,
  PAT_CONTROL_ACCELERATE,
  PAT_CONTROL_LOOP,
  PAT_CONTROL_CUT,
  PAT_CONTROL_UNIT, /* a string: "r", "c" or "s" */
  PAT_CONTROL_BANK, /* a string: Strudel's sample bank */
  PAT_CONTROL_CLIP,
  /* per-orbit effects */
  PAT_CONTROL_ORBIT,
  PAT_CONTROL_ROOM,
  PAT_CONTROL_SIZE,
  PAT_CONTROL_DRY,
  PAT_CONTROL_DELAY,
  PAT_CONTROL_DELAYTIME,
  PAT_CONTROL_DELAYFEEDBACK,
  PAT_CONTROL_LOCK,
  /* per-voice effects */
  PAT_CONTROL_SHAPE,
  PAT_CONTROL_DISTORT,
  PAT_CONTROL_TRIODE,
  PAT_CONTROL_CRUSH,
  PAT_CONTROL_COARSE,
  PAT_CONTROL_SQUIZ,
  PAT_CONTROL_VOWEL, /* a string: "a" "e" "i" "o" "u" */
  PAT_CONTROL_DJF,
  PAT_CONTROL_RING,
  PAT_CONTROL_RINGF,
  PAT_CONTROL_RINGDF,
  PAT_CONTROL_TREMOLODEPTH,
  PAT_CONTROL_TREMOLORATE,
  PAT_CONTROL_PHASERDEPTH,
  PAT_CONTROL_PHASERRATE,
  PAT_CONTROL_LPENV, /* Strudel's filter envelopes */
  PAT_CONTROL_LPATTACK,
  PAT_CONTROL_LPDECAY,
  PAT_CONTROL_LPSUSTAIN,
  PAT_CONTROL_LPRELEASE,
  PAT_CONTROL_HPENV,
  PAT_CONTROL_HPATTACK,
  PAT_CONTROL_HPDECAY,
  PAT_CONTROL_HPSUSTAIN,
  PAT_CONTROL_HPRELEASE,
  PAT_CONTROL_BPENV,
  PAT_CONTROL_BPATTACK,
  PAT_CONTROL_BPDECAY,
  PAT_CONTROL_BPSUSTAIN,
  PAT_CONTROL_BPRELEASE,
  /* SuperDirt's synth parameters */
  PAT_CONTROL_VELOCITY,
  PAT_CONTROL_AMP,
  PAT_CONTROL_VOICE,
  PAT_CONTROL_DETUNE,
  PAT_CONTROL_NUDGE,
  PAT_CONTROL_COUNT
} pat_control;

/* The most controls one map holds. A combination that would hold more keeps
   the lowest-numbered ones and counts the event in the arena's `dropped`. */
#define PAT_MAP_MAX 32

typedef struct {
  uint16_t control; /* pat_control */
  union {
    double number;   /* a numeric control */
    const char *str; /* a string control (pat_control_is_string): NUL-terminated */
  };
} pat_control_entry;

struct pat_controls {
  pat_value value; /* PAT_CONTROL_VALUE's value, when the map has that entry */
  uint32_t count;  /* entries used, sorted by control, each control at most once */
  /* A map in an arena or store is allocated with room for `count` entries
     only (pat_controls_size): never read or write past it. */
  pat_control_entry entries[PAT_MAP_MAX];
};

/* Bytes a map of `count` entries takes. */
size_t pat_controls_size(uint32_t count);
bool pat_controls_has(const pat_controls *map, pat_control control);
/* A numeric control's value, or `fallback` when the map lacks it. */
double pat_controls_number(const pat_controls *map, pat_control control, double fallback);
/* A string control's value, or NULL when the map lacks it. */
const char *pat_controls_string(const pat_controls *map, pat_control control);
/* Whether a control's values are strings (s, unit, bank, vowel). */
bool pat_control_is_string(pat_control control);

/* The control a Tidal name stands for ("s", "sound", "note", "lpf", "cutoff",
   ...), or -1. pat_control_name gives each control's own name ("s", "note");
   pat_control_name_at(i) is the i-th name pat_control_lookup knows, NULL
   past the last (for suggestions). */
int pat_control_lookup(const char *name, size_t length);
const char *pat_control_name(pat_control control);
const char *pat_control_name_at(size_t index);

/* How note names read as numbers. PAT_NOTES_STRUDEL: MIDI numbers, as
   Strudel's noteToMidi ("c4" = 60; without an octave, octave 3: "c" = 48).
   PAT_NOTES_TIDAL: semitones from middle C, as Tidal's note parser ("c5" = 0,
   "a5" = 9 is 440 Hz; without an octave, octave 5: "c" = 0, "e4" = -8). */
typedef enum { PAT_NOTES_STRUDEL, PAT_NOTES_TIDAL } pat_note_numbering;

/* The number of a note name ("c4", "eb3", "f#2", "cs4"): accidentals s/#
   sharp, f/b flat (and n natural, Tidal's: "en5"). false if not a note. */
bool pat_note_number(const char *name, pat_note_numbering numbering, double *number);

/* Tidal's scale table: the index of a scale's name ("major", "minPent", ...)
   or -1; its names; a degree as semitones above the root (d mod n steps,
   d div n octaves, as Tidal's noteInScale). */
int pat_scale_lookup(const char *name, size_t length);
int pat_scale_count(void);
const char *pat_scale_name(int scale);
double pat_scale_note(int scale, double degree);

/* ---- events -------------------------------------------------------------- */

typedef struct {
  pat_arc whole; /* the event's full span */
  pat_arc part;  /* the fragment inside the query; an onset when part.begin == whole.begin */
  pat_value value;
  bool analog; /* a continuous pattern's sample (Tidal's event without a whole): its
                  whole is the span it was queried with and it has no onset */
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
   numeric argument is made with pat_pure. As in Strudel, a pat_pure argument
   is used directly, any other argument pattern is queried and the transform
   applied per argument event (Strudel's innerJoin: results are cut at the
   argument's event boundaries). Higher-order transforms take the
   already-transformed pattern: `every 4 (fast 2) $ p` is
   pat_every(store, four, pat_fast(store, two, p), p). All return NULL only on
   allocation failure. An argument Strudel would reject (euclid (9,8), every 0,
   a string where a number belongs) makes every query of the result fail:
   pat_query returns 0 and sets arena->failed, as Strudel's queryArc returns []. */
const pat_pattern *pat_fast(pat_store *store, const pat_pattern *factor, const pat_pattern *p);
const pat_pattern *pat_slow(pat_store *store, const pat_pattern *factor, const pat_pattern *p);
const pat_pattern *pat_rev(pat_store *store, const pat_pattern *p);
const pat_pattern *pat_every(pat_store *store, const pat_pattern *period,
                             const pat_pattern *transformed, const pat_pattern *p);
/* lastOf: `transformed` on the last cycle of every `period`, else `p`. */
const pat_pattern *pat_last_of(pat_store *store, const pat_pattern *period,
                               const pat_pattern *transformed, const pat_pattern *p);
const pat_pattern *pat_degrade_by(pat_store *store, const pat_pattern *amount,
                                  const pat_pattern *p);
/* Higher-order transforms take f itself: `fn` builds f(q) for the pattern q
   it is given (it is called once, at build time, with a placeholder that
   stands for the thinned or shifted pattern); `context` is passed through.
   fn returns NULL on failure, and then so does the transform. */
typedef const pat_pattern *(*pat_transform_fn)(pat_store *store, const pat_pattern *q,
                                               void *context);
/* sometimesBy: stack(degradeBy amount p, f (unDegradeBy (1 - amount) p)),
   as Strudel's, the amount patterned. sometimes = 0.5, often = 0.75, rarely
   = 0.25, ... */
const pat_pattern *pat_sometimes_by(pat_store *store, const pat_pattern *amount,
                                    pat_transform_fn fn, void *context, const pat_pattern *p);
/* someCyclesBy: whole cycles (rand of each cycle, Strudel's rand.segment(1),
   below `amount`) go to f, the others stay. */
const pat_pattern *pat_some_cycles_by(pat_store *store, const pat_pattern *amount,
                                      pat_transform_fn fn, void *context, const pat_pattern *p);
const pat_pattern *pat_ply(pat_store *store, const pat_pattern *factor, const pat_pattern *p);
/* range lo hi p: each number x of p (note names as MIDI numbers) becomes
   x * (hi - lo) + lo, Strudel's p.mul(hi - lo).add(lo); other values stay. */
const pat_pattern *pat_range_numbers(pat_store *store, double lo, double hi, const pat_pattern *p);
/* segment n: p sampled in n slices a cycle (Strudel's struct(pure(true).fast(n))). */
const pat_pattern *pat_segment(pat_store *store, const pat_pattern *rate, const pat_pattern *p);
const pat_pattern *pat_iter(pat_store *store, const pat_pattern *divisions, const pat_pattern *p);
const pat_pattern *pat_palindrome(pat_store *store, const pat_pattern *p);
/* iter' (Strudel's iterBack): iter's pieces in reverse order. */
const pat_pattern *pat_iter_back(pat_store *store, const pat_pattern *divisions,
                                 const pat_pattern *p);
/* Tidal's unDegradeBy x: the events with rand < x (degradeBy x's complement). */
const pat_pattern *pat_undegrade_by(pat_store *store, const pat_pattern *amount,
                                    const pat_pattern *p);
/* Tidal's filterWhen (cyclePos t >= begin && cyclePos t < end) on the
   events' onsets (invert: not), as within uses it. */
const pat_pattern *pat_play_when_in(pat_store *store, double begin, double end, bool invert,
                                    const pat_pattern *p);
/* pressBy r: each event squeezed into the last 1 - r of its span. */
const pat_pattern *pat_press_by(pat_store *store, const pat_pattern *amount, const pat_pattern *p);
/* Tidal's rangex lo hi (exp of range (log lo) (log hi); lo, hi > 0),
   quantise n (round (x * n) / n, halves to even) and toScale' octave steps
   (steps[x mod count] + octave * floor (x / count)), on numbers. */
const pat_pattern *pat_rangex(pat_store *store, double lo, double hi, const pat_pattern *p);
const pat_pattern *pat_quantise(pat_store *store, double n, const pat_pattern *p);
const pat_pattern *pat_to_scale(pat_store *store, double octave, const double *steps, size_t count,
                                const pat_pattern *p);
/* zoomArc (begin, end): that part of each cycle stretched over the cycle;
   compress (begin, end): each cycle squeezed into that part of it (silence
   unless 0 <= begin < end <= 1). Plain numbers, as Tidal's tuples. */
const pat_pattern *pat_zoom(pat_store *store, double begin, double end, const pat_pattern *p);
const pat_pattern *pat_compress(pat_store *store, double begin, double end, const pat_pattern *p);
/* Tidal's chooseBy f values: values[floor(x * count) mod count] for each x of
   f (0 to 1); wchooseBy: values[0 .. count) then their weights, each value
   chosen for its share of the total weight. */
const pat_pattern *pat_choose_by(pat_store *store, const pat_pattern *f, const double *values,
                                 size_t count);
const pat_pattern *pat_wchoose_by(pat_store *store, const pat_pattern *f,
                                  const double *values_then_weights, size_t count);

/* ---- Tidal's library (transforms_library.c), first arguments patterned ---- */

/* arpeggiate: the events that share a whole (a chord) one after another
   inside it; arp: the same in the order of the mode each name gives ("up",
   "down", "updown", "downup", "up&down", "down&up", "converge", "diverge",
   "disconverge", "pinkyup", "pinkyupdown", "thumbup", "thumbupdown"; any
   other name is "up"); rolledBy t: each starts i * t / n of the whole later
   (t < 0: from the last), ending where it did (t read once a cycle). */
const pat_pattern *pat_arpeggiate(pat_store *store, const pat_pattern *p);
const pat_pattern *pat_arp(pat_store *store, const pat_pattern *modes, const pat_pattern *p);
const pat_pattern *pat_rolled_by(pat_store *store, const pat_pattern *amount, const pat_pattern *p);
/* plyWith n f p: arpeggiate (compound n), compound n = p for n <= 1, else
   stack [p, f (compound (n - 1))]; stutWith n t f p: compound n = p for n <=
   1, else stack [f (t ~> compound (n - 1)), p]. fn builds f once, of a
   placeholder standing for compound (n - 1). */
const pat_pattern *pat_ply_with(pat_store *store, const pat_pattern *count, pat_transform_fn fn,
                                void *context, const pat_pattern *p);
const pat_pattern *pat_stut_with(pat_store *store, const pat_pattern *count,
                                 const pat_pattern *time, pat_transform_fn fn, void *context,
                                 const pat_pattern *p);
/* A list of patterns chosen by a pattern of numbers: select's floats (item
   floor (clamp 0 1 x * (count - 1))), selectF's (item floor (clamp 0
   0.999999 x * count)), pickF's integers (item i mod count; innerJoin: the
   item's own events over the index event), squeeze's integers (the item
   squeezed into each index event). */
typedef enum { PAT_PICK_SELECT, PAT_PICK_SELECT_F, PAT_PICK_MOD, PAT_PICK_SQUEEZE } pat_pick_mode;
const pat_pattern *pat_pick(pat_store *store, pat_pick_mode mode, const pat_pattern *index,
                            const pat_pattern *const *items, size_t count);
/* rot n: each cycle's events (sorted as Tidal sorts them) keep their times
   and take the value n events later, wrapping. */
const pat_pattern *pat_rot(pat_store *store, const pat_pattern *amount, const pat_pattern *p);
/* shuffle n (scramble n: with_replacement): each cycle cut in n parts played
   in a random permutation (Tidal's randrun) or a random choice of parts
   (segment n (irand n)). */
const pat_pattern *pat_shuffle(pat_store *store, const pat_pattern *parts, bool with_replacement,
                               const pat_pattern *p);
/* fit step items indices: each event of indices valued i takes the value of
   items[(i + step * its cycle) mod count] (items read at the event's onset). */
const pat_pattern *pat_fit(pat_store *store, const pat_pattern *step,
                           const pat_pattern *const *items, size_t count,
                           const pat_pattern *indices);
/* whenmod a b: changed (f p) on the cycles whose number mod a is b or more,
   p elsewhere; chunk n: changed on part c mod n of cycle c as Tidal's cat of
   withins, backward (chunk', or n < 0) from the last part. */
const pat_pattern *pat_whenmod(pat_store *store, const pat_pattern *period, const pat_pattern *from,
                               const pat_pattern *changed, const pat_pattern *p);
const pat_pattern *pat_chunk(pat_store *store, const pat_pattern *count, bool backward,
                             const pat_pattern *changed, const pat_pattern *p);
/* inside n f p = fast n (f (slow n p)), n patterned (outside: inside (1/n));
   fn builds f once, of a placeholder standing for slow n p. A factor of 0
   or below is silence. */
const pat_pattern *pat_inside(pat_store *store, const pat_pattern *factor, bool outside,
                              pat_transform_fn fn, void *context, const pat_pattern *p);
/* Tidal's nTake name xs (`# nTake "c" [0, 2]`): each event takes the next
   of xs for `control`. Tidal counts the events a stream plays, in state kept
   by name across evaluations; here the k-th onset of cycle c of the line
   (of m onsets a cycle) takes xs[(c * m + k) mod count], the same when every
   cycle has m onsets and play started at cycle 0. Alone it is one event a
   cycle; on the right of an operator (pat_combine) it counts the left's
   onsets. */
const pat_pattern *pat_ntake(pat_store *store, pat_control control, const double *values,
                             size_t count);
/* linger t: the first t of each cycle repeated (the last -t below 0); trunc
   t: only the first t of each cycle (silence unless 0 < t <= 1). */
const pat_pattern *pat_linger(pat_store *store, const pat_pattern *amount, const pat_pattern *p);
const pat_pattern *pat_trunc(pat_store *store, const pat_pattern *amount, const pat_pattern *p);
/* Tidal's stripe n p: p's cycle played n times a cycle, back to back, the
   lengths random (weights 1, 2 or 3 from Tidal's rand) and adding up to the
   cycle; slowstripe n = slow n . stripe n. */
const pat_pattern *pat_stripe(pat_store *store, const pat_pattern *count, bool slow,
                              const pat_pattern *p);
/* Tidal's smooth: a continuous pattern going in a straight line from each of
   p's numbers to the next (the value at the query's middle). */
const pat_pattern *pat_smooth(pat_store *store, const pat_pattern *p);
/* Tidal's inhabit ps p: squeezeJoin of the pattern each word of p names in
   (names, patterns) (the first of that name; silence for a name not there). */
const pat_pattern *pat_inhabit(pat_store *store, const pat_pattern *words, const char *const *names,
                               const pat_pattern *const *patterns, size_t count);

/* superimpose f p = stack(p, f p). */
const pat_pattern *pat_superimpose(pat_store *store, pat_transform_fn fn, void *context,
                                   const pat_pattern *p);
/* off t f p = stack(p, f(p shifted later by t)). */
const pat_pattern *pat_off(pat_store *store, const pat_pattern *time, pat_transform_fn fn,
                           void *context, const pat_pattern *p);
/* echo count time feedback p: count copies, each `time` later; copy i has its
   gain control set to feedback^i (Strudel's .gain(), which also cuts each
   event's part at cycle boundaries). */
const pat_pattern *pat_echo(pat_store *store, const pat_pattern *count, const pat_pattern *time,
                            const pat_pattern *feedback, const pat_pattern *p);
/* stut count feedback time p: echo with Strudel's (deprecated) argument order. */
const pat_pattern *pat_stut(pat_store *store, const pat_pattern *count, const pat_pattern *feedback,
                            const pat_pattern *time, const pat_pattern *p);
/* euclid (pulses, steps) or, with a non-NULL rotation, euclidRot. */
const pat_pattern *pat_euclid(pat_store *store, const pat_pattern *pulses, const pat_pattern *steps,
                              const pat_pattern *rotation, const pat_pattern *p);
const pat_pattern *pat_stack2(pat_store *store, const pat_pattern *a, const pat_pattern *b);
/* jux f p: p panned left stacked with f(p) panned right: the pan control
   becomes (pan or 0.5) - 0.5 and + 0.5, as Strudel's jux sets it. */
const pat_pattern *pat_jux(pat_store *store, const pat_pattern *transformed, const pat_pattern *p);
/* juxBy w f p: the same with the pans moved by -w/2 and +w/2 (Strudel's juxBy, w a pattern). */
const pat_pattern *pat_jux_by(pat_store *store, const pat_pattern *width,
                              const pat_pattern *transformed, const pat_pattern *p);
const pat_pattern *pat_late(pat_store *store, const pat_pattern *time, const pat_pattern *p);
const pat_pattern *pat_early(pat_store *store, const pat_pattern *time, const pat_pattern *p);
const pat_pattern *pat_silence(pat_store *store);
/* Strudel's continuous patterns: sine, cosine, saw, isaw, tri and square
   running from 0 to 1 over each cycle, rand, and irand n (whole numbers 0 to
   n - 1). A query gets one event spanning the query, valued at its middle, as
   Strudel's signals answer (its whole is the span, where Strudel leaves it
   undefined); tri is fastcat(isaw, saw) and cosine sine shifted a quarter
   earlier, as there. */
typedef enum {
  PAT_SIGNAL_SINE,
  PAT_SIGNAL_COSINE,
  PAT_SIGNAL_SAW,
  PAT_SIGNAL_ISAW,
  PAT_SIGNAL_TRI,
  PAT_SIGNAL_SQUARE,
  PAT_SIGNAL_RAND,
  PAT_SIGNAL_IRAND,
  PAT_SIGNAL_PERLIN, /* smoothed rand between whole cycles (Strudel's and Tidal's perlin) */
  PAT_SIGNAL_ENVL,   /* Tidal's envL: 0 to 1 over cycle 0, then 1 */
  PAT_SIGNAL_ENVR,   /* 1 - envL */
  PAT_SIGNAL_ENVEQ,  /* Tidal's envEq: sqrt (sin (pi/2 * (1 - t) clamped to 0..1)) */
  PAT_SIGNAL_ENVEQR  /* Tidal's envEqR: sqrt (cos (pi/2 * (1 - t) clamped to 0..1)) */
} pat_signal_kind;
const pat_pattern *pat_signal(pat_store *store, pat_signal_kind kind, double irand_count);
/* A control pattern: each value x of p becomes the map {control: x}. Note
   names given to note or n become MIDI numbers; "bd:3" given to s becomes
   {s: bd, n: 3} and a number its JS text ("2"); a value the control cannot
   hold (a word given to gain) gives a map without it. */
const pat_pattern *pat_control_pattern(pat_store *store, pat_control control, const pat_pattern *p);

/* Tidal's operators, on plain values and on control maps. Between two maps
   the result has every control of both, the operation applied to those they
   share; a plain value meets a map as {value: x}, as in Strudel. */
typedef enum {
  PAT_OP_SET,  /* # and |>: the right's value */
  PAT_OP_KEEP, /* |<: the left's */
  PAT_OP_ADD,  /* |+: numbers add (note names as MIDI numbers), strings join */
  PAT_OP_SUB,
  PAT_OP_MUL,
  PAT_OP_DIV,
  PAT_OP_MOD,     /* the result has the divisor's sign, as Tidal's mod */
  PAT_OP_CONCAT,  /* |++: strings join, numbers add */
  PAT_OP_SCALE,   /* Tidal's scale: the left's degree as semitones in the scale the right names */
  PAT_OP_KEEP_IF, /* the left's value where the right's is true (struct, mask); no event else */
  PAT_OP_KEEP_UNLESS, /* the left's value where the right's is false (sew's and stitch's other
                         side) */
  PAT_OP_SPLICE, /* # except that speeds multiply (splice: the slice's speed times the sound's) */
  PAT_OP_PICK    /* Tidal's pick: a name and a number make the sample name:number ("bd:3") */
} pat_op;

/* Where the events' structure comes from: |+ (left), +| (right), |+| (both,
   Tidal's <*>: the wholes intersect; a continuous side is sampled over the
   other's part). */
typedef enum { PAT_STRUCTURE_LEFT, PAT_STRUCTURE_RIGHT, PAT_STRUCTURE_BOTH } pat_structure;

const pat_pattern *pat_combine(pat_store *store, pat_op op, pat_structure structure,
                               const pat_pattern *left, const pat_pattern *right);

/* A live input (a control port): a continuous pattern valued at query time
   by arena->inputs[index] (0 when the arena has no such input), its values
   marked live. */
const pat_pattern *pat_input(pat_store *store, int index);

/* A pattern of one number per cycle (pat_pure of a PAT_VALUE_NUMBER). */
const pat_pattern *pat_number(pat_store *store, double number);
/* Strudel's seq/fastcat and cat/slowcat of `count` patterns. */
const pat_pattern *pat_fastcat(pat_store *store, const pat_pattern *const *items, size_t count);
const pat_pattern *pat_slowcat(pat_store *store, const pat_pattern *const *items, size_t count);

/* Tidal's composition and structure (transforms_compose.c). A boolean is
   false when it is the number 0 or the word "f", "false" or "0"; any other
   value is true (Strudel's truthiness, with Tidal's words for false).
   stack: all at once; timecat: each item squeezed into its share of the
   cycle, weights[i] of their sum (Strudel's s_cat, Tidal's timeCat);
   randcat: one item a cycle by rand at the cycle's middle (Strudel's
   chooseCycles, the mini-notation's `|` unseeded); wrandcat: the same with
   weights (Strudel's wchooseCycles). */
const pat_pattern *pat_stack(pat_store *store, const pat_pattern *const *items, size_t count);
const pat_pattern *pat_timecat(pat_store *store, const double *weights,
                               const pat_pattern *const *items, size_t count);
const pat_pattern *pat_randcat(pat_store *store, const pat_pattern *const *items, size_t count);
const pat_pattern *pat_wrandcat(pat_store *store, const double *weights,
                                const pat_pattern *const *items, size_t count);
/* struct b p: p's values on b's true events (Strudel's keepif.out); mask b
   p: p's events where b is true (keepif.in); sew b p q: mask b p with mask
   (not b) q; stitch b p q: struct b p with struct (not b) q. */
const pat_pattern *pat_struct(pat_store *store, const pat_pattern *booleans, const pat_pattern *p);
const pat_pattern *pat_mask(pat_store *store, const pat_pattern *booleans, const pat_pattern *p);
const pat_pattern *pat_sew(pat_store *store, const pat_pattern *booleans, const pat_pattern *p,
                           const pat_pattern *q);
const pat_pattern *pat_stitch(pat_store *store, const pat_pattern *booleans, const pat_pattern *p,
                              const pat_pattern *q);
/* euclidInv: pat_euclid's rests play and its pulses rest (rotation may be NULL). */
const pat_pattern *pat_euclid_inv(pat_store *store, const pat_pattern *pulses,
                                  const pat_pattern *steps, const pat_pattern *rotation,
                                  const pat_pattern *p);

/* Tidal's fix, unfix and contrast split a control pattern with this: the
   events of p whose map has every control of one of condition's maps (read
   at the event's start) with the same value, or (matched false) the
   others. */
const pat_pattern *pat_match_controls(pat_store *store, const pat_pattern *condition, bool matched,
                                      const pat_pattern *p);
/* Tidal's ur period outer named functions: outer's words name patterns
   ("a", or "b:f" for the function named f applied), played one after
   another over `period` cycles; a word no name matches is silence. fn
   builds function j (contexts[j]) on the placeholder it is given. */
const pat_pattern *pat_ur(pat_store *store, double period, const pat_pattern *outer,
                          const char *const *names, const pat_pattern *const *patterns,
                          size_t count, const char *const *fx_names, pat_transform_fn fn,
                          void *const *contexts, size_t fx_count);
/* Tidal's timeLoop n: p's first n cycles again and again (loopFirst: n = 1). */
const pat_pattern *pat_time_loop(pat_store *store, double cycles, const pat_pattern *p);
/* Tidal's seqP [(begin, end, p)]: each p (moved by whole cycles to begin)
   between its begin and end; loop: seqPLoop, those cycles again and again. */
const pat_pattern *pat_seqp(pat_store *store, const double *begins, const double *ends,
                            const pat_pattern *const *items, size_t count, bool loop);
/* Tidal's sample functions (transforms_samples.c): they set the begin, end,
   speed and unit controls a sample plays by. Counts and indices are whole
   numbers (a fraction is rounded down); a count below 1 gives no events.
   chop n: each event cut into n, the i-th playing [i/n, (i+1)/n) of the
   range it played (begin and end, 0 and 1 when unset); striate n: the
   pattern played n times a cycle, the i-th time each event plays the i-th
   n-th of its range (Tidal's fastcat of the n, each playing the cycle's own
   events); striateBy n f: the same with each part f long and their begins
   (1 - f) / n apart (set, not merged); slice n i p: p's events at the
   events of the index pattern i (its structure), each playing the slice
   (i mod n) of n, p's own begin and end winning (Tidal's begin b # end e #
   p); splice: slice, with speed (1/n) / (the event's length in cycles)
   times p's speed, and unit "c"; randslice n: each event plays slice
   floor(rand * n), rand taken at the middle of its whole (as `#` samples a
   continuous pattern); bite n i p: the n-th of p's cycle that each event of
   i picks, squeezed into it; chew: bite with each event's speed times 1 /
   (its length * n); loopAt n: slow n p |* speed (1/n) # unit "c". */
const pat_pattern *pat_chop(pat_store *store, const pat_pattern *count, const pat_pattern *p);
const pat_pattern *pat_striate(pat_store *store, const pat_pattern *count, const pat_pattern *p);
const pat_pattern *pat_striate_by(pat_store *store, const pat_pattern *count,
                                  const pat_pattern *length, const pat_pattern *p);
const pat_pattern *pat_slice(pat_store *store, const pat_pattern *count, const pat_pattern *indices,
                             const pat_pattern *p);
const pat_pattern *pat_splice(pat_store *store, const pat_pattern *count,
                              const pat_pattern *indices, const pat_pattern *p);
const pat_pattern *pat_randslice(pat_store *store, const pat_pattern *count, const pat_pattern *p);
const pat_pattern *pat_bite(pat_store *store, const pat_pattern *count, const pat_pattern *indices,
                            const pat_pattern *p);
const pat_pattern *pat_chew(pat_store *store, const pat_pattern *count, const pat_pattern *indices,
                            const pat_pattern *p);
const pat_pattern *pat_loop_at(pat_store *store, const pat_pattern *cycles, const pat_pattern *p);
/* smash n xs p: slowcat [slow x (striate n p) | x <- xs] (with_chop: chop,
   Tidal's smash'); gap n p: fast n (cat [pure 1, silence]) |>| chop n p,
   every other piece, and as in Tidal the 1 is the map {n: 1}, so an event
   without n gets n 1. */
const pat_pattern *pat_smash(pat_store *store, const pat_pattern *count,
                             const pat_pattern *const *factors, size_t factor_count, bool with_chop,
                             const pat_pattern *p);
const pat_pattern *pat_gap(pat_store *store, const pat_pattern *count, const pat_pattern *p);

/* ---- querying (audio thread; never allocates) ------------------------------ */

/* Scratch memory for queries, provided by the caller (e.g. at instantiate). */
typedef struct {
  unsigned char *memory;
  size_t size;
  size_t used;     /* events, from the start */
  size_t top_used; /* list items, control maps and joined strings, from the end */
  bool overflow;   /* set when a query needed more than `size`; events were dropped */
  bool failed;     /* set when the last query failed (see the transforms); it returned 0 */
  /* Work shared by every query until pat_arena_reset (0: no shared limit,
     each query is still bounded by the arena's size). A caller that runs
     many small queries in one go (a control read at every onset) sets it, so
     their total is bounded rather than each one. */
  uint64_t work_budget, work_spent;
  size_t max_events; /* events one query may write (0: as many as fit) */
  /* Events queries left out and counted (not an overflow): an operator's
     right side so dense that reading it for one event would have spent the
     work the others need (a quarter of the work left is each event's share). */
  size_t dropped;
  /* The caller keeps only onsets (part.begin == whole.begin, not analog):
     an operator may then skip pairing the fragments of its structure, which
     could only give fragments, and skip querying a structure that can have
     no onset in the span. The result's onsets are the same. */
  bool onsets_only;
  const float *inputs; /* what pat_input patterns read (set by the caller; NULL: none) */
  size_t input_count;
  /* What a note name is as a number (a control's value, arithmetic, range):
     Strudel's MIDI numbers by default, Tidal's for the program language. */
  pat_note_numbering notes;
} pat_arena;

void pat_arena_init(pat_arena *arena, void *memory, size_t size);
void pat_arena_reset(pat_arena *arena);

/* All events whose part intersects [span.begin, span.end) — Strudel's
   queryArc, fragments included — written to the arena. Returns the count and
   sets *events to the first; on arena overflow returns what fitted and sets
   arena->overflow. On rational overflow returns 0 and sets arena->overflow.
   A zero-width span (begin == end) returns the events whose whole contains
   that point (part is the point itself), as Strudel answers zero-width
   queries: use it to read a control's value at an event's onset.
   The query starts at arena->used (so several queries may share one arena
   until pat_arena_reset). Cost is bounded by the events produced and the
   tree size; a query whose work exceeds a budget tied to the arena size
   (e.g. "<a ~ ~ ~>*1e9" walks many empty cycles), or what is left of
   arena->work_budget, stops and sets overflow. */
size_t pat_query(const pat_pattern *p, pat_arc span, pat_arena *arena, const pat_event **events);

/* ---- the oracle's JSON (tools and tests; allocates, not real-time) --------- */

/* Writes the line query.mjs prints for `pattern_text` (without newline):
   {"pat":...,"events":[...]} with the events that have an onset, sorted by
   onset, end, then value, or {"pat":...,"error":...} when error != NULL.
   Returns the length of the full line (like snprintf); writes at most size-1
   characters and a NUL. */
size_t pat_json_line(const char *pattern_text, const pat_event *events, size_t count,
                     const pat_error *error, char *buf, size_t size);
/* A value as JSON, as JSON.stringify writes Strudel's value. */
size_t pat_json_value(const pat_value *value, char *buf, size_t size);

#endif
