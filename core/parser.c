#include "parser.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "buf.h"
#include "input.h"

/* Internal-only kind: a line break inside a paragraph, used to split
 * "Vote: 3\nAuthors: ..." paragraphs into lines. Never reaches plugins. */
#define NODE_BREAK 0x7fff0001u

typedef struct pstate {
  dconv_tree *doc;
  dconv_diag *diag;
  const char *file; /* arena-owned copy */
  struct dconv_node *digest, *paper;
  int has_vote, has_authors;
  int depth_warned;
  int rc;            /* first failure (DCONV_E_NOMEM) */
  dconv_buf pending; /* text waiting to become one TEXT node */
  struct dconv_node *pending_parent;
  uint32_t pending_line;
} pstate;

#define WARN(ps, line, ...)                                                    \
  dconv_diag_report((ps)->diag, DCONV_DIAG_WARNING, (ps)->file, (line),       \
                    __VA_ARGS__)
#define ERROR(ps, line, ...)                                                   \
  dconv_diag_report((ps)->diag, DCONV_DIAG_ERROR, (ps)->file, (line),         \
                    __VA_ARGS__)

static uint32_t line_of(cmark_node *n) {
  int l = cmark_node_get_start_line(n);
  return l > 0 ? (uint32_t)l : 0;
}

static struct dconv_node *add(pstate *ps, struct dconv_node *parent,
                              uint32_t kind, uint32_t line) {
  struct dconv_node *n = dconv_tree_add(ps->doc, parent, kind, ps->file, line);
  if (!n)
    ps->rc = DCONV_E_NOMEM;
  return n;
}

static void set_int(pstate *ps, struct dconv_node *n, int slot, int64_t v) {
  if (n && dconv_tree_set_int(ps->doc, n, slot, v))
    ps->rc = DCONV_E_NOMEM;
}

/* Every string stored in the tree is clean text (see input.h). The input
 * was cleaned before parsing, but cmark decodes character references, and
 * "&#1;" or "&#xFFFE;" would bring back what XML writers cannot carry. */
static void set_str(pstate *ps, struct dconv_node *n, int slot, const char *s,
                    size_t len) {
  if (!n)
    return;
  if (dconv_input_clean_prefix(s, len) == len) {
    if (dconv_tree_set_str(ps->doc, n, slot, s, len))
      ps->rc = DCONV_E_NOMEM;
    return;
  }
  dconv_buf clean = DCONV_BUF_INIT;
  if (dconv_input_append_clean(&clean, s, len) == (size_t)-1 ||
      dconv_tree_set_str(ps->doc, n, slot, clean.data, clean.len))
    ps->rc = DCONV_E_NOMEM;
  else
    WARN(ps, n->line,
         "character reference to a control character or noncharacter "
         "replaced with U+FFFD");
  dconv_buf_free(&clean);
}

/* ------------------------------------------------------------ text helpers */

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trim ASCII whitespace and non-breaking spaces (U+00A0) at both ends. */
static void trim(const char **s, size_t *len) {
  const char *p = *s;
  size_t n = *len;
  for (;;) {
    if (n && is_space((unsigned char)*p)) {
      p++, n--;
    } else if (n >= 2 && (unsigned char)p[0] == 0xC2 &&
               (unsigned char)p[1] == 0xA0) {
      p += 2, n -= 2;
    } else {
      break;
    }
  }
  for (;;) {
    if (n && is_space((unsigned char)p[n - 1])) {
      n--;
    } else if (n >= 2 && (unsigned char)p[n - 2] == 0xC2 &&
               (unsigned char)p[n - 1] == 0xA0) {
      n -= 2;
    } else {
      break;
    }
  }
  *s = p;
  *len = n;
}

/* Plain text of a cmark subtree (breaks become spaces), appended to out. */
static int cm_flatten(cmark_node *node, dconv_buf *out) {
  cmark_iter *it = cmark_iter_new(node);
  if (!it)
    return DCONV_E_NOMEM;
  int rc = 0;
  cmark_event_type ev;
  while (!rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER)
      continue;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE: {
      const char *lit = cmark_node_get_literal(n);
      if (lit)
        rc = dconv_buf_puts(out, lit);
      break;
    }
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
      rc = dconv_buf_putc(out, ' ');
      break;
    default:
      break;
    }
  }
  cmark_iter_free(it);
  return rc;
}

/* Case-insensitive ASCII prefix test. */
static int has_prefix_ci(const char *s, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  if (len < n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)s[i]) != tolower((unsigned char)prefix[i]))
      return 0;
  return 1;
}

/* If s starts with one of `labels` followed by optional spaces and ':',
 * return the offset just past the colon, else 0. Labels are tried in order,
 * so put longer ones first ("Authors" before "Author"). */
