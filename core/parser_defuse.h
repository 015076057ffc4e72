/*
 * parser_defuse.h - keeps cmark-gfm linear: the input classes on which
 * cmark-gfm 0.29 spends superlinear time are rewritten (their markers
 * escaped, kept as text) with a warning before cmark sees them.
 * Internal to the parser (core/parser*.c).
 */
#ifndef DCONV_CORE_PARSER_DEFUSE_H
#define DCONV_CORE_PARSER_DEFUSE_H

#include <stddef.h>

#include "buf.h"
#include "parser_state.h"

/* Returns the text cmark should see: `text` itself, or a defused copy held
 * in *copy (owned by the caller, who frees it with dconv_buf_free); *len is
 * updated to the returned text's length. */
const char *dconv_defuse_text(dconv_pstate *ps, const char *text, size_t *len,
                              dconv_buf *copy);

#endif
