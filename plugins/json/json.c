/*
 * json - the whole document tree as JSON, for scripts (jq) and tests.
 *
 * Key order is fixed (documented in README "JSON output"); absent values are
 * null, never missing keys, so `jq` paths always resolve.
 */
#include <dconv/plugin.h>

#include <dconv/util.h>
#include "json_read.h"


static void put_str_or_null(dconv_util_buf *b, const char *s) {
  if (s)
    dconv_util_put_json(b, s);
  else
    dconv_util_buf_puts(b, "null");
}

static void put_int_or_null(const dconv_host *h, dconv_util_buf *b, const dconv_node *n,
                            const char *key) {
  int64_t v;
  if (h->node_int(n, key, &v) == 0)
    dconv_util_buf_put_int(b, v, 0);
  else
    dconv_util_buf_puts(b, "null");
}

static void put_source(const dconv_host *h, dconv_util_buf *b, const dconv_node *n,
                       int with_source) {
  if (!with_source)
    return;
  const char *file;
  uint32_t line;
  h->node_source(n, &file, &line);
  dconv_util_buf_puts(b, ",\"source\":{\"file\":");
  put_str_or_null(b, file);
  dconv_util_buf_puts(b, ",\"line\":");
  dconv_util_buf_put_int(b, line, 0);
  dconv_util_buf_putc(b, '}');
}

/* Inline content of an ITEM as a JSON array (dconv_util_inlines: iterative, and
 * unknown node kinds are skipped with their subtree). */
static int put_inlines(const dconv_host *h, dconv_util_buf *b, const dconv_node *item) {
  dconv_util_inlines w;
  if (dconv_util_inlines_open(&w, h, item))
    return DCONV_E_NOMEM;
  const dconv_node *n;
  uint32_t k;
  int ev, first = 1;
  dconv_util_buf_putc(b, '[');
  while ((ev = dconv_util_inlines_next(&w, &n, &k)) != DCONV_EVENT_DONE) {
    if (ev == DCONV_EVENT_EXIT) {
      if (k == DCONV_NODE_EMPH || k == DCONV_NODE_STRONG ||
          k == DCONV_NODE_LINK)
        dconv_util_buf_puts(b, "]}");
      first = 0;
      continue;
    }
    switch (k) {
    case DCONV_NODE_TEXT:
    case DCONV_NODE_CODE:
      dconv_util_buf_puts(b, first ? "{\"type\":" : ",{\"type\":");
      dconv_util_buf_puts(b, k == DCONV_NODE_TEXT ? "\"text\",\"text\":"
                                          : "\"code\",\"text\":");
      dconv_util_put_json(b, dconv_util_str(h, n, "text"));
      dconv_util_buf_putc(b, '}');
      break;
    case DCONV_NODE_EMPH:
    case DCONV_NODE_STRONG:
      dconv_util_buf_puts(b, first ? "" : ",");
      dconv_util_buf_puts(b, k == DCONV_NODE_EMPH ? "{\"type\":\"emph\",\"content\":["
                                          : "{\"type\":\"strong\",\"content\":[");
      first = 1;
      break;
    default: /* DCONV_NODE_LINK */
      dconv_util_buf_puts(b, first ? "{\"type\":\"link\",\"url\":"
                           : ",{\"type\":\"link\",\"url\":");
      dconv_util_put_json(b, dconv_util_str(h, n, "url"));
      /* An inline image is a LINK with "image" set: written only when set,
       * so a writer that drops images (shows them as plain links) cannot
       * pass a round trip through this output unnoticed. */
      if (dconv_util_int(h, n, "image", 0))
        dconv_util_buf_puts(b, ",\"image\":true");
      dconv_util_buf_puts(b, ",\"content\":[");
      first = 1;
      break;
    }
  }
  dconv_util_inlines_close(&w);
  dconv_util_buf_putc(b, ']');
  return 0;
}