static size_t match_label(const char *s, size_t len,
                          const char *const *labels) {
  for (; *labels; labels++) {
    if (!has_prefix_ci(s, len, *labels))
      continue;
    size_t i = strlen(*labels);
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if (i < len && s[i] == ':')
      return i + 1;
    if (i + 3 <= len && memcmp(s + i, "\xEF\xBC\x9A", 3) == 0)
      return i + 3; /* fullwidth colon */
  }
  return 0;
}

/* ---------------------------------------------------------- public helpers */

int dconv_parse_date(const char *s, char out[11], size_t *consumed) {
  size_t i = 0;
  unsigned y = 0, m = 0, d = 0;
  int nd = 0;
  while (isdigit((unsigned char)s[i]) && nd < 4)
    y = y * 10 + (unsigned)(s[i++] - '0'), nd++;
  if (nd != 4 || s[i] != '-')
    return -1;
  i++;
  for (nd = 0; isdigit((unsigned char)s[i]) && nd < 2; nd++)
    m = m * 10 + (unsigned)(s[i++] - '0');
  if (nd == 0 || s[i] != '-')
    return -1;
  i++;
  for (nd = 0; isdigit((unsigned char)s[i]) && nd < 2; nd++)
    d = d * 10 + (unsigned)(s[i++] - '0');
  if (nd == 0 || isdigit((unsigned char)s[i]))
    return -1;
  *consumed = i;
  static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1000 || m < 1 || m > 12 || d < 1 ||
      d > mdays[m - 1] + (m == 2 && leap))
    return 0;
  snprintf(out, 11, "%04u-%02u-%02u", y % 10000, m % 100, d % 100);
  return 1;
}

/* Old-style archive names (hep-th, math.AG, cs, ...) are letters, digits,
 * '-' and '.'; new-style ids are YYMM.NNNN(N). */
int dconv_parse_arxiv_url(const char *url, char id[64], char version[16]) {
  static const char *const hosts[] = {"arxiv.org/abs/", "arxiv.org/pdf/",
                                      "huggingface.co/papers/",
                                      "alphaxiv.org/abs/", NULL};
  const char *p = NULL;
  for (int i = 0; hosts[i] && !p; i++) {
    p = strstr(url, hosts[i]);
    if (p)
      p += strlen(hosts[i]);
  }
  if (!p)
    return 0;
  size_t n = 0;
  if (isdigit((unsigned char)p[0])) {
    while (n < 4 && isdigit((unsigned char)p[n]))
      n++;
    if (n != 4 || p[4] != '.')
      return 0;
    n = 5;
    size_t k = 0;
    while (k < 5 && isdigit((unsigned char)p[n + k]))
      k++;
    if (k < 4)
      return 0;
    n += k;
  } else {
    while (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '.')
      n++;
    if (n == 0 || n > 32 || p[n] != '/')
      return 0;
    size_t k = 0;
    while (k < 7 && isdigit((unsigned char)p[n + 1 + k]))
      k++;
    if (k != 7)
      return 0;
    n += 8;
  }
  if (isdigit((unsigned char)p[n]))
    return 0; /* too many digits */
  memcpy(id, p, n);
  id[n] = '\0';
  version[0] = '\0';
  if (p[n] == 'v' && isdigit((unsigned char)p[n + 1])) {
    size_t k = 0;
    while (k < 8 && isdigit((unsigned char)p[n + 1 + k])) {
      version[k] = p[n + 1 + k];
      k++;
    }
    version[k] = '\0';
  }
  return 1;
}

/* ------------------------------------------------------- inline conversion */

static void flush_text(pstate *ps) {
  if (!ps->pending.len)
    return;
  struct dconv_node *t =
      add(ps, ps->pending_parent, DCONV_NODE_TEXT, ps->pending_line);
  set_str(ps, t, DCONV_S_TEXT, ps->pending.data, ps->pending.len);
  ps->pending.len = 0;
}

static void push_text(pstate *ps, struct dconv_node *parent, const char *s,
                      uint32_t line) {
  if (ps->pending.len && ps->pending_parent != parent)
    flush_text(ps);
  if (!ps->pending.len) {
    ps->pending_parent = parent;
    ps->pending_line = line;
  }
  if (dconv_buf_puts(&ps->pending, s))
    ps->rc = DCONV_E_NOMEM;
}

static int is_html_comment(const char *s) {
  while (s && is_space((unsigned char)*s))
    s++;
  return s && strncmp(s, "<!--", 4) == 0;
}

/* Convert the inline children of cmark block `block` into children of
 * `parent`. Adjacent text is merged into one TEXT node. Line breaks become
 * NODE_BREAK markers when `breaks` is set (top level only), else a space.
 * Iterative (cmark_iter), so nesting depth costs no stack. */
