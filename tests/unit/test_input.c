/*
 * Unit tests for input cleaning (core/input.h): the BOM, NUL = binary,
 * empty input, invalid UTF-8 and control characters -> U+FFFD with one
 * warning per line, CRLF left alone, and the clean-prefix scanner the
 * parser also uses on strings cmark decodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dconv/tree.h>

#include "buf.h"
#include "input.h"
#include "unit.h"

#define FFFD "\xEF\xBF\xBD"

typedef struct {
  int rc;
  dconv_buf text; /* the cleaned text (owned) */
  char *messages; /* everything printed (owned) */
  unsigned long warnings, errors;
} cleaned;

static cleaned sanitize(const char *s, size_t len) {
  cleaned c;
  memset(&c, 0, sizeof c);
  size_t mlen = 0;
  dconv_diag diag;
  dconv_diag_init(&diag);
  diag.out = open_memstream(&c.messages, &mlen);
  CHECK(dconv_buf_append(&c.text, s, len) == 0);
  c.rc = dconv_input_sanitize("t.md", &c.text, &diag);
  fclose(diag.out);
  c.warnings = diag.warnings;
  c.errors = diag.errors;
  return c;
}

static void release(cleaned *c) {
  dconv_buf_free(&c->text);
  free(c->messages);
}

/* Clean input `in` (a C string) must become `out` with `warnings`
 * warnings, each at a line listed in `lines` ("t.md:N: warning: "). */
static void expect_clean(const char *in, const char *out, int warnings,
                         const int *lines) {
  cleaned c = sanitize(in, strlen(in));
  CHECK_INT(c.rc, 0);
  CHECK_INT(c.errors, 0);
  CHECK_INT(c.warnings, warnings);
  CHECK_INT(c.text.len, strlen(out));
  CHECK(c.text.data && memcmp(c.text.data, out, strlen(out)) == 0);
  const char *m = c.messages;
  for (int i = 0; i < warnings; i++) {
    char want[48];
    snprintf(want, sizeof want, "t.md:%d: warning: ", lines[i]);
    CHECK(m && strncmp(m, want, strlen(want)) == 0);
    const char *eol = m ? strchr(m, '\n') : NULL;
    CHECK(eol && memmem(m, (size_t)(eol - m), "U+FFFD", 6));
    m = eol ? eol + 1 : NULL;
  }
  CHECK(m && *m == '\0'); /* nothing else printed */
  release(&c);
}

static void expect_refused(const char *in, size_t len, const char *message) {
  cleaned c = sanitize(in, len);
  CHECK_INT(c.rc, DCONV_E_PARSE);
  CHECK_INT(c.errors, 1);
  CHECK_INT(c.warnings, 0);
  CHECK_STR(c.messages, message);
  release(&c);
}

static void test_sanitize(void) {
  static const int l1[] = {1}, l24[] = {2, 4}, l3[] = {3};

  expect_clean("## Daily Papers (2024-03-27)\n", "## Daily Papers (2024-03-27)\n",
               0, NULL);
  /* The BOM goes, nothing else changes. */
  expect_clean("\xEF\xBB\xBF## x\n", "## x\n", 0, NULL);
  /* A BOM later in the text is an ordinary (valid) character. */
  expect_clean("a\xEF\xBB\xBF\n", "a\xEF\xBB\xBF\n", 0, NULL);
  /* CRLF, lone CR and tabs are text (cmark reads CR LF line ends). */
  expect_clean("a\r\nb\rc\td\r\n", "a\r\nb\rc\td\r\n", 0, NULL);
  /* No final newline is fine. */
  expect_clean("## x", "## x", 0, NULL);

  /* Each bad byte is one U+FFFD; one warning per line however many. */
  expect_clean("ok\nbad \xFF here \xFE\nfine\n\xC3\n",
               "ok\nbad " FFFD " here " FFFD "\nfine\n" FFFD "\n", 2, l24);
  expect_clean("over \xC0\xAF long\n", "over " FFFD FFFD " long\n", 1, l1);
  expect_clean("sur \xED\xA0\x80\n", "sur " FFFD FFFD FFFD "\n", 1, l1);
  expect_clean("big \xF4\x90\x80\x80\n", "big " FFFD FFFD FFFD FFFD "\n", 1,
               l1);
  expect_clean("nonchar \xEF\xBF\xBE\xEF\xBF\xBF\n",
               "nonchar " FFFD FFFD FFFD FFFD FFFD FFFD "\n", 1, l1);
  /* A sequence cut short by a newline. */
  expect_clean("cut \xE2\x82\nnext\n", "cut " FFFD FFFD "\nnext\n", 1, l1);
  /* C0 controls other than tab, LF, CR; the line is counted with CRLF. */
  expect_clean("a\r\nb\r\nbell\x07 esc\x1B\r\n",
               "a\r\nb\r\nbell" FFFD " esc" FFFD "\r\n", 1, l3);
  /* After a BOM the lines still count from the first. */
  expect_clean("\xEF\xBB\xBF" "a\n\x01\n", "a\n" FFFD "\n", 1,
               (const int[]){2});
  /* U+FFFD itself and valid 2-, 3-, 4-byte characters are kept. */
  expect_clean(FFFD " \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n",
               FFFD " \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n", 0, NULL);

  /* Refused: empty, blank, a BOM alone. */
  expect_refused("", 0, "t.md:1: error: empty input, not a digest\n");
  expect_refused(" \t\r\n\n  ", 7, "t.md:1: error: empty input, not a digest\n");
  expect_refused("\xEF\xBB\xBF", 3,
                 "t.md:1: error: empty input, not a digest\n");
  expect_refused("\xEF\xBB\xBF\r\n", 5,
                 "t.md:1: error: empty input, not a digest\n");
  /* NUL: binary, at the NUL's line; the offset counts from the file's
   * first byte (BOM included). A NUL wins over bad UTF-8 before it. */
  expect_refused("ab\ncd\0ef", 8,
                 "t.md:2: error: binary data (NUL byte at offset 5), not a "
                 "digest\n");
  expect_refused("\xEF\xBB\xBF" "a\0", 5,
                 "t.md:1: error: binary data (NUL byte at offset 4), not a "
                 "digest\n");
  expect_refused("\xFF\n\n\n\0", 5,
                 "t.md:4: error: binary data (NUL byte at offset 4), not a "
                 "digest\n");
  expect_refused("\0", 1,
                 "t.md:1: error: binary data (NUL byte at offset 0), not a "
                 "digest\n");

  /* Without NULs: mostly non-UTF-8 bytes are binary, one error and no
   * warnings; a single bad byte in text is not. */
  char blob[1000];
  memset(blob, 0xFF, sizeof blob);
  expect_refused(blob, sizeof blob,
                 "t.md:1: error: binary data (1000 of 1000 bytes are not "
                 "UTF-8 text), not a digest\n");
  memset(blob, 'a', sizeof blob);
  blob[500] = (char)0xFF;
  cleaned c = sanitize(blob, sizeof blob);
  CHECK_INT(c.rc, 0);
  CHECK_INT(c.warnings, 1);
  CHECK_INT(c.text.len, sizeof blob + 2);
  release(&c);
}

