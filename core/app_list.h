/*
 * app_list.h - what `dconv` prints about its plugins (app_list.c): the
 * --list-formats and --list-plugins listings, --help FORMAT, and the
 * error for a name no plugin has. All print to stdout, the error to
 * stderr; none takes ownership of anything.
 */
#ifndef DCONV_CORE_APP_LIST_H
#define DCONV_CORE_APP_LIST_H

#include "loader.h"

/* --list-formats: writers and their variants (--to), then readers
 * (--from, the built-in one first) and filters (--filter). */
void dconv_app_list_formats(const dconv_registry *reg);

/* --list-plugins: each plugin's name, version and path; with `verbose`
 * its ABI, options, variants and roles, and every rejected file. */
void dconv_app_list_plugins(const dconv_registry *reg, int verbose);

/* --help FORMAT: the format's description, plugin and options. Returns
 * DCONV_EXIT_OK, or DCONV_EXIT_USAGE after reporting an unknown name. */
int dconv_app_help_format(dconv_registry *reg, const char *name);

/* "dconv: error: unknown format 'x'; available: ..." on stderr, for the
 * option of `role` (--to, --from, --filter). Loads every plugin first, so
 * the list is complete. */
void dconv_app_unknown(dconv_registry *reg, const char *name, dconv_role role);

#endif
