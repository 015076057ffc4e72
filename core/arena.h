/*
 * arena.h - bump allocator owning every node and string of one document.
 *
 * The tree is built once and freed at once, so per-node malloc/free would be
 * pure overhead. Blocks grow geometrically; memory stays linear in input.
 * Each allocation is aligned only as much as its type needs: a node to 8
 * bytes, a string to 1 (the tree holds millions of both, so rounding each
 * up to max_align_t cost 20-30% of the arena).
 */
#ifndef DCONV_CORE_ARENA_H
#define DCONV_CORE_ARENA_H

#include <stddef.h>

typedef struct dconv_arena_block dconv_arena_block;
typedef struct dconv_arena {
  dconv_arena_block *head;
  size_t total; /* bytes allocated from the system */
} dconv_arena;

/* Zeroed memory for `size` bytes aligned to `align` (a power of two, at
 * most _Alignof(max_align_t); pass _Alignof(T)), owned by the arena, or
 * NULL on allocation failure. */
void *dconv_arena_alloc(dconv_arena *a, size_t size, size_t align);
/* Copy of s[0..len) plus a NUL (unaligned), owned by the arena, or NULL. */
char *dconv_arena_strndup(dconv_arena *a, const char *s, size_t len);
void dconv_arena_free(dconv_arena *a);

#endif
