/*
 * epub_content.c - the reading documents: the cover page, the title page
 * and one XHTML file per digest day (papers, their metadata and summaries).
 */
#include "epub.h"

#include <stdio.h>
#include <string.h>

/* Open a book-level page (cover, title page): the XHTML prologue titled
 * with the book's name, then an open <section> with its class (or none)
 * and epub:type. */
static int epub_page_open(epub_book *b, epub_doc *d, const char *cls,
                          const char *type) {
  int rc = epub_open(b, d, b->kobo);
  if (rc)
    return rc;
  epub_xhtml_begin(d, b->lang, b->title);
  epub_start(d, "section");
  if (cls)
    epub_attr(d, "class", cls);
  epub_attr(d, "epub:type", type);
  return 0;
}

int epub_write_cover_page(epub_book *b) {
  epub_doc d;
  int rc = epub_page_open(b, &d, NULL, "cover");
  if (rc)
    return rc;
  epub_start(&d, "div");
  epub_attr(&d, "class", "cover");
  if (b->kobo) {
    /* kepubify puts the cover image in a span of its own. */
    epub_start(&d, "span");
    epub_attr(&d, "class", "koboSpan");
    epub_attr(&d, "id", "kobo.1.1");
  }
  if (b->cover.width && b->cover.height) {
    /* calibre's own approach: an SVG wrapper scales the image to fit the
     * screen in every viewer (max-height:100% on an <img> does not in
     * calibre's output, where the cover ran onto a second page). */
    epub_start(&d, "svg");
    epub_attr(&d, "xmlns", "http://www.w3.org/2000/svg");
    epub_attr(&d, "xmlns:xlink", "http://www.w3.org/1999/xlink");
    epub_attr(&d, "version", "1.1");
    epub_attr(&d, "width", "100%");
    epub_attr(&d, "height", "100%");
    char box[48];
    snprintf(box, sizeof box, "0 0 %u %u", b->cover.width, b->cover.height);
    epub_attr(&d, "viewBox", box);
    epub_attr(&d, "preserveAspectRatio", "xMidYMid meet");
    epub_start(&d, "title");
    epub_plain(&d, b->title);
    epub_end(&d);
    epub_start(&d, "image");
    epub_attr_int(&d, "width", b->cover.width);
    epub_attr_int(&d, "height", b->cover.height);
    epub_attr(&d, "xlink:href", b->cover.href);
    return epub_doc_finish(&d, b->ex, "EPUB/cover.xhtml");
  }
  epub_start(&d, "img");
  epub_attr(&d, "src", b->cover.href);
  epub_attr(&d, "alt", b->title);
  return epub_doc_finish(&d, b->ex, "EPUB/cover.xhtml");
}

static void epub_title_line(epub_doc *d, const char *element,
                            const char *lang, const char *text) {
  epub_start(d, element);
  if (lang)
    epub_lang(d, lang);
  epub_block(d);
  epub_text(d, text);
  epub_end(d);
  epub_plain(d, "\n");
}

/* "5,488 papers" / "논문 5,488편": the number with thousands separators. */
static void epub_count_line(epub_doc *d, const epub_labels *l, size_t n,
                            const char *one, const char *many) {
  dconv_util_buf num, line;
  dconv_util_buf_init(&num, d->host);
  dconv_util_buf_init(&line, d->host);
  epub_thousands(&num, (int64_t)n);
  dconv_util_buf_printf(&line, n == 1 ? one : many, num.data ? num.data : "");
  if (num.failed || line.failed)
    d->failed = 1;
  else
    epub_title_line(d, "p", l->lang, line.data);
  dconv_util_buf_free(&num);
  dconv_util_buf_free(&line);
}

int epub_write_title_page(epub_book *b) {
  epub_doc d;
  int rc = epub_page_open(b, &d, "titlepage", "titlepage");
  if (rc)
    return rc;
  epub_plain(&d, "\n");
  /* One line per fact: the name (the dates get their own line, so the
   * default title is not printed with its dates twice), the dates, the
   * papers, the days, the author when not the name again. */
  const char *opt = b->h->option(b->ex, "title");
  const char *name = opt && *opt ? opt : EPUB_DEFAULT_NAME;
  epub_title_line(&d, "h1", NULL, name);
  if (*b->dates)
    epub_title_line(&d, "p", NULL, b->dates);
  const epub_labels *l = b->labels;
  epub_count_line(&d, l, b->n_papers, l->n_papers_one, l->n_papers);
  epub_count_line(&d, l, b->n_days, l->n_days_one, l->n_days);
  if (*b->author && strcmp(b->author, name) != 0)
    epub_title_line(&d, "p", NULL, b->author);
  return epub_doc_finish(&d, b->ex, "EPUB/title.xhtml");
}

