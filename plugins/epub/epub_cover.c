/*
 * epub_cover.c - the cover image: a user's PNG/JPEG file, or a PNG drawn
 * with cairo.
 *
 * The generated cover is deterministic: a fixed canvas, DejaVu Sans read
 * with FreeType from its file and no timestamps in the PNG, so with the
 * same font the same title gives the same bytes.
 *
 * What it costs (a one-paper book, release build): fontconfig's start-up
 * (parsing its XML configuration to find the font) was 32 M instructions and
 * libpng's zlib deflate 50 M, over ten times the rest of a small book. The
 * font is now opened from the paths where distributions install DejaVu
 * (fontconfig only when none exists), and the PNG is deflated with
 * libdeflate (see epub_png_encode).
 */
#include "epub.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-ft.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <libdeflate.h>

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

static void epub_put_be32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* One PNG chunk: length, type, data, CRC-32 of type and data. */
static void epub_png_chunk(dconv_util_buf *out, const char type[4],
                           const unsigned char *data, size_t len) {
  unsigned char be[4];
  epub_put_be32(be, (uint32_t)len);
  dconv_util_buf_add(out, (const char *)be, 4);
  dconv_util_buf_add(out, type, 4);
  if (len)
    dconv_util_buf_add(out, (const char *)data, len);
  uint32_t crc = libdeflate_crc32(0, type, 4);
  if (len)
    crc = libdeflate_crc32(crc, data, len);
  epub_put_be32(be, crc);
  dconv_util_buf_add(out, (const char *)be, 4);
}

/* Encode the A8 surface as a 4-bit greyscale PNG (no filter, no
 * interlace), deflated by libdeflate at level 1. Four bits because e-ink
 * panels show 16 levels of grey: 8-bit pixels carried levels no reader
 * displays and doubled the bytes to deflate (the cover was 6% of an
 * EPUB's instructions). The page is
 * flat, so rows compress as long matches. The container is the three
 * chunks every PNG needs (IHDR, IDAT, IEND); no text or time chunks, so
 * the bytes depend on the pixels alone. */
static int epub_png_encode(cairo_surface_t *surface, dconv_util_buf *out) {
  _Static_assert(EPUB_COVER_W % 2 == 0, "two pixels a byte");
  cairo_surface_flush(surface);
  const unsigned char *px = cairo_image_surface_get_data(surface);
  int stride = cairo_image_surface_get_stride(surface);
  if (!px || stride < EPUB_COVER_W)
    return DCONV_E_NOMEM;
  size_t row = (size_t)EPUB_COVER_W / 2 + 1, raw_len = row * EPUB_COVER_H;
  unsigned char *raw = malloc(raw_len);
  struct libdeflate_compressor *z = libdeflate_alloc_compressor(1);
  size_t bound = z ? libdeflate_zlib_compress_bound(z, raw_len) : 0;
  unsigned char *idat = z ? malloc(bound) : NULL;
  int rc = DCONV_E_NOMEM;
  if (raw && idat) {
    for (size_t y = 0; y < EPUB_COVER_H; y++) {
      const unsigned char *in = px + y * (size_t)stride;
      unsigned char *o = raw + y * row;
      *o++ = 0; /* filter type: None */
      /* 0..255 to the nearest of 0..15 (v * 15 / 255, rounded), two
       * pixels a byte, the left one in the high nibble. */
      for (size_t x = 0; x < EPUB_COVER_W; x += 2)
        *o++ = (unsigned char)((((in[x] + 8) / 17) << 4) | ((in[x + 1] + 8) / 17));
    }
    size_t n = libdeflate_zlib_compress(z, raw, raw_len, idat, bound);
    unsigned char ihdr[13];
    epub_put_be32(ihdr, EPUB_COVER_W);
    epub_put_be32(ihdr + 4, EPUB_COVER_H);
    memcpy(ihdr + 8, "\x04\x00\x00\x00\x00", 5); /* 4-bit grey */
    dconv_util_buf_add(out, "\x89PNG\r\n\x1a\n", 8);
    epub_png_chunk(out, "IHDR", ihdr, sizeof ihdr);
    epub_png_chunk(out, "IDAT", idat, n);
    epub_png_chunk(out, "IEND", NULL, 0);
    rc = n ? 0 : DCONV_E_INVALID;
  }
  free(idat);
  free(raw);
  libdeflate_free_compressor(z);
  return rc;
}

/* Where Debian and Ubuntu (fonts-dejavu-core), Fedora and Arch install
 * DejaVu Sans. Opening the file directly skips fontconfig's start-up, which
 * parses its whole XML configuration. */
