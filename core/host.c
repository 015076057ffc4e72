#define _GNU_SOURCE
#include "host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/sha1.h>
#include <zip.h>

#include "buf.h"
#include "input.h"

typedef struct opt_kv {
  char *key, *value; /* owned copies */
} opt_kv;

struct dconv_export {
  const dconv_loaded *plugin;
  const char *format; /* name the user asked for (plugin or variant) */
  const dconv_tree *doc;
  dconv_diag *diag;
  dconv_output *out;
  opt_kv *opts;
  size_t n_opts;
  int error_code;
  dconv_buf error;
  /* Container formats: entries go into an in-memory zip. */
  zip_source_t *zsrc;
  zip_t *zip;
  uint16_t dos_time, dos_date;
};

/* ------------------------------------------------------------- options */

static const dconv_option *find_option(const dconv_loaded *p, const char *key,
                                       size_t keylen) {
  for (uint32_t i = 0; i < p->desc.n_options; i++) {
    const dconv_option *o = dconv_loader_option(p, i);
    if (o->key && strlen(o->key) == keylen && strncmp(o->key, key, keylen) == 0)
      return o;
  }
  return NULL;
}

static int choice_ok(const char *choices, const char *v) {
  size_t n = strlen(v);
  for (const char *c = choices; c && *c;) {
    const char *bar = strchr(c, '|');
    size_t len = bar ? (size_t)(bar - c) : strlen(c);
    if (len == n && strncmp(c, v, n) == 0)
      return 1;
    c = bar ? bar + 1 : NULL;
  }
  return 0;
}

static const char *value_problem(const dconv_option *o, const char *v) {
  switch (o->type) {
  case DCONV_OPT_BOOL:
    return strcmp(v, "true") == 0 || strcmp(v, "false") == 0
               ? NULL
               : "expects true or false";
  case DCONV_OPT_INT: {
    char *end;
    errno = 0;
    (void)strtoll(v, &end, 10);
    return (*v && !*end && !errno) ? NULL : "expects an integer";
  }
  case DCONV_OPT_ENUM:
    return choice_ok(o->choices, v) ? NULL : "expects one of the listed values";
  case DCONV_OPT_FILE: {
    FILE *f = fopen(v, "rb");
    if (!f)
      return "expects a readable file";
    fclose(f);
    return NULL;
  }
  default:
    return NULL;
  }
}

static void list_keys(const dconv_loaded *p, dconv_buf *b) {
  if (p->desc.n_options == 0) {
    dconv_buf_puts(b, "(this format has no options)");
    return;
  }
  for (uint32_t i = 0; i < p->desc.n_options; i++) {
    const dconv_option *o = dconv_loader_option(p, i);
    dconv_buf_printf(b, "%s%s", i ? ", " : "", o->key);
  }
}

int dconv_host_check_options(const dconv_loaded *p, char *const *opts,
                             size_t n_opts, dconv_diag *diag) {
  int rc = 0;
  for (size_t i = 0; i < n_opts; i++) {
    const char *eq = strchr(opts[i], '=');
    if (!eq || eq == opts[i]) {
      dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0,
                        "option '%s' is not of the form key=value", opts[i]);
      rc = DCONV_E_OPTION;
      continue;
    }
    const dconv_option *o = find_option(p, opts[i], (size_t)(eq - opts[i]));
    dconv_buf b = DCONV_BUF_INIT;
    if (dconv_input_clean_prefix(eq + 1, strlen(eq + 1)) != strlen(eq + 1)) {
      dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0,
                        "value of option '%.*s' is not valid UTF-8 text",
                        (int)(eq - opts[i]), opts[i]);
      rc = DCONV_E_OPTION;
    } else if (!o) {
      list_keys(p, &b);
      dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0,
                        "unknown option '%.*s' for format '%s'; valid: %s",
                        (int)(eq - opts[i]), opts[i], p->desc.name,
                        b.data ? b.data : "");
      rc = DCONV_E_OPTION;
    } else {
      const char *why = value_problem(o, eq + 1);
      if (why) {
        dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0,
                          "bad value '%s' for option '%s': %s%s%s%s", eq + 1,
                          o->key, why, o->choices ? " (" : "",
                          o->choices ? o->choices : "",
                          o->choices ? ")" : "");
        rc = DCONV_E_OPTION;
      }
    }
    dconv_buf_free(&b);
  }
  return rc;
}

