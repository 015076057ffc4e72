/*
 * output.h - where converted bytes go: a file (atomically), stdout or memory.
 *
 * A file target is written to a temporary file in the same directory
 * (".NAME.PID.XXXXXX", NAME shortened and hashed when that would exceed
 * NAME_MAX) and renamed over NAME only by dconv_output_commit, so a failed
 * or interrupted run never leaves a partial file nor clobbers an old one.
 * Catchable fatal signals remove the temporary file before dying; a
 * successful commit removes the temporaries of the same target left by runs
 * that could not (SIGKILL): their pid is gone and they are older than this
 * run's own temporary file.
 */
#ifndef DCONV_CORE_OUTPUT_H
#define DCONV_CORE_OUTPUT_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef struct dconv_output dconv_output;

/* Open a target: `path` names a file, "-" is stdout, NULL collects the bytes
 * in memory (see dconv_output_memory). Returns NULL after reporting why. */
dconv_output *dconv_output_open(const char *path, dconv_diag *diag);
/* 0 or DCONV_E_IO / DCONV_E_NOMEM (reported through diag). */
int dconv_output_write(dconv_output *o, const void *data, size_t len);
/* Finish: flush, fsync and rename into place. Frees o in every case. */
int dconv_output_commit(dconv_output *o);
/* Give up: remove the temporary file. Frees o. NULL is a no-op. */
void dconv_output_abort(dconv_output *o);
/* In-memory target only: the bytes written so far (borrowed). */
const dconv_buf *dconv_output_memory(const dconv_output *o);
/* 1 when the target is a terminal (binary formats refuse it). */
int dconv_output_is_tty(const dconv_output *o);

/* Install the handlers that clean up temporary files on fatal signals, and
 * ignore SIGXFSZ so that exceeding `ulimit -f` is a write error (EFBIG). */
void dconv_output_install_signal_handlers(void);
/* Remove the open temporary file, if any. Async-signal-safe: for a signal
 * handler installed elsewhere (e.g. one that reports a crashing plugin). */
void dconv_output_remove_temporary(void);

#endif
