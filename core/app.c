#define _GNU_SOURCE
#include "app.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <dconv/plugin.h>

#include "buf.h"
#include "host.h"
#include "input.h"
#include "loader.h"
#include "output.h"
#include "parser.h"

#ifndef DCONV_VERSION
#define DCONV_VERSION "0.0.0"
#endif

int dconv_app_load(char *const *inputs, size_t n_inputs, dconv_diag *diag,
                   dconv_tree **out) {
  *out = NULL;
  dconv_input_list list = {NULL, 0, 0};
  int rc = 0, bad = 0;
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
    if (!r)
      r = dconv_input_sanitize(name, &text, diag);
    if (!r)
      r = dconv_parse_digest(doc, name, text.data, text.len, diag);
    if (r == DCONV_E_NOMEM)
      rc = r;
    else if (r)
      bad = 1;
  }
  dconv_buf_free(&text);
  dconv_input_list_free(&list);
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

/* ------------------------------------------------------------- listing */

static void print_options(const dconv_loaded *p, FILE *f) {
  if (p->desc.n_options == 0) {
    fputs("  (no options)\n", f);
    return;
  }
  for (uint32_t i = 0; i < p->desc.n_options; i++) {
    const dconv_option *o = dconv_loader_option(p, i);
    const char *type = o->type == DCONV_OPT_BOOL   ? "true|false"
                       : o->type == DCONV_OPT_INT  ? "INT"
                       : o->type == DCONV_OPT_ENUM ? o->choices
                       : o->type == DCONV_OPT_FILE ? "FILE"
                                                   : "TEXT";
    fprintf(f, "  -O %s=%s\n      %s", o->key, type ? type : "?",
            o->help ? o->help : "");
    if (o->default_value)
      fprintf(f, " (default: %s)", o->default_value);
    fputc('\n', f);
  }
}

static void list_formats(const dconv_registry *reg) {
  for (size_t i = 0; i < reg->n_loaded; i++) {
    const dconv_loaded *p = &reg->loaded[i];
    printf("%-10s .%-11s %s\n", p->desc.name, p->desc.extension,
           p->desc.description);
    for (uint32_t k = 0; k < p->desc.n_variants; k++) {
      const dconv_variant *v = dconv_loader_variant(p, k);
      printf("%-10s .%-11s %s\n", v->name,
             v->extension ? v->extension : p->desc.extension,
             v->description ? v->description : "");
    }
  }
}

static void list_plugins(const dconv_registry *reg, int verbose) {
  for (size_t i = 0; i < reg->n_loaded; i++) {
    const dconv_loaded *p = &reg->loaded[i];
    if (!verbose) {
      printf("%-10s %-8s %s\n", p->desc.name, p->desc.version, p->path);
      continue;
    }
    printf("%s %s\n  path: %s\n  abi: %u.%u (descriptor %u bytes)\n"
           "  description: %s\n  extension: .%s%s%s\n  options:\n",
           p->desc.name, p->desc.version, p->path, p->desc.abi_major,
           p->desc.abi_minor, p->desc.struct_size, p->desc.description,
           p->desc.extension,
           (p->desc.flags & DCONV_PLUGIN_BINARY) ? " (binary)" : "",
           (p->desc.flags & DCONV_PLUGIN_CONTAINER) ? " (container)" : "");
    print_options(p, stdout);
    for (uint32_t k = 0; k < p->desc.n_variants; k++) {
      const dconv_variant *v = dconv_loader_variant(p, k);
      printf("  variant: %s (%s)\n", v->name, v->options ? v->options : "");
    }
  }
  if (verbose || reg->n_rejected) {
    for (size_t i = 0; i < reg->n_rejected; i++)
      printf("rejected: %s\n  reason: %s\n", reg->rejected[i].path,
             reg->rejected[i].reason);
  }
}

