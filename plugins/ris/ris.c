/*
 * ris - one RIS record per paper, for Zotero, Mendeley and EndNote.
 *
 * Output shape (plugins/ris/README.md): records in document order (digests
 * by date, papers as listed), one per arXiv id, each a run of "XX  - value"
 * lines ending with "ER  - ", lines ended by CRLF as the RIS spec and
 * EndNote expect. RIS has no quoting: a value is everything up to the line
 * end, so the only thing a value must never contain is a line break, and
 * ris_put_value() turns every control character into a space.
 */
#include <dconv/names.h>
#include <dconv/plugin.h>

#include <string.h>

#include "../common/cite.h"
#include <dconv/util.h>

#define RIS_VERSION "1.0.0"
#define RIS_EOL "\r\n"

/* The writer state is the shared cite_writer (options, output, entries). */
typedef cite_writer ris_ctx;

/* s[0..n) as (part of) a value: control characters (line breaks and tabs
 * from the digest) become spaces, so a value can never end its line early
 * or start a bogus tag. */
static void ris_put_value(ris_ctx *c, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch >= 0x20 && ch != 0x7F)
      continue;
    dconv_util_buf_add(&c->out, s + run, i - run);
    dconv_util_buf_putc(&c->out, ' ');
    run = i + 1;
  }
  dconv_util_buf_add(&c->out, s + run, n - run);
}

static void ris_tag_open(ris_ctx *c, const char *tag) {
  dconv_util_buf_puts(&c->out, tag);
  dconv_util_buf_puts(&c->out, "  - ");
}

static void ris_tag_close(ris_ctx *c) { dconv_util_buf_puts(&c->out, RIS_EOL); }

/* A whole tag line; nothing for an empty value (importers would keep an
 * empty field). */
static void ris_tag(ris_ctx *c, const char *tag, const char *s) {
  if (!s || !*s)
    return;
  ris_tag_open(c, tag);
  ris_put_value(c, s, strlen(s));
  ris_tag_close(c);
}

/* One AU line as the RIS spec asks: "Family, Given" or "Family, Given,
 * Suffix"; a team or a one-word name is written whole (Zotero then stores
 * it as a single-field name). */
static void ris_put_author(ris_ctx *c, const char *name) {
  dconv_name nm;
  dconv_names_split(name, &nm);
  ris_tag_open(c, "AU");
  size_t flen, glen;
  const char *family = dconv_names_span(&nm, nm.family, nm.n, &flen);
  const char *given = dconv_names_span(&nm, 0, nm.family, &glen);
  if (nm.corporate || !family) {
    ris_put_value(c, name, strlen(name));
  } else {
    ris_put_value(c, family, flen);
    if (given) {
      dconv_util_buf_puts(&c->out, ", ");
      ris_put_value(c, given, glen);
    }
    if (nm.suffix) { /* a suffix implies a given name (names.h rule 3) */
      dconv_util_buf_puts(&c->out, ", ");
      ris_put_value(c, nm.suffix, nm.suffix_len);
    }
  }
  ris_tag_close(c);
}

/* One summary bullet of AB (cite_summary): bullets joined by spaces. */
static void ris_put_bullet(void *ctx, const char *s, size_t n, int first) {
  ris_ctx *c = (ris_ctx *)ctx;
  if (first)
    ris_tag_open(c, "AB");
  else
    dconv_util_buf_putc(&c->out, ' ');
  ris_put_value(c, s, n);
}

/* N1 with the digest note, if the paper has a date or votes. */
static void ris_put_note(ris_ctx *c, const cite_entry *e) {
  dconv_util_buf_truncate(&c->scratch, 0);
  if (!cite_digest_note(c->h, e, &c->scratch) || c->scratch.failed)
    return;
  ris_tag_open(c, "N1");
  ris_put_value(c, c->scratch.data, c->scratch.len);
  ris_tag_close(c);
}

