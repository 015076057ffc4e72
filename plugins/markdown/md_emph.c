/*
 * md_emph.c - CommonMark's emphasis pairing, run over what the Markdown
 * writer wrote, to find spans that would not read back as written (see
 * md_emph.h). The pairing follows cmark-gfm 0.29's process_emphasis: a
 * closer looks back for the nearest opener of its kind that the "rule of
 * 3" allows, within the lower bound earlier failed searches set; the
 * delimiters between a pair are dropped; a link's content is paired on
 * its own when the link closes.
 */
#include "md_emph.h"

#include <string.h>

void md_emph_init(md_emph *e, const dconv_host *h) {
  memset(e, 0, sizeof *e);
  e->h = h;
}

void md_emph_free(md_emph *e) {
  e->h->free(e->d);
  e->h->free(e->flat);
  md_emph_init(e, e->h);
}

void md_emph_reset(md_emph *e) {
  e->n = e->n_flat = 0;
  e->flat_all = 0;
}

int md_emph_is_flat(const md_emph *e, const dconv_node *node) {
  if (e->flat_all)
    return 1;
  for (size_t i = 0; i < e->n_flat; i++)
    if (e->flat[i] == node)
      return 1;
  return 0;
}

static void *grow(md_emph *e, void *arr, size_t *cap, size_t need,
                  size_t size) {
  if (need <= *cap)
    return arr;
  size_t n = *cap ? *cap * 2 : 32;
  while (n < need)
    n *= 2;
  void *p = e->h->realloc(arr, n * size);
  if (!p) {
    e->failed = 1;
    return NULL;
  }
  *cap = n;
  return p;
}

void md_emph_record(md_emph *e, size_t pos, uint32_t len, int type,
                    const dconv_node *node) {
  md_delim *d = grow(e, e->d, &e->cap, e->n + 1, sizeof *d);
  if (!d)
    return;
  e->d = d;
  d[e->n++] = (md_delim){pos, len, type, node, 0};
}

/* Spans flattened one by one before the whole item goes without
 * emphasis: md_emph_is_flat is a linear search, run for every span on
 * every try, so the set stays small (real items need none). */
#define MD_EMPH_FLAT_MAX 64

static void flatten(md_emph *e, const dconv_node *node, int *added) {
  if (md_emph_is_flat(e, node))
    return;
  if (e->n_flat == MD_EMPH_FLAT_MAX) {
    e->flat_all = 1;
    (*added)++;
    return;
  }
  const dconv_node **f =
      grow(e, (void *)e->flat, &e->cap_flat, e->n_flat + 1, sizeof *f);
  if (!f)
    return;
  e->flat = f;
  f[e->n_flat++] = node;
  (*added)++;
}

/* ------------------------------------------------------ flanking */

