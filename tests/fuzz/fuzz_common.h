/*
 * fuzz_common.h - the libFuzzer harness body shared by every tests/fuzz/
 * harness: the exact path `dconv` takes (input.c sanitize, parser.c into a
 * dconv_tree, doc finish), then, when FUZZ_WRITER is defined, one writer
 * exporting the tree to an in-memory output (core/output.h), followed by
 * the writer's own oracle (fuzz_check_output, defined by the harness).
 *
 * Writers are compiled into the harness (not dlopen'ed) so their code is
 * instrumented for coverage like the core's; each plugin's one exported
 * symbol, dconv_plugin_entry, is called directly, exactly as the loader
 * would after dlsym.
 */
#ifndef DCONV_FUZZ_COMMON_H
#define DCONV_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dconv/plugin.h>

#include "buf.h"
#include "diag.h"
#include "tree.h"
#include "host.h"
#include "input.h"
#include "loader.h"
#include "output.h"
#include "parser.h"

#define FUZZ_ASSERT(cond, what)                                                \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "fuzz oracle failed: %s (%s:%d)\n", what, __FILE__,      \
              __LINE__);                                                       \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static FILE *fuzz_devnull(void) {
  static FILE *f;
  if (!f)
    f = fopen("/dev/null", "w");
  return f ? f : stderr;
}

/* The parser's promise to plugins (TEXT in <dconv/plugin.h>): every string
 * in the tree is clean UTF-8. The parser checks only strings that could
 * hold a decoded character reference, so this is where a string cut
 * inside a character would show. */
static void fuzz_check_strings(const dconv_tree *doc) {
  dconv_iter *it = dconv_iter_new(doc->root);
  FUZZ_ASSERT(it != NULL, "iterator");
  const dconv_node *n;
  int ev;
  while ((ev = dconv_iter_next(it, &n)) != DCONV_EVENT_DONE) {
    if (ev != DCONV_EVENT_ENTER)
      continue;
    uint32_t cursor = 0, type;
    const char *key;
    while (dconv_node_attr_next(n, &cursor, &key, &type)) {
      const char *v = dconv_node_str(n, key);
      if (v)
        FUZZ_ASSERT(dconv_input_clean_prefix(v, strlen(v)) == strlen(v),
                    "every string in the tree is clean UTF-8");
    }
  }
  dconv_iter_free(it);
}

/* Parse `data` as dconv does; returns the document or NULL (rejected). */
static dconv_tree *fuzz_parse(const uint8_t *data, size_t size,
                             dconv_diag *diag) {
  dconv_diag_init(diag);
  diag->out = fuzz_devnull();
  dconv_buf text = DCONV_BUF_INIT;
  if (dconv_buf_append(&text, data, size))
    return NULL;
  if (!text.data) /* 0 bytes: still give sanitize a real (empty) buffer */
    dconv_buf_reserve(&text, 1);
  dconv_tree *doc = NULL;
  int r = dconv_input_sanitize("fuzz.md", &text, diag);
  if (!r) {
    FUZZ_ASSERT(dconv_input_clean_prefix(text.data, text.len) == text.len,
                "sanitized text is clean UTF-8");
    doc = dconv_tree_new();
    r = doc ? dconv_parse_digest(doc, "fuzz.md", text.data, text.len, diag)
            : DCONV_E_NOMEM;
    if (!r)
      r = dconv_tree_finish(doc, diag);
    if (!r)
      fuzz_check_strings(doc);
    if (r) {
      dconv_tree_free(doc);
      doc = NULL;
    }
  }
  dconv_buf_free(&text);
  return doc;
}

#ifdef FUZZ_WRITER
const dconv_plugin *dconv_plugin_entry(void);
/* The writer's oracle: abort() when `out` (len bytes) is not valid. */
static void fuzz_check_output(const char *out, size_t len,
                              const uint8_t *in, size_t in_len);

/* Export doc with this harness's writer into memory; returns 0 or DCONV_E_*.
 * *out gets a malloc'ed copy of the bytes (NUL-terminated), *len its size. */
static int fuzz_export(const dconv_tree *doc, char **out, size_t *len) {
  dconv_loaded l;
  memset(&l, 0, sizeof l);
  const dconv_plugin *d = dconv_plugin_entry();
  memcpy(&l.desc, d, d->struct_size < sizeof l.desc ? d->struct_size
                                                     : sizeof l.desc);
  l.path = (char *)"(built in)";
  dconv_diag diag;
  dconv_diag_init(&diag);
  diag.out = fuzz_devnull();
  dconv_output *o = dconv_output_open(NULL, &diag);
  FUZZ_ASSERT(o != NULL, "in-memory output opens");
  int rc = dconv_host_export(&l, NULL, doc, NULL, 0, o, &diag);
  *out = NULL;
  *len = 0;
  if (!rc) {
    const dconv_buf *m = dconv_output_memory(o);
    *len = m->len;
    *out = malloc(m->len + 1);
    FUZZ_ASSERT(*out != NULL, "malloc");
    if (m->len)
      memcpy(*out, m->data, m->len);
    (*out)[m->len] = '\0';
  }
  dconv_output_abort(o);
  return rc;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dconv_diag diag;
  dconv_tree *doc = fuzz_parse(data, size, &diag);
  if (!doc)
    return 0;
#ifdef FUZZ_WRITER
  char *out;
  size_t len;
  int rc = fuzz_export(doc, &out, &len);
  /* No writer may fail on a tree the parser accepted (only NOMEM is an
   * acceptable failure, and the fuzzer's malloc limit makes that rare). */
  FUZZ_ASSERT(rc == 0 || rc == DCONV_E_NOMEM, "writer accepts every tree");
  if (!rc)
    fuzz_check_output(out, len, data, size);
  free(out);
#endif
  dconv_tree_free(doc);
  return 0;
}

#endif
