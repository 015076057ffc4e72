/*
 * epub - an EPUB 3 book (and its Kobo KEPUB flavour) from any number of
 * digests, for e-reader sideloading.
 *
 * Container layout (entry order is fixed, so with SOURCE_DATE_EPOCH the
 * bytes are reproducible; the host stamps every entry with one time):
 *
 *   mimetype                      stored, first: readers sniff it
 *   META-INF/container.xml
 *   EPUB/content.opf              metadata, manifest, spine
 *   EPUB/nav.xhtml                toc (year -> month -> day -> paper), landmarks
 *   EPUB/toc.ncx                  the same toc for EPUB 2 readers
 *   EPUB/style.css
 *   EPUB/images/cover.png|jpg     -O cover=FILE or drawn with FreeType
 *   EPUB/cover.xhtml              only the cover image
 *   EPUB/title.xhtml
 *   EPUB/day-YYYY-MM-DD.xhtml     one per digest, papers in digest order
 *
 * Every XML document is written by epub_xml.c, its values escaped by
 * libxml2; text from the tree is text, never markup. The files of this plugin:
 *
 *   epub.c          the driver: options, the style sheet, entry order
 *   epub_plan.c     days, file names, anchors, identifier, metadata
 *   epub_package.c  container.xml, content.opf
 *   epub_toc.c      the toc tree, nav.xhtml, toc.ncx
 *   epub_content.c  cover page, title page, the day files
 *   epub_summary.c  a paper's summary lists and inline markup
 *   epub_xml.c      the XML documents, KEPUB spans
 *   epub_cover.c    the cover image (loaded or drawn with FreeType)
 */
#include "epub.h"

#include <stdio.h>
#include <string.h>

/* Above this many papers the default toc lists days only. */
#define EPUB_TOC_PAPERS_MAX 1000

static const char epub_css[] =
    "/* dconv: no named fonts (a Latin-only font can hide Hangul on Kobo),\n"
    "   no CSS variables, no background colours, margins <= 2em. */\n"
    "body { margin: 0 1em; line-height: 1.5; }\n"
    "h1 { font-size: 1.5em; margin: 1em 0 0.5em 0; }\n"
    "h3 { font-size: 1.15em; margin: 1.5em 0 0.3em 0; }\n"
    "h3 a { text-decoration: none; }\n"
    "h1, h3, p.authors { break-after: avoid; page-break-after: avoid; }\n"
    "p { margin: 0.2em 0; }\n"
    "p.authors, p.meta, p.repeat { font-size: 0.9em; }\n"
    "a { overflow-wrap: anywhere; word-wrap: break-word; }\n"
    "ul.summary, ol.summary { margin: 0.5em 0 1em 0; padding-left: 1.5em; }\n"
    "li ul, li ol { margin: 0.2em 0; padding-left: 1.5em; }\n"
    "li { margin: 0.2em 0; }\n"
    "code { font-family: monospace; font-size: 0.9em; }\n"
    ":lang(ko) { word-break: keep-all; }\n"
    "section.titlepage { text-align: center; margin-top: 2em; }\n"
    "div.cover { margin: 0; padding: 0; text-align: center; }\n"
    "div.cover img { max-width: 100%; max-height: 100%; }\n"
    "nav ol { list-style-type: none; padding-left: 1em; }\n"
    "ol.daytoc { font-size: 0.9em; padding-left: 1.5em; }\n";


/* ------------------------------------------------------------ documents */

int epub_open(epub_book *b, epub_doc *d, int kobo) {
  if (epub_doc_open(d, b->h, &b->esc, kobo))
    return b->h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  return 0;
}

/* ------------------------------------------------------------ convert */

static int epub_make_cover(epub_book *b) {
  const char *file = b->h->option(b->ex, "cover");
  if (file && *file)
    return epub_cover_load(b->h, b->ex, file, &b->cover);
  /* The cover font is Latin-only: its count is always English. */
  char sub[96];
  dconv_util_buf num;
  dconv_util_buf_init(&num, b->h);
  epub_thousands(&num, (int64_t)b->n_papers);
  snprintf(sub, sizeof sub, "%s paper%s", num.data ? num.data : "",
           b->n_papers == 1 ? "" : "s");
  dconv_util_buf_free(&num);
  /* The dates get their own line, so the default title is just the name. */
  const char *title = b->h->option(b->ex, "title");
  return epub_cover_render(b->h, b->ex,
                           title && *title ? title : EPUB_DEFAULT_NAME,
                           b->dates_ascii, sub, &b->cover);
}

