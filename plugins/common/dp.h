/*
 * dp.h - small helpers shared by the in-tree plugins ("dconv plugin").
 *
 * Header-only and built solely on the public ABI (<dconv/plugin.h>), so the
 * in-tree plugins stay exactly what a third-party plugin could be. Memory
 * comes from host->realloc/free.
 */
#ifndef DCONV_PLUGINS_DP_H
#define DCONV_PLUGINS_DP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <dconv/plugin.h>

/** Growable byte buffer. With `ex` set, dp_buf_drain() sends it to the
 *  output; without, it is just memory (e.g. one file of a container). */
typedef struct dp_buf {
  const dconv_host *host;
  char *data; /* owned (host->realloc); NUL-terminated when non-NULL */
  size_t len, cap;
  int failed; /* sticky allocation failure: check once at the end */
} dp_buf;

static inline void dp_buf_init(dp_buf *b, const dconv_host *host) {
  memset(b, 0, sizeof *b);
  b->host = host;
}

static inline int dp_buf_reserve(dp_buf *b, size_t extra) {
  if (b->failed)
    return DCONV_E_NOMEM;
  if (b->len + extra + 1 <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1)
    cap *= 2;
  char *p = (char *)b->host->realloc(b->data, cap);
  if (!p) {
    b->failed = 1;
    return DCONV_E_NOMEM;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

static inline void dp_buf_add(dp_buf *b, const char *s, size_t n) {
  if (dp_buf_reserve(b, n))
    return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static inline void dp_buf_puts(dp_buf *b, const char *s) {
  dp_buf_add(b, s, strlen(s));
}

static inline void dp_buf_putc(dp_buf *b, char c) { dp_buf_add(b, &c, 1); }

static inline void dp_buf_printf(dp_buf *b, const char *fmt, ...)
    DCONV_PRINTF(2, 3);
static inline void dp_buf_printf(dp_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || dp_buf_reserve(b, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

/** Cut the buffer back to `len` bytes (len <= b->len). */
static inline void dp_buf_truncate(dp_buf *b, size_t len) {
  b->len = len;
  if (b->data)
    b->data[len] = '\0';
}

static inline void dp_buf_free(dp_buf *b) {
  b->host->free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/** Send the buffered bytes to the output once `threshold` bytes are held
 *  (0 = always). Returns 0 or a DCONV_E_* code (already reported). */
static inline int dp_buf_drain(dp_buf *b, dconv_export *ex, size_t threshold) {
  if (b->failed)
    return b->host->set_error(ex, DCONV_E_NOMEM, "out of memory");
  if (b->len < threshold || b->len == 0)
    return 0;
  int rc = b->host->write(ex, b->data, b->len);
  b->len = 0;
  return rc;
}

/** A boolean option ("true"/"false", validated by the host). */
static inline int dp_opt_bool(const dconv_host *h, dconv_export *ex,
                              const char *key) {
  const char *v = h->option(ex, key);
  return v && strcmp(v, "true") == 0;
}

/** String attribute or "" (never NULL). */
static inline const char *dp_str(const dconv_host *h, const dconv_node *n,
                                 const char *key) {
  const char *s = h->node_str(n, key);
  return s ? s : "";
}

/** Integer attribute or `def`. */
static inline int64_t dp_int(const dconv_host *h, const dconv_node *n,
                             const char *key, int64_t def) {
  int64_t v;
  return h->node_int(n, key, &v) == 0 ? v : def;
}

/** First child of `parent` of `kind` after `from` (exclusive; NULL = from the
 *  start). Walk e.g. all papers of a digest with
 *  for (p = dp_next_kind(h, d, NULL, PAPER); p; p = dp_next_kind(h, d, p, PAPER)) */
static inline const dconv_node *dp_next_kind(const dconv_host *h,
                                             const dconv_node *parent,
                                             const dconv_node *from,
                                             uint32_t kind) {
  const dconv_node *n = from ? h->node_next(from) : h->node_first_child(parent);
  while (n && h->node_kind(n) != kind)
    n = h->node_next(n);
  return n;
}

/** Walk over the inline content under `top` (usually an ITEM): yields
 *  DCONV_EVENT_ENTER/EXIT for the inline kinds of ABI 1.0 (TEXT, CODE, EMPH,
 *  STRONG, LINK), never `top` itself, and skips nodes of kinds it does not
 *  know together with their subtrees, as the open-enum rule asks. Built on
 *  host->iter_*, so nesting depth costs no stack.
 *
 *    dp_inlines w;
 *    if (dp_inlines_open(&w, h, item)) return ...ENOMEM...;
 *    while ((ev = dp_inlines_next(&w, &n, &kind)) != DCONV_EVENT_DONE) ...
 *    dp_inlines_close(&w);
 */
typedef struct dp_inlines {
  const dconv_host *h;
  dconv_iter *it; /* owned; freed by dp_inlines_close */
  const dconv_node *top, *skip;
} dp_inlines;

static inline int dp_inlines_open(dp_inlines *w, const dconv_host *h,
                                  const dconv_node *top) {
  w->h = h;
  w->top = top;
  w->skip = NULL;
  w->it = h->iter_new(top);
  return w->it ? 0 : DCONV_E_NOMEM;
}

static inline int dp_inlines_next(dp_inlines *w, const dconv_node **node,
                                  uint32_t *kind) {
  const dconv_node *n;
  int ev;
  while ((ev = w->h->iter_next(w->it, &n)) != DCONV_EVENT_DONE) {
    if (n == w->top)
      continue;
    if (w->skip) {
      if (ev == DCONV_EVENT_EXIT && n == w->skip)
        w->skip = NULL;
      continue;
    }
    uint32_t k = w->h->node_kind(n);
    if (k < DCONV_NODE_TEXT || k > DCONV_NODE_LINK) {
      w->skip = n; /* unknown here: skip it and everything below it */
      continue;
    }
    *node = n;
    *kind = k;
    return ev;
  }
  return DCONV_EVENT_DONE;
}

/** Do not descend into `n` (just returned with ENTER): its children and its
 *  EXIT event are skipped. */
static inline void dp_inlines_skip(dp_inlines *w, const dconv_node *n) {
  w->skip = n;
}

static inline void dp_inlines_close(dp_inlines *w) {
  w->h->iter_free(w->it);
  w->it = NULL;
}

#define DP_FOR_EACH(h, var, parent, kind)                                      \
  for (const dconv_node *var = dp_next_kind(h, parent, NULL, kind); var;      \
       var = dp_next_kind(h, parent, var, kind))

/** Append a paper's author names joined by ", " ("; " when a name holds a
 *  comma, so the list stays unambiguous), with `marker` ("+", "et al.",
 *  "…") where the digest elided authors. Names go through put(b, name) so
 *  the caller can escape them (NULL: appended as they are); the separators
 *  and the marker are appended as they are. Returns the number of names
 *  plus 1 if there is a marker: 0 means there is nothing to show. */
static inline int64_t dp_join_authors(const dconv_host *h, dp_buf *b,
                                      const dconv_node *p, const char *marker,
                                      void (*put)(dp_buf *b, const char *s)) {
  int64_t elided_at = -1; /* -1: nothing elided */
  if (dp_int(h, p, "authors_elided", 0)) {
    elided_at = dp_int(h, p, "authors_elided_at", 0);
    if (elided_at < 0)
      elided_at = 0;
  }
  const char *sep = ", ";
  int64_t n = 0;
  DP_FOR_EACH(h, a, p, DCONV_NODE_AUTHOR) {
    if (strchr(dp_str(h, a, "name"), ','))
      sep = "; ";
    n++;
  }
  int64_t i = 0;
  DP_FOR_EACH(h, a, p, DCONV_NODE_AUTHOR) {
    if (i == elided_at)
      dp_buf_printf(b, "%s%s", i ? sep : "", marker);
    if (i || elided_at == 0)
      dp_buf_puts(b, sep);
    if (put)
      put(b, dp_str(h, a, "name"));
    else
      dp_buf_puts(b, dp_str(h, a, "name"));
    i++;
  }
  if (elided_at >= i)
    dp_buf_printf(b, "%s%s", i ? sep : "", marker);
  return n + (elided_at >= 0);
}

#endif
