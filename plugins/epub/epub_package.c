/*
 * epub_package.c - the package documents: META-INF/container.xml, the OPF
 * (metadata, manifest, spine), the EPUB 3 nav document and the EPUB 2 NCX.
 */
#include "epub.h"

#include <stdio.h>
#include <string.h>

int epub_write_container(epub_book *b) {
  epub_doc d;
  int rc = epub_open(b, &d, 0);
  if (rc)
    return rc;
  epub_start(&d, "container");
  epub_attr(&d, "version", "1.0");
  epub_attr(&d, "xmlns", "urn:oasis:names:tc:opendocument:xmlns:container");
  epub_start(&d, "rootfiles");
  epub_start(&d, "rootfile");
  epub_attr(&d, "full-path", "EPUB/content.opf");
  epub_attr(&d, "media-type", "application/oebps-package+xml");
  return epub_doc_finish(&d, b->ex, "META-INF/container.xml");
}

static void epub_meta(epub_doc *d, const char *property, const char *refines,
                      const char *id, const char *value) {
  epub_start(d, "meta");
  if (refines)
    epub_attr(d, "refines", refines);
  epub_attr(d, "property", property);
  if (id)
    epub_attr(d, "id", id);
  epub_plain(d, value);
  epub_end(d);
  epub_plain(d, "\n");
}

static void epub_item(epub_doc *d, const char *id, const char *href,
                      const char *type, const char *properties) {
  epub_start(d, "item");
  epub_attr(d, "id", id);
  epub_attr(d, "href", href);
  epub_attr(d, "media-type", type);
  if (properties)
    epub_attr(d, "properties", properties);
  epub_end(d);
  epub_plain(d, "\n");
}

static void epub_itemref(epub_doc *d, const char *idref) {
  epub_start(d, "itemref");
  epub_attr(d, "idref", idref);
  epub_end(d);
  epub_plain(d, "\n");
}

