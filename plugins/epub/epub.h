/*
 * epub.h - internal interface between the files of the epub plugin.
 *
 * Nothing here is part of the dconv ABI: the plugin still sees only
 * <dconv/plugin.h> and <dconv/util.h>.
 */
#ifndef DCONV_EPUB_H
#define DCONV_EPUB_H

#include <stddef.h>
#include <stdint.h>


#include <dconv/plugin.h>

#include <dconv/util.h>

#include "../common/xml_escape.h"

/* ------------------------------------------------------------ xml docs */

/* Elements open at once, at most: nested summary lists are clamped to
 * DCONV_UTIL_LIST_MAX_DEPTH levels of two elements each (ul, li), inside
 * about ten of page (html, body, the KEPUB wrappers, section, inline
 * markup). */
#define EPUB_MAX_DEPTH (2 * DCONV_UTIL_LIST_MAX_DEPTH + 32)

/**
 * One XML document being written into memory: markup written directly,
 * values escaped by libxml2 (epub_xml.c). Errors are sticky (`failed`) so
 * builders can write a whole document and check once, in
 * epub_doc_finish().
 */
typedef struct epub_doc {
  const dconv_host *host;
  xml_escape *esc;      /* borrowed from the book */
  dconv_util_buf out;   /* the document */
  /* The open elements' names; epub_start keeps the pointer, so a name must
   * outlive its element (every caller passes a string literal). */
  const char *open[EPUB_MAX_DEPTH];
  int depth;
  int tag_open;         /* the last start tag still lacks its '>' */
  int failed;           /* misuse (too deep, attribute after content) */
  int kobo;             /* wrap text in koboSpan sentence spans */
  unsigned para, sent;  /* koboSpan counters: block and sentence in block */
  dconv_util_buf scratch;       /* reused for cleaned text and sentence pieces */
} epub_doc;

/** Start a document with `<?xml version="1.0" encoding="UTF-8"?>`.
 *  Returns 0 or DCONV_E_NOMEM (nothing to free then). */
int epub_doc_open(epub_doc *d, const dconv_host *host, xml_escape *esc,
                  int kobo);
/** Finish the document and add it to the container as `name`; always frees
 *  the document. Returns 0 or a negative DCONV_E_* (already reported). */
int epub_doc_finish(epub_doc *d, dconv_export *ex, const char *name);
/** Free a document that will not be finished (error paths). */
void epub_doc_discard(epub_doc *d);

void epub_start(epub_doc *d, const char *element);
void epub_end(epub_doc *d);
void epub_attr(epub_doc *d, const char *name, const char *value);
void epub_attr_int(epub_doc *d, const char *name, long long value);
/** lang and xml:lang together, as EPUB readers look at either. */
void epub_lang(epub_doc *d, const char *lang);
/** Text, escaped by libxml2, never wrapped in spans (head, nav, NCX, OPF). */
void epub_plain(epub_doc *d, const char *text);
/** Body text: like epub_plain, but split into koboSpan sentences when the
 *  document is a KEPUB. */
void epub_text(epub_doc *d, const char *text);
/** Begin a new koboSpan paragraph (call at each block: h1, p, li...). */
void epub_block(epub_doc *d);
/** `<element>text</element>` in one call. */
void epub_element(epub_doc *d, const char *element, const char *text);
/** A whole XHTML prologue: DOCTYPE, html with namespaces and languages,
 *  head with title and stylesheet, then an open body. */
void epub_xhtml_begin(epub_doc *d, const char *lang, const char *title);

/* ------------------------------------------------------------ text */

/** Append `v` with thousands separators: 5,488. */
void epub_thousands(dconv_util_buf *b, int64_t v);

/* ------------------------------------------------------------ cover */

/** Cover image bytes (owned, host->free) and what they are. */
typedef struct epub_cover {
  unsigned char *data;
  size_t len;
  const char *href;       /* path inside EPUB/, e.g. "images/cover.png" */
  const char *media_type; /* "image/png" or "image/jpeg" */
  unsigned width, height; /* pixels, from the image header; 0: unknown */
} epub_cover;

/** Read a user-supplied PNG or JPEG file. */
int epub_cover_load(const dconv_host *h, dconv_export *ex, const char *path,
                    epub_cover *out);
/** Draw a PNG cover with the title, the date line and a subtitle. Only
 *  printable ASCII of `title` is drawn (DejaVu Sans has no Hangul). */
int epub_cover_render(const dconv_host *h, dconv_export *ex, const char *title,
                      const char *dates, const char *subtitle,
                      epub_cover *out);

/* ------------------------------------------------------------ the book */

#define EPUB_DEFAULT_NAME "Daily Papers"

/** One digest day: its file and where its papers' anchors start. */
typedef struct epub_day {
  const dconv_node *node;
  const char *date; /* borrowed; "" when the digest has none */
  char id[40];      /* manifest id and file stem, e.g. "day-2024-03-27" */
  char file[48];    /* id + ".xhtml" */
  size_t first;     /* index of its first paper in epub_book.anchors */
  size_t n_papers;
} epub_day;

