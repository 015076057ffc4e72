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

#include <libxml/xmlwriter.h>

#include <dconv/plugin.h>

#include <dconv/util.h>

/* ------------------------------------------------------------ xml docs */

/**
 * One XML document being written with libxml2's xmlTextWriter into memory.
 * Errors are sticky (`failed`) so builders can write a whole document and
 * check once, in epub_doc_finish().
 */
typedef struct epub_doc {
  const dconv_host *host;
  xmlBufferPtr buf;     /* owned */
  xmlTextWriterPtr w;   /* owned; NULL after finish */
  int failed;           /* a libxml2 or allocation failure happened */
  int kobo;             /* wrap text in koboSpan sentence spans */
  unsigned para, sent;  /* koboSpan counters: block and sentence in block */
  dconv_util_buf scratch;       /* reused for cleaned text and sentence pieces */
} epub_doc;

/** Start a document with `<?xml version="1.0" encoding="UTF-8"?>`.
 *  Returns 0 or DCONV_E_NOMEM (nothing to free then). */
int epub_doc_open(epub_doc *d, const dconv_host *host, int kobo);
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

/**
 * `s` made safe for XML 1.0: invalid UTF-8, C0 controls other than tab/LF/CR
 * and U+FFFE/U+FFFF become U+FFFD. Returns `s` itself when already clean
 * (the common case), else a copy in `scratch` (valid until its next use).
 * Returns NULL only on allocation failure.
 */
const char *epub_clean(dconv_util_buf *scratch, const char *s);

/**
 * A URL fit for an href in EPUB: absolute http(s)/mailto/ftp only, with
 * bytes that are not valid in a URL percent-encoded. Returns a new string
 * (host->free) or NULL when the URL is unusable or memory ran out; `*nomem`
 * tells the two apart.
 */
char *epub_safe_url(const dconv_host *h, const char *url, int *nomem);

/* ------------------------------------------------------------ cover */

/** Cover image bytes (owned, host->free) and what they are. */
typedef struct epub_cover {
  unsigned char *data;
  size_t len;
  const char *href;       /* path inside EPUB/, e.g. "images/cover.png" */
  const char *media_type; /* "image/png" or "image/jpeg" */
} epub_cover;

/** Read a user-supplied PNG or JPEG file. */
int epub_cover_load(const dconv_host *h, dconv_export *ex, const char *path,
                    epub_cover *out);
/** Draw a PNG cover with the title, the date line and a subtitle. Only
 *  printable ASCII of `title` is drawn (the toy font has no Hangul). */
int epub_cover_render(const dconv_host *h, dconv_export *ex, const char *title,
                      const char *dates, const char *subtitle,
                      epub_cover *out);

#endif
