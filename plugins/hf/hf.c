/*
 * hf - reader for Hugging Face Daily Papers JSON (--from hf).
 *
 * Input: a JSON array with one element per paper, as the Hugging Face Daily
 * Papers API returns it ({"paper": {"id", "title", "authors": [{"name"}],
 * "upvotes", "summary", ...}, ...}), optionally with the Korean fields
 * `purpose`, `method[]` and `conclusion` that the hf-daily-paper-korean
 * project adds. One input is one digest; its date comes from the file name
 * (YYYY-MM-DD...), as the API's files carry it nowhere else, or from
 * -O date=... (--from hf:date=YYYY-MM-DD, e.g. for stdin).
 *
 * The tree is the one the Markdown digest generated from the same file
 * parses to (tests/readers/ checks this on all sample days):
 *   - title: the English title, its arXiv line wrapping joined;
 *   - url https://arxiv.org/abs/ID, media the paper's thumbnail image;
 *   - votes: upvotes;
 *   - authors: more than 20 are shown as the first 13, an elision, the
 *     last 7 (authors_elided_at = 13), as the Markdown digests do;
 *   - bullets: purpose, each method[] item, conclusion; a file without the
 *     Korean fields gets the English abstract as its one bullet.
 *
 * JSON is parsed with jansson (see README.md for why), which reports the
 * line and column of a syntax error.
 */
#include <dconv/plugin.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The Markdown digests show at most this many authors: the first HEAD, an
 * elision mark, the last TAIL. */
#define HF_MAX_AUTHORS 20
#define HF_HEAD_AUTHORS 13
#define HF_TAIL_AUTHORS 7

/* Hugging Face's thumbnail of a paper; the generated digests embed it. */
#define HF_THUMBNAIL                                                           \
  "https://cdn-thumbnails.huggingface.co/social-thumbnails/"                   \
  "papers/%s.png"

/** One run of the reader over one input. */
typedef struct hf_reader {
  const dconv_host *h;
  dconv_export *ex;
  const char *name; /* the input's name, for messages */
  int rc;           /* first error (set_error already called), or 0 */
} hf_reader;

/* Record the first error; later ones would only repeat its cause. */
static int hf_fail(hf_reader *r, int code, const char *fmt, ...)
    DCONV_PRINTF(3, 4);
static int hf_fail(hf_reader *r, int code, const char *fmt, ...) {
  if (r->rc)
    return r->rc;
  va_list ap;
  va_start(ap, fmt);
  r->rc = r->h->vset_error(r->ex, code, fmt, ap);
  va_end(ap);
  return r->rc;
}

/* JSON's white space (RFC 8259). */
static int hf_is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A failed host call already recorded its reason; keep only the code. */
static int hf_check(hf_reader *r, int rc) {
  if (rc && !r->rc)
    r->rc = rc;
  return rc;
}

/*
 * Set string attribute `key` to `s` with the arXiv line wrapping undone:
 * each run of white space with a line break (or tab) becomes one space,
 * and white space at either end goes (Markdown headings and list items are
 * single lines, so the digest shows the text that way).
 */
static int hf_set_text(hf_reader *r, const dconv_node *n, const char *key,
                       const char *s) {
  size_t len = strlen(s);
  char *buf = r->h->alloc(len + 1);
  if (!buf)
    return hf_check(r, DCONV_E_NOMEM);
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    size_t j = i;
    int newline = 0;
    while (j < len && hf_is_space(s[j])) {
      newline |= s[j] != ' ';
      j++;
    }
    if (j > i) { /* a run of white space */
      if (o > 0 && j < len) {
        if (newline)
          buf[o++] = ' ';
        else
          for (size_t k = i; k < j; k++)
            buf[o++] = s[k];
      }
      i = j;
    } else {
      buf[o++] = s[i++];
    }
  }
  int rc = r->h->node_set_str(r->ex, n, key, buf, o);
  r->h->free(buf);
  return hf_check(r, rc);
}

/* A string member of `obj`, or NULL (absent or not a string). */
static const char *hf_str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

/* A member that must be a non-empty string: error naming paper `i`. */
static const char *hf_need_str(hf_reader *r, const json_t *obj, const char *key,
                               size_t i) {
  const char *s = hf_str(obj, key);
  if (!s || !*s)
    hf_fail(r, DCONV_E_PARSE,
            "paper %zu: \"%s\" is missing or not a non-empty string", i + 1,
            key);
  return s;
}

/* One summary bullet: an ITEM with the text as its one TEXT node. */
static int hf_bullet(hf_reader *r, const dconv_node *paper, const char *text) {
  const dconv_node *item, *t;
  if (hf_check(r,
               r->h->node_add(r->ex, paper, DCONV_NODE_ITEM, NULL, 0, &item)) ||
      hf_check(r, r->h->node_set_int(r->ex, item, DCONV_ATTR_DEPTH, 0)) ||
      hf_check(r, r->h->node_add(r->ex, item, DCONV_NODE_TEXT, NULL, 0, &t)))
    return r->rc;
  return hf_set_text(r, t, DCONV_ATTR_TEXT, text);
}

