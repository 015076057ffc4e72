/*
 * dconv/names.h - split a digest author name into given and family parts.
 *
 * Digest author lists carry no structure ("Daniel A. Roberts", "Leandro von
 * Werra", "Qwen Team"), but citation formats want "Family, Given" (BibTeX,
 * RIS) or {family, given} (CSL-JSON). Every writer that needs the split uses
 * this one implementation, so a name is cut the same way in every format.
 *
 * Header-only (static inline), C11 and C++ compatible, and NOT part of the
 * binary ABI: the code is compiled into each plugin that includes it, so it
 * may change between releases without an ABI bump. It needs nothing from the
 * host and allocates nothing.
 *
 * The rules, in order:
 *   1. "Family, Given" (exactly one comma) is already structured and is kept.
 *   2. Names of teams and companies ("Qwen Team", "LG AI Research": a token
 *      from a fixed list such as Team, Lab, Research, Inc., AI) are corporate:
 *      one unit, never split. So is a name of more than
 *      DCONV_NAMES_MAX_TOKENS tokens.
 *   3. A last token Jr./Sr./II/III/IV (with at least two tokens before it)
 *      is the suffix.
 *   4. The last remaining token is the family name, unless a particle comes
 *      before it: the first inner token that starts lowercase, or is a known
 *      particle (van, von, De, La, Al, ...), starts the family name instead
 *      ("van Werra", "De la Torre"). The first token is never a particle.
 *   Double family names without a hyphen ("Jordi Armengol Estape") cannot be
 *   told from middle names and follow the last-token rule.
 *
 *   dconv_name nm;
 *   dconv_names_split("Ludwig van Beethoven", &nm);
 *   // nm.family == 1: given = tokens [0, 1), family = tokens [1, 2)
 *   size_t len;
 *   const char *fam = dconv_names_span(&nm, nm.family, nm.n, &len);
 *   // fam[0..len) == "van Beethoven"
 */
#ifndef DCONV_NAMES_H
#define DCONV_NAMES_H

#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most tokens a name may have before it is treated as one unit. */
#define DCONV_NAMES_MAX_TOKENS 32

/**
 * A split name. Every pointer is borrowed from the string given to
 * dconv_names_split() and is valid as long as that string is; nothing needs
 * freeing. Tokens are in reading order: given tokens [0, family), then
 * family tokens [family, n), whatever order the input had.
 */
typedef struct dconv_name {
  const char *tok[DCONV_NAMES_MAX_TOKENS]; /* token starts (not NUL-ended) */
  size_t len[DCONV_NAMES_MAX_TOKENS];      /* token lengths in bytes */
  size_t n;           /* number of tokens, the suffix excluded */
  size_t family;      /* index of the first family token (particles in);
                         0 = no given name */
  const char *suffix; /* "Jr." etc., or NULL */
  size_t suffix_len;
  int corporate;      /* 1: a team/company name, to be kept whole */
} dconv_name;

/**
 * Is t[0..n) equal to one of the NULL-terminated `list`? With `fold`, ASCII
 * letters compare case-insensitively. Useful beyond names (e.g. stop words).
 */
static inline int dconv_names_token_in(const char *t, size_t n,
                                       const char *const *list, int fold) {
  for (; *list; list++) {
    if (strlen(*list) != n)
      continue;
    size_t i = 0;
    while (i < n && (fold ? (t[i] | 0x20) == ((*list)[i] | 0x20)
                          : t[i] == (*list)[i]))
      i++;
    if (i == n)
      return 1;
  }
  return 0;
}

/* Append the blank-separated tokens of s[0..n) to nm. A name with too many
 * tokens becomes corporate (one unit) rather than being cut short. */
