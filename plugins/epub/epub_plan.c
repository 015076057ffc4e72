/*
 * epub_plan.c - the book decided before anything is written: the days and
 * their file names, every paper's anchor, the identifier, title, dates and
 * timestamps.
 */
#include "epub.h"

#include <dconv/tex.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

/* A BCP 47-shaped tag ("ko", "en-US", "zh-Hant-TW"): epubcheck rejects
 * anything else in dc:language, and it also lands in every lang attribute. */
int epub_lang_ok(const char *s) {
  size_t n = 0;
  while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z'))
    n++;
  if (n < 2 || n > 8)
    return 0;
  s += n;
  while (*s == '-') {
    s++;
    n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
           (s[n] >= '0' && s[n] <= '9'))
      n++;
    if (n < 1 || n > 8)
      return 0;
    s += n;
  }
  return *s == '\0';
}

static const char *const epub_months_en[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
static const char *const epub_months_ko[12] = {
    "1\xEC\x9B\x94", "2\xEC\x9B\x94", "3\xEC\x9B\x94", "4\xEC\x9B\x94",
    "5\xEC\x9B\x94", "6\xEC\x9B\x94", "7\xEC\x9B\x94", "8\xEC\x9B\x94",
    "9\xEC\x9B\x94", "10\xEC\x9B\x94", "11\xEC\x9B\x94",
    "12\xEC\x9B\x94"}; /* N월 */

static const epub_labels epub_labels_en = {
    "en", "Contents", "Landmarks", "Cover", "Title page", "Papers",
    "No papers.", "video", "%s paper", "%s papers", "%s day", "%s days",
    "", epub_months_en, 0, "see %s"};
static const epub_labels epub_labels_ko = {
    "ko", "\xEB\xAA\xA9\xEC\xB0\xA8",                      /* 목차 */
    "\xEC\xA3\xBC\xEC\x9A\x94 \xEC\x9C\x84\xEC\xB9\x98",      /* 주요 위치 */
    "\xED\x91\x9C\xEC\xA7\x80",                            /* 표지 */
    "\xEC\x86\x8D\xED\x91\x9C\xEC\xA7\x80",                    /* 속표지 */
    "\xEB\x85\xBC\xEB\xAC\xB8",                            /* 논문 */
    "\xEB\x85\xBC\xEB\xAC\xB8\xEC\x9D\xB4 \xEC\x97\x86\xEC\x8A\xB5\xEB\x8B\x88\xEB\x8B\xA4.",
    /* 논문이 없습니다. */
    "\xEB\x8F\x99\xEC\x98\x81\xEC\x83\x81",                    /* 동영상 */
    "\xEB\x85\xBC\xEB\xAC\xB8 %s\xED\x8E\xB8",                  /* 논문 N편 */
    "\xEB\x85\xBC\xEB\xAC\xB8 %s\xED\x8E\xB8",
    "%s\xEC\x9D\xBC", "%s\xEC\x9D\xBC",                         /* N일 */
    "\xEB\x85\x84", epub_months_ko, 1,                          /* 년 */
    "%s \xEC\xB0\xB8\xEC\xA1\xB0"};                                /* 참조 */

const epub_labels *epub_labels_for(const char *labels, const char *lang) {
  if (labels && *labels)
    return strcmp(labels, "ko") == 0 ? &epub_labels_ko : &epub_labels_en;
  int ko = (lang[0] == 'k' || lang[0] == 'K') &&
           (lang[1] == 'o' || lang[1] == 'O') && (!lang[2] || lang[2] == '-');
  return ko ? &epub_labels_ko : &epub_labels_en;
}

/* "2024" / "2024년"; "March 2024" / "2024년 3월". The core checks
 * dates as YYYY-MM-DD, so the month is digits 5-6. */
void epub_group_label(dconv_util_buf *s, const epub_labels *l,
                      const char *date, int month) {
  s->len = 0;
  int m = (date[5] - '0') * 10 + (date[6] - '0');
  if (!month || m < 1 || m > 12)
    dconv_util_buf_printf(s, "%.4s%s", date, l->year_suffix);
  else if (l->year_first)
    dconv_util_buf_printf(s, "%.4s%s %s", date, l->year_suffix,
                          l->months[m - 1]);
  else
    dconv_util_buf_printf(s, "%s %.4s", l->months[m - 1], date);
}

/* ------------------------------------------------------------ planning */

/* Element id for a paper: "arxiv-<id>" with any byte outside [A-Za-z0-9._-]
 * replaced (old-style ids hold a '/', and ids are XML NCNames), else
 * "paper-<n>"; "-2", "-3"... when a duplicate id appears again (the core
 * keeps both papers and warns). Returns a host->alloc string, also recorded
 * in `set` (which borrows it; the value is the paper's index), or NULL when
 * memory ran out.
 *
 * `next[i]` is the next suffix to try for the base that paper i's anchor
 * is equal to: an id repeated N times then costs N probes in all instead
 * of N^2/2 (each repeat would otherwise try -2, -3, ... from the start). */
static char *epub_anchor(const dconv_host *h, dconv_util_strset *set,
                         size_t *next, const dconv_node *p, size_t index) {
  char base[96], buf[128];
  const char *id = h->node_str(p, "arxiv_id");
  if (id && *id) {
    size_t n = 0;
    memcpy(base, "arxiv-", 6);
    for (; id[n] && n < 64; n++) {
      char c = id[n];
      int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      base[6 + n] = ok ? c : '-';
    }
    base[6 + n] = '\0';
  } else {
    snprintf(base, sizeof base, "paper-%zu", index + 1);
  }
  memcpy(buf, base, strlen(base) + 1); /* base has at most 70 bytes */
  size_t owner;
  next[index] = 2;
  if (dconv_util_strset_get(set, base, strlen(base), &owner)) {
    size_t k = next[owner];
    do
      snprintf(buf, sizeof buf, "%s-%zu", base, k++);
    while (dconv_util_strset_get(set, buf, strlen(buf), NULL));
    next[owner] = k;
  }
  char *copy = dconv_util_strndup(h, buf, strlen(buf));
  if (copy && dconv_util_strset_add(set, copy, strlen(copy), index, NULL) < 0) {
    h->free(copy);
    copy = NULL;
  }
  return copy;
}

/* The same paper on a later day is printed once: its later appearances
 * link to the first. "The same paper" is the same arXiv id, byte for byte
 * (the id is what the paper is; a title can be corrected between days);
 * papers without an id are never merged. Repeats within one digest stay
 * (the core warns about them, and both copies are printed as the digest
 * has them). Sets b->full[i] and b->day_of[i]; -1 when memory ran out. */
static int epub_first_appearance(epub_book *b, dconv_util_strset *seen,
                                 const dconv_node *p, size_t i, size_t day) {
  const char *id = b->h->node_str(p, "arxiv_id");
  size_t first;
  b->day_of[i] = day;
  b->full[i] = i;
  if (!id || !*id)
    return 0;
  if (!dconv_util_strset_get(seen, id, strlen(id), &first))
    return dconv_util_strset_add(seen, id, strlen(id), i, NULL) < 0 ? -1 : 0;
  if (b->day_of[first] != day)
    b->full[i] = first;
  return 0;
}

/* Days, file names and paper anchors, before anything is written. */
/* The digests of the book: b->n_digests from b->first, or all. */
#define EPUB_FOR_EACH_DIGEST(h, b, d, k)                                       \
  for (const dconv_node *d = (b)->first ? (b)->first                           \
                                        : dconv_util_next_kind(                \
                                              h, h->root((b)->ex), NULL,       \
                                              DCONV_NODE_DIGEST);              \
       d && (!(b)->first || (k) < (b)->n_digests);                             \
       d = dconv_util_next_kind(h, h->root((b)->ex), d, DCONV_NODE_DIGEST),    \
                          (k)++)

int epub_plan(epub_book *b) {
  const dconv_host *h = b->h;
  size_t nd = 0, np = 0, k = 0;
  EPUB_FOR_EACH_DIGEST(h, b, d, k) {
    nd++;
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) { np++; }
  }
  b->days = h->alloc((nd ? nd : 1) * sizeof *b->days);
  b->anchors = h->alloc((np ? np : 1) * sizeof *b->anchors);
  b->full = h->alloc((np ? np : 1) * sizeof *b->full);
  b->day_of = h->alloc((np ? np : 1) * sizeof *b->day_of);
  size_t *next = h->alloc((np ? np : 1) * sizeof *next);
  if (!b->days || !b->anchors || !b->full || !b->day_of || !next) {
    h->free(next);
    return h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  }
  dconv_util_strset set, seen;
  dconv_util_strset_init(&set, h);
  /* arXiv id -> the paper printed in full for it (keys borrowed from the
   * tree, which outlives the plan). */
  dconv_util_strset_init(&seen, h);

  size_t di = 0, pi = 0, same = 1;
  int nomem = 0;
  k = 0;
  EPUB_FOR_EACH_DIGEST(h, b, d, k) {
    epub_day *day = &b->days[di];
    day->node = d;
    day->date = dconv_util_str(h, d, "date");
    /* The core validates dates as YYYY-MM-DD and sorts digests by date, so
     * two digests of one day are neighbours: number the second "-2". */
    if (strlen(day->date) != 10)
      snprintf(day->id, sizeof day->id, "day-%zu", di + 1);
    else if (di && strcmp(b->days[di - 1].date, day->date) == 0)
      snprintf(day->id, sizeof day->id, "day-%s-%zu", day->date, ++same);
    else {
      snprintf(day->id, sizeof day->id, "day-%s", day->date);
      same = 1;
    }
    snprintf(day->file, sizeof day->file, "%s.xhtml", day->id);
    day->first = pi;
    day->n_papers = 0;
    DCONV_UTIL_FOR_EACH(h, p, d, DCONV_NODE_PAPER) {
      if (!(b->anchors[pi] = epub_anchor(h, &set, next, p, pi)) ||
          epub_first_appearance(b, &seen, p, pi, di) < 0) {
        nomem = 1;
        pi += b->anchors[pi] != NULL; /* freed by epub_book_free() */
        break;
      }
      pi++;
      day->n_papers++;
    }
    b->n_days = ++di;
    b->n_papers = pi; /* so epub_book_free() frees what was made */
    if (nomem)
      break;
  }
  dconv_util_strset_free(&set);
  dconv_util_strset_free(&seen);
  h->free(next);
  if (nomem)
    return h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  return 0;
}