static void convert_inlines(pstate *ps, cmark_node *block,
                            struct dconv_node *parent, int breaks) {
  cmark_iter *it = cmark_iter_new(block);
  if (!it) {
    ps->rc = DCONV_E_NOMEM;
    return;
  }
  uint32_t line = line_of(block);
  struct dconv_node *out = parent;
  cmark_event_type ev;
  while (!ps->rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (n == block)
      continue;
    cmark_node_type t = cmark_node_get_type(n);
    int container = t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG ||
                    t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE;
    if (ev == CMARK_EVENT_EXIT) {
      if (container) {
        flush_text(ps);
        out = out->parent;
      }
      continue;
    }
    switch (t) {
    case CMARK_NODE_TEXT:
      push_text(ps, out, cmark_node_get_literal(n), line);
      break;
    case CMARK_NODE_HTML_INLINE:
      /* Inline HTML is kept as text (writers escape it), comments vanish. */
      if (!is_html_comment(cmark_node_get_literal(n)))
        push_text(ps, out, cmark_node_get_literal(n), line);
      break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
      if (breaks && out == parent) {
        flush_text(ps);
        add(ps, out, NODE_BREAK, line);
      } else {
        push_text(ps, out, " ", line);
      }
      line++;
      break;
    case CMARK_NODE_CODE: {
      flush_text(ps);
      struct dconv_node *c = add(ps, out, DCONV_NODE_CODE, line);
      const char *lit = cmark_node_get_literal(n);
      set_str(ps, c, DCONV_S_TEXT, lit, strlen(lit));
      break;
    }
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE: {
      flush_text(ps);
      uint32_t kind = t == CMARK_NODE_EMPH     ? DCONV_NODE_EMPH
                      : t == CMARK_NODE_STRONG ? DCONV_NODE_STRONG
                                               : DCONV_NODE_LINK;
      struct dconv_node *c = add(ps, out, kind, line);
      if (!c)
        break;
      if (kind == DCONV_NODE_LINK) {
        const char *url = cmark_node_get_url(n);
        set_str(ps, c, DCONV_S_URL, url ? url : "", url ? strlen(url) : 0);
        if (t == CMARK_NODE_IMAGE)
          set_int(ps, c, DCONV_I_IMAGE, 1);
      }
      out = c;
      break;
    }
    default:
      break; /* footnotes etc. are not enabled */
    }
  }
  flush_text(ps);
  cmark_iter_free(it);
}

/* Plain text of our own inline nodes in [first, stop), appended to out. */
static void flatten_range(pstate *ps, struct dconv_node *first,
                          struct dconv_node *stop, dconv_buf *out) {
  for (struct dconv_node *n = first; n != stop; n = n->next) {
    size_t len;
    char *s = dconv_node_flatten(n, &len);
    if (!s || dconv_buf_append(out, s, len))
      ps->rc = DCONV_E_NOMEM;
    free(s);
  }
}

/* ------------------------------------------------------------ paper fields */

static void finish_paper(pstate *ps) {
  if (!ps->paper)
    return;
  if (!ps->has_vote)
    WARN(ps, ps->paper->line, "paper has no 'Vote:' line; votes unknown");
  if (!ps->has_authors)
    WARN(ps, ps->paper->line, "paper has no 'Authors:' line");
  ps->paper = NULL;
}

static void set_votes(pstate *ps, const char *s, size_t len, uint32_t line) {
  trim(&s, &len);
  if (ps->has_vote)
    WARN(ps, line, "second vote line; the last one counts");
  ps->has_vote = 1;
  dconv_tree_clear_int(ps->paper, DCONV_I_VOTES);
  if (len == 0 || (len == 1 && (*s == '-' || *s == '?')))
    return; /* "Vote: -" is the documented "unknown" */
  int64_t v = 0;
  size_t i = 0, digits = 0;
  for (; i < len; i++) {
    if (s[i] == ',' && digits)
      continue;
    if (!isdigit((unsigned char)s[i]))
      break;
    if (v > (INT64_MAX - 9) / 10) {
      WARN(ps, line, "vote count too large; votes unknown");
      return;
    }
    v = v * 10 + (s[i] - '0');
    digits++;
  }
  if (!digits) {
    WARN(ps, line, "vote count '%.*s' is not a number; votes unknown",
         (int)(len > 40 ? 40 : len), s);
    return;
  }
  if (i < len)
    WARN(ps, line, "text after the vote count ignored: '%.*s'",
         (int)(len - i > 40 ? 40 : len - i), s + i);
  set_int(ps, ps->paper, DCONV_I_VOTES, v);
}

