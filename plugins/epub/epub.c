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
 *   EPUB/nav.xhtml                toc (day -> paper) and landmarks
 *   EPUB/toc.ncx                  the same toc for EPUB 2 readers
 *   EPUB/style.css
 *   EPUB/images/cover.png|jpg     -O cover=FILE or drawn with cairo
 *   EPUB/cover.xhtml              only the cover image
 *   EPUB/title.xhtml
 *   EPUB/day-YYYY-MM-DD.xhtml     one per digest, papers in digest order
 *
 * Every XML document is written by libxml2's xmlTextWriter (epub_xml.c);
 * text from the tree is text, never markup.
 */
#include "epub.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The parser caps ITEM depth at 16; clamp anyway so the list stack below is
 * bounded whatever a future host sends. */
#define EPUB_MAX_DEPTH 16
#define EPUB_DEFAULT_NAME "Daily Papers"

typedef struct epub_day {
  const dconv_node *node;
  const char *date; /* borrowed; "" when the digest has none */
  char id[40];      /* manifest id and file stem, e.g. "day-2024-03-27" */
  char file[48];    /* id + ".xhtml" */
  size_t first;     /* index of its first paper in epub_book.anchors */
  size_t n_papers;
} epub_day;

typedef struct epub_book {
  const dconv_host *h;
  dconv_export *ex;
  epub_day *days; /* owned */
  size_t n_days;
  char **anchors; /* owned, each string owned: element id of every paper */
  size_t n_papers;
  char *title;                   /* owned */
  const char *lang, *author, *series; /* borrowed option values */
  char uuid[48];                 /* "urn:uuid:xxxxxxxx-..." */
  char dates[40];                /* "2024-03-27" or "2024-03-27 – 2024-03-31" */
  char dates_ascii[40];          /* the same with " to ", for the cover */
  char date[11];                 /* dc:date: the newest digest */
  char modified[24];             /* dcterms:modified, CCYY-MM-DDThh:mm:ssZ */
  char position[24];             /* series position: YYYYMMDD of first day */
  int kobo;
  epub_cover cover;
} epub_book;

static const char epub_css[] =
    "/* dconv: no named fonts (a Latin-only font can hide Hangul on Kobo),\n"
    "   no CSS variables, no background colours, margins <= 2em. */\n"
    "body { margin: 0 1em; line-height: 1.5; }\n"
    "h1 { font-size: 1.5em; margin: 1em 0 0.5em 0; }\n"
    "h2 { font-size: 1.15em; margin: 1.5em 0 0.3em 0; }\n"
    "h2 a { text-decoration: none; }\n"
    "p { margin: 0.2em 0; }\n"
    "p.authors, p.votes, p.media { font-size: 0.9em; }\n"
    ".label { font-weight: bold; }\n"
    "ul.summary, ol.summary { margin: 0.5em 0 1em 0; padding-left: 1.5em; }\n"
    "li ul, li ol { margin: 0.2em 0; padding-left: 1.5em; }\n"
    "li { margin: 0.2em 0; }\n"
    "code { font-family: monospace; font-size: 0.9em; }\n"
    ":lang(ko) { word-break: keep-all; }\n"
    "section.titlepage { text-align: center; margin-top: 2em; }\n"
    "div.cover { margin: 0; padding: 0; text-align: center; }\n"
    "div.cover img { max-width: 100%; max-height: 100%; }\n"
    "nav ol { list-style-type: none; padding-left: 1em; }\n";

/* ------------------------------------------------------------ utilities */

/* Copy of `s` from host->alloc, or NULL. */
static char *epub_strdup(const dconv_host *h, const char *s) {
  size_t n = strlen(s) + 1;
  char *p = h->alloc(n);
  if (p)
    memcpy(p, s, n);
  return p;
}

/* A BCP 47-shaped tag ("ko", "en-US", "zh-Hant-TW"): epubcheck rejects
 * anything else in dc:language, and it also lands in every lang attribute. */
