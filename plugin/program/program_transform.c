/* The transforms' table: Tidal's names (fast, every, jux, ...) with the
   kinds of their arguments, looked up by name; each argument checked as it
   arrives; and what every transform shares: patterns from arguments, a
   function applied to the subject. The calls: program_transform_call.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "program_transform.h"

/* Argument kinds, in order: p = pattern, n = number, f = function, x = the
   subject, y = another pattern of the subject's kind (events or values);
   lists: l = of patterns, L = of functions, v = of anything, T = of
   (weight, pattern) pairs, W = of (pattern, weight) pairs, N = of (name,
   pattern) pairs, F = of (name, function) pairs, S = of (begin, end,
   pattern) triples; c = a control pattern or (control, value) pairs; e =
   events or a pattern (checked by the function); r = a
   tuple (begin, end) of cycle positions. A function without x (stack [...])
   makes its pattern from its lists. */
static const struct {
  const char *name;
  const char *signature;
} transforms[T_COUNT] = {
    [T_FAST] = {"fast", "px"},
    [T_DENSITY] = {"density", "px"},
    [T_SLOW] = {"slow", "px"},
    [T_REV] = {"rev", "x"},
    [T_PALINDROME] = {"palindrome", "x"},
    [T_ITER] = {"iter", "px"},
    [T_PLY] = {"ply", "px"},
    [T_SEGMENT] = {"segment", "px"},
    [T_LATE] = {"late", "px"},
    [T_EARLY] = {"early", "px"},
    [T_DEGRADE_BY] = {"degradeBy", "px"},
    [T_DEGRADE] = {"degrade", "x"},
    [T_EUCLID] = {"euclid", "ppx"},
    [T_EUCLID_OFF] = {"euclidOff", "pppx"},
    [T_EOFF] = {"eoff", "pppx"},
    [T_EVERY] = {"every", "pfx"},
    [T_FIRST_OF] = {"firstOf", "pfx"},
    [T_LAST_OF] = {"lastOf", "pfx"},
    [T_INSIDE] = {"inside", "pfx"},
    [T_OUTSIDE] = {"outside", "pfx"},
    [T_SWING_BY] = {"swingBy", "ppx"},
    [T_SWING] = {"swing", "px"},
    [T_SOME_CYCLES_BY] = {"someCyclesBy", "pfx"},
    [T_SOME_CYCLES] = {"someCycles", "fx"},
    [T_SOMETIMES_BY] = {"sometimesBy", "pfx"},
    [T_SOMETIMES] = {"sometimes", "fx"},
    [T_OFTEN] = {"often", "fx"},
    [T_RARELY] = {"rarely", "fx"},
    [T_ALMOST_NEVER] = {"almostNever", "fx"},
    [T_ALMOST_ALWAYS] = {"almostAlways", "fx"},
    [T_ALWAYS] = {"always", "fx"},
    [T_NEVER] = {"never", "fx"},
    [T_OFF] = {"off", "pfx"},
    [T_SUPERIMPOSE] = {"superimpose", "fx"},
    [T_JUX] = {"jux", "fx"},
    [T_ECHO] = {"echo", "pppx"},
    [T_STUT] = {"stut", "pppx"},
    [T_STACK] = {"stack", "l"},
    [T_OVERLAY] = {"overlay", "yx"},
    [T_CAT] = {"cat", "l"},
    [T_SLOWCAT] = {"slowcat", "l"},
    [T_FASTCAT] = {"fastcat", "l"},
    [T_RANDCAT] = {"randcat", "l"},
    [T_WRANDCAT] = {"wrandcat", "W"},
    [T_TIMECAT] = {"timeCat", "T"},
    [T_TIMECAT_LOWER] = {"timecat", "T"},
    [T_LAYER] = {"layer", "Lx"},
    [T_STRUCT] = {"struct", "px"},
    [T_MASK] = {"mask", "px"},
    [T_SEW] = {"sew", "pyx"},
    [T_STITCH] = {"stitch", "pyx"},
    [T_EUCLID_INV] = {"euclidInv", "ppx"},
    [T_EUCLID_FULL] = {"euclidFull", "ppyx"},
    [T_EUCLID_OFF_FULL] = {"euclidOffFull", "pppyx"},
    [T_SPREAD] = {"spread", "fvx"},
    [T_SLOWSPREAD] = {"slowspread", "fvx"},
    [T_FASTSPREAD] = {"fastspread", "fvx"},
    [T_SOMECYCLES] = {"somecycles", "fx"},
    [T_SOMECYCLES_BY] = {"somecyclesBy", "pfx"},
    [T_UNDEGRADE_BY] = {"unDegradeBy", "px"},
    [T_ITER_BACK] = {"iter'", "px"},
    [T_WHENMOD] = {"whenmod", "ppfx"},
    [T_BRAK] = {"brak", "x"},
    [T_STUT_WITH] = {"stutWith", "ppfx"},
    [T_ECHO_WITH] = {"echoWith", "ppfx"},
    [T_HURRY] = {"hurry", "px"},
    [T_WITHIN] = {"within", "rfx"},
    [T_WHILE] = {"while", "pfx"},
    [T_CHUNK] = {"chunk", "pfx"},
    [T_CHUNK_BACK] = {"chunk'", "pfx"},
    [T_PRESS] = {"press", "x"},
    [T_PRESS_BY] = {"pressBy", "px"},
    [T_RANGEX] = {"rangex", "nnx"},
    [T_QUANTISE] = {"quantise", "nx"},
    [T_TO_SCALE] = {"toScale", "vx"},
    [T_TO_SCALE_OCTAVE] = {"toScale'", "nvx"},
    [T_ZOOM] = {"zoom", "rx"},
    [T_ZOOM_ARC] = {"zoomArc", "rx"},
    [T_LINGER] = {"linger", "px"},
    [T_COMPRESS] = {"compress", "rx"},
    [T_TRUNC] = {"trunc", "px"},
    [T_WITHIN_ZOOMED] = {"within'", "rfx"},
    [T_CHOOSE] = {"choose", "v"},
    [T_CHOOSE_BY] = {"chooseBy", "pv"},
    [T_WCHOOSE] = {"wchoose", "v"},
    [T_CYCLE_CHOOSE] = {"cycleChoose", "v"},
    [T_ARPEGGIATE] = {"arpeggiate", "x"},
    [T_ARPG] = {"arpg", "x"},
    [T_ROLLED] = {"rolled", "x"},
    [T_ROLLED_BY] = {"rolledBy", "px"},
    [T_FIX] = {"fix", "fcx"},
    [T_UNFIX] = {"unfix", "fcx"},
    [T_CONTRAST] = {"contrast", "ffcx"},
    [T_UR] = {"ur", "npNF"},
    [T_SEQP] = {"seqP", "S"},
    [T_SEQP_LOOP] = {"seqPLoop", "S"},
    [T_WCHOOSE_BY] = {"wchooseBy", "pv"},
    [T_ROT] = {"rot", "px"},
    [T_PLY_WITH] = {"plyWith", "pfx"},
    [T_GHOST] = {"ghost", "x"},
    [T_GHOST_AT] = {"ghost'", "nx"},
    [T_GHOST_WITH] = {"ghostWith", "nfx"},
    [T_SHUFFLE] = {"shuffle", "px"},
    [T_SCRAMBLE] = {"scramble", "px"},
    [T_ARP] = {"arp", "px"},
    [T_SQUEEZE] = {"squeeze", "pl"},
    [T_SELECT] = {"select", "pl"},
    [T_PICK_F] = {"pickF", "pLx"},
    [T_SELECT_F] = {"selectF", "pLx"},
    [T_NTAKE] = {"nTake", "pv"},
    [T_FIT] = {"fit", "pvp"},
    [T_CHOP] = {"chop", "px"},
    [T_STRIATE] = {"striate", "px"},
    [T_STRIATE_BY] = {"striateBy", "ppx"},
    [T_STRIATE_PRIME] = {"striate'", "ppx"},
    [T_SLICE] = {"slice", "ppx"},
    [T_SPLICE] = {"splice", "ppx"},
    [T_RANDSLICE] = {"randslice", "px"},
    [T_BITE] = {"bite", "ppx"},
    [T_CHEW] = {"chew", "ppx"},
    [T_LOOP_AT] = {"loopAt", "px"},
    [T_JUX_BY] = {"juxBy", "pfx"},
    [T_SMASH] = {"smash", "pvx"},
    [T_SMASH_CHOP] = {"smash'", "pvx"},
    [T_GAP] = {"gap", "px"},
    [T_LOOP_FIRST] = {"loopFirst", "x"},
    [T_TIME_LOOP] = {"timeLoop", "nx"},
    [T_ROT_L] = {"rotL", "px"},
    [T_ROT_R] = {"rotR", "px"},
    [T_DISCRETISE] = {"discretise", "px"},
    [T_FAST_GAP] = {"fastGap", "nx"},
    [T_STUTTER] = {"stutter", "ppx"},
    [T_WEDGE] = {"wedge", "gyx"},
    [T_SPACE_OUT] = {"spaceOut", "vx"},
    [T_SPIN] = {"spin", "nx"},
    [T_INV] = {"inv", "x"},
    [T_WEAVE] = {"weave", "nel"},
    [T_WEAVE_WITH] = {"weaveWith", "neL"},
    [T_STEP] = {"step", "ee"},
    [T_STEP_LIST] = {"step'", "ve"},
    [T_STEPS] = {"steps", "v"},
    [T_APPLY] = {"($)", "fx"},
    [T_SPREADF] = {"spreadf", "Lx"},
    [T_ID] = {"id", "x"},
    [T_NCAT] = {"ncat", "T"},
    [T_SPREAD_CHOOSE] = {"spreadChoose", "fvx"},
    [T_SPREADR] = {"spreadr", "fvx"},
    [T_STRIPE] = {"stripe", "px"},
    [T_SLOWSTRIPE] = {"slowstripe", "px"},
    [T_SMOOTH] = {"smooth", "x"},
    [T_INHABIT] = {"inhabit", "Np"},
    [T_INTERLACE] = {"interlace", "ee"},
};

