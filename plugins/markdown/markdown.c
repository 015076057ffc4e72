/*
 * markdown - re-emit the canonical digest grammar, normalised.
 *
 *   ## Daily Papers (YYYY-MM-DD)
 *
 *   ### [Title](https://arxiv.org/abs/ID)
 *
 *   ![](thumbnail-url)            or  [Watch Video](video-url)
 *
 *   Vote: N                        or  Vote: -   (unknown)
 *
 *   Authors: A, B, +, C            ('+' where the digest elided authors)
 *
 *   - summary item, nested items indented under their parent
 *
 * Escaping is minimal but context-aware: only characters that would change
 * the parse are backslash-escaped, so parsing the output gives the same tree
 * and md(md(x)) == md(x) byte for byte.
 */
#include <dconv/plugin.h>

#include <dconv/util.h>

#include "md_emph.h"

static int is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

/* What each byte may need, for the loops over every byte of titles, text
 * and URLs: a byte without the bit the loop looks for is copied with the
 * run it is in, after one table load, instead of going through a switch
 * (text) or a row of tests (URLs). */
#define MD_TEXT 1u   /* put_text looks closer: an escape, or a line break */
#define MD_POINTY 2u /* a URL holding it is written as <URL> (and NUL) */
#define MD_URL 4u    /* put_url looks closer (and NUL: the end) */

#define T_ MD_TEXT
#define P_ MD_POINTY
#define U_ MD_URL
static const unsigned char md_byte[256] = {
    P_ | U_, P_, P_, P_, P_, P_, P_, P_, /* 0x00: NUL ends a URL */
    P_, P_, P_ | T_, P_, P_, P_, P_, P_, /* 0x08: \n */
    P_, P_, P_, P_, P_, P_, P_, P_,      /* 0x10 */
    P_, P_, P_, P_, P_, P_, P_, P_,      /* 0x18 */
    P_, T_, 0, 0, 0, 0, T_ | U_, 0,      /* space ! " # $ % & ' */
    P_ | U_, P_ | U_, T_, 0, 0, 0, T_, 0, /* ( ) * + , - . / */
    0, 0, 0, 0, 0, 0, 0, 0,              /* 0-7 */
    0, 0, T_, 0, T_ | P_ | U_, 0, P_ | U_, 0, /* 8 9 : ; < = > ? */
    0, 0, 0, 0, 0, 0, 0, 0,              /* @A-G */
    0, 0, 0, 0, 0, 0, 0, 0,              /* H-O */
    0, 0, 0, 0, 0, 0, 0, 0,              /* P-W */
    0, 0, 0, T_, T_ | U_, T_, 0, T_,     /* X Y Z [ \ ] ^ _ */
    T_,                                  /* ` (the rest: 0) */
};
#undef T_
#undef P_
#undef U_

/* Text that is not at the start of a line. */
static void put_text(dconv_util_buf *b, const char *s, size_t len) {
  const char *run = s;
  for (size_t i = 0; i < len; i++) {
    /* most bytes are none of the cases below: skip them four at a time */
    const unsigned char *u = (const unsigned char *)s;
    while (i + 4 <= len && !((md_byte[u[i]] | md_byte[u[i + 1]] |
                              md_byte[u[i + 2]] | md_byte[u[i + 3]]) &
                             MD_TEXT))
      i += 4;
    while (i < len && !(md_byte[u[i]] & MD_TEXT))
      i++;
    if (i == len)
      break;
    unsigned char c = (unsigned char)s[i];
    int esc = 0;
    switch (c) {
    case '\\':
    case '`':
    case '*':
    case '[':
    case ']':
    case '<':
      esc = 1;
      break;
    case '&': { /* only where it would start an entity like &amp; or &#38; */
      size_t j = i + 1;
      while (j < len && (is_alnum((unsigned char)s[j]) || s[j] == '#'))
        j++;
      esc = j > i + 1 && j < len && s[j] == ';';
      break;
    }
    case '_': /* intraword underscores never start emphasis */
      esc = !(i > 0 && is_alnum((unsigned char)s[i - 1]) && i + 1 < len &&
              is_alnum((unsigned char)s[i + 1]));
      break;
    case '!': /* "![" would start an image */
      esc = i + 1 < len && s[i + 1] == '[';
      break;
    case ':': /* "http://..." text (the parser left it plain, e.g. after a
                 '[') would come back as an autolink: "http\://" never does */
      esc = i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/';
      break;
    case '.': /* likewise "www." */
      esc = i >= 3 && (s[i - 1] | 0x20) == 'w' && (s[i - 2] | 0x20) == 'w' &&
            (s[i - 3] | 0x20) == 'w';
      break;
    case '\n':
      dconv_util_buf_add(b, run, (size_t)(s + i - run));
      dconv_util_buf_putc(b, ' ');
      run = s + i + 1;
      continue;
    default:
      break;
    }
    if (!esc)
      continue;
    dconv_util_buf_add(b, run, (size_t)(s + i - run));
    dconv_util_buf_putc(b, '\\');
    run = s + i;
  }
  dconv_util_buf_add(b, run, (size_t)(s + len - run));
}

