/* epub writer: placeholder until its issue lands. */
#include <dconv/plugin.h>

static int epub_convert(const dconv_host *h, dconv_export *ex) {
  return h->set_error(ex, DCONV_E_UNSUPPORTED, "the epub writer is not written yet");
}

static const dconv_plugin epub_plugin = {
    DCONV_PLUGIN_HEADER, 0, "epub", "0.0.1", "epub (not yet implemented)", "epub",
    NULL, 0, 0, NULL, epub_convert,
};

DCONV_PLUGIN_DEFINE(epub_plugin)
