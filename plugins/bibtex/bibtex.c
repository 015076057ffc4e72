/*
 * bibtex - one BibTeX (or biblatex) entry per paper, for citing from digests.
 *
 * Output shape (README "BibTeX output"): a '%' comment line, then one entry
 * per distinct paper in document order (digests by date, papers as listed).
 * Field text goes through bibtex_text.c, which only ever emits balanced
 * braces, so no input can break the .bib syntax.
 *
 * Two passes: the first collects the papers (cite_collect drops repeated
 * arXiv ids, as the RIS and CSL-JSON writers do) and builds their keys,
 * because a key's collision suffix depends on every other key in the
 * output; the second writes the entries.
 */
#include <dconv/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/cite.h"
#include "bibtex.h"

#define BIB_VERSION "1.0.0"

/* A warning about `node`; under --strict the host makes it the error. */
static int bib_warn(bib_ctx *c, const dconv_node *node, const char *what,
                    const char *key) {
  return c->h->warn_at(c->ex, node, "%s (entry '%s')", what, key) < 0
             ? DCONV_E_INVALID
             : 0;
}

/* --------------------------------------------------------------- writing */

/* The most bytes one field value may take once escaped. Classic bibtex
 * copies a field into its global string pool (glob_str_size, 20,000 in
 * TeX Live) while formatting, and Better BibTeX's parser recurses per
 * token, so a 1 MiB digest title breaks both; no real title comes near. */
#define BIB_FIELD_MAX 4000

/* Write text as a braced field value, cut at a word boundary with "…"
 * (and a warning) when its escaped form would pass BIB_FIELD_MAX. */
static int bib_put_field_text(bib_ctx *c, const bib_entry *e,
                              const char *field, const char *s, size_t n,
                              int title) {
  size_t start = c->out.len, keep = n;
  for (;;) {
    dconv_util_buf_putc(&c->out, '{');
    bib_put_text(c, s, keep, title);
    if (keep < n)
      dconv_util_buf_puts(&c->out, c->biblatex ? "\xE2\x80\xA6" : "\\dots{}");
    dconv_util_buf_putc(&c->out, '}');
    size_t used = c->out.len - start;
    if (used <= BIB_FIELD_MAX || keep == 0 || c->out.failed)
      break;
    /* shrink in proportion (escaping expands unevenly), then back to a
     * space so no word or UTF-8 sequence is cut */
    size_t next = (size_t)((double)keep * BIB_FIELD_MAX / (double)used * 0.9);
    while (next > 0 && s[next] != ' ')
      next--;
    keep = next;
    dconv_util_buf_truncate(&c->out, start);
  }
  if (keep < n) {
    char what[96];
    snprintf(what, sizeof what,
             "%s cut to %zu of %zu bytes, within BibTeX's limits", field, keep,
             n);
    return bib_warn(c, e->paper, what, e->key);
  }
  return 0;
}

static void bib_field(bib_ctx *c, const char *name) {
  /* aligned "  name = {": every entry looks the same in a diff. Pieces,
   * not printf("%-*s"): every entry has up to a dozen fields. */
  static const char pad[] = "             "; /* the widest name: 13 */
  size_t width = c->biblatex ? 10 : 13, n = strlen(name);
  dconv_util_buf_add(&c->out, ",\n  ", 4);
  dconv_util_buf_add(&c->out, name, n);
  if (n < width)
    dconv_util_buf_add(&c->out, pad, width - n);
  dconv_util_buf_add(&c->out, " = ", 3);
}

/* "{s}": a field value that needs no escaping (keys, ids). */
static void bib_put_braced(dconv_util_buf *b, const char *s) {
  dconv_util_buf_putc(b, '{');
  dconv_util_buf_puts(b, s);
  dconv_util_buf_putc(b, '}');
}

/* The authors before any elision gap (cite_listed_authors), "and others"
 * for the gap. Returns how many names were written. */
static size_t bib_put_authors(bib_ctx *c, const bib_entry *e) {
  const dconv_host *h = c->h;
  int elided;
  size_t listed = cite_listed_authors(h, e->paper, &elided), i = 0, written = 0;
  DCONV_UTIL_FOR_EACH(h, a, e->paper, DCONV_NODE_AUTHOR) {
    if (i++ == listed)
      break;
    const char *name = dconv_util_str(h, a, "name");
    if (!*name)
      continue;
    if (written++ == 0) {
      bib_field(c, "author");
      dconv_util_buf_putc(&c->out, '{');
    } else {
      dconv_util_buf_puts(&c->out, " and ");
    }
    bib_put_name(c, name);
  }
  if (elided && written)
    dconv_util_buf_puts(&c->out, " and others");
  if (written)
    dconv_util_buf_putc(&c->out, '}');
  return written;
}

/* The abstract's bullets, gathered (cite_summary) before they are written,
 * so the field can be cut as a whole. */