/* urn:uuid from the content: a name-based (version 5 style) UUID, SHA-1 of a
 * fixed namespace and the digests' dates and arXiv ids (titles for papers
 * without one). The same digests give the same book, whatever the options. */
int epub_make_uuid(epub_book *b) {
  /* RFC 4122 URL namespace, as the name below is dconv's own "URL". */
  static const unsigned char ns[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad,
                                       0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0,
                                       0x4f, 0xd4, 0x30, 0xc8};
  const dconv_host *h = b->h;
  dconv_util_buf name;
  dconv_util_buf_init(&name, h);
  dconv_util_buf_add(&name, (const char *)ns, sizeof ns);
  dconv_util_buf_puts(&name, "dconv:epub:");
  for (size_t i = 0; i < b->n_days; i++) {
    dconv_util_buf_printf(&name, "D %s\n", b->days[i].date);
    DCONV_UTIL_FOR_EACH(h, p, b->days[i].node, DCONV_NODE_PAPER) {
      const char *id = h->node_str(p, "arxiv_id");
      dconv_util_buf_puts(&name, id && *id ? "A " : "T ");
      dconv_util_buf_puts(&name, id && *id ? id : dconv_util_str(h, p, "title"));
      dconv_util_buf_putc(&name, '\n');
    }
  }
  if (name.failed) {
    dconv_util_buf_free(&name);
    return h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  }
  uint8_t md[20];
  h->sha1(name.data, name.len, md);
  dconv_util_buf_free(&name);
  md[6] = (uint8_t)((md[6] & 0x0F) | 0x50); /* version 5 */
  md[8] = (uint8_t)((md[8] & 0x3F) | 0x80); /* RFC 4122 variant */
  char *o = b->uuid + snprintf(b->uuid, sizeof b->uuid, "urn:uuid:");
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      *o++ = '-';
    o += snprintf(o, 3, "%02x", md[i]);
  }
  return 0;
}

