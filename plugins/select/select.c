/*
 * select - the selection filter (--filter select:KEY=VALUE,...): keep only
 * some digests and papers. Built on the public filter ABI alone, like any
 * third-party filter.
 *
 * The steps run in this order, each on what the previous one kept:
 *   1. since / until   digests dated in [since, until] (YYYY-MM-DD);
 *   2. min-votes=N     papers with at least N votes (unknown votes: out);
 *   3. match=REGEX     papers whose title, an author or a summary bullet
 *                      matches (POSIX extended, case-insensitive);
 *   4. dedupe=true     one paper per arXiv id: the first in the tree (the
 *                      host sorts digests by date) wins;
 *   5. top=N           the N papers with the most votes, per digest
 *                      (top-per=day, the default) or overall (top-per=all);
 *                      ties go to the earlier paper. Order is kept: top
 *                      selects, it does not sort.
 * A digest left without papers by steps 2-5 is removed as well (a digest
 * that had none to begin with is left alone).
 */
#include <dconv/plugin.h>
#include <dconv/util.h>

#include <regex.h>
#include <stdlib.h>
#include <string.h>

/** The options of one run, parsed and checked. */
typedef struct select_opts {
  const char *since, *until; /* NULL = open end */
  int64_t min_votes;         /* -1 = no bound */
  regex_t match;
  int has_match;
  int dedupe;
  int64_t top; /* 0 = no limit */
  int top_per_day;
} select_opts;

/** One run of the filter. */
typedef struct select_run {
  const dconv_host *h;
  dconv_export *ex;
  select_opts o;
} select_run;

/* A date option: NULL when not given; error when not a date. */
static int select_date_opt(select_run *r, const char *key, const char **out) {
  const char *v = r->h->option(r->ex, key);
  *out = v && *v ? v : NULL;
  if (*out && dconv_util_date_parse(*out, NULL, NULL, NULL) != 0)
    return r->h->set_error(r->ex, DCONV_E_OPTION,
                           "%s '%s' is not a valid date (YYYY-MM-DD)", key, v);
  return 0;
}

/* An integer option (validated as an integer by the host) that must be at
 * least `min`; *out keeps its value when the option was not given. */
static int select_int_opt(select_run *r, const char *key, int64_t min,
                          int64_t *out) {
  const char *v = r->h->option(r->ex, key);
  if (!v)
    return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  if (*v == '\0' || *end != '\0' || n < min)
    return r->h->set_error(r->ex, DCONV_E_OPTION,
                           "%s '%s' must be an integer of at least %lld", key,
                           v, (long long)min);
  *out = n;
  return 0;
}

