/*
 * parser_fields.h - the fields of a paper written as paragraph lines under
 * its heading: votes, authors and media; any other line becomes a summary
 * item with a warning.
 *
 * Internal to the parser (core/parser*.c). All of it works on ps->paper.
 */
#ifndef DCONV_CORE_PARSER_FIELDS_H
#define DCONV_CORE_PARSER_FIELDS_H

#include <stddef.h>

#include <cmark-gfm.h>

#include "parser_state.h"

/* A paragraph of the current paper: one field (or summary item) a line. */
void dconv_fields_paragraph(dconv_pstate *ps, cmark_node *para);

/* Give the current paper its media, unless it has some: the first wins. */
void dconv_fields_set_media(dconv_pstate *ps, const char *kind, const char *url,
                            size_t len, uint32_t line);

/* The src="..." of a raw <video> or <source> tag in html, or NULL; the
 * result points into html, *len gets its length. */
const char *dconv_fields_video_src(const char *html, size_t *len);

/* Warn about what the current paper lacks and close it (ps->paper = NULL);
 * no-op without a current paper. */
void dconv_fields_finish(dconv_pstate *ps);

#endif
