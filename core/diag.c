#include "diag.h"

#include <string.h>

void dconv_diag_init(dconv_diag *d) {
  memset(d, 0, sizeof *d);
  d->out = stderr;
}

/* ------------------------------------------------------- terminal safety */

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code
 * point, or 0 when the bytes there are not valid UTF-8 (overlong forms,
 * surrogates and values above U+10FFFF included). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
  if (len == 0 || s[0] > 0xF4 || len > n)
    return 0;
  uint32_t c = s[0] & (0x7F >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = c << 6 | (s[i] & 0x3F);
  }
  static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return len;
}

/* Code points a terminal acts on instead of showing: C1 controls (U+009B
 * is CSI, an escape sequence by itself), and the line separators and
 * bidirectional controls that can make a name look like another. */
static int invisible(uint32_t c) {
  return (c >= 0x80 && c <= 0x9F) || c == 0x200E || c == 0x200F ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static void put_safe(const char *str, size_t n, FILE *f) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    size_t run = i; /* printable ASCII goes out in one piece */
    while (run < n && s[run] >= 0x20 && s[run] < 0x7F)
      run++;
    if (run > i) {
      fwrite(s + i, 1, run - i, f);
      i = run;
      continue;
    }
    uint32_t c;
    size_t len = s[i] >= 0x80 ? utf8_decode(s + i, n - i, &c) : 0;
    if (len && !invisible(c))
      fwrite(s + i, 1, len, f);
    else if (len)
      fprintf(f, "\\u%04x", (unsigned)c);
    else
      fprintf(f, "\\x%02x", s[i]); /* a control byte or a stray byte */
    i += len ? len : 1;
  }
}

void dconv_diag_fputs_safe(const char *s, FILE *f) {
  put_safe(s, strlen(s), f);
}

/* ---------------------------------------------------- repeated warnings */

static dconv_diag_kind *kind_of(dconv_diag *d, const char *fmt) {
  for (unsigned i = 0; i < d->n_kinds; i++)
    if (strncmp(d->kinds[i].key, fmt, DCONV_DIAG_KEY - 1) == 0)
      return &d->kinds[i];
  if (d->n_kinds == DCONV_DIAG_KINDS)
    return NULL;
  dconv_diag_kind *k = &d->kinds[d->n_kinds++];
  snprintf(k->key, sizeof k->key, "%s", fmt);
  return k;
}

/* A kind's name for a summary: its format string with every conversion
 * shown as "…" ("vote count '…' is not a number; votes unknown"). */
static void put_label(const char *key, FILE *f) {
  char label[DCONV_DIAG_KEY * 3];
  size_t n = 0;
  for (const char *p = key; *p && n + 4 < sizeof label; p++) {
    if (*p != '%') {
      label[n++] = *p;
      continue;
    }
    if (p[1] == '%') {
      label[n++] = *++p;
      continue;
    }
    while (p[1] && !strchr("diouxXeEfFgGaAcspn", p[1]))
      p++; /* flags, width, precision, length */
    if (p[1])
      p++;
    memcpy(label + n, "\xe2\x80\xa6", 3);
    n += 3;
  }
  put_safe(label, n, f);
}

static const char *warning_word(const dconv_diag *d) {
  return d->strict ? "error" : "warning";
}

/* The "N more like line L" lines of the current file, which it then
 * forgets. */
static void end_file(dconv_diag *d) {
  for (unsigned i = 0; i < d->n_kinds; i++) {
    dconv_diag_kind *k = &d->kinds[i];
    if (k->in_file > DCONV_DIAG_REPEAT && k->files <= DCONV_DIAG_REPEAT &&
        !d->verbose && !(d->quiet && !d->strict)) {
      put_safe(d->file, strlen(d->file), d->out);
      fprintf(d->out, ": %s: %lu more like line %lu: ", warning_word(d),
              k->in_file - DCONV_DIAG_REPEAT, (unsigned long)k->first_line);
      put_label(k->key, d->out);
      fputs(" (-v shows all)\n", d->out);
    }
    k->in_file = 0;
  }
  d->file[0] = '\0';
}

void dconv_diag_summarize(dconv_diag *d) {
  end_file(d);
  for (unsigned i = 0; i < d->n_kinds; i++) {
    dconv_diag_kind *k = &d->kinds[i];
    if (k->held && !(d->quiet && !d->strict)) {
      fprintf(d->out, "dconv: %s: %lu more in %lu more files: ",
              warning_word(d), k->held, k->held_files);
      put_label(k->key, d->out);
      fputs(" (-v shows all)\n", d->out);
    }
    k->held = k->held_files = 0;
  }
}

