#include "host.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/sha1.h>

#include "guard.h"
#include "host_run.h"
#include "input.h"

static const dconv_host g_host;

/* The run in progress (one at a time), for services without an export
 * argument (node_source). */
static dconv_export *g_run;

/* Bytes of a plugin's set_error() message kept. */
#define DCONV_HOST_MAX_ERROR 4096

/* ------------------------------------------------------------- services */

static dconv_diag_level diag_level(int level) {
  return level <= DCONV_LOG_ERROR     ? DCONV_DIAG_ERROR
         : level == DCONV_LOG_WARNING ? DCONV_DIAG_WARNING
                                      : DCONV_DIAG_NOTE;
}

/* --strict turns a plugin's warning into a stop: the host records it, so
 * the plugin only needs to return the code it got. */
static int promoted(dconv_export *ex) {
  if (!ex->diag->strict)
    return 0;
  ex->strict_stop = 1;
  return DCONV_E_INVALID;
}

static int h_vlog(dconv_export *ex, int level, const char *fmt, va_list ap) {
  dconv_diag_level lv = diag_level(level);
  char who[80];
  snprintf(who, sizeof who, "dconv: %s", ex->format);
  dconv_diag_vreport(ex->diag, lv, who, 0, fmt, ap);
  return lv == DCONV_DIAG_WARNING ? promoted(ex) : 0;
}

static int h_log(dconv_export *ex, int level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = h_vlog(ex, level, fmt, ap);
  va_end(ap);
  return rc;
}

static int h_vwarn_at(dconv_export *ex, const dconv_node *node,
                      const char *fmt, va_list ap) {
  const char *file = NULL;
  uint32_t line = 0;
  dconv_node_source(node, &file, &line);
  /* Reported with the plugin's own format string, so repeated warnings of
   * one kind fold together (diag.c) and the format name is the suffix. */
  dconv_diag_vreport_from(ex->diag, DCONV_DIAG_WARNING, file, line,
                          ex->format, fmt, ap);
  return promoted(ex);
}

static int h_warn_at(dconv_export *ex, const dconv_node *node, const char *fmt,
                     ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = h_vwarn_at(ex, node, fmt, ap);
  va_end(ap);
  return rc;
}

static int h_vset_error(dconv_export *ex, int code, const char *fmt,
                        va_list ap) {
  /* Bounded: a plugin's message is one line for a person (diag.c cuts
   * what it prints further and makes it terminal-safe). */
  char msg[DCONV_HOST_MAX_ERROR + 1];
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  ex->error.len = 0;
  dconv_buf_puts(&ex->error, n < 0 ? "(unprintable message)" : msg);
  ex->error_code = code ? code : DCONV_E_PLUGIN;
  return ex->error_code;
}

int dconv_host_fail(dconv_export *ex, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = h_vset_error(ex, code, fmt, ap);
  va_end(ap);
  return rc;
}

/* set_error() as plugins call it: unlike a service's refusal (which the
 * plugin may handle, e.g. an unknown attribute it then warns about), it
 * fails the run whatever the plugin returns afterwards. */
static int p_vset_error(dconv_export *ex, int code, const char *fmt,
                        va_list ap) {
  ex->plugin_error = 1;
  return h_vset_error(ex, code, fmt, ap);
}

static int p_set_error(dconv_export *ex, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = p_vset_error(ex, code, fmt, ap);
  va_end(ap);
  return rc;
}

/* Source positions as plugins see them: the file name cleaned to valid
 * UTF-8 (U+FFFD for what is not), because writers put it into JSON or
 * XML; diagnostics keep the bytes (shown escaped). Falls back to the
 * bytes as they are if memory runs out. */
