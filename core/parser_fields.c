/* parser_fields.c - votes, authors and media lines of a paper (see
 * parser_fields.h). */
#include "parser_fields.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "parser_inline.h"
#include "parser_text.h"
#include "parser_url.h"

/* Whether an item holds nothing to show: no code, no link, and only
 * whitespace in its text (e.g. a "[]()" whose URL was dropped). Walks the
 * inline tree without recursion (first/next/parent). */
static int item_is_empty(const struct dconv_node *item) {
  const struct dconv_node *n = item->first;
  while (n) {
    if (n->kind == DCONV_NODE_CODE || n->kind == DCONV_NODE_LINK)
      return 0;
    if (n->kind == DCONV_NODE_TEXT && n->text &&
        n->text[strspn(n->text, " \t")] != '\0')
      return 0;
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n != item && !n->next)
      n = n->parent;
    n = n == item ? NULL : n->next;
  }
  return 1;
}

/* Spaces at the start or the end of an item cannot be written back (the
 * Markdown parser strips them), so the tree never holds them: the first
 * and the last TEXT of the item lose them. */
static void trim_item_ends(dconv_pstate *ps, struct dconv_node *item) {
  struct dconv_node *n = item;
  while (n->first)
    n = n->first;
  if (n != item && n->kind == DCONV_NODE_TEXT && n->text) {
    size_t k = strspn(n->text, " \t");
    if (k && dconv_tree_set_str(ps->doc, n, DCONV_S_TEXT, n->text + k,
                                strlen(n->text + k)))
      ps->rc = DCONV_E_NOMEM;
  }
  for (n = item; n->last;)
    n = n->last;
  if (n != item && n->kind == DCONV_NODE_TEXT && n->text) {
    size_t len = strlen(n->text), l = len;
    while (l && (n->text[l - 1] == ' ' || n->text[l - 1] == '\t'))
      l--;
    if (l < len && dconv_tree_set_str(ps->doc, n, DCONV_S_TEXT, n->text, l))
      ps->rc = DCONV_E_NOMEM;
  }
}

/* The paper's items, each trimmed, empty ones dropped (relinked in one
 * pass: a paper may hold very many). */
static void tidy_items(dconv_pstate *ps, struct dconv_node *paper) {
  struct dconv_node *prev = NULL;
  for (struct dconv_node *c = paper->first, *next; c; c = next) {
    next = c->next;
    if (c->kind == DCONV_NODE_ITEM) {
      trim_item_ends(ps, c);
      if (item_is_empty(c)) {
        if (prev)
          prev->next = next;
        else
          paper->first = next;
        if (paper->last == c)
          paper->last = prev;
        c->next = NULL;
        c->parent = NULL;
        paper->n_children--;
        continue;
      }
    }
    prev = c;
  }
}

void dconv_fields_finish(dconv_pstate *ps) {
  if (!ps->paper)
    return;
  tidy_items(ps, ps->paper);
  if (!ps->has_vote)
    PARSE_WARN(ps, ps->paper->line, "paper has no 'Vote:' line; votes unknown");
  if (!ps->has_authors)
    PARSE_WARN(ps, ps->paper->line, "paper has no 'Authors:' line");
  ps->paper = NULL;
}

static void set_votes(dconv_pstate *ps, const char *s, size_t len,
                      uint32_t line) {
  dconv_ptext_trim(&s, &len);
  if (ps->has_vote)
    PARSE_WARN(ps, line, "second vote line; the last one counts");
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
      PARSE_WARN(ps, line, "vote count too large; votes unknown");
      return;
    }
    v = v * 10 + (s[i] - '0');
    digits++;
  }
  if (!digits) {
    PARSE_WARN(ps, line, "vote count '%.*s' is not a number; votes unknown",
               (int)(len > 40 ? 40 : len), s);
    return;
  }
  if (i < len)
    PARSE_WARN(ps, line, "text after the vote count ignored: '%.*s'",
               (int)(len - i > 40 ? 40 : len - i), s + i);
  dconv_pstate_set_int(ps, ps->paper, DCONV_I_VOTES, v);
}

static void add_author(dconv_pstate *ps, const char *s, size_t len,
                       uint32_t line) {
  dconv_ptext_trim(&s, &len);
  if (len == 0)
    return;
  struct dconv_node *p = ps->paper;
  if ((len == 1 && (*s == '+' || *s == '*')) ||
      (len == 3 && memcmp(s, "...", 3) == 0) ||
      (len == 3 && memcmp(s, "\xE2\x80\xA6", 3) == 0) ||
      (len >= 5 && dconv_ptext_has_prefix_ci(s, len, "et al"))) {
    if (!dconv_tree_has_int(p, DCONV_I_ELIDED)) {
      int64_t at = 0;
      for (struct dconv_node *c = p->first; c; c = c->next)
        at += c->kind == DCONV_NODE_AUTHOR;
      dconv_pstate_set_int(ps, p, DCONV_I_ELIDED, 1);
      dconv_pstate_set_int(ps, p, DCONV_I_ELIDED_AT, at);
    }
    return;
  }
  struct dconv_node *a = dconv_pstate_add(ps, p, DCONV_NODE_AUTHOR, line);
  dconv_pstate_set_str(ps, a, DCONV_S_TEXT, s, len);
}

