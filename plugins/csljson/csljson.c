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

/* TODO(util.h): this is plugins/json's escaper; switch to the shared
 * dconv_json_put_str() of include/dconv/util.h when that lands (same
 * contract). Appends the NUL-terminated `s` as a JSON string literal:
 * quotes around it, '"' and '\\' escaped, \n \t \r by name, every other
 * byte below 0x20 as \u00XX; UTF-8 as it is. */
static void csl_put_str(dp_buf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  dp_buf_putc(b, '"');
  const char *run = s;
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch >= 0x20 && ch != '"' && ch != '\\')
      continue;
    dp_buf_add(b, run, (size_t)(s - run));
    run = s + 1;
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
  dp_buf_add(b, run, (size_t)(s - run));
  dp_buf_putc(b, '"');
}

/* ,"key":"value" - nothing when the value is NULL or empty. */
static void csl_field(csl_ctx *c, const char *key, const char *s) {
  if (!s || !*s)
    return;
  dp_buf_printf(&c->out, ",\"%s\":", key);
  csl_put_str(&c->out, s);
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
    dp_buf_puts(b, "{\"literal\":");
    csl_put_str(b, name);
    dp_buf_putc(b, '}');
    return;
  }
  dp_buf_puts(b, "{\"family\":");
  csl_put_str(b, dp_cite_scratch(c, family, flen));
  dp_buf_puts(b, ",\"given\":");
  csl_put_str(b, dp_cite_scratch(c, given, glen));
  if (nm.suffix) {
    dp_buf_puts(b, ",\"suffix\":");
    csl_put_str(b, dp_cite_scratch(c, nm.suffix, nm.suffix_len));
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
  dp_buf *id = &c->scratch;
  dp_buf_truncate(id, 0);
  if (e->id) {
    dp_buf_puts(id, "arxiv");
    for (const char *p = e->id; *p; p++)
      if (*p != '/')
        dp_buf_putc(id, *p);
  } else {
    size_t pos = 0;
    DP_FOR_EACH(c->h, p, e->digest, DCONV_NODE_PAPER) {
      pos++;
      if (p == e->paper)
        break;
    }
    dp_buf_printf(id, "paper-%s-%lu", dp_str(c->h, e->digest, "date"),
                  (unsigned long)pos);
  }
  dp_buf_puts(&c->out, "\"id\":");
  csl_put_str(&c->out, id->data ? id->data : "");
}

/* "note": the author-list gap and, with -O note=true, the digest note,
 * joined by "; ". */
static void csl_put_note(csl_ctx *c, const dp_cite *e, int elided) {
  dp_buf *note = &c->scratch;
  dp_buf_truncate(note, 0);
  if (elided)
    dp_buf_puts(note, DP_CITE_ELIDED_NOTE);
  if (c->note) {
    size_t mark = note->len;
    if (elided)
      dp_buf_puts(note, "; ");
    if (!dp_cite_digest_note(c->h, e, note))
      dp_buf_truncate(note, mark);
  }
  csl_field(c, "note", note->data);
}

/* One summary bullet of the abstract (dp_cite_summary), collected in the
 * scratch buffer and joined by spaces. */
static void csl_add_bullet(void *ctx, const char *s, size_t n, int first) {
  csl_ctx *c = (csl_ctx *)ctx;
  if (!first)
    dp_buf_putc(&c->scratch, ' ');
  dp_buf_add(&c->scratch, s, n);
}

static int csl_put_item(csl_ctx *c, const dp_cite *e) {
  const dconv_host *h = c->h;
  dp_buf *b = &c->out;
  /* "article" is CSL 1.0.2's type for preprints (Zotero exports its
   * preprints as it). */
  dp_buf_puts(b, "{");
  csl_put_id(c, e);
  dp_buf_puts(b, ",\"type\":\"article\"");
  csl_field(c, "title", h->node_str(e->paper, "title"));

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
  csl_field(c, "URL", h->node_str(e->paper, "url"));
  if (e->id) {
    dp_buf_truncate(&c->scratch, 0);
    dp_buf_printf(&c->scratch, "10.48550/arXiv.%s", e->id);
    csl_field(c, "DOI", c->scratch.data);
    /* The prefixed form is what Zotero exports for a preprint's archive
     * id and what styles print: "(arXiv:2403.17887)". Only "publisher" is
     * arXiv: with "archive" too, styles print "arXiv. arXiv.". */
    dp_buf_truncate(&c->scratch, 0);
    dp_buf_printf(&c->scratch, "arXiv:%s", e->id);
    csl_field(c, "number", c->scratch.data);
    csl_field(c, "publisher", "arXiv");
  }
  csl_put_note(c, e, elided);
  if (c->abstract) {
    dp_buf_truncate(&c->scratch, 0);
    int64_t n = dp_cite_summary(h, c->ex, e->paper, csl_add_bullet, c);
    if (n < 0)
      return (int)n;
    csl_field(c, "abstract", c->scratch.data);
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
