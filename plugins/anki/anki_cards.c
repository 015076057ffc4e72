/*
 * anki_cards.c - the extra cards of -O cards=sections and -O cards=reverse,
 * notes of the second note type (ANKI_CARD_MODEL_ID, anki_notetype.c).
 *
 * SECTIONS. A summary bullet at depth 0 that starts with a bold label is a
 * section: "**What's New**: ...", "**Technical Details:** ...", or a bold
 * label alone with the section's bullets nested under it. A bold phrase
 * that the sentence goes on from ("**LeaP-T** models ...") is not a label:
 * a label is followed by ':' or ends with ':' or is the bullet's whole
 * text. The card asks the title and the label; the answer is the bullet's
 * text after the label and its nested bullets.
 *
 * REVERSE. The summary asks, the title (and the first authors) answer.
 *
 * Each extra note has its own GUID and ids, hashed from the paper's
 * identity and the label (or "reverse"), claimed after every paper note's:
 * asking for more cards never changes an existing note or card.
 */
#include <string.h>

#include "anki.h"

static int anki_nomem_(anki_ctx *c) {
  return c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
}

/** The label of `item`, when it is a section (see above): owned text
 *  without the trailing ':' and spaces (*label NULL when it is not). */
static int anki_label(anki_ctx *c, const dconv_node *item, char **label) {
  const dconv_host *h = c->h;
  *label = NULL;
  dconv_util_inlines w;
  if (dconv_util_inlines_open(&w, h, item))
    return anki_nomem_(c);
  const dconv_node *n, *strong = NULL;
  uint32_t kind;
  int ev, ok = 0;
  dconv_util_buf text;
  dconv_util_buf_init(&text, h);
  dconv_util_buf_puts(&text, "");
  ev = dconv_util_inlines_next(&w, &n, &kind);
  if (ev == DCONV_EVENT_ENTER && kind == DCONV_NODE_STRONG) {
    strong = n;
    while ((ev = dconv_util_inlines_next(&w, &n, &kind)) != DCONV_EVENT_DONE) {
      if (ev == DCONV_EVENT_EXIT && n == strong)
        break;
      if (ev == DCONV_EVENT_ENTER &&
          (kind == DCONV_NODE_TEXT || kind == DCONV_NODE_CODE))
        dconv_util_buf_puts(&text, dconv_util_str(h, n, "text"));
    }
    int ends_colon = text.len && text.data[text.len - 1] == ':';
    ev = dconv_util_inlines_next(&w, &n, &kind);
    if (ev == DCONV_EVENT_DONE || ends_colon)
      ok = 1;
    else if (ev == DCONV_EVENT_ENTER && kind == DCONV_NODE_TEXT) {
      const char *t = dconv_util_str(h, n, "text");
      ok = t[strspn(t, " ")] == ':';
    }
  }
  dconv_util_inlines_close(&w);
  while (text.len && (text.data[text.len - 1] == ':' ||
                      text.data[text.len - 1] == ' '))
    dconv_util_buf_truncate(&text, text.len - 1);
  if (text.failed) {
    dconv_util_buf_free(&text);
    return anki_nomem_(c);
  }
  if (ok && text.len)
    *label = dconv_util_buf_detach(&text);
  else
    dconv_util_buf_free(&text);
  return 0;
}

/* The section's nested bullets: the list walk of the whole summary, with
 * everything outside the labelled item's subtree left out. */
typedef struct anki_section_walk {
  anki_ctx *c;
  dconv_util_buf *b;
  const dconv_node *label_item;
  int depth; /* the labelled item's depth, once seen */
  int state; /* 0 before it, 1 inside its subtree, 2 after */
} anki_section_walk;

static int anki_sec_on(anki_section_walk *x, int depth) {
  return x->state == 1 && depth > x->depth;
}

static int anki_sec_open_list(void *ctx, int depth, int ordered,
                              int64_t start) {
  anki_section_walk *x = ctx;
  if (anki_sec_on(x, depth))
    anki_put_list_open(x->b, ordered, start);
  return 0;
}