static void add_author(pstate *ps, const char *s, size_t len, uint32_t line) {
  trim(&s, &len);
  if (len == 0)
    return;
  struct dconv_node *p = ps->paper;
  if ((len == 1 && (*s == '+' || *s == '*')) ||
      (len == 3 && memcmp(s, "...", 3) == 0) ||
      (len == 3 && memcmp(s, "\xE2\x80\xA6", 3) == 0) ||
      (len >= 5 && has_prefix_ci(s, len, "et al"))) {
    if (!dconv_tree_has_int(p, DCONV_I_ELIDED)) {
      int64_t at = 0;
      for (struct dconv_node *c = p->first; c; c = c->next)
        at += c->kind == DCONV_NODE_AUTHOR;
      set_int(ps, p, DCONV_I_ELIDED, 1);
      set_int(ps, p, DCONV_I_ELIDED_AT, at);
    }
    return;
  }
  struct dconv_node *a = add(ps, p, DCONV_NODE_AUTHOR, line);
  set_str(ps, a, DCONV_S_TEXT, s, len);
}

/* Split one name piece further on " and " / " & " ("A, B and C"). */
static void add_author_piece(pstate *ps, const char *s, size_t len,
                             uint32_t line) {
  while (len) {
    const char *cut = NULL;
    size_t skip = 0;
    for (size_t i = 0; i + 5 <= len; i++) {
      if (memcmp(s + i, " and ", 5) == 0) {
        cut = s + i, skip = 5;
        break;
      }
      if (memcmp(s + i, " & ", 3) == 0) {
        cut = s + i, skip = 3;
        break;
      }
    }
    if (!cut) {
      add_author(ps, s, len, line);
      return;
    }
    add_author(ps, s, (size_t)(cut - s), line);
    len -= (size_t)(cut - s) + skip;
    s = cut + skip;
  }
}

static void set_authors(pstate *ps, const char *s, size_t len, uint32_t line) {
  if (ps->has_authors) {
    WARN(ps, line, "second authors line; its names are appended");
  }
  ps->has_authors = 1;
  /* Separator: ';' if present (names may then hold commas), else ','. The
   * middle dot U+00B7 is treated like a comma. */
  char sep = memchr(s, ';', len) ? ';' : ',';
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    int at_sep = i == len || s[i] == sep;
    size_t sl = 1;
    if (!at_sep && i + 1 < len && (unsigned char)s[i] == 0xC2 &&
        (unsigned char)s[i + 1] == 0xB7)
      at_sep = 1, sl = 2;
    if (!at_sep)
      continue;
    add_author_piece(ps, s + start, i - start, line);
    start = i + sl;
    i += sl - 1;
  }
}

static int is_video_url(const char *url) {
  static const char *const exts[] = {".mp4", ".webm", ".mov", ".m4v", ".ogv",
                                     NULL};
  size_t n = strlen(url);
  const char *q = strpbrk(url, "?#");
  if (q)
    n = (size_t)(q - url);
  for (int i = 0; exts[i]; i++) {
    size_t e = strlen(exts[i]);
    if (n >= e && has_prefix_ci(url + n - e, e, exts[i]))
      return 1;
  }
  return 0;
}

static void set_media(pstate *ps, const char *kind, const char *url,
                      size_t len, uint32_t line) {
  struct dconv_node *p = ps->paper;
  const char *old = dconv_tree_str(p, DCONV_S_MEDIA_URL);
  if (old) {
    if (strlen(old) == len && memcmp(old, url, len) == 0)
      return; /* the same video written twice (link + <video>) */
    WARN(ps, line, "second media line ignored: %.*s", (int)(len > 80 ? 80 : len),
         url);
    return;
  }
  set_str(ps, p, DCONV_S_MEDIA_URL, url, len);
  set_str(ps, p, DCONV_S_MEDIA_KIND, kind, strlen(kind));
}

/* ------------------------------------------------------------------ blocks */

static const char *const vote_labels[] = {"Votes", "Vote", "Upvotes",
                                          "Upvote", "\xEC\xB6\x94\xEC\xB2\x9C",
                                          NULL};
static const char *const author_labels[] = {
    "Authors", "Author", "\xEC\xA0\x80\xEC\x9E\x90", NULL};

/* The src="..." of a raw <video> or <source> tag in html, or NULL. */
static const char *video_src(const char *html, size_t *len) {
  const char *v = strstr(html, "<video");
  if (!v)
    v = strstr(html, "<source");
  const char *src = v ? strstr(v, "src=") : NULL;
  if (!src || (src[4] != '"' && src[4] != '\''))
    return NULL;
  const char *e = strchr(src + 5, src[4]);
  if (!e)
    return NULL;
  *len = (size_t)(e - (src + 5));
  return src + 5;
}

