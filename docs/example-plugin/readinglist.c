/*
 * readinglist - an example third-party dconv plugin: every paper as one row
 * of a CSV reading list (RFC 4180), for spreadsheets and to-do apps, and
 * the same CSV read back as a document (a writer and a reader in one
 * module, like dconv's own json).
 *
 *   dconv --to readinglist digests/ > papers.csv
 *   dconv --to readinglist -O separator=tab -O min-votes=20 digests/
 *   dconv --from readinglist papers.csv --to bibtex > papers.bib
 *
 * Columns: date, arxiv_id, title, authors, votes (empty when unknown), url.
 * Authors are joined as every built-in writer joins them (", ", or "; "
 * when a name holds a comma), with "…" where the digest elided some.
 *
 * It is built against the installed SDK only (`pkg-config dconv-plugin`):
 * <dconv/plugin.h> (the ABI) and <dconv/util.h> (header-only helpers,
 * compiled into this module), nothing else from dconv.
 */
#include <dconv/plugin.h>
#include <dconv/util.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RL_ELIDED "\xE2\x80\xA6" /* "…", the elision marker */

static const char *const rl_columns[] = {"date",    "arxiv_id", "title",
                                         "authors", "votes",    "url"};
enum { RL_DATE, RL_ID, RL_TITLE, RL_AUTHORS, RL_VOTES, RL_URL, RL_NCOLS };

/* ------------------------------------------------------------ writer */

/* One field, quoted only when it must be (RFC 4180): when it holds the
 * separator, a double quote, CR or LF. Quotes inside are doubled. */
static void rl_field(dconv_util_buf *b, const char *s, char sep) {
  if (!strchr(s, sep) && !strpbrk(s, "\"\r\n")) {
    dconv_util_buf_puts(b, s);
    return;
  }
  dconv_util_buf_putc(b, '"');
  for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
    dconv_util_buf_add(b, s, (size_t)(q - s) + 1);
    dconv_util_buf_putc(b, '"');
  }
  dconv_util_buf_puts(b, s);
  dconv_util_buf_putc(b, '"');
}

static char rl_separator(const dconv_host *h, dconv_export *ex) {
  /* The host has validated the value against the declared choices. */
  const char *v = h->option(ex, "separator");
  if (v && strcmp(v, "tab") == 0)
    return '\t';
  if (v && strcmp(v, "semicolon") == 0)
    return ';';
  return ',';
}

static int rl_convert(const dconv_host *h, dconv_export *ex) {
  char sep = rl_separator(h, ex);
  /* min-votes: declared DCONV_OPT_INT, so the host has checked it is a
   * decimal 64-bit integer; absent (NULL) means "no minimum". */
  const char *min_opt = h->option(ex, "min-votes");
  long long min_votes = min_opt ? strtoll(min_opt, NULL, 10) : 0;

  dconv_util_buf out, tmp;
  dconv_util_buf_init(&out, h);
  dconv_util_buf_init(&tmp, h);
  for (int i = 0; i < RL_NCOLS; i++) {
    if (i)
      dconv_util_buf_putc(&out, sep);
    dconv_util_buf_puts(&out, rl_columns[i]);
  }
  dconv_util_buf_puts(&out, "\r\n");

  /* COLLECTION -> DIGEST -> PAPER; FOR_EACH skips kinds it is not asked
   * for, so nodes of later ABI minors are ignored. */
  int rc = 0;
  DCONV_UTIL_FOR_EACH(h, d, h->root(ex), DCONV_NODE_DIGEST) {
    const char *date = dconv_util_str(h, d, DCONV_ATTR_DATE);
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      int64_t votes = 0;
      int known = h->node_int(p, DCONV_ATTR_VOTES, &votes) == 0;
      if (min_opt && (!known || votes < min_votes))
        continue; /* unknown votes never pass a minimum */
      if (!h->node_str(p, DCONV_ATTR_URL) &&
          (rc = h->warn_at(ex, p, "paper has no link; its url column is "
                                  "empty")) != 0)
        break; /* --strict made the warning an error; the host says so */
      rl_field(&out, date, sep);
      dconv_util_buf_putc(&out, sep);
      rl_field(&out, dconv_util_str(h, p, DCONV_ATTR_ARXIV_ID), sep);
      dconv_util_buf_putc(&out, sep);
      rl_field(&out, dconv_util_str(h, p, DCONV_ATTR_TITLE), sep);
      dconv_util_buf_putc(&out, sep);
      dconv_util_buf_truncate(&tmp, 0);
      dconv_util_join_authors(h, &tmp, p, RL_ELIDED, 0, NULL);
      rl_field(&out, tmp.data ? tmp.data : "", sep);
      dconv_util_buf_putc(&out, sep);
      if (known)
        dconv_util_buf_printf(&out, "%lld", (long long)votes);
      dconv_util_buf_putc(&out, sep);
      rl_field(&out, dconv_util_str(h, p, DCONV_ATTR_URL), sep);
      dconv_util_buf_puts(&out, "\r\n");
      if (tmp.failed)
        out.failed = 1;
      if ((rc = dconv_util_buf_drain(&out, ex, 65536)) != 0)
        break;
    }
    if (rc)
      break;
  }
  if (!rc)
    rc = dconv_util_buf_drain(&out, ex, 0);
  dconv_util_buf_free(&out);
  dconv_util_buf_free(&tmp);
  /* The host names DCONV_E_NOMEM ("out of memory") and has recorded the
   * reason of any failure of its own services. */
  return rc;
}

