/*
 * dconv/tex.h - simple inline TeX in titles and summaries, as Unicode text.
 *
 * Paper titles carry bits of LaTeX ("M$^{2}$UGen", "$\sim$20 tasks",
 * "$\mathcal{O}(n)$ attention"). Writers whose readers see text, not TeX
 * (EPUB, KEPUB, Anki, OPML), show them as "M²UGen", "∼20 tasks", "𝒪(n)
 * attention"; writers whose format is TeX-aware (BibTeX) or the source
 * (Markdown, JSON) keep the text as it is.
 *
 * One call per string: dconv_tex_to_unicode(buf, s) appends s to buf with
 * every math span it can map written as Unicode. The rules:
 *
 *  - a math span is "$...$" whose opening '$' is followed by a non-space,
 *    whose closing '$' (the next unescaped '$') follows a non-space, all on
 *    one line, and not both a digit after the opening and one after the
 *    closing '$' ("$5-$10" is money, "$\sim$20" and "$10^{3}$" are math).
 *    Anything else is a dollar sign: "Earn $1 Million", "in $200k", "$5
 *    and $10" stay as written.
 *    "$$" is left alone (display math is not simple);
 *  - inside a span: letters, digits, punctuation and spaces as written;
 *    Greek letters and common symbols (\alpha … \Omega, \sim, \times,
 *    \cdot, \leq, \geq, \neq, \approx, \pm, \infty, \rightarrow, \to, …);
 *    ^x, ^{…} and _x, _{…} when every character has a Unicode superscript
 *    or subscript form; \mathcal{X}, \mathbb{X} as the mathematical
 *    alphabets; \mathrm{…}, \text{…}, \mathbf{…}, \mathit{…} and
 *    \operatorname{…} as their text; \log, \exp, \max, … as their names;
 *    braces of plain groups dropped;
 *  - a span holding anything else (\frac, \sqrt, a superscript 'q', nested
 *    groups in a script) is kept exactly as written, dollars included:
 *    nothing is ever half-converted.
 *
 * Header-only (static inline) like util.h, and built on it: the output goes
 * to a dconv_util_buf (allocation failure is sticky there). Linear in the
 * length of s; no recursion. Not part of the binary ABI.
 */
#ifndef DCONV_TEX_H
#define DCONV_TEX_H

#include <stddef.h>
#include <string.h>

#include <dconv/util.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dconv_tex_sym_ {
  const char *name; /* command name without the backslash */
  const char *utf8;
} dconv_tex_sym_;

