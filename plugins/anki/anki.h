/*
 * anki.h - private to the anki writer: the model every file of it shares.
 *
 *   anki_notetype.c  the frozen note type, the schema and the col JSON
 *                    (models, decks, dconf, conf): a diff there is a
 *                    compatibility change;
 *   anki_collect.c   papers, decks and identities (GUIDs, note/card ids);
 *   anki_html.c      the HTML of each note's fields;
 *   anki_cards.c     the extra cards (-O cards=sections,reverse);
 *   anki_media.c     thumbnails (-O thumbnail, -O media-dir);
 *   anki_db.c        the SQLite collection and the package entries;
 *   anki.c           options and the driver.
 *
 * Functions that can fail return 0 or a negative DCONV_E_* code and have
 * set the message with host->set_error.
 */
#ifndef DCONV_ANKI_H
#define DCONV_ANKI_H

#include <stddef.h>
#include <stdint.h>

#include <dconv/plugin.h>
#include <dconv/util.h>

#include "../common/xml_escape.h"

/* Frozen: 2024-03-27T00:00:00Z in ms, the date of the first sample digest.
 * Anki treats note type ids as creation times; a past one is never "fixed". */
#define ANKI_MODEL_ID INT64_C(1711497600000)
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

/* Second note type, for the extra cards (-O cards=sections|reverse), new in
 * anki 1.1.0 and frozen from then on: 1 ms after the paper note type. A
 * separate note type (rather than more templates or fields in the first)
 * keeps every existing paper note's type, GUID and ids unchanged, so
 * importing a new deck over an old one updates instead of duplicating. */
#define ANKI_CARD_MODEL_ID INT64_C(1711497600001)

/* Frozen field order of the card note type; Key is its sort field. */
enum {
  ANKI_C_KEY,
  ANKI_C_FRONT,
  ANKI_C_BACK,
  ANKI_C_CONTEXT,
  ANKI_C_ARXIV,
  ANKI_C_DATE,
  ANKI_C_URL,
  ANKI_C_THUMBNAIL,
  ANKI_C_KIND,
  ANKI_C_N_FIELDS
};

/* -O cards= bits. */
#define ANKI_CARDS_PAPER 1u
#define ANKI_CARDS_SECTIONS 2u
#define ANKI_CARDS_REVERSE 4u

/** One deck of the package (the main deck, its parents, its subdecks). */
typedef struct anki_deck {
  char *name; /* owned (host->alloc); the 8 bytes of `id` follow its NUL,
                 so the id set can borrow a key that never moves */
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
  const char *thumb; /* borrowed: media name or URL for <img src>, or NULL */
} anki_paper;

/** An extra note (one card): a labelled section of a paper's summary, or
 *  the reverse card (summary -> title). */
typedef struct anki_extra {
  size_t paper;             /* index into papers */
  unsigned kind;            /* ANKI_CARDS_SECTIONS or ANKI_CARDS_REVERSE */
  const dconv_node *item;   /* sections: the labelled item */
  char *label;              /* sections: owned label text, else NULL */
  int64_t note_id, card_id;
  char guid[12];
} anki_extra;

/** A file of the package's media map ("0", "1", ... in the zip). */
typedef struct anki_media {
  char *name;          /* owned: "ARXIVID.png" (the field's <img src>) */
  unsigned char *data; /* owned bytes */
  size_t len;
} anki_media;

typedef struct anki_ctx {
  const dconv_host *h;
  dconv_export *ex;
  int64_t mod; /* seconds */
  const char *deck_opt;
  int subdecks;
  unsigned cards;        /* ANKI_CARDS_* */
  int thumbnail;         /* -O thumbnail=true */
  const char *media_dir; /* -O media-dir, or NULL */

  anki_paper *papers;
  size_t n_papers, cap_papers;
  dconv_util_strset paper_keys; /* key -> index into papers */
  size_t merged; /* duplicate occurrences folded into an existing note */

  anki_deck *decks;
  size_t n_decks, cap_decks;
  dconv_util_strset deck_names; /* name -> index into decks */
  dconv_util_strset deck_ids;   /* 8 id bytes -> index into decks */
  size_t main_deck;

  anki_extra *extras;
  size_t n_extras, cap_extras;

  anki_media *media;
  size_t n_media, cap_media;

  xml_escape esc; /* libxml2's escaping of field text (anki_put_html) */

  struct sqlite3 *db;
  int scratch_fd;          /* the collection's unlinked file, or -1 */
  const char *scratch_dir; /* where it was made (for messages) */
} anki_ctx;

/* anki_collect.c */
int anki_check_deck_name(anki_ctx *c, const char *name);
int anki_collect(anki_ctx *c);
int anki_assign_ids(anki_ctx *c);
uint64_t anki_be(const uint8_t *d, int n);
void *anki_grow(const dconv_host *h, void *arr, size_t *cap, size_t need,
                size_t size);
void anki_free_collected(anki_ctx *c);

/* anki_cards.c */
int anki_collect_extras(anki_ctx *c);
int anki_put_extra_fields(anki_ctx *c, dconv_util_buf *b, const anki_extra *x,
                          size_t *sort_len);

/* anki_media.c */
int anki_collect_media(anki_ctx *c);
void anki_put_thumb(anki_ctx *c, dconv_util_buf *b, const anki_paper *p);
int anki_add_media_entries(anki_ctx *c);
void anki_free_media(anki_ctx *c);

/* anki_html.c */
int anki_put_fields(anki_ctx *c, dconv_util_buf *b, const anki_paper *p,
                    size_t *sort_len);
size_t anki_strip_html(const char *s, size_t len, char *out);
void anki_put_html(anki_ctx *c, dconv_util_buf *b, const char *s);
/* A title: simple inline TeX shown as Unicode, then as anki_put_html. */
void anki_put_title_html(anki_ctx *c, dconv_util_buf *b,
                         const char *title);
int anki_put_inlines(anki_ctx *c, dconv_util_buf *b, const dconv_node *item,
                     int skip_label);
void anki_put_list_open(dconv_util_buf *b, int ordered, int64_t start);
int anki_put_summary(anki_ctx *c, dconv_util_buf *b, const dconv_node *paper);
void anki_put_authors(anki_ctx *c, dconv_util_buf *b,
                      const dconv_node *p);

/* anki_notetype.c */
extern const char anki_schema_sql[]; /* the tables */
extern const char anki_index_sql[];  /* their indexes */
extern const char anki_dconf_json[];
void anki_put_models(anki_ctx *c, dconv_util_buf *b);
void anki_put_decks(anki_ctx *c, dconv_util_buf *b);
void anki_put_conf(anki_ctx *c, dconv_util_buf *b);

/* anki_db.c */
int anki_write_collection(anki_ctx *c);

#endif /* DCONV_ANKI_H */
