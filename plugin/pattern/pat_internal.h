/* Pattern engine internals shared by its files: the node tree a pattern is
   built of, the store that owns it, and the query context. Not public. */
#ifndef CYCLEBUS_PAT_INTERNAL_H
#define CYCLEBUS_PAT_INTERNAL_H

#include "pattern/pattern.h"

/* ---- nodes ----------------------------------------------------------------
   A pattern is a tree of nodes; each kind answers a query the way the Strudel
   combinator of the same name does (see query.c and query_ops.c). Nodes are
   immutable once built and owned by a pat_store. */

typedef enum {
  PN_SILENCE,
  PN_PURE,          /* value, one event per cycle */
  PN_STACK,         /* kids */
  PN_SLOWCAT,       /* kids, one per cycle, shifted so no cycle is skipped */
  PN_SLOWCAT_PRIME, /* kids[floor(cycle) % n] without shifting (every, palindrome) */
  PN_FAST,          /* kid sped up by arg */
  PN_EARLY,         /* kid shifted earlier by arg (late = negative) */
  PN_COMPRESS,      /* kid squeezed into [b, e) of each cycle (timeCat) */
  PN_PRESS,         /* each event's whole starts arg of its length later (pressBy) */
  PN_ARP,  /* events sharing a whole spread over it (signal: arpeggiate, rolledBy, arp's modes) */
  PN_ZOOM, /* each cycle of kid's [begin, end) stretched over the cycle (zoomArc) */
  PN_PLAY_WHEN,     /* kid's events starting in [begin, end) of their cycle (invert: the others) */
  PN_REPEAT,        /* repeatCycles: each cycle repeated arg times */
  PN_REV,           /* each cycle reversed */
  PN_DEGRADE,       /* events kept when rand(whole midpoint + seed) > amount */
  PN_CHOOSE,        /* one kid per cycle by rand (mini-notation `|`) */
  PN_TAIL,          /* kids[0]:kids[1] -> list values */
  PN_RANGE,         /* kids[0] .. kids[1] */
  PN_EUCLID,        /* kid restructured by a Bjorklund rhythm */
  PN_PLY,           /* each event repeated arg times inside itself */
  PN_ITER,          /* slowcat of kid shifted by i/n */
  PN_EVERY,         /* firstOf: kids[0] (f p) on cycles % n == 0, else kids[1]; lastOf: on n - 1 */
  PN_OFF,           /* stack(kids[0], kids[1]) with kids[1] reading the shift from a var */
  PN_SOMETIMES,     /* stack(degradeBy x kids[0], kids[1] (undegrade var)) per x */
  PN_ECHO,          /* count copies of kid, each later, gain feedback^i */
  PN_SET_PAN,       /* kid with its pan control moved by amount from (pan or 0.5) */
  PN_LATE_VAR,      /* kid shifted later by the value bound by `owner` (pat_off) */
  PN_UNDEGRADE_VAR, /* kid undegraded by 1 - the value bound by `owner` */
  PN_FASTCAT_RANGE, /* internal: fastcat of numbers start, start +- 1, ... (query-time only) */
  PN_RANGE_BIND,    /* internal: kid.bind(b => fastcat(range(value, b))) (query-time only) */
  PN_SEGMENT,       /* kid cut into arg slices a cycle, each slice an event's whole */
  PN_MATCH,         /* kids[0]'s events whose map matches one of kids[1]'s (invert: the others) */
  PN_UR,            /* kids[0] names kids[1..] (names, fx_count): Tidal's ur (query_form.c) */
  PN_UR_VAR,        /* kid warped by the outer event bound by `owner` (slow: rotR s . slow d) */
  PN_PLAY_FOR,      /* kid queried only inside [begin, end) (Tidal's playFor) */
  PN_LOOP_FIRST,    /* kid's cycle 0 in every cycle (Tidal's loopFirst) */
  PN_RANGE_NUMBERS, /* kid's numbers x -> x * amount + offset, then `number_map` */
  PN_SIGNAL,       /* a continuous pattern (signal: pat_signal_kind), valued at the span's middle */
  PN_INPUT,        /* a continuous pattern valued by the arena's input `signal` */
  PN_CONTROL,      /* kid's values as maps of the control `signal` */
  PN_COMBINE,      /* kids[0] op kids[1] with the structure from `structure` (query_combine.c) */
  PN_CHORD,        /* kids[0] roots, kids[1] chord names, kids[2..] modifiers (query_chord.c) */
  PN_PICK,         /* kids[index arg] (signal: select, selectF, pickF's pat_pick_mode) */
  PN_SQUEEZE,      /* kids[1 + kids[0]'s integer mod n] squeezed into each event of kids[0] */
  PN_COMPOUND,     /* plyWith (ply), stutWith: p, f (compound (n - 1)) stacked, see query_arp.c */
  PN_COMPOUND_VAR, /* compound (n - 1) of `owner` (shifted by its time for stutWith) */
  PN_ROT,          /* each cycle's values rotated by arg steps, the structure kept */
  PN_REARRANGE,    /* shuffle (invert: scramble) of kid's cycles cut in arg parts */
  PN_FIT,          /* kids[1 + (kids[0]'s integer + arg * cycle) mod n]'s value on kids[0] */
  PN_WHENMOD,      /* kids[1] (f p) on cycles with cycle mod args[0] >= args[1], else kids[0] */
  PN_CHUNK,        /* kids[1] (f p) in part (cycle mod arg) of the cycle, kids[0] elsewhere */
  PN_LINGER,       /* linger arg (query_cycles.c) */
  PN_TRUNC,        /* trunc arg */
  /* Tidal's sample functions (query_samples.c); `signal` picks the variant */
  PN_CHOP,        /* each event of kid cut into arg pieces, begin and end set */
  PN_STRIATE,     /* kid played arg times a cycle, slice by slice (1: striateBy, args n, f) */
  PN_SLICE_RANGE, /* kid's [index, count] lists as {begin, end} (1: splice's speed too) */
  PN_RANDSLICE,   /* kid's events playing a random slice of arg */
  PN_BITE,        /* kids[1]'s slices squeezed into kids[0]'s events (1: chew's speeds) */
  PN_INSIDE,      /* kids[0] (f of the placeholder) sped up by arg (invert: outside, 1/arg) */
  PN_INSIDE_VAR,  /* kids[0] slowed by the factor `owner` binds */
  PN_NTAKE,       /* kid's onsets take weights[] in turn (control `signal`, op); no kid: pending */
  PN_SMOOTH,      /* Tidal's smooth: kid's numbers linearly joined, a continuous pattern */
  PN_STRIPE,      /* Tidal's stripe: kid's cycles played arg times a cycle, random lengths */
  PN_FAILED       /* a pattern Strudel would reject at query time */
} pat_node_kind;

