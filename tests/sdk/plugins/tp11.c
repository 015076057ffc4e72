/*
 * tp11.c - ABI 1.1 test plugins for tests/sdk/abi11.sh, one source, one
 * module per case (-DTP11_CASE=...), each using only <dconv/plugin.h> as
 * a third party would:
 *
 *   TP11_READER  "tp-lines": a reader of a line format, one paper a line,
 *                "DATE|VOTES|TITLE|URL|AUTHOR;AUTHOR|BULLET" (VOTES may be
 *                "-"); claims .lines, probes for "#tp-lines" on line 1.
 *                With TP11_BAD it sets an impossible date (host check).
 *   TP11_FILTER  "tp-keep": keeps papers with votes >= min (option
 *                min=INT), reverses the order of the remaining papers of
 *                each digest, and appends "!" to every kept title.
 *   TP11_PARTS   "tp-parts": a writer of one part per digest, DATE.txt,
 *                listing every attribute of every paper through
 *                node_attr_next (summaries skipped with iter_skip); with
 *                -O fail=true it fails after writing parts (so nothing may
 *                appear); reports output_name with vlog.
 */
#include <dconv/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TP11_READER 1
#define TP11_FILTER 2
#define TP11_PARTS 3

#ifndef TP11_CASE
#error "define TP11_CASE"
#endif

/* ----------------------------------------------------------- helpers */

#if TP11_CASE == TP11_READER
/* Field i ('|'-separated) of line [s, e). */
static const char *field(const char *s, const char *e, int i, size_t *len) {
  for (; i > 0 && s < e; i--) {
    const char *bar = memchr(s, '|', (size_t)(e - s));
    s = bar ? bar + 1 : e;
  }
  const char *bar = memchr(s, '|', (size_t)(e - s));
  *len = (size_t)((bar ? bar : e) - s);
  return s;
}

static int tp_read(const dconv_host *h, dconv_export *ex, const char *name,
                   const char *data, size_t len) {
  const char *end = data + len, *s = data;
  const dconv_node *digest = NULL;
  char date[16] = "";
  uint32_t line = 0;
  int rc = 0;
  while (!rc && s < end) {
    const char *e = memchr(s, '\n', (size_t)(end - s));
    if (!e)
      e = end;
    line++;
    if (s == e || *s == '#') {
      s = e + 1;
      continue;
    }
    size_t fl[6];
    const char *f[6];
    for (int i = 0; i < 6; i++)
      f[i] = field(s, e, i, &fl[i]);
    if (fl[0] >= sizeof date || fl[2] == 0)
      return h->set_error(ex, DCONV_E_PARSE, "%s:%u: expected "
                          "DATE|VOTES|TITLE|URL|AUTHORS|BULLET", name, line);
    if (!digest || strncmp(date, f[0], fl[0]) != 0 || date[fl[0]]) {
      memcpy(date, f[0], fl[0]);
      date[fl[0]] = '\0';
      rc = h->node_add(ex, h->root(ex), DCONV_NODE_DIGEST, NULL, line, &digest);
#ifdef TP11_BAD
      if (!rc)
        rc = h->node_set_str(ex, digest, DCONV_ATTR_DATE, "2024-02-30", 10);
#else
      if (!rc)
        rc = h->node_set_str(ex, digest, DCONV_ATTR_DATE, date, fl[0]);
#endif
    }
    const dconv_node *paper = NULL, *n = NULL, *item = NULL;
    if (!rc)
      rc = h->node_add(ex, digest, DCONV_NODE_PAPER, NULL, line, &paper);
    if (!rc)
      rc = h->node_set_str(ex, paper, DCONV_ATTR_TITLE, f[2], fl[2]);
    if (!rc && fl[3])
      rc = h->node_set_str(ex, paper, DCONV_ATTR_URL, f[3], fl[3]);
    if (!rc && !(fl[1] == 1 && f[1][0] == '-'))
      rc = h->node_set_int(ex, paper, DCONV_ATTR_VOTES,
                           strtoll(f[1], NULL, 10));
    for (const char *a = f[4], *ae = f[4] + fl[4]; !rc && a < ae;) {
      const char *semi = memchr(a, ';', (size_t)(ae - a));
      if (!semi)
        semi = ae;
      rc = h->node_add(ex, paper, DCONV_NODE_AUTHOR, NULL, line, &n);
      if (!rc)
        rc = h->node_set_str(ex, n, DCONV_ATTR_NAME, a, (size_t)(semi - a));
      a = semi + 1;
    }
    if (!rc && fl[5])
      rc = h->node_add(ex, paper, DCONV_NODE_ITEM, NULL, line, &item);
    if (!rc && item)
      rc = h->node_add(ex, item, DCONV_NODE_TEXT, NULL, line, &n);
    if (!rc && item)
      rc = h->node_set_str(ex, n, DCONV_ATTR_TEXT, f[5], fl[5]);
    s = e + 1;
  }
  return rc;
}

static int tp_probe(const char *name, const char *data, size_t len) {
  (void)name;
  return len >= 9 && memcmp(data, "#tp-lines", 9) == 0 ? 90 : 0;
}

static const char *const tp_exts[] = {"lines", NULL};

static const dconv_plugin_ext tp_plugin = {
    .base = {DCONV_PLUGIN_EXT_HEADER, .name = "tp-lines", .version = "1.1.0",
             .description = "test reader of a line format", .extension = ""},
    .read = tp_read,
    .probe = tp_probe,
    .read_extensions = tp_exts,
};
#endif

