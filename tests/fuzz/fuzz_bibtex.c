/* fuzz_bibtex - parse, export as BibTeX to memory. Oracle: clean UTF-8, and
 * braces balanced the way bibtex itself counts them (every '{' and '}',
 * backslash or not): never below zero, back to zero before each '@' entry
 * and at the end. */
#define FUZZ_WRITER
#include "fuzz_common.h"

static void fuzz_check_output(const char *out, size_t len, const uint8_t *in,
                              size_t in_len) {
  (void)in, (void)in_len;
  FUZZ_ASSERT(dconv_input_clean_prefix(out, len) == len, "output is clean UTF-8");
  long depth = 0;
  for (size_t i = 0; i < len; i++) {
    if (out[i] == '{')
      depth++;
    else if (out[i] == '}')
      FUZZ_ASSERT(--depth >= 0, "bibtex braces never go below zero");
    else if (out[i] == '@' && (i == 0 || out[i - 1] == '\n'))
      FUZZ_ASSERT(depth == 0, "each entry starts at brace depth zero");
  }
  FUZZ_ASSERT(depth == 0, "bibtex braces balanced at the end");
}
