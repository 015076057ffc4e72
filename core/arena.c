#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct dconv_arena_block {
  dconv_arena_block *next;
  size_t used, size;
  max_align_t data[]; /* starts aligned for any type */
};

/* `size` bytes at `align` (a power of two), not zeroed. */
static void *bump(dconv_arena *a, size_t size, size_t align) {
  dconv_arena_block *b = a->head;
  if (b) {
    size_t at = (b->used + align - 1) & ~(align - 1);
    if (at <= b->size && b->size - at >= size) {
      b->used = at + size;
      return (char *)b->data + at;
    }
  }
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
  nb->used = size; /* offset 0 has every alignment */
  nb->size = bsize;
  a->head = nb;
  a->total += bsize;
  return nb->data;
}

void *dconv_arena_alloc(dconv_arena *a, size_t size, size_t align) {
  void *p = bump(a, size, align);
  if (p)
    memset(p, 0, size);
  return p;
}

char *dconv_arena_strndup(dconv_arena *a, const char *s, size_t len) {
  if (len == SIZE_MAX)
    return NULL;
  char *p = bump(a, len + 1, 1);
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
