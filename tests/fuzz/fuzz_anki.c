/* fuzz_anki - parse, export as an Anki .apkg to memory. Oracle: the zip
 * holds collection.anki2, which SQLite opens (sqlite3_deserialize) and finds
 * intact (PRAGMA integrity_check), with the notes and cards tables. */
#define FUZZ_WRITER
#include "fuzz_common.h"

#include <sqlite3.h>
#include <zip.h>

static void fuzz_check_output(const char *out, size_t len, const uint8_t *in,
                              size_t in_len) {
  (void)in, (void)in_len;
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(out, len, 0, &ze);
  FUZZ_ASSERT(src != NULL, "zip source");
  zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  FUZZ_ASSERT(z != NULL, "apkg is a consistent zip");
  zip_stat_t st;
  FUZZ_ASSERT(zip_stat(z, "collection.anki2", 0, &st) == 0,
              "apkg holds collection.anki2");
  unsigned char *db = sqlite3_malloc64(st.size);
  zip_file_t *f = zip_fopen(z, "collection.anki2", 0);
  FUZZ_ASSERT(db && f, "collection opens");
  FUZZ_ASSERT(zip_fread(f, db, st.size) == (zip_int64_t)st.size,
              "collection reads");
  zip_fclose(f);
  zip_close(z);
  sqlite3 *s = NULL;
  FUZZ_ASSERT(sqlite3_open(":memory:", &s) == SQLITE_OK, "sqlite opens");
  FUZZ_ASSERT(sqlite3_deserialize(s, "main", db, (sqlite3_int64)st.size,
                                  (sqlite3_int64)st.size,
                                  SQLITE_DESERIALIZE_FREEONCLOSE) == SQLITE_OK,
              "collection is an SQLite database");
  sqlite3_stmt *q = NULL;
  FUZZ_ASSERT(sqlite3_prepare_v2(s, "PRAGMA integrity_check", -1, &q, NULL) ==
                      SQLITE_OK &&
                  sqlite3_step(q) == SQLITE_ROW &&
                  strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0,
              "SQLite integrity_check is ok");
  sqlite3_finalize(q);
  FUZZ_ASSERT(sqlite3_prepare_v2(s,
                                 "SELECT (SELECT count(*) FROM notes) = "
                                 "(SELECT count(*) FROM cards)",
                                 -1, &q, NULL) == SQLITE_OK &&
                  sqlite3_step(q) == SQLITE_ROW &&
                  sqlite3_column_int(q, 0) == 1,
              "one card per note");
  sqlite3_finalize(q);
  sqlite3_close(s);
}
