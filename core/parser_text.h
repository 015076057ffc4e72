/*
 * parser_text.h - small text helpers of the parser: trimming, plain text of
 * a cmark subtree, and the "Label:" matcher of paper lines.
 *
 * Internal to the parser (core/parser*.c). Pure functions of their
 * arguments, apart from dconv_ptext_flatten's output buffer.
 */
#ifndef DCONV_CORE_PARSER_TEXT_H
#define DCONV_CORE_PARSER_TEXT_H

#include <stddef.h>

#include <cmark-gfm.h>

#include "buf.h"

/* Trim ASCII whitespace and non-breaking spaces (U+00A0) at both ends of
 * s[0..*len), moving *s and shrinking *len. */
void dconv_ptext_trim(const char **s, size_t *len);

/* Append the plain text of a cmark subtree (breaks become spaces) to out.
 * Returns 0 or DCONV_E_NOMEM. */
int dconv_ptext_flatten(cmark_node *node, dconv_buf *out);

/* 1 when s[0..len) starts with `prefix`, ignoring ASCII case. */
int dconv_ptext_has_prefix_ci(const char *s, size_t len, const char *prefix);

/* If s starts with one of `labels` (NULL-terminated) followed by optional
 * spaces and ':' (or a fullwidth colon), return the offset just past the
 * colon, else 0. Labels are tried in order, so put longer ones first
 * ("Authors" before "Author"). */
size_t dconv_ptext_match_label(const char *s, size_t len,
                               const char *const *labels);

/* 1 when s (NULL allowed) is an HTML comment after leading whitespace. */
int dconv_ptext_is_comment(const char *s);

#endif
