#include "tree.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

dconv_tree *dconv_tree_new(void) {
  dconv_tree *doc = calloc(1, sizeof *doc);
  if (!doc)
    return NULL;
  doc->root = dconv_tree_add(doc, NULL, DCONV_NODE_COLLECTION, NULL, 0);
  if (!doc->root) {
    free(doc);
    return NULL;
  }
  return doc;
}

void dconv_tree_free(dconv_tree *doc) {
  if (!doc)
    return;
  dconv_arena_free(&doc->arena);
  free(doc);
}

void dconv_tree_append(struct dconv_node *parent, struct dconv_node *child) {
  child->parent = parent;
  child->next = NULL;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
  parent->n_children++;
}

void dconv_tree_insert(struct dconv_node *parent, struct dconv_node *child,
                       struct dconv_node *before) {
  if (!before) {
    dconv_tree_append(parent, child);
    return;
  }
  child->parent = parent;
  child->next = before;
  if (parent->first == before) {
    parent->first = child;
  } else {
    struct dconv_node *c = parent->first;
    while (c->next != before)
      c = c->next;
    c->next = child;
  }
  parent->n_children++;
}

void dconv_tree_unlink(struct dconv_node *n) {
  struct dconv_node *p = n->parent;
  if (!p)
    return;
  struct dconv_node *prev = NULL;
  for (struct dconv_node *c = p->first; c; prev = c, c = c->next) {
    if (c != n)
      continue;
    if (prev)
      prev->next = c->next;
    else
      p->first = c->next;
    if (p->last == c)
      p->last = prev;
    p->n_children--;
    break;
  }
  n->parent = n->next = NULL;
}

/* The nearest DCONV_S_FILE at n or above it, looking at `levels` nodes at
 * most; *deep (when given) is set when the search stopped before the top
 * of the tree, having found none. */
static const char *file_above(const struct dconv_node *n, size_t levels,
                              int *deep) {
  for (; n; n = n->parent) {
    if (n->strs && n->strs[DCONV_S_FILE])
      return n->strs[DCONV_S_FILE];
    if (levels-- == 0) {
      if (deep)
        *deep = 1;
      return NULL;
    }
  }
  return NULL;
}

struct dconv_node *dconv_tree_add(dconv_tree *doc, struct dconv_node *parent,
                                 uint32_t kind, const char *file,
                                 uint32_t line) {
  struct dconv_node *n = dconv_arena_alloc(&doc->arena, sizeof *n,
                                             _Alignof(struct dconv_node));
  if (!n)
    return NULL;
  n->kind = kind;
  n->line = line;
  /* Digests and papers hold their file, so a paper moved into another
   * digest (merged dates, filters) still names its own. Other nodes
   * inherit it, unless their parents name a different file; under a
   * detached scratch node (no file yet) nothing is stored, and the nodes
   * take their file from where they are moved to. */
  if (file) {
    /* The parents are searched a few levels up only: a node deeper than
     * that below its file's holder holds the file itself, so adding to a
     * chain 10,000 levels deep stays linear. */
    int deep = 0;
    const char *inherited = file_above(parent, 8, &deep);
    int other = inherited && inherited != file && strcmp(inherited, file) != 0;
    int own = kind == DCONV_NODE_DIGEST || kind == DCONV_NODE_PAPER || deep ||
              other;
    if (own) {
      if (!(n->strs = dconv_arena_alloc(&doc->arena,
                                        DCONV_S_COUNT * sizeof *n->strs,
                                        _Alignof(const char *))))
        return NULL;
      n->strs[DCONV_S_FILE] = file;
    }
  }
  if (parent)
    dconv_tree_append(parent, n);
  return n;
}

const char *dconv_tree_file(const struct dconv_node *n) {
  return file_above(n, SIZE_MAX, NULL);
}

