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
#include <dconv/util.h>

#define CSL_VERSION "1.0.0"

/* The writer state is the shared cite_writer (options, output, entries). */
typedef cite_writer csl_ctx;

/* ,"key":"value" - nothing when the value is NULL or empty. */
static void csl_field(csl_ctx *c, const char *key, const char *s) {
  if (!s || !*s)
    return;
  dconv_util_buf_printf(&c->out, ",\"%s\":", key);
  dconv_util_put_json(&c->out, s);
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
  dconv_util_buf *b = &c->out;
  if (nm.corporate || !family || !given) {
    dconv_util_buf_puts(b, "{\"literal\":");
    dconv_util_put_json(b, name);
    dconv_util_buf_putc(b, '}');
    return;
  }
  dconv_util_buf_puts(b, "{\"family\":");
  dconv_util_put_json(b, cite_scratch(c, family, flen));
  dconv_util_buf_puts(b, ",\"given\":");
  dconv_util_put_json(b, cite_scratch(c, given, glen));
  if (nm.suffix) {
    dconv_util_buf_puts(b, ",\"suffix\":");
    dconv_util_put_json(b, cite_scratch(c, nm.suffix, nm.suffix_len));
  }
  dconv_util_buf_putc(b, '}');
}

/* The item id, which pandoc uses as the citation key: the same as the
 * BibTeX writer's default keys=id ("arxiv2403.17887"; old-style
 * hep-th/9901001 -> "arxivhep-th9901001"), so a document can switch
 * between the .bib and the .json. Without an arXiv id: "paper-DATE-N", N
 * the paper's 1-based position among all papers of its digest (repeats
 * included), so the id never depends on what other digests contain. */
static void csl_put_id(csl_ctx *c, const cite_entry *e) {
  dconv_util_buf *id = &c->scratch;
  dconv_util_buf_truncate(id, 0);
  if (e->id) {
    dconv_util_buf_puts(id, "arxiv");
    for (const char *p = e->id; *p; p++)
      if (*p != '/')
        dconv_util_buf_putc(id, *p);
  } else {
    size_t pos = 0;
    DCONV_UTIL_FOR_EACH(c->h, p, e->digest, DCONV_NODE_PAPER) {
      pos++;
      if (p == e->paper)
        break;
    }
    dconv_util_buf_printf(id, "paper-%s-%lu", dconv_util_str(c->h, e->digest, "date"),
                  (unsigned long)pos);
  }
  dconv_util_buf_puts(&c->out, "\"id\":");
  dconv_util_put_json(&c->out, id->data ? id->data : "");
}

/* "note": the author-list gap and, with -O note=true, the digest note,
 * joined by "; ". */
static void csl_put_note(csl_ctx *c, const cite_entry *e, int elided) {
  dconv_util_buf *note = &c->scratch;
  dconv_util_buf_truncate(note, 0);
  if (elided)
    dconv_util_buf_puts(note, CITE_ELIDED_NOTE);
  if (c->note) {
    size_t mark = note->len;
    if (elided)
      dconv_util_buf_puts(note, "; ");
    if (!cite_digest_note(c->h, e, note))
      dconv_util_buf_truncate(note, mark);
  }
  csl_field(c, "note", note->data);
}

/* One summary bullet of the abstract (cite_summary), collected in the
 * scratch buffer and joined by spaces. */
static void csl_add_bullet(void *ctx, const char *s, size_t n, int first) {
  csl_ctx *c = (csl_ctx *)ctx;
  if (!first)
    dconv_util_buf_putc(&c->scratch, ' ');
  dconv_util_buf_add(&c->scratch, s, n);
}

static int csl_put_item(csl_ctx *c, const cite_entry *e) {
  const dconv_host *h = c->h;
  dconv_util_buf *b = &c->out;
  /* "article" is CSL 1.0.2's type for preprints (Zotero exports its
   * preprints as it). */
  dconv_util_buf_puts(b, "{");
  csl_put_id(c, e);
  dconv_util_buf_puts(b, ",\"type\":\"article\"");
  csl_field(c, "title", h->node_str(e->paper, "title"));

  int elided;
  size_t listed = cite_listed_authors(h, e->paper, &elided), i = 0;
  int first = 1;
  DCONV_UTIL_FOR_EACH(h, a, e->paper, DCONV_NODE_AUTHOR) {
    if (i++ == listed)
      break;
    const char *name = dconv_util_str(h, a, "name");
    if (!*name)
      continue;
    dconv_util_buf_puts(b, first ? ",\"author\":[" : ",");
    csl_put_author(c, name);
    first = 0;
  }
  if (!first)
    dconv_util_buf_putc(b, ']');

  if (e->year > 0 && e->year < 10000) {
    if (e->month)
      dconv_util_buf_printf(b, ",\"issued\":{\"date-parts\":[[%d,%d]]}", e->year,
                    e->month);
    else
      dconv_util_buf_printf(b, ",\"issued\":{\"date-parts\":[[%d]]}", e->year);
  }
  const char *url = h->node_str(e->paper, "url");
  if (url && dconv_util_url_ok(url)) /* the one URL rule of every writer */
    csl_field(c, "URL", url);
  if (e->id) {
    dconv_util_buf_truncate(&c->scratch, 0);
    dconv_util_buf_printf(&c->scratch, "10.48550/arXiv.%s", e->id);
    csl_field(c, "DOI", c->scratch.data);
    /* The prefixed form is what Zotero exports for a preprint's archive
     * id and what styles print: "(arXiv:2403.17887)". Only "publisher" is
     * arXiv: with "archive" too, styles print "arXiv. arXiv.". */
    dconv_util_buf_truncate(&c->scratch, 0);
    dconv_util_buf_printf(&c->scratch, "arXiv:%s", e->id);
    csl_field(c, "number", c->scratch.data);
    csl_field(c, "publisher", "arXiv");
  }
  csl_put_note(c, e, elided);
  if (c->abstract) {
    dconv_util_buf_truncate(&c->scratch, 0);
    int64_t n = cite_summary(h, e->paper, csl_add_bullet, c);
    if (n < 0)
      return (int)n;
    csl_field(c, "abstract", c->scratch.data);
  }
  dconv_util_buf_putc(b, '}');
  return 0;
}

static int csljson_convert(const dconv_host *h, dconv_export *ex) {
  csl_ctx c;
  int rc = cite_writer_open(&c, h, ex);
  if (rc)
    return rc;
  dconv_util_buf_putc(&c.out, '[');
  for (size_t i = 0; i < c.list.n && !rc; i++) {
    dconv_util_buf_puts(&c.out, i ? ",\n" : "\n");
    rc = csl_put_item(&c, &c.list.items[i]);
    if (!rc)
      rc = dconv_util_buf_drain(&c.out, ex, 1 << 16);
  }
  if (!rc)
    dconv_util_buf_puts(&c.out, c.list.n ? "\n]\n" : "]\n");
  return cite_writer_close(&c, rc);
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