/* \name -> text, NULL when unknown. Function names map to themselves. */
static inline const char *dconv_tex_symbol_(const char *name, size_t n) {
  static const dconv_tex_sym_ syms[] = {
      {"alpha", "\xCE\xB1"}, {"beta", "\xCE\xB2"}, {"gamma", "\xCE\xB3"},
      {"delta", "\xCE\xB4"}, {"epsilon", "\xCF\xB5"},
      {"varepsilon", "\xCE\xB5"}, {"zeta", "\xCE\xB6"}, {"eta", "\xCE\xB7"},
      {"theta", "\xCE\xB8"}, {"vartheta", "\xCF\x91"}, {"iota", "\xCE\xB9"},
      {"kappa", "\xCE\xBA"}, {"lambda", "\xCE\xBB"}, {"mu", "\xCE\xBC"},
      {"nu", "\xCE\xBD"}, {"xi", "\xCE\xBE"}, {"pi", "\xCF\x80"},
      {"varpi", "\xCF\x96"}, {"rho", "\xCF\x81"}, {"varrho", "\xCF\xB1"},
      {"sigma", "\xCF\x83"}, {"varsigma", "\xCF\x82"}, {"tau", "\xCF\x84"},
      {"upsilon", "\xCF\x85"}, {"phi", "\xCF\x95"}, {"varphi", "\xCF\x86"},
      {"chi", "\xCF\x87"}, {"psi", "\xCF\x88"}, {"omega", "\xCF\x89"},
      {"Gamma", "\xCE\x93"}, {"Delta", "\xCE\x94"}, {"Theta", "\xCE\x98"},
      {"Lambda", "\xCE\x9B"}, {"Xi", "\xCE\x9E"}, {"Pi", "\xCE\xA0"},
      {"Sigma", "\xCE\xA3"}, {"Upsilon", "\xCE\xA5"}, {"Phi", "\xCE\xA6"},
      {"Psi", "\xCE\xA8"}, {"Omega", "\xCE\xA9"},
      {"sim", "\xE2\x88\xBC"}, {"approx", "\xE2\x89\x88"},
      {"simeq", "\xE2\x89\x83"}, {"times", "\xC3\x97"},
      {"cdot", "\xE2\x8B\x85"}, {"div", "\xC3\xB7"}, {"pm", "\xC2\xB1"},
      {"mp", "\xE2\x88\x93"}, {"leq", "\xE2\x89\xA4"}, {"le", "\xE2\x89\xA4"},
      {"geq", "\xE2\x89\xA5"}, {"ge", "\xE2\x89\xA5"},
      {"neq", "\xE2\x89\xA0"}, {"ne", "\xE2\x89\xA0"},
      {"ll", "\xE2\x89\xAA"}, {"gg", "\xE2\x89\xAB"},
      {"equiv", "\xE2\x89\xA1"}, {"propto", "\xE2\x88\x9D"},
      {"infty", "\xE2\x88\x9E"}, {"partial", "\xE2\x88\x82"},
      {"nabla", "\xE2\x88\x87"}, {"sum", "\xE2\x88\x91"},
      {"prod", "\xE2\x88\x8F"}, {"int", "\xE2\x88\xAB"},
      {"in", "\xE2\x88\x88"}, {"notin", "\xE2\x88\x89"},
      {"subset", "\xE2\x8A\x82"}, {"subseteq", "\xE2\x8A\x86"},
      {"supset", "\xE2\x8A\x83"}, {"cup", "\xE2\x88\xAA"},
      {"cap", "\xE2\x88\xA9"}, {"forall", "\xE2\x88\x80"},
      {"exists", "\xE2\x88\x83"}, {"emptyset", "\xE2\x88\x85"},
      {"rightarrow", "\xE2\x86\x92"}, {"to", "\xE2\x86\x92"},
      {"leftarrow", "\xE2\x86\x90"}, {"gets", "\xE2\x86\x90"},
      {"leftrightarrow", "\xE2\x86\x94"}, {"Rightarrow", "\xE2\x87\x92"},
      {"Leftarrow", "\xE2\x87\x90"}, {"Leftrightarrow", "\xE2\x87\x94"},
      {"longrightarrow", "\xE2\x9F\xB6"}, {"mapsto", "\xE2\x86\xA6"},
      {"uparrow", "\xE2\x86\x91"}, {"downarrow", "\xE2\x86\x93"},
      {"circ", "\xE2\x88\x98"}, {"bullet", "\xE2\x80\xA2"},
      {"star", "\xE2\x8B\x86"}, {"ast", "\xE2\x88\x97"},
      {"dagger", "\xE2\x80\xA0"}, {"ddagger", "\xE2\x80\xA1"},
      {"prime", "\xE2\x80\xB2"}, {"ell", "\xE2\x84\x93"},
      {"hbar", "\xE2\x84\x8F"}, {"ldots", "\xE2\x80\xA6"},
      {"dots", "\xE2\x80\xA6"}, {"cdots", "\xE2\x8B\xAF"},
      {"checkmark", "\xE2\x9C\x93"}, {"degree", "\xC2\xB0"},
      {"%", "%"}, {"$", "$"}, {"&", "&"}, {"#", "#"}, {"_", "_"},
      {"{", "{"}, {"}", "}"}, {",", "\xE2\x80\x89"}, {" ", " "},
      {";", " "}, {"!", ""}, {"quad", " "},
      {"log", "log"}, {"ln", "ln"}, {"exp", "exp"}, {"max", "max"},
      {"min", "min"}, {"sin", "sin"}, {"cos", "cos"}, {"tan", "tan"},
      {"lim", "lim"}, {"arg", "arg"}, {"det", "det"}, {"dim", "dim"},
      {"sup", "sup"}, {"inf", "inf"}, {"mod", "mod"},
  };
  for (size_t i = 0; i < sizeof syms / sizeof *syms; i++)
    if (strlen(syms[i].name) == n && memcmp(syms[i].name, name, n) == 0)
      return syms[i].utf8;
  return NULL;
}

/* Superscript (sup = 1) or subscript form of one ASCII character, or (cmd
 * = 1) of the command named t[0..n) (\prime, \circ, Greek letters), NULL
 * when Unicode has none. */
