/*
 * epub_cover.c - the cover image: a user's PNG/JPEG file, or a PNG drawn
 * with FreeType.
 *
 * The generated cover is deterministic: a fixed canvas, DejaVu Sans read
 * with FreeType from its file and no timestamps in the PNG, so with the
 * same font the same title gives the same bytes.
 *
 * FreeType draws the type itself, into a plain byte canvas: the cover is
 * a flat page, a rule and three blocks of left-aligned ASCII, and cairo
 * (with pixman, X11 and xcb behind it) cost 1.8 ms of loading in every
 * EPUB run, a cover file given or not, and a fifth of the drawing.
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

/* Encode the canvas (one byte of grey a pixel, rows EPUB_COVER_W apart) as
 * a 4-bit greyscale PNG (no filter, no interlace), deflated by libdeflate
 * at level 1. Four bits because e-ink panels show 16 levels of grey: 8-bit
 * pixels carried levels no reader displays and doubled the bytes to
 * deflate (the cover was 6% of an EPUB's instructions). The page is flat,
 * so rows compress as long matches. The container is the three chunks
 * every PNG needs (IHDR, IDAT, IEND); no text or time chunks, so the bytes
 * depend on the pixels alone. */
static int epub_png_encode(unsigned char *px, dconv_util_buf *out) {
  _Static_assert(EPUB_COVER_W % 2 == 0, "two pixels a byte");
  size_t row = (size_t)EPUB_COVER_W / 2 + 1, raw_len = row * EPUB_COVER_H;
  /* The rows are packed over the canvas itself (a second 1 MB buffer was
   * 265 more pages to fault in): data byte k of row y goes to
   * y * row + 1 + k, at or before pixel 2k of row y, which that byte
   * reads; the filter byte at y * row is written once its row is packed,
   * when every pixel it covers has been read. */
  unsigned char *raw = px;
  struct libdeflate_compressor *z = libdeflate_alloc_compressor(1);
  size_t bound = z ? libdeflate_zlib_compress_bound(z, raw_len) : 0;
  unsigned char *idat = z ? malloc(bound) : NULL;
  int rc = DCONV_E_NOMEM;
  if (idat) {
    for (size_t y = 0; y < EPUB_COVER_H; y++) {
      const unsigned char *in = px + y * (size_t)EPUB_COVER_W;
      unsigned char *o = raw + y * row + 1;
      /* 0..255 to the nearest of 0..15 (v * 15 / 255, rounded), two
       * pixels a byte, the left one in the high nibble. */
      for (size_t x = 0; x < EPUB_COVER_W; x += 2)
        *o++ = (unsigned char)((((in[x] + 8) / 17) << 4) | ((in[x + 1] + 8) / 17));
      raw[y * row] = 0; /* filter type: None */
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
  libdeflate_free_compressor(z);
  return rc;
}

/* ------------------------------------------------------------ drawing */

/* `level` (0 black .. 255 white) laid over the pixel at coverage `cov`
 * (0..255): Porter-Duff OVER, the grey being the source's alpha, as cairo
 * composited on an A8 surface before FreeType drew alone. */
static void epub_blend(unsigned char *p, unsigned level, unsigned cov) {
  unsigned a = (level * cov + 127) / 255;
  *p = (unsigned char)(*p + (a * (255u - *p) + 127) / 255);
}

/* A rectangle of `level` over the canvas, fully covered. */
static void epub_canvas_rect(unsigned char *px, int x0, int y0, int w, int h,
                             unsigned level) {
  for (int y = y0; y < y0 + h; y++)
    for (int x = x0; x < x0 + w; x++)
      epub_blend(px + (size_t)y * EPUB_COVER_W + x, level, 255);
}

/* One rendered glyph (FreeType's 8-bit coverage bitmap) with its top-left
 * corner at (x0, y0), clipped to the canvas. */
static void epub_canvas_glyph(unsigned char *px, const FT_Bitmap *bm, int x0,
                              int y0, unsigned level) {
  if (bm->pixel_mode != FT_PIXEL_MODE_GRAY || bm->pitch <= 0)
    return; /* only what FT_RENDER_MODE_NORMAL makes of an outline */
  for (unsigned r = 0; r < bm->rows; r++) {
    int y = y0 + (int)r;
    if (y < 0 || y >= EPUB_COVER_H)
      continue;
    const unsigned char *src = bm->buffer + (size_t)r * (size_t)bm->pitch;
    for (unsigned c = 0; c < bm->width; c++) {
      int x = x0 + (int)c;
      if (x >= 0 && x < EPUB_COVER_W && src[c])
        epub_blend(px + (size_t)y * EPUB_COVER_W + x, level, src[c]);
    }
  }
}

/* A face at one pixel size, with the advance of each ASCII character
 * measured once (the wrapping measures every prefix of a line). */
typedef struct epub_face {
  FT_Face face;
  int adv[128]; /* whole pixels (hinted metrics); -1: not measured yet */
} epub_face;

static void epub_face_size(epub_face *f, int px) {
  FT_Set_Pixel_Sizes(f->face, 0, (FT_UInt)px);
  for (int i = 0; i < 128; i++)
    f->adv[i] = -1;
}

/* Width of the first `n` bytes of the ASCII string `s`, in pixels. */
static long epub_face_width(epub_face *f, const char *s, size_t n) {
  long w = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i] & 0x7F;
    if (f->adv[c] < 0)
      f->adv[c] = FT_Load_Char(f->face, c, FT_LOAD_DEFAULT) == 0
                      ? (int)((f->face->glyph->advance.x + 32) >> 6)
                      : 0;
    w += f->adv[c];
  }
  return w;
}