/* PN_RANGE_NUMBERS's last step. */
typedef enum {
  PAT_MAP_NONE,
  PAT_MAP_EXP,      /* exp (rangex) */
  PAT_MAP_QUANTISE, /* round to the nearest 1/quantum, halves to even (Haskell's round) */
  PAT_MAP_TO_SCALE, /* toScale': steps[x mod n] + octave * floor(x / n) */
  PAT_MAP_CHOOSE,   /* chooseBy: values[floor(x * n) mod n] */
  PAT_MAP_WCHOOSE   /* wchooseBy: the first value whose running weight passes x * total */
} pat_number_map;

/* How an argument value becomes the time the node needs. */
typedef enum {
  PAT_ARG_NUMBER,  /* a JS number: Fraction(x) by Farey */
  PAT_ARG_FRACTION /* polymeter steps: Fraction(x).div(weight), a zero factor fails */
} pat_arg_mode;

#define PAT_MAX_ARGS 3

/* Where a node's query for onsets only (pat_qctx.onsets_only) can give
   events: at phase + k * period for integers k (period 0: nowhere); a span
   [begin, end] holding no such point gives none (pat_onset_grid_meets). */
typedef struct {
  pat_rat period, phase;
  bool known;
} pat_onset_grid;

struct pat_pattern {
  pat_node_kind kind;
  const pat_pattern *const *kids;
  size_t kid_count;
  /* Patterned arguments. When `args_pure` every arg is a PN_PURE node and
     Strudel calls the transform once with the plain values; otherwise the args
     are queried and joined (register()'s appLeft chain and innerJoin). */
  const pat_pattern *args[PAT_MAX_ARGS];
  int arg_count;
  bool args_pure;
  pat_arg_mode arg_mode;
  pat_rat weight;     /* PAT_ARG_FRACTION: divide the steps by this */
  pat_value value;    /* PN_PURE */
  pat_rat begin, end; /* PN_COMPRESS, PN_PLAY_WHEN, PN_ZOOM */
  double amount;      /* PN_DEGRADE amount, PN_SET_PAN's move, PN_SIGNAL irand's count */
  int signal;         /* PN_SIGNAL: its pat_signal_kind; PN_INPUT, PN_CONTROL: the index */
  pat_op op;          /* PN_COMBINE */
  pat_structure structure;
  double offset;      /* PN_RANGE_NUMBERS (amount is the factor) */
  pat_rat seed_shift; /* PN_DEGRADE / PN_CHOOSE: rand.early(0.0003 * seed) */
  bool invert;        /* PN_DEGRADE: the events degradeBy removes (sometimesBy's picked part);
                         PN_EUCLID: the rhythm's rests play (euclidInv); PN_ITER: iterBack;
                         PN_PLAY_WHEN: the events outside [begin, end); PN_CHUNK: chunk';
                         PN_REARRANGE: scramble; PN_COMPOUND: plyWith */
  bool per_cycle;     /* PN_DEGRADE: one rand a cycle, someCyclesBy's */
  bool slow;          /* PN_FAST: the arg is a slow factor (1/x) */
  bool late;          /* PN_EARLY: the arg is a late amount (negated) */
  bool stut;          /* PN_ECHO: args are (count, feedback, time) */
  bool last_of;       /* PN_EVERY: lastOf, f on the last cycle of each period */
  bool join_always;   /* join even pure args (Strudel's own innerJoin inside) */
  bool has_const;     /* PN_FAST: use const_time as the factor, not the arg's value */
  bool timecat;       /* PN_STACK of PN_COMPRESS kids with increasing, non-empty [begin, end) */
  bool has_combine;   /* a PN_COMBINE in this tree (kids and args): see pat_q_part */
  bool onsets_known;  /* PN_COMBINE (one-sided): every onset of its structure is a whole
                         multiple of onset_period (0: it has none), pat_combine_onsets */
  pat_rat onset_period;
  const pat_onset_grid *kid_grids; /* PN_STACK: each kid's (pat_stack_grids), or NULL */
  pat_number_map number_map;       /* PN_RANGE_NUMBERS: what follows x * amount + offset */
  size_t table_count; /* PAT_MAP_TO_SCALE, _CHOOSE: weights[] holds the steps or values;
                         PAT_MAP_WCHOOSE: the values, then their running weights */
  pat_rat const_time;
  /* PN_FAST, PN_EARLY with a pure numeric first arg: Fraction(that number),
     converted once when the args are set (a Farey search per query costs
     more than the rest of a shifted line's query) */
  bool has_arg_time;
  pat_rat arg_time;
  const pat_pattern *owner; /* PN_*_VAR: the node whose binding to read */
  const double *weights;    /* PN_CHOOSE: running sums of the kids' weights (wrandcat), or NULL;
                               PN_RANGE_NUMBERS: toScale's steps */
  double quantum;           /* PAT_MAP_QUANTISE's n; PAT_MAP_TO_SCALE's octave */
  const char *const *names; /* PN_UR: the named patterns' names, then the functions' */
  size_t name_count, fx_count;
};

