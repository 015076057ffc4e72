/*
 * host.h - running plugins: the services table they receive (dconv_host),
 * and the drivers for the three roles - a reader on one input, a filter on
 * the tree, a writer converting the tree into output (one stream, one zip
 * container, or several named parts). Option validation lives in
 * options.c, the zip container in container.c.
 */
#ifndef DCONV_CORE_HOST_H
#define DCONV_CORE_HOST_H

#include <stddef.h>

#include <dconv/plugin.h>

#include "diag.h"
#include "loader.h"
#include "output.h"
#include "tree.h"

/* The last second of 9999-12-31 UTC: the largest SOURCE_DATE_EPOCH taken
 * (any plugin's gmtime_r and 4-digit year formats then work). */
#define DCONV_HOST_EPOCH_MAX 253402300799LL

/* $SOURCE_DATE_EPOCH: 0 when unset or empty, 1 with *out set, -1 when it
 * is not decimal digits within 0..DCONV_HOST_EPOCH_MAX (the caller says
 * so and exits 2, before anything is converted). */
int dconv_host_source_date_epoch(int64_t *out);

/* The services table (static; valid for the life of the process). */
const dconv_host *dconv_host_services(void);

/* Where a writer's output goes. */
typedef struct dconv_host_dest {
  dconv_output *out; /* the single output; NULL in directory mode */
  const char *dir;   /* directory mode (-o DIR/): parts become DIR/NAME */
  const char *name;  /* what host->output_name reports ("-" = stdout) */
  const char *default_name; /* directory mode: the name of the one file of a
                               writer that opens no part */
  int name_given;           /* -o was given (a multi-part run needs it) */
  /* Filled by the export in directory mode: one uncommitted output per
   * part (owned; the caller commits them all on success, else aborts
   * them all, see dconv_host_dest_finish). */
  dconv_output **pending;
  size_t n_pending;
} dconv_host_dest;

/* Commit (commit != 0) or abort every pending part output of dest, and
 * free the list. Returns 0 or DCONV_E_IO (a rename failed; reported). */
int dconv_host_dest_finish(dconv_host_dest *dest, int commit);

/* Convert doc with writer p (optionally through a variant's presets) into
 * dest. Options are "key=value" strings, already checked. Nothing is
 * committed here: the caller commits or aborts dest->out and the pending
 * parts. Returns 0 or DCONV_E_*; failures are reported through diag
 * ("dconv: FORMAT: error: ..."). *strict_stop (may be NULL) is set to 1
 * when the writer stopped on a warning --strict turned into an error. */
int dconv_host_convert(const dconv_loaded *p, const dconv_variant *variant,
                       const dconv_tree *doc, char *const *opts, size_t n_opts,
                       dconv_host_dest *dest, dconv_diag *diag,
                       int *strict_stop);

/* dconv_host_convert to one output (out), as ABI 1.0 writers had it. */
int dconv_host_export(const dconv_loaded *p, const dconv_variant *variant,
                      const dconv_tree *doc, char *const *opts, size_t n_opts,
                      dconv_output *out, dconv_diag *diag);

/* Run reader p on one input (data[0..len), NUL-terminated, named `name`)
 * appending digests to doc. Options as for convert. The caller checks the
 * tree afterwards (check.h). Returns 0 or DCONV_E_* (reported). */
int dconv_host_read(const dconv_loaded *p, dconv_tree *doc, char *const *opts,
                    size_t n_opts, const char *name, const char *data,
                    size_t len, dconv_diag *diag);

/* Run filter p on doc. Returns 0 or DCONV_E_* (reported). The caller
 * checks and recounts the tree afterwards. */
int dconv_host_filter(const dconv_loaded *p, dconv_tree *doc,
                      char *const *opts, size_t n_opts, dconv_diag *diag);

#endif