static void h_node_source(const dconv_node *node, const char **file,
                          uint32_t *line) {
  const char *raw = NULL;
  dconv_node_source(node, &raw, line);
  if (file)
    *file = raw;
  dconv_export *ex = g_run;
  if (!file || !raw || !ex ||
      dconv_input_clean_prefix(raw, strlen(raw)) == strlen(raw))
    return;
  for (size_t i = 0; i < ex->n_files; i++)
    if (ex->raw_files[i] == raw) {
      *file = ex->clean_files[i];
      return;
    }
  dconv_buf b = DCONV_BUF_INIT;
  const char **r = realloc(ex->raw_files, (ex->n_files + 1) * sizeof *r);
  if (r)
    ex->raw_files = r;
  const char **c = r ? realloc(ex->clean_files, (ex->n_files + 1) * sizeof *c)
                     : NULL;
  if (c)
    ex->clean_files = c;
  char *copy = NULL;
  if (c && dconv_input_append_clean(&b, raw, strlen(raw)) != (size_t)-1)
    copy = dconv_arena_strndup(&ex->doc->arena, b.data, b.len);
  dconv_buf_free(&b);
  if (!copy)
    return;
  ex->raw_files[ex->n_files] = raw;
  ex->clean_files[ex->n_files++] = copy;
  *file = copy;
}

static const char *h_option(dconv_export *ex, const char *key) {
  return key ? dconv_options_get(&ex->opts, ex->plugin, key) : NULL;
}

static const dconv_node *h_root(dconv_export *ex) { return ex->doc->root; }

static void h_sha1(const void *data, size_t len, uint8_t out[20]) {
  struct sha1_ctx c;
  sha1_init(&c);
  sha1_update(&c, len, data);
  sha1_digest(&c, SHA1_DIGEST_SIZE, out);
}

int dconv_host_source_date_epoch(int64_t *out) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (!sde || !*sde)
    return 0;
  int64_t v = 0;
  for (const char *p = sde; *p; p++) {
    if (*p < '0' || *p > '9' || v > DCONV_HOST_EPOCH_MAX / 10)
      return -1;
    v = v * 10 + (*p - '0');
  }
  if (v > DCONV_HOST_EPOCH_MAX)
    return -1;
  *out = v;
  return 1;
}

int64_t dconv_host_timestamp(dconv_export *ex) {
  int64_t v;
  if (dconv_host_source_date_epoch(&v) == 1)
    return v;
  /* Newest digest date at 00:00 UTC: deterministic, and meaningful. */
  const dconv_node *last = ex->doc->root->last;
  const char *date = last ? dconv_tree_str(last, DCONV_S_DATE) : NULL;
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if (date &&
      sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
  }
  return 315532800; /* 1980-01-01, the zip epoch */
}

static void h_free(void *p) { free(p); }
static void *h_alloc(size_t n) { return malloc(n ? n : 1); }
static void *h_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }

/* -------------------------------------------------- building and editing */

/* Builders and editors: readers and filters only (writers see an immutable
 * tree). Handles are const for plugins; the host owns the nodes. */
static struct dconv_node *mutable_node(dconv_export *ex,
                                       const dconv_node *n) {
  return ex->role == RUN_WRITER ? NULL : (struct dconv_node *)n;
}

static int not_writable(dconv_export *ex, const char *what) {
  return dconv_host_fail(ex, DCONV_E_INVALID,
                     "%s(): writers see an immutable tree (only readers and "
                     "filters may change it)",
                     what);
}

static int h_node_add(dconv_export *ex, const dconv_node *parent,
                      uint32_t kind, const char *file, uint32_t line,
                      const dconv_node **out) {
  if (out)
    *out = NULL;
  struct dconv_node *p = mutable_node(ex, parent);
  if (ex->role == RUN_WRITER)
    return not_writable(ex, "node_add");
  if (!p || !out || kind < DCONV_NODE_COLLECTION + 1 ||
      kind > DCONV_NODE_LINK)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                       "node_add(): no parent, no result pointer, or node "
                       "kind %u is not one this host knows",
                       kind);
  const char *f = ex->input_file;
  if (file && (!f || strcmp(file, f) != 0)) {
    /* Another file name (a reader citing an included file): copy it once
     * per change; nodes share the copy. */
    f = dconv_arena_strndup(&ex->doc->arena, file, strlen(file));
    if (!f)
      return dconv_host_fail(ex, DCONV_E_NOMEM, "out of memory");
    ex->input_file = f;
  }
  struct dconv_node *n = dconv_tree_add(ex->doc, p, kind, f, line);
  if (!n)
    return dconv_host_fail(ex, DCONV_E_NOMEM, "out of memory");
  *out = n;
  return 0;
}

