/*
 * anki - the digests as an Anki deck (.apkg), one note per paper.
 *
 * Package (built by the host from add_entry calls, in this order):
 *   collection.anki2  SQLite database in Anki's legacy schema 11, which every
 *                     Anki version (and AnkiDroid, Mnemosyne, ...) imports;
 *   media             JSON map of media files: always "{}" (never fetched).
 *
 * The database is built in memory with one transaction and prepared
 * statements, then serialised with sqlite3_serialize(): no temp files.
 *
 * FROZEN NOTE TYPE. Anki re-import updates an existing note only when the
 * GUID matches, the note type is the same (same id and same field/template
 * layout) and the incoming `mod` is newer. So everything below marked
 * "frozen" must never change for the life of the format; adding a field
 * would need a new note type id (and would duplicate every note).
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
 * MOD: every note, card, deck and the note type get mod = host->timestamp()
 * ($SOURCE_DATE_EPOCH, else midnight UTC of the newest digest date). Newer
 * digests therefore give a newer mod and update the notes on re-import.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include <dconv/plugin.h>

#include <dconv/util.h>

/* ------------------------------------------------------- frozen note type */

/* Frozen: 2024-03-27T00:00:00Z in ms, the date of the first sample digest.
 * Anki treats note type ids as creation times; a past one is never "fixed". */
#define ANKI_MODEL_ID INT64_C(1711497600000)
#define ANKI_MODEL_NAME "Daily Paper (dconv)"
#define ANKI_TEMPLATE_NAME "Title -> Summary"
#define ANKI_DEFAULT_DECK_ID 1 /* Anki's "Default" deck, always present */

/* Frozen field order; ArxivID (index 0) is the sort field and the first
 * field Anki uses for its duplicate check. */
enum {
  ANKI_F_ARXIV,
  ANKI_F_TITLE,
  ANKI_F_AUTHORS,
  ANKI_F_SUMMARY,
  ANKI_F_VOTES,
  ANKI_F_DATE,
  ANKI_F_URL,
  ANKI_N_FIELDS
};
static const char *const anki_field_names[ANKI_N_FIELDS] = {
    "ArxivID", "Title", "Authors", "Summary", "Votes", "Date", "URL"};
#define ANKI_SORT_FIELD ANKI_F_ARXIV

static const char anki_qfmt[] =
    "<div class=\"dp-title\" lang=\"en\">{{Title}}</div>\n"
    "{{#Authors}}<div class=\"dp-authors\" lang=\"en\">{{Authors}}</div>"
    "{{/Authors}}";

/* {{URL}} holds HTML-escaped text, which is exactly what an attribute
 * value needs, so it can go into href as it is. */
static const char anki_afmt[] =
    "{{FrontSide}}\n"
    "<hr id=\"answer\">\n"
    "<div class=\"dp-summary\" lang=\"ko\">{{Summary}}</div>\n"
    "<div class=\"dp-meta\">{{#ArxivID}}arXiv:{{ArxivID}}{{/ArxivID}}"
    "{{#Votes}} &middot; &#9650; {{Votes}}{{/Votes}}"
    "{{#Date}} &middot; {{Date}}{{/Date}}"
    "{{#URL}} &middot; <a href=\"{{URL}}\">{{URL}}</a>{{/URL}}</div>";

/* keep-all: Korean breaks lines between words, not between syllables. */
static const char anki_css[] =
    ".card {\n"
    "  font-family: sans-serif;\n"
    "  font-size: 18px;\n"
    "  line-height: 1.5;\n"
    "  text-align: left;\n"
    "  word-break: keep-all;\n"
    "  overflow-wrap: break-word;\n"
    "}\n"
    ".dp-title { font-size: 1.2em; font-weight: bold; }\n"
    ".dp-authors { font-size: 0.85em; opacity: 0.75; margin-top: 0.3em; }\n"
    ".dp-summary { margin-top: 0.5em; }\n"
    ".dp-summary li { margin-bottom: 0.3em; }\n"
    ".dp-meta { font-size: 0.8em; opacity: 0.75; margin-top: 1em; }\n";

/* Exactly the tables and indexes of Anki's schema 11 (rslib schema11.sql). */
static const char anki_schema_sql[] =
    "CREATE TABLE col (id integer primary key, crt integer not null,"
    " mod integer not null, scm integer not null, ver integer not null,"
    " dty integer not null, usn integer not null, ls integer not null,"
    " conf text not null, models text not null, decks text not null,"
    " dconf text not null, tags text not null);"
    "CREATE TABLE notes (id integer primary key, guid text not null,"
    " mid integer not null, mod integer not null, usn integer not null,"
    " tags text not null, flds text not null, sfld integer not null,"
    " csum integer not null, flags integer not null, data text not null);"
    "CREATE TABLE cards (id integer primary key, nid integer not null,"
    " did integer not null, ord integer not null, mod integer not null,"
    " usn integer not null, type integer not null, queue integer not null,"
    " due integer not null, ivl integer not null, factor integer not null,"
    " reps integer not null, lapses integer not null, left integer not null,"
    " odue integer not null, odid integer not null, flags integer not null,"
    " data text not null);"
    "CREATE TABLE revlog (id integer primary key, cid integer not null,"
    " usn integer not null, ease integer not null, ivl integer not null,"
    " lastIvl integer not null, factor integer not null,"
    " time integer not null, type integer not null);"
    "CREATE TABLE graves (usn integer not null, oid integer not null,"
    " type integer not null);"
    "CREATE INDEX ix_notes_usn ON notes (usn);"
    "CREATE INDEX ix_cards_usn ON cards (usn);"
    "CREATE INDEX ix_revlog_usn ON revlog (usn);"
    "CREATE INDEX ix_cards_nid ON cards (nid);"
    "CREATE INDEX ix_cards_sched ON cards (did, queue, due);"
    "CREATE INDEX ix_revlog_cid ON revlog (cid);"
    "CREATE INDEX ix_notes_csum ON notes (csum);";

