/*
 * testplug.c - small plugins for the loader tests (tests/sdk/loader.sh).
 * One source, one shared module per case, chosen with -DTP_CASE=...:
 *
 *   TP_GOOD         a working plugin (one option, one variant); also built
 *                   against the frozen ABI 1.0 headers as "tp-abi10"
 *   (TP_NAME is the plugin's name, "tp-CASE"; TP_VARIANT its variant's)
 *   TP_MAJOR        declares the next ABI major
 *   TP_MINOR        declares the next ABI minor with a grown descriptor
 *   TP_NOENTRY      exports a function, but no dconv_plugin_entry
 *   TP_NULLENTRY    dconv_plugin_entry returns NULL
 *   TP_SMALL        a 16-byte descriptor (only the handshake fields)
 *   TP_NOCONVERT    required field 'convert' is NULL
 *   TP_BADNAME      name "Bad Name"
 *   TP_BADOPTION    an option entry without a key
 *   (TP_GOOD with TP_VARIANT "kepub": a variant name epub already has)
 *   TP_DUP          a second plugin named "json"
 *   TP_FAIL         convert reports an error with set_error
 *   TP_SILENTFAIL   convert returns an error without saying why
 *   TP_UNDEFINED    references a function nobody defines (dlopen fails)
 *   TP_WARN         warns about the first paper; stops if that returns an
 *                   error (--strict), like the built-in writers
 *   TP_CRASHCTOR    a constructor that dies of SIGSEGV as the file loads
 *   TP_CRASH        convert dies of SIGSEGV after writing a little
 *   TP_ABORT        convert calls abort()
 *   TP_EXIT         convert calls exit(0) after writing a little
 *   TP_PRINTF       printf()s (constructor and convert) besides writing
 *   TP_ERRZERO      set_error, then returns 0 (still a failure)
 *   TP_NOISY        set_error with an escape sequence and 10,000 bytes
 *   TP_BADENUM      an enum option whose default is not one of its choices
 *   TP_BADTYPE      an option of an unknown type
 *   TP_BADBOOL      a boolean option defaulting to "maybe"
 *   TP_DUPKEY       two options with the same key
 */
#include <dconv/plugin.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TP_GOOD 1
#define TP_MAJOR 2
#define TP_MINOR 3
#define TP_NOENTRY 4
#define TP_NULLENTRY 5
#define TP_SMALL 6
#define TP_NOCONVERT 7
#define TP_BADNAME 8
#define TP_BADOPTION 9
#define TP_DUP 10
#define TP_FAIL 11
#define TP_SILENTFAIL 12
#define TP_UNDEFINED 13
#define TP_WARN 14
#define TP_CRASHCTOR 15
#define TP_CRASH 16
#define TP_ABORT 17
#define TP_EXIT 18
#define TP_PRINTF 19
#define TP_ERRZERO 20
#define TP_NOISY 21
#define TP_BADENUM 22
#define TP_BADTYPE 23
#define TP_BADBOOL 24
#define TP_DUPKEY 25

#ifndef TP_CASE
#error "define TP_CASE"
#endif

#ifndef TP_NAME
#define TP_NAME "tp-good"
#endif
#ifndef TP_VARIANT
#define TP_VARIANT TP_NAME "-loud"
#endif

#if TP_CASE == TP_UNDEFINED
extern int dconv_tp_nowhere(void);
#endif

#if TP_CASE == TP_CRASHCTOR || TP_CASE == TP_PRINTF
/* Runs inside dlopen(), before the host has seen a descriptor. */
__attribute__((constructor)) static void tp_ctor(void) {
#if TP_CASE == TP_CRASHCTOR
  raise(SIGSEGV);
#else
  printf("constructor noise\n");
  fflush(stdout);
#endif
}
#endif

/* Counts the papers and writes "NAME: N papers, greeting=G\n". */
#if TP_CASE == TP_NOCONVERT
__attribute__((unused))
#endif
static int tp_convert(const dconv_host *h, dconv_export *ex) {
  long n = 0;
  dconv_iter *it = h->iter_new(h->root(ex));
  if (!it)
    return h->set_error(ex, DCONV_E_NOMEM, "out of memory");
  const dconv_node *node;
  int ev, rc = 0;
  while ((ev = h->iter_next(it, &node)) != DCONV_EVENT_DONE)
    if (ev == DCONV_EVENT_ENTER && h->node_kind(node) == DCONV_NODE_PAPER) {
#if TP_CASE == TP_WARN
      if (n == 0)
        rc = h->warn_at(ex, node, "first paper noticed");
#endif
      n++;
    }
  h->iter_free(it);
  if (rc)
    return h->set_error(ex, rc, "warning treated as an error (--strict)");
#if TP_CASE == TP_FAIL
  return h->set_error(ex, DCONV_E_PLUGIN, "deliberate failure after %ld papers",
                      n);
#elif TP_CASE == TP_SILENTFAIL
  return DCONV_E_INVALID;
#elif TP_CASE == TP_ERRZERO
  h->set_error(ex, DCONV_E_PLUGIN, "failed, then returned 0");
  return 0;
#elif TP_CASE == TP_NOISY
  char noise[10000];
  memset(noise, 'x', sizeof noise - 1);
  noise[sizeof noise - 1] = '\0';
  return h->set_error(ex, DCONV_E_PLUGIN, "\033[2J\033]0;owned\007%s", noise);
#elif TP_CASE == TP_CRASH || TP_CASE == TP_ABORT || TP_CASE == TP_EXIT
  h->write(ex, "partial\n", 8);
#if TP_CASE == TP_CRASH
  raise(SIGSEGV);
#elif TP_CASE == TP_ABORT
  abort();
#else
  exit(0);
#endif
  return 0;
#else
#if TP_CASE == TP_PRINTF
  printf("convert noise\n");
  fflush(stdout);
#endif
  char line[200];
  const char *greeting = h->option(ex, "greeting");
  size_t len = (size_t)snprintf(line, sizeof line, "%s: %ld papers, greeting=%s\n",
                                TP_NAME, n, greeting ? greeting : "(none)");
#if TP_CASE == TP_UNDEFINED
  len += (size_t)dconv_tp_nowhere();
#endif
  return h->write(ex, line, len < sizeof line ? len : sizeof line - 1);
#endif
}

