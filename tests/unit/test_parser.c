/*
 * Unit tests for the digest parser and the canonical tree (core/).
 *
 * Each case parses a small digest held in a string and checks the tree
 * through the same accessors plugins use, plus the exact diagnostics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "buf.h"
#include "tree.h"
#include "input.h"
#include "parser.h"
#include "parser_ids.h"

static int failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                              \
    }                                                                          \
  } while (0)

#define CHECK_STR(a, b)                                                        \
  do {                                                                         \
    const char *a_ = (a), *b_ = (b);                                           \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                   \
      fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__,        \
              __LINE__, b_ ? b_ : "(null)", a_ ? a_ : "(null)");               \
      failures++;                                                              \
    }                                                                          \
  } while (0)

/* A parse result: the document plus everything diagnostics printed. */
typedef struct {
  dconv_tree *doc;
  int rc;
  char *messages;
  size_t messages_len;
  unsigned long warnings, errors;
} parsed;

static parsed parse(const char *text) {
  parsed p;
  memset(&p, 0, sizeof p);
  dconv_diag diag;
  dconv_diag_init(&diag);
  diag.out = open_memstream(&p.messages, &p.messages_len);
  dconv_buf b = DCONV_BUF_INIT;
  dconv_buf_append(&b, text, strlen(text));
  p.doc = dconv_tree_new();
  p.rc = dconv_input_sanitize("t.md", &b, &diag);
  if (!p.rc)
    p.rc = dconv_parse_digest(p.doc, "t.md", b.data, b.len, &diag);
  if (!p.rc)
    p.rc = dconv_tree_finish(p.doc, &diag);
  fclose(diag.out);
  p.warnings = diag.warnings;
  p.errors = diag.errors;
  dconv_buf_free(&b);
  return p;
}

static void release(parsed *p) {
  dconv_tree_free(p->doc);
  free(p->messages);
}

static const dconv_node *nth(const dconv_node *parent, uint32_t kind, int n) {
  for (const dconv_node *c = dconv_node_first_child(parent); c;
       c = dconv_node_next(c))
    if (dconv_node_kind(c) == kind && n-- == 0)
      return c;
  return NULL;
}

static int count(const dconv_node *parent, uint32_t kind) {
  int n = 0;
  for (const dconv_node *c = dconv_node_first_child(parent); c;
       c = dconv_node_next(c))
    n += dconv_node_kind(c) == kind;
  return n;
}

static int64_t int_of(const dconv_node *n, const char *key, int64_t def) {
  int64_t v;
  return dconv_node_int(n, key, &v) == 0 ? v : def;
}

static char *flat(const dconv_node *n) { return dconv_node_flatten(n, NULL); }

static void test_dates(void) {
  char out[11];
  size_t used;
  CHECK(dconv_parse_date("2024-03-27", out, &used) == 1);
  CHECK_STR(out, "2024-03-27");
  CHECK(used == 10);
  CHECK(dconv_parse_date("2024-2-29)", out, &used) == 1); /* leap year */
  CHECK_STR(out, "2024-02-29");
  CHECK(dconv_parse_date("2023-02-29", out, &used) == 0);
  CHECK(dconv_parse_date("1900-02-29", out, &used) == 0);
  CHECK(dconv_parse_date("2000-02-29", out, &used) == 1);
  CHECK(dconv_parse_date("2024-13-45", out, &used) == 0);
  CHECK(dconv_parse_date("2024-04-31", out, &used) == 0);
  CHECK(dconv_parse_date("2024-00-10", out, &used) == 0);
  CHECK(dconv_parse_date("24-03-27", out, &used) == -1);
  CHECK(dconv_parse_date("2024-03-270", out, &used) == -1);
}