/* ----------------------------------------------------------- the model */

/** One deck of the package (the main deck, its parents, its subdecks). */
typedef struct anki_deck {
  char *name; /* owned (host->alloc) */
  int64_t id;
} anki_deck;

/** One note: a paper, merged over every digest that lists its identity. */
typedef struct anki_paper {
  const dconv_node *latest; /* newest occurrence: source of the fields */
  const char *first_date;   /* borrowed: digest date of first occurrence */
  const char **dates;       /* owned array of borrowed dates (tags) */
  size_t n_dates, cap_dates;
  char *key;                /* owned identity string (hash input) */
  size_t deck;              /* index into decks: first occurrence's deck */
  int64_t note_id, card_id;
  char guid[12];
} anki_paper;

typedef struct anki_ctx {
  const dconv_host *h;
  dconv_export *ex;
  int64_t mod; /* seconds */
  const char *deck_opt;
  int subdecks;

  anki_paper *papers;
  size_t n_papers, cap_papers;
  size_t *slots; /* open addressing over papers by key: index+1, 0 = free */
  size_t n_slots;
  size_t merged; /* duplicate occurrences folded into an existing note */

  anki_deck *decks;
  size_t n_decks, cap_decks;
  size_t main_deck;

  sqlite3 *db;
} anki_ctx;

/* FNV-1a over a string; only used to place keys in the dedup table. */
static size_t anki_hash_str(const char *s) {
  uint64_t x = UINT64_C(1469598103934665603);
  for (; *s; s++)
    x = (x ^ (unsigned char)*s) * UINT64_C(1099511628211);
  return (size_t)x;
}

/** Room for at least `need` elements of `size` bytes in `arr` (capacity
 *  *cap). Returns the possibly moved array, or NULL (then `arr` is still
 *  valid and owned by the caller). */
static void *anki_grow(const dconv_host *h, void *arr, size_t *cap,
                       size_t need, size_t size) {
  if (need <= *cap)
    return arr;
  size_t n = *cap ? *cap * 2 : 16;
  while (n < need)
    n *= 2;
  void *p = h->realloc(arr, n * size);
  if (p)
    *cap = n;
  return p;
}

