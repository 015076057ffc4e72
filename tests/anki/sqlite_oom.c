/*
 * sqlite_oom.c - LD_PRELOAD shim for tests/anki/limits.sh: a real
 * out-of-memory inside SQLite, nowhere else. malloc/realloc called from
 * libsqlite3 fail once SQLITE_OOM_AFTER of them have succeeded; every
 * other caller (the host, libxml2, the plugin itself) is served as usual,
 * so the run reaches the writer and SQLite's own error path is what fails.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_realloc(void *, size_t);

static __thread int busy; /* dladdr may allocate: no recursion */
static long budget = -1;  /* -1: not read yet */

static int from_sqlite(void *caller) {
  Dl_info info;
  if (busy)
    return 0;
  busy = 1;
  int hit = dladdr(caller, &info) && info.dli_fname &&
            strstr(info.dli_fname, "libsqlite3");
  if (hit && budget < 0) {
    const char *s = getenv("SQLITE_OOM_AFTER");
    budget = s ? atol(s) : 0;
  }
  busy = 0;
  return hit;
}

void *malloc(size_t n) {
  if (from_sqlite(__builtin_return_address(0)) && budget-- <= 0)
    return NULL;
  return __libc_malloc(n);
}

void *realloc(void *p, size_t n) {
  if (from_sqlite(__builtin_return_address(0)) && budget-- <= 0)
    return NULL;
  return __libc_realloc(p, n);
}
