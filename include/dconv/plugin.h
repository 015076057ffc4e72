/*
 * dconv/plugin.h - the dconv plugin ABI, version 1 (minor 2).
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
 * The 1.0 `dconv_plugin` itself is frozen; later fields are appended to
 * `dconv_plugin_ext`, which begins with a dconv_plugin.
 *
 * A plugin plays one or more ROLES, chosen by which callbacks it sets:
 *
 *   writer  `convert`: turns the tree into output (--to NAME; every 1.0
 *           plugin is a writer);
 *   reader  `read` of dconv_plugin_ext (ABI 1.1): turns input bytes into a
 *           tree (--from NAME, or detected);
 *   filter  `filter` of dconv_plugin_ext (ABI 1.1): edits the tree between
 *           reading and writing (--filter NAME).
 *
 * A run is: every input through its reader (the built-in Markdown digest
 * parser unless --from or detection picks a reader plugin), the host's
 * checks (clean strings, valid dates, the tree shape of <dconv/tree.h>),
 * sorting by date and the duplicate-id report, then each --filter in
 * command-line order (the checks run again after each), then the writer.
 * The one verb for the writer's operation is "convert".
 *
 * Plugins never link libdconv. Everything they need from the host - the
 * document tree, options, logging, errors, memory and the output sink - is in
 * the `dconv_host` services table passed to each callback, together with a
 * `dconv_export *` handle for the current run of that plugin (the name is
 * ABI 1.0's; the handle serves readers and filters as well).
 *
 * GROWTH RULES (binding for every 1.x release):
 *   1. Structs only grow at the end; fields are never reordered or removed.
 *   2. Every struct leads with its size (uint32_t struct_size).
 *   3. Only fixed-width integers and pointers appear in ABI structs.
 *   4. Node kinds, option types, value types and flags are open enums: skip
 *      what you don't know.
 *   5. Adding anything is a minor bump; removing or changing is a major bump.
 *
 * NEEDING ONLY AN OLDER MINOR: DCONV_PLUGIN_HEADER stamps the minor of the
 * headers you compile with, so an older host rejects the plugin ("needs ABI
 * 1.1, upgrade dconv"). A plugin that can do without the newer services
 * declares the minor it really needs with DCONV_PLUGIN_HEADER_MIN(0), and
 * tests each newer member with DCONV_HOST_HAS before calling it. (A reader
 * or filter needs DCONV_PLUGIN_HEADER_MIN(1): a 1.0 host knows no `read`.)
 *
 * THREADS: plugins are loaded once and called on one thread, one callback
 * at a time; writers see an immutable tree.
 *
 * OWNERSHIP: whoever allocates frees. Strings and nodes from the host are
 * borrowed for the duration of the callback (nodes a reader or filter
 * unlinked stay valid until the callback returns). Buffers passed to the
 * host (write, add_entry, node_set_str) are copied before the call returns.
 *
 * TEXT: every string the host hands a plugin (attributes, flattened text,
 * option values) is valid UTF-8 without C0 control characters other than
 * tab, LF and CR, without surrogates and without U+FFFE/U+FFFF: the host
 * cleans digest text, what readers and filters set (node_set_str) and -O
 * values alike. A writer of XML needs no check of its own. File names from
 * node_source are cleaned the same way (U+FFFD for bytes that are not).
 *
 * ERRORS: every function returns 0 or a negative DCONV_E_* code
 * (<dconv/errors.h>). A plugin reports the reason with host->set_error()
 * and returns the code; it never exits, aborts, longjmps or prints to
 * stderr. The host supplies a message itself for DCONV_E_NOMEM ("out of
 * memory") and for a warning stopped by --strict, so returning the code of
 * a failed host call is enough there.
 */
#ifndef DCONV_PLUGIN_H
#define DCONV_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <dconv/errors.h>
#include <dconv/tree.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DCONV_ABI_MAJOR 1
#define DCONV_ABI_MINOR 2

/** Opaque handle for one run of one plugin: a writer's conversion (tree +
 *  options + output sink), a reader's pass over one input, or a filter's
 *  pass over the tree. Valid for the duration of the callback. */
typedef struct dconv_export dconv_export;

/* ---------------------------------------------------------------- options */

/* Option value types (open enum). The host validates values before it
 * calls the plugin, and a bad value is a usage error (exit status 2). */
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

/** The services table the host gives every plugin callback (see below). */
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

