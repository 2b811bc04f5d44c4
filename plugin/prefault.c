/* Making memory resident ahead of the audio thread (prefault.h). */
/* mmap's MAP_ANONYMOUS and madvise's MADV_POPULATE_WRITE are not in XOPEN 700 */
#define _DEFAULT_SOURCE

#include "prefault.h"

#include <stdatomic.h>
#include <stdint.h>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#define FALLBACK_PAGE 4096 /* the smallest page of the systems we run on */

#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
static size_t page_size(void) {
  long page = sysconf(_SC_PAGESIZE);
  return page > 0 ? (size_t)page : FALLBACK_PAGE;
}

bool cb_can_populate(void) {
  static atomic_int known; /* 0: not tried, 1: works, 2: does not */
  int k = atomic_load_explicit(&known, memory_order_relaxed);
  if (k)
    return k == 1;
  size_t page = page_size();
  void *probe = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  bool works = probe != MAP_FAILED && madvise(probe, page, MADV_POPULATE_WRITE) == 0;
  if (probe != MAP_FAILED)
    munmap(probe, page);
  atomic_store_explicit(&known, works ? 1 : 2, memory_order_relaxed);
  return works;
}

/* The whole pages under the range: populating leaves every byte as it was,
   the neighbours' in the first and last page too. */
static bool populate(void *memory, size_t bytes) {
  if (!cb_can_populate())
    return false;
  size_t page = page_size();
  uintptr_t first = (uintptr_t)memory & ~(uintptr_t)(page - 1);
  uintptr_t end = ((uintptr_t)memory + bytes + page - 1) & ~(uintptr_t)(page - 1);
  return madvise((void *)first, end - first, MADV_POPULATE_WRITE) == 0;
}
#else
bool cb_can_populate(void) { return false; }

static bool populate(void *memory, size_t bytes) {
  (void)memory, (void)bytes;
  return false;
}
#endif

void cb_prefault(void *memory, size_t bytes) {
  if (!memory || bytes == 0 || populate(memory, bytes))
    return;
  /* The first byte of the range, then the first byte of every later page
     in it; a locked add of 0 loses no concurrent write. */
  unsigned char *byte = memory, *end = byte + bytes;
  while (byte < end) {
    __atomic_fetch_add(byte, 0, __ATOMIC_RELAXED);
    byte += FALLBACK_PAGE - ((uintptr_t)byte & (FALLBACK_PAGE - 1));
  }
}
