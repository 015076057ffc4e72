#include "diag.h"

void dconv_diag_init(dconv_diag *d) {
  d->out = stderr;
  d->quiet = d->verbose = d->strict = 0;
  d->warnings = d->errors = 0;
}

void dconv_diag_vreport(dconv_diag *d, dconv_diag_level level,
                        const char *file, uint32_t line, const char *fmt,
                        va_list ap) {
  const char *word = "error";
  if (level == DCONV_DIAG_ERROR) {
    d->errors++;
  } else if (level == DCONV_DIAG_WARNING) {
    d->warnings++;
    if (d->quiet && !d->strict)
      return;
    word = d->strict ? "error" : "warning";
  } else if (level == DCONV_DIAG_PLUGIN) {
    if (d->quiet)
      return;
    word = "warning";
  } else {
    if (!d->verbose)
      return;
    word = "note";
  }
  if (!file)
    file = "dconv";
  if (line)
    fprintf(d->out, "%s:%lu: %s: ", file, (unsigned long)line, word);
  else
    fprintf(d->out, "%s: %s: ", file, word);
  vfprintf(d->out, fmt, ap);
  fputc('\n', d->out);
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
