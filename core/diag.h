/*
 * diag.h - diagnostics in the compiler style "file:line: warning: message".
 *
 * One dconv_diag per run collects counts and applies -q / --strict. Messages
 * go to stderr as they happen so a user sees them even if the run fails.
 */
#ifndef DCONV_CORE_DIAG_H
#define DCONV_CORE_DIAG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
  DCONV_DIAG_ERROR,
  DCONV_DIAG_WARNING,
  DCONV_DIAG_NOTE,  /* only with -v */
  DCONV_DIAG_PLUGIN /* plugin rejection: printed as a warning unless -q, but
                       not counted (a broken plugin elsewhere must not fail
                       --strict conversions) */
} dconv_diag_level;

typedef struct dconv_diag {
  FILE *out;       /* stderr unless a test redirects it */
  int quiet;       /* -q: drop warnings and notes (errors still print) */
  int verbose;     /* -v: print notes */
  int strict;      /* --strict: warnings count as errors */
  unsigned long warnings, errors;
} dconv_diag;

void dconv_diag_init(dconv_diag *d);
/* Report one diagnostic. file may be NULL ("dconv"), line 0 = no line. */
void dconv_diag_report(dconv_diag *d, dconv_diag_level level, const char *file,
                       uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void dconv_diag_vreport(dconv_diag *d, dconv_diag_level level,
                        const char *file, uint32_t line, const char *fmt,
                        va_list ap);
/* True when the run must fail: any error, or any warning under --strict. */
int dconv_diag_failed(const dconv_diag *d);

#endif
