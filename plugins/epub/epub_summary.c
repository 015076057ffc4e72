/*
 * epub_summary.c - a paper's summary: the digest's nested lists with their
 * inline markup (links, code, emphasis), and the link rule every part of
 * the day file shares.
 */
#include "epub.h"

#include <string.h>

int epub_link_start(epub_doc *d, const char *url) {
  if (!url || !dconv_util_url_ok(url)) {
    epub_start(d, "span");
    return 0;
  }
  dconv_util_buf safe;
  dconv_util_buf_init(&safe, d->host);
  dconv_util_put_url(&safe, url);
  int rc = dconv_util_buf_check(&safe);
  if (!rc) {
    epub_start(d, "a");
    epub_attr(d, "href", safe.data);
  }
  dconv_util_buf_free(&safe);
  return rc;
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

/* The summary as nested lists, walked by dconv_util_lists_walk (the rules
 * every writer shares); each item's <li> stays open while deeper lists nest
 * inside it. */
static int epub_list_open(void *ctx, int depth, int ordered, int64_t start) {
  epub_doc *d = ctx;
  if (depth)
    epub_plain(d, "\n");
  epub_start(d, ordered ? "ol" : "ul");
  if (!depth) {
    epub_attr(d, "class", "summary");
    epub_lang(d, "ko");
  }
  if (ordered && start != 1)
    epub_attr_int(d, "start", (long long)start);
  return 0;
}

static int epub_item_open(void *ctx, int depth, const dconv_node *item) {
  epub_doc *d = ctx;
  (void)depth;
  epub_plain(d, "\n");
  epub_start(d, "li");
  epub_block(d);
  return item ? epub_write_inlines(d, item) : 0;
}

static int epub_item_close(void *ctx, int depth) {
  (void)depth;
  epub_end(ctx);
  return 0;
}

static int epub_list_close(void *ctx, int depth, int ordered) {
  (void)depth;
  (void)ordered;
  epub_end(ctx);
  return 0;
}

int epub_write_summary(epub_doc *d, const dconv_node *paper) {
  static const dconv_util_list_ops ops = {epub_list_open, epub_item_open,
                                          epub_item_close, epub_list_close};
  int rc = dconv_util_lists_walk(d->host, paper, 0, &ops, d);
  epub_plain(d, "\n");
  return rc;
}

