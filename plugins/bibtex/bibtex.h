/*
 * bibtex.h - what the BibTeX writer's files share (not installed).
 *
 *   bibtex.c       entries, fields, the convert callback, the descriptor
 *   bibtex_text.c  field text: LaTeX escaping, case protection, math
 *   bibtex_keys.c  citation keys and their collision suffixes; names
 */
#ifndef DCONV_BIBTEX_H
#define DCONV_BIBTEX_H

#include <stddef.h>
#include <stdint.h>

#include <dconv/names.h>
#include <dconv/util.h>

#define BIB_KEY_MAX 96 /* longest key incl. suffix and NUL */

/* Strings that live as long as the arena: the citation keys. Carved from
 * blocks of host->alloc, so an 18-byte key takes 18 bytes: at 100,000
 * papers, fixed key buffers in every entry (two of BIB_KEY_MAX) were 19 MB
 * and a malloc per key would round each up to its chunk size. */
typedef struct bib_arena {
  const dconv_host *h;
  char *block; /* owned: the newest block, which starts with a pointer to
                  the one before it (NULL: none) */
  size_t used, cap;
} bib_arena;

typedef struct bib_entry {
  const dconv_node *paper;  /* borrowed from the tree */
  const dconv_node *digest; /* its digest */
  const char *id;           /* arXiv id without version, or NULL (borrowed) */
  uint32_t order;           /* position among the kept papers */
  int year, month;          /* 0 = unknown */
  uint64_t id_rank;         /* chronological arXiv order (bib_id_rank) */
  char *key;                /* in bib_ctx.keys, exactly its length + 1 */
} bib_entry;

typedef struct bib_ctx {
  const dconv_host *h;
  dconv_export *ex;
  int biblatex; /* dialect=biblatex: UTF-8, @online, eprinttype */
  int keys_id;  /* keys=id */
  int abstract, note;
  dconv_util_buf out;    /* the output, drained to host->write */
  bib_arena keys;        /* owns every bib_entry.key */
  uint32_t unexpressed;  /* first code point kept as UTF-8 in classic
                            BibTeX since the last bib_take_unexpressed */
  size_t utf8_abstracts; /* abstracts that kept UTF-8 (one summary warning) */
} bib_ctx;

/* ---- bibtex_text.c */

/** Decode one UTF-8 sequence at s (n > 0 bytes left) into *len bytes. */
uint32_t bib_utf8_next(const char *s, size_t n, size_t *len);
/** Is the code point part of a word (keys, case protection)? */
int bib_is_word(uint32_t cp);
/** Append the lowercase ASCII transliteration of s[0..n) to key (letters and
 *  digits only), up to `cap` bytes in total. Returns the new length. */
size_t bib_fold(const char *s, size_t n, char *key, size_t klen, size_t cap);
/** Running text (title, abstract, note, name parts) as field content.
 *  `title` turns on case protection of words. Braces always balance. */
void bib_put_text(bib_ctx *c, const char *s, size_t n, int title);
/** The first code point since the last call that classic BibTeX cannot
 *  spell and that stayed UTF-8 (0: none). */
uint32_t bib_take_unexpressed(bib_ctx *c);

/* ---- bibtex_keys.c */

/** "Family, Given" of one digest author name, escaped. */
void bib_put_name(bib_ctx *c, const char *name);
/** The base key of e (before any collision suffix), stored in c->keys,
 *  and its id rank. Returns 0 or DCONV_E_NOMEM. */
int bib_base_key(bib_ctx *c, bib_entry *e);
/** Make every key of ents[0..n) unique (case-insensitively). Returns 0 or
 *  DCONV_E_NOMEM. */
int bib_unique_keys(bib_ctx *c, bib_entry *ents, size_t n);
/** Release every key (c->keys); the entries' keys are then dangling. */
void bib_keys_free(bib_ctx *c);

#endif
