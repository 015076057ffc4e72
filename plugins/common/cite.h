/*
 * cite.h - what the citation writers (bibtex, ris, csljson) share beyond
 * <dconv/util.h> and name splitting (<dconv/names.h>): which papers get an
 * entry, which authors a citation lists, the digest note and the abstract.
 *
 * Header-only and built on the public ABI, so each writer stays what a
 * third-party plugin could be. Memory comes from host->alloc/free.
 */
#ifndef DCONV_PLUGINS_CITE_H
#define DCONV_PLUGINS_CITE_H

#include <string.h>

#include <dconv/util.h>

/** One paper that gets a citation entry. All pointers borrowed from the
 *  tree. */
typedef struct cite_entry {
  const dconv_node *paper;
  const dconv_node *digest; /* the digest that lists it */
  const char *id;           /* arXiv id without version, or NULL */
  int year, month;          /* from the id (dconv_util_arxiv_year_month); 0 = unknown */
} cite_entry;

/** The papers of an export, one per arXiv id. */
typedef struct cite_list {
  cite_entry *items; /* owned: release with cite_list_free */
  size_t n;
} cite_list;

/**
 * Collect the papers of the export in document order (digests by date,
 * papers as listed), keeping the first paper of each arXiv id: a repeat is
 * left out with a warning naming the first occurrence, so adding newer
 * digests never changes an existing entry. Papers without an id are all
 * kept; their year is the digest's. Returns 0 (then free *list with
 * cite_list_free) or a negative DCONV_E_* code, already reported
 * (allocation failure, or the warning under --strict).
 */
static inline int cite_collect(const dconv_host *h, dconv_export *ex,
                               cite_list *list) {
  list->items = NULL;
  list->n = 0;
  size_t cap = 0;
  DCONV_UTIL_FOR_EACH(h, d, h->root(ex), DCONV_NODE_DIGEST) {
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) { cap++; }
  }
  list->items = (cite_entry *)h->alloc((cap ? cap : 1) * sizeof *list->items);
  if (!list->items)
    return DCONV_E_NOMEM;
  dconv_util_strset seen; /* arXiv id -> index of its entry */
  dconv_util_strset_init(&seen, h);
  int rc = 0;
  size_t n = 0;
  DCONV_UTIL_FOR_EACH(h, d, h->root(ex), DCONV_NODE_DIGEST) {
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      cite_entry *c = &list->items[n];
      memset(c, 0, sizeof *c);
      c->paper = p;
      c->digest = d;
      const char *id = h->node_str(p, "arxiv_id");
      if (!id || !*id) {
        int y = 0, m, dd;
        dconv_util_date_parse(dconv_util_str(h, d, "date"), &y, &m, &dd);
        c->year = y;
        n++;
        continue;
      }
      size_t first;
      rc = dconv_util_strset_add(&seen, id, strlen(id), n, &first);
      if (rc == 1) {
        const char *file;
        uint32_t line;
        h->node_source(list->items[first].paper, &file, &line);
        rc = h->warn_at(ex, p,
                        "arXiv %s is listed again; keeping only the first "
                        "entry (%s:%lu)",
                        id, file ? file : "?", (unsigned long)line);
        if (rc < 0)
          break;
        continue;
      }
      if (rc < 0)
        break;
      c->id = id;
      dconv_util_arxiv_year_month(id, &c->year, &c->month);
      n++;
    }
    if (rc < 0)
      break;
  }
  dconv_util_strset_free(&seen);
  if (rc < 0) { /* no memory, or a warning stopped by --strict */
    h->free(list->items);
    list->items = NULL;
    return rc;
  }
  list->n = n;
  return 0;
}

