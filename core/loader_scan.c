/*
 * loader_scan.c - finding plugins: the directories searched (built in,
 * $DCONV_PLUGIN_PATH, the user's), the candidates each holds, and loading
 * them all or only the one a command names. loader.c checks and loads one
 * file.
 */
#include "loader.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dconv/errors.h>

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_module(const char *path) {
  size_t n = strlen(path);
  return n > 3 && strcmp(path + n - 3, ".so") == 0;
}

/* A directory that is not searched is recorded, never fatal: only running
 * out of memory stops discovery. */
static int skip_dir(dconv_registry *reg, const char *dir, const char *why) {
  return dconv_loader_reject(reg, dir, DCONV_E_INVALID, "%s", why) == DCONV_E_NOMEM ? DCONV_E_NOMEM : 0;
}

/* Record the candidates of one directory: its *.so in name order, then its
 * other files in name order (scripts, loaded when a host claims them), so
 * that "first wins" is deterministic. A missing directory is silent. */
static int scan_dir(dconv_registry *reg, const char *dir) {
  if (dir[0] != '/')
    return skip_dir(reg, dir, "relative plugin directory never searched");
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return 0;
  const char *unsafe = dconv_loader_unsafe(&st, 1);
  if (unsafe) {
    int rc = dconv_loader_reject(reg, dir, DCONV_LOADER_E_PERM, "%s; not searched", unsafe);
    return rc == DCONV_E_NOMEM ? rc : 0;
  }
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 4 || e->d_name[0] == '.' || !strchr(e->d_name, '.'))
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **p = realloc(names, cap * sizeof *p);
      if (!p) {
        rc = DCONV_E_NOMEM;
        break;
      }
      names = p;
    }
    if (!(names[n] = malloc(strlen(dir) + len + 2))) {
      rc = DCONV_E_NOMEM;
      break;
    }
    sprintf(names[n++], "%s/%s", dir, e->d_name);
  }
  closedir(d);
  if (!rc && n) /* names is NULL when the directory has no candidates */
    qsort(names, n, sizeof *names, cmp_str);
  if (!rc && reg->n_cand + n > reg->cap_cand) {
    size_t c = (reg->n_cand + n) * 2;
    char **p = realloc(reg->cand, c * sizeof *p);
    if (p)
      reg->cand = p, reg->cap_cand = c;
    else
      rc = DCONV_E_NOMEM;
  }
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++)
      if (!rc && names[i] && is_module(names[i]) == !pass) {
        reg->cand[reg->n_cand++] = names[i];
        names[i] = NULL;
      }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc;
}

/* Load candidate i (once) and forget it. */
static int load_cand(dconv_registry *reg, size_t i) {
  char *path = reg->cand[i];
  reg->cand[i] = NULL;
  int rc = dconv_loader_load(reg, path, 0);
  free(path);
  return rc == DCONV_E_NOMEM ? rc : 0;
}

int dconv_loader_load_all(dconv_registry *reg) {
  /* A directory's modules come before its scripts (scan_dir's order), so
   * every host a script may need is loaded by the time it is reached. */
  for (size_t i = 0; i < reg->n_cand; i++)
    if (reg->cand[i] && (is_module(reg->cand[i]) ||
                         dconv_loader_script_host(reg, reg->cand[i])) &&
        load_cand(reg, i))
      return DCONV_E_NOMEM;
  return 0;
}

int dconv_loader_want(dconv_registry *reg, const char *name) {
  if (dconv_loader_find(reg, name, NULL))
    return 0;
  size_t len = strlen(name);
  for (size_t i = 0; i < reg->n_cand; i++) {
    const char *c = reg->cand[i];
    const char *base = c ? strrchr(c, '/') + 1 : NULL;
    if (!base || strncmp(base, name, len) != 0 || base[len] != '.' ||
        strchr(base + len + 1, '.'))
      continue;
    if (!is_module(c) && !dconv_loader_script_host(reg, c)) {
      /* NAME.EXT: the host of EXT first (EXT.so, or everything). */
      if (strcmp(base + len + 1, name) != 0 &&
          dconv_loader_want(reg, base + len + 1))
        return DCONV_E_NOMEM;
      if (!dconv_loader_script_host(reg, c))
        continue;
    }
    if (load_cand(reg, i))
      return DCONV_E_NOMEM;
    if (dconv_loader_find(reg, name, NULL))
      return 0;
  }
  return dconv_loader_load_all(reg);
}

#ifndef DCONV_PLUGIN_DIR
#define DCONV_PLUGIN_DIR "/usr/local/lib/dconv/plugins"
#endif

const char *dconv_loader_builtin_dir(void) {
#if defined(DCONV_BUILD_ROOT) && defined(DCONV_BUILD_PLUGIN_DIR)
  /* Running uninstalled from the build tree: use the plugins built there. */
  static char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
      *slash = '\0';
    if (strcmp(exe, DCONV_BUILD_ROOT) == 0)
      return DCONV_BUILD_PLUGIN_DIR;
  }
#endif
  return DCONV_PLUGIN_DIR;
}

int dconv_loader_discover(dconv_registry *reg) {
  int rc = scan_dir(reg, dconv_loader_builtin_dir());
  const char *env = getenv("DCONV_PLUGIN_PATH");
  if (!rc && env && *env) {
    char *copy = strdup(env);
    if (!copy)
      return DCONV_E_NOMEM;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ":", &save); tok && !rc;
         tok = strtok_r(NULL, ":", &save))
      rc = scan_dir(reg, tok);
    free(copy);
  }
  if (!rc) {
    char dir[PATH_MAX];
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
      snprintf(dir, sizeof dir, "%s/dconv/plugins", xdg);
    else if (home && home[0] == '/')
      snprintf(dir, sizeof dir, "%s/.local/share/dconv/plugins", home);
    else
      dir[0] = '\0';
    if (dir[0])
      rc = scan_dir(reg, dir);
  }
  return rc;
}

