/*
 * app.c - the `dconv` command: reading the inputs into one tree (the
 * built-in reader or a --from plugin), the filters, the writer and its
 * output, and --check; app_list.c prints the listings and --help FORMAT.
 */
#include "app.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <dconv/plugin.h>

#include "app_list.h"
#include "buf.h"
#include "check.h"
#include "guard.h"
#include "host.h"
#include "options.h"
#include "input.h"
#include "loader.h"
#include "output.h"
#include "parser.h"

#ifndef DCONV_VERSION
#define DCONV_VERSION "0.0.0"
#endif

/* The reader chosen with --from for every input (NULL: detect). */
typedef struct app_reader {
  const dconv_registry *reg; /* NULL: only the built-in reader */
  const dconv_loaded *plugin; /* --from a plugin */
  int builtin;                /* --from markdown */
  char *const *opts;          /* the --from spec's options */
  size_t n_opts;
} app_reader;

static int ends_with_ext(const char *name, const char *ext) {
  size_t n = strlen(name), e = strlen(ext);
  return n > e + 1 && name[n - e - 1] == '.' && strcmp(name + n - e, ext) == 0;
}

static int claims(const dconv_loaded *p, const char *name) {
  for (size_t i = 0; p->ext.read_extensions && p->ext.read_extensions[i]; i++)
    if (ends_with_ext(name, p->ext.read_extensions[i]))
      return 1;
  return 0;
}

/* Probes see at most this much of an input. */
#define PROBE_MAX (64 * 1024)

const dconv_loaded *dconv_app_detect_reader(const dconv_registry *reg,
                                            const char *name,
                                            const char *data, size_t len) {
  if (!reg)
    return NULL;
  int any_claims = 0;
  for (size_t i = 0; i < reg->n_loaded; i++)
    if (dconv_loader_has_role(&reg->loaded[i], DCONV_ROLE_READER))
      any_claims |= claims(&reg->loaded[i], name);
  char *head = NULL;
  if (len > PROBE_MAX) { /* probes get a NUL-terminated prefix */
    head = malloc(PROBE_MAX + 1);
    if (!head)
      return NULL;
    memcpy(head, data, PROBE_MAX);
    head[PROBE_MAX] = '\0';
    data = head;
    len = PROBE_MAX;
  }
  const dconv_loaded *best = NULL;
  int best_score = 0;
  for (size_t i = 0; i < reg->n_loaded; i++) {
    const dconv_loaded *p = &reg->loaded[i];
    if (!dconv_loader_has_role(p, DCONV_ROLE_READER))
      continue;
    int mine = claims(p, name);
    if (any_claims && !mine)
      continue;
    int score = mine ? 50 : 0;
    if (p->ext.probe) {
      dconv_guard g;
      dconv_guard_enter(&g, p->desc.name, p->path, "probe");
      score = p->ext.probe(name, data, len);
      dconv_guard_leave(&g);
    }
    if (score > best_score)
      best = p, best_score = score;
  }
  free(head);
  return best;
}

