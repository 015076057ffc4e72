/*
 * bibtex_keys.c - citation keys and author names.
 *
 * Keys: arxiv2403.17887 (keys=id, the default: never drifts) or
 * author-year-word (shapourian2024unreasonable). A key's collision suffix
 * depends on every other key of the output, so keys are made unique once,
 * after all entries are known.
 */
#include "bibtex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- names */

/* Names are split by <dconv/names.h>, shared with the RIS and CSL-JSON
 * writers. */

/* One name token. A comma or the word "and" would split the name list, so
 * both are braced (BibTeX ignores them inside braces). */
static void bib_put_name_token(bib_ctx *c, const char *t, size_t n) {
  static const char *const words[] = {"and", NULL};
  if (dconv_names_token_in(t, n, words, 1)) {
    dconv_util_buf_putc(&c->out, '{');
    bib_put_text(c, t, n, 0);
    dconv_util_buf_putc(&c->out, '}');
    return;
  }
  size_t i = 0;
  while (i < n) {
    const char *comma = memchr(t + i, ',', n - i);
    size_t end = comma ? (size_t)(comma - t) : n;
    bib_put_text(c, t + i, end - i, 0);
    if (!comma)
      break;
    dconv_util_buf_puts(&c->out, "{,}");
    i = end + 1;
  }
}

static void bib_put_tokens(bib_ctx *c, const dconv_name *nm, size_t from,
                           size_t to) {
  for (size_t i = from; i < to; i++) {
    if (i > from)
      dconv_util_buf_putc(&c->out, ' ');
    bib_put_name_token(c, nm->tok[i], nm->len[i]);
  }
}

/* "Family, Given" (or "Family, Jr., Given"), which BibTeX and biber parse
 * without guessing. */
void bib_put_name(bib_ctx *c, const char *name) {
  dconv_name nm;
  dconv_names_split(name, &nm);
  if (nm.corporate) {
    dconv_util_buf_putc(&c->out, '{');
    bib_put_name_token(c, name, strlen(name));
    dconv_util_buf_putc(&c->out, '}');
    return;
  }
  bib_put_tokens(c, &nm, nm.family, nm.n);
  if (nm.suffix) {
    dconv_util_buf_puts(&c->out, ", ");
    bib_put_name_token(c, nm.suffix, nm.suffix_len);
  }
  if (nm.family > 0) {
    dconv_util_buf_puts(&c->out, ", ");
    bib_put_tokens(c, &nm, 0, nm.family);
  }
}

/* ---------------------------------------------------------------- arena */

#define BIB_ARENA_BLOCK 65536

/* n bytes from the arena, or NULL when memory ran out. A request larger
 * than a block gets a block of its own. */
static char *bib_arena_take(bib_arena *a, size_t n) {
  if (a->cap - a->used < n) {
    size_t cap = sizeof(char *) + (n > BIB_ARENA_BLOCK ? n : BIB_ARENA_BLOCK);
    char *block = (char *)a->h->alloc(cap);
    if (!block)
      return NULL;
    memcpy(block, &a->block, sizeof(char *)); /* link to the one before */
    a->block = block;
    a->used = sizeof(char *);
    a->cap = cap;
  }
  char *p = a->block + a->used;
  a->used += n;
  return p;
}