static int hf_author(hf_reader *r, const dconv_node *paper, const json_t *a,
                     size_t i) {
  const char *name = hf_str(a, "name");
  if (!name)
    return hf_fail(r, DCONV_E_PARSE,
                   "paper %zu: an author has no \"name\" string", i + 1);
  const dconv_node *n;
  if (hf_check(r, r->h->node_add(r->ex, paper, DCONV_NODE_AUTHOR, NULL, 0, &n)))
    return r->rc;
  return hf_set_text(r, n, DCONV_ATTR_NAME, name);
}

static int hf_authors(hf_reader *r, const dconv_node *paper,
                      const json_t *authors, size_t i) {
  if (!authors)
    return 0;
  if (!json_is_array(authors))
    return hf_fail(r, DCONV_E_PARSE,
                   "paper %zu: \"authors\" is not an "
                   "array",
                   i + 1);
  size_t n = json_array_size(authors);
  int elide = n > HF_MAX_AUTHORS;
  for (size_t k = 0; k < n; k++) {
    if (elide && k == HF_HEAD_AUTHORS)
      k = n - HF_TAIL_AUTHORS;
    if (hf_author(r, paper, json_array_get(authors, k), i))
      return r->rc;
  }
  if (!elide)
    return 0;
  if (hf_check(r,
               r->h->node_set_int(r->ex, paper, DCONV_ATTR_AUTHORS_ELIDED, 1)))
    return r->rc;
  return hf_check(r,
                  r->h->node_set_int(r->ex, paper, DCONV_ATTR_AUTHORS_ELIDED_AT,
                                     HF_HEAD_AUTHORS));
}

/* The bullets: the Korean fields when present, else the abstract. */
static int hf_bullets(hf_reader *r, const dconv_node *paper, const json_t *e,
                      const json_t *p, size_t i) {
  const char *purpose = hf_str(e, "purpose");
  const json_t *method = json_object_get(e, "method");
  const char *conclusion = hf_str(e, "conclusion");
  if (!purpose && !method && !conclusion) {
    const char *abstract = hf_str(p, "summary");
    return abstract && *abstract ? hf_bullet(r, paper, abstract) : 0;
  }
  if (method && !json_is_array(method))
    return hf_fail(r, DCONV_E_PARSE, "paper %zu: \"method\" is not an array",
                   i + 1);
  if (purpose && hf_bullet(r, paper, purpose))
    return r->rc;
  for (size_t k = 0; k < json_array_size(method); k++) {
    const char *m = json_string_value(json_array_get(method, k));
    if (!m)
      return hf_fail(r, DCONV_E_PARSE,
                     "paper %zu: method item %zu is not a string", i + 1,
                     k + 1);
    if (hf_bullet(r, paper, m))
      return r->rc;
  }
  return conclusion ? hf_bullet(r, paper, conclusion) : 0;
}

/* Paper `i` of the array: element `e` with its API object "paper". */
static int hf_paper(hf_reader *r, const dconv_node *digest, const json_t *e,
                    size_t i) {
  const json_t *p = json_object_get(e, "paper");
  if (!json_is_object(p))
    return hf_fail(r, DCONV_E_PARSE,
                   "paper %zu: no \"paper\" object (not Hugging Face "
                   "Daily Papers JSON?)",
                   i + 1);
  const char *id = hf_need_str(r, p, "id", i);
  const char *title = hf_need_str(r, p, "title", i);
  if (r->rc)
    return r->rc;
  const json_t *votes = json_object_get(p, "upvotes");
  if (votes && !json_is_integer(votes) && !json_is_null(votes))
    return hf_fail(r, DCONV_E_PARSE, "paper %zu: \"upvotes\" is not an integer",
                   i + 1);

  char url[256], media[256];
  if (snprintf(url, sizeof url, "https://arxiv.org/abs/%s", id) >=
          (int)sizeof url ||
      snprintf(media, sizeof media, HF_THUMBNAIL, id) >= (int)sizeof media)
    return hf_fail(r, DCONV_E_PARSE, "paper %zu: \"id\" is too long", i + 1);
  /* A thumbnail the API names itself wins over the usual address. */
  const char *thumb = hf_str(e, "thumbnail");
  const dconv_node *n;
  const dconv_host *h = r->h;
  if (hf_check(r, h->node_add(r->ex, digest, DCONV_NODE_PAPER, NULL, 0, &n)) ||
      hf_set_text(r, n, DCONV_ATTR_TITLE, title) ||
      hf_check(r,
               h->node_set_str(r->ex, n, DCONV_ATTR_URL, url, strlen(url))) ||
      hf_check(
          r, h->node_set_str(r->ex, n, DCONV_ATTR_ARXIV_ID, id, strlen(id))) ||
      hf_check(r,
               h->node_set_str(r->ex, n, DCONV_ATTR_MEDIA_KIND, "image", 5)) ||
      hf_check(r, h->node_set_str(r->ex, n, DCONV_ATTR_MEDIA_URL,
                                  thumb ? thumb : media,
                                  strlen(thumb ? thumb : media))))
    return r->rc;
  if (json_is_integer(votes) &&
      hf_check(r, h->node_set_int(r->ex, n, DCONV_ATTR_VOTES,
                                  (int64_t)json_integer_value(votes))))
    return r->rc;
  if (hf_authors(r, n, json_object_get(p, "authors"), i))
    return r->rc;
  return hf_bullets(r, n, e, p, i);
}

