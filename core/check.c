#include "check.h"

#include <string.h>

#include "parser.h"
#include "parser_ids.h"

#define K DCONV_ATTR_KIND
#define INLINE                                                                 \
  (K(DCONV_NODE_TEXT) | K(DCONV_NODE_CODE) | K(DCONV_NODE_EMPH) |              \
   K(DCONV_NODE_STRONG) | K(DCONV_NODE_LINK))

/* Which kinds may be children of `parent` (a mask of DCONV_ATTR_KIND). */
static uint32_t allowed_children(uint32_t parent) {
  switch (parent) {
  case DCONV_NODE_COLLECTION:
    return K(DCONV_NODE_DIGEST);
  case DCONV_NODE_DIGEST:
    return K(DCONV_NODE_PAPER);
  case DCONV_NODE_PAPER:
    return K(DCONV_NODE_AUTHOR) | K(DCONV_NODE_ITEM);
  case DCONV_NODE_ITEM:
  case DCONV_NODE_EMPH:
  case DCONV_NODE_STRONG:
  case DCONV_NODE_LINK:
    return INLINE;
  default:
    return 0;
  }
}

static const char *kind_name(uint32_t k) {
  static const char *const names[] = {"NONE", "COLLECTION", "DIGEST", "PAPER",
                                      "AUTHOR", "ITEM", "TEXT", "CODE",
                                      "EMPH", "STRONG", "LINK"};
  return k < sizeof names / sizeof names[0] ? names[k] : "unknown node";
}

typedef struct {
  dconv_tree *doc;
  dconv_diag *diag;
  int errors, rc;
} checker;

#define ERR(c, n, ...)                                                         \
  (dconv_diag_report((c)->diag, DCONV_DIAG_ERROR, dconv_tree_file(n), (n)->line,        \
                     __VA_ARGS__),                                             \
   (c)->errors++)

static void default_str(checker *c, struct dconv_node *n, int slot,
                        const char *v) {
  if (!dconv_tree_str(n, slot) &&
      dconv_tree_set_str(c->doc, n, slot, v, strlen(v)))
    c->rc = DCONV_E_NOMEM;
}

static void default_int(checker *c, struct dconv_node *n, int slot,
                        int64_t v) {
  if (!dconv_tree_has_int(n, slot) && dconv_tree_set_int(c->doc, n, slot, v))
    c->rc = DCONV_E_NOMEM;
}

static void check_flag(checker *c, struct dconv_node *n, int slot,
                       const char *key) {
  if (dconv_tree_has_int(n, slot) && dconv_tree_int(n, slot) != 0 &&
      dconv_tree_int(n, slot) != 1)
    ERR(c, n, "%s is %lld; it must be 0 or 1", key,
        (long long)dconv_tree_int(n, slot));
}

static void check_digest(checker *c, struct dconv_node *n) {
  const char *date = dconv_tree_str(n, DCONV_S_DATE);
  char norm[11];
  size_t used = 0;
  if (!date) {
    ERR(c, n, "digest has no date");
  } else if (dconv_parse_date(date, norm, &used) != 1 ||
             used != strlen(date)) {
    ERR(c, n, "digest date '%s' is not a valid YYYY-MM-DD date", date);
  } else if (strcmp(norm, date) != 0 &&
             dconv_tree_set_str(c->doc, n, DCONV_S_DATE, norm, 10)) {
    c->rc = DCONV_E_NOMEM;
  }
  default_str(c, n, DCONV_S_TITLE, "Daily Papers");
}