static char *anki_strdup(const dconv_host *h, const char *s, size_t len) {
  char *p = h->alloc(len + 1);
  if (p) {
    memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

/** Big-endian integer of the first `n` bytes of a digest. */
static uint64_t anki_be(const uint8_t *d, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++)
    v = (v << 8) | d[i];
  return v;
}

/** SHA-1 of prefix + text. */
static int anki_sha1_of(const dconv_host *h, const char *prefix,
                        const char *text, uint8_t out[20]) {
  dconv_util_buf b;
  dconv_util_buf_init(&b, h);
  dconv_util_buf_puts(&b, prefix);
  dconv_util_buf_puts(&b, text);
  if (b.failed) {
    dconv_util_buf_free(&b);
    return DCONV_E_NOMEM;
  }
  h->sha1(b.data, b.len, out);
  dconv_util_buf_free(&b);
  return 0;
}

/* ---------------------------------------------------------------- decks */

/** Find or add a deck by full name (parents are the caller's business).
 *  Deck ids are SHA-1 of the name, so a name keeps its id across runs. */
static int anki_add_deck(anki_ctx *c, const char *name, size_t len,
                         size_t *out) {
  for (size_t i = 0; i < c->n_decks; i++) {
    if (strlen(c->decks[i].name) == len &&
        memcmp(c->decks[i].name, name, len) == 0) {
      *out = i;
      return 0;
    }
  }
  anki_deck *decks = anki_grow(c->h, c->decks, &c->cap_decks, c->n_decks + 1,
                               sizeof *c->decks);
  if (!decks)
    return c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  c->decks = decks;
  char *copy = anki_strdup(c->h, name, len);
  if (!copy)
    return c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  uint8_t d[20];
  if (anki_sha1_of(c->h, "dconv-anki:deck:", copy, d)) {
    c->h->free(copy);
    return c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  }
  /* 40 hash bits plus bit 40: ids in [2^40, 2^41), exact in any JSON
   * reader (< 2^53) and never Anki's Default deck (id 1). */
  int64_t id = (int64_t)(anki_be(d, 5) | (UINT64_C(1) << 40));
  for (size_t i = 0; i < c->n_decks; i++) {
    if (c->decks[i].id == id) {
      c->h->free(copy);
      return c->h->set_error(c->ex, DCONV_E_PLUGIN,
                             "deck ids of '%s' and '%s' collide",
                             c->decks[i].name, name);
    }
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
static int anki_check_deck_name(anki_ctx *c, const char *name) {
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

static int anki_add_date(const dconv_host *h, anki_paper *p, const char *date) {
  for (size_t i = 0; i < p->n_dates; i++)
    if (strcmp(p->dates[i], date) == 0)
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
  if (b.failed) {
    dconv_util_buf_free(&b);
    return NULL;
  }
  return b.data; /* ownership moves to the caller */
}

/** Double the dedup table and re-place every paper. */
static int anki_rehash(anki_ctx *c) {
  size_t n = c->n_slots ? c->n_slots * 2 : 1024;
  size_t *slots = c->h->alloc(n * sizeof *slots);
  if (!slots)
    return DCONV_E_NOMEM;
  memset(slots, 0, n * sizeof *slots);
  for (size_t i = 0; i < c->n_papers; i++) {
    size_t s = anki_hash_str(c->papers[i].key) & (n - 1);
    while (slots[s])
      s = (s + 1) & (n - 1);
    slots[s] = i + 1;
  }
  c->h->free(c->slots);
  c->slots = slots;
  c->n_slots = n;
  return 0;
}

/** Record one paper occurrence: a new note, or a merge into the note of the
 *  same identity (the newest occurrence supplies the fields; the first
 *  keeps its date and deck; every date becomes a tag). */
static int anki_collect_paper(anki_ctx *c, const dconv_node *n,
                              const char *date, size_t deck) {
  const dconv_host *h = c->h;
  if ((c->n_papers + 1) * 2 > c->n_slots && anki_rehash(c))
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  char *key = anki_paper_key(h, n);
  if (!key)
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  size_t s = anki_hash_str(key) & (c->n_slots - 1);
  while (c->slots[s] && strcmp(c->papers[c->slots[s] - 1].key, key) != 0)
    s = (s + 1) & (c->n_slots - 1);
  if (c->slots[s]) {
    anki_paper *p = &c->papers[c->slots[s] - 1];
    h->free(key);
    p->latest = n;
    c->merged++;
    if (anki_add_date(h, p, date))
      return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
    return 0;
  }
  anki_paper *papers = anki_grow(h, c->papers, &c->cap_papers,
                                 c->n_papers + 1, sizeof *c->papers);
  if (!papers) {
    h->free(key);
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  }
  c->papers = papers;
  anki_paper *p = &c->papers[c->n_papers];
  memset(p, 0, sizeof *p);
  p->latest = n;
  p->first_date = date;
  p->key = key;
  p->deck = deck;
  c->slots[s] = ++c->n_papers;
  if (anki_add_date(h, p, date))
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  return 0;
}

/** Walk every digest in date order (the host sorted them). */
static int anki_collect(anki_ctx *c) {
  const dconv_host *h = c->h;
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
      rc = name.failed ? h->set_error(c->ex, DCONV_E_NOMEM, "out of memory")
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
  for (int i = 0; i < 4; i++)
    if (id[i] < '0' || id[i] > '9')
      return -1;
  if (id[4] != '.')
    return -1;
  int yy = (id[0] - '0') * 10 + (id[1] - '0');
  int mm = (id[2] - '0') * 10 + (id[3] - '0');
  if (mm < 1 || mm > 12)
    return -1;
  /* Days from 1970-01-01 to the 1st of the month (proleptic Gregorian). */
  int y = 2000 + yy, m = mm;
  if (m <= 2)
    y--, m += 12;
  int64_t days = (int64_t)365 * y + y / 4 - y / 100 + y / 400 +
                 (153 * (m - 3) + 2) / 5 + 1 - 719469;
  return days * 86400000;
}

/** Tiny open-addressing set of ids, to keep note and card ids unique. */
typedef struct anki_idset {
  int64_t *v; /* owned; 0 = free (ids are always > 0) */
  size_t n;
} anki_idset;

/** Insert `id`, or the next free id after it; returns the id used. */
static int64_t anki_idset_claim(anki_idset *s, int64_t id) {
  for (;;) {
    size_t i = (size_t)((uint64_t)id * UINT64_C(0x9E3779B97F4A7C15) >> 20) &
               (s->n - 1);
    while (s->v[i] && s->v[i] != id)
      i = (i + 1) & (s->n - 1);
    if (!s->v[i]) {
      s->v[i] = id;
      return id;
    }
    id++; /* taken: deterministic because papers come in a fixed order */
  }
}

/** GUIDs and ids for every paper. Ids are pseudo creation times in the
 *  first day of the arXiv month (papers without a new-style id: the first
 *  day of 2000): in the past whenever the paper exists, so never "fixed" by
 *  Anki, and a pure function of the identity, so stable across runs. */
static int anki_assign_ids(anki_ctx *c) {
  const dconv_host *h = c->h;
  anki_idset notes = {0}, cards = {0};
  notes.n = cards.n = 16;
  while (notes.n < c->n_papers * 2 + 2)
    notes.n *= 2;
  cards.n = notes.n;
  notes.v = h->alloc(notes.n * sizeof *notes.v);
  cards.v = h->alloc(cards.n * sizeof *cards.v);
  if (!notes.v || !cards.v) {
    h->free(notes.v);
    h->free(cards.v);
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  }
  memset(notes.v, 0, notes.n * sizeof *notes.v);
  memset(cards.v, 0, cards.n * sizeof *cards.v);
  int rc = 0;
  for (size_t i = 0; i < c->n_papers; i++) {
    anki_paper *p = &c->papers[i];
    uint8_t d[20];
    if ((rc = anki_sha1_of(h, "dconv-anki:", p->key, d)) != 0) {
      rc = h->set_error(c->ex, rc, "out of memory");
      break;
    }
    anki_base62_encode(anki_be(d, 8), p->guid);
    int64_t base = anki_arxiv_month_ms(p->key);
    if (base < 0)
      base = INT64_C(946684800000); /* 2000-01-01T00:00:00Z */
    p->note_id = anki_idset_claim(
        &notes, base + (int64_t)(anki_be(d + 8, 4) % 86400000u));
    p->card_id = anki_idset_claim(
        &cards, base + (int64_t)(anki_be(d + 12, 4) % 86400000u));
  }
  h->free(notes.v);
  h->free(cards.v);
  return rc;
}

/* ----------------------------------------------------------- HTML fields */

/** Append text as HTML: escape & < > " and drop control characters (0x1f
 *  separates fields in Anki's flds column). */
static void anki_put_html(dconv_util_buf *b, const char *s) {
  const char *run = s;
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    const char *rep;
    switch (ch) {
    case '&':
      rep = "&amp;";
      break;
    case '<':
      rep = "&lt;";
      break;
    case '>':
      rep = "&gt;";
      break;
    case '"':
      rep = "&quot;";
      break;
    default:
      if (ch >= 0x20 || ch == '\t')
        continue;
      rep = ch == '\n' ? " " : "";
    }
    dconv_util_buf_add(b, run, (size_t)(s - run));
    dconv_util_buf_puts(b, rep);
    run = s + 1;
  }
  dconv_util_buf_add(b, run, (size_t)(s - run));
}

/** Inline content of a summary item as HTML: code, emphasis and links are
 *  kept; unknown node kinds are skipped with their subtree. */
static int anki_put_inlines(anki_ctx *c, dconv_util_buf *b, const dconv_node *item) {
  const dconv_host *h = c->h;
  dconv_util_inlines w;
  if (dconv_util_inlines_open(&w, h, item))
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  const dconv_node *n;
  uint32_t kind;
  int ev;
  while ((ev = dconv_util_inlines_next(&w, &n, &kind)) != DCONV_EVENT_DONE) {
    int enter = ev == DCONV_EVENT_ENTER;
    switch (kind) {
    case DCONV_NODE_TEXT:
      if (enter)
        anki_put_html(b, dconv_util_str(h, n, "text"));
      break;
    case DCONV_NODE_CODE:
      if (enter) {
        dconv_util_buf_puts(b, "<code>");
        anki_put_html(b, dconv_util_str(h, n, "text"));
        dconv_util_buf_puts(b, "</code>");
      }
      break;
    case DCONV_NODE_EMPH:
      dconv_util_buf_puts(b, enter ? "<em>" : "</em>");
      break;
    case DCONV_NODE_STRONG:
      dconv_util_buf_puts(b, enter ? "<strong>" : "</strong>");
      break;
    default: /* DCONV_NODE_LINK */
      if (enter) {
        dconv_util_buf_puts(b, "<a href=\"");
        anki_put_html(b, dconv_util_str(h, n, "url"));
        dconv_util_buf_puts(b, "\">");
      } else {
        dconv_util_buf_puts(b, "</a>");
      }
      break;
    }
  }
  dconv_util_inlines_close(&w);
  return 0;
}

#define ANKI_MAX_DEPTH 32

/** Summary bullets as nested <ul>/<ol> lists. Items arrive flat with a
 *  depth; a deeper item opens a list inside the still-open <li>. */
static int anki_put_summary(anki_ctx *c, dconv_util_buf *b, const dconv_node *paper) {
  const dconv_host *h = c->h;
  char kind[ANKI_MAX_DEPTH]; /* 'u' or 'o' for each open list */
  int open = 0, rc;
  DCONV_UTIL_FOR_EACH(h, item, paper, DCONV_NODE_ITEM) {
    int64_t depth = dconv_util_int(h, item, "depth", 0);
    int d = depth < 0 ? 0 : depth >= ANKI_MAX_DEPTH ? ANKI_MAX_DEPTH - 1
                                                    : (int)depth;
    if (d > open)
      d = open; /* never skip a level: at most one list deeper */
    char want = dconv_util_int(h, item, "ordered", 0) ? 'o' : 'u';
    while (open > d + 1) {
      dconv_util_buf_puts(b, kind[--open] == 'o' ? "</li></ol>" : "</li></ul>");
    }
    if (open == d + 1) {
      if (kind[d] != want)
        dconv_util_buf_puts(b, kind[--open] == 'o' ? "</li></ol>" : "</li></ul>");
      else
        dconv_util_buf_puts(b, "</li>");
    }
    if (open == d) {
      int64_t num = dconv_util_int(h, item, "number", 1);
      if (want == 'o' && num != 1)
        dconv_util_buf_printf(b, "<ol start=\"%lld\">", (long long)num);
      else
        dconv_util_buf_puts(b, want == 'o' ? "<ol>" : "<ul>");
      kind[open++] = want;
    }
    dconv_util_buf_puts(b, "<li>");
    if ((rc = anki_put_inlines(c, b, item)) != 0)
      return rc;
  }
  while (open > 0)
    dconv_util_buf_puts(b, kind[--open] == 'o' ? "</li></ol>" : "</li></ul>");
  return 0;
}

/** Authors joined by ", " ("; " when a name holds a comma), with "…" where
 *  the digest elided authors. */
static void anki_put_authors(const dconv_host *h, dconv_util_buf *b,
                             const dconv_node *p) {
  dconv_util_join_authors(h, b, p, "\xE2\x80\xA6", 0, anki_put_html); /* U+2026 */
}

/** The seven fields, each followed by 0x1f except the last (Anki's flds).
 *  `sort_len` receives the length of the sort field's HTML. */
static int anki_put_fields(anki_ctx *c, dconv_util_buf *b, const anki_paper *p,
                           size_t *sort_len) {
  const dconv_host *h = c->h;
  const dconv_node *n = p->latest;
  int64_t votes;
  int rc;
  anki_put_html(b, dconv_util_str(h, n, "arxiv_id")); /* ANKI_F_ARXIV */
  *sort_len = b->len;
  dconv_util_buf_putc(b, '\x1f');
  anki_put_html(b, dconv_util_str(h, n, "title")); /* ANKI_F_TITLE */
  dconv_util_buf_putc(b, '\x1f');
  anki_put_authors(h, b, n); /* ANKI_F_AUTHORS */
  dconv_util_buf_putc(b, '\x1f');
  if ((rc = anki_put_summary(c, b, n)) != 0) /* ANKI_F_SUMMARY */
    return rc;
  dconv_util_buf_putc(b, '\x1f');
  if (h->node_int(n, "votes", &votes) == 0) /* ANKI_F_VOTES */
    dconv_util_buf_printf(b, "%lld", (long long)votes);
  dconv_util_buf_putc(b, '\x1f');
  anki_put_html(b, p->first_date); /* ANKI_F_DATE */
  dconv_util_buf_putc(b, '\x1f');
  anki_put_html(b, dconv_util_str(h, n, "url")); /* ANKI_F_URL */
  return 0;
}

/** Anki's sort-field text: the field with HTML tags removed and the
 *  entities we emit decoded. Written into `out` (at least len+1 bytes). */
static size_t anki_strip_html(const char *s, size_t len, char *out) {
  static const struct {
    const char *ent;
    char ch;
  } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    if (s[i] == '<') {
      while (i < len && s[i] != '>')
        i++;
      i += i < len;
      continue;
    }
    if (s[i] == '&') {
      size_t k;
      for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
        size_t el = strlen(ents[k].ent);
        if (len - i >= el && memcmp(s + i, ents[k].ent, el) == 0) {
          out[o++] = ents[k].ch;
          i += el;
          break;
        }
      }
      if (k < sizeof ents / sizeof ents[0])
        continue;
    }
    out[o++] = s[i++];
  }
  out[o] = '\0';
  return o;
}

/* --------------------------------------------------------- col JSON */

/** Append a JSON string literal (RFC 8259 escaping). */
static void anki_put_json_str(dconv_util_buf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  dconv_util_buf_putc(b, '"');
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') {
      dconv_util_buf_putc(b, '\\');
      dconv_util_buf_putc(b, (char)ch);
    } else if (ch == '\n') {
      dconv_util_buf_puts(b, "\\n");
    } else if (ch < 0x20) {
      char esc[7] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15], 0};
      dconv_util_buf_puts(b, esc);
    } else {
      dconv_util_buf_putc(b, (char)ch);
    }
  }
  dconv_util_buf_putc(b, '"');
}