/* The table row a builder may set on n, or an error recorded in ex. */
static const dconv_attr_def *settable(dconv_export *ex, struct dconv_node *n,
                                      const char *key, uint32_t type,
                                      int *rc) {
  const dconv_attr_def *a = key ? dconv_attr_find(n->kind, key, 1) : NULL;
  if (!a) {
    *rc = dconv_host_fail(
        ex, dconv_attr_find(n->kind, key ? key : "", 0) ? DCONV_E_INVALID
                                                        : DCONV_E_NOTFOUND,
        "attribute '%s' is not one a node of kind %u has", key ? key : "(null)",
        n->kind);
    return NULL;
  }
  if (a->flags & DCONV_ATTR_COMPUTED) {
    *rc = dconv_host_fail(ex, DCONV_E_INVALID,
                      "attribute '%s' is computed by the host", key);
    return NULL;
  }
  if (type && a->type != type) {
    *rc = dconv_host_fail(ex, DCONV_E_INVALID, "attribute '%s' is %s", key,
                      a->type == DCONV_VALUE_INT ? "an integer" : "a string");
    return NULL;
  }
  return a;
}

static int h_node_set_str(dconv_export *ex, const dconv_node *node,
                          const char *key, const char *value, size_t len) {
  if (ex->role == RUN_WRITER)
    return not_writable(ex, "node_set_str");
  struct dconv_node *n = mutable_node(ex, node);
  int rc = 0;
  const dconv_attr_def *a =
      n ? settable(ex, n, key, DCONV_VALUE_STR, &rc) : NULL;
  if (!a)
    return n ? rc : dconv_host_fail(ex, DCONV_E_INVALID, "node_set_str(): no node");
  if (!value) {
    dconv_tree_unset(n, a);
    return 0;
  }
  /* The same cleaning digest text gets (input.h): writers may assume valid
   * UTF-8 without control characters wherever the tree came from. */
  if (dconv_input_clean_prefix(value, len) == len)
    rc = dconv_tree_set_str(ex->doc, n, a->slot, value, len);
  else {
    dconv_buf clean = DCONV_BUF_INIT;
    size_t bad = dconv_input_append_clean(&clean, value, len);
    if (bad == (size_t)-1)
      rc = DCONV_E_NOMEM;
    else {
      dconv_diag_report(ex->diag, DCONV_DIAG_WARNING, dconv_tree_file(n), n->line,
                        "%s: %zu invalid UTF-8 sequence(s) or control "
                        "character(s) replaced by U+FFFD",
                        key, bad);
      rc = dconv_tree_set_str(ex->doc, n, a->slot,
                              clean.data ? clean.data : "", clean.len);
    }
    dconv_buf_free(&clean);
  }
  return rc ? dconv_host_fail(ex, rc, "out of memory") : 0;
}

static int h_node_set_int(dconv_export *ex, const dconv_node *node,
                          const char *key, int64_t value) {
  if (ex->role == RUN_WRITER)
    return not_writable(ex, "node_set_int");
  struct dconv_node *n = mutable_node(ex, node);
  int rc = 0;
  const dconv_attr_def *a =
      n ? settable(ex, n, key, DCONV_VALUE_INT, &rc) : NULL;
  if (!a)
    return n ? rc : dconv_host_fail(ex, DCONV_E_INVALID, "node_set_int(): no node");
  return dconv_tree_set_int(ex->doc, n, a->slot, value)
             ? dconv_host_fail(ex, DCONV_E_NOMEM, "out of memory")
             : 0;
}

static int h_node_unset(dconv_export *ex, const dconv_node *node,
                        const char *key) {
  if (ex->role == RUN_WRITER)
    return not_writable(ex, "node_unset");
  struct dconv_node *n = mutable_node(ex, node);
  int rc = 0;
  const dconv_attr_def *a = n ? settable(ex, n, key, 0, &rc) : NULL;
  if (!a)
    return n ? rc : dconv_host_fail(ex, DCONV_E_INVALID, "node_unset(): no node");
  dconv_tree_unset(n, a);
  return 0;
}

static int h_node_unlink(dconv_export *ex, const dconv_node *node) {
  if (ex->role == RUN_WRITER)
    return not_writable(ex, "node_unlink");
  struct dconv_node *n = mutable_node(ex, node);
  if (!n || !n->parent)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                       "node_unlink(): the node is the root or already "
                       "detached");
  dconv_tree_unlink(n);
  return 0;
}

