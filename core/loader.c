/*
 * loader.c - loading one plugin file: the ownership and permission checks,
 * dlopen through the descriptor already checked, the ABI version and
 * descriptor checks, and the registry of what loaded and what was
 * rejected. loader_scan.c finds the files.
 */
#include "loader.h"
#include "options.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "guard.h"

/* Size of the ABI 1.0 descriptor: everything up to and including convert. */
#define DESC_V1_0_SIZE                                                         \
  (offsetof(dconv_plugin, convert) + sizeof(((dconv_plugin *)0)->convert))

int dconv_loader_reject(dconv_registry *reg, const char *path, int code,
                        const char *fmt, ...) {
  dconv_buf msg = DCONV_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  int rc = dconv_buf_vprintf(&msg, fmt, ap);
  va_end(ap);
  if (rc)
    return DCONV_E_NOMEM;
  if (reg->n_rejected == reg->cap_rejected) {
    size_t cap = reg->cap_rejected ? reg->cap_rejected * 2 : 8;
    dconv_rejected *r = realloc(reg->rejected, cap * sizeof *r);
    if (!r) {
      dconv_buf_free(&msg);
      return DCONV_E_NOMEM;
    }
    reg->rejected = r;
    reg->cap_rejected = cap;
  }
  char *p = strdup(path);
  if (!p) {
    dconv_buf_free(&msg);
    return DCONV_E_NOMEM;
  }
  reg->rejected[reg->n_rejected].path = p;
  reg->rejected[reg->n_rejected].reason = dconv_buf_detach(&msg);
  if (reg->report && reg->diag)
    dconv_diag_report(reg->diag, DCONV_DIAG_PLUGIN, path, 0,
                      "plugin rejected: %s",
                      reg->rejected[reg->n_rejected].reason);
  reg->n_rejected++;
  return code;
}

/* 1 when gid is the user's private group: named like the user, and no
 * other user listed in it (what ssh's StrictModes accepts too). */
static int private_group(gid_t gid) {
  struct passwd *pw = getpwuid(geteuid());
  struct group *gr = getgrgid(gid);
  if (!pw || !gr || strcmp(gr->gr_name, pw->pw_name) != 0)
    return 0;
  for (char **m = gr->gr_mem; m && *m; m++)
    if (strcmp(*m, pw->pw_name) != 0)
      return 0;
  return 1;
}

const char *dconv_loader_unsafe(const struct stat *st, int is_dir) {
  static char why[128];
  const char *what = is_dir ? "plugin directory" : "file";
  if (st->st_uid != 0 && st->st_uid != geteuid())
    snprintf(why, sizeof why, "%s owned by uid %lu, neither you nor root",
             what, (unsigned long)st->st_uid);
  else if (st->st_mode & S_IWOTH)
    snprintf(why, sizeof why, "%s is world-writable", what);
  else if ((st->st_mode & S_IWGRP) && !private_group(st->st_gid))
    snprintf(why, sizeof why,
             "%s is group-writable and gid %lu is not your private group",
             what, (unsigned long)st->st_gid);
  else
    return NULL;
  return why;
}

static int valid_name(const char *s) {
  if (!s || !*s)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
          *s == '_'))
      return 0;
  return 1;
}

const dconv_variant *dconv_loader_variant(const dconv_loaded *p, uint32_t i) {
  if (!p->desc.variants || i >= p->desc.n_variants)
    return NULL;
  size_t stride = p->desc.variants[0].struct_size;
  return (const dconv_variant *)((const char *)p->desc.variants + i * stride);
}

const dconv_option *dconv_loader_option(const dconv_loaded *p, uint32_t i) {
  if (!p->desc.options || i >= p->desc.n_options)
    return NULL;
  size_t stride = p->desc.options[0].struct_size;
  return (const dconv_option *)((const char *)p->desc.options + i * stride);
}

const dconv_loaded *dconv_loader_script_host(const dconv_registry *reg,
                                             const char *path) {
  size_t n = strlen(path);
  for (size_t i = 0; i < reg->n_loaded; i++) {
    const char *const *x = reg->loaded[i].ext.script_extensions;
    for (size_t k = 0; reg->loaded[i].ext.script_load && x && x[k]; k++) {
      size_t e = strlen(x[k]);
      if (n > e + 1 && path[n - e - 1] == '.' && strcmp(path + n - e, x[k]) == 0)
        return &reg->loaded[i];
    }
  }
  return NULL;
}

