/* parser.c - the block driver: walks cmark-gfm's top-level blocks and
 * hands each to the module that interprets it (headings, paper fields,
 * summary lists); see parser.h. */
#include "parser.h"

#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "buf.h"
#include "parser_defuse.h"
#include "parser_fields.h"
#include "parser_heading.h"
#include "parser_list.h"
#include "parser_mem.h"
#include "parser_state.h"
#include "parser_text.h"
#include "parser_url.h"

/* Blocks of text before the first digest header, held back: in a file that
 * turns out to have no header at all, the one error ("not a digest") says
 * everything, and a warning per ignored paragraph before it is noise. When
 * a header comes, they are reported in order, as if at once. */
typedef struct held_blocks {
  cmark_node **b;
  size_t n, cap;
} held_blocks;

static void report_outside(dconv_pstate *ps, cmark_node *block);

static void text_outside_paper(dconv_pstate *ps, held_blocks *held,
                               cmark_node *block) {
  if (ps->digest) {
    report_outside(ps, block);
    return;
  }
  if (held->n == held->cap) {
    size_t cap = held->cap ? held->cap * 2 : 8;
    cmark_node **nb = realloc(held->b, cap * sizeof *nb);
    if (!nb) {
      ps->rc = DCONV_E_NOMEM;
      return;
    }
    held->b = nb;
    held->cap = cap;
  }
  held->b[held->n++] = block;
}

static void report_held(dconv_pstate *ps, held_blocks *held) {
  for (size_t i = 0; i < held->n; i++)
    report_outside(ps, held->b[i]);
  held->n = 0;
}

static void report_outside(dconv_pstate *ps, cmark_node *block) {
  dconv_buf b = DCONV_BUF_INIT;
  if (dconv_ptext_flatten(block, &b))
    ps->rc = DCONV_E_NOMEM;
  const char *s = b.data ? b.data : "";
  size_t len = b.len;
  dconv_ptext_trim(&s, &len);
  if (len)
    PARSE_WARN(ps, dconv_pstate_line(block),
               "text outside any paper ignored: '%.*s'",
               (int)(len > 60 ? 60 : len), s);
  dconv_buf_free(&b);
}

/* A raw HTML block: a <video> gives the paper its media; anything else is
 * never copied through (writers must not emit digest HTML). */
static void html_block(dconv_pstate *ps, cmark_node *block) {
  const char *lit = cmark_node_get_literal(block);
  if (!lit || dconv_ptext_is_comment(lit))
    return; /* comments are invisible in every rendering */
  uint32_t line = dconv_pstate_line(block);
  size_t vlen;
  const char *src = dconv_fields_video_src(lit, &vlen);
  if (ps->paper && src) {
    dconv_fields_set_media(ps, "video", src, vlen, line);
    return;
  }
  const char *s = lit;
  size_t len = strlen(lit);
  dconv_ptext_trim(&s, &len);
  PARSE_WARN(ps, line, "raw HTML block ignored: '%.*s'",
             (int)(len > 60 ? 60 : len), s);
}

typedef struct {
  dconv_tree *doc;
  const char *file, *text;
  size_t len;
  dconv_diag *diag;
} parse_args;

static int parse_digest(dconv_tree *doc, const char *file, const char *text,
                        size_t len, dconv_diag *diag);

static int parse_digest_cb(void *arg) {
  parse_args *a = arg;
  return parse_digest(a->doc, a->file, a->text, a->len, a->diag);
}

/* cmark parses with dconv_pmem_allocator (parser_mem.h): its memory lives
 * for this call and is dropped at once, and out of memory inside cmark
 * returns DCONV_E_NOMEM instead of aborting. What the parse had allocated
 * outside cmark until then is abandoned, not freed: the command exits right
 * after an out-of-memory error anyway. */
int dconv_parse_digest(dconv_tree *doc, const char *file, const char *text,
                       size_t len, dconv_diag *diag) {
  parse_args a = {doc, file, text, len, diag};
  return dconv_pmem_run(parse_digest_cb, &a);
}