/* A copy of s[0..n) with a NUL and `room` more bytes after it. */
static char *bib_arena_copy(bib_arena *a, const char *s, size_t n,
                            size_t room) {
  char *p = bib_arena_take(a, n + 1 + room);
  if (p) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

static void bib_arena_free(bib_arena *a) {
  while (a->block) {
    char *prev;
    memcpy(&prev, a->block, sizeof(char *));
    a->h->free(a->block);
    a->block = prev;
  }
  a->used = a->cap = 0;
}

void bib_keys_free(bib_ctx *c) { bib_arena_free(&c->keys); }

/* ----------------------------------------------------------------- keys */

/* The first significant title word, folded: "The Unreasonable ..." gives
 * "unreasonable". Function words are skipped as Better BibTeX does. */
static size_t bib_key_word(const char *title, char *key, size_t klen,
                           size_t cap) {
  static const char *const stop[] = {
      "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from",
      "via", "by", "at", "as", "into", "towards", "toward", "is", "are", "do",
      "does", "can", "how", "what", "why", "when", "we", "your", "our", NULL};
  const char *p = title, *end = title + strlen(title);
  while (p < end) {
    size_t len;
    while (p < end && !bib_is_word(bib_utf8_next(p, (size_t)(end - p), &len)))
      p += len;
    const char *w = p;
    while (p < end && bib_is_word(bib_utf8_next(p, (size_t)(end - p), &len)))
      p += len;
    if (p == w)
      break;
    char word[32];
    size_t wl = bib_fold(w, (size_t)(p - w), word, 0, 20);
    int letters = 0;
    for (size_t i = 0; i < wl; i++)
      letters |= word[i] >= 'a' && word[i] <= 'z';
    if (!letters || dconv_names_token_in(word, wl, stop, 1))
      continue;
    for (size_t i = 0; i < wl && klen < cap; i++)
      key[klen++] = word[i];
    break;
  }
  key[klen] = '\0';
  return klen;
}

/* Sortable rank: year, month, then the sequence number. Collision suffixes
 * follow this order so that "a" is the earlier paper. */
static uint64_t bib_id_rank(const char *id, int year, int month) {
  const char *slash = strchr(id, '/');
  const char *seq = slash ? slash + 5 : strchr(id, '.');
  uint64_t n = 0;
  if (seq) {
    if (*seq == '.')
      seq++;
    for (; *seq >= '0' && *seq <= '9'; seq++)
      n = n * 10 + (uint64_t)(*seq - '0');
  }
  return ((uint64_t)year * 100 + (uint64_t)month) * 1000000ull + n;
}

/* The base key before any collision suffix, built in key[BIB_KEY_MAX].
 * Returns its length. */
static size_t bib_build_key(bib_ctx *c, bib_entry *e, char *key) {
  const dconv_host *h = c->h;
  const size_t cap = BIB_KEY_MAX - 8; /* room for a suffix */
  size_t k = 0;
  if (c->keys_id && e->id) {
    memcpy(key, "arxiv", 5);
    k = 5;
    for (const char *p = e->id; *p && k < cap; p++)
      if (*p != '/') /* hep-th/9901001 -> arxivhep-th9901001 */
        key[k++] = *p;
    key[k] = '\0';
    return k;
  }
  /* author-year-word; also the fallback for papers without an arXiv id */
  const dconv_node *a = dconv_util_next_kind(h, e->paper, NULL, DCONV_NODE_AUTHOR);
  if (a) {
    const char *name = dconv_util_str(h, a, "name");
    dconv_name nm;
    dconv_names_split(name, &nm);
    if (nm.corporate || nm.n == 0)
      k = bib_fold(name, strlen(name), key, 0, 32);
    else
      for (size_t i = nm.family; i < nm.n; i++)
        k = bib_fold(nm.tok[i], nm.len[i], key, k, 32);
  }
  if (k == 0) {
    memcpy(key, "anon", 5);
    k = 4;
  }
  if (e->year > 0 && e->year < 10000) {
    char y[8];
    int yl = snprintf(y, sizeof y, "%d", e->year);
    memcpy(key + k, y, (size_t)yl);
    k += (size_t)yl;
  }
  return bib_key_word(dconv_util_str(h, e->paper, "title"), key, k, cap);
}

int bib_base_key(bib_ctx *c, bib_entry *e) {
  char key[BIB_KEY_MAX];
  if (e->id)
    e->id_rank = bib_id_rank(e->id, e->year, e->month);
  e->key = bib_arena_copy(&c->keys, key, bib_build_key(c, e, key), 0);
  return e->key ? 0 : DCONV_E_NOMEM;
}

/* Order for collision groups: key (case-insensitively), then arXiv order,
 * papers without an id last, then document order. */
static int bib_cmp_key(const void *pa, const void *pb) {
  const bib_entry *a = *(const bib_entry *const *)pa;
  const bib_entry *b = *(const bib_entry *const *)pb;
  for (const char *x = a->key, *y = b->key;; x++, y++) {
    int cx = (*x >= 'A' && *x <= 'Z') ? *x | 0x20 : *x;
    int cy = (*y >= 'A' && *y <= 'Z') ? *y | 0x20 : *y;
    if (cx != cy)
      return cx < cy ? -1 : 1;
    if (!cx)
      break;
  }
  if (!a->id != !b->id)
    return a->id ? -1 : 1;
  if (a->id) {
    if (a->id_rank != b->id_rank)
      return a->id_rank < b->id_rank ? -1 : 1;
    int r = strcmp(a->id, b->id);
    if (r)
      return r;
  }
  return a->order < b->order ? -1 : a->order > b->order;
}

#define BIB_SUFFIX_MAX 8 /* letters of the longest suffix bib_suffix writes */

/* Suffix number n as bijective base 26: a..z, aa, ab, ... */
static void bib_suffix(char *key, size_t base_len, size_t n) {
  char tmp[BIB_SUFFIX_MAX];
  size_t l = 0;
  n++;
  while (n && l < sizeof tmp) {
    n--;
    tmp[l++] = (char)('a' + n % 26);
    n /= 26;
  }
  for (size_t i = 0; i < l; i++)
    key[base_len + i] = tmp[l - 1 - i];
  key[base_len + l] = '\0';
}

/* Case-insensitive key equality (keys are ASCII). */
static int bib_key_eq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z')
      x |= 0x20;
    if (y >= 'A' && y <= 'Z')
      y |= 0x20;
    if (x != y)
      return 0;
  }
  return *a == *b;
}

