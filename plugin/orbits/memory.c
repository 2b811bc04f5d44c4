/* The memory of an effect's delay lines (orbits_private.h): reserved at
   instantiate as zeroed address space that takes no resident memory, and
   made resident by the worker once programs send to the effect
   (orbit_bank_commit), so that an instance whose programs use one reverb
   does not hold eight reverbs and eight 4 s delays (13.6 MB at 48 kHz).
   Where the kernel cannot populate pages on request (Linux before 5.14,
   other systems), the memory is made resident at reserve time, as before. */
/* mmap's MAP_ANONYMOUS and madvise's MADV_POPULATE_WRITE are not in XOPEN 700 */
#define _DEFAULT_SOURCE

#include "orbits_private.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../prefault.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
/* Whether madvise(MADV_POPULATE_WRITE) works here, tried once on a page. */
static bool can_populate(void) {
  static atomic_int known; /* 0: not tried, 1: works, 2: does not */
  int k = atomic_load_explicit(&known, memory_order_relaxed);
  if (k)
    return k == 1;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  void *probe = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  bool works = probe != MAP_FAILED && madvise(probe, page, MADV_POPULATE_WRITE) == 0;
  if (probe != MAP_FAILED)
    munmap(probe, page);
  atomic_store_explicit(&known, works ? 1 : 2, memory_order_relaxed);
  return works;
}
#endif

bool orbit_memory_reserve(orbit_memory *m, size_t bytes) {
  memset(m, 0, sizeof *m);
  m->bytes = bytes;
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  if (can_populate()) {
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
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  /* Maps every page writable, contents unchanged: safe while run() writes
     the lines. Should it fail, run() maps the pages as it first writes them. */
  if (m->lazy)
    madvise(m->base, m->bytes, MADV_POPULATE_WRITE);
#else
  (void)m;
#endif
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
