/* Private to plugin/program: tokens, syntax tree, the compiled program's
   layout (buses with parameter sources, output lines as control patterns)
   and the compiler's working state. */
#ifndef CYCLEBUS_PROGRAM_PRIVATE_H
#define CYCLEBUS_PROGRAM_PRIVATE_H

#include <setjmp.h>

#include "program.h"

/* ---- limits ---------------------------------------------------------------- */

#define PROG_MAX_NAME 48          /* bus name length */
#define PROG_MAX_GATE_CYCLES 64.0 /* longest gate a trigger may ask for */
#define PROG_MAX_GAIN 8.0
#define PROG_MAX_DEPTH 200 /* nesting of expressions */

/* ---- controls ---------------------------------------------------------------- */

/* A bus parameter no control sets (the controls are pat_control). */
#define CTL_NONE 255

/* Stages a control can append to a bus that lacks them (a bit per stage).
   The filters (the low three bits) are appended per event, only when the
   event sets their cutoff, since a filter is never quite transparent; the
   effects are appended for a whole line, since each passes its signal
   through exactly at its neutral value. The envelope bits turn a bus's
   filter of that kind into one with a cutoff envelope. */
enum {
  STAGE_LPF = 1,
  STAGE_HPF = 2,
  STAGE_BPF = 4,
  STAGE_FILTERS = 7,
  STAGE_LPENV = 1 << 3,
  STAGE_HPENV = 1 << 4,
  STAGE_BPENV = 1 << 5,
  STAGE_SHAPE = 1 << 6,
  STAGE_DISTORT = 1 << 7,
  STAGE_TRIODE = 1 << 8,
  STAGE_CRUSH = 1 << 9,
  STAGE_COARSE = 1 << 10,
  STAGE_VOWEL = 1 << 11,
  STAGE_DJF = 1 << 12,
  STAGE_RING = 1 << 13,
  STAGE_TREMOLO = 1 << 14,
  STAGE_PHASER = 1 << 15,
  STAGE_SQUIZ = 1 << 16
};

/* The stage bit a control sets on a line (0: none). */
uint32_t prog_stage_of_control(int control);

/* ---- buses ---------------------------------------------------------------------- */

enum { SLOT_CONST, SLOT_PATTERN };
enum {
  CONV_NONE,
  CONV_PITCH,
  CONV_VOWEL,      /* a vowel's letter: a e i o u -> 1..5, else 0 */
  CONV_ENV_SUSTAIN /* a filter envelope's sustain: implied 0.001 when the event gives the decay */
};

/* Where one synth parameter comes from: an event control when the event has
   it, else a constant baked into every voice or a pattern of numbers read at
   the event's onset (a macro is a pattern too: pat_input). */
typedef struct {
  uint8_t kind;    /* SLOT_CONST or SLOT_PATTERN */
  uint8_t control; /* pat_control overriding it, or CTL_NONE */
  uint8_t convert; /* CONV_PITCH: the control is a note, the default a frequency */
  /* An event without `control` but with one of the controls implied_first
     .. implied_last (0, 0: none) gets `implied` (tremolorate alone means a
     tremolo of depth 0.5, as in SuperDirt). */
  uint8_t implied_first, implied_last;
  float implied;
  bool names_in_hz;           /* SLOT_PATTERN: note names are frequencies (saw "<c2 g1>") */
  const pat_pattern *pattern; /* SLOT_PATTERN */
  float constant;             /* SLOT_CONST */
} prog_slot;

typedef struct {
  char name[PROG_MAX_NAME]; /* without '~' */
  synth_bus graph;
  prog_slot slots[SYNTH_MAX_PARAMS];
  uint8_t release_slots[SYNTH_MAX_PARAMS]; /* slots holding a release time */
  uint8_t release_count;
  uint32_t stages;   /* STAGE_* bits of the stages controls can set */
  int base;          /* the bus this one was derived from (itself for a defined bus) */
  uint32_t appended; /* variants: STAGE_* bits appended for an output's controls */
  const pat_pattern *sample_names; /* `sample "bd:3"`: the file, read at each onset; or NULL */
} prog_bus_info;

/* ---- outputs ---------------------------------------------------------------------- */

/* Filter stages a control map asks for (bits of STAGE_*), used to pick the
   copy of a bus with those stages appended. */
#define PROG_STAGE_SETS 8

/* One output line: a control pattern, its events triggering the buses their
   `s` names. */