static void test_arxiv(void) {
  char id[64], ver[16];
  CHECK(dconv_parse_arxiv_url("https://arxiv.org/abs/2403.17887", id, ver));
  CHECK_STR(id, "2403.17887");
  CHECK_STR(ver, "");
  CHECK(dconv_parse_arxiv_url("https://arxiv.org/pdf/2403.17887v2.pdf", id,
                              ver));
  CHECK_STR(id, "2403.17887");
  CHECK_STR(ver, "2");
  CHECK(dconv_parse_arxiv_url("http://arxiv.org/abs/hep-th/9901001v1", id,
                              ver));
  CHECK_STR(id, "hep-th/9901001");
  CHECK_STR(ver, "1");
  CHECK(dconv_parse_arxiv_url("https://arxiv.org/abs/math.AG/0601001", id,
                              ver));
  CHECK_STR(id, "math.AG/0601001");
  CHECK(dconv_parse_arxiv_url("https://huggingface.co/papers/2312.06655", id,
                              ver));
  CHECK_STR(id, "2312.06655");
  CHECK(dconv_parse_arxiv_url("https://arxiv.org/abs/0704.0001", id, ver));
  CHECK(!dconv_parse_arxiv_url("https://example.com/abs/2403.17887", id, ver));
  CHECK(!dconv_parse_arxiv_url("https://arxiv.org/abs/240.1788", id, ver));
  CHECK(!dconv_parse_arxiv_url("https://arxiv.org/abs/2403.178871", id, ver));
}

static void test_basic_paper(void) {
  parsed p = parse("## Daily Papers (2024-03-27)\n\n"
                   "### [A *Title*](https://arxiv.org/abs/2403.17887v3)\n\n"
                   "![](https://x/t.png)\n\nVote: 1,234\n\n"
                   "Authors: Ann Lee, Bo Li, +, Cy Dee\n\n"
                   "- first `code` **b** [link](https://l)\n"
                   "  1. nested one\n  2. nested two\n- second\n");
  CHECK(p.rc == 0);
  CHECK(p.warnings == 0);
  const dconv_node *root = p.doc->root;
  CHECK(int_of(root, "digests", -1) == 1);
  CHECK(int_of(root, "papers", -1) == 1);
  const dconv_node *d = nth(root, DCONV_NODE_DIGEST, 0);
  CHECK_STR(dconv_node_str(d, "date"), "2024-03-27");
  CHECK_STR(dconv_node_str(d, "title"), "Daily Papers");
  const dconv_node *paper = nth(d, DCONV_NODE_PAPER, 0);
  CHECK_STR(dconv_node_str(paper, "title"), "A Title");
  CHECK_STR(dconv_node_str(paper, "arxiv_id"), "2403.17887");
  CHECK_STR(dconv_node_str(paper, "arxiv_version"), "3");
  CHECK_STR(dconv_node_str(paper, "media_kind"), "image");
  CHECK_STR(dconv_node_str(paper, "media_url"), "https://x/t.png");
  CHECK(int_of(paper, "votes", -1) == 1234);
  CHECK(count(paper, DCONV_NODE_AUTHOR) == 3);
  CHECK_STR(dconv_node_str(nth(paper, DCONV_NODE_AUTHOR, 2), "name"),
            "Cy Dee");
  CHECK(int_of(paper, "authors_elided", 0) == 1);
  CHECK(int_of(paper, "authors_elided_at", -1) == 2);
  CHECK(count(paper, DCONV_NODE_ITEM) == 4);
  const dconv_node *it0 = nth(paper, DCONV_NODE_ITEM, 0);
  char *s = flat(it0);
  CHECK_STR(s, "first code b link");
  free(s);
  CHECK(int_of(it0, "depth", -1) == 0);
  const dconv_node *it2 = nth(paper, DCONV_NODE_ITEM, 2);
  CHECK(int_of(it2, "depth", -1) == 1);
  CHECK(int_of(it2, "ordered", -1) == 1);
  CHECK(int_of(it2, "number", -1) == 2);
  /* Inline structure: TEXT, CODE, TEXT, STRONG, TEXT, LINK */
  const dconv_node *c = dconv_node_first_child(it0);
  CHECK(dconv_node_kind(c) == DCONV_NODE_TEXT);
  c = dconv_node_next(c);
  CHECK(dconv_node_kind(c) == DCONV_NODE_CODE);
  CHECK_STR(dconv_node_str(c, "text"), "code");
  CHECK(nth(it0, DCONV_NODE_STRONG, 0) != NULL);
  const dconv_node *link = nth(it0, DCONV_NODE_LINK, 0);
  CHECK_STR(dconv_node_str(link, "url"), "https://l");
  const char *file;
  uint32_t line;
  dconv_node_source(paper, &file, &line);
  CHECK_STR(file, "t.md");
  CHECK(line == 3);
  dconv_node_source(it2, &file, &line);
  CHECK(line == 13);
  release(&p);
}

