/*
 * bibtex - one BibTeX (or biblatex) entry per paper, for citing from digests.
 *
 * Output shape (README "BibTeX output"): a '%' comment line, then one entry
 * per distinct paper in document order (digests by date, papers as listed).
 * Everything that reaches a field goes through the escapers below, which only
 * ever emit balanced braces, so no input can break the .bib syntax.
 *
 * Two passes: the first collects the papers (dropping repeated arXiv ids) and
 * builds their keys, because a key's collision suffix depends on every other
 * key in the output; the second writes the entries.
 */
#include <dconv/names.h>
#include <dconv/plugin.h>

#include <stdlib.h>
#include <string.h>

#include <dconv/util.h>

#define BIB_VERSION "1.0.0"

/* ------------------------------------------------------- character table */

#define BIB_UP 1u   /* uppercase letter */
#define BIB_LO 2u   /* lowercase letter */
#define BIB_WORD 4u /* part of a word (case protection, keys) */
#define BIB_MATH 8u /* `tex` is a math-mode command */

typedef struct bib_uchar {
  uint32_t cp;
  const char *tex;  /* LaTeX for classic BibTeX, braces balanced */
  const char *fold; /* lowercase ASCII for citation keys ("" = drop) */
  uint32_t flags;   /* BIB_* */
} bib_uchar;

#include "bib_table.h"

#define BIB_N_UCHARS (sizeof bib_uchars / sizeof bib_uchars[0])