/* ------------------------------------------------------------ reader */

/* A CSV cursor over the input. A field is returned unquoted in `field`
 * (a buffer reused for every field). */
typedef struct rl_csv {
  const char *s, *end;
  char sep;
  uint32_t line; /* of the current position, 1-based */
  dconv_util_buf field;
} rl_csv;

/* Read one field into c->field. Returns 1 when a row continues after it,
 * 0 when the row (or the input) ended, -1 on a stray quote. */
static int rl_next_field(rl_csv *c) {
  dconv_util_buf_truncate(&c->field, 0);
  dconv_util_buf_add(&c->field, "", 0); /* data is never NULL after this */
  if (c->s < c->end && *c->s == '"') {
    for (c->s++;; c->s++) {
      if (c->s >= c->end)
        return -1; /* unterminated quoted field */
      if (*c->s == '"') {
        if (c->s + 1 < c->end && c->s[1] == '"') {
          dconv_util_buf_putc(&c->field, '"');
          c->s++;
          continue;
        }
        c->s++;
        break;
      }
      if (*c->s == '\n')
        c->line++;
      dconv_util_buf_putc(&c->field, *c->s);
    }
  } else {
    const char *start = c->s;
    while (c->s < c->end && *c->s != c->sep && *c->s != '\n' && *c->s != '\r')
      if (*c->s++ == '"')
        return -1;
    dconv_util_buf_add(&c->field, start, (size_t)(c->s - start));
  }
  if (c->s < c->end && *c->s == c->sep) {
    c->s++;
    return 1;
  }
  if (c->s < c->end && *c->s == '\r')
    c->s++;
  if (c->s < c->end && *c->s == '\n') {
    c->s++;
    c->line++;
    return 0;
  }
  return c->s < c->end ? -1 : 0; /* text after a closing quote */
}

/* The row's fields by column, each a copy (host->alloc'd, caller frees
 * with rl_free_row); col[] maps CSV position -> RL_* or -1 (ignored). */
static int rl_read_row(const dconv_host *h, rl_csv *c, const int *col,
                       int ncol, char *row[RL_NCOLS]) {
  memset(row, 0, RL_NCOLS * sizeof *row);
  for (int i = 0;; i++) {
    int more = rl_next_field(c);
    if (more < 0)
      return DCONV_E_PARSE;
    if (i < ncol && col[i] >= 0 && !row[col[i]] &&
        !(row[col[i]] = dconv_util_strndup(h, c->field.data, c->field.len)))
      return DCONV_E_NOMEM;
    if (c->field.failed)
      return DCONV_E_NOMEM;
    if (!more)
      return 0;
  }
}