/* Draw the first `n` bytes of `s` with the pen starting at (x, baseline). */
static void epub_face_draw(epub_face *f, unsigned char *px, const char *s,
                           size_t n, long x, long baseline, unsigned level) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i] & 0x7F;
    if (FT_Load_Char(f->face, c, FT_LOAD_RENDER) == 0) {
      FT_GlyphSlot g = f->face->glyph;
      epub_canvas_glyph(px, &g->bitmap, (int)(x + g->bitmap_left),
                        (int)(baseline - g->bitmap_top), level);
    }
    x += epub_face_width(f, s + i, 1);
  }
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

/* DejaVu Sans `file` ("DejaVuSans.ttf" or "DejaVuSans-Bold.ttf") from the
 * directories above into *out; 0, or -1 with *out NULL when none opens. */
static int epub_font_open_file(FT_Library ft, const char *file, FT_Face *out) {
  *out = NULL;
  for (size_t i = 0; i < sizeof epub_font_dirs / sizeof *epub_font_dirs; i++) {
    char path[256];
    FT_Face face;
    snprintf(path, sizeof path, "%s%s", epub_font_dirs[i], file);
    if (FT_New_Face(ft, path, 0, &face) == 0) {
      *out = face;
      return 0;
    }
  }
  return -1;
}

/* The font fontconfig picks for `pattern` ("DejaVu Sans:bold") into *out:
 * whatever sans-serif the system has, when DejaVu is not where it usually
 * is. 0, or -1 with *out NULL. */
static int epub_font_open_fc(FT_Library ft, const char *pattern, FT_Face *out) {
  *out = NULL;
  FcPattern *p = FcNameParse((const FcChar8 *)pattern);
  if (!p)
    return -1;
  FcConfigSubstitute(NULL, p, FcMatchPattern);
  FcDefaultSubstitute(p);
  FcResult res;
  FcPattern *m = FcFontMatch(NULL, p, &res);
  FcChar8 *file = NULL;
  FT_Face face;
  int rc = -1;
  if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
      FT_New_Face(ft, (const char *)file, 0, &face) == 0) {
    *out = face;
    rc = 0;
  }
  if (m)
    FcPatternDestroy(m);
  FcPatternDestroy(p);
  return rc;
}

/* Bold and Book, both from DejaVu's files or (`fc`) both from fontconfig,
 * so the cover stays of a piece: 0, or -1 with neither open. */
static int epub_fonts_open(FT_Library ft, int fc, FT_Face *bold, FT_Face *book) {
  *book = NULL; /* stays NULL when Bold fails first */
  int ok = fc ? epub_font_open_fc(ft, "DejaVu Sans:bold", bold) == 0 &&
                    epub_font_open_fc(ft, "DejaVu Sans", book) == 0
              : epub_font_open_file(ft, "DejaVuSans-Bold.ttf", bold) == 0 &&
                    epub_font_open_file(ft, "DejaVuSans.ttf", book) == 0;
  if (ok)
    return 0;
  if (*bold)
    FT_Done_Face(*bold); /* Book failed, so it is NULL */
  *bold = *book = NULL;
  return -1;
}

/* Printable ASCII of `title`, at most EPUB_COVER_MAX_CHARS, into `b`. The
 * font has no Hangul, so non-ASCII titles become `fallback`. */
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

