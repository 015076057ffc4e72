/*
 * json_read - the reader of the json module (--from json): dconv's own JSON
 * output back into the tree, losslessly, so a digest can go through jq and
 * on to any writer (`dconv --to json ... | jq ... | dconv --from json`).
 *
 * The writer (json.c) fixes the shape; this side reads it generically where
 * it can: apart from the keys that hold children ("digests", "papers",
 * "authors", "summary", "content"), the grouped "media" and the "source"
 * position, every member of an object is an attribute of the same name
 * (strings set with node_set_str, integers and booleans with node_set_int,
 * null means absent). So an attribute the writer learns to emit later reads
 * back without a change here, and a key the host does not know is reported
 * instead of silently lost. "source" ({"file", "line"}, -O source=true)
 * becomes the node's source position, so messages still point at the
 * original Markdown.
 *
 * JSON is parsed with jansson (plugins/hf/README.md says why); it reports
 * the line of a syntax error. Values carry no position, so other errors
 * name the path, e.g. "digests[0].papers[3].votes".
 */
#include "json_read.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/** One run of the reader over one input. */
typedef struct json_reader {
  const dconv_host *h;
  dconv_export *ex;
  const char *name; /* the input's name, for messages */
  int rc;           /* first error (reason recorded), or 0 */
} json_reader;

/* Path of a value for messages, e.g. "digests[0].papers[3]". */
typedef struct json_path {
  char s[160];
} json_path;

static void json_path_make(json_path *out, const json_path *parent,
                           const char *key, long index) {
  const char *pre = parent ? parent->s : "";
  const char *dot = parent && parent->s[0] ? "." : "";
  int n = index >= 0 ? snprintf(out->s, sizeof out->s, "%s%s%s[%ld]", pre, dot,
                                key, index)
                     : snprintf(out->s, sizeof out->s, "%s%s%s", pre, dot, key);
  /* Deep inline nesting: the path's end is cut, visibly. */
  if (n < 0 || (size_t)n >= sizeof out->s)
    memcpy(out->s + sizeof out->s - 4, "...", 4);
}

static int json_read_fail(json_reader *r, int code, const char *fmt, ...)
    DCONV_PRINTF(3, 4);
static int json_read_fail(json_reader *r, int code, const char *fmt, ...) {
  if (r->rc)
    return r->rc;
  va_list ap;
  va_start(ap, fmt);
  r->rc = r->h->vset_error(r->ex, code, fmt, ap);
  va_end(ap);
  return r->rc;
}

/* A failed host call already recorded its reason; keep only the code. */
static int json_read_check(json_reader *r, int rc) {
  if (rc && !r->rc)
    r->rc = rc;
  return rc;
}

/* Is `key` one of the NULL-terminated `keys`? */
static int json_read_listed(const char *key, const char *const *keys) {
  for (; *keys; keys++)
    if (strcmp(key, *keys) == 0)
      return 1;
  return 0;
}

/* Set one attribute from a JSON value (see the top of the file). */
static int json_read_attr(json_reader *r, const dconv_node *n,
                          const json_path *at, const char *key,
                          const json_t *v) {
  const dconv_host *h = r->h;
  int rc;
  if (json_is_null(v))
    return 0;
  if (json_is_string(v))
    rc = h->node_set_str(r->ex, n, key, json_string_value(v),
                         json_string_length(v));
  else if (json_is_integer(v))
    rc = h->node_set_int(r->ex, n, key, (int64_t)json_integer_value(v));
  else if (json_is_boolean(v))
    rc = h->node_set_int(r->ex, n, key, json_is_true(v) ? 1 : 0);
  else
    return json_read_fail(r, DCONV_E_PARSE,
                          "%s.%s: expected a string, integer, boolean "
                          "or null",
                          at->s, key);
  if (rc == DCONV_E_NOTFOUND) /* a key this host does not know */
    return json_read_check(r, h->log(r->ex, DCONV_LOG_WARNING,
                                     "%s: %s.%s: unknown attribute, ignored",
                                     r->name, at->s, key));
  if (rc == DCONV_E_INVALID)
    return json_read_fail(r, DCONV_E_PARSE,
                          "%s.%s: not an attribute of this node, or of "
                          "the wrong type",
                          at->s, key);
  return json_read_check(r, rc);
}

/* Every member of `obj` not in `skip` as an attribute of `n`. */
static int json_read_attrs(json_reader *r, const dconv_node *n,
                           const json_path *at, const json_t *obj,
                           const char *const *skip) {
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    if (!json_read_listed(key, skip) && json_read_attr(r, n, at, key, v))
      return r->rc;
  }
  return 0;
}