static int anki_sec_open_item(void *ctx, int depth, const dconv_node *item) {
  anki_section_walk *x = ctx;
  if (item == x->label_item) {
    x->state = 1;
    x->depth = depth;
    return 0;
  }
  if (x->state == 1 && depth <= x->depth)
    x->state = 2;
  if (!anki_sec_on(x, depth))
    return 0;
  dconv_util_buf_puts(x->b, "<li>");
  return item ? anki_put_inlines(x->c, x->b, item, 0) : 0;
}

static int anki_sec_close_item(void *ctx, int depth) {
  anki_section_walk *x = ctx;
  if (anki_sec_on(x, depth))
    dconv_util_buf_puts(x->b, "</li>");
  return 0;
}

static int anki_sec_close_list(void *ctx, int depth, int ordered) {
  anki_section_walk *x = ctx;
  if (anki_sec_on(x, depth))
    dconv_util_buf_puts(x->b, ordered ? "</ol>" : "</ul>");
  return 0;
}

/** The answer of a section card: the labelled bullet's own text after the
 *  label, then its nested bullets. Nothing appended when both are empty. */
static int anki_put_section(anki_ctx *c, dconv_util_buf *b,
                            const dconv_node *paper, const dconv_node *item) {
  static const dconv_util_list_ops ops = {
      anki_sec_open_list, anki_sec_open_item, anki_sec_close_item,
      anki_sec_close_list};
  size_t start = b->len;
  dconv_util_buf_puts(b, "<div class=\"dp-lead\">");
  size_t text = b->len;
  int rc = anki_put_inlines(c, b, item, 1);
  if (rc)
    return rc;
  if (b->len == text)
    dconv_util_buf_truncate(b, start);
  else
    dconv_util_buf_puts(b, "</div>");
  anki_section_walk x = {c, b, item, 0, 0};
  return dconv_util_lists_walk(c->h, paper, 0, &ops, &x);
}

static int anki_add_extra(anki_ctx *c, size_t paper, unsigned kind,
                          const dconv_node *item, char *label) {
  anki_extra *v = anki_grow(c->h, c->extras, &c->cap_extras, c->n_extras + 1,
                            sizeof *c->extras);
  if (!v) {
    c->h->free(label);
    return anki_nomem_(c);
  }
  c->extras = v;
  anki_extra *x = &c->extras[c->n_extras++];
  memset(x, 0, sizeof *x);
  x->paper = paper;
  x->kind = kind;
  x->item = item;
  x->label = label; /* owned by the extra from here on */
  return 0;
}

/** The extra notes of every paper, in paper order: its sections in
 *  summary order, then its reverse card. From the newest occurrence, as
 *  the fields are. A label repeated in one summary gets " (2)", " (3)"...
 *  so that every section keeps a GUID of its own. */
int anki_collect_extras(anki_ctx *c) {
  const dconv_host *h = c->h;
  dconv_util_buf scratch;
  dconv_util_buf_init(&scratch, h);
  int rc = 0;
  for (size_t i = 0; i < c->n_papers && !rc; i++) {
    const dconv_node *n = c->papers[i].latest;
    size_t first = c->n_extras;
    if (c->cards & ANKI_CARDS_SECTIONS) {
      DCONV_UTIL_FOR_EACH(h, item, n, DCONV_NODE_ITEM) {
        if (dconv_util_int(h, item, "depth", 0) != 0)
          continue;
        char *label;
        if ((rc = anki_label(c, item, &label)) != 0)
          break;
        if (!label)
          continue;
        /* Not a card without an answer. */
        dconv_util_buf_truncate(&scratch, 0);
        if ((rc = anki_put_section(c, &scratch, n, item)) != 0 ||
            scratch.len == 0) {
          h->free(label);
          if (rc)
            break;
          continue;
        }
        int same = 1;
        for (size_t k = first; k < c->n_extras; k++) {
          const char *l = c->extras[k].label;
          size_t ln = strlen(label);
          if (strncmp(l, label, ln) == 0 && (l[ln] == '\0' || l[ln] == ' '))
            same++;
        }
        if (same > 1) {
          dconv_util_buf name;
          dconv_util_buf_init(&name, h);
          dconv_util_buf_printf(&name, "%s (%d)", label, same);
          h->free(label);
          if (!(label = dconv_util_buf_detach(&name))) {
            rc = anki_nomem_(c);
            break;
          }
        }
        if ((rc = anki_add_extra(c, i, ANKI_CARDS_SECTIONS, item, label)) != 0)
          break;
      }
    }
    if (!rc && (c->cards & ANKI_CARDS_REVERSE) &&
        dconv_util_next_kind(h, n, NULL, DCONV_NODE_ITEM))
      rc = anki_add_extra(c, i, ANKI_CARDS_REVERSE, NULL, NULL);
  }
  if (!rc && scratch.failed)
    rc = anki_nomem_(c);
  dconv_util_buf_free(&scratch);
  return rc;
}

