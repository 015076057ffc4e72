/*
 * host_run.h - one run of one plugin, shared by the host's service files:
 * host.c (diagnostics, options, the tree, runs) and host_output.c (what
 * writers send: bytes, zip entries, parts). Private to core/.
 */
#ifndef DCONV_CORE_HOST_RUN_H
#define DCONV_CORE_HOST_RUN_H

#include <stdint.h>

#include "buf.h"
#include "container.h"
#include "host.h"
#include "options.h"

/* One named part of a multi-part output, held in memory until the run
 * has succeeded (then written and renamed into place all together). */
typedef struct host_part {
  char *name; /* owned */
  dconv_buf bytes;
} host_part;

typedef enum { RUN_WRITER, RUN_READER, RUN_FILTER } run_role;

struct dconv_export {
  run_role role;
  const dconv_loaded *plugin;
  const char *format; /* name the user asked for (plugin or variant) */
  dconv_tree *doc;    /* writers get it only through const accessors */
  dconv_diag *diag;
  dconv_opts opts;
  int error_code;
  dconv_buf error;
  int plugin_error; /* the plugin itself called set_error() */
  /* node_source: file names that are not clean UTF-8, and their cleaned
   * arena copies (raw[i] -> clean[i]); few, so a list. */
  const char **raw_files, **clean_files;
  size_t n_files;
  int strict_stop; /* a warning became an error under --strict */
  /* Readers: the input's name, and its arena copy for node_add. */
  const char *input_name;
  const char *input_file;
  /* Writers. */
  dconv_host_dest *dest;
  dconv_zip *zip;    /* the archive being built: the output's or a part's */
  int wrote_main;    /* bytes or entries went to the single output */
  host_part *parts;
  size_t n_parts, cap_parts;
  int in_part; /* the last part is open */
  int in_entry; /* a zip entry is open (entry_open): write() goes there */
  dconv_buf entry_name; /* its name, for messages */
};

/* Record why the run failed (the message replaces any earlier one) and
 * return `code`, so a service can `return dconv_host_fail(...)`. */
int dconv_host_fail(dconv_export *ex, int code, const char *fmt, ...)
    DCONV_PRINTF(3, 4);
/* The timestamp service: $SOURCE_DATE_EPOCH, else the newest digest date. */
int64_t dconv_host_timestamp(dconv_export *ex);

/* The output services of the table (host_output.c); see dconv/plugin.h. */
int dconv_host_write(dconv_export *ex, const void *data, size_t len);
int dconv_host_add_entry(dconv_export *ex, const char *name, const void *data,
                         size_t len, uint32_t flags);
int dconv_host_part_open(dconv_export *ex, const char *name);
int dconv_host_part_close(dconv_export *ex);
const char *dconv_host_output_name(dconv_export *ex);
int dconv_host_entry_open(dconv_export *ex, const char *name, uint32_t flags);
int dconv_host_entry_close(dconv_export *ex);

/* After a writer's convert returned 0: close what it left open and send
 * the parts or the archive on. Returns 0 or DCONV_E_* (recorded). */
int dconv_host_output_finish(dconv_export *ex);
/* Free what the run's output still holds (an unfinished archive, the
 * parts' bytes). */
void dconv_host_output_free(dconv_export *ex);

#endif
