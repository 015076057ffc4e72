/*
 * dconv/util.h - what almost every dconv plugin needs, in one place.
 *
 * A growable buffer (with decimal integers), tree accessors with defaults, a walker over the inline
 * content of an item, the author-list joiner, flat summary items turned
 * into nested lists, JSON string and URL escaping, the URL rule every
 * writer follows, a string set, calendar arithmetic and the date an arXiv
 * id encodes. The in-tree writers use exactly these, so a third-party
 * plugin that includes this header behaves like them.
 *
 * Header-only (static inline), C11 and C++ compatible, and NOT part of the
 * binary ABI: the code is compiled into each plugin that includes it, so it
 * may change between releases without an ABI bump. It is built only on the
 * public ABI (<dconv/plugin.h>); memory comes from the host's allocator.
 *
 * XML and XHTML are not escaped here: writers of XML formats use libxml2's
 * writer (as the in-tree EPUB and OPML writers do) or its
 * xmlEncodeSpecialChars() for HTML text (the Anki writer).
 *
 * ERRORS: functions that can fail return 0 or a negative DCONV_E_* code.
 * Buffer appends do not: a failed allocation makes the buffer "failed"
 * (sticky), so a writer appends freely and checks once, with
 * dconv_util_buf_check() or dconv_util_buf_drain().
 */
#ifndef DCONV_UTIL_H
#define DCONV_UTIL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <dconv/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ buffer */

/** Growable byte buffer. `data` is owned (host->realloc) and NUL-terminated
 *  whenever it is non-NULL; release it with dconv_util_buf_free(). */
typedef struct dconv_util_buf {
  const dconv_host *host;
  char *data;
  size_t len, cap;
  int failed; /* sticky allocation failure: check once at the end */
} dconv_util_buf;

static inline void dconv_util_buf_init(dconv_util_buf *b,
                                       const dconv_host *host) {
  memset(b, 0, sizeof *b);
  b->host = host;
}

