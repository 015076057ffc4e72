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
#include <sys/stat.h>

#include <dconv/plugin.h>

#include "diag.h"

typedef struct dconv_loaded {
  char *path;        /* owned */
  void *handle;      /* dlopen handle, kept open until dconv_loaded_free */
  dconv_plugin desc; /* host copy of the 1.0 part (= ext.base) */
  dconv_plugin_ext ext; /* host copy: at most the plugin's struct_size
                           bytes, the rest zero (so NULL roles for 1.0) */
  const dconv_plugin *script; /* a script: its script host's descriptor */
  void (*script_free)(const dconv_plugin *); /* releases `script` */
} dconv_loaded;

/* What a plugin is used as; a plugin may play several roles. */
typedef enum {
  DCONV_ROLE_WRITER, /* desc.convert: --to */
  DCONV_ROLE_READER, /* ext.read: --from, detection */
  DCONV_ROLE_FILTER  /* ext.filter: --filter */
} dconv_role;

/* Rejection code for a file or directory others could change (owner,
 * permissions). Host-only: plugins never see it, so it is not in the
 * public errors.h. */
#define DCONV_LOADER_E_PERM (-100)

/* Why a plugin file (is_dir 0) or directory (1) with this status must not
 * be trusted, like ssh's StrictModes: owned by someone other than the user
 * or root, world-writable, or group-writable by a group other than the
 * user's private group (named like the user, no other member). NULL when
 * it is safe. The text is in a static buffer, valid until the next call. */
const char *dconv_loader_unsafe(const struct stat *st, int is_dir);

/* 1 when p plays `role`. */
int dconv_loader_has_role(const dconv_loaded *p, dconv_role role);

typedef struct dconv_rejected {
  char *path;   /* owned */
  char *reason; /* owned, one line */
} dconv_rejected;

typedef struct dconv_registry {
  dconv_loaded *loaded;
  size_t n_loaded, cap_loaded;
  dconv_rejected *rejected;
  size_t n_rejected, cap_rejected;
  /* Files found by discovery and not loaded yet (a conversion loads only
   * what it names: dconv_loader_want). Owned paths, search order. */
  char **cand;
  size_t n_cand, cap_cand;
  /* Descriptors modules were dlopen()ed through (/proc/self/fd/N), held
   * open until dconv_loader_free: glibc knows a module by that name, so a
   * number reused for the next file would yield the previous module. */
  int *fds;
  size_t n_fds, cap_fds;
  int report; /* print rejections through diag as they happen */
  dconv_diag *diag;
} dconv_registry;

/* Search every plugin directory and record the candidate files in search
 * order, loading none of them (directories refused are recorded). Returns
 * 0 or DCONV_E_NOMEM. */
int dconv_loader_discover(dconv_registry *reg);

/* Record (and, when reg->report, print) why `path` - a plugin file or a
 * directory - is not used; returns `code`, the kind of problem (DCONV_E_ABI
 * only for version and descriptor-size problems), or DCONV_E_NOMEM. The
 * registry owns the copies of path and message. */
int dconv_loader_reject(dconv_registry *reg, const char *path, int code,
                        const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Load every candidate not loaded yet, in search order (modules of a
 * directory, then its scripts whose host is loaded). Returns 0 or
 * DCONV_E_NOMEM; rejected files are recorded (and printed when
 * reg->report), never fatal. */
int dconv_loader_load_all(dconv_registry *reg);
/* Make `name` available loading as little as possible: the candidates
 * whose file is named NAME.so or NAME.EXT (a script; its host EXT.so is
 * wanted first), in search order. When that does not provide `name` (a
 * variant, a plugin named unlike its file, an unknown name), every
 * candidate is loaded. Returns 0 or DCONV_E_NOMEM. */
int dconv_loader_want(dconv_registry *reg, const char *name);
/* Load one file. `explicit_file` (from --plugin) skips the ownership and
 * permission checks; a discovered file named like a plugin already loaded
 * (NAME.so) is rejected as a duplicate without being opened. Returns 0, or a negative code when it was rejected:
 * DCONV_E_NOMEM, DCONV_E_IO (cannot open or dlopen it),
 * DCONV_LOADER_E_PERM (unsafe owner or permissions), DCONV_E_INVALID
 * (not a regular file, relative path, required descriptor field missing,
 * duplicate name), DCONV_E_NOTFOUND (no
 * entry point) or DCONV_E_ABI (version or descriptor size). */
int dconv_loader_load(dconv_registry *reg, const char *path,
                      int explicit_file);
/* The plugin serving `name`, directly or as a variant (then *variant is set,
 * else NULL), whatever its roles. NULL when nothing matches. Borrowed. */
const dconv_loaded *dconv_loader_find(const dconv_registry *reg,
                                      const char *name,
                                      const dconv_variant **variant);
/* The same, only among plugins playing `role` (variants are writers'). */
const dconv_loaded *dconv_loader_find_role(const dconv_registry *reg,
                                           const char *name, dconv_role role,
                                           const dconv_variant **variant);
/* The loaded script host claiming path's extension (FILE.lua), or NULL. */
const dconv_loaded *dconv_loader_script_host(const dconv_registry *reg,
                                             const char *path);
/* Variant i of a plugin, honouring the plugin's own struct stride. */
const dconv_variant *dconv_loader_variant(const dconv_loaded *p, uint32_t i);
/* Option i of a plugin, honouring the plugin's own struct stride. */
const dconv_option *dconv_loader_option(const dconv_loaded *p, uint32_t i);
void dconv_loader_free(dconv_registry *reg);

/* The built-in plugin directory of this executable (absolute). */
const char *dconv_loader_builtin_dir(void);

#endif