static int epub_lang_ok(const char *s) {
  size_t n = 0;
  while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z'))
    n++;
  if (n < 2 || n > 8)
    return 0;
  s += n;
  while (*s == '-') {
    s++;
    n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
           (s[n] >= '0' && s[n] <= '9'))
      n++;
    if (n < 1 || n > 8)
      return 0;
    s += n;
  }
  return *s == '\0';
}

/* ------------------------------------------------------------ planning */

/* Open-addressing set of anchor strings (borrowed), for uniqueness. */
typedef struct epub_idset {
  const char **slot;
  size_t cap;
} epub_idset;

static size_t epub_hash(const char *s) {
  size_t v = (size_t)14695981039346656037ULL;
  for (; *s; s++)
    v = (v ^ (unsigned char)*s) * (size_t)1099511628211ULL;
  return v;
}

static int epub_idset_has(const epub_idset *set, const char *s) {
  for (size_t i = epub_hash(s) & (set->cap - 1); set->slot[i];
       i = (i + 1) & (set->cap - 1))
    if (strcmp(set->slot[i], s) == 0)
      return 1;
  return 0;
}

/* `s` must not be in the set yet and must outlive it. */
static void epub_idset_add(epub_idset *set, const char *s) {
  size_t i = epub_hash(s) & (set->cap - 1);
  while (set->slot[i])
    i = (i + 1) & (set->cap - 1);
  set->slot[i] = s;
}

/* Element id for a paper: "arxiv-<id>" with any byte outside [A-Za-z0-9._-]
 * replaced (old-style ids hold a '/', and ids are XML NCNames), else
 * "paper-<n>"; "-2", "-3"... when a duplicate id appears again (the core
 * keeps both papers and warns). Returns a host->alloc string, also recorded
 * in `set`, or NULL when memory ran out. */
static char *epub_anchor(const dconv_host *h, epub_idset *set,
                         const dconv_node *p, size_t index) {
  char base[96], buf[128];
  const char *id = h->node_str(p, "arxiv_id");
  if (id && *id) {
    size_t n = 0;
    memcpy(base, "arxiv-", 6);
    for (; id[n] && n < 64; n++) {
      char c = id[n];
      int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      base[6 + n] = ok ? c : '-';
    }
    base[6 + n] = '\0';
  } else {
    snprintf(base, sizeof base, "paper-%zu", index + 1);
  }
  snprintf(buf, sizeof buf, "%s", base);
  for (unsigned k = 2; epub_idset_has(set, buf); k++)
    snprintf(buf, sizeof buf, "%s-%u", base, k);
  char *copy = epub_strdup(h, buf);
  if (copy)
    epub_idset_add(set, copy);
  return copy;
}

/* Days, file names and paper anchors, before anything is written. */
static int epub_plan(epub_book *b) {
  const dconv_host *h = b->h;
  const dconv_node *root = h->root(b->ex);
  size_t nd = 0, np = 0;
  DCONV_UTIL_FOR_EACH(h, d, root, DCONV_NODE_DIGEST) {
    nd++;
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) { np++; }
  }
  b->days = h->alloc((nd ? nd : 1) * sizeof *b->days);
  b->anchors = h->alloc((np ? np : 1) * sizeof *b->anchors);
  epub_idset set = {NULL, 16};
  while (set.cap < 2 * np + 2)
    set.cap *= 2;
  set.slot = h->alloc(set.cap * sizeof *set.slot);
  if (!b->days || !b->anchors || !set.slot) {
    h->free(set.slot);
    return h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  }
  memset(set.slot, 0, set.cap * sizeof *set.slot);

  size_t di = 0, pi = 0, same = 1;
  int nomem = 0;
  DCONV_UTIL_FOR_EACH(h, d, root, DCONV_NODE_DIGEST) {
    epub_day *day = &b->days[di];
    day->node = d;
    day->date = dconv_util_str(h, d, "date");
    /* The core validates dates as YYYY-MM-DD and sorts digests by date, so
     * two digests of one day are neighbours: number the second "-2". */
    if (strlen(day->date) != 10)
      snprintf(day->id, sizeof day->id, "day-%zu", di + 1);
    else if (di && strcmp(b->days[di - 1].date, day->date) == 0)
      snprintf(day->id, sizeof day->id, "day-%s-%zu", day->date, ++same);
    else {
      snprintf(day->id, sizeof day->id, "day-%s", day->date);
      same = 1;
    }
    snprintf(day->file, sizeof day->file, "%s.xhtml", day->id);
    day->first = pi;
    day->n_papers = 0;
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      if (!(b->anchors[pi] = epub_anchor(h, &set, p, pi))) {
        nomem = 1;
        break;
      }
      pi++;
      day->n_papers++;
    }
    b->n_days = ++di;
    b->n_papers = pi; /* so epub_book_free() frees what was made */
    if (nomem)
      break;
  }
  h->free(set.slot);
  if (nomem)
    return h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  return 0;
}

