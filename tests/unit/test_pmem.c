/*
 * Unit tests for the allocator cmark parses with (core/parser_mem.h):
 * calloc zeroes, realloc keeps the bytes (growing in place, moving, small
 * to large), freed blocks are reused within a run, a failed allocation
 * returns DCONV_E_NOMEM from dconv_pmem_run, and everything is released
 * when the run ends (valgrind and LeakSanitizer see any block it loses).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dconv/errors.h>

#include "parser_mem.h"
#include "unit.h"

static cmark_mem *m = &dconv_pmem_allocator;

static int all_bytes(const unsigned char *p, size_t n, unsigned char v) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != v)
      return 0;
  return 1;
}

static int basics(void *arg) {
  (void)arg;
  unsigned char *a = m->calloc(3, 10);
  CHECK(a && all_bytes(a, 30, 0));
  CHECK((uintptr_t)a % 8 == 0);
  memset(a, 'a', 30);

  /* The newest block grows in place and keeps its bytes. */
  unsigned char *g = m->realloc(a, 100);
  CHECK(g == a);
  CHECK(all_bytes(g, 30, 'a'));

  /* An older block moves when it grows; its bytes come along. */
  unsigned char *b = m->calloc(1, 16);
  memset(b, 'b', 16);
  unsigned char *g2 = m->realloc(g, 200);
  CHECK(g2 != g);
  CHECK(all_bytes(g2, 30, 'a'));
  CHECK(all_bytes(b, 16, 'b')); /* the move did not touch its neighbour */

  /* A freed small block of a size class comes back for that class,
   * zeroed by calloc. */
  unsigned char *c = m->calloc(1, 40);
  unsigned char *d = m->calloc(1, 40); /* keeps c from being the newest */
  memset(c, 'c', 40);
  m->free(c);
  unsigned char *c2 = m->calloc(1, 40);
  CHECK(c2 == c);
  CHECK(all_bytes(c2, 40, 0));
  m->free(d);

  /* Small to large, and large blocks growing and freed. */
  unsigned char *e = m->calloc(1, 64);
  memset(e, 'e', 64);
  unsigned char *big = m->realloc(e, 100000);
  CHECK(big && all_bytes(big, 64, 'e'));
  memset(big, 'B', 100000);
  big = m->realloc(big, 300000);
  CHECK(all_bytes(big, 100000, 'B'));
  size_t before = dconv_pmem_held();
  m->free(big);
  CHECK(dconv_pmem_held() + 300000 == before);
  CHECK(m->realloc(NULL, 10) != NULL);
  m->free(NULL);

  /* Many blocks: more than one chunk, all intact. */
  enum { N = 20000 };
  unsigned char **v = malloc(N * sizeof *v);
  CHECK(v != NULL);
  for (int i = 0; v && i < N; i++) {
    v[i] = m->calloc(1, 24);
    memset(v[i], i & 0xFF, 24);
  }
  int intact = 1;
  for (int i = 0; v && i < N; i++)
    intact &= all_bytes(v[i], 24, (unsigned char)(i & 0xFF));
  CHECK(intact);
  free(v);
  CHECK(dconv_pmem_held() > 400000);
  return 7;
}

/* A request no allocator can meet jumps out of the run. */
static int too_much(void *arg) {
  int *reached = arg;
  (void)m->calloc(SIZE_MAX / 2, 4); /* n * size overflows */
  *reached = 1;
  return 0;
}

static int too_big(void *arg) {
  int *reached = arg;
  void *p = m->calloc(1, 16);
  (void)m->realloc(p, SIZE_MAX - 8);
  *reached = 1;
  return 0;
}

int main(void) {
  CHECK_INT(dconv_pmem_run(basics, NULL), 7);
  CHECK_INT(dconv_pmem_held(), 0); /* released when the run ended */

  int reached = 0;
  CHECK_INT(dconv_pmem_run(too_much, &reached), DCONV_E_NOMEM);
  CHECK_INT(reached, 0);
  CHECK_INT(dconv_pmem_run(too_big, &reached), DCONV_E_NOMEM);
  CHECK_INT(reached, 0);
  CHECK_INT(dconv_pmem_held(), 0);

  /* The allocator works again after a failed run. */
  CHECK_INT(dconv_pmem_run(basics, NULL), 7);
  return unit_finish("parser allocator");
}
