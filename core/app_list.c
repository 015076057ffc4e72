/*
 * app_list.c - what `dconv` prints about its plugins: --list-formats,
 * --list-plugins, --help FORMAT, and the "unknown format" error that
 * lists what is available.
 */
#include "app_list.h"

#include <stdio.h>

#include <dconv/plugin.h>

#include "app.h"
#include "buf.h"
#include "diag.h"

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

static void print_reader_exts(const dconv_loaded *p) {
  for (size_t i = 0; p->ext.read_extensions && p->ext.read_extensions[i]; i++)
    printf("%s.%s", i ? " " : ", ", p->ext.read_extensions[i]);
}

void dconv_app_list_formats(const dconv_registry *reg) {
  for (size_t i = 0; i < reg->n_loaded; i++) {
    const dconv_loaded *p = &reg->loaded[i];
    if (!dconv_loader_has_role(p, DCONV_ROLE_WRITER))
      continue;
    printf("%-10s .%-11s %s\n", p->desc.name, p->desc.extension,
           p->desc.description);
    for (uint32_t k = 0; k < p->desc.n_variants; k++) {
      const dconv_variant *v = dconv_loader_variant(p, k);
      printf("%-10s .%-11s %s\n", v->name,
             v->extension ? v->extension : p->desc.extension,
             v->description ? v->description : "");
    }
  }
  /* Readers (--from) and filters (--filter) after the writers (--to). */
  printf("%-10s %-12s %s\n", DCONV_APP_BUILTIN_READER, "(--from)",
         "digest Markdown (built in; the default reader)");
  for (size_t i = 0; i < reg->n_loaded; i++) {
    const dconv_loaded *p = &reg->loaded[i];
    if (dconv_loader_has_role(p, DCONV_ROLE_READER)) {
      printf("%-10s %-12s %s", p->desc.name, "(--from)", p->desc.description);
      print_reader_exts(p);
      putchar('\n');
    }
  }
  for (size_t i = 0; i < reg->n_loaded; i++) {
    const dconv_loaded *p = &reg->loaded[i];
    if (dconv_loader_has_role(p, DCONV_ROLE_FILTER))
      printf("%-10s %-12s %s\n", p->desc.name, "(--filter)",
             p->desc.description);
  }
}

void dconv_app_list_plugins(const dconv_registry *reg, int verbose) {
  for (size_t i = 0; i < reg->n_loaded; i++) {
    const dconv_loaded *p = &reg->loaded[i];
    /* Paths come from the file system: shown terminal-safe. */
    if (!verbose) {
      printf("%-10s %-8s ", p->desc.name, p->desc.version);
      dconv_diag_fputs_safe(p->path, stdout);
      putchar('\n');
      continue;
    }
    printf("%s %s\n  path: ", p->desc.name, p->desc.version);
    dconv_diag_fputs_safe(p->path, stdout);
    printf("\n  abi: %u.%u (descriptor %u bytes)\n"
           "  description: %s\n  extension: .%s%s%s\n  options:\n",
           p->desc.abi_major,
           p->desc.abi_minor, p->desc.struct_size, p->desc.description,
           p->desc.extension,
           (p->desc.flags & DCONV_PLUGIN_BINARY) ? " (binary)" : "",
           (p->desc.flags & DCONV_PLUGIN_CONTAINER) ? " (container)" : "");
    print_options(p, stdout);
    for (uint32_t k = 0; k < p->desc.n_variants; k++) {
      const dconv_variant *v = dconv_loader_variant(p, k);
      printf("  variant: %s (%s)\n", v->name, v->options ? v->options : "");
    }
    /* ABI 1.1 roles; a plain 1.0 writer's entry stays as it was. */
    if (p->ext.read || p->ext.filter) {
      printf("  roles:%s%s", p->desc.convert ? " writer" : "",
             p->ext.read ? " reader" : "");
      if (p->ext.read)
        print_reader_exts(p);
      printf("%s\n", p->ext.filter ? " filter" : "");
    }
  }
  if (verbose || reg->n_rejected) {
    for (size_t i = 0; i < reg->n_rejected; i++) {
      fputs("rejected: ", stdout);
      dconv_diag_fputs_safe(reg->rejected[i].path, stdout);
      fputs("\n  reason: ", stdout);
      dconv_diag_fputs_safe(reg->rejected[i].reason, stdout);
      putchar('\n');
    }
  }
}

static const char *const role_option[] = {"--to", "--from", "--filter"};
static const char *const role_noun[] = {"format", "reader", "filter"};

void dconv_app_unknown(dconv_registry *reg, const char *name,
                       dconv_role role) {
  /* The list of what is available is complete only with every plugin. */
  dconv_loader_load_all(reg);
  dconv_buf b = DCONV_BUF_INIT;
  if (role == DCONV_ROLE_READER)
    dconv_buf_puts(&b, DCONV_APP_BUILTIN_READER);
  for (size_t i = 0; i < reg->n_loaded; i++) {
    if (!dconv_loader_has_role(&reg->loaded[i], role))
      continue;
    dconv_buf_printf(&b, "%s%s", b.len ? ", " : "", reg->loaded[i].desc.name);
    for (uint32_t k = 0;
         role == DCONV_ROLE_WRITER && k < reg->loaded[i].desc.n_variants; k++)
      dconv_buf_printf(&b, ", %s",
                       dconv_loader_variant(&reg->loaded[i], k)->name);
  }
  fprintf(stderr, "dconv: error: unknown %s '%s'%s%s; available: %s\n",
          role_noun[role], name, role == DCONV_ROLE_WRITER ? "" : " for ",
          role == DCONV_ROLE_WRITER ? "" : role_option[role],
          b.len ? b.data : "(none: no plugins found)");
  dconv_buf_free(&b);
}

int dconv_app_help_format(dconv_registry *reg, const char *name) {
  const dconv_variant *v = NULL;
  const dconv_loaded *p = dconv_loader_find(reg, name, &v);
  if (!p) {
    dconv_app_unknown(reg, name, DCONV_ROLE_WRITER);
    return DCONV_EXIT_USAGE;
  }
  printf("%s - %s\n", name,
         v && v->description ? v->description : p->desc.description);
  if (v)
    printf("preset: %s\n", v->options ? v->options : "");
  printf("plugin %s %s (ABI %u.%u)", p->desc.name, p->desc.version,
         p->desc.abi_major, p->desc.abi_minor);
  if (p->desc.convert)
    printf(", output .%s", v && v->extension ? v->extension : p->desc.extension);
  if (p->ext.read) {
    printf(", reader (--from %s", p->desc.name);
    print_reader_exts(p);
    putchar(')');
  }
  if (p->ext.filter)
    printf(", filter (--filter %s[:key=value,...])", p->desc.name);
  printf("\noptions:\n");
  print_options(p, stdout);
  return DCONV_EXIT_OK;
}
