/*
 * unit.h - the checks shared by the C unit tests in tests/unit/.
 *
 * A failed check prints "file:line: ..." and counts; the test goes on, so
 * one run lists every broken case. unit_finish() turns the count into the
 * exit status meson reads. Header-only: each test is one executable.
 */
#ifndef DCONV_TESTS_UNIT_H
#define DCONV_TESTS_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int unit_failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      unit_failures++;                                                         \
    }                                                                          \
  } while (0)

/* Two C strings, either of which may be NULL (NULL equals only NULL). */
#define CHECK_STR(got, want)                                                   \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0)) {         \
      fprintf(stderr, "%s:%d: %s: expected \"%s\", got \"%s\"\n", __FILE__,    \
              __LINE__, #got, w_ ? w_ : "(null)", g_ ? g_ : "(null)");         \
      unit_failures++;                                                         \
    }                                                                          \
  } while (0)

#define CHECK_INT(got, want)                                                   \
  do {                                                                         \
    int64_t g_ = (int64_t)(got), w_ = (int64_t)(want);                         \
    if (g_ != w_) {                                                            \
      fprintf(stderr, "%s:%d: %s: expected %" PRId64 ", got %" PRId64 "\n",    \
              __FILE__, __LINE__, #got, w_, g_);                               \
      unit_failures++;                                                         \
    }                                                                          \
  } while (0)

/* Exit status for main(): 0 when every check passed. */
static inline int unit_finish(const char *what) {
  if (unit_failures) {
    fprintf(stderr, "%d %s check(s) failed\n", unit_failures, what);
    return 1;
  }
  printf("all %s checks passed\n", what);
  return 0;
}

#endif