/**
 * The plugin descriptor of ABI 1.0, frozen: it never grows, so a 1.0
 * plugin's positional initialiser keeps compiling warning-free (also under
 * -Wextra -Werror, and in C++ before C++20). Everything later minors add to
 * the descriptor lives in dconv_plugin_ext, which starts with this struct.
 * A writer needs only this; return a pointer to a static const instance.
 *
 * The trap of 1.0: `n_variants` comes BEFORE `variants`, the opposite of
 * `options`, `n_options`, so a positional initialiser written from memory
 * swaps them. Prefer designated initialisers (C99, C++20):
 *
 *   static const dconv_plugin desc = {
 *       DCONV_PLUGIN_HEADER,
 *       .name = "ris", .version = "1.0.0", .description = "RIS",
 *       .extension = "ris", .convert = ris_convert};
 *   DCONV_PLUGIN_DEFINE(desc)
 */
typedef struct dconv_plugin {
  /* --- handshake: the host reads these three before anything else --- */
  uint32_t abi_major;   /* DCONV_ABI_MAJOR the plugin was built against */
  uint32_t abi_minor;   /* the minor it needs (see DCONV_PLUGIN_HEADER_MIN) */
  uint32_t struct_size; /* sizeof the whole descriptor: dconv_plugin, or
                           dconv_plugin_ext when it is the ext's `base` */
  uint32_t flags;       /* DCONV_PLUGIN_* */

  /* --- identity (all required, static strings) --- */
  const char *name;        /* the name for --to, --from, --filter: [a-z0-9_-]+ */
  const char *version;     /* plugin's own version, e.g. "1.0.0" */
  const char *description; /* one line */
  const char *extension;   /* writers: default output extension, without
                              the dot; readers and filters: "" */

  /* --- options (may be NULL/0) --- */
  const dconv_option *options;
  uint32_t n_options;
  uint32_t n_variants;           /* frozen before `variants` (see above) */
  const dconv_variant *variants; /* may be NULL */

  /**
   * WRITER. Convert the document of `ex` and send the result to the sink
   * (host->write, or host->add_entry for DCONV_PLUGIN_CONTAINER; several
   * files with host->part_open). Returns 0 or a negative DCONV_E_* code
   * after host->set_error(). Required in ABI 1.0; since 1.1 it may be NULL
   * in the `base` of a dconv_plugin_ext that is only a reader or a filter.
   */
  int (*convert)(const dconv_host *host, dconv_export *ex);
} dconv_plugin;

/**
 * The extended descriptor (ABI 1.1): the 1.0 descriptor, then the reader
 * and filter roles. Later minors append here (only at the end). Set
 * base.struct_size to sizeof(dconv_plugin_ext) with DCONV_PLUGIN_EXT_HEADER
 * and export &desc.base:
 *
 *   static const char *const exts[] = {"json", NULL};
 *   static const dconv_plugin_ext desc = {
 *       .base = {DCONV_PLUGIN_EXT_HEADER, .name = "hf", .version = "1.0.0",
 *                .description = "Hugging Face Daily Papers JSON",
 *                .extension = ""},
 *       .read = hf_read, .probe = hf_probe, .read_extensions = exts};
 *   DCONV_PLUGIN_DEFINE(desc.base)
 *
 * The host copies at most base.struct_size bytes into a zeroed
 * dconv_plugin_ext of its own, exactly as for a 1.0 descriptor.
 */
