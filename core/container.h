/*
 * container.h - the zip archives of DCONV_PLUGIN_CONTAINER formats (and of
 * multi-part output sent to one file). Whole entries are deflated with
 * libdeflate, entries given in pieces past 16 MiB with zlib as they come;
 * each entry's bytes go to the sink as soon as they are known: the archive
 * is never held in memory as a whole, only its central directory (about
 * 100 bytes an entry) is, until dconv_zip_finish. Timestamps are fixed, so
 * the same entries give the same bytes.
 */
#ifndef DCONV_CORE_CONTAINER_H
#define DCONV_CORE_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct dconv_zip dconv_zip;

/* Where archive bytes go, in order; returns 0 or a DCONV_E_* code. */
typedef int (*dconv_zip_sink)(void *ctx, const void *data, size_t len);

/* Start an empty archive written to sink(ctx, ...), whose entries carry
 * `timestamp` (seconds since the epoch, UTC; clamped to the zip epoch
 * 1980). The sink must stay valid until dconv_zip_finish or _free. Returns
 * 0 with *out set, or a DCONV_E_* code with the reason in err. */
int dconv_zip_new(dconv_zip **out, int64_t timestamp, dconv_zip_sink sink,
                  void *ctx, dconv_buf *err);
/* Add entry `name` with data[0..len) (not kept after the call): stored when
 * `store`, deflated otherwise (stored too when deflating does not make it
 * smaller). Its bytes reach the sink before this returns, except up to 64
 * KiB kept to batch small writes. An entry must be under 4 GiB. Returns 0,
 * the sink's code, or a DCONV_E_* code (reason in err). */
int dconv_zip_add(dconv_zip *z, const char *name, const void *data,
                  size_t len, int store, dconv_buf *err);
/* Start entry `name` whose bytes come in pieces (dconv_zip_write_entry),
 * for an entry too large to hold twice: stored when `store`, else
 * deflated. Until dconv_zip_close_entry no other entry can be added. Up to
 * 16 MiB the pieces are held and the entry comes out exactly as one
 * dconv_zip_add of the whole would make it; a larger entry is compressed
 * with zlib and sent as it comes, its CRC and sizes in a data descriptor
 * after the data (and in the central directory). Returns 0 or DCONV_E_*
 * (reason in err). */
int dconv_zip_open_entry(dconv_zip *z, const char *name, int store,
                         dconv_buf *err);
/* Append data[0..len) to the open entry (not kept after the call). Returns
 * 0, the sink's code or DCONV_E_* (a 4 GiB entry: DCONV_E_INVALID). */
int dconv_zip_write_entry(dconv_zip *z, const void *data, size_t len,
                          dconv_buf *err);
/* Finish the open entry. Returns 0, the sink's code or DCONV_E_*. */
int dconv_zip_close_entry(dconv_zip *z, dconv_buf *err);
/* Write the central directory and the rest to the sink; frees z in every
 * case. Returns 0, the sink's code, or DCONV_E_IO (reason in err). */
int dconv_zip_finish(dconv_zip *z, dconv_buf *err);
/* Give up an unfinished archive (what reached the sink stays there). NULL
 * is a no-op. */
void dconv_zip_free(dconv_zip *z);

#endif