/* Text at the start of a block (after "- " or "Authors: " etc.): also
 * neutralise what would open a heading, quote, list or fence there. */
static void put_text_start(dconv_util_buf *b, const char *s) {
  size_t len = strlen(s);
  size_t d = 0;
  while (d < len && d < 10 && s[d] >= '0' && s[d] <= '9')
    d++;
  if (d > 0 && d < len && (s[d] == '.' || s[d] == ')')) {
    dconv_util_buf_add(b, s, d);
    dconv_util_buf_putc(b, '\\');
    put_text(b, s + d, len - d);
    return;
  }
  if (len && strchr("#>-+=~|", s[0]) != NULL)
    dconv_util_buf_putc(b, '\\');
  put_text(b, s, len);
}

/* An author name. The joiner writes "; " after it when a name holds a
 * comma, so a name ending in "&amp" would become the entity "&amp;": its
 * '&' is escaped, which put_text alone cannot know to do. */
static void put_name(dconv_util_buf *b, const char *name) {
  size_t len = strlen(name);
  const char *amp = strrchr(name, '&');
  size_t tail = amp ? (size_t)(name + len - amp) - 1 : 0;
  for (size_t i = 1; amp && i <= tail; i++)
    if (!is_alnum((unsigned char)amp[i]) && amp[i] != '#')
      tail = 0;
  if (!amp || tail == 0) {
    put_text(b, name, len);
    return;
  }
  put_text(b, name, (size_t)(amp - name));
  dconv_util_buf_putc(b, '\\');
  put_text(b, amp, tail + 1);
}

/* A link destination: <URL> when it holds a space, a parenthesis, an
 * angle bracket or a control (or is empty), else as it is; either way
 * with what would end it or change it escaped. */
static void put_url(dconv_util_buf *b, const char *url) {
  const char *p = url;
  while (!(md_byte[(unsigned char)*p] & MD_POINTY))
    p++;
  int pointy = *url == '\0' || *p != '\0';
  dconv_util_buf_putc(b, '(');
  if (pointy)
    dconv_util_buf_putc(b, '<');
  const char *run = url;
  for (p = url;; p++) {
    while (!(md_byte[(unsigned char)*p] & MD_URL))
      p++; /* copied with the run */
    if (!*p)
      break;
    if (*p == '&') { /* cmark decodes entities in a destination before
                        backslash escapes, so "\\&#0;" would not keep
                        "&#0;": write the '&' of an entity as "&amp;" */
      const char *q = p + 1;
      while (is_alnum((unsigned char)*q) || *q == '#')
        q++;
      if (q > p + 1 && *q == ';') {
        dconv_util_buf_add(b, run, (size_t)(p - run));
        dconv_util_buf_add(b, "&amp;", 5);
        run = p + 1;
        continue;
      }
    }
    if (*p == '\\' || *p == '<' || *p == '>' ||
        (!pointy && (*p == '&' || *p == '(' || *p == ')'))) {
      dconv_util_buf_add(b, run, (size_t)(p - run));
      dconv_util_buf_putc(b, '\\');
      run = p; /* the byte itself starts the next run */
    }
  }
  dconv_util_buf_add(b, run, (size_t)(p - run));
  if (pointy)
    dconv_util_buf_putc(b, '>');
  dconv_util_buf_putc(b, ')');
}

