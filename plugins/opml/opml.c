/*
 * opml - the digests as an OPML 2.0 outline, for outliners (OmniOutliner,
 * Logseq, Workflowy, Dynalist) and reading lists.
 *
 *   <opml version="2.0">
 *     <head> title, dateCreated (RFC 822), docs, [ownerName] </head>
 *     <body>
 *       <outline text="Daily Papers (YYYY-MM-DD)">          one per digest
 *         <outline text=TITLE type="link" url=ARXIV-URL>     one per paper
 *           <outline text="Authors: A, B, …, C"/>            if any authors
 *           <outline text="Votes: N"/>                       if votes known
 *           <outline text="Thumbnail|Video" type="link" url=MEDIA/>  if any
 *           <outline text=BULLET>                            one per bullet
 *             <outline text=LINK-TEXT type="link" url=URL/>  one per link
 *             <outline text=NESTED-BULLET/>                  depth + 1
 *
 * A paper without URL is a plain outline (no type="link"). Bullet text is
 * the flattened inline content (emphasis and code lose their markup, links
 * keep their text and reappear as child link outlines); numbers of ordered
 * bullets are left to the outline order. Simple inline TeX in paper titles
 * and bullet text ("M$^{2}$UGen", "$\sim$20") is shown as Unicode text
 * (dconv/tex.h): an outline is read, not typeset. -O notes=true adds
 * _note="Authors: ...&#10;Votes: N" to each paper.
 *
 * So a document has digests + papers + (per paper) [authors] + [votes] +
 * [media] + bullets + links-in-bullets outlines; README "OPML output" is the
 * user-facing statement of that count, and tests/opml checks it.
 *
 * All XML goes through libxml2's xmlTextWriter, which escapes attribute
 * values (&, <, >, ", and newline/tab/CR as character references), so no
 * text from the digest can break the markup. Text the host hands a plugin
 * is already valid UTF-8 without the characters XML cannot carry (see
 * "TEXT" in <dconv/plugin.h>), so nothing is checked again here. Links
 * follow the one URL rule of every writer (dconv_util_url_ok): a URL that
 * is not http(s), ftp or mailto leaves a plain outline. Output streams to
 * host->write through an xmlOutputBuffer: memory stays bounded and time
 * linear.
 *
 * Determinism: nothing depends on the clock, the locale or the environment
 * except host->timestamp() (SOURCE_DATE_EPOCH or the newest digest date).
 */
#include <dconv/plugin.h>

#include <libxml/xmlwriter.h>

#include <dconv/tex.h>
#include <dconv/util.h>

#define OPML_DOCS "http://opml.org/spec2.opml"

/* One conversion. Everything here is owned by opml_convert. */
typedef struct opml_ctx {
  const dconv_host *h;
  dconv_export *ex;
  xmlTextWriterPtr w;
  int sink_rc;   /* first host->write failure (already reported), or 0 */
  int notes;     /* -O notes=true */
  dconv_util_buf line; /* scratch for composed texts ("Authors: ...", _note) */
} opml_ctx;

/* ------------------------------------------------------------ plumbing */

/* xmlOutputBuffer write callback: hand bytes to the host. On failure the
 * host has already recorded the reason; remember its code and swallow the
 * rest. Returning -1 instead would make libxml2 print "I/O error" to stderr
 * through its global error handler, which a plugin must neither do nor
 * reconfigure; opml_write_body stops at the next paper anyway. */
static int opml_sink(void *ctx, const char *buf, int len) {
  opml_ctx *c = ctx;
  if (!c->sink_rc && len > 0)
    c->sink_rc = c->h->write(c->ex, buf, (size_t)len);
  return len;
}

/* Turn a failed xmlTextWriter call into a DCONV_E_* code, reporting it
 * unless the sink already did. */
static int opml_fail(opml_ctx *c) {
  if (c->sink_rc)
    return c->sink_rc;
  return c->h->set_error(c->ex, DCONV_E_NOMEM,
                         "libxml2 could not write the OPML (out of memory?)");
}

#define OPML_TRY(c, call)                                                      \
  do {                                                                         \
    if ((call) < 0)                                                            \
      return opml_fail(c);                                                     \
  } while (0)

static int opml_attr(opml_ctx *c, const char *name, const char *value) {
  OPML_TRY(c, xmlTextWriterWriteAttribute(c->w, BAD_CAST name, BAD_CAST value));
  return 0;
}

/* <name>value</name>. */
static int opml_element(opml_ctx *c, const char *name, const char *value) {
  OPML_TRY(c, xmlTextWriterWriteElement(c->w, BAD_CAST name, BAD_CAST value));
  return 0;
}

/* Open <outline text=...> with type="link" url=... when `url` is a URL a
 * reader may follow (dconv_util_url_ok; else a plain outline). The caller
 * closes it with opml_end. */
