/* parser_mem.c - the allocator cmark-gfm parses a digest with (see
 * parser_mem.h).
 *
 * Every block carries its size in the word before it. Small blocks (at
 * most SMALL_MAX bytes, which is nearly all cmark asks for: nodes, short
 * buffers, delimiters) are cut from chunks; when freed they go on a list
 * per size class and are handed out again, so a digest's inline parsing
 * reuses its own scratch memory. The most recent block of a chunk grows in
 * place, which is how cmark's string buffers grow. Large blocks come from
 * malloc and are kept on a list so they can all be released at the end. */
#include "parser_mem.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dconv/errors.h"

/* Under AddressSanitizer, memory the allocator holds but has not handed
 * out (the rest of a chunk, freed blocks) is poisoned, so a read or write
 * past a block or after its free is reported as it is with malloc. */
#if defined(__SANITIZE_ADDRESS__)
#define PMEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PMEM_ASAN 1
#endif
#endif
#ifdef PMEM_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ALIGN 8u /* cmark's structures hold pointers and ints, no more */
#define SMALL_MAX 2048u
#define N_CLASSES (SMALL_MAX / ALIGN + 1)
#define BIG_FLAG ((size_t)1 << (sizeof(size_t) * 8 - 1))
#define CHUNK_MIN ((size_t)32 << 10)
#define CHUNK_MAX ((size_t)1 << 20)

typedef struct chunk {
  struct chunk *next;
  size_t cap, used;
  /* The data follows, aligned by the header's size (three words). */
} chunk;

typedef struct big {
  struct big *next, *prev;
  size_t size; /* the word before the data, as for small blocks */
} big;

typedef struct free_block {
  struct free_block *next;
} free_block;

typedef struct {
  jmp_buf *oom;  /* where a failed allocation jumps; NULL outside run */
  chunk *chunks; /* newest first; only the newest is cut from */
  big *bigs;
  size_t held;
  free_block *free[N_CLASSES];
} pmem;

static _Thread_local pmem state;

static _Noreturn void pmem_out_of_memory(void) {
  if (state.oom)
    longjmp(*state.oom, 1);
  abort(); /* no parse is running: cmark's own behaviour */
}

static inline size_t *size_word(void *p) { return (size_t *)p - 1; }

static unsigned char *chunk_data(chunk *c) { return (unsigned char *)(c + 1); }

static void *big_alloc(size_t n) {
  if (n > SIZE_MAX - sizeof(big))
    pmem_out_of_memory();
  big *b = malloc(sizeof *b + n);
  if (!b)
    pmem_out_of_memory();
  b->size = n | BIG_FLAG;
  b->prev = NULL;
  b->next = state.bigs;
  if (state.bigs)
    state.bigs->prev = b;
  state.bigs = b;
  state.held += n;
  return b + 1;
}

static void big_unlink(big *b) {
  if (b->prev)
    b->prev->next = b->next;
  else
    state.bigs = b->next;
  if (b->next)
    b->next->prev = b->prev;
  state.held -= b->size & ~BIG_FLAG;
}

/* A small block of n bytes (n a multiple of ALIGN, at most SMALL_MAX),
 * uninitialised. */
static void *small_alloc(size_t n) {
  free_block *f = state.free[n / ALIGN];
  if (f) {
    UNPOISON(f, n);
    state.free[n / ALIGN] = f->next;
    return f;
  }
  chunk *c = state.chunks;
  size_t need = sizeof(size_t) + n;
  if (!c || c->cap - c->used < need) {
    size_t cap = c ? c->cap * 2 : CHUNK_MIN;
    if (cap > CHUNK_MAX)
      cap = CHUNK_MAX;
    chunk *nc = malloc(sizeof *nc + cap);
    if (!nc)
      pmem_out_of_memory();
    nc->cap = cap;
    nc->used = 0;
    nc->next = c;
    state.chunks = c = nc;
    state.held += cap;
    POISON(chunk_data(nc), cap);
  }
  size_t *w = (size_t *)(chunk_data(c) + c->used);
  UNPOISON(w, need);
  *w = n;
  c->used += need;
  return w + 1;
}

static size_t round_up(size_t n) {
  return n <= SMALL_MAX ? (n + ALIGN - 1) & ~(size_t)(ALIGN - 1) : n;
}

static void *pmem_alloc(size_t n) {
  n = round_up(n ? n : 1);
  return n <= SMALL_MAX ? small_alloc(n) : big_alloc(n);
}

static void *pmem_calloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    pmem_out_of_memory();
  void *p = pmem_alloc(n * size);
  memset(p, 0, n * size);
  return p;
}

static void pmem_free(void *p) {
  if (!p)
    return;
  size_t w = *size_word(p);
  if (w & BIG_FLAG) {
    big *b = (big *)p - 1;
    big_unlink(b);
    free(b);
    return;
  }
  chunk *c = state.chunks;
  if (c && (unsigned char *)p + w == chunk_data(c) + c->used) {
    c->used -= sizeof(size_t) + w; /* the newest block: cut it back */
    POISON(size_word(p), sizeof(size_t) + w);
    return;
  }
  free_block *f = p;
  f->next = state.free[w / ALIGN];
  state.free[w / ALIGN] = f;
  POISON(p, w);
}

static void *pmem_realloc(void *p, size_t size) {
  if (!p)
    return pmem_alloc(size);
  size_t w = *size_word(p);
  if (w & BIG_FLAG) {
    big *b = (big *)p - 1;
    size_t old = w & ~BIG_FLAG;
    if (size <= old)
      return p;
    if (size > SIZE_MAX - sizeof(big))
      pmem_out_of_memory();
    big *prev = b->prev, *next = b->next;
    big *nb = realloc(b, sizeof *nb + size);
    if (!nb)
      pmem_out_of_memory();
    nb->size = size | BIG_FLAG;
    if (prev)
      prev->next = nb;
    else
      state.bigs = nb;
    if (next)
      next->prev = nb;
    state.held += size - old;
    return nb + 1;
  }
  if (size <= w)
    return p;
  size_t n = round_up(size);
  chunk *c = state.chunks;
  if (n <= SMALL_MAX && c &&
      (unsigned char *)p + w == chunk_data(c) + c->used &&
      c->cap - c->used >= n - w) {
    UNPOISON((unsigned char *)p + w, n - w);
    c->used += n - w; /* the newest block grows in place */
    *size_word(p) = n;
    return p;
  }
  void *q = pmem_alloc(n);
  memcpy(q, p, w);
  pmem_free(p);
  return q;
}

cmark_mem dconv_pmem_allocator = {pmem_calloc, pmem_realloc, pmem_free};

static void pmem_release(void) {
  for (chunk *c = state.chunks, *next; c; c = next) {
    next = c->next;
    UNPOISON(chunk_data(c), c->cap);
    free(c);
  }
  for (big *b = state.bigs, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  memset(&state, 0, sizeof state);
}

int dconv_pmem_run(int (*fn)(void *arg), void *arg) {
  jmp_buf here;
  int rc;
  if (setjmp(here)) {
    rc = DCONV_E_NOMEM;
  } else {
    state.oom = &here;
    rc = fn(arg);
  }
  pmem_release(); /* also clears state.oom */
  return rc;
}

size_t dconv_pmem_held(void) { return state.held; }