static int load(const app_reader *rd, char *const *inputs, size_t n_inputs,
                dconv_diag *diag, dconv_tree **out) {
  *out = NULL;
  dconv_input_list list = {NULL, 0, 0};
  int rc = 0, bad = 0, plugin_read = 0;
  for (size_t i = 0; i < n_inputs && rc != DCONV_E_NOMEM; i++) {
    int r = dconv_input_expand(&list, inputs[i], diag);
    if (r == DCONV_E_NOMEM)
      rc = r;
    else if (r)
      bad = 1;
  }
  dconv_tree *doc = rc ? NULL : dconv_tree_new();
  if (!doc && !rc)
    rc = DCONV_E_NOMEM;
  dconv_buf text = DCONV_BUF_INIT;
  for (size_t i = 0; !rc && i < list.n; i++) {
    const char *path = list.paths[i];
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    int r = dconv_input_read(path, &text, diag);
    const dconv_loaded *p = NULL;
    if (!r && !(p = rd->plugin) && !rd->builtin)
      p = dconv_app_detect_reader(rd->reg, name, text.data ? text.data : "",
                                  text.len);
    if (!r && p) {
      /* A reader plugin gets the bytes as read; the host cleans every
       * string it sets and checks the tree afterwards. */
      plugin_read = 1;
      r = dconv_host_read(p, doc, rd->plugin ? rd->opts : NULL,
                          rd->plugin ? rd->n_opts : 0, name,
                          text.data ? text.data : "", text.len, diag);
    } else if (!r) {
      r = dconv_input_sanitize(name, &text, diag);
      if (!r)
        r = dconv_parse_digest(doc, name, text.data, text.len, diag);
    }
    if (r == DCONV_E_NOMEM)
      rc = r;
    else if (r)
      bad = 1;
  }
  dconv_buf_free(&text);
  dconv_input_list_free(&list);
  if (!rc && !bad && plugin_read) {
    int r = dconv_check_tree(doc, diag);
    if (r == DCONV_E_NOMEM)
      rc = r;
    else if (r)
      bad = 1;
  }
  if (!rc && !bad)
    rc = dconv_tree_finish(doc, diag);
  dconv_diag_summarize(diag); /* the parse's repeated warnings */
  if (!rc && bad)
    rc = DCONV_E_PARSE;
  if (rc) {
    if (rc == DCONV_E_NOMEM)
      dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0, "out of memory");
    dconv_tree_free(doc);
    return rc;
  }
  *out = doc;
  return 0;
}

int dconv_app_load(char *const *inputs, size_t n_inputs, dconv_diag *diag,
                   dconv_tree **out) {
  app_reader r;
  memset(&r, 0, sizeof r);
  return load(&r, inputs, n_inputs, diag, out);
}

/* ------------------------------------------------------------- converting */

/* Default output name for binary formats: daily-papers-FIRST[_LAST].EXT */
static char *default_output(const dconv_tree *doc, const char *ext) {
  const dconv_node *first = doc->root->first, *last = doc->root->last;
  dconv_buf b = DCONV_BUF_INIT;
  if (!first)
    dconv_buf_printf(&b, "daily-papers.%s", ext);
  else if (strcmp(dconv_tree_str(first, DCONV_S_DATE),
                  dconv_tree_str(last, DCONV_S_DATE)) == 0)
    dconv_buf_printf(&b, "daily-papers-%s.%s",
                     dconv_tree_str(first, DCONV_S_DATE), ext);
  else
    dconv_buf_printf(&b, "daily-papers-%s_%s.%s",
                     dconv_tree_str(first, DCONV_S_DATE),
                     dconv_tree_str(last, DCONV_S_DATE), ext);
  return dconv_buf_detach(&b);
}

/* Refuse -o naming one of the inputs (same inode, directories expanded),
 * before anything is read or written. */
static int output_is_input(const char *output, char *const *inputs,
                           size_t n_inputs, dconv_diag *diag) {
  struct stat so;
  if (stat(output, &so) != 0)
    return 0;
  dconv_input_list list = {NULL, 0, 0};
  dconv_diag quiet = *diag; /* expansion errors are reported later */
  quiet.out = fopen("/dev/null", "w");
  if (!quiet.out)
    return 0;
  for (size_t i = 0; i < n_inputs; i++)
    dconv_input_expand(&list, inputs[i], &quiet);
  fclose(quiet.out);
  int same = 0;
  for (size_t i = 0; i < list.n && !same; i++) {
    struct stat si;
    same = strcmp(list.paths[i], "-") != 0 && stat(list.paths[i], &si) == 0 &&
           si.st_dev == so.st_dev && si.st_ino == so.st_ino;
  }
  dconv_input_list_free(&list);
  return same;
}

/* The plugins a run uses besides its writer, resolved and checked before
 * any input is read: a bad --from or --filter is a usage error. */
typedef struct app_stages {
  dconv_stage from;   /* name NULL when --from is absent */
  app_reader reader;
  dconv_stage *filters;
  const dconv_loaded **filter_plugins;
  size_t n_filters;
} app_stages;

static void stages_free(app_stages *st) {
  dconv_options_free_stage(&st->from);
  for (size_t i = 0; i < st->n_filters; i++)
    dconv_options_free_stage(&st->filters[i]);
  free(st->filters);
  free(st->filter_plugins);
  memset(st, 0, sizeof *st);
}

