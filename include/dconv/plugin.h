/*
 * dconv/plugin.h - the dconv plugin ABI, version 1.
 *
 * A plugin is a shared module exporting exactly one symbol,
 * `dconv_plugin_entry`, which returns a pointer to a static const
 * `dconv_plugin` descriptor (write it with DCONV_PLUGIN_DEFINE). The host
 * checks the descriptor's version fields before calling anything else in it:
 *
 *   - abi_major must equal the host's DCONV_ABI_MAJOR;
 *   - abi_minor must be <= the host's DCONV_ABI_MINOR;
 *   - struct_size must cover every field of ABI 1.0.
 *
 * The host copies at most struct_size bytes into a zeroed descriptor of its
 * own, so fields appended in later minors read as 0/NULL for old plugins.
 *
 * Plugins never link libdconv. Everything they need from the host - the
 * document tree, options, logging, errors, memory and the output sink - is in
 * the `dconv_host` services table passed to `convert`.
 *
 * GROWTH RULES (binding for every 1.x release):
 *   1. Structs only grow at the end; fields are never reordered or removed.
 *   2. Every struct leads with its size (uint32_t struct_size).
 *   3. Only fixed-width integers and pointers appear in ABI structs.
 *   4. Node kinds and option types are open enums: skip what you don't know.
 *   5. Adding anything is a minor bump; removing or changing is a major bump.
 *
 * THREADS: plugins are loaded once and called on one thread; the tree is
 * immutable during an export.
 *
 * OWNERSHIP: whoever allocates frees. Strings and nodes from the host are
 * borrowed for the duration of `convert`. Buffers passed to the sink are
 * copied by the host before the call returns.
 *
 * ERRORS: every function returns 0 or a negative DCONV_E_* code. A plugin
 * reports the reason with host->set_error() and returns the code; it never
 * exits, aborts, longjmps or prints to stderr.
 */
#ifndef DCONV_PLUGIN_H
#define DCONV_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include <dconv/tree.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DCONV_ABI_MAJOR 1
#define DCONV_ABI_MINOR 0

/** Opaque handle for one conversion (tree + options + output sink). */
typedef struct dconv_export dconv_export;

/* ---------------------------------------------------------------- options */

/* Option value types (open enum). The host validates values before convert. */
#define DCONV_OPT_STRING 1u /* any UTF-8 string */
#define DCONV_OPT_BOOL 2u   /* "true" or "false" */
#define DCONV_OPT_INT 3u    /* decimal 64-bit integer */
#define DCONV_OPT_ENUM 4u   /* one of `choices`, separated by '|' */
#define DCONV_OPT_FILE 5u   /* path of an existing readable file */

/**
 * One declared option (`-O key=value`). Plugins declare them in a static
 * array; the host steps through the array using the first element's
 * struct_size as the stride, so the struct may grow.
 */
typedef struct dconv_option {
  uint32_t struct_size;      /* sizeof(dconv_option) at build time */
  uint32_t type;             /* DCONV_OPT_* */
  const char *key;           /* e.g. "lang" */
  const char *default_value; /* used when not given; NULL = no default */
  const char *choices;       /* DCONV_OPT_ENUM: "a|b|c", else NULL */
  const char *help;          /* one line, shown by `dconv --help FORMAT` */
} dconv_option;

/* ------------------------------------------------------------- descriptor */

/* Descriptor flags. */
#define DCONV_PLUGIN_BINARY 0x1u    /* output is binary: never a terminal */
#define DCONV_PLUGIN_CONTAINER 0x2u /* output is a zip built via add_entry */

/* Entry flags for host->add_entry. */
#define DCONV_ENTRY_DEFLATE 0x0u /* compress (the default) */
#define DCONV_ENTRY_STORE 0x1u   /* store uncompressed (e.g. EPUB mimetype) */

/** Wiring needed by the host to call a plugin. */
typedef struct dconv_host dconv_host;