typedef struct {
  char name[PROG_MAX_NAME + 1]; /* d1, out, ~kick (a named line) */
  const pat_pattern *pattern;
  /* defined bus and the stages its events' controls add -> bus to trigger
     (a copy of the bus with those stages, for the buses the line names) */
  uint8_t bus_map[PROG_MAX_BUSES][PROG_STAGE_SETS];
} prog_output;

/* A sound name the output lines play from the sample library: its set,
   acquired when the program compiled and released by prog_free. */
typedef struct {
  char *name; /* owned by the program */
  const sample_set *set;
} prog_sound;

#define PROG_MAX_SOUNDS 256 /* distinct sample names a program may play */

struct prog_program {
  pat_store *store;
  sample_source samples; /* where the sounds were acquired (release goes back there) */
  prog_sound *sounds;    /* sound_count of them, owned by the program */
  int sound_count;
  bool has_sample_bus; /* the bus sample events play (a SYNTH_SAMPLE node), made with the first */
  int sample_bus;
  bool has_tempo;
  double cycles_per_second;
  int bus_count;
  prog_bus_info buses[PROG_MAX_BUSES];
  int output_count;
  prog_output outputs[PROG_MAX_OUTPUTS];
};

/* ---- tokens and syntax tree ------------------------------------------------------ */

typedef enum {
  TOK_EOF,
  TOK_NEWLINE,
  TOK_NUMBER,
  TOK_STRING, /* text points after the opening quote */
  TOK_NAME,
  TOK_BUS,   /* ~name: text is the name */
  TOK_MACRO, /* \name: text is the name */
  TOK_DOLLAR,
  TOK_HASH,
  TOK_OPERATOR, /* |+ +| |+| and the rest of Tidal's family: op and structure */
  TOK_DOT,      /* function composition */
  TOK_SHIFT,    /* <~ (early), ~> (late) or <> (overlay): its text tells which */
  TOK_PLUS,
  TOK_MINUS,
  TOK_STAR,
  TOK_SLASH,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_COLON,
  TOK_LBRACKET, /* a list literal [a, b] (mini-notation's brackets are inside strings) */
  TOK_RBRACKET,
  TOK_COMMA,
  TOK_EQUALS /* only in a `let` statement: let name = value */
} tok_kind;

typedef struct {
  tok_kind kind;
  int line, column;
  const char *text;
  size_t length;
  double number;
  bool space_before;
  char op;           /* TOK_OPERATOR: '+', '-', '*', '/', '%', '<', '>', 'c' (++) */
  uint8_t structure; /* TOK_OPERATOR: a pat_structure */
} prog_token;

typedef enum {
  AST_NUMBER,
  AST_STRING,
  AST_BUS,
  AST_MACRO,
  AST_NAME,
  AST_APPLY,  /* head applied to args (a call, or `f $ x`) */
  AST_BINARY, /* op: '+', '-', '*', '/' */
  AST_NEG,
  AST_CHAIN,   /* left # right, or an operator like |+ (op: '#' or a TOK_OPERATOR's, structure) */
  AST_SECTION, /* (# right) or (|+ right): a function chaining its argument (op as AST_CHAIN) */
  AST_COMPOSE, /* left . right: a function applying right, then left */
  AST_PAREN,
  AST_LIST, /* [a, b, c] or a tuple (a, b): the items are args */
  AST_TUPLE
} ast_kind;

typedef struct ast ast;
struct ast {
  ast_kind kind;
  int line, column;
  char op;
  uint8_t structure;  /* AST_CHAIN, AST_SECTION: a pat_structure */
  bool arithmetic;    /* AST_SECTION: (+ 7), (* 2): Tidal's + - * / rather than a |+ family */
  bool operand_first; /* AST_SECTION: (7 -): the operand (right) goes on the operator's left */
  double number;
  const char *text; /* names, strings */
  size_t length;
  ast *left, *right; /* binary, chain, section (right), neg/paren (left), apply head (left) */
  ast **args;
  int arg_count;
};

/* a named line is a STMT_BUS; STMT_LET binds a name (Tidal's `let name = value`) */
typedef enum { STMT_TEMPO, STMT_BUS, STMT_OUTPUT, STMT_LET } stmt_kind;

typedef struct {
  stmt_kind kind;
  int line, column;
  const char *name; /* bus or output name, or "bpm"/"cps" */
  size_t name_length;
  ast *body;
} prog_stmt;

/* ---- the compiler ------------------------------------------------------------------ */

