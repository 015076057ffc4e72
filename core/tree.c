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

struct dconv_node *dconv_tree_add(dconv_tree *doc, struct dconv_node *parent,
                                 uint32_t kind, const char *file,
                                 uint32_t line) {
  struct dconv_node *n = dconv_arena_alloc(&doc->arena, sizeof *n);
  if (!n)
    return NULL;
  n->kind = kind;
  n->file = file;
  n->line = line;
  if (parent)
    dconv_tree_append(parent, n);
  return n;
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
                                    DCONV_S_COUNT * sizeof *n->strs)))
    return DCONV_E_NOMEM;
  n->strs[slot] = copy;
  return 0;
}

int dconv_tree_set_int(dconv_tree *doc, struct dconv_node *n, int slot,
                      int64_t v) {
  if (!n->ivals &&
      !(n->ivals = dconv_arena_alloc(&doc->arena,
                                     DCONV_I_COUNT * sizeof *n->ivals)))
    return DCONV_E_NOMEM;
  n->ivals[slot] = v;
  n->has_int |= 1u << slot;
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
  size_t papers = 0;
  for (struct dconv_node *d = root->first; d; d = d->next) {
    for (struct dconv_node *p = d->first; p; p = p->next) {
      if (p->kind != DCONV_NODE_PAPER)
        continue;
      papers++;
      const char *id = dconv_tree_str(p, DCONV_S_ARXIV_ID);
      if (!id)
        continue;
      size_t h = hash_str(id) & (cap - 1);
      while (tab[h].id && strcmp(tab[h].id, id) != 0)
        h = (h + 1) & (cap - 1);
      if (tab[h].id) {
        dconv_diag_report(diag, DCONV_DIAG_WARNING, p->file, p->line,
                          "arXiv id %s appears again (first at %s:%lu); "
                          "both papers are kept",
                          id, tab[h].paper->file,
                          (unsigned long)tab[h].paper->line);
      } else {
        tab[h].id = id;
        tab[h].paper = p;
      }
    }
  }
  free(tab);
  if (dconv_tree_set_int(doc, root, DCONV_I_DIGESTS, (int64_t)nd) ||
      dconv_tree_set_int(doc, root, DCONV_I_PAPERS, (int64_t)papers))
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

static int str_slot(const dconv_node *n, const char *key) {
  static const char *const names[DCONV_S_COUNT] = {
      "title",     "url",  "text",       "arxiv_id", "arxiv_version",
      "date",      "media_kind", "media_url"};
  if (n->kind == DCONV_NODE_AUTHOR && strcmp(key, "name") == 0)
    return DCONV_S_TEXT;
  if (n->kind == DCONV_NODE_DIGEST && strcmp(key, "title") == 0)
    return DCONV_S_TITLE;
  for (int i = 0; i < DCONV_S_COUNT; i++)
    if (strcmp(names[i], key) == 0)
      return i;
  return -1;
}

const char *dconv_node_str(const dconv_node *n, const char *key) {
  if (!n || !key)
    return NULL;
  int slot = str_slot(n, key);
  return slot < 0 ? NULL : dconv_tree_str(n, slot);
}

int dconv_node_int(const dconv_node *n, const char *key, int64_t *out) {
  if (!n || !key)
    return DCONV_E_INVALID;
  static const char *const names[DCONV_I_COUNT] = {
      "votes", "authors_elided", "authors_elided_at", "depth", "ordered",
      "number", "image", "digests", "papers"};
  for (int i = 0; i < DCONV_I_COUNT; i++) {
    if (strcmp(names[i], key) != 0)
      continue;
    if (!dconv_tree_has_int(n, i))
      return DCONV_E_NOTFOUND;
    *out = n->ivals[i];
    return 0;
  }
  return DCONV_E_NOTFOUND;
}

void dconv_node_source(const dconv_node *n, const char **file,
                       uint32_t *line) {
  if (file)
    *file = n ? n->file : NULL;
  if (line)
    *line = n ? n->line : 0;
}

/* ------------------------------------------------------------ iteration */

struct dconv_iter {
  const dconv_node *root, *cur;
  int ev; /* event last returned for cur */
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
  } else if (it->ev == DCONV_EVENT_ENTER && it->cur->first) {
    it->cur = it->cur->first;
  } else if (it->ev == DCONV_EVENT_ENTER) {
    it->ev = DCONV_EVENT_EXIT;
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

void dconv_iter_free(dconv_iter *it) { free(it); }

char *dconv_node_flatten(const dconv_node *n, size_t *len) {
  dconv_buf b = DCONV_BUF_INIT;
  const dconv_node *cur;
  dconv_iter it = {n, NULL, 0};
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
