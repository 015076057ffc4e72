/*
 * xml_escape.h - libxml2's escaping for writers that write their markup
 * directly (epub, opml).
 *
 * Why: xmlTextWriter costs more than the text it writes. It keeps a list of
 * open elements, sends every byte through an output buffer and an encoder
 * (UTF-8 to UTF-8 here) and escapes values byte by byte; on the corpus that
 * was a third of the OPML writer and an eighth of an EPUB. A writer that
 * knows its structure can write `<p class="x">` itself. What it must not do
 * is escape by hand, so the values still go through the two functions
 * xmlTextWriter calls: xmlAttrSerializeTxtContent for attribute values and
 * xmlEncodeSpecialChars for element text.
 *
 * The fast path: libxml2 escapes byte by byte, looking at no context, so a
 * value holding none of the bytes it rewrites comes out unchanged. Which
 * bytes those are is asked of libxml2 once, at set-up (xml_escape_init),
 * and never listed here; a run of other bytes is copied as it is
 * (strcspn), and only the rest is handed to libxml2. The output is the
 * one xmlTextWriter gave, byte for byte (tests/same-output.sh).
 *
 * Header-only and built on the public ABI plus libxml2, like cite.h, so
 * each writer stays what a third-party plugin could be.
 */
#ifndef DCONV_PLUGINS_XML_ESCAPE_H
#define DCONV_PLUGINS_XML_ESCAPE_H

#include <string.h>

#include <libxml/entities.h>
#include <libxml/tree.h>

#include <dconv/errors.h>
#include <dconv/util.h>

/** libxml2's escaping, set up once per conversion. Everything is owned;
 *  release with xml_escape_free. */
typedef struct xml_escape {
  /* A document that declares UTF-8, as xmlTextWriter's did after
   * StartDocument("UTF-8"): non-ASCII attribute text then stays as it is
   * instead of becoming character references. */
  xmlDocPtr doc;
  xmlBufferPtr scratch; /* what libxml2 escapes into */
  char attr[256];       /* the bytes xmlAttrSerializeTxtContent rewrites */
  char text[256];       /* the bytes xmlEncodeSpecialChars rewrites */
} xml_escape;

/* Fill `set` with every byte that `escape` rewrites, as a C string. */
static inline int xml_escape_probe_(xml_escape *e, char *set, int attr) {
  size_t n = 0;
  for (int b = 1; b < 256; b++) {
    xmlChar one[2] = {(xmlChar)b, 0};
    if (attr) {
      xmlBufferEmpty(e->scratch);
      xmlAttrSerializeTxtContent(e->scratch, e->doc, NULL, one);
      if (xmlBufferLength(e->scratch) == 0)
        return DCONV_E_NOMEM;
      if (xmlBufferLength(e->scratch) != 1 ||
          xmlBufferContent(e->scratch)[0] != b)
        set[n++] = (char)b;
    } else {
      xmlChar *out = xmlEncodeSpecialChars(NULL, one);
      if (!out)
        return DCONV_E_NOMEM;
      if (out[0] != b || out[1] != 0)
        set[n++] = (char)b;
      xmlFree(out);
    }
  }
  set[n] = '\0';
  return 0;
}

/** Set up `e`. Returns 0, or DCONV_E_NOMEM with nothing left to free. */
static inline int xml_escape_init(xml_escape *e) {
  memset(e, 0, sizeof *e);
  e->doc = xmlNewDoc(BAD_CAST "1.0");
  if (e->doc)
    e->doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
  e->scratch = xmlBufferCreate();
  if (!e->doc || !e->doc->encoding || !e->scratch ||
      xml_escape_probe_(e, e->attr, 1) != 0 ||
      xml_escape_probe_(e, e->text, 0) != 0) {
    if (e->scratch)
      xmlBufferFree(e->scratch);
    if (e->doc)
      xmlFreeDoc(e->doc); /* also frees its encoding */
    memset(e, 0, sizeof *e);
    return DCONV_E_NOMEM;
  }
  return 0;
}

/** Release what xml_escape_init made; `e` may be zeroed or already freed. */
static inline void xml_escape_free(xml_escape *e) {
  if (e->scratch)
    xmlBufferFree(e->scratch);
  if (e->doc)
    xmlFreeDoc(e->doc);
  memset(e, 0, sizeof *e);
}

/** Append `v` to `out`, escaped as an attribute value (without the quotes).
 *  Out of memory sets out->failed. */
static inline void xml_escape_attr(xml_escape *e, dconv_util_buf *out,
                                   const char *v) {
  size_t plain = strcspn(v, e->attr);
  dconv_util_buf_add(out, v, plain);
  if (!v[plain])
    return;
  xmlBufferEmpty(e->scratch);
  xmlAttrSerializeTxtContent(e->scratch, e->doc, NULL, BAD_CAST(v + plain));
  if (xmlBufferLength(e->scratch) == 0) /* it escapes a non-empty text into */
    out->failed = 1;                     /* a non-empty one: out of memory   */
  else
    dconv_util_buf_add(out, (const char *)xmlBufferContent(e->scratch),
                       (size_t)xmlBufferLength(e->scratch));
}

/** Append `v` to `out`, escaped as element text. Out of memory sets
 *  out->failed. */
static inline void xml_escape_text(xml_escape *e, dconv_util_buf *out,
                                   const char *v) {
  size_t plain = strcspn(v, e->text);
  dconv_util_buf_add(out, v, plain);
  if (!v[plain])
    return;
  xmlChar *esc = xmlEncodeSpecialChars(NULL, BAD_CAST(v + plain));
  if (!esc) {
    out->failed = 1;
    return;
  }
  dconv_util_buf_puts(out, (const char *)esc);
  xmlFree(esc);
}

#endif
