/*
 * anki_db.c - collection.anki2, Anki's legacy schema 11, and the package.
 *
 * The database is built in a scratch file in $TMPDIR (else /tmp) whose name
 * is unlinked as soon as SQLite has opened it, so it never outlives the
 * run, however the run ends. SQLite keeps a bounded page cache (8 MiB),
 * writes without journal, sync or locks, and gets the rows in one
 * transaction through prepared statements, in rowid order, and the indexes
 * after the rows. The finished file is read back in 1 MiB pieces into one
 * package entry (ABI 1.2 entry_open), after the collected papers are
 * freed: the host compresses a large entry as it comes, so neither the
 * file nor its compressed copy is ever in memory whole.
 * The header fields only a file gets (change counter, SQLite version) are
 * zeroed, so the bytes are what the ":memory:" build gave for the same
 * insert order and do not depend on the SQLite release.
 *
 * MOD: every note, card, deck and the note type get mod = host->timestamp()
 * ($SOURCE_DATE_EPOCH, else midnight UTC of the newest digest date). Newer
 * digests therefore give a newer mod and update the notes on re-import.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "anki.h"

/* ---------------------------------------------------- the scratch file */

/* The collection is built in a file, not in ":memory:": SQLite then keeps
 * only a bounded page cache (ANKI_CACHE_KIB) and the kernel's page cache
 * holds the rest, where it is no part of our RSS. The file lives in
 * $TMPDIR (else /tmp), the place SQLite's own sorter spills go, so one
 * setting moves all of the scratch space; the output's directory is not
 * used because stdout has none and that directory's space belongs to the
 * .apkg. The name is unlinked as soon as SQLite has opened it: from then
 * on nothing can be left behind, whether the run succeeds, fails, is
 * killed by a signal (the core's handler knows only its own temporary) or
 * even by SIGKILL. The plugin keeps a descriptor of its own to read the
 * finished file back. */
#define ANKI_CACHE_KIB 8192
#define ANKI_STR_(x) #x
#define ANKI_STR(x) ANKI_STR_(x)

/** The directory of the scratch file: $TMPDIR when set, else /tmp. */
static const char *anki_scratch_dir(void) {
  const char *d = getenv("TMPDIR");
  return d && *d ? d : "/tmp";
}

/** Whether an SQLite result code is about the file rather than the data:
 *  a full disk, a file size limit, an I/O error, a file that cannot be
 *  opened. Then the scratch file's directory is what the user must fix. */
static int anki_is_io(int code) {
  code &= 0xff;
  return code == SQLITE_FULL || code == SQLITE_IOERR ||
         code == SQLITE_CANTOPEN;
}

/** An SQLite failure in the scratch file: exit 3 like any write error,
 *  naming the directory (the file itself has no name any more). SQLite's
 *  errno is unreliable after a failed write (it reads errno later), so
 *  the reason comes from the extended result code. */
static int anki_scratch_error(anki_ctx *c, const char *what) {
  int ext = c->db ? sqlite3_extended_errcode(c->db) : SQLITE_CANTOPEN;
  const char *why = ext == SQLITE_FULL ? "no space left on the device"
                    : ext == SQLITE_IOERR_WRITE
                        ? "write failed (disk full or a file size limit?)"
                        : c->db ? sqlite3_errmsg(c->db) : "cannot open";
  return c->h->set_error(c->ex, DCONV_E_IO,
                         "sqlite (%s): the collection's scratch file in %s: "
                         "%s (set TMPDIR to use another directory)",
                         what, c->scratch_dir, why);
}

/** An SQLite failure: out of memory is DCONV_E_NOMEM (exit 5) like any
 *  other, trouble with the scratch file an output error (exit 3) naming
 *  its directory, everything else the plugin's error. A NULL handle means
 *  the open could not even allocate the handle. */
