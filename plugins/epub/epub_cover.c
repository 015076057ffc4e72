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

int epub_cover_load(const dconv_host *h, dconv_export *ex, const char *path,
                    epub_cover *out) {
  memset(out, 0, sizeof *out);
  FILE *f = fopen(path, "rb");
  if (!f)
    return h->set_error(ex, DCONV_E_IO, "cover '%s': %s", path, strerror(errno));
  dp_buf b;
  dp_buf_init(&b, h);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    dp_buf_add(&b, chunk, n);
  int err = ferror(f);
  fclose(f);
  if (b.failed) {
    dp_buf_free(&b);
    return h->set_error(ex, DCONV_E_NOMEM, "cover '%s': out of memory", path);
  }
  if (err) {
    dp_buf_free(&b);
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
    dp_buf_free(&b);
    return h->set_error(ex, DCONV_E_INVALID,
                        "cover '%s' is neither a PNG nor a JPEG image", path);
  }
  out->data = (unsigned char *)b.data; /* ownership moves to out */
  out->len = b.len;
  return 0;
}

/* Encode the RGB24 surface as PNG with libpng's simplified API in its FAST
 * mode (filter SUB, zlib level 1): cairo's own writer spends ~0.15 s on
 * maximum compression of a mostly flat picture. No setjmp needed here. */
static int epub_png_encode(const dconv_host *h, cairo_surface_t *surface,
                           dp_buf *out) {
  (void)h;
  cairo_surface_flush(surface);
  unsigned char *px = cairo_image_surface_get_data(surface);
  int stride = cairo_image_surface_get_stride(surface);
  if (!px || stride < EPUB_COVER_W * 3)
    return DCONV_E_NOMEM;
  /* cairo's RGB24 is one native-endian 32-bit word per pixel: 0x00RRGGBB.
   * Pack it to RGB in place (the surface is thrown away afterwards): row y
   * moves down to y * row <= y * stride, and pixel x's three bytes end
   * before pixel x + 1 starts, so nothing is overwritten before it is read.
   * Saves a second 6.5 MB image in memory. */
  size_t row = (size_t)EPUB_COVER_W * 3;
  unsigned char *rgb = px;
  for (int y = 0; y < EPUB_COVER_H; y++) {
    const unsigned char *src = px + (size_t)y * (size_t)stride;
    unsigned char *dst = rgb + (size_t)y * row;
    for (int x = 0; x < EPUB_COVER_W; x++) {
      uint32_t v;
      memcpy(&v, src + 4 * (size_t)x, 4);
      dst[3 * x] = (unsigned char)(v >> 16);
      dst[3 * x + 1] = (unsigned char)(v >> 8);
      dst[3 * x + 2] = (unsigned char)v;
    }
  }
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = EPUB_COVER_W;
  image.height = EPUB_COVER_H;
  image.format = PNG_FORMAT_RGB;
  image.flags = PNG_IMAGE_FLAG_FAST;
  png_alloc_size_t size = PNG_IMAGE_PNG_SIZE_MAX(image);
  int rc = dp_buf_reserve(out, (size_t)size);
  if (!rc && !png_image_write_to_memory(&image, out->data, &size, 0, rgb,
                                        (png_int_32)row, NULL))
    rc = DCONV_E_INVALID;
  if (!rc)
    out->len = (size_t)size;
  png_image_free(&image);
  return rc;
}

/* Printable ASCII of `title`, at most EPUB_COVER_MAX_CHARS, into `b`. The toy
 * font would draw boxes for Hangul, so non-ASCII titles become `fallback`. */
static void epub_cover_ascii(dp_buf *b, const char *title,
                             const char *fallback) {
  size_t n = 0;
  for (const char *s = title; *s && n < EPUB_COVER_MAX_CHARS; s++, n++) {
    unsigned char c = (unsigned char)*s;
    if (c < 0x20 || c > 0x7E) {
      b->len = 0;
      dp_buf_puts(b, fallback);
      return;
    }
    dp_buf_putc(b, (char)c);
  }
  if (title[n])
    dp_buf_puts(b, "...");
  if (b->len == 0)
    dp_buf_puts(b, fallback);
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
  dp_buf text, png;
  dp_buf_init(&text, h);
  dp_buf_init(&png, h);
  epub_cover_ascii(&text, title, "Daily Papers");

  cairo_surface_t *surface =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, EPUB_COVER_W, EPUB_COVER_H);
  cairo_t *cr = cairo_create(surface);
  /* Dark ink-blue page, a light rule, white type: readable in greyscale. */
  cairo_set_source_rgb(cr, 0.11, 0.16, 0.27);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0.96, 0.75, 0.26);
  cairo_rectangle(cr, EPUB_COVER_MARGIN, 300, 180, 14);
  cairo_fill(cr);

  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_source_rgb(cr, 1, 1, 1);
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
  cairo_set_source_rgb(cr, 0.80, 0.84, 0.92);
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
  dp_buf_free(&text);
  if (st != CAIRO_STATUS_SUCCESS || rc || failed || png.failed) {
    dp_buf_free(&png);
    return h->set_error(ex, DCONV_E_NOMEM, "cannot draw the cover: %s",
                        st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st)
                        : rc == DCONV_E_INVALID    ? "PNG encoding failed"
                                                   : "out of memory");
  }
  out->data = (unsigned char *)png.data; /* ownership moves to out */
  out->len = png.len;
  out->href = "images/cover.png";
  out->media_type = "image/png";
  return 0;
}