#if TP11_CASE == TP11_FILTER
static int tp_filter(const dconv_host *h, dconv_export *ex) {
  const char *min_s = h->option(ex, "min");
  int64_t min = min_s ? strtoll(min_s, NULL, 10) : 0;
  for (const dconv_node *d = h->node_first_child(h->root(ex)); d;
       d = h->node_next(d)) {
    /* Fetch the next sibling before unlinking: unlinking clears it. */
    const dconv_node *p = h->node_first_child(d), *next;
    for (; p; p = next) {
      next = h->node_next(p);
      int64_t v = -1;
      int rc = h->node_unlink(ex, p);
      if (rc)
        return rc;
      if (h->node_int(p, DCONV_ATTR_VOTES, &v) != 0 || v < min)
        continue; /* dropped */
      /* Reverse: move each kept paper to the front; `next` was fetched
       * before, so every paper is visited once. */
      rc = h->node_insert(ex, d, p, h->node_first_child(d));
      if (rc)
        return rc;
      char title[512];
      const char *t = h->node_str(p, DCONV_ATTR_TITLE);
      int n = snprintf(title, sizeof title, "%s!", t ? t : "");
      rc = h->node_set_str(ex, p, DCONV_ATTR_TITLE, title,
                           (size_t)n < sizeof title ? (size_t)n
                                                    : sizeof title - 1);
      if (rc)
        return rc;
    }
  }
  return 0;
}

static const dconv_option tp_options[] = {
    {sizeof(dconv_option), DCONV_OPT_INT, "min", "0", NULL,
     "keep papers with at least this many votes"},
};

static const dconv_plugin_ext tp_plugin = {
    .base = {DCONV_PLUGIN_EXT_HEADER, .name = "tp-keep", .version = "1.1.0",
             .description = "test filter: votes >= min, reversed",
             .extension = "", .options = tp_options, .n_options = 1},
    .filter = tp_filter,
};
#endif

#if TP11_CASE == TP11_PARTS
static int tp_log(const dconv_host *h, dconv_export *ex, int level,
                  const char *fmt, ...) DCONV_PRINTF(4, 5);
/* A wrapper over host->vlog: what a language binding would do. */
static int tp_log(const dconv_host *h, dconv_export *ex, int level,
                  const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = h->vlog(ex, level, fmt, ap);
  va_end(ap);
  return rc;
}

static int put(const dconv_host *h, dconv_export *ex, const char *s) {
  return h->write(ex, s, strlen(s));
}

static int dump_attrs(const dconv_host *h, dconv_export *ex,
                      const dconv_node *n) {
  uint32_t cursor = 0, type;
  const char *key;
  char line[600];
  int rc = 0;
  while (!rc && h->node_attr_next(n, &cursor, &key, &type)) {
    int64_t v = 0;
    if (type == DCONV_VALUE_INT && h->node_int(n, key, &v) == 0)
      snprintf(line, sizeof line, " %s=%lld", key, (long long)v);
    else
      snprintf(line, sizeof line, " %s=%s", key,
               type == DCONV_VALUE_STR ? h->node_str(n, key) : "?");
    rc = put(h, ex, line);
  }
  return rc ? rc : put(h, ex, "\n");
}

static int tp_convert(const dconv_host *h, dconv_export *ex) {
  tp_log(h, ex, DCONV_LOG_INFO, "output: %s", h->output_name(ex));
  dconv_iter *it = h->iter_new(h->root(ex));
  if (!it)
    return DCONV_E_NOMEM; /* the host supplies "out of memory" */
  const dconv_node *n;
  int ev, rc = 0, open = 0;
  while (!rc && (ev = h->iter_next(it, &n)) != DCONV_EVENT_DONE) {
    uint32_t k = h->node_kind(n);
    if (ev == DCONV_EVENT_ENTER && k == DCONV_NODE_DIGEST) {
      char name[40];
      snprintf(name, sizeof name, "%s.txt", h->node_str(n, DCONV_ATTR_DATE));
      rc = h->part_open(ex, name);
      open = !rc;
    } else if (ev == DCONV_EVENT_EXIT && k == DCONV_NODE_DIGEST && open) {
      rc = h->part_close(ex);
      open = 0;
    } else if (ev == DCONV_EVENT_ENTER && k == DCONV_NODE_PAPER) {
      rc = put(h, ex, "paper");
      if (!rc)
        rc = dump_attrs(h, ex, n);
    } else if (ev == DCONV_EVENT_ENTER && k == DCONV_NODE_ITEM) {
      h->iter_skip(it); /* summaries are not listed */
    } else if (ev == DCONV_EVENT_ENTER && k == DCONV_NODE_TEXT) {
      rc = h->set_error(ex, DCONV_E_PLUGIN, "iter_skip did not skip");
    }
  }
  h->iter_free(it);
  const char *fail = h->option(ex, "fail");
  if (!rc && fail && strcmp(fail, "true") == 0)
    return h->set_error(ex, DCONV_E_PLUGIN, "deliberate failure after parts");
  return rc;
}

static const dconv_option tp_options[] = {
    {sizeof(dconv_option), DCONV_OPT_BOOL, "fail", "false", NULL,
     "fail after writing the parts"},
};

/* A plain 1.0-layout descriptor that needs ABI 1.1 services. */
static const dconv_plugin tp_base = {
    DCONV_PLUGIN_HEADER, .name = "tp-parts", .version = "1.1.0",
    .description = "test writer: one part per digest", .extension = "txt",
    .options = tp_options, .n_options = 1, .convert = tp_convert};
#endif

#if TP11_CASE == TP11_PARTS
DCONV_PLUGIN_DEFINE(tp_base)
#else
DCONV_PLUGIN_DEFINE(tp_plugin.base)
#endif