/** Room for `extra` more bytes (plus the NUL). 0 or DCONV_E_NOMEM. */
static inline int dconv_util_buf_reserve(dconv_util_buf *b, size_t extra) {
  if (b->failed)
    return DCONV_E_NOMEM;
  if (extra > SIZE_MAX / 2 - b->len) {
    b->failed = 1;
    return DCONV_E_NOMEM;
  }
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

static inline void dconv_util_buf_add(dconv_util_buf *b, const char *s,
                                      size_t n) {
  if (dconv_util_buf_reserve(b, n))
    return;
  if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static inline void dconv_util_buf_puts(dconv_util_buf *b, const char *s) {
  dconv_util_buf_add(b, s, strlen(s));
}

static inline void dconv_util_buf_putc(dconv_util_buf *b, char c) {
  dconv_util_buf_add(b, &c, 1);
}

static inline void dconv_util_buf_vprintf(dconv_util_buf *b, const char *fmt,
                                          va_list ap) {
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n >= 0 && dconv_util_buf_reserve(b, (size_t)n) == 0) {
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
    b->len += (size_t)n;
  }
  va_end(again);
}

static inline void dconv_util_buf_printf(dconv_util_buf *b, const char *fmt,
                                         ...) DCONV_PRINTF(2, 3);
static inline void dconv_util_buf_printf(dconv_util_buf *b, const char *fmt,
                                         ...) {
  va_list ap;
  va_start(ap, fmt);
  dconv_util_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

/** Append `v` in decimal, with at least `min_digits` digits (zeros in
 *  front; 0 or 1: none added), after a '-' when negative: what
 *  printf("%lld") or, for v >= 0, "%0Nlld" writes, without parsing a
 *  format. Writers put several integers in every record, and printf is
 *  the costliest way to append a few digits. */
static inline void dconv_util_buf_put_int(dconv_util_buf *b, int64_t v,
                                          unsigned min_digits) {
  char tmp[24]; /* 19 digits of INT64_MIN, filled from the end */
  char *p = tmp + sizeof tmp;
  /* the magnitude as unsigned, so INT64_MIN has one too */
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  size_t digits = (size_t)(tmp + sizeof tmp - p);
  size_t zeros = min_digits > digits ? min_digits - digits : 0;
  if (dconv_util_buf_reserve(b, (v < 0) + zeros + digits))
    return;
  char *o = b->data + b->len;
  if (v < 0)
    *o++ = '-';
  memset(o, '0', zeros);
  memcpy(o + zeros, p, digits);
  b->len = (size_t)(o + zeros + digits - b->data);
  b->data[b->len] = '\0';
}

/** Cut the buffer back to `len` bytes (len <= b->len). */
static inline void dconv_util_buf_truncate(dconv_util_buf *b, size_t len) {
  b->len = len;
  if (b->data)
    b->data[len] = '\0';
}

static inline void dconv_util_buf_free(dconv_util_buf *b) {
  b->host->free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/** Hand the bytes over: returns the NUL-terminated string (owned by the
 *  caller, host->free) and empties the buffer. NULL when an append failed
 *  (the buffer is then freed) or nothing was ever appended. */
static inline char *dconv_util_buf_detach(dconv_util_buf *b) {
  char *s = b->failed ? NULL : b->data;
  if (b->failed)
    b->host->free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
  return s;
}

/** 0, or DCONV_E_NOMEM when an append failed. The host supplies "out of
 *  memory" as the message, so a writer can just return the code. */
static inline int dconv_util_buf_check(const dconv_util_buf *b) {
  return b->failed ? DCONV_E_NOMEM : 0;
}

/** Send the buffered bytes to the output (host->write) once `threshold`
 *  bytes are held (0: whatever is held), then empty the buffer. Returns 0
 *  or a DCONV_E_* code. Writers stream a large output in ~64 KiB pieces
 *  this way instead of building all of it in memory. */
static inline int dconv_util_buf_drain(dconv_util_buf *b, dconv_export *ex,
                                       size_t threshold) {
  if (b->failed)
    return DCONV_E_NOMEM;
  if (b->len == 0 || b->len < threshold)
    return 0;
  int rc = b->host->write(ex, b->data, b->len);
  dconv_util_buf_truncate(b, 0);
  return rc;
}

/** A copy of s[0..n) with a NUL added (host->alloc; caller frees with
 *  host->free), or NULL when memory ran out. */
static inline char *dconv_util_strndup(const dconv_host *h, const char *s,
                                       size_t n) {
  char *p = (char *)h->alloc(n + 1);
  if (p) {
    if (n)
      memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

/* ========================================================= tree access */

/** String attribute or "" (never NULL; borrowed from the tree). */
static inline const char *dconv_util_str(const dconv_host *h,
                                         const dconv_node *n,
                                         const char *key) {
  const char *s = h->node_str(n, key);
  return s ? s : "";
}

/** Integer attribute, or `def` when the node has none. */
static inline int64_t dconv_util_int(const dconv_host *h, const dconv_node *n,
                                     const char *key, int64_t def) {
  int64_t v;
  return h->node_int(n, key, &v) == 0 ? v : def;
}

/** A boolean option: the host validated it, so it is "true" or "false"
 *  (or absent without a default: false). */
static inline int dconv_util_opt_bool(const dconv_host *h, dconv_export *ex,
                                      const char *key) {
  const char *v = h->option(ex, key);
  return v && strcmp(v, "true") == 0;
}

/** The next child of `parent` of `kind` after `from` (NULL: the first). */
static inline const dconv_node *
dconv_util_next_kind(const dconv_host *h, const dconv_node *parent,
                     const dconv_node *from, uint32_t kind) {
  const dconv_node *n = from ? h->node_next(from) : h->node_first_child(parent);
  while (n && h->node_kind(n) != kind)
    n = h->node_next(n);
  return n;
}

/** for each child `var` of `parent` that is a `kind` node:
 *    DCONV_UTIL_FOR_EACH(h, p, digest, DCONV_NODE_PAPER) { ... } */
#define DCONV_UTIL_FOR_EACH(h, var, parent, kind)                              \
  for (const dconv_node *var = dconv_util_next_kind(h, parent, NULL, kind);   \
       var; var = dconv_util_next_kind(h, parent, var, kind))

/* ====================================================== inline walker */

/**
 * Walk over the inline content under `top` (usually an ITEM): yields
 * DCONV_EVENT_ENTER/EXIT for TEXT, CODE, EMPH, STRONG and LINK, never `top`
 * itself. A node of a kind it does not know (a newer ABI's inline
 * container) is not shown, but its children are: "rendered through", so
 * no text is lost. Built on host->iter_*, so nesting depth costs no stack.
 *
 *   dconv_util_inlines w;
 *   if (dconv_util_inlines_open(&w, h, item)) return DCONV_E_NOMEM;
 *   while ((ev = dconv_util_inlines_next(&w, &n, &kind)) != DCONV_EVENT_DONE)
 *     ...;
 *   dconv_util_inlines_close(&w);
 */
typedef struct dconv_util_inlines {
  const dconv_host *h;
  dconv_iter *it; /* owned; freed by dconv_util_inlines_close */
  const dconv_node *top;
  const dconv_node *skip; /* set by dconv_util_inlines_skip */
} dconv_util_inlines;

static inline int dconv_util_inlines_open(dconv_util_inlines *w,
                                          const dconv_host *h,
                                          const dconv_node *top) {
  w->h = h;
  w->top = top;
  w->skip = NULL;
  w->it = h->iter_new(top);
  return w->it ? 0 : DCONV_E_NOMEM;
}

static inline int dconv_util_inlines_next(dconv_util_inlines *w,
                                          const dconv_node **node,
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
    if (k < DCONV_NODE_TEXT || k > DCONV_NODE_LINK)
      continue; /* unknown container: its children still come */
    *node = n;
    *kind = k;
    return ev;
  }
  return DCONV_EVENT_DONE;
}

/** Do not descend into `n`, just returned with ENTER: its children and its
 *  EXIT are skipped. (Works on every 1.x host; host->iter_skip, new in
 *  1.1, does the same in O(1).) */
static inline void dconv_util_inlines_skip(dconv_util_inlines *w,
                                           const dconv_node *n) {
  w->skip = n;
}

static inline void dconv_util_inlines_close(dconv_util_inlines *w) {
  w->h->iter_free(w->it);
  w->it = NULL;
}

/* ========================================================== authors */

/** Append a paper's author names joined by ", " ("; " when a name holds a
 *  comma, so the list stays unambiguous), with `marker` (e.g. "…") where
 *  the digest elided authors. Names go through put(b, name) so the caller
 *  can escape them (NULL: appended as they are); separators and the marker
 *  are appended as they are. At most `max` names are shown (0: all); when
 *  names are left out, `marker` follows the last one shown. Returns the
 *  number of names shown plus 1 for a marker: 0 means nothing to show. */
static inline int64_t dconv_util_join_authors(
    const dconv_host *h, dconv_util_buf *b, const dconv_node *p,
    const char *marker, size_t max,
    void (*put)(dconv_util_buf *b, const char *s)) {
  int64_t elided_at = -1; /* -1: nothing elided */
  if (dconv_util_int(h, p, "authors_elided", 0)) {
    elided_at = dconv_util_int(h, p, "authors_elided_at", 0);
    if (elided_at < 0)
      elided_at = 0;
  }
  const char *sep = ", ";
  int64_t n = 0;
  DCONV_UTIL_FOR_EACH(h, a, p, DCONV_NODE_AUTHOR) {
    if (strchr(dconv_util_str(h, a, "name"), ','))
      sep = "; ";
    n++;
  }
  int64_t shown = max && (int64_t)max < n ? (int64_t)max : n;
  if (shown < n && (elided_at < 0 || elided_at > shown))
    elided_at = shown; /* the cut is an elision too */
  int64_t i = 0;
  DCONV_UTIL_FOR_EACH(h, a, p, DCONV_NODE_AUTHOR) {
    if (i == shown)
      break;
    if (i == elided_at) {
      dconv_util_buf_puts(b, i ? sep : "");
      dconv_util_buf_puts(b, marker);
    }
    if (i || elided_at == 0)
      dconv_util_buf_puts(b, sep);
    if (put)
      put(b, dconv_util_str(h, a, "name"));
    else
      dconv_util_buf_puts(b, dconv_util_str(h, a, "name"));
    i++;
  }
  if (elided_at >= i) {
    dconv_util_buf_puts(b, i ? sep : "");
    dconv_util_buf_puts(b, marker);
  }
  return shown + (elided_at >= 0);
}

/* ============================================================ lists */

/** Deepest list level a writer opens: the parser's own cap (a digest list
 *  nested deeper keeps its deeper items at this level, with a warning).
 *  Items from other readers are clamped the same way, so every format
 *  shows the same structure. */
#define DCONV_UTIL_LIST_MAX_DEPTH 16

/** Keep depth jumps: an item two levels deeper than the last gets empty
 *  parent items (item == NULL), as Markdown can write ("- - x"). Without
 *  it an item nests at most one level deeper than the one before it. */
#define DCONV_UTIL_LISTS_KEEP_JUMPS 1u

/** What a writer does at each step of a list (every callback returns 0 or
 *  a DCONV_E_* code, which stops the walk). A list opens before its first
 *  item; an item stays open while deeper lists nest inside it. */
typedef struct dconv_util_list_ops {
  int (*open_list)(void *ctx, int depth, int ordered, int64_t start);
  /** `item` is NULL for an empty parent (DCONV_UTIL_LISTS_KEEP_JUMPS). */
  int (*open_item)(void *ctx, int depth, const dconv_node *item);
  int (*close_item)(void *ctx, int depth);
  int (*close_list)(void *ctx, int depth, int ordered);
} dconv_util_list_ops;

/**
 * The ITEM children of `paper` (flat, each with "depth", "ordered" and
 * "number") as nested lists. The rules, the same in every writer: depth is
 * clamped to [0, DCONV_UTIL_LIST_MAX_DEPTH]; a new list starts where the
 * kind changes (bulleted/numbered) or where numbering does not continue
 * (item 5 after item 2 starts a list at 5); otherwise items are siblings.
 */
static inline int dconv_util_lists_walk(const dconv_host *h,
                                        const dconv_node *paper,
                                        unsigned flags,
                                        const dconv_util_list_ops *ops,
                                        void *ctx) {
  enum { N = DCONV_UTIL_LIST_MAX_DEPTH + 1 };
  int ordered_at[N];
  int64_t next_at[N];
  int open = 0, rc = 0;
  DCONV_UTIL_FOR_EACH(h, item, paper, DCONV_NODE_ITEM) {
    int64_t d64 = dconv_util_int(h, item, "depth", 0);
    int d = d64 < 0 ? 0 : d64 > N - 1 ? N - 1 : (int)d64;
    int ordered = dconv_util_int(h, item, "ordered", 0) != 0;
    int64_t num = ordered ? dconv_util_int(h, item, "number", 1) : 0;
    if (!(flags & DCONV_UTIL_LISTS_KEEP_JUMPS) && d > open)
      d = open;
    while (open > d + 1) {
      open--;
      if ((rc = ops->close_item(ctx, open)) != 0 ||
          (rc = ops->close_list(ctx, open, ordered_at[open])) != 0)
        return rc;
    }
    if (open == d + 1) {
      if ((rc = ops->close_item(ctx, d)) != 0)
        return rc;
      if (ordered_at[d] != ordered || (ordered && next_at[d] != num)) {
        open--;
        if ((rc = ops->close_list(ctx, d, ordered_at[d])) != 0)
          return rc;
      }
    }
    while (open < d) { /* KEEP_JUMPS: empty parents */
      ordered_at[open] = 0;
      if ((rc = ops->open_list(ctx, open, 0, 1)) != 0 ||
          (rc = ops->open_item(ctx, open, NULL)) != 0)
        return rc;
      open++;
    }
    if (open == d) {
      ordered_at[d] = ordered;
      if ((rc = ops->open_list(ctx, d, ordered, ordered ? num : 1)) != 0)
        return rc;
      open++;
    }
    next_at[d] = num + 1;
    if ((rc = ops->open_item(ctx, d, item)) != 0)
      return rc;
  }
  while (open > 0) {
    open--;
    if ((rc = ops->close_item(ctx, open)) != 0 ||
        (rc = ops->close_list(ctx, open, ordered_at[open])) != 0)
      return rc;
  }
  return 0;
}

/* ========================================================= escaping */

/** Append `s` as a JSON string literal (RFC 8259): quotes around it, '"'
 *  and '\\' escaped, \b \f \n \r \t by name, every other byte below 0x20
 *  as \u00XX. UTF-8 is kept as it is (strings from the host are valid
 *  UTF-8). `s` is borrowed, only read. */
static inline void dconv_util_put_json(dconv_util_buf *b, const char *s) {
  /* The letter after the backslash for each byte that needs one ('u':
   * \u00XX), 0 for a byte copied as it is. NUL stops the scan too (it
   * ends the string), so one table test per byte finds both the next
   * escape and the end: runs between escapes are copied whole. Bytes from
   * 0x60 on are all 0 (the initializer stops there). */
  static const unsigned char esc[256] = {
      'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 0x00 */
      'b', 't', 'n', 'u', 'f', 'r', 'u', 'u', /* 0x08 */
      'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 0x10 */
      'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 0x18 */
      0,   0,   '"', 0,   0,   0,   0,   0,   /* 0x20 */
      0,   0,   0,   0,   0,   0,   0,   0,   /* 0x28 */
      0,   0,   0,   0,   0,   0,   0,   0,   /* 0x30 */
      0,   0,   0,   0,   0,   0,   0,   0,   /* 0x38 */
      0,   0,   0,   0,   0,   0,   0,   0,   /* 0x40 */
      0,   0,   0,   0,   0,   0,   0,   0,   /* 0x48 */
      0,   0,   0,   0,   0,   0,   0,   0,   /* 0x50 */
      0,   0,   0,   0,   '\\', 0,  0,   0,   /* 0x58 */
  };
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  while (!esc[*p])
    p++;
  /* Most strings have no escape at all: one reservation, then the opening
   * quote, the bytes and the closing quote are stored directly. */
  size_t n = (size_t)(p - (const unsigned char *)s);
  if (dconv_util_buf_reserve(b, n + 2))
    return;
  char *o = b->data + b->len;
  *o = '"';
  memcpy(o + 1, s, n);
  if (!*p) {
    o[n + 1] = '"';
    o[n + 2] = '\0';
    b->len += n + 2;
    return;
  }
  b->len += n + 1;
  while (*p) {
    unsigned char c = *p++;
    char e[6] = {'\\', (char)esc[c], '0', '0', hex[c >> 4], hex[c & 15]};
    dconv_util_buf_add(b, e, esc[c] == 'u' ? 6 : 2);
    const unsigned char *run = p;
    while (!esc[*p])
      p++;
    dconv_util_buf_add(b, (const char *)run, (size_t)(p - run));
  }
  dconv_util_buf_putc(b, '"');
}

/** Is `s` a URL a writer may link to? The one rule of every dconv writer:
 *  an absolute http, https or ftp URL with a host, or a mailto: with an
 *  address (scheme case-insensitive). javascript:, data:, vbscript:, file:
 *  and relative references are refused: a reader clicking a link in a
 *  book, a card or an outline must land on the web, never run code. */
static inline int dconv_util_url_ok(const char *s) {
  static const char *const schemes[] = {"https://", "http://", "ftp://",
                                        "mailto:"};
  for (size_t k = 0; k < sizeof schemes / sizeof *schemes; k++) {
    const char *p = schemes[k];
    size_t i = 0;
    for (; p[i]; i++) {
      char c = s[i];
      if (c >= 'A' && c <= 'Z')
        c = (char)(c - 'A' + 'a');
      if (c != p[i])
        break;
    }
    if (p[i])
      continue;
    char c = s[i]; /* the first byte of the host (or address) */
    return c && c != '/' && c != '?' && c != '#' && c != '@' &&
           (unsigned char)c > 0x20;
  }
  return 0;
}

static inline int dconv_util_is_hex_(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

/** Append URL `s` with every byte that may not stand in a URL
 *  percent-encoded: controls, space, non-ASCII, " < > \ ^ ` { | }, a '%'
 *  not followed by two hex digits, and every '#' after the first. What is
 *  already encoded stays as it is, so encoding twice changes nothing. */
static inline void dconv_util_put_url(dconv_util_buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  int fragment = 0;
  const char *run = s;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    int encode = c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c) != NULL;
    if (c == '%')
      encode = !(dconv_util_is_hex_(s[1]) && dconv_util_is_hex_(s[2]));
    if (c == '#') {
      encode = fragment;
      fragment = 1;
    }
    if (!encode)
      continue;
    dconv_util_buf_add(b, run, (size_t)(s - run));
    char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
    dconv_util_buf_add(b, esc, 3);
    run = s + 1;
  }
  dconv_util_buf_add(b, run, (size_t)(s - run));
}

/* ======================================================== string set */

/** FNV-1a, 64-bit: a small stable hash for tables (not for security). */
static inline uint64_t dconv_util_hash(const char *s, size_t n) {
  uint64_t x = UINT64_C(14695981039346656037);
  for (size_t i = 0; i < n; i++)
    x = (x ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
  return x;
}

/**
 * A set of strings mapped to caller values (e.g. an index into the
 * caller's array), with open addressing: lookups and inserts in O(1)
 * on average, so a writer stays linear on thousands of papers. Keys are
 * borrowed: they must outlive the set (strings of the tree do).
 */
typedef struct dconv_util_strset {
  const dconv_host *h;
  const char **key; /* owned arrays of n_slots entries; NULL = free slot */
  size_t *klen;
  size_t *val;
  size_t n, n_slots;
} dconv_util_strset;

static inline void dconv_util_strset_init(dconv_util_strset *s,
                                          const dconv_host *h) {
  memset(s, 0, sizeof *s);
  s->h = h;
}

static inline void dconv_util_strset_free(dconv_util_strset *s) {
  s->h->free((void *)s->key);
  s->h->free(s->klen);
  s->h->free(s->val);
  s->key = NULL;
  s->klen = s->val = NULL;
  s->n = s->n_slots = 0;
}

static inline size_t dconv_util_strset_slot_(const dconv_util_strset *s,
                                             const char *k, size_t n) {
  size_t mask = s->n_slots - 1;
  size_t i = (size_t)dconv_util_hash(k, n) & mask;
  while (s->key[i] &&
         !(s->klen[i] == n && memcmp(s->key[i], k, n) == 0))
    i = (i + 1) & mask;
  return i;
}

/** Look up k[0..n): 1 and *val when present, else 0. */
static inline int dconv_util_strset_get(const dconv_util_strset *s,
                                        const char *k, size_t n,
                                        size_t *val) {
  if (!s->n_slots)
    return 0;
  size_t i = dconv_util_strset_slot_(s, k, n);
  if (!s->key[i])
    return 0;
  if (val)
    *val = s->val[i];
  return 1;
}

/** Add k[0..n) -> val unless present. Returns 1 (present: *old receives
 *  its value, nothing changes), 0 (added) or DCONV_E_NOMEM. */
static inline int dconv_util_strset_add(dconv_util_strset *s, const char *k,
                                        size_t n, size_t val, size_t *old) {
  if (2 * (s->n + 1) > s->n_slots) { /* keep the load under 1/2 */
    size_t slots = s->n_slots ? s->n_slots * 2 : 16;
    dconv_util_strset t = *s;
    t.n_slots = slots;
    t.key = (const char **)s->h->alloc(slots * sizeof *t.key);
    t.klen = (size_t *)s->h->alloc(slots * sizeof *t.klen);
    t.val = (size_t *)s->h->alloc(slots * sizeof *t.val);
    if (!t.key || !t.klen || !t.val) {
      s->h->free((void *)t.key);
      s->h->free(t.klen);
      s->h->free(t.val);
      return DCONV_E_NOMEM;
    }
    memset((void *)t.key, 0, slots * sizeof *t.key);
    for (size_t i = 0; i < s->n_slots; i++) {
      if (!s->key[i])
        continue;
      size_t j = dconv_util_strset_slot_(&t, s->key[i], s->klen[i]);
      t.key[j] = s->key[i];
      t.klen[j] = s->klen[i];
      t.val[j] = s->val[i];
    }
    dconv_util_strset_free(s);
    *s = t;
  }
  size_t i = dconv_util_strset_slot_(s, k, n);
  if (s->key[i]) {
    if (old)
      *old = s->val[i];
    return 1;
  }
  s->key[i] = k;
  s->klen[i] = n;
  s->val[i] = val;
  s->n++;
  return 0;
}

/* ========================================================= calendar */

/** Days since 1970-01-01 of a proleptic Gregorian date (any year). Done by
 *  hand rather than with mktime/timegm so the result depends on neither the
 *  time zone nor the C library (Howard Hinnant's days_from_civil). */
static inline int64_t dconv_util_days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse: days since 1970-01-01 -> year, month (1-12), day. */
static inline void dconv_util_civil_from_days(int64_t days, int64_t *y,
                                              int *m, int *d) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

/** Day of the week of a day count: 0 = Monday ... 6 = Sunday (ISO). */
static inline int dconv_util_weekday(int64_t days) {
  int64_t w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
  return (int)(w < 0 ? w + 7 : w);
}

/** Parse exactly "YYYY-MM-DD", a real calendar date. Returns 0 and the
 *  parts (any may be NULL), or DCONV_E_INVALID. Digest dates reaching a
 *  plugin are already valid; this is for dates in options. */
static inline int dconv_util_date_parse(const char *s, int *y, int *m,
                                        int *d) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return DCONV_E_INVALID;
  int v[3] = {0, 0, 0};
  for (int k = 0, part = 0; k < 10; k++) {
    if (k == 4 || k == 7) {
      part++;
      continue;
    }
    if (s[k] < '0' || s[k] > '9')
      return DCONV_E_INVALID;
    v[part] = v[part] * 10 + (s[k] - '0');
  }
  int leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays[v[1] - 1] ||
      (v[1] == 2 && v[2] == 29 && !leap))
    return DCONV_E_INVALID;
  if (y)
    *y = v[0];
  if (m)
    *m = v[1];
  if (d)
    *d = v[2];
  return 0;
}

/* ============================================================ arXiv */

static inline int dconv_util_digits_(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/** Year and month of submission an arXiv id encodes: 2403.17887 is March
 *  2024; hep-th/9901001 is January 1999 (old-style years 91-99 are 1900s).
 *  Returns 0 with *year set (and *month, or 0 when its digits are not a
 *  month), or DCONV_E_INVALID with both 0 when the id has no YYMM digits. */
static inline int dconv_util_arxiv_year_month(const char *id, int *year,
                                              int *month) {
  const char *slash = strchr(id, '/');
  const char *ym = slash ? slash + 1 : id;
  int yy = dconv_util_digits_(ym, 2);
  int mm = yy < 0 ? -1 : dconv_util_digits_(ym + 2, 2);
  *year = *month = 0;
  if (yy < 0 || mm < 0)
    return DCONV_E_INVALID;
  *year = slash && yy >= 91 ? 1900 + yy : 2000 + yy;
  *month = mm >= 1 && mm <= 12 ? mm : 0;
  return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* DCONV_UTIL_H */
