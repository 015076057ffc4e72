/*
 * epub_xml.c - XML documents through libxml2's xmlTextWriter, text cleaning
 * and KEPUB sentence spans.
 *
 * Every byte of markup in the book comes from xmlTextWriter: this file never
 * escapes anything by hand. What it does by hand is make sure the *input* to
 * the writer is something XML 1.0 can carry, because libxml2 writes
 * characters such as U+FFFE through unchanged and the result would not parse.
 */
#include "epub.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ documents */

int epub_doc_open(epub_doc *d, const dconv_host *host, int kobo) {
  memset(d, 0, sizeof *d);
  d->host = host;
  d->kobo = kobo;
  dconv_util_buf_init(&d->scratch, host);
  d->buf = xmlBufferCreate();
  if (!d->buf)
    return DCONV_E_NOMEM;
  d->w = xmlNewTextWriterMemory(d->buf, 0);
  if (!d->w) {
    xmlBufferFree(d->buf);
    d->buf = NULL;
    return DCONV_E_NOMEM;
  }
  if (xmlTextWriterStartDocument(d->w, "1.0", "UTF-8", NULL) < 0)
    d->failed = 1;
  return 0;
}

void epub_doc_discard(epub_doc *d) {
  if (d->w)
    xmlFreeTextWriter(d->w);
  if (d->buf)
    xmlBufferFree(d->buf);
  d->w = NULL;
  d->buf = NULL;
  dconv_util_buf_free(&d->scratch);
}

int epub_doc_finish(epub_doc *d, dconv_export *ex, const char *name) {
  const dconv_host *h = d->host;
  /* EndDocument closes whatever is still open; freeing the writer flushes
   * its last bytes into the buffer. */
  if (xmlTextWriterEndDocument(d->w) < 0)
    d->failed = 1;
  xmlFreeTextWriter(d->w);
  d->w = NULL;
  int rc = 0;
  if (d->failed || d->scratch.failed)
    rc = h->set_error(ex, DCONV_E_NOMEM, "cannot write %s: out of memory", name);
  else
    rc = h->add_entry(ex, name, xmlBufferContent(d->buf),
                      (size_t)xmlBufferLength(d->buf), DCONV_ENTRY_DEFLATE);
  epub_doc_discard(d);
  return rc;
}

static void epub_check(epub_doc *d, int rc) {
  if (rc < 0)
    d->failed = 1;
}

void epub_start(epub_doc *d, const char *element) {
  epub_check(d, xmlTextWriterStartElement(d->w, BAD_CAST element));
}

void epub_end(epub_doc *d) { epub_check(d, xmlTextWriterEndElement(d->w)); }

/* Text goes to libxml2 unchecked: every string from the host is already
 * clean (TEXT in <dconv/plugin.h>), and what this plugin makes itself
 * (labels, numbers, dates, ids) is ASCII or fixed UTF-8. The EPUB fuzzer
 * parses every XML entry it writes, so a string that broke this would
 * show there. (A second check here was 4% of an EPUB's instructions.) */
void epub_attr(epub_doc *d, const char *name, const char *value) {
  epub_check(d,
             xmlTextWriterWriteAttribute(d->w, BAD_CAST name, BAD_CAST value));
}

void epub_attr_int(epub_doc *d, const char *name, long long value) {
  epub_check(d, xmlTextWriterWriteFormatAttribute(d->w, BAD_CAST name, "%lld",
                                                  value));
}

void epub_lang(epub_doc *d, const char *lang) {
  epub_attr(d, "lang", lang);
  epub_attr(d, "xml:lang", lang);
}

void epub_plain(epub_doc *d, const char *text) {
  epub_check(d, xmlTextWriterWriteString(d->w, BAD_CAST text));
}

void epub_element(epub_doc *d, const char *element, const char *text) {
  epub_start(d, element);
  epub_plain(d, text);
  epub_end(d);
}

void epub_block(epub_doc *d) {
  d->para++;
  d->sent = 0;
}

/* Length of the sentence starting at s: up to and including the spaces after
 * a '.', '!', '?' or U+3002, or the rest of the string. Korean summaries end
 * sentences with "다." followed by a space, so ASCII punctuation suffices;
 * a decimal point ("3.5") has no space after it and does not split. */
