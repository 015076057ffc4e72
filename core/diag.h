/*
 * diag.h - diagnostics in the compiler style "file:line: warning: message".
 *
 * One dconv_diag per run collects counts and applies -q / --strict. Messages
 * go to stderr as they happen so a user sees them even if the run fails.
 *
 * Everything printed is made safe for a terminal: file names and messages
 * come from the file system, the input and plugins, so control characters,
 * escape sequences, bidirectional overrides and invalid UTF-8 are shown as
 * `\xNN` / `\uNNNN` (see dconv_diag_fputs_safe), and a message is cut at
 * DCONV_DIAG_MAX_MESSAGE bytes with "…".
 *
 * Repeated warnings: the same warning (same format string, so no call site
 * has to say what "the same" means) is printed the first DCONV_DIAG_REPEAT
 * times per input file, and the rest of that file's are summed up in one
 * line when its diagnostics end (another file reports, or
 * dconv_diag_summarize):
 *   f.md:3: warning: paper has no 'Vote:' line; votes unknown
 *   ... (two more)
 *   f.md: warning: 9 more like line 3: paper has no 'Vote:' line; votes ...
 * Once a warning was shown so in DCONV_DIAG_REPEAT files, later files only
 * count it, and dconv_diag_summarize prints one line for all of them:
 *   dconv: warning: 120 more in 40 more files: paper has no 'Vote:' ...
 * -v prints every one. Errors are never held back.
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

#define DCONV_DIAG_REPEAT 3         /* same warning printed per file */
#define DCONV_DIAG_MAX_MESSAGE 1000 /* bytes of one message, then "…" */
#define DCONV_DIAG_KINDS 64         /* distinct warnings told apart */
#define DCONV_DIAG_KEY 128          /* bytes of a format string compared */

/* One kind of warning: every warning reported with the same format string.
 * The key is a copy, because a plugin's format string lives in a module that
 * may be unloaded before the run ends. */
typedef struct dconv_diag_kind {
  char key[DCONV_DIAG_KEY];
  unsigned long total;   /* whole run */
  unsigned long in_file; /* in the current file */
  uint32_t first_line;   /* its first line in the current file */
  unsigned long files;   /* files it was reported in */
  unsigned long held, held_files; /* held back since the last summary */
} dconv_diag_kind;

typedef struct dconv_diag {
  FILE *out;       /* stderr unless a test redirects it */
  int quiet;       /* -q: drop warnings and notes (errors still print) */
  int verbose;     /* -v: print notes, and every repeated warning */
  int strict;      /* --strict: warnings count as errors */
  unsigned long warnings, errors;
  /* Repetition bookkeeping (private to diag.c). Fixed-size so a dconv_diag
   * needs no freeing and can be copied; kinds beyond DCONV_DIAG_KINDS are
   * counted as "other" and never held back. */
  dconv_diag_kind kinds[DCONV_DIAG_KINDS];
  unsigned n_kinds;
  unsigned long other; /* warnings of kinds that did not fit */
  char file[4096];     /* file of the last warning ("" = none) */
} dconv_diag;

void dconv_diag_init(dconv_diag *d);
/* Report one diagnostic. file may be NULL ("dconv"), line 0 = no line. */
void dconv_diag_report(dconv_diag *d, dconv_diag_level level, const char *file,
                       uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void dconv_diag_vreport(dconv_diag *d, dconv_diag_level level,
                        const char *file, uint32_t line, const char *fmt,
                        va_list ap);
/* A message whose format string comes from a plugin: like
 * dconv_diag_vreport (sanitised and cut like every message, repetition keyed
 * on the plugin's fmt), with " (suffix)" appended when suffix is not NULL,
 * e.g. the format name. The host's h_log / h_warn_at use this. */
void dconv_diag_vreport_from(dconv_diag *d, dconv_diag_level level,
                             const char *file, uint32_t line,
                             const char *suffix, const char *fmt, va_list ap);
/* Print the summary lines of the warnings held back: the current file's
 * "N more like line L" and the run's "N more in M more files". Call when all
 * input is parsed and when the writer is done. */
void dconv_diag_summarize(dconv_diag *d);
/* Print the warning count per kind, most frequent first, one line each
 * ("  120  paper has no 'Vote:' line; votes unknown"); nothing when there
 * were no warnings. */
void dconv_diag_print_kinds(const dconv_diag *d, FILE *f);
/* Write s to f with control characters, escape sequences, bidirectional
 * controls and invalid UTF-8 made visible as \xNN or \uNNNN. */
void dconv_diag_fputs_safe(const char *s, FILE *f);
/* True when the run must fail: any error, or any warning under --strict. */
int dconv_diag_failed(const dconv_diag *d);

#endif
