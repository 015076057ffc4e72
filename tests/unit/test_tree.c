/*
 * Unit tests for the canonical tree (core/tree.h): the enter/exit iterator,
 * attribute lookup by key, flattening, and dconv_tree_finish (date order,
 * duplicate arXiv ids, counts).
 *
 * Trees are built by hand with dconv_tree_add, so a parser change cannot
 * hide or cause a failure here: each check names the accessor it covers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "tree.h"
#include "unit.h"

static struct dconv_node *add(dconv_tree *t, struct dconv_node *parent,
                              uint32_t kind, uint32_t line) {
  struct dconv_node *n = dconv_tree_add(t, parent, kind, "t.md", line);
  CHECK(n != NULL);
  return n;
}

static void set_str(dconv_tree *t, struct dconv_node *n, int slot,
                    const char *s) {
  CHECK(dconv_tree_set_str(t, n, slot, s, strlen(s)) == 0);
}

/* One letter per kind, '+' for ENTER and '-' for EXIT: "+C+D-D-C". */
static char kind_letter(uint32_t kind) {
  static const char letters[] = "?CDPAITXESL";
  return kind < sizeof letters - 1 ? letters[kind] : '?';
}

/* Every event of an iteration from `root`, as a string (caller frees). */
static char *walk(const dconv_node *root) {
  size_t cap = 64, len = 0;
  char *s = malloc(cap);
  dconv_iter *it = dconv_iter_new(root);
  CHECK(it != NULL);
  const dconv_node *n = NULL;
  int ev;
  while ((ev = dconv_iter_next(it, &n)) != DCONV_EVENT_DONE) {
    if (len + 3 > cap)
      s = realloc(s, cap *= 2);
    s[len++] = ev == DCONV_EVENT_ENTER ? '+' : ev == DCONV_EVENT_EXIT ? '-'
                                                                      : '!';
    s[len++] = kind_letter(dconv_node_kind(n));
  }
  /* DONE is final: asking again must not restart the walk. */
  CHECK(dconv_iter_next(it, &n) == DCONV_EVENT_DONE);
  dconv_iter_free(it);
  s[len] = '\0';
  return s;
}

static void test_iter_empty(void) {
  /* No root at all: DONE at once, and again. */
  dconv_iter *it = dconv_iter_new(NULL);
  CHECK(it != NULL);
  const dconv_node *n = NULL;
  CHECK(dconv_iter_next(it, &n) == DCONV_EVENT_DONE);
  CHECK(dconv_iter_next(it, &n) == DCONV_EVENT_DONE);
  dconv_iter_free(it);

  /* A leaf root still yields ENTER then EXIT ("every node, leaf or not"). */
  dconv_tree *t = dconv_tree_new();
  char *s = walk(t->root);
  CHECK_STR(s, "+C-C");
  free(s);
  dconv_tree_free(t);
}

static void test_iter_order(void) {
  dconv_tree *t = dconv_tree_new();
  struct dconv_node *d1 = add(t, t->root, DCONV_NODE_DIGEST, 1);
  struct dconv_node *p1 = add(t, d1, DCONV_NODE_PAPER, 3);
  add(t, p1, DCONV_NODE_AUTHOR, 5);
  struct dconv_node *item = add(t, p1, DCONV_NODE_ITEM, 7);
  add(t, item, DCONV_NODE_TEXT, 7);
  struct dconv_node *em = add(t, item, DCONV_NODE_EMPH, 7);
  struct dconv_node *link = add(t, em, DCONV_NODE_LINK, 7);
  add(t, link, DCONV_NODE_CODE, 7);
  add(t, item, DCONV_NODE_STRONG, 7); /* an empty container */
  struct dconv_node *p2 = add(t, d1, DCONV_NODE_PAPER, 9);
  add(t, t->root, DCONV_NODE_DIGEST, 11);

  char *s = walk(t->root);
  CHECK_STR(s, "+C+D+P+A-A+I+T-T+E+L+X-X-L-E+S-S-I-P+P-P-D+D-D-C");
  free(s);

  /* A subtree walk ends with its root's EXIT: siblings and the parent's
   * other children are never visited. */
  s = walk(p1);
  CHECK_STR(s, "+P+A-A+I+T-T+E+L+X-X-L-E+S-S-I-P");
  free(s);
  s = walk(p2);
  CHECK_STR(s, "+P-P");
  free(s);
  s = walk(em);
  CHECK_STR(s, "+E+L+X-X-L-E");
  free(s);

  /* The node handed out with EXIT is the one that was entered. */
  dconv_iter *it = dconv_iter_new(item);
  const dconv_node *n, *stack[8];
  int depth = 0, ev, balanced = 1;
  while ((ev = dconv_iter_next(it, &n)) != DCONV_EVENT_DONE) {
    if (ev == DCONV_EVENT_ENTER) {
      CHECK(depth == 0 || dconv_node_parent(n) == stack[depth - 1]);
      stack[depth++] = n;
    } else {
      balanced &= depth > 0 && stack[--depth] == n;
    }
  }
  CHECK(balanced && depth == 0);
  dconv_iter_free(it);
  dconv_tree_free(t);
}