static void rl_free_row(const dconv_host *h, char *row[RL_NCOLS]) {
  for (int i = 0; i < RL_NCOLS; i++)
    h->free(row[i]);
}

/* Authors as the writer joins them: "; " separates when present, else
 * ", "; a "…" entry marks where names were elided. */
static int rl_add_authors(const dconv_host *h, dconv_export *ex,
                          const dconv_node *paper, const char *s,
                          uint32_t line) {
  const char *sep = strstr(s, "; ") ? "; " : ", ";
  int64_t n = 0;
  int rc = 0;
  while (*s && !rc) {
    const char *e = strstr(s, sep);
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if (len == strlen(RL_ELIDED) && memcmp(s, RL_ELIDED, len) == 0) {
      rc = h->node_set_int(ex, paper, DCONV_ATTR_AUTHORS_ELIDED, 1);
      if (!rc)
        rc = h->node_set_int(ex, paper, DCONV_ATTR_AUTHORS_ELIDED_AT, n);
    } else if (len) {
      const dconv_node *a;
      rc = h->node_add(ex, paper, DCONV_NODE_AUTHOR, NULL, line, &a);
      if (!rc)
        rc = h->node_set_str(ex, a, DCONV_ATTR_NAME, s, len);
      n++;
    }
    s += len + (e ? strlen(sep) : 0);
  }
  return rc;
}

/* The DIGEST of `date`: the last one added when it has that date (rows
 * come grouped by date, as the writer writes them), else a new one. The
 * host sorts digests by date afterwards and reports a repeated date. */
static int rl_digest(const dconv_host *h, dconv_export *ex, const char *date,
                     uint32_t line, const dconv_node **digest) {
  if (*digest && strcmp(dconv_util_str(h, *digest, DCONV_ATTR_DATE), date) == 0)
    return 0;
  int rc = h->node_add(ex, h->root(ex), DCONV_NODE_DIGEST, NULL, line, digest);
  if (!rc)
    rc = h->node_set_str(ex, *digest, DCONV_ATTR_DATE, date, strlen(date));
  return rc;
}

/* Errors name the line ("line 3: ..."); the host puts the input's name in
 * front of the message. */
static int rl_read(const dconv_host *h, dconv_export *ex, const char *name,
                   const char *data, size_t len) {
  (void)name;
  rl_csv c = {data, data + len, ',', 1, {0}};
  dconv_util_buf_init(&c.field, h);
  /* The header names the columns, in any order; its first one, "date",
   * is followed by the separator. */
  if (len > 4 && memcmp(data, "date", 4) == 0 && strchr(",;\t", data[4]))
    c.sep = data[4];
  int col[16], ncol = 0, seen = 0, rc = 0, more = 1;
  while (more > 0 && ncol < 16) {
    more = rl_next_field(&c);
    col[ncol] = -1;
    for (int k = 0; more >= 0 && c.field.data && k < RL_NCOLS; k++)
      if (strcmp(c.field.data, rl_columns[k]) == 0) {
        col[ncol] = k;
        seen |= 1 << k;
      }
    ncol++;
  }
  if (c.field.failed) {
    dconv_util_buf_free(&c.field);
    return DCONV_E_NOMEM; /* the host names it */
  }
  if (more < 0 || !(seen & (1 << RL_DATE)) || !(seen & (1 << RL_TITLE))) {
    dconv_util_buf_free(&c.field);
    return h->set_error(ex, DCONV_E_PARSE,
                        "line 1: not a reading list: the header needs the "
                        "columns date and title");
  }
  const dconv_node *digest = NULL;
  while (!rc && c.s < c.end) {
    uint32_t line = c.line;
    char *row[RL_NCOLS];
    rc = rl_read_row(h, &c, col, ncol, row);
    if (rc == DCONV_E_PARSE)
      rc = h->set_error(ex, rc, "line %u: a quote inside a field that is not "
                        "quoted, or a quoted field that never ends", line);
    else if (!rc && (!row[RL_TITLE] || !*row[RL_TITLE]))
      rc = h->set_error(ex, DCONV_E_PARSE, "line %u: row has no title", line);
    const dconv_node *paper = NULL;
    if (!rc)
      rc = rl_digest(h, ex, row[RL_DATE] ? row[RL_DATE] : "", line, &digest);
    if (!rc)
      rc = h->node_add(ex, digest, DCONV_NODE_PAPER, NULL, line, &paper);
    if (!rc)
      rc = h->node_set_str(ex, paper, DCONV_ATTR_TITLE, row[RL_TITLE],
                           strlen(row[RL_TITLE]));
    if (!rc && row[RL_URL] && *row[RL_URL])
      rc = h->node_set_str(ex, paper, DCONV_ATTR_URL, row[RL_URL],
                           strlen(row[RL_URL]));
    if (!rc && row[RL_ID] && *row[RL_ID])
      rc = h->node_set_str(ex, paper, DCONV_ATTR_ARXIV_ID, row[RL_ID],
                           strlen(row[RL_ID]));
    if (!rc && row[RL_VOTES] && *row[RL_VOTES]) {
      char *end;
      long long v = strtoll(row[RL_VOTES], &end, 10);
      rc = *end || v < 0
               ? h->set_error(ex, DCONV_E_PARSE, "line %u: votes '%s' is not "
                              "a count", line, row[RL_VOTES])
               : h->node_set_int(ex, paper, DCONV_ATTR_VOTES, v);
    }
    if (!rc && row[RL_AUTHORS])
      rc = rl_add_authors(h, ex, paper, row[RL_AUTHORS], line);
    rl_free_row(h, row); /* the host copied what was set */
  }
  dconv_util_buf_free(&c.field);
  return rc;
}

