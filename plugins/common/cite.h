/*
 * cite.h - what the citation writers (bibtex, ris, csljson) share beyond
 * name splitting (that is <dconv/names.h>): which papers get an entry, the
 * date an arXiv id encodes, and which authors a citation lists.
 *
 * Header-only, built on the public ABI like dp.h, so each writer stays what
 * a third-party plugin could be. Memory comes from host->alloc/free.
 *
 * TODO(util.h): when include/dconv/util.h lands, dp_cite_id_date is its
 * dconv_arxiv_year_month, the id set in dp_cite_collect its dconv_strmap,
 * and the --strict wrapping its dconv_strict; the bibtex writer should
 * then take its entries from dp_cite_collect too.
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

/** The note every citation writer adds for an elided author list. */
#define DP_CITE_ELIDED_NOTE                                                    \
  "Author list shortened in the digest (et al.): only the names before the " \
  "gap are listed"

/**
 * Append the digest note of e, "Daily paper digest of 2024-03-27, 32 votes"
 * (either half may be missing), to b as plain text for the caller to
 * escape. Returns 1 if anything was appended, 0 if the paper has neither a
 * digest date nor a vote count.
 */
static inline int dp_cite_digest_note(const dconv_host *h, const dp_cite *e,
                                      dp_buf *b) {
  const char *date = dp_str(h, e->digest, "date");
  int64_t votes;
  int has_votes = h->node_int(e->paper, "votes", &votes) == 0;
  if (!*date && !has_votes)
    return 0;
  if (*date)
    dp_buf_printf(b, "Daily paper digest of %s", date);
  if (has_votes)
    dp_buf_printf(b, "%s%lld vote%s", *date ? ", " : "", (long long)votes,
                  votes == 1 ? "" : "s");
  return 1;
}

/**
 * The summary as an abstract: each non-empty bullet of `paper`, flattened
 * to plain text, is passed to put(ctx, text, len, first) in order (`first`
 * is 1 for the first one: open the field then, else write a separator).
 * Returns how many bullets were passed (0: no abstract), or DCONV_E_NOMEM
 * after host->set_error.
 */
static inline int64_t dp_cite_summary(const dconv_host *h, dconv_export *ex,
                                      const dconv_node *paper,
                                      void (*put)(void *ctx, const char *s,
                                                  size_t n, int first),
                                      void *ctx) {
  int64_t count = 0;
  DP_FOR_EACH(h, item, paper, DCONV_NODE_ITEM) {
    size_t len;
    char *text = h->node_flatten(item, &len);
    if (!text)
      return h->set_error(ex, DCONV_E_NOMEM, "out of memory");
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
 *   dp_cite_writer w;
 *   int rc = dp_cite_writer_open(&w, h, ex);
 *   if (rc) return rc;
 *   for (size_t i = 0; i < w.list.n && !rc; i++)
 *     if (!(rc = put_entry(&w, &w.list.items[i])))
 *       rc = dp_buf_drain(&w.out, ex, 1 << 16);
 *   return dp_cite_writer_close(&w, rc);
 */
typedef struct dp_cite_writer {
  const dconv_host *h;
  dconv_export *ex;
  int abstract, note; /* -O abstract=, -O note= */
  dp_buf out;         /* the output, drained to host->write */
  dp_buf scratch;     /* for building one value before escaping it */
  dp_cite_list list;  /* the entries (dp_cite_collect) */
} dp_cite_writer;

/** The scratch buffer emptied, then holding s[0..n) (NUL-terminated).
 *  Never NULL: on allocation failure "" (dp_cite_writer_close reports
 *  it). Valid until the next use of the scratch buffer. */
static inline const char *dp_cite_scratch(dp_cite_writer *w, const char *s,
                                          size_t n) {
  dp_buf_truncate(&w->scratch, 0);
  dp_buf_add(&w->scratch, s, n);
  return w->scratch.data ? w->scratch.data : "";
}

/** Read the options and collect the entries. Returns 0 (then always call
 *  dp_cite_writer_close) or a DCONV_E_* code, already reported, with
 *  nothing left to free. */
static inline int dp_cite_writer_open(dp_cite_writer *w, const dconv_host *h,
                                      dconv_export *ex) {
  memset(w, 0, sizeof *w);
  w->h = h;
  w->ex = ex;
  w->abstract = dp_opt_bool(h, ex, "abstract");
  w->note = dp_opt_bool(h, ex, "note");
  dp_buf_init(&w->out, h);
  dp_buf_init(&w->scratch, h);
  return dp_cite_collect(h, ex, &w->list);
}

/** Send what is left (unless rc already failed), free everything, and
 *  return the export's result. */
static inline int dp_cite_writer_close(dp_cite_writer *w, int rc) {
  if (!rc && w->scratch.failed)
    rc = w->h->set_error(w->ex, DCONV_E_NOMEM, "out of memory");
  if (!rc)
    rc = dp_buf_drain(&w->out, w->ex, 0);
  dp_buf_free(&w->scratch);
  dp_buf_free(&w->out);
  dp_cite_list_free(w->h, &w->list);
  return rc;
}

#endif
