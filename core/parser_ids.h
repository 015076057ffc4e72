/*
 * parser_ids.h - the identifiers a digest carries: calendar dates of digest
 * headers and arXiv ids of title links. Pure functions, no allocation.
 */
#ifndef DCONV_CORE_PARSER_IDS_H
#define DCONV_CORE_PARSER_IDS_H

#include <stddef.h>

/* Split an arXiv id and version out of a URL ("https://arxiv.org/abs/
 * 2403.17887v2" -> "2403.17887", "2"). Returns 1 when found; the results
 * are written into the caller's buffers: id (64 bytes: an old-style id is
 * at most 32 + 1 + 7 bytes) and version (16 bytes: at most 8 digits). */
int dconv_parse_arxiv_url(const char *url, char id[64], char version[16]);

/* Validate a "YYYY-M-D" style token at s; writes "YYYY-MM-DD" to out.
 * Returns 1 for a real calendar date, 0 for an impossible one, -1 when s is
 * not date-shaped. *consumed gets the token length. */
int dconv_parse_date(const char *s, char out[11], size_t *consumed);

#endif