/** `models`: the one frozen note type, with every key the schema-11 loaders
 *  of Anki (rslib NotetypeSchema11), AnkiDroid and Mnemosyne read. */
static void anki_put_models(anki_ctx *c, dconv_util_buf *b) {
  long long mid = (long long)ANKI_MODEL_ID;
  dconv_util_buf_printf(b, "{\"%lld\":{\"id\":%lld,\"name\":", mid, mid);
  anki_put_json_str(b, ANKI_MODEL_NAME);
  dconv_util_buf_printf(b,
                ",\"type\":0,\"mod\":%lld,\"usn\":-1,\"sortf\":%d,"
                "\"did\":%lld,\"tmpls\":[{\"name\":",
                (long long)c->mod, ANKI_SORT_FIELD,
                (long long)c->decks[c->main_deck].id);
  anki_put_json_str(b, ANKI_TEMPLATE_NAME);
  dconv_util_buf_puts(b, ",\"ord\":0,\"qfmt\":");
  anki_put_json_str(b, anki_qfmt);
  dconv_util_buf_puts(b, ",\"afmt\":");
  anki_put_json_str(b, anki_afmt);
  dconv_util_buf_puts(b, ",\"bqfmt\":\"\",\"bafmt\":\"\",\"did\":null,"
                 "\"bfont\":\"\",\"bsize\":0}],\"flds\":[");
  for (int i = 0; i < ANKI_N_FIELDS; i++) {
    dconv_util_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
    anki_put_json_str(b, anki_field_names[i]);
    dconv_util_buf_printf(b,
                  ",\"ord\":%d,\"sticky\":false,\"rtl\":false,"
                  "\"font\":\"Arial\",\"size\":20,\"media\":[],"
                  "\"description\":\"\"}",
                  i);
  }
  dconv_util_buf_puts(b, "],\"css\":");
  anki_put_json_str(b, anki_css);
  dconv_util_buf_puts(b, ",\"latexPre\":");
  anki_put_json_str(b, "\\documentclass[12pt]{article}\n\\special{papersize="
                       "3in,5in}\n\\usepackage[utf8]{inputenc}\n"
                       "\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n"
                       "\\setlength{\\parindent}{0in}\n\\begin{document}\n");
  dconv_util_buf_puts(b, ",\"latexPost\":\"\\\\end{document}\",\"latexsvg\":false,");
  /* The one card needs a non-empty Title. */
  dconv_util_buf_printf(b, "\"req\":[[0,\"any\",[%d]]],\"tags\":[],\"vers\":[]}}",
                ANKI_F_TITLE);
}

