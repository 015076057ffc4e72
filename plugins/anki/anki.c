/* anki writer: placeholder until its issue lands. */
#include <dconv/plugin.h>

static int anki_convert(const dconv_host *h, dconv_export *ex) {
  return h->set_error(ex, DCONV_E_UNSUPPORTED, "the anki writer is not written yet");
}

static const dconv_plugin anki_plugin = {
    DCONV_PLUGIN_HEADER, 0, "anki", "0.0.1", "anki (not yet implemented)", "anki",
    NULL, 0, 0, NULL, anki_convert,
};

DCONV_PLUGIN_DEFINE(anki_plugin)
