/*
 * abi_layout.c - pins the plugin ABI's memory layout at compile time.
 *
 * Every ABI struct's size and every field's offset are fixed here for
 * x86_64 (LP64). A failing _Static_assert means the binary interface
 * changed: that is only allowed by the growth rules in <dconv/plugin.h>
 * (append at the end + minor bump, anything else + major bump); then update
 * the numbers here, the ABI baseline (tests/sdk/update-abi-baseline.sh) and
 * the version together. The constants plugins compile in (node kinds, error
 * codes, flags, option types) are pinned too: renumbering them breaks every
 * built plugin without changing a single struct.
 *
 * At run time it checks DCONV_HOST_HAS against hosts of several sizes.
 */
#include <dconv/plugin.h>
#include <dconv/tree.h>

#include <stddef.h>
#include <stdio.h>

#define SIZE(T, n) _Static_assert(sizeof(T) == (n), "sizeof(" #T ") changed")
#define OFF(T, f, n)                                                           \
  _Static_assert(offsetof(T, f) == (n), "offsetof(" #T ", " #f ") changed")

/* Layout-independent: the handshake leads the descriptor, sizes lead all. */
OFF(dconv_plugin, abi_major, 0);
OFF(dconv_plugin, abi_minor, 4);
OFF(dconv_plugin, struct_size, 8);
OFF(dconv_host, struct_size, 0);
OFF(dconv_option, struct_size, 0);
OFF(dconv_variant, struct_size, 0);

#if defined(__x86_64__) && defined(__LP64__)
#define DCONV_LAYOUT_PINNED 1

SIZE(dconv_plugin, 80);
OFF(dconv_plugin, flags, 12);
OFF(dconv_plugin, name, 16);
OFF(dconv_plugin, version, 24);
OFF(dconv_plugin, description, 32);
OFF(dconv_plugin, extension, 40);
OFF(dconv_plugin, options, 48);
OFF(dconv_plugin, n_options, 56);
OFF(dconv_plugin, n_variants, 60);
OFF(dconv_plugin, variants, 64);
OFF(dconv_plugin, convert, 72);

/* ABI 1.1: the extended descriptor; dconv_plugin itself stays 80 bytes. */
SIZE(dconv_plugin_ext, 136);
OFF(dconv_plugin_ext, base, 0);
OFF(dconv_plugin_ext, read, 80);
OFF(dconv_plugin_ext, probe, 88);
OFF(dconv_plugin_ext, read_extensions, 96);
OFF(dconv_plugin_ext, filter, 104);
OFF(dconv_plugin_ext, script_extensions, 112);
OFF(dconv_plugin_ext, script_load, 120);
OFF(dconv_plugin_ext, script_free, 128);

SIZE(dconv_option, 40);
OFF(dconv_option, type, 4);
OFF(dconv_option, key, 8);
OFF(dconv_option, default_value, 16);
OFF(dconv_option, choices, 24);
OFF(dconv_option, help, 32);

SIZE(dconv_variant, 40);
OFF(dconv_variant, reserved, 4);
OFF(dconv_variant, name, 8);
OFF(dconv_variant, extension, 16);
OFF(dconv_variant, options, 24);
OFF(dconv_variant, description, 32);

SIZE(dconv_host, 336);
OFF(dconv_host, abi_major, 4);
OFF(dconv_host, abi_minor, 8);
OFF(dconv_host, reserved, 12);
OFF(dconv_host, log, 16);
OFF(dconv_host, warn_at, 24);
OFF(dconv_host, set_error, 32);
OFF(dconv_host, alloc, 40);
OFF(dconv_host, realloc, 48);
OFF(dconv_host, free, 56);
OFF(dconv_host, option, 64);
OFF(dconv_host, root, 72);
OFF(dconv_host, node_kind, 80);
OFF(dconv_host, node_parent, 88);
OFF(dconv_host, node_first_child, 96);
OFF(dconv_host, node_next, 104);
OFF(dconv_host, node_str, 112);
OFF(dconv_host, node_int, 120);
OFF(dconv_host, node_source, 128);
OFF(dconv_host, node_flatten, 136);
OFF(dconv_host, iter_new, 144);
OFF(dconv_host, iter_next, 152);
OFF(dconv_host, iter_free, 160);
OFF(dconv_host, write, 168);
OFF(dconv_host, add_entry, 176);
OFF(dconv_host, sha1, 184);
OFF(dconv_host, timestamp, 192);
/* ABI 1.1 */
OFF(dconv_host, vlog, 200);
OFF(dconv_host, vwarn_at, 208);
OFF(dconv_host, vset_error, 216);
OFF(dconv_host, iter_skip, 224);
OFF(dconv_host, node_attr_next, 232);
OFF(dconv_host, node_add, 240);
OFF(dconv_host, node_set_str, 248);
OFF(dconv_host, node_set_int, 256);
OFF(dconv_host, node_unset, 264);
OFF(dconv_host, node_unlink, 272);
OFF(dconv_host, node_insert, 280);
OFF(dconv_host, part_open, 288);
OFF(dconv_host, part_close, 296);
OFF(dconv_host, output_name, 304);
OFF(dconv_host, plugin_path, 312);
/* ABI 1.2 */
OFF(dconv_host, entry_open, 320);
OFF(dconv_host, entry_close, 328);
#else
#define DCONV_LAYOUT_PINNED 0
#endif

/* Constants compiled into plugins: never renumbered within a major. */
#define VAL(c, v) _Static_assert((c) == (v), #c " changed")
VAL(DCONV_ABI_MAJOR, 1);
VAL(DCONV_OPT_STRING, 1u);
VAL(DCONV_OPT_BOOL, 2u);
VAL(DCONV_OPT_INT, 3u);
VAL(DCONV_OPT_ENUM, 4u);
VAL(DCONV_OPT_FILE, 5u);
VAL(DCONV_PLUGIN_BINARY, 0x1u);
VAL(DCONV_PLUGIN_CONTAINER, 0x2u);
VAL(DCONV_ENTRY_DEFLATE, 0x0u);
VAL(DCONV_ENTRY_STORE, 0x1u);
VAL(DCONV_LOG_ERROR, 0);
VAL(DCONV_LOG_WARNING, 1);
VAL(DCONV_LOG_INFO, 2);
VAL(DCONV_LOG_DEBUG, 3);
VAL(DCONV_NODE_NONE, 0u);
VAL(DCONV_NODE_COLLECTION, 1u);
VAL(DCONV_NODE_DIGEST, 2u);
VAL(DCONV_NODE_PAPER, 3u);
VAL(DCONV_NODE_AUTHOR, 4u);
VAL(DCONV_NODE_ITEM, 5u);
VAL(DCONV_NODE_TEXT, 6u);
VAL(DCONV_NODE_CODE, 7u);
VAL(DCONV_NODE_EMPH, 8u);
VAL(DCONV_NODE_STRONG, 9u);
VAL(DCONV_NODE_LINK, 10u);
VAL(DCONV_EVENT_DONE, 0);
VAL(DCONV_EVENT_ENTER, 1);
VAL(DCONV_EVENT_EXIT, 2);
VAL(DCONV_OK, 0);
VAL(DCONV_E_NOMEM, -1);
VAL(DCONV_E_INVALID, -2);
VAL(DCONV_E_IO, -3);
VAL(DCONV_E_PARSE, -4);
VAL(DCONV_E_NOTFOUND, -5);
VAL(DCONV_E_UNSUPPORTED, -6);
VAL(DCONV_E_ABI, -7);
VAL(DCONV_E_OPTION, -8);
VAL(DCONV_E_PLUGIN, -9);
VAL(DCONV_VALUE_STR, 1u);
VAL(DCONV_VALUE_INT, 2u);

static int fails;

static void expect(int ok, const char *what) {
  printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok)
    fails++;
}

