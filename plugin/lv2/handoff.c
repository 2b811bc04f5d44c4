/* The log of pointers in flight between run() and the worker (handoff.h).
   Sender side: a fixed ring, no allocation, so run() may use it. */
#include "handoff.h"

#include <stdlib.h>

static bool after(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

void cb_handoff_log(cb_handoff *h, uint32_t sequence, cb_owned_kind kind, void *pointer) {
  if (!pointer)
    return;
  cb_handoff_item *item = &h->items[h->write];
  if (item->pointer && after(item->sequence, atomic_load_explicit(&h->taken, memory_order_acquire)))
    h->overwritten++;
  *item = (cb_handoff_item){sequence, (uint32_t)kind, pointer};
  h->write = (h->write + 1) % CB_HANDOFF_ITEMS;
}

void cb_handoff_free_untaken(cb_handoff *h, cb_free_program_fn *free_program) {
  uint32_t taken = atomic_load_explicit(&h->taken, memory_order_acquire);
  for (uint32_t i = 0; i < CB_HANDOFF_ITEMS; ++i) {
    cb_handoff_item *item = &h->items[i];
    if (item->pointer && after(item->sequence, taken)) {
      if (item->kind == CB_OWNED_PROGRAM)
        free_program(item->pointer);
      else
        free(item->pointer);
    }
    item->pointer = NULL;
  }
}
