/*
 * parser_mem.h - the allocator cmark-gfm parses a digest with.
 *
 * cmark-gfm allocates every node, string buffer and inline delimiter with
 * its own malloc and frees each one again, and its code never checks for
 * NULL. Both cost: malloc and free were a tenth of `--check` on the corpus,
 * and out of memory aborted the process. This allocator hands cmark memory
 * from chunks that live for one digest, keeps freed small blocks for reuse
 * within that digest, and drops everything at once when the digest is
 * converted, so neither cmark_node_free nor cmark_parser_free has to walk
 * the tree. When a chunk cannot be had it jumps back to the caller of
 * dconv_pmem_run, which returns DCONV_E_NOMEM (exit 5) with every chunk
 * released.
 *
 * The state is thread-local: parses in different threads do not share it,
 * and one thread runs one parse at a time (dconv_pmem_run does not nest).
 */
#ifndef DCONV_PARSER_MEM_H
#define DCONV_PARSER_MEM_H

#include <cmark-gfm.h>

/** The allocator to give cmark_parser_new_with_mem and
 *  cmark_node_new_with_mem. Valid only inside dconv_pmem_run's callback;
 *  memory it returns is released when that callback returns. */
extern cmark_mem dconv_pmem_allocator;

/** Runs fn(arg) with dconv_pmem_allocator live and returns what fn
 *  returns, or DCONV_E_NOMEM when an allocation failed inside it (fn is
 *  then abandoned mid-call: it must own nothing but what this allocator
 *  gave it, or must not allocate anything else it cannot lose). Everything
 *  the allocator handed out is released before this returns. */
int dconv_pmem_run(int (*fn)(void *arg), void *arg);

/** Bytes the allocator holds now (chunks and large blocks); 0 outside
 *  dconv_pmem_run. For tests. */
size_t dconv_pmem_held(void);

#endif
