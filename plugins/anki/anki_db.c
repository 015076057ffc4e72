/*
 * anki_db.c - collection.anki2, Anki's legacy schema 11, and the package.
 *
 * The database is built in memory with one transaction and prepared
 * statements, then serialised with sqlite3_serialize(): no temp files.
 *
 * MOD: every note, card, deck and the note type get mod = host->timestamp()
 * ($SOURCE_DATE_EPOCH, else midnight UTC of the newest digest date). Newer
 * digests therefore give a newer mod and update the notes on re-import.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "anki.h"

/** An SQLite failure: out of memory is DCONV_E_NOMEM (exit 5) like any
 *  other, everything else the plugin's error. A NULL handle means the
 *  open itself failed, which for ":memory:" only memory can make happen. */
static int anki_db_error(anki_ctx *c, const char *what) {
  if (!c->db || sqlite3_errcode(c->db) == SQLITE_NOMEM)
    return c->h->set_error(c->ex, DCONV_E_NOMEM,
                           "sqlite (%s): out of memory", what);
  return c->h->set_error(c->ex, DCONV_E_PLUGIN, "sqlite (%s): %s", what,
                         sqlite3_errmsg(c->db));
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

/** " daily-papers dp::YYYY::MM::DD ... ": Anki's tag column form
 *  (space-padded). One tag per digest day, as a year/month/day tree that
 *  Anki's browser folds (362 flat day tags a year did not browse well). */
static void anki_put_tags(dconv_util_buf *b, const anki_paper *p) {
  dconv_util_buf_puts(b, " daily-papers ");
  for (size_t i = 0; i < p->n_dates; i++) {
    const char *s = p->dates[i];
    int y, m, d;
    if (dconv_util_date_parse(s, &y, &m, &d) == 0) {
      dconv_util_buf_printf(b, "dp::%04d::%02d::%02d ", y, m, d);
    } else if (*s) { /* not a digest date: kept, without spaces */
      dconv_util_buf_puts(b, "dp::");
      for (; *s; s++)
        dconv_util_buf_putc(b,
                            (*s == ' ' || (unsigned char)*s < 0x20) ? '_' : *s);
      dconv_util_buf_putc(b, ' ');
    }
  }
}

/** One row of notes and cards: a paper note or an extra one. */
typedef struct anki_row {
  const anki_paper *paper;
  const anki_extra *extra; /* NULL: the paper note */
  int64_t note_id, card_id;
  const char *guid;
} anki_row;

static int anki_cmp_note_id(const void *x, const void *y) {
  int64_t a = ((const anki_row *)x)->note_id;
  int64_t b = ((const anki_row *)y)->note_id;
  return (a > b) - (a < b);
}

static int anki_cmp_card_id(const void *x, const void *y) {
  int64_t a = ((const anki_row *)x)->card_id;
  int64_t b = ((const anki_row *)y)->card_id;
  return (a > b) - (a < b);
}

/** One notes row. The scratch buffers belong to the caller and are reused
 *  across rows. */
static int anki_insert_note(anki_ctx *c, sqlite3_stmt *st, const anki_row *r,
                            dconv_util_buf *flds, dconv_util_buf *tags,
                            dconv_util_buf *sfld) {
  const dconv_host *h = c->h;
  size_t sort_len;
  int rc;
  flds->len = tags->len = sfld->len = 0;
  rc = r->extra ? anki_put_extra_fields(c, flds, r->extra, &sort_len)
                : anki_put_fields(c, flds, r->paper, &sort_len);
  if (rc)
    return rc;
  anki_put_tags(tags, r->paper);
  dconv_util_buf_reserve(sfld, sort_len);
  if (flds->failed || tags->failed || sfld->failed)
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  sfld->len = anki_strip_html(flds->data, sort_len, sfld->data);
  /* csum: first 4 bytes of SHA-1 of the stripped sort field, read as a
   * big-endian integer, as Anki's field_checksum() computes it. */
  uint8_t d[20];
  h->sha1(sfld->data, sfld->len, d);
  sqlite3_bind_int64(st, 1, r->note_id);
  sqlite3_bind_text(st, 2, r->guid, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, r->extra ? ANKI_CARD_MODEL_ID : ANKI_MODEL_ID);
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
 *  position, i.e. its paper's first-occurrence order, so Anki still shows
 *  papers in digest order (a paper's extra cards next to it). */
static int anki_insert_notes(anki_ctx *c) {
  const dconv_host *h = c->h;
  sqlite3_stmt *note = NULL, *card = NULL;
  dconv_util_buf flds, tags, sfld;
  dconv_util_buf_init(&flds, h);
  dconv_util_buf_init(&tags, h);
  dconv_util_buf_init(&sfld, h);
  int rc = 0;
  size_t n = 0, total = c->n_papers + c->n_extras;
  anki_row *rows = h->alloc((total ? total : 1) * sizeof *rows);
  if (!rows)
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  for (size_t i = 0; i < c->n_papers && (c->cards & ANKI_CARDS_PAPER); i++) {
    const anki_paper *p = &c->papers[i];
    anki_row r = {p, NULL, p->note_id, p->card_id, p->guid};
    rows[n++] = r;
  }
  for (size_t i = 0; i < c->n_extras; i++) {
    const anki_extra *x = &c->extras[i];
    anki_row r = {&c->papers[x->paper], x, x->note_id, x->card_id, x->guid};
    rows[n++] = r;
  }
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
  qsort(rows, n, sizeof *rows, anki_cmp_note_id);
  for (size_t i = 0; i < n && !rc; i++)
    rc = anki_insert_note(c, note, &rows[i], &flds, &tags, &sfld);
  if (rc)
    goto out;
  qsort(rows, n, sizeof *rows, anki_cmp_card_id);
  for (size_t i = 0; i < n; i++) {
    const anki_row *r = &rows[i];
    sqlite3_bind_int64(card, 1, r->card_id);
    sqlite3_bind_int64(card, 2, r->note_id);
    sqlite3_bind_int64(card, 3, c->decks[r->paper->deck].id);
    sqlite3_bind_int64(card, 4, c->mod);
    sqlite3_bind_int64(card, 5, (int64_t)(r->paper - c->papers) + 1);
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
  h->free(rows);
  return rc;
}

/** Build collection.anki2 in memory and hand its bytes to the package. */
int anki_write_collection(anki_ctx *c) {
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
    rc = anki_add_media_entries(c);
  return rc;
}
