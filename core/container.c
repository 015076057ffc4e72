/*
 * container.c - zip archives streamed to a sink. libdeflate compresses each
 * entry in one call (writers hand over whole entries); this file lays out
 * the headers. Why not minizip or libarchive (README, "Performance"):
 * Debian 12's minizip writes a wrong entry count past 65,535 entries (no
 * zip64 end records) and wants a seekable file to fill in each header's CRC
 * and sizes afterwards; libarchive cannot take pre-compressed data and,
 * without seeking, writes data descriptors. Here every size is known before
 * its header is written, so the layout is plain forward writes:
 *
 *   per entry:  local header, name, data       (sent as the entry is added)
 *   at finish:  central directory, [zip64 end record, zip64 locator], end
 *
 * Zip64 records are written only when needed (more than 65,535 entries, or
 * a central directory or an entry starting past 4 GiB); entries themselves
 * must be under 4 GiB.
 */
#include "container.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libdeflate.h>

#include <dconv/errors.h>

/* Deflate level. libdeflate's levels are not zlib's: on the corpus
 * (callgrind, README's Performance section) level 5 makes the EPUB 0.8% and
 * the .apkg 3.5% smaller than zlib's level 4 did, with 4% (EPUB) and 6%
 * (.apkg) more instructions than libdeflate's level 4, which makes the EPUB
 * larger than before; 6 and 7 save under 1% more for 1-5% more instructions. */
#define ZIP_LEVEL 5
/* Headers and small entries are batched up to this many bytes before they
 * go to the sink; larger entry data goes to the sink directly. */
#define ZIP_BATCH 65536

#define ZIP_FLAG_UTF8 0x0800u /* bit 11: the name is UTF-8 */
#define ZIP_MAX16 0xFFFFu
#define ZIP_MAX32 0xFFFFFFFFu

struct dconv_zip {
  struct libdeflate_compressor *deflater;
  dconv_buf packed; /* the deflated entry, reused: as large as the largest */
  dconv_buf head;   /* the local header being written, reused */
  uint16_t dos_time, dos_date;
  dconv_zip_sink sink;
  void *ctx;
  dconv_buf out;     /* bytes not yet sent (< ZIP_BATCH) */
  uint64_t offset;   /* bytes of the archive so far, sent or in out */
  dconv_buf central; /* the central directory records */
  uint64_t entries;
  int rc; /* the first error: later calls fail with it */
};

static int fail(dconv_buf *err, int code, const char *what, const char *why) {
  err->len = 0;
  dconv_buf_printf(err, "%s: %s", what, why);
  return code;
}

/* Little-endian fields. The callers reserve room first, so these cannot
 * fail; dconv_buf_append checks again anyway. */