static int anki_db_error(anki_ctx *c, const char *what) {
  int code = c->db ? sqlite3_errcode(c->db) : SQLITE_NOMEM;
  if (code == SQLITE_NOMEM)
    return c->h->set_error(c->ex, DCONV_E_NOMEM,
                           "sqlite (%s): out of memory", what);
  if (anki_is_io(code))
    return anki_scratch_error(c, what);
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
      /* "dp::%04d::%02d::%02d ", without parsing a format per note */
      dconv_util_buf_puts(b, "dp::");
      dconv_util_buf_put_int(b, y, 4);
      dconv_util_buf_puts(b, "::");
      dconv_util_buf_put_int(b, m, 2);
      dconv_util_buf_puts(b, "::");
      dconv_util_buf_put_int(b, d, 2);
      dconv_util_buf_putc(b, ' ');
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

/** Create the scratch file, open it with SQLite and unlink its name. Sets
 *  c->db and c->scratch_fd (-1 until then). Signals are held back while
 *  the file has a name, so that no signal can end the run in between. */
static int anki_open_scratch(anki_ctx *c) {
  const dconv_host *h = c->h;
  c->scratch_dir = anki_scratch_dir();
  dconv_util_buf path;
  dconv_util_buf_init(&path, h);
  dconv_util_buf_printf(&path, "%s/dconv-anki.XXXXXX", c->scratch_dir);
  if (path.failed) {
    dconv_util_buf_free(&path);
    return h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  }
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  int rc = 0;
  c->scratch_fd = mkostemp(path.data, O_CLOEXEC);
  if (c->scratch_fd < 0) {
    rc = h->set_error(c->ex, DCONV_E_IO,
                      "cannot create the collection's scratch file in %s "
                      "(set TMPDIR to use another directory): %s",
                      c->scratch_dir, strerror(errno));
  } else {
    int orc = sqlite3_open_v2(path.data, &c->db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              NULL);
    /* The file SQLite opened must be the one we hold: in a directory
     * others can write to, the name could have been replaced. */
    struct stat ours, theirs;
    if (orc == SQLITE_OK &&
        (fstat(c->scratch_fd, &ours) != 0 || stat(path.data, &theirs) != 0 ||
         ours.st_dev != theirs.st_dev || ours.st_ino != theirs.st_ino))
      rc = h->set_error(c->ex, DCONV_E_IO,
                        "the scratch file %s was replaced while opening it",
                        path.data);
    else if (orc != SQLITE_OK)
      rc = anki_db_error(c, "open");
    unlink(path.data);
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  dconv_util_buf_free(&path);
  return rc;
}

/** Zero the header fields SQLite only writes into a file, not into a
 *  ":memory:" database: the change counter (offset 24), the counter the
 *  version is valid for (92) and the library's version number (96). Equal
 *  as they were, the two counters still say the header's page count is
 *  valid; zeroed, the bytes stay what earlier versions of this writer
 *  produced and do not depend on the SQLite release that built them. */
static int anki_zero_header(anki_ctx *c) {
  static const unsigned char zero[8];
  if (pwrite(c->scratch_fd, zero, 4, 24) != 4 ||
      pwrite(c->scratch_fd, zero, 8, 92) != 8)
    return c->h->set_error(c->ex, DCONV_E_IO,
                           "cannot write the scratch file in %s: %s",
                           c->scratch_dir, strerror(errno));
  return 0;
}

/* Bytes of the scratch file read per piece. */
#define ANKI_PIECE ((size_t)1 << 20)

/** Hand the finished file to the package as one entry, read back in
 *  pieces (ABI 1.2's entry_open): the host holds at most 16 MiB of it and
 *  compresses a larger one as it comes, so neither the file nor its
 *  compressed copy is ever in memory whole. */
static int anki_add_scratch_entry(anki_ctx *c) {
  char *piece = c->h->alloc(ANKI_PIECE);
  if (!piece)
    return c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  int rc = c->h->entry_open(c->ex, "collection.anki2", DCONV_ENTRY_DEFLATE);
  for (off_t at = 0; !rc;) {
    ssize_t n = pread(c->scratch_fd, piece, ANKI_PIECE, at);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      rc = c->h->set_error(c->ex, DCONV_E_IO,
                           "cannot read back the scratch file in %s: %s",
                           c->scratch_dir, strerror(errno));
    if (n <= 0)
      break;
    rc = c->h->write(c->ex, piece, (size_t)n);
    at += n;
  }
  if (!rc)
    rc = c->h->entry_close(c->ex);
  c->h->free(piece);
  return rc;
}

/** Build collection.anki2 in the scratch file, then add it and the media
 *  to the package. */
int anki_write_collection(anki_ctx *c) {
  int rc = anki_open_scratch(c);
  /* Fixed page size and no journal: the bytes depend only on the content
   * and the insert order, so equal input gives an equal file. No sync, no
   * locks: the file is private and unnamed, and a crash loses nothing a
   * rerun would not rebuild. The cache bound is what SQLite may hold of
   * the database (and of the index sorts) in memory. */
  if (!rc)
    rc = anki_exec(c, "PRAGMA page_size=4096; PRAGMA journal_mode=OFF;"
                      "PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;"
                      "PRAGMA cache_size=-" ANKI_STR(ANKI_CACHE_KIB) ";"
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
    rc = anki_exec(c, anki_index_sql);
  if (!rc)
    rc = anki_exec(c, "COMMIT");
  /* Every statement is finalised and COMMIT wrote every page, so closing
   * writes nothing more: it gives SQLite's cache back before the file is
   * mapped. */
  if (!rc) {
    sqlite3_close(c->db);
    c->db = NULL;
  }
  /* The papers, decks and extra notes are all in the file now: free them
   * before the file's pages and the compressed entry are in memory. */
  if (!rc)
    anki_free_collected(c);
  if (!rc)
    rc = anki_zero_header(c);
  if (!rc)
    rc = anki_add_scratch_entry(c);
  if (!rc)
    rc = anki_add_media_entries(c);
  return rc;
}
