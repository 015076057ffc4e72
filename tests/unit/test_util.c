/*
 * Unit tests of include/dconv/util.h's byte writers: JSON string escaping
 * (every kind of escape, at the start, in the middle and at the end of a
 * string, and strings without any) and decimal integers against what
 * printf writes for them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <dconv/util.h>

#include "unit.h"

static void *test_realloc(void *p, size_t n) { return realloc(p, n); }
static void test_free(void *p) { free(p); }

static dconv_host host;

/* The buffer's bytes as a static string (the last result only), after
 * checking that it is NUL-terminated where its length says. */
static const char *take(dconv_util_buf *b) {
  static char out[1024];
  CHECK(!b->failed);
  CHECK(b->data && b->data[b->len] == '\0' && strlen(b->data) == b->len);
  snprintf(out, sizeof out, "%s", b->data ? b->data : "");
  dconv_util_buf_free(b);
  return out;
}

static const char *json(const char *in) {
  dconv_util_buf b;
  dconv_util_buf_init(&b, &host);
  dconv_util_put_json(&b, in);
  return take(&b);
}

/* put_int after a prefix, so appending (not only a fresh buffer) is
 * exercised. */
static const char *num(int64_t v, unsigned min_digits) {
  dconv_util_buf b;
  dconv_util_buf_init(&b, &host);
  dconv_util_buf_putc(&b, '<');
  dconv_util_buf_put_int(&b, v, min_digits);
  dconv_util_buf_putc(&b, '>');
  return take(&b);
}

/* put_int and printf agree on v (with "%0*" PRId64 for min_digits). */
static int same_as_printf(int64_t v, unsigned min_digits) {
  char want[64];
  snprintf(want, sizeof want, "<%0*" PRId64 ">", (int)min_digits, v);
  return strcmp(num(v, min_digits), want) == 0;
}

int main(void) {
  host.realloc = test_realloc;
  host.free = test_free;

  /* JSON strings */
  CHECK_STR(json(""), "\"\"");
  CHECK_STR(json("plain text, 한국어 and é"), "\"plain text, 한국어 and é\"");
  CHECK_STR(json("\"quoted\""), "\"\\\"quoted\\\"\"");
  CHECK_STR(json("a\\b"), "\"a\\\\b\"");
  CHECK_STR(json("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  CHECK_STR(json("x\x01y\x1Fz\x0B"), "\"x\\u0001y\\u001fz\\u000b\"");
  CHECK_STR(json("end\n"), "\"end\\n\"");
  CHECK_STR(json("\"\""), "\"\\\"\\\"\"");
  CHECK_STR(json("/ ' < > & \x7F ^ ` ]"), "\"/ ' < > & \x7F ^ ` ]\"");
  {
    /* a long run after an escape: the buffer grows in the middle */
    char in[700], want[720];
    memset(in, 'a', sizeof in - 1);
    in[0] = '\t';
    in[sizeof in - 1] = '\0';
    snprintf(want, sizeof want, "\"\\t%s\"", in + 1);
    CHECK_STR(json(in), want);
  }
  {
    /* appending to a buffer that already holds bytes */
    dconv_util_buf b;
    dconv_util_buf_init(&b, &host);
    dconv_util_buf_puts(&b, "[");
    dconv_util_put_json(&b, "a");
    dconv_util_buf_putc(&b, ',');
    dconv_util_put_json(&b, "b\"");
    dconv_util_buf_putc(&b, ']');
    CHECK_STR(take(&b), "[\"a\",\"b\\\"\"]");
  }

  /* integers */
  CHECK_STR(num(0, 0), "<0>");
  CHECK_STR(num(7, 0), "<7>");
  CHECK_STR(num(-7, 0), "<-7>");
  CHECK_STR(num(2024, 4), "<2024>");
  CHECK_STR(num(3, 2), "<03>");
  CHECK_STR(num(12, 1), "<12>");
  CHECK_STR(num(INT64_MAX, 0), "<9223372036854775807>");
  CHECK_STR(num(INT64_MIN, 0), "<-9223372036854775808>");
  static const int64_t values[] = {0, 1, 9, 10, 99, 100, 999, 1000, 12345,
                                   -1, -10, -12345, 4294967295,
                                   INT64_MAX, INT64_MIN + 1, INT64_MIN};
  for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
    CHECK(same_as_printf(values[i], 0));
    if (values[i] >= 0) /* printf's width counts a '-'; min_digits not */
      for (unsigned w = 1; w <= 6; w++)
        CHECK(same_as_printf(values[i], w));
  }
  return unit_finish("util");
}