const dconv_loaded *dconv_loader_find(const dconv_registry *reg,
                                      const char *name,
                                      const dconv_variant **variant) {
  if (variant)
    *variant = NULL;
  /* A script named by its path (--to FILE.lua): the one loaded from it. */
  char *abs = dconv_loader_script_host(reg, name) ? realpath(name, NULL) : NULL;
  for (size_t i = 0; abs && i < reg->n_loaded; i++)
    if (reg->loaded[i].script && strcmp(reg->loaded[i].path, abs) == 0) {
      free(abs);
      return &reg->loaded[i];
    }
  free(abs);
  for (size_t i = 0; i < reg->n_loaded; i++)
    if (strcmp(reg->loaded[i].desc.name, name) == 0)
      return &reg->loaded[i];
  for (size_t i = 0; i < reg->n_loaded; i++) {
    for (uint32_t k = 0; k < reg->loaded[i].desc.n_variants; k++) {
      const dconv_variant *v = dconv_loader_variant(&reg->loaded[i], k);
      if (v->name && strcmp(v->name, name) == 0) {
        if (variant)
          *variant = v;
        return &reg->loaded[i];
      }
    }
  }
  return NULL;
}

int dconv_loader_has_role(const dconv_loaded *p, dconv_role role) {
  switch (role) {
  case DCONV_ROLE_WRITER:
    return p->desc.convert != NULL;
  case DCONV_ROLE_READER:
    return p->ext.read != NULL;
  case DCONV_ROLE_FILTER:
    return p->ext.filter != NULL;
  }
  return 0;
}

const dconv_loaded *dconv_loader_find_role(const dconv_registry *reg,
                                           const char *name, dconv_role role,
                                           const dconv_variant **variant) {
  const dconv_variant *v = NULL;
  const dconv_loaded *p = dconv_loader_find(reg, name, &v);
  if (!p || !dconv_loader_has_role(p, role) ||
      (v && role != DCONV_ROLE_WRITER))
    p = NULL, v = NULL;
  if (variant)
    *variant = v;
  return p;
}

/* Descriptor strings are printed by --list-*, --help and in messages: no
 * control characters (an ESC would be obeyed by the terminal: C0, DEL and
 * C1 as UTF-8) and at most DESC_TEXT_MAX bytes. NULL is fine here. */
#define DESC_TEXT_MAX 4096
static int bad_text(const char *s) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; p && *p; p++, n++)
    if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
        n >= DESC_TEXT_MAX)
      return 1;
  return 0;
}

/* An option table entry the host could not honour: its type unknown, its
 * default not a value of its type, its key declared twice. Found at load
 * time, so that the table the user sees in --help is always usable. The
 * reason is kept short: it is static text plus the key (`why`). */
static const char *check_option(const dconv_plugin *d, uint32_t i,
                                const dconv_option *o) {
  static char why[160];
  const char *def = o->default_value;
  const char *what = NULL;
  if (bad_text(o->key) || bad_text(o->help) || bad_text(o->choices) ||
      bad_text(def))
    return "an option's key, help, choices or default has control "
           "characters or is longer than 4096 bytes";
  if (o->type < DCONV_OPT_STRING || o->type > DCONV_OPT_FILE)
    what = "has an unknown type";
  else if (o->type == DCONV_OPT_ENUM && !*o->choices)
    what = "has a default that is not one of its choices";
  else if (def && o->type != DCONV_OPT_FILE && o->type != DCONV_OPT_STRING &&
           dconv_options_value_problem(o, def))
    /* the same check -O values get (options.c); a FILE default is not
     * opened at load time */
    what = o->type == DCONV_OPT_ENUM   ? "has a default that is not one of its choices"
           : o->type == DCONV_OPT_BOOL ? "is boolean but its default is neither true nor false"
                                       : "is an integer but its default is not";
  for (uint32_t k = 0; !what && k < i; k++) {
    const dconv_option *e =
        (const dconv_option *)((const char *)d->options +
                               k * (size_t)d->options[0].struct_size);
    if (e->key && strcmp(e->key, o->key) == 0)
      what = "is declared twice";
  }
  if (!what)
    return NULL;
  snprintf(why, sizeof why, "option '%.64s' %s", o->key, what);
  return why;
}

