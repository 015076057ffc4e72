/*
 * container.c - zip archives streamed to a sink: libdeflate compresses each
 * entry in one call (the writer hands over whole entries), minizip lays out
 * headers, central directory and zip64 records (raw mode: it takes the
 * deflated bytes with their CRC and size).
 *
 * minizip writes a local header with CRC and sizes zero and seeks back to
 * fill them in when the entry closes, so it wants a seekable file. We know
 * those three values before the entry starts, so the I/O layer below writes
 * them into the header itself, sends the header on, and when minizip seeks
 * back, checks that what it writes there is what was sent (a mismatch is an
 * error, never a wrong archive). Every other write goes forward. Entries of
 * 4 GiB or more would need the zip64 local extra field, which is also
 * filled in by seeking back, so they are refused.
 */
#include "container.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libdeflate.h>
#include <minizip/zip.h>

#include <dconv/errors.h>

/* Deflate level. libdeflate's levels are not zlib's: on the corpus
 * (callgrind, README's Performance section) level 5 makes the EPUB 0.8% and
 * the .apkg 3.5% smaller than zlib's level 4 did, with 4% (EPUB) and 6%
 * (.apkg) more instructions than libdeflate's level 4, which makes the EPUB
 * larger than before; 6 and 7 save under 1% more for 1-5% more instructions. */
#define ZIP_LEVEL 5
/* Bytes kept before they go to the sink: batches the many small writes of
 * headers and small entries into fewer sink calls. */
#define ZIP_BATCH 65536
/* Offset of CRC-32, compressed and uncompressed size in a local header. */
#define LOCAL_CRC_AT 14

struct dconv_zip {
  zipFile zf;
  struct libdeflate_compressor *deflater;
  dconv_buf packed; /* deflated entry, reused: as large as the largest */
  uLong dos_datetime;
  dconv_zip_sink sink;
  void *ctx;
  /* The I/O layer: minizip's position, what went to the sink, and what is
   * kept back (bytes [sent, sent + pending.len) of the archive). */
  uint64_t pos, sent;
  dconv_buf pending;
  int can_send;            /* the open entry's header is final */
  uint64_t fixed_at;       /* where the last header's CRC and sizes are */
  unsigned char fixed[12]; /* ... and their bytes */
  int sink_rc;             /* the sink's error, kept for the caller */
  int broken;              /* minizip wrote what this layer cannot do */
};

static int fail(dconv_buf *err, int code, const char *what, const char *why) {
  err->len = 0;
  dconv_buf_printf(err, "%s: %s", what, why);
  return code;
}

static void put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

/* Send what is kept back; 0 or -1 (the sink's code in sink_rc). */
static int send_pending(dconv_zip *z) {
  if (z->sink_rc)
    return -1;
  if (!z->pending.len)
    return 0;
  z->sink_rc = z->sink(z->ctx, z->pending.data, z->pending.len);
  if (z->sink_rc)
    return -1;
  z->sent += z->pending.len;
  z->pending.len = 0;
  return 0;
}

/* ------------------------------------------------ minizip's I/O functions */

static voidpf io_open(voidpf opaque, const void *name, int mode) {
  (void)name, (void)mode;
  return opaque;
}

static uLong io_read(voidpf opaque, voidpf stream, void *buf, uLong size) {
  (void)opaque, (void)stream, (void)buf, (void)size;
  return 0; /* write-only */
}

static uLong io_write(voidpf opaque, voidpf stream, const void *buf,
                      uLong size) {
  (void)opaque;
  dconv_zip *z = stream;
  const unsigned char *p = buf;
  uint64_t end = z->sent + z->pending.len;
  if (z->sink_rc || z->broken || z->pos > end)
    return 0;
  uLong done = 0;
  /* Bytes already sent may only be rewritten unchanged, and only in the
   * CRC and sizes of the last local header. */
  for (; done < size && z->pos < z->sent; done++, z->pos++) {
    if (z->pos < z->fixed_at || z->pos >= z->fixed_at + sizeof z->fixed ||
        z->fixed[z->pos - z->fixed_at] != p[done]) {
      z->broken = 1;
      return 0;
    }
  }
  if (done == size)
    return size;
  /* Overwrite within what is kept back, then append the rest. */
  uLong rest = size - done;
  size_t at = (size_t)(z->pos - z->sent);
  size_t over = z->pending.len - at;
  if (over > size - done)
    over = size - done;
  if (over)
    memcpy(z->pending.data + at, p + done, over);
  done += over;
  if (dconv_buf_append(&z->pending, p + done, size - done))
    return 0;
  z->pos += rest;
  if (z->can_send && z->pending.len >= ZIP_BATCH && send_pending(z))
    return 0;
  return size;
}

static ZPOS64_T io_tell(voidpf opaque, voidpf stream) {
  (void)opaque;
  return ((dconv_zip *)stream)->pos;
}

static long io_seek(voidpf opaque, voidpf stream, ZPOS64_T offset,
                    int origin) {
  (void)opaque;
  dconv_zip *z = stream;
  uint64_t end = z->sent + z->pending.len;
  uint64_t to = origin == ZLIB_FILEFUNC_SEEK_SET   ? offset
                : origin == ZLIB_FILEFUNC_SEEK_CUR ? z->pos + offset
                                                   : end + offset;
  if (to > end)
    return -1; /* no holes */
  z->pos = to;
  return 0;
}