static inline void cite_list_free(const dconv_host *h, cite_list *list) {
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
static inline size_t cite_listed_authors(const dconv_host *h,
                                            const dconv_node *p, int *elided) {
  size_t n = 0;
  DCONV_UTIL_FOR_EACH(h, a, p, DCONV_NODE_AUTHOR) { n++; }
  *elided = dconv_util_int(h, p, "authors_elided", 0) != 0;
  int64_t at = dconv_util_int(h, p, "authors_elided_at", 0);
  if (*elided && at > 0 && (uint64_t)at < n)
    n = (size_t)at;
  return n;
}

/** The note every citation writer adds for an elided author list. */
#define CITE_ELIDED_NOTE                                                    \
  "Author list shortened in the digest (et al.): only the names before the " \
  "gap are listed"

/**
 * Append the digest note of e, "Daily paper digest of 2024-03-27, 32 votes"
 * (either half may be missing), to b as plain text for the caller to
 * escape. Returns 1 if anything was appended, 0 if the paper has neither a
 * digest date nor a vote count.
 */
static inline int cite_digest_note(const dconv_host *h, const cite_entry *e,
                                      dconv_util_buf *b) {
  const char *date = dconv_util_str(h, e->digest, "date");
  int64_t votes;
  int has_votes = h->node_int(e->paper, "votes", &votes) == 0;
  if (!*date && !has_votes)
    return 0;
  if (*date)
    dconv_util_buf_printf(b, "Daily paper digest of %s", date);
  if (has_votes)
    dconv_util_buf_printf(b, "%s%lld vote%s", *date ? ", " : "", (long long)votes,
                  votes == 1 ? "" : "s");
  return 1;
}

/**
 * The summary as an abstract: each non-empty bullet of `paper`, flattened
 * to plain text, is passed to put(ctx, text, len, first) in order (`first`
 * is 1 for the first one: open the field then, else write a separator).
 * Returns how many bullets were passed (0: no abstract), or DCONV_E_NOMEM.
 */
static inline int64_t cite_summary(const dconv_host *h,
                                      const dconv_node *paper,
                                      void (*put)(void *ctx, const char *s,
                                                  size_t n, int first),
                                      void *ctx) {
  int64_t count = 0;
  DCONV_UTIL_FOR_EACH(h, item, paper, DCONV_NODE_ITEM) {
    size_t len;
    char *text = h->node_flatten(item, &len);
    if (!text)
      return DCONV_E_NOMEM;
    if (len)
      put(ctx, text, len, count++ == 0);
    h->free(text);
  }
  return count;
}

/**
 * The frame every citation writer runs in: the options they share
 * (abstract, note), the output buffer and the entries.
 *
 *   cite_writer w;
 *   int rc = cite_writer_open(&w, h, ex);
 *   if (rc) return rc;
 *   for (size_t i = 0; i < w.list.n && !rc; i++)
 *     if (!(rc = put_entry(&w, &w.list.items[i])))
 *       rc = dconv_util_buf_drain(&w.out, ex, 1 << 16);
 *   return cite_writer_close(&w, rc);
 */
typedef struct cite_writer {
  const dconv_host *h;
  dconv_export *ex;
  int abstract, note; /* -O abstract=, -O note= */
  dconv_util_buf out;         /* the output, drained to host->write */
  dconv_util_buf scratch;     /* for building one value before escaping it */
  cite_list list;  /* the entries (cite_collect) */
} cite_writer;

/** The scratch buffer emptied, then holding s[0..n) (NUL-terminated).
 *  Never NULL: on allocation failure "" (cite_writer_close reports
 *  it). Valid until the next use of the scratch buffer. */
static inline const char *cite_scratch(cite_writer *w, const char *s,
                                          size_t n) {
  dconv_util_buf_truncate(&w->scratch, 0);
  dconv_util_buf_add(&w->scratch, s, n);
  return w->scratch.data ? w->scratch.data : "";
}

/** Read the options and collect the entries. Returns 0 (then always call
 *  cite_writer_close) or a DCONV_E_* code, already reported, with
 *  nothing left to free. */
static inline int cite_writer_open(cite_writer *w, const dconv_host *h,
                                      dconv_export *ex) {
  memset(w, 0, sizeof *w);
  w->h = h;
  w->ex = ex;
  w->abstract = dconv_util_opt_bool(h, ex, "abstract");
  w->note = dconv_util_opt_bool(h, ex, "note");
  dconv_util_buf_init(&w->out, h);
  dconv_util_buf_init(&w->scratch, h);
  return cite_collect(h, ex, &w->list);
}

/** Send what is left (unless rc already failed), free everything, and
 *  return the export's result. */
static inline int cite_writer_close(cite_writer *w, int rc) {
  if (!rc)
    rc = dconv_util_buf_check(&w->scratch);
  if (!rc)
    rc = dconv_util_buf_drain(&w->out, w->ex, 0);
  dconv_util_buf_free(&w->scratch);
  dconv_util_buf_free(&w->out);
  cite_list_free(w->h, &w->list);
  return rc;
}

#endif
