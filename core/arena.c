#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct dconv_arena_block {
  dconv_arena_block *next;
  size_t used, size;
  max_align_t data[]; /* aligned storage */
};

void *dconv_arena_alloc(dconv_arena *a, size_t size) {
  const size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  if (size == 0)
    size = align;
  dconv_arena_block *b = a->head;
  if (!b || b->size - b->used < size) {
    size_t bsize = b ? b->size * 2 : 16384;
    if (bsize > (size_t)64 << 20)
      bsize = (size_t)64 << 20; /* cap growth: waste at most one block */
    if (bsize < size)
      bsize = size;
    if (bsize > SIZE_MAX - sizeof *b)
      return NULL;
    dconv_arena_block *nb = malloc(sizeof *nb + bsize);
    if (!nb)
      return NULL;
    nb->next = b;
    nb->used = 0;
    nb->size = bsize;
    a->head = b = nb;
    a->total += bsize;
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *dconv_arena_strndup(dconv_arena *a, const char *s, size_t len) {
  if (len == SIZE_MAX)
    return NULL;
  /* Strings need no alignment, but sharing the aligned path keeps this tiny. */
  char *p = dconv_arena_alloc(a, len + 1);
  if (!p)
    return NULL;
  if (len)
    memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void dconv_arena_free(dconv_arena *a) {
  dconv_arena_block *b = a->head;
  while (b) {
    dconv_arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
  a->total = 0;
}
