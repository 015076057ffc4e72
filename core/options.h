/*
 * options.h - `key=value` options: validation against a plugin's declared
 * table, the per-run store the plugin reads through host->option, and the
 * "NAME[:key=value,...]" specs of --from and --filter.
 */
#ifndef DCONV_CORE_OPTIONS_H
#define DCONV_CORE_OPTIONS_H

/* Largest file a DCONV_OPT_FILE option may name (-O cover=...). */
#define DCONV_OPTIONS_FILE_MAX (64LL << 20)

#include <stddef.h>

#include <dconv/plugin.h>

#include "diag.h"
#include "loader.h"

/* The declared option `key` (key[0..keylen)) of p, or NULL. Borrowed. */
const dconv_option *dconv_options_find(const dconv_loaded *p, const char *key,
                                       size_t keylen);

/* Check user options ("key=value" strings) against p's declared table.
 * Reports each problem with the list of valid keys or values. Returns 0 or
 * DCONV_E_OPTION. */
/* Why `v` is not a value of option `o` ("expects an integer", ...), or
 * NULL when it is one. A FILE option opens `v` to check it. The loader
 * uses it for declared defaults too. */
const char *dconv_options_value_problem(const dconv_option *o, const char *v);

int dconv_options_check(const dconv_loaded *p, char *const *opts,
                        size_t n_opts, dconv_diag *diag);

/* The options of one run: owned copies, later settings override earlier
 * ones (so -O overrides a variant's presets). */
typedef struct dconv_opts {
  struct dconv_opt_kv {
    char *key, *value;
  } *v;
  size_t n;
} dconv_opts;

/* Set one "key=value" (kv[0..len)); text without '=' is ignored (it was
 * rejected by dconv_options_check). Returns 0 or DCONV_E_NOMEM. */
int dconv_options_set(dconv_opts *o, const char *kv, size_t len);
/* Set every pair of a variant's preset list "k=v,k=v". 0 or NOMEM. */
int dconv_options_set_list(dconv_opts *o, const char *list);
/* The value set for `key`, else p's declared default, else NULL. */
const char *dconv_options_get(const dconv_opts *o, const dconv_loaded *p,
                              const char *key);
void dconv_options_free(dconv_opts *o);

/* A parsed "NAME[:key=value,key=value...]" (--from, --filter). A comma
 * starts a new pair only when "KEY=" follows it (KEY of [A-Za-z0-9_-]), so
 * values may contain commas, e.g. match=a{1,3}. */
typedef struct dconv_stage {
  char *name;    /* owned */
  char **opts;   /* owned "key=value" strings */
  size_t n_opts;
} dconv_stage;

/* Parse spec into *out. Returns 0, DCONV_E_OPTION (reported: empty name
 * or a pair without '=') or DCONV_E_NOMEM. */
int dconv_options_parse_stage(const char *spec, dconv_stage *out,
                              dconv_diag *diag);
void dconv_options_free_stage(dconv_stage *s);

#endif
