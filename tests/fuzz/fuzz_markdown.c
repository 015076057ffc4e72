/* fuzz_markdown - parse, export as Markdown to memory. Oracle: the output is
 * clean UTF-8, parses again, and is idempotent (md(md(x)) == md(x)), which
 * README promises byte for byte. */
#define FUZZ_WRITER
#include "fuzz_common.h"

static void fuzz_check_output(const char *out, size_t len, const uint8_t *in,
                              size_t in_len) {
  (void)in, (void)in_len;
  FUZZ_ASSERT(dconv_input_clean_prefix(out, len) == len, "output is clean UTF-8");
  dconv_diag diag;
  dconv_tree *doc = fuzz_parse((const uint8_t *)out, len, &diag);
  FUZZ_ASSERT(doc != NULL, "markdown output parses again");
  char *again;
  size_t again_len;
  int rc = fuzz_export(doc, &again, &again_len);
  dconv_tree_free(doc);
  if (rc == DCONV_E_NOMEM)
    return;
  FUZZ_ASSERT(rc == 0, "second export succeeds");
  FUZZ_ASSERT(again_len == len && memcmp(again, out, len) == 0,
              "markdown is idempotent");
  free(again);
}
