/*
 * csljson - the papers as a CSL-JSON array, for pandoc --citeproc, Zotero
 * and every CSL processor.
 *
 * Output shape (plugins/csljson/README.md): one item per line, in document
 * order (digests by date, papers as listed), one per arXiv id, keys in a
 * fixed order; valid against the CSL schema's csl-data.json (tests/csljson
 * validates every output). Fields that have no value are left out, as the
 * schema wants, rather than written as null.
 */
#include <dconv/names.h>
#include <dconv/plugin.h>

#include <string.h>

#include "../common/cite.h"
#include "../common/dp.h"

#define CSL_VERSION "1.0.0"

/* The writer state is the shared dp_cite_writer (options, output, entries). */
typedef dp_cite_writer csl_ctx;

/* TODO(util.h): the JSON string escaper belongs in include/dconv/util.h
 * (shared with plugins/json); switch to it when that lands. Escapes s[0..n)
 * as the inside of a JSON string: '"', '\\' and every control character. */
static void csl_put_escaped(dp_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch >= 0x20 && ch != '"' && ch != '\\')
      continue;
    dp_buf_add(b, s + run, i - run);
    run = i + 1;
    switch (ch) {
    case '"':
      dp_buf_puts(b, "\\\"");
      break;
    case '\\':
      dp_buf_puts(b, "\\\\");
      break;
    case '\n':
      dp_buf_puts(b, "\\n");
      break;
    case '\t':
      dp_buf_puts(b, "\\t");
      break;
    case '\r':
      dp_buf_puts(b, "\\r");
      break;
    default: {
      char esc[7] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15], 0};
      dp_buf_puts(b, esc);
    }
    }
  }
  dp_buf_add(b, s + run, n - run);
}

/* ,"key":"value" - nothing when the value is NULL or empty. */
static void csl_field(csl_ctx *c, const char *key, const char *s, size_t n) {
  if (!s || !n)
    return;
  dp_buf_printf(&c->out, ",\"%s\":\"", key);
  csl_put_escaped(&c->out, s, n);
  dp_buf_putc(&c->out, '"');
}

static void csl_field_str(csl_ctx *c, const char *key, const char *s) {
  csl_field(c, key, s, s ? strlen(s) : 0);
}

/* One name object. Teams and one-word names are "literal" (CSL never
 * reorders or abbreviates those); everything else is family + given (the
 * family part keeps its particle: "van Werra", as in BibTeX). */
static void csl_put_author(csl_ctx *c, const char *name) {
  dconv_name nm;
  dconv_names_split(name, &nm);
  size_t flen, glen;
  const char *family = dconv_names_span(&nm, nm.family, nm.n, &flen);
  const char *given = dconv_names_span(&nm, 0, nm.family, &glen);
  dp_buf *b = &c->out;
  if (nm.corporate || !family || !given) {
    dp_buf_puts(b, "{\"literal\":\"");
    csl_put_escaped(b, name, strlen(name));
    dp_buf_puts(b, "\"}");
    return;
  }
  dp_buf_puts(b, "{\"family\":\"");
  csl_put_escaped(b, family, flen);
  dp_buf_puts(b, "\",\"given\":\"");
  csl_put_escaped(b, given, glen);
  dp_buf_putc(b, '"');
  if (nm.suffix) {
    dp_buf_puts(b, ",\"suffix\":\"");
    csl_put_escaped(b, nm.suffix, nm.suffix_len);
    dp_buf_putc(b, '"');
  }
  dp_buf_putc(b, '}');
}

/* The item id, which pandoc uses as the citation key: the same as the
 * BibTeX writer's default keys=id ("arxiv2403.17887"; old-style
 * hep-th/9901001 -> "arxivhep-th9901001"), so a document can switch
 * between the .bib and the .json. Without an arXiv id: "paper-DATE-N", N
 * the paper's 1-based position among all papers of its digest (repeats
 * included), so the id never depends on what other digests contain. */
static void csl_put_id(csl_ctx *c, const dp_cite *e) {
  dp_buf *b = &c->out;
  dp_buf_puts(b, "\"id\":\"");
  if (e->id) {
    dp_buf_puts(b, "arxiv");
    for (const char *p = e->id; *p; p++)
      if (*p != '/')
        csl_put_escaped(b, p, 1);
  } else {
    const char *date = dp_str(c->h, e->digest, "date");
    size_t pos = 0;
    DP_FOR_EACH(c->h, p, e->digest, DCONV_NODE_PAPER) {
      pos++;
      if (p == e->paper)
        break;
    }
    dp_buf_puts(b, "paper-");
    csl_put_escaped(b, date, strlen(date));
    dp_buf_printf(b, "-%lu", (unsigned long)pos);
  }
  dp_buf_putc(b, '"');
}

/* "note": the author-list gap and, with -O note=true, the digest note,
 * joined by "; ". Returns 0 or DCONV_E_NOMEM (reported). */