static void anki_put_deck(anki_ctx *c, dconv_util_buf *b, int64_t id,
                          const char *name) {
  dconv_util_buf_printf(b, "\"%lld\":{\"id\":%lld,\"mod\":%lld,\"name\":",
                (long long)id, (long long)id, (long long)c->mod);
  anki_put_json_str(b, name);
  dconv_util_buf_puts(b, ",\"usn\":-1,\"lrnToday\":[0,0],\"revToday\":[0,0],"
                 "\"newToday\":[0,0],\"timeToday\":[0,0],"
                 "\"collapsed\":false,\"browserCollapsed\":false,"
                 "\"desc\":\"\",\"dyn\":0,\"conf\":1,"
                 "\"extendNew\":0,\"extendRev\":0}");
}

/** `decks`: Anki's Default deck (id 1, present in every collection) and
 *  ours, in creation order (deterministic). */
static void anki_put_decks(anki_ctx *c, dconv_util_buf *b) {
  dconv_util_buf_putc(b, '{');
  anki_put_deck(c, b, ANKI_DEFAULT_DECK_ID, "Default");
  for (size_t i = 0; i < c->n_decks; i++) {
    dconv_util_buf_putc(b, ',');
    anki_put_deck(c, b, c->decks[i].id, c->decks[i].name);
  }
  dconv_util_buf_putc(b, '}');
}

