/*
 * host_output.c - the services through which a writer's output leaves it:
 * write() for byte formats, add_entry() for zip containers, part_open() and
 * part_close() for output in several files, and the end of a writer's run,
 * where parts become files in a directory or the entries of one zip.
 * Nothing reaches the user's file until the run succeeds (output.c writes
 * to a temporary file and renames it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "host_run.h"

static int not_a_writer(dconv_export *ex, const char *what) {
  return dconv_host_fail(ex, DCONV_E_INVALID, "%s() is for writers only", what);
}

static host_part *open_part(dconv_export *ex) {
  return ex->in_part ? &ex->parts[ex->n_parts - 1] : NULL;
}

int dconv_host_part_open(dconv_export *ex, const char *name);

/* Directory mode: a writer that opens no part writes one file in DIR,
 * named as it would have been without -o. */
static int implicit_part(dconv_export *ex) {
  if (!ex->dest->dir || ex->n_parts)
    return 0;
  return dconv_host_part_open(ex, ex->dest->default_name);
}

int dconv_host_write(dconv_export *ex, const void *data, size_t len) {
  if (ex->role != RUN_WRITER)
    return not_a_writer(ex, "write");
  if (ex->in_entry) {
    int rc = dconv_zip_write_entry(ex->zip, data, len, &ex->error);
    return rc ? (ex->error_code = rc) : 0;
  }
  if (ex->zip)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                           "write() outside entry_open(), after add_entry(): a "
                           "format is either a byte stream or a container");
  int rc = implicit_part(ex);
  if (rc)
    return rc;
  host_part *part = open_part(ex);
  if (part)
    return dconv_buf_append(&part->bytes, data, len)
               ? dconv_host_fail(ex, DCONV_E_NOMEM, "out of memory")
               : 0;
  if (ex->n_parts)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                       "write() outside a part, after part_open()");
  ex->wrote_main = 1;
  rc = dconv_output_write(ex->dest->out, data, len);
  return rc ? dconv_host_fail(ex, rc, "cannot write the output") : 0;
}

/* Where archive bytes go: the open part's buffer, or the output. */
static int buf_sink(void *ctx, const void *data, size_t len) {
  return dconv_buf_append(ctx, data, len);
}

static int output_sink(void *ctx, const void *data, size_t len) {
  return dconv_output_write(ctx, data, len);
}

/* Checks for add_entry and entry_open (`what`), then the archive entries
 * go to, started on first use. Returns 0 or DCONV_E_* (recorded). */
static int container_ready(dconv_export *ex, const char *what) {
  if (ex->role != RUN_WRITER)
    return not_a_writer(ex, what);
  if (!(ex->plugin->desc.flags & DCONV_PLUGIN_CONTAINER))
    return dconv_host_fail(ex, DCONV_E_INVALID,
                           "%s() needs DCONV_PLUGIN_CONTAINER", what);
  if (ex->in_entry)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                           "%s(): entry '%s' is still open", what,
                           ex->entry_name.data);
  int rc = implicit_part(ex);
  if (rc)
    return rc;
  if (!open_part(ex) && ex->n_parts)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                           "%s() outside a part, after part_open()", what);
  host_part *part = open_part(ex);
  if (!ex->zip) {
    /* Entries stream out as they come: into the part (which becomes one
     * file or one entry later), or straight to the output. */
    rc = part ? dconv_zip_new(&ex->zip, dconv_host_timestamp(ex), buf_sink,
                              &part->bytes, &ex->error)
              : dconv_zip_new(&ex->zip, dconv_host_timestamp(ex), output_sink,
                              ex->dest->out, &ex->error);
    if (rc)
      return dconv_host_fail(ex, rc, "%s", ex->error.data);
  }
  if (!part)
    ex->wrote_main = 1;
  return 0;
}

int dconv_host_add_entry(dconv_export *ex, const char *name, const void *data,
                         size_t len, uint32_t flags) {
  int rc = container_ready(ex, "add_entry");
  if (!rc)
    rc = dconv_zip_add(ex->zip, name, data, len,
                       (flags & DCONV_ENTRY_STORE) != 0, &ex->error);
  return rc ? (ex->error_code = rc) : 0;
}

