/*
 * epub_toc.c - the table of contents: year -> month -> day -> paper, built
 * once as a flat list of entries with their depth, then written twice, as
 * the EPUB 3 nav document and as the EPUB 2 NCX.
 *
 * A level holding one entry is left out: a book of one year has no year
 * entries, a book of one month no year or month entries, and a month with
 * one day (a year with one month) gives its place to that day (month).
 * Labels say the whole date, so nothing is lost. Days are never folded
 * into their papers: a day is where the reader lands.
 */
#include "epub.h"

#include <stdio.h>
#include <string.h>

enum { EPUB_TOC_YEAR, EPUB_TOC_MONTH, EPUB_TOC_DAY, EPUB_TOC_PAPER };

/* One toc entry, in document (and so spine) order. */
typedef struct epub_toc_entry {
  int kind;
  unsigned depth;         /* 0: top level */
  size_t day;             /* the day; a group's first day (its target) */
  size_t n_papers;        /* a group's or a day's papers */
  size_t paper;           /* EPUB_TOC_PAPER: index into b->anchors */
  const dconv_node *node; /* EPUB_TOC_PAPER: the paper */
} epub_toc_entry;

typedef struct epub_toc {
  epub_toc_entry *e; /* owned */
  size_t n;
  unsigned depth; /* levels in use: NCX dtb:depth */
} epub_toc;

static int epub_dated(const epub_book *b, size_t i) {
  return strlen(b->days[i].date) == 10;
}

/* The end of the run of days from lo sharing lo's year (or month); a day
 * without a date is a run of its own. */
static size_t epub_run_end(const epub_book *b, size_t lo, size_t hi,
                           int level) {
  size_t j = lo + 1, n = level == EPUB_TOC_YEAR ? 4 : 7;
  if (level == EPUB_TOC_DAY || !epub_dated(b, lo))
    return j;
  while (j < hi && epub_dated(b, j) &&
         memcmp(b->days[lo].date, b->days[j].date, n) == 0)
    j++;
  return j;
}

static size_t epub_runs(const epub_book *b, size_t lo, size_t hi, int level) {
  size_t n = 0;
  for (size_t i = lo; i < hi; i = epub_run_end(b, i, hi, level))
    n++;
  return n;
}

static epub_toc_entry *epub_toc_add(epub_toc *t, int kind, unsigned depth,
                                    size_t day) {
  epub_toc_entry *e = &t->e[t->n++];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->depth = depth;
  e->day = day;
  if (depth + 1 > t->depth)
    t->depth = depth + 1;
  return e;
}

/* Entries for days [lo, hi), grouped from `level` down, at `depth`. At the
 * top (`top`), a level holding one entry is left out: a book of one year
 * lists its months. */
static void epub_toc_days(epub_toc *t, const epub_book *b, size_t lo,
                          size_t hi, int level, unsigned depth, int top) {
  if (top && level < EPUB_TOC_DAY && epub_runs(b, lo, hi, level) == 1 &&
      epub_dated(b, lo)) {
    epub_toc_days(t, b, lo, hi, level + 1, depth, 1);
    return;
  }
  for (size_t i = lo, j; i < hi; i = j) {
    j = epub_run_end(b, i, hi, level);
    if (level < EPUB_TOC_DAY && epub_dated(b, i)) {
      /* A group holding one entry is replaced by that entry: a month of
       * one day by the day, a year of one month by the month. */
      unsigned sub = depth;
      if (epub_runs(b, i, j, level + 1) > 1) {
        epub_toc_entry *g = epub_toc_add(t, level, depth, i);
        for (size_t k = i; k < j; k++)
          g->n_papers += b->days[k].n_papers;
        sub++;
      }
      epub_toc_days(t, b, i, j, level + 1, sub, 0);
      continue;
    }
    const epub_day *day = &b->days[i];
    epub_toc_add(t, EPUB_TOC_DAY, depth, i)->n_papers = day->n_papers;
    if (!b->toc_papers)
      continue;
    size_t k = 0;
    DCONV_UTIL_FOR_EACH(b->h, p, day->node, DCONV_NODE_PAPER) {
      epub_toc_entry *e = epub_toc_add(t, EPUB_TOC_PAPER, depth + 1, i);
      e->paper = day->first + k++;
      e->node = p;
    }
  }
}

/* Groups are at most two per day (its year, its month). */
static int epub_toc_build(epub_book *b, epub_toc *t) {
  memset(t, 0, sizeof *t);
  size_t cap = 3 * b->n_days + (b->toc_papers ? b->n_papers : 0) + 1;
  if (!(t->e = b->h->alloc(cap * sizeof *t->e)))
    return b->h->set_error(b->ex, DCONV_E_NOMEM, "out of memory");
  if (b->n_days)
    epub_toc_days(t, b, 0, b->n_days, EPUB_TOC_YEAR, 0, 1);
  return 0;
}