/* A summary item at depth 0 made from nodes [first, stop) of a paragraph. */
static void keep_as_item(pstate *ps, struct dconv_node *first,
                         struct dconv_node *stop, uint32_t line) {
  struct dconv_node *item = add(ps, ps->paper, DCONV_NODE_ITEM, line);
  if (!item)
    return;
  set_int(ps, item, DCONV_I_DEPTH, 0);
  set_int(ps, item, DCONV_I_ORDERED, 0);
  for (struct dconv_node *n = first, *next; n != stop; n = next) {
    next = n->next;
    dconv_tree_unlink(n);
    dconv_tree_append(item, n);
  }
}

/* One line of a paper paragraph: a media line, "Vote: N", "Authors: ..." or
 * unrecognised text (kept as a summary item with a warning). */
static void paper_line(pstate *ps, struct dconv_node *first,
                       struct dconv_node *stop, uint32_t line) {
  dconv_buf text = DCONV_BUF_INIT;
  flatten_range(ps, first, stop, &text);
  const char *s = text.data ? text.data : "";
  size_t len = text.len;
  trim(&s, &len);

  /* A line holding exactly one image or link (plus spaces): media? */
  struct dconv_node *only = NULL;
  int count = 0;
  for (struct dconv_node *n = first; n != stop; n = n->next) {
    if (n->kind == DCONV_NODE_TEXT) {
      const char *t = n->text;
      size_t tl = strlen(t);
      trim(&t, &tl);
      if (tl == 0)
        continue;
    }
    only = n;
    count++;
  }
  size_t off, vlen;
  const char *vsrc = video_src(s, &vlen);
  if (vsrc && s[0] == '<') {
    /* <video src=...> inline in a paragraph (not an HTML block) */
    set_media(ps, "video", vsrc, vlen, line);
  } else if (count == 1 && only->kind == DCONV_NODE_LINK &&
      (dconv_tree_has_int(only, DCONV_I_IMAGE) ||
       is_video_url(dconv_tree_str(only, DCONV_S_URL)) ||
       has_prefix_ci(s, len, "watch video"))) {
    const char *url = dconv_tree_str(only, DCONV_S_URL);
    int video = is_video_url(url) || !dconv_tree_has_int(only, DCONV_I_IMAGE);
    set_media(ps, video ? "video" : "image", url, strlen(url), line);
  } else if (len == 0) {
    /* nothing but spaces or comments */
  } else if ((off = match_label(s, len, vote_labels)) != 0) {
    set_votes(ps, s + off, len - off, line);
  } else if ((off = match_label(s, len, author_labels)) != 0) {
    set_authors(ps, s + off, len - off, line);
  } else {
    WARN(ps, line, "unrecognised line kept as a summary item: '%.*s'",
         (int)(len > 60 ? 60 : len), s);
    keep_as_item(ps, first, stop, line);
  }
  dconv_buf_free(&text);
}

static void paper_paragraph(pstate *ps, cmark_node *para) {
  /* Convert into a detached scratch node, then split at line breaks. */
  struct dconv_node *tmp =
      dconv_tree_add(ps->doc, NULL, DCONV_NODE_ITEM, ps->file, line_of(para));
  if (!tmp) {
    ps->rc = DCONV_E_NOMEM;
    return;
  }
  convert_inlines(ps, para, tmp, 1);
  uint32_t line = line_of(para);
  struct dconv_node *start = tmp->first;
  while (start && !ps->rc) {
    struct dconv_node *end = start;
    while (end && end->kind != NODE_BREAK)
      end = end->next;
    struct dconv_node *after = end ? end->next : NULL;
    paper_line(ps, start, end, line);
    line++;
    start = after;
  }
}

static void text_outside_paper(pstate *ps, cmark_node *block) {
  dconv_buf b = DCONV_BUF_INIT;
  if (cm_flatten(block, &b))
    ps->rc = DCONV_E_NOMEM;
  const char *s = b.data ? b.data : "";
  size_t len = b.len;
  trim(&s, &len);
  if (len)
    WARN(ps, line_of(block), "text outside any paper ignored: '%.*s'",
         (int)(len > 60 ? 60 : len), s);
  dconv_buf_free(&b);
}

/* A raw HTML block: a <video> gives the paper its media; anything else is
 * never copied through (writers must not emit digest HTML). */
static void html_block(pstate *ps, cmark_node *block) {
  const char *lit = cmark_node_get_literal(block);
  if (!lit || is_html_comment(lit))
    return; /* comments are invisible in every rendering */
  uint32_t line = line_of(block);
  size_t vlen;
  const char *src = video_src(lit, &vlen);
  if (ps->paper && src) {
    set_media(ps, "video", src, vlen, line);
    return;
  }
  const char *s = lit;
  size_t len = strlen(lit);
  trim(&s, &len);
  WARN(ps, line, "raw HTML block ignored: '%.*s'", (int)(len > 60 ? 60 : len),
       s);
}