static inline const char *dconv_tex_script_(int sup, int cmd, const char *t,
                                            size_t n) {
  static const char *const sup_digit[10] = {
      "\xE2\x81\xB0", "\xC2\xB9",     "\xC2\xB2",     "\xC2\xB3",
      "\xE2\x81\xB4", "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7",
      "\xE2\x81\xB8", "\xE2\x81\xB9"};
  /* a..z; "" where Unicode has no modifier letter (q) */
  static const char *const sup_lower[26] = {
      "\xE1\xB5\x83", "\xE1\xB5\x87", "\xE1\xB6\x9C", "\xE1\xB5\x88",
      "\xE1\xB5\x89", "\xE1\xB6\xA0", "\xE1\xB5\x8D", "\xCA\xB0",
      "\xE2\x81\xB1", "\xCA\xB2",     "\xE1\xB5\x8F", "\xCB\xA1",
      "\xE1\xB5\x90", "\xE2\x81\xBF", "\xE1\xB5\x92", "\xE1\xB5\x96",
      "",             "\xCA\xB3",     "\xCB\xA2",     "\xE1\xB5\x97",
      "\xE1\xB5\x98", "\xE1\xB5\x9B", "\xCA\xB7",     "\xCB\xA3",
      "\xCA\xB8",     "\xE1\xB6\xBB"};
  static const char *const sup_upper[26] = {
      "\xE1\xB4\xAC", "\xE1\xB4\xAE", "",             "\xE1\xB4\xB0",
      "\xE1\xB4\xB1", "",             "\xE1\xB4\xB3", "\xE1\xB4\xB4",
      "\xE1\xB4\xB5", "\xE1\xB4\xB6", "\xE1\xB4\xB7", "\xE1\xB4\xB8",
      "\xE1\xB4\xB9", "\xE1\xB4\xBA", "\xE1\xB4\xBC", "\xE1\xB4\xBE",
      "",             "\xE1\xB4\xBF", "",             "\xE1\xB5\x80",
      "\xE1\xB5\x81", "\xE2\xB1\xBD", "\xE1\xB5\x82", "",
      "",             ""};
  static const char *const sub_digit[10] = {
      "\xE2\x82\x80", "\xE2\x82\x81", "\xE2\x82\x82", "\xE2\x82\x83",
      "\xE2\x82\x84", "\xE2\x82\x85", "\xE2\x82\x86", "\xE2\x82\x87",
      "\xE2\x82\x88", "\xE2\x82\x89"};
  static const char *const sub_lower[26] = {
      "\xE2\x82\x90", "", "", "", "\xE2\x82\x91", "", "",
      "\xE2\x82\x95", "\xE1\xB5\xA2", "\xE2\xB1\xBC", "\xE2\x82\x96",
      "\xE2\x82\x97", "\xE2\x82\x98", "\xE2\x82\x99", "\xE2\x82\x92",
      "\xE2\x82\x9A", "", "\xE1\xB5\xA3", "\xE2\x82\x9B", "\xE2\x82\x9C",
      "\xE1\xB5\xA4", "\xE1\xB5\xA5", "", "\xE2\x82\x93", "", ""};
  if (cmd) {
    static const dconv_tex_sym_ sup_cmd[] = {
        {"prime", "\xE2\x80\xB2"}, {"circ", "\xC2\xB0"},
        {"ast", "*"},              {"star", "*"},
        {"dagger", "\xE2\x80\xA0"}, {"alpha", "\xE1\xB5\x85"},
        {"beta", "\xE1\xB5\x9D"},  {"gamma", "\xE1\xB5\x9E"},
        {"delta", "\xE1\xB5\x9F"}, {"theta", "\xE1\xB6\xBF"},
        {"phi", "\xE1\xB5\xA0"},   {"chi", "\xE1\xB5\xA1"}};
    static const dconv_tex_sym_ sub_cmd[] = {
        {"beta", "\xE1\xB5\xA6"}, {"gamma", "\xE1\xB5\xA7"},
        {"rho", "\xE1\xB5\xA8"},  {"phi", "\xE1\xB5\xA9"},
        {"chi", "\xE1\xB5\xAA"}};
    const dconv_tex_sym_ *tab = sup ? sup_cmd : sub_cmd;
    size_t k = sup ? sizeof sup_cmd / sizeof *sup_cmd
                   : sizeof sub_cmd / sizeof *sub_cmd;
    for (size_t i = 0; i < k; i++)
      if (strlen(tab[i].name) == n && memcmp(tab[i].name, t, n) == 0)
        return tab[i].utf8;
    return NULL;
  }
  char c = t[0];
  const char *r = NULL;
  if (c >= '0' && c <= '9')
    r = sup ? sup_digit[c - '0'] : sub_digit[c - '0'];
  else if (c >= 'a' && c <= 'z')
    r = sup ? sup_lower[c - 'a'] : sub_lower[c - 'a'];
  else if (c >= 'A' && c <= 'Z')
    r = sup ? sup_upper[c - 'A'] : NULL;
  else if (c == '+')
    r = sup ? "\xE2\x81\xBA" : "\xE2\x82\x8A";
  else if (c == '-')
    r = sup ? "\xE2\x81\xBB" : "\xE2\x82\x8B";
  else if (c == '=')
    r = sup ? "\xE2\x81\xBC" : "\xE2\x82\x8C";
  else if (c == '(')
    r = sup ? "\xE2\x81\xBD" : "\xE2\x82\x8D";
  else if (c == ')')
    r = sup ? "\xE2\x81\xBE" : "\xE2\x82\x8E";
  else if (c == '*' && sup)
    r = "*";
  return r && *r ? r : NULL;
}