/* V_PATTERN: a pattern of plain values (numbers, notes, names);
   V_CONTROLS: a control pattern (its values are control maps). */
typedef enum { V_NUMBER, V_PATTERN, V_SIGNAL, V_CONTROLS, V_FUNC, V_LIST } value_kind;

typedef struct prog_func prog_func;
typedef struct prog_value prog_value;

struct prog_value {
  value_kind kind;
  int line, column;
  const ast *origin;
  double number;              /* V_NUMBER */
  const pat_pattern *pattern; /* V_PATTERN, V_CONTROLS */
  bool uses_macro;            /* V_PATTERN, V_CONTROLS: made from a macro */
  int node;                   /* V_SIGNAL */
  bool enveloped;             /* V_SIGNAL: every path ends in an envelope */
  prog_func *func;            /* V_FUNC */
  const prog_value *items;    /* V_LIST: a list [a, b] or a tuple (a, b), in the compiler's arena */
  int item_count;
  bool tuple;
};

#define PROG_FUNC_ARGS 5
enum { PROG_FUNC_SECTION = -1, PROG_FUNC_COMPOSE = -2 };
struct prog_func {
  int builtin; /* index into the builtin table, or PROG_FUNC_SECTION or PROG_FUNC_COMPOSE */
  const ast *section;
  char op; /* a section's operator (as AST_CHAIN) */
  uint8_t structure;
  bool arithmetic;    /* a section of + - * / */
  bool operand_first; /* (7 -): operand op argument */
  const char *name;
  int argc;
  prog_value args[PROG_FUNC_ARGS];
};

/* One bus being built. */
typedef struct {
  prog_bus_info *info;
  int slot_count;
  int freq_node; /* the `freq` node + 1, made once a bus; 0: none yet */
} bus_builder;

typedef struct {
  const char *name;
  size_t length;
  int line, column;
  const prog_stmt *stmt;
  int program_index; /* index in prog_program.buses once compiled, -1 before */
  bool value_only;   /* compiled to a number or pattern: usable in buses only */
  bool compiling;    /* being evaluated (cycle detection) */
  /* a named line (~kick: s "bd(3,8)"): its pattern once compiled, what it plays */
  bool is_line, plays_alone; /* plays_alone: an output line of its own */
  const pat_pattern *line_pattern;
  uint64_t line_bus_mask;
  uint32_t line_stages;
} bus_decl;

#define PROG_MAX_BUS_DECLS 128

typedef struct chunk chunk;

typedef struct {
  prog_program *program;
  prog_error *error;
  const sample_source *samples; /* NULL: no sample library */
  prog_warnings *warnings;      /* NULL: not wanted */
  const char *sample_folders;   /* the `samples:` line's text, or NULL */
  size_t sample_folders_length;
  int sample_folders_line;
  const char **unknown_sounds; /* names already warned about, in the chunks */
  int unknown_count;
  /* the words of the output line's `s` and `bank` strings, its sample names
     acquired when the line ends (prog_sample_line) */
  struct prog_sample_word *line_words;
  int line_word_count;
  jmp_buf fail; /* errors unwind to prog_compile; the chunk arena is freed there */
  const char *text;
  size_t length;
  chunk *chunks;
  /* tokens */
  prog_token *tokens;
  int token_count, token_pos;
  int depth; /* parser and evaluator recursion */
  /* statements */
  prog_stmt *stmts;
  int stmt_count;
  bus_decl decls[PROG_MAX_BUS_DECLS];
  int decl_count;
  int let_statement; /* the token starting the statement being lexed, if it is `let` (else -1) */
  /* evaluation */
  bool in_bus;            /* evaluating a bus graph (else an output line) */
  bool modulator;         /* inside an argument of a stage or oscillator */
  bus_builder *bus;       /* the bus being built */
  bus_decl *current_decl; /* the bus definition being evaluated (inner when nested) */
  int statement_line;
  const pat_pattern *silence;
  uint64_t line_bus_mask; /* buses the `s` strings of the output line name */
  bool line_has_s;        /* the output line gives a sound somewhere */
  uint32_t line_stages;   /* STAGE_* bits of the stage controls the line uses */
} prog_compiler;