static int csl_put_note(csl_ctx *c, const dp_cite *e, int elided) {
  dp_buf tmp;
  dp_buf_init(&tmp, c->h);
  if (elided)
    dp_buf_puts(&tmp, DP_CITE_ELIDED_NOTE);
  if (c->note) {
    size_t mark = tmp.len;
    if (elided)
      dp_buf_puts(&tmp, "; ");
    if (!dp_cite_digest_note(c->h, e, &tmp))
      dp_buf_truncate(&tmp, mark);
  }
  int failed = tmp.failed;
  if (!failed)
    csl_field(c, "note", tmp.data, tmp.len);
  dp_buf_free(&tmp);
  return failed ? c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory") : 0;
}

/* One summary bullet of "abstract" (dp_cite_summary): joined by spaces. */
static void csl_put_bullet(void *ctx, const char *s, size_t n, int first) {
  csl_ctx *c = (csl_ctx *)ctx;
  dp_buf_puts(&c->out, first ? ",\"abstract\":\"" : " ");
  csl_put_escaped(&c->out, s, n);
}

static int csl_put_item(csl_ctx *c, const dp_cite *e) {
  const dconv_host *h = c->h;
  dp_buf *b = &c->out;
  /* "article" is CSL 1.0.2's type for preprints (Zotero exports its
   * preprints as it). */
  dp_buf_puts(b, "{");
  csl_put_id(c, e);
  dp_buf_puts(b, ",\"type\":\"article\"");
  csl_field_str(c, "title", h->node_str(e->paper, "title"));

  int elided;
  size_t listed = dp_cite_listed_authors(h, e->paper, &elided), i = 0;
  int first = 1;
  DP_FOR_EACH(h, a, e->paper, DCONV_NODE_AUTHOR) {
    if (i++ == listed)
      break;
    const char *name = dp_str(h, a, "name");
    if (!*name)
      continue;
    dp_buf_puts(b, first ? ",\"author\":[" : ",");
    csl_put_author(c, name);
    first = 0;
  }
  if (!first)
    dp_buf_putc(b, ']');

  if (e->year > 0 && e->year < 10000) {
    if (e->month)
      dp_buf_printf(b, ",\"issued\":{\"date-parts\":[[%d,%d]]}", e->year,
                    e->month);
    else
      dp_buf_printf(b, ",\"issued\":{\"date-parts\":[[%d]]}", e->year);
  }
  csl_field_str(c, "URL", h->node_str(e->paper, "url"));
  if (e->id) {
    dp_buf_puts(b, ",\"DOI\":\"10.48550/arXiv.");
    csl_put_escaped(b, e->id, strlen(e->id));
    dp_buf_putc(b, '"');
    /* The prefixed form is what Zotero exports for a preprint's archive
     * id and what styles print: "(arXiv:2403.17887)". Only "publisher" is
     * arXiv: with "archive" too, styles print "arXiv. arXiv.". */
    dp_buf_puts(b, ",\"number\":\"arXiv:");
    csl_put_escaped(b, e->id, strlen(e->id));
    dp_buf_putc(b, '"');
    csl_field_str(c, "publisher", "arXiv");
  }
  int rc = csl_put_note(c, e, elided);
  if (rc)
    return rc;
  if (c->abstract) {
    int64_t n = dp_cite_summary(h, c->ex, e->paper, csl_put_bullet, c);
    if (n < 0)
      return (int)n;
    if (n > 0)
      dp_buf_putc(b, '"');
  }
  dp_buf_putc(b, '}');
  return 0;
}

static int csljson_convert(const dconv_host *h, dconv_export *ex) {
  csl_ctx c;
  int rc = dp_cite_writer_open(&c, h, ex);
  if (rc)
    return rc;
  dp_buf_putc(&c.out, '[');
  for (size_t i = 0; i < c.list.n && !rc; i++) {
    dp_buf_puts(&c.out, i ? ",\n" : "\n");
    rc = csl_put_item(&c, &c.list.items[i]);
    if (!rc)
      rc = dp_buf_drain(&c.out, ex, 1 << 16);
  }
  if (!rc)
    dp_buf_puts(&c.out, c.list.n ? "\n]\n" : "]\n");
  return dp_cite_writer_close(&c, rc);
}

static const dconv_option csljson_options[] = {
    {sizeof(dconv_option), DCONV_OPT_BOOL, "abstract", "false", NULL,
     "add the digest's summary bullets as the abstract"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "note", "false", NULL,
     "add the digest date and the vote count to the note"},
};

static const dconv_plugin csljson_plugin = {
    DCONV_PLUGIN_HEADER,
    0,
    "csljson",
    CSL_VERSION,
    "the papers as a CSL-JSON array, for pandoc --citeproc and Zotero",
    "json",
    csljson_options,
    sizeof csljson_options / sizeof csljson_options[0],
    0,
    NULL,
    csljson_convert,
};

DCONV_PLUGIN_DEFINE(csljson_plugin)