/* Deep and wide trees: the iterator keeps no per-level state, so it must
 * reach the bottom of a 200,000-level chain and come back in order. */
static void test_iter_deep_and_wide(void) {
  enum { DEPTH = 200000, WIDTH = 20000 };
  dconv_tree *t = dconv_tree_new();
  struct dconv_node *item = add(t, t->root, DCONV_NODE_ITEM, 1);
  struct dconv_node *cur = item;
  for (int i = 0; i < DEPTH; i++)
    cur = add(t, cur, i % 2 ? DCONV_NODE_STRONG : DCONV_NODE_EMPH, 1);
  add(t, cur, DCONV_NODE_TEXT, 1);

  dconv_iter *it = dconv_iter_new(item);
  const dconv_node *n;
  long enters = 0, exits = 0, depth = 0, max_depth = 0;
  int in_order = 1, ev;
  while ((ev = dconv_iter_next(it, &n)) != DCONV_EVENT_DONE) {
    if (ev == DCONV_EVENT_ENTER) {
      in_order &= exits == 0; /* a chain: every ENTER comes first */
      enters++;
      if (++depth > max_depth)
        max_depth = depth;
    } else {
      exits++;
      depth--;
    }
  }
  dconv_iter_free(it);
  CHECK_INT(enters, DEPTH + 2);
  CHECK_INT(exits, DEPTH + 2);
  CHECK_INT(max_depth, DEPTH + 2);
  CHECK(in_order);

  /* Wide: siblings come ENTER, EXIT, ENTER, EXIT... under one parent. */
  struct dconv_node *p = add(t, t->root, DCONV_NODE_PAPER, 2);
  for (int i = 0; i < WIDTH; i++)
    add(t, p, DCONV_NODE_AUTHOR, 2);
  it = dconv_iter_new(p);
  long events = 0;
  int alternates = 1;
  while ((ev = dconv_iter_next(it, &n)) != DCONV_EVENT_DONE) {
    if (events > 0 && dconv_node_kind(n) == DCONV_NODE_AUTHOR)
      alternates &= ev == ((events % 2) ? DCONV_EVENT_ENTER : DCONV_EVENT_EXIT);
    events++;
  }
  dconv_iter_free(it);
  CHECK_INT(events, 2L * WIDTH + 2);
  CHECK(alternates);
  dconv_tree_free(t);
}