/* Returns a DCONV_EXIT_* code (0 = ok). */
static int stages_resolve(const dconv_app_args *a, dconv_registry *reg,
                          dconv_diag *diag, app_stages *st) {
  memset(st, 0, sizeof *st);
  st->reader.reg = reg;
  if (a->from) {
    int rc = dconv_options_parse_stage(a->from, &st->from, diag);
    if (rc)
      return rc == DCONV_E_NOMEM ? DCONV_EXIT_NOMEM : DCONV_EXIT_USAGE;
    if (strcmp(st->from.name, DCONV_APP_BUILTIN_READER) == 0 &&
        !dconv_loader_find_role(reg, st->from.name, DCONV_ROLE_READER,
                                NULL)) {
      if (st->from.n_opts) {
        dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0,
                          "the built-in reader '%s' has no options",
                          st->from.name);
        return DCONV_EXIT_USAGE;
      }
      st->reader.builtin = 1;
    } else {
      const dconv_loaded *p =
          dconv_loader_find_role(reg, st->from.name, DCONV_ROLE_READER, NULL);
      if (!p) {
        dconv_app_unknown(reg, st->from.name, DCONV_ROLE_READER);
        return DCONV_EXIT_USAGE;
      }
      if (dconv_options_check(p, st->from.opts, st->from.n_opts, diag))
        return DCONV_EXIT_USAGE;
      st->reader.plugin = p;
      st->reader.opts = st->from.opts;
      st->reader.n_opts = st->from.n_opts;
    }
  }
  if (a->n_filters) {
    st->filters = calloc(a->n_filters, sizeof *st->filters);
    st->filter_plugins = calloc(a->n_filters, sizeof *st->filter_plugins);
    if (!st->filters || !st->filter_plugins)
      return DCONV_EXIT_NOMEM;
  }
  for (size_t i = 0; i < a->n_filters; i++) {
    int rc = dconv_options_parse_stage(a->filters[i], &st->filters[i], diag);
    if (rc)
      return rc == DCONV_E_NOMEM ? DCONV_EXIT_NOMEM : DCONV_EXIT_USAGE;
    st->n_filters++;
    const dconv_loaded *p = dconv_loader_find_role(reg, st->filters[i].name,
                                                   DCONV_ROLE_FILTER, NULL);
    if (!p) {
      dconv_app_unknown(reg, st->filters[i].name, DCONV_ROLE_FILTER);
      return DCONV_EXIT_USAGE;
    }
    if (dconv_options_check(p, st->filters[i].opts, st->filters[i].n_opts,
                            diag))
      return DCONV_EXIT_USAGE;
    st->filter_plugins[i] = p;
  }
  return DCONV_EXIT_OK;
}

/* Exit status for a plugin's failure code. */
static int exit_for(int rc, int strict_stop, int input_role) {
  return rc == DCONV_E_NOMEM    ? DCONV_EXIT_NOMEM
         : rc == DCONV_E_IO     ? DCONV_EXIT_OUTPUT
         : rc == DCONV_E_OPTION ? DCONV_EXIT_USAGE /* README: bad option */
         : strict_stop || input_role ? DCONV_EXIT_INPUT
                                     : DCONV_EXIT_PLUGIN;
}

/* Read every input and run the filters. Returns a DCONV_EXIT_* code; on
 * success *out is the finished tree. */
static int build_tree(const dconv_app_args *a, const app_stages *st,
                      dconv_diag *diag, dconv_tree **out) {
  dconv_tree *doc = NULL;
  int rc = load(&st->reader, a->inputs, a->n_inputs, diag, &doc);
  if (rc)
    return rc == DCONV_E_NOMEM ? DCONV_EXIT_NOMEM : DCONV_EXIT_INPUT;
  for (size_t i = 0; i < st->n_filters && !dconv_diag_failed(diag); i++) {
    rc = dconv_host_filter(st->filter_plugins[i], doc, st->filters[i].opts,
                           st->filters[i].n_opts, diag);
    /* Whatever the filter did, the writer gets a tree of the usual shape. */
    if (!rc)
      rc = dconv_check_tree(doc, diag);
    if (!rc)
      rc = dconv_tree_recount(doc);
    if (rc) {
      dconv_tree_free(doc);
      return rc == DCONV_E_PARSE ? DCONV_EXIT_PLUGIN
                                 : exit_for(rc, diag->strict && diag->warnings,
                                            0);
    }
  }
  if (dconv_diag_failed(diag)) {
    dconv_tree_free(doc);
    return DCONV_EXIT_INPUT;
  }
  *out = doc;
  return DCONV_EXIT_OK;
}