/* \mathcal{X} / \mathbb{X} of one ASCII letter: the letterlike symbols
 * where Unicode put them, else the Mathematical Alphanumeric block. */
static inline void dconv_tex_alphabet_(dconv_util_buf *b, int bb, char c) {
  static const char *const cal_holes = "BEFHILMR";
  static const char *const cal_bmp[] = {
      "\xE2\x84\xAC", "\xE2\x84\xB0", "\xE2\x84\xB1", "\xE2\x84\x8B",
      "\xE2\x84\x90", "\xE2\x84\x92", "\xE2\x84\xB3", "\xE2\x84\x9B"};
  static const char *const bb_holes = "CHNPQRZ";
  static const char *const bb_bmp[] = {"\xE2\x84\x82", "\xE2\x84\x8D",
                                       "\xE2\x84\x95", "\xE2\x84\x99",
                                       "\xE2\x84\x9A", "\xE2\x84\x9D",
                                       "\xE2\x84\xA4"};
  const char *holes = bb ? bb_holes : cal_holes;
  const char *hit = c >= 'A' && c <= 'Z' ? strchr(holes, c) : NULL;
  if (hit) {
    dconv_util_buf_puts(b, (bb ? bb_bmp : cal_bmp)[hit - holes]);
    return;
  }
  /* U+1D49C script capital A, U+1D538 double-struck capital A; lower
   * case only for \mathbb (script small letters have holes too). */
  unsigned long cp = bb ? 0x1D538 : 0x1D49C;
  cp += (unsigned long)(c - 'A');
  if (c >= 'a' && c <= 'z')
    cp = 0x1D552 + (unsigned long)(c - 'a');
  char u[4] = {(char)(0xF0 | (cp >> 18)), (char)(0x80 | ((cp >> 12) & 63)),
               (char)(0x80 | ((cp >> 6) & 63)), (char)(0x80 | (cp & 63))};
  dconv_util_buf_add(b, u, 4);
}

/* The control word or symbol at s[i] == '\\' (i < n): its name in
 * s[*name .. *name + *len), returns the index after it. */
