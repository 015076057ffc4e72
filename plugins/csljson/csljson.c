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

typedef struct csl_ctx {
  const dconv_host *h;
  dconv_export *ex;
  int abstract, note; /* options */
  dp_buf out;         /* drained to host->write */
} csl_ctx;

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

/* "note": the author-list gap and, with -O note=true, the digest date and
 * the votes, joined by "; ". */
static void csl_put_note(csl_ctx *c, const dp_cite *e, int elided) {
  const dconv_host *h = c->h;
  const char *date = c->note ? dp_str(h, e->digest, "date") : "";
  int64_t votes = 0;
  int has_votes = c->note && h->node_int(e->paper, "votes", &votes) == 0;
  if (!elided && !*date && !has_votes)
    return;
  dp_buf *b = &c->out;
  dp_buf_puts(b, ",\"note\":\"");
  const char *sep = "";
  if (elided) {
    dp_buf_puts(b, "Author list shortened in the digest (et al.): only the "
                   "names before the gap are listed");
    sep = "; ";
  }
  if (*date) {
    dp_buf_printf(b, "%sDaily paper digest of ", sep);
    csl_put_escaped(b, date, strlen(date));
    sep = ", ";
  }
  if (has_votes)
    dp_buf_printf(b, "%s%lld vote%s", sep, (long long)votes,
                  votes == 1 ? "" : "s");
  dp_buf_putc(b, '"');
}

/* "abstract": the summary bullets, flattened and joined by spaces. */
static int csl_put_abstract(csl_ctx *c, const dconv_node *paper) {
  const dconv_host *h = c->h;
  int first = 1;
  DP_FOR_EACH(h, item, paper, DCONV_NODE_ITEM) {
    size_t len;
    char *text = h->node_flatten(item, &len);
    if (!text)
      return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
    if (len) {
      dp_buf_puts(&c->out, first ? ",\"abstract\":\"" : " ");
      csl_put_escaped(&c->out, text, len);
      first = 0;
    }
    h->free(text);
  }
  if (!first)
    dp_buf_putc(&c->out, '"');
  return 0;
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
  csl_put_note(c, e, elided);
  if (c->abstract) {
    int rc = csl_put_abstract(c, e->paper);
    if (rc)
      return rc;
  }
  dp_buf_putc(b, '}');
  return 0;
}

static int csljson_convert(const dconv_host *h, dconv_export *ex) {
  csl_ctx c;
  memset(&c, 0, sizeof c);
  c.h = h;
  c.ex = ex;
  c.abstract = dp_opt_bool(h, ex, "abstract");
  c.note = dp_opt_bool(h, ex, "note");
  dp_buf_init(&c.out, h);
  dp_cite_list list;
  int rc = dp_cite_collect(h, ex, &list);
  if (rc)
    return rc;
  dp_buf_putc(&c.out, '[');
  for (size_t i = 0; i < list.n && !rc; i++) {
    const dp_cite *e = &list.items[i];
    dp_buf_puts(&c.out, i ? ",\n" : "\n");
    rc = csl_put_item(&c, e);
    if (!rc)
      rc = dp_buf_drain(&c.out, ex, 1 << 16);
  }
  if (!rc) {
    dp_buf_puts(&c.out, list.n ? "\n]\n" : "]\n");
    rc = dp_buf_drain(&c.out, ex, 0);
  }
  dp_buf_free(&c.out);
  dp_cite_list_free(h, &list);
  return rc;
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