/** The words the book itself writes, in one language (epub_plan.c). */
typedef struct epub_labels {
  const char *lang;             /* lang of the labels: "en" or "ko" */
  const char *contents, *landmarks, *cover, *titlepage, *papers;
  const char *no_papers, *video;
  const char *n_papers_one, *n_papers; /* printf formats taking a string */
  const char *n_days_one, *n_days;
  /* toc groups: "2024" / "2024년", "March 2024" / "2024년 3월" */
  const char *year_suffix;      /* after the year: "" or "년" */
  const char *const *months;    /* 12 month names */
  int year_first;               /* the year before the month name */
  const char *seen;             /* printf format taking the first date */
} epub_labels;

/** Labels for `-O labels=` ("en", "ko"), or from the book's language when
 *  absent: Korean for ko, English for every other language. */
const epub_labels *epub_labels_for(const char *labels, const char *lang);
/** A toc group's label into `s` (emptied first): the year of `date`
 *  (YYYY-MM-DD) when !month, else its month and year. */
void epub_group_label(dconv_util_buf *s, const epub_labels *l,
                      const char *date, int month);

/** Everything decided before the first byte is written (epub_plan.c). */
typedef struct epub_book {
  const dconv_host *h;
  dconv_export *ex;
  epub_day *days; /* owned */
  size_t n_days;
  char **anchors; /* owned, each string owned: element id of every paper */
  /* Per paper (owned): the paper printed in full for it (its own index,
   * or that of its first appearance on an earlier day of this book), and
   * its day. */
  size_t *full, *day_of;
  size_t n_papers;
  char *title;                   /* owned */
  const char *lang, *author, *series; /* borrowed option values */
  char uuid[48];                 /* "urn:uuid:xxxxxxxx-..." */
  char dates[40];                /* "2024-03-27" or "2024-03-27 – 2024-03-31" */
  char dates_ascii[40];          /* the same with " to ", for the cover */
  char date[11];                 /* dc:date: the newest digest */
  char modified[24];             /* dcterms:modified, CCYY-MM-DDThh:mm:ssZ */
  int kobo;
  const epub_labels *labels;
  int toc_papers; /* nav and NCX list papers under their day */
  epub_cover cover;
  dconv_util_buf label; /* owned: the last epub_paper_label with TeX */
  xml_escape esc;       /* owned: libxml2's escaping, for every document */
  /* The digests this book holds: n_digests from first (borrowed); first
   * NULL = every digest of the tree (-O split makes one book a period). */
  const dconv_node *first;
  size_t n_digests;
} epub_book;

/* epub_plan.c: days, anchors, identifier and metadata. Each returns 0 or a
 * negative DCONV_E_* already reported with set_error. */
int epub_lang_ok(const char *s);
int epub_plan(epub_book *b);
int epub_make_uuid(epub_book *b);
int epub_make_metadata(epub_book *b);
/** Frees what the plan made (not `b` itself). */
void epub_book_free(epub_book *b);
/** Link target of paper `k` of `day`: "day-...xhtml#arxiv-..." into `s`
 *  (emptied first). */
void epub_paper_href(dconv_util_buf *s, const epub_book *b,
                     const epub_day *day, size_t k);
/** Whether paper `i` (index into anchors) is a later appearance, printed
 *  as a link to b->full[i] only. */
int epub_paper_repeat(const epub_book *b, size_t i);
/** Link target of paper `i` from its own day's file: "#anchor", or for a
 *  repeat "day-...xhtml#anchor" of its first appearance. */
void epub_paper_target(dconv_util_buf *s, const epub_book *b, size_t i);
/** Text for a paper in the toc: its title, or its id when it has none (an
 *  empty <a> is invalid in a nav document). Borrowed from the tree. */
const char *epub_paper_label(epub_book *b, const dconv_node *p);
/** epub_doc_open, with "out of memory" reported on failure. */
int epub_open(epub_book *b, epub_doc *d, int kobo);

/* epub_package.c: META-INF/container.xml, content.opf */
int epub_write_container(epub_book *b);
int epub_write_opf(epub_book *b);

/* epub_toc.c: nav.xhtml and toc.ncx, year -> month -> day -> paper */
int epub_write_nav(epub_book *b);
int epub_write_ncx(epub_book *b);

/* epub_content.c: cover.xhtml, title.xhtml and the day files */
int epub_write_cover_page(epub_book *b);
int epub_write_title_page(epub_book *b);
int epub_write_day(epub_book *b, const epub_day *day);

/* epub_summary.c: a paper's summary (nested lists, inline markup) */
/** <a href> when `url` is usable, else a <span> so the caller's later
 *  epub_end() still matches. Returns DCONV_E_NOMEM or 0. */
int epub_link_start(epub_doc *d, const char *url);
int epub_write_summary(epub_doc *d, const dconv_node *paper);

#endif