/* The options every book of a run shares, into a zeroed *b. */
static int epub_book_init(epub_book *b, const dconv_host *h,
                          dconv_export *ex) {
  memset(b, 0, sizeof *b);
  b->h = h;
  b->ex = ex;
  dconv_util_buf_init(&b->label, h);
  b->kobo = dconv_util_opt_bool(h, ex, "kobo");
  b->lang = h->option(ex, "lang");
  b->author = h->option(ex, "author");
  b->series = h->option(ex, "series");
  b->labels = epub_labels_for(h->option(ex, "labels"), b->lang ? b->lang : "");
  if (!b->lang || !epub_lang_ok(b->lang))
    return h->set_error(ex, DCONV_E_OPTION,
                        "lang '%s' is not a language tag like ko or en-US",
                        b->lang ? b->lang : "");
  if (!b->author)
    b->author = "";
  if (!b->series)
    b->series = "";
  /* Last, so that a failure above leaves nothing to free. */
  if (xml_escape_init(&b->esc))
    return h->set_error(ex, DCONV_E_NOMEM, "cannot set up libxml2's escaping");
  return 0;
}

/* One whole book of b's digests, entry by entry; frees b. */
static int epub_write_book(epub_book *b) {
  const dconv_host *h = b->h;
  dconv_export *ex = b->ex;
  int rc = epub_plan(b);
  /* A nav of every paper is ~170 bytes a paper: beyond 1,000 papers the
   * default is a days-only toc, which reading systems open at once (each
   * day file starts with the paper titles anyway). */
  const char *toc = h->option(ex, "toc");
  b->toc_papers = toc && *toc ? strcmp(toc, "papers") == 0
                              : b->n_papers <= EPUB_TOC_PAPERS_MAX;
  if (!rc)
    rc = epub_make_uuid(b);
  if (!rc)
    rc = epub_make_metadata(b);
  if (!rc)
    rc = epub_make_cover(b);
  /* mimetype first and stored: readers identify the file by its bytes at
   * offset 38. */
  if (!rc)
    rc = h->add_entry(ex, "mimetype", "application/epub+zip", 20,
                      DCONV_ENTRY_STORE);
  if (!rc)
    rc = epub_write_container(b);
  if (!rc)
    rc = epub_write_opf(b);
  if (!rc)
    rc = epub_write_nav(b);
  if (!rc)
    rc = epub_write_ncx(b);
  if (!rc)
    rc = h->add_entry(ex, "EPUB/style.css", epub_css, sizeof epub_css - 1,
                      DCONV_ENTRY_DEFLATE);
  if (!rc) {
    char name[64];
    snprintf(name, sizeof name, "EPUB/%s", b->cover.href);
    /* PNG and JPEG are compressed already: storing saves time, not space */
    rc = h->add_entry(ex, name, b->cover.data, b->cover.len, DCONV_ENTRY_STORE);
  }
  if (!rc)
    rc = epub_write_cover_page(b);
  if (!rc)
    rc = epub_write_title_page(b);
  for (size_t i = 0; !rc && i < b->n_days; i++)
    rc = epub_write_day(b, &b->days[i]);
  epub_book_free(b);
  return rc;
}

/* The period of a digest date for -O split: the date itself (day), the
 * Monday of its week ("week-of-2024-03-25"), or "YYYY-MM" (month). The
 * core guarantees dates as YYYY-MM-DD. */
static void epub_period(const char *date, const char *split, char key[48]) {
  int y, m, d;
  if (strcmp(split, "month") == 0) {
    snprintf(key, 48, "%.7s", date);
  } else if (strcmp(split, "week") == 0 &&
             dconv_util_date_parse(date, &y, &m, &d) == 0) {
    int64_t days = dconv_util_days_from_civil(y, m, d);
    days -= dconv_util_weekday(days); /* 0 is Monday */
    int64_t wy;
    int wm, wd;
    dconv_util_civil_from_days(days, &wy, &wm, &wd);
    snprintf(key, 48, "week-of-%04d-%02d-%02d", (int)wy, wm, wd);
  } else {
    snprintf(key, 48, "%.10s", date);
  }
}