/* " · " between the parts of the meta line, none before the first. */
static void epub_meta_sep(epub_doc *d, int *parts) {
  if ((*parts)++)
    epub_text(d, " \xC2\xB7 ");
}

/* Append the arXiv abstract page of `id`: the link of the meta line's
 * arXiv id, and of a title that has no URL of its own. */
static void epub_put_abs_url(dconv_util_buf *s, const char *id) {
  dconv_util_buf_puts(s, "https://arxiv.org/abs/");
  dconv_util_buf_puts(s, id);
}

/* The paper's one meta line, "▲ 32 · arXiv 2403.17887 · video": what is
 * unknown is left out (no "Votes: unknown"), the arXiv id links to the
 * abstract page, and only a video is linked (a thumbnail does nothing on
 * e-ink). Nothing at all when nothing is known. */
static int epub_write_meta(epub_doc *d, dconv_util_buf *s, const dconv_node *p,
                           const epub_labels *l) {
  const dconv_host *h = d->host;
  int64_t votes;
  int has_votes = h->node_int(p, "votes", &votes) == 0;
  const char *id = dconv_util_str(h, p, "arxiv_id");
  const char *media = h->node_str(p, "media_url");
  int video = media && strcmp(dconv_util_str(h, p, "media_kind"), "video") == 0 &&
              dconv_util_url_ok(media);
  if (!has_votes && !*id && !video)
    return 0;
  int parts = 0, rc = 0;
  epub_start(d, "p");
  epub_attr(d, "class", "meta");
  epub_lang(d, "en");
  epub_block(d);
  if (has_votes) {
    epub_meta_sep(d, &parts);
    s->len = 0;
    dconv_util_buf_puts(s, "\xE2\x96\xB2 ");
    epub_thousands(s, votes);
    epub_text(d, s->data ? s->data : "");
  }
  if (*id) {
    epub_meta_sep(d, &parts);
    s->len = 0;
    epub_put_abs_url(s, id);
    if ((rc = epub_link_start(d, s->data ? s->data : "")) != 0)
      return rc;
    epub_text(d, "arXiv ");
    epub_text(d, id);
    epub_end(d);
  }
  if (video) {
    epub_meta_sep(d, &parts);
    if ((rc = epub_link_start(d, media)) != 0)
      return rc;
    epub_text(d, l->video);
    epub_end(d);
  }
  epub_end(d); /* p */
  epub_plain(d, "\n");
  return 0;
}

static int epub_write_paper(epub_book *b, epub_doc *d, dconv_util_buf *s,
                            const dconv_node *p, const char *anchor) {
  const dconv_host *h = b->h;
  epub_start(d, "section");
  epub_attr(d, "class", "paper");
  epub_attr(d, "id", anchor);
  epub_plain(d, "\n");

  /* h3, not h2: calibre's chapter detection (h1/h2 whose text holds
   * "Part", "Book", "Chapter"...) would otherwise force page breaks before
   * such paper titles in its Kindle output. */
  epub_start(d, "h3");
  epub_lang(d, "en");
  epub_block(d);
  const char *url = h->node_str(p, "url");
  const char *id = h->node_str(p, "arxiv_id");
  s->len = 0;
  if (url)
    dconv_util_buf_puts(s, url);
  else if (id)
    epub_put_abs_url(s, id);
  int rc = epub_link_start(d, s->data ? s->data : "");
  if (rc)
    return rc;
  epub_text(d, epub_paper_label(b, p));
  epub_end(d); /* a */
  epub_end(d); /* h3 */
  epub_plain(d, "\n");

  /* Authors without a label, "…" where the digest elided names (as the
   * Anki deck has it). */
  if (dconv_util_next_kind(h, p, NULL, DCONV_NODE_AUTHOR) ||
      dconv_util_int(h, p, "authors_elided", 0)) {
    epub_start(d, "p");
    epub_attr(d, "class", "authors");
    epub_lang(d, "en");
    epub_block(d);
    s->len = 0;
    dconv_util_join_authors(h, s, p, "\xE2\x80\xA6", 0, NULL);
    epub_text(d, s->data ? s->data : "");
    epub_end(d);
    epub_plain(d, "\n");
  }
  if ((rc = epub_write_meta(d, s, p, b->labels)) != 0)
    return rc;

  if (dconv_util_next_kind(h, p, NULL, DCONV_NODE_ITEM) &&
      (rc = epub_write_summary(d, p)) != 0)
    return rc;
  epub_end(d); /* section */
  epub_plain(d, "\n");
  return 0;
}