static void test_drift(void) {
  /* Bold labels, ';' authors with "and", a video link plus <video>, an HTML
   * comment, "Vote: -", a stray line, a second date header. */
  parsed p = parse("\xEF\xBB\xBF## Daily Papers (2024-05-02)\r\n\r\n"
                   "### [T1](https://arxiv.org/abs/2405.00001)\r\n\r\n"
                   "[Watch Video](https://v/a.mp4)\r\n\r\n"
                   "<div><video controls src=\"https://v/a.mp4\"></video></div>\r\n\r\n"
                   "<!-- a comment -->\r\n\r\n"
                   "**Vote:** -\r\n\r\n"
                   "**Authors:** Kim, Minji; Lee and Park\r\n\r\n"
                   "A stray line\r\n\r\n"
                   "- **Purpose**: find things   \r\n"
                   "## Daily Papers (2024-05-01)\n\n"
                   "### [T0](https://arxiv.org/abs/2405.00002)\n\n"
                   "Votes: 7\nAuthors: Solo\n\n1. one\n2. two");
  CHECK(p.rc == 0);
  const dconv_node *root = p.doc->root;
  CHECK(int_of(root, "digests", -1) == 2);
  /* sorted by date: 05-01 first */
  const dconv_node *d0 = nth(root, DCONV_NODE_DIGEST, 0);
  CHECK_STR(dconv_node_str(d0, "date"), "2024-05-01");
  const dconv_node *t0 = nth(d0, DCONV_NODE_PAPER, 0);
  CHECK(int_of(t0, "votes", -1) == 7);
  CHECK(count(t0, DCONV_NODE_AUTHOR) == 1);
  CHECK(int_of(nth(t0, DCONV_NODE_ITEM, 1), "number", -1) == 2);
  const dconv_node *t1 = nth(nth(root, DCONV_NODE_DIGEST, 1), DCONV_NODE_PAPER, 0);
  CHECK_STR(dconv_node_str(t1, "media_kind"), "video");
  CHECK_STR(dconv_node_str(t1, "media_url"), "https://v/a.mp4");
  CHECK(int_of(t1, "votes", -1) == -1); /* unknown */
  CHECK(count(t1, DCONV_NODE_AUTHOR) == 3);
  CHECK_STR(dconv_node_str(nth(t1, DCONV_NODE_AUTHOR, 0), "name"),
            "Kim, Minji");
  CHECK_STR(dconv_node_str(nth(t1, DCONV_NODE_AUTHOR, 2), "name"), "Park");
  CHECK(count(t1, DCONV_NODE_ITEM) == 2); /* the stray line and the bullet */
  char *s = flat(nth(t1, DCONV_NODE_ITEM, 1));
  CHECK_STR(s, "Purpose: find things");
  free(s);
  CHECK(p.warnings == 1);
  CHECK(p.messages && strstr(p.messages,
                             "t.md:15: warning: unrecognised line kept as a "
                             "summary item: 'A stray line'"));
  release(&p);
}

static void test_invalid_utf8(void) {
  parsed p = parse("## Daily Papers (2024-05-02)\n\n"
                   "### [Bad \xC3\x28 byte](https://arxiv.org/abs/2405.00001)\n\n"
                   "Vote: 1\n\nAuthors: A\n");
  CHECK(p.rc == 0);
  CHECK(p.messages &&
        strstr(p.messages, "t.md:3: warning: invalid UTF-8 replaced with U+FFFD"));
  const dconv_node *paper =
      nth(nth(p.doc->root, DCONV_NODE_DIGEST, 0), DCONV_NODE_PAPER, 0);
  CHECK_STR(dconv_node_str(paper, "title"), "Bad \xEF\xBF\xBD( byte");
  release(&p);
}