int prog_transform_count(void) { return T_COUNT; }

const char *prog_transform_name(int t) { return transforms[t].name; }

int prog_transform_arity(int t) { return (int)strlen(transforms[t].signature); }
const char *prog_transform_signature(int t) { return transforms[t].signature; }

int prog_transform_lookup(const char *name, size_t length) {
  for (int t = 0; t < T_COUNT; ++t)
    if (prog_name_is(name, length, transforms[t].name))
      return t;
  return -1;
}

const pat_pattern *prog_pure(prog_compiler *c, double number) {
  return prog_checked(c, pat_number(c->program->store, number));
}

const pat_pattern *prog_transform_pattern(prog_compiler *c, int t, const prog_value *v) {
  const pat_pattern *p = v->kind == V_CONTROLS ? NULL : prog_as_pattern(c, v);
  if (p)
    return p;
  prog_fail(c, v->line, v->column, "%s expects a pattern or a number here, not %s",
            transforms[t].name, prog_value_kind_name(v));
}

const prog_value *prog_transform_function(prog_compiler *c, int t, const prog_value *v) {
  if (v->kind != V_FUNC)
    prog_fail(c, v->line, v->column, "%s expects a function here, like (fast 2) or rev, not %s",
              transforms[t].name, prog_value_kind_name(v));
  return v;
}