/* -o DIR/: one file per output part. Only the trailing '/' says so: -o
 * naming an existing directory by mistake stays an error (output.c). */
static int is_dir_target(const char *output) {
  size_t n = output ? strlen(output) : 0;
  return n && output[n - 1] == '/';
}

static int convert(const dconv_app_args *a, dconv_registry *reg,
                   dconv_diag *diag) {
  int64_t epoch;
  if (dconv_host_source_date_epoch(&epoch) < 0) {
    fputs("dconv: error: SOURCE_DATE_EPOCH='", stderr);
    dconv_diag_fputs_safe(getenv("SOURCE_DATE_EPOCH"), stderr);
    fprintf(stderr, "' is not a whole number of seconds from 0 to %lld\n",
            (long long)DCONV_HOST_EPOCH_MAX);
    return DCONV_EXIT_USAGE;
  }
  const dconv_variant *variant = NULL;
  const dconv_loaded *p =
      dconv_loader_find_role(reg, a->format, DCONV_ROLE_WRITER, &variant);
  if (!p) {
    dconv_app_unknown(reg, a->format, DCONV_ROLE_WRITER);
    return DCONV_EXIT_USAGE;
  }
  if (dconv_options_check(p, a->options, a->n_options, diag))
    return DCONV_EXIT_USAGE;
  app_stages st;
  int exit_code = stages_resolve(a, reg, diag, &st);
  if (exit_code) {
    stages_free(&st);
    return exit_code;
  }
  if (a->n_inputs == 0) {
    fputs("dconv: error: no input files (use - for standard input)\n", stderr);
    stages_free(&st);
    return DCONV_EXIT_USAGE;
  }
  int dir = is_dir_target(a->output);
  if (a->output && !dir && strcmp(a->output, "-") != 0 &&
      output_is_input(a->output, a->inputs, a->n_inputs, diag)) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, a->output, 0,
                      "output would overwrite an input; choose another name");
    stages_free(&st);
    return DCONV_EXIT_USAGE;
  }

  dconv_tree *doc = NULL;
  exit_code = build_tree(a, &st, diag, &doc);
  stages_free(&st);
  if (exit_code)
    return exit_code;

  int binary =
      (p->desc.flags & (DCONV_PLUGIN_BINARY | DCONV_PLUGIN_CONTAINER)) != 0;
  const char *ext =
      variant && variant->extension ? variant->extension : p->desc.extension;
  char *derived = NULL;
  dconv_host_dest dest;
  memset(&dest, 0, sizeof dest);
  dest.name_given = a->output != NULL;
  if (dir) {
    dest.dir = a->output;
    dest.name = a->output;
    dest.default_name = derived = default_output(doc, ext);
  } else {
    if (!a->output && binary)
      dest.name = derived = default_output(doc, ext);
    else
      dest.name = a->output ? a->output : "-";
    dest.out = dconv_output_open(dest.name, diag);
  }
  if ((dir && !derived) || (!dir && !dest.out)) {
    free(derived);
    dconv_tree_free(doc);
    return dir ? DCONV_EXIT_NOMEM : DCONV_EXIT_OUTPUT;
  }
  if (binary && dest.out && dconv_output_is_tty(dest.out)) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0,
                      "'%s' is binary; refusing to write it to a terminal "
                      "(use -o FILE)",
                      a->format);
    dconv_output_abort(dest.out);
    free(derived);
    dconv_tree_free(doc);
    return DCONV_EXIT_USAGE;
  }
  int strict_stop = 0;
  int rc = dconv_host_convert(p, variant, doc, a->options, a->n_options,
                              &dest, diag, &strict_stop);
  dconv_diag_summarize(diag); /* the writer's repeated warnings */
  exit_code = DCONV_EXIT_OK;
  if (!rc && dconv_diag_failed(diag)) {
    exit_code = DCONV_EXIT_INPUT; /* a writer warning under --strict */
  } else if (rc) {
    /* A writer stopping on its own warning under --strict is a strict-mode
     * input failure, like the parser's; the host recorded which it was. */
    exit_code = exit_for(rc, strict_stop, 0);
  }
  int ok = exit_code == DCONV_EXIT_OK;
  if (dest.out) {
    if (!ok)
      dconv_output_abort(dest.out);
    else if (dconv_output_commit(dest.out))
      exit_code = DCONV_EXIT_OUTPUT, ok = 0;
  }
  if (dconv_host_dest_finish(&dest, ok))
    exit_code = DCONV_EXIT_OUTPUT;
  if (exit_code == DCONV_EXIT_OK && !a->quiet) {
    if (dir)
      fprintf(stderr, "dconv: wrote into %s\n", a->output);
    else if (derived)
      fprintf(stderr, "dconv: wrote %s\n", derived);
  }
  free(derived);
  dconv_tree_free(doc);
  return exit_code;
}

