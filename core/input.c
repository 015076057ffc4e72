#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include <dconv/tree.h>

static int list_push(dconv_input_list *l, const char *path) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **p = realloc(l->paths, cap * sizeof *p);
    if (!p)
      return DCONV_E_NOMEM;
    l->paths = p;
    l->cap = cap;
  }
  char *copy = strdup(path);
  if (!copy)
    return DCONV_E_NOMEM;
  l->paths[l->n++] = copy;
  return 0;
}

void dconv_input_list_free(dconv_input_list *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->paths[i]);
  free(l->paths);
  l->paths = NULL;
  l->n = l->cap = 0;
}

static int has_digest_suffix(const char *name) {
  size_t n = strlen(name);
  return name[0] != '.' &&
         ((n > 3 && strcmp(name + n - 3, ".md") == 0) ||
          (n > 4 && strcmp(name + n - 4, ".txt") == 0));
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int dconv_input_expand(dconv_input_list *list, const char *arg,
                       dconv_diag *diag) {
  struct stat st;
  if (strcmp(arg, "-") == 0 || stat(arg, &st) != 0 || !S_ISDIR(st.st_mode))
    return list_push(list, arg); /* errors surface when it is read */
  DIR *dir = opendir(arg);
  if (!dir) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, arg, 0, "cannot open directory: %s",
                      strerror(errno));
    return DCONV_E_IO;
  }
  size_t first = list->n;
  int rc = 0;
  struct dirent *e;
  size_t alen = strlen(arg);
  while (!rc && (e = readdir(dir)) != NULL) {
    if (!has_digest_suffix(e->d_name))
      continue;
    size_t need = alen + strlen(e->d_name) + 2;
    char *p = malloc(need);
    if (!p) {
      rc = DCONV_E_NOMEM;
      break;
    }
    snprintf(p, need, "%s%s%s", arg, (alen && arg[alen - 1] == '/') ? "" : "/",
             e->d_name);
    struct stat fst;
    if (stat(p, &fst) == 0 && S_ISREG(fst.st_mode))
      rc = list_push(list, p);
    free(p);
  }
  closedir(dir);
  if (rc)
    return rc;
  if (list->n == first) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, arg, 0,
                      "directory holds no digests (*.md or *.txt)");
    return DCONV_E_IO;
  }
  qsort(list->paths + first, list->n - first, sizeof(char *), cmp_str);
  return 0;
}

int dconv_input_read(const char *path, dconv_buf *out, dconv_diag *diag) {
  int fd = 0;
  out->len = 0;
  if (strcmp(path, "-") != 0) {
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      dconv_diag_report(diag, DCONV_DIAG_ERROR, path, 0, "cannot open: %s",
                        strerror(errno));
      return DCONV_E_IO;
    }
    struct stat st;
    int have_st = fstat(fd, &st) == 0;
    if (have_st && S_ISDIR(st.st_mode)) {
      dconv_diag_report(diag, DCONV_DIAG_ERROR, path, 0,
                        "is a directory holding no digests");
      close(fd);
      return DCONV_E_IO;
    }
    /* Size the buffer once for regular files (FIFOs and stdin grow it). */
    if (have_st && S_ISREG(st.st_mode) && st.st_size > 0 &&
        dconv_buf_reserve(out, (size_t)st.st_size)) {
      close(fd);
      return DCONV_E_NOMEM;
    }
  }
  int rc = 0;
  for (;;) {
    if (dconv_buf_reserve(out, 65536)) {
      rc = DCONV_E_NOMEM;
      break;
    }
    ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      dconv_diag_report(diag, DCONV_DIAG_ERROR, path, 0, "cannot read: %s",
                        strerror(errno));
      rc = DCONV_E_IO;
      break;
    }
    if (n == 0)
      break;
    out->len += (size_t)n;
  }
  if (out->data)
    out->data[out->len] = '\0';
  if (fd != 0)
    close(fd);
  return rc;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. Rejects
 * overlong forms, surrogates and code points above U+10FFFF. */
static inline size_t utf8_valid(const unsigned char *s, size_t avail) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (avail < n)
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  if (cp == 0xFFFE || cp == 0xFFFF)
    return 0; /* noncharacters XML forbids */
  return n;
}

static inline int is_bad_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r');
}

/* Three valid bytes at u (the lead E0..EF, checked by the caller), without
 * decoding the code point: only the leads E0 (overlong), ED (surrogates)
 * and EF (U+FFFE, U+FFFF) need a look at the second and third byte. */
static inline int utf8_valid3(const unsigned char *u) {
  unsigned char c = u[0], c1 = u[1], c2 = u[2];
  if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80)
    return 0;
  if (c == 0xE0)
    return c1 >= 0xA0;
  if (c == 0xED)
    return c1 < 0xA0;
  return !(c == 0xEF && c1 == 0xBF && c2 >= 0xBE);
}

size_t dconv_input_clean_prefix(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
  size_t i = 0;
  while (i < len) {
    unsigned char c = u[i];
    if (c < 0x80) {
      /* Eight printable ASCII bytes at a time (no high bit, none below
       * 0x20: the classic "has a byte less than n" test on a 64-bit
       * word), tried only where ASCII starts, so Korean text does not pay
       * for a failed attempt at every character. */
      while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if ((w & high) || ((w - ones * 0x20) & ~w & high))
          break;
        i += 8;
      }
      while (i < len && u[i] < 0x80) {
        if (is_bad_control(u[i]))
          return i;
        i++;
      }
      continue;
    }
    /* A run of three-byte sequences: all of Hangul and CJK, most of the
     * corpus' non-ASCII text. */
    while ((c & 0xF0) == 0xE0 && len - i >= 3) {
      if (!utf8_valid3(u + i))
        return i;
      i += 3;
      if (i == len)
        return i;
      c = u[i];
    }
    if (c < 0x80)
      continue;
    size_t n = utf8_valid(u + i, len - i);
    if (n == 0)
      break;
    i += n;
  }
  return i;
}