static void test_str_keys(void) {
  dconv_tree *t = dconv_tree_new();
  struct dconv_node *d = add(t, t->root, DCONV_NODE_DIGEST, 1);
  set_str(t, d, DCONV_S_DATE, "2024-03-27");
  set_str(t, d, DCONV_S_TITLE, "Daily Papers");
  struct dconv_node *p = add(t, d, DCONV_NODE_PAPER, 3);
  set_str(t, p, DCONV_S_TITLE, "A Title");
  set_str(t, p, DCONV_S_URL, "https://arxiv.org/abs/2403.17887v2");
  set_str(t, p, DCONV_S_ARXIV_ID, "2403.17887");
  set_str(t, p, DCONV_S_MEDIA_KIND, "image");
  set_str(t, p, DCONV_S_MEDIA_URL, "https://x/t.png");
  struct dconv_node *a = add(t, p, DCONV_NODE_AUTHOR, 5);
  set_str(t, a, DCONV_S_TEXT, "Ann Lee");
  struct dconv_node *item = add(t, p, DCONV_NODE_ITEM, 7);
  struct dconv_node *txt = add(t, item, DCONV_NODE_TEXT, 7);
  set_str(t, txt, DCONV_S_TEXT, "hello");
  struct dconv_node *link = add(t, item, DCONV_NODE_LINK, 7);
  set_str(t, link, DCONV_S_URL, "https://l");

  /* Every key dconv/tree.h documents, on the kind that documents it. */
  CHECK_STR(dconv_node_str(d, "date"), "2024-03-27");
  CHECK_STR(dconv_node_str(d, "title"), "Daily Papers");
  CHECK_STR(dconv_node_str(p, "title"), "A Title");
  CHECK_STR(dconv_node_str(p, "url"), "https://arxiv.org/abs/2403.17887v2");
  CHECK_STR(dconv_node_str(p, "arxiv_id"), "2403.17887");
  CHECK_STR(dconv_node_str(p, "media_kind"), "image");
  CHECK_STR(dconv_node_str(p, "media_url"), "https://x/t.png");
  CHECK_STR(dconv_node_str(a, "name"), "Ann Lee");
  CHECK_STR(dconv_node_str(txt, "text"), "hello");
  CHECK_STR(dconv_node_str(link, "url"), "https://l");

  /* A documented key that was never set is absent: NULL. */
  CHECK_STR(dconv_node_str(p, "arxiv_version"), NULL);
  CHECK_STR(dconv_node_str(link, "title"), NULL);
  CHECK_STR(dconv_node_str(t->root, "date"), NULL);
  /* "name" belongs to AUTHOR only. */
  CHECK_STR(dconv_node_str(p, "name"), NULL);

  /* Unknown keys (tree.h: "asking for an unknown key returns NULL"): exact,
   * case-sensitive matches only, never a prefix. */
  CHECK_STR(dconv_node_str(p, "nope"), NULL);
  CHECK_STR(dconv_node_str(p, ""), NULL);
  CHECK_STR(dconv_node_str(p, "Title"), NULL);
  CHECK_STR(dconv_node_str(p, "titl"), NULL);
  CHECK_STR(dconv_node_str(p, "title "), NULL);
  CHECK_STR(dconv_node_str(p, "votes"), NULL); /* an int key */
  CHECK_STR(dconv_node_str(p, NULL), NULL);
  CHECK_STR(dconv_node_str(NULL, "title"), NULL);

  /* set_str copies exactly len bytes, NUL-terminated, owned by the tree. */
  char buf[] = "Bob Smith, et al.";
  struct dconv_node *b = add(t, p, DCONV_NODE_AUTHOR, 5);
  CHECK(dconv_tree_set_str(t, b, DCONV_S_TEXT, buf, 9) == 0);
  buf[0] = 'X';
  CHECK_STR(dconv_node_str(b, "name"), "Bob Smith");
  /* Setting a slot again replaces the value. */
  set_str(t, p, DCONV_S_TITLE, "Second Title");
  CHECK_STR(dconv_node_str(p, "title"), "Second Title");

  /* Structure accessors, and their NULL-safety. */
  CHECK(dconv_node_kind(p) == DCONV_NODE_PAPER);
  CHECK(dconv_node_parent(p) == d);
  CHECK(dconv_node_parent(t->root) == NULL);
  CHECK(dconv_node_first_child(p) == a);
  CHECK(dconv_node_next(a) == item);
  CHECK(dconv_node_next(b) == NULL);
  CHECK(dconv_node_first_child(txt) == NULL);
  CHECK(dconv_node_kind(NULL) == DCONV_NODE_NONE);
  CHECK(dconv_node_parent(NULL) == NULL);
  CHECK(dconv_node_first_child(NULL) == NULL);
  CHECK(dconv_node_next(NULL) == NULL);

  const char *file = NULL;
  uint32_t line = 0;
  dconv_node_source(item, &file, &line);
  CHECK_STR(file, "t.md");
  CHECK_INT(line, 7);
  dconv_node_source(NULL, &file, &line);
  CHECK_STR(file, NULL);
  CHECK_INT(line, 0);
  dconv_tree_free(t);
}

