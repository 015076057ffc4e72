/*
 * epub_cover.c - the cover image: a user's PNG/JPEG file, or a PNG drawn
 * with cairo.
 *
 * The generated cover is deterministic: a fixed canvas, cairo's toy font API
 * with one family and no timestamps in the PNG (libpng writes none unless
 * asked), so with the same fonts installed the same title gives the same
 * bytes.
 */
#include "epub.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <png.h>

#define EPUB_COVER_W 1200
#define EPUB_COVER_H 1800
#define EPUB_COVER_MARGIN 110.0
#define EPUB_COVER_MAX_LINES 6
/* Longest title drawn: the cover is a thumbnail, not a place for 1 MiB. */
#define EPUB_COVER_MAX_CHARS 160

static unsigned epub_be(const unsigned char *p, int n) {
  unsigned v = 0;
  for (int i = 0; i < n; i++)
    v = v << 8 | p[i];
  return v;
}

/* Width and height from the PNG IHDR or the JPEG SOFn segment, for the
 * cover page's SVG viewBox; 0 x 0 when the header cannot be read (the
 * cover page then uses a plain <img>). */
static void epub_image_size(epub_cover *c) {
  const unsigned char *p = c->data;
  size_t n = c->len;
  c->width = c->height = 0;
  if (n >= 24 && p[0] == 0x89 && memcmp(p + 12, "IHDR", 4) == 0) {
    c->width = epub_be(p + 16, 4);
    c->height = epub_be(p + 20, 4);
    return;
  }
  for (size_t i = 2; i + 9 < n;) {
    if (p[i] != 0xFF)
      return;
    unsigned m = p[i + 1];
    if (m == 0xFF) {
      i++;
      continue;
    }
    size_t len = epub_be(p + i + 2, 2);
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      c->height = epub_be(p + i + 5, 2);
      c->width = epub_be(p + i + 7, 2);
      return;
    }
    i += 2 + len;
  }
}

int epub_cover_load(const dconv_host *h, dconv_export *ex, const char *path,
                    epub_cover *out) {
  memset(out, 0, sizeof *out);
  FILE *f = fopen(path, "rb");
  if (!f)
    return h->set_error(ex, DCONV_E_IO, "cover '%s': %s", path, strerror(errno));
  dconv_util_buf b;
  dconv_util_buf_init(&b, h);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    dconv_util_buf_add(&b, chunk, n);
  int err = ferror(f);
  fclose(f);
  if (b.failed) {
    dconv_util_buf_free(&b);
    return h->set_error(ex, DCONV_E_NOMEM, "cover '%s': out of memory", path);
  }
  if (err) {
    dconv_util_buf_free(&b);
    return h->set_error(ex, DCONV_E_IO, "cover '%s': read error", path);
  }
  /* Trust the signature, not the file name: epubcheck and readers do. */
  const unsigned char *p = (const unsigned char *)b.data;
  if (b.len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
    out->href = "images/cover.png";
    out->media_type = "image/png";
  } else if (b.len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
    out->href = "images/cover.jpg";
    out->media_type = "image/jpeg";
  } else {
    dconv_util_buf_free(&b);
    return h->set_error(ex, DCONV_E_INVALID,
                        "cover '%s' is neither a PNG nor a JPEG image", path);
  }
  out->data = (unsigned char *)b.data; /* ownership moves to out */
  out->len = b.len;
  epub_image_size(out);
  return 0;
}

/* Encode the A8 surface as a greyscale PNG with libpng's simplified API in
 * its FAST mode (filter SUB, zlib level 1). One byte per pixel is a third of
 * the deflate work of RGB and a quarter of the memory of cairo's RGB24. */
static int epub_png_encode(const dconv_host *h, cairo_surface_t *surface,
                           dconv_util_buf *out) {
  (void)h;
  cairo_surface_flush(surface);
  const unsigned char *px = cairo_image_surface_get_data(surface);
  int stride = cairo_image_surface_get_stride(surface);
  if (!px || stride < EPUB_COVER_W)
    return DCONV_E_NOMEM;
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = EPUB_COVER_W;
  image.height = EPUB_COVER_H;
  image.format = PNG_FORMAT_GRAY;
  image.flags = PNG_IMAGE_FLAG_FAST;
  png_alloc_size_t size = PNG_IMAGE_PNG_SIZE_MAX(image);
  int rc = dconv_util_buf_reserve(out, (size_t)size);
  if (!rc && !png_image_write_to_memory(&image, out->data, &size, 0, px,
                                        (png_int_32)stride, NULL))
    rc = DCONV_E_INVALID;
  if (!rc)
    out->len = (size_t)size;
  png_image_free(&image);
  return rc;
}

/* Printable ASCII of `title`, at most EPUB_COVER_MAX_CHARS, into `b`. The toy
 * font would draw boxes for Hangul, so non-ASCII titles become `fallback`. */
