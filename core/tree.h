/*
 * tree.h - the canonical document: node storage, builders and accessors.
 *
 * A dconv_tree owns an arena holding every node and string. Nodes are built by
 * the parser or a reader plugin (dconv_tree_add), checked (dconv_tree_check),
 * possibly edited by filters, then only read; the accessors here are the
 * implementations behind the host services table in <dconv/plugin.h>.
 * Attribute keys come from one table, attrs.def.
 */
#ifndef DCONV_CORE_TREE_H
#define DCONV_CORE_TREE_H

#include <stddef.h>
#include <stdint.h>

#include <dconv/tree.h>

#include "arena.h"
#include "diag.h"

/* String attribute slots; a node uses the ones its kind documents. */
enum {
  DCONV_S_TITLE,
  DCONV_S_URL,
  DCONV_S_TEXT, /* TEXT/CODE literal, AUTHOR name */
  DCONV_S_ARXIV_ID,
  DCONV_S_ARXIV_VERSION,
  DCONV_S_DATE,
  DCONV_S_MEDIA_KIND,
  DCONV_S_MEDIA_URL,
  /* The input file a node came from (not an attribute: attrs.def has no
   * row for it). Held by every DIGEST and PAPER, and by a node whose
   * parent chain names another file; other nodes find it through their
   * parents (dconv_tree_file). Arena-owned, not copied per node. */
  DCONV_S_FILE,
  DCONV_S_COUNT
};

/* Integer attribute slots; presence is tracked in `has_int`. Grouped by
 * the kind carrying them, lowest first, because a node's ivals array is
 * only as long as its kind needs (dconv_tree_int_slots): an ITEM, the most
 * common node after TEXT and AUTHOR, holds 3 slots instead of 9. */
enum {
  DCONV_I_DEPTH,   /* ITEM */
  DCONV_I_ORDERED, /* ITEM */
  DCONV_I_NUMBER,  /* ITEM */
  DCONV_I_IMAGE,   /* LINK written as an image ![]() */
  DCONV_I_VOTES,   /* PAPER */
  DCONV_I_ELIDED,  /* PAPER */
  DCONV_I_ELIDED_AT, /* PAPER */
  DCONV_I_DIGESTS, /* COLLECTION only */
  DCONV_I_PAPERS,  /* COLLECTION only */
  DCONV_I_COUNT
};

/* Length of the ivals array of a node, by kind: one past the highest
 * DCONV_I_* slot that attrs.def gives the kind (unit-tree checks the two
 * agree); 0 for kinds without integers and for kinds beyond the table. */
#define DCONV_TREE_KINDS (DCONV_NODE_LINK + 1u) /* the kinds the host knows */
extern const uint8_t dconv_tree_int_slots[DCONV_TREE_KINDS];
static inline unsigned dconv_tree_int_len(uint32_t kind) {
  return kind < DCONV_TREE_KINDS ? dconv_tree_int_slots[kind] : 0;
}

/* 72 bytes: most nodes are TEXT/CODE/AUTHOR, which need only `text`; the
 * other string and integer slots live in arrays allocated (from the arena)
 * the first time a node sets one, so memory stays a small multiple of the
 * input however inline-dense it is. The file name is one of those slots,
 * kept where the parents do not already give it. */
struct dconv_node {
  uint32_t kind;
  uint32_t line;
  struct dconv_node *parent, *first, *last, *next;
  const char *text;  /* DCONV_S_TEXT: TEXT/CODE literal, AUTHOR name */
  const char **strs; /* other DCONV_S_* slots, or NULL */
  int64_t *ivals;    /* DCONV_I_* slots, or NULL */
  uint32_t has_int;  /* bit i set = ivals[i] present */
  uint32_t n_children;
};

/* The input file of n: its own DCONV_S_FILE or its nearest parent's;
 * NULL when none names one (a detached scratch node). Borrowed from the
 * tree. */
const char *dconv_tree_file(const struct dconv_node *n);

/* Slot readers for core code (plugins use dconv_node_str/int). */
static inline const char *dconv_tree_str(const struct dconv_node *n, int slot) {
  if (slot == DCONV_S_TEXT)
    return n->text;
  return n->strs ? n->strs[slot] : NULL;
}
static inline int dconv_tree_has_int(const struct dconv_node *n, int slot) {
  return (n->has_int >> slot) & 1u;
}
static inline int64_t dconv_tree_int(const struct dconv_node *n, int slot) {
  return dconv_tree_has_int(n, slot) ? n->ivals[slot] : 0;
}
static inline void dconv_tree_clear_int(struct dconv_node *n, int slot) {
  n->has_int &= ~(1u << slot);
}