static void test_int_keys(void) {
  dconv_tree *t = dconv_tree_new();
  struct dconv_node *p = add(t, t->root, DCONV_NODE_PAPER, 3);
  struct dconv_node *item = add(t, p, DCONV_NODE_ITEM, 4);
  struct dconv_node *link = add(t, item, DCONV_NODE_LINK, 4);
  CHECK(dconv_tree_set_int(t, p, DCONV_I_VOTES, 1234) == 0);
  CHECK(dconv_tree_set_int(t, p, DCONV_I_ELIDED, 1) == 0);
  CHECK(dconv_tree_set_int(t, p, DCONV_I_ELIDED_AT, 0) == 0);
  CHECK(dconv_tree_set_int(t, item, DCONV_I_DEPTH, 16) == 0);
  CHECK(dconv_tree_set_int(t, item, DCONV_I_ORDERED, 1) == 0);
  CHECK(dconv_tree_set_int(t, item, DCONV_I_NUMBER, -3) == 0);
  CHECK(dconv_tree_set_int(t, link, DCONV_I_IMAGE, 1) == 0);

  int64_t v = 42;
  CHECK(dconv_node_int(p, "votes", &v) == 0);
  CHECK_INT(v, 1234);
  CHECK(dconv_node_int(p, "authors_elided", &v) == 0);
  CHECK_INT(v, 1);
  /* 0 is a value, not absence. */
  CHECK(dconv_node_int(p, "authors_elided_at", &v) == 0);
  CHECK_INT(v, 0);
  CHECK(dconv_node_int(item, "depth", &v) == 0);
  CHECK_INT(v, 16);
  CHECK(dconv_node_int(item, "ordered", &v) == 0);
  CHECK_INT(v, 1);
  CHECK(dconv_node_int(item, "number", &v) == 0);
  CHECK_INT(v, -3);
  CHECK(dconv_node_int(link, "image", &v) == 0);
  CHECK_INT(v, 1);

  /* Absent and unknown are both DCONV_E_NOTFOUND, and *out is untouched. */
  v = 42;
  CHECK(dconv_node_int(item, "votes", &v) == DCONV_E_NOTFOUND);
  CHECK(dconv_node_int(p, "number", &v) == DCONV_E_NOTFOUND);
  CHECK(dconv_node_int(p, "nope", &v) == DCONV_E_NOTFOUND);
  CHECK(dconv_node_int(p, "Votes", &v) == DCONV_E_NOTFOUND);
  CHECK(dconv_node_int(p, "vote", &v) == DCONV_E_NOTFOUND);
  CHECK(dconv_node_int(p, "title", &v) == DCONV_E_NOTFOUND); /* a str key */
  CHECK(dconv_node_int(p, "", &v) == DCONV_E_NOTFOUND);
  CHECK_INT(v, 42);
  CHECK(dconv_node_int(NULL, "votes", &v) == DCONV_E_INVALID);
  CHECK(dconv_node_int(p, NULL, &v) == DCONV_E_INVALID);

  /* The 64-bit range survives, and clearing makes the value unknown. */
  CHECK(dconv_tree_set_int(t, p, DCONV_I_VOTES, INT64_MAX) == 0);
  CHECK(dconv_node_int(p, "votes", &v) == 0);
  CHECK(v == INT64_MAX);
  CHECK(dconv_tree_set_int(t, p, DCONV_I_VOTES, INT64_MIN) == 0);
  CHECK(dconv_node_int(p, "votes", &v) == 0);
  CHECK(v == INT64_MIN);
  dconv_tree_clear_int(p, DCONV_I_VOTES);
  CHECK(dconv_node_int(p, "votes", &v) == DCONV_E_NOTFOUND);
  CHECK(!dconv_tree_has_int(p, DCONV_I_VOTES));
  CHECK(dconv_tree_has_int(p, DCONV_I_ELIDED)); /* the others stay */
  dconv_tree_free(t);
}