/* The toc and the document it goes into, or neither (error reported). */
static int epub_toc_open(epub_book *b, epub_toc *t, epub_doc *d, int kobo) {
  int rc = epub_toc_build(b, t);
  if (!rc && (rc = epub_open(b, d, kobo)) != 0)
    b->h->free(t->e);
  return rc;
}

/* An entry's label: "2024" / "March 2024" with the group's paper count,
 * a day as "2024-03-27 (12)", so a days-only toc still says where the
 * big days are; a paper's title. Borrowed: `s` or the tree. */
static const char *epub_toc_label(epub_book *b, dconv_util_buf *s,
                                  const epub_toc_entry *e) {
  const epub_day *day = &b->days[e->day];
  if (e->kind == EPUB_TOC_PAPER)
    return epub_paper_label(b, e->node);
  if (e->kind == EPUB_TOC_DAY) {
    s->len = 0;
    dconv_util_buf_puts(s, *day->date ? day->date : day->id);
  } else {
    epub_group_label(s, b->labels, day->date, e->kind == EPUB_TOC_MONTH);
  }
  if (e->n_papers) {
    dconv_util_buf_puts(s, " (");
    epub_thousands(s, (int64_t)e->n_papers);
    dconv_util_buf_putc(s, ')');
  }
  return s->data ? s->data : "";
}

/* Where an entry leads: a paper's own section (a repeat's short entry
 * too, so the toc follows the reading order), else the (first) day. */
static const char *epub_toc_href(const epub_book *b, dconv_util_buf *s,
                                 const epub_toc_entry *e) {
  const epub_day *day = &b->days[e->day];
  if (e->kind != EPUB_TOC_PAPER)
    return day->file;
  s->len = 0;
  dconv_util_buf_printf(s, "%s#%s", day->file, b->anchors[e->paper]);
  return s->data ? s->data : "";
}

static unsigned epub_next_depth(const epub_toc *t, size_t i) {
  return i + 1 < t->n ? t->e[i + 1].depth : 0;
}

static void epub_nav_entries(epub_book *b, epub_doc *d, const epub_toc *t,
                             dconv_util_buf *s) {
  for (size_t i = 0; i < t->n; i++) {
    const epub_toc_entry *e = &t->e[i];
    unsigned next = epub_next_depth(t, i);
    epub_start(d, "li");
    epub_start(d, "a");
    epub_attr(d, "href", epub_toc_href(b, s, e));
    if (e->kind == EPUB_TOC_PAPER)
      epub_lang(d, "en");
    else if (e->kind != EPUB_TOC_DAY && strcmp(b->labels->lang, b->lang))
      epub_lang(d, b->labels->lang); /* month names: the labels' language */
    epub_block(d);
    epub_text(d, epub_toc_label(b, s, e));
    epub_end(d); /* a */
    if (next > e->depth) {
      epub_plain(d, "\n");
      epub_start(d, "ol"); /* its children follow */
      continue;
    }
    epub_end(d); /* li */
    for (unsigned k = e->depth; k > next; k--) {
      epub_end(d); /* ol */
      epub_end(d); /* li */
    }
    epub_plain(d, "\n");
  }
}

static void epub_landmarks(epub_book *b, epub_doc *d) {
  epub_start(d, "nav");
  epub_attr(d, "epub:type", "landmarks");
  epub_attr(d, "id", "landmarks");
  epub_attr(d, "hidden", "hidden");
  epub_start(d, "h2");
  epub_lang(d, b->labels->lang);
  epub_plain(d, b->labels->landmarks);
  epub_end(d);
  epub_start(d, "ol");
  const epub_labels *l = b->labels;
  const char *const marks[][3] = {
      {"cover", "cover.xhtml", l->cover},
      {"titlepage", "title.xhtml", l->titlepage},
      {"bodymatter", NULL, l->papers},
  };
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
    const char *target = marks[i][1];
    if (!target && !b->n_days)
      continue;
    epub_start(d, "li");
    epub_start(d, "a");
    epub_attr(d, "epub:type", marks[i][0]);
    epub_attr(d, "href", target ? target : b->days[0].file);
    epub_lang(d, l->lang);
    epub_block(d);
    epub_text(d, marks[i][2]);
    epub_end(d);
    epub_end(d);
  }
  epub_end(d); /* ol */
  epub_end(d); /* nav */
  epub_plain(d, "\n");
}

