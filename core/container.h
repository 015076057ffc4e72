/*
 * container.h - the zip archives of DCONV_PLUGIN_CONTAINER formats (and of
 * multi-part output sent to one file), built in memory with libzip with
 * fixed timestamps, then streamed to a sink like any other bytes.
 */
#ifndef DCONV_CORE_CONTAINER_H
#define DCONV_CORE_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct dconv_zip dconv_zip;

/* Where finished archive bytes go; returns 0 or a DCONV_E_* code. */
typedef int (*dconv_zip_sink)(void *ctx, const void *data, size_t len);

/* Start an empty archive whose entries carry `timestamp` (seconds since
 * the epoch, UTC; clamped to the zip epoch 1980). Returns 0 with *out set,
 * or a DCONV_E_* code with the reason in err. */
int dconv_zip_new(dconv_zip **out, int64_t timestamp, dconv_buf *err);
/* Add entry `name` with a copy of data[0..len): stored when `store`,
 * deflated otherwise. Returns 0 or a DCONV_E_* code (reason in err). */
int dconv_zip_add(dconv_zip *z, const char *name, const void *data,
                  size_t len, int store, dconv_buf *err);
/* Close the archive and stream its bytes to sink; frees z in every case.
 * Returns 0, the sink's code, or DCONV_E_IO (reason in err). */
int dconv_zip_finish(dconv_zip *z, dconv_zip_sink sink, void *ctx,
                     dconv_buf *err);
/* Give up an unfinished archive. NULL is a no-op. */
void dconv_zip_free(dconv_zip *z);

#endif
