/*
 * test_diag.c - the diagnostics printer against hand-written expectations:
 * terminal safety of file names and messages (a plugin's too), the length
 * cap, and the folding of repeated warnings (issues 13 and 14).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static int failures;

#define CHECK_STR(got, want)                                                   \
  do {                                                                         \
    if (strcmp((got), (want)) != 0) {                                          \
      fprintf(stderr, "%s:%d: expected\n%s\ngot\n%s\n", __FILE__, __LINE__,   \
              (want), (got));                                                  \
      failures++;                                                              \
    }                                                                          \
  } while (0)

/* A diag writing into memory; take() returns what it printed (caller frees)
 * and starts a new capture. */
static char *buf;
static size_t len;
static dconv_diag d;

static void start(int verbose, int quiet) {
  dconv_diag_init(&d);
  d.verbose = verbose;
  d.quiet = quiet;
  d.out = open_memstream(&buf, &len);
}

static char *take(void) {
  fclose(d.out);
  char *s = buf;
  d.out = open_memstream(&buf, &len);
  return s;
}

static void stop(void) {
  free(take());
  fclose(d.out);
  free(buf);
}

static void from_plugin(const char *suffix, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  dconv_diag_vreport_from(&d, DCONV_DIAG_WARNING, NULL, 0, suffix, fmt, ap);
  va_end(ap);
}

static void test_safety(void) {
  start(0, 0);
  /* ESC, CSI as C1 (U+009B), a bidi override, a stray byte, a tab. */
  dconv_diag_report(&d, DCONV_DIAG_ERROR, "a\x1b[31mred\xc2\x9b\xe2\x80\xae.md",
                    2, "bad \xff byte\tand %s", "\x1b]0;title\x07");
  char *s = take();
  CHECK_STR(s, "a\\x1b[31mred\\u009b\\u202e.md:2: error: bad \\xff byte\\x09"
               "and \\x1b]0;title\\x07\n");
  free(s);
  /* Valid UTF-8 passes; overlong, surrogate and truncated forms do not. */
  dconv_diag_report(&d, DCONV_DIAG_ERROR, "\xed\x95\x9c.md", 0,
                    "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82");
  s = take();
  CHECK_STR(s, "\xed\x95\x9c.md: error: \\xc0\\xaf \\xed\\xa0\\x80 "
               "\\xf4\\x90\\x80\\x80 \\xe2\\x82\n");
  free(s);
  /* A plugin's message: escapes shown, cut at 1000 bytes before a whole
   * character, the suffix (format name) kept. */
  char big[1200];
  memset(big, 'x', 999);
  memcpy(big + 999, "\xed\x95\x9c", 3); /* straddles byte 1000 */
  big[1002] = '\0';
  from_plugin("json", "%s", big);
  s = take();
  char want[1100];
  snprintf(want, sizeof want, "dconv: warning: %.999s\xe2\x80\xa6 (json)\n",
           big);
  CHECK_STR(s, want);
  free(s);
  from_plugin("j\x1bson", "\x1b[2J%s", "wiped");
  s = take();
  CHECK_STR(s, "dconv: warning: \\x1b[2Jwiped (j\\x1bson)\n");
  free(s);
  stop();
}

static void test_repetition(void) {
  start(0, 0);
  for (unsigned l = 1; l <= 5; l++)
    dconv_diag_report(&d, DCONV_DIAG_WARNING, "a.md", l, "no vote");
  dconv_diag_report(&d, DCONV_DIAG_WARNING, "a.md", 9, "bad %s", "x");
  dconv_diag_report(&d, DCONV_DIAG_ERROR, "a.md", 10, "never held back");
  /* File b: the summary of a comes first. */
  for (unsigned l = 1; l <= 4; l++)
    dconv_diag_report(&d, DCONV_DIAG_WARNING, "b.md", l, "no vote");
  /* Files c, d: 'no vote' was shown in 2 files; c is the third, d is held. */
  dconv_diag_report(&d, DCONV_DIAG_WARNING, "c.md", 7, "no vote");
  dconv_diag_report(&d, DCONV_DIAG_WARNING, "d.md", 1, "no vote");
  dconv_diag_report(&d, DCONV_DIAG_WARNING, "d.md", 2, "no vote");
  dconv_diag_report(&d, DCONV_DIAG_WARNING, "e.md", 3, "no vote");
  dconv_diag_summarize(&d);
  char *s = take();
  CHECK_STR(s, "a.md:1: warning: no vote\n"
               "a.md:2: warning: no vote\n"
               "a.md:3: warning: no vote\n"
               "a.md:9: warning: bad x\n"
               "a.md:10: error: never held back\n"
               "a.md: warning: 2 more like line 1: no vote (-v shows all)\n"
               "b.md:1: warning: no vote\n"
               "b.md:2: warning: no vote\n"
               "b.md:3: warning: no vote\n"
               "b.md: warning: 1 more like line 1: no vote (-v shows all)\n"
               "c.md:7: warning: no vote\n"
               "dconv: warning: 3 more in 2 more files: no vote (-v shows "
               "all)\n");
  free(s);
  if (d.warnings != 14)
    fprintf(stderr, "warnings: %lu, expected 14\n", d.warnings), failures++;
  /* --check's count per kind, most frequent first, conversions as "…". */
  dconv_diag_report(&d, DCONV_DIAG_WARNING, "f.md", 1, "vote '%.*s' is %d%%",
                    2, "abc", 5);
  free(take());
  dconv_diag_print_kinds(&d, d.out);
  s = take();
  CHECK_STR(s, "      13  no vote\n"
               "       1  bad \xe2\x80\xa6\n"
               "       1  vote '\xe2\x80\xa6' is \xe2\x80\xa6%\n");
  free(s);
  stop();

  /* -v: everything, no summary. -q: nothing, still counted. */
  start(1, 0);
  for (unsigned l = 1; l <= 5; l++)
    dconv_diag_report(&d, DCONV_DIAG_WARNING, "a.md", l, "no vote");
  dconv_diag_summarize(&d);
  s = take();
  CHECK_STR(s, "a.md:1: warning: no vote\na.md:2: warning: no vote\n"
               "a.md:3: warning: no vote\na.md:4: warning: no vote\n"
               "a.md:5: warning: no vote\n");
  free(s);
  stop();
  start(0, 1);
  for (unsigned l = 1; l <= 5; l++)
    dconv_diag_report(&d, DCONV_DIAG_WARNING, "a.md", l, "no vote");
  dconv_diag_summarize(&d);
  s = take();
  CHECK_STR(s, "");
  free(s);
  if (d.warnings != 5)
    fprintf(stderr, "-q warnings: %lu, expected 5\n", d.warnings), failures++;
  stop();
}

int main(void) {
  test_safety();
  test_repetition();
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