static int set_opt(dconv_export *ex, const char *kv, size_t len) {
  const char *eq = memchr(kv, '=', len);
  if (!eq)
    return 0;
  size_t kl = (size_t)(eq - kv);
  for (size_t i = 0; i < ex->n_opts; i++) {
    if (strlen(ex->opts[i].key) == kl && strncmp(ex->opts[i].key, kv, kl) == 0) {
      char *v = strndup(eq + 1, len - kl - 1);
      if (!v)
        return DCONV_E_NOMEM;
      free(ex->opts[i].value);
      ex->opts[i].value = v; /* later settings override presets */
      return 0;
    }
  }
  opt_kv *p = realloc(ex->opts, (ex->n_opts + 1) * sizeof *p);
  if (!p)
    return DCONV_E_NOMEM;
  ex->opts = p;
  p[ex->n_opts].key = strndup(kv, kl);
  p[ex->n_opts].value = strndup(eq + 1, len - kl - 1);
  ex->n_opts++;
  return p[ex->n_opts - 1].key && p[ex->n_opts - 1].value ? 0 : DCONV_E_NOMEM;
}

/* ------------------------------------------------------------- services */

static int h_log(dconv_export *ex, int level, const char *fmt, ...) {
  dconv_diag_level lv = level <= DCONV_LOG_ERROR     ? DCONV_DIAG_ERROR
                        : level == DCONV_LOG_WARNING ? DCONV_DIAG_WARNING
                                                     : DCONV_DIAG_NOTE;
  char who[80];
  snprintf(who, sizeof who, "dconv: %s", ex->format);
  va_list ap;
  va_start(ap, fmt);
  dconv_diag_vreport(ex->diag, lv, who, 0, fmt, ap);
  va_end(ap);
  return (lv == DCONV_DIAG_WARNING && ex->diag->strict) ? DCONV_E_INVALID : 0;
}

static int h_warn_at(dconv_export *ex, const dconv_node *node, const char *fmt,
                     ...) {
  dconv_buf msg = DCONV_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  int rc = dconv_buf_vprintf(&msg, fmt, ap);
  va_end(ap);
  if (rc)
    return rc;
  const char *file = NULL;
  uint32_t line = 0;
  dconv_node_source(node, &file, &line);
  dconv_diag_report(ex->diag, DCONV_DIAG_WARNING, file, line, "%s (%s)",
                    msg.data, ex->format);
  dconv_buf_free(&msg);
  return ex->diag->strict ? DCONV_E_INVALID : 0;
}

static int h_set_error(dconv_export *ex, int code, const char *fmt, ...) {
  ex->error.len = 0;
  va_list ap;
  va_start(ap, fmt);
  dconv_buf_vprintf(&ex->error, fmt, ap);
  va_end(ap);
  ex->error_code = code ? code : DCONV_E_PLUGIN;
  return ex->error_code;
}

static const char *h_option(dconv_export *ex, const char *key) {
  for (size_t i = 0; i < ex->n_opts; i++)
    if (strcmp(ex->opts[i].key, key) == 0)
      return ex->opts[i].value;
  const dconv_option *o = find_option(ex->plugin, key, strlen(key));
  return o ? o->default_value : NULL;
}

static const dconv_node *h_root(dconv_export *ex) { return ex->doc->root; }

static int h_write(dconv_export *ex, const void *data, size_t len) {
  if (ex->zip)
    return h_set_error(ex, DCONV_E_INVALID,
                       "write() after add_entry(): a format is either a byte "
                       "stream or a container");
  int rc = dconv_output_write(ex->out, data, len);
  return rc ? h_set_error(ex, rc, "cannot write the output") : 0;
}