static int select_parse(select_run *r) {
  select_opts *o = &r->o;
  int rc;
  o->min_votes = -1;
  if ((rc = select_date_opt(r, "since", &o->since)) ||
      (rc = select_date_opt(r, "until", &o->until)) ||
      (rc = select_int_opt(r, "min-votes", 0, &o->min_votes)) ||
      (rc = select_int_opt(r, "top", 1, &o->top)))
    return rc;
  if (o->since && o->until && strcmp(o->since, o->until) > 0)
    return r->h->set_error(r->ex, DCONV_E_OPTION,
                           "since %s is after until %s: nothing to select",
                           o->since, o->until);
  const char *per = r->h->option(r->ex, "top-per");
  o->top_per_day = !per || strcmp(per, "all") != 0;
  const char *dd = r->h->option(r->ex, "dedupe");
  o->dedupe = dd && strcmp(dd, "true") == 0;
  const char *re = r->h->option(r->ex, "match");
  if (re && *re) {
    int err = regcomp(&o->match, re, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (err) {
      char why[160];
      regerror(err, &o->match, why, sizeof why);
      return r->h->set_error(r->ex, DCONV_E_OPTION,
                             "match '%s' is not a valid regular expression: "
                             "%s",
                             re, why);
    }
    o->has_match = 1;
  }
  return 0;
}

/* --------------------------------------------------------------- papers */

/* Does the paper's title, an author or a bullet match the regex? Returns
 * 1, 0, or DCONV_E_NOMEM. */
static int select_matches(select_run *r, const dconv_node *p) {
  const dconv_host *h = r->h;
  const char *title = h->node_str(p, DCONV_ATTR_TITLE);
  if (title && regexec(&r->o.match, title, 0, NULL, 0) == 0)
    return 1;
  for (const dconv_node *c = h->node_first_child(p); c; c = h->node_next(c)) {
    uint32_t kind = h->node_kind(c);
    if (kind == DCONV_NODE_AUTHOR) {
      const char *name = h->node_str(c, DCONV_ATTR_NAME);
      if (name && regexec(&r->o.match, name, 0, NULL, 0) == 0)
        return 1;
    } else if (kind == DCONV_NODE_ITEM) {
      char *text = h->node_flatten(c, NULL);
      if (!text)
        return DCONV_E_NOMEM;
      int hit = regexec(&r->o.match, text, 0, NULL, 0) == 0;
      h->free(text);
      if (hit)
        return 1;
    }
  }
  return 0;
}

/* Does paper `p` pass steps 2 and 3? 1, 0 or DCONV_E_NOMEM. */
static int select_keep_paper(select_run *r, const dconv_node *p) {
  if (r->o.min_votes >= 0) {
    int64_t votes;
    if (r->h->node_int(p, DCONV_ATTR_VOTES, &votes) != 0 ||
        votes < r->o.min_votes)
      return 0;
  }
  return r->o.has_match ? select_matches(r, p) : 1;
}

/* ------------------------------------------------------------- ranking */

/** A paper in a ranking for `top`, with its place in the tree. */
typedef struct select_ranked {
  const dconv_node *paper;
  int64_t votes; /* INT64_MIN when unknown: ranked last */
  size_t order;  /* tree order, for stable ties */
} select_ranked;

static int select_by_votes(const void *a, const void *b) {
  const select_ranked *x = a, *y = b;
  if (x->votes != y->votes)
    return x->votes > y->votes ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Keep the `top` best of the papers under the digests [from, to) (to NULL
 * = the end), unlinking the rest. */
static int select_top(select_run *r, const dconv_node *from,
                      const dconv_node *to) {
  const dconv_host *h = r->h;
  size_t n = 0, cap = 0;
  select_ranked *v = NULL;
  for (const dconv_node *d = from; d != to; d = h->node_next(d)) {
    if (h->node_kind(d) != DCONV_NODE_DIGEST)
      continue;
    for (const dconv_node *p = h->node_first_child(d); p; p = h->node_next(p)) {
      if (h->node_kind(p) != DCONV_NODE_PAPER)
        continue;
      if (n == cap) {
        cap = cap ? cap * 2 : 64;
        select_ranked *nv = h->realloc(v, cap * sizeof *v);
        if (!nv) {
          h->free(v);
          return DCONV_E_NOMEM;
        }
        v = nv;
      }
      int64_t votes;
      if (h->node_int(p, DCONV_ATTR_VOTES, &votes) != 0)
        votes = INT64_MIN;
      v[n] = (select_ranked){p, votes, n};
      n++;
    }
  }
  int rc = 0;
  if ((uint64_t)n > (uint64_t)r->o.top) {
    qsort(v, n, sizeof *v, select_by_votes);
    for (size_t i = (size_t)r->o.top; i < n && !rc; i++)
      rc = h->node_unlink(r->ex, v[i].paper);
  }
  h->free(v);
  return rc;
}

/* ------------------------------------------------------------- dedupe */

/* Sorted set of arXiv ids seen so far (borrowed strings from the tree). */
typedef struct select_seen {
  const char **ids;
  size_t n, cap;
} select_seen;

/* Has `id` been seen? If not, remember it. 1, 0 or DCONV_E_NOMEM. */
static int select_seen_add(const dconv_host *h, select_seen *s,
                           const char *id) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) { /* binary search for the insertion point */
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(s->ids[mid], id);
    if (c == 0)
      return 1;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    const char **ids = h->realloc(s->ids, cap * sizeof *ids);
    if (!ids)
      return DCONV_E_NOMEM;
    s->ids = ids;
    s->cap = cap;
  }
  memmove(s->ids + lo + 1, s->ids + lo, (s->n - lo) * sizeof *s->ids);
  s->ids[lo] = id;
  s->n++;
  return 0;
}

/* ---------------------------------------------------------------- walk */

/* Steps 1-4 on every digest, in tree order. *emptied is set for digests
 * that had papers before and none now; they are unlinked at the end. */