static int parse_digest(dconv_tree *doc, const char *file, const char *text,
                        size_t len, dconv_diag *diag) {
  dconv_pstate ps;
  memset(&ps, 0, sizeof ps);
  ps.doc = doc;
  ps.diag = diag;
  ps.file = dconv_arena_strndup(&doc->arena, file, strlen(file));
  if (!ps.file)
    return DCONV_E_NOMEM;

  cmark_gfm_core_extensions_ensure_registered();
  ps.cmem = &dconv_pmem_allocator;
  ps.has_refs = memchr(text, '&', len) != NULL;
  cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, ps.cmem);
  if (!parser)
    return DCONV_E_NOMEM;
  cmark_syntax_extension *autolink = cmark_find_syntax_extension("autolink");
  if (autolink)
    cmark_parser_attach_syntax_extension(parser, autolink);
  dconv_buf defused = DCONV_BUF_INIT;
  const char *feed = dconv_defuse_text(&ps, text, &len, &defused);
  cmark_parser_feed(parser, feed, len);
  /* The parser and the tree are not freed one node at a time: their
   * memory goes when dconv_pmem_run returns. */
  cmark_node *root = cmark_parser_finish(parser);
  dconv_buf_free(&defused);
  if (!root)
    return DCONV_E_NOMEM;
  dconv_purl_fix_ast(&ps, root);

  int failed = 0;
  held_blocks held = {NULL, 0, 0};
  for (cmark_node *b = cmark_node_first_child(root); b && !ps.rc && !failed;
       b = cmark_node_next(b)) {
    cmark_node_type t = cmark_node_get_type(b);
    if (t == CMARK_NODE_HEADING) {
      int level = cmark_node_get_heading_level(b);
      if (level <= 2) {
        int had_digest = ps.digest != NULL;
        int r = dconv_heading_digest(&ps, b);
        if (r < 0) {
          failed = 1;
        } else if (r == 0) {
          dconv_fields_finish(&ps);
          text_outside_paper(&ps, &held, b);
        } else if (!had_digest) {
          report_held(&ps, &held);
        }
        continue;
      }
      if (!ps.digest) {
        PARSE_ERROR(&ps, dconv_pstate_line(b),
                    "paper before any '## Daily Papers (YYYY-MM-DD)' header");
        failed = 1;
        continue;
      }
      dconv_heading_paper(&ps, b);
      continue;
    }
    if (t == CMARK_NODE_HTML_BLOCK) {
      html_block(&ps, b);
      continue;
    }
    if (t == CMARK_NODE_THEMATIC_BREAK)
      continue;
    if (!ps.paper) {
      text_outside_paper(&ps, &held, b);
      continue;
    }
    if (t == CMARK_NODE_PARAGRAPH)
      dconv_fields_paragraph(&ps, b);
    else if (t == CMARK_NODE_LIST)
      dconv_list_convert(&ps, b);
    else {
      dconv_buf s = DCONV_BUF_INIT;
      if (dconv_ptext_flatten(b, &s))
        ps.rc = DCONV_E_NOMEM;
      const char *p = s.data ? s.data : "";
      size_t pl = s.len;
      dconv_ptext_trim(&p, &pl);
      /* A block with no text (an empty "> ") holds nothing to keep: an
       * empty item would be written as a bare "- ", which reads back as
       * no item. An empty code block is kept: it is content. */
      if (pl == 0 && t != CMARK_NODE_CODE_BLOCK) {
        dconv_buf_free(&s);
        continue;
      }
      PARSE_WARN(&ps, dconv_pstate_line(b), "%s kept as a summary item",
                 t == CMARK_NODE_CODE_BLOCK    ? "code block"
                 : t == CMARK_NODE_BLOCK_QUOTE ? "block quote"
                                               : "block");
      struct dconv_node *item = dconv_pstate_add(&ps, ps.paper, DCONV_NODE_ITEM,
                                                 dconv_pstate_line(b));
      if (item) {
        dconv_pstate_set_int(&ps, item, DCONV_I_DEPTH, 0);
        dconv_pstate_set_int(&ps, item, DCONV_I_ORDERED, 0);
        struct dconv_node *c = dconv_pstate_add(
            &ps, item,
            t == CMARK_NODE_CODE_BLOCK ? DCONV_NODE_CODE : DCONV_NODE_TEXT,
            dconv_pstate_line(b));
        dconv_pstate_set_str(&ps, c, DCONV_S_TEXT, p, pl);
      }
      dconv_buf_free(&s);
    }
  }
  if (!failed && !ps.rc) {
    dconv_fields_finish(&ps);
    dconv_heading_digest_done(&ps);
  }
  free(held.b);
  dconv_buf_free(&ps.pending);
  if (ps.rc)
    return ps.rc;
  if (failed)
    return DCONV_E_PARSE;
  if (!ps.digest) {
    PARSE_ERROR(&ps, 1,
                "no '## Daily Papers (YYYY-MM-DD)' header: not a digest");
    return DCONV_E_PARSE;
  }
  return 0;
}