static int io_close(voidpf opaque, voidpf stream) {
  (void)opaque, (void)stream;
  return 0; /* the owner sends the rest and frees */
}

static int io_error(voidpf opaque, voidpf stream) {
  (void)opaque;
  dconv_zip *z = stream;
  return z->sink_rc || z->broken;
}

/* ----------------------------------------------------------------- API */

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
  zlib_filefunc64_def io = {
      .zopen64_file = io_open,
      .zread_file = io_read,
      .zwrite_file = io_write,
      .ztell64_file = io_tell,
      .zseek64_file = io_seek,
      .zclose_file = io_close,
      .zerror_file = io_error,
      .opaque = z,
  };
  z->zf = zipOpen2_64(z, APPEND_STATUS_CREATE, NULL, &io);
  if (!z->zf) {
    dconv_zip_free(z);
    return fail(err, DCONV_E_NOMEM, "cannot create zip", "out of memory");
  }
  /* Fixed timestamps make the archive reproducible. DOS time is local-time
   * based, so set the fields directly instead of converting a time_t. */
  time_t t = (time_t)timestamp;
  struct tm tm;
  gmtime_r(&t, &tm);
  if (tm.tm_year < 80)
    tm.tm_year = 80, tm.tm_mon = 0, tm.tm_mday = 1, tm.tm_hour = tm.tm_min =
                                                        tm.tm_sec = 0;
  uLong dos_time = (uLong)((tm.tm_hour << 11) | (tm.tm_min << 5) |
                           (tm.tm_sec / 2));
  uLong dos_date =
      (uLong)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  z->dos_datetime = dos_date << 16 | dos_time;
  *out = z;
  return 0;
}

/* The error of a failed minizip call: the sink's, or ours. */
static int io_fail(dconv_zip *z, dconv_buf *err, const char *what) {
  if (z->sink_rc)
    return fail(err, z->sink_rc, what, "cannot write the output");
  return fail(err, z->broken ? DCONV_E_INVALID : DCONV_E_NOMEM, what,
              z->broken ? "zip layout this writer cannot stream"
                        : "out of memory");
}

int dconv_zip_add(dconv_zip *z, const char *name, const void *data,
                  size_t len, int store, dconv_buf *err) {
  if (len >= UINT32_MAX)
    return fail(err, DCONV_E_INVALID, name,
                "zip entries of 4 GiB or more are not supported");
  const void *body = data;
  size_t body_len = len;
  if (!store && len > 0) {
    /* Room for len - 1 bytes: when deflating does not save a byte,
     * libdeflate returns 0 and the entry is stored as it is. */
    if (dconv_buf_reserve(&z->packed, len))
      return fail(err, DCONV_E_NOMEM, name, "out of memory");
    size_t n = libdeflate_deflate_compress(z->deflater, data, len,
                                           z->packed.data, len - 1);
    if (n) {
      body = z->packed.data;
      body_len = n;
    } else {
      store = 1;
    }
  } else {
    store = 1;
  }
  uint32_t crc = libdeflate_crc32(0, data, len);
  zip_fileinfo info;
  memset(&info, 0, sizeof info);
  info.dosDate = z->dos_datetime;
  /* The header stays kept back until its CRC and sizes are in. */
  z->can_send = 0;
  uint64_t header = z->pos;
  /* Bit 11: the name is UTF-8 (the core guarantees valid UTF-8). */
  if (zipOpenNewFileInZip4_64(z->zf, name, &info, NULL, 0, NULL, 0, NULL,
                              store ? 0 : Z_DEFLATED, Z_DEFAULT_COMPRESSION,
                              1, -MAX_WBITS, DEF_MEM_LEVEL,
                              Z_DEFAULT_STRATEGY, NULL, 0, 0, 1u << 11,
                              0) != ZIP_OK)
    return io_fail(z, err, name);
  if (header < z->sent || z->pending.len < header - z->sent + 26) {
    z->broken = 1;
    return io_fail(z, err, name);
  }
  put32(z->fixed, crc);
  put32(z->fixed + 4, (uint32_t)body_len);
  put32(z->fixed + 8, (uint32_t)len);
  z->fixed_at = header + LOCAL_CRC_AT;
  memcpy(z->pending.data + (z->fixed_at - z->sent), z->fixed,
         sizeof z->fixed);
  z->can_send = 1;
  if ((body_len && zipWriteInFileInZip(z->zf, body, (unsigned)body_len) !=
                       ZIP_OK) ||
      zipCloseFileInZipRaw64(z->zf, len, crc) != ZIP_OK)
    return io_fail(z, err, name);
  return z->pending.len >= ZIP_BATCH && send_pending(z)
             ? io_fail(z, err, name)
             : 0;
}

int dconv_zip_finish(dconv_zip *z, dconv_buf *err) {
  int rc = zipClose(z->zf, NULL);
  z->zf = NULL;
  if (rc != ZIP_OK || send_pending(z))
    rc = io_fail(z, err, "cannot finish zip");
  dconv_zip_free(z);
  return rc;
}

void dconv_zip_free(dconv_zip *z) {
  if (!z)
    return;
  if (z->zf) {
    z->broken = 1; /* nothing more reaches the sink */
    zipClose(z->zf, NULL);
  }
  libdeflate_free_compressor(z->deflater);
  dconv_buf_free(&z->packed);
  dconv_buf_free(&z->pending);
  free(z);
}