static int opml_start_outline(opml_ctx *c, const char *text, const char *url) {
  OPML_TRY(c, xmlTextWriterStartElement(c->w, BAD_CAST "outline"));
  int rc = opml_attr(c, "text", text);
  if (!rc && url && dconv_util_url_ok(url)) {
    rc = opml_attr(c, "type", "link");
    if (!rc)
      rc = opml_attr(c, "url", url);
  }
  return rc;
}

/* The same, with the inline TeX of `text` as Unicode; c->line is free
 * again once the attribute is written. */
static int opml_start_outline_tex(opml_ctx *c, const char *text,
                                  const char *url) {
  c->line.len = 0;
  dconv_tex_to_unicode(&c->line, text);
  int rc = dconv_util_buf_check(&c->line); /* the host names ENOMEM */
  return rc ? rc : opml_start_outline(c, c->line.data, url);
}

static int opml_end(opml_ctx *c) {
  OPML_TRY(c, xmlTextWriterEndElement(c->w));
  return 0;
}

/* A complete leaf outline. */
static int opml_leaf(opml_ctx *c, const char *text, const char *url) {
  int rc = opml_start_outline(c, text, url);
  return rc ? rc : opml_end(c);
}

/* c->line is reused for every composed text: empty it here, build with the
 * dconv_util_buf_* calls (which only record a failure), then opml_line_check once. */
static void opml_line_reset(opml_ctx *c) {
  c->line.len = 0;
  dconv_util_buf_reserve(&c->line, 0); /* so data is "" (never NULL) on success */
  if (c->line.data)
    c->line.data[0] = '\0';
}

static int opml_line_check(opml_ctx *c) {
  return c->line.failed || !c->line.data ? DCONV_E_NOMEM : 0;
}

/* ------------------------------------------------------------- dates */

/* Seconds since the epoch -> "Wed, 27 Mar 2024 00:00:00 GMT" (RFC 822 with
 * a four-digit year, as the OPML 2.0 spec's own examples write it). */
static void opml_rfc822(int64_t t, char out[40]) {
  /* English names by hand, not strftime: RFC 822 must not follow the
   * locale, nor the date the time zone (dconv_util_civil_from_days). */
  static const char *const wday[] = {"Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat", "Sun"};
  static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int64_t secs = t - days * 86400;
  int64_t y;
  int m, d;
  dconv_util_civil_from_days(days, &y, &m, &d);
  int wd = dconv_util_weekday(days);
  snprintf(out, 40, "%s, %02d %s %lld %02d:%02d:%02d GMT", wday[wd], d,
           mon[m - 1], (long long)y, (int)(secs / 3600),
           (int)(secs / 60 % 60), (int)(secs % 60));
}

/* --------------------------------------------------------------- head */

/* Default head title: "Daily Papers (first)" or "Daily Papers (first to
 * last)"; the digests arrive sorted by date. */
static int opml_head_title(opml_ctx *c, const dconv_node *root) {
  const dconv_host *h = c->h;
  const char *first = NULL, *last = NULL;
  DCONV_UTIL_FOR_EACH(h, d, root, DCONV_NODE_DIGEST) {
    if (!first)
      first = dconv_util_str(h, d, "date");
    last = dconv_util_str(h, d, "date");
  }
  opml_line_reset(c);
  if (!first)
    dconv_util_buf_puts(&c->line, "Daily Papers");
  else if (strcmp(first, last) == 0)
    dconv_util_buf_printf(&c->line, "Daily Papers (%s)", first);
  else
    dconv_util_buf_printf(&c->line, "Daily Papers (%s to %s)", first, last);
  return opml_line_check(c);
}

static int opml_write_head(opml_ctx *c, const dconv_node *root) {
  const dconv_host *h = c->h;
  const char *title = h->option(c->ex, "title");
  const char *owner = h->option(c->ex, "owner");
  int rc = 0;
  if (!title || !*title) {
    if ((rc = opml_head_title(c, root)) != 0)
      return rc;
    title = c->line.data;
  }
  char date[40];
  opml_rfc822(h->timestamp(c->ex), date);

  OPML_TRY(c, xmlTextWriterStartElement(c->w, BAD_CAST "head"));
  if ((rc = opml_element(c, "title", title)) != 0 ||
      (rc = opml_element(c, "dateCreated", date)) != 0 ||
      (owner && *owner && (rc = opml_element(c, "ownerName", owner)) != 0) ||
      (rc = opml_element(c, "docs", OPML_DOCS)) != 0)
    return rc;
  OPML_TRY(c, xmlTextWriterEndElement(c->w));
  return 0;
}

/* -------------------------------------------------------------- papers */