typedef struct dconv_plugin_ext {
  dconv_plugin base; /* handshake, identity, options; convert for writers */

  /**
   * READER. Build the tree from one input: `data` holds the input's `len`
   * raw bytes exactly as read (plus a terminating NUL not counted in len);
   * `name` is the input's name for messages ("<stdin>" or the path). Add
   * DIGEST nodes under host->root(ex) with host->node_add and set their
   * attributes; node_add's `file` NULL means `name`. Afterwards the host
   * checks the result as it checks a parsed digest (see the top of this
   * file) and reports each problem at the node's file and line. Return 0,
   * or DCONV_E_PARSE after set_error() (naming the line) when the input is
   * not in the reader's format. NULL for a plugin that is not a reader.
   */
  int (*read)(const dconv_host *host, dconv_export *ex, const char *name,
              const char *data, size_t len);

  /**
   * READER. How sure the reader is that an input is its format, so that
   * --from is optional: 0 = not mine ... 100 = certain (e.g. 90 for the
   * right top-level JSON keys). `data` is the start of the input (at most
   * 64 KiB, NUL-terminated, `len` bytes), `name` its name. No host
   * services, no side effects, keeps no pointer. May be NULL: then an input
   * whose name ends in ".EXT" for one of read_extensions scores 50.
   */
  int (*probe)(const char *name, const char *data, size_t len);

  /**
   * READER. File name extensions the reader claims, without the dot, as a
   * NULL-terminated array ({"json", NULL}); may be NULL. Without --from,
   * the host asks every reader claiming the input's extension (every reader
   * with a probe when none claims it, e.g. for stdin); the highest score
   * above 0 wins (the first loaded on a tie), and otherwise the input is a
   * Markdown digest for the built-in parser.
   */
  const char *const *read_extensions;

  /**
   * FILTER. Edit the tree of host->root(ex) in place: remove or reorder
   * digests and papers (host->node_unlink, host->node_insert), change
   * attributes (host->node_set_str/_int, host->node_unset). The host checks
   * the shape again afterwards and recounts digests and papers. NULL for a
   * plugin that is not a filter.
   */
  int (*filter)(const dconv_host *host, dconv_export *ex);

  /**
   * SCRIPT HOST. File name extensions, without the dot, of the scripts this
   * plugin runs, as a NULL-terminated array ({"lua", NULL}); NULL for a
   * plugin that runs none. Each such script becomes a plugin of its own,
   * with the name, options and roles script_load reports. The host finds
   * scripts in the plugin directories (after the modules of the same
   * directory, with the same ownership and permission checks), and loads
   * one named by its path as the NAME of --to, --filter or --help (a name
   * with '/' or ending in ".EXT"; no checks, like --plugin).
   */
  const char *const *script_extensions;
  /**
   * SCRIPT HOST. Describe the script at `path` (absolute). Returns a
   * descriptor the plugin allocated - a dconv_plugin, or the base of a
   * dconv_plugin_ext - whose callbacks are the plugin's own: when called,
   * they find the script they run with host->plugin_path(ex). The host
   * checks it like a module's descriptor and releases it with script_free.
   * Returns NULL after writing a one-line reason (e.g. "x.lua:3: syntax
   * error near 'end'") into why[0..why_len).
   */
  const dconv_plugin *(*script_load)(const char *path, char *why,
                                     size_t why_len);
  /** SCRIPT HOST. Release a descriptor script_load returned. */
  void (*script_free)(const dconv_plugin *desc);
} dconv_plugin_ext;

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
 * newer than the minor you declared with DCONV_HOST_HAS(host, member)
 * before calling it (a plugin declaring minor 1 may call every member
 * below unconditionally: the handshake guarantees a 1.1 host).
 *
 * Which services work in which role: reading the tree, logging, errors,
 * memory and options work everywhere. The output sink (write, add_entry,
 * part_*) works for writers only. Building and editing (node_add,
 * node_set_*, node_unset, node_unlink, node_insert) works for readers and
 * filters only; a writer calling them gets DCONV_E_INVALID, because
 * writers see an immutable tree. Builders and editors take the same
 * `const dconv_node *` handles the accessors return: const means the
 * PLUGIN never writes through the pointer; changes go through the host.
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
  /** Like log(), but about a node: "file:line: warning: MSG (FORMAT)";
   *  returns DCONV_E_INVALID when --strict promotes it (stop then). */
  int (*warn_at)(dconv_export *ex, const dconv_node *node, const char *fmt,
                 ...) DCONV_PRINTF(3, 4);
  /** Record why the run failed; returns `code` for convenience. */
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
  /** Append bytes to the output (text and binary formats), to the open
   *  part (ABI 1.1, part_open), or to the open zip entry (ABI 1.2,
   *  entry_open). */
  int (*write)(dconv_export *ex, const void *data, size_t len);
  /** Add a named zip entry (DCONV_PLUGIN_CONTAINER only); entries are
   *  written in call order with fixed timestamps. With a part open (ABI
   *  1.1), the entry goes into that part, which is then a zip of its own. */
  int (*add_entry)(dconv_export *ex, const char *name, const void *data,
                   size_t len, uint32_t flags);

  /* --- utilities --- */
  /** SHA-1 of data into out[20] (stable ids: UUIDv5, Anki csum/GUID). */
  void (*sha1)(const void *data, size_t len, uint8_t out[20]);
  /** Build timestamp for reproducible output: $SOURCE_DATE_EPOCH when set,
   *  otherwise midnight UTC of the newest digest date (never "now"). */
  int64_t (*timestamp)(dconv_export *ex);

  /* ================= ABI 1.1: test with DCONV_HOST_HAS ================== */

  /* --- diagnostics, va_list forms (for wrappers and other languages) --- */
  int (*vlog)(dconv_export *ex, int level, const char *fmt, va_list ap)
      DCONV_PRINTF(3, 0);
  int (*vwarn_at)(dconv_export *ex, const dconv_node *node, const char *fmt,
                  va_list ap) DCONV_PRINTF(3, 0);
  int (*vset_error)(dconv_export *ex, int code, const char *fmt, va_list ap)
      DCONV_PRINTF(3, 0);

  /* --- reading the tree --- */
  /** After an ENTER event, skip the node's descendants in O(1): the next
   *  iter_next returns that node's EXIT. After an EXIT event: no effect. */
  void (*iter_skip)(dconv_iter *it);
  /** Enumerate the attributes a node has, in the host's table order: start
   *  with *cursor = 0; each call sets *key (a DCONV_ATTR_* string, static)
   *  and *type (DCONV_VALUE_*) and returns 1, or returns 0 when there are
   *  no more. Read the value with node_str / node_int. */
  int (*node_attr_next)(const dconv_node *node, uint32_t *cursor,
                        const char **key, uint32_t *type);

  /* --- building the tree (readers; filters may add inline nodes too) --- */
  /** Append a new node of `kind` (a known DCONV_NODE_*) as the last child of
   *  `parent` (host->root(ex) for a DIGEST). `file` NULL = the input's name
   *  (the host copies it); line is 1-based, 0 = unknown. Sets *out; returns
   *  0, DCONV_E_INVALID (unknown kind, or a writer) or DCONV_E_NOMEM. */
  int (*node_add)(dconv_export *ex, const dconv_node *parent, uint32_t kind,
                  const char *file, uint32_t line, const dconv_node **out);
  /** Set string attribute `key` (DCONV_ATTR_*) to a copy of value[0..len).
   *  The host cleans it like digest text (invalid UTF-8 and control
   *  characters become U+FFFD, with a warning at the node). Returns 0,
   *  DCONV_E_NOTFOUND (unknown key), DCONV_E_INVALID (not a string key of
   *  this kind, or computed by the host like "papers") or DCONV_E_NOMEM. */
  int (*node_set_str)(dconv_export *ex, const dconv_node *node,
                      const char *key, const char *value, size_t len);
  /** Set integer attribute `key`; errors as node_set_str. */
  int (*node_set_int)(dconv_export *ex, const dconv_node *node,
                      const char *key, int64_t value);
  /** Remove attribute `key` from the node (absent = e.g. votes unknown).
   *  Returns 0 (also when it was absent) or an error as node_set_str. */
  int (*node_unset)(dconv_export *ex, const dconv_node *node,
                    const char *key);

  /* --- editing the tree (filters and readers) --- */
  /** Detach `node` (with its subtree) from its parent. A detached node is
   *  not output; it stays valid until the callback returns, so it can be
   *  re-inserted. Unlinking the node an iterator stands on invalidates the
   *  iterator: walk with node_first_child/node_next and fetch the next
   *  sibling before unlinking. O(1). Returns 0 or DCONV_E_INVALID. */
  int (*node_unlink)(dconv_export *ex, const dconv_node *node);
  /** Insert the detached `node` as a child of `parent`, before its child
   *  `before` (NULL = as the last child): together with node_unlink this
   *  moves and reorders. Returns 0 or DCONV_E_INVALID. */
  int (*node_insert)(dconv_export *ex, const dconv_node *parent,
                     const dconv_node *node, const dconv_node *before);

  /* --- multi-part output (writers) --- */
  /** Start output part `name` (a file name: [A-Za-z0-9._-], not starting
   *  with '.', unique in the run). Until part_close, write() and
   *  add_entry() go into the part (for DCONV_PLUGIN_CONTAINER each part is
   *  a zip of its own). Parts go to DIR/NAME with `-o DIR/` (the trailing
   *  '/' says "directory"; DIR is created if missing), and otherwise become
   *  the entries of one zip written to -o FILE (a multi-part run needs
   *  -o; it is a usage error, DCONV_E_OPTION, without). Nothing is
   *  visible until the whole run succeeds: the host writes temporary files
   *  and renames them into place at the end, or removes them. Once a part
   *  was opened, output outside a part is an error. Returns 0 or DCONV_E_*
   *  (reason already recorded; return it). */
  int (*part_open)(dconv_export *ex, const char *name);
  /** Finish the open part. A part still open when convert returns is
   *  closed by the host. Returns 0 or DCONV_E_*. */
  int (*part_close)(dconv_export *ex);
  /** Where the output goes, as the user will see it: the -o path (a
   *  directory keeps its trailing '/'), the default name derived from the
   *  dates, or "-" for stdout. Borrowed; never NULL for a writer. */
  const char *(*output_name)(dconv_export *ex);

  /* --- scripts --- */
  /** The file the running plugin was loaded from (absolute): the module,
   *  or for a script run by a script host (script_load) the script.
   *  Borrowed; never NULL. */
  const char *(*plugin_path)(dconv_export *ex);

  /* ================= ABI 1.2: test with DCONV_HOST_HAS ================== */

  /* --- zip entries in pieces (DCONV_PLUGIN_CONTAINER writers) --- */
  /** Start entry `name` (flags as add_entry) whose bytes come through
   *  write(), for an entry too large to hold whole, such as a database
   *  read back from a scratch file. Until entry_close, write() appends to
   *  the entry, and add_entry, part_open and part_close are refused
   *  (DCONV_E_INVALID). The host holds up to 16 MiB of the entry; a larger
   *  one is compressed as it comes (with zlib instead of libdeflate, so
   *  its bytes differ from an add_entry of the same data) and its CRC and
   *  sizes follow the data in a zip data descriptor, so memory stays
   *  bounded. An entry still open when convert returns 0 is closed by the
   *  host. Returns 0 or DCONV_E_* (reason already recorded; return it). */
  int (*entry_open)(dconv_export *ex, const char *name, uint32_t flags);
  /** Finish the open entry. Returns 0 or DCONV_E_*. */
  int (*entry_close)(dconv_export *ex);
};

