/*
 * json_read.h - the reader side of the json module (json_read.c), for the
 * descriptor in json.c. Both are dconv_plugin_ext callbacks; see
 * <dconv/plugin.h> for their contracts.
 */
#ifndef DCONV_PLUGINS_JSON_READ_H
#define DCONV_PLUGINS_JSON_READ_H

#include <dconv/plugin.h>

/** `read`: dconv's own JSON (the writer's output) into the tree. */
int json_read(const dconv_host *h, dconv_export *ex, const char *name,
              const char *data, size_t len);

/** `probe`: 100 for an object carrying "dconv-json", else 0. */
int json_probe(const char *name, const char *data, size_t len);

#endif
