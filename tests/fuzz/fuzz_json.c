/* fuzz_json - parse, export as JSON to memory. Oracle: clean UTF-8 and JSON
 * lexically well-formed: no raw control characters or bad escapes inside
 * strings, brackets balanced and matched (checked with an explicit stack, so
 * the oracle itself cannot overflow on deep nesting). */
#define FUZZ_WRITER
#include "fuzz_common.h"

static void fuzz_check_output(const char *out, size_t len, const uint8_t *in,
                              size_t in_len) {
  (void)in, (void)in_len;
  FUZZ_ASSERT(dconv_input_clean_prefix(out, len) == len, "output is clean UTF-8");
  dconv_buf stack = DCONV_BUF_INIT;
  int in_str = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)out[i];
    if (in_str) {
      FUZZ_ASSERT(c >= 0x20, "no raw control character in a JSON string");
      if (c == '\\') {
        FUZZ_ASSERT(i + 1 < len && strchr("\"\\/bfnrtu", out[i + 1]),
                    "valid JSON escape");
        if (out[i + 1] == 'u') {
          FUZZ_ASSERT(i + 5 < len, "\\u has four hex digits");
          for (int k = 2; k < 6; k++)
            FUZZ_ASSERT(strchr("0123456789abcdefABCDEF", out[i + k]) &&
                            out[i + k],
                        "\\u has four hex digits");
        }
        i++;
      } else if (c == '"') {
        in_str = 0;
      }
      continue;
    }
    if (c == '"') {
      in_str = 1;
    } else if (c == '{' || c == '[') {
      FUZZ_ASSERT(dconv_buf_putc(&stack, (char)c) == 0, "memory");
    } else if (c == '}' || c == ']') {
      FUZZ_ASSERT(stack.len > 0, "JSON bracket closes something");
      char open = stack.data[--stack.len];
      FUZZ_ASSERT((open == '{' && c == '}') || (open == '[' && c == ']'),
                  "JSON brackets match");
    } else {
      FUZZ_ASSERT(c == ' ' || c == '\n' || c == '\t' || c == ',' ||
                      c == ':' || c == '-' || c == '.' ||
                      (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'),
                  "only JSON tokens outside strings");
    }
  }
  FUZZ_ASSERT(!in_str && stack.len == 0, "JSON text is complete");
  dconv_buf_free(&stack);
}