/* urn:uuid from the content: a name-based (version 5 style) UUID, SHA-1 of a
 * fixed namespace and the digests' dates and arXiv ids (titles for papers
 * without one). The same digests give the same book, whatever the options. */
static int epub_make_uuid(epub_book *b) {
  /* RFC 4122 URL namespace, as the name below is dconv's own "URL". */
  static const unsigned char ns[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad,
                                       0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0,
                                       0x4f, 0xd4, 0x30, 0xc8};
  const dconv_host *h = b->h;
  dconv_util_buf name;
  dconv_util_buf_init(&name, h);
  dconv_util_buf_add(&name, (const char *)ns, sizeof ns);
  dconv_util_buf_puts(&name, "dconv:epub:");
  for (size_t i = 0; i < b->n_days; i++) {
    dconv_util_buf_printf(&name, "D %s\n", b->days[i].date);
    DCONV_UTIL_FOR_EACH(h, p, b->days[i].node, DCONV_NODE_PAPER) {
      const char *id = h->node_str(p, "arxiv_id");
      dconv_util_buf_puts(&name, id && *id ? "A " : "T ");
      dconv_util_buf_puts(&name, id && *id ? id : dconv_util_str(h, p, "title"));
      dconv_util_buf_putc(&name, '\n');
    }
  }
  if (name.failed) {
    dconv_util_buf_free(&name);
    return h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  }
  uint8_t md[20];
  h->sha1(name.data, name.len, md);
  dconv_util_buf_free(&name);
  md[6] = (uint8_t)((md[6] & 0x0F) | 0x50); /* version 5 */
  md[8] = (uint8_t)((md[8] & 0x3F) | 0x80); /* RFC 4122 variant */
  char *o = b->uuid + snprintf(b->uuid, sizeof b->uuid, "urn:uuid:");
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      *o++ = '-';
    o += snprintf(o, 3, "%02x", md[i]);
  }
  return 0;
}