void dconv_diag_print_kinds(const dconv_diag *d, FILE *f) {
  unsigned order[DCONV_DIAG_KINDS];
  for (unsigned i = 0; i < d->n_kinds; i++) { /* insertion sort, stable */
    unsigned j = i;
    while (j > 0 && d->kinds[order[j - 1]].total < d->kinds[i].total) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  for (unsigned i = 0; i < d->n_kinds; i++) {
    fprintf(f, "%8lu  ", d->kinds[order[i]].total);
    put_label(d->kinds[order[i]].key, f);
    fputc('\n', f);
  }
  if (d->other)
    fprintf(f, "%8lu  other warnings\n", d->other);
}

/* ------------------------------------------------------------ reporting */

/* Count a warning under its kind; 1 when it is a repetition to hold back. */
static int repeated(dconv_diag *d, uint32_t line, const char *fmt) {
  d->warnings++;
  dconv_diag_kind *k = kind_of(d, fmt);
  if (!k) {
    d->other++;
    return 0;
  }
  k->total++;
  if (++k->in_file == 1) {
    k->first_line = line;
    if (++k->files > DCONV_DIAG_REPEAT)
      k->held_files++;
  }
  if (d->verbose)
    return 0;
  if (k->files > DCONV_DIAG_REPEAT) { /* shown in enough files already */
    k->held++;
    return 1;
  }
  return k->in_file > DCONV_DIAG_REPEAT;
}

static void report(dconv_diag *d, dconv_diag_level level, const char *file,
                   uint32_t line, const char *suffix, const char *fmt,
                   va_list ap) {
  if (!file)
    file = "dconv";
  /* A diagnostic for another file ends the previous file's. */
  if (strncmp(d->file, file, sizeof d->file - 1) != 0) {
    end_file(d);
    snprintf(d->file, sizeof d->file, "%s", file);
  }
  const char *word = "error";
  if (level == DCONV_DIAG_ERROR) {
    d->errors++;
  } else if (level == DCONV_DIAG_WARNING) {
    if (repeated(d, line, fmt) || (d->quiet && !d->strict))
      return;
    word = warning_word(d);
  } else if (level == DCONV_DIAG_PLUGIN) {
    if (d->quiet)
      return;
    word = "warning";
  } else {
    if (!d->verbose)
      return;
    word = "note";
  }
  /* Room for the bytes after the cut, to see whether it splits a UTF-8
   * character (at most 3 continuation bytes follow). */
  char msg[DCONV_DIAG_MAX_MESSAGE + 4];
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  size_t len = n < 0 ? 0 : (size_t)n;
  int cut = len > DCONV_DIAG_MAX_MESSAGE;
  if (cut) { /* cut before a character, not inside one */
    len = DCONV_DIAG_MAX_MESSAGE;
    while (len > 0 && ((unsigned char)msg[len] & 0xC0) == 0x80)
      len--;
  }
  put_safe(file, strlen(file), d->out);
  if (line)
    fprintf(d->out, ":%lu", (unsigned long)line);
  fprintf(d->out, ": %s: ", word);
  put_safe(msg, len, d->out);
  if (cut)
    fputs("\xe2\x80\xa6", d->out);
  if (suffix) {
    fputs(" (", d->out);
    put_safe(suffix, strlen(suffix), d->out);
    fputc(')', d->out);
  }
  fputc('\n', d->out);
}

void dconv_diag_vreport(dconv_diag *d, dconv_diag_level level,
                        const char *file, uint32_t line, const char *fmt,
                        va_list ap) {
  report(d, level, file, line, NULL, fmt, ap);
}

void dconv_diag_vreport_from(dconv_diag *d, dconv_diag_level level,
                             const char *file, uint32_t line,
                             const char *suffix, const char *fmt, va_list ap) {
  report(d, level, file, line, suffix, fmt, ap);
}

void dconv_diag_report(dconv_diag *d, dconv_diag_level level, const char *file,
                       uint32_t line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  dconv_diag_vreport(d, level, file, line, fmt, ap);
  va_end(ap);
}

int dconv_diag_failed(const dconv_diag *d) {
  return d->errors > 0 || (d->strict && d->warnings > 0);
}