/** `dconf`: Anki's default options group, every schema-11 key present. */
static const char anki_dconf_json[] =
    "{\"1\":{\"id\":1,\"mod\":0,\"name\":\"Default\",\"usn\":0,"
    "\"maxTaken\":60,\"autoplay\":true,\"timer\":0,\"replayq\":true,"
    "\"dyn\":false,"
    "\"new\":{\"bury\":false,\"delays\":[1.0,10.0],\"initialFactor\":2500,"
    "\"ints\":[1,4,0],\"order\":1,\"perDay\":20,\"separate\":true},"
    "\"rev\":{\"bury\":false,\"ease4\":1.3,\"ivlFct\":1.0,\"maxIvl\":36500,"
    "\"perDay\":200,\"hardFactor\":1.2,\"fuzz\":0.05,\"minSpace\":1},"
    "\"lapse\":{\"delays\":[10.0],\"leechAction\":1,\"leechFails\":8,"
    "\"minInt\":1,\"mult\":0.0}}}";

/** `conf`: collection settings older clients read on open. */
static void anki_put_conf(anki_ctx *c, dconv_util_buf *b) {
  long long did = (long long)c->decks[c->main_deck].id;
  dconv_util_buf_printf(b,
                "{\"activeDecks\":[%lld],\"curDeck\":%lld,\"newSpread\":0,"
                "\"collapseTime\":1200,\"timeLim\":0,\"estTimes\":true,"
                "\"dueCounts\":true,\"curModel\":%lld,\"nextPos\":%llu,"
                "\"sortType\":\"noteFld\",\"sortBackwards\":false,"
                "\"addToCur\":true,\"dayLearnFirst\":false}",
                did, did, (long long)ANKI_MODEL_ID,
                (unsigned long long)c->n_papers + 1);
}

/* ------------------------------------------------------------- database */

static int anki_db_error(anki_ctx *c, const char *what) {
  return c->h->set_error(c->ex, DCONV_E_PLUGIN, "sqlite (%s): %s", what,
                         c->db ? sqlite3_errmsg(c->db) : "cannot open");
}

static int anki_exec(anki_ctx *c, const char *sql) {
  if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return anki_db_error(c, "exec");
  return 0;
}

