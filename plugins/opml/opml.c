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
 * Every text from the digest is escaped by libxml2: attribute values by
 * xmlAttrSerializeTxtContent (&, <, >, ", and newline/tab/CR as character
 * references), the head's texts by xmlEncodeSpecialChars - the functions
 * libxml2's xmlTextWriter itself uses, so the bytes are the ones it wrote
 * when this writer was built on it. The markup around them is a handful of
 * fixed strings, laid out as xmlTextWriter's indentation did; writing it
 * directly instead of through xmlTextWriter's element stack and
 * xmlOutputBuffer, and passing values libxml2 would leave unchanged
 * straight through (plugins/common/xml_escape.h, shared with the EPUB
 * writer), made the writer 3x cheaper (issue 19).
 * Text the host hands a plugin is already valid UTF-8 without the
 * characters XML cannot carry (see "TEXT" in <dconv/plugin.h>), so nothing
 * is checked again here. Links follow the one URL rule of every writer
 * (dconv_util_url_ok): a URL that is not http(s), ftp or mailto leaves a
 * plain outline. Output streams to host->write in 64 KiB pieces: memory
 * stays bounded and time linear.
 *
 * Determinism: nothing depends on the clock, the locale or the environment
 * except host->timestamp() (SOURCE_DATE_EPOCH or the newest digest date).
 */
#include <dconv/plugin.h>

#include <dconv/tex.h>
#include <dconv/util.h>

#include "../common/xml_escape.h"

#define OPML_DOCS "http://opml.org/spec2.opml"

/* Deepest element: opml, body, digest, paper, then one outline per list
 * level and a link outline under the deepest bullet. */
#define OPML_MAX_DEPTH (DCONV_UTIL_LIST_MAX_DEPTH + 6)

/* One conversion. Everything here is owned by opml_convert. */
typedef struct opml_ctx {
  const dconv_host *h;
  dconv_export *ex;
  int notes;          /* -O notes=true */
  dconv_util_buf out; /* the document, drained to host->write */
  dconv_util_buf line; /* scratch for composed texts ("Authors: ...", _note) */
  int depth;          /* elements open; also the next one's indentation */
  int tag_open;       /* the last start tag still lacks its '>' */
  xml_escape esc; /* libxml2's escaping (plugins/common/xml_escape.h) */
} opml_ctx;

/* ------------------------------------------------------------ plumbing */

static void opml_puts(opml_ctx *c, const char *s) {
  dconv_util_buf_puts(&c->out, s);
}

/* ` name="value"` */
static void opml_attr(opml_ctx *c, const char *name, const char *value) {
  dconv_util_buf_putc(&c->out, ' ');
  opml_puts(c, name);
  dconv_util_buf_add(&c->out, "=\"", 2);
  xml_escape_attr(&c->esc, &c->out, value);
  dconv_util_buf_putc(&c->out, '"');
}

/* The layout xmlTextWriter's indentation gave: every element on a line of
 * its own, two spaces per level, and an element without content closed as
 * <name .../>. */
static void opml_indent(opml_ctx *c) {
  static const char spaces[] = "                                            "
                               "    ";
  _Static_assert(sizeof spaces > 2 * OPML_MAX_DEPTH, "indentation too short");
  int d = c->depth < OPML_MAX_DEPTH ? c->depth : OPML_MAX_DEPTH;
  dconv_util_buf_add(&c->out, spaces, 2 * (size_t)d);
}

/* `<name`, inside the element open before it; the attributes follow. */
static void opml_start(opml_ctx *c, const char *name) {
  if (c->tag_open)
    dconv_util_buf_add(&c->out, ">\n", 2);
  opml_indent(c);
  dconv_util_buf_putc(&c->out, '<');
  opml_puts(c, name);
  c->depth++;
  c->tag_open = 1;
}

static void opml_end(opml_ctx *c, const char *name) {
  c->depth--;
  if (c->tag_open) {
    dconv_util_buf_add(&c->out, "/>\n", 3);
    c->tag_open = 0;
    return;
  }
  opml_indent(c);
  dconv_util_buf_add(&c->out, "</", 2);
  opml_puts(c, name);
  dconv_util_buf_add(&c->out, ">\n", 2);
}

/* <name>text</name>, the text escaped by libxml2 as xmlTextWriter did. */
static int opml_element(opml_ctx *c, const char *name, const char *text) {
  opml_start(c, name);
  dconv_util_buf_putc(&c->out, '>');
  xml_escape_text(&c->esc, &c->out, text);
  c->tag_open = 0;
  c->depth--;
  dconv_util_buf_add(&c->out, "</", 2);
  opml_puts(c, name);
  dconv_util_buf_add(&c->out, ">\n", 2);
  return 0;
}

