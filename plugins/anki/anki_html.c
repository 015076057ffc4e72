/*
 * anki_html.c - the HTML of a note's fields (Anki's flds column: the seven
 * fields separated by 0x1f), and the sort field's plain text.
 */
#include <string.h>

#include "anki.h"

#include <dconv/tex.h>

/** Append text as HTML: libxml2 escapes & < > " (xmlEncodeSpecialChars,
 *  through c->esc, which copies runs it would not change), after control
 *  characters are dropped and newlines become spaces (0x1f separates
 *  fields in Anki's flds column; libxml2 would keep the others or write
 *  &#13;). A failed allocation marks `b` failed. */
void anki_put_html(anki_ctx *c, dconv_util_buf *b, const char *s) {
  const char *text = s;
  char *clean = NULL;
  for (const char *q = s; *q; q++) {
    unsigned char ch = (unsigned char)*q;
    if (ch >= 0x20 || ch == '\t')
      continue;
    /* Rare: copy once without the controls. */
    size_t n = strlen(s), o = 0;
    clean = b->host->alloc(n + 1);
    if (!clean) {
      b->failed = 1;
      return;
    }
    for (const char *r = s; *r; r++) {
      unsigned char rc = (unsigned char)*r;
      if (rc >= 0x20 || rc == '\t')
        clean[o++] = *r;
      else if (rc == '\n')
        clean[o++] = ' ';
    }
    clean[o] = '\0';
    text = clean;
    break;
  }
  xml_escape_text(&c->esc, b, text);
  b->host->free(clean);
}

typedef struct anki_html {
  anki_ctx *c;
  dconv_util_buf *b;
} anki_html;

/** Inline content of a summary item as HTML: code, emphasis and links are
 *  kept; unknown node kinds are skipped with their subtree. With
 *  `skip_label`, the item's leading label (a STRONG, see anki_cards.c) and
 *  the ':' after it are left out: the card shows the label elsewhere. */
int anki_put_inlines(anki_ctx *c, dconv_util_buf *b, const dconv_node *item,
                     int skip_label) {
  const dconv_host *h = c->h;
  dconv_util_inlines w;
  if (dconv_util_inlines_open(&w, h, item))
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  const dconv_node *n;
  uint32_t kind;
  int ev, first = 1, trim = 0;
  while ((ev = dconv_util_inlines_next(&w, &n, &kind)) != DCONV_EVENT_DONE) {
    int enter = ev == DCONV_EVENT_ENTER;
    if (first && skip_label && enter && kind == DCONV_NODE_STRONG) {
      dconv_util_inlines_skip(&w, n);
      first = 0;
      trim = 1;
      continue;
    }
    first = 0;
    switch (kind) {
    case DCONV_NODE_TEXT:
      if (enter) {
        const char *t = dconv_util_str(h, n, "text");
        if (trim)
          t += strspn(t, ": ");
        trim = 0;
        anki_put_html(c, b, t);
      }
      break;
    case DCONV_NODE_CODE:
      if (enter) {
        dconv_util_buf_puts(b, "<code>");
        anki_put_html(c, b, dconv_util_str(h, n, "text"));
        dconv_util_buf_puts(b, "</code>");
      }
      trim = 0;
      break;
    case DCONV_NODE_EMPH:
      dconv_util_buf_puts(b, enter ? "<em>" : "</em>");
      break;
    case DCONV_NODE_STRONG:
      dconv_util_buf_puts(b, enter ? "<strong>" : "</strong>");
      break;
    default: /* DCONV_NODE_LINK */
      /* Cards render in a JavaScript-capable webview: a link whose URL
       * fails the one URL rule (javascript:, vbscript:, data:, ...) keeps
       * its text and loses the <a>, on ENTER and on EXIT alike. */
      if (!dconv_util_url_ok(dconv_util_str(h, n, "url")))
        break;
      if (enter) {
        dconv_util_buf_puts(b, "<a href=\"");
        anki_put_html(c, b, dconv_util_str(h, n, "url"));
        dconv_util_buf_puts(b, "\">");
      } else {
        dconv_util_buf_puts(b, "</a>");
      }
      break;
    }
  }
  dconv_util_inlines_close(&w);
  return 0;
}

/* Summary bullets as nested <ul>/<ol> lists, by the one list rule of
 * every writer (dconv_util_lists_walk): a deeper item opens a list inside
 * the still-open <li>. */

/** "<ul>", "<ol>" or "<ol start=N>". */
void anki_put_list_open(dconv_util_buf *b, int ordered, int64_t start) {
  if (ordered && start != 1)
    dconv_util_buf_printf(b, "<ol start=\"%lld\">", (long long)start);
  else
    dconv_util_buf_puts(b, ordered ? "<ol>" : "<ul>");
}

static int anki_open_list(void *ctx, int depth, int ordered, int64_t start) {
  anki_html *x = ctx;
  (void)depth;
  anki_put_list_open(x->b, ordered, start);
  return 0;
}

static int anki_open_item(void *ctx, int depth, const dconv_node *item) {
  anki_html *x = ctx;
  (void)depth;
  dconv_util_buf_puts(x->b, "<li>");
  return item ? anki_put_inlines(x->c, x->b, item, 0) : 0;
}