/* Title, dates and timestamps. */
int epub_make_metadata(epub_book *b) {
  const dconv_host *h = b->h;
  const char *first = b->n_days ? b->days[0].date : "";
  const char *last = b->n_days ? b->days[b->n_days - 1].date : "";

  int64_t ts = h->timestamp(b->ex);
  time_t t = (time_t)ts;
  struct tm tm;
  if (ts < 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
    snprintf(b->modified, sizeof b->modified, "9999-12-31T23:59:59Z");
  else
    strftime(b->modified, sizeof b->modified, "%Y-%m-%dT%H:%M:%SZ", &tm);

  if (!*first) {
    snprintf(b->dates, sizeof b->dates, "%s", "");
    memcpy(b->date, b->modified, 10);
    b->date[10] = '\0';
  } else if (strcmp(first, last) == 0) {
    snprintf(b->dates, sizeof b->dates, "%s", first);
    snprintf(b->date, sizeof b->date, "%s", last);
  } else {
    snprintf(b->dates, sizeof b->dates, "%s \xE2\x80\x93 %s", first, last);
    snprintf(b->date, sizeof b->date, "%s", last);
  }
  if (*first && strcmp(first, last) != 0)
    snprintf(b->dates_ascii, sizeof b->dates_ascii, "%s to %s", first, last);
  else
    snprintf(b->dates_ascii, sizeof b->dates_ascii, "%s", b->dates);

  const char *opt = h->option(b->ex, "title");
  if (opt && *opt) {
    b->title = dconv_util_strndup(h, opt, strlen(opt));
  } else {
    dconv_util_buf t2;
    dconv_util_buf_init(&t2, h);
    dconv_util_buf_puts(&t2, EPUB_DEFAULT_NAME);
    if (*b->dates)
      dconv_util_buf_printf(&t2, " %s", b->dates);
    b->title = t2.failed ? NULL : t2.data;
    if (t2.failed)
      dconv_util_buf_free(&t2);
  }
  if (!b->title)
    return h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  return 0;
}

/* Link target of paper `k` of `day`: "day-...xhtml#arxiv-...". */
void epub_paper_href(dconv_util_buf *s, const epub_book *b,
                     const epub_day *day, size_t k) {
  s->len = 0;
  dconv_util_buf_puts(s, day->file);
  dconv_util_buf_putc(s, '#');
  dconv_util_buf_puts(s, b->anchors[day->first + k]);
}

int epub_paper_repeat(const epub_book *b, size_t i) {
  return b->full[i] != i;
}

/* From the day list: "#anchor" within the day, the earlier file for a
 * repeat (its full text is there). */
void epub_paper_target(dconv_util_buf *s, const epub_book *b, size_t i) {
  size_t f = b->full[i];
  s->len = 0;
  if (f != i)
    dconv_util_buf_puts(s, b->days[b->day_of[f]].file);
  dconv_util_buf_putc(s, '#');
  dconv_util_buf_puts(s, b->anchors[f]);
}

/* Text for a paper's heading and toc entries: its title, with simple
 * inline TeX shown as Unicode ("M$^{2}$UGen" -> "M²UGen", dconv/tex.h),
 * or its id when it has none (an empty <a> is invalid in a nav document).
 * Borrowed: from the tree, or b->label until the next call. */
const char *epub_paper_label(epub_book *b, const dconv_node *p) {
  const dconv_host *h = b->h;
  const char *t = dconv_util_str(h, p, "title");
  if (strchr(t, '$')) {
    dconv_util_buf_truncate(&b->label, 0);
    dconv_tex_to_unicode(&b->label, t);
    if (!b->label.failed && b->label.data)
      return b->label.data;
    /* out of memory: the title as written */
  }
  if (*t)
    return t;
  t = dconv_util_str(h, p, "arxiv_id");
  return *t ? t : "(untitled)";
}

void epub_book_free(epub_book *b) {
  const dconv_host *h = b->h;
  for (size_t i = 0; b->anchors && i < b->n_papers; i++)
    h->free(b->anchors[i]);
  h->free(b->anchors);
  h->free(b->full);
  h->free(b->day_of);
  h->free(b->days);
  h->free(b->title);
  h->free(b->cover.data);
  dconv_util_buf_free(&b->label);
  xml_escape_free(&b->esc);
}
