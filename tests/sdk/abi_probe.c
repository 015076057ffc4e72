/*
 * abi_probe.c - a shared object whose only export uses every public ABI
 * type, so `abidw` sees the whole plugin ABI (tests/sdk/abi.sh compares it
 * with tests/sdk/abi-baseline.xml). Never loaded by dconv.
 */
#include <dconv/plugin.h>
#include <dconv/tree.h>

DCONV_PLUGIN_EXPORT void dconv_abi_probe(const dconv_plugin *plugin,
                                         const dconv_host *host,
                                         const dconv_option *option,
                                         const dconv_variant *variant,
                                         const dconv_node *node,
                                         dconv_iter *iter, dconv_export *ex,
                                         dconv_plugin_entry_fn entry);

DCONV_PLUGIN_EXPORT void dconv_abi_probe(const dconv_plugin *plugin,
                                         const dconv_host *host,
                                         const dconv_option *option,
                                         const dconv_variant *variant,
                                         const dconv_node *node,
                                         dconv_iter *iter, dconv_export *ex,
                                         dconv_plugin_entry_fn entry) {
  (void)plugin, (void)host, (void)option, (void)variant, (void)node;
  (void)iter, (void)ex, (void)entry;
}

/* ABI 1.1: a second export, so the 1.0 probe above keeps its signature
 * (abidiff would call a changed parameter list a break). */
DCONV_PLUGIN_EXPORT void dconv_abi_probe_1_1(const dconv_plugin_ext *plugin);
DCONV_PLUGIN_EXPORT void dconv_abi_probe_1_1(const dconv_plugin_ext *plugin) {
  (void)plugin;
}
