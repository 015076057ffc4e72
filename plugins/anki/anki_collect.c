/*
 * anki_collect.c - papers, decks and identities.
 *
 * IDENTITY (all derived, nothing random, so re-running never creates "new"
 * things):
 *   - GUID: base62 of SHA-1("dconv-anki:arxiv:" + arXiv id) (version
 *     excluded), or SHA-1("dconv-anki:url-title:" + url + "\n" + title)
 *     for a paper without an arXiv id;
 *   - note and card ids: pseudo-timestamps (Anki ids are creation times in
 *     ms) inside the first day of the paper's arXiv month, picked by the same
 *     hash; always in the past, so Anki's "Check Database" keeps them, and
 *     stable, so Mnemosyne (which matches cards by id) updates its cards;
 *   - deck ids: from SHA-1 of the deck name.
 *
 * Every lookup goes through a dconv_util_strset, so collecting stays linear
 * in the number of papers, digests and deck levels.
 */
#include <string.h>

#include "anki.h"

/** Room for at least `need` elements of `size` bytes in `arr` (capacity
 *  *cap). Returns the possibly moved array, or NULL (then `arr` is still
 *  valid and owned by the caller). */
void *anki_grow(const dconv_host *h, void *arr, size_t *cap,
                       size_t need, size_t size) {
  if (need <= *cap)
    return arr;
  /* From 1, not more: every paper has a dates array, most of one date. */
  size_t n = *cap ? *cap * 2 : 1;
  while (n < need)
    n *= 2;
  void *p = h->realloc(arr, n * size);
  if (p)
    *cap = n;
  return p;
}

/** Big-endian integer of the first `n` bytes of a digest. */
uint64_t anki_be(const uint8_t *d, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++)
    v = (v << 8) | d[i];
  return v;
}

/** SHA-1 of prefix + text[0..len). */
static int anki_sha1_of(const dconv_host *h, const char *prefix,
                        const char *text, size_t len, uint8_t out[20]) {
  dconv_util_buf b;
  dconv_util_buf_init(&b, h);
  dconv_util_buf_puts(&b, prefix);
  dconv_util_buf_add(&b, text, len);
  if (b.failed) {
    dconv_util_buf_free(&b);
    return DCONV_E_NOMEM;
  }
  h->sha1(b.data, b.len, out);
  dconv_util_buf_free(&b);
  return 0;
}

static int anki_nomem(anki_ctx *c) {
  return c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
}

/* ---------------------------------------------------------------- decks */

/* Limits of -O deck= (subdecks add one level of 10 bytes below it). */
#define ANKI_DECK_MAX_BYTES 1024
#define ANKI_DECK_MAX_LEVELS 32

/** Find or add a deck by full name (parents are the caller's business).
 *  Deck ids are SHA-1 of the name, so a name keeps its id across runs. */
static int anki_add_deck(anki_ctx *c, const char *name, size_t len,
                         size_t *out) {
  if (dconv_util_strset_get(&c->deck_names, name, len, out))
    return 0;
  anki_deck *decks = anki_grow(c->h, c->decks, &c->cap_decks, c->n_decks + 1,
                               sizeof *c->decks);
  if (!decks)
    return anki_nomem(c);
  c->decks = decks;
  uint8_t d[20];
  if (anki_sha1_of(c->h, "dconv-anki:deck:", name, len, d))
    return anki_nomem(c);
  /* 40 hash bits plus bit 40: ids in [2^40, 2^41), exact in any JSON
   * reader (< 2^53) and never Anki's Default deck (id 1). */
  int64_t id = (int64_t)(anki_be(d, 5) | (UINT64_C(1) << 40));
  /* The name, its NUL, then the id's bytes: the key of deck_ids, stored
   * where neither the name's nor the array's moves can invalidate it. */
  char *copy = c->h->alloc(len + 1 + sizeof id);
  if (!copy)
    return anki_nomem(c);
  memcpy(copy, name, len);
  copy[len] = '\0';
  memcpy(copy + len + 1, &id, sizeof id);
  size_t other;
  int rc = dconv_util_strset_add(&c->deck_ids, copy + len + 1, sizeof id,
                                 c->n_decks, &other);
  if (rc == 1) {
    c->h->free(copy);
    return c->h->set_error(c->ex, DCONV_E_PLUGIN,
                           "deck ids of '%s' and '%.*s' collide",
                           c->decks[other].name, (int)len, name);
  }
  if (rc == 0)
    rc = dconv_util_strset_add(&c->deck_names, copy, len, c->n_decks, NULL);
  if (rc) {
    /* deck_ids may already borrow the key: keep the copy in the array. */
    c->decks[c->n_decks].name = copy;
    c->decks[c->n_decks++].id = id;
    return anki_nomem(c);
  }
  c->decks[c->n_decks].name = copy;
  c->decks[c->n_decks].id = id;
  *out = c->n_decks++;
  return 0;
}