static int anki_close_item(void *ctx, int depth) {
  anki_html *x = ctx;
  (void)depth;
  dconv_util_buf_puts(x->b, "</li>");
  return 0;
}

static int anki_close_list(void *ctx, int depth, int ordered) {
  anki_html *x = ctx;
  (void)depth;
  dconv_util_buf_puts(x->b, ordered ? "</ol>" : "</ul>");
  return 0;
}

int anki_put_summary(anki_ctx *c, dconv_util_buf *b, const dconv_node *paper) {
  static const dconv_util_list_ops ops = {anki_open_list, anki_open_item,
                                          anki_close_item, anki_close_list};
  anki_html x = {c, b};
  return dconv_util_lists_walk(c->h, paper, 0, &ops, &x);
}

/** At most three authors joined by ", " ("; " when a name holds a comma),
 *  with "…" where authors are left out (by the digest or here): the front
 *  of a card is read in one look, and the paper's page has them all. */
void anki_put_authors(anki_ctx *c, dconv_util_buf *b, const dconv_node *p) {
  /* Joined first, then escaped as one text: the separators and the
   * marker hold nothing libxml2 escapes or anki_put_html drops, so this
   * is the names escaped one by one. */
  dconv_util_buf names;
  dconv_util_buf_init(&names, c->h);
  dconv_util_join_authors(c->h, &names, p, "\xE2\x80\xA6", 3, NULL); /* U+2026 */
  if (names.failed)
    b->failed = 1;
  else
    anki_put_html(c, b, names.data ? names.data : "");
  dconv_util_buf_free(&names);
}

/** The seven fields, each followed by 0x1f except the last (Anki's flds).
 *  `sort_len` receives the length of the sort field's HTML. */
/* A title as the card shows it: simple inline TeX ("M$^{2}$UGen",
 * "$\\sim$20") as Unicode (dconv/tex.h), then escaped. The tree keeps
 * the source text; BibTeX and Markdown keep TeX. */
void anki_put_title_html(anki_ctx *c, dconv_util_buf *b,
                         const char *title) {
  const dconv_host *h = c->h;
  if (!strchr(title, '$')) { /* most titles: no copy */
    anki_put_html(c, b, title);
    return;
  }
  dconv_util_buf t;
  dconv_util_buf_init(&t, h);
  dconv_tex_to_unicode(&t, title);
  if (t.failed)
    b->failed = 1;
  else
    anki_put_html(c, b, t.data ? t.data : "");
  dconv_util_buf_free(&t);
}

int anki_put_fields(anki_ctx *c, dconv_util_buf *b, const anki_paper *p,
                    size_t *sort_len) {
  const dconv_host *h = c->h;
  const dconv_node *n = p->latest;
  int64_t votes;
  int rc;
  anki_put_html(c, b, dconv_util_str(h, n, "arxiv_id")); /* ANKI_F_ARXIV */
  *sort_len = b->len;
  dconv_util_buf_putc(b, '\x1f');
  anki_put_title_html(c, b, dconv_util_str(h, n, "title")); /* ANKI_F_TITLE */
  dconv_util_buf_putc(b, '\x1f');
  anki_put_authors(c, b, n); /* ANKI_F_AUTHORS */
  dconv_util_buf_putc(b, '\x1f');
  if (p->thumb) { /* -O thumbnail / media-dir: see anki_media.c */
    dconv_util_buf_puts(b, "<div class=\"dp-thumb\">");
    anki_put_thumb(c, b, p);
    dconv_util_buf_puts(b, "</div>");
  }
  if ((rc = anki_put_summary(c, b, n)) != 0) /* ANKI_F_SUMMARY */
    return rc;
  dconv_util_buf_putc(b, '\x1f');
  if (h->node_int(n, "votes", &votes) == 0) /* ANKI_F_VOTES */
    dconv_util_buf_put_int(b, votes, 0);
  dconv_util_buf_putc(b, '\x1f');
  anki_put_html(c, b, p->first_date); /* ANKI_F_DATE */
  dconv_util_buf_putc(b, '\x1f');
  /* ANKI_F_URL: the template puts it into href, so only a URL that
   * passes the one URL rule; any other leaves the field empty. */
  const char *url = dconv_util_str(h, n, "url");
  if (dconv_util_url_ok(url))
    anki_put_html(c, b, url);
  return 0;
}

/** Anki's sort-field text: the field with HTML tags removed and the
 *  entities we emit decoded. Written into `out` (at least len+1 bytes). */
size_t anki_strip_html(const char *s, size_t len, char *out) {
  static const struct {
    const char *ent;
    char ch;
  } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    if (s[i] == '<') {
      while (i < len && s[i] != '>')
        i++;
      i += i < len;
      continue;
    }
    if (s[i] == '&') {
      size_t k;
      for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
        size_t el = strlen(ents[k].ent);
        if (len - i >= el && memcmp(s + i, ents[k].ent, el) == 0) {
          out[o++] = ents[k].ch;
          i += el;
          break;
        }
      }
      if (k < sizeof ents / sizeof ents[0])
        continue;
    }
    out[o++] = s[i++];
  }
  out[o] = '\0';
  return o;
}