static void test_flatten(void) {
  dconv_tree *t = dconv_tree_new();
  struct dconv_node *item = add(t, t->root, DCONV_NODE_ITEM, 1);
  set_str(t, add(t, item, DCONV_NODE_TEXT, 1), DCONV_S_TEXT, "a ");
  struct dconv_node *em = add(t, item, DCONV_NODE_EMPH, 1);
  set_str(t, add(t, em, DCONV_NODE_TEXT, 1), DCONV_S_TEXT, "b");
  set_str(t, add(t, em, DCONV_NODE_CODE, 1), DCONV_S_TEXT, "c()");
  struct dconv_node *link = add(t, item, DCONV_NODE_LINK, 1);
  set_str(t, link, DCONV_S_URL, "https://not-text");
  set_str(t, add(t, link, DCONV_NODE_TEXT, 1), DCONV_S_TEXT, " 한국어");
  add(t, item, DCONV_NODE_STRONG, 1); /* empty: adds nothing */

  size_t len = 0;
  char *s = dconv_node_flatten(item, &len);
  CHECK_STR(s, "a bc() 한국어");
  CHECK_INT(len, strlen("a bc() 한국어"));
  free(s);
  /* Flattening a subtree covers only that subtree; a leaf gives its text;
   * an empty container gives "" (not NULL); len may be NULL. */
  s = dconv_node_flatten(em, NULL);
  CHECK_STR(s, "bc()");
  free(s);
  s = dconv_node_flatten(dconv_node_first_child(item), &len);
  CHECK_STR(s, "a ");
  CHECK_INT(len, 2);
  free(s);
  s = dconv_node_flatten(t->root->first->last, &len);
  CHECK_STR(s, "");
  CHECK_INT(len, 0);
  free(s);
  dconv_tree_free(t);
}

/* dconv_tree_finish: digests in date order (stable for equal dates), the
 * collection's counts, one warning per repeated arXiv id naming both
 * places. */
static void test_finish(void) {
  dconv_tree *t = dconv_tree_new();
  static const struct {
    const char *date, *ids[3];
  } digests[] = {
      {"2024-03-28", {"2403.00001", NULL, NULL}},
      {"2024-03-27", {"2403.00002", "2403.00003", NULL}},
      {"2023-12-31", {NULL, NULL, NULL}},
      {"2024-03-27", {"2403.00001", "", NULL}},
  };
  uint32_t line = 1;
  for (size_t i = 0; i < sizeof digests / sizeof digests[0]; i++) {
    struct dconv_node *d = add(t, t->root, DCONV_NODE_DIGEST, line++);
    set_str(t, d, DCONV_S_DATE, digests[i].date);
    char order[2] = {(char)('0' + i), '\0'}; /* input order, in the title */
    set_str(t, d, DCONV_S_TITLE, order);
    for (int k = 0; k < 3 && digests[i].ids[k]; k++) {
      struct dconv_node *p = add(t, d, DCONV_NODE_PAPER, line++);
      if (*digests[i].ids[k])
        set_str(t, p, DCONV_S_ARXIV_ID, digests[i].ids[k]);
    }
  }
  /* A paper without an id is never a duplicate of another without one. */
  add(t, t->root->first, DCONV_NODE_PAPER, line++);

  dconv_diag diag;
  dconv_diag_init(&diag);
  char *msgs = NULL;
  size_t msgs_len = 0;
  diag.out = open_memstream(&msgs, &msgs_len);
  CHECK(dconv_tree_finish(t, &diag) == 0);
  fclose(diag.out);

  /* Input order of the four digests was 0..3; sorted: 2, 1, 3, 0. */
  static const char *const want[] = {"2", "1", "3", "0"};
  int i = 0;
  for (const dconv_node *d = dconv_node_first_child(t->root); d;
       d = dconv_node_next(d), i++) {
    const char *order = dconv_node_str(d, "title");
    CHECK(i < 4 && order && strcmp(order, want[i]) == 0);
  }
  CHECK_INT(i, 4);
  int64_t v = -1;
  CHECK(dconv_node_int(t->root, "digests", &v) == 0);
  CHECK_INT(v, 4);
  CHECK(dconv_node_int(t->root, "papers", &v) == 0);
  CHECK_INT(v, 6);

  /* After sorting, 2403.00001 is met first in the second 2024-03-27
   * digest (its paper at line 8), so the 2024-03-28 paper at line 2 is the
   * repeat that gets the warning. */
  CHECK_INT(diag.warnings, 1);
  CHECK(msgs && strstr(msgs, "t.md:2: warning: ") == msgs);
  CHECK(msgs && strstr(msgs, "2403.00001") && strstr(msgs, "t.md:8"));
  free(msgs);
  dconv_tree_free(t);
}

/* A node's ivals array is as long as its kind needs (dconv_tree_int_slots):
 * every integer attrs.def gives a kind must fit, and the length must be
 * no more than that (the point is the memory), so a new attribute in the
 * table without a new length, or a renumbered slot, fails here. */