static size_t epub_sentence_len(const char *s) {
  size_t i = 0;
  while (s[i]) {
    size_t end = 0;
    if (s[i] == '.' || s[i] == '!' || s[i] == '?')
      end = i + 1;
    else if ((unsigned char)s[i] == 0xE3 && (unsigned char)s[i + 1] == 0x80 &&
             (unsigned char)s[i + 2] == 0x82)
      end = i + 3;
    if (end && (s[end] == ' ' || s[end] == '\n' || s[end] == '\t')) {
      while (s[end] == ' ' || s[end] == '\n' || s[end] == '\t')
        end++;
      return end;
    }
    i = end ? end : i + 1;
  }
  return i;
}

void epub_text(epub_doc *d, const char *text) {
  if (!d->kobo) {
    epub_plain(d, text);
    return;
  }
  /* Work on a private, writable copy: each sentence is NUL-terminated in
   * place for the writer, then the byte is put back. */
  d->scratch.len = 0;
  dconv_util_buf_puts(&d->scratch, text);
  if (d->scratch.failed) {
    d->failed = 1;
    return;
  }
  char *s = d->scratch.data;
  if (!s || !*s)
    return;
  if (!d->para)
    epub_block(d);
  while (*s) {
    size_t n = epub_sentence_len(s);
    char keep = s[n];
    s[n] = '\0';
    d->sent++;
    epub_check(d, xmlTextWriterStartElement(d->w, BAD_CAST "span"));
    epub_check(d, xmlTextWriterWriteAttribute(d->w, BAD_CAST "class",
                                              BAD_CAST "koboSpan"));
    epub_check(d, xmlTextWriterWriteFormatAttribute(
                      d->w, BAD_CAST "id", "kobo.%u.%u", d->para, d->sent));
    epub_check(d, xmlTextWriterWriteString(d->w, BAD_CAST s));
    epub_check(d, xmlTextWriterEndElement(d->w));
    s[n] = keep;
    s += n;
  }
}

void epub_xhtml_begin(epub_doc *d, const char *lang, const char *title) {
  epub_check(d, xmlTextWriterWriteDTD(d->w, BAD_CAST "html", NULL, NULL, NULL));
  epub_plain(d, "\n");
  epub_start(d, "html");
  epub_attr(d, "xmlns", "http://www.w3.org/1999/xhtml");
  epub_attr(d, "xmlns:epub", "http://www.idpf.org/2007/ops");
  epub_lang(d, lang);
  epub_plain(d, "\n");
  epub_start(d, "head");
  epub_element(d, "title", title);
  epub_start(d, "link");
  epub_attr(d, "rel", "stylesheet");
  epub_attr(d, "type", "text/css");
  epub_attr(d, "href", "style.css");
  epub_end(d);
  if (d->kobo) {
    /* kepubify's style block: no page margin inside Kobo's wrapper. */
    epub_start(d, "style");
    epub_attr(d, "type", "text/css");
    epub_attr(d, "class", "kobostylehacks");
    epub_plain(d, "div#book-inner { margin-top: 0; margin-bottom: 0; }");
    epub_end(d);
  }
  epub_end(d); /* head */
  epub_plain(d, "\n");
  epub_start(d, "body");
  if (d->kobo) {
    /* kepubify's column wrappers: Kobo's reader paginates inside them. */
    epub_start(d, "div");
    epub_attr(d, "id", "book-columns");
    epub_start(d, "div");
    epub_attr(d, "id", "book-inner");
  }
  epub_plain(d, "\n");
}

/* ------------------------------------------------------------ text */

void epub_thousands(dconv_util_buf *b, int64_t v) {
  char digits[24];
  int n = snprintf(digits, sizeof digits, "%lld", (long long)v);
  int neg = digits[0] == '-';
  for (int i = 0; i < n; i++) {
    if (i > neg && (n - i) % 3 == 0)
      dconv_util_buf_putc(b, ',');
    dconv_util_buf_putc(b, digits[i]);
  }
}