static int paper_json(const dconv_host *h, dconv_export *ex, dconv_util_buf *b,
                      const dconv_node *p, int src) {
  dconv_util_buf_puts(b, "{\"title\":");
  dconv_util_put_json(b, dconv_util_str(h, p, "title"));
  dconv_util_buf_puts(b, ",\"url\":");
  put_str_or_null(b, h->node_str(p, "url"));
  dconv_util_buf_puts(b, ",\"arxiv_id\":");
  put_str_or_null(b, h->node_str(p, "arxiv_id"));
  dconv_util_buf_puts(b, ",\"arxiv_version\":");
  put_str_or_null(b, h->node_str(p, "arxiv_version"));
  dconv_util_buf_puts(b, ",\"votes\":");
  put_int_or_null(h, b, p, "votes");
  dconv_util_buf_puts(b, ",\"media\":");
  if (h->node_str(p, "media_url")) {
    dconv_util_buf_puts(b, "{\"kind\":");
    dconv_util_put_json(b, dconv_util_str(h, p, "media_kind"));
    dconv_util_buf_puts(b, ",\"url\":");
    dconv_util_put_json(b, dconv_util_str(h, p, "media_url"));
    dconv_util_buf_putc(b, '}');
  } else {
    dconv_util_buf_puts(b, "null");
  }
  dconv_util_buf_puts(b, ",\"authors\":[");
  int first = 1;
  DCONV_UTIL_FOR_EACH(h, a, p, DCONV_NODE_AUTHOR) {
    if (!first)
      dconv_util_buf_putc(b, ',');
    dconv_util_put_json(b, dconv_util_str(h, a, "name"));
    first = 0;
  }
  dconv_util_buf_puts(b, dconv_util_int(h, p, "authors_elided", 0)
                             ? "],\"authors_elided\":true,\"authors_elided_at\":"
                             : "],\"authors_elided\":false,\"authors_elided_at\":");
  put_int_or_null(h, b, p, "authors_elided_at");
  dconv_util_buf_puts(b, ",\"summary\":[");
  first = 1;
  DCONV_UTIL_FOR_EACH(h, item, p, DCONV_NODE_ITEM) {
    dconv_util_buf_puts(b, first ? "{\"depth\":" : ",{\"depth\":");
    dconv_util_buf_put_int(b, dconv_util_int(h, item, "depth", 0), 0);
    dconv_util_buf_puts(b, dconv_util_int(h, item, "ordered", 0)
                               ? ",\"ordered\":true,\"number\":"
                               : ",\"ordered\":false,\"number\":");
    put_int_or_null(h, b, item, "number");
    dconv_util_buf_puts(b, ",\"content\":");
    if (put_inlines(h, b, item))
      return h->set_error(ex, DCONV_E_NOMEM, "out of memory");
    put_source(h, b, item, src);
    dconv_util_buf_putc(b, '}');
    first = 0;
  }
  dconv_util_buf_putc(b, ']');
  put_source(h, b, p, src);
  dconv_util_buf_putc(b, '}');
  return 0;
}

static int json_convert(const dconv_host *h, dconv_export *ex) {
  const dconv_node *root = h->root(ex);
  int src = dconv_util_opt_bool(h, ex, "source");
  int pretty = dconv_util_opt_bool(h, ex, "pretty");
  dconv_util_buf b;
  dconv_util_buf_init(&b, h);
  int rc = 0;
  dconv_util_buf_printf(&b, "{\"format\":\"dconv-json\",\"version\":1,"
                    "\"digests\":[");
  int first_d = 1;
  DCONV_UTIL_FOR_EACH(h, d, root, DCONV_NODE_DIGEST) {
    dconv_util_buf_puts(&b, first_d ? (pretty ? "\n" : "") : (pretty ? ",\n" : ","));
    dconv_util_buf_puts(&b, "{\"date\":");
    dconv_util_put_json(&b, dconv_util_str(h, d, "date"));
    dconv_util_buf_puts(&b, ",\"title\":");
    dconv_util_put_json(&b, dconv_util_str(h, d, "title"));
    put_source(h, &b, d, src);
    dconv_util_buf_puts(&b, ",\"papers\":[");
    int first_p = 1;
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      dconv_util_buf_puts(&b, first_p ? (pretty ? "\n" : "") : (pretty ? ",\n" : ","));
      if ((rc = paper_json(h, ex, &b, p, src)) != 0)
        break;
      first_p = 0;
      if ((rc = dconv_util_buf_drain(&b, ex, 1 << 16)) != 0)
        break;
    }
    if (rc)
      break;
    dconv_util_buf_puts(&b, "]}");
    first_d = 0;
  }
  if (!rc) {
    dconv_util_buf_puts(&b, "]}\n");
    rc = dconv_util_buf_drain(&b, ex, 0);
  }
  dconv_util_buf_free(&b);
  return rc;
}

static const dconv_option json_options[] = {
    {sizeof(dconv_option), DCONV_OPT_BOOL, "source", "false", NULL,
     "add {\"file\",\"line\"} source positions to digests, papers and items"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "pretty", "false", NULL,
     "one paper per line instead of a single line"},
};

static const char *const json_read_extensions[] = {"json", NULL};

/* A writer (json.c) and, since ABI 1.1, the reader of the same format
 * (json_read.c): one descriptor, so `--to json` and `--from json` are one
 * module. */
static const dconv_plugin_ext json_plugin = {
    .base = {DCONV_PLUGIN_EXT_HEADER,
             .name = "json",
             .version = "1.0.0",
             .description = "the document tree as JSON (for jq and scripts)",
             .extension = "json",
             .options = json_options,
             .n_options = sizeof json_options / sizeof json_options[0],
             .convert = json_convert},
    .read = json_read,
    .probe = json_probe,
    .read_extensions = json_read_extensions,
};

DCONV_PLUGIN_DEFINE(json_plugin.base)