int dconv_host_entry_open(dconv_export *ex, const char *name,
                          uint32_t flags) {
  int rc = container_ready(ex, "entry_open");
  if (!rc)
    rc = dconv_zip_open_entry(ex->zip, name, (flags & DCONV_ENTRY_STORE) != 0,
                              &ex->error);
  if (rc)
    return ex->error_code = rc;
  ex->entry_name.len = 0;
  if (dconv_buf_puts(&ex->entry_name, name))
    return dconv_host_fail(ex, DCONV_E_NOMEM, "out of memory");
  ex->in_entry = 1;
  return 0;
}

int dconv_host_entry_close(dconv_export *ex) {
  if (ex->role != RUN_WRITER)
    return not_a_writer(ex, "entry_close");
  if (!ex->in_entry)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                           "entry_close(): no entry is open");
  ex->in_entry = 0;
  int rc = dconv_zip_close_entry(ex->zip, &ex->error);
  return rc ? (ex->error_code = rc) : 0;
}

/* A part name is a plain file name: it can neither escape DIR nor hide. */
static int valid_part_name(const char *s) {
  if (!s || !*s || *s == '.' || strlen(s) > 255)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
      return 0;
  return 1;
}

int dconv_host_part_open(dconv_export *ex, const char *name) {
  if (ex->role != RUN_WRITER)
    return not_a_writer(ex, "part_open");
  if (ex->in_entry)
    return dconv_host_fail(ex, DCONV_E_INVALID, "%s(): entry '%s' is still open",
                           "part_open", ex->entry_name.data);
  if (ex->in_part)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                       "part_open('%s'): part '%s' is still open",
                       name ? name : "", ex->parts[ex->n_parts - 1].name);
  if (ex->wrote_main)
    return dconv_host_fail(ex, DCONV_E_INVALID,
                       "part_open() after output outside any part");
  if (!valid_part_name(name))
    return dconv_host_fail(ex, DCONV_E_INVALID,
                       "part_open(): '%s' is not a valid part name "
                       "([A-Za-z0-9._-], not starting with '.')",
                       name ? name : "(null)");
  for (size_t i = 0; i < ex->n_parts; i++)
    if (strcmp(ex->parts[i].name, name) == 0)
      return dconv_host_fail(ex, DCONV_E_INVALID,
                         "part_open(): part '%s' was already written", name);
  if (ex->n_parts == ex->cap_parts) {
    size_t cap = ex->cap_parts ? ex->cap_parts * 2 : 8;
    host_part *p = realloc(ex->parts, cap * sizeof *p);
    if (!p)
      return dconv_host_fail(ex, DCONV_E_NOMEM, "out of memory");
    ex->parts = p;
    ex->cap_parts = cap;
  }
  host_part *p = &ex->parts[ex->n_parts];
  memset(p, 0, sizeof *p);
  if (!(p->name = strdup(name)))
    return dconv_host_fail(ex, DCONV_E_NOMEM, "out of memory");
  ex->n_parts++;
  ex->in_part = 1;
  return 0;
}

int dconv_host_part_close(dconv_export *ex) {
  if (ex->role != RUN_WRITER)
    return not_a_writer(ex, "part_close");
  if (ex->in_entry)
    return dconv_host_fail(ex, DCONV_E_INVALID, "%s(): entry '%s' is still open",
                           "part_close", ex->entry_name.data);
  host_part *p = open_part(ex);
  if (!p)
    return dconv_host_fail(ex, DCONV_E_INVALID, "part_close(): no part is open");
  ex->in_part = 0;
  if (ex->plugin->desc.flags & DCONV_PLUGIN_CONTAINER) {
    if (!ex->zip)
      return dconv_host_fail(ex, DCONV_E_PLUGIN, "part '%s': no entries added",
                         p->name);
    dconv_zip *z = ex->zip;
    ex->zip = NULL;
    int rc = dconv_zip_finish(z, &ex->error);
    if (rc)
      return dconv_host_fail(ex, rc, "part '%s': %s", p->name, ex->error.data);
  }
  return 0;
}

const char *dconv_host_output_name(dconv_export *ex) {
  return ex->role == RUN_WRITER && ex->dest->name ? ex->dest->name : "-";
}


/* Directory mode: write every part to a temporary file in DIR (all of them
 * before any is renamed, so a full disk shows before anything changed).
 * The caller renames them with dconv_host_dest_finish. */