/* "Authors: A, B, …, C" into c->line, with "…" where the digest elided
 * authors ('+' in the Markdown). Names are joined with ", " unless one of
 * them holds a comma, then "; " so the list stays unambiguous. Returns 1
 * when the paper has an author line at all. */
static int opml_authors_line(opml_ctx *c, const dconv_node *p) {
  size_t start = c->line.len;
  dconv_util_buf_puts(&c->line, "Authors: ");
  if (dconv_util_join_authors(c->h, &c->line, p, "\xE2\x80\xA6", 0, NULL) == 0) {
    dconv_util_buf_truncate(&c->line, start); /* no author line at all */
    return 0;
  }
  return 1;
}

/* The paper's _note (notes=true): its author and vote lines. Written as an
 * attribute value, so the newline between them becomes "&#10;". */
static int opml_paper_note(opml_ctx *c, const dconv_node *p) {
  int64_t votes;
  opml_line_reset(c);
  int any = opml_authors_line(c, p);
  if (c->h->node_int(p, "votes", &votes) == 0) {
    dconv_util_buf_printf(&c->line, "%sVotes: %lld", any ? "\n" : "",
                  (long long)votes);
    any = 1;
  }
  int rc = opml_line_check(c);
  if (!rc && any)
    rc = opml_attr(c, "_note", c->line.data);
  return rc;
}

/* Flattened inline text of `n`, or NULL after reporting ENOMEM. The caller
 * frees it with host->free. Only bytes up to *len are trusted: the host
 * currently leaves an empty result without its terminating NUL, so an empty
 * text is handed back as a fresh "" instead. */
static char *opml_flatten(opml_ctx *c, const dconv_node *n) {
  size_t len = 0;
  char *text = c->h->node_flatten(n, &len);
  if (text && len == 0) {
    c->h->free(text);
    text = c->h->alloc(1);
    if (text)
      text[0] = '\0';
  }
  return text; /* NULL: out of memory (the host says so) */
}

/* Next node after `n` in a pre-order walk of `top`'s subtree, or NULL.
 * Iterative and allocation-free. */
static const dconv_node *opml_preorder_next(const dconv_host *h,
                                            const dconv_node *n,
                                            const dconv_node *top) {
  const dconv_node *c = h->node_first_child(n);
  if (c)
    return c;
  while (n && n != top) {
    const dconv_node *s = h->node_next(n);
    if (s)
      return s;
    n = h->node_parent(n);
  }
  return NULL;
}

/* One child link outline per LINK inside `item`, in reading order. Link text
 * is flattened; an empty one (e.g. an image without alt text) falls back to
 * the URL so every outline has a meaningful `text`. */
static int opml_item_links(opml_ctx *c, const dconv_node *item) {
  const dconv_host *h = c->h;
  for (const dconv_node *n = opml_preorder_next(h, item, item); n;
       n = opml_preorder_next(h, n, item)) {
    if (h->node_kind(n) != DCONV_NODE_LINK)
      continue;
    const char *url = dconv_util_str(h, n, "url");
    char *text = opml_flatten(c, n);
    if (!text)
      return DCONV_E_NOMEM;
    int rc = opml_leaf(c, *text ? text : url, url);
    h->free(text);
    if (rc)
      return rc;
  }
  return 0;
}

/* Summary bullets as nested outlines (dconv_util_lists_walk, the rules
 * every writer shares): an item's outline stays open while deeper items
 * nest in it. Lists themselves have no element in OPML. */
static int opml_list_open(void *ctx, int depth, int ordered, int64_t start) {
  (void)ctx, (void)depth, (void)ordered, (void)start;
  return 0;
}

static int opml_list_close(void *ctx, int depth, int ordered) {
  (void)ctx, (void)depth, (void)ordered;
  return 0;
}

static int opml_item_open(void *ctx, int depth, const dconv_node *item) {
  opml_ctx *c = ctx;
  (void)depth;
  char *text = opml_flatten(c, item);
  if (!text)
    return DCONV_E_NOMEM;
  int rc = opml_start_outline_tex(c, text, NULL);
  c->h->free(text);
  return rc ? rc : opml_item_links(c, item);
}

static int opml_item_close(void *ctx, int depth) {
  (void)depth;
  return opml_end(ctx);
}

static int opml_write_items(opml_ctx *c, const dconv_node *p) {
  static const dconv_util_list_ops ops = {opml_list_open, opml_item_open,
                                          opml_item_close, opml_list_close};
  return dconv_util_lists_walk(c->h, p, 0, &ops, c);
}

