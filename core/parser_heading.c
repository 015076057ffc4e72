/* parser_heading.c - digest and paper headings (see parser_heading.h). */
#include "parser_heading.h"

#include <ctype.h>
#include <string.h>

#include "parser_fields.h"
#include "parser_ids.h"
#include "parser_text.h"

/* Digest header "Daily Papers (YYYY-MM-DD)": returns 1 (new digest), 0 (not
 * a date header) or -1 (date-shaped but impossible: an error). */
int dconv_heading_digest(dconv_pstate *ps, cmark_node *h) {
  dconv_buf b = DCONV_BUF_INIT;
  if (dconv_ptext_flatten(h, &b)) {
    ps->rc = DCONV_E_NOMEM;
    return -1;
  }
  const char *s = b.data ? b.data : "";
  int result = 0;
  /* The LAST date-shaped token is the digest's date ("Daily Papers (DATE)"
   * ends with it, and so does what the Markdown writer emits), so a title
   * that itself mentions a date keeps it as text. */
  size_t last = b.len;
  for (size_t i = 0; i < b.len; i++) {
    char tmp[11];
    size_t n;
    if (isdigit((unsigned char)s[i]) &&
        !(i && isdigit((unsigned char)s[i - 1])) &&
        dconv_parse_date(s + i, tmp, &n) >= 0)
      last = i;
  }
  for (size_t i = last; i < b.len; i++) {
    char date[11];
    size_t used;
    int ok = dconv_parse_date(s + i, date, &used);
    if (ok < 0)
      continue;
    if (ok == 0) {
      PARSE_ERROR(ps, dconv_pstate_line(h),
                  "impossible date '%.*s' in digest header", (int)used, s + i);
      result = -1;
      break;
    }
    dconv_fields_finish(ps);
    dconv_heading_digest_done(ps);
    ps->digest = dconv_pstate_add(ps, ps->doc->root, DCONV_NODE_DIGEST,
                                  dconv_pstate_line(h));
    if (!ps->digest) {
      result = -1;
      break;
    }
    dconv_pstate_set_str(ps, ps->digest, DCONV_S_DATE, date, 10);
    /* Title: the heading without the date and its brackets. */
    size_t a = i, z = i + used;
    if (a && s[a - 1] == '(' && z < b.len && s[z] == ')')
      a--, z++;
    dconv_buf title = DCONV_BUF_INIT;
    if (dconv_buf_append(&title, s, a) || dconv_buf_puts(&title, s + z))
      ps->rc = DCONV_E_NOMEM;
    const char *t = title.data ? title.data : "";
    size_t tl = title.len;
    dconv_ptext_trim(&t, &tl);
    if (tl == 0)
      t = "Daily Papers", tl = 12;
    dconv_pstate_set_str(ps, ps->digest, DCONV_S_TITLE, t, tl);
    dconv_buf_free(&title);
    result = 1;
    break;
  }
  dconv_buf_free(&b);
  return result;
}

void dconv_heading_digest_done(dconv_pstate *ps) {
  if (!ps->digest)
    return;
  for (struct dconv_node *c = ps->digest->first; c; c = c->next)
    if (c->kind == DCONV_NODE_PAPER)
      return;
  PARSE_WARN(ps, ps->digest->line, "digest has no papers");
}

void dconv_heading_paper(dconv_pstate *ps, cmark_node *h) {
  dconv_fields_finish(ps);
  uint32_t line = dconv_pstate_line(h);
  struct dconv_node *p =
      dconv_pstate_add(ps, ps->digest, DCONV_NODE_PAPER, line);
  if (!p)
    return;
  ps->paper = p;
  ps->has_vote = ps->has_authors = 0;

  cmark_node *link = NULL;
  int links = 0, other = 0;
  for (cmark_node *c = cmark_node_first_child(h); c; c = cmark_node_next(c)) {
    if (cmark_node_get_type(c) == CMARK_NODE_LINK) {
      links++;
      if (!link)
        link = c;
      continue;
    }
    dconv_buf t = DCONV_BUF_INIT;
    if (dconv_ptext_flatten(c, &t))
      ps->rc = DCONV_E_NOMEM;
    const char *s = t.data ? t.data : "";
    size_t len = t.len;
    dconv_ptext_trim(&s, &len);
    other += len > 0;
    dconv_buf_free(&t);
  }
  dconv_buf title = DCONV_BUF_INIT;
  if (links == 1 && !other) {
    if (dconv_ptext_flatten(link, &title))
      ps->rc = DCONV_E_NOMEM;
  } else {
    if (dconv_ptext_flatten(h, &title))
      ps->rc = DCONV_E_NOMEM;
    if (links == 0)
      PARSE_WARN(ps, line, "paper title has no link; no URL or arXiv id");
  }
  const char *s = title.data ? title.data : "";
  size_t len = title.len;
  dconv_ptext_trim(&s, &len);
  if (len == 0)
    PARSE_WARN(ps, line, "paper has an empty title");
  dconv_pstate_set_str(ps, p, DCONV_S_TITLE, s, len);
  dconv_buf_free(&title);

  if (link) {
    const char *url = cmark_node_get_url(link);
    if (!url)
      url = "";
    dconv_pstate_set_str(ps, p, DCONV_S_URL, url, strlen(url));
    char id[64], ver[16];
    if (dconv_parse_arxiv_url(url, id, ver)) {
      dconv_pstate_set_str(ps, p, DCONV_S_ARXIV_ID, id, strlen(id));
      if (ver[0])
        dconv_pstate_set_str(ps, p, DCONV_S_ARXIV_VERSION, ver, strlen(ver));
    } else {
      PARSE_WARN(ps, line, "no arXiv id in the title link '%.*s'",
                 (int)(strlen(url) > 80 ? 80 : strlen(url)), url);
    }
  }
}