/**
 * A named preset of the same writer, e.g. "kepub" = epub with kobo=true.
 * Shown by --list-formats and accepted by --to like a format name.
 */
typedef struct dconv_variant {
  uint32_t struct_size; /* sizeof(dconv_variant) at build time */
  uint32_t reserved;    /* 0 */
  const char *name;     /* format name for --to, e.g. "kepub" */
  const char *extension;   /* output file extension, e.g. "kepub.epub" */
  const char *options;     /* preset "key=value" pairs separated by ',' */
  const char *description; /* one line */
} dconv_variant;

/** The plugin descriptor. Return a pointer to a static const instance. */
typedef struct dconv_plugin {
  /* --- handshake: the host reads these three before anything else --- */
  uint32_t abi_major;   /* DCONV_ABI_MAJOR the plugin was built against */
  uint32_t abi_minor;   /* DCONV_ABI_MINOR the plugin was built against */
  uint32_t struct_size; /* sizeof(dconv_plugin) the plugin was built with */
  uint32_t flags;       /* DCONV_PLUGIN_* */

  /* --- identity (all required, static strings) --- */
  const char *name;        /* format name for --to: [a-z0-9_-]+ */
  const char *version;     /* plugin's own version, e.g. "1.0.0" */
  const char *description; /* one line */
  const char *extension;   /* default output extension, without dot */

  /* --- options (may be NULL/0) --- */
  const dconv_option *options;
  uint32_t n_options;
  uint32_t n_variants;
  const dconv_variant *variants; /* may be NULL */

  /**
   * Convert the document of `ex` and send the result to the sink
   * (host->write, or host->add_entry for DCONV_PLUGIN_CONTAINER).
   * Returns 0 or a negative DCONV_E_* code after host->set_error().
   */
  int (*convert)(const dconv_host *host, dconv_export *ex);
} dconv_plugin;

/* ----------------------------------------------------------- host services */

/* Log levels for host->log. */
#define DCONV_LOG_ERROR 0
#define DCONV_LOG_WARNING 1
#define DCONV_LOG_INFO 2
#define DCONV_LOG_DEBUG 3

#if defined(__GNUC__)
#define DCONV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DCONV_PRINTF(f, a)
#endif

/**
 * Services the host provides. Only ever grows at the end: test for a member
 * newer than ABI 1.0 with DCONV_HOST_HAS(host, member) before calling it.
 */
struct dconv_host {
  uint32_t struct_size; /* sizeof(dconv_host) in the running host */
  uint32_t abi_major;   /* the running host's ABI version */
  uint32_t abi_minor;
  uint32_t reserved;

  /* --- diagnostics --- */
  /** Print a diagnostic prefixed with the format name; WARNING may be
   *  promoted to an error by --strict (then returns DCONV_E_INVALID). */
  int (*log)(dconv_export *ex, int level, const char *fmt, ...)
      DCONV_PRINTF(3, 4);
  /** Like log(), but about a node: prefixed "file:line: warning: ". */
  int (*warn_at)(dconv_export *ex, const dconv_node *node, const char *fmt,
                 ...) DCONV_PRINTF(3, 4);
  /** Record why the export failed; returns `code` for convenience. */
  int (*set_error)(dconv_export *ex, int code, const char *fmt, ...)
      DCONV_PRINTF(3, 4);

  /* --- memory (malloc semantics; free(NULL) is a no-op) --- */
  void *(*alloc)(size_t size);
  void *(*realloc)(void *ptr, size_t size);
  void (*free)(void *ptr);

  /* --- options --- */
  /** Validated value of a declared option, or its default; NULL if the
   *  option is undeclared or has no default and was not given. Borrowed. */
  const char *(*option)(dconv_export *ex, const char *key);

