/* Memory the audio thread will write is written once when it is allocated,
   so that run() never takes a page fault: the kernel maps an untouched page
   at its first write (calloc's pages all share the zero page until then),
   which takes microseconds, and milliseconds when memory is short. */
#ifndef CYCLEBUS_PREFAULT_H
#define CYCLEBUS_PREFAULT_H

#include <stddef.h>

/* Rewrites one byte of every page of [memory, memory + bytes) with itself:
   the contents stay, the pages are mapped. Volatile, so that the compiler
   keeps the stores. */
static inline void cb_prefault(void *memory, size_t bytes) {
  volatile unsigned char *page = memory;
  for (size_t offset = 0; memory && offset < bytes; offset += 4096)
    page[offset] = page[offset];
}

#endif