/* A summary list (possibly nested, numbered) -> ITEM nodes with depth. */
static void paper_list(pstate *ps, cmark_node *list) {
  cmark_iter *it = cmark_iter_new(list);
  if (!it) {
    ps->rc = DCONV_E_NOMEM;
    return;
  }
  int depth = -1;
  int64_t counter[DCONV_PARSE_MAX_DEPTH + 1];
  int ordered[DCONV_PARSE_MAX_DEPTH + 1];
  cmark_node *cm_item = NULL;
  struct dconv_node *item = NULL;
  cmark_event_type ev;
  while (!ps->rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    int d = depth > DCONV_PARSE_MAX_DEPTH ? DCONV_PARSE_MAX_DEPTH : depth;
    if (t == CMARK_NODE_LIST) {
      if (ev == CMARK_EVENT_EXIT) {
        depth--;
        continue;
      }
      depth++;
      d = depth > DCONV_PARSE_MAX_DEPTH ? DCONV_PARSE_MAX_DEPTH : depth;
      if (depth > DCONV_PARSE_MAX_DEPTH && !ps->depth_warned) {
        WARN(ps, line_of(n),
             "list nested deeper than %d levels; deeper items kept at level "
             "%d",
             DCONV_PARSE_MAX_DEPTH + 1, DCONV_PARSE_MAX_DEPTH + 1);
        ps->depth_warned = 1;
      }
      ordered[d] = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
      counter[d] = cmark_node_get_list_start(n);
      continue;
    }
    if (ev != CMARK_EVENT_ENTER || d < 0)
      continue;
    if (t == CMARK_NODE_ITEM) {
      cm_item = n;
      item = NULL;
      continue;
    }
    if (t != CMARK_NODE_PARAGRAPH && t != CMARK_NODE_CODE_BLOCK &&
        t != CMARK_NODE_HEADING && t != CMARK_NODE_HTML_BLOCK)
      continue; /* block quotes etc.: their paragraphs come next */
    if (t == CMARK_NODE_HTML_BLOCK &&
        is_html_comment(cmark_node_get_literal(n)))
      continue;
    cmark_node *owner = cmark_node_parent(n);
    if (!item || owner != cm_item) {
      item = add(ps, ps->paper, DCONV_NODE_ITEM, line_of(n));
      if (!item)
        break;
      set_int(ps, item, DCONV_I_DEPTH, d);
      set_int(ps, item, DCONV_I_ORDERED, ordered[d]);
      if (ordered[d])
        set_int(ps, item, DCONV_I_NUMBER, counter[d]);
      counter[d]++;
      cm_item = owner;
    } else {
      push_text(ps, item, " ", line_of(n));
    }
    if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
      if (t == CMARK_NODE_HEADING)
        WARN(ps, line_of(n), "heading inside a summary list kept as text");
      convert_inlines(ps, n, item, 0);
    } else {
      const char *lit = cmark_node_get_literal(n);
      size_t len = lit ? strlen(lit) : 0;
      while (len && lit[len - 1] == '\n')
        len--;
      WARN(ps, line_of(n), "%s inside a summary item kept as %s",
           t == CMARK_NODE_CODE_BLOCK ? "code block" : "raw HTML",
           t == CMARK_NODE_CODE_BLOCK ? "inline code" : "text");
      flush_text(ps);
      struct dconv_node *c =
          add(ps, item,
              t == CMARK_NODE_CODE_BLOCK ? DCONV_NODE_CODE : DCONV_NODE_TEXT,
              line_of(n));
      set_str(ps, c, DCONV_S_TEXT, lit ? lit : "", len);
    }
    /* Skip the block's own children: they are converted already. */
    cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
  }
  cmark_iter_free(it);
}

/* Digest header "Daily Papers (YYYY-MM-DD)": returns 1 (new digest), 0 (not
 * a date header) or -1 (date-shaped but impossible: an error). */
static int digest_heading(pstate *ps, cmark_node *h) {
  dconv_buf b = DCONV_BUF_INIT;
  if (cm_flatten(h, &b)) {
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
      ERROR(ps, line_of(h), "impossible date '%.*s' in digest header",
            (int)used, s + i);
      result = -1;
      break;
    }
    finish_paper(ps);
    ps->digest = add(ps, ps->doc->root, DCONV_NODE_DIGEST, line_of(h));
    if (!ps->digest) {
      result = -1;
      break;
    }
    set_str(ps, ps->digest, DCONV_S_DATE, date, 10);
    /* Title: the heading without the date and its brackets. */
    size_t a = i, z = i + used;
    if (a && s[a - 1] == '(' && z < b.len && s[z] == ')')
      a--, z++;
    dconv_buf title = DCONV_BUF_INIT;
    if (dconv_buf_append(&title, s, a) || dconv_buf_puts(&title, s + z))
      ps->rc = DCONV_E_NOMEM;
    const char *t = title.data ? title.data : "";
    size_t tl = title.len;
    trim(&t, &tl);
    if (tl == 0)
      t = "Daily Papers", tl = 12;
    set_str(ps, ps->digest, DCONV_S_TITLE, t, tl);
    dconv_buf_free(&title);
    result = 1;
    break;
  }
  dconv_buf_free(&b);
  return result;
}