static int h_node_insert(dconv_export *ex, const dconv_node *parent,
                         const dconv_node *node, const dconv_node *before) {
  if (ex->role == RUN_WRITER)
    return not_writable(ex, "node_insert");
  struct dconv_node *p = mutable_node(ex, parent), *n = mutable_node(ex, node);
  struct dconv_node *b = mutable_node(ex, before);
  if (!p || !n || n->parent || n == ex->doc->root)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                       "node_insert(): the node must be a detached node "
                       "(see node_unlink) and parent must be given");
  if (b && b->parent != p)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                       "node_insert(): 'before' is not a child of 'parent'");
  for (const struct dconv_node *up = p; up; up = up->parent)
    if (up == n)
      return dconv_host_fail(ex, DCONV_E_INVALID,
                         "node_insert(): a node cannot go inside itself");
  dconv_tree_insert(p, n, b);
  return 0;
}

static const char *h_plugin_path(dconv_export *ex) { return ex->plugin->path; }

static const dconv_host g_host = {
    .struct_size = sizeof(dconv_host),
    .abi_major = DCONV_ABI_MAJOR,
    .abi_minor = DCONV_ABI_MINOR,
    .log = h_log,
    .warn_at = h_warn_at,
    .set_error = p_set_error,
    .alloc = h_alloc,
    .realloc = h_realloc,
    .free = h_free,
    .option = h_option,
    .root = h_root,
    .node_kind = dconv_node_kind,
    .node_parent = dconv_node_parent,
    .node_first_child = dconv_node_first_child,
    .node_next = dconv_node_next,
    .node_str = dconv_node_str,
    .node_int = dconv_node_int,
    .node_source = h_node_source,
    .node_flatten = dconv_node_flatten,
    .iter_new = dconv_iter_new,
    .iter_next = dconv_iter_next,
    .iter_free = dconv_iter_free,
    .write = dconv_host_write,
    .add_entry = dconv_host_add_entry,
    .sha1 = h_sha1,
    .timestamp = dconv_host_timestamp,
    /* ABI 1.1 */
    .vlog = h_vlog,
    .vwarn_at = h_vwarn_at,
    .vset_error = p_vset_error,
    .iter_skip = dconv_iter_skip,
    .node_attr_next = dconv_node_attr_next,
    .node_add = h_node_add,
    .node_set_str = h_node_set_str,
    .node_set_int = h_node_set_int,
    .node_unset = h_node_unset,
    .node_unlink = h_node_unlink,
    .node_insert = h_node_insert,
    .part_open = dconv_host_part_open,
    .part_close = dconv_host_part_close,
    .output_name = dconv_host_output_name,
    .plugin_path = h_plugin_path,
    /* ABI 1.2 */
    .entry_open = dconv_host_entry_open,
    .entry_close = dconv_host_entry_close,
};

const dconv_host *dconv_host_services(void) { return &g_host; }

/* ------------------------------------------------------------- runs */

static int run_start(dconv_export *ex, run_role role, const dconv_loaded *p,
                     const dconv_variant *variant, dconv_tree *doc,
                     char *const *opts, size_t n_opts, dconv_diag *diag) {
  memset(ex, 0, sizeof *ex);
  g_run = ex;
  ex->role = role;
  ex->plugin = p;
  ex->format = variant ? variant->name : p->desc.name;
  ex->doc = doc;
  ex->diag = diag;
  /* Variant presets first ("k=v,k=v"), then the user's options. */
  int rc = dconv_options_set_list(&ex->opts, variant ? variant->options : NULL);
  for (size_t i = 0; !rc && i < n_opts; i++)
    rc = dconv_options_set(&ex->opts, opts[i], strlen(opts[i]));
  return rc ? dconv_host_fail(ex, rc, "out of memory") : 0;
}

/* Normalise the plugin's result and report a failure once, with a message
 * even when the plugin gave none. `where` NULL = "dconv: FORMAT". */