/* -O split=day|week|month: one book per period, each a part of the
 * host's multi-part output (-o DIR/ or one .zip), named PERIOD.epub (or
 * .kepub.epub). The host renames the parts into place only when every
 * book was written. */
static int epub_write_split(const dconv_host *h, dconv_export *ex,
                            const char *split) {
  const dconv_node *root = h->root(ex);
  const dconv_node *d = dconv_util_next_kind(h, root, NULL, DCONV_NODE_DIGEST);
  int rc = 0;
  while (d && !rc) {
    char key[48], k2[48], part[64];
    epub_period(dconv_util_str(h, d, "date"), split, key);
    const dconv_node *first = d;
    size_t n = 0;
    do {
      n++;
      d = dconv_util_next_kind(h, root, d, DCONV_NODE_DIGEST);
      if (d)
        epub_period(dconv_util_str(h, d, "date"), split, k2);
    } while (d && strcmp(key, k2) == 0);
    epub_book b;
    rc = epub_book_init(&b, h, ex);
    if (rc)
      break;
    b.first = first;
    b.n_digests = n;
    snprintf(part, sizeof part, "%s.%s", key, b.kobo ? "kepub.epub" : "epub");
    rc = h->part_open(ex, part);
    if (!rc)
      rc = epub_write_book(&b);
    else
      epub_book_free(&b);
    if (!rc)
      rc = h->part_close(ex);
  }
  return rc;
}

static int epub_convert(const dconv_host *h, dconv_export *ex) {
  const char *split = h->option(ex, "split");
  if (split && strcmp(split, "none") != 0) {
    if (!DCONV_HOST_HAS(h, part_close))
      return h->set_error(ex, DCONV_E_OPTION,
                          "split needs a dconv with multi-part output");
    return epub_write_split(h, ex, split);
  }
  epub_book b;
  int rc = epub_book_init(&b, h, ex);
  if (rc)
    return rc;
  return epub_write_book(&b);
}

static const dconv_option epub_options[] = {
    {sizeof(dconv_option), DCONV_OPT_STRING, "lang", "ko", NULL,
     "book language (dc:language and lang attributes), e.g. ko, en"},
    {sizeof(dconv_option), DCONV_OPT_STRING, "title", NULL, NULL,
     "book title (default: \"Daily Papers DATE\" or a date range)"},
    {sizeof(dconv_option), DCONV_OPT_STRING, "author", EPUB_DEFAULT_NAME, NULL,
     "book author (dc:creator); empty for none"},
    {sizeof(dconv_option), DCONV_OPT_STRING, "series", EPUB_DEFAULT_NAME, NULL,
     "series name (EPUB 3 collection and calibre); empty for none"},
    {sizeof(dconv_option), DCONV_OPT_FILE, "cover", NULL, NULL,
     "cover image, PNG or JPEG (default: a generated cover)"},
    {sizeof(dconv_option), DCONV_OPT_ENUM, "labels", NULL, "en|ko",
     "language of the book's own words (default: ko for lang=ko, else en)"},
    {sizeof(dconv_option), DCONV_OPT_ENUM, "toc", NULL, "days|papers",
     "table of contents: days only, or days and papers (default: papers "
     "up to 1,000 papers, else days)"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "kobo", "false", NULL,
     "Kobo KEPUB: wrap sentences in koboSpan elements"},
    {sizeof(dconv_option), DCONV_OPT_ENUM, "split", "none",
     "none|day|week|month",
     "one book per day, week (from Monday) or month, as parts: -o DIR/ "
     "or -o FILE.zip"},
};

static const dconv_variant epub_variants[] = {
    {sizeof(dconv_variant), 0, "kepub", "kepub.epub", "kobo=true",
     "Kobo KEPUB (epub with koboSpan sentence wrappers)"},
};

static const dconv_plugin epub_plugin = {
    DCONV_PLUGIN_HEADER,
    DCONV_PLUGIN_BINARY | DCONV_PLUGIN_CONTAINER,
    "epub",
    "1.0.0",
    "EPUB 3 book for e-readers (Kobo, Kindle, KOReader, Apple Books)",
    "epub",
    epub_options,
    sizeof epub_options / sizeof epub_options[0],
    sizeof epub_variants / sizeof epub_variants[0],
    epub_variants,
    epub_convert,
};

DCONV_PLUGIN_DEFINE(epub_plugin)