size_t dconv_input_append_clean(dconv_buf *out, const char *s, size_t len) {
  size_t replaced = 0;
  while (len) {
    size_t ok = dconv_input_clean_prefix(s, len);
    if (dconv_buf_append(out, s, ok))
      return (size_t)-1;
    s += ok;
    len -= ok;
    if (!len)
      break;
    if (dconv_buf_append(out, "\xEF\xBF\xBD", 3))
      return (size_t)-1;
    s++;
    len--;
    replaced++;
  }
  return replaced;
}

int dconv_input_sanitize(const char *name, dconv_buf *text, dconv_diag *diag) {
  unsigned char *s = (unsigned char *)text->data;
  size_t len = text->len;
  size_t start = 0;
  if (len >= 3 && s && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
    start = 3; /* byte order mark */

  /* Binary data and emptiness are decided before anything else. memchr
   * finds a NUL at memory speed; lines are counted only to report it. */
  const unsigned char *nul = len > start ? memchr(s + start, 0, len - start)
                                         : NULL;
  if (nul) {
    uint32_t line = 1;
    for (const unsigned char *p = s + start; p < nul; p++)
      line += *p == '\n';
    dconv_diag_report(diag, DCONV_DIAG_ERROR, name, line,
                      "binary data (NUL byte at offset %zu), not a digest",
                      (size_t)(nul - s));
    return DCONV_E_PARSE;
  }
  int blank = 1;
  for (size_t i = start; i < len && blank; i++)
    blank = s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';
  if (blank) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, name, 1,
                      "empty input, not a digest");
    return DCONV_E_PARSE;
  }
  uint32_t line = 1;

  /* Fast path: already clean text needs no copy (only the BOM goes). */
  size_t i = start + dconv_input_clean_prefix((const char *)s + start,
                                              len - start);
  if (i == len) {
    if (start) {
      memmove(s, s + start, len - start + 1);
      text->len -= start;
    }
    return 0;
  }

  dconv_buf clean = DCONV_BUF_INIT;
  dconv_buf bad_lines = DCONV_BUF_INIT; /* records: uint32_t line, u8 kind */
  if (dconv_buf_reserve(&clean, len + len / 2))
    return DCONV_E_NOMEM;
  if (dconv_buf_append(&clean, s + start, i - start))
    goto nomem;
  line = 1;
  for (size_t k = 0; k < i; k++)
    line += s[k] == '\n';
  /* Warnings wait until the text is known not to be binary, so a binary
   * file gets one clear error instead of a warning per line. */
  uint32_t warned_line = 0, restored_line = 0;
  size_t replaced = 0;
  while (i < len) {
    size_t n = utf8_valid(s + i, len - i);
    /* A backspace or form feed before a letter is a LaTeX command whose
     * backslash JSON read as an escape ("\benchmarkname" -> BS
     * "enchmarkname"): the two characters come back. */
    if ((s[i] == '\b' || s[i] == '\f') && i + 1 < len &&
        ((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z')) {
      unsigned char rec[5];
      memcpy(rec, &line, 4);
      rec[4] = 2;
      char esc[2] = {'\\', s[i] == '\b' ? 'b' : 'f'};
      if ((restored_line != line &&
           dconv_buf_append(&bad_lines, rec, sizeof rec)) ||
          dconv_buf_append(&clean, esc, 2))
        goto nomem;
      restored_line = line;
      i++;
      continue;
    }
    if (n == 0 || (n == 1 && is_bad_control(s[i]))) {
      if (warned_line != line) {
        unsigned char rec[5];
        memcpy(rec, &line, 4);
        rec[4] = n != 0;
        if (dconv_buf_append(&bad_lines, rec, sizeof rec))
          goto nomem;
        warned_line = line;
      }
      if (dconv_buf_append(&clean, "\xEF\xBF\xBD", 3))
        goto nomem;
      i++;
      replaced++;
      continue;
    }
    if (s[i] == '\n')
      line++;
    if (dconv_buf_append(&clean, s + i, n))
      goto nomem;
    i += n;
  }
  if (replaced > 64 && replaced > (len - start) / 4) {
    /* Text has the odd bad byte; a quarter of them means binary data. */
    dconv_diag_report(diag, DCONV_DIAG_ERROR, name, 1,
                      "binary data (%zu of %zu bytes are not UTF-8 text), not "
                      "a digest",
                      replaced, len - start);
    dconv_buf_free(&bad_lines);
    dconv_buf_free(&clean);
    return DCONV_E_PARSE;
  }
  for (size_t k = 0; k + 5 <= bad_lines.len; k += 5) {
    uint32_t l;
    memcpy(&l, bad_lines.data + k, 4);
    int kind = bad_lines.data[k + 4];
    if (kind == 2)
      dconv_diag_report(diag, DCONV_DIAG_WARNING, name, l,
                        "backspace or form feed before a letter (a LaTeX "
                        "command read as a JSON escape) written as '\\b' "
                        "or '\\f'");
    else
      dconv_diag_report(diag, DCONV_DIAG_WARNING, name, l,
                        kind ? "control character replaced with U+FFFD"
                             : "invalid UTF-8 replaced with U+FFFD");
  }
  dconv_buf_free(&bad_lines);
  dconv_buf_free(text);
  *text = clean;
  return 0;
nomem:
  dconv_buf_free(&bad_lines);
  dconv_buf_free(&clean);
  return DCONV_E_NOMEM;
}
