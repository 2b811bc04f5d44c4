/* Prefaulting (plugin/prefault.c): every page under the range becomes
   resident, the last partial one too; no byte changes; and each page
   faults once, not twice (a read maps the shared zero page, the write then
   faults again to copy it). */
#define _DEFAULT_SOURCE /* mmap's MAP_ANONYMOUS, mincore */

#include <check.h>

#include "check_run.h"
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../plugin/prefault.h"

#define PAGES 256

static size_t page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

static unsigned char *fresh_pages(size_t pages) {
  void *memory =
      mmap(NULL, pages * page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ck_assert_ptr_ne(memory, MAP_FAILED);
  return memory;
}

static size_t resident_pages(unsigned char *memory, size_t pages) {
  unsigned char vector[PAGES];
  ck_assert_uint_le(pages, PAGES);
  ck_assert_int_eq(mincore(memory, pages * page_size(), vector), 0);
  size_t resident = 0;
  for (size_t i = 0; i < pages; ++i)
    resident += vector[i] & 1;
  return resident;
}

static long minor_faults(void) {
  struct rusage usage;
  ck_assert_int_eq(getrusage(RUSAGE_SELF, &usage), 0);
  return usage.ru_minflt;
}

START_TEST(every_page_under_the_range_becomes_resident_unchanged) {
  size_t page = page_size();
  unsigned char *memory = fresh_pages(8);
  memory[2 * page + 7] = 42; /* one page written before */
  /* from the end of page 0 to the start of page 5: pages 0 to 5 */
  cb_prefault(memory + page - 10, 4 * page + 20);
  ck_assert_uint_eq(resident_pages(memory, 6), 6);
  ck_assert_uint_eq(resident_pages(memory + 6 * page, 2), 0);
  for (size_t i = 0; i < 8 * page; ++i)
    ck_assert_uint_eq(memory[i], i == 2 * page + 7 ? 42 : 0);
  munmap(memory, 8 * page);
}
END_TEST

START_TEST(each_page_faults_once) {
  unsigned char *memory = fresh_pages(PAGES);
  long before = minor_faults();
  cb_prefault(memory, PAGES * page_size());
  long faults = minor_faults() - before;
  ck_assert_uint_eq(resident_pages(memory, PAGES), PAGES);
  /* a few more for the first call's probe and the stack */
  ck_assert_int_le(faults, PAGES + 16);
  munmap(memory, PAGES * page_size());
}
END_TEST

START_TEST(nothing_to_do_for_an_empty_range) {
  cb_prefault(NULL, 4096);
  unsigned char *memory = fresh_pages(1);
  cb_prefault(memory, 0);
  ck_assert_uint_eq(resident_pages(memory, 1), 0);
  munmap(memory, page_size());
}
END_TEST

int main(void) {
  Suite *s = suite_create("prefault");
  TCase *tc = tcase_create("prefault");
  tcase_add_test(tc, every_page_under_the_range_becomes_resident_unchanged);
  tcase_add_test(tc, each_page_faults_once);
  tcase_add_test(tc, nothing_to_do_for_an_empty_range);
  suite_add_tcase(s, tc);
  return check_run(s);
}