/** Add `name` and every parent ("A", "A::B" for "A::B::C"). */
static int anki_add_deck_path(anki_ctx *c, const char *name, size_t *out) {
  size_t len = strlen(name), ignored;
  for (size_t i = 0; i + 1 < len; i++) {
    if (name[i] == ':' && name[i + 1] == ':') {
      int rc = anki_add_deck(c, name, i, &ignored);
      if (rc)
        return rc;
      i++;
    }
  }
  return anki_add_deck(c, name, len, out);
}

/** Anki splits deck names at "::" and trims or renames empty levels;
 *  refuse what it would change, so the deck (and its id) is what was asked
 *  for. A single ':' inside a level is fine ("Papers: AI"), but not at a
 *  level's edge, where ":::" would make the split ambiguous. */
int anki_check_deck_name(anki_ctx *c, const char *name) {
  /* Bounded so that adding the parents (one lookup per level, each hashing
   * a prefix) stays small; no real deck comes near either limit. */
  if (strlen(name) > ANKI_DECK_MAX_BYTES)
    return c->h->set_error(c->ex, DCONV_E_OPTION,
                           "deck name: at most %d bytes (got %zu)",
                           ANKI_DECK_MAX_BYTES, strlen(name));
  int levels = 1;
  for (const char *q = strstr(name, "::"); q; q = strstr(q + 2, "::"))
    if (++levels > ANKI_DECK_MAX_LEVELS)
      return c->h->set_error(c->ex, DCONV_E_OPTION,
                             "deck name: at most %d '::' levels",
                             ANKI_DECK_MAX_LEVELS);
  const char *p = name;
  for (;;) {
    const char *end = strstr(p, "::");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == 0 || p[0] == ' ' || p[n - 1] == ' ' || p[0] == ':' ||
        p[n - 1] == ':')
      return c->h->set_error(c->ex, DCONV_E_OPTION,
                             "deck name '%s': every '::' level must be "
                             "non-empty, without outer spaces or colons",
                             name);
    for (size_t i = 0; i < n; i++)
      if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
        return c->h->set_error(c->ex, DCONV_E_OPTION,
                               "deck name '%s': control characters are not "
                               "allowed",
                               name);
    if (!end)
      return 0;
    p = end + 2;
  }
}

/* --------------------------------------------------------------- papers */

/** A tag date for `p`, unless it is the one just added. The host sorts the
 *  digests by date (a stable sort), so a paper's repeated date is always
 *  its last one: O(1) per occurrence, however many dates a paper has. */
static int anki_add_date(const dconv_host *h, anki_paper *p, const char *date) {
  if (p->n_dates && strcmp(p->dates[p->n_dates - 1], date) == 0)
    return 0;
  const char **dates = anki_grow(h, p->dates, &p->cap_dates, p->n_dates + 1,
                                 sizeof *p->dates);
  if (!dates)
    return DCONV_E_NOMEM;
  p->dates = dates;
  p->dates[p->n_dates++] = date;
  return 0;
}

/** Identity string of a paper: its arXiv id, else URL + title. Owned. */
static char *anki_paper_key(const dconv_host *h, const dconv_node *n) {
  dconv_util_buf b;
  dconv_util_buf_init(&b, h);
  const char *id = h->node_str(n, "arxiv_id");
  if (id && *id) {
    dconv_util_buf_puts(&b, "arxiv:");
    dconv_util_buf_puts(&b, id);
  } else {
    dconv_util_buf_puts(&b, "url-title:");
    dconv_util_buf_puts(&b, dconv_util_str(h, n, "url"));
    dconv_util_buf_putc(&b, '\n');
    dconv_util_buf_puts(&b, dconv_util_str(h, n, "title"));
  }
  return dconv_util_buf_detach(&b); /* ownership moves to the caller */
}

/** Record one paper occurrence: a new note, or a merge into the note of the
 *  same identity (the newest occurrence supplies the fields; the first
 *  keeps its date and deck; every date becomes a tag). */
