/* Memory the audio thread will write is made resident before run() can
   touch it (at instantiate, or by the worker), so that run() never takes a
   page fault: the kernel maps an untouched page at its first write, which
   takes microseconds, and milliseconds when memory is short. */
#ifndef CYCLEBUS_PREFAULT_H
#define CYCLEBUS_PREFAULT_H

#include <stdbool.h>
#include <stddef.h>

/* Maps every page of [memory, memory + bytes) writable, contents unchanged:
   in one madvise(MADV_POPULATE_WRITE) call where the kernel has it (Linux
   5.14), else by one atomic add of 0 per page, a write, so each page faults
   once (a read then a write maps the shared zero page first, then faults
   again to copy it). Safe while another thread writes the memory. Any
   thread but the audio thread. */
void cb_prefault(void *memory, size_t bytes);

/* Whether the kernel populates pages on request (madvise's
   MADV_POPULATE_WRITE); tried once. */
bool cb_can_populate(void);

#endif
