/*
 * parser_heading.h - the two headings of a digest: "## Daily Papers
 * (YYYY-MM-DD)" opens a digest, "### [Title](url)" opens a paper.
 * Internal to the parser (core/parser*.c).
 */
#ifndef DCONV_CORE_PARSER_HEADING_H
#define DCONV_CORE_PARSER_HEADING_H

#include <cmark-gfm.h>

#include "parser_state.h"

/* Returns 1 (a new digest is current), 0 (not a date header) or -1
 * (date-shaped but impossible: an error was reported). */
int dconv_heading_digest(dconv_pstate *ps, cmark_node *h);

/* The current digest is complete: a day with a header and no papers is
 * valid (real archives have such days) but said, with the header's line. */
void dconv_heading_digest_done(dconv_pstate *ps);

/* A new paper of the current digest, with its title, URL and arXiv id. */
void dconv_heading_paper(dconv_pstate *ps, cmark_node *h);

#endif