/* Split one name piece further on " and " / " & " ("A, B and C"). A
 * conjunction that starts the piece ("C and & E", ", & E") is a separator
 * too, so a name never begins with one: the writers join names with ", ",
 * and "A, & E" must read back as the same two names. */
static void add_author_piece(dconv_pstate *ps, const char *s, size_t len,
                             uint32_t line) {
  while (len) {
    while (len && *s == ' ')
      s++, len--;
    if (len >= 2 && memcmp(s, "& ", 2) == 0) {
      s += 2, len -= 2;
      continue;
    }
    if (len >= 4 && memcmp(s, "and ", 4) == 0) {
      s += 4, len -= 4;
      continue;
    }
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

static void set_authors(dconv_pstate *ps, const char *s, size_t len,
                        uint32_t line) {
  if (ps->has_authors) {
    PARSE_WARN(ps, line, "second authors line; its names are appended");
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

static int has_ext(const char *url, const char *const *exts) {
  size_t n = strlen(url);
  const char *q = strpbrk(url, "?#");
  if (q)
    n = (size_t)(q - url);
  for (int i = 0; exts[i]; i++) {
    size_t e = strlen(exts[i]);
    if (n >= e && dconv_ptext_has_prefix_ci(url + n - e, e, exts[i]))
      return 1;
  }
  return 0;
}

static int is_video_url(const char *url) {
  static const char *const exts[] = {".mp4", ".webm", ".mov",
                                     ".m4v", ".ogv",  NULL};
  return has_ext(url, exts);
}

static int is_image_url(const char *url) {
  static const char *const exts[] = {".png", ".jpg", ".jpeg", ".gif",
                                     ".webp", ".svg", ".avif", NULL};
  return has_ext(url, exts);
}

/* A TEXT node of spaces only (what separates nodes on a line). */
static int is_blank_text(const struct dconv_node *n) {
  if (n->kind != DCONV_NODE_TEXT)
    return 0;
  const char *t = n->text;
  size_t tl = strlen(t);
  dconv_ptext_trim(&t, &tl);
  return tl == 0;
}

/* "[Watch Video]https://…mp4": a bracketed label, then a bare URL (the
 * digest lost the parentheses). Media when the label says "watch video"
 * or the URL names a video or image file; returns the link, else NULL. */
static struct dconv_node *bare_media_link(struct dconv_node *first,
                                          struct dconv_node *stop) {
  struct dconv_node *label = NULL, *link = NULL;
  for (struct dconv_node *n = first; n != stop; n = n->next) {
    if (is_blank_text(n))
      continue;
    if (n->kind == DCONV_NODE_TEXT) {
      const char *t = n->text;
      size_t tl = strlen(t);
      dconv_ptext_trim(&t, &tl);
      if (label || link || tl < 2 || t[0] != '[' || t[tl - 1] != ']' ||
          memchr(t + 1, ']', tl - 2))
        return NULL;
      label = n;
    } else if (n->kind == DCONV_NODE_LINK && label && !link &&
               !dconv_tree_has_int(n, DCONV_I_IMAGE)) {
      link = n;
    } else {
      return NULL;
    }
  }
  if (!link)
    return NULL;
  const char *url = dconv_tree_str(link, DCONV_S_URL);
  const char *t = label->text;
  while (*t == ' ' || *t == '\t')
    t++;
  if (is_video_url(url) || is_image_url(url) ||
      dconv_ptext_has_prefix_ci(t + 1, strlen(t + 1), "watch video"))
    return link;
  return NULL;
}

void dconv_fields_set_media(dconv_pstate *ps, const char *kind, const char *url,
                            size_t len, uint32_t line) {
  struct dconv_node *p = ps->paper;
  /* Links and images were normalised on the AST already; a <video src>
   * comes from raw HTML and is normalised here. */
  dconv_buf norm = DCONV_BUF_INIT;
  int ok = dconv_purl_normalize(url, len, &norm);
  if (ok < 0) {
    ps->rc = ok;
    return;
  }
  if (ok == 0) {
    PARSE_WARN(ps, line, "media URL '%.*s' is not a valid absolute URL; "
               "ignored", (int)(len > 80 ? 80 : len), url);
    return;
  }
  const char *old = dconv_tree_str(p, DCONV_S_MEDIA_URL);
  if (!old) {
    dconv_pstate_set_str(ps, p, DCONV_S_MEDIA_URL, norm.data, norm.len);
    dconv_pstate_set_str(ps, p, DCONV_S_MEDIA_KIND, kind, strlen(kind));
  } else if (strcmp(old, norm.data) != 0) {
    /* The first media line wins (the same video is often written twice,
     * as a link and as a <video> block). */
    PARSE_WARN(ps, line, "second media line ignored: %.*s",
               (int)(norm.len > 80 ? 80 : norm.len), norm.data);
  }
  dconv_buf_free(&norm);
}

static const char *const vote_labels[] = {
    "Votes", "Vote", "Upvotes", "Upvote", "\xEC\xB6\x94\xEC\xB2\x9C", NULL};
static const char *const author_labels[] = {"Authors", "Author",
                                            "\xEC\xA0\x80\xEC\x9E\x90", NULL};

/* The src="..." of a raw <video> or <source> tag in html, or NULL. */
const char *dconv_fields_video_src(const char *html, size_t *len) {
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

/* A summary item at depth 0 made from nodes [first, stop) of a paragraph.
 * The run is already off the scratch node's child list (see
 * dconv_fields_paragraph), so its nodes are re-parented as they are: an
 * unlink would search that list from its start for every node, quadratic in
 * the paragraph's length. */
static void keep_as_item(dconv_pstate *ps, struct dconv_node *first,
                         struct dconv_node *stop, uint32_t line) {
  struct dconv_node *item =
      dconv_pstate_add(ps, ps->paper, DCONV_NODE_ITEM, line);
  if (!item)
    return;
  dconv_pstate_set_int(ps, item, DCONV_I_DEPTH, 0);
  dconv_pstate_set_int(ps, item, DCONV_I_ORDERED, 0);
  for (struct dconv_node *n = first, *next; n != stop; n = next) {
    next = n->next;
    dconv_tree_append(item, n);
  }
}

/* One line of a paper paragraph: a media line, "Vote: N", "Authors: ..." or
 * unrecognised text (kept as a summary item with a warning). */
static void paper_line(dconv_pstate *ps, struct dconv_node *first,
                       struct dconv_node *stop, uint32_t line) {
  dconv_buf text = DCONV_BUF_INIT;
  dconv_inline_flatten_range(ps, first, stop, &text);
  const char *s = text.data ? text.data : "";
  size_t len = text.len;
  dconv_ptext_trim(&s, &len);

  /* A line holding exactly one image or link (plus spaces): media? */
  struct dconv_node *only = NULL;
  int count = 0;
  for (struct dconv_node *n = first; n != stop; n = n->next) {
    if (is_blank_text(n))
      continue;
    only = n;
    count++;
  }
  size_t off, vlen;
  struct dconv_node *bare = count == 2 ? bare_media_link(first, stop) : NULL;
  const char *vsrc = dconv_fields_video_src(s, &vlen);
  if (vsrc && s[0] == '<') {
    /* <video src=...> inline in a paragraph (not an HTML block) */
    dconv_fields_set_media(ps, "video", vsrc, vlen, line);
  } else if (count == 1 && only->kind == DCONV_NODE_LINK &&
             (dconv_tree_has_int(only, DCONV_I_IMAGE) ||
              is_video_url(dconv_tree_str(only, DCONV_S_URL)) ||
              dconv_ptext_has_prefix_ci(s, len, "watch video"))) {
    const char *url = dconv_tree_str(only, DCONV_S_URL);
    int video = is_video_url(url) || !dconv_tree_has_int(only, DCONV_I_IMAGE);
    dconv_fields_set_media(ps, video ? "video" : "image", url, strlen(url),
                           line);
  } else if (bare) {
    const char *url = dconv_tree_str(bare, DCONV_S_URL);
    dconv_fields_set_media(ps, is_image_url(url) ? "image" : "video", url,
                           strlen(url), line);
  } else if (len == 0) {
    /* nothing but spaces or comments */
  } else if ((off = dconv_ptext_match_label(s, len, vote_labels)) != 0) {
    set_votes(ps, s + off, len - off, line);
  } else if ((off = dconv_ptext_match_label(s, len, author_labels)) != 0) {
    set_authors(ps, s + off, len - off, line);
  } else {
    PARSE_WARN(ps, line, "unrecognised line kept as a summary item: '%.*s'",
               (int)(len > 60 ? 60 : len), s);
    keep_as_item(ps, first, stop, line);
  }
  dconv_buf_free(&text);
}

void dconv_fields_paragraph(dconv_pstate *ps, cmark_node *para) {
  /* Convert into a detached scratch node, then split at line breaks. */
  struct dconv_node *tmp = dconv_tree_add(ps->doc, NULL, DCONV_NODE_ITEM,
                                          ps->file, dconv_pstate_line(para));
  if (!tmp) {
    ps->rc = DCONV_E_NOMEM;
    return;
  }
  dconv_inline_convert(ps, para, tmp, 1);
  uint32_t line = dconv_pstate_line(para);
  struct dconv_node *start = tmp->first;
  while (start && !ps->rc) {
    struct dconv_node *end = start;
    while (end && end->kind != DCONV_PARSE_BREAK)
      end = end->next;
    struct dconv_node *after = end ? end->next : NULL;
    /* Take the line off the scratch node before anything moves its nodes:
     * the scratch node is discarded afterwards, its list is only read. */
    tmp->first = after;
    if (!after)
      tmp->last = NULL;
    paper_line(ps, start, end, line);
    line++;
    start = after;
  }
}