static void put_code(dconv_util_buf *b, const char *s) {
  size_t run = 0, longest = 0, len = strlen(s);
  for (size_t i = 0; i < len; i++) {
    run = s[i] == '`' ? run + 1 : 0;
    if (run > longest)
      longest = run;
  }
  int all_space = 1;
  for (size_t i = 0; i < len; i++)
    all_space &= s[i] == ' ';
  int pad = len && (s[0] == '`' || s[len - 1] == '`' ||
                    (s[0] == ' ' && s[len - 1] == ' ' && !all_space));
  for (size_t i = 0; i <= longest; i++)
    dconv_util_buf_putc(b, '`');
  if (pad)
    dconv_util_buf_putc(b, ' ');
  for (size_t i = 0; i < len; i++)
    dconv_util_buf_putc(b, s[i] == '\n' ? ' ' : s[i]);
  if (pad)
    dconv_util_buf_putc(b, ' ');
  for (size_t i = 0; i <= longest; i++)
    dconv_util_buf_putc(b, '`');
}

/* A link whose only content is its own URL came from an autolink: write
 * it back as <URL> rather than [URL](URL). Returns 1 when it did. */
static int put_autolink(const dconv_host *h, dconv_util_buf *b, const dconv_node *n) {
  const dconv_node *c = h->node_first_child(n);
  if (!c || h->node_next(c) || h->node_kind(c) != DCONV_NODE_TEXT ||
      dconv_util_int(h, n, "image", 0))
    return 0;
  const char *url = dconv_util_str(h, n, "url"), *text = dconv_util_str(h, c, "text");
  const char *target = url;
  if (strncmp(url, "mailto:", 7) == 0)
    target = url + 7; /* <x@y.org> means mailto:x@y.org */
  if (strcmp(target, text) != 0 || !strchr(url, ':'))
    return 0;
  for (const char *p = text; *p; p++)
    if (*p == ' ' || *p == '<' || *p == '>' || *p == '&' ||
        (unsigned char)*p < 0x20)
      return 0;
  if (target != url && !strchr(text, '@'))
    return 0;
  dconv_util_buf_putc(b, '<');
  dconv_util_buf_puts(b, text);
  dconv_util_buf_putc(b, '>');
  return 1;
}

/* A code block inside an item (CODE text with a line break, or empty: an
 * inline code span can hold neither), fenced, its lines at the item's
 * content column `indent`. The parser reads it back into the same CODE
 * node. Starts right after the item marker when it is the item's first
 * content, else on a line of its own. */
static void put_code_block(dconv_util_buf *b, const char *s, size_t indent,
                           int at_start) {
  size_t run = 0, longest = 0;
  for (const char *p = s; *p; p++) {
    run = *p == '`' ? run + 1 : 0;
    if (run > longest)
      longest = run;
  }
  size_t fence = longest < 3 ? 3 : longest + 1;
  if (!at_start) {
    dconv_util_buf_putc(b, '\n');
    for (size_t i = 0; i < indent; i++)
      dconv_util_buf_putc(b, ' ');
  }
  for (size_t i = 0; i < fence; i++)
    dconv_util_buf_putc(b, '`');
  dconv_util_buf_putc(b, '\n');
  for (const char *line = s; *s && line;) {
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    if (n)
      for (size_t i = 0; i < indent; i++)
        dconv_util_buf_putc(b, ' ');
    dconv_util_buf_add(b, line, n);
    dconv_util_buf_putc(b, '\n');
    line = nl ? nl + 1 : NULL;
  }
  for (size_t i = 0; i < indent; i++)
    dconv_util_buf_putc(b, ' ');
  for (size_t i = 0; i < fence; i++)
    dconv_util_buf_putc(b, '`');
}