int dconv_tree_set_str(dconv_tree *doc, struct dconv_node *n, int slot,
                      const char *s, size_t len) {
  char *copy = dconv_arena_strndup(&doc->arena, s, len);
  if (!copy)
    return DCONV_E_NOMEM;
  if (slot == DCONV_S_TEXT) {
    n->text = copy;
    return 0;
  }
  if (!n->strs &&
      !(n->strs = dconv_arena_alloc(&doc->arena,
                                    DCONV_S_COUNT * sizeof *n->strs,
                                    _Alignof(const char *))))
    return DCONV_E_NOMEM;
  n->strs[slot] = copy;
  return 0;
}

const uint8_t dconv_tree_int_slots[DCONV_TREE_KINDS] = {
    [DCONV_NODE_ITEM] = DCONV_I_NUMBER + 1,
    [DCONV_NODE_LINK] = DCONV_I_IMAGE + 1,
    [DCONV_NODE_PAPER] = DCONV_I_ELIDED_AT + 1,
    [DCONV_NODE_COLLECTION] = DCONV_I_PAPERS + 1,
};

int dconv_tree_set_int(dconv_tree *doc, struct dconv_node *n, int slot,
                      int64_t v) {
  unsigned len = dconv_tree_int_len(n->kind);
  if (slot < 0 || (unsigned)slot >= len)
    return DCONV_E_INVALID; /* not an integer of this kind (attrs.def) */
  if (!n->ivals &&
      !(n->ivals = dconv_arena_alloc(&doc->arena, len * sizeof *n->ivals,
                                     _Alignof(int64_t))))
    return DCONV_E_NOMEM;
  n->ivals[slot] = v;
  n->has_int |= 1u << slot;
  return 0;
}

void dconv_tree_unset(struct dconv_node *n, const dconv_attr_def *a) {
  if (a->type == DCONV_VALUE_INT)
    dconv_tree_clear_int(n, a->slot);
  else if (a->slot == DCONV_S_TEXT)
    n->text = NULL;
  else if (n->strs)
    n->strs[a->slot] = NULL;
}

/* ------------------------------------------------------------ attributes */