static const dconv_option tp_options[] = {
#if TP_CASE == TP_BADOPTION
    {sizeof(dconv_option), DCONV_OPT_STRING, NULL, "hi", NULL, "no key"},
#elif TP_CASE == TP_BADENUM
    {sizeof(dconv_option), DCONV_OPT_ENUM, "greeting", "howdy", "hello|hi",
     "a word to print"},
#elif TP_CASE == TP_BADTYPE
    {sizeof(dconv_option), 42, "greeting", "hello", NULL,
     "a word to print"},
#elif TP_CASE == TP_BADBOOL
    {sizeof(dconv_option), DCONV_OPT_BOOL, "greeting", "maybe", NULL,
     "a word to print"},
#elif TP_CASE == TP_DUPKEY
    {sizeof(dconv_option), DCONV_OPT_STRING, "greeting", "hello", NULL,
     "a word to print"},
    {sizeof(dconv_option), DCONV_OPT_STRING, "greeting", "hi", NULL,
     "the same key again"},
#else
    {sizeof(dconv_option), DCONV_OPT_STRING, "greeting", "hello", NULL,
     "a word to print"},
#endif
};

static const dconv_variant tp_variants[] = {
    {sizeof(dconv_variant), 0, TP_VARIANT, "txt", "greeting=HELLO",
     "the same, louder"},
};

#if TP_CASE == TP_MAJOR
#define TP_HEADER DCONV_ABI_MAJOR + 1, 0, (uint32_t)sizeof(dconv_plugin)
#elif TP_CASE == TP_MINOR
/* What a plugin built against a future 1.(n+1) looks like: a longer
 * descriptor with a field this host does not know. */
typedef struct tp_future_plugin {
  dconv_plugin v1;
  const char *field_from_the_future;
} tp_future_plugin;
#define TP_HEADER                                                              \
  DCONV_ABI_MAJOR, DCONV_ABI_MINOR + 1, (uint32_t)sizeof(tp_future_plugin)
#else
#define TP_HEADER DCONV_PLUGIN_HEADER
#endif

#if TP_CASE == TP_BADNAME
#define TP_DESC_NAME "Bad Name"
#elif TP_CASE == TP_DUP
#define TP_DESC_NAME "json"
#else
#define TP_DESC_NAME TP_NAME
#endif

#if TP_CASE == TP_NOCONVERT
#define TP_CONVERT NULL
#else
#define TP_CONVERT tp_convert
#endif

/* The descriptor as an initializer, because TP_MINOR embeds it in a longer
 * struct: C allows only constant expressions there, not a copy of another
 * object (GCC accepts one as an extension, clang refuses it). */
#define TP_DESCRIPTOR                                                          \
  {                                                                            \
    TP_HEADER, 0, TP_DESC_NAME, "0.7.1", "loader test plugin", "txt",         \
        tp_options, (uint32_t)(sizeof tp_options / sizeof tp_options[0]), 1, \
        tp_variants, TP_CONVERT                              \
  }

#if TP_CASE != TP_MINOR
static const dconv_plugin tp_plugin = TP_DESCRIPTOR;
#endif

#if TP_CASE == TP_MINOR
static const tp_future_plugin tp_future = {TP_DESCRIPTOR, "new"};
DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(void);
DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(void) {
  return &tp_future.v1;
}
#elif TP_CASE == TP_NOENTRY
DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry_v2(void);
DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry_v2(void) {
  return &tp_plugin;
}
#elif TP_CASE == TP_NULLENTRY
DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(void);
DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(void) {
  return (void)tp_plugin, NULL;
}
#elif TP_CASE == TP_SMALL
/* Only the handshake and flags: 16 bytes, far less than ABI 1.0 needs. */
static const uint32_t tp_small[4] = {DCONV_ABI_MAJOR, DCONV_ABI_MINOR, 16, 0};
DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(void);
DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(void) {
  (void)tp_plugin;
  return (const dconv_plugin *)(const void *)tp_small;
}
#else
DCONV_PLUGIN_DEFINE(tp_plugin)
#endif