static int check(const dconv_app_args *a, dconv_registry *reg,
                 dconv_diag *diag) {
  if (a->n_inputs == 0) {
    fputs("dconv: error: no input files (use - for standard input)\n", stderr);
    return DCONV_EXIT_USAGE;
  }
  app_stages st;
  int exit_code = stages_resolve(a, reg, diag, &st);
  dconv_tree *doc = NULL;
  if (!exit_code)
    exit_code = build_tree(a, &st, diag, &doc);
  stages_free(&st);
  if (exit_code)
    return exit_code;
  int64_t digests = 0, papers = 0;
  dconv_node_int(doc->root, DCONV_ATTR_DIGESTS, &digests);
  dconv_node_int(doc->root, DCONV_ATTR_PAPERS, &papers);
  printf("%lld digests, %lld papers, %lu warnings\n", (long long)digests,
         (long long)papers, diag->warnings);
  dconv_diag_print_kinds(diag, stdout);
  dconv_tree_free(doc);
  return dconv_diag_failed(diag) ? DCONV_EXIT_INPUT : DCONV_EXIT_OK;
}

/* --to FILE.lua, --filter FILE.lua[:k=v,...], --help FILE.lua: load the
 * script named by its path (explicitly, like --plugin). 0, NOMEM, or
 * DCONV_E_PLUGIN when the script was rejected: the user asked for it, so
 * the reason (a script's "script.lua:LINE: message") is the error, not a
 * warning followed by "unknown format". */
static int load_named_script(dconv_registry *reg, const char *spec) {
  char *name = spec ? strndup(spec, strcspn(spec, ":")) : NULL;
  char *abs = name && dconv_loader_script_host(reg, name)
                  ? realpath(name, NULL) : NULL;
  int report = reg->report;
  reg->report = 0;
  int rc = abs ? dconv_loader_load(reg, abs, 1) : 0;
  reg->report = report;
  for (size_t i = 0; rc && rc != DCONV_E_NOMEM && i < reg->n_rejected; i++)
    if (strcmp(reg->rejected[i].path, abs) == 0) {
      fprintf(stderr, "dconv: error: %s\n", reg->rejected[i].reason);
      rc = DCONV_E_PLUGIN;
      break;
    }
  free(abs);
  free(name);
  return rc == DCONV_E_NOMEM || rc == DCONV_E_PLUGIN ? rc : 0;
}

/* Make the plugin `spec` (NAME[:k=v,...], or a script's path) names
 * available, loading as little as possible. */
static int want_spec(dconv_registry *reg, const char *spec) {
  char *name = strndup(spec, strcspn(spec, ":"));
  if (!name)
    return DCONV_E_NOMEM;
  const char *dot = strrchr(name, '.');
  int rc;
  if (dot || strchr(name, '/')) /* FILE.EXT: the script host of EXT */
    rc = dot && !strchr(dot, '/') ? dconv_loader_want(reg, dot + 1)
                                  : dconv_loader_load_all(reg);
  else
    rc = dconv_loader_want(reg, name);
  free(name);
  return rc;
}

