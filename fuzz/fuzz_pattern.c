/* libFuzzer target: mini-notation text -> parse -> query a few cycles (and
   a zero-width point, and a few transforms) in a fixed arena. Must never
   crash, hang or read out of bounds, whatever the input. */
#include <stdint.h>
#include <string.h>

#include "pattern/pattern.h"

static unsigned char arena_memory[1 << 18];

static void query_some(const pat_pattern *p) {
  pat_arena arena;
  const pat_event *events;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  pat_arc span = {{0, 1}, {3, 1}};
  size_t n = pat_query(p, span, &arena, &events);
  /* touch every event so bad pointers show up */
  volatile double sink = 0;
  for (size_t i = 0; i < n; i++) {
    sink += pat_rat_to_double(events[i].whole.begin) + events[i].value.number;
    if (events[i].value.str)
      sink += (double)strlen(events[i].value.str);
    for (size_t k = 0; events[i].value.kind == PAT_VALUE_LIST && k < events[i].value.count; k++)
      sink += events[i].value.items[k].number;
  }
  pat_arc point = {{7, 3}, {7, 3}};
  pat_query(p, point, &arena, &events);
  pat_arena_reset(&arena);
  pat_arc late = {{-5, 2}, {1, 7}};
  pat_query(p, late, &arena, &events);
}