/* The code point that starts at s[i]. */
static uint32_t cp_at(const char *s, size_t i) {
  const unsigned char *p = (const unsigned char *)s + i;
  if (p[0] < 0x80)
    return p[0];
  if (p[0] < 0xE0)
    return (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
  if (p[0] < 0xF0)
    return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
           (p[2] & 0x3F);
  return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
         (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
}

/* The code point that ends before s[i] (i > base). */
static uint32_t cp_before(const char *s, size_t base, size_t i) {
  size_t j = i - 1;
  while (j > base && ((unsigned char)s[j] & 0xC0) == 0x80)
    j--;
  return cp_at(s, j);
}

/* Unicode whitespace as cmark-gfm tests it (Zs, tab, line ends). */
static int is_space(uint32_t c) {
  return c == ' ' || (c >= 9 && c <= 13) || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

/* ASCII punctuation, and the Unicode punctuation blocks the digests use
 * (Latin-1, General Punctuation, CJK symbols, full-width forms). */
static int is_punct(uint32_t c) {
  if (c < 0x80)
    return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) ||
           (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
  return c == 0xA1 || c == 0xA7 || c == 0xAB || c == 0xB6 || c == 0xB7 ||
         c == 0xBB || c == 0xBF || (c >= 0x2010 && c <= 0x2027) ||
         (c >= 0x2030 && c <= 0x205E) || (c >= 0x3001 && c <= 0x3003) ||
         (c >= 0x3008 && c <= 0x3011) || (c >= 0x3014 && c <= 0x301F) ||
         (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
         (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65);
}

/* ---------------------------------------------------------- runs */

/* A delimiter run: adjacent '*' delimiters, as cmark sees them. */
typedef struct run {
  size_t first, n_rec; /* its records in e->d */
  int length;          /* characters, as written */
  int left;            /* characters not yet used by a pair */
  int can_open, can_close;
  int removed;
  size_t prev, next; /* live runs, while pairing */
} run;

/* The record of run r whose characters are [off, off + len), or NULL. */
static md_delim *rec_at(md_emph *e, const run *r, int off, int len) {
  int at = 0;
  for (size_t i = 0; i < r->n_rec; i++) {
    md_delim *d = &e->d[r->first + i];
    if (at == off)
      return (int)d->len == len ? d : NULL;
    at += (int)d->len;
  }
  return NULL;
}

#define NIL ((size_t)-1)

/* Unlink run k from the list of live runs (prev/next indices). */
static void drop(run *runs, size_t k, size_t *head) {
  run *r = &runs[k];
  if (r->removed)
    return;
  r->removed = 1;
  if (r->prev != NIL)
    runs[r->prev].next = r->next;
  else
    *head = r->next;
  if (r->next != NIL)
    runs[r->next].prev = r->prev;
}

/* process_emphasis over runs[lo..hi): pairs as cmark would, confirming
 * each record whose pair is the one written. Live runs form a doubly
 * linked list, so every run is passed over a bounded number of times. */
static void pair_runs(md_emph *e, run *runs, size_t lo, size_t hi) {
  size_t head = NIL, tail = NIL;
  for (size_t k = lo; k < hi; k++) {
    if (runs[k].removed)
      continue;
    runs[k].prev = tail;
    runs[k].next = NIL;
    if (tail != NIL)
      runs[tail].next = k;
    else
      head = k;
    tail = k;
  }
  size_t bottom[3] = {lo, lo, lo}; /* openers_bottom by closer length % 3 */
  size_t c = head;
  while (c != NIL) {
    run *cl = &runs[c];
    size_t next = cl->next;
    if (cl->can_close) {
      size_t found = NIL;
      for (size_t o = cl->prev; o != NIL && o >= bottom[cl->length % 3];
           o = runs[o].prev) {
        run *op = &runs[o];
        if (op->can_open &&
            (!(cl->can_open || op->can_close) || cl->length % 3 == 0 ||
             (op->length + cl->length) % 3 != 0)) {
          found = o;
          break;
        }
      }
      if (found == NIL) {
        bottom[cl->length % 3] = c;
        if (!cl->can_open)
          drop(runs, c, &head);
        c = next;
        continue;
      }
      run *op = &runs[found];
      int use = cl->left >= 2 && op->left >= 2 ? 2 : 1;
      /* The opener's innermost characters (its last ones) pair with the
       * closer's first unused ones. */
      md_delim *od = rec_at(e, op, op->left - use, use);
      md_delim *cd = rec_at(e, cl, cl->length - cl->left, use);
      if (od && cd && od->type == MD_OPEN && cd->type == MD_CLOSE &&
          od->node == cd->node)
        od->confirmed = cd->confirmed = 1;
      op->left -= use;
      cl->left -= use;
      while (cl->prev != found)
        drop(runs, cl->prev, &head);
      if (op->left == 0)
        drop(runs, found, &head);
      if (cl->left == 0) {
        next = cl->next;
        drop(runs, c, &head);
        c = next;
      }
      continue; /* the same closer again while it has characters */
    }
    c = next;
  }
  for (size_t k = lo; k < hi; k++)
    runs[k].removed = 1; /* what is left is text */
}

int md_emph_check(md_emph *e, const char *text, size_t base, size_t end) {
  int added = 0;
  size_t n = e->n;
  e->n = 0;
  if (e->failed)
    return DCONV_E_NOMEM;
  if (n == 0)
    return 0;
  run *runs = e->h->alloc(n * sizeof *runs);
  size_t *links = e->h->alloc(n * sizeof *links); /* open links' first run */
  struct scope {
    size_t lo, hi;
  } *scopes = e->h->alloc(n * sizeof *scopes);
  if (!runs || !links || !scopes) {
    e->h->free(runs);
    e->h->free(links);
    e->h->free(scopes);
    return DCONV_E_NOMEM;
  }
  /* Runs, and each link's runs [lo, hi) in the order the links close. */
  size_t nr = 0, nl = 0, ns = 0;
  for (size_t i = 0; i < n; i++) {
    md_delim *d = &e->d[i];
    if (d->type == MD_LINK_OPEN) {
      links[nl++] = nr;
      continue;
    }
    if (d->type == MD_LINK_CLOSE) {
      if (nl > 0) {
        scopes[ns].lo = links[--nl];
        scopes[ns++].hi = nr;
      }
      continue;
    }
    run *prev = nr ? &runs[nr - 1] : NULL;
    md_delim *last = prev ? &e->d[prev->first + prev->n_rec - 1] : NULL;
    if (prev && last == d - 1 && last->pos + last->len == d->pos) {
      prev->n_rec++;
      prev->length += (int)d->len;
      continue;
    }
    runs[nr++] = (run){i, 1, (int)d->len, 0, 0, 0, 0, NIL, NIL};
  }
  for (size_t r = 0; r < nr; r++) {
    size_t at = e->d[runs[r].first].pos, after = at + (size_t)runs[r].length;
    uint32_t b = at > base ? cp_before(text, base, at) : '\n';
    uint32_t a = after < end ? cp_at(text, after) : '\n';
    int left = !is_space(a) && (!is_punct(a) || is_space(b) || is_punct(b));
    int right = !is_space(b) && (!is_punct(b) || is_space(a) || is_punct(a));
    runs[r].left = runs[r].length;
    runs[r].can_open = left;
    runs[r].can_close = right;
  }
  /* cmark pairs a link's content when the link closes, and the rest at
   * the end of the paragraph. */
  for (size_t k = 0; k < ns; k++)
    pair_runs(e, runs, scopes[k].lo, scopes[k].hi);
  pair_runs(e, runs, 0, nr);
  for (size_t i = 0; i < n; i++)
    if ((e->d[i].type == MD_OPEN || e->d[i].type == MD_CLOSE) &&
        !e->d[i].confirmed)
      flatten(e, e->d[i].node, &added);
  e->h->free(runs);
  e->h->free(links);
  e->h->free(scopes);
  return e->failed ? DCONV_E_NOMEM : added;
}
