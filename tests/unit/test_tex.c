/*
 * Unit tests of include/dconv/tex.h: hand-written titles and the text a
 * reader should see, including what must stay exactly as written.
 */
#include <stdlib.h>
#include <string.h>

#include <dconv/tex.h>

#include "unit.h"

static void *test_realloc(void *p, size_t n) { return realloc(p, n); }
static void test_free(void *p) { free(p); }

static dconv_host host;

/* tex("...") as a static string (the last result only). */
static const char *tex(const char *in) {
  static char out[1024];
  dconv_util_buf b;
  dconv_util_buf_init(&b, &host);
  dconv_tex_to_unicode(&b, in);
  CHECK(!b.failed);
  snprintf(out, sizeof out, "%s", b.data ? b.data : "");
  dconv_util_buf_free(&b);
  return out;
}

int main(void) {
  host.realloc = test_realloc;
  host.free = test_free;

  /* the titles of issue 14 */
  CHECK_STR(tex("M$^{2}$UGen: Music Understanding"), "M\xC2\xB2UGen: Music Understanding");
  CHECK_STR(tex("$\\sim$20 tasks"), "\xE2\x88\xBC" "20 tasks");
  CHECK_STR(tex("$\\mathcal{O}(n)$ attention"), "\xF0\x9D\x92\xAA(n) attention");
  CHECK_STR(tex("x$_{t}$ and H$_2$O"), "x\xE2\x82\x9C and H\xE2\x82\x82O");
  CHECK_STR(tex("3$\\times$ faster"), "3\xC3\x97 faster");
  CHECK_STR(tex("$\\alpha$-$\\beta$ $\\Omega$"), "\xCE\xB1-\xCE\xB2 \xCE\xA9");
  CHECK_STR(tex("$\\leq$1B and $\\geq$ 7B"), "\xE2\x89\xA4" "1B and \xE2\x89\xA5 7B");
  CHECK_STR(tex("a $\\cdot$ b $\\rightarrow$ c"), "a \xE2\x8B\x85 b \xE2\x86\x92 c");
  CHECK_STR(tex("$O(n \\log n)$"), "O(n log n)");
  CHECK_STR(tex("$\\mathbb{R}^{n}$"), "\xE2\x84\x9D\xE2\x81\xBF");
  CHECK_STR(tex("$\\mathcal{B}$"), "\xE2\x84\xAC");
  CHECK_STR(tex("$\\text{GPT}_{4}$"), "GPT\xE2\x82\x84");
  CHECK_STR(tex("$10^{-3}$"), "10\xE2\x81\xBB\xC2\xB3");
  CHECK_STR(tex("$f^\\prime$"), "f\xE2\x80\xB2");
  CHECK_STR(tex("$90^\\circ$"), "90\xC2\xB0");
  CHECK_STR(tex("$\\{x\\}$"), "{x}");
  /* dollars that are not math stay */
  CHECK_STR(tex("Can LLMs Earn $1 Million from Freelance Work?"),
            "Can LLMs Earn $1 Million from Freelance Work?");
  CHECK_STR(tex("in $200k and $5"), "in $200k and $5");
  CHECK_STR(tex("$5 and $10"), "$5 and $10");
  CHECK_STR(tex("between $5-$10 per hour"), "between $5-$10 per hour");
  CHECK_STR(tex("$ x$"), "$ x$");
  CHECK_STR(tex("$x $"), "$x $");
  CHECK_STR(tex("$"), "$");
  CHECK_STR(tex("$$"), "$$");
  CHECK_STR(tex("$$x^2$$"), "$$x^2$$");
  CHECK_STR(tex("\\$5 and $x$"), "\\$5 and x");
  CHECK_STR(tex("costs $5, then $\\alpha$"), "costs $5, then \xCE\xB1");
  /* unmappable spans stay exactly as written, dollars and all */
  CHECK_STR(tex("$\\frac{1}{2}$ bits"), "$\\frac{1}{2}$ bits");
  CHECK_STR(tex("$x^{q}$"), "$x^{q}$");
  CHECK_STR(tex("$x^{{2}}$"), "$x^{{2}}$");
  CHECK_STR(tex("$\\unknown$ and $\\alpha$"), "$\\unknown$ and \xCE\xB1");
  CHECK_STR(tex("$\\input{/etc/hostname}$"), "$\\input{/etc/hostname}$");
  CHECK_STR(tex("$a & b$"), "$a & b$");
  CHECK_STR(tex("$x^$"), "$x^$");
  CHECK_STR(tex("$\\mathcal{o}$"), "$\\mathcal{o}$");
  CHECK_STR(tex("$\\$"), "$\\$");
  CHECK_STR(tex("$x\ny$"), "$x\ny$");
  /* no math at all: the same bytes */
  CHECK_STR(tex(""), "");
  CHECK_STR(tex("plain \xED\x95\x9C title"), "plain \xED\x95\x9C title");
  return unit_finish("TeX");
}