static inline void dconv_names_tokenize_(const char *s, size_t n,
                                         dconv_name *nm) {
  const char *p = s, *end = s + n;
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t'))
      p++;
    if (p == end)
      break;
    const char *e = p;
    while (e < end && *e != ' ' && *e != '\t')
      e++;
    if (nm->n == DCONV_NAMES_MAX_TOKENS) {
      nm->corporate = 1;
      return;
    }
    nm->tok[nm->n] = p;
    nm->len[nm->n] = (size_t)(e - p);
    nm->n++;
    p = e;
  }
}

/**
 * Split the NUL-terminated UTF-8 `name` into *nm (see the rules above).
 * Never fails; an empty name gives n == 0. For a corporate name, use the
 * whole input string rather than the tokens.
 */
static inline void dconv_names_split(const char *name, dconv_name *nm) {
  static const char *const suffixes[] = {"Jr", "Jr.", "Sr", "Sr.", "II",
                                         "III", "IV", NULL};
  static const char *const particles[] = {
      "van", "von", "de", "der", "den", "del", "della", "di", "da", "dos",
      "das", "du", "la", "le", "ter", "ten", "zu", "bin", "ibn", "al", "el",
      NULL};
  /* case-sensitive: "AI" is a company marker, "Ai" a given name */
  static const char *const corporate[] = {
      "Team", "Lab", "Labs", "Group", "Research", "Consortium",
      "Collaboration", "Contributors", "Inc", "Inc.", "Ltd", "Ltd.",
      "Corporation", "Project", "AI", NULL};
  memset(nm, 0, sizeof *nm);

  /* Rule 1: "Family, Given" - tokenise the given part first so the tokens
   * stay in reading order, then the family part. */
  const char *comma = strchr(name, ',');
  if (comma && !strchr(comma + 1, ',')) {
    dconv_names_tokenize_(comma + 1, strlen(comma + 1), nm);
    size_t given = nm->n;
    dconv_names_tokenize_(name, (size_t)(comma - name), nm);
    if (given > 0 && nm->n > given && !nm->corporate) {
      nm->family = given;
      return;
    }
    memset(nm, 0, sizeof *nm); /* one side empty: treat as unstructured */
  }

  dconv_names_tokenize_(name, strlen(name), nm);
  if (nm->corporate)
    return;
  /* Rule 2 */
  for (size_t i = 0; i < nm->n && nm->n > 1; i++)
    if (dconv_names_token_in(nm->tok[i], nm->len[i], corporate, 0)) {
      nm->corporate = 1;
      return;
    }
  /* Rule 3 */
  if (nm->n >= 3 && dconv_names_token_in(nm->tok[nm->n - 1],
                                         nm->len[nm->n - 1], suffixes, 1)) {
    nm->n--;
    nm->suffix = nm->tok[nm->n];
    nm->suffix_len = nm->len[nm->n];
  }
  /* Rule 4 */
  nm->family = nm->n ? nm->n - 1 : 0;
  for (size_t i = 1; i + 1 < nm->n; i++) {
    if ((nm->tok[i][0] >= 'a' && nm->tok[i][0] <= 'z') ||
        dconv_names_token_in(nm->tok[i], nm->len[i], particles, 1)) {
      nm->family = i;
      break;
    }
  }
}

/**
 * The text covering tokens [from, to) of nm, as one borrowed span of the
 * original string (the blanks between the tokens included as written). The
 * tokens of one part are contiguous in the input, so [0, family) gives the
 * given name and [family, n) the family name. Returns NULL with *len = 0 when
 * the range is empty or crosses from one part into the other (in a
 * "Family, Given" input the parts are in the opposite order).
 */
static inline const char *dconv_names_span(const dconv_name *nm, size_t from,
                                           size_t to, size_t *len) {
  if (from >= to || to > nm->n || (from < nm->family && to > nm->family)) {
    *len = 0;
    return NULL;
  }
  *len = (size_t)(nm->tok[to - 1] + nm->len[to - 1] - nm->tok[from]);
  return nm->tok[from];
}

#ifdef __cplusplus
}
#endif

#endif /* DCONV_NAMES_H */
