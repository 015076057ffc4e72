/*
 * buf.h - growable byte buffer used by the core (and only the core).
 *
 * Growth is geometric so appending n bytes costs O(n) amortised. The data is
 * always NUL-terminated so it can be handed out as a C string.
 */
#ifndef DCONV_CORE_BUF_H
#define DCONV_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct dconv_buf {
  char *data; /* owned; NUL-terminated when non-NULL */
  size_t len;
  size_t cap;
} dconv_buf;

#define DCONV_BUF_INIT {NULL, 0, 0}

/* All return 0 or DCONV_E_NOMEM. */
int dconv_buf_reserve(dconv_buf *b, size_t extra);
int dconv_buf_append(dconv_buf *b, const void *data, size_t len);
int dconv_buf_puts(dconv_buf *b, const char *s);
int dconv_buf_putc(dconv_buf *b, char c);
int dconv_buf_printf(dconv_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int dconv_buf_vprintf(dconv_buf *b, const char *fmt, va_list ap);
/* Give up ownership of the data (never NULL on success; caller frees). */
char *dconv_buf_detach(dconv_buf *b);
void dconv_buf_free(dconv_buf *b);

#endif
