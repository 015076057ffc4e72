/* parser_state.c - node builders of the parser (see parser_state.h). */
#include "parser_state.h"

#include <string.h>

#include "input.h"

uint32_t dconv_pstate_line(cmark_node *n) {
  int l = cmark_node_get_start_line(n);
  return l > 0 ? (uint32_t)l : 0;
}

struct dconv_node *dconv_pstate_add(dconv_pstate *ps, struct dconv_node *parent,
                                    uint32_t kind, uint32_t line) {
  struct dconv_node *n = dconv_tree_add(ps->doc, parent, kind, ps->file, line);
  if (!n)
    ps->rc = DCONV_E_NOMEM;
  return n;
}

void dconv_pstate_set_int(dconv_pstate *ps, struct dconv_node *n, int slot,
                          int64_t v) {
  if (n && dconv_tree_set_int(ps->doc, n, slot, v))
    ps->rc = DCONV_E_NOMEM;
}

/* Every string stored in the tree is clean text (see input.h). The input
 * was cleaned before parsing, and what the parser stores is made of its
 * bytes, cut only at ASCII characters (separators, markup, spaces), and of
 * what cmark decodes from character references: "&#1;" or "&#xFFFE;" would
 * bring back what XML writers cannot carry. A reference needs an '&', so
 * text without one is stored unchecked (checking it again was 8% of
 * `--check`'s instructions on the corpus); the fuzzers check every stored
 * string, so a cut inside a character would not go unseen. */
void dconv_pstate_set_str(dconv_pstate *ps, struct dconv_node *n, int slot,
                          const char *s, size_t len) {
  if (!n)
    return;
  if (!ps->has_refs || dconv_input_clean_prefix(s, len) == len) {
    if (dconv_tree_set_str(ps->doc, n, slot, s, len))
      ps->rc = DCONV_E_NOMEM;
    return;
  }
  dconv_buf clean = DCONV_BUF_INIT;
  if (dconv_input_append_clean(&clean, s, len) == (size_t)-1 ||
      dconv_tree_set_str(ps->doc, n, slot, clean.data, clean.len))
    ps->rc = DCONV_E_NOMEM;
  else
    PARSE_WARN(ps, n->line,
               "character reference to a control character or noncharacter "
               "replaced with U+FFFD");
  dconv_buf_free(&clean);
}