static void check_paper(checker *c, struct dconv_node *n) {
  const char *title = dconv_tree_str(n, DCONV_S_TITLE);
  if (!title || !*title)
    dconv_diag_report(c->diag, DCONV_DIAG_WARNING, dconv_tree_file(n), n->line,
                      "paper has an empty title");
  default_str(c, n, DCONV_S_TITLE, "");
  if (dconv_tree_has_int(n, DCONV_I_VOTES) &&
      dconv_tree_int(n, DCONV_I_VOTES) < 0)
    ERR(c, n, "votes is %lld; it must be >= 0 (or absent when unknown)",
        (long long)dconv_tree_int(n, DCONV_I_VOTES));
  const char *mk = dconv_tree_str(n, DCONV_S_MEDIA_KIND);
  const char *mu = dconv_tree_str(n, DCONV_S_MEDIA_URL);
  if (mk && strcmp(mk, "image") != 0 && strcmp(mk, "video") != 0)
    ERR(c, n, "media_kind '%s' is neither \"image\" nor \"video\"", mk);
  if (!mk != !mu)
    ERR(c, n, "media_kind and media_url go together; only %s is set",
        mk ? "media_kind" : "media_url");
  check_flag(c, n, DCONV_I_ELIDED, "authors_elided");
  if (dconv_tree_has_int(n, DCONV_I_ELIDED_AT)) {
    int64_t at = dconv_tree_int(n, DCONV_I_ELIDED_AT), authors = 0;
    for (struct dconv_node *a = n->first; a; a = a->next)
      authors += a->kind == DCONV_NODE_AUTHOR;
    if (at < 0 || at > authors)
      ERR(c, n, "authors_elided_at is %lld, outside 0..%lld", (long long)at,
          (long long)authors);
  }
}

static void check_item(checker *c, struct dconv_node *n) {
  default_int(c, n, DCONV_I_DEPTH, 0);
  default_int(c, n, DCONV_I_ORDERED, 0);
  int64_t d = dconv_tree_int(n, DCONV_I_DEPTH);
  if (d < 0) {
    ERR(c, n, "summary item depth %lld is negative", (long long)d);
  } else if (d > DCONV_PARSE_MAX_DEPTH) {
    dconv_diag_report(c->diag, DCONV_DIAG_WARNING, dconv_tree_file(n), n->line,
                      "summary nested %lld deep; kept at depth %d",
                      (long long)d, DCONV_PARSE_MAX_DEPTH);
    if (dconv_tree_set_int(c->doc, n, DCONV_I_DEPTH, DCONV_PARSE_MAX_DEPTH))
      c->rc = DCONV_E_NOMEM;
  }
  check_flag(c, n, DCONV_I_ORDERED, "ordered");
}

/* Checks of one node's own attributes; returns 0 to skip its subtree. */
static int check_node(checker *c, struct dconv_node *n) {
  uint32_t parent = n->parent ? n->parent->kind : DCONV_NODE_NONE;
  if (n->parent && !(allowed_children(parent) & K(n->kind))) {
    ERR(c, n, "a %s node cannot be a child of a %s node", kind_name(n->kind),
        kind_name(parent));
    return 0;
  }
  switch (n->kind) {
  case DCONV_NODE_DIGEST:
    check_digest(c, n);
    break;
  case DCONV_NODE_PAPER:
    check_paper(c, n);
    break;
  case DCONV_NODE_AUTHOR:
    if (!n->text || !*n->text)
      ERR(c, n, "author without a name");
    break;
  case DCONV_NODE_ITEM:
    check_item(c, n);
    break;
  case DCONV_NODE_TEXT:
  case DCONV_NODE_CODE:
    default_str(c, n, DCONV_S_TEXT, "");
    break;
  case DCONV_NODE_LINK:
    default_str(c, n, DCONV_S_URL, "");
    check_flag(c, n, DCONV_I_IMAGE, "image");
    break;
  default:
    break;
  }
  return 1;
}

int dconv_check_tree(dconv_tree *doc, dconv_diag *diag) {
  checker c = {doc, diag, 0, 0};
  struct dconv_node *root = doc->root;
  /* Pre-order walk on parent pointers: no recursion, so no depth limit. */
  struct dconv_node *n = root->first;
  while (n && !c.rc) {
    if (check_node(&c, n) && n->first) {
      n = n->first;
      continue;
    }
    while (n != root && !n->next)
      n = n->parent;
    n = n == root ? NULL : n->next;
  }
  if (c.rc)
    return c.rc;
  return c.errors ? DCONV_E_PARSE : 0;
}
