/* parser_url.c - autolink ends and URL normalisation (see parser_url.h). */
#include "parser_url.h"

#include <stdlib.h>
#include <string.h>

static int is_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_hex(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Path, query and fragment: what may not stand in a URL is
 * percent-encoded, what is encoded already stays (the same rule as
 * dconv_util_put_url in include/dconv/util.h, which plugins use; the core
 * cannot use util.h's host-bound buffer). */
/* Bytes that may stand in a URL as they are: printable ASCII except the
 * space and "<>\\^`{|} (and '%' and '#', which put_rest decides on). */
static int url_plain(unsigned char c) {
  return c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>' &&
         c != '\\' && c != '^' && c != '`' && c != '{' && c != '|' &&
         c != '}' && c != '%' && c != '#';
}

static int put_rest(dconv_buf *out, const char *s, size_t len, int fragment) {
  static const char hex[] = "0123456789ABCDEF";
  size_t i = 0;
  while (i < len) {
    /* A run of plain bytes goes out in one append (most of a URL). */
    size_t run = i;
    while (run < len && url_plain((unsigned char)s[run]))
      run++;
    if (run > i && dconv_buf_append(out, s + i, run - i))
      return DCONV_E_NOMEM;
    if (run == len)
      break;
    i = run;
    unsigned char c = (unsigned char)s[i];
    int encode = 1;
    if (c == '%')
      encode = !(i + 2 < len && is_hex((unsigned char)s[i + 1]) &&
                 is_hex((unsigned char)s[i + 2]));
    if (c == '#') {
      encode = fragment;
      fragment = 1;
    }
    i++;
    if (!encode) {
      if (dconv_buf_putc(out, (char)c))
        return DCONV_E_NOMEM;
      continue;
    }
    char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
    if (dconv_buf_append(out, esc, 3))
      return DCONV_E_NOMEM;
  }
  return 0;
}

/* A dotted-quad IPv4 address, each part a decimal number up to 255. */
static int ipv4_ok(const char *h, size_t n) {
  int parts = 0;
  size_t i = 0;
  while (i <= n) {
    unsigned v = 0;
    size_t d = 0;
    while (i < n && is_digit((unsigned char)h[i]) && d < 4)
      v = v * 10 + (unsigned)(h[i++] - '0'), d++;
    if (d == 0 || d > 3 || v > 255)
      return 0;
    parts++;
    if (i == n)
      break;
    if (h[i] != '.')
      return 0;
    i++;
  }
  return parts == 4;
}

/* Host of a special URL: a domain of [A-Za-z0-9-_.] labels (no empty
 * label but a final dot), whose last label, if numeric, makes it an IPv4
 * address; or [IPv6]. */
static int host_ok(const char *h, size_t n) {
  if (n == 0)
    return 0;
  if (h[0] == '[') {
    if (n < 4 || h[n - 1] != ']')
      return 0;
    for (size_t i = 1; i + 1 < n; i++)
      if (!is_hex((unsigned char)h[i]) && h[i] != ':' && h[i] != '.')
        return 0;
    return memchr(h, ':', n) != NULL;
  }
  size_t label = 0, last = 0;
  int numeric = 1;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)h[i];
    if (c == '.') {
      if (i - label == 0)
        return 0; /* empty label */
      label = i + 1;
      if (i + 1 < n) {
        last = i + 1;
        numeric = 1;
      }
      continue;
    }
    if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '_')
      return 0;
    if (!is_digit(c))
      numeric = 0;
  }
  if (numeric && last < n)
    return ipv4_ok(h, n - (h[n - 1] == '.'));
  return 1;
}

