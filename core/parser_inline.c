/* parser_inline.c - inline conversion (see parser_inline.h). */
#include "parser_inline.h"

#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "parser_text.h"

void dconv_inline_flush(dconv_pstate *ps) {
  if (!ps->pending.len)
    return;
  struct dconv_node *t = dconv_pstate_add(ps, ps->pending_parent,
                                          DCONV_NODE_TEXT, ps->pending_line);
  dconv_pstate_set_str(ps, t, DCONV_S_TEXT, ps->pending.data, ps->pending.len);
  ps->pending.len = 0;
}

void dconv_inline_push(dconv_pstate *ps, struct dconv_node *parent,
                       const char *s, uint32_t line) {
  if (ps->pending.len && ps->pending_parent != parent)
    dconv_inline_flush(ps);
  if (!ps->pending.len) {
    ps->pending_parent = parent;
    ps->pending_line = line;
  }
  if (dconv_buf_puts(&ps->pending, s))
    ps->rc = DCONV_E_NOMEM;
}

/* Convert the inline children of cmark block `block` into children of
 * `parent`. Adjacent text is merged into one TEXT node. Line breaks become
 * DCONV_PARSE_BREAK markers when `breaks` is set (top level only), else a
 * space. Iterative (cmark_iter), so nesting depth costs no stack. */
void dconv_inline_convert(dconv_pstate *ps, cmark_node *block,
                          struct dconv_node *parent, int breaks) {
  cmark_iter *it = cmark_iter_new(block);
  if (!it) {
    ps->rc = DCONV_E_NOMEM;
    return;
  }
  uint32_t line = dconv_pstate_line(block);
  struct dconv_node *out = parent;
  int emph = 0; /* open emphasis spans in cmark's tree, kept or not */
  cmark_event_type ev;
  while (!ps->rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (n == block)
      continue;
    cmark_node_type t = cmark_node_get_type(n);
    int container = t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG ||
                    t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE;
    /* Emphasis nested deeper than the limit is kept as its text only (see
     * parser.h); the count tells on EXIT whether ENTER made a node. */
    int flat =
        (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG) &&
        (ev == CMARK_EVENT_EXIT ? emph-- : ++emph) > DCONV_PARSE_MAX_EMPH_DEPTH;
    if (flat) {
      if (ev == CMARK_EVENT_ENTER && !ps->emph_warned) {
        PARSE_WARN(ps, line,
                   "emphasis nested deeper than %d levels; deeper emphasis "
                   "kept as plain text",
                   DCONV_PARSE_MAX_EMPH_DEPTH);
        ps->emph_warned = 1;
      }
      continue;
    }
    if (ev == CMARK_EVENT_EXIT) {
      if (container) {
        dconv_inline_flush(ps);
        out = out->parent;
      }
      continue;
    }
    switch (t) {
    case CMARK_NODE_TEXT:
      dconv_inline_push(ps, out, cmark_node_get_literal(n), line);
      break;
    case CMARK_NODE_HTML_INLINE:
      /* Inline HTML is kept as text (writers escape it), comments vanish. */
      if (!dconv_ptext_is_comment(cmark_node_get_literal(n)))
        dconv_inline_push(ps, out, cmark_node_get_literal(n), line);
      break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
      if (breaks && out == parent) {
        dconv_inline_flush(ps);
        dconv_pstate_add(ps, out, DCONV_PARSE_BREAK, line);
      } else {
        dconv_inline_push(ps, out, " ", line);
      }
      line++;
      break;
    case CMARK_NODE_CODE: {
      dconv_inline_flush(ps);
      struct dconv_node *c = dconv_pstate_add(ps, out, DCONV_NODE_CODE, line);
      const char *lit = cmark_node_get_literal(n);
      dconv_pstate_set_str(ps, c, DCONV_S_TEXT, lit, strlen(lit));
      break;
    }
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE: {
      dconv_inline_flush(ps);
      uint32_t kind = t == CMARK_NODE_EMPH     ? DCONV_NODE_EMPH
                      : t == CMARK_NODE_STRONG ? DCONV_NODE_STRONG
                                               : DCONV_NODE_LINK;
      struct dconv_node *c = dconv_pstate_add(ps, out, kind, line);
      if (!c)
        break;
      if (kind == DCONV_NODE_LINK) {
        const char *url = cmark_node_get_url(n);
        dconv_pstate_set_str(ps, c, DCONV_S_URL, url ? url : "",
                             url ? strlen(url) : 0);
        if (t == CMARK_NODE_IMAGE)
          dconv_pstate_set_int(ps, c, DCONV_I_IMAGE, 1);
      }
      out = c;
      break;
    }
    default:
      break; /* footnotes etc. are not enabled */
    }
  }
  dconv_inline_flush(ps);
  cmark_iter_free(it);
}

/* Plain text of our own inline nodes in [first, stop), appended to out. */
void dconv_inline_flatten_range(dconv_pstate *ps, struct dconv_node *first,
                                struct dconv_node *stop, dconv_buf *out) {
  for (struct dconv_node *n = first; n != stop; n = n->next) {
    size_t len;
    char *s = dconv_node_flatten(n, &len);
    if (!s || dconv_buf_append(out, s, len))
      ps->rc = DCONV_E_NOMEM;
    free(s);
  }
}