/* Table row for a code point, or NULL. The table is sorted by cp. */
static const bib_uchar *bib_lookup(uint32_t cp) {
  /* most text is ASCII or Hangul/CJK, neither of which is in the table */
  if (cp < bib_uchars[0].cp || cp > bib_uchars[BIB_N_UCHARS - 1].cp ||
      (cp > 0x27FF && cp < 0xFEFF))
    return NULL;
  size_t lo = 0, hi = BIB_N_UCHARS;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (bib_uchars[mid].cp == cp)
      return &bib_uchars[mid];
    if (bib_uchars[mid].cp < cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* Decode one UTF-8 sequence at s (n > 0 bytes left). The tree promises valid
 * UTF-8; a stray byte is still consumed alone so every loop advances. */
static uint32_t bib_utf8_next(const char *s, size_t n, size_t *len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t need = u[0] < 0x80 ? 0 : u[0] >= 0xF0 ? 3 : u[0] >= 0xE0 ? 2
                : u[0] >= 0xC0 ? 1 : 0;
  if (need == 0 || need >= n) {
    *len = 1;
    return u[0];
  }
  uint32_t cp = u[0] & (0x3Fu >> need);
  for (size_t i = 1; i <= need; i++) {
    if ((u[i] & 0xC0) != 0x80) {
      *len = 1;
      return u[0];
    }
    cp = (cp << 6) | (u[i] & 0x3Fu);
  }
  *len = need + 1;
  return cp;
}

/* Does the code point belong to a word? Unknown non-ASCII counts as a letter
 * (Hangul, CJK, Cyrillic ...) except the general punctuation and symbol
 * blocks, so "word—word" still splits. */
static int bib_is_word(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= '0' && cp <= '9');
  const bib_uchar *u = bib_lookup(cp);
  if (u)
    return (u->flags & BIB_WORD) != 0;
  return !(cp >= 0x2000 && cp <= 0x2BFF) && !(cp >= 0x3000 && cp <= 0x303F) &&
         !(cp >= 0xFF00 && cp <= 0xFF0F);
}

static int bib_is_upper(uint32_t cp) {
  if (cp < 0x80)
    return cp >= 'A' && cp <= 'Z';
  const bib_uchar *u = bib_lookup(cp);
  return u && (u->flags & BIB_UP);
}

/* ----------------------------------------------------------------- state */

#define BIB_KEY_MAX 96 /* longest key incl. suffix and NUL */

typedef struct bib_entry {
  const dconv_node *paper;  /* borrowed from the tree */
  const dconv_node *digest; /* its digest */
  const char *id;           /* arXiv id without version, or NULL (borrowed) */
  uint32_t order;           /* position among the kept papers */
  int year, month;          /* 0 = unknown */
  uint64_t id_rank;         /* chronological arXiv order (see bib_id_rank) */
  char key[BIB_KEY_MAX];
} bib_entry;

typedef struct bib_ctx {
  const dconv_host *h;
  dconv_export *ex;
  int biblatex; /* dialect=biblatex: UTF-8, @online, eprinttype */
  int keys_id;  /* keys=id */
  int abstract, note;
  dconv_util_buf out;            /* the output, drained to host->write */
  uint32_t unexpressed;  /* first code point kept as UTF-8 in classic
                            BibTeX since the last bib_take_unexpressed */
  size_t utf8_abstracts; /* abstracts that kept UTF-8 (one summary warning) */
} bib_ctx;

static uint32_t bib_take_unexpressed(bib_ctx *c) {
  uint32_t cp = c->unexpressed;
  c->unexpressed = 0;
  return cp;
}

/* A warning about `node`; under --strict it becomes the export's error. */
static int bib_warn(bib_ctx *c, const dconv_node *node, const char *what,
                    const char *key) {
  int rc = c->h->warn_at(c->ex, node, "%s (entry '%s')", what, key);
  if (rc < 0)
    return c->h->set_error(c->ex, rc, "warning treated as an error (--strict)");
  return 0;
}

/* ------------------------------------------------------------- escaping */

/* One code point of running text. LaTeX specials become commands; commands
 * made of letters are wrapped in braces, which makes them BibTeX "special
 * characters" whose names change.case$ leaves alone. */
static void bib_put_cp(bib_ctx *c, const char *s, size_t len, uint32_t cp) {
  dconv_util_buf *b = &c->out;
  const char *rep = NULL;
  switch (cp) {
  case '{':
    rep = "{\\textbraceleft}"; /* a bare \{ would unbalance BibTeX's count */
    break;
  case '}':
    rep = "{\\textbraceright}";
    break;
  case '\\':
    rep = "{\\textbackslash}";
    break;
  case '&':
    rep = "\\&";
    break;
  case '%':
    rep = "\\%";
    break;
  case '$':
    rep = "\\$";
    break;
  case '#':
    rep = "\\#";
    break;
  case '_':
    rep = "\\_";
    break;
  case '~':
    rep = "{\\textasciitilde}";
    break;
  case '^':
    rep = "{\\textasciicircum}";
    break;
  case '<': /* OT1 fonts would print these as inverted ! and ? */
    rep = c->biblatex ? NULL : "{\\textless}";
    break;
  case '>':
    rep = c->biblatex ? NULL : "{\\textgreater}";
    break;
  case '|':
    rep = c->biblatex ? NULL : "{\\textbar}";
    break;
  default:
    break;
  }
  if (rep) {
    dconv_util_buf_puts(b, rep);
    return;
  }
  if (cp < 0x80 || c->biblatex) {
    dconv_util_buf_add(b, s, len);
    return;
  }
  const bib_uchar *u = bib_lookup(cp);
  if (!u) {
    dconv_util_buf_add(b, s, len); /* no LaTeX spelling: keep UTF-8, warn later */
    if (!c->unexpressed)
      c->unexpressed = cp;
  } else if (u->flags & BIB_MATH) {
    dconv_util_buf_puts(b, "{$");
    dconv_util_buf_puts(b, u->tex);
    dconv_util_buf_puts(b, "$}");
  } else {
    dconv_util_buf_puts(b, u->tex);
  }
}

/* Is the ASCII byte copied as it is? (Runs of these are copied at once.) */
static int bib_plain(const bib_ctx *c, unsigned char ch) {
  if (ch < 0x20 || ch >= 0x7F)
    return 0;
  switch (ch) {
  case '{': case '}': case '\\': case '&': case '%': case '$': case '#':
  case '_': case '~': case '^':
    return 0;
  case '<': case '>': case '|':
    return c->biblatex;
  default:
    return 1;
  }
}

/* Copy s[i..) while bytes are plain and `word`-ness matches (word < 0:
 * any). Returns the end of the run. */
static size_t bib_put_run(bib_ctx *c, const char *s, size_t n, size_t i,
                          int word) {
  size_t j = i;
  while (j < n && bib_plain(c, (unsigned char)s[j]) &&
         (word < 0 || bib_is_word((unsigned char)s[j]) == word))
    j++;
  dconv_util_buf_add(&c->out, s + i, j - i);
  return j;
}

/* If s[i] == '$' opens inline math, the index of the closing '$', else 0.
 * Pandoc's rule keeps prices apart ("$1 to $2"): the opener is followed and
 * the closer preceded by a non-space, and the closer is not followed by a
 * digit. Braces inside must balance (BibTeX counts \{ too) and the math may
 * not end in \, ^ or _, so what we pass through is valid in both tools. */
static size_t bib_math_end(const char *s, size_t n, size_t i) {
  if (i > 0 && s[i - 1] == '\\')
    return 0;
  if (i + 1 >= n || s[i + 1] == ' ' || s[i + 1] == '$')
    return 0;
  size_t j = i + 1;
  int depth = 0;
  for (; j < n; j++) {
    if (s[j] == '{')
      depth++;
    else if (s[j] == '}' && --depth < 0)
      return 0;
    else if (s[j] == '$' && s[j - 1] != '\\')
      break;
  }
  if (j >= n || depth != 0)
    return 0;
  char last = s[j - 1];
  if (last == ' ' || last == '^' || last == '_')
    return 0;
  if (j + 1 < n && s[j + 1] >= '0' && s[j + 1] <= '9')
    return 0;
  return j;
}

/* Math content between the dollars, braced so change.case$ keeps it. */
static void bib_put_math(bib_ctx *c, const char *s, size_t n) {
  dconv_util_buf *b = &c->out;
  dconv_util_buf_puts(b, "{$");
  size_t i = 0;
  while (i < n) {
    size_t len;
    uint32_t cp = bib_utf8_next(s + i, n - i, &len);
    if (cp == '%' || cp == '#' || cp == '&') {
      dconv_util_buf_putc(b, '\\'); /* a comment / parameter / alignment char */
      dconv_util_buf_putc(b, (char)cp);
    } else if (cp < 0x80 || c->biblatex) {
      dconv_util_buf_add(b, s + i, len);
    } else {
      const bib_uchar *u = bib_lookup(cp);
      if (u && (u->flags & BIB_MATH)) {
        dconv_util_buf_putc(b, '{');
        dconv_util_buf_puts(b, u->tex);
        dconv_util_buf_putc(b, '}');
      } else if (u) {
        dconv_util_buf_puts(b, "\\mbox{");
        dconv_util_buf_puts(b, u->tex);
        dconv_util_buf_putc(b, '}');
      } else {
        dconv_util_buf_add(b, s + i, len);
        if (!c->unexpressed)
          c->unexpressed = cp;
      }
    }
    i += len;
  }
  dconv_util_buf_puts(b, "$}");
}

/* Should a title word keep its case? Styles lower-case titles, so protect
 * what cannot be recovered: inner capitals (NeRF, LLMs, 4D), capitals mixed
 * with digits (V2, GPT4) and single capitals (Q-Learning) except "A".
 * Ordinary Capitalised Words are left to the style. */
static int bib_word_needs_braces(const char *s, size_t n) {
  size_t i = 0, ncp = 0;
  int upper_inside = 0, has_upper = 0, has_digit = 0, first_upper = 0;
  while (i < n) {
    size_t len;
    uint32_t cp = bib_utf8_next(s + i, n - i, &len);
    int up = bib_is_upper(cp);
    if (up && ncp > 0)
      upper_inside = 1;
    if (up && ncp == 0)
      first_upper = 1;
    has_upper |= up;
    has_digit |= cp >= '0' && cp <= '9';
    ncp++;
    i += len;
  }
  if (upper_inside || (has_upper && has_digit))
    return 1;
  return ncp == 1 && first_upper && !(n == 1 && s[0] == 'A');
}

/* Running text (title, abstract, note, name parts) as a field value.
 * `title` turns on case protection of words. */
static void bib_put_text(bib_ctx *c, const char *s, size_t n, int title) {
  size_t i = 0;
  while (i < n) {
    if (s[i] == '$') {
      size_t end = bib_math_end(s, n, i);
      if (end) {
        bib_put_math(c, s + i + 1, end - i - 1);
        i = end + 1;
      } else {
        dconv_util_buf_puts(&c->out, "\\$");
        i++;
      }
      continue;
    }
    if (bib_plain(c, (unsigned char)s[i]) &&
        (!title || !bib_is_word((unsigned char)s[i]))) {
      /* outside titles words need no case check: copy the whole run */
      i = bib_put_run(c, s, n, i, title ? 0 : -1);
      continue;
    }
    size_t len;
    uint32_t cp = bib_utf8_next(s + i, n - i, &len);
    if (!bib_is_word(cp)) {
      bib_put_cp(c, s + i, len, cp);
      i += len;
      continue;
    }
    size_t j = i + len;
    while (j < n) {
      size_t l2;
      if (!bib_is_word(bib_utf8_next(s + j, n - j, &l2)))
        break;
      j += l2;
    }
    int brace = title && bib_word_needs_braces(s + i, j - i);
    if (brace)
      dconv_util_buf_putc(&c->out, '{');
    while (i < j) {
      if ((unsigned char)s[i] < 0x80) {
        i = bib_put_run(c, s, j, i, 1);
        continue;
      }
      cp = bib_utf8_next(s + i, j - i, &len);
      bib_put_cp(c, s + i, len, cp);
      i += len;
    }
    if (brace)
      dconv_util_buf_putc(&c->out, '}');
  }
}

/* A URL needs no LaTeX escaping (styles use \url), only what would break
 * the field or is not ASCII: percent-encode it. */
static void bib_put_url(bib_ctx *c, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (; *s; s++) {
    unsigned char u = (unsigned char)*s;
    if (u <= 0x20 || u >= 0x7F || strchr("{}\\\"<>^`|", u)) {
      char esc[3] = {'%', hex[u >> 4], hex[u & 15]};
      dconv_util_buf_add(&c->out, esc, 3);
    } else {
      dconv_util_buf_putc(&c->out, (char)u);
    }
  }
}

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
static void bib_put_name(bib_ctx *c, const char *name) {
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

/* ----------------------------------------------------------------- keys */

/* Append the lowercase ASCII transliteration of s[0..n) to key (letters and
 * digits only), up to `cap` bytes in total. Returns the new length. */
static size_t bib_fold(const char *s, size_t n, char *key, size_t klen,
                       size_t cap) {
  size_t i = 0;
  while (i < n && klen < cap) {
    size_t len;
    uint32_t cp = bib_utf8_next(s + i, n - i, &len);
    i += len;
    if (cp < 0x80) {
      if (cp >= 'A' && cp <= 'Z')
        key[klen++] = (char)(cp | 0x20);
      else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
        key[klen++] = (char)cp;
      continue;
    }
    const bib_uchar *u = bib_lookup(cp);
    if (!u || !(u->flags & BIB_WORD))
      continue;
    for (const char *f = u->fold; *f && klen < cap; f++)
      key[klen++] = *f;
  }
  key[klen] = '\0';
  return klen;
}

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

/* The base key before any collision suffix. */
static void bib_base_key(bib_ctx *c, bib_entry *e) {
  const dconv_host *h = c->h;
  const size_t cap = BIB_KEY_MAX - 8; /* room for a suffix */
  size_t k = 0;
  if (c->keys_id && e->id) {
    memcpy(e->key, "arxiv", 5);
    k = 5;
    for (const char *p = e->id; *p && k < cap; p++)
      if (*p != '/') /* hep-th/9901001 -> arxivhep-th9901001 */
        e->key[k++] = *p;
    e->key[k] = '\0';
    return;
  }
  /* author-year-word; also the fallback for papers without an arXiv id */
  const dconv_node *a = dconv_util_next_kind(h, e->paper, NULL, DCONV_NODE_AUTHOR);
  if (a) {
    const char *name = dconv_util_str(h, a, "name");
    dconv_name nm;
    dconv_names_split(name, &nm);
    if (nm.corporate || nm.n == 0)
      k = bib_fold(name, strlen(name), e->key, 0, 32);
    else
      for (size_t i = nm.family; i < nm.n; i++)
        k = bib_fold(nm.tok[i], nm.len[i], e->key, k, 32);
  }
  if (k == 0) {
    memcpy(e->key, "anon", 5);
    k = 4;
  }
  if (e->year > 0 && e->year < 10000) {
    char y[8];
    int yl = snprintf(y, sizeof y, "%d", e->year);
    memcpy(e->key + k, y, (size_t)yl);
    k += (size_t)yl;
  }
  bib_key_word(dconv_util_str(h, e->paper, "title"), e->key, k, cap);
}

/* ------------------------------------------------------ arXiv id helpers */

static int bib_digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* Year and month of submission, from the id: 2403.17887 is March 2024;
 * hep-th/9901001 is January 1999 (old-style years 91-99 are 1900s). */
static void bib_id_date(const char *id, int *year, int *month) {
  const char *slash = strchr(id, '/');
  const char *ym = slash ? slash + 1 : id;
  int yy = bib_digits(ym, 2), mm = bib_digits(ym + 2, 2);
  *year = *month = 0;
  if (yy < 0 || mm < 0)
    return;
  *year = slash && yy >= 91 ? 1900 + yy : 2000 + yy;
  *month = mm >= 1 && mm <= 12 ? mm : 0;
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

/* ----------------------------------------------------------- hash tables */

/* Open addressing over entry indices (slot = index + 1, 0 = empty). The
 * same table serves arXiv ids (exact) and keys (ASCII case-insensitive). */
typedef struct bib_set {
  uint32_t *slot;
  size_t mask;
} bib_set;

static int bib_set_init(bib_ctx *c, bib_set *s, size_t n) {
  size_t cap = 16;
  while (cap < 2 * n)
    cap *= 2;
  /* Set before any return: the compiler cannot know that set_error returns
   * its (non-zero) code, and -O3 warns that mask may be used uninitialised. */
  s->mask = 0;
  s->slot = (uint32_t *)c->h->alloc(cap * sizeof *s->slot);
  if (!s->slot) {
    c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
    return DCONV_E_NOMEM;
  }
  memset(s->slot, 0, cap * sizeof *s->slot);
  s->mask = cap - 1;
  return 0;
}

static uint32_t bib_hash(const char *s, int fold) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (fold && ch >= 'A' && ch <= 'Z')
      ch |= 0x20;
    h = (h ^ ch) * 16777619u;
  }
  return h;
}

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

/* Find `str` (fold = keys, else ids). Returns the slot: empty or holding
 * the matching entry. The table is never full (cap >= 2n). */
static uint32_t *bib_set_find(bib_set *s, const bib_entry *ents,
                              const char *str, int fold) {
  size_t i = bib_hash(str, fold) & s->mask;
  for (;; i = (i + 1) & s->mask) {
    uint32_t v = s->slot[i];
    if (!v)
      return &s->slot[i];
    const char *other = fold ? ents[v - 1].key : ents[v - 1].id;
    if (fold ? bib_key_eq(other, str) : strcmp(other, str) == 0)
      return &s->slot[i];
  }
}

/* ------------------------------------------------------------ collecting */

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

/* Suffix number n as bijective base 26: a..z, aa, ab, ... */
static void bib_suffix(char *key, size_t base_len, size_t n) {
  char tmp[8];
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

/* Make every key unique: keys no one else wants are kept as they are; each
 * group sharing a key gets a, b, ... in arXiv order, skipping any result
 * that is already taken. ptrs is scratch of n pointers. */
static int bib_unique_keys(bib_ctx *c, bib_entry *ents, size_t n,
                           bib_entry **ptrs) {
  bib_set taken;
  int rc = bib_set_init(c, &taken, n);
  if (rc)
    return rc;
  for (size_t i = 0; i < n; i++)
    ptrs[i] = &ents[i];
  qsort(ptrs, n, sizeof *ptrs, bib_cmp_key);
  for (int pass = 0; pass < 2; pass++) {
    for (size_t g = 0; g < n;) {
      size_t end = g + 1;
      while (end < n && bib_key_eq(ptrs[end]->key, ptrs[g]->key))
        end++;
      if (pass == 0 && end - g == 1) {
        *bib_set_find(&taken, ents, ptrs[g]->key, 1) =
            (uint32_t)(ptrs[g] - ents) + 1;
      } else if (pass == 1 && end - g > 1) {
        size_t base_len = strlen(ptrs[g]->key), next = 0;
        for (size_t i = g; i < end; i++) {
          bib_entry *e = ptrs[i];
          uint32_t *slot;
          do {
            bib_suffix(e->key, base_len, next++);
            slot = bib_set_find(&taken, ents, e->key, 1);
          } while (*slot);
          *slot = (uint32_t)(e - ents) + 1;
        }
      }
      g = end;
    }
  }
  c->h->free(taken.slot);
  return 0;
}

/* Walk the document, drop repeated arXiv ids (the first one, i.e. the
 * earliest digest, wins) and fill ents. *n_out = entries kept. */
static int bib_collect(bib_ctx *c, bib_entry *ents, size_t cap,
                       size_t *n_out) {
  const dconv_host *h = c->h;
  bib_set ids;
  int rc = bib_set_init(c, &ids, cap);
  if (rc)
    return rc;
  size_t n = 0;
  DCONV_UTIL_FOR_EACH(h, d, h->root(c->ex), DCONV_NODE_DIGEST) {
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      if (n == cap)
        break;
      bib_entry *e = &ents[n];
      memset(e, 0, sizeof *e);
      e->paper = p;
      e->digest = d;
      e->order = (uint32_t)n;
      const char *id = h->node_str(p, "arxiv_id");
      if (id && *id) {
        uint32_t *slot = bib_set_find(&ids, ents, id, 0);
        if (*slot) {
          const bib_entry *first = &ents[*slot - 1];
          const char *file;
          uint32_t line;
          h->node_source(first->paper, &file, &line);
          rc = h->warn_at(c->ex, p,
                          "arXiv %s is listed again; keeping only the first "
                          "entry (%s:%lu)",
                          id, file ? file : "?", (unsigned long)line);
          if (rc < 0)
            break;
          continue;
        }
        e->id = id;
        *slot = (uint32_t)n + 1;
        bib_id_date(id, &e->year, &e->month);
        e->id_rank = bib_id_rank(id, e->year, e->month);
      } else {
        /* no id: the digest's year is the best we know */
        int y = bib_digits(dconv_util_str(h, d, "date"), 4);
        e->year = y > 0 ? y : 0;
      }
      bib_base_key(c, e);
      n++;
    }
    if (rc < 0)
      break;
  }
  h->free(ids.slot);
  if (rc < 0)
    return h->set_error(c->ex, rc, "warning treated as an error (--strict)");
  *n_out = n;
  return 0;
}

/* --------------------------------------------------------------- writing */

static void bib_field(bib_ctx *c, const char *name) {
  /* aligned "  name = {": every entry looks the same in a diff */
  int width = c->biblatex ? 10 : 13;
  dconv_util_buf_printf(&c->out, ",\n  %-*s = ", width, name);
}

static void bib_put_authors(bib_ctx *c, const bib_entry *e) {
  const dconv_host *h = c->h;
  int64_t elided = dconv_util_int(h, e->paper, "authors_elided", 0);
  int64_t at = dconv_util_int(h, e->paper, "authors_elided_at", -1);
  int64_t i = 0, written = 0;
  /* Names after a '+' follow an unknown gap; "others" must come last, so
   * only the names before the gap are listed (the citation reads "A, B, et
   * al."). If the list starts with the gap, the known names are kept. */
  DCONV_UTIL_FOR_EACH(h, a, e->paper, DCONV_NODE_AUTHOR) {
    if (elided && at > 0 && i >= at)
      break;
    i++;
    const char *name = dconv_util_str(h, a, "name");
    if (!*name)
      continue;
    if (written++ == 0) {
      bib_field(c, "author");
      dconv_util_buf_putc(&c->out, '{');
    } else {
      dconv_util_buf_puts(&c->out, " and ");
    }
    bib_put_name(c, name);
  }
  if (elided && written)
    dconv_util_buf_puts(&c->out, " and others");
  if (written)
    dconv_util_buf_putc(&c->out, '}');
}

static int bib_put_abstract(bib_ctx *c, const bib_entry *e) {
  const dconv_host *h = c->h;
  int first = 1;
  DCONV_UTIL_FOR_EACH(h, item, e->paper, DCONV_NODE_ITEM) {
    size_t len;
    char *text = h->node_flatten(item, &len);
    if (!text)
      return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
    if (len) {
      if (first)
        bib_field(c, "abstract");
      dconv_util_buf_puts(&c->out, first ? "{" : " ");
      bib_put_text(c, text, len, 0);
      first = 0;
    }
    h->free(text);
  }
  if (!first)
    dconv_util_buf_putc(&c->out, '}');
  if (bib_take_unexpressed(c))
    c->utf8_abstracts++;
  return 0;
}

static void bib_put_note(bib_ctx *c, const bib_entry *e) {
  const dconv_host *h = c->h;
  const char *date = dconv_util_str(h, e->digest, "date");
  int64_t votes;
  int has_votes = h->node_int(e->paper, "votes", &votes) == 0;
  if (!*date && !has_votes)
    return;
  bib_field(c, "note");
  dconv_util_buf_puts(&c->out, "{");
  if (*date) {
    dconv_util_buf_puts(&c->out, "Daily paper digest of ");
    bib_put_text(c, date, strlen(date), 0);
  }
  if (has_votes)
    dconv_util_buf_printf(&c->out, "%s%lld vote%s", *date ? ", " : "",
                  (long long)votes, votes == 1 ? "" : "s");
  dconv_util_buf_putc(&c->out, '}');
}

static int bib_put_entry(bib_ctx *c, const bib_entry *e) {
  static const char *const months[] = {"jan", "feb", "mar", "apr",
                                       "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"};
  const dconv_host *h = c->h;
  dconv_util_buf *b = &c->out;
  dconv_util_buf_printf(b, "@%s{%s", c->biblatex ? "online" : "misc", e->key);

  const char *title = dconv_util_str(h, e->paper, "title");
  if (*title) {
    bib_field(c, "title");
    dconv_util_buf_putc(b, '{');
    bib_put_text(c, title, strlen(title), 1);
    dconv_util_buf_putc(b, '}');
  }
  bib_put_authors(c, e);
  uint32_t cp = bib_take_unexpressed(c);

  if (c->biblatex && e->year) {
    bib_field(c, "date");
    if (e->month)
      dconv_util_buf_printf(b, "{%04d-%02d}", e->year, e->month);
    else
      dconv_util_buf_printf(b, "{%04d}", e->year);
  } else if (e->year) {
    bib_field(c, "year");
    dconv_util_buf_printf(b, "{%d}", e->year);
    if (e->month) {
      bib_field(c, "month");
      dconv_util_buf_puts(b, months[e->month - 1]); /* the standard macro */
    }
  }
  if (e->id) {
    bib_field(c, "eprint");
    dconv_util_buf_printf(b, "{%s}", e->id);
    bib_field(c, c->biblatex ? "eprinttype" : "archivePrefix");
    dconv_util_buf_puts(b, c->biblatex ? "{arxiv}" : "{arXiv}");
  }
  const char *url = h->node_str(e->paper, "url");
  if (url && *url) {
    bib_field(c, "url");
    dconv_util_buf_putc(b, '{');
    bib_put_url(c, url);
    dconv_util_buf_putc(b, '}');
  }
  if (e->id) {
    bib_field(c, "doi");
    dconv_util_buf_printf(b, "{10.48550/arXiv.%s}", e->id);
  }
  if (c->note)
    bib_put_note(c, e);
  if (c->abstract) {
    int rc = bib_put_abstract(c, e);
    if (rc)
      return rc;
  }
  dconv_util_buf_puts(b, "\n}\n\n");

  int rc = 0;
  if (cp) {
    char what[160];
    snprintf(what, sizeof what,
             "U+%04lX has no classic BibTeX spelling and stays UTF-8 in the "
             "title or authors; -O dialect=biblatex keeps all text as UTF-8",
             (unsigned long)cp);
    rc = bib_warn(c, e->paper, what, e->key);
  }
  if (!rc && !e->id)
    rc = bib_warn(c, e->paper,
                  "no arXiv id: no eprint or doi, and the year is the "
                  "digest's",
                  e->key);
  return rc;
}

/* --------------------------------------------------------------- convert */

static int bibtex_convert(const dconv_host *h, dconv_export *ex) {
  bib_ctx c;
  memset(&c, 0, sizeof c);
  c.h = h;
  c.ex = ex;
  const char *dialect = h->option(ex, "dialect");
  const char *keys = h->option(ex, "keys");
  c.biblatex = dialect && strcmp(dialect, "biblatex") == 0;
  c.keys_id = !keys || strcmp(keys, "id") == 0;
  c.abstract = dconv_util_opt_bool(h, ex, "abstract");
  c.note = dconv_util_opt_bool(h, ex, "note");
  dconv_util_buf_init(&c.out, h);

  size_t cap = 0;
  const dconv_node *root = h->root(ex);
  DCONV_UTIL_FOR_EACH(h, d, root, DCONV_NODE_DIGEST) {
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) { cap++; }
  }
  /* ents and ptrs are owned here and freed on every path below */
  bib_entry *ents = (bib_entry *)h->alloc((cap ? cap : 1) * sizeof *ents);
  bib_entry **ptrs = (bib_entry **)h->alloc((cap ? cap : 1) * sizeof *ptrs);
  size_t n = 0;
  int rc = 0;
  if (!ents || !ptrs)
    rc = h->set_error(ex, DCONV_E_NOMEM, "out of memory");
  if (!rc)
    rc = bib_collect(&c, ents, cap, &n);
  if (!rc)
    rc = bib_unique_keys(&c, ents, n, ptrs);

  if (!rc) {
    /* No '@' in this line: BibTeX would start an entry there. */
    dconv_util_buf_printf(&c.out,
                  "%% %lu entr%s written by dconv bibtex %s "
                  "(dialect=%s, keys=%s)\n\n",
                  (unsigned long)n, n == 1 ? "y" : "ies", BIB_VERSION,
                  c.biblatex ? "biblatex" : "bibtex",
                  c.keys_id ? "id" : "author-year-word");
    for (size_t i = 0; i < n && !rc; i++) {
      rc = bib_put_entry(&c, &ents[i]);
      if (!rc)
        rc = dconv_util_buf_drain(&c.out, ex, 1 << 16);
    }
  }
  if (!rc && c.utf8_abstracts) {
    rc = h->log(ex, DCONV_LOG_WARNING,
                "%lu abstract(s) keep text classic BibTeX cannot spell as "
                "UTF-8; -O dialect=biblatex is meant for that",
                (unsigned long)c.utf8_abstracts);
    if (rc < 0)
      rc = h->set_error(ex, rc, "warning treated as an error (--strict)");
  }
  if (!rc)
    rc = dconv_util_buf_drain(&c.out, ex, 0);
  dconv_util_buf_free(&c.out);
  h->free(ptrs);
  h->free(ents);
  return rc;
}