int dconv_purl_normalize(const char *url, size_t len, dconv_buf *out) {
  while (len && (unsigned char)*url <= 0x20)
    url++, len--;
  while (len && (unsigned char)url[len - 1] <= 0x20)
    len--;
  size_t mark = out->len;
  const char *prefix = "";
  if (len >= 2 && url[0] == '/' && url[1] == '/')
    prefix = "https:"; /* protocol-relative */
  else if (len >= 1 && url[0] == '/')
    prefix = DCONV_PURL_BASE; /* root-relative: the Hugging Face site */
  dconv_buf tmp = DCONV_BUF_INIT;
  if (*prefix) {
    if (dconv_buf_puts(&tmp, prefix) || dconv_buf_append(&tmp, url, len)) {
      dconv_buf_free(&tmp);
      return DCONV_E_NOMEM;
    }
    url = tmp.data;
    len = tmp.len;
  }
  int rc = 0;
  size_t i = 0;
  if (len && is_alpha((unsigned char)url[0])) {
    i = 1;
    while (i < len && (is_alpha((unsigned char)url[i]) ||
                       is_digit((unsigned char)url[i]) || url[i] == '+' ||
                       url[i] == '-' || url[i] == '.'))
      i++;
  }
  if (i == 0 || i >= len || url[i] != ':')
    goto done; /* no scheme: a relative reference */
  size_t slen = i;
  char scheme[8] = "";
  for (size_t k = 0; k < slen && k < sizeof scheme - 1; k++)
    scheme[k] = lower(url[k]);
  int special = slen < sizeof scheme &&
                (!strcmp(scheme, "http") || !strcmp(scheme, "https") ||
                 !strcmp(scheme, "ftp") || !strcmp(scheme, "ws") ||
                 !strcmp(scheme, "wss"));
  i++; /* the colon */
  if (!special) {
    if (i == len)
      goto done; /* "mailto:" with nothing after it */
    for (size_t k = 0; k < slen; k++)
      if (dconv_buf_putc(out, lower(url[k])))
        goto nomem;
    if (dconv_buf_putc(out, ':') || put_rest(out, url + i, len - i, 0))
      goto nomem;
    rc = 1;
    goto done;
  }
  if (len - i < 2 || url[i] != '/' || url[i + 1] != '/')
    goto done;
  i += 2;
  size_t a = i;
  while (i < len && url[i] != '/' && url[i] != '?' && url[i] != '#' &&
         url[i] != '\\')
    i++;
  /* authority url[a..i): [userinfo@]host[:port] */
  size_t at = i;
  for (size_t k = a; k < i; k++)
    if (url[k] == '@')
      at = k;
  size_t h = at < i ? at + 1 : a, he = i;
  if (h < i && url[h] == '[') {
    const char *rb = memchr(url + h, ']', i - h);
    he = rb ? (size_t)(rb - url) + 1 : i;
  } else {
    const char *colon = memchr(url + h, ':', i - h);
    if (colon)
      he = (size_t)(colon - url);
  }
  if (!host_ok(url + h, he - h))
    goto done;
  size_t port = he;
  if (port < i) {
    if (url[port] != ':')
      goto done;
    unsigned long v = 0;
    for (size_t k = port + 1; k < i; k++) {
      if (!is_digit((unsigned char)url[k]))
        goto done;
      v = v * 10 + (unsigned long)(url[k] - '0');
      if (v > 65535)
        goto done;
    }
  }
  if (dconv_buf_puts(out, scheme) || dconv_buf_puts(out, "://"))
    goto nomem;
  if (at < i && put_rest(out, url + a, at - a + 1, 1))
    goto nomem;
  for (size_t k = h; k < he; k++)
    if (dconv_buf_putc(out, lower(url[k])))
      goto nomem;
  if (port + 1 < i && dconv_buf_append(out, url + port, i - port))
    goto nomem;
  /* "https://host" stays without the '/' a WHATWG serialiser would add:
   * it parses the same, and links written so stay byte-identical. */
  /* A '\\' ends the authority of a special URL and is a '/' (WHATWG);
   * written as %5C it would join the host when the URL is read again. */
  if (i < len && url[i] == '\\') {
    if (dconv_buf_putc(out, '/'))
      goto nomem;
    i++;
  }
  if (put_rest(out, url + i, len - i, 0))
    goto nomem;
  rc = 1;
done:
  if (rc != 1) {
    out->len = mark;
    if (out->data)
      out->data[mark] = '\0';
  }
  dconv_buf_free(&tmp);
  return rc;
nomem:
  rc = DCONV_E_NOMEM;
  goto done;
}

/* ------------------------------------------------------------ the pass */

/* Line of an inline node: cmark gives text nodes a position but not the
 * links the autolink extension makes, so look left, then up. */
static uint32_t line_of(cmark_node *n) {
  for (cmark_node *p = n; p; p = cmark_node_parent(p)) {
    for (cmark_node *s = p; s; s = cmark_node_previous(s)) {
      int l = cmark_node_get_start_line(s);
      if (l > 0)
        return (uint32_t)l;
    }
  }
  return 0;
}

/* A link the autolink extension (or <...>) made: one text child spelling
 * the URL, possibly without the "http://" or "mailto:" cmark added. */