static void put16(dconv_buf *b, uint32_t v) {
  unsigned char p[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
  dconv_buf_append(b, p, 2);
}

static void put32(dconv_buf *b, uint32_t v) {
  put16(b, v & ZIP_MAX16);
  put16(b, v >> 16);
}

static void put64(dconv_buf *b, uint64_t v) {
  put32(b, (uint32_t)(v & ZIP_MAX32));
  put32(b, (uint32_t)(v >> 32));
}

static uint32_t clamp32(uint64_t v) {
  return v >= ZIP_MAX32 ? ZIP_MAX32 : (uint32_t)v;
}

/* Hand data to the sink; 0 or the sink's code (kept in z->rc). */
static int send(dconv_zip *z, const void *data, size_t len) {
  if (!z->rc && len)
    z->rc = z->sink(z->ctx, data, len);
  return z->rc;
}

static int flush(dconv_zip *z) {
  int rc = send(z, z->out.data, z->out.len);
  z->out.len = 0;
  return rc;
}

/* Append data to the archive: batched when small, else sent as it is. */
static int emit(dconv_zip *z, const void *data, size_t len) {
  z->offset += len;
  if (z->out.len + len < ZIP_BATCH)
    return dconv_buf_append(&z->out, data, len) ? (z->rc = DCONV_E_NOMEM) : 0;
  return flush(z) ? z->rc : send(z, data, len);
}

int dconv_zip_new(dconv_zip **out, int64_t timestamp, dconv_zip_sink sink,
                  void *ctx, dconv_buf *err) {
  *out = NULL;
  dconv_zip *z = calloc(1, sizeof *z);
  if (!z || !(z->deflater = libdeflate_alloc_compressor(ZIP_LEVEL))) {
    free(z);
    return fail(err, DCONV_E_NOMEM, "cannot create zip", "out of memory");
  }
  z->sink = sink;
  z->ctx = ctx;
  /* Fixed timestamps make the archive reproducible. DOS time is local-time
   * based, so set the fields directly instead of converting a time_t. */
  time_t t = (time_t)timestamp;
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  /* DOS dates hold 1980..2107: earlier (or a time gmtime_r cannot break
   * down) is 1980-01-01, later is the last representable second. */
  if (!gmtime_r(&t, &tm) || tm.tm_year < 80)
    tm.tm_year = 80, tm.tm_mon = 0, tm.tm_mday = 1, tm.tm_hour = tm.tm_min =
                                                        tm.tm_sec = 0;
  else if (tm.tm_year > 207)
    tm.tm_year = 207, tm.tm_mon = 11, tm.tm_mday = 31, tm.tm_hour = 23,
    tm.tm_min = 59, tm.tm_sec = 58;
  z->dos_time =
      (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  z->dos_date = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) |
                           tm.tm_mday);
  *out = z;
  return 0;
}

/* The error of a failed write: the sink's, or out of memory. */
static int write_fail(dconv_zip *z, dconv_buf *err, const char *what) {
  return fail(err, z->rc, what,
              z->rc == DCONV_E_NOMEM ? "out of memory"
                                     : "cannot write the output");
}

/* The fields a local header and a central directory record share, from
 * the flags to the name's length. */
static void put_fields(dconv_buf *b, const dconv_zip *z, uint32_t method,
                       uint32_t crc, size_t packed_len, size_t len,
                       size_t name_len) {
  put16(b, ZIP_FLAG_UTF8);
  put16(b, method);
  put16(b, z->dos_time);
  put16(b, z->dos_date);
  put32(b, crc);
  put32(b, (uint32_t)packed_len);
  put32(b, (uint32_t)len);
  put16(b, (uint32_t)name_len);
}