/* Check the descriptor's declarations (called after the version check). */
static const char *check_fields(const dconv_plugin_ext *x) {
  const dconv_plugin *d = &x->base;
  if (!valid_name(d->name))
    return "required field 'name' is missing or not [a-z0-9_-]+";
  if (!d->version || !*d->version)
    return "required field 'version' is missing";
  if (!d->description)
    return "required field 'description' is missing";
  if (!d->convert && !x->read && !x->filter && !x->script_load)
    return "required field 'convert' is missing"; /* or read/filter (1.1) */
  if (d->convert && !d->extension)
    return "required field 'extension' is missing";
  if (bad_text(d->version) || bad_text(d->description) ||
      bad_text(d->extension))
    return "'version', 'description' or 'extension' has control characters "
           "or is longer than 4096 bytes";
  for (size_t i = 0; x->read_extensions && x->read_extensions[i]; i++) {
    const char *e = x->read_extensions[i];
    if (!*e || strchr(e, '.') || strchr(e, '/') || i >= 64)
      return "read_extensions: an entry is empty or has '.' or '/' (or the "
             "list has no NULL terminator within 64 entries)";
  }
  if (d->n_options && (!d->options || d->options[0].struct_size <
                                          offsetof(dconv_option, help) +
                                              sizeof(const char *)))
    return "option table missing or its entries too small";
  if (d->n_variants && (!d->variants || d->variants[0].struct_size <
                                            offsetof(dconv_variant,
                                                     description) +
                                                sizeof(const char *)))
    return "variant table missing or its entries too small";
  for (uint32_t i = 0; i < d->n_options; i++) {
    const dconv_option *o =
        (const dconv_option *)((const char *)d->options +
                               i * (size_t)d->options[0].struct_size);
    if (!o->key || !*o->key || strchr(o->key, '='))
      return "required field 'key' of an option is missing or contains '='";
    if (o->type == DCONV_OPT_ENUM && !o->choices)
      return "required field 'choices' of an enum option is missing";
    const char *bad = check_option(d, i, o);
    if (bad)
      return bad;
  }
  for (uint32_t i = 0; i < d->n_variants; i++) {
    const dconv_variant *v =
        (const dconv_variant *)((const char *)d->variants +
                                i * (size_t)d->variants[0].struct_size);
    if (!valid_name(v->name))
      return "required field 'name' of a variant is missing or not "
             "[a-z0-9_-]+";
    if (bad_text(v->extension) || bad_text(v->options) ||
        bad_text(v->description))
      return "a variant's extension, options or description has control "
             "characters or is longer than 4096 bytes";
  }
  return NULL;
}

/* Keep fd open (see dconv_registry.fds). 0, or DCONV_E_NOMEM: then the
 * caller closes it and loads nothing more (the run is failing anyway). */
static int hold_fd(dconv_registry *reg, int fd) {
  if (reg->n_fds == reg->cap_fds) {
    size_t cap = reg->cap_fds ? reg->cap_fds * 2 : 16;
    int *p = realloc(reg->fds, cap * sizeof *p);
    if (!p)
      return DCONV_E_NOMEM;
    reg->fds = p;
    reg->cap_fds = cap;
  }
  reg->fds[reg->n_fds++] = fd;
  return 0;
}