/* Add a node of `kind` for object `obj`, at its "source" if it has one. */
static int json_read_node(json_reader *r, const dconv_node *parent,
                          uint32_t kind, const json_t *obj, const json_path *at,
                          const dconv_node **out) {
  const char *file = NULL;
  uint32_t line = 0;
  const json_t *src = json_object_get(obj, "source");
  if (src && !json_is_null(src)) {
    const json_t *l = json_object_get(src, "line");
    const json_t *f = json_object_get(src, "file");
    if (!json_is_object(src) || !json_is_integer(l) ||
        json_integer_value(l) < 0 || json_integer_value(l) > UINT32_MAX ||
        !(json_is_string(f) || json_is_null(f)))
      return json_read_fail(r, DCONV_E_PARSE,
                            "%s.source: expected {\"file\": string, "
                            "\"line\": integer}",
                            at->s);
    file = json_string_value(f);
    line = (uint32_t)json_integer_value(l);
  }
  return json_read_check(r,
                         r->h->node_add(r->ex, parent, kind, file, line, out));
}

/* Member `key` of `obj`, which must be an array when present (NULL when
 * absent or null); sets an error and returns NULL otherwise. */
static const json_t *json_read_array(json_reader *r, const json_t *obj,
                                     const json_path *at, const char *key) {
  const json_t *a = json_object_get(obj, key);
  if (!a || json_is_null(a))
    return NULL;
  if (!json_is_array(a)) {
    json_read_fail(r, DCONV_E_PARSE, "%s.%s: expected an array", at->s, key);
    return NULL;
  }
  return a;
}

static int json_read_inlines(json_reader *r, const dconv_node *parent,
                             const json_t *obj, const json_path *at);

/* Inline content kinds by their JSON "type". */
static const struct {
  const char *type;
  uint32_t kind;
} json_read_kinds[] = {
    {"text", DCONV_NODE_TEXT}, {"code", DCONV_NODE_CODE},
    {"emph", DCONV_NODE_EMPH}, {"strong", DCONV_NODE_STRONG},
    {"link", DCONV_NODE_LINK},
};

static int json_read_inline(json_reader *r, const dconv_node *parent,
                            const json_t *v, const json_path *at) {
  static const char *const skip[] = {"type", "content", "source", NULL};
  const char *type = json_string_value(json_object_get(v, "type"));
  if (!json_is_object(v) || !type)
    return json_read_fail(r, DCONV_E_PARSE,
                          "%s: expected an object with a \"type\"", at->s);
  uint32_t kind = DCONV_NODE_NONE;
  for (size_t k = 0; k < sizeof json_read_kinds / sizeof json_read_kinds[0];
       k++)
    if (strcmp(type, json_read_kinds[k].type) == 0)
      kind = json_read_kinds[k].kind;
  if (kind == DCONV_NODE_NONE) {
    /* A kind from a newer writer: keep its text, as tree.h asks of
     * unknown inline containers, by reading its content into the parent. */
    if (json_read_check(r, r->h->log(r->ex, DCONV_LOG_WARNING,
                                     "%s: %s: unknown inline type '%s', "
                                     "its content kept",
                                     r->name, at->s, type)))
      return r->rc;
    return json_read_inlines(r, parent, v, at);
  }
  const dconv_node *n;
  if (json_read_node(r, parent, kind, v, at, &n) ||
      json_read_attrs(r, n, at, v, skip))
    return r->rc;
  return json_read_inlines(r, n, v, at);
}

/* The "content" array of `obj` as inline children of `parent`. */
static int json_read_inlines(json_reader *r, const dconv_node *parent,
                             const json_t *obj, const json_path *at) {
  const json_t *content = json_read_array(r, obj, at, "content");
  for (size_t i = 0; i < json_array_size(content); i++) {
    json_path p;
    json_path_make(&p, at, "content", (long)i);
    if (json_read_inline(r, parent, json_array_get(content, i), &p))
      return r->rc;
  }
  return r->rc;
}

static int json_read_author(json_reader *r, const dconv_node *paper,
                            const json_t *v, const json_path *at) {
  static const char *const skip[] = {"source", NULL};
  const dconv_node *n;
  if (json_is_string(v)) /* the writer's short form: just the name */
    return json_read_node(r, paper, DCONV_NODE_AUTHOR, NULL, at, &n) ||
                   json_read_attr(r, n, at, DCONV_ATTR_NAME, v)
               ? r->rc
               : 0;
  if (!json_is_object(v))
    return json_read_fail(r, DCONV_E_PARSE, "%s: expected a name or an object",
                          at->s);
  if (json_read_node(r, paper, DCONV_NODE_AUTHOR, v, at, &n))
    return r->rc;
  return json_read_attrs(r, n, at, v, skip);
}