static int anki_collect_paper(anki_ctx *c, const dconv_node *n,
                              const char *date, size_t deck) {
  const dconv_host *h = c->h;
  char *key = anki_paper_key(h, n);
  if (!key)
    return anki_nomem(c);
  size_t at;
  if (dconv_util_strset_get(&c->paper_keys, key, strlen(key), &at)) {
    anki_paper *p = &c->papers[at];
    h->free(key);
    p->latest = n;
    c->merged++;
    if (anki_add_date(h, p, date))
      return anki_nomem(c);
    return 0;
  }
  anki_paper *papers = anki_grow(h, c->papers, &c->cap_papers,
                                 c->n_papers + 1, sizeof *c->papers);
  if (!papers) {
    h->free(key);
    return anki_nomem(c);
  }
  c->papers = papers;
  anki_paper *p = &c->papers[c->n_papers];
  memset(p, 0, sizeof *p);
  p->latest = n;
  p->first_date = date;
  p->key = key; /* owned by the paper from here on */
  p->deck = deck;
  c->n_papers++;
  if (dconv_util_strset_add(&c->paper_keys, key, strlen(key), c->n_papers - 1,
                            NULL) ||
      anki_add_date(h, p, date))
    return anki_nomem(c);
  return 0;
}

/** Walk every digest in date order (the host sorted them). */
int anki_collect(anki_ctx *c) {
  const dconv_host *h = c->h;
  dconv_util_strset_init(&c->paper_keys, h);
  dconv_util_strset_init(&c->deck_names, h);
  dconv_util_strset_init(&c->deck_ids, h);
  int rc = anki_add_deck_path(c, c->deck_opt, &c->main_deck);
  if (rc)
    return rc;
  DCONV_UTIL_FOR_EACH(h, d, h->root(c->ex), DCONV_NODE_DIGEST) {
    const char *date = dconv_util_str(h, d, "date");
    size_t deck = c->main_deck;
    if (c->subdecks && *date) {
      dconv_util_buf name;
      dconv_util_buf_init(&name, h);
      dconv_util_buf_printf(&name, "%s::%s", c->deck_opt, date);
      rc = name.failed ? anki_nomem(c)
                       : anki_add_deck(c, name.data, name.len, &deck);
      dconv_util_buf_free(&name);
      if (rc)
        return rc;
    }
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      if ((rc = anki_collect_paper(c, p, date, deck)) != 0)
        return rc;
    }
  }
  return 0;
}

/* ------------------------------------------------------------------ ids */