static int run_end(dconv_export *ex, int rc, const char *where) {
  if (rc > 0)
    rc = DCONV_E_PLUGIN; /* be strict about the contract */
  /* set_error() is a failure even if the plugin then returns 0: the
   * message says something went wrong, and a success would commit a
   * partial output. */
  if (!rc && ex->plugin_error)
    rc = ex->error_code;
  if (rc && !ex->error.len) {
    if (rc == DCONV_E_NOMEM)
      dconv_host_fail(ex, rc, "out of memory");
    else if (ex->strict_stop)
      dconv_host_fail(ex, rc, "stopped: a warning is an error under --strict");
    else
      dconv_host_fail(ex, rc, "plugin failed without saying why (code %d)", rc);
  }
  if (rc) {
    char who[300];
    if (where)
      snprintf(who, sizeof who, "%s", where);
    else
      snprintf(who, sizeof who, "dconv: %s", ex->format);
    if (where)
      dconv_diag_report(ex->diag, DCONV_DIAG_ERROR, who, 0, "%s (%s)",
                        ex->error.data, ex->format);
    else
      dconv_diag_report(ex->diag, DCONV_DIAG_ERROR, who, 0, "%s",
                        ex->error.data);
  }
  dconv_host_output_free(ex);
  dconv_options_free(&ex->opts);
  dconv_buf_free(&ex->error);
  free(ex->raw_files);
  free(ex->clean_files);
  g_run = NULL;
  return rc;
}

int dconv_host_convert(const dconv_loaded *p, const dconv_variant *variant,
                       const dconv_tree *doc, char *const *opts, size_t n_opts,
                       dconv_host_dest *dest, dconv_diag *diag,
                       int *strict_stop) {
  dconv_export ex;
  /* The tree is only reached through const accessors in a writer run (the
   * builders refuse RUN_WRITER), so dropping const here is safe. */
  int rc = run_start(&ex, RUN_WRITER, p, variant, (dconv_tree *)doc, opts,
                     n_opts, diag);
  ex.dest = dest;
  if (!rc) {
    dconv_guard g;
    dconv_guard_enter(&g, p->desc.name, p->path, "convert");
    rc = p->desc.convert(&g_host, &ex);
    dconv_guard_leave(&g);
  }
  if (!rc)
    rc = dconv_host_output_finish(&ex);
  if (strict_stop)
    *strict_stop = ex.strict_stop;
  return run_end(&ex, rc, NULL);
}

int dconv_host_export(const dconv_loaded *p, const dconv_variant *variant,
                      const dconv_tree *doc, char *const *opts, size_t n_opts,
                      dconv_output *out, dconv_diag *diag) {
  dconv_host_dest dest;
  memset(&dest, 0, sizeof dest);
  dest.out = out;
  dest.name = "-";
  return dconv_host_convert(p, variant, doc, opts, n_opts, &dest, diag, NULL);
}

int dconv_host_dest_finish(dconv_host_dest *dest, int commit) {
  int rc = 0;
  for (size_t i = 0; i < dest->n_pending; i++) {
    if (commit && !rc)
      rc = dconv_output_commit(dest->pending[i]) ? DCONV_E_IO : 0;
    else
      dconv_output_abort(dest->pending[i]);
  }
  free(dest->pending);
  dest->pending = NULL;
  dest->n_pending = 0;
  return rc;
}

int dconv_host_read(const dconv_loaded *p, dconv_tree *doc, char *const *opts,
                    size_t n_opts, const char *name, const char *data,
                    size_t len, dconv_diag *diag) {
  dconv_export ex;
  int rc = run_start(&ex, RUN_READER, p, NULL, doc, opts, n_opts, diag);
  ex.input_name = name;
  if (!rc && !(ex.input_file = dconv_arena_strndup(&doc->arena, name,
                                                   strlen(name))))
    rc = dconv_host_fail(&ex, DCONV_E_NOMEM, "out of memory");
  if (!rc) {
    dconv_guard g;
    dconv_guard_enter(&g, p->desc.name, p->path, "read");
    rc = p->ext.read(&g_host, &ex, name, data, len);
    dconv_guard_leave(&g);
  }
  return run_end(&ex, rc, name);
}

int dconv_host_filter(const dconv_loaded *p, dconv_tree *doc,
                      char *const *opts, size_t n_opts, dconv_diag *diag) {
  dconv_export ex;
  int rc = run_start(&ex, RUN_FILTER, p, NULL, doc, opts, n_opts, diag);
  if (!rc) {
    dconv_guard g;
    dconv_guard_enter(&g, p->desc.name, p->path, "filter");
    rc = p->ext.filter(&g_host, &ex);
    dconv_guard_leave(&g);
  }
  return run_end(&ex, rc, NULL);
}
