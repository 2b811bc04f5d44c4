/* prog_query runs on the audio thread: this test replaces malloc, calloc,
   realloc and free with counting versions (forwarding to glibc) and proves
   that querying every example program, and a transform-heavy one, allocates
   nothing. Skipped under AddressSanitizer, which owns malloc. */
#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CB_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CB_UNDER_ASAN 1
#endif

#ifndef CB_UNDER_ASAN
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

static volatile int counting;
static volatile long allocator_calls;

void *malloc(size_t size) {
  if (counting)
    allocator_calls++;
  return __libc_malloc(size);
}
void *calloc(size_t count, size_t size) {
  if (counting)
    allocator_calls++;
  return __libc_calloc(count, size);
}
void *realloc(void *p, size_t size) {
  if (counting)
    allocator_calls++;
  return __libc_realloc(p, size);
}
void free(void *p) {
  if (counting && p)
    allocator_calls++;
  __libc_free(p);
}
#endif

#include "test_program_util.h"

#ifndef CB_UNDER_ASAN

static const char *const programs[] = {"examples/acid.cb", "examples/chords.cb", "examples/poly.cb",
                                       "examples/q.cb",    "examples/stress.cb", NULL};

static const char *const heavy =
    "~x $ saw # lpf (fast \"<3 19>\" $ \"800 <300 500>\") # env 0.01 0.1\n"
    "~y $ square # lpf \\cutoff \\res\n"
    "d1 $ every 3 (fast 2) $ jux rev $ off 0.125 (# note 67) $ s \"~x(5,8) ~y*3?\" "
    "# note \"c4'min7 e4'maj\" # lpf (range 200 2000 sine) # hpf 100 # gain \"0.5 0.8\"\n"
    "d2 $ sometimes (# pan 0.2) $ echo 3 0.125 0.6 $ note \"[c3 e3]*4\" # s \"~y\" # n 12\n"
    "d3 $ s \"~x*100000\"\n";

static long count_query_allocations(const prog_program *p) {
  pat_arena arena;
  pat_arena_init(&arena, test_arena_memory, sizeof test_arena_memory);
  size_t dropped, total = 0;
  counting = 1;
  long before = allocator_calls;
  for (int step = 0; step < 64; ++step) {
    pat_arena_reset(&arena);
    pat_rat begin = pat_rat_make(step, 8, NULL), end = pat_rat_make(step + 1, 8, NULL);
    total += prog_query(p, (pat_arc){begin, end}, test_macros, &arena, test_triggers, TEST_TRIGGERS,
                        &dropped);
  }
  long calls = allocator_calls - before;
  counting = 0;
  ck_assert_int_gt((int)total, 0);
  return calls;
}

START_TEST(the_counting_allocator_sees_allocations) {
  void *(*volatile alloc)(size_t) = malloc;
  void (*volatile release)(void *) = free;
  counting = 1;
  long before = allocator_calls;
  release(alloc(16));
  long calls = allocator_calls - before;
  counting = 0;
  ck_assert_int_eq((int)calls, 2);
}
END_TEST

START_TEST(prog_query_allocates_nothing) {
  for (int i = 0; programs[i]; ++i) {
    char *text = read_repo_file(programs[i]);
    ck_assert_msg(text != NULL, "cannot read %s", programs[i]);
    prog_program *p = compile_ok(text);
    free(text);
    ck_assert_msg(count_query_allocations(p) == 0, "%s allocated while querying", programs[i]);
    prog_free(p);
  }
  prog_program *p = compile_ok(heavy);
  ck_assert_msg(count_query_allocations(p) == 0, "the heavy program allocated while querying");
  prog_free(p);
}
END_TEST

int main(void) {
  Suite *suite = suite_create("program_alloc");
  TCase *tc = tcase_create("alloc");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, the_counting_allocator_sees_allocations);
  tcase_add_test(tc, prog_query_allocates_nothing);
  suite_add_tcase(suite, tc);
  return run_suite(suite);
}

#else

int main(void) {
  printf("SKIP: malloc interposition does not work under AddressSanitizer\n");
  return 77;
}

#endif
