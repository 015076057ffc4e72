/*
 * parser_url.h - every URL the parser stores is a valid absolute URL.
 *
 * Two jobs, both on cmark-gfm's AST before the digest is interpreted:
 *
 *  - autolinks end where a URL cannot go on. cmark-gfm's autolink
 *    extension runs a bare URL up to the next space, so in Korean text
 *    "페이지(https://ziplora.github.io)에서" becomes a link to
 *    "https://ziplora.github.io)에서". A non-ASCII character directly after
 *    the ASCII part, or a ')' whose '(' lies before the URL, ends it; the
 *    rest goes back to the text after the link.
 *  - every link and image URL is normalised (dconv_purl_normalize): root-
 *    relative URLs ("/avatars/x.svg", what the Hugging Face site writes)
 *    are resolved against https://huggingface.co, the rest is checked and
 *    percent-encoded; a link whose URL cannot be made valid is kept as its
 *    text, with a warning.
 *
 * Internal to the parser (core/parser*.c).
 */
#ifndef DCONV_CORE_PARSER_URL_H
#define DCONV_CORE_PARSER_URL_H

#include <stddef.h>

#include <cmark-gfm.h>

#include "buf.h"
#include "parser_state.h"

/* The site root-relative URLs of digests point into. */
#define DCONV_PURL_BASE "https://huggingface.co"

/* Append the normalised form of url[0..len) to out. Returns 1 (valid; out
 * holds it), 0 (not a valid absolute URL and not root-relative; out is left
 * as it was) or DCONV_E_NOMEM. The check follows the WHATWG URL standard
 * (as epubcheck applies it), more strictly where that is simpler: a scheme;
 * for http(s), ftp and ws(s) "//", a host of ASCII letters, digits, '-',
 * '_' and '.' (or a dotted IPv4 / bracketed IPv6 address) and a numeric
 * port; scheme and host lower-cased; spaces, controls, non-ASCII and
 * " < > \ ^ ` { | } percent-encoded, as is a '%' without two hex digits
 * and every '#' after the first. Internationalised host names are refused
 * (no IDNA table in the core). */
int dconv_purl_normalize(const char *url, size_t len, dconv_buf *out);

/* The AST pass: cut autolinks, normalise or unwrap every link and image
 * below root. Failures set ps->rc. */
void dconv_purl_fix_ast(dconv_pstate *ps, cmark_node *root);

#endif
