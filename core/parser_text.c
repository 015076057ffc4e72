/* parser_text.c - text helpers of the parser (see parser_text.h). */
#include "parser_text.h"

#include <ctype.h>
#include <string.h>

#include <dconv/tree.h>

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trim ASCII whitespace and non-breaking spaces (U+00A0) at both ends. */
void dconv_ptext_trim(const char **s, size_t *len) {
  const char *p = *s;
  size_t n = *len;
  for (;;) {
    if (n && is_space((unsigned char)*p)) {
      p++, n--;
    } else if (n >= 2 && (unsigned char)p[0] == 0xC2 &&
               (unsigned char)p[1] == 0xA0) {
      p += 2, n -= 2;
    } else {
      break;
    }
  }
  for (;;) {
    if (n && is_space((unsigned char)p[n - 1])) {
      n--;
    } else if (n >= 2 && (unsigned char)p[n - 2] == 0xC2 &&
               (unsigned char)p[n - 1] == 0xA0) {
      n -= 2;
    } else {
      break;
    }
  }
  *s = p;
  *len = n;
}

/* Plain text of a cmark subtree (breaks become spaces), appended to out. */
int dconv_ptext_flatten(cmark_node *node, dconv_buf *out) {
  cmark_iter *it = cmark_iter_new(node);
  if (!it)
    return DCONV_E_NOMEM;
  int rc = 0;
  cmark_event_type ev;
  while (!rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER)
      continue;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE: {
      const char *lit = cmark_node_get_literal(n);
      if (lit)
        rc = dconv_buf_puts(out, lit);
      break;
    }
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
      rc = dconv_buf_putc(out, ' ');
      break;
    default:
      break;
    }
  }
  cmark_iter_free(it);
  return rc;
}

/* Case-insensitive ASCII prefix test. */
int dconv_ptext_has_prefix_ci(const char *s, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  if (len < n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)s[i]) != tolower((unsigned char)prefix[i]))
      return 0;
  return 1;
}

/* If s starts with one of `labels` followed by optional spaces and ':',
 * return the offset just past the colon, else 0. Labels are tried in order,
 * so put longer ones first ("Authors" before "Author"). */
size_t dconv_ptext_match_label(const char *s, size_t len,
                               const char *const *labels) {
  for (; *labels; labels++) {
    if (!dconv_ptext_has_prefix_ci(s, len, *labels))
      continue;
    size_t i = strlen(*labels);
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if (i < len && s[i] == ':')
      return i + 1;
    if (i + 3 <= len && memcmp(s + i, "\xEF\xBC\x9A", 3) == 0)
      return i + 3; /* fullwidth colon */
  }
  return 0;
}

int dconv_ptext_is_comment(const char *s) {
  while (s && is_space((unsigned char)*s))
    s++;
  return s && strncmp(s, "<!--", 4) == 0;
}