static const dconv_option bibtex_options[] = {
    {sizeof(dconv_option), DCONV_OPT_ENUM, "dialect", "bibtex",
     "bibtex|biblatex",
     "bibtex: @misc, ASCII LaTeX escapes (plain.bst); biblatex: @online, "
     "UTF-8, eprinttype (biber)"},
    {sizeof(dconv_option), DCONV_OPT_ENUM, "keys", "id",
     "id|author-year-word",
     "citation keys: arxiv2403.17887 (never drifts) or "
     "shapourian2024unreasonable"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "abstract", "false", NULL,
     "add the digest's summary bullets as the abstract field"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "note", "false", NULL,
     "add a note with the digest date and the vote count"},
};

static const dconv_variant bibtex_variants[] = {
    {sizeof(dconv_variant), 0, "biblatex", "bib", "dialect=biblatex",
     "biblatex/biber flavour: @online, UTF-8, eprinttype = {arxiv}"},
};

static const dconv_plugin bibtex_plugin = {
    DCONV_PLUGIN_HEADER,
    0,
    "bibtex",
    BIB_VERSION,
    "one BibTeX entry per paper (arXiv eprint, DOI), for plain.bst or biber",
    "bib",
    bibtex_options,
    sizeof bibtex_options / sizeof bibtex_options[0],
    sizeof bibtex_variants / sizeof bibtex_variants[0],
    bibtex_variants,
    bibtex_convert,
};

DCONV_PLUGIN_DEFINE(bibtex_plugin)
