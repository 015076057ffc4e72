/*
 * bibtex_text.c - text as BibTeX field content.
 *
 * Everything that reaches a field goes through bib_put_text, which only
 * ever emits balanced braces, so no input can break the .bib syntax; LaTeX
 * specials become commands, non-ASCII becomes LaTeX for classic BibTeX,
 * and inline math passes through only when it is made of harmless tokens
 * (bib_math_safe), so a title cannot run TeX primitives in the user's
 * document.
 */
#include "bibtex.h"

#include <string.h>

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

/* What each ASCII byte is, for the loops that look at every byte of a
 * title or name: one table load instead of a switch and range tests (and
 * a call to bib_is_word) per byte. Bytes from 0x80 on are 0: UTF-8 goes
 * through bib_utf8_next and bib_lookup. */
#define BIB_C_PLAIN 1u    /* copied as it is in classic BibTeX */
#define BIB_C_PLAIN_BL 2u /* copied as it is in biblatex */
#define BIB_C_WORD 4u     /* letter or digit: part of a word */
#define BIB_C_UP 8u       /* uppercase letter */
#define BIB_C_DIGIT 16u

#define B_ (BIB_C_PLAIN | BIB_C_PLAIN_BL) /* plain in both dialects */
#define BL BIB_C_PLAIN_BL                 /* < > |: OT1 would misprint */
#define BD (B_ | BIB_C_WORD | BIB_C_DIGIT)
#define BU (B_ | BIB_C_WORD | BIB_C_UP)
#define BW (B_ | BIB_C_WORD)
static const unsigned char bib_ascii[256] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  /* 0x00 */
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  /* 0x10 */
    B_, B_, B_, 0,  0,  0,  0,  B_, B_, B_, B_, B_, B_, B_, B_, B_, /*  !"#$%&'()*+,-./ */
    BD, BD, BD, BD, BD, BD, BD, BD, BD, BD, B_, B_, BL, B_, BL, B_, /* 0-9 :;<=>? */
    B_, BU, BU, BU, BU, BU, BU, BU, BU, BU, BU, BU, BU, BU, BU, BU, /* @A-O */
    BU, BU, BU, BU, BU, BU, BU, BU, BU, BU, BU, B_, 0,  B_, 0,  0,  /* P-Z[\]^_ */
    B_, BW, BW, BW, BW, BW, BW, BW, BW, BW, BW, BW, BW, BW, BW, BW, /* `a-o */
    BW, BW, BW, BW, BW, BW, BW, BW, BW, BW, BW, 0,  BL, 0,  0,  0,  /* p-z{|}~ DEL */
};
#undef B_
#undef BL
#undef BD
#undef BU
#undef BW

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
uint32_t bib_utf8_next(const char *s, size_t n, size_t *len) {
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
int bib_is_word(uint32_t cp) {
  if (cp < 0x80)
    return (bib_ascii[cp] & BIB_C_WORD) != 0;
  const bib_uchar *u = bib_lookup(cp);
  if (u)
    return (u->flags & BIB_WORD) != 0;
  return !(cp >= 0x2000 && cp <= 0x2BFF) && !(cp >= 0x3000 && cp <= 0x303F) &&
         !(cp >= 0xFF00 && cp <= 0xFF0F);
}

static int bib_is_upper(uint32_t cp) {
  if (cp < 0x80)
    return (bib_ascii[cp] & BIB_C_UP) != 0;
  const bib_uchar *u = bib_lookup(cp);
  return u && (u->flags & BIB_UP);
}

uint32_t bib_take_unexpressed(bib_ctx *c) {
  uint32_t cp = c->unexpressed;
  c->unexpressed = 0;
  return cp;
}

/* Append the lowercase ASCII transliteration (see bibtex.h). */
size_t bib_fold(const char *s, size_t n, char *key, size_t klen,
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

/* The bib_ascii bit of bytes copied as they are in c's dialect. */
static unsigned bib_plain_bit(const bib_ctx *c) {
  return c->biblatex ? BIB_C_PLAIN_BL : BIB_C_PLAIN;
}

/* Copy s[i..) while the bib_ascii bits of each byte under `mask` are
 * `want` (plain bytes, of any kind or only in or out of words). Returns
 * the end of the run. */
static size_t bib_put_run(bib_ctx *c, const char *s, size_t n, size_t i,
                          unsigned mask, unsigned want) {
  size_t j = i;
  while (j < n && (bib_ascii[(unsigned char)s[j]] & mask) == want)
    j++;
  dconv_util_buf_add(&c->out, s + i, j - i);
  return j;
}

/* Symbol and font commands math may use. Anything else (\input,
 * \openout, \catcode, \def, \csname, ...) could run TeX primitives in the
 * document of whoever cites the paper, even with -no-shell-escape. */
static const char *const bib_math_commands[] = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta",
    "eta", "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi",
    "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon",
    "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
    "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "sim",
    "approx", "simeq", "equiv", "cong", "propto", "times", "cdot", "cdots",
    "ldots", "dots", "circ", "star", "ast", "pm", "mp", "div", "leq", "geq",
    "le", "ge", "neq", "ne", "ll", "gg", "infty", "partial", "nabla", "sum",
    "prod", "int", "in", "notin", "subset", "subseteq", "supset", "cup",
    "cap", "to", "rightarrow", "leftarrow", "Rightarrow", "Leftarrow",
    "leftrightarrow", "mapsto", "uparrow", "downarrow", "prime", "ell",
    "hbar", "emptyset", "varnothing", "forall", "exists", "neg", "wedge",
    "vee", "oplus", "otimes", "odot", "dagger", "top", "bot", "mid",
    "langle", "rangle", "log", "exp", "lim", "max", "min", "sup", "inf",
    "det", "dim", "Pr", "quad", "qquad", "checkmark", "heartsuit",
    "mathcal", "mathbf", "mathrm", "mathit", "mathbb", "mathsf", "mathtt",
    "boldsymbol", "text", "textbf", "textit", "operatorname", "hat", "tilde",
    "bar", "vec", "dot", "overline", "underline", "widehat", "widetilde",
    NULL};

/* Commands of bib_math_commands from "mathcal" on take an argument: one
 * must follow ({...} or a single letter or digit), or TeX stops with
 * "Missing argument". */
static int bib_math_takes_arg(const char *name, size_t n) {
  static const char first_with_arg[] = "mathcal";
  int after = 0;
  for (const char *const *c = bib_math_commands; *c; c++) {
    if (strcmp(*c, first_with_arg) == 0)
      after = 1;
    if (after && strlen(*c) == n && memcmp(*c, name, n) == 0)
      return 1;
  }
  return 0;
}

/* Is s[0..n), the text between two '$', harmless math? Letters, digits,
 * spaces, ^ _ { } and ordinary punctuation, UTF-8 (mapped to symbols or
 * kept), \ followed by one of , ; ! { } | or a listed command. `^^`
 * (TeX's character-code notation, which can spell any command) and the
 * active characters ~ @ are refused. */
static int bib_math_safe(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
        (ch >= '0' && ch <= '9'))
      continue;
    if (ch == '^' && i + 1 < n && s[i + 1] == '^')
      return 0;
    if (strchr(" ^_{}()[]+-=,.;:!'|/<>*?%#&", ch))
      continue; /* % # & are escaped by bib_put_math */
    if (ch != '\\' || i + 1 >= n)
      return 0;
    if (strchr(",;!{}| ", s[i + 1])) {
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
      j++;
    if (j == i + 1 ||
        !dconv_names_token_in(s + i + 1, j - i - 1, bib_math_commands, 0))
      return 0;
    if (bib_math_takes_arg(s + i + 1, j - i - 1)) {
      size_t k = j;
      while (k < n && s[k] == ' ')
        k++;
      if (k >= n || !(s[k] == '{' || (s[k] >= 'a' && s[k] <= 'z') ||
                      (s[k] >= 'A' && s[k] <= 'Z') ||
                      (s[k] >= '0' && s[k] <= '9')))
        return 0;
    }
    i = j - 1;
  }
  return 1;
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
  return bib_math_safe(s + i + 1, j - i - 1) ? j : 0;
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
    unsigned char ch = (unsigned char)s[i];
    size_t len = 1;
    int up;
    if (ch < 0x80) { /* most title words are ASCII */
      up = (bib_ascii[ch] & BIB_C_UP) != 0;
      has_digit |= (bib_ascii[ch] & BIB_C_DIGIT) != 0;
    } else {
      up = bib_is_upper(bib_utf8_next(s + i, n - i, &len));
    }
    if (up && ncp > 0)
      upper_inside = 1;
    if (up && ncp == 0)
      first_upper = 1;
    has_upper |= up;
    ncp++;
    i += len;
  }
  if (upper_inside || (has_upper && has_digit))
    return 1;
  return ncp == 1 && first_upper && !(n == 1 && s[0] == 'A');
}

/* Running text (title, abstract, note, name parts) as a field value.
 * `title` turns on case protection of words. */
void bib_put_text(bib_ctx *c, const char *s, size_t n, int title) {
  const unsigned plain = bib_plain_bit(c), word = plain | BIB_C_WORD;
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
    unsigned k = bib_ascii[(unsigned char)s[i]];
    if (!title && (k & plain)) {
      /* outside titles words need no case check: copy the whole run */
      i = bib_put_run(c, s, n, i, plain, plain);
      continue;
    }
    if (title && (k & word) == plain) {
      i = bib_put_run(c, s, n, i, word, plain); /* up to the next word */
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
      size_t l2 = 1;
      unsigned char ch = (unsigned char)s[j];
      if (ch < 0x80 ? !(bib_ascii[ch] & BIB_C_WORD)
                    : !bib_is_word(bib_utf8_next(s + j, n - j, &l2)))
        break;
      j += l2;
    }
    int brace = title && bib_word_needs_braces(s + i, j - i);
    if (brace)
      dconv_util_buf_putc(&c->out, '{');
    while (i < j) {
      if ((unsigned char)s[i] < 0x80) {
        i = bib_put_run(c, s, j, i, word, word);
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