static void test_int_slot_lengths(void) {
  for (uint32_t k = 0; k < DCONV_TREE_KINDS; k++) {
    int highest = -1;
    for (size_t i = 0; i < dconv_attr_count; i++) {
      const dconv_attr_def *a = &dconv_attr_table[i];
      if (a->type == DCONV_VALUE_INT && (a->kinds & DCONV_ATTR_KIND(k)) &&
          a->slot > highest)
        highest = a->slot;
    }
    CHECK_INT(dconv_tree_int_len(k), highest + 1);
  }
  CHECK_INT(dconv_tree_int_len(DCONV_NODE_ITEM), 3);
  CHECK_INT(dconv_tree_int_len(999), 0);

  /* An integer the kind does not carry is refused, not written past the
   * array; the kind's own integers are kept. */
  dconv_tree *t = dconv_tree_new();
  CHECK(t != NULL);
  if (!t)
    return;
  struct dconv_node *item = dconv_tree_add(t, t->root, DCONV_NODE_ITEM, "t.md", 1);
  CHECK(item != NULL);
  if (item) {
    CHECK_INT(dconv_tree_set_int(t, item, DCONV_I_NUMBER, 7), 0);
    CHECK_INT(dconv_tree_set_int(t, item, DCONV_I_PAPERS, 1), DCONV_E_INVALID);
    CHECK_INT(dconv_tree_int(item, DCONV_I_NUMBER), 7);
    CHECK(!dconv_tree_has_int(item, DCONV_I_PAPERS));
  }
  struct dconv_node *text = dconv_tree_add(t, item, DCONV_NODE_TEXT, "t.md", 1);
  CHECK(text != NULL);
  if (text)
    CHECK_INT(dconv_tree_set_int(t, text, DCONV_I_DEPTH, 1), DCONV_E_INVALID);
  dconv_tree_free(t);
}

/* Each node's file (dconv_node_source): digests and papers hold theirs,
 * other nodes inherit it unless they came from another file, a paper moved
 * into another digest keeps its own, and a deep chain still knows its
 * file (held every few levels). */
static void test_node_files(void) {
  dconv_tree *t = dconv_tree_new();
  CHECK(t != NULL);
  if (!t)
    return;
  const char *a = "a.md", *b = "b.md";
  struct dconv_node *da = dconv_tree_add(t, t->root, DCONV_NODE_DIGEST, a, 1);
  struct dconv_node *db = dconv_tree_add(t, t->root, DCONV_NODE_DIGEST, b, 1);
  struct dconv_node *p = dconv_tree_add(t, da, DCONV_NODE_PAPER, a, 3);
  struct dconv_node *item = dconv_tree_add(t, p, DCONV_NODE_ITEM, a, 5);
  struct dconv_node *other = dconv_tree_add(t, item, DCONV_NODE_TEXT, b, 9);
  CHECK(da && db && p && item && other);
  if (!(da && db && p && item && other)) {
    dconv_tree_free(t);
    return;
  }
  const char *f = NULL;
  uint32_t line = 0;
  dconv_node_source(item, &f, &line);
  CHECK_STR(f, "a.md");
  CHECK_INT(line, 5);
  CHECK(item->strs == NULL); /* inherited, nothing stored */
  dconv_node_source(other, &f, &line);
  CHECK_STR(f, "b.md");
  dconv_tree_unlink(p);
  dconv_tree_append(db, p);
  dconv_node_source(item, &f, &line);
  CHECK_STR(f, "a.md"); /* the paper kept its own file */
  struct dconv_node *n = item;
  for (int i = 0; i < 100 && n; i++)
    n = dconv_tree_add(t, n, DCONV_NODE_EMPH, a, (uint32_t)(100 + i));
  dconv_node_source(n, &f, &line);
  CHECK_STR(f, "a.md");
  CHECK_INT(line, 199);
  struct dconv_node *loose = dconv_tree_add(t, NULL, DCONV_NODE_ITEM, a, 1);
  dconv_node_source(loose, &f, &line);
  CHECK(f == NULL); /* detached scratch: no file until moved */
  dconv_tree_free(t);
}

int main(void) {
  test_node_files();
  test_int_slot_lengths();
  test_iter_empty();
  test_iter_order();
  test_iter_deep_and_wide();
  test_str_keys();
  test_int_keys();
  test_flatten();
  test_finish();
  return unit_finish("tree");
}