static inline size_t dconv_tex_command_(const char *s, size_t i, size_t n,
                                        size_t *name, size_t *len) {
  size_t k = i + 1;
  if (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z')))
    while (k < n &&
           ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z')))
      k++;
  else if (k < n)
    k++; /* a control symbol: \, \% \{ ... */
  *name = i + 1;
  *len = k - (i + 1);
  return k;
}

/* The math s[0..n) (between the dollars) as Unicode into b; 0 when some
 * part has no mapping (b then holds a partial result the caller drops). */
static inline int dconv_tex_span_(dconv_util_buf *b, const char *s,
                                  size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == '{' || c == '}') { /* a plain group: its braces go */
      i++;
      continue;
    }
    if (c == '^' || c == '_') {
      int sup = c == '^';
      size_t a = i + 1, z;
      if (a < n && s[a] == '{') {
        a++;
        z = a;
        while (z < n && s[z] != '}')
          z++;
        if (z >= n)
          return 0;
        i = z + 1;
      } else if (a < n && s[a] == '\\') {
        size_t nm, nl;
        i = dconv_tex_command_(s, a, n, &nm, &nl);
        const char *r = dconv_tex_script_(sup, 1, s + nm, nl);
        if (!r || nl == 0)
          return 0;
        dconv_util_buf_puts(b, r);
        continue;
      } else if (a < n) {
        z = a + 1;
        i = z;
      } else {
        return 0;
      }
      /* every token of the script group s[a..z) */
      for (size_t k = a; k < z;) {
        const char *r;
        if (s[k] == '{')
          return 0; /* nested groups: not simple */
        if (s[k] == '\\') {
          size_t nm, nl;
          k = dconv_tex_command_(s, k, z, &nm, &nl);
          r = nl ? dconv_tex_script_(sup, 1, s + nm, nl) : NULL;
        } else if (s[k] == ' ') {
          k++;
          continue;
        } else {
          r = dconv_tex_script_(sup, 0, s + k, 1);
          k++;
        }
        if (!r)
          return 0;
        dconv_util_buf_puts(b, r);
      }
      continue;
    }
    if (c != '\\') {
      if (c == '~')
        dconv_util_buf_putc(b, ' ');
      else if (c == '&' || c == '#')
        return 0; /* alignment and parameters: not inline text */
      else
        dconv_util_buf_putc(b, (char)c);
      i++;
      continue;
    }
    size_t nm, nl;
    i = dconv_tex_command_(s, i, n, &nm, &nl);
    if (nl == 0)
      return 0;
    const char *name = s + nm;
    int cal = nl == 7 && !memcmp(name, "mathcal", 7);
    int bb = nl == 6 && !memcmp(name, "mathbb", 6);
    int text = (nl == 6 && !memcmp(name, "mathrm", 6)) ||
               (nl == 4 && !memcmp(name, "text", 4)) ||
               (nl == 6 && !memcmp(name, "textrm", 6)) ||
               (nl == 6 && !memcmp(name, "mathbf", 6)) ||
               (nl == 6 && !memcmp(name, "textbf", 6)) ||
               (nl == 6 && !memcmp(name, "mathit", 6)) ||
               (nl == 6 && !memcmp(name, "textit", 6)) ||
               (nl == 6 && !memcmp(name, "mathsf", 6)) ||
               (nl == 6 && !memcmp(name, "mathtt", 6)) ||
               (nl == 10 && !memcmp(name, "boldsymbol", 10)) ||
               (nl == 12 && !memcmp(name, "operatorname", 12));
    if (cal || bb || text) {
      size_t a = i;
      while (a < n && s[a] == ' ')
        a++;
      if (a >= n)
        return 0;
      size_t z;
      if (s[a] == '{') {
        a++;
        z = a;
        while (z < n && s[z] != '}')
          z++;
        if (z >= n)
          return 0;
        i = z + 1;
      } else {
        z = a + 1;
        i = z;
      }
      for (size_t k = a; k < z; k++) {
        char ch = s[k];
        if (text) {
          if (ch == '\\' || ch == '{' || ch == '^' || ch == '_' ||
              ch == '$' || ch == '&' || ch == '#')
            return 0;
          dconv_util_buf_putc(b, ch);
        } else if ((ch >= 'A' && ch <= 'Z') ||
                   (bb && ch >= 'a' && ch <= 'z')) {
          dconv_tex_alphabet_(b, bb, ch);
        } else if (ch != ' ') {
          return 0;
        }
      }
      continue;
    }
    const char *r = dconv_tex_symbol_(name, nl);
    if (!r)
      return 0;
    dconv_util_buf_puts(b, r);
  }
  return 1;
}

/** Append `s` (NUL-terminated UTF-8) to b, every simple inline math span
 *  written as Unicode text and everything else as it is (see the top of
 *  this file). Allocation failure is sticky in b. */
static inline void dconv_tex_to_unicode(dconv_util_buf *b, const char *s) {
  size_t n = strlen(s), done = 0, i = 0;
  dconv_util_buf span;
  dconv_util_buf_init(&span, b->host);
  while (i < n) {
    const char *d = (const char *)memchr(s + i, '$', n - i);
    if (!d)
      break;
    size_t o = (size_t)(d - s);
    i = o + 1;
    if (o && s[o - 1] == '\\')
      continue; /* \$ is a dollar sign */
    if (i < n && s[i] == '$') {
      i++; /* $$: display math, left alone */
      continue;
    }
    if (i >= n || s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
      continue;
    /* the next unescaped '$' on the line closes, if it may */
    size_t c = i;
    while (c < n && s[c] != '\n' &&
           (s[c] != '$' || s[c - 1] == '\\'))
      c++;
    int digit_in = s[i] >= '0' && s[i] <= '9',
        digit_out = c + 1 < n && s[c + 1] >= '0' && s[c + 1] <= '9';
    if (c >= n || s[c] != '$' || s[c - 1] == ' ' || s[c - 1] == '\t' ||
        (digit_in && digit_out))
      continue; /* a lone dollar: scan on from just after it */
    dconv_util_buf_truncate(&span, 0);
    if (!dconv_tex_span_(&span, s + i, c - i) || span.failed) {
      b->failed |= span.failed;
      i = c + 1; /* unmappable: the span stays as written */
      continue;
    }
    dconv_util_buf_add(b, s + done, o - done);
    if (span.len)
      dconv_util_buf_add(b, span.data, span.len);
    done = i = c + 1;
  }
  dconv_util_buf_add(b, s + done, n - done);
  dconv_util_buf_free(&span);
}

#ifdef __cplusplus
}
#endif

#endif