static int opml_write_paper(opml_ctx *c, const dconv_node *p) {
  const dconv_host *h = c->h;
  int64_t votes;
  int rc = opml_start_outline_tex(c, dconv_util_str(h, p, "title"),
                                  h->node_str(p, "url"));
  if (!rc && c->notes)
    rc = opml_paper_note(c, p);
  if (rc)
    return rc;

  opml_line_reset(c);
  if (opml_authors_line(c, p) &&
      ((rc = opml_line_check(c)) != 0 || (rc = opml_leaf(c, c->line.data, NULL))))
    return rc;

  if (h->node_int(p, "votes", &votes) == 0) {
    char buf[40];
    snprintf(buf, sizeof buf, "Votes: %lld", (long long)votes);
    if ((rc = opml_leaf(c, buf, NULL)) != 0)
      return rc;
  }

  const char *media = h->node_str(p, "media_url");
  if (media) {
    int video = strcmp(dconv_util_str(h, p, "media_kind"), "video") == 0;
    if ((rc = opml_leaf(c, video ? "Video" : "Thumbnail", media)) != 0)
      return rc;
  }

  if ((rc = opml_write_items(c, p)) != 0)
    return rc;
  return opml_end(c);
}

/* --------------------------------------------------------------- body */

static int opml_write_body(opml_ctx *c, const dconv_node *root) {
  const dconv_host *h = c->h;
  int rc = 0;
  OPML_TRY(c, xmlTextWriterStartElement(c->w, BAD_CAST "body"));
  DCONV_UTIL_FOR_EACH(h, d, root, DCONV_NODE_DIGEST) {
    opml_line_reset(c);
    dconv_util_buf_printf(&c->line, "Daily Papers (%s)", dconv_util_str(h, d, "date"));
    if ((rc = opml_line_check(c)) != 0 ||
        (rc = opml_start_outline(c, c->line.data, NULL)) != 0)
      return rc;
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      if (c->sink_rc) /* the output is gone: no point in going on */
        return c->sink_rc;
      if ((rc = opml_write_paper(c, p)) != 0)
        return rc;
    }
    if ((rc = opml_end(c)) != 0)
      return rc;
  }
  OPML_TRY(c, xmlTextWriterEndElement(c->w));
  return 0;
}

static int opml_write_document(opml_ctx *c) {
  const dconv_node *root = c->h->root(c->ex);
  int rc;
  OPML_TRY(c, xmlTextWriterSetIndent(c->w, 1));
  OPML_TRY(c, xmlTextWriterSetIndentString(c->w, BAD_CAST "  "));
  OPML_TRY(c, xmlTextWriterStartDocument(c->w, "1.0", "UTF-8", NULL));
  OPML_TRY(c, xmlTextWriterStartElement(c->w, BAD_CAST "opml"));
  if ((rc = opml_attr(c, "version", "2.0")) != 0 ||
      (rc = opml_write_head(c, root)) != 0 ||
      (rc = opml_write_body(c, root)) != 0)
    return rc;
  /* Closes <opml> and flushes libxml2's buffer into the sink. */
  OPML_TRY(c, xmlTextWriterEndDocument(c->w));
  OPML_TRY(c, xmlTextWriterFlush(c->w));
  return 0;
}

static int opml_convert(const dconv_host *h, dconv_export *ex) {
  opml_ctx c;
  memset(&c, 0, sizeof c);
  c.h = h;
  c.ex = ex;
  c.notes = dconv_util_opt_bool(h, ex, "notes");
  dconv_util_buf_init(&c.line, h);

  /* No encoder: the tree is UTF-8 already and so is the declared encoding.
   * The writer owns the output buffer and frees it with itself. */
  xmlOutputBufferPtr out = xmlOutputBufferCreateIO(opml_sink, NULL, &c, NULL);
  if (out)
    c.w = xmlNewTextWriter(out);
  else
    c.w = NULL;
  int rc;
  if (!c.w) {
    if (out)
      xmlOutputBufferClose(out);
    rc = h->set_error(ex, DCONV_E_NOMEM, "cannot create the XML writer");
  } else {
    rc = opml_write_document(&c);
    xmlFreeTextWriter(c.w); /* also closes `out` */
    if (!rc && c.sink_rc)
      rc = c.sink_rc;
  }
  dconv_util_buf_free(&c.line);
  return rc;
}

static const dconv_option opml_options[] = {
    {sizeof(dconv_option), DCONV_OPT_STRING, "owner", NULL, NULL,
     "head/ownerName (omitted when not given)"},
    {sizeof(dconv_option), DCONV_OPT_STRING, "title", NULL, NULL,
     "head/title (default \"Daily Papers (FIRST to LAST)\")"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "notes", "false", NULL,
     "also put authors and votes into each paper's _note attribute"},
};

static const dconv_plugin opml_plugin = {
    DCONV_PLUGIN_HEADER,
    0,
    "opml",
    "1.0.0",
    "OPML 2.0 outline for outliners and reading lists",
    "opml",
    opml_options,
    sizeof opml_options / sizeof opml_options[0],
    0,
    NULL,
    opml_convert,
};

DCONV_PLUGIN_DEFINE(opml_plugin)