/* Sure when the first line is a header of ours: "date", a separator, and
 * a "title" column further on (the host asks for *.csv and stdin). */
static int rl_probe(const char *name, const char *data, size_t len) {
  (void)name;
  if (len < 5 || memcmp(data, "date", 4) != 0 || !strchr(",;\t", data[4]))
    return 0;
  const char *eol = memchr(data, '\n', len);
  size_t n = eol ? (size_t)(eol - data) : len;
  for (size_t i = 4; i + 6 <= n; i++)
    if (data[i] == data[4] && memcmp(data + i + 1, "title", 5) == 0 &&
        (i + 6 == n || strchr(",;\t\r", data[i + 6])))
      return 90;
  return 0;
}

/* ------------------------------------------------------------ descriptor */

/* Declared options: the host validates `-O key=value` against this table
 * before convert runs, and prints it for `dconv --help readinglist`. */
static const dconv_option rl_options[] = {
    {sizeof(dconv_option), DCONV_OPT_ENUM, "separator", "comma",
     "comma|semicolon|tab", "field separator"},
    {sizeof(dconv_option), DCONV_OPT_INT, "min-votes", NULL, NULL,
     "only papers with at least this many votes (unknown votes never pass)"},
};

static const char *const rl_extensions[] = {"csv", NULL};

/* A writer and a reader: the 1.1 descriptor (dconv_plugin_ext) whose base
 * is the 1.0 one. Designated initialisers avoid the 1.0 trap of
 * n_variants before variants (see <dconv/plugin.h>). */
static const dconv_plugin_ext rl_plugin = {
    .base = {DCONV_PLUGIN_EXT_HEADER, /* abi_major, abi_minor, struct_size */
             .flags = 0,              /* text output (may go to a terminal) */
             .name = "readinglist",   /* --to / --from readinglist */
             .version = "1.1.0",
             .description =
                 "CSV reading list: date, arXiv id, title, authors, votes, url",
             .extension = "csv",
             .options = rl_options,
             .n_options = sizeof rl_options / sizeof rl_options[0],
             .convert = rl_convert},
    .read = rl_read,
    .probe = rl_probe,
    .read_extensions = rl_extensions,
};

/* The one exported symbol, dconv_plugin_entry. */
DCONV_PLUGIN_DEFINE(rl_plugin.base)
