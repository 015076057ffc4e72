/*
 * epub_xml.c - the XML documents of a book, KEPUB sentence spans, numbers.
 *
 * The markup (`<p class="meta">`, `</p>`) is written here directly, and
 * every value and text goes through libxml2's escaping
 * (plugins/common/xml_escape.h): this file never escapes anything by hand.
 * The bytes are the ones libxml2's xmlTextWriter wrote before, without its
 * cost (an eighth of an EPUB's instructions).
 */
#include "epub.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ documents */

int epub_doc_open(epub_doc *d, const dconv_host *host, xml_escape *esc,
                  int kobo) {
  memset(d, 0, sizeof *d);
  d->host = host;
  d->esc = esc;
  d->kobo = kobo;
  dconv_util_buf_init(&d->out, host);
  dconv_util_buf_init(&d->scratch, host);
  dconv_util_buf_puts(&d->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  if (!d->out.failed)
    return 0;
  epub_doc_discard(d);
  return DCONV_E_NOMEM;
}

void epub_doc_discard(epub_doc *d) {
  dconv_util_buf_free(&d->out);
  dconv_util_buf_free(&d->scratch);
}

int epub_doc_finish(epub_doc *d, dconv_export *ex, const char *name) {
  const dconv_host *h = d->host;
  /* Close whatever is still open, and end with a newline, as
   * xmlTextWriterEndDocument did. */
  while (d->depth > 0)
    epub_end(d);
  dconv_util_buf_putc(&d->out, '\n');
  int rc = 0;
  if (d->failed) /* a bug in this plugin, never the input's doing */
    rc = h->set_error(ex, DCONV_E_PLUGIN,
                      "cannot write %s: elements nested over %d deep or "
                      "an attribute after content",
                      name, EPUB_MAX_DEPTH);
  else if (d->out.failed || d->scratch.failed)
    rc = h->set_error(ex, DCONV_E_NOMEM, "cannot write %s: out of memory", name);
  else
    rc = h->add_entry(ex, name, d->out.data, d->out.len, DCONV_ENTRY_DEFLATE);
  epub_doc_discard(d);
  return rc;
}

/* Content follows: the open start tag gets its '>'. */
static void epub_content(epub_doc *d) {
  if (d->tag_open) {
    dconv_util_buf_putc(&d->out, '>');
    d->tag_open = 0;
  }
}

void epub_start(epub_doc *d, const char *element) {
  if (d->depth == EPUB_MAX_DEPTH) { /* deeper than any book this plugin */
    d->failed = 1;                  /* writes: a bug, not an input      */
    return;
  }
  epub_content(d);
  dconv_util_buf_putc(&d->out, '<');
  dconv_util_buf_puts(&d->out, element);
  d->open[d->depth++] = element;
  d->tag_open = 1;
}

void epub_end(epub_doc *d) {
  if (d->depth == 0) {
    d->failed = 1;
    return;
  }
  const char *element = d->open[--d->depth];
  if (d->tag_open) { /* no content: <name .../> */
    dconv_util_buf_add(&d->out, "/>", 2);
    d->tag_open = 0;
    return;
  }
  dconv_util_buf_add(&d->out, "</", 2);
  dconv_util_buf_puts(&d->out, element);
  dconv_util_buf_putc(&d->out, '>');
}

/* ` name="` inside the open tag; -1 (and the document fails) when no tag
 * is open, since an attribute after content is a bug. */
static int epub_attr_name(epub_doc *d, const char *name) {
  if (!d->tag_open) {
    d->failed = 1;
    return -1;
  }
  dconv_util_buf_putc(&d->out, ' ');
  dconv_util_buf_puts(&d->out, name);
  dconv_util_buf_add(&d->out, "=\"", 2);
  return 0;
}

/* Text is escaped unchecked: every string from the host is already clean
 * (TEXT in <dconv/plugin.h>), and what this plugin makes itself (labels,
 * numbers, dates, ids) is ASCII or fixed UTF-8. The EPUB fuzzer parses
 * every XML entry it writes, so a string that broke this would show
 * there. (A second check here was 4% of an EPUB's instructions.) */
void epub_attr(epub_doc *d, const char *name, const char *value) {
  if (epub_attr_name(d, name) < 0)
    return;
  xml_escape_attr(d->esc, &d->out, value);
  dconv_util_buf_putc(&d->out, '"');
}

void epub_attr_int(epub_doc *d, const char *name, long long value) {
  if (epub_attr_name(d, name) < 0)
    return;
  dconv_util_buf_put_int(&d->out, value, 0);
  dconv_util_buf_putc(&d->out, '"');
}

void epub_lang(epub_doc *d, const char *lang) {
  epub_attr(d, "lang", lang);
  epub_attr(d, "xml:lang", lang);
}

void epub_plain(epub_doc *d, const char *text) {
  if (d->depth == 0) { /* between the prologue's parts: only newlines */
    dconv_util_buf_puts(&d->out, text);
    return;
  }
  epub_content(d);
  xml_escape_text(d->esc, &d->out, text);
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
  /* strcspn skips to the next candidate many bytes at a time; a Korean
   * summary's Hangul never holds 0xE3 (its lead bytes are 0xEA-0xED). */
  while (s[i += strcspn(s + i, ".!?\xE3")]) {
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
    epub_start(d, "span");
    epub_attr(d, "class", "koboSpan");
    /* The id is two numbers, written without snprintf (which was 4% of a
     * KEPUB's instructions); nothing in it needs escaping. */
    if (epub_attr_name(d, "id") == 0) {
      dconv_util_buf_puts(&d->out, "kobo.");
      dconv_util_buf_put_int(&d->out, d->para, 0);
      dconv_util_buf_putc(&d->out, '.');
      dconv_util_buf_put_int(&d->out, d->sent, 0);
      dconv_util_buf_putc(&d->out, '"');
    }
    epub_plain(d, s);
    epub_end(d);
    s[n] = keep;
    s += n;
  }
}

void epub_xhtml_begin(epub_doc *d, const char *lang, const char *title) {
  dconv_util_buf_puts(&d->out, "<!DOCTYPE html>\n");
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
  /* Filled from the right, a comma before every third digit: 19 digits,
   * 6 commas and a sign fit. (snprintf and a second pass cost 700
   * instructions a number.) */
  char tmp[32], *p = tmp + sizeof tmp;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  int k = 0;
  do {
    if (k > 0 && k % 3 == 0)
      *--p = ',';
    *--p = (char)('0' + u % 10);
    u /= 10;
    k++;
  } while (u);
  if (v < 0)
    *--p = '-';
  dconv_util_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}