/* Claim e's key (now final) in `taken`, by its lowercase form: the key
 * itself when it has no capital (keys made of ids and folded names have
 * none), else a lowercase copy in `folds`. Returns 1 when another entry
 * holds it already, 0 when claimed, or DCONV_E_NOMEM. */
static int bib_claim(dconv_util_strset *taken, bib_arena *folds, bib_entry *e,
                     size_t index) {
  size_t n = 0;
  int upper = 0;
  for (; e->key[n]; n++)
    upper |= e->key[n] >= 'A' && e->key[n] <= 'Z';
  char *folded = e->key;
  if (upper) {
    if (!(folded = bib_arena_copy(folds, e->key, n, 0)))
      return DCONV_E_NOMEM;
    for (size_t i = 0; i < n; i++)
      if (folded[i] >= 'A' && folded[i] <= 'Z')
        folded[i] = (char)(folded[i] | 0x20);
  }
  size_t other;
  return dconv_util_strset_add(taken, folded, n, index, &other);
}

/* Make every key unique: keys no one else wants are kept as they are; each
 * group sharing a key gets a, b, ... in arXiv order, skipping any result
 * that is already taken. */
int bib_unique_keys(bib_ctx *c, bib_entry *ents, size_t n) {
  bib_entry **ptrs = (bib_entry **)c->h->alloc((n ? n : 1) * sizeof *ptrs);
  if (!ptrs)
    return DCONV_E_NOMEM;
  dconv_util_strset taken; /* folded key -> entry index */
  dconv_util_strset_init(&taken, c->h);
  bib_arena folds = {c->h, NULL, 0, 0}; /* lowercase copies taken borrows */
  for (size_t i = 0; i < n; i++)
    ptrs[i] = &ents[i];
  qsort(ptrs, n, sizeof *ptrs, bib_cmp_key);
  int rc = 0;
  for (int pass = 0; pass < 2 && rc >= 0; pass++) {
    for (size_t g = 0; g < n && rc >= 0;) {
      size_t end = g + 1;
      while (end < n && bib_key_eq(ptrs[end]->key, ptrs[g]->key))
        end++;
      if (pass == 0 && end - g == 1) {
        rc = bib_claim(&taken, &folds, ptrs[g], (size_t)(ptrs[g] - ents));
      } else if (pass == 1 && end - g > 1) {
        size_t base_len = strlen(ptrs[g]->key), next = 0;
        for (size_t i = g; i < end && rc >= 0; i++) {
          bib_entry *e = ptrs[i];
          /* a copy with room for the longest suffix (the exact-size base
           * key stays unused in the arena: collisions are few) */
          if (!(e->key = bib_arena_copy(&c->keys, e->key, base_len,
                                        BIB_SUFFIX_MAX))) {
            rc = DCONV_E_NOMEM;
            break;
          }
          do {
            bib_suffix(e->key, base_len, next++);
            rc = bib_claim(&taken, &folds, e, (size_t)(e - ents));
          } while (rc == 1);
        }
      }
      g = end;
    }
  }
  dconv_util_strset_free(&taken);
  bib_arena_free(&folds);
  c->h->free(ptrs);
  return rc < 0 ? rc : 0;
}
