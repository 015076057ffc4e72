/*
 * md_emph.h - does written emphasis read back as written?
 *
 * The Markdown writer writes EMPH as *...* and STRONG as **...**. Where
 * such delimiters touch (nested spans that start or end together) or sit
 * inside a word, CommonMark's delimiter rules (flanking, the "rule of 3")
 * can pair them differently on re-parse: `c*b *c***` is EMPH(b EMPH(c))
 * then "*", written `c*b *c**\*`, which reads back with the outer span
 * lost. The writer records where it put each delimiter; md_emph_check
 * runs CommonMark's pairing algorithm over those runs and names every
 * span that would not come back as written; the writer then writes those
 * spans' text without delimiters and checks again. Losing one emphasis of
 * a pathological nesting is the price of a digest that reads back to the
 * same tree (md(md(x)) == md(x)); ordinary emphasis, Korean `**X**은`
 * included, always pairs as written and is never touched.
 */
#ifndef MD_EMPH_H
#define MD_EMPH_H

#include <dconv/plugin.h>

#include <stddef.h>
#include <stdint.h>

enum { MD_OPEN, MD_CLOSE, MD_LINK_OPEN, MD_LINK_CLOSE };

typedef struct md_delim {
  size_t pos;             /* offset in the output buffer */
  uint32_t len;           /* 1 (EMPH) or 2 (STRONG); 0 for link marks */
  int type;               /* MD_* */
  const dconv_node *node; /* the span (borrowed) */
  int confirmed;          /* set by md_emph_check: pairs as written */
} md_delim;

typedef struct md_emph {
  const dconv_host *h;
  md_delim *d; /* owned: this item's delimiters, in output order */
  size_t n, cap;
  const dconv_node **flat; /* owned array of borrowed nodes: spans
                              written without delimiters */
  size_t n_flat, cap_flat;
  int flat_all; /* every span of the item without delimiters */
  int failed;   /* an allocation failed: DCONV_E_NOMEM */
} md_emph;

void md_emph_init(md_emph *e, const dconv_host *h);
void md_emph_free(md_emph *e);
/* Forget the recorded delimiters and the flattened spans (a new item). */
void md_emph_reset(md_emph *e);
/* Whether span `node` is written without delimiters. */
int md_emph_is_flat(const md_emph *e, const dconv_node *node);
/* Record a delimiter (or a link mark) written at `pos`. */
void md_emph_record(md_emph *e, size_t pos, uint32_t len, int type,
                    const dconv_node *node);
/* Check the item written into text[base..end) with the recorded
 * delimiters. Returns how many spans it added to the flattened set (0: the
 * item reads back as written), or DCONV_E_NOMEM. The recorded delimiters
 * are cleared for the next try. */
int md_emph_check(md_emph *e, const char *text, size_t base, size_t end);

#endif