static int select_walk(select_run *r) {
  const dconv_host *h = r->h;
  select_seen seen = {0};
  int rc = 0;
  const dconv_node *d = h->node_first_child(h->root(r->ex)), *next_d;
  for (; d && !rc; d = next_d) {
    next_d = h->node_next(d); /* fetched before d may be unlinked */
    if (h->node_kind(d) != DCONV_NODE_DIGEST)
      continue;
    const char *date = h->node_str(d, DCONV_ATTR_DATE);
    if (date && ((r->o.since && strcmp(date, r->o.since) < 0) ||
                 (r->o.until && strcmp(date, r->o.until) > 0))) {
      rc = h->node_unlink(r->ex, d);
      continue;
    }
    int had = 0, kept = 0;
    const dconv_node *p = h->node_first_child(d), *next_p;
    for (; p && !rc; p = next_p) {
      next_p = h->node_next(p);
      if (h->node_kind(p) != DCONV_NODE_PAPER)
        continue;
      had = 1;
      int keep = select_keep_paper(r, p);
      const char *id = h->node_str(p, DCONV_ATTR_ARXIV_ID);
      if (keep == 1 && r->o.dedupe && id) {
        int dup = select_seen_add(h, &seen, id); /* 1, 0 or ENOMEM */
        keep = dup < 0 ? dup : !dup;
      }
      if (keep < 0)
        rc = keep;
      else if (keep == 0)
        rc = h->node_unlink(r->ex, p);
      else
        kept = 1;
    }
    if (!rc && had && !kept)
      rc = h->node_unlink(r->ex, d);
  }
  h->free(seen.ids);
  return rc;
}

/* Step 5 and the removal of digests it empties. */
static int select_apply_top(select_run *r) {
  const dconv_host *h = r->h;
  const dconv_node *first = h->node_first_child(h->root(r->ex));
  int rc = 0;
  if (!r->o.top_per_day)
    rc = select_top(r, first, NULL);
  for (const dconv_node *d = first; d && !rc; d = h->node_next(d))
    if (r->o.top_per_day)
      rc = select_top(r, d, h->node_next(d));
  /* Digests left empty by an overall top. */
  const dconv_node *d = h->node_first_child(h->root(r->ex)), *next;
  for (; d && !rc && !r->o.top_per_day; d = next) {
    next = h->node_next(d);
    const dconv_node *p = h->node_first_child(d);
    while (p && h->node_kind(p) != DCONV_NODE_PAPER)
      p = h->node_next(p);
    if (h->node_kind(d) == DCONV_NODE_DIGEST && !p)
      rc = h->node_unlink(r->ex, d);
  }
  return rc;
}

static int select_filter(const dconv_host *h, dconv_export *ex) {
  select_run r = {h, ex, {0}};
  int rc = select_parse(&r);
  if (!rc)
    rc = select_walk(&r);
  if (!rc && r.o.top)
    rc = select_apply_top(&r);
  if (r.o.has_match)
    regfree(&r.o.match);
  /* Host calls record their own reasons; only ENOMEM is ours to name. */
  return rc == DCONV_E_NOMEM ? h->set_error(ex, rc, "out of memory") : rc;
}

static const dconv_option select_options[] = {
    {sizeof(dconv_option), DCONV_OPT_STRING, "since", NULL, NULL,
     "keep digests dated YYYY-MM-DD or later"},
    {sizeof(dconv_option), DCONV_OPT_STRING, "until", NULL, NULL,
     "keep digests dated YYYY-MM-DD or earlier"},
    {sizeof(dconv_option), DCONV_OPT_INT, "min-votes", NULL, NULL,
     "keep papers with at least N votes (unknown votes: dropped)"},
    {sizeof(dconv_option), DCONV_OPT_STRING, "match", NULL, NULL,
     "keep papers whose title, an author or a bullet matches REGEX "
     "(POSIX extended, case-insensitive)"},
    {sizeof(dconv_option), DCONV_OPT_INT, "top", NULL, NULL,
     "keep the N papers with the most votes (see top-per)"},
    {sizeof(dconv_option), DCONV_OPT_ENUM, "top-per", "day", "day|all",
     "top counts per digest (day) or over all digests (all)"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "dedupe", "false", NULL,
     "keep one paper per arXiv id (the first, in date order)"},
};

static const dconv_plugin_ext select_plugin = {
    .base = {DCONV_PLUGIN_EXT_HEADER, .name = "select", .version = "1.0.0",
             .description = "keep papers by date, votes, regex, top N; dedupe",
             .extension = "", .options = select_options,
             .n_options = sizeof select_options / sizeof select_options[0]},
    .filter = select_filter,
};

DCONV_PLUGIN_DEFINE(select_plugin.base)
