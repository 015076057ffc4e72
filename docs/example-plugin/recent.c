/*
 * recent - an example third-party dconv filter: drops the papers a digest
 * lists long after they were first submitted to arXiv, so that a reading
 * list holds what was new on its day.
 *
 *   dconv --filter recent digests/ --to epub -o new.epub          # 12 months
 *   dconv --filter recent:months=3,keep-unknown=false digests/ --to bibtex
 *
 * A paper is kept when the month its arXiv id encodes (2403.17887: March
 * 2024) is at most `months` before its digest's date. Papers without an
 * arXiv id are kept unless keep-unknown=false. A digest left without papers
 * is removed. Built against the installed SDK only, like readinglist.c.
 */
#include <dconv/plugin.h>
#include <dconv/util.h>

#include <stdlib.h>

/* Months from year/month a to year/month b (b later: positive). */
static long months_between(int ya, int ma, int yb, int mb) {
  return (long)(yb - ya) * 12 + (mb - ma);
}

static int recent_filter(const dconv_host *h, dconv_export *ex) {
  /* Declared INT and BOOL with defaults: the host has checked the values,
   * and option() returns the default when -O did not set one. */
  long months = strtol(h->option(ex, "months"), NULL, 10);
  int keep_unknown = dconv_util_opt_bool(h, ex, "keep-unknown");
  const dconv_node *d = h->node_first_child(h->root(ex)), *next_d;
  for (; d; d = next_d) {
    /* Fetch the next sibling before unlinking: unlinking clears it. */
    next_d = h->node_next(d);
    if (h->node_kind(d) != DCONV_NODE_DIGEST)
      continue;
    int y, m, day;
    if (dconv_util_date_parse(dconv_util_str(h, d, DCONV_ATTR_DATE), &y, &m,
                              &day) != 0)
      continue; /* the host guarantees dates; be safe anyway */
    int kept = 0;
    const dconv_node *p = h->node_first_child(d), *next_p;
    for (; p; p = next_p) {
      next_p = h->node_next(p);
      if (h->node_kind(p) != DCONV_NODE_PAPER)
        continue;
      int py, pm, rc;
      const char *id = h->node_str(p, DCONV_ATTR_ARXIV_ID);
      int known = id && dconv_util_arxiv_year_month(id, &py, &pm) == 0 && pm;
      if (known ? months_between(py, pm, y, m) <= months : keep_unknown) {
        kept++;
        continue;
      }
      if ((rc = h->node_unlink(ex, p)) != 0)
        return h->set_error(ex, rc, "cannot remove a paper");
    }
    if (!kept) {
      int rc = h->node_unlink(ex, d);
      if (rc)
        return h->set_error(ex, rc, "cannot remove a digest");
    }
  }
  return 0; /* the host checks the tree again and recounts it */
}

static const dconv_option recent_options[] = {
    {sizeof(dconv_option), DCONV_OPT_INT, "months", "12", NULL,
     "keep papers submitted at most this many months before the digest"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "keep-unknown", "true", NULL,
     "keep papers without an arXiv id"},
};

static const dconv_plugin_ext recent_plugin = {
    .base = {DCONV_PLUGIN_EXT_HEADER, .name = "recent", .version = "1.0.0",
             .description = "drop papers submitted long before their digest",
             .extension = "", /* a filter writes nothing */
             .options = recent_options,
             .n_options = sizeof recent_options / sizeof recent_options[0]},
    .filter = recent_filter,
};

DCONV_PLUGIN_DEFINE(recent_plugin.base)
