/*
 * arena.h - bump allocator owning every node and string of one document.
 *
 * The tree is built once and freed at once, so per-node malloc/free would be
 * pure overhead. Blocks grow geometrically; memory stays linear in input.
 */
#ifndef DCONV_CORE_ARENA_H
#define DCONV_CORE_ARENA_H

#include <stddef.h>

typedef struct dconv_arena_block dconv_arena_block;
typedef struct dconv_arena {
  dconv_arena_block *head;
  size_t total; /* bytes allocated from the system */
} dconv_arena;

/* Zeroed memory owned by the arena, or NULL on allocation failure. */
void *dconv_arena_alloc(dconv_arena *a, size_t size);
/* Copy of s[0..len) plus a NUL, owned by the arena, or NULL. */
char *dconv_arena_strndup(dconv_arena *a, const char *s, size_t len);
void dconv_arena_free(dconv_arena *a);

#endif