/* Title, dates and timestamps. */
static int epub_make_metadata(epub_book *b) {
  const dconv_host *h = b->h;
  const char *first = b->n_days ? b->days[0].date : "";
  const char *last = b->n_days ? b->days[b->n_days - 1].date : "";

  int64_t ts = h->timestamp(b->ex);
  time_t t = (time_t)ts;
  struct tm tm;
  if (ts < 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
    snprintf(b->modified, sizeof b->modified, "9999-12-31T23:59:59Z");
  else
    strftime(b->modified, sizeof b->modified, "%Y-%m-%dT%H:%M:%SZ", &tm);

  if (!*first) {
    snprintf(b->dates, sizeof b->dates, "%s", "");
    memcpy(b->date, b->modified, 10);
    b->date[10] = '\0';
  } else if (strcmp(first, last) == 0) {
    snprintf(b->dates, sizeof b->dates, "%s", first);
    snprintf(b->date, sizeof b->date, "%s", last);
  } else {
    snprintf(b->dates, sizeof b->dates, "%s \xE2\x80\x93 %s", first, last);
    snprintf(b->date, sizeof b->date, "%s", last);
  }
  if (*first && strcmp(first, last) != 0)
    snprintf(b->dates_ascii, sizeof b->dates_ascii, "%s to %s", first, last);
  else
    snprintf(b->dates_ascii, sizeof b->dates_ascii, "%s", b->dates);

  /* Series position: the first day as YYYYMMDD sorts books by date. */
  unsigned long pos = 0;
  for (const char *s = first; *s; s++)
    if (*s >= '0' && *s <= '9')
      pos = pos * 10 + (unsigned long)(*s - '0');
  snprintf(b->position, sizeof b->position, "%lu", pos ? pos : 1ul);

  const char *opt = h->option(b->ex, "title");
  if (opt && *opt) {
    b->title = epub_strdup(h, opt);
  } else {
    dconv_util_buf t2;
    dconv_util_buf_init(&t2, h);
    dconv_util_buf_puts(&t2, EPUB_DEFAULT_NAME);
    if (*b->dates)
      dconv_util_buf_printf(&t2, " %s", b->dates);
    b->title = t2.failed ? NULL : t2.data;
    if (t2.failed)
      dconv_util_buf_free(&t2);
  }
  if (!b->title)
    return h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  return 0;
}

/* ------------------------------------------------------------ documents */

static int epub_open(epub_book *b, epub_doc *d, int kobo) {
  if (epub_doc_open(d, b->h, kobo))
    return b->h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  return 0;
}

static int epub_write_container(epub_book *b) {
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

static int epub_write_opf(epub_book *b) {
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
    epub_meta(&d, "group-position", "#series", NULL, b->position);
    epub_start(&d, "meta");
    epub_attr(&d, "name", "calibre:series");
    epub_attr(&d, "content", b->series);
    epub_end(&d);
    epub_plain(&d, "\n");
    epub_start(&d, "meta");
    epub_attr(&d, "name", "calibre:series_index");
    epub_attr(&d, "content", b->position);
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
  epub_item(&d, "cover", "cover.xhtml", "application/xhtml+xml", NULL);
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
  /* The nav document is in the spine only so that the "toc" landmark (and
   * readers' "go to contents") may point at it; linear="no" keeps it out of
   * the page-turning flow. */
  epub_start(&d, "itemref");
  epub_attr(&d, "idref", "nav");
  epub_attr(&d, "linear", "no");
  epub_end(&d);
  epub_plain(&d, "\n");
  for (size_t i = 0; i < b->n_days; i++)
    epub_itemref(&d, b->days[i].id);
  epub_end(&d);
  epub_plain(&d, "\n");
  return epub_doc_finish(&d, b->ex, "EPUB/content.opf");
}

/* Link target of paper `k` of `day`: "day-...xhtml#arxiv-...". */
static void epub_paper_href(dconv_util_buf *s, const epub_book *b, const epub_day *day,
                            size_t k) {
  s->len = 0;
  dconv_util_buf_printf(s, "%s#%s", day->file, b->anchors[day->first + k]);
}

/* Text for a paper in the toc: its title, or its id when it has none (an
 * empty <a> is invalid in a nav document). */
static const char *epub_paper_label(const dconv_host *h, const dconv_node *p) {
  const char *t = dconv_util_str(h, p, "title");
  if (*t)
    return t;
  t = dconv_util_str(h, p, "arxiv_id");
  return *t ? t : "(untitled)";
}

static int epub_write_nav(epub_book *b) {
  const dconv_host *h = b->h;
  epub_doc d;
  int rc = epub_open(b, &d, 0);
  if (rc)
    return rc;
  dconv_util_buf href;
  dconv_util_buf_init(&href, h);
  epub_xhtml_begin(&d, b->lang, b->title);

  epub_start(&d, "nav");
  epub_attr(&d, "epub:type", "toc");
  epub_attr(&d, "id", "toc");
  epub_start(&d, "h1");
  epub_lang(&d, "en");
  epub_plain(&d, "Contents");
  epub_end(&d);
  epub_plain(&d, "\n");
  epub_start(&d, "ol");
  epub_plain(&d, "\n");
  if (!b->n_days) {
    epub_start(&d, "li");
    epub_start(&d, "a");
    epub_attr(&d, "href", "title.xhtml");
    epub_plain(&d, b->title);
    epub_end(&d);
    epub_end(&d);
  }
  for (size_t i = 0; i < b->n_days; i++) {
    const epub_day *day = &b->days[i];
    epub_start(&d, "li");
    epub_start(&d, "a");
    epub_attr(&d, "href", day->file);
    epub_plain(&d, *day->date ? day->date : day->id);
    epub_end(&d);
    if (day->n_papers) {
      epub_plain(&d, "\n");
      epub_start(&d, "ol");
      size_t k = 0;
      DCONV_UTIL_FOR_EACH(h, p, day->node, DCONV_NODE_PAPER) {
        epub_paper_href(&href, b, day, k++);
        epub_start(&d, "li");
        epub_start(&d, "a");
        epub_attr(&d, "href", href.data ? href.data : "");
        epub_lang(&d, "en");
        epub_plain(&d, epub_paper_label(h, p));
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
  epub_lang(&d, "en");
  epub_plain(&d, "Landmarks");
  epub_end(&d);
  epub_start(&d, "ol");
  static const char *const marks[][3] = {
      {"cover", "cover.xhtml", "Cover"},
      {"titlepage", "title.xhtml", "Title page"},
      {"toc", "nav.xhtml#toc", "Contents"},
      {"bodymatter", NULL, "Papers"},
  };
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    const char *target = marks[i][1];
    if (!target && !b->n_days)
      continue;
    epub_start(&d, "li");
    epub_start(&d, "a");
    epub_attr(&d, "epub:type", marks[i][0]);
    epub_attr(&d, "href", target ? target : b->days[0].file);
    epub_lang(&d, "en");
    epub_plain(&d, marks[i][2]);
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

static int epub_write_ncx(epub_book *b) {
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
  const char *values[] = {b->uuid, b->n_papers ? "2" : "1", "0", "0"};
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
    epub_nav_point(&d, &order, *day->date ? day->date : day->id, day->file);
    size_t k = 0;
    DCONV_UTIL_FOR_EACH(h, p, day->node, DCONV_NODE_PAPER) {
      epub_paper_href(&href, b, day, k++);
      epub_nav_point(&d, &order, epub_paper_label(h, p),
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

static int epub_write_cover_page(epub_book *b) {
  epub_doc d;
  int rc = epub_open(b, &d, 0);
  if (rc)
    return rc;
  epub_xhtml_begin(&d, b->lang, b->title);
  epub_start(&d, "section");
  epub_attr(&d, "epub:type", "cover");
  epub_start(&d, "div");
  epub_attr(&d, "class", "cover");
  epub_start(&d, "img");
  epub_attr(&d, "src", b->cover.href);
  epub_attr(&d, "alt", b->title);
  return epub_doc_finish(&d, b->ex, "EPUB/cover.xhtml");
}

static int epub_write_title_page(epub_book *b) {
  epub_doc d;
  int rc = epub_open(b, &d, b->kobo);
  if (rc)
    return rc;
  epub_xhtml_begin(&d, b->lang, b->title);
  epub_start(&d, "section");
  epub_attr(&d, "class", "titlepage");
  epub_attr(&d, "epub:type", "titlepage");
  epub_plain(&d, "\n");
  epub_start(&d, "h1");
  epub_block(&d);
  epub_text(&d, b->title);
  epub_end(&d);
  epub_plain(&d, "\n");
  if (*b->dates) {
    epub_start(&d, "p");
    epub_block(&d);
    epub_text(&d, b->dates);
    epub_end(&d);
    epub_plain(&d, "\n");
  }
  char count[96];
  snprintf(count, sizeof count, "%zu paper%s, %zu day%s", b->n_papers,
           b->n_papers == 1 ? "" : "s", b->n_days, b->n_days == 1 ? "" : "s");
  epub_start(&d, "p");
  epub_lang(&d, "en");
  epub_block(&d);
  epub_text(&d, count);
  epub_end(&d);
  epub_plain(&d, "\n");
  if (*b->author) {
    epub_start(&d, "p");
    epub_block(&d);
    epub_text(&d, b->author);
    epub_end(&d);
    epub_plain(&d, "\n");
  }
  return epub_doc_finish(&d, b->ex, "EPUB/title.xhtml");
}

/* A link: <a href> when the URL is usable, else a <span> so the caller's
 * later epub_end() still matches. Returns DCONV_E_NOMEM or 0. */
static int epub_link_start(epub_doc *d, const char *url) {
  int nomem;
  char *safe = epub_safe_url(d->host, url ? url : "", &nomem);
  if (nomem)
    return DCONV_E_NOMEM;
  if (!safe) {
    epub_start(d, "span");
    return 0;
  }
  epub_start(d, "a");
  epub_attr(d, "href", safe);
  d->host->free(safe);
  return 0;
}

/* Inline content of an ITEM. Iterative, like json's: nesting costs no
 * stack. A link inside a link (impossible in CommonMark, but the tree is an
 * open format) becomes a span, as HTML forbids nested <a>. */
static int epub_write_inlines(epub_doc *d, const dconv_node *item) {
  const dconv_host *h = d->host;
  dconv_util_inlines w;
  if (dconv_util_inlines_open(&w, h, item))
    return DCONV_E_NOMEM;
  const dconv_node *n;
  uint32_t k;
  int ev, rc = 0;
  unsigned long in_link = 0;
  while (!rc && (ev = dconv_util_inlines_next(&w, &n, &k)) != DCONV_EVENT_DONE) {
    if (ev == DCONV_EVENT_EXIT) {
      if (k == DCONV_NODE_EMPH || k == DCONV_NODE_STRONG || k == DCONV_NODE_LINK)
        epub_end(d);
      if (k == DCONV_NODE_LINK)
        in_link--;
      continue;
    }
    switch (k) {
    case DCONV_NODE_TEXT:
      epub_text(d, dconv_util_str(h, n, "text"));
      break;
    case DCONV_NODE_CODE:
      epub_start(d, "code");
      epub_text(d, dconv_util_str(h, n, "text"));
      epub_end(d);
      break;
    case DCONV_NODE_EMPH:
      epub_start(d, "em");
      break;
    case DCONV_NODE_STRONG:
      epub_start(d, "strong");
      break;
    default: /* DCONV_NODE_LINK */
      if (in_link++)
        epub_start(d, "span");
      else
        rc = epub_link_start(d, h->node_str(n, "url"));
      break;
    }
  }
  dconv_util_inlines_close(&w);
  return rc;
}

/* The summary as nested lists. Items arrive flat with a depth; an open list
 * per level is kept on a small stack (bounded by EPUB_MAX_DEPTH), each with
 * its last <li> left open so a deeper item can nest inside it. */
static int epub_write_summary(epub_doc *d, const dconv_node *paper) {
  const dconv_host *h = d->host;
  int ordered_at[EPUB_MAX_DEPTH + 1];
  int open = 0, rc = 0;
  DCONV_UTIL_FOR_EACH(h, item, paper, DCONV_NODE_ITEM) {
    int64_t depth = dconv_util_int(h, item, "depth", 0);
    int ordered = dconv_util_int(h, item, "ordered", 0) != 0;
    if (depth < 0)
      depth = 0;
    if (depth > EPUB_MAX_DEPTH)
      depth = EPUB_MAX_DEPTH;
    if (depth > open)
      depth = open; /* a level cannot be skipped: nest one deeper at most */
    while (open > depth + 1) {
      epub_end(d); /* li */
      epub_end(d); /* ul/ol */
      open--;
    }
    if (open == depth + 1) {
      epub_end(d); /* the previous sibling's li */
      if (ordered_at[depth] != ordered) {
        epub_end(d); /* a list of the other kind starts */
        open--;
      }
    }
    if (open == depth) {
      if (depth)
        epub_plain(d, "\n");
      epub_start(d, ordered ? "ol" : "ul");
      if (!depth) {
        epub_attr(d, "class", "summary");
        epub_lang(d, "ko");
      }
      int64_t number = dconv_util_int(h, item, "number", 1);
      if (ordered && number != 1)
        epub_attr_int(d, "start", (long long)number);
      ordered_at[depth] = ordered;
      open++;
    }
    epub_plain(d, "\n");
    epub_start(d, "li");
    epub_block(d);
    if ((rc = epub_write_inlines(d, item)) != 0)
      break;
  }
  while (open > 0) {
    epub_end(d);
    epub_end(d);
    open--;
  }
  epub_plain(d, "\n");
  return rc;
}

/* "Authors: A, B, et al., C" with "et al." where the digest elided names;
 * "; " between names when a name holds a comma. */
static void epub_authors(const dconv_host *h, dconv_util_buf *s, const dconv_node *p) {
  s->len = 0;
  dconv_util_join_authors(h, s, p, "et al.", 0, NULL);
}

/* One labelled line of paper metadata: <p class=cls><span>Label:</span> */
static void epub_meta_line(epub_doc *d, const char *cls, const char *label) {
  epub_start(d, "p");
  epub_attr(d, "class", cls);
  epub_lang(d, "en");
  epub_block(d);
  epub_start(d, "span");
  epub_attr(d, "class", "label");
  epub_text(d, label);
  epub_end(d);
  epub_text(d, " ");
}

static int epub_write_paper(epub_book *b, epub_doc *d, dconv_util_buf *s,
                            const dconv_node *p, const char *anchor) {
  const dconv_host *h = b->h;
  epub_start(d, "section");
  epub_attr(d, "class", "paper");
  epub_attr(d, "id", anchor);
  epub_plain(d, "\n");

  epub_start(d, "h2");
  epub_lang(d, "en");
  epub_block(d);
  const char *url = h->node_str(p, "url");
  const char *id = h->node_str(p, "arxiv_id");
  s->len = 0;
  if (url)
    dconv_util_buf_puts(s, url);
  else if (id)
    dconv_util_buf_printf(s, "https://arxiv.org/abs/%s", id);
  int rc = epub_link_start(d, s->data ? s->data : "");
  if (rc)
    return rc;
  epub_text(d, epub_paper_label(h, p));
  epub_end(d); /* a */
  epub_end(d); /* h2 */
  epub_plain(d, "\n");

  if (dconv_util_next_kind(h, p, NULL, DCONV_NODE_AUTHOR) ||
      dconv_util_int(h, p, "authors_elided", 0)) {
    epub_meta_line(d, "authors", "Authors:");
    epub_authors(h, s, p);
    epub_text(d, s->data ? s->data : "");
    epub_end(d);
    epub_plain(d, "\n");
  }

  epub_meta_line(d, "votes", "Votes:");
  int64_t votes;
  if (h->node_int(p, "votes", &votes) == 0) {
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)votes);
    epub_text(d, num);
  } else {
    epub_text(d, "unknown");
  }
  epub_end(d);
  epub_plain(d, "\n");

  const char *media = h->node_str(p, "media_url");
  if (media) {
    /* Never an <img>: the thumbnail or video stays on the web, a link. */
    const char *kind = dconv_util_str(h, p, "media_kind");
    epub_meta_line(d, "media", "Media:");
    if ((rc = epub_link_start(d, media)) != 0)
      return rc;
    epub_text(d, strcmp(kind, "video") == 0 ? "video" : "thumbnail");
    epub_end(d);
    epub_end(d);
    epub_plain(d, "\n");
  }

  if (dconv_util_next_kind(h, p, NULL, DCONV_NODE_ITEM) &&
      (rc = epub_write_summary(d, p)) != 0)
    return rc;
  epub_end(d); /* section */
  epub_plain(d, "\n");
  return 0;
}

static int epub_write_day(epub_book *b, const epub_day *day) {
  const dconv_host *h = b->h;
  epub_doc d;
  int rc = epub_open(b, &d, b->kobo);
  if (rc)
    return rc;
  dconv_util_buf s;
  dconv_util_buf_init(&s, h);
  const char *name = dconv_util_str(h, day->node, "title");
  dconv_util_buf_printf(&s, "%s %s", *name ? name : EPUB_DEFAULT_NAME, day->date);
  epub_xhtml_begin(&d, b->lang, s.data ? s.data : "");
  epub_start(&d, "h1");
  epub_lang(&d, "en");
  epub_block(&d);
  epub_text(&d, s.data ? s.data : "");
  epub_end(&d);
  epub_plain(&d, "\n");
  size_t k = 0;
  DCONV_UTIL_FOR_EACH(h, p, day->node, DCONV_NODE_PAPER) {
    if ((rc = epub_write_paper(b, &d, &s, p, b->anchors[day->first + k++])))
      break;
  }
  if (!rc && !day->n_papers) {
    epub_start(&d, "p");
    epub_lang(&d, "en");
    epub_block(&d);
    epub_text(&d, "No papers.");
    epub_end(&d);
  }
  if (s.failed)
    rc = DCONV_E_NOMEM;
  dconv_util_buf_free(&s);
  if (rc) {
    epub_doc_discard(&d);
    return h->set_error(b->ex, rc, "%s: out of memory", day->file);
  }
  char entry[64];
  snprintf(entry, sizeof entry, "EPUB/%s", day->file);
  return epub_doc_finish(&d, b->ex, entry);
}

/* ------------------------------------------------------------ convert */

static int epub_make_cover(epub_book *b) {
  const char *file = b->h->option(b->ex, "cover");
  if (file && *file)
    return epub_cover_load(b->h, b->ex, file, &b->cover);
  char sub[96];
  snprintf(sub, sizeof sub, "%zu paper%s", b->n_papers,
           b->n_papers == 1 ? "" : "s");
  /* The dates get their own line, so the default title is just the name. */
  const char *title = b->h->option(b->ex, "title");
  return epub_cover_render(b->h, b->ex,
                           title && *title ? title : EPUB_DEFAULT_NAME,
                           b->dates_ascii, sub, &b->cover);
}

static void epub_book_free(epub_book *b) {
  const dconv_host *h = b->h;
  for (size_t i = 0; b->anchors && i < b->n_papers; i++)
    h->free(b->anchors[i]);
  h->free(b->anchors);
  h->free(b->days);
  h->free(b->title);
  h->free(b->cover.data);
}

static int epub_convert(const dconv_host *h, dconv_export *ex) {
  epub_book b;
  memset(&b, 0, sizeof b);
  b.h = h;
  b.ex = ex;
  b.kobo = dconv_util_opt_bool(h, ex, "kobo");
  b.lang = h->option(ex, "lang");
  b.author = h->option(ex, "author");
  b.series = h->option(ex, "series");
  if (!b.lang || !epub_lang_ok(b.lang))
    return h->set_error(ex, DCONV_E_OPTION,
                        "lang '%s' is not a language tag like ko or en-US",
                        b.lang ? b.lang : "");
  if (!b.author)
    b.author = "";
  if (!b.series)
    b.series = "";

  int rc = epub_plan(&b);
  if (!rc)
    rc = epub_make_uuid(&b);
  if (!rc)
    rc = epub_make_metadata(&b);
  if (!rc)
    rc = epub_make_cover(&b);
  /* mimetype first and stored: readers identify the file by its bytes at
   * offset 38. */
  if (!rc)
    rc = h->add_entry(ex, "mimetype", "application/epub+zip", 20,
                      DCONV_ENTRY_STORE);
  if (!rc)
    rc = epub_write_container(&b);
  if (!rc)
    rc = epub_write_opf(&b);
  if (!rc)
    rc = epub_write_nav(&b);
  if (!rc)
    rc = epub_write_ncx(&b);
  if (!rc)
    rc = h->add_entry(ex, "EPUB/style.css", epub_css, sizeof epub_css - 1,
                      DCONV_ENTRY_DEFLATE);
  if (!rc) {
    char name[64];
    snprintf(name, sizeof name, "EPUB/%s", b.cover.href);
    /* PNG and JPEG are compressed already: storing saves time, not space */
    rc = h->add_entry(ex, name, b.cover.data, b.cover.len, DCONV_ENTRY_STORE);
  }
  if (!rc)
    rc = epub_write_cover_page(&b);
  if (!rc)
    rc = epub_write_title_page(&b);
  for (size_t i = 0; !rc && i < b.n_days; i++)
    rc = epub_write_day(&b, &b.days[i]);
  epub_book_free(&b);
  return rc;
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
    {sizeof(dconv_option), DCONV_OPT_BOOL, "kobo", "false", NULL,
     "Kobo KEPUB: wrap sentences in koboSpan elements"},
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