/* ---- store -------------------------------------------------------------- */

void *pat_store_alloc(pat_store *store, size_t size);
const char *pat_store_strdup(pat_store *store, const char *text, size_t length);
pat_pattern *pat_node_new(pat_store *store, pat_node_kind kind);
/* Copies `count` kid pointers into the store; NULL on allocation failure. */
bool pat_node_set_kids(pat_store *store, pat_pattern *node, const pat_pattern *const *kids,
                       size_t count);
/* Sets the args and whether all of them are pure. */
void pat_node_set_args(pat_pattern *node, const pat_pattern *const *args, int count);
/* The builders' node: `kind` with `count` kids; NULL when the store is NULL,
   a kid is NULL (a build below failed) or the store is full. */
pat_pattern *pat_node_make(pat_store *store, pat_node_kind kind, const pat_pattern *const *kids,
                           size_t count);
/* pat_node_make, then the args (NULL as well when one of them is NULL). */
pat_pattern *pat_node_make_args(pat_store *store, pat_node_kind kind,
                                const pat_pattern *const *kids, size_t count,
                                const pat_pattern *const *args, int arg_count);

/* ---- query -------------------------------------------------------------- */

#define PAT_MAX_BINDINGS 16

typedef struct {
  pat_event *events; /* events[0 .. count) are results so far (a stack) */
  size_t count;
  size_t capacity;
  unsigned char *low;  /* list items grow down from the arena's end to here */
  unsigned char *high; /* next free byte for list items (moves down) */
  bool overflow;       /* arena full or work budget spent */
  bool full;           /* the arena is full (not only the budget spent) */
  size_t event_cap;    /* events[] may not grow past this (pat_q_share's half) */
  bool incomplete;     /* an operator's outer side was cut short: the result is partial */
  bool onsets_only;    /* the caller keeps only onsets (pat_arena.onsets_only): see pat_q */
  size_t dropped;      /* events left out because their other side cost too much */
  bool failed;         /* Strudel would have thrown */
  bool bad_time;       /* a rational overflowed: no result can be trusted */
  uint64_t work;       /* loop iterations so far */
  uint64_t work_limit;
  int depth;
  uintptr_t stack_base; /* address of a local in pat_query: bounds stack use */
  const float *inputs;  /* the arena's live inputs */
  size_t input_count;
  pat_note_numbering notes; /* the arena's */
  struct {
    const pat_pattern *owner;
    double number;
    pat_rat time;
    pat_rat length; /* PN_UR's: the outer event's length (time is its start) */
  } bindings[PAT_MAX_BINDINGS];
  int binding_count;
} pat_qctx;