int dconv_zip_add(dconv_zip *z, const char *name, const void *data,
                  size_t len, int store, dconv_buf *err) {
  if (z->rc)
    return write_fail(z, err, name);
  size_t name_len = strlen(name);
  if (len >= ZIP_MAX32)
    return fail(err, DCONV_E_INVALID, name,
                "zip entries of 4 GiB or more are not supported");
  if (name_len > ZIP_MAX16)
    return fail(err, DCONV_E_INVALID, "zip entry", "name too long");
  const void *body = data;
  size_t body_len = len;
  store = store || len == 0;
  if (!store) {
    /* Room for len - 1 bytes: when deflating does not save a byte,
     * libdeflate returns 0 and the entry is stored as it is. */
    if (dconv_buf_reserve(&z->packed, len))
      return fail(err, DCONV_E_NOMEM, name, "out of memory");
    size_t n = libdeflate_deflate_compress(z->deflater, data, len,
                                           z->packed.data, len - 1);
    if (n)
      body = z->packed.data, body_len = n;
    else
      store = 1;
  }
  uint32_t crc = libdeflate_crc32(0, data, len);
  uint32_t method = store ? 0 : 8;
  uint64_t at = z->offset;
  int far = at >= ZIP_MAX32; /* the offset needs a zip64 extra field */
  /* Both headers at once: reserve, then the put* cannot fail. */
  z->head.len = 0;
  if (dconv_buf_reserve(&z->head, 30 + name_len) ||
      dconv_buf_reserve(&z->central, 46 + name_len + 12))
    return fail(err, z->rc = DCONV_E_NOMEM, name, "out of memory");
  dconv_buf *c = &z->central;
  put32(c, 0x02014b50);              /* central directory record */
  put16(c, 3u << 8 | (far ? 45 : 20)); /* made by: Unix, zip 2.0 (4.5) */
  put16(c, far ? 45 : 20);           /* needed to extract */
  put_fields(c, z, method, crc, body_len, len, name_len);
  put16(c, far ? 12 : 0); /* extra field */
  put16(c, 0);            /* comment */
  put16(c, 0);            /* disk */
  put16(c, 0);            /* internal attributes */
  put32(c, 0100644u << 16); /* external: a regular file, rw-r--r-- */
  put32(c, clamp32(at));
  dconv_buf_append(c, name, name_len);
  if (far) {
    put16(c, 0x0001); /* zip64 extended information */
    put16(c, 8);
    put64(c, at);
  }
  dconv_buf *l = &z->head;
  put32(l, 0x04034b50); /* local header */
  put16(l, 20);
  put_fields(l, z, method, crc, body_len, len, name_len);
  put16(l, 0); /* extra field */
  dconv_buf_append(l, name, name_len);
  z->entries++;
  if (emit(z, l->data, l->len) || emit(z, body, body_len))
    return write_fail(z, err, name);
  return 0;
}

int dconv_zip_finish(dconv_zip *z, dconv_buf *err) {
  uint64_t cd_at = z->offset, cd_size = z->central.len;
  int zip64 = z->entries > ZIP_MAX16 || cd_at >= ZIP_MAX32 ||
              cd_size >= ZIP_MAX32;
  int rc = z->rc ? z->rc : emit(z, z->central.data, z->central.len);
  dconv_buf tail = DCONV_BUF_INIT;
  if (!rc && dconv_buf_reserve(&tail, 56 + 20 + 22))
    rc = z->rc = DCONV_E_NOMEM;
  if (!rc) {
    if (zip64) {
      uint64_t end64_at = z->offset;
      put32(&tail, 0x06064b50); /* zip64 end of central directory */
      put64(&tail, 44);         /* size of the rest of this record */
      put16(&tail, 3u << 8 | 45);
      put16(&tail, 45);
      put32(&tail, 0); /* this disk */
      put32(&tail, 0); /* the central directory's disk */
      put64(&tail, z->entries);
      put64(&tail, z->entries);
      put64(&tail, cd_size);
      put64(&tail, cd_at);
      put32(&tail, 0x07064b50); /* zip64 end locator */
      put32(&tail, 0);
      put64(&tail, end64_at);
      put32(&tail, 1); /* disks */
    }
    uint32_t n16 = z->entries > ZIP_MAX16 ? ZIP_MAX16 : (uint32_t)z->entries;
    put32(&tail, 0x06054b50); /* end of central directory */
    put16(&tail, 0);
    put16(&tail, 0);
    put16(&tail, n16);
    put16(&tail, n16);
    put32(&tail, clamp32(cd_size));
    put32(&tail, clamp32(cd_at));
    put16(&tail, 0); /* comment */
    rc = emit(z, tail.data, tail.len);
    if (!rc)
      rc = flush(z);
  }
  dconv_buf_free(&tail);
  if (rc)
    rc = write_fail(z, err, "cannot finish zip");
  dconv_zip_free(z);
  return rc;
}

void dconv_zip_free(dconv_zip *z) {
  if (!z)
    return;
  libdeflate_free_compressor(z->deflater);
  dconv_buf_free(&z->packed);
  dconv_buf_free(&z->head);
  dconv_buf_free(&z->out);
  dconv_buf_free(&z->central);
  free(z);
}