/* f = ply by the fuzzed pattern, for the higher-order transforms */
static const pat_pattern *ply_by(pat_store *store, const pat_pattern *q, void *context) {
  return pat_ply(store, (const pat_pattern *)context, q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 2048)
    return 0; /* long inputs only slow the search down */
  pat_store *store = pat_store_new();
  if (!store)
    return 0;
  pat_error error;
  const pat_pattern *p = pat_parse(store, (const char *)data, size, 1, 1, &error);
  if (p) {
    query_some(p);
    /* the same pattern as an argument of patterned transforms */
    const pat_pattern *abc = pat_parse(store, "a b c", 5, 1, 1, &error);
    query_some(pat_fast(store, p, abc));
    query_some(pat_every(store, p, pat_rev(store, abc), abc));
    query_some(pat_off(store, p, ply_by, (void *)p, abc));
    query_some(pat_echo(store, p, p, p, abc));
    query_some(pat_euclid(store, p, p, p, abc));
    query_some(pat_sometimes_by(store, p, ply_by, (void *)p, abc));
    query_some(pat_last_of(store, p, pat_segment(store, p, abc), abc));
    query_some(pat_some_cycles_by(store, p, ply_by, (void *)p, abc));
    query_some(pat_segment(store, p,
                           pat_range_numbers(store, -3, 7, pat_signal(store, PAT_SIGNAL_TRI, 0))));
    query_some(pat_range_numbers(store, 1, 2, pat_some_cycles_by(store, p, ply_by, (void *)p, p)));
    /* Tidal's operators, on plain values and on control maps: the input's
       first byte picks the operation and the structure (all of them each
       input would make one input cost a hundred queries) */
    const pat_pattern *controls = pat_control_pattern(store, PAT_CONTROL_S, abc);
    const pat_pattern *gains = pat_control_pattern(store, PAT_CONTROL_GAIN, p);
    unsigned pick = size ? data[0] : 0;
    pat_op op = (pat_op)(pick % (PAT_OP_KEEP_UNLESS + 1));
    pat_structure side = (pat_structure)(pick / (PAT_OP_KEEP_UNLESS + 1) % 3);
    query_some(pat_combine(store, op, side, p, abc));
    query_some(pat_combine(store, op, side, controls, gains));
    query_some(pat_combine(store, op, side, pat_signal(store, PAT_SIGNAL_SINE, 0), p));
    query_some(pat_jux(store, pat_echo(store, p, p, p, gains), controls));
    /* Tidal's composition and structure, the input as items and booleans */
    const pat_pattern *items[3] = {p, abc, controls};
    const double weights[3] = {pick % 4, 0.5, 1e-9 * pick};
    query_some(pat_stack(store, items, 3));
    query_some(pat_timecat(store, weights, items, 3));
    query_some(pat_randcat(store, items, 3));
    query_some(pat_wrandcat(store, weights, items, 3));
    query_some(pat_struct(store, p, abc));
    query_some(pat_mask(store, p, controls));
    query_some(pat_sew(store, p, abc, controls));
    query_some(pat_stitch(store, p, controls, abc));
    query_some(pat_euclid_inv(store, p, p, pick % 2 ? p : NULL, abc));
    /* Tidal's time, alteration and harmony functions, amounts from the
       first byte (a quarter step from -1 to 1, or 0 to 1) */
    double amount = (double)(pick % 9) / 4.0 - 1.0, part = (double)(pick % 5) / 4.0;
    const double steps[3] = {0, amount, 7};
    query_some(pat_press_by(store, p, controls));
    query_some(pat_zoom(store, part / 2, part, p));
    query_some(pat_compress(store, part / 2, part, p));
    query_some(pat_linger(store, p, abc));
    query_some(pat_linger(store, pat_number(store, amount), p));
    query_some(pat_trunc(store, p, abc));
    query_some(pat_arpeggiate(store, p));
    query_some(pat_rolled_by(store, p, pat_stack(store, items, 3)));
    query_some(pat_play_when_in(store, part / 2, part, pick % 2, p));
    query_some(pat_iter_back(store, p, abc));
    query_some(pat_undegrade_by(store, p, abc));
    query_some(pat_rangex(store, 1, 1 + part, p));
    query_some(pat_quantise(store, 1 + part, p));
    query_some(pat_to_scale(store, 12, steps, 1 + pick % 3, p));
    query_some(pat_choose_by(store, p, steps, 1 + pick % 3));
    query_some(pat_wchoose_by(store, p, weights, 1));
    query_some(pat_inside(store, p, pick % 2, ply_by, (void *)p, abc));
    query_some(pat_superimpose(store, ply_by, (void *)p, controls));
    /* Tidal's reordering and choosing: the input as counts, modes, indices */
    query_some(pat_arp(store, p, pat_stack(store, items, 3)));
    query_some(pat_ply_with(store, p, ply_by, (void *)p, abc));
    query_some(pat_stut_with(store, p, p, ply_by, (void *)p, controls));
    query_some(pat_pick(store, (pat_pick_mode)(pick % 3), p, items, 3));
    query_some(pat_rot(store, p, abc));
    query_some(pat_shuffle(store, p, pick % 2, abc));
    query_some(pat_fit(store, p, items, 3, p));
    query_some(pat_whenmod(store, p, p, pat_rev(store, abc), abc));
    query_some(pat_chunk(store, p, pick % 2, pat_rev(store, abc), abc));
    query_some(pat_time_loop(store, part * 3, p));
    /* control matching and long-form composition: the input as the test,
       as ur's outer pattern of names, and as seqP's items */
    query_some(
        pat_match_controls(store, gains, pick % 2,
                           pat_combine(store, PAT_OP_SET, PAT_STRUCTURE_LEFT, controls, gains)));
    const char *names[2] = {"a", "b"}, *fx_names[1] = {"f"};
    const pat_pattern *named[2] = {abc, p};
    void *contexts[1] = {(void *)p};
    query_some(pat_ur(store, 1 + pick % 4, p, names, named, 2, fx_names, ply_by, contexts, 1));
    const double begins[3] = {amount, 0, part * 3}, ends[3] = {part * 8, 2, 0.5};
    query_some(pat_seqp(store, begins, ends, items, 3, pick % 2));
  } else {
    /* errors are values with a position inside (or just after) the text */
    if (error.line < 1 || error.column < 1 || error.message[0] == '\0')
      __builtin_trap();
  }
  pat_store_free(store);
  return 0;
}
