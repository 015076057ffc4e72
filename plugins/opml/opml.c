/* opml writer: placeholder until its issue lands. */
#include <dconv/plugin.h>

static int opml_convert(const dconv_host *h, dconv_export *ex) {
  return h->set_error(ex, DCONV_E_UNSUPPORTED, "the opml writer is not written yet");
}

static const dconv_plugin opml_plugin = {
    DCONV_PLUGIN_HEADER, 0, "opml", "0.0.1", "opml (not yet implemented)", "opml",
    NULL, 0, 0, NULL, opml_convert,
};

DCONV_PLUGIN_DEFINE(opml_plugin)