static const char anki_base62[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** 64-bit value as 11 base62 digits: only [0-9A-Za-z], so no importer
 *  (Mnemosyne rewrites quotes and '&' in GUIDs) ever alters it. */
static void anki_base62_encode(uint64_t v, char out[12]) {
  for (int i = 10; i >= 0; i--) {
    out[i] = anki_base62[v % 62];
    v /= 62;
  }
  out[11] = '\0';
}

/** Start (ms) of the UTC month encoded in a new-style arXiv id "YYMM.NNNNN",
 *  or -1. */
static int64_t anki_arxiv_month_ms(const char *key) {
  if (strncmp(key, "arxiv:", 6) != 0)
    return -1;
  const char *id = key + 6;
  int year, month;
  /* Only new-style ids ("YYMM." then digits): old-style ids have kept the
   * 2000-01-01 base since the first release, and ids are frozen. */
  if (strchr(id, '/') || strlen(id) < 5 || id[4] != '.' ||
      dconv_util_arxiv_year_month(id, &year, &month) || !month)
    return -1;
  return dconv_util_days_from_civil(year, month, 1) * 86400000;
}

/** Insert `id` into `set`, or the next free id after it; the key bytes are
 *  borrowed from *slot, which receives the id used and must not move while
 *  the set lives (the papers array is complete when ids are assigned). */
static int anki_claim_id(dconv_util_strset *set, int64_t id, int64_t *slot) {
  /* taken: the next one; deterministic because papers come in a fixed
   * order */
  while (dconv_util_strset_get(set, (const char *)&id, sizeof id, NULL))
    id++;
  *slot = id;
  return dconv_util_strset_add(set, (const char *)slot, sizeof *slot, 0, NULL);
}

/** GUID, note id and card id of the note hashed from text[0..len), with
 *  ids based in the arXiv month of `paper_key` (the paper's identity). */
static int anki_identity(const dconv_host *h, dconv_util_strset *notes,
                         dconv_util_strset *cards, const char *paper_key,
                         const char *text, size_t len, char guid[12],
                         int64_t *note_id, int64_t *card_id) {
  uint8_t d[20];
  if (anki_sha1_of(h, "dconv-anki:", text, len, d))
    return DCONV_E_NOMEM;
  anki_base62_encode(anki_be(d, 8), guid);
  int64_t base = anki_arxiv_month_ms(paper_key);
  if (base < 0)
    base = INT64_C(946684800000); /* 2000-01-01T00:00:00Z */
  int rc = anki_claim_id(notes, base + (int64_t)(anki_be(d + 8, 4) % 86400000u),
                         note_id);
  if (!rc)
    rc = anki_claim_id(cards, base + (int64_t)(anki_be(d + 12, 4) % 86400000u),
                       card_id);
  return rc;
}

/** GUIDs and ids for every paper. Ids are pseudo creation times in the
 *  first day of the arXiv month (papers without a new-style id: the first
 *  day of 2000): in the past whenever the paper exists, so never "fixed" by
 *  Anki, and a pure function of the identity, so stable across runs. */
int anki_assign_ids(anki_ctx *c) {
  const dconv_host *h = c->h;
  dconv_util_strset notes, cards;
  dconv_util_strset_init(&notes, h);
  dconv_util_strset_init(&cards, h);
  int rc = 0;
  for (size_t i = 0; i < c->n_papers && !rc; i++) {
    anki_paper *p = &c->papers[i];
    rc = anki_identity(h, &notes, &cards, p->key, p->key, strlen(p->key),
                       p->guid, &p->note_id, &p->card_id);
  }
  /* Extra notes after every paper note, so their ids never push a paper's
   * note or card id to another value (paper ids are claimed even when
   * -O cards leaves the paper card out, for the same reason). */
  dconv_util_buf key;
  dconv_util_buf_init(&key, h);
  for (size_t i = 0; i < c->n_extras && !rc; i++) {
    anki_extra *x = &c->extras[i];
    const anki_paper *p = &c->papers[x->paper];
    dconv_util_buf_truncate(&key, 0);
    dconv_util_buf_puts(&key, p->key);
    if (x->kind == ANKI_CARDS_SECTIONS) {
      dconv_util_buf_puts(&key, "\nsection:");
      dconv_util_buf_puts(&key, x->label);
    } else {
      dconv_util_buf_puts(&key, "\nreverse");
    }
    rc = key.failed ? DCONV_E_NOMEM
                    : anki_identity(h, &notes, &cards, p->key, key.data,
                                    key.len, x->guid, &x->note_id,
                                    &x->card_id);
  }
  dconv_util_buf_free(&key);
  dconv_util_strset_free(&notes);
  dconv_util_strset_free(&cards);
  if (rc)
    return anki_nomem(c);
  /* The identity strings and their lookup served only the ids: free them
   * before the rows are built, while the collection is at its largest. */
  for (size_t i = 0; i < c->n_papers; i++) {
    h->free(c->papers[i].key);
    c->papers[i].key = NULL;
  }
  dconv_util_strset_free(&c->paper_keys);
  return 0;
}

/* Called twice: by the writer as soon as the collection holds everything,
 * and by the driver on every path; the second call finds nothing. */
void anki_free_collected(anki_ctx *c) {
  for (size_t i = 0; i < c->n_papers; i++) {
    c->h->free(c->papers[i].key);
    c->h->free(c->papers[i].dates);
  }
  c->h->free(c->papers);
  c->papers = NULL;
  c->n_papers = c->cap_papers = 0;
  for (size_t i = 0; i < c->n_decks; i++)
    c->h->free(c->decks[i].name);
  c->h->free(c->decks);
  c->decks = NULL;
  c->n_decks = c->cap_decks = 0;
  for (size_t i = 0; i < c->n_extras; i++)
    c->h->free(c->extras[i].label);
  c->h->free(c->extras);
  c->extras = NULL;
  c->n_extras = c->cap_extras = 0;
  if (c->paper_keys.h) {
    dconv_util_strset_free(&c->paper_keys);
    dconv_util_strset_free(&c->deck_names);
    dconv_util_strset_free(&c->deck_ids);
    c->paper_keys.h = NULL;
  }
}
