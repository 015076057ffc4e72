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
#include <zlib.h>

#include <dconv/errors.h>

/* Deflate level. libdeflate's level 1 is its fast greedy matcher, not
 * zlib's 1: on the corpus it takes 45% of level 5's instructions for the
 * EPUB and the .apkg (about 90 M fewer each, 15% of the run) and makes them
 * 3.4% and 10% larger (1,214 -> 1,256 KB, 855 -> 940 KB). Levels 2-4 give
 * back under 2% of the size at twice level 1's cost. A book or deck is
 * written far more often than its size matters (sideloading 40 KB more
 * takes no noticeable time), so speed wins; entries past ZIP_STREAM_MIN,
 * the 100,000-paper deck's collection, keep zlib's level 4. */
#define ZIP_LEVEL 1
/* Headers and small entries are batched up to this many bytes before they
 * go to the sink; larger entry data goes to the sink directly. */
#define ZIP_BATCH 65536

/* An entry given in pieces is held until it reaches this many bytes, then
 * compressed as it comes (see dconv_zip_open_entry). */
#define ZIP_STREAM_MIN ((size_t)16 << 20)
/* zlib's level for such entries: libdeflate compresses whole buffers only.
 * On a 100,000-paper Anki collection (198 MB) level 4 is 4% larger than
 * libdeflate 5 and takes 1.3x its time; level 2 is 0.8x the time but 13%
 * larger, level 6 0.5% larger at 2x. */
#define ZIP_STREAM_LEVEL 4
/* zlib's output is sent on in pieces of this size. */
#define ZIP_STREAM_OUT 262144

#define ZIP_FLAG_UTF8 0x0800u /* bit 11: the name is UTF-8 */
#define ZIP_FLAG_DESCRIPTOR 0x0008u /* bit 3: CRC and sizes follow the data */
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
  /* The entry being given in pieces (open_entry .. close_entry). */
  struct {
    int open, store, streaming;
    char *name;      /* owned */
    dconv_buf held;  /* its bytes while under ZIP_STREAM_MIN */
    z_stream zs;     /* streaming and deflated: zlib's state */
    unsigned char *zout; /* ZIP_STREAM_OUT bytes for zlib's output */
    uint32_t crc;
    uint64_t len, packed_len, at; /* bytes in, bytes out, header offset */
  } piece;
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
static void put_fields(dconv_buf *b, const dconv_zip *z, uint32_t flags,
                       uint32_t method, uint32_t crc, size_t packed_len,
                       size_t len, size_t name_len) {
  put16(b, flags);
  put16(b, method);
  put16(b, z->dos_time);
  put16(b, z->dos_date);
  put32(b, crc);
  put32(b, (uint32_t)packed_len);
  put32(b, (uint32_t)len);
  put16(b, (uint32_t)name_len);
}

/* Checks every entry passes before any byte of it is written. */
static int check_entry(dconv_zip *z, const char *name, uint64_t len,
                       dconv_buf *err) {
  if (z->rc)
    return write_fail(z, err, name);
  if (len >= ZIP_MAX32)
    return fail(err, DCONV_E_INVALID, name,
                "zip entries of 4 GiB or more are not supported");
  if (strlen(name) > ZIP_MAX16)
    return fail(err, DCONV_E_INVALID, "zip entry", "name too long");
  return 0;
}

/* Append the entry's central directory record (its local header starts
 * at `at`). Returns 0 or DCONV_E_NOMEM. */
static int put_central(dconv_zip *z, const char *name, uint32_t flags,
                       uint32_t method, uint32_t crc, uint64_t packed_len,
                       uint64_t len, uint64_t at) {
  size_t name_len = strlen(name);
  int far = at >= ZIP_MAX32; /* the offset needs a zip64 extra field */
  /* Reserve, then the put* cannot fail. */
  if (dconv_buf_reserve(&z->central, 46 + name_len + 12))
    return z->rc = DCONV_E_NOMEM;
  dconv_buf *c = &z->central;
  put32(c, 0x02014b50);              /* central directory record */
  put16(c, 3u << 8 | (far ? 45 : 20)); /* made by: Unix, zip 2.0 (4.5) */
  put16(c, far ? 45 : 20);           /* needed to extract */
  put_fields(c, z, flags, method, crc, packed_len, len, name_len);
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
  z->entries++;
  return 0;
}

