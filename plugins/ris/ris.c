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
#include "../common/dp.h"

#define RIS_VERSION "1.0.0"
#define RIS_EOL "\r\n"

typedef struct ris_ctx {
  const dconv_host *h;
  dconv_export *ex;
  int abstract, note; /* options */
  dp_buf out;         /* drained to host->write */
} ris_ctx;

/* s[0..n) as (part of) a value: control characters (line breaks and tabs
 * from the digest) become spaces, so a value can never end its line early
 * or start a bogus tag. */
static void ris_put_value(ris_ctx *c, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch >= 0x20 && ch != 0x7F)
      continue;
    dp_buf_add(&c->out, s + run, i - run);
    dp_buf_putc(&c->out, ' ');
    run = i + 1;
  }
  dp_buf_add(&c->out, s + run, n - run);
}

static void ris_tag_open(ris_ctx *c, const char *tag) {
  dp_buf_puts(&c->out, tag);
  dp_buf_puts(&c->out, "  - ");
}

static void ris_tag_close(ris_ctx *c) { dp_buf_puts(&c->out, RIS_EOL); }

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
      dp_buf_puts(&c->out, ", ");
      ris_put_value(c, given, glen);
    }
    if (nm.suffix) { /* a suffix implies a given name (names.h rule 3) */
      dp_buf_puts(&c->out, ", ");
      ris_put_value(c, nm.suffix, nm.suffix_len);
    }
  }
  ris_tag_close(c);
}

/* AB: the summary bullets, flattened and joined by spaces. */
static int ris_put_abstract(ris_ctx *c, const dconv_node *paper) {
  const dconv_host *h = c->h;
  int first = 1;
  DP_FOR_EACH(h, item, paper, DCONV_NODE_ITEM) {
    size_t len;
    char *text = h->node_flatten(item, &len);
    if (!text)
      return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
    if (len) {
      if (first)
        ris_tag_open(c, "AB");
      else
        dp_buf_putc(&c->out, ' ');
      ris_put_value(c, text, len);
      first = 0;
    }
    h->free(text);
  }
  if (!first)
    ris_tag_close(c);
  return 0;
}

static int ris_put_record(ris_ctx *c, const dp_cite *e) {
  const dconv_host *h = c->h;
  dp_buf *b = &c->out;
  /* RPRT: Zotero has no RIS type for preprints and reads UNPB/GEN as a
   * journal article; RPRT imports as a report (PB = institution, SN =
   * report number), which is how a preprint cites. */
  dp_buf_puts(b, "TY  - RPRT" RIS_EOL);
  ris_tag(c, "TI", h->node_str(e->paper, "title"));

  int elided;
  size_t listed = dp_cite_listed_authors(h, e->paper, &elided), i = 0;
  DP_FOR_EACH(h, a, e->paper, DCONV_NODE_AUTHOR) {
    if (i++ == listed)
      break;
    const char *name = dp_str(h, a, "name");
    if (*name)
      ris_put_author(c, name);
  }

  if (e->year > 0 && e->year < 10000) {
    dp_buf_printf(b, "PY  - %04d" RIS_EOL, e->year);
    if (e->month)
      dp_buf_printf(b, "DA  - %04d/%02d//" RIS_EOL, e->year, e->month);
    else
      dp_buf_printf(b, "DA  - %04d///" RIS_EOL, e->year);
  }
  ris_tag(c, "UR", h->node_str(e->paper, "url"));
  if (e->id) {
    ris_tag_open(c, "DO");
    dp_buf_puts(b, "10.48550/arXiv.");
    ris_put_value(c, e->id, strlen(e->id));
    ris_tag_close(c);
    ris_tag(c, "AN", e->id);
    /* SN is a report's number: Zotero shows it, and CSL styles print it,
     * as "arXiv:2403.17887". PB is the issuer. No DB (archive): styles
     * print it next to the publisher ("arXiv. arXiv."). */
    ris_tag_open(c, "SN");
    dp_buf_puts(b, "arXiv:");
    ris_put_value(c, e->id, strlen(e->id));
    ris_tag_close(c);
    ris_tag(c, "PB", "arXiv");
  }
  if (elided)
    dp_buf_puts(b, "N1  - Author list shortened in the digest (et al.): "
                   "only the names before the gap are listed" RIS_EOL);
  if (c->note) {
    const char *date = dp_str(h, e->digest, "date");
    int64_t votes;
    int has_votes = h->node_int(e->paper, "votes", &votes) == 0;
    if (*date || has_votes) {
      ris_tag_open(c, "N1");
      if (*date) {
        dp_buf_puts(b, "Daily paper digest of ");
        ris_put_value(c, date, strlen(date));
      }
      if (has_votes)
        dp_buf_printf(b, "%s%lld vote%s", *date ? ", " : "", (long long)votes,
                      votes == 1 ? "" : "s");
      ris_tag_close(c);
    }
  }
  if (c->abstract) {
    int rc = ris_put_abstract(c, e->paper);
    if (rc)
      return rc;
  }
  /* The trailing blank after the dash is part of the end tag. */
  dp_buf_puts(b, "ER  - " RIS_EOL RIS_EOL);
  return 0;
}

static int ris_convert(const dconv_host *h, dconv_export *ex) {
  ris_ctx c;
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
  for (size_t i = 0; i < list.n && !rc; i++) {
    rc = ris_put_record(&c, &list.items[i]);
    if (!rc)
      rc = dp_buf_drain(&c.out, ex, 1 << 16);
  }
  if (!rc)
    rc = dp_buf_drain(&c.out, ex, 0);
  dp_buf_free(&c.out);
  dp_cite_list_free(h, &list);
  return rc;
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
