/*
 * host.h - running one plugin on one document: the services table plugins
 * receive (dconv_host), option validation and the zip container for
 * DCONV_PLUGIN_CONTAINER formats (libzip, built in memory, then sent to the
 * output like any other bytes).
 */
#ifndef DCONV_CORE_HOST_H
#define DCONV_CORE_HOST_H

#include <stddef.h>

#include <dconv/plugin.h>

#include "diag.h"
#include "tree.h"
#include "loader.h"
#include "output.h"

/* The services table (static; valid for the life of the process). */
const dconv_host *dconv_host_services(void);

/* Check user options ("key=value" strings) against the plugin's declared
 * table. Reports each problem with the list of valid keys or values.
 * Returns 0 or DCONV_E_OPTION. */
int dconv_host_check_options(const dconv_loaded *p, char *const *opts,
                             size_t n_opts, dconv_diag *diag);

/* Convert doc with plugin p (optionally through a variant's presets) into
 * out. Options are "key=value" strings, already checked. The output is not
 * committed here: the caller commits or aborts. Returns 0 or DCONV_E_*;
 * failures are reported through diag ("dconv: FORMAT: error: ..."). */
int dconv_host_export(const dconv_loaded *p, const dconv_variant *variant,
                      const dconv_tree *doc, char *const *opts, size_t n_opts,
                      dconv_output *out, dconv_diag *diag);

#endif
