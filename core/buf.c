#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dconv/tree.h>

int dconv_buf_reserve(dconv_buf *b, size_t extra) {
  if (extra >= (size_t)-1 - b->len - 1)
    return DCONV_E_NOMEM;
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
  char *p = realloc(b->data, cap);
  if (!p)
    return DCONV_E_NOMEM;
  b->data = p;
  b->cap = cap;
  return 0;
}

int dconv_buf_append(dconv_buf *b, const void *data, size_t len) {
  if (dconv_buf_reserve(b, len))
    return DCONV_E_NOMEM;
  if (len)
    memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return 0;
}

int dconv_buf_puts(dconv_buf *b, const char *s) {
  return dconv_buf_append(b, s, strlen(s));
}

int dconv_buf_putc(dconv_buf *b, char c) { return dconv_buf_append(b, &c, 1); }

int dconv_buf_vprintf(dconv_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0 || dconv_buf_reserve(b, (size_t)n))
    return DCONV_E_NOMEM;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int dconv_buf_printf(dconv_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = dconv_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

char *dconv_buf_detach(dconv_buf *b) {
  if (!b->data && dconv_buf_reserve(b, 0))
    return NULL;
  b->data[b->len] = '\0';
  char *p = b->data;
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void dconv_buf_free(dconv_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
