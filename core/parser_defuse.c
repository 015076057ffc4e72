/* parser_defuse.c - the cmark-gfm workaround (see parser_defuse.h). */
#include "parser_defuse.h"

#include <string.h>

/* cmark-gfm 0.29.0.gfm.6 (Debian 12) is superlinear on two classes of
 * paragraph, both because its bracket stack is searched from the top for
 * every link it resolves:
 *
 *  - emphasis delimiters x resolved links: each link re-runs emphasis
 *    processing over the delimiters before it (20,000 of both: ~10 s);
 *  - unclosed image openers "![" x link closers "]": after each link, every
 *    opener below it is visited to deactivate link openers, and an image
 *    opener is never removed ("![[]()" x 40,000: 18 s; "![[x]" with a
 *    definition of [x] alike).
 *
 * Every other class cmark-gfm's own test/pathological_tests.py lists
 * (nested emphasis, unmatched openers and closers, "[ (](", nested brackets
 * and block quotes, deep lists, backticks, unclosed links, many or
 * colliding references) is linear in 0.29.0.gfm.6 and is covered by
 * tests/hostile/pathological.sh. Real digests have a handful of markers per
 * bullet; a paragraph whose product in either class exceeds this budget has
 * its inline markers escaped (kept as text, with a warning), which keeps
 * parsing linear in the input size. */
#define DEFUSE_BUDGET 10000u

static int line_starts_block(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (p >= end || *p == '\n' || *p == '\r')
    return 1; /* blank line */
  if (*p == '#' || *p == '>')
    return 1;
  if ((*p == '-' || *p == '*' || *p == '+') && p + 1 < end &&
      (p[1] == ' ' || p[1] == '\t'))
    return 1;
  const char *d = p;
  while (d < end && d - p < 9 && *d >= '0' && *d <= '9')
    d++;
  return d > p && d + 1 < end && (*d == '.' || *d == ')') &&
         (d[1] == ' ' || d[1] == '\t');
}

/* The markers of one run of lines, counted as cmark would meet them. */
typedef struct {
  size_t delims, links, images, closers;
} defuse_counts;

static defuse_counts count_markers(const char *p, const char *end) {
  defuse_counts n = {0, 0, 0, 0};
  for (const char *q = p; q < end; q++) {
    if (*q == '\\')
      q++; /* an escaped marker is text already */
    else if (*q == '*' || *q == '_')
      n.delims++;
    else if (*q == '!' && q + 1 < end && q[1] == '[')
      n.images++;
    else if (*q == ']') {
      n.closers++;
      n.links += q + 1 < end && (q[1] == '(' || q[1] == '[');
    }
  }
  return n;
}

/* Returns the text cmark should see: `text` itself, or a defused copy in
 * *copy (then the caller frees it). */
const char *dconv_defuse_text(dconv_pstate *ps, const char *text, size_t *len,
                              dconv_buf *copy) {
  const char *end = text + *len, *run = text, *p = text;
  uint32_t line = 1, run_line = 1;
  size_t done = 0; /* bytes of text already copied */
  while (p <= end) {
    const char *eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
    if (!eol)
      eol = end;
    int boundary = p == end || line_starts_block(p, eol);
    /* A run of lines ends where a line starts a block, or at the end of
     * the text (p == end), so the last run is counted with its last line
     * (it once was checked twice, the second time with a negative length:
     * a false out-of-memory error). */
    if (boundary) {
      const char *run_end = p;
      /* Each link takes two bytes ("](") and each delimiter one, so a run
       * of L bytes has delims x links <= L*L/8, and likewise images x
       * closers: most runs (a bullet is one) cannot reach the budget, and
       * their bytes are not looked at again. */
      uint64_t l = (uint64_t)(run_end - run);
      defuse_counts n = {0, 0, 0, 0};
      /* Both products need a ']' (links and closers), and a memchr for
       * one is far cheaper than counting: long Korean bullets have none. */
      if (l * l > 8u * DEFUSE_BUDGET && memchr(run, ']', (size_t)l))
        n = count_markers(run, run_end);
      int emph = n.delims * n.links > DEFUSE_BUDGET;
      if (emph || n.images * n.closers > DEFUSE_BUDGET) {
        if (emph)
          PARSE_WARN(ps, run_line,
                     "paragraph with %zu emphasis markers and %zu links: "
                     "markers kept as plain text to keep parsing fast",
                     n.delims, n.links);
        else
          PARSE_WARN(ps, run_line,
                     "paragraph with %zu image openers and %zu closing "
                     "brackets: markers kept as plain text to keep parsing "
                     "fast",
                     n.images, n.closers);
        if (dconv_buf_append(copy, text + done, (size_t)(run - text) - done))
          ps->rc = DCONV_E_NOMEM;
        for (const char *q = run; q < run_end; q++) {
          if (*q == '\\' && q + 1 < run_end) {
            dconv_buf_putc(copy, *q++); /* keep existing escapes as they are */
          } else if (*q == '*' || *q == '_' || *q == '[' || *q == ']') {
            dconv_buf_putc(copy, '\\');
          }
          if (dconv_buf_putc(copy, *q))
            ps->rc = DCONV_E_NOMEM;
        }
        done = (size_t)(run_end - text);
      }
      run = p;
      run_line = line;
    }
    if (p == end)
      break;
    line++;
    p = eol < end ? eol + 1 : end;
  }
  if (!done)
    return text;
  if (dconv_buf_append(copy, text + done, *len - done))
    ps->rc = DCONV_E_NOMEM;
  *len = copy->len;
  return copy->data;
}
