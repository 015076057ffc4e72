/*
 * Unit tests of the URL normaliser (core/parser_url.c): hand-written
 * inputs and the URL a WHATWG parser (epubcheck's) accepts for them, or
 * refusal.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "parser_url.h"
#include "unit.h"

/* The normalised URL, or NULL when refused (a static buffer per call). */
static const char *norm(const char *in) {
  static char out[512];
  dconv_buf b = DCONV_BUF_INIT;
  int rc = dconv_purl_normalize(in, strlen(in), &b);
  const char *r = NULL;
  if (rc == 1) {
    snprintf(out, sizeof out, "%s", b.data);
    r = out;
  }
  CHECK(rc == 0 || rc == 1);
  dconv_buf_free(&b);
  return r;
}

int main(void) {
  /* valid URLs stay byte for byte */
  CHECK_STR(norm("https://arxiv.org/abs/2403.17887"),
            "https://arxiv.org/abs/2403.17887");
  CHECK_STR(norm("https://ziplora.github.io"), "https://ziplora.github.io");
  CHECK_STR(norm("http://a.org:8080/x?q=1#f"), "http://a.org:8080/x?q=1#f");
  CHECK_STR(norm("https://a.org/x_(y)"), "https://a.org/x_(y)");
  CHECK_STR(norm("mailto:a@b.com"), "mailto:a@b.com");
  CHECK_STR(norm("https://user:pw@h.io/"), "https://user:pw@h.io/");
  /* a backslash ends a special URL's host (WHATWG): as %5C it would join
   * the host on a second reading (a fuzzer find) */
  CHECK_STR(norm("http://www.x.org\\a\\b"), "http://www.x.org/a%5Cb");
  CHECK_STR(norm("http://127.0.0.1/x"), "http://127.0.0.1/x");
  CHECK_STR(norm("http://[::1]:80/"), "http://[::1]:80/");
  /* scheme and host lower-cased, what must be encoded is */
  CHECK_STR(norm("HTTPS://GitHub.COM/A"), "https://github.com/A");
  CHECK_STR(norm("https://a.b/c d"), "https://a.b/c%20d");
  CHECK_STR(norm("https://a.b/\xED\x95\x9C"), "https://a.b/%ED%95%9C");
  CHECK_STR(norm("https://a.b/%zz%41"), "https://a.b/%25zz%41");
  CHECK_STR(norm("https://a.b/x#y#z"), "https://a.b/x#y%23z");
  CHECK_STR(norm("https://a.b/{x}|`"), "https://a.b/%7Bx%7D%7C%60");
  CHECK_STR(norm("https://a.b/\"<>\\^"), "https://a.b/%22%3C%3E%5C%5E");
  CHECK_STR(norm("https://a.b/\xED\x95\x9C?q=%4"), "https://a.b/%ED%95%9C?q=%254");
  CHECK_STR(norm("https://a.b/x%"), "https://a.b/x%25");
  CHECK_STR(norm("  https://a.b/  "), "https://a.b/");
  /* root-relative against the Hugging Face site, protocol-relative https */
  CHECK_STR(norm("/avatars/e4f6.svg"), "https://huggingface.co/avatars/e4f6.svg");
  CHECK_STR(norm("//cdn.x.org/a.png"), "https://cdn.x.org/a.png");
  /* refused: relative, no host, bad host, bad port */
  CHECK_STR(norm(""), NULL);
  CHECK_STR(norm("x.html"), NULL);
  CHECK_STR(norm("#top"), NULL);
  CHECK_STR(norm("https://"), NULL);
  CHECK_STR(norm("https:/a.org"), NULL);
  CHECK_STR(norm("https://ziplora.github.io)\xEC\x97\x90\xEC\x84\x9C"), NULL);
  CHECK_STR(norm("https://a..b/"), NULL);
  CHECK_STR(norm("https://a b/"), NULL);
  CHECK_STR(norm("https://a.b:99999/"), NULL);
  CHECK_STR(norm("https://a.b:8x/"), NULL);
  CHECK_STR(norm("http://1.2.3.999/"), NULL);
  CHECK_STR(norm("http://[zz]/"), NULL);
  CHECK_STR(norm("mailto:"), NULL);
  CHECK_STR(norm("1http://a.b/"), NULL);
  return unit_finish("URL");
}