static void test_clean_prefix(void) {
  static const struct {
    const char *s;
    size_t len, want;
  } cases[] = {
      {"", 0, 0},
      {"abc", 3, 3},
      {"a\tb\r\n", 5, 5},
      {"a\x01", 2, 1},
      {"\x1F", 1, 0},
      {"\x7F", 1, 1}, /* DEL is not a C0 control, and XML allows it */
      {"\xC3\xA9", 2, 2},
      {"\xE2\x82\xAC", 3, 3},
      {"\xF0\x9F\x98\x80", 4, 4},
      {"\xF4\x8F\xBF\xBF", 4, 4}, /* U+10FFFF, the last code point */
      {"\xEF\xBF\xBD", 3, 3},
      {"\xC0\xAF", 2, 0},         /* overlong '/' */
      {"\xC1\xBF", 2, 0},
      {"\xE0\x80\xAF", 3, 0},     /* overlong, 3 bytes */
      {"\xF0\x80\x80\xAF", 4, 0}, /* overlong, 4 bytes */
      {"\xED\xA0\x80", 3, 0},     /* surrogate U+D800 */
      {"\xED\xBF\xBF", 3, 0},     /* surrogate U+DFFF */
      {"\xF4\x90\x80\x80", 4, 0}, /* U+110000 */
      {"\xF5\x80\x80\x80", 4, 0},
      {"\xEF\xBF\xBE", 3, 0}, /* U+FFFE */
      {"\xEF\xBF\xBF", 3, 0}, /* U+FFFF */
      {"\x80", 1, 0},         /* lone continuation byte */
      {"ab\xE2\x82", 4, 2},   /* truncated at the end */
      {"\xC3" "A", 2, 0},     /* lead byte without continuation */
      /* The scanner reads eight ASCII bytes at a time: a bad byte at any
       * position within and after a word must still stop it. */
      {"abcdefghijklmnopq", 17, 17},
      {"abcdefgh\x1F", 9, 8},
      {"abcdefghijklm\xFF" "op", 16, 13},
      {"abcdefg\x01" "ijklmnop", 16, 7},
      {"\x01" "bcdefghijklmnop", 16, 0},
      {"abcdefgh\xC3\xA9" "ijklmnop\x02", 19, 18},
      {"a\0b", 3, 1}, /* NUL is a control too */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t got = dconv_input_clean_prefix(cases[i].s, cases[i].len);
    if (got != cases[i].want)
      fprintf(stderr, "clean_prefix case %zu\n", i);
    CHECK_INT(got, cases[i].want);
  }
}

static void test_append_clean(void) {
  dconv_buf b = DCONV_BUF_INIT;
  CHECK_INT(dconv_input_append_clean(&b, "a\xFF" "b\xC3", 4), 2);
  CHECK_STR(b.data, "a" FFFD "b" FFFD);
  /* Appends after what is there; clean text is copied unchanged. */
  CHECK_INT(dconv_input_append_clean(&b, "\xC3\xA9!", 3), 0);
  CHECK_STR(b.data, "a" FFFD "b" FFFD "\xC3\xA9!");
  CHECK_INT(dconv_input_append_clean(&b, "\x01\x02", 2), 2);
  CHECK_STR(b.data, "a" FFFD "b" FFFD "\xC3\xA9!" FFFD FFFD);
  CHECK_INT(dconv_input_append_clean(&b, "", 0), 0);
  dconv_buf_free(&b);
}

int main(void) {
  test_sanitize();
  test_clean_prefix();
  test_append_clean();
  return unit_finish("input");
}