static const char *autolink_text(cmark_node *link) {
  cmark_node *c = cmark_node_first_child(link);
  if (!c || cmark_node_next(c) || cmark_node_get_type(c) != CMARK_NODE_TEXT)
    return NULL;
  const char *t = cmark_node_get_literal(c), *u = cmark_node_get_url(link);
  if (!t || !u)
    return NULL;
  size_t tl = strlen(t), ul = strlen(u);
  if (ul < tl || strcmp(u + (ul - tl), t) != 0)
    return NULL;
  if (ul != tl && !((ul - tl == 7 && !strncmp(u, "http://", 7)) ||
                    (ul - tl == 7 && !strncmp(u, "mailto:", 7))))
    return NULL;
  return t;
}

/* Where the visible URL t must end: at the first non-ASCII byte or at a
 * ')' without its '(' inside the URL, then without trailing punctuation
 * (what cmark-gfm trims from the end of an autolink). */
static size_t autolink_end(const char *t) {
  size_t n = 0;
  int depth = 0;
  for (; t[n]; n++) {
    unsigned char c = (unsigned char)t[n];
    if (c >= 0x80)
      break;
    if (c == '(')
      depth++;
    else if (c == ')' && depth-- == 0)
      break;
  }
  if (!t[n])
    return n;
  while (n && strchr("?!.,:*_~'\"", t[n - 1]))
    n--;
  return n;
}

static void cut_autolink(dconv_pstate *ps, cmark_node *link, const char *t) {
  size_t tl = strlen(t), end = autolink_end(t);
  if (end == tl)
    return;
  const char *u = cmark_node_get_url(link);
  size_t pre = strlen(u) - tl;
  char *nu = malloc(pre + end + 1), *rest = malloc(tl - end + 1),
       *nt = malloc(end + 1);
  cmark_node *after = cmark_node_new_with_mem(CMARK_NODE_TEXT, ps->cmem);
  if (!nu || !rest || !nt || !after) {
    ps->rc = DCONV_E_NOMEM;
  } else {
    memcpy(nu, u, pre + end);
    nu[pre + end] = '\0';
    memcpy(rest, t + end, tl - end + 1);
    memcpy(nt, t, end);
    nt[end] = '\0';
    /* set_url and set_literal copy; t belongs to the child, so its new
     * text is set only after the remainder was copied out of it. */
    if (!cmark_node_set_url(link, nu) ||
        !cmark_node_set_literal(cmark_node_first_child(link), nt) ||
        !cmark_node_set_literal(after, rest) ||
        !cmark_node_insert_after(link, after))
      ps->rc = DCONV_E_NOMEM;
    else
      after = NULL;
  }
  if (after)
    cmark_node_free(after);
  free(nu);
  free(rest);
  free(nt);
}

/* Keep a link's content in its place, without the link. */
static void unwrap(cmark_node *link) {
  cmark_node *c;
  while ((c = cmark_node_first_child(link)) != NULL)
    cmark_node_insert_before(link, c);
  cmark_node_free(link);
}

void dconv_purl_fix_ast(dconv_pstate *ps, cmark_node *root) {
  /* Collected first: the tree changes under the pass. */
  dconv_buf links = DCONV_BUF_INIT;
  cmark_iter *it = cmark_iter_new(root);
  if (!it) {
    ps->rc = DCONV_E_NOMEM;
    return;
  }
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (ev == CMARK_EVENT_ENTER &&
        (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
        dconv_buf_append(&links, &n, sizeof n)) {
      ps->rc = DCONV_E_NOMEM;
      break;
    }
  }
  cmark_iter_free(it);
  dconv_buf norm = DCONV_BUF_INIT;
  for (size_t k = 0; !ps->rc && k + sizeof(cmark_node *) <= links.len;
       k += sizeof(cmark_node *)) {
    cmark_node *n;
    memcpy(&n, links.data + k, sizeof n);
    const char *t = cmark_node_get_type(n) == CMARK_NODE_LINK
                        ? autolink_text(n)
                        : NULL;
    if (t)
      cut_autolink(ps, n, t);
    const char *u = cmark_node_get_url(n);
    if (!u)
      u = "";
    norm.len = 0;
    int ok = dconv_purl_normalize(u, strlen(u), &norm);
    if (ok < 0) {
      ps->rc = ok;
    } else if (ok == 0) {
      size_t ul = strlen(u);
      PARSE_WARN(ps, line_of(n),
                 "%s URL '%.*s' is not a valid absolute URL; kept as text",
                 cmark_node_get_type(n) == CMARK_NODE_IMAGE ? "image" : "link",
                 (int)(ul > 80 ? 80 : ul), u);
      unwrap(n);
    } else if (strcmp(norm.data, u) != 0 && !cmark_node_set_url(n, norm.data)) {
      ps->rc = DCONV_E_NOMEM;
    }
  }
  dconv_buf_free(&norm);
  dconv_buf_free(&links);
}