int epub_write_nav(epub_book *b) {
  epub_toc t;
  epub_doc d;
  int rc = epub_toc_open(b, &t, &d, b->kobo);
  if (rc)
    return rc;
  dconv_util_buf s;
  dconv_util_buf_init(&s, b->h);
  epub_xhtml_begin(&d, b->lang, b->title);
  epub_start(&d, "nav");
  epub_attr(&d, "epub:type", "toc");
  epub_attr(&d, "id", "toc");
  epub_start(&d, "h1");
  epub_lang(&d, b->labels->lang);
  epub_block(&d);
  epub_text(&d, b->labels->contents);
  epub_end(&d);
  epub_plain(&d, "\n");
  epub_start(&d, "ol");
  epub_plain(&d, "\n");
  if (!b->n_days) { /* an empty <ol> is invalid in a nav */
    epub_start(&d, "li");
    epub_start(&d, "a");
    epub_attr(&d, "href", "title.xhtml");
    epub_block(&d);
    epub_text(&d, b->title);
    epub_end(&d);
    epub_end(&d);
  }
  epub_nav_entries(b, &d, &t, &s);
  epub_end(&d); /* ol */
  epub_end(&d); /* nav */
  epub_plain(&d, "\n");
  epub_landmarks(b, &d);
  if (s.failed)
    d.failed = 1;
  dconv_util_buf_free(&s);
  b->h->free(t.e);
  return epub_doc_finish(&d, b->ex, "EPUB/nav.xhtml");
}

static void epub_nav_point(epub_doc *d, unsigned long id_n,
                           unsigned long order, const char *label,
                           const char *src) {
  epub_start(d, "navPoint");
  char id[32];
  snprintf(id, sizeof id, "np-%lu", id_n);
  epub_attr(d, "id", id);
  epub_attr_int(d, "playOrder", (long long)order);
  epub_start(d, "navLabel");
  epub_element(d, "text", label);
  epub_end(d);
  epub_start(d, "content");
  epub_attr(d, "src", src);
  epub_end(d);
}

int epub_write_ncx(epub_book *b) {
  epub_toc t;
  epub_doc d;
  int rc = epub_toc_open(b, &t, &d, 0);
  if (rc)
    return rc;
  dconv_util_buf s, href;
  dconv_util_buf_init(&s, b->h);
  dconv_util_buf_init(&href, b->h);
  epub_start(&d, "ncx");
  epub_attr(&d, "xmlns", "http://www.daisy.org/z3986/2005/ncx/");
  epub_attr(&d, "version", "2005-1");
  epub_attr(&d, "xml:lang", b->lang);
  epub_plain(&d, "\n");
  epub_start(&d, "head");
  char depth[16];
  snprintf(depth, sizeof depth, "%u", t.depth ? t.depth : 1);
  static const char *const keys[] = {"dtb:uid", "dtb:depth",
                                     "dtb:totalPageCount", "dtb:maxPageNumber"};
  const char *values[] = {b->uuid, depth, "0", "0"};
  for (int i = 0; i < 4; i++) {
    epub_start(&d, "meta");
    epub_attr(&d, "name", keys[i]);
    epub_attr(&d, "content", values[i]);
    epub_end(&d);
  }
  epub_end(&d);
  epub_plain(&d, "\n");
  epub_start(&d, "docTitle");
  epub_element(&d, "text", b->title);
  epub_end(&d);
  epub_plain(&d, "\n");
  epub_start(&d, "navMap");
  epub_plain(&d, "\n");
  /* playOrder counts targets in document order: papers follow their day,
   * so the numbers rise with the spine. A group leads to its first day,
   * the entry right after it, and navPoints of one target must share one
   * playOrder (epubcheck RSC-005): the number moves on only when the
   * target changes, and the ids count navPoints instead. */
  unsigned long order = 0, n = 0;
  if (!b->n_days) {
    epub_nav_point(&d, 1, 1, b->title, "title.xhtml");
    epub_end(&d);
  }
  const epub_day *group_day = NULL; /* the previous entry's, if a group */
  for (size_t i = 0; i < t.n; i++) {
    const epub_toc_entry *e = &t.e[i];
    unsigned next = epub_next_depth(&t, i);
    const epub_day *day = &b->days[e->day];
    if (!(e->kind != EPUB_TOC_PAPER && group_day == day))
      order++;
    group_day = e->kind < EPUB_TOC_DAY ? day : NULL;
    const char *src = epub_toc_href(b, &href, e);
    epub_nav_point(&d, ++n, order, epub_toc_label(b, &s, e), src);
    if (next > e->depth)
      continue; /* its children nest inside */
    for (unsigned k = e->depth + 1; k > next; k--)
      epub_end(&d); /* navPoint, then the parents this entry ends */
    if (e->kind != EPUB_TOC_PAPER || next < e->depth)
      epub_plain(&d, "\n");
  }
  epub_end(&d); /* navMap */
  if (s.failed || href.failed)
    d.failed = 1;
  dconv_util_buf_free(&s);
  dconv_util_buf_free(&href);
  b->h->free(t.e);
  return epub_doc_finish(&d, b->ex, "EPUB/toc.ncx");
}