static void anki_put_title(anki_ctx *c, dconv_util_buf *b,
                           const dconv_node *n) {
  const dconv_host *h = c->h;
  dconv_util_buf_puts(b, "<div class=\"dp-title\" lang=\"en\">");
  anki_put_title_html(c, b, dconv_util_str(h, n, "title"));
  dconv_util_buf_puts(b, "</div>");
}

/** The fields of an extra note, each followed by 0x1f except the last.
 *  `sort_len` receives the length of the sort field's (Key's) HTML. */
int anki_put_extra_fields(anki_ctx *c, dconv_util_buf *b, const anki_extra *x,
                          size_t *sort_len) {
  const dconv_host *h = c->h;
  const anki_paper *p = &c->papers[x->paper];
  const dconv_node *n = p->latest;
  const char *id = dconv_util_str(h, n, "arxiv_id");
  int sec = x->kind == ANKI_CARDS_SECTIONS, rc;
  /* ANKI_C_KEY: "2403.17887 · What's New", readable in the browser. */
  anki_put_html(c, b, *id ? id : dconv_util_str(h, n, "title"));
  dconv_util_buf_puts(b, " \xC2\xB7 ");
  anki_put_html(c, b, sec ? x->label : "reverse");
  *sort_len = b->len;
  dconv_util_buf_putc(b, '\x1f');
  size_t front = b->len; /* ANKI_C_FRONT */
  if (sec) {
    anki_put_title(c, b, n);
    dconv_util_buf_puts(b, "<div class=\"dp-label\">");
    anki_put_html(c, b, x->label);
    dconv_util_buf_puts(b, "</div>");
  } else if ((rc = anki_put_summary(c, b, n)) != 0) {
    return rc;
  }
  size_t front_end = b->len;
  dconv_util_buf_putc(b, '\x1f');
  if (sec) { /* ANKI_C_BACK */
    if ((rc = anki_put_section(c, b, n, x->item)) != 0)
      return rc;
  } else {
    anki_put_title(c, b, n);
    dconv_util_buf_puts(b, "<div class=\"dp-authors\" lang=\"en\">");
    anki_put_authors(c, b, n);
    dconv_util_buf_puts(b, "</div>");
  }
  dconv_util_buf_putc(b, '\x1f');
  /* ANKI_C_CONTEXT: a section's question is short and goes above its
   * answer again; the reverse card's (the whole summary) does not. */
  if (sec && !b->failed) {
    /* A copy first: appending may move b->data. */
    char *q = dconv_util_strndup(h, b->data + front, front_end - front);
    if (!q)
      return anki_nomem_(c);
    dconv_util_buf_puts(b, q);
    h->free(q);
  }
  dconv_util_buf_putc(b, '\x1f');
  anki_put_html(c, b, id); /* ANKI_C_ARXIV */
  dconv_util_buf_putc(b, '\x1f');
  anki_put_html(c, b, p->first_date); /* ANKI_C_DATE */
  dconv_util_buf_putc(b, '\x1f');
  const char *url = dconv_util_str(h, n, "url"); /* ANKI_C_URL */
  if (dconv_util_url_ok(url))
    anki_put_html(c, b, url);
  dconv_util_buf_putc(b, '\x1f');
  if (p->thumb) /* ANKI_C_THUMBNAIL */
    anki_put_thumb(c, b, p);
  dconv_util_buf_putc(b, '\x1f');
  dconv_util_buf_puts(b, sec ? "section" : "reverse"); /* ANKI_C_KIND */
  return 0;
}
