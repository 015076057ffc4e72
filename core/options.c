#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "buf.h"
#include "input.h"

const dconv_option *dconv_options_find(const dconv_loaded *p, const char *key,
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

const char *dconv_options_value_problem(const dconv_option *o, const char *v) {
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
    /* A regular file within DCONV_OPTIONS_FILE_MAX: a device (/dev/zero),
     * a FIFO or a directory would hang or exhaust the plugin reading it,
     * so it is refused here, as a usage error, before any input is read. */
    int fd = open(v, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
      return "expects a readable file";
    struct stat st;
    int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    close(fd);
    if (!ok)
      return "expects a regular file (not a device, FIFO or directory)";
    if (st.st_size > DCONV_OPTIONS_FILE_MAX)
      return "names a file larger than 64 MiB";
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

int dconv_options_check(const dconv_loaded *p, char *const *opts,
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
    const dconv_option *o =
        dconv_options_find(p, opts[i], (size_t)(eq - opts[i]));
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
      const char *why = dconv_options_value_problem(o, eq + 1);
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

int dconv_options_set(dconv_opts *o, const char *kv, size_t len) {
  const char *eq = memchr(kv, '=', len);
  if (!eq)
    return 0;
  size_t kl = (size_t)(eq - kv);
  char *v = strndup(eq + 1, len - kl - 1);
  if (!v)
    return DCONV_E_NOMEM;
  for (size_t i = 0; i < o->n; i++) {
    if (strlen(o->v[i].key) == kl && strncmp(o->v[i].key, kv, kl) == 0) {
      free(o->v[i].value);
      o->v[i].value = v; /* later settings override presets */
      return 0;
    }
  }
  struct dconv_opt_kv *p = realloc(o->v, (o->n + 1) * sizeof *p);
  char *k = strndup(kv, kl);
  if (!p || !k) {
    if (p)
      o->v = p;
    free(k);
    free(v);
    return DCONV_E_NOMEM;
  }
  o->v = p;
  p[o->n].key = k;
  p[o->n].value = v;
  o->n++;
  return 0;
}

int dconv_options_set_list(dconv_opts *o, const char *list) {
  int rc = 0;
  for (const char *s = list; !rc && s && *s;) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    rc = dconv_options_set(o, s, len);
    s = comma ? comma + 1 : NULL;
  }
  return rc;
}

const char *dconv_options_get(const dconv_opts *o, const dconv_loaded *p,
                              const char *key) {
  for (size_t i = 0; i < o->n; i++)
    if (strcmp(o->v[i].key, key) == 0)
      return o->v[i].value;
  const dconv_option *d = dconv_options_find(p, key, strlen(key));
  return d ? d->default_value : NULL;
}

void dconv_options_free(dconv_opts *o) {
  for (size_t i = 0; i < o->n; i++) {
    free(o->v[i].key);
    free(o->v[i].value);
  }
  free(o->v);
  o->v = NULL;
  o->n = 0;
}

/* ------------------------------------------------------------- stages */

static int key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* 1 when s starts with "KEY=". */
static int starts_pair(const char *s) {
  size_t i = 0;
  while (key_char(s[i]))
    i++;
  return i > 0 && s[i] == '=';
}

int dconv_options_parse_stage(const char *spec, dconv_stage *out,
                              dconv_diag *diag) {
  memset(out, 0, sizeof *out);
  const char *colon = strchr(spec, ':');
  size_t nl = colon ? (size_t)(colon - spec) : strlen(spec);
  if (nl == 0) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0,
                      "'%s' names no plugin (expected NAME[:key=value,...])",
                      spec);
    return DCONV_E_OPTION;
  }
  if (!(out->name = strndup(spec, nl)))
    return DCONV_E_NOMEM;
  const char *s = colon ? colon + 1 : NULL;
  while (s && *s) {
    if (!starts_pair(s)) {
      dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0,
                        "'%s': '%s' is not of the form key=value", spec, s);
      dconv_options_free_stage(out);
      return DCONV_E_OPTION;
    }
    const char *end = s;
    for (;;) {
      end = strchr(end, ',');
      if (!end || starts_pair(end + 1))
        break;
      end++;
    }
    size_t len = end ? (size_t)(end - s) : strlen(s);
    char **v = realloc(out->opts, (out->n_opts + 1) * sizeof *v);
    if (!v) {
      dconv_options_free_stage(out);
      return DCONV_E_NOMEM;
    }
    out->opts = v;
    if (!(v[out->n_opts] = strndup(s, len))) {
      dconv_options_free_stage(out);
      return DCONV_E_NOMEM;
    }
    out->n_opts++;
    s = end ? end + 1 : NULL;
  }
  return 0;
}

void dconv_options_free_stage(dconv_stage *s) {
  for (size_t i = 0; i < s->n_opts; i++)
    free(s->opts[i]);
  free(s->opts);
  free(s->name);
  memset(s, 0, sizeof *s);
}