int epub_write_opf(epub_book *b) {
  epub_doc d;
  int rc = epub_open(b, &d, 0);
  if (rc)
    return rc;
  epub_start(&d, "package");
  epub_attr(&d, "xmlns", "http://www.idpf.org/2007/opf");
  epub_attr(&d, "version", "3.0");
  epub_attr(&d, "unique-identifier", "bookid");
  epub_attr(&d, "xml:lang", b->lang);
  epub_plain(&d, "\n");

  epub_start(&d, "metadata");
  epub_attr(&d, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  epub_attr(&d, "xmlns:opf", "http://www.idpf.org/2007/opf");
  epub_plain(&d, "\n");
  epub_start(&d, "dc:identifier");
  epub_attr(&d, "id", "bookid");
  epub_plain(&d, b->uuid);
  epub_end(&d);
  epub_plain(&d, "\n");
  epub_element(&d, "dc:title", b->title);
  epub_plain(&d, "\n");
  if (*b->author) {
    epub_element(&d, "dc:creator", b->author);
    epub_plain(&d, "\n");
  }
  epub_element(&d, "dc:language", b->lang);
  epub_plain(&d, "\n");
  epub_element(&d, "dc:date", b->date);
  epub_plain(&d, "\n");
  epub_meta(&d, "dcterms:modified", NULL, NULL, b->modified);
  if (*b->series) {
    /* EPUB 3 collection for Apple Books/Kobo, calibre's own for calibre
     * and the Kindle tool chain that goes through it. */
    epub_meta(&d, "belongs-to-collection", NULL, "series", b->series);
    epub_meta(&d, "collection-type", "#series", NULL, "series");
    epub_start(&d, "meta");
    epub_attr(&d, "name", "calibre:series");
    epub_attr(&d, "content", b->series);
    epub_end(&d);
    epub_plain(&d, "\n");
  }
  /* EPUB 2 style cover hint: Kindle and older Kobo firmware read only it. */
  epub_start(&d, "meta");
  epub_attr(&d, "name", "cover");
  epub_attr(&d, "content", "cover-image");
  epub_end(&d);
  epub_plain(&d, "\n");
  epub_end(&d); /* metadata */
  epub_plain(&d, "\n");

  epub_start(&d, "manifest");
  epub_plain(&d, "\n");
  epub_item(&d, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
  epub_item(&d, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
  epub_item(&d, "css", "style.css", "text/css", NULL);
  epub_item(&d, "cover-image", b->cover.href, b->cover.media_type,
            "cover-image");
  epub_item(&d, "cover", "cover.xhtml", "application/xhtml+xml",
            b->cover.width && b->cover.height ? "svg" : NULL);
  epub_item(&d, "titlepage", "title.xhtml", "application/xhtml+xml", NULL);
  for (size_t i = 0; i < b->n_days; i++)
    epub_item(&d, b->days[i].id, b->days[i].file, "application/xhtml+xml",
              NULL);
  epub_end(&d);
  epub_plain(&d, "\n");

  epub_start(&d, "spine");
  epub_attr(&d, "toc", "ncx");
  epub_plain(&d, "\n");
  epub_itemref(&d, "cover");
  epub_itemref(&d, "titlepage");
  /* The nav document is not in the spine: calibre's AZW3 output ignores
   * linear="no" and put a year's contents (330 pages) before the first
   * paper. Reading systems find the toc through the manifest's "nav"
   * property; so there is no "toc" landmark either. */
  for (size_t i = 0; i < b->n_days; i++)
    epub_itemref(&d, b->days[i].id);
  epub_end(&d);
  epub_plain(&d, "\n");
  return epub_doc_finish(&d, b->ex, "EPUB/content.opf");
}

/* A day in the toc: its date and its number of papers, "2024-03-27 (12)",
 * so a days-only toc still says where the big days are. */
static void epub_day_label(dconv_util_buf *s, const epub_day *day) {
  s->len = 0;
  dconv_util_buf_puts(s, *day->date ? day->date : day->id);
  if (day->n_papers) {
    dconv_util_buf_puts(s, " (");
    epub_thousands(s, (int64_t)day->n_papers);
    dconv_util_buf_putc(s, ')');
  }
}

int epub_write_nav(epub_book *b) {
  const dconv_host *h = b->h;
  epub_doc d;
  int rc = epub_open(b, &d, b->kobo);
  if (rc)
    return rc;
  dconv_util_buf href;
  dconv_util_buf_init(&href, h);
  epub_xhtml_begin(&d, b->lang, b->title);

  epub_start(&d, "nav");
  epub_attr(&d, "epub:type", "toc");
  epub_attr(&d, "id", "toc");
  epub_start(&d, "h1");
  epub_lang(&d, b->labels->lang);
  epub_block(&d);
  epub_text(&d, b->labels->contents);
  epub_end(&d);
  epub_plain(&d, "\n");
  epub_start(&d, "ol");
  epub_plain(&d, "\n");
  if (!b->n_days) {
    epub_start(&d, "li");
    epub_start(&d, "a");
    epub_attr(&d, "href", "title.xhtml");
    epub_block(&d);
    epub_text(&d, b->title);
    epub_end(&d);
    epub_end(&d);
  }
  for (size_t i = 0; i < b->n_days; i++) {
    const epub_day *day = &b->days[i];
    epub_start(&d, "li");
    epub_start(&d, "a");
    epub_attr(&d, "href", day->file);
    epub_day_label(&href, day);
    epub_block(&d);
    epub_text(&d, href.data ? href.data : "");
    epub_end(&d);
    if (day->n_papers && b->toc_papers) {
      epub_plain(&d, "\n");
      epub_start(&d, "ol");
      size_t k = 0;
      DCONV_UTIL_FOR_EACH(h, p, day->node, DCONV_NODE_PAPER) {
        epub_paper_href(&href, b, day, k++);
        epub_start(&d, "li");
        epub_start(&d, "a");
        epub_attr(&d, "href", href.data ? href.data : "");
        epub_lang(&d, "en");
        epub_block(&d);
        epub_text(&d, epub_paper_label(b, p));
        epub_end(&d);
        epub_end(&d);
        epub_plain(&d, "\n");
      }
      epub_end(&d); /* ol */
    }
    epub_end(&d); /* li */
    epub_plain(&d, "\n");
  }
  epub_end(&d); /* ol */
  epub_end(&d); /* nav */
  epub_plain(&d, "\n");

  epub_start(&d, "nav");
  epub_attr(&d, "epub:type", "landmarks");
  epub_attr(&d, "id", "landmarks");
  epub_attr(&d, "hidden", "hidden");
  epub_start(&d, "h2");
  epub_lang(&d, b->labels->lang);
  epub_plain(&d, b->labels->landmarks);
  epub_end(&d);
  epub_start(&d, "ol");
  const epub_labels *l = b->labels;
  const char *const marks[][3] = {
      {"cover", "cover.xhtml", l->cover},
      {"titlepage", "title.xhtml", l->titlepage},
      {"bodymatter", NULL, l->papers},
  };
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    const char *target = marks[i][1];
    if (!target && !b->n_days)
      continue;
    epub_start(&d, "li");
    epub_start(&d, "a");
    epub_attr(&d, "epub:type", marks[i][0]);
    epub_attr(&d, "href", target ? target : b->days[0].file);
    epub_lang(&d, l->lang);
    epub_block(&d);
    epub_text(&d, marks[i][2]);
    epub_end(&d);
    epub_end(&d);
  }
  epub_end(&d); /* ol */
  epub_end(&d); /* nav */
  epub_plain(&d, "\n");
  if (href.failed)
    d.failed = 1;
  dconv_util_buf_free(&href);
  return epub_doc_finish(&d, b->ex, "EPUB/nav.xhtml");
}

static void epub_nav_point(epub_doc *d, unsigned long *order, const char *label,
                           const char *src) {
  ++*order;
  epub_start(d, "navPoint");
  char id[32];
  snprintf(id, sizeof id, "np-%lu", *order);
  epub_attr(d, "id", id);
  epub_attr_int(d, "playOrder", (long long)*order);
  epub_start(d, "navLabel");
  epub_element(d, "text", label);
  epub_end(d);
  epub_start(d, "content");
  epub_attr(d, "src", src);
  epub_end(d);
}

int epub_write_ncx(epub_book *b) {
  const dconv_host *h = b->h;
  epub_doc d;
  int rc = epub_open(b, &d, 0);
  if (rc)
    return rc;
  dconv_util_buf href;
  dconv_util_buf_init(&href, h);
  epub_start(&d, "ncx");
  epub_attr(&d, "xmlns", "http://www.daisy.org/z3986/2005/ncx/");
  epub_attr(&d, "version", "2005-1");
  epub_attr(&d, "xml:lang", b->lang);
  epub_plain(&d, "\n");
  epub_start(&d, "head");
  static const char *const keys[] = {"dtb:uid", "dtb:depth",
                                     "dtb:totalPageCount", "dtb:maxPageNumber"};
  const char *values[] = {b->uuid, b->n_papers && b->toc_papers ? "2" : "1", "0", "0"};
  for (int i = 0; i < 4; i++) {
    epub_start(&d, "meta");
    epub_attr(&d, "name", keys[i]);
    epub_attr(&d, "content", values[i]);
    epub_end(&d);
  }
  epub_end(&d);
  epub_plain(&d, "\n");
  epub_start(&d, "docTitle");
  epub_element(&d, "text", b->title);
  epub_end(&d);
  epub_plain(&d, "\n");
  epub_start(&d, "navMap");
  epub_plain(&d, "\n");
  /* playOrder counts navPoints in reading order: days follow the spine and
   * papers follow their day, so the numbers rise with the spine. */
  unsigned long order = 0;
  if (!b->n_days) {
    epub_nav_point(&d, &order, b->title, "title.xhtml");
    epub_end(&d);
  }
  for (size_t i = 0; i < b->n_days; i++) {
    const epub_day *day = &b->days[i];
    epub_day_label(&href, day);
    epub_nav_point(&d, &order, href.data ? href.data : "", day->file);
    if (!b->toc_papers) {
      epub_end(&d);
      epub_plain(&d, "\n");
      continue;
    }
    size_t k = 0;
    DCONV_UTIL_FOR_EACH(h, p, day->node, DCONV_NODE_PAPER) {
      epub_paper_href(&href, b, day, k++);
      epub_nav_point(&d, &order, epub_paper_label(b, p),
                     href.data ? href.data : "");
      epub_end(&d);
    }
    epub_end(&d);
    epub_plain(&d, "\n");
  }
  epub_end(&d); /* navMap */
  if (href.failed)
    d.failed = 1;
  dconv_util_buf_free(&href);
  return epub_doc_finish(&d, b->ex, "EPUB/toc.ncx");
}