static int parts_to_dir(dconv_export *ex) {
  dconv_host_dest *d = ex->dest;
  if (mkdir(d->dir, 0777) != 0 && errno != EEXIST)
    return dconv_host_fail(ex, DCONV_E_IO, "cannot create directory %s: %s",
                       d->dir, strerror(errno));
  /* One descriptor per part is open until the commit. */
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
      rl.rlim_cur < ex->n_parts + 64) {
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > ex->n_parts + 64
                      ? ex->n_parts + 64
                      : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  d->pending = calloc(ex->n_parts ? ex->n_parts : 1, sizeof *d->pending);
  if (!d->pending)
    return dconv_host_fail(ex, DCONV_E_NOMEM, "out of memory");
  size_t dl = strlen(d->dir);
  for (size_t i = 0; i < ex->n_parts; i++) {
    dconv_buf path = DCONV_BUF_INIT;
    if (dconv_buf_printf(&path, "%s%s%s", d->dir,
                         dl && d->dir[dl - 1] == '/' ? "" : "/",
                         ex->parts[i].name))
      return dconv_host_fail(ex, DCONV_E_NOMEM, "out of memory");
    dconv_output *o = dconv_output_open(path.data, ex->diag);
    dconv_buf_free(&path);
    if (!o)
      return dconv_host_fail(ex, DCONV_E_IO, "cannot write part '%s'",
                         ex->parts[i].name);
    d->pending[d->n_pending++] = o;
    int rc = dconv_output_write(o, ex->parts[i].bytes.data,
                                ex->parts[i].bytes.len);
    if (rc)
      return dconv_host_fail(ex, rc, "cannot write part '%s'", ex->parts[i].name);
  }
  return 0;
}

/* Single output: the parts become the entries of one zip archive. */
static int parts_to_zip(dconv_export *ex) {
  dconv_host_dest *d = ex->dest;
  if (!d->name_given)
    return dconv_host_fail(ex, DCONV_E_OPTION,
                       "this run writes %zu files; name where with -o DIR/ "
                       "(one file each) or -o FILE.zip (one archive)",
                       ex->n_parts);
  if (dconv_output_is_tty(d->out))
    return dconv_host_fail(ex, DCONV_E_OPTION,
                       "this run writes a zip of %zu files; refusing to send "
                       "it to a terminal (use -o DIR/ or -o FILE.zip)",
                       ex->n_parts);
  dconv_zip *z = NULL;
  int rc = dconv_zip_new(&z, dconv_host_timestamp(ex), output_sink, d->out, &ex->error);
  /* Container parts are zips already: store them, deflate the rest. */
  int store = (ex->plugin->desc.flags & DCONV_PLUGIN_CONTAINER) != 0;
  for (size_t i = 0; !rc && i < ex->n_parts; i++)
    rc = dconv_zip_add(z, ex->parts[i].name, ex->parts[i].bytes.data,
                       ex->parts[i].bytes.len, store, &ex->error);
  if (!rc)
    return dconv_zip_finish(z, &ex->error)
               ? (ex->error_code = DCONV_E_IO)
               : 0;
  dconv_zip_free(z);
  return ex->error_code = rc;
}

int dconv_host_output_finish(dconv_export *ex) {
  int rc = 0;
  if (ex->in_entry)
    rc = dconv_host_entry_close(ex);
  if (!rc && ex->in_part)
    rc = dconv_host_part_close(ex);
  int container = (ex->plugin->desc.flags & DCONV_PLUGIN_CONTAINER) != 0;
  if (!rc && ex->n_parts)
    rc = ex->dest->dir ? parts_to_dir(ex) : parts_to_zip(ex);
  else if (!rc && ex->dest->dir)
    rc = dconv_host_fail(ex, DCONV_E_PLUGIN, "plugin wrote nothing");
  else if (!rc && container && !ex->zip)
    rc = dconv_host_fail(ex, DCONV_E_PLUGIN, "plugin added no entries");
  else if (!rc && container) {
    dconv_zip *z = ex->zip;
    ex->zip = NULL;
    rc = dconv_zip_finish(z, &ex->error);
  }
  return rc;
}

void dconv_host_output_free(dconv_export *ex) {
  dconv_zip_free(ex->zip);
  ex->zip = NULL;
  for (size_t i = 0; i < ex->n_parts; i++) {
    free(ex->parts[i].name);
    dconv_buf_free(&ex->parts[i].bytes);
  }
  free(ex->parts);
  dconv_buf_free(&ex->entry_name);
  ex->parts = NULL;
  ex->n_parts = 0;
}