/* The inline content of one ITEM. The first TEXT is written with
 * put_text_start so it cannot open a block. A code block is written as a
 * block (put_code_block); the single " " the parser puts between an
 * item's blocks is then implied by the block structure and not written. */
static int put_inlines_once(const dconv_host *h, dconv_util_buf *b,
                            const dconv_node *item, size_t indent,
                            md_emph *em) {
  dconv_util_inlines w;
  if (dconv_util_inlines_open(&w, h, item))
    return DCONV_E_NOMEM;
  const dconv_node *n;
  uint32_t k;
  int ev, at_start = 1, after_block = 0;
  while ((ev = dconv_util_inlines_next(&w, &n, &k)) != DCONV_EVENT_DONE) {
    if (ev == DCONV_EVENT_EXIT) {
      if ((k == DCONV_NODE_EMPH || k == DCONV_NODE_STRONG) &&
          !md_emph_is_flat(em, n)) {
        uint32_t len = k == DCONV_NODE_EMPH ? 1 : 2;
        md_emph_record(em, b->len, len, MD_CLOSE, n);
        dconv_util_buf_add(b, "**", len);
      } else if (k == DCONV_NODE_LINK) {
        md_emph_record(em, b->len, 0, MD_LINK_CLOSE, n);
        dconv_util_buf_putc(b, ']');
        put_url(b, dconv_util_str(h, n, "url"));
      }
      continue;
    }
    switch (k) {
    case DCONV_NODE_TEXT: {
      const char *t = dconv_util_str(h, n, "text");
      if (after_block) { /* a new paragraph of the item */
        after_block = 0;
        if (*t == ' ') /* the separator, alone or merged into the text */
          t++;
        if (!*t)
          continue;
        dconv_util_buf_puts(b, "\n\n");
        for (size_t i = 0; i < indent; i++)
          dconv_util_buf_putc(b, ' ');
        at_start = 1;
      }
      if (at_start)
        put_text_start(b, t);
      else
        put_text(b, t, strlen(t));
      break;
    }
    case DCONV_NODE_CODE: {
      const char *t = dconv_util_str(h, n, "text");
      if (*t && !strchr(t, '\n')) {
        put_code(b, t);
        break;
      }
      if (!at_start && b->len && b->data[b->len - 1] == ' ') /* between blocks */
        dconv_util_buf_truncate(b, b->len - 1);
      put_code_block(b, t, indent, at_start);
      after_block = 1;
      break;
    }
    case DCONV_NODE_EMPH:
    case DCONV_NODE_STRONG:
      if (!md_emph_is_flat(em, n)) {
        uint32_t len = k == DCONV_NODE_EMPH ? 1 : 2;
        md_emph_record(em, b->len, len, MD_OPEN, n);
        dconv_util_buf_add(b, "**", len);
      }
      break;
    default: /* DCONV_NODE_LINK */
      if (put_autolink(h, b, n)) {
        dconv_util_inlines_skip(&w, n); /* its text is written */
      } else {
        dconv_util_buf_puts(b, dconv_util_int(h, n, "image", 0) ? "![" : "[");
        md_emph_record(em, b->len, 0, MD_LINK_OPEN, n);
      }
      break;
    }
    at_start = 0;
  }
  dconv_util_inlines_close(&w);
  return 0;
}

/* The inline content of one ITEM, written so that it reads back as the
 * same spans: each try is checked by md_emph_check (CommonMark's pairing
 * over the delimiters written), and a span that would pair differently is
 * written without its delimiters on the next try. A few tries settle any
 * real input; after MD_EMPH_TRIES the item is written without emphasis. */
#define MD_EMPH_TRIES 8

static int put_inlines(const dconv_host *h, dconv_util_buf *b,
                       const dconv_node *item, size_t indent, md_emph *em) {
  size_t base = b->len;
  md_emph_reset(em);
  for (int tries = 0;; tries++) {
    int rc = put_inlines_once(h, b, item, indent, em);
    if (rc)
      return rc;
    if (dconv_util_buf_check(b))
      return DCONV_E_NOMEM;
    rc = md_emph_check(em, b->data, base, b->len);
    if (rc <= 0)
      return rc;
    dconv_util_buf_truncate(b, base);
    if (tries + 1 == MD_EMPH_TRIES)
      em->flat_all = 1;
  }
}