/* Draw `text` (ASCII) word-wrapped to the cover width at `size` pixels,
 * the first baseline at *y; advances *y. Greedy wrapping: the text is
 * short (bounded above). */
static void epub_cover_wrap(epub_face *f, unsigned char *px, const char *text,
                            int size, long *y, int max_lines, unsigned level) {
  const long width = EPUB_COVER_W - 2 * (long)EPUB_COVER_MARGIN;
  epub_face_size(f, size);
  const char *s = text;
  int lines = 0;
  while (*s && lines < max_lines) {
    while (*s == ' ')
      s++;
    if (!*s)
      break;
    /* Longest prefix of whole words that fits; at least one word (or as
     * much of a single overlong word as fits). */
    size_t cut = 0;
    for (size_t e = 0;; e++) {
      if (s[e] != ' ' && s[e] != '\0')
        continue;
      long w = epub_face_width(f, s, e);
      if (w > width && cut)
        break;
      cut = e;
      if (w > width || !s[e])
        break;
    }
    while (cut > 1 && epub_face_width(f, s, cut) > width)
      cut--; /* a single word wider than the page: shorten it */
    epub_face_draw(f, px, s, cut, (long)EPUB_COVER_MARGIN, *y, level);
    s += cut;
    *y += size * 5 / 4;
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
  /* Greyscale, one byte a pixel: covers are shown on e-ink. Dark page, a
   * light rule, white type. The page grey is 3/15, a level of the 4-bit
   * PNG (epub_png_encode); the rule and the subtitle, drawn over it, round
   * to levels 12 and 13. */
  unsigned char *px = malloc((size_t)EPUB_COVER_W * EPUB_COVER_H);
  if (!px)
    return h->set_error(ex, DCONV_E_NOMEM, "cannot draw the cover: out of memory");
  memset(px, 255 * 3 / 15, (size_t)EPUB_COVER_W * EPUB_COVER_H);
  epub_canvas_rect(px, (int)EPUB_COVER_MARGIN, 300, 180, 14, 255 * 11 / 15);

  /* DejaVu Sans Bold for the title and Book for the rest. */
  FT_Library ft = NULL;
  epub_face bold = {0}, book = {0};
  int fontconfig = 0, warned = 0, rc = 0;
  if (FT_Init_FreeType(&ft) != 0)
    ft = NULL;
  if (ft && epub_fonts_open(ft, 0, &bold.face, &book.face) != 0) {
    fontconfig = 1;
    epub_fonts_open(ft, 1, &bold.face, &book.face);
  }
  if (bold.face && book.face) {
    long y = 460;
    epub_cover_ascii(&text, title, "Daily Papers");
    if (text.data)
      epub_cover_wrap(&bold, px, text.data, 104, &y, EPUB_COVER_MAX_LINES, 255);
    y += 60;
    text.len = 0;
    epub_cover_ascii(&text, dates, "");
    if (text.data)
      epub_cover_wrap(&book, px, text.data, 64, &y, 2, 255);
    text.len = 0;
    epub_cover_ascii(&text, subtitle, "");
    long ys = EPUB_COVER_H - 200;
    if (text.data)
      epub_cover_wrap(&book, px, text.data, 52, &ys, 1, 255 * 13 / 15);
  } else {
    /* No font at all (FreeType failed, or no font is installed): the
     * page and its rule, and a word on why the title is missing. */
    warned = h->log(ex, DCONV_LOG_WARNING,
                "no font for the generated cover (install DejaVu Sans, "
                "fonts-dejavu-core on Debian, or give -O cover=FILE): it "
                "shows no title");
  }
  if (!warned)
    rc = epub_png_encode(px, &png);
  free(px);
  /* Nothing else in the process uses fontconfig and the host dlclose()s
   * the plugin: empty its caches, or valgrind sees them as lost. */
  if (bold.face)
    FT_Done_Face(bold.face);
  if (book.face)
    FT_Done_Face(book.face);
  if (fontconfig)
    FcFini();
  if (ft)
    FT_Done_FreeType(ft);
  int failed = text.failed;
  dconv_util_buf_free(&text);
  if (warned || rc || failed || png.failed) {
    dconv_util_buf_free(&png);
    if (warned)
      return warned; /* the warning, promoted to an error by --strict */
    return h->set_error(ex, DCONV_E_NOMEM, "cannot draw the cover: %s",
                        rc == DCONV_E_INVALID ? "PNG encoding failed"
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
