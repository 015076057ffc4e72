/*
 * parser_inline.h - cmark inline nodes -> our inline nodes (TEXT, CODE,
 * EMPH, STRONG, LINK), with adjacent text merged into one TEXT node.
 *
 * Internal to the parser (core/parser*.c). Text is collected in
 * ps->pending and becomes a node at the next flush, so callers that add
 * nodes of their own between pushes flush first.
 */
#ifndef DCONV_CORE_PARSER_INLINE_H
#define DCONV_CORE_PARSER_INLINE_H

#include <cmark-gfm.h>

#include "buf.h"
#include "parser_state.h"

/* Turn the pending text, if any, into a TEXT node. */
void dconv_inline_flush(dconv_pstate *ps);

/* Append s to the text pending for `parent` (flushing text pending for
 * another parent first). */
void dconv_inline_push(dconv_pstate *ps, struct dconv_node *parent,
                       const char *s, uint32_t line);

/* Convert the inline children of cmark block `block` into children of
 * `parent`. Line breaks become DCONV_PARSE_BREAK markers when `breaks` is
 * set (top level only), else a space. */
void dconv_inline_convert(dconv_pstate *ps, cmark_node *block,
                          struct dconv_node *parent, int breaks);

/* Append the plain text of our inline nodes [first, stop) to out. */
void dconv_inline_flatten_range(dconv_pstate *ps, struct dconv_node *first,
                                struct dconv_node *stop, dconv_buf *out);

#endif