static void paper_heading(pstate *ps, cmark_node *h) {
  finish_paper(ps);
  uint32_t line = line_of(h);
  struct dconv_node *p = add(ps, ps->digest, DCONV_NODE_PAPER, line);
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
    if (cm_flatten(c, &t))
      ps->rc = DCONV_E_NOMEM;
    const char *s = t.data ? t.data : "";
    size_t len = t.len;
    trim(&s, &len);
    other += len > 0;
    dconv_buf_free(&t);
  }
  dconv_buf title = DCONV_BUF_INIT;
  if (links == 1 && !other) {
    if (cm_flatten(link, &title))
      ps->rc = DCONV_E_NOMEM;
  } else {
    if (cm_flatten(h, &title))
      ps->rc = DCONV_E_NOMEM;
    if (links == 0)
      WARN(ps, line, "paper title has no link; no URL or arXiv id");
  }
  const char *s = title.data ? title.data : "";
  size_t len = title.len;
  trim(&s, &len);
  if (len == 0)
    WARN(ps, line, "paper has an empty title");
  set_str(ps, p, DCONV_S_TITLE, s, len);
  dconv_buf_free(&title);

  if (link) {
    const char *url = cmark_node_get_url(link);
    if (!url)
      url = "";
    set_str(ps, p, DCONV_S_URL, url, strlen(url));
    char id[64], ver[16];
    if (dconv_parse_arxiv_url(url, id, ver)) {
      set_str(ps, p, DCONV_S_ARXIV_ID, id, strlen(id));
      if (ver[0])
        set_str(ps, p, DCONV_S_ARXIV_VERSION, ver, strlen(ver));
    } else {
      WARN(ps, line, "no arXiv id in the title link '%.*s'",
           (int)(strlen(url) > 80 ? 80 : strlen(url)), url);
    }
  }
}

/* ------------------------------------------------ pathological paragraphs */

/* cmark-gfm 0.29.0.gfm.6 (Debian 12) spends time proportional to
 * (emphasis delimiters x resolved links) within one paragraph. Real digests
 * have a handful of each per bullet; a crafted paragraph with 20,000 of both
 * takes cmark-gfm itself ~10 s. A paragraph whose product exceeds this budget
 * has its inline markers escaped (kept as text, with a warning), which keeps
 * parsing linear in the input size. */
#define DEFUSE_BUDGET 10000u

static int line_starts_block(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (p >= end || *p == '\n' || *p == '\r')
    return 1; /* blank line */
  if (*p == '#' || *p == '>')
    return 1;
  if ((*p == '-' || *p == '*' || *p == '+') && p + 1 < end &&
      (p[1] == ' ' || p[1] == '\t'))
    return 1;
  const char *d = p;
  while (d < end && d - p < 9 && *d >= '0' && *d <= '9')
    d++;
  return d > p && d + 1 < end && (*d == '.' || *d == ')') &&
         (d[1] == ' ' || d[1] == '\t');
}

/* Returns the text cmark should see: `text` itself, or a defused copy in
 * *copy (then the caller frees it). */
static const char *defuse(pstate *ps, const char *text, size_t *len,
                          dconv_buf *copy) {
  const char *end = text + *len, *run = text, *p = text;
  size_t delims = 0, links = 0;
  uint32_t line = 1, run_line = 1;
  size_t done = 0; /* bytes of text already copied */
  while (p <= end) {
    const char *eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
    if (!eol)
      eol = end;
    int boundary = p == end || line_starts_block(p, eol);
    if (boundary || eol == end) {
      const char *run_end = boundary ? p : end;
      if ((size_t)delims * links > DEFUSE_BUDGET) {
        WARN(ps, run_line,
             "paragraph with %zu emphasis markers and %zu links: markers "
             "kept as plain text to keep parsing fast",
             delims, links);
        if (dconv_buf_append(copy, text + done, (size_t)(run - text) - done))
          ps->rc = DCONV_E_NOMEM;
        for (const char *q = run; q < run_end; q++) {
          if (*q == '\\' && q + 1 < run_end) {
            dconv_buf_putc(copy, *q++); /* keep existing escapes as they are */
          } else if (*q == '*' || *q == '_' || *q == '[' || *q == ']') {
            dconv_buf_putc(copy, '\\');
          }
          if (dconv_buf_putc(copy, *q))
            ps->rc = DCONV_E_NOMEM;
        }
        done = (size_t)(run_end - text);
      }
      run = p;
      run_line = line;
      delims = links = 0;
    }
    if (p == end)
      break;
    for (const char *q = p; q < eol; q++) {
      if (*q == '\\')
        q++; /* an escaped marker is text already */
      else if (*q == '*' || *q == '_')
        delims++;
      else if (*q == ']' && q + 1 < eol && (q[1] == '(' || q[1] == '['))
        links++;
    }
    line++;
    p = eol < end ? eol + 1 : end;
  }
  if (!done)
    return text;
  if (dconv_buf_append(copy, text + done, *len - done))
    ps->rc = DCONV_E_NOMEM;
  *len = copy->len;
  return copy->data;
}

