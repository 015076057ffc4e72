/* parser_list.c - summary lists (see parser_list.h). */
#include "parser_list.h"

#include <string.h>

#include "parser.h"
#include "parser_inline.h"
#include "parser_text.h"

/* A summary list (possibly nested, numbered) -> ITEM nodes with depth. */
void dconv_list_convert(dconv_pstate *ps, cmark_node *list) {
  cmark_iter *it = cmark_iter_new(list);
  if (!it) {
    ps->rc = DCONV_E_NOMEM;
    return;
  }
  int depth = -1;
  int64_t counter[DCONV_PARSE_MAX_DEPTH + 1];
  int ordered[DCONV_PARSE_MAX_DEPTH + 1];
  cmark_node *cm_item = NULL;
  struct dconv_node *item = NULL;
  cmark_event_type ev;
  while (!ps->rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    int d = depth > DCONV_PARSE_MAX_DEPTH ? DCONV_PARSE_MAX_DEPTH : depth;
    if (t == CMARK_NODE_LIST) {
      if (ev == CMARK_EVENT_EXIT) {
        depth--;
        continue;
      }
      depth++;
      d = depth > DCONV_PARSE_MAX_DEPTH ? DCONV_PARSE_MAX_DEPTH : depth;
      if (depth > DCONV_PARSE_MAX_DEPTH && !ps->depth_warned) {
        PARSE_WARN(
            ps, dconv_pstate_line(n),
            "list nested deeper than %d levels; deeper items kept at level "
            "%d",
            DCONV_PARSE_MAX_DEPTH + 1, DCONV_PARSE_MAX_DEPTH + 1);
        ps->depth_warned = 1;
      }
      ordered[d] = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
      counter[d] = cmark_node_get_list_start(n);
      continue;
    }
    if (ev != CMARK_EVENT_ENTER || d < 0)
      continue;
    if (t == CMARK_NODE_ITEM) {
      cm_item = n;
      item = NULL;
      continue;
    }
    if (t != CMARK_NODE_PARAGRAPH && t != CMARK_NODE_CODE_BLOCK &&
        t != CMARK_NODE_HEADING && t != CMARK_NODE_HTML_BLOCK)
      continue; /* block quotes etc.: their paragraphs come next */
    if (t == CMARK_NODE_HTML_BLOCK &&
        dconv_ptext_is_comment(cmark_node_get_literal(n)))
      continue;
    cmark_node *owner = cmark_node_parent(n);
    if (!item || owner != cm_item) {
      item = dconv_pstate_add(ps, ps->paper, DCONV_NODE_ITEM,
                              dconv_pstate_line(n));
      if (!item)
        break;
      dconv_pstate_set_int(ps, item, DCONV_I_DEPTH, d);
      dconv_pstate_set_int(ps, item, DCONV_I_ORDERED, ordered[d]);
      if (ordered[d])
        dconv_pstate_set_int(ps, item, DCONV_I_NUMBER, counter[d]);
      counter[d]++;
      cm_item = owner;
    } else {
      dconv_inline_push(ps, item, " ", dconv_pstate_line(n));
    }
    if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
      if (t == CMARK_NODE_HEADING)
        PARSE_WARN(ps, dconv_pstate_line(n),
                   "heading inside a summary list kept as text");
      dconv_inline_convert(ps, n, item, 0);
    } else {
      const char *lit = cmark_node_get_literal(n);
      size_t len = lit ? strlen(lit) : 0;
      while (len && lit[len - 1] == '\n')
        len--;
      PARSE_WARN(ps, dconv_pstate_line(n),
                 "%s inside a summary item kept as %s",
                 t == CMARK_NODE_CODE_BLOCK ? "code block" : "raw HTML",
                 t == CMARK_NODE_CODE_BLOCK ? "inline code" : "text");
      dconv_inline_flush(ps);
      struct dconv_node *c = dconv_pstate_add(
          ps, item,
          t == CMARK_NODE_CODE_BLOCK ? DCONV_NODE_CODE : DCONV_NODE_TEXT,
          dconv_pstate_line(n));
      dconv_pstate_set_str(ps, c, DCONV_S_TEXT, lit ? lit : "", len);
    }
    /* Skip the block's own children: they are converted already. */
    cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
  }
  cmark_iter_free(it);
}