/* program.c: errors, names, memory */
_Noreturn void prog_fail(prog_compiler *c, int line, int column, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void *prog_alloc(prog_compiler *c, size_t size);
/* The candidate closest to `name` by edit distance, or NULL if none is close. */
const char *prog_suggest(const char *name, size_t length, const char *const *candidates, int count);
/* " (did you mean 'X'?)" with prefix, or "" */
void prog_did_you_mean(char *out, size_t size, const char *prefix, const char *suggestion);
bool prog_name_is(const char *text, size_t length, const char *name);

/* program_parse.c */
void prog_lex(prog_compiler *c);
/* A token kind as a message names it ("the end of the line"). */
const char *prog_token_name(tok_kind kind);
/* The names of output lines: out, or d or o and digits (d1, o2). */
bool prog_is_output_name(const char *text, size_t length);
void prog_parse(prog_compiler *c);

/* program_eval.c; prog_let_binding: the `let` statement binding `name`, or NULL */
const prog_stmt *prog_let_binding(const prog_compiler *c, const char *name, size_t length);
prog_value prog_eval(prog_compiler *c, const ast *node);
prog_value prog_apply(prog_compiler *c, prog_value function, const prog_value *args, int count,
                      int line, int column);
const char *prog_value_kind_name(const prog_value *v);
/* a op b for + - * / (Tidal's Num: numbers fold, patterns take both structures). */
prog_value prog_arithmetic(prog_compiler *c, char op, prog_value a, prog_value b, int line,
                           int column);
prog_value prog_value_new(value_kind kind, const ast *node);
const pat_pattern *prog_silence(prog_compiler *c);

/* program_transform.c: Tidal's transforms (plugin/pattern's) on patterns and control patterns */
int prog_transform_lookup(const char *name, size_t length);
int prog_transform_arity(int transform);
void prog_transform_check_argument(prog_compiler *c, int transform, int position,
                                   const prog_value *v);
const char *prog_transform_name(int transform);
int prog_transform_count(void);
prog_value prog_transform_call(prog_compiler *c, int transform, const prog_value *args, int line,
                               int column);
/* f applied to x by the transform (f must give x's kind back). */
prog_value prog_transform_apply(prog_compiler *c, int transform, const prog_value *f, prog_value x,
                                int line, int column);

/* program_compose.c: fix/unfix/contrast (a NULL function is id), ur, seqP/seqPLoop */
prog_value prog_contrast(prog_compiler *c, int transform, const prog_value *if_matched,
                         const prog_value *if_not, const prog_value *condition, prog_value x,
                         int line, int column);
prog_value prog_ur(prog_compiler *c, int transform, const prog_value *args, int line, int column);
prog_value prog_inhabit(prog_compiler *c, const prog_value *args, int line, int column);
prog_value prog_interlace(prog_compiler *c, int transform, const prog_value *args, int line,
                          int column);
/* ncat [(cycles, p)]: seqPLoop of the patterns one after another, each that many cycles */
prog_value prog_seqp(prog_compiler *c, int transform, bool loop, bool durations,
                     const prog_value *list, int line, int column);
/* weave t p [controls] (with_functions: weaveWith t p [functions]) */
prog_value prog_weave(prog_compiler *c, int transform, bool with_functions, const prog_value *args,
                      int line, int column);
/* step name "x x 12 " (form 0), step' [names] "0 1 x" (1), steps [(name, "x x")] (2) */
prog_value prog_steps(prog_compiler *c, int transform, int form, const prog_value *args, int line,
                      int column);

/* program_list.c: a list's items for the functions that take lists */
const prog_value *prog_list_items(prog_compiler *c, const char *function, const prog_value *v,
                                  const char *example);
const pat_pattern *prog_list_pattern(prog_compiler *c, const char *function, const prog_value *v,
                                     int *kind);
const pat_pattern **prog_list_patterns(prog_compiler *c, const char *function, const prog_value *v,
                                       int *kind, bool *uses_macro);
double prog_list_weight(prog_compiler *c, const char *function, const prog_value *v);
const pat_pattern **prog_list_pairs(prog_compiler *c, const char *function, const prog_value *v,
                                    bool weight_first, double **weights, int *kind,
                                    bool *uses_macro);

/* program_bus.c */
void prog_compile_bus(prog_compiler *c, bus_decl *decl);
prog_value prog_bus_builtin(prog_compiler *c, const char *name, size_t length,
                            const prog_value *args, int count, const ast *node, bool *found);
void prog_unknown_bus(prog_compiler *c, const char *name, size_t length, int line, int column);
prog_value prog_bus_reference(prog_compiler *c, const ast *node);
prog_value prog_bus_chain(prog_compiler *c, prog_value left, const ast *stage);
prog_value prog_bus_binary(prog_compiler *c, char op, prog_value a, prog_value b, int line,
                           int column);
int prog_add_variant(prog_compiler *c, int bus_index, uint32_t stages, int line, int column);
bool prog_bus_has(const char *name, size_t length);
extern const char *const prog_bus_function_names[];
extern const int prog_bus_function_count;

/* program_output.c */
/* line: the named line being compiled (~kick: ...), else NULL */
void prog_compile_output(prog_compiler *c, const prog_stmt *stmt, bus_decl *line);
prog_value prog_output_builtin(prog_compiler *c, const char *name, size_t length,
                               const prog_value *args, int count, const ast *node, bool *found);
prog_value prog_output_chain(prog_compiler *c, prog_value left, prog_value right, char op,
                             uint8_t structure, int line, int column);
/* left op right on patterns (numbers become pure patterns). */
prog_value prog_combine(prog_compiler *c, pat_op op, pat_structure structure, prog_value left,
                        prog_value right, int line, int column);
const pat_pattern *prog_checked(prog_compiler *c, const pat_pattern *p);
const pat_pattern *prog_as_pattern(prog_compiler *c, const prog_value *v); /* NULL: not one */
bool prog_output_has(const char *name, size_t length);
extern const char *const prog_output_function_names[];
extern const int prog_output_function_count;

/* program_sample.c: sound names played from the sample library */
/* A word of an `s` string that names no bus: acquired through the sample
   source (once per name), or a warning at line:column. */
void prog_sample_use(prog_compiler *c, const char *name, size_t length, int line, int column);
/* A word of the output line's `s` (or, bank true, `bank`) strings at
   line:column; prog_sample_line acquires the line's names when it ends:
   each sound word, or with bank words each bank_word (Strudel's bank: `s
   "bd" # bank "RolandTR808"` is RolandTR808_bd), the plain word then quietly
   too (for the line's events without a bank). */
typedef struct prog_sample_word {
  const char *text;
  size_t length;
  int line, column;
  bool bank;
} prog_sample_word;
void prog_sample_word_add(prog_compiler *c, const char *text, size_t length, int line, int column,
                          bool bank);
void prog_sample_line(prog_compiler *c);
/* Adds the sample names in the strings under `node` to the line's words,
   as an `s` argument's (program_output.c). */
void prog_scan_sample_names(prog_compiler *c, const ast *node);
/* Gives the folders of the `samples:` line to the source (before any acquire). */
void prog_sample_folders(prog_compiler *c);
void prog_sample_release_all(prog_program *program);
/* Sorts the program's sounds by name, for prog_sample_find (when compiled). */
void prog_sample_sort(prog_program *program);
/* The bus sample events play: its graph is a SYNTH_SAMPLE node reading
   parameters 0..4 (PROG_SAMPLE_*), which prog_query fills from the event's
   controls; `# lpf` and the rest append stages to a copy, as for any bus. */
enum {
  PROG_SAMPLE_SPEED,
  PROG_SAMPLE_ACCELERATE,
  PROG_SAMPLE_BEGIN,
  PROG_SAMPLE_END,
  PROG_SAMPLE_LOOP,
  PROG_SAMPLE_PARAMS
};
/* The file `name` (with a bank: bank_name) with index n plays (n wraps, as SuperDirt's), or NULL.
   Audio thread: allocates nothing. */
const sample_data *prog_sample_find(const prog_program *program, const char *bank, const char *name,
                                    double n);

/* program_prelude.c: the prelude's synths (superpiano ...), plugin/program/prelude.cb */
/* Puts the prelude buses the program names and does not define before its statements. */
void prog_prelude(prog_compiler *c);
/* `name` is a bus of the prelude (s "superpiano" plays it without a tilde). */
bool prog_prelude_has(const char *name, size_t length);

/* program_mix.c: named lines (~kick: s "bd(3,8)") and mixes (~kick + ~snare * 0.8) */
void prog_find_lines(prog_compiler *c); /* after the declarations */
prog_value prog_line_reference(prog_compiler *c, const ast *node);
/* `+` naming a line, or sounds `*` or `/` a number, on an output line: the
   mix in *mixed, true; false for any other arithmetic. */
bool prog_mix(prog_compiler *c, const ast *node, prog_value *mixed);
/* Fails saying so when an unknown name is one of Phonon's own synths or effects. */
void prog_phonon_only(prog_compiler *c, const char *name, size_t length, int line, int column);

#endif