/* Strudel's spanCycles: a span cut at cycle boundaries (a zero-width span is
   one piece, a reversed one none), each step counted as work. */
typedef struct {
  pat_rat begin, end;
  bool zero_pending;
  bool done;
} pat_cycle_iter;
void pat_cycles_start(pat_cycle_iter *it, pat_arc span);
bool pat_cycles_next(pat_qctx *ctx, pat_cycle_iter *it, pat_arc *piece);

/* Queries `node` over `span`, appending its events to ctx->events. */
void pat_q(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
/* Appends one (digital) event; false (and overflow set) when the arena is full. */
bool pat_q_push(pat_qctx *ctx, pat_arc whole, pat_arc part, const pat_value *value);
/* A time computation overflowed int64: the query returns nothing. */
void pat_q_time_overflow(pat_qctx *ctx);
/* Queries `node` over `span` for one event of an operator's outer side,
   with a quarter of the work and half the room left: when either runs out
   (an absurdly dense other side), the results are dropped and counted, and
   the query goes on. */
void pat_q_share(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
/* Queries an operator's outer side. A side that is an operator itself (or
   has one inside) manages its own; a plain pattern (the line's structure)
   gets a quarter of the work and half the room left: when
   that runs out the events found so far are kept (every node leaves only
   finished events when it stops) and the query goes on with them; the
   result is then marked partial (arena->overflow). */
void pat_q_part(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
/* Counts one unit of work; false once the budget is spent. */
bool pat_q_work(pat_qctx *ctx);
/* Applies t -> t * mul + add to the times of events[from..count), counting
   the work. */
void pat_q_map_times(pat_qctx *ctx, size_t from, pat_rat mul, pat_rat add);
/* Removes events[from .. to) keeping the events after them. */
void pat_q_drop(pat_qctx *ctx, size_t from, size_t to);
void *pat_q_alloc(pat_qctx *ctx, size_t size);

/* The factor PN_FAST `node` speeds its kid up by at every query (a
   constant, or plain-valued args); false when it depends on the args'
   events or the node fails or is silent (query_ops.c). */
bool pat_fast_factor(const pat_pattern *node, pat_rat *factor);

/* Time-mapping building blocks (query.c). */
void pat_q_fast_by(pat_qctx *ctx, const pat_pattern *kid, pat_rat factor, pat_arc span);
void pat_q_early_by(pat_qctx *ctx, const pat_pattern *kid, pat_rat offset, pat_arc span);
void pat_q_repeat_by(pat_qctx *ctx, const pat_pattern *kid, pat_rat n, pat_arc span);

/* Query kinds implemented in query_ops.c / query_join.c. */
void pat_q_param_node(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_apply(pat_qctx *ctx, const pat_pattern *node, const pat_value *values, pat_arc span);
void pat_q_tail(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_range(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_range_bind(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_choose(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
/* someCyclesBy: events kept when rand(cycle + 1/2) >= amount (picked: <= amount). */
void pat_q_degrade_cycles(pat_qctx *ctx, const pat_pattern *kid, double amount, bool picked,
                          pat_arc span);
void pat_q_degrade(pat_qctx *ctx, const pat_pattern *node, double amount, bool invert,
                   pat_rat shift, pat_arc span);
/* `inner`'s cycle squeezed into `outer`'s whole and cut to its part:
   squeeze_one as Strudel's squeezeJoin (focus), squeeze_cycle as Tidal's
   (the inner pattern's cycle floor(whole.begin)). */
void pat_q_squeeze_one(pat_qctx *ctx, const pat_event *outer, const pat_pattern *inner);
void pat_q_squeeze_cycle(pat_qctx *ctx, const pat_event *outer, const pat_pattern *inner);
void pat_q_euclid(pat_qctx *ctx, const pat_pattern *kid, const uint64_t *bits, int steps,
                  pat_arc span);

/* Bindings of a value to a node for the placeholders below it (off's
   shift, sometimesBy's amount, ur's outer event): false when full. */
bool pat_q_bind(pat_qctx *ctx, const pat_pattern *owner, double number, pat_rat time);
int pat_q_binding(const pat_qctx *ctx, const pat_pattern *owner); /* -1: none */

/* Long-form composition and control matching (query_form.c). */
void pat_q_match(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_ur(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_ur_var(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_play_for(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_loop_first(pat_qctx *ctx, const pat_pattern *node, pat_arc span);

/* Tidal's library (query_arp.c, query_pick.c, query_cycles.c): the
   transforms applied per argument value (pat_q_apply). */
void pat_q_arp(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_compound(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_compound_var(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_pick(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_squeeze(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_rot(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_rearrange(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_fit(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_whenmod(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_chunk(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_linger(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_trunc(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_stripe(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_smooth(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_inside(pat_qctx *ctx, const pat_pattern *node, const pat_value *v, pat_arc span);
void pat_q_inside_var(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_ntake(pat_qctx *ctx, const pat_pattern *node, pat_arc span);

/* Control maps and operators (controls.c, query_combine.c). */
/* Sets a one-sided PN_COMBINE's onsets_known and onset_period from its
   structure, looking at PAT_ONSET_WALK nodes at most: called once it is
   built, so that a query can skip a span where the structure has no onset. */
#define PAT_ONSET_WALK 256
void pat_combine_onsets(pat_pattern *node);
/* Gives a PN_STACK the onset grid of each kid that is a one-sided operator
   with a known period, shifted by constant early/late amounts (a line of a
   layered program), so that an onsets-only query skips the kids that can
   give nothing in its span; no grid when no kid has one or the store is full. */
void pat_stack_grids(pat_store *store, pat_pattern *node);
/* Whether [span.begin, span.end] holds a point of the grid; true when the
   grid is not known or the arithmetic overflows. */
bool pat_onset_grid_meets(const pat_onset_grid *grid, pat_arc span);
void pat_q_combine(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
void pat_q_control(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
/* `out` = a op b (pat_op); false (and overflow set) when the arena is full. */
bool pat_q_combine_values(pat_qctx *ctx, pat_op op, const pat_value *a, const pat_value *b,
                          pat_value *out);
/* `value` with control `control` set to `number` (a plain value becomes {value: x}). */
bool pat_q_set_control(pat_qctx *ctx, pat_value *value, pat_control control, double number);
/* The same for `count` numeric controls at once (one map allocated). */
bool pat_q_set_controls(pat_qctx *ctx, pat_value *value, const pat_control *controls,
                        const double *numbers, size_t count);
/* Each event of events[from..) cut where cycles begin (a pure pattern's
   `|*`), its numeric `control` becoming (control or 1) * mul / div. */
void pat_q_scale_control(pat_qctx *ctx, size_t from, pat_control control, double mul, double div);
/* PN_CHOP .. PN_BITE with their argument values (query_samples.c). */
void pat_q_sample_fn(pat_qctx *ctx, const pat_pattern *node, const pat_value *values, pat_arc span);
void pat_q_slice_range(pat_qctx *ctx, const pat_pattern *node, pat_arc span);
/* The map {control: value} in `map`; false when the control cannot hold the value. */
bool pat_controls_of(pat_control control, pat_note_numbering notes, const pat_value *value,
                     pat_controls *map);
/* A map as a value; `map` must outlive the value. */
pat_value pat_controls_value(const pat_controls *map, bool live);

/* ---- time helpers (Strudel's TimeSpan) ------------------------------------ */

/* Intersection with Strudel's rules for zero-width results; false if none. */
bool pat_arc_intersect(pat_arc a, pat_arc b, pat_arc *out, bool *overflow);
pat_rat pat_rat_neg(pat_rat a);
pat_rat pat_rat_ceil_next(pat_rat a); /* floor(a) + 1 */
/* The largest g with a and b whole multiples of it (a zero gives the other). */
pat_rat pat_rat_gcd(pat_rat a, pat_rat b, bool *overflow);
bool pat_rat_is_zero(pat_rat a);
bool pat_rat_eq(pat_rat a, pat_rat b);

/* ---- randomness, rhythms, notes ------------------------------------------ */

/* Seed shift of the n-th random operator: Fraction(0.0003 * n). */
pat_rat pat_seed_shift(int seed);
/* rand at the midpoint of [begin, end] shifted by `shift` (rand.early(shift)). */
double pat_rand_mid(pat_arc arc, pat_rat shift, bool *overflow);

/* Bjorklund rhythm as Strudel's bjork + rotate: bits[0..steps). false when
   Strudel would throw (non-integer, |pulses| > steps, steps beyond max). */
#define PAT_EUCLID_MAX_STEPS 4096
bool pat_euclid_bits(double pulses, double steps, double rotation, bool rotate, unsigned char *bits,
                     int *step_count);

/* Tidal chord: "c'min7'ii" -> semitones from middle C (Tidal's note
   numbers), *count of them (0 for "c'maj'0"); false if not a chord. */
#define PAT_CHORD_MAX 16
bool pat_chord_notes(const char *text, size_t length, double *notes, int *count);
/* Its parts, for chords whose name or modifiers are patterns: the notes of
   a chord name, one modifier word ("ii", "o", "d2", "5") applied to
   notes[0..*count), a root (a Tidal note name, a number, or "" for 0). */
bool pat_chord_named(const char *name, size_t length, double *notes, int *count);
bool pat_chord_modify(const char *text, size_t length, double *notes, int *count);
bool pat_chord_root(const char *text, size_t length, double *root);
/* PN_CHORD: Tidal's chordToPatSeq, the name and modifier patterns bound in turn. */
void pat_q_chord(pat_qctx *ctx, const pat_pattern *node, pat_arc span);

/* JS Number(text) for a mini-notation word; false when NaN. */
bool pat_js_number(const char *text, size_t length, double *out);
/* JS Number -> string (String(x)), e.g. 3, -2.5, 0.25, 1e+21. */
int pat_js_format_number(double x, char *buf, size_t size);

#endif
