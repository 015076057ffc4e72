/*
 * input.h - turning command-line inputs into clean UTF-8 text.
 *
 * Inputs are files, directories (their *.md and *.txt files, sorted by name,
 * not recursive) or "-" for standard input. Every text is checked before the
 * parser sees it: a BOM is dropped, NUL bytes mean binary data (rejected),
 * and invalid UTF-8, C0 control characters and U+FFFE/U+FFFF become U+FFFD
 * with one warning per line, so every writer can assume valid XML-safe text.
 */
#ifndef DCONV_CORE_INPUT_H
#define DCONV_CORE_INPUT_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef struct dconv_input_list {
  char **paths; /* owned strings; "-" means stdin */
  size_t n, cap;
} dconv_input_list;

/* Append `arg` (a file, a directory's digests, or "-"). Errors are reported
 * through diag with the path; returns 0, DCONV_E_IO or DCONV_E_NOMEM. */
int dconv_input_expand(dconv_input_list *list, const char *arg,
                       dconv_diag *diag);
void dconv_input_list_free(dconv_input_list *list);

/* Read the whole of `path` ("-" = stdin) into out (replacing its content).
 * Directories, FIFOs that fail and unreadable files are reported; returns 0
 * or a negative DCONV_E_* code. */
int dconv_input_read(const char *path, dconv_buf *out, dconv_diag *diag);

/* Check and clean text in place (may reallocate). `name` is used in
 * messages. Returns 0, DCONV_E_PARSE (empty or binary) or DCONV_E_NOMEM. */
int dconv_input_sanitize(const char *name, dconv_buf *text, dconv_diag *diag);

/* Length of the longest prefix of s[0..len) that is clean text: valid
 * UTF-8 without C0 controls (except tab, LF, CR) or U+FFFE/U+FFFF. */
size_t dconv_input_clean_prefix(const char *s, size_t len);
/* Append s[0..len) to out with every unclean byte replaced by U+FFFD.
 * Returns the number of replacements, or (size_t)-1 on allocation failure. */
size_t dconv_input_append_clean(dconv_buf *out, const char *s, size_t len);

#endif