int main(void) {
  /* DCONV_HOST_HAS must see exactly the members inside struct_size. */
  dconv_host h = {0};
  h.struct_size = (uint32_t)sizeof h;
  expect(DCONV_HOST_HAS(&h, entry_close), "full host has its last member");
  h.struct_size = 320; /* a 1.1 host */
  expect(DCONV_HOST_HAS(&h, plugin_path), "1.1 host has its last member");
  expect(!DCONV_HOST_HAS(&h, entry_open), "1.1 host lacks the 1.2 members");
  h.struct_size = 200; /* a 1.0 host */
  expect(DCONV_HOST_HAS(&h, timestamp), "1.0 host has its last member");
  expect(!DCONV_HOST_HAS(&h, vlog), "1.0 host lacks the 1.1 members");
  h.struct_size = (uint32_t)offsetof(dconv_host, timestamp);
  expect(!DCONV_HOST_HAS(&h, timestamp), "shorter host lacks it");
  expect(DCONV_HOST_HAS(&h, sha1), "shorter host still has the one before");
  h.struct_size = 16;
  expect(!DCONV_HOST_HAS(&h, log), "header-only host has no services");
  /* The descriptor initialiser plugins use. */
  static const dconv_plugin p = {DCONV_PLUGIN_HEADER, 0, "x", "1", "d", "e",
                                 NULL, 0, 0, NULL, NULL};
  expect(p.abi_major == DCONV_ABI_MAJOR && p.abi_minor == DCONV_ABI_MINOR &&
             p.struct_size == sizeof(dconv_plugin),
         "DCONV_PLUGIN_HEADER fills the handshake");
  static const dconv_plugin q = {DCONV_PLUGIN_HEADER_MIN(0), .name = "y"};
  expect(q.abi_major == DCONV_ABI_MAJOR && q.abi_minor == 0 &&
             q.struct_size == sizeof(dconv_plugin),
         "DCONV_PLUGIN_HEADER_MIN(0) asks only for 1.0");
  static const dconv_plugin_ext r = {.base = {DCONV_PLUGIN_EXT_HEADER, .name = "z"}};
  expect(r.base.abi_minor == DCONV_ABI_MINOR &&
             r.base.struct_size == sizeof(dconv_plugin_ext),
         "DCONV_PLUGIN_EXT_HEADER sizes the extended descriptor");
  expect(sizeof(DCONV_PLUGIN_ENTRY_SYMBOL) == sizeof "dconv_plugin_entry",
         "entry symbol name");
  printf("%s: layout pinned for x86_64 LP64\n",
         DCONV_LAYOUT_PINNED ? "ok" : "SKIP");
  return fails ? 1 : 0;
}