/* Arguments are checked as they arrive, so `every 2 $ s "~x"` says what is
   wrong at the argument rather than at the end of the line. */
void prog_transform_check_argument(prog_compiler *c, int t, int position, const prog_value *v) {
  char kind = transforms[t].signature[position];
  if (kind == 'p')
    prog_transform_pattern(c, t, v);
  if (kind == 'f')
    prog_transform_function(c, t, v);
  if (strchr("lLvTWNFS", kind))
    prog_list_items(c, transforms[t].name, v,
                    kind == 'T'   ? "[(1, s \"bd*4\"), (1, s \"hh*8\")]"
                    : kind == 'N' ? "[(\"a\", s \"bd*4\"), (\"b\", s \"hh*8\")]"
                    : kind == 'F' ? "[(\"faster\", fast 2)]"
                    : kind == 'S' ? "[(0, 12, s \"bd bd*2\"), (4, 12, s \"hh*2\")]"
                    : kind == 'W' ? "[(s \"bd*2\", 0.5), (s \"hh*3\", 0.25)]"
                    : kind == 'L' ? "[rev, fast 2]"
                    : kind == 'v' ? "[1, 2]"
                                  : "[s \"bd*2\", s \"hh*3\"]");
  if (kind == 'y') {
    int any = -1;
    prog_list_pattern(c, transforms[t].name, v, &any);
  }
  if (kind == 'r' &&
      (v->kind != V_LIST || !v->tuple || v->item_count != 2 || v->items[0].kind != V_NUMBER ||
       v->items[1].kind != V_NUMBER || !(v->items[0].number >= 0.0) ||
       !(v->items[1].number <= 1.0) || !(v->items[0].number <= v->items[1].number)))
    prog_fail(c, v->line, v->column,
              "%s takes a part of the cycle (begin, end), from 0 to 1, like %s (0.25, 0.75)",
              transforms[t].name, transforms[t].name);
  if (kind == 'n' && (v->kind != V_NUMBER || !(v->number > 0.0) || v->number > 1e6))
    prog_fail(c, v->line, v->column, "%s takes a positive number here, like %s, not %s",
              transforms[t].name,
              t == T_RANGEX            ? "rangex 20 2000 sine"
              : t == T_QUANTISE        ? "quantise 1"
              : t == T_TO_SCALE_OCTAVE ? "toScale' 12 [0, 2, 4] \"0 1 2\""
              : t == T_TIME_LOOP       ? "timeLoop 4"
              : t == T_FAST_GAP        ? "fastGap 2"
              : t == T_UR              ? "ur 12 \"a b\" [(\"a\", s \"bd\"), (\"b\", s \"hh\")] []"
                                       : "ghost' (1/16)",
              v->kind == V_NUMBER ? "that number" : prog_value_kind_name(v));
}

/* The subject (`x`, the last argument) with its pattern replaced. */
prog_value prog_with_pattern(prog_compiler *c, prog_value x, const pat_pattern *p) {
  x.pattern = prog_checked(c, p);
  return x;
}

/* f applied to x must give the same kind of thing back. */
prog_value prog_transform_apply(prog_compiler *c, int t, const prog_value *f, prog_value x,
                                int line, int column) {
  prog_value fx = prog_apply(c, *f, &x, 1, line, column);
  if (x.kind == V_CONTROLS && fx.kind == V_CONTROLS)
    return fx;
  if (x.kind == V_PATTERN && fx.kind != V_CONTROLS && prog_as_pattern(c, &fx))
    return prog_with_pattern(c, x, prog_as_pattern(c, &fx));
  prog_fail(c, f->line, f->column, "the function given to %s turned %s into %s", transforms[t].name,
            prog_value_kind_name(&x), prog_value_kind_name(&fx));
}