static void bib_gather(void *ctx, const char *s, size_t n, int first) {
  dconv_util_buf *b = (dconv_util_buf *)ctx;
  if (!first)
    dconv_util_buf_putc(b, ' ');
  dconv_util_buf_add(b, s, n);
}

static int bib_put_abstract(bib_ctx *c, const bib_entry *e,
                            dconv_util_buf *text) {
  dconv_util_buf_truncate(text, 0);
  int64_t n = cite_summary(c->h, e->paper, bib_gather, text);
  if (n < 0 || (n = dconv_util_buf_check(text)) != 0)
    return (int)n;
  if (n == 0 && text->len == 0)
    return 0;
  bib_field(c, "abstract");
  int rc = bib_put_field_text(c, e, "abstract", text->data, text->len, 0);
  if (bib_take_unexpressed(c))
    c->utf8_abstracts++;
  return rc;
}

/* "Daily paper digest of 2024-03-27, 32 votes" (cite_digest_note). */
static int bib_put_note(bib_ctx *c, const bib_entry *e,
                        dconv_util_buf *text) {
  cite_entry ce = {e->paper, e->digest, e->id, e->year, e->month};
  dconv_util_buf_truncate(text, 0);
  if (!cite_digest_note(c->h, &ce, text))
    return 0;
  if (text->failed)
    return DCONV_E_NOMEM;
  bib_field(c, "note");
  return bib_put_field_text(c, e, "note", text->data, text->len, 0);
}

/* One entry; `text` is scratch for the note and the abstract. */
static int bib_put_entry(bib_ctx *c, const bib_entry *e, dconv_util_buf *text) {
  static const char *const months[] = {"jan", "feb", "mar", "apr",
                                       "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"};
  const dconv_host *h = c->h;
  dconv_util_buf *b = &c->out;
  dconv_util_buf_puts(b, c->biblatex ? "@online{" : "@misc{");
  dconv_util_buf_puts(b, e->key);

  int rc = 0;
  const char *title = dconv_util_str(h, e->paper, "title");
  if (*title) {
    bib_field(c, "title");
    rc = bib_put_field_text(c, e, "title", title, strlen(title), 1);
  }
  if (bib_put_authors(c, e) == 0 && !rc) {
    /* Styles sort and label by author; without one they need `key`
     * ("Warning--to sort, need author or key"): the title's start. */
    size_t n = strlen(title);
    if (n > 60) {
      n = 60;
      while (n > 0 && title[n] != ' ')
        n--;
    }
    bib_field(c, "key");
    if (n)
      rc = bib_put_field_text(c, e, "key", title, n, 0);
    else
      bib_put_braced(b, e->key);
  }
  if (rc)
    return rc;
  uint32_t cp = bib_take_unexpressed(c);

  if (c->biblatex && e->year) {
    bib_field(c, "date");
    dconv_util_buf_putc(b, '{');
    dconv_util_buf_put_int(b, e->year, 4);
    if (e->month) {
      dconv_util_buf_putc(b, '-');
      dconv_util_buf_put_int(b, e->month, 2);
    }
    dconv_util_buf_putc(b, '}');
  } else if (e->year) {
    bib_field(c, "year");
    dconv_util_buf_putc(b, '{');
    dconv_util_buf_put_int(b, e->year, 0);
    dconv_util_buf_putc(b, '}');
    if (e->month) {
      bib_field(c, "month");
      dconv_util_buf_puts(b, months[e->month - 1]); /* the standard macro */
    }
  }
  if (e->id) {
    bib_field(c, "eprint");
    bib_put_braced(b, e->id);
    bib_field(c, c->biblatex ? "eprinttype" : "archivePrefix");
    dconv_util_buf_puts(b, c->biblatex ? "{arxiv}" : "{arXiv}");
  }
  const char *url = h->node_str(e->paper, "url");
  if (url && dconv_util_url_ok(url)) { /* the one URL rule of every writer */
    bib_field(c, "url");
    dconv_util_buf_putc(b, '{');
    dconv_util_put_url(b, url); /* styles use \url: no LaTeX escaping */
    dconv_util_buf_putc(b, '}');
  }
  if (e->id) {
    bib_field(c, "doi");
    dconv_util_buf_puts(b, "{10.48550/arXiv.");
    dconv_util_buf_puts(b, e->id);
    dconv_util_buf_putc(b, '}');
  }
  if (c->note && (rc = bib_put_note(c, e, text)) != 0)
    return rc;
  if (c->abstract && (rc = bib_put_abstract(c, e, text)) != 0)
    return rc;
  dconv_util_buf_puts(b, "\n}\n\n");

  if (cp) {
    char what[160];
    snprintf(what, sizeof what,
             "U+%04lX has no classic BibTeX spelling and stays UTF-8 in the "
             "title or authors; -O dialect=biblatex keeps all text as UTF-8",
             (unsigned long)cp);
    rc = bib_warn(c, e->paper, what, e->key);
  }
  if (!rc && !e->id)
    rc = bib_warn(c, e->paper,
                  "no arXiv id: no eprint or doi, and the year is the "
                  "digest's",
                  e->key);
  return rc;
}