/* A paper printed in full on an earlier day of this book: its title and a
 * "see DATE" line, both linked to that first appearance, and nothing else
 * (the summary would be the same words again). The section keeps its own
 * anchor, so the toc still follows the reading order. */
static void epub_write_repeat(epub_book *b, epub_doc *d, dconv_util_buf *s,
                              const dconv_node *p, size_t i) {
  const epub_day *first = &b->days[b->day_of[b->full[i]]];
  epub_start(d, "section");
  epub_attr(d, "class", "paper repeat");
  epub_attr(d, "id", b->anchors[i]);
  epub_plain(d, "\n");
  epub_paper_target(s, b, i);
  epub_start(d, "h3");
  epub_lang(d, "en");
  epub_block(d);
  epub_start(d, "a");
  epub_attr(d, "href", s->data ? s->data : "");
  epub_text(d, epub_paper_label(b, p));
  epub_end(d); /* a */
  epub_end(d); /* h3 */
  epub_plain(d, "\n");
  epub_start(d, "p");
  epub_attr(d, "class", "repeat");
  epub_lang(d, b->labels->lang);
  epub_block(d);
  epub_start(d, "a");
  epub_attr(d, "href", s->data ? s->data : "");
  s->len = 0;
  dconv_util_buf_printf(s, b->labels->seen, *first->date ? first->date
                                                         : first->id);
  epub_text(d, s->data ? s->data : "");
  epub_end(d); /* a */
  epub_end(d); /* p */
  epub_plain(d, "\n");
  epub_end(d); /* section */
  epub_plain(d, "\n");
}

int epub_write_day(epub_book *b, const epub_day *day) {
  const dconv_host *h = b->h;
  epub_doc d;
  int rc = epub_open(b, &d, b->kobo);
  if (rc)
    return rc;
  dconv_util_buf s;
  dconv_util_buf_init(&s, h);
  const char *name = dconv_util_str(h, day->node, "title");
  dconv_util_buf_printf(&s, "%s %s", *name ? name : EPUB_DEFAULT_NAME, day->date);
  epub_xhtml_begin(&d, b->lang, s.data ? s.data : "");
  epub_start(&d, "h1");
  epub_lang(&d, "en");
  epub_block(&d);
  epub_text(&d, s.data ? s.data : "");
  epub_end(&d);
  epub_plain(&d, "\n");
  /* The day opens with its papers' titles, each linked to the paper: a
   * reader sees the whole day at a glance, also with a days-only toc. */
  size_t k = 0;
  if (day->n_papers) {
    epub_start(&d, "ol");
    epub_attr(&d, "class", "daytoc");
    epub_lang(&d, "en");
    DCONV_UTIL_FOR_EACH(h, p, day->node, DCONV_NODE_PAPER) {
      epub_paper_target(&s, b, day->first + k++);
      epub_plain(&d, "\n");
      epub_start(&d, "li");
      epub_block(&d);
      epub_start(&d, "a");
      epub_attr(&d, "href", s.data ? s.data : "");
      epub_text(&d, epub_paper_label(b, p));
      epub_end(&d); /* a */
      epub_end(&d); /* li */
    }
    epub_end(&d); /* ol */
    epub_plain(&d, "\n");
  }
  k = 0;
  DCONV_UTIL_FOR_EACH(h, p, day->node, DCONV_NODE_PAPER) {
    size_t i = day->first + k++;
    if (epub_paper_repeat(b, i))
      epub_write_repeat(b, &d, &s, p, i);
    else if ((rc = epub_write_paper(b, &d, &s, p, b->anchors[i])))
      break;
  }
  if (!rc && !day->n_papers) {
    epub_start(&d, "p");
    epub_lang(&d, b->labels->lang);
    epub_block(&d);
    epub_text(&d, b->labels->no_papers);
    epub_end(&d);
  }
  if (s.failed)
    rc = DCONV_E_NOMEM;
  dconv_util_buf_free(&s);
  if (rc) {
    epub_doc_discard(&d);
    return h->set_error(b->ex, rc, "%s: out of memory", day->file);
  }
  char entry[64];
  snprintf(entry, sizeof entry, "EPUB/%s", day->file);
  return epub_doc_finish(&d, b->ex, entry);
}