/* Send the entry's local header. With ZIP_FLAG_DESCRIPTOR, crc and the
 * sizes are 0: they follow the data. Returns 0 or the error (in z->rc). */
static int put_local(dconv_zip *z, const char *name, uint32_t flags,
                     uint32_t method, uint32_t crc, uint64_t packed_len,
                     uint64_t len) {
  size_t name_len = strlen(name);
  dconv_buf *l = &z->head;
  l->len = 0;
  if (dconv_buf_reserve(l, 30 + name_len))
    return z->rc = DCONV_E_NOMEM;
  put32(l, 0x04034b50); /* local header */
  put16(l, 20);
  put_fields(l, z, flags, method, crc, packed_len, len, name_len);
  put16(l, 0); /* extra field */
  dconv_buf_append(l, name, name_len);
  return emit(z, l->data, l->len);
}

int dconv_zip_add(dconv_zip *z, const char *name, const void *data,
                  size_t len, int store, dconv_buf *err) {
  if (z->piece.open)
    return fail(err, DCONV_E_INVALID, name, "an entry is still open");
  int rc = check_entry(z, name, len, err);
  if (rc)
    return rc;
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
  if (put_central(z, name, ZIP_FLAG_UTF8, method, crc, body_len, len,
                  z->offset) ||
      put_local(z, name, ZIP_FLAG_UTF8, method, crc, body_len, len) ||
      emit(z, body, body_len))
    return write_fail(z, err, name);
  return 0;
}

/* ------------------------------------------------ entries in pieces */

static void piece_reset(dconv_zip *z) {
  if (z->piece.streaming && !z->piece.store)
    deflateEnd(&z->piece.zs);
  free(z->piece.name);
  free(z->piece.zout);
  dconv_buf_free(&z->piece.held);
  memset(&z->piece, 0, sizeof z->piece);
}

int dconv_zip_open_entry(dconv_zip *z, const char *name, int store,
                         dconv_buf *err) {
  if (z->piece.open)
    return fail(err, DCONV_E_INVALID, name, "an entry is already open");
  int rc = check_entry(z, name, 0, err);
  if (rc)
    return rc;
  if (!(z->piece.name = strdup(name)))
    return fail(err, DCONV_E_NOMEM, name, "out of memory");
  z->piece.open = 1;
  z->piece.store = store;
  return 0;
}

/* Run zlib on the input it holds (flush: Z_NO_FLUSH or Z_FINISH) and send
 * what it gives out. */
static int piece_deflate(dconv_zip *z, int flush) {
  z_stream *zs = &z->piece.zs;
  int zrc;
  do {
    zs->next_out = z->piece.zout;
    zs->avail_out = ZIP_STREAM_OUT;
    zrc = deflate(zs, flush);
    if (zrc == Z_STREAM_ERROR)
      return z->rc = DCONV_E_NOMEM; /* cannot happen with a valid stream */
    size_t n = ZIP_STREAM_OUT - zs->avail_out;
    z->piece.packed_len += n;
    if (emit(z, z->piece.zout, n))
      return z->rc;
  } while (zs->avail_out == 0 || (flush == Z_FINISH && zrc != Z_STREAM_END));
  return 0;
}

/* Feed data to the streaming entry: sent as it is, or through zlib. */
static int piece_feed(dconv_zip *z, const void *data, size_t len) {
  z->piece.crc = libdeflate_crc32(z->piece.crc, data, len);
  z->piece.len += len;
  if (z->piece.store) {
    z->piece.packed_len += len;
    return emit(z, data, len);
  }
  /* avail_in is 32 bits: feed larger pieces in parts. */
  const unsigned char *p = data;
  while (len) {
    size_t n = len < ((size_t)1 << 30) ? len : (size_t)1 << 30;
    z->piece.zs.next_in = (unsigned char *)(uintptr_t)p;
    z->piece.zs.avail_in = (uInt)n;
    if (piece_deflate(z, Z_NO_FLUSH))
      return z->rc;
    p += n, len -= n;
  }
  return 0;
}

/* The held bytes reached ZIP_STREAM_MIN: write the local header (with a
 * data descriptor to come), start zlib and send the held bytes through. */