/* Summary items as (nested) lists, through dconv_util_lists_walk with
 * depth jumps kept: indentation follows each parent's marker width; a
 * jump writes empty parent markers ("- - item"); an ordered list that
 * follows another at the same level (the numbering did not continue)
 * switches delimiter ('.' <-> ')') so it stays a separate list. */
enum { MD_LEVELS = DCONV_UTIL_LIST_MAX_DEPTH + 2 };

typedef struct md_lists {
  const dconv_host *h;
  dconv_util_buf *b;
  size_t indent[MD_LEVELS]; /* content column of each level */
  char delim[MD_LEVELS];    /* '.' or ')' of the open ordered list */
  char closed[MD_LEVELS];   /* delimiter of the ordered list just closed at
                               this level under the same parent, or 0 */
  int any;                  /* an item was written for this paper */
  int pending;              /* a "- " of an empty parent ends the line */
  md_emph emph;             /* delimiter check, reused for every item */
} md_lists;

static int md_list_open(void *ctx, int depth, int ordered, int64_t start) {
  md_lists *m = ctx;
  char prev = m->closed[depth];
  m->delim[depth] = prev == '.' ? ')' : '.';
  /* A blank line before the first list, and before an ordered list that
   * starts at N != 1: it cannot interrupt a paragraph (CommonMark), so
   * right after another item's text it would be read as a continuation. */
  if (!m->pending && (!m->any || (ordered && start != 1)))
    dconv_util_buf_putc(m->b, '\n');
  m->any = 1;
  return 0;
}

static int md_list_close(void *ctx, int depth, int ordered) {
  md_lists *m = ctx;
  m->closed[depth] = ordered ? m->delim[depth] : 0;
  return 0;
}

static int md_item_open(void *ctx, int depth, const dconv_node *item) {
  md_lists *m = ctx;
  dconv_util_buf *b = m->b;
  for (int lv = depth + 1; lv < MD_LEVELS; lv++)
    m->closed[lv] = 0; /* a new parent: deeper lists start afresh */
  if (!m->pending)
    for (size_t i = 0; i < m->indent[depth]; i++)
      dconv_util_buf_putc(b, ' ');
  if (!item) { /* an empty parent of a deeper item */
    dconv_util_buf_puts(b, "- ");
    m->indent[depth + 1] = m->indent[depth] + 2;
    m->pending = 1;
    return 0;
  }
  m->pending = 0;
  if (dconv_util_int(m->h, item, "ordered", 0)) {
    size_t at = b->len;
    dconv_util_buf_put_int(b, dconv_util_int(m->h, item, "number", 1), 0);
    size_t w = b->len - at; /* the number's width sets the indentation */
    dconv_util_buf_putc(b, m->delim[depth]);
    dconv_util_buf_putc(b, ' ');
    m->indent[depth + 1] = m->indent[depth] + w + 2;
  } else {
    dconv_util_buf_puts(b, "- ");
    m->indent[depth + 1] = m->indent[depth] + 2;
  }
  int rc = put_inlines(m->h, b, item, m->indent[depth + 1], &m->emph);
  dconv_util_buf_putc(b, '\n');
  return rc;
}

static int md_item_close(void *ctx, int depth) {
  (void)ctx, (void)depth;
  return 0;
}

static int put_items(const dconv_host *h, dconv_util_buf *b,
                     const dconv_node *paper) {
  static const dconv_util_list_ops ops = {md_list_open, md_item_open,
                                          md_item_close, md_list_close};
  md_lists m;
  memset(&m, 0, sizeof m);
  m.h = h;
  m.b = b;
  md_emph_init(&m.emph, h);
  int rc = dconv_util_lists_walk(h, paper, DCONV_UTIL_LISTS_KEEP_JUMPS, &ops,
                                 &m);
  md_emph_free(&m.emph);
  return rc;
}

