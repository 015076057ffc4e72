/* bibtex writer: placeholder until its issue lands. */
#include <dconv/plugin.h>

static int bibtex_convert(const dconv_host *h, dconv_export *ex) {
  return h->set_error(ex, DCONV_E_UNSUPPORTED, "the bibtex writer is not written yet");
}

static const dconv_plugin bibtex_plugin = {
    DCONV_PLUGIN_HEADER, 0, "bibtex", "0.0.1", "bibtex (not yet implemented)", "bibtex",
    NULL, 0, 0, NULL, bibtex_convert,
};

DCONV_PLUGIN_DEFINE(bibtex_plugin)