static void test_rejections(void) {
  static const struct {
    const char *text, *message;
  } cases[] = {
      {"", "t.md:1: error: empty input, not a digest"},
      {"  \n\n", "t.md:1: error: empty input, not a digest"},
      {"## Daily Papers (2024-13-45)\n",
       "t.md:1: error: impossible date '2024-13-45' in digest header"},
      {"## Daily Papers (2023-02-29)\n",
       "t.md:1: error: impossible date '2023-02-29' in digest header"},
      {"# Notes\n\nhello\n",
       "t.md:1: error: no '## Daily Papers (YYYY-MM-DD)' header: not a digest"},
      {"### [T](https://arxiv.org/abs/2401.00001)\n\n## Daily Papers "
       "(2024-01-01)\n",
       "t.md:1: error: paper before any '## Daily Papers (YYYY-MM-DD)' header"},
      {"## Daily Papers (2024-01-01)\n\x00\x01",
       "t.md:2: error: binary data (NUL byte at offset 29), not a digest"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    parsed p;
    if (i == sizeof cases / sizeof cases[0] - 1) {
      /* embedded NUL: build the buffer by hand */
      memset(&p, 0, sizeof p);
      dconv_diag diag;
      dconv_diag_init(&diag);
      diag.out = open_memstream(&p.messages, &p.messages_len);
      dconv_buf b = DCONV_BUF_INIT;
      dconv_buf_append(&b, cases[i].text, 31);
      p.rc = dconv_input_sanitize("t.md", &b, &diag);
      fclose(diag.out);
      dconv_buf_free(&b);
    } else {
      p = parse(cases[i].text);
    }
    CHECK(p.rc == DCONV_E_PARSE);
    if (!p.messages || !strstr(p.messages, cases[i].message)) {
      fprintf(stderr, "case %zu: expected message \"%s\", got \"%s\"\n", i,
              cases[i].message, p.messages ? p.messages : "");
      failures++;
    }
    release(&p);
  }
}

static void test_duplicates_and_missing(void) {
  parsed p = parse("## Daily Papers (2024-01-01)\n\n"
                   "### [A](https://arxiv.org/abs/2401.00001)\n\n"
                   "### [B](https://arxiv.org/abs/2401.00001v2)\n\n"
                   "Vote: 2\n\nAuthors: X\n\n"
                   "### No link here\n\nVote: 3\n\nAuthors: Y\n");
  CHECK(p.rc == 0);
  CHECK(int_of(p.doc->root, "papers", -1) == 3);
  CHECK(p.messages &&
        strstr(p.messages, "t.md:3: warning: paper has no 'Vote:' line; "
                           "votes unknown"));
  CHECK(p.messages &&
        strstr(p.messages, "t.md:3: warning: paper has no 'Authors:' line"));
  CHECK(p.messages &&
        strstr(p.messages, "t.md:5: warning: arXiv id 2401.00001 appears "
                           "again (first at t.md:3); both papers are kept"));
  CHECK(p.messages &&
        strstr(p.messages, "t.md:11: warning: paper title has no link; no URL "
                           "or arXiv id"));
  release(&p);
}

static void test_deep_nesting(void) {
  /* 5,000 nested list levels on one line: clamped, no recursion. */
  dconv_buf b = DCONV_BUF_INIT;
  dconv_buf_puts(&b, "## Daily Papers (2024-01-01)\n\n### [T](https://arxiv.org/abs/2401.00001)\n\nVote: 1\n\nAuthors: A\n\n");
  for (int i = 0; i < 5000; i++)
    dconv_buf_puts(&b, "- ");
  dconv_buf_puts(&b, "deep\n");
  parsed p = parse(b.data);
  CHECK(p.rc == 0);
  const dconv_node *paper =
      nth(nth(p.doc->root, DCONV_NODE_DIGEST, 0), DCONV_NODE_PAPER, 0);
  CHECK(count(paper, DCONV_NODE_ITEM) == 1);
  CHECK(int_of(nth(paper, DCONV_NODE_ITEM, 0), "depth", -1) ==
        DCONV_PARSE_MAX_DEPTH);
  CHECK(p.messages && strstr(p.messages, "list nested deeper than 17 levels"));
  dconv_buf_free(&b);
  release(&p);
}

int main(void) {
  test_dates();
  test_arxiv();
  test_basic_paper();
  test_drift();
  test_invalid_utf8();
  test_rejections();
  test_duplicates_and_missing();
  test_deep_nesting();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  puts("all parser checks passed");
  return 0;
}