static int ris_put_record(ris_ctx *c, const cite_entry *e) {
  const dconv_host *h = c->h;
  dconv_util_buf *b = &c->out;
  /* RPRT: Zotero has no RIS type for preprints and reads UNPB/GEN as a
   * journal article; RPRT imports as a report (PB = institution, SN =
   * report number), which is how a preprint cites. */
  dconv_util_buf_puts(b, "TY  - RPRT" RIS_EOL);
  ris_tag(c, "TI", h->node_str(e->paper, "title"));

  int elided;
  size_t listed = cite_listed_authors(h, e->paper, &elided), i = 0;
  DCONV_UTIL_FOR_EACH(h, a, e->paper, DCONV_NODE_AUTHOR) {
    if (i++ == listed)
      break;
    const char *name = dconv_util_str(h, a, "name");
    if (*name)
      ris_put_author(c, name);
  }

  if (e->year > 0 && e->year < 10000) {
    dconv_util_buf_printf(b, "PY  - %04d" RIS_EOL, e->year);
    if (e->month)
      dconv_util_buf_printf(b, "DA  - %04d/%02d//" RIS_EOL, e->year, e->month);
    else
      dconv_util_buf_printf(b, "DA  - %04d///" RIS_EOL, e->year);
  }
  const char *url = h->node_str(e->paper, "url");
  if (url && dconv_util_url_ok(url)) /* the one URL rule of every writer */
    ris_tag(c, "UR", url);
  if (e->id) {
    ris_tag_open(c, "DO");
    dconv_util_buf_puts(b, "10.48550/arXiv.");
    ris_put_value(c, e->id, strlen(e->id));
    ris_tag_close(c);
    ris_tag(c, "AN", e->id);
    /* SN is a report's number: Zotero shows it, and CSL styles print it,
     * as "arXiv:2403.17887". PB is the issuer. No DB (archive): styles
     * print it next to the publisher ("arXiv. arXiv."). */
    ris_tag_open(c, "SN");
    dconv_util_buf_puts(b, "arXiv:");
    ris_put_value(c, e->id, strlen(e->id));
    ris_tag_close(c);
    ris_tag(c, "PB", "arXiv");
  }
  if (elided)
    dconv_util_buf_puts(b, "N1  - " CITE_ELIDED_NOTE RIS_EOL);
  if (c->note)
    ris_put_note(c, e);
  if (c->abstract) {
    int64_t n = cite_summary(h, e->paper, ris_put_bullet, c);
    if (n < 0)
      return (int)n;
    if (n > 0)
      ris_tag_close(c);
  }
  /* The trailing blank after the dash is part of the end tag. */
  dconv_util_buf_puts(b, "ER  - " RIS_EOL RIS_EOL);
  return 0;
}

static int ris_convert(const dconv_host *h, dconv_export *ex) {
  ris_ctx c;
  int rc = cite_writer_open(&c, h, ex);
  if (rc)
    return rc;
  for (size_t i = 0; i < c.list.n && !rc; i++) {
    rc = ris_put_record(&c, &c.list.items[i]);
    if (!rc)
      rc = dconv_util_buf_drain(&c.out, ex, 1 << 16);
  }
  return cite_writer_close(&c, rc);
}

static const dconv_option ris_options[] = {
    {sizeof(dconv_option), DCONV_OPT_BOOL, "abstract", "false", NULL,
     "add the digest's summary bullets as the abstract (AB)"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "note", "false", NULL,
     "add a note (N1) with the digest date and the vote count"},
};

static const dconv_plugin ris_plugin = {
    DCONV_PLUGIN_HEADER,
    0,
    "ris",
    RIS_VERSION,
    "one RIS record per paper (arXiv DOI), for Zotero, Mendeley, EndNote",
    "ris",
    ris_options,
    sizeof ris_options / sizeof ris_options[0],
    0,
    NULL,
    ris_convert,
};

DCONV_PLUGIN_DEFINE(ris_plugin)
