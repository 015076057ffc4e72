/*
 * parser.h - digest Markdown -> canonical tree, on top of cmark-gfm's AST.
 *
 * cmark-gfm (with the autolink extension) does all Markdown parsing; this
 * module only interprets the resulting blocks as digests, papers, authors,
 * votes, media and summary items. It is lenient about the format drift real
 * digests show and reports every oddity as "file:line: warning: ...", so no
 * content is dropped silently.
 */
#ifndef DCONV_CORE_PARSER_H
#define DCONV_CORE_PARSER_H

#include <stddef.h>

#include "diag.h"
#include "tree.h"

/* Deepest summary-list nesting kept as such; deeper items are clamped to it
 * (with a warning) so no output format needs depth-proportional structure. */
#define DCONV_PARSE_MAX_DEPTH 16

/* Deepest emphasis (EMPH/STRONG) nesting kept as such; deeper emphasis is
 * kept as its text alone (with a warning), so a crafted digest cannot make
 * writers emit markup deeper than XML parsers accept by default (libxml2:
 * 256 levels) or the Markdown writer nest delimiters without end. Links
 * and images are always kept: they cannot nest in one another. */
#define DCONV_PARSE_MAX_EMPH_DEPTH 16

/* Parse one input text (valid UTF-8, see input.h) named `file` and append its
 * digests to doc. Returns 0, DCONV_E_PARSE (reported through diag) or
 * DCONV_E_NOMEM. */
int dconv_parse_digest(dconv_tree *doc, const char *file, const char *text,
                       size_t len, dconv_diag *diag);

#endif