static void unknown_format(const dconv_registry *reg, const char *name) {
  dconv_buf b = DCONV_BUF_INIT;
  for (size_t i = 0; i < reg->n_loaded; i++) {
    dconv_buf_printf(&b, "%s%s", b.len ? ", " : "", reg->loaded[i].desc.name);
    for (uint32_t k = 0; k < reg->loaded[i].desc.n_variants; k++)
      dconv_buf_printf(&b, ", %s",
                       dconv_loader_variant(&reg->loaded[i], k)->name);
  }
  fprintf(stderr, "dconv: error: unknown format '%s'; available: %s\n", name,
          b.len ? b.data : "(none: no plugins found)");
  dconv_buf_free(&b);
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

static int convert(const dconv_app_args *a, dconv_registry *reg,
                   dconv_diag *diag) {
  const dconv_variant *variant = NULL;
  const dconv_loaded *p = dconv_loader_find(reg, a->format, &variant);
  if (!p) {
    unknown_format(reg, a->format);
    return DCONV_EXIT_USAGE;
  }
  if (dconv_host_check_options(p, a->options, a->n_options, diag))
    return DCONV_EXIT_USAGE;
  if (a->n_inputs == 0) {
    fputs("dconv: error: no input files (use - for standard input)\n", stderr);
    return DCONV_EXIT_USAGE;
  }
  if (a->output && strcmp(a->output, "-") != 0 &&
      output_is_input(a->output, a->inputs, a->n_inputs, diag)) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, a->output, 0,
                      "output would overwrite an input; choose another name");
    return DCONV_EXIT_USAGE;
  }

  dconv_tree *doc = NULL;
  int rc = dconv_app_load(a->inputs, a->n_inputs, diag, &doc);
  if (rc)
    return rc == DCONV_E_NOMEM ? DCONV_EXIT_NOMEM : DCONV_EXIT_INPUT;
  if (dconv_diag_failed(diag)) {
    dconv_tree_free(doc);
    return DCONV_EXIT_INPUT;
  }

  int binary = (p->desc.flags & (DCONV_PLUGIN_BINARY | DCONV_PLUGIN_CONTAINER)) != 0;
  char *derived = NULL;
  const char *target = a->output;
  if (!target && binary) {
    derived = default_output(doc, variant && variant->extension
                                      ? variant->extension
                                      : p->desc.extension);
    target = derived;
  } else if (!target) {
    target = "-";
  }
  dconv_output *out = target ? dconv_output_open(target, diag) : NULL;
  if (!out) {
    free(derived);
    dconv_tree_free(doc);
    return DCONV_EXIT_OUTPUT;
  }
  if (binary && dconv_output_is_tty(out)) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0,
                      "'%s' is binary; refusing to write it to a terminal "
                      "(use -o FILE)",
                      a->format);
    dconv_output_abort(out);
    free(derived);
    dconv_tree_free(doc);
    return DCONV_EXIT_USAGE;
  }
  rc = dconv_host_export(p, variant, doc, a->options, a->n_options, out, diag);
  dconv_diag_summarize(diag); /* the writer's repeated warnings */
  int exit_code = DCONV_EXIT_OK;
  if (!rc && dconv_diag_failed(diag)) {
    exit_code = DCONV_EXIT_INPUT; /* a writer warning under --strict */
    dconv_output_abort(out);
  } else if (rc) {
    /* A writer stopping on its own warning under --strict (warn_at/log
     * returned non-zero) is a strict-mode input failure, like the parser's. */
    exit_code = rc == DCONV_E_NOMEM               ? DCONV_EXIT_NOMEM
                : rc == DCONV_E_IO                ? DCONV_EXIT_OUTPUT
                : diag->strict && diag->warnings ? DCONV_EXIT_INPUT
                                                  : DCONV_EXIT_PLUGIN;
    dconv_output_abort(out);
  } else if (dconv_output_commit(out)) {
    exit_code = DCONV_EXIT_OUTPUT;
  } else if (derived && !a->quiet) {
    fprintf(stderr, "dconv: wrote %s\n", derived);
  }
  free(derived);
  dconv_tree_free(doc);
  return exit_code;
}

static int check(const dconv_app_args *a, dconv_diag *diag) {
  if (a->n_inputs == 0) {
    fputs("dconv: error: no input files (use - for standard input)\n", stderr);
    return DCONV_EXIT_USAGE;
  }
  dconv_tree *doc = NULL;
  int rc = dconv_app_load(a->inputs, a->n_inputs, diag, &doc);
  if (rc)
    return rc == DCONV_E_NOMEM ? DCONV_EXIT_NOMEM : DCONV_EXIT_INPUT;
  int64_t digests = 0, papers = 0;
  dconv_node_int(doc->root, "digests", &digests);
  dconv_node_int(doc->root, "papers", &papers);
  printf("%lld digests, %lld papers, %lu warnings\n", (long long)digests,
         (long long)papers, diag->warnings);
  dconv_diag_print_kinds(diag, stdout);
  dconv_tree_free(doc);
  return dconv_diag_failed(diag) ? DCONV_EXIT_INPUT : DCONV_EXIT_OK;
}

int dconv_app_run(const dconv_app_args *a) {
  dconv_diag diag;
  dconv_diag_init(&diag);
  diag.quiet = a->quiet;
  diag.verbose = a->verbose;
  diag.strict = a->strict;
  dconv_output_install_signal_handlers();

  if (a->mode == DCONV_APP_VERSION) {
    printf("dconv %s (plugin ABI %d.%d)\n", DCONV_VERSION, DCONV_ABI_MAJOR,
           DCONV_ABI_MINOR);
    return DCONV_EXIT_OK;
  }
  if (a->mode == DCONV_APP_CHECK)
    return check(a, &diag);

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
  if (!rc)
    rc = dconv_loader_discover(&reg);
  int exit_code = DCONV_EXIT_OK;
  if (rc) {
    fputs("dconv: error: out of memory\n", stderr);
    exit_code = DCONV_EXIT_NOMEM;
  } else if (a->mode == DCONV_APP_LIST_FORMATS) {
    list_formats(&reg);
  } else if (a->mode == DCONV_APP_LIST_PLUGINS) {
    list_plugins(&reg, a->verbose);
  } else if (a->mode == DCONV_APP_HELP_FORMAT) {
    const dconv_variant *v = NULL;
    const dconv_loaded *p = dconv_loader_find(&reg, a->format, &v);
    if (!p) {
      unknown_format(&reg, a->format);
      exit_code = DCONV_EXIT_USAGE;
    } else {
      printf("%s - %s\n", a->format, v && v->description ? v->description
                                                          : p->desc.description);
      if (v)
        printf("preset: %s\n", v->options ? v->options : "");
      printf("plugin %s %s (ABI %u.%u), output .%s\noptions:\n", p->desc.name,
             p->desc.version, p->desc.abi_major, p->desc.abi_minor,
             v && v->extension ? v->extension : p->desc.extension);
      print_options(p, stdout);
    }
  } else {
    exit_code = convert(a, &reg, &diag);
  }
  dconv_loader_free(&reg);
  return exit_code;
}
