/* libFuzzer target: program text -> compile -> query a few cycles of
   triggers in a fixed arena, with absurd macro values. Must never crash,
   hang or leak, whatever the input. */
#include <math.h>
#include <stdint.h>

#include "program/program.h"

static unsigned char arena_memory[1 << 20];
static prog_trigger triggers[512];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096)
    return 0; /* long inputs only slow the search down */
  prog_error error;
  prog_program *program = prog_compile((const char *)data, size, &error);
  if (!program)
    return 0;
  float macros[PROG_MACRO_COUNT];
  for (int i = 0; i < PROG_MACRO_COUNT; ++i)
    macros[i] = i % 3 == 0 ? 1e30f : (float)i;
  macros[PROG_MACRO_RES] = NAN;
  pat_arena arena;
  pat_arena_init(&arena, arena_memory, sizeof arena_memory);
  volatile double sink = 0;
  for (int cycle = 0; cycle < 3; ++cycle) {
    pat_arc span = {pat_rat_int(cycle), pat_rat_int(cycle + 1)};
    size_t dropped = 0;
    pat_arena_reset(&arena);
    size_t n = prog_query(program, span, macros, &arena, triggers, 512, &dropped);
    for (size_t i = 0; i < n; ++i) {
      const synth_bus *bus = prog_bus(program, triggers[i].bus);
      sink += triggers[i].gate_cycles + triggers[i].voice.params[0] + bus->node_count;
    }
  }
  prog_free(program);
  return 0;
}