static int start_zip(dconv_export *ex) {
  zip_error_t ze;
  zip_error_init(&ze);
  ex->zsrc = zip_source_buffer_create(NULL, 0, 0, &ze);
  if (ex->zsrc)
    ex->zip = zip_open_from_source(ex->zsrc, ZIP_TRUNCATE, &ze);
  if (!ex->zip) {
    int rc = h_set_error(ex, DCONV_E_NOMEM, "cannot create zip: %s",
                         zip_error_strerror(&ze));
    zip_error_fini(&ze);
    if (ex->zsrc)
      zip_source_free(ex->zsrc);
    ex->zsrc = NULL;
    return rc;
  }
  zip_source_keep(ex->zsrc); /* the bytes outlive zip_close */
  zip_error_fini(&ze);
  /* Fixed timestamps make the archive reproducible. DOS time is local-time
   * based, so set the fields directly instead of converting a time_t. */
  time_t t = (time_t)dconv_host_services()->timestamp(ex);
  struct tm tm;
  gmtime_r(&t, &tm);
  if (tm.tm_year < 80)
    tm.tm_year = 80, tm.tm_mon = 0, tm.tm_mday = 1, tm.tm_hour = tm.tm_min =
                                                        tm.tm_sec = 0;
  ex->dos_time = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  ex->dos_date =
      (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  return 0;
}

static int h_add_entry(dconv_export *ex, const char *name, const void *data,
                       size_t len, uint32_t flags) {
  if (!(ex->plugin->desc.flags & DCONV_PLUGIN_CONTAINER))
    return h_set_error(ex, DCONV_E_INVALID,
                       "add_entry() needs DCONV_PLUGIN_CONTAINER");
  if (!ex->zip) {
    int rc = start_zip(ex);
    if (rc)
      return rc;
  }
  void *copy = malloc(len ? len : 1);
  if (!copy)
    return h_set_error(ex, DCONV_E_NOMEM, "out of memory");
  memcpy(copy, data, len);
  zip_source_t *s = zip_source_buffer(ex->zip, copy, len, 1);
  if (!s) {
    free(copy);
    return h_set_error(ex, DCONV_E_NOMEM, "out of memory");
  }
  zip_int64_t idx = zip_file_add(ex->zip, name, s, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(s);
    return h_set_error(ex, DCONV_E_INVALID, "cannot add zip entry '%s': %s",
                       name, zip_strerror(ex->zip));
  }
  zip_uint64_t i = (zip_uint64_t)idx;
  /* Deflate level 4, measured on the corpus (tests/bench/bench.sh): the
   * EPUB is 0.7% and the .apkg 3.4% larger than at level 6, and the whole
   * conversion takes 8% (EPUB) and 23% (Anki) less CPU; 1 saves more but
   * grows the .apkg by 16%, 7-9 save under 0.2%. */
  if ((flags & DCONV_ENTRY_STORE)
          ? zip_set_file_compression(ex->zip, i, ZIP_CM_STORE, 0)
          : zip_set_file_compression(ex->zip, i, ZIP_CM_DEFLATE, 4))
    return h_set_error(ex, DCONV_E_INVALID, "zip: %s", zip_strerror(ex->zip));
  if (zip_file_set_dostime(ex->zip, i, ex->dos_time, ex->dos_date, 0))
    return h_set_error(ex, DCONV_E_INVALID, "zip: %s", zip_strerror(ex->zip));
  return 0;
}

/* Close the in-memory archive and send its bytes to the output. */
static int finish_zip(dconv_export *ex) {
  if (zip_close(ex->zip) != 0) {
    int rc = h_set_error(ex, DCONV_E_IO, "cannot finish zip: %s",
                         zip_strerror(ex->zip));
    zip_discard(ex->zip);
    ex->zip = NULL;
    return rc;
  }
  ex->zip = NULL;
  zip_stat_t st;
  int rc = 0;
  if (zip_source_stat(ex->zsrc, &st) != 0 || zip_source_open(ex->zsrc) != 0)
    return h_set_error(ex, DCONV_E_IO, "cannot read back the zip");
  char chunk[65536];
  zip_int64_t n;
  while (!rc && (n = zip_source_read(ex->zsrc, chunk, sizeof chunk)) > 0)
    rc = dconv_output_write(ex->out, chunk, (size_t)n);
  zip_source_close(ex->zsrc);
  return rc ? h_set_error(ex, rc, "cannot write the output") : 0;
}

static void h_sha1(const void *data, size_t len, uint8_t out[20]) {
  struct sha1_ctx c;
  sha1_init(&c);
  sha1_update(&c, len, data);
  sha1_digest(&c, SHA1_DIGEST_SIZE, out);
}

static int64_t h_timestamp(dconv_export *ex) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    char *end;
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (!*end && !errno && v >= 0)
      return v;
  }
  /* Newest digest date at 00:00 UTC: deterministic, and meaningful. */
  const dconv_node *last = ex->doc->root->last;
  const char *date = last ? dconv_tree_str(last, DCONV_S_DATE) : NULL;
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if (date && sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
  }
  return 315532800; /* 1980-01-01, the zip epoch */
}

