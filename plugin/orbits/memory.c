/* The memory of an effect's delay lines (orbits_private.h): reserved at
   instantiate as zeroed address space that takes no resident memory, and
   made resident by the worker once programs send to the effect
   (orbit_bank_commit), so that an instance whose programs use one reverb
   does not hold eight reverbs and eight 4 s delays (13.6 MB at 48 kHz).
   Where the kernel cannot populate pages on request (Linux before 5.14,
   other systems), the memory is made resident at reserve time, as before. */
/* mmap's MAP_ANONYMOUS is not in XOPEN 700 */
#define _DEFAULT_SOURCE

#include "orbits_private.h"

#include <stdlib.h>
#include <string.h>

#include "../prefault.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

bool orbit_memory_reserve(orbit_memory *m, size_t bytes) {
  memset(m, 0, sizeof *m);
  m->bytes = bytes;
#if defined(__linux__)
  if (cb_can_populate()) {
    void *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
      return false;
    m->base = base;
    m->lazy = true;
    return true;
  }
#endif
  m->base = calloc(1, bytes);
  cb_prefault(m->base, m->base ? bytes : 0); /* run() writes it: no page fault there */
  return m->base != NULL;
}

void orbit_memory_commit(const orbit_memory *m) {
  /* Maps every page writable, contents unchanged: safe while run() writes
     the lines. */
  if (m->lazy)
    cb_prefault(m->base, m->bytes);
}

size_t orbit_memory_resident(const orbit_memory *m) {
#if defined(__linux__)
  if (m->lazy) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = (m->bytes + page - 1) / page, resident = 0;
    unsigned char vector[256];
    for (size_t first = 0; first < pages; first += sizeof vector) {
      size_t n = pages - first < sizeof vector ? pages - first : sizeof vector;
      if (mincore((char *)m->base + first * page, n * page, vector) != 0)
        return 0;
      for (size_t i = 0; i < n; ++i)
        resident += vector[i] & 1;
    }
    return resident * page;
  }
#endif
  return m->bytes;
}

void orbit_memory_release(orbit_memory *m) {
#if defined(__linux__)
  if (m->lazy)
    munmap(m->base, m->bytes);
  else
#endif
    free(m->base);
  memset(m, 0, sizeof *m);
}
