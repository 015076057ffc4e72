/*
 * app.h - what the `dconv` command does, separated from argv handling so
 * tests and fuzzers can drive the same paths.
 */
#ifndef DCONV_CORE_APP_H
#define DCONV_CORE_APP_H

#include <stddef.h>

#include "diag.h"
#include "loader.h"
#include "tree.h"

/* Exit codes (documented in README and --help). */
#define DCONV_EXIT_OK 0
#define DCONV_EXIT_INPUT 1  /* input rejected, or warnings under --strict */
#define DCONV_EXIT_USAGE 2  /* bad command line, unknown format or option */
#define DCONV_EXIT_OUTPUT 3 /* output could not be written */
#define DCONV_EXIT_PLUGIN 4 /* a plugin failed */
#define DCONV_EXIT_NOMEM 5  /* out of memory */

typedef enum {
  DCONV_APP_NONE,
  DCONV_APP_CONVERT,
  DCONV_APP_CHECK,
  DCONV_APP_LIST_FORMATS,
  DCONV_APP_LIST_PLUGINS,
  DCONV_APP_HELP_FORMAT,
  DCONV_APP_VERSION
} dconv_app_mode;

typedef struct dconv_app_args {
  dconv_app_mode mode;
  const char *format; /* --to, or the FORMAT of --help FORMAT */
  const char *output; /* -o; NULL = default */
  char **options;     /* -O key=value (borrowed) */
  size_t n_options;
  char **plugins; /* --plugin FILE (borrowed) */
  size_t n_plugins;
  const char *from; /* --from NAME[:k=v,...]; NULL = detect per input */
  char **filters;   /* --filter NAME[:k=v,...] (borrowed), in order */
  size_t n_filters;
  char **inputs; /* borrowed */
  size_t n_inputs;
  int quiet, verbose, strict;
} dconv_app_args;

/* Run the command; returns a DCONV_EXIT_* code. */
int dconv_app_run(const dconv_app_args *a);

/* Read, check and parse every input (Markdown digests only) into a new
 * document (sorted, duplicates reported). Returns 0 with *out set (free
 * with dconv_tree_free), or a negative DCONV_E_* code after reporting every
 * problem through diag. */
int dconv_app_load(char *const *inputs, size_t n_inputs, dconv_diag *diag,
                   dconv_tree **out);

/* The built-in reader's name for --from. */
#define DCONV_APP_BUILTIN_READER "markdown"

/* The reader plugin for one input when --from is not given: the highest
 * probe score above 0 among the readers of reg claiming name's extension
 * (all readers with a probe when none claims it); NULL = the built-in
 * Markdown digest reader. `data` is the input (NUL-terminated). */
const dconv_loaded *dconv_app_detect_reader(const dconv_registry *reg,
                                            const char *name,
                                            const char *data, size_t len);

#endif