/* Open <outline text=...> with type="link" url=... when `url` is a URL a
 * reader may follow (dconv_util_url_ok; else a plain outline). The caller
 * closes it with opml_end_outline. */
static void opml_start_outline(opml_ctx *c, const char *text,
                               const char *url) {
  opml_start(c, "outline");
  opml_attr(c, "text", text);
  if (url && dconv_util_url_ok(url)) {
    opml_attr(c, "type", "link");
    opml_attr(c, "url", url);
  }
}

/* The same, with the inline TeX of `text` as Unicode; c->line is free
 * again once the attribute is written. */
static int opml_start_outline_tex(opml_ctx *c, const char *text,
                                  const char *url) {
  c->line.len = 0;
  dconv_tex_to_unicode(&c->line, text);
  int rc = dconv_util_buf_check(&c->line); /* the host names ENOMEM */
  if (!rc)
    opml_start_outline(c, c->line.data ? c->line.data : "", url);
  return rc;
}

static void opml_end_outline(opml_ctx *c) { opml_end(c, "outline"); }

/* A complete leaf outline. */
static void opml_leaf(opml_ctx *c, const char *text, const char *url) {
  opml_start_outline(c, text, url);
  opml_end_outline(c);
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

  opml_start(c, "head");
  if ((rc = opml_element(c, "title", title)) != 0 ||
      (rc = opml_element(c, "dateCreated", date)) != 0 ||
      (owner && *owner && (rc = opml_element(c, "ownerName", owner)) != 0) ||
      (rc = opml_element(c, "docs", OPML_DOCS)) != 0)
    return rc;
  opml_end(c, "head");
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
    opml_attr(c, "_note", c->line.data);
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
    opml_leaf(c, *text ? text : url, url);
    h->free(text);
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
  opml_end_outline(ctx);
  return 0;
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
  if (opml_authors_line(c, p)) {
    if ((rc = opml_line_check(c)) != 0)
      return rc;
    opml_leaf(c, c->line.data, NULL);
  }

  if (h->node_int(p, "votes", &votes) == 0) {
    char buf[40];
    snprintf(buf, sizeof buf, "Votes: %lld", (long long)votes);
    opml_leaf(c, buf, NULL);
  }

  const char *media = h->node_str(p, "media_url");
  if (media) {
    int video = strcmp(dconv_util_str(h, p, "media_kind"), "video") == 0;
    opml_leaf(c, video ? "Video" : "Thumbnail", media);
  }

  if ((rc = opml_write_items(c, p)) != 0)
    return rc;
  opml_end_outline(c);
  return 0;
}

/* --------------------------------------------------------------- body */

static int opml_write_body(opml_ctx *c, const dconv_node *root) {
  const dconv_host *h = c->h;
  int rc = 0;
  opml_start(c, "body");
  DCONV_UTIL_FOR_EACH(h, d, root, DCONV_NODE_DIGEST) {
    opml_line_reset(c);
    dconv_util_buf_printf(&c->line, "Daily Papers (%s)", dconv_util_str(h, d, "date"));
    if ((rc = opml_line_check(c)) != 0)
      return rc;
    opml_start_outline(c, c->line.data, NULL);
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      if ((rc = opml_write_paper(c, p)) != 0 ||
          (rc = dconv_util_buf_drain(&c->out, c->ex, 1 << 16)) != 0)
        return rc;
    }
    opml_end_outline(c);
  }
  opml_end(c, "body");
  return 0;
}

static int opml_write_document(opml_ctx *c) {
  const dconv_node *root = c->h->root(c->ex);
  int rc;
  opml_puts(c, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  opml_start(c, "opml");
  opml_attr(c, "version", "2.0");
  if ((rc = opml_write_head(c, root)) != 0 ||
      (rc = opml_write_body(c, root)) != 0)
    return rc;
  opml_end(c, "opml");
  return dconv_util_buf_drain(&c->out, c->ex, 0);
}

static int opml_convert(const dconv_host *h, dconv_export *ex) {
  opml_ctx c;
  memset(&c, 0, sizeof c);
  c.h = h;
  c.ex = ex;
  c.notes = dconv_util_opt_bool(h, ex, "notes");
  dconv_util_buf_init(&c.out, h);
  dconv_util_buf_init(&c.line, h);

  int rc = 0;
  if (xml_escape_init(&c.esc))
    rc = h->set_error(ex, DCONV_E_NOMEM, "cannot set up libxml2's escaping");
  else
    rc = opml_write_document(&c);
  xml_escape_free(&c.esc);
  dconv_util_buf_free(&c.out);
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