/* --------------------------------------------------------------- convert */

static int bibtex_convert(const dconv_host *h, dconv_export *ex) {
  bib_ctx c;
  memset(&c, 0, sizeof c);
  c.h = h;
  c.ex = ex;
  const char *dialect = h->option(ex, "dialect");
  const char *keys = h->option(ex, "keys");
  c.biblatex = dialect && strcmp(dialect, "biblatex") == 0;
  c.keys_id = !keys || strcmp(keys, "id") == 0;
  c.abstract = dconv_util_opt_bool(h, ex, "abstract");
  c.note = dconv_util_opt_bool(h, ex, "note");
  dconv_util_buf_init(&c.out, h);
  c.keys.h = h;

  /* Entries: one per arXiv id, in document order (cite_collect). ents is
   * owned here and freed on every path below. */
  cite_list list;
  int rc = cite_collect(h, ex, &list);
  if (rc)
    return rc;
  size_t n = list.n;
  bib_entry *ents = (bib_entry *)h->alloc((n ? n : 1) * sizeof *ents);
  if (!ents)
    rc = DCONV_E_NOMEM;
  for (size_t i = 0; i < n && !rc; i++) {
    bib_entry *e = &ents[i];
    memset(e, 0, sizeof *e);
    e->paper = list.items[i].paper;
    e->digest = list.items[i].digest;
    e->id = list.items[i].id;
    e->year = list.items[i].year;
    e->month = list.items[i].month;
    e->order = (uint32_t)i;
    rc = bib_base_key(&c, e);
  }
  cite_list_free(h, &list);
  if (!rc)
    rc = bib_unique_keys(&c, ents, n);
  dconv_util_buf text;
  dconv_util_buf_init(&text, h);

  if (!rc) {
    /* No '@' in this line: BibTeX would start an entry there. */
    dconv_util_buf_printf(&c.out,
                  "%% %lu entr%s written by dconv bibtex %s "
                  "(dialect=%s, keys=%s)\n\n",
                  (unsigned long)n, n == 1 ? "y" : "ies", BIB_VERSION,
                  c.biblatex ? "biblatex" : "bibtex",
                  c.keys_id ? "id" : "author-year-word");
    for (size_t i = 0; i < n && !rc; i++) {
      rc = bib_put_entry(&c, &ents[i], &text);
      if (!rc)
        rc = dconv_util_buf_drain(&c.out, ex, 1 << 16);
    }
  }
  if (!rc && c.utf8_abstracts) {
    rc = h->log(ex, DCONV_LOG_WARNING,
                "%lu abstract(s) keep text classic BibTeX cannot spell as "
                "UTF-8; -O dialect=biblatex is meant for that",
                (unsigned long)c.utf8_abstracts);
    rc = rc < 0 ? rc : 0;
  }
  if (!rc)
    rc = dconv_util_buf_drain(&c.out, ex, 0);
  dconv_util_buf_free(&text);
  dconv_util_buf_free(&c.out);
  bib_keys_free(&c);
  h->free(ents);
  return rc;
}

static const dconv_option bibtex_options[] = {
    {sizeof(dconv_option), DCONV_OPT_ENUM, "dialect", "bibtex",
     "bibtex|biblatex",
     "bibtex: @misc, ASCII LaTeX escapes (plain.bst); biblatex: @online, "
     "UTF-8, eprinttype (biber)"},
    {sizeof(dconv_option), DCONV_OPT_ENUM, "keys", "id",
     "id|author-year-word",
     "citation keys: arxiv2403.17887 (never drifts) or "
     "shapourian2024unreasonable"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "abstract", "false", NULL,
     "add the digest's summary bullets as the abstract field"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "note", "false", NULL,
     "add a note with the digest date and the vote count"},
};

static const dconv_variant bibtex_variants[] = {
    {sizeof(dconv_variant), 0, "biblatex", "bib", "dialect=biblatex",
     "biblatex/biber flavour: @online, UTF-8, eprinttype = {arxiv}"},
};

static const dconv_plugin bibtex_plugin = {
    DCONV_PLUGIN_HEADER,
    0,
    "bibtex",
    BIB_VERSION,
    "one BibTeX entry per paper (arXiv eprint, DOI), for plain.bst or biber",
    "bib",
    bibtex_options,
    sizeof bibtex_options / sizeof bibtex_options[0],
    sizeof bibtex_variants / sizeof bibtex_variants[0],
    bibtex_variants,
    bibtex_convert,
};

DCONV_PLUGIN_DEFINE(bibtex_plugin)
