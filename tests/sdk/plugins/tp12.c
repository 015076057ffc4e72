/*
 * tp12.c - the ABI 1.2 test plugin for tests/sdk/abi12.sh, using only
 * <dconv/plugin.h> as a third party would: "tp-pieces", a container writer
 * whose entries come in pieces (entry_open, write, entry_close).
 *
 *   titles.txt  every paper's title and a newline, one write() each;
 *   big.bin     -O mb=N MiB (default 1) of the bytes 'a'..'z' repeated, in
 *               64 KiB writes; left open with -O close=false (the host
 *               closes it when convert returns);
 *   -O fail=true  fails after big.bin's bytes were written, before
 *               closing it (nothing may reach the output).
 *
 * While big.bin is open it checks that the host refuses add_entry,
 * part_open and a second entry_open (DCONV_E_INVALID); a host that does
 * not fails the run with "not refused: ...".
 */
#include <dconv/plugin.h>

#include <stdlib.h>
#include <string.h>

#define TP_PIECE 65536

static int refused(const dconv_host *h, dconv_export *ex, int rc,
                   const char *what) {
  return rc == DCONV_E_INVALID
             ? 0
             : h->set_error(ex, DCONV_E_PLUGIN, "not refused: %s", what);
}

static int tp_titles(const dconv_host *h, dconv_export *ex) {
  int rc = h->entry_open(ex, "titles.txt", DCONV_ENTRY_DEFLATE);
  for (const dconv_node *d = h->node_first_child(h->root(ex)); !rc && d;
       d = h->node_next(d))
    for (const dconv_node *p = h->node_first_child(d); !rc && p;
         p = h->node_next(p)) {
      if (h->node_kind(p) != DCONV_NODE_PAPER)
        continue;
      const char *t = h->node_str(p, DCONV_ATTR_TITLE);
      if (t)
        rc = h->write(ex, t, strlen(t));
      if (!rc)
        rc = h->write(ex, "\n", 1);
    }
  return rc ? rc : h->entry_close(ex);
}

static int tp_convert(const dconv_host *h, dconv_export *ex) {
  if (!DCONV_HOST_HAS(h, entry_close))
    return h->set_error(ex, DCONV_E_ABI, "needs a 1.2 host");
  int rc = tp_titles(h, ex);
  const char *mb = h->option(ex, "mb");
  size_t left = (size_t)strtoul(mb ? mb : "1", NULL, 10) << 20;
  if (!rc)
    rc = h->entry_open(ex, "big.bin", DCONV_ENTRY_DEFLATE);
  if (!rc)
    rc = refused(h, ex, h->add_entry(ex, "x", "x", 1, 0), "add_entry");
  if (!rc)
    rc = refused(h, ex, h->part_open(ex, "p"), "part_open");
  if (!rc)
    rc = refused(h, ex, h->entry_open(ex, "y", 0), "a second entry_open");
  /* Byte k of big.bin is 'a' + k % 26: each write starts in the buffer
   * where the alphabet stands at the offset reached. */
  char *piece = h->alloc(TP_PIECE + 26);
  if (!rc && !piece)
    rc = DCONV_E_NOMEM;
  for (size_t i = 0; !rc && i < TP_PIECE + 26; i++)
    piece[i] = (char)('a' + i % 26);
  for (size_t at = 0; !rc && left;) {
    size_t n = left < TP_PIECE ? left : TP_PIECE;
    rc = h->write(ex, piece + at % 26, n);
    at += n;
    left -= n;
  }
  h->free(piece);
  const char *fail = h->option(ex, "fail"), *close = h->option(ex, "close");
  if (!rc && fail && strcmp(fail, "true") == 0)
    return h->set_error(ex, DCONV_E_PLUGIN, "deliberate failure in an entry");
  if (!rc && !(close && strcmp(close, "false") == 0))
    rc = h->entry_close(ex);
  return rc;
}

static const dconv_option tp_options[] = {
    {sizeof(dconv_option), DCONV_OPT_INT, "mb", "1", NULL,
     "MiB of big.bin"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "close", "true", NULL,
     "close big.bin (else the host does)"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "fail", "false", NULL,
     "fail inside big.bin"},
};

static const dconv_plugin tp_plugin = {
    DCONV_PLUGIN_HEADER, .name = "tp-pieces", .version = "1.2.0",
    .description = "test writer: zip entries in pieces", .extension = "zip",
    .flags = DCONV_PLUGIN_BINARY | DCONV_PLUGIN_CONTAINER,
    .options = tp_options, .n_options = 3, .convert = tp_convert};

DCONV_PLUGIN_DEFINE(tp_plugin)