  /* --- document tree (see dconv/tree.h) --- */
  const dconv_node *(*root)(dconv_export *ex);
  uint32_t (*node_kind)(const dconv_node *node);
  const dconv_node *(*node_parent)(const dconv_node *node);
  const dconv_node *(*node_first_child)(const dconv_node *node);
  const dconv_node *(*node_next)(const dconv_node *node);
  /** String attribute (UTF-8, NUL-terminated, borrowed) or NULL. */
  const char *(*node_str)(const dconv_node *node, const char *key);
  /** Integer attribute: 0 and *out set, or DCONV_E_NOTFOUND. */
  int (*node_int)(const dconv_node *node, const char *key, int64_t *out);
  /** Source position: *file borrowed; line is 1-based (0 = unknown). */
  void (*node_source)(const dconv_node *node, const char **file,
                      uint32_t *line);
  /** Plain text of a node's inline content (links keep their text).
   *  Returns a new NUL-terminated string the caller frees with host->free,
   *  or NULL on allocation failure. *len may be NULL. */
  char *(*node_flatten)(const dconv_node *node, size_t *len);

  dconv_iter *(*iter_new)(const dconv_node *root); /* NULL on ENOMEM */
  /** Next event (DCONV_EVENT_*); *node is set for ENTER/EXIT. */
  int (*iter_next)(dconv_iter *it, const dconv_node **node);
  void (*iter_free)(dconv_iter *it);

  /* --- output sink --- */
  /** Append bytes to the output (text and binary formats). */
  int (*write)(dconv_export *ex, const void *data, size_t len);
  /** Add a named zip entry (DCONV_PLUGIN_CONTAINER only); entries are
   *  written in call order with fixed timestamps. */
  int (*add_entry)(dconv_export *ex, const char *name, const void *data,
                   size_t len, uint32_t flags);

  /* --- utilities --- */
  /** SHA-1 of data into out[20] (stable ids: UUIDv5, Anki csum/GUID). */
  void (*sha1)(const void *data, size_t len, uint8_t out[20]);
  /** Build timestamp for reproducible output: $SOURCE_DATE_EPOCH when set,
   *  otherwise midnight UTC of the newest digest date (never "now"). */
  int64_t (*timestamp)(dconv_export *ex);
};

/** True when the running host provides `member` (added after ABI 1.0). */
#define DCONV_HOST_HAS(host, member)                                          \
  ((host)->struct_size >= offsetof(dconv_host, member) + sizeof((host)->member))

/* ------------------------------------------------------------ entry point */

#if defined(_WIN32)
#define DCONV_PLUGIN_EXPORT __declspec(dllexport)
#else
#define DCONV_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
#define DCONV_EXTERN_C extern "C"
#else
#define DCONV_EXTERN_C
#endif

/** Name of the one symbol a plugin exports. */
#define DCONV_PLUGIN_ENTRY_SYMBOL "dconv_plugin_entry"
typedef const dconv_plugin *(*dconv_plugin_entry_fn)(void);

/**
 * Define the entry point returning `descriptor` (a static const
 * dconv_plugin). Use once per plugin, at file scope.
 */
#define DCONV_PLUGIN_DEFINE(descriptor)                                        \
  DCONV_EXTERN_C DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(  \
      void);                                                                   \
  DCONV_EXTERN_C DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(  \
      void) {                                                                  \
    return &(descriptor);                                                      \
  }

/** Initialiser for the handshake fields of a descriptor. */
#ifdef __cplusplus
#define DCONV_PLUGIN_HEADER                                                    \
  DCONV_ABI_MAJOR, DCONV_ABI_MINOR, static_cast<uint32_t>(sizeof(dconv_plugin))
#else
#define DCONV_PLUGIN_HEADER                                                    \
  DCONV_ABI_MAJOR, DCONV_ABI_MINOR, (uint32_t)sizeof(dconv_plugin)
#endif

#ifdef __cplusplus
}
#endif

#endif /* DCONV_PLUGIN_H */
