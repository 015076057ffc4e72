/*
 * check.h - holding a tree built or edited by a plugin to the promises the
 * digest parser keeps, so writers can rely on the same shape whoever made
 * the tree (a reader plugin, a filter, or the parser itself).
 */
#ifndef DCONV_CORE_CHECK_H
#define DCONV_CORE_CHECK_H

#include "diag.h"
#include "tree.h"

/* Check doc against the shape of <dconv/tree.h>: kinds under the right
 * parents, a valid date on every digest (normalised to YYYY-MM-DD as the
 * parser does), required attributes present, where the parser has a
 * default it is filled in (digest title "Daily Papers", item depth and
 * ordered 0, empty text and url), summary depth clamped to
 * DCONV_PARSE_MAX_DEPTH with a warning. Every problem is reported at the
 * node's file:line. Returns 0, DCONV_E_PARSE (errors reported) or
 * DCONV_E_NOMEM. */
int dconv_check_tree(dconv_tree *doc, dconv_diag *diag);

#endif