#define K(kind) DCONV_ATTR_KIND(DCONV_NODE_##kind)
const dconv_attr_def dconv_attr_table[] = {
#define DCONV_ATTR_ROW(key, type, slot, kinds, flags, doc)                     \
  {key, DCONV_VALUE_##type, slot, kinds, flags, doc},
#include "attrs.def"
#undef DCONV_ATTR_ROW
};
#undef K
const size_t dconv_attr_count =
    sizeof dconv_attr_table / sizeof dconv_attr_table[0];

const dconv_attr_def *dconv_attr_find(uint32_t kind, const char *key,
                                      int exact) {
  const dconv_attr_def *any = NULL;
  uint32_t bit = kind < 32 ? DCONV_ATTR_KIND(kind) : 0;
  /* Writers ask for an attribute on nearly every node, so the keys are
   * told apart by their first two bytes before any strcmp: no two keys
   * share more than "ar", "au" or "me", and a call costs one or two strcmp
   * instead of up to 18. (key[1] is read only after key[0] matched a
   * key's first byte, which is never the NUL.) */
  for (size_t i = 0; i < dconv_attr_count; i++) {
    const dconv_attr_def *a = &dconv_attr_table[i];
    if (a->key[0] != key[0] || a->key[1] != key[1] ||
        strcmp(a->key + 2, key + 2) != 0)
      continue;
    if (a->kinds & bit)
      return a;
    if (!any)
      any = a;
  }
  return exact ? NULL : any;
}

static int attr_present(const struct dconv_node *n, const dconv_attr_def *a) {
  return a->type == DCONV_VALUE_INT ? dconv_tree_has_int(n, a->slot)
                                    : dconv_tree_str(n, a->slot) != NULL;
}

int dconv_node_attr_next(const dconv_node *n, uint32_t *cursor,
                         const char **key, uint32_t *type) {
  if (!n || !cursor || n->kind >= 32)
    return 0;
  while (*cursor < dconv_attr_count) {
    const dconv_attr_def *a = &dconv_attr_table[(*cursor)++];
    if ((a->kinds & DCONV_ATTR_KIND(n->kind)) && attr_present(n, a)) {
      if (key)
        *key = a->key;
      if (type)
        *type = a->type;
      return 1;
    }
  }
  return 0;
}

/* ------------------------------------------------------------ finishing */

typedef struct {
  struct dconv_node *digest;
  size_t order; /* input order: qsort is not stable */
} digest_slot;

static int cmp_digest_date(const void *a, const void *b) {
  const digest_slot *x = a, *y = b;
  int c = strcmp(dconv_tree_str(x->digest, DCONV_S_DATE),
                 dconv_tree_str(y->digest, DCONV_S_DATE));
  if (c)
    return c;
  return (x->order > y->order) - (x->order < y->order);
}

typedef struct {
  const char *id;
  const struct dconv_node *paper;
} id_slot;

/* FNV-1a: a tiny hash for the duplicate-id table. */
static size_t hash_str(const char *s) {
  size_t h = (size_t)1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
  return h;
}

int dconv_tree_finish(dconv_tree *doc, dconv_diag *diag) {
  struct dconv_node *root = doc->root;
  size_t nd = root->n_children, np = 0;
  digest_slot *v = malloc((nd ? nd : 1) * sizeof *v);
  if (!v)
    return DCONV_E_NOMEM;
  size_t i = 0;
  for (struct dconv_node *d = root->first; d; d = d->next) {
    v[i].digest = d;
    v[i].order = i;
    i++;
    np += d->n_children;
  }
  qsort(v, nd, sizeof *v, cmp_digest_date);
  root->first = root->last = NULL;
  root->n_children = 0;
  for (i = 0; i < nd; i++)
    dconv_tree_append(root, v[i].digest);
  free(v);

  /* Open-addressing table of arXiv ids, sized for a load factor <= 0.5. */
  size_t cap = 16;
  while (cap < np * 2 + 2)
    cap *= 2;
  id_slot *tab = calloc(cap, sizeof *tab);
  if (!tab)
    return DCONV_E_NOMEM;
  for (struct dconv_node *d = root->first; d; d = d->next) {
    for (struct dconv_node *p = d->first; p; p = p->next) {
      if (p->kind != DCONV_NODE_PAPER)
        continue;
      const char *id = dconv_tree_str(p, DCONV_S_ARXIV_ID);
      if (!id)
        continue;
      size_t h = hash_str(id) & (cap - 1);
      while (tab[h].id && strcmp(tab[h].id, id) != 0)
        h = (h + 1) & (cap - 1);
      if (tab[h].id) {
        dconv_diag_report(diag, DCONV_DIAG_WARNING, dconv_tree_file(p), p->line,
                          "arXiv id %s appears again (first at %s:%lu); "
                          "both papers are kept",
                          id, dconv_tree_file(tab[h].paper),
                          (unsigned long)tab[h].paper->line);
      } else {
        tab[h].id = id;
        tab[h].paper = p;
      }
    }
  }
  free(tab);
  return dconv_tree_recount(doc);
}

int dconv_tree_recount(dconv_tree *doc) {
  int64_t digests = 0, papers = 0;
  for (struct dconv_node *d = doc->root->first; d; d = d->next) {
    digests++;
    for (struct dconv_node *p = d->first; p; p = p->next)
      papers += p->kind == DCONV_NODE_PAPER;
  }
  if (dconv_tree_set_int(doc, doc->root, DCONV_I_DIGESTS, digests) ||
      dconv_tree_set_int(doc, doc->root, DCONV_I_PAPERS, papers))
    return DCONV_E_NOMEM;
  return 0;
}

/* ------------------------------------------------------------ accessors */

uint32_t dconv_node_kind(const dconv_node *n) { return n ? n->kind : 0; }
const dconv_node *dconv_node_parent(const dconv_node *n) {
  return n ? n->parent : NULL;
}
const dconv_node *dconv_node_first_child(const dconv_node *n) {
  return n ? n->first : NULL;
}
const dconv_node *dconv_node_next(const dconv_node *n) {
  return n ? n->next : NULL;
}

const char *dconv_node_str(const dconv_node *n, const char *key) {
  if (!n || !key)
    return NULL;
  const dconv_attr_def *a = dconv_attr_find(n->kind, key, 0);
  return a && a->type == DCONV_VALUE_STR ? dconv_tree_str(n, a->slot) : NULL;
}

int dconv_node_int(const dconv_node *n, const char *key, int64_t *out) {
  if (!n || !key)
    return DCONV_E_INVALID;
  const dconv_attr_def *a = dconv_attr_find(n->kind, key, 0);
  if (!a || a->type != DCONV_VALUE_INT || !dconv_tree_has_int(n, a->slot))
    return DCONV_E_NOTFOUND;
  *out = n->ivals[a->slot];
  return 0;
}

void dconv_node_source(const dconv_node *n, const char **file,
                       uint32_t *line) {
  if (file)
    *file = dconv_tree_file(n);
  if (line)
    *line = n ? n->line : 0;
}

/* ------------------------------------------------------------ iteration */

struct dconv_iter {
  const dconv_node *root, *cur;
  int ev;   /* event last returned for cur */
  int skip; /* iter_skip: treat cur as a leaf once */
};

dconv_iter *dconv_iter_new(const dconv_node *root) {
  dconv_iter *it = calloc(1, sizeof *it);
  if (!it)
    return NULL;
  it->root = root;
  return it;
}

/* Parent pointers make this non-recursive: depth costs nothing. */
int dconv_iter_next(dconv_iter *it, const dconv_node **node) {
  if (!it->root)
    return DCONV_EVENT_DONE;
  if (!it->cur) {
    it->cur = it->root;
    it->ev = DCONV_EVENT_ENTER;
  } else if (it->ev == DCONV_EVENT_ENTER && it->cur->first && !it->skip) {
    it->cur = it->cur->first;
  } else if (it->ev == DCONV_EVENT_ENTER) {
    it->ev = DCONV_EVENT_EXIT;
    it->skip = 0;
  } else if (it->cur == it->root) {
    it->root = NULL;
    return DCONV_EVENT_DONE;
  } else if (it->cur->next) {
    it->cur = it->cur->next;
    it->ev = DCONV_EVENT_ENTER;
  } else {
    it->cur = it->cur->parent;
    it->ev = DCONV_EVENT_EXIT;
  }
  if (node)
    *node = it->cur;
  return it->ev;
}

void dconv_iter_skip(dconv_iter *it) {
  /* Pretend the node was a leaf: the next call moves on to its EXIT. */
  if (it && it->cur && it->ev == DCONV_EVENT_ENTER && it->cur->first)
    it->skip = 1;
}

void dconv_iter_free(dconv_iter *it) { free(it); }

char *dconv_node_flatten(const dconv_node *n, size_t *len) {
  dconv_buf b = DCONV_BUF_INIT;
  const dconv_node *cur;
  dconv_iter it = {n, NULL, 0, 0};
  int ev;
  int rc = dconv_buf_reserve(&b, 0);
  while (!rc && (ev = dconv_iter_next(&it, &cur)) != DCONV_EVENT_DONE) {
    if (ev == DCONV_EVENT_ENTER &&
        (cur->kind == DCONV_NODE_TEXT || cur->kind == DCONV_NODE_CODE) &&
        cur->text)
      rc = dconv_buf_puts(&b, cur->text);
  }
  if (rc) {
    dconv_buf_free(&b);
    return NULL;
  }
  if (len)
    *len = b.len;
  return dconv_buf_detach(&b);
}