static void h_free(void *p) { free(p); }
static void *h_alloc(size_t n) { return malloc(n ? n : 1); }
static void *h_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }

static const dconv_host g_host = {
    .struct_size = sizeof(dconv_host),
    .abi_major = DCONV_ABI_MAJOR,
    .abi_minor = DCONV_ABI_MINOR,
    .log = h_log,
    .warn_at = h_warn_at,
    .set_error = h_set_error,
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
    .node_source = dconv_node_source,
    .node_flatten = dconv_node_flatten,
    .iter_new = dconv_iter_new,
    .iter_next = dconv_iter_next,
    .iter_free = dconv_iter_free,
    .write = h_write,
    .add_entry = h_add_entry,
    .sha1 = h_sha1,
    .timestamp = h_timestamp,
};

const dconv_host *dconv_host_services(void) { return &g_host; }

/* ------------------------------------------------------------- export */

int dconv_host_export(const dconv_loaded *p, const dconv_variant *variant,
                      const dconv_tree *doc, char *const *opts, size_t n_opts,
                      dconv_output *out, dconv_diag *diag) {
  dconv_export ex;
  memset(&ex, 0, sizeof ex);
  ex.plugin = p;
  ex.format = variant ? variant->name : p->desc.name;
  ex.doc = doc;
  ex.diag = diag;
  ex.out = out;
  int rc = 0;
  /* Variant presets first ("k=v,k=v"), then the user's -O options. */
  for (const char *s = variant ? variant->options : NULL; !rc && s && *s;) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    rc = set_opt(&ex, s, len);
    s = comma ? comma + 1 : NULL;
  }
  for (size_t i = 0; !rc && i < n_opts; i++)
    rc = set_opt(&ex, opts[i], strlen(opts[i]));
  if (rc) {
    h_set_error(&ex, rc, "out of memory");
  } else {
    rc = p->desc.convert(&g_host, &ex);
    if (rc > 0)
      rc = DCONV_E_PLUGIN; /* be strict about the contract */
    if (!rc && (p->desc.flags & DCONV_PLUGIN_CONTAINER)) {
      if (!ex.zip)
        rc = h_set_error(&ex, DCONV_E_PLUGIN, "plugin added no entries");
      else
        rc = finish_zip(&ex);
    }
    if (rc && !ex.error.len)
      h_set_error(&ex, rc, "plugin failed without saying why (code %d)", rc);
  }
  if (rc) {
    char who[80];
    snprintf(who, sizeof who, "dconv: %s", ex.format);
    dconv_diag_report(diag, DCONV_DIAG_ERROR, who, 0, "%s", ex.error.data);
  }
  if (ex.zip)
    zip_discard(ex.zip);
  if (ex.zsrc)
    zip_source_free(ex.zsrc);
  for (size_t i = 0; i < ex.n_opts; i++) {
    free(ex.opts[i].key);
    free(ex.opts[i].value);
  }
  free(ex.opts);
  dconv_buf_free(&ex.error);
  return rc;
}
