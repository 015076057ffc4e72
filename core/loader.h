/*
 * loader.h - finding, checking and loading plugins (libdl).
 *
 * Search order: the built-in plugin directory, then each absolute entry of
 * $DCONV_PLUGIN_PATH, then $XDG_DATA_HOME/dconv/plugins (default
 * ~/.local/share/dconv/plugins). Relative entries and the current directory
 * are never searched. The first plugin of a name wins; later ones are
 * rejected as duplicates. Every rejection keeps a specific reason.
 */
#ifndef DCONV_CORE_LOADER_H
#define DCONV_CORE_LOADER_H

#include <stddef.h>

#include <dconv/plugin.h>

#include "diag.h"

typedef struct dconv_loaded {
  char *path;        /* owned */
  void *handle;      /* dlopen handle, kept open until dconv_loader_free */
  dconv_plugin desc; /* host copy: at most the plugin's struct_size bytes */
} dconv_loaded;

typedef struct dconv_rejected {
  char *path;   /* owned */
  char *reason; /* owned, one line */
} dconv_rejected;

typedef struct dconv_registry {
  dconv_loaded *loaded;
  size_t n_loaded, cap_loaded;
  dconv_rejected *rejected;
  size_t n_rejected, cap_rejected;
  int report; /* print rejections through diag as they happen */
  dconv_diag *diag;
} dconv_registry;

/* Search every plugin directory. Returns 0 or DCONV_E_NOMEM; rejected files
 * are recorded (and printed when reg->report), never fatal. */
int dconv_loader_discover(dconv_registry *reg);
/* Load one file. `explicit_file` (from --plugin) skips the ownership and
 * permission checks. Returns 0, or a negative code when it was rejected. */
int dconv_loader_load(dconv_registry *reg, const char *path,
                      int explicit_file);
/* The plugin serving `name`, directly or as a variant (then *variant is set,
 * else NULL). NULL when nothing matches. Borrowed from reg. */
const dconv_loaded *dconv_loader_find(const dconv_registry *reg,
                                      const char *name,
                                      const dconv_variant **variant);
/* Variant i of a plugin, honouring the plugin's own struct stride. */
const dconv_variant *dconv_loader_variant(const dconv_loaded *p, uint32_t i);
/* Option i of a plugin, honouring the plugin's own struct stride. */
const dconv_option *dconv_loader_option(const dconv_loaded *p, uint32_t i);
void dconv_loader_free(dconv_registry *reg);

/* The built-in plugin directory of this executable (absolute). */
const char *dconv_loader_builtin_dir(void);

#endif
