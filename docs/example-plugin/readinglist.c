/*
 * readinglist - an example third-party dconv plugin: every paper as one row
 * of a CSV reading list (RFC 4180), for spreadsheets and to-do apps.
 *
 *   dconv --to readinglist digests/ > papers.csv
 *   dconv --to readinglist -O separator=tab -O min-votes=20 digests/
 *
 * Columns: date, arxiv_id, title, authors (joined with "; "), votes (empty
 * when unknown), url. It is built against the installed SDK only
 * (`pkg-config dconv-plugin`): <dconv/plugin.h> and nothing else from dconv.
 */
#include <dconv/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ a buffer */

/* Output is collected here and handed to the host's sink in chunks. Memory
 * comes from the host (host->realloc/free), as the ABI recommends. */
typedef struct rl_buf {
  const dconv_host *host;
  char *data;
  size_t len, cap;
  int nomem; /* set once an allocation failed; later appends are no-ops */
} rl_buf;

static void rl_add(rl_buf *b, const char *s, size_t n) {
  if (b->nomem || n == 0)
    return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n)
      cap *= 2;
    char *p = (char *)b->host->realloc(b->data, cap);
    if (!p) {
      b->nomem = 1;
      return;
    }
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

static void rl_puts(rl_buf *b, const char *s) { rl_add(b, s, strlen(s)); }

/* Send what is buffered to the host's output sink. */
static int rl_flush(rl_buf *b, dconv_export *ex) {
  if (b->nomem)
    return b->host->set_error(ex, DCONV_E_NOMEM, "out of memory");
  int rc = b->host->write(ex, b->data, b->len);
  b->len = 0;
  return rc; /* the host has already recorded the reason on failure */
}

/* ------------------------------------------------------------ CSV */

/* One field, quoted only when it must be (RFC 4180): when it holds the
 * separator, a double quote, CR or LF. Quotes inside are doubled. */
static void rl_field(rl_buf *b, const char *s, char sep) {
  if (!s)
    return; /* absent value: empty field */
  if (!strchr(s, sep) && !strpbrk(s, "\"\r\n")) {
    rl_puts(b, s);
    return;
  }
  rl_add(b, "\"", 1);
  for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
    rl_add(b, s, (size_t)(q - s) + 1);
    rl_add(b, "\"", 1);
  }
  rl_puts(b, s);
  rl_add(b, "\"", 1);
}

static char separator(const dconv_host *h, dconv_export *ex) {
  /* The host has validated the value against the declared choices. */
  const char *v = h->option(ex, "separator");
  if (v && strcmp(v, "tab") == 0)
    return '\t';
  if (v && strcmp(v, "semicolon") == 0)
    return ';';
  return ',';
}

/* The authors of a paper joined with "; " into `tmp` (reset first). */
static const char *authors(const dconv_host *h, const dconv_node *paper,
                           rl_buf *tmp) {
  tmp->len = 0;
  for (const dconv_node *a = h->node_first_child(paper); a;
       a = h->node_next(a)) {
    if (h->node_kind(a) != DCONV_NODE_AUTHOR)
      continue; /* summary items, and kinds added in later ABI minors */
    const char *name = h->node_str(a, "name");
    if (!name)
      continue;
    if (tmp->len)
      rl_puts(tmp, "; ");
    rl_puts(tmp, name);
  }
  rl_add(tmp, "", 1); /* NUL-terminate */
  return tmp->nomem ? "" : tmp->data;
}

static int readinglist_convert(const dconv_host *h, dconv_export *ex) {
  char sep = separator(h, ex);
  char sep_str[2] = {sep, '\0'};
  /* min-votes: declared DCONV_OPT_INT, so the host has checked it is a
   * decimal 64-bit integer; absent (NULL) means "no filter". */
  const char *min_opt = h->option(ex, "min-votes");
  long long min_votes = min_opt ? strtoll(min_opt, NULL, 10) : 0;

  rl_buf out = {h, NULL, 0, 0, 0}, tmp = {h, NULL, 0, 0, 0};
  int rc = 0;
  rl_puts(&out, "date");
  const char *columns[] = {"arxiv_id", "title", "authors", "votes", "url"};
  for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
    rl_puts(&out, sep_str);
    rl_puts(&out, columns[i]);
  }
  rl_puts(&out, "\r\n");

  /* COLLECTION -> DIGEST -> PAPER; skip node kinds we do not know. */
  const dconv_node *root = h->root(ex);
  for (const dconv_node *d = h->node_first_child(root); d && !rc;
       d = h->node_next(d)) {
    if (h->node_kind(d) != DCONV_NODE_DIGEST)
      continue;
    const char *date = h->node_str(d, "date");
    for (const dconv_node *p = h->node_first_child(d); p && !rc;
         p = h->node_next(p)) {
      if (h->node_kind(p) != DCONV_NODE_PAPER)
        continue;
      int64_t votes = 0;
      int known = h->node_int(p, "votes", &votes) == 0;
      if (min_opt && (!known || votes < min_votes))
        continue; /* unknown votes never pass a minimum */
      if (!h->node_str(p, "url")) {
        /* A warning about a node names its file and line; under --strict
         * it becomes an error and log/warn_at return non-zero. */
        rc = h->warn_at(ex, p, "paper has no link; its url column is empty");
        if (rc) {
          rc = h->set_error(ex, rc, "warning treated as an error (--strict)");
          break;
        }
      }
      rl_field(&out, date, sep);
      rl_puts(&out, sep_str);
      rl_field(&out, h->node_str(p, "arxiv_id"), sep);
      rl_puts(&out, sep_str);
      rl_field(&out, h->node_str(p, "title"), sep);
      rl_puts(&out, sep_str);
      rl_field(&out, authors(h, p, &tmp), sep);
      rl_puts(&out, sep_str);
      if (known) {
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)votes);
        rl_puts(&out, num);
      }
      rl_puts(&out, sep_str);
      rl_field(&out, h->node_str(p, "url"), sep);
      rl_puts(&out, "\r\n");
      if (tmp.nomem)
        out.nomem = 1;
      if (out.nomem || out.len >= 65536)
        rc = rl_flush(&out, ex);
    }
  }
  if (!rc)
    rc = rl_flush(&out, ex);
  h->free(out.data);
  h->free(tmp.data);
  return rc;
}

/* ------------------------------------------------------------ descriptor */

/* Declared options: the host validates `-O key=value` against this table
 * before convert runs, and prints it for `dconv --help readinglist`. */
static const dconv_option readinglist_options[] = {
    {sizeof(dconv_option), DCONV_OPT_ENUM, "separator", "comma",
     "comma|semicolon|tab", "field separator"},
    {sizeof(dconv_option), DCONV_OPT_INT, "min-votes", NULL, NULL,
     "only papers with at least this many votes (unknown votes never pass)"},
};

static const dconv_plugin readinglist_plugin = {
    DCONV_PLUGIN_HEADER, /* abi_major, abi_minor, struct_size */
    0,                   /* flags: text output (may go to a terminal) */
    "readinglist",       /* --to readinglist */
    "1.0.0",
    "CSV reading list: date, arXiv id, title, authors, votes, url",
    "csv",
    readinglist_options,
    sizeof readinglist_options / sizeof readinglist_options[0],
    0,    /* n_variants */
    NULL, /* variants */
    readinglist_convert,
};

/* The one exported symbol, dconv_plugin_entry. */
DCONV_PLUGIN_DEFINE(readinglist_plugin)
