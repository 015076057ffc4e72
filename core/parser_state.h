/*
 * parser_state.h - what the parser modules share while one input is parsed:
 * the state (current digest and paper, first failure, pending text) and the
 * node builders that record an allocation failure in it instead of
 * returning one, so the block code reads straight through.
 *
 * Internal to the parser (core/parser*.c); nothing here reaches plugins.
 */
#ifndef DCONV_CORE_PARSER_STATE_H
#define DCONV_CORE_PARSER_STATE_H

#include <stdint.h>

#include <cmark-gfm.h>

#include "buf.h"
#include "diag.h"
#include "tree.h"

/* Internal-only kind: a line break inside a paragraph, used to split
 * "Vote: 3\nAuthors: ..." paragraphs into lines. Never reaches plugins. */
#define DCONV_PARSE_BREAK 0x7fff0001u

typedef struct dconv_pstate {
  dconv_tree *doc;
  dconv_diag *diag;
  const char *file; /* arena-owned copy */
  struct dconv_node *digest, *paper;
  int has_vote, has_authors;
  int depth_warned;  /* list nesting clamped (warned once per input) */
  int emph_warned;   /* emphasis nesting clamped (warned once per input) */
  int rc;            /* first failure (DCONV_E_NOMEM) */
  cmark_mem *cmem;   /* cmark's allocator, for nodes the parser adds */
  int has_refs;      /* the text holds '&': cmark may decode references */
  dconv_buf pending; /* text waiting to become one TEXT node */
  struct dconv_node *pending_parent;
  uint32_t pending_line;
} dconv_pstate;

#define PARSE_WARN(ps, line, ...)                                              \
  dconv_diag_report((ps)->diag, DCONV_DIAG_WARNING, (ps)->file, (line),        \
                    __VA_ARGS__)
#define PARSE_ERROR(ps, line, ...)                                             \
  dconv_diag_report((ps)->diag, DCONV_DIAG_ERROR, (ps)->file, (line),          \
                    __VA_ARGS__)

/* Source line of a cmark node (0 when cmark does not know it). */
uint32_t dconv_pstate_line(cmark_node *n);

/* dconv_tree_add / _set_int / _set_str for the current input: a failure
 * sets ps->rc to DCONV_E_NOMEM (add then returns NULL, and the setters
 * ignore a NULL node, so a failed add needs no check of its own). The node
 * is owned by the tree. */
struct dconv_node *dconv_pstate_add(dconv_pstate *ps, struct dconv_node *parent,
                                    uint32_t kind, uint32_t line);
void dconv_pstate_set_int(dconv_pstate *ps, struct dconv_node *n, int slot,
                          int64_t v);
/* Stores clean text only (see the comment in parser_state.c). */
void dconv_pstate_set_str(dconv_pstate *ps, struct dconv_node *n, int slot,
                          const char *s, size_t len);

#endif
