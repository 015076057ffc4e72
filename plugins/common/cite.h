/*
 * cite.h - what the citation writers (bibtex, ris, csljson) share beyond
 * name splitting (that is <dconv/names.h>): which papers get an entry, the
 * date an arXiv id encodes, and which authors a citation lists.
 *
 * Header-only, built on the public ABI like dp.h, so each writer stays what
 * a third-party plugin could be. Memory comes from host->alloc/free.
 */
#ifndef DCONV_PLUGINS_CITE_H
#define DCONV_PLUGINS_CITE_H

#include <string.h>

#include "dp.h"

/** One paper that gets a citation entry. All pointers borrowed from the
 *  tree. */
typedef struct dp_cite {
  const dconv_node *paper;
  const dconv_node *digest; /* the digest that lists it */
  const char *id;           /* arXiv id without version, or NULL */
  int year, month;          /* from the id (see dp_cite_id_date); 0 = unknown */
} dp_cite;

/** The papers of an export, one per arXiv id. */
typedef struct dp_cite_list {
  dp_cite *items; /* owned: release with dp_cite_list_free */
  size_t n;
} dp_cite_list;

/* The n leading decimal digits of s as a number, or -1. */
static inline int dp_cite_digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/** Year and month of submission from an arXiv id: 2403.17887 is March
 *  2024; hep-th/9901001 is January 1999 (old-style years 91-99 are 1900s).
 *  0 where the id does not say. */
static inline void dp_cite_id_date(const char *id, int *year, int *month) {
  const char *slash = strchr(id, '/');
  const char *ym = slash ? slash + 1 : id;
  int yy = dp_cite_digits(ym, 2);
  int mm = yy < 0 ? -1 : dp_cite_digits(ym + 2, 2);
  *year = *month = 0;
  if (yy < 0 || mm < 0)
    return;
  *year = slash && yy >= 91 ? 1900 + yy : 2000 + yy;
  *month = mm >= 1 && mm <= 12 ? mm : 0;
}

static inline uint32_t dp_cite_hash(const char *s) {
  uint32_t v = 2166136261u; /* FNV-1a */
  for (; *s; s++)
    v = (v ^ (unsigned char)*s) * 16777619u;
  return v;
}

/**
 * Collect the papers of the export in document order (digests by date,
 * papers as listed), keeping the first paper of each arXiv id: a repeat is
 * left out with a warning naming the first occurrence, so adding newer
 * digests never changes an existing entry. Papers without an id are all
 * kept; their year is the digest's. Returns 0 (then free *list with
 * dp_cite_list_free) or a negative DCONV_E_* code, already reported
 * (allocation failure, or the warning under --strict).
 */
static inline int dp_cite_collect(const dconv_host *h, dconv_export *ex,
                                  dp_cite_list *list) {
  list->items = NULL;
  list->n = 0;
  size_t cap = 0;
  DP_FOR_EACH(h, d, h->root(ex), DCONV_NODE_DIGEST) {
    DP_FOR_EACH(h, p, d, DCONV_NODE_PAPER) { cap++; }
  }
  /* open addressing over item indices: slot = index + 1, 0 = empty */
  size_t slots = 16;
  while (slots < 2 * cap)
    slots *= 2;
  list->items = (dp_cite *)h->alloc((cap ? cap : 1) * sizeof *list->items);
  uint32_t *slot = (uint32_t *)h->alloc(slots * sizeof *slot);
  if (!list->items || !slot) {
    h->free(slot);
    h->free(list->items);
    list->items = NULL;
    return h->set_error(ex, DCONV_E_NOMEM, "out of memory");
  }
  memset(slot, 0, slots * sizeof *slot);
  int rc = 0;
  size_t n = 0;
  DP_FOR_EACH(h, d, h->root(ex), DCONV_NODE_DIGEST) {
    DP_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      dp_cite *c = &list->items[n];
      memset(c, 0, sizeof *c);
      c->paper = p;
      c->digest = d;
      const char *id = h->node_str(p, "arxiv_id");
      if (!id || !*id) {
        int y = dp_cite_digits(dp_str(h, d, "date"), 4);
        c->year = y > 0 ? y : 0;
        n++;
        continue;
      }
      size_t i = dp_cite_hash(id) & (slots - 1);
      while (slot[i] && strcmp(list->items[slot[i] - 1].id, id) != 0)
        i = (i + 1) & (slots - 1);
      if (slot[i]) {
        const char *file;
        uint32_t line;
        h->node_source(list->items[slot[i] - 1].paper, &file, &line);
        rc = h->warn_at(ex, p,
                        "arXiv %s is listed again; keeping only the first "
                        "entry (%s:%lu)",
                        id, file ? file : "?", (unsigned long)line);
        if (rc < 0)
          break;
        continue;
      }
      slot[i] = (uint32_t)n + 1;
      c->id = id;
      dp_cite_id_date(id, &c->year, &c->month);
      n++;
    }
    if (rc < 0)
      break;
  }
  h->free(slot);
  if (rc < 0) {
    h->free(list->items);
    list->items = NULL;
    return h->set_error(ex, rc, "warning treated as an error (--strict)");
  }
  list->n = n;
  return 0;
}

static inline void dp_cite_list_free(const dconv_host *h, dp_cite_list *list) {
  h->free(list->items);
  list->items = NULL;
  list->n = 0;
}

/**
 * How many of the paper's AUTHOR children a citation lists, in order; sets
 * *elided when the digest elided authors ('+'). Names after the gap follow
 * an unknown number of missing authors, so they are not the next authors in
 * order: only the names before the gap are listed (all of them when the
 * list starts with the gap), and the writer marks the list as incomplete
 * ("and others", a note).
 */
static inline size_t dp_cite_listed_authors(const dconv_host *h,
                                            const dconv_node *p, int *elided) {
  size_t n = 0;
  DP_FOR_EACH(h, a, p, DCONV_NODE_AUTHOR) { n++; }
  *elided = dp_int(h, p, "authors_elided", 0) != 0;
  int64_t at = dp_int(h, p, "authors_elided_at", 0);
  if (*elided && at > 0 && (uint64_t)at < n)
    n = (size_t)at;
  return n;
}

#endif