static const char *const epub_font_dirs[] = {
    "/usr/share/fonts/truetype/dejavu/",
    "/usr/share/fonts/dejavu-sans-fonts/",
    "/usr/share/fonts/dejavu/",
    "/usr/share/fonts/TTF/",
};

static const cairo_user_data_key_t epub_ft_key;

static void epub_ft_done(void *face) { FT_Done_Face(face); }

/* DejaVu Sans (file "DejaVuSans.ttf" or "DejaVuSans-Bold.ttf") as a cairo
 * font face from its file, or NULL when no such file opens. The FT_Face is
 * freed with the font face. */
static cairo_font_face_t *epub_font_open(FT_Library ft, const char *file) {
  for (size_t i = 0; ft && i < sizeof epub_font_dirs / sizeof *epub_font_dirs;
       i++) {
    char path[256];
    snprintf(path, sizeof path, "%s%s", epub_font_dirs[i], file);
    FT_Face face;
    if (FT_New_Face(ft, path, 0, &face) != 0)
      continue;
    cairo_font_face_t *ff = cairo_ft_font_face_create_for_ft_face(face, 0);
    if (cairo_font_face_status(ff) != CAIRO_STATUS_SUCCESS ||
        cairo_font_face_set_user_data(ff, &epub_ft_key, face, epub_ft_done) !=
            CAIRO_STATUS_SUCCESS) {
      cairo_font_face_destroy(ff);
      FT_Done_Face(face);
      return NULL;
    }
    return ff;
  }
  return NULL;
}

/* Select the cover's face: `ff` when the file was found, else cairo's toy
 * API, which asks fontconfig for the family. */
static void epub_font_use(cairo_t *cr, cairo_font_face_t *ff,
                          cairo_font_weight_t weight) {
  if (ff)
    cairo_set_font_face(cr, ff);
  else
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, weight);
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
  /* Dark page, a light rule, white type. The page grey is 3/15, a level
   * of the 4-bit PNG (epub_png_encode); the rule and the subtitle, drawn
   * over it, round to levels 12 and 13. */
  cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_rgba(cr, 0, 0, 0, 3.0 / 15);
  cairo_paint(cr);
  cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
  cairo_set_source_rgba(cr, 0, 0, 0, 11.0 / 15);
  cairo_rectangle(cr, EPUB_COVER_MARGIN, 300, 180, 14);
  cairo_fill(cr);

  FT_Library ft = NULL;
  if (FT_Init_FreeType(&ft) != 0)
    ft = NULL;
  cairo_font_face_t *bold = epub_font_open(ft, "DejaVuSans-Bold.ttf");
  cairo_font_face_t *book = bold ? epub_font_open(ft, "DejaVuSans.ttf") : NULL;
  int fontconfig = !bold || !book;
  if (fontconfig) { /* both from one source, so the cover stays of a piece */
    cairo_font_face_destroy(bold);
    cairo_font_face_destroy(book);
    bold = book = NULL;
  }

  epub_font_use(cr, bold, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_source_rgba(cr, 0, 0, 0, 1);
  double y = 460;
  if (text.data)
    epub_cover_wrap(cr, text.data, 104, &y, EPUB_COVER_MAX_LINES);

  epub_font_use(cr, book, CAIRO_FONT_WEIGHT_NORMAL);
  y += 60;
  text.len = 0;
  epub_cover_ascii(&text, dates, "");
  if (text.data)
    epub_cover_wrap(cr, text.data, 64, &y, 2);
  text.len = 0;
  epub_cover_ascii(&text, subtitle, "");
  cairo_set_source_rgba(cr, 0, 0, 0, 13.0 / 15);
  double ys = EPUB_COVER_H - 200;
  if (text.data)
    epub_cover_wrap(cr, text.data, 52, &ys, 1);

  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  int rc = st == CAIRO_STATUS_SUCCESS ? epub_png_encode(surface, &png) : 0;
  cairo_surface_destroy(surface);
  /* The host dlclose()s the plugin, which unloads cairo and fontconfig with
   * their font caches still held: valgrind then sees them as lost. Nothing
   * else in the process uses either library and no cairo object is alive
   * now, so empty the caches (both reinitialise on their next use). The
   * caches hold the faces, so FreeType goes last. */
  cairo_font_face_destroy(bold);
  cairo_font_face_destroy(book);
  cairo_debug_reset_static_data();
  if (fontconfig)
    FcFini();
  if (ft)
    FT_Done_FreeType(ft);
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
