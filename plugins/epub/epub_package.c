/*
 * epub_package.c - the package documents: META-INF/container.xml, the OPF
 * (metadata, manifest, spine). The nav and the NCX are in epub_toc.c.
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