static void epub_cover_ascii(dconv_util_buf *b, const char *title,
                             const char *fallback) {
  size_t n = 0;
  for (const char *s = title; *s && n < EPUB_COVER_MAX_CHARS; s++, n++) {
    unsigned char c = (unsigned char)*s;
    if (c < 0x20 || c > 0x7E) {
      b->len = 0;
      dconv_util_buf_puts(b, fallback);
      return;
    }
    dconv_util_buf_putc(b, (char)c);
  }
  if (title[n])
    dconv_util_buf_puts(b, "...");
  if (b->len == 0)
    dconv_util_buf_puts(b, fallback);
}

/* Draw `text` word-wrapped to the cover width, starting at baseline *y;
 * advances *y. Greedy wrapping: the text is short (bounded above). */
static void epub_cover_wrap(cairo_t *cr, char *text, double size, double *y,
                            int max_lines) {
  const double width = EPUB_COVER_W - 2 * EPUB_COVER_MARGIN;
  cairo_set_font_size(cr, size);
  char *s = text;
  int lines = 0;
  while (*s && lines < max_lines) {
    while (*s == ' ')
      s++;
    /* Longest prefix of whole words that fits; at least one word (or as
     * much of a single overlong word as fits). */
    char *cut = NULL;
    for (char *e = s;; e++) {
      if (*e != ' ' && *e != '\0')
        continue;
      char keep = *e;
      *e = '\0';
      cairo_text_extents_t te;
      cairo_text_extents(cr, s, &te);
      *e = keep;
      if (te.x_advance > width && cut)
        break;
      cut = e;
      if (te.x_advance > width || !*e)
        break;
    }
    char keep = *cut;
    *cut = '\0';
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    while (te.x_advance > width && cut > s + 1) {
      /* a single word wider than the page: shorten it */
      *cut = keep;
      cut--;
      keep = *cut;
      *cut = '\0';
      cairo_text_extents(cr, s, &te);
    }
    cairo_move_to(cr, EPUB_COVER_MARGIN, *y);
    cairo_show_text(cr, s);
    *cut = keep;
    s = cut;
    *y += size * 1.25;
    lines++;
  }
}

int epub_cover_render(const dconv_host *h, dconv_export *ex, const char *title,
                      const char *dates, const char *subtitle,
                      epub_cover *out) {
  memset(out, 0, sizeof *out);
  dconv_util_buf text, png;
  dconv_util_buf_init(&text, h);
  dconv_util_buf_init(&png, h);
  epub_cover_ascii(&text, title, "Daily Papers");

  /* Greyscale, drawn on an A8 surface whose alpha is the grey level: covers
   * are shown on e-ink, and one byte per pixel keeps the cover cheap (2 MB
   * instead of 8.6 MB, a third of the PNG work). With OVER, anti-aliased
   * type blends from the page grey towards its own level. */
  cairo_surface_t *surface =
      cairo_image_surface_create(CAIRO_FORMAT_A8, EPUB_COVER_W, EPUB_COVER_H);
  cairo_t *cr = cairo_create(surface);
  /* Dark page, a light rule, white type. */
  cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_rgba(cr, 0, 0, 0, 0.17);
  cairo_paint(cr);
  cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
  cairo_set_source_rgba(cr, 0, 0, 0, 0.76);
  cairo_rectangle(cr, EPUB_COVER_MARGIN, 300, 180, 14);
  cairo_fill(cr);

  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_source_rgba(cr, 0, 0, 0, 1);
  double y = 460;
  if (text.data)
    epub_cover_wrap(cr, text.data, 104, &y, EPUB_COVER_MAX_LINES);

  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
  y += 60;
  text.len = 0;
  epub_cover_ascii(&text, dates, "");
  if (text.data)
    epub_cover_wrap(cr, text.data, 64, &y, 2);
  text.len = 0;
  epub_cover_ascii(&text, subtitle, "");
  cairo_set_source_rgba(cr, 0, 0, 0, 0.84);
  double ys = EPUB_COVER_H - 200;
  if (text.data)
    epub_cover_wrap(cr, text.data, 52, &ys, 1);

  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  int rc = st == CAIRO_STATUS_SUCCESS ? epub_png_encode(h, surface, &png) : 0;
  cairo_surface_destroy(surface);
  /* The host dlclose()s the plugin, which unloads cairo and fontconfig with
   * their font caches still held: valgrind then sees them as lost. Nothing
   * else in the process uses either library and no cairo object is alive
   * now, so empty the caches (both reinitialise on their next use). */
  cairo_debug_reset_static_data();
  FcFini();
  int failed = text.failed;
  dconv_util_buf_free(&text);
  if (st != CAIRO_STATUS_SUCCESS || rc || failed || png.failed) {
    dconv_util_buf_free(&png);
    return h->set_error(ex, DCONV_E_NOMEM, "cannot draw the cover: %s",
                        st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st)
                        : rc == DCONV_E_INVALID    ? "PNG encoding failed"
                                                   : "out of memory");
  }
  out->data = (unsigned char *)png.data; /* ownership moves to out */
  out->len = png.len;
  out->width = EPUB_COVER_W;
  out->height = EPUB_COVER_H;
  out->href = "images/cover.png";
  out->media_type = "image/png";
  return 0;
}