int dconv_parse_digest(dconv_tree *doc, const char *file, const char *text,
                       size_t len, dconv_diag *diag) {
  pstate ps;
  memset(&ps, 0, sizeof ps);
  ps.doc = doc;
  ps.diag = diag;
  ps.file = dconv_arena_strndup(&doc->arena, file, strlen(file));
  if (!ps.file)
    return DCONV_E_NOMEM;

  cmark_gfm_core_extensions_ensure_registered();
  cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
  if (!parser)
    return DCONV_E_NOMEM;
  cmark_syntax_extension *autolink = cmark_find_syntax_extension("autolink");
  if (autolink)
    cmark_parser_attach_syntax_extension(parser, autolink);
  dconv_buf defused = DCONV_BUF_INIT;
  const char *feed = defuse(&ps, text, &len, &defused);
  cmark_parser_feed(parser, feed, len);
  cmark_node *root = cmark_parser_finish(parser);
  cmark_parser_free(parser);
  dconv_buf_free(&defused);
  if (!root)
    return DCONV_E_NOMEM;

  int failed = 0;
  for (cmark_node *b = cmark_node_first_child(root); b && !ps.rc && !failed;
       b = cmark_node_next(b)) {
    cmark_node_type t = cmark_node_get_type(b);
    if (t == CMARK_NODE_HEADING) {
      int level = cmark_node_get_heading_level(b);
      if (level <= 2) {
        int r = digest_heading(&ps, b);
        if (r < 0) {
          failed = 1;
        } else if (r == 0) {
          finish_paper(&ps);
          text_outside_paper(&ps, b);
        }
        continue;
      }
      if (!ps.digest) {
        ERROR(&ps, line_of(b),
              "paper before any '## Daily Papers (YYYY-MM-DD)' header");
        failed = 1;
        continue;
      }
      paper_heading(&ps, b);
      continue;
    }
    if (t == CMARK_NODE_HTML_BLOCK) {
      html_block(&ps, b);
      continue;
    }
    if (t == CMARK_NODE_THEMATIC_BREAK)
      continue;
    if (!ps.paper) {
      text_outside_paper(&ps, b);
      continue;
    }
    if (t == CMARK_NODE_PARAGRAPH)
      paper_paragraph(&ps, b);
    else if (t == CMARK_NODE_LIST)
      paper_list(&ps, b);
    else {
      WARN(&ps, line_of(b), "%s kept as a summary item",
           t == CMARK_NODE_CODE_BLOCK    ? "code block"
           : t == CMARK_NODE_BLOCK_QUOTE ? "block quote"
                                         : "block");
      struct dconv_node *item = add(&ps, ps.paper, DCONV_NODE_ITEM, line_of(b));
      if (item) {
        set_int(&ps, item, DCONV_I_DEPTH, 0);
        set_int(&ps, item, DCONV_I_ORDERED, 0);
        dconv_buf s = DCONV_BUF_INIT;
        if (cm_flatten(b, &s))
          ps.rc = DCONV_E_NOMEM;
        const char *p = s.data ? s.data : "";
        size_t pl = s.len;
        trim(&p, &pl);
        struct dconv_node *c = add(
            &ps, item,
            t == CMARK_NODE_CODE_BLOCK ? DCONV_NODE_CODE : DCONV_NODE_TEXT,
            line_of(b));
        set_str(&ps, c, DCONV_S_TEXT, p, pl);
        dconv_buf_free(&s);
      }
    }
  }
  if (!failed && !ps.rc)
    finish_paper(&ps);
  cmark_node_free(root);
  dconv_buf_free(&ps.pending);
  if (ps.rc)
    return ps.rc;
  if (failed)
    return DCONV_E_PARSE;
  if (!ps.digest) {
    ERROR(&ps, 1, "no '## Daily Papers (YYYY-MM-DD)' header: not a digest");
    return DCONV_E_PARSE;
  }
  return 0;
}