/** The single col row (id 1). Times: crt in seconds, mod/scm in ms. */
static int anki_insert_col(anki_ctx *c) {
  dconv_util_buf conf, models, decks;
  dconv_util_buf_init(&conf, c->h);
  dconv_util_buf_init(&models, c->h);
  dconv_util_buf_init(&decks, c->h);
  anki_put_conf(c, &conf);
  anki_put_models(c, &models);
  anki_put_decks(c, &decks);
  int rc = 0;
  sqlite3_stmt *st = NULL;
  if (conf.failed || models.failed || decks.failed) {
    rc = c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  } else if (sqlite3_prepare_v2(c->db,
                                "INSERT INTO col VALUES (1,?,?,?,11,0,0,0,"
                                "?,?,?,?,'{}')",
                                -1, &st, NULL) != SQLITE_OK) {
    rc = anki_db_error(c, "prepare col");
  } else {
    int64_t day = c->mod - c->mod % 86400; /* crt: a day boundary */
    sqlite3_bind_int64(st, 1, day);
    sqlite3_bind_int64(st, 2, c->mod * 1000);
    sqlite3_bind_int64(st, 3, c->mod * 1000);
    sqlite3_bind_text(st, 4, conf.data, (int)conf.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, models.data, (int)models.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, decks.data, (int)decks.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, anki_dconf_json, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
      rc = anki_db_error(c, "insert col");
  }
  sqlite3_finalize(st);
  dconv_util_buf_free(&conf);
  dconv_util_buf_free(&models);
  dconv_util_buf_free(&decks);
  return rc;
}

/** " daily-papers dp::DATE ... ": Anki's tag column form (space-padded). */
static void anki_put_tags(dconv_util_buf *b, const anki_paper *p) {
  dconv_util_buf_puts(b, " daily-papers ");
  for (size_t i = 0; i < p->n_dates; i++) {
    dconv_util_buf_puts(b, "dp::");
    for (const char *s = p->dates[i]; *s; s++)
      dconv_util_buf_putc(b, (*s == ' ' || (unsigned char)*s < 0x20) ? '_' : *s);
    dconv_util_buf_putc(b, ' ');
  }
}

static int anki_cmp_note_id(const void *x, const void *y) {
  int64_t a = (*(const anki_paper *const *)x)->note_id;
  int64_t b = (*(const anki_paper *const *)y)->note_id;
  return (a > b) - (a < b);
}

static int anki_cmp_card_id(const void *x, const void *y) {
  int64_t a = (*(const anki_paper *const *)x)->card_id;
  int64_t b = (*(const anki_paper *const *)y)->card_id;
  return (a > b) - (a < b);
}

/** One notes row: fields rendered from the paper's newest occurrence. The
 *  scratch buffers belong to the caller and are reused across rows. */
static int anki_insert_note(anki_ctx *c, sqlite3_stmt *st, const anki_paper *p,
                            dconv_util_buf *flds, dconv_util_buf *tags, dconv_util_buf *sfld) {
  const dconv_host *h = c->h;
  size_t sort_len;
  int rc;
  flds->len = tags->len = sfld->len = 0;
  if ((rc = anki_put_fields(c, flds, p, &sort_len)) != 0)
    return rc;
  anki_put_tags(tags, p);
  dconv_util_buf_reserve(sfld, sort_len);
  if (flds->failed || tags->failed || sfld->failed)
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  sfld->len = anki_strip_html(flds->data, sort_len, sfld->data);
  /* csum: first 4 bytes of SHA-1 of the stripped sort field, read as a
   * big-endian integer, as Anki's field_checksum() computes it. */
  uint8_t d[20];
  h->sha1(sfld->data, sfld->len, d);
  sqlite3_bind_int64(st, 1, p->note_id);
  sqlite3_bind_text(st, 2, p->guid, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, ANKI_MODEL_ID);
  sqlite3_bind_int64(st, 4, c->mod);
  sqlite3_bind_text(st, 5, tags->data, (int)tags->len, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, flds->data, (int)flds->len, SQLITE_STATIC);
  /* Bound as text, as Anki does: the column's integer affinity makes a
   * numeric-looking sort field sort as a number, exactly as in Anki. */
  sqlite3_bind_text(st, 7, sfld->data, (int)sfld->len, SQLITE_STATIC);
  sqlite3_bind_int64(st, 8, (int64_t)anki_be(d, 4));
  rc = sqlite3_step(st) == SQLITE_DONE ? 0 : anki_db_error(c, "insert note");
  sqlite3_reset(st);
  return rc;
}

/** Every note, then every card, each in id order: rows appended in rowid
 *  order fill whole B-tree pages, so the file is smaller and compresses
 *  faster than with inserts in hash order. A card's `due` is its new-card
 *  position, i.e. the paper's first-occurrence order, so Anki still shows
 *  papers in digest order. */
static int anki_insert_notes(anki_ctx *c) {
  const dconv_host *h = c->h;
  sqlite3_stmt *note = NULL, *card = NULL;
  dconv_util_buf flds, tags, sfld;
  dconv_util_buf_init(&flds, h);
  dconv_util_buf_init(&tags, h);
  dconv_util_buf_init(&sfld, h);
  int rc = 0;
  const anki_paper **order =
      h->alloc((c->n_papers ? c->n_papers : 1) * sizeof *order);
  if (!order)
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  for (size_t i = 0; i < c->n_papers; i++)
    order[i] = &c->papers[i];
  if (sqlite3_prepare_v2(c->db,
                         "INSERT INTO notes VALUES (?,?,?,?,-1,?,?,?,?,0,'')",
                         -1, &note, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(c->db,
                         "INSERT INTO cards VALUES (?,?,?,0,?,-1,0,0,?,0,0,0,"
                         "0,0,0,0,0,'')",
                         -1, &card, NULL) != SQLITE_OK) {
    rc = anki_db_error(c, "prepare");
    goto out;
  }
  qsort(order, c->n_papers, sizeof *order, anki_cmp_note_id);
  for (size_t i = 0; i < c->n_papers && !rc; i++)
    rc = anki_insert_note(c, note, order[i], &flds, &tags, &sfld);
  if (rc)
    goto out;
  qsort(order, c->n_papers, sizeof *order, anki_cmp_card_id);
  for (size_t i = 0; i < c->n_papers; i++) {
    const anki_paper *p = order[i];
    sqlite3_bind_int64(card, 1, p->card_id);
    sqlite3_bind_int64(card, 2, p->note_id);
    sqlite3_bind_int64(card, 3, c->decks[p->deck].id);
    sqlite3_bind_int64(card, 4, c->mod);
    sqlite3_bind_int64(card, 5, (int64_t)(p - c->papers) + 1);
    if (sqlite3_step(card) != SQLITE_DONE) {
      rc = anki_db_error(c, "insert card");
      goto out;
    }
    sqlite3_reset(card);
  }
out:
  sqlite3_finalize(note);
  sqlite3_finalize(card);
  dconv_util_buf_free(&flds);
  dconv_util_buf_free(&tags);
  dconv_util_buf_free(&sfld);
  h->free(order);
  return rc;
}

/** Build collection.anki2 in memory and hand its bytes to the package. */
static int anki_write_collection(anki_ctx *c) {
  if (sqlite3_open_v2(":memory:", &c->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
      SQLITE_OK)
    return anki_db_error(c, "open");
  /* Fixed page size and no journal: the bytes depend only on the content
   * and the insert order, so equal input gives an equal file. */
  int rc = anki_exec(c, "PRAGMA page_size=4096; PRAGMA journal_mode=OFF;"
                        "PRAGMA encoding='UTF-8';");
  if (!rc)
    rc = anki_exec(c, "BEGIN");
  if (!rc)
    rc = anki_exec(c, anki_schema_sql);
  if (!rc)
    rc = anki_insert_col(c);
  if (!rc)
    rc = anki_insert_notes(c);
  if (!rc)
    rc = anki_exec(c, "COMMIT");
  if (rc)
    return rc;
  sqlite3_int64 size = 0;
  unsigned char *bytes = sqlite3_serialize(c->db, "main", &size, 0);
  if (!bytes)
    return c->h->set_error(c->ex, DCONV_E_NOMEM,
                           "out of memory serialising the collection");
  /* Every statement is finalised: drop the database's own pages before the
   * host copies the bytes, so two copies are alive at a time, not three. */
  sqlite3_close(c->db);
  c->db = NULL;
  rc = c->h->add_entry(c->ex, "collection.anki2", bytes, (size_t)size,
                       DCONV_ENTRY_DEFLATE);
  sqlite3_free(bytes);
  if (!rc)
    rc = c->h->add_entry(c->ex, "media", "{}", 2, DCONV_ENTRY_DEFLATE);
  return rc;
}

/* --------------------------------------------------------------- entry */

static void anki_free_ctx(anki_ctx *c) {
  for (size_t i = 0; i < c->n_papers; i++) {
    c->h->free(c->papers[i].key);
    c->h->free(c->papers[i].dates);
  }
  c->h->free(c->papers);
  c->h->free(c->slots);
  for (size_t i = 0; i < c->n_decks; i++)
    c->h->free(c->decks[i].name);
  c->h->free(c->decks);
  sqlite3_close(c->db);
}

static int anki_convert(const dconv_host *h, dconv_export *ex) {
  anki_ctx c;
  memset(&c, 0, sizeof c);
  c.h = h;
  c.ex = ex;
  c.mod = h->timestamp(ex);
  c.deck_opt = h->option(ex, "deck");
  c.subdecks = dconv_util_opt_bool(h, ex, "subdecks");
  if (!c.deck_opt)
    c.deck_opt = "Daily Papers";
  int rc = anki_check_deck_name(&c, c.deck_opt);
  if (!rc)
    rc = anki_collect(&c);
  if (!rc && c.merged)
    h->log(ex, DCONV_LOG_INFO,
           "%zu repeated paper(s) merged into existing notes", c.merged);
  if (!rc)
    rc = anki_assign_ids(&c);
  if (!rc)
    rc = anki_write_collection(&c);
  anki_free_ctx(&c);
  return rc;
}

static const dconv_option anki_options[] = {
    {sizeof(dconv_option), DCONV_OPT_STRING, "deck", "Daily Papers", NULL,
     "deck name; '::' nests it under a parent deck"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "subdecks", "false", NULL,
     "one subdeck per digest day: DECK::YYYY-MM-DD"},
};

static const dconv_plugin anki_plugin = {
    DCONV_PLUGIN_HEADER,
    DCONV_PLUGIN_BINARY | DCONV_PLUGIN_CONTAINER,
    "anki",
    "1.0.0",
    "Anki deck (.apkg, legacy schema 11): one note per paper",
    "apkg",
    anki_options,
    sizeof anki_options / sizeof anki_options[0],
    0,
    NULL,
    anki_convert,
};

DCONV_PLUGIN_DEFINE(anki_plugin)