int dconv_loader_load(dconv_registry *reg, const char *path,
                      int explicit_file) {
  /* The same file reached twice (a directory both built in and in
   * $DCONV_PLUGIN_PATH, or --plugin naming a file found anyway) is not a
   * second plugin: keep the first verdict and say nothing more. */
  for (size_t i = 0; i < reg->n_loaded; i++)
    if (strcmp(reg->loaded[i].path, path) == 0)
      return 0;
  for (size_t i = 0; i < reg->n_rejected; i++)
    if (strcmp(reg->rejected[i].path, path) == 0)
      return DCONV_E_INVALID;
  /* Opened once: the checks below look at this descriptor, and dlopen()
   * loads the same file through /proc/self/fd, so a file swapped in after
   * the checks is never what runs. O_NONBLOCK: a FIFO must not hang us. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    int e = errno;
    if (fd >= 0)
      close(fd);
    return dconv_loader_reject(reg, path, DCONV_E_IO, "%s", strerror(e));
  }
  const char *unsafe = NULL;
  int code = DCONV_E_INVALID;
  if (path[0] != '/')
    unsafe = "relative plugin paths are never loaded";
  else if (!S_ISREG(st.st_mode))
    unsafe = "not a regular file";
  else if (!explicit_file && (unsafe = dconv_loader_unsafe(&st, 0)))
    code = DCONV_LOADER_E_PERM;
  if (unsafe) {
    close(fd);
    return dconv_loader_reject(reg, path, code, "%s%s", unsafe,
                  code == DCONV_LOADER_E_PERM
                      ? " (use --plugin to load it anyway)"
                      : "");
  }

  /* A file named after a plugin already loaded is refused before any of
   * its code runs (its constructors included): the first of a name wins. */
  const char *base = strrchr(path, '/') + 1; /* path is absolute */
  size_t stem = strcspn(base, ".");
  for (size_t i = 0; !explicit_file && i < reg->n_loaded; i++)
    if (strlen(reg->loaded[i].desc.name) == stem &&
        strncmp(reg->loaded[i].desc.name, base, stem) == 0 && !close(fd))
      return dconv_loader_reject(reg, path, DCONV_E_INVALID,
                    "duplicate plugin name '%s', already loaded from %s",
                    reg->loaded[i].desc.name, reg->loaded[i].path);

  /* A script is described by its script host; `h` is then one more
   * reference to the host's module, so the dlclose() calls below fit. */
  const dconv_loaded *sh = dconv_loader_script_host(reg, path);
  void (*script_free)(const dconv_plugin *) = sh ? sh->ext.script_free : NULL;
  /* Constructors, the entry point and a script host's script_load are
   * plugin code: a crash there names the file (its name is not known yet). */
  char stem_name[128];
  const char *slash = strrchr(path, '/');
  snprintf(stem_name, sizeof stem_name, "%.*s",
           (int)strcspn(slash ? slash + 1 : path, "."),
           slash ? slash + 1 : path);
  dconv_guard g;
  dconv_guard_enter(&g, sh ? sh->desc.name : stem_name, path, "load");
  char fdpath[32];
  snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
  void *h = sh ? dlopen(sh->path, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD)
               : dlopen(fdpath, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    dconv_guard_leave(&g);
    close(fd);
    /* dlerror() names the /proc path; the user knows the file's. */
    const char *e = dlerror();
    size_t fl = strlen(fdpath);
    if (e && strncmp(e, fdpath, fl) == 0)
      return dconv_loader_reject(reg, path, DCONV_E_IO, "%s%s", path, e + fl);
    return dconv_loader_reject(reg, path, DCONV_E_IO, "%s", e ? e : "dlopen failed");
  }
  dlerror();
  char why[512] = "";
  /* A script is read by its path (its host names it and its messages
   * after the file): what makes that safe is the directory check in
   * loader_scan.c - nobody else can replace a file in it. */
  const dconv_plugin *script = sh ? sh->ext.script_load(path, why, sizeof why)
                                  : NULL;
  if (sh || hold_fd(reg, fd))
    close(fd); /* a script's, or no room to hold it: nothing else loads */
  if (sh && !script) {
    dconv_guard_leave(&g);
    dlclose(h);
    return dconv_loader_reject(reg, path, DCONV_E_INVALID, "%s", why);
  }
  void *sym = sh ? NULL : dlsym(h, DCONV_PLUGIN_ENTRY_SYMBOL);
  if (!sym && !sh) {
    dconv_guard_leave(&g);
    dlclose(h);
    return dconv_loader_reject(reg, path, DCONV_E_NOTFOUND,
                  "not a dconv plugin (no '" DCONV_PLUGIN_ENTRY_SYMBOL
                  "' symbol)");
  }
  dconv_plugin_entry_fn entry;
  memcpy(&entry, &sym, sizeof entry); /* object -> function pointer */
  const dconv_plugin *d = sh ? script : entry();
  dconv_guard_leave(&g);
  if (!d) {
    dlclose(h);
    return dconv_loader_reject(reg, path, DCONV_E_NOTFOUND, "not a dconv plugin (entry returned NULL)");
  }
  /* Handshake: read only the three leading fixed-width fields first. */
  if (d->abi_major != DCONV_ABI_MAJOR) {
    uint32_t maj = d->abi_major, min = d->abi_minor;
    dlclose(h);
    return dconv_loader_reject(reg, path, DCONV_E_ABI,
                  "built for ABI %u.%u, this dconv provides %d.%d - rebuild it",
                  maj, min, DCONV_ABI_MAJOR, DCONV_ABI_MINOR);
  }
  if (d->abi_minor > DCONV_ABI_MINOR) {
    uint32_t min = d->abi_minor;
    dlclose(h);
    return dconv_loader_reject(reg, path, DCONV_E_ABI, "needs ABI %d.%u, this dconv provides %d.%d - "
                             "upgrade dconv",
                  DCONV_ABI_MAJOR, min, DCONV_ABI_MAJOR, DCONV_ABI_MINOR);
  }
  if (d->struct_size < DESC_V1_0_SIZE) {
    uint32_t sz = d->struct_size;
    dlclose(h);
    return dconv_loader_reject(reg, path, DCONV_E_ABI,
                  "descriptor too small (%u bytes, ABI 1.0 needs %zu)", sz,
                  (size_t)DESC_V1_0_SIZE);
  }
  dconv_loaded l;
  memset(&l, 0, sizeof l);
  /* A 1.0 descriptor leaves ext's 1.1 fields zero: no reader, no filter. */
  memcpy(&l.ext, d,
         d->struct_size < sizeof l.ext ? d->struct_size : sizeof l.ext);
  l.desc = l.ext.base;
  if (!l.desc.extension)
    l.desc.extension = l.ext.base.extension = ""; /* readers, filters */
  const char *bad = check_fields(&l.ext);
  if (bad) {
    dlclose(h);
    return dconv_loader_reject(reg, path, DCONV_E_INVALID, "%s", bad);
  }
  /* A script named by its path is found by its path, not its name. */
  const dconv_loaded *dup = dconv_loader_find(reg, l.desc.name, NULL);
  if (dup && !(sh && explicit_file)) {
    char name[64];
    snprintf(name, sizeof name, "%s", l.desc.name);
    dlclose(h);
    return dconv_loader_reject(reg, path, DCONV_E_INVALID, "duplicate plugin name '%s', already loaded from %s",
                  name, dup->path);
  }
  /* A variant name already taken would be unreachable: refuse it loudly. */
  for (uint32_t k = 0; k < l.desc.n_variants; k++) {
    const dconv_variant *v = dconv_loader_variant(&l, k);
    dup = dconv_loader_find(reg, v->name, NULL);
    if (dup || strcmp(v->name, l.desc.name) == 0) {
      char name[64];
      snprintf(name, sizeof name, "%s", v->name);
      dlclose(h);
      return dconv_loader_reject(reg, path, DCONV_E_INVALID,
                    "duplicate format name '%s' (a variant), already "
                    "provided by %s",
                    name, dup ? dup->path : "the plugin itself");
    }
  }
  if (reg->n_loaded == reg->cap_loaded) {
    size_t cap = reg->cap_loaded ? reg->cap_loaded * 2 : 8;
    dconv_loaded *p = realloc(reg->loaded, cap * sizeof *p);
    if (!p) {
      dlclose(h);
      return DCONV_E_NOMEM;
    }
    reg->loaded = p;
    reg->cap_loaded = cap;
  }
  l.path = strdup(path);
  if (!l.path) {
    dlclose(h);
    return DCONV_E_NOMEM;
  }
  l.handle = h;
  l.script = script;
  l.script_free = script_free;
  reg->loaded[reg->n_loaded++] = l;
  return 0;
}

void dconv_loader_free(dconv_registry *reg) {
  for (size_t i = 0; i < reg->n_loaded; i++) {
    free(reg->loaded[i].path);
    if (reg->loaded[i].script_free)
      reg->loaded[i].script_free(reg->loaded[i].script);
    /* Modules stay mapped until exit (static data may still be in use by
     * atexit handlers of their dependencies); only the bookkeeping goes. */
  }
  for (size_t i = 0; i < reg->n_cand; i++)
    free(reg->cand[i]);
  free(reg->cand);
  for (size_t i = 0; i < reg->n_fds; i++)
    close(reg->fds[i]);
  free(reg->fds);
  for (size_t i = 0; i < reg->n_rejected; i++) {
    free(reg->rejected[i].path);
    free(reg->rejected[i].reason);
  }
  free(reg->loaded);
  free(reg->rejected);
  memset(reg, 0, sizeof *reg);
}