/* Load only what the command needs (every plugin for the listings), so
 * that a plugin the command does not name never runs: not its
 * constructors, not its entry point. An input that is not a digest by
 * its name (*.md, *.txt, a directory of them) needs reader detection,
 * hence every reader, hence every plugin. */
static int load_needed(const dconv_app_args *a, dconv_registry *reg) {
  if (a->mode == DCONV_APP_LIST_FORMATS || a->mode == DCONV_APP_LIST_PLUGINS)
    return dconv_loader_load_all(reg);
  int rc = 0;
  if (a->format && (a->mode == DCONV_APP_CONVERT ||
                    a->mode == DCONV_APP_HELP_FORMAT))
    rc = want_spec(reg, a->format);
  if (a->mode != DCONV_APP_CONVERT && a->mode != DCONV_APP_CHECK)
    return rc;
  if (!rc && a->from)
    rc = want_spec(reg, a->from);
  for (size_t i = 0; !rc && i < a->n_filters; i++)
    rc = want_spec(reg, a->filters[i]);
  for (size_t i = 0; !rc && !a->from && i < a->n_inputs; i++) {
    const char *in = a->inputs[i];
    struct stat st;
    if (!ends_with_ext(in, "md") && !ends_with_ext(in, "txt") &&
        !(strcmp(in, "-") != 0 && stat(in, &st) == 0 && S_ISDIR(st.st_mode)))
      return dconv_loader_load_all(reg);
  }
  return rc;
}

int dconv_app_run(const dconv_app_args *a) {
  dconv_diag diag;
  dconv_diag_init(&diag);
  diag.quiet = a->quiet;
  diag.verbose = a->verbose;
  diag.strict = a->strict;
  dconv_output_install_signal_handlers();
  dconv_guard_install();

  if (a->mode == DCONV_APP_VERSION) {
    printf("dconv %s (plugin ABI %d.%d)\n", DCONV_VERSION, DCONV_ABI_MAJOR,
           DCONV_ABI_MINOR);
    return DCONV_EXIT_OK;
  }

  dconv_registry reg;
  memset(&reg, 0, sizeof reg);
  reg.diag = &diag;
  reg.report = a->mode != DCONV_APP_LIST_PLUGINS;
  int rc = 0;
  for (size_t i = 0; !rc && i < a->n_plugins; i++) {
    char *abs = realpath(a->plugins[i], NULL);
    int r = dconv_loader_load(&reg, abs ? abs : a->plugins[i], 1);
    free(abs);
    if (r == DCONV_E_NOMEM)
      rc = r;
  }
  /* --check needs the readers too (--from, detection). */
  if (!rc)
    rc = dconv_loader_discover(&reg);
  if (!rc)
    rc = load_needed(a, &reg);
  for (size_t i = 0; !rc && i <= a->n_filters; i++)
    rc = load_named_script(&reg, i < a->n_filters ? a->filters[i] : a->format);
  int exit_code = DCONV_EXIT_OK;
  if (rc == DCONV_E_PLUGIN) {
    exit_code = DCONV_EXIT_PLUGIN; /* load_named_script said why */
  } else if (rc) {
    fputs("dconv: error: out of memory\n", stderr);
    exit_code = DCONV_EXIT_NOMEM;
  } else if (a->mode == DCONV_APP_CHECK) {
    exit_code = check(a, &reg, &diag);
  } else if (a->mode == DCONV_APP_LIST_FORMATS) {
    dconv_app_list_formats(&reg);
  } else if (a->mode == DCONV_APP_LIST_PLUGINS) {
    dconv_app_list_plugins(&reg, a->verbose);
  } else if (a->mode == DCONV_APP_HELP_FORMAT) {
    exit_code = dconv_app_help_format(&reg, a->format);
  } else {
    exit_code = convert(a, &reg, &diag);
  }
  dconv_loader_free(&reg);
  return exit_code;
}