static int put_paper(const dconv_host *h, dconv_util_buf *b,
                     const dconv_node *p) {
  const char *title = dconv_util_str(h, p, "title");
  const char *url = h->node_str(p, "url");
  dconv_util_buf_puts(b, "### ");
  if (url) {
    dconv_util_buf_putc(b, '[');
    put_text(b, title, strlen(title));
    dconv_util_buf_putc(b, ']');
    put_url(b, url);
  } else {
    put_text_start(b, title);
  }
  dconv_util_buf_putc(b, '\n');

  const char *media = h->node_str(p, "media_url");
  if (media) {
    int video = strcmp(dconv_util_str(h, p, "media_kind"), "video") == 0;
    dconv_util_buf_puts(b, video ? "\n[Watch Video]" : "\n![]");
    put_url(b, media);
    dconv_util_buf_putc(b, '\n');
  }

  int64_t votes;
  if (h->node_int(p, "votes", &votes) == 0) {
    dconv_util_buf_puts(b, "\nVote: ");
    dconv_util_buf_put_int(b, votes, 0);
    dconv_util_buf_putc(b, '\n');
  } else
    dconv_util_buf_puts(b, "\nVote: -\n");

  /* Authors: names escaped, '+' where the digest elided some. */
  size_t start = b->len;
  dconv_util_buf_puts(b, "\nAuthors: ");
  if (dconv_util_join_authors(h, b, p, "+", 0, put_name) == 0)
    dconv_util_buf_truncate(b, start); /* no authors line at all */
  else
    dconv_util_buf_putc(b, '\n');
  return put_items(h, b, p);
}

/* One digest: its heading, then its papers. */
static int put_digest(const dconv_host *h, dconv_export *ex, dconv_util_buf *b,
                      const dconv_node *d, int first) {
  const char *title = dconv_util_str(h, d, "title");
  dconv_util_buf_puts(b, first ? "## " : "\n## ");
  put_text_start(b, title);
  dconv_util_buf_puts(b, " (");
  dconv_util_buf_puts(b, dconv_util_str(h, d, "date"));
  dconv_util_buf_puts(b, ")\n");
  int rc = 0;
  DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
    dconv_util_buf_putc(b, '\n');
    if ((rc = put_paper(h, b, p)) != 0 ||
        (rc = dconv_util_buf_drain(b, ex, 1 << 16)) != 0)
      break;
  }
  return rc;
}

/* -O split=day: one file per digest, DATE.md (ABI 1.1 multi-part output:
 * `-o DIR/` for a directory of digests, the form they came in). */
static int md_convert(const dconv_host *h, dconv_export *ex) {
  const char *split = h->option(ex, "split");
  int per_day = split && strcmp(split, "day") == 0;
  dconv_util_buf b;
  dconv_util_buf_init(&b, h);
  int rc = 0, first = 1;
  DCONV_UTIL_FOR_EACH(h, d, h->root(ex), DCONV_NODE_DIGEST) {
    if (per_day) {
      char name[32];
      snprintf(name, sizeof name, "%s.md", dconv_util_str(h, d, "date"));
      if ((rc = h->part_open(ex, name)) != 0)
        break;
    }
    rc = put_digest(h, ex, &b, d, first || per_day);
    first = 0;
    if (!rc && per_day && (rc = dconv_util_buf_drain(&b, ex, 0)) == 0)
      rc = h->part_close(ex);
    if (rc)
      break;
  }
  if (!rc)
    rc = dconv_util_buf_drain(&b, ex, 0);
  dconv_util_buf_free(&b);
  return rc;
}

static const dconv_option md_options[] = {
    {sizeof(dconv_option), DCONV_OPT_ENUM, "split", "none", "none|day",
     "day: one file per digest, DATE.md (with -o DIR/ a directory of "
     "digests)"},
};

static const dconv_plugin markdown_plugin = {
    DCONV_PLUGIN_HEADER,
    0,
    "markdown",
    "1.0.0",
    "normalised digest Markdown (idempotent, parses back to the same tree)",
    "md",
    md_options,
    sizeof md_options / sizeof md_options[0],
    0,
    NULL,
    md_convert,
};

DCONV_PLUGIN_DEFINE(markdown_plugin)