/* Digest date: -O date, else the YYYY-MM-DD the file name starts with.
 * Writes 10 characters and a NUL to out[11]; the host validates the date. */
static int hf_date(hf_reader *r, char out[11]) {
  const char *opt = r->h->option(r->ex, "date");
  if (opt && *opt) {
    if (strlen(opt) != 10)
      return hf_fail(r, DCONV_E_OPTION,
                     "date '%s' is not of the form YYYY-MM-DD", opt);
    memcpy(out, opt, 11);
    return 0;
  }
  const char *base = strrchr(r->name, '/');
  base = base ? base + 1 : r->name;
  static const char shape[] = "dddd-dd-dd";
  for (size_t k = 0; k < 10; k++) {
    int digit = base[k] >= '0' && base[k] <= '9';
    if (shape[k] == 'd' ? !digit : base[k] != '-')
      return hf_fail(r, DCONV_E_PARSE,
                     "no digest date: Hugging Face JSON carries it only "
                     "in the file name, which must start with YYYY-MM-DD "
                     "(or use --from hf:date=YYYY-MM-DD)");
  }
  memcpy(out, base, 10);
  out[10] = '\0';
  return 0;
}

static int hf_read(const dconv_host *h, dconv_export *ex, const char *name,
                   const char *data, size_t len) {
  hf_reader r = {h, ex, name, 0};
  char date[11];
  if (hf_date(&r, date))
    return r.rc;
  json_error_t err;
  json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
  if (!doc)
    return h->set_error(ex, DCONV_E_PARSE, "line %d, column %d: %s", err.line,
                        err.column, err.text);
  if (!json_is_array(doc)) {
    json_decref(doc);
    return h->set_error(ex, DCONV_E_PARSE,
                        "not Hugging Face Daily Papers JSON: the top "
                        "level is not an array of papers");
  }
  const dconv_node *d;
  if (!hf_check(&r,
                h->node_add(ex, h->root(ex), DCONV_NODE_DIGEST, NULL, 1, &d)) &&
      !hf_check(&r, h->node_set_str(ex, d, DCONV_ATTR_DATE, date, 10)) &&
      !hf_check(&r,
                h->node_set_str(ex, d, DCONV_ATTR_TITLE, "Daily Papers", 12))) {
    for (size_t i = 0; i < json_array_size(doc); i++)
      if (hf_paper(&r, d, json_array_get(doc, i), i))
        break;
  }
  json_decref(doc);
  return r.rc;
}

/* Skip white space from data[i]; returns the index of the next byte. */
static size_t hf_skip_space(const char *data, size_t len, size_t i) {
  while (i < len && hf_is_space(data[i]))
    i++;
  return i;
}

/*
 * An array whose first element has a "paper" object: 90 (no other format
 * dconv reads looks like that). An empty array in a file named like the
 * API's daily files: 60; any other empty array: not ours.
 */
static int hf_probe(const char *name, const char *data, size_t len) {
  size_t i = hf_skip_space(data, len, 0);
  if (i >= len || data[i] != '[')
    return 0;
  i = hf_skip_space(data, len, i + 1);
  if (i < len && data[i] == ']')
    return strstr(name, "_paper") ? 60 : 0;
  if (i >= len || data[i] != '{')
    return 0;
  return strstr(data + i, "\"paper\"") && strstr(data + i, "\"upvotes\"") ? 90
                                                                          : 0;
}

static const dconv_option hf_options[] = {
    {sizeof(dconv_option), DCONV_OPT_STRING, "date", NULL, NULL,
     "digest date YYYY-MM-DD (default: the start of the file name)"},
};

static const char *const hf_extensions[] = {"json", NULL};

static const dconv_plugin_ext hf_plugin = {
    .base = {DCONV_PLUGIN_EXT_HEADER, .name = "hf", .version = "1.0.0",
             .description = "Hugging Face Daily Papers JSON (reader)",
             .extension = "", .options = hf_options,
             .n_options = sizeof hf_options / sizeof hf_options[0]},
    .read = hf_read,
    .probe = hf_probe,
    .read_extensions = hf_extensions,
};

DCONV_PLUGIN_DEFINE(hf_plugin.base)