static int json_read_paper(json_reader *r, const dconv_node *digest,
                           const json_t *v, const json_path *at) {
  static const char *const skip[] = {"authors", "summary", "media", "source",
                                     NULL};
  static const char *const item_skip[] = {"content", "source", NULL};
  if (!json_is_object(v))
    return json_read_fail(r, DCONV_E_PARSE, "%s: expected an object", at->s);
  const dconv_node *p;
  if (json_read_node(r, digest, DCONV_NODE_PAPER, v, at, &p) ||
      json_read_attrs(r, p, at, v, skip))
    return r->rc;

  /* "media": {"kind", "url"} groups media_kind and media_url. */
  const json_t *media = json_object_get(v, "media");
  if (media && !json_is_null(media)) {
    const json_t *kind = json_object_get(media, "kind");
    const json_t *url = json_object_get(media, "url");
    if (!json_is_object(media) || !json_is_string(kind) || !json_is_string(url))
      return json_read_fail(r, DCONV_E_PARSE,
                            "%s.media: expected null or {\"kind\": "
                            "string, \"url\": string}",
                            at->s);
    if (json_read_attr(r, p, at, DCONV_ATTR_MEDIA_KIND, kind) ||
        json_read_attr(r, p, at, DCONV_ATTR_MEDIA_URL, url))
      return r->rc;
  }

  const json_t *authors = json_read_array(r, v, at, "authors");
  for (size_t i = 0; !r->rc && i < json_array_size(authors); i++) {
    json_path a;
    json_path_make(&a, at, "authors", (long)i);
    json_read_author(r, p, json_array_get(authors, i), &a);
  }
  const json_t *summary = json_read_array(r, v, at, "summary");
  for (size_t i = 0; !r->rc && i < json_array_size(summary); i++) {
    json_path s;
    json_path_make(&s, at, "summary", (long)i);
    const json_t *it = json_array_get(summary, i);
    const dconv_node *item;
    if (!json_is_object(it))
      return json_read_fail(r, DCONV_E_PARSE, "%s: expected an object", s.s);
    if (!json_read_node(r, p, DCONV_NODE_ITEM, it, &s, &item) &&
        !json_read_attrs(r, item, &s, it, item_skip))
      json_read_inlines(r, item, it, &s);
  }
  return r->rc;
}

static int json_read_digest(json_reader *r, const json_t *v,
                            const json_path *at) {
  static const char *const skip[] = {"papers", "source", NULL};
  if (!json_is_object(v))
    return json_read_fail(r, DCONV_E_PARSE, "%s: expected an object", at->s);
  const dconv_node *d;
  if (json_read_node(r, r->h->root(r->ex), DCONV_NODE_DIGEST, v, at, &d) ||
      json_read_attrs(r, d, at, v, skip))
    return r->rc;
  const json_t *papers = json_read_array(r, v, at, "papers");
  for (size_t i = 0; !r->rc && i < json_array_size(papers); i++) {
    json_path p;
    json_path_make(&p, at, "papers", (long)i);
    json_read_paper(r, d, json_array_get(papers, i), &p);
  }
  return r->rc;
}

/* The document: {"format": "dconv-json", "version": 1, "digests": [...]}.
 * Other top-level members (counts) are computed by the host: ignored. */
static int json_read_doc(json_reader *r, const json_t *doc) {
  const char *format = json_string_value(json_object_get(doc, "format"));
  const json_t *version = json_object_get(doc, "version");
  if (!json_is_object(doc) || !format || strcmp(format, "dconv-json") != 0)
    return json_read_fail(r, DCONV_E_PARSE,
                          "not dconv JSON (no \"format\": "
                          "\"dconv-json\" at the top level)");
  if (!json_is_integer(version) || json_integer_value(version) != 1)
    return json_read_fail(r, DCONV_E_PARSE,
                          "dconv JSON version is not 1 (this reader "
                          "knows only version 1)");
  json_path top = {""};
  const json_t *digests = json_read_array(r, doc, &top, "digests");
  for (size_t i = 0; !r->rc && i < json_array_size(digests); i++) {
    json_path d;
    json_path_make(&d, &top, "digests", (long)i);
    json_read_digest(r, json_array_get(digests, i), &d);
  }
  return r->rc;
}

int json_read(const dconv_host *h, dconv_export *ex, const char *name,
              const char *data, size_t len) {
  json_reader r = {h, ex, name, 0};
  json_error_t err;
  json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
  if (!doc)
    return h->set_error(ex, DCONV_E_PARSE, "line %d, column %d: %s", err.line,
                        err.column, err.text);
  json_read_doc(&r, doc);
  json_decref(doc);
  return r.rc;
}

int json_probe(const char *name, const char *data, size_t len) {
  (void)name;
  size_t i = 0;
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                     data[i] == '\n'))
    i++;
  /* The writer puts the marker first; jq keeps it near the top. */
  return i < len && data[i] == '{' && strstr(data + i, "\"dconv-json\"") ? 100
                                                                         : 0;
}