/** True when the running host provides `member` (one added after the minor
 *  the plugin declared). Always true for members of ABI 1.0. */
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
 * dconv_plugin, or the `base` of a static const dconv_plugin_ext). Use once
 * per plugin, at file scope.
 */
#define DCONV_PLUGIN_DEFINE(descriptor)                                        \
  DCONV_EXTERN_C DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(  \
      void);                                                                   \
  DCONV_EXTERN_C DCONV_PLUGIN_EXPORT const dconv_plugin *dconv_plugin_entry(  \
      void) {                                                                  \
    return &(descriptor);                                                      \
  }

/**
 * Initialisers for the handshake fields of a descriptor (the first three).
 * DCONV_PLUGIN_HEADER requires the minor of these headers (1.2 now);
 * DCONV_PLUGIN_HEADER_MIN(m) requires only 1.m, for a plugin that tests
 * newer services with DCONV_HOST_HAS and does without them on an older host.
 * Either way struct_size is that of these headers: an older host copies
 * only the part it knows. DCONV_PLUGIN_EXT_HEADER is the same for the
 * `base` of a dconv_plugin_ext (a reader or filter needs 1.1 anyway).
 */
#ifdef __cplusplus
#define DCONV_PLUGIN_HEADER                                                    \
  DCONV_ABI_MAJOR, DCONV_ABI_MINOR, static_cast<uint32_t>(sizeof(dconv_plugin))
#define DCONV_PLUGIN_HEADER_MIN(minor)                                         \
  DCONV_ABI_MAJOR, static_cast<uint32_t>(minor),                               \
      static_cast<uint32_t>(sizeof(dconv_plugin))
#define DCONV_PLUGIN_EXT_HEADER                                                \
  DCONV_ABI_MAJOR, DCONV_ABI_MINOR,                                            \
      static_cast<uint32_t>(sizeof(dconv_plugin_ext))
#else
#define DCONV_PLUGIN_HEADER                                                    \
  DCONV_ABI_MAJOR, DCONV_ABI_MINOR, (uint32_t)sizeof(dconv_plugin)
#define DCONV_PLUGIN_HEADER_MIN(minor)                                         \
  DCONV_ABI_MAJOR, (uint32_t)(minor), (uint32_t)sizeof(dconv_plugin)
#define DCONV_PLUGIN_EXT_HEADER                                                \
  DCONV_ABI_MAJOR, DCONV_ABI_MINOR, (uint32_t)sizeof(dconv_plugin_ext)
#endif

#ifdef __cplusplus
}
#endif

#endif /* DCONV_PLUGIN_H */