static int piece_start_stream(dconv_zip *z, dconv_buf *err) {
  const char *name = z->piece.name;
  z->piece.at = z->offset;
  if (!z->piece.store) {
    if (!(z->piece.zout = malloc(ZIP_STREAM_OUT)))
      return fail(err, z->rc = DCONV_E_NOMEM, name, "out of memory");
    /* Raw deflate (no zlib header), 32 KiB window, default memory. */
    if (deflateInit2(&z->piece.zs, ZIP_STREAM_LEVEL, Z_DEFLATED, -15, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
      return fail(err, z->rc = DCONV_E_NOMEM, name, "out of memory");
  }
  z->piece.streaming = 1;
  /* The central record is put at close, when CRC and sizes are known. */
  if (put_local(z, name, ZIP_FLAG_UTF8 | ZIP_FLAG_DESCRIPTOR,
                z->piece.store ? 0 : 8, 0, 0, 0) ||
      piece_feed(z, z->piece.held.data, z->piece.held.len))
    return write_fail(z, err, name);
  dconv_buf_free(&z->piece.held);
  return 0;
}

int dconv_zip_write_entry(dconv_zip *z, const void *data, size_t len,
                          dconv_buf *err) {
  if (!z->piece.open)
    return fail(err, DCONV_E_INVALID, "zip entry", "no entry is open");
  const char *name = z->piece.name;
  if (z->rc)
    return write_fail(z, err, name);
  if (len >= ZIP_MAX32 - z->piece.len - z->piece.held.len)
    return fail(err, z->rc = DCONV_E_INVALID, name,
                "zip entries of 4 GiB or more are not supported");
  if (!z->piece.streaming) {
    if (dconv_buf_append(&z->piece.held, data, len))
      return fail(err, z->rc = DCONV_E_NOMEM, name, "out of memory");
    return z->piece.held.len >= ZIP_STREAM_MIN ? piece_start_stream(z, err)
                                                : 0;
  }
  return piece_feed(z, data, len) ? write_fail(z, err, name) : 0;
}

int dconv_zip_close_entry(dconv_zip *z, dconv_buf *err) {
  if (!z->piece.open)
    return fail(err, DCONV_E_INVALID, "zip entry", "no entry is open");
  z->piece.open = 0;
  int rc = 0;
  const char *name = z->piece.name;
  uint32_t method = z->piece.store ? 0 : 8;
  if (!z->piece.streaming) {
    /* Small: the same bytes as one add of the whole entry. */
    rc = dconv_zip_add(z, name, z->piece.held.data, z->piece.held.len,
                       z->piece.store, err);
  } else if (!z->piece.store && piece_deflate(z, Z_FINISH)) {
    rc = write_fail(z, err, name);
  } else if (z->piece.packed_len >= ZIP_MAX32) {
    rc = fail(err, z->rc = DCONV_E_INVALID, name,
              "zip entries of 4 GiB or more are not supported");
  } else if (put_central(z, name, ZIP_FLAG_UTF8 | ZIP_FLAG_DESCRIPTOR, method,
                         z->piece.crc, z->piece.packed_len, z->piece.len,
                         z->piece.at) ||
             dconv_buf_reserve(&z->head, 16)) {
    rc = fail(err, z->rc = DCONV_E_NOMEM, name, "out of memory");
  } else {
    /* The data descriptor, with its optional signature: every reader
     * accepts it, and it lets a checker find the record. */
    z->head.len = 0;
    put32(&z->head, 0x08074b50);
    put32(&z->head, z->piece.crc);
    put32(&z->head, (uint32_t)z->piece.packed_len);
    put32(&z->head, (uint32_t)z->piece.len);
    if (emit(z, z->head.data, z->head.len))
      rc = write_fail(z, err, name);
  }
  piece_reset(z);
  return rc;
}

int dconv_zip_finish(dconv_zip *z, dconv_buf *err) {
  if (z->piece.open) {
    int rc = fail(err, DCONV_E_INVALID, z->piece.name,
                  "the entry is still open");
    dconv_zip_free(z);
    return rc;
  }
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
  piece_reset(z);
  libdeflate_free_compressor(z->deflater);
  dconv_buf_free(&z->packed);
  dconv_buf_free(&z->head);
  dconv_buf_free(&z->out);
  dconv_buf_free(&z->central);
  free(z);
}