/* ------------------------------------------------ the attribute table */

#define DCONV_ATTR_KIND(k) (1u << (k))
#define DCONV_ATTR_COMPUTED 0x1u /* set by the host (counts), not plugins */

/* One row of attrs.def. */
typedef struct dconv_attr_def {
  const char *key;   /* the DCONV_ATTR_* string */
  uint32_t type;     /* DCONV_VALUE_STR or DCONV_VALUE_INT */
  int slot;          /* DCONV_S_* or DCONV_I_* */
  uint32_t kinds;    /* DCONV_ATTR_KIND() mask of the kinds carrying it */
  uint32_t flags;    /* DCONV_ATTR_COMPUTED */
  const char *doc;   /* one line for the manual */
} dconv_attr_def;

extern const dconv_attr_def dconv_attr_table[];
extern const size_t dconv_attr_count;

/* The row for `key` on a node of `kind`. With `exact` 0, a key the kind
 * does not carry still finds its row (ABI 1.0 lookups ignored the kind);
 * with `exact` 1 (builders) it does not. NULL when nothing matches. */
const dconv_attr_def *dconv_attr_find(uint32_t kind, const char *key,
                                      int exact);

typedef struct dconv_tree {
  dconv_arena arena;
  struct dconv_node *root; /* the COLLECTION */
} dconv_tree;

/* Create an empty collection. Returns NULL on allocation failure; free with
 * dconv_tree_free. */
dconv_tree *dconv_tree_new(void);
void dconv_tree_free(dconv_tree *doc);

/* Append a new child of `kind` to parent (NULL parent = detached). The node
 * is owned by the doc. Returns NULL on allocation failure. */
struct dconv_node *dconv_tree_add(dconv_tree *doc, struct dconv_node *parent,
                                 uint32_t kind, const char *file,
                                 uint32_t line);
/* Set a string slot to a copy of s[0..len). Returns 0 or DCONV_E_NOMEM. */
int dconv_tree_set_str(dconv_tree *doc, struct dconv_node *n, int slot,
                      const char *s, size_t len);
/* Set an integer slot. Returns 0 or DCONV_E_NOMEM. */
int dconv_tree_set_int(dconv_tree *doc, struct dconv_node *n, int slot,
                      int64_t v);
/* Remove attribute `a` from n (no-op when absent). */
void dconv_tree_unset(struct dconv_node *n, const dconv_attr_def *a);
void dconv_tree_unlink(struct dconv_node *n);
void dconv_tree_append(struct dconv_node *parent, struct dconv_node *child);
/* Insert the detached `child` under parent before `before` (a child of
 * parent; NULL = append). */
void dconv_tree_insert(struct dconv_node *parent, struct dconv_node *child,
                       struct dconv_node *before);

/* Sort digests by date (stable) and warn about arXiv ids seen twice, then
 * count (dconv_tree_recount). Returns 0 or DCONV_E_NOMEM. */
int dconv_tree_finish(dconv_tree *doc, dconv_diag *diag);
/* Set the collection's computed "digests" and "papers" counts. Returns 0
 * or DCONV_E_NOMEM. */
int dconv_tree_recount(dconv_tree *doc);


/* Accessors (see dconv/tree.h for keys). */
uint32_t dconv_node_kind(const dconv_node *n);
const dconv_node *dconv_node_parent(const dconv_node *n);
const dconv_node *dconv_node_first_child(const dconv_node *n);
const dconv_node *dconv_node_next(const dconv_node *n);
const char *dconv_node_str(const dconv_node *n, const char *key);
/* Next attribute present on n in table order (host->node_attr_next). */
int dconv_node_attr_next(const dconv_node *n, uint32_t *cursor,
                         const char **key, uint32_t *type);
int dconv_node_int(const dconv_node *n, const char *key, int64_t *out);
void dconv_node_source(const dconv_node *n, const char **file, uint32_t *line);
/* Flattened inline text; caller frees with free(). NULL on ENOMEM. */
char *dconv_node_flatten(const dconv_node *n, size_t *len);

dconv_iter *dconv_iter_new(const dconv_node *root);
int dconv_iter_next(dconv_iter *it, const dconv_node **node);
/* After ENTER: the next event is the node's EXIT (host->iter_skip). */
void dconv_iter_skip(dconv_iter *it);
void dconv_iter_free(dconv_iter *it);

#endif
