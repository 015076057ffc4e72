/*
 * zip_write OUT MODE - writes an archive with core/container.c for the
 * consumers in writer.sh, and checks what only the caller can see:
 *
 *   mixed  mimetype (stored), an empty entry, 1 MiB of text (deflated), 256
 *          KiB of noise asked to be deflated (libdeflate cannot shrink it:
 *          stored), a 4 MiB stored entry and a UTF-8 name. The contents
 *          are what writer.sh regenerates (gen_text, gen_noise). Checked
 *          here: each entry reaches the sink before the next is added
 *          (streaming), and a 4 GiB entry is refused before any byte of it
 *          is read.
 *   many   70,000 one-line entries e/00000..e/69999: past 65,535, so the
 *          end records must be zip64 ones.
 *   pieces entries given in pieces: "small.txt" (1 MiB of text in 3 pieces:
 *          held, so byte for byte what one add gives, checked here against
 *          an archive made with add), "big.txt" (24 MiB of text in 1 MiB
 *          pieces, past the 16 MiB held: deflated by zlib as it comes),
 *          "big.bin" (17 MiB of noise, stored, streamed), then "after" (an
 *          add). Checked here: the big entries reach the sink before they
 *          are closed, and add and finish are refused while one is open.
 *   fail   no archive: a sink that fails part-way; add/finish must return
 *          the sink's code.
 * Exits 1 if a check failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dconv/errors.h>

#include "../unit/unit.h"
#include "container.h"

typedef struct {
  FILE *f;
  size_t sent;       /* bytes the sink got */
  size_t fail_after; /* fail the call that would pass this many; 0 never */
} sink_state;

static int file_sink(void *ctx, const void *data, size_t len) {
  sink_state *s = ctx;
  if (s->fail_after && s->sent + len > s->fail_after)
    return DCONV_E_IO;
  s->sent += len;
  return s->f && fwrite(data, 1, len, s->f) != len ? DCONV_E_IO : 0;
}

/* "line N\n" for N = 0, 1, ... until len bytes (writer.sh: gen_text). */
static char *gen_text(size_t len) {
  char *p = malloc(len + 16);
  size_t n = 0;
  for (unsigned i = 0; n < len; i++)
    n += (size_t)sprintf(p + n, "line %u\n", i);
  return p;
}

/* A 32-bit LCG's high bytes (writer.sh: gen_noise). */
static unsigned char *gen_noise(size_t len, uint32_t x) {
  unsigned char *p = malloc(len);
  for (size_t i = 0; i < len; i++) {
    x = x * 1103515245u + 12345u;
    p[i] = (unsigned char)(x >> 16);
  }
  return p;
}

static void add(dconv_zip *z, sink_state *s, const char *name, const void *d,
                size_t len, int store, dconv_buf *err) {
  size_t before = s->sent;
  int rc = dconv_zip_add(z, name, d, len, store, err);
  if (rc)
    fprintf(stderr, "add %s: %d %s\n", name, rc, err->data);
  CHECK_INT(rc, 0);
  /* Streaming: all but the last 64 KiB batch of this entry has gone out. */
  if (store && len > 2 * 65536)
    CHECK(s->sent - before > len - 65536);
}

static int mixed(sink_state *s, dconv_buf *err) {
  dconv_zip *z;
  CHECK_INT(dconv_zip_new(&z, 1700000000, file_sink, s, err), 0);
  if (!z)
    return 1;
  add(z, s, "mimetype", "application/epub+zip", 20, 1, err);
  add(z, s, "empty", "", 0, 0, err);
  char *text = gen_text(1 << 20);
  add(z, s, "text.txt", text, 1 << 20, 0, err);
  unsigned char *noise = gen_noise(256 << 10, 1);
  add(z, s, "noise.bin", noise, 256 << 10, 0, err);
  unsigned char *big = gen_noise(4 << 20, 2);
  add(z, s, "big.bin", big, 4 << 20, 1, err);
  add(z, s, "dir/\xc3\xbcnic\xc3\xb6" "de.txt", "\xed\x95\x9c\n", 4, 0, err);
  /* Refused on the size alone: the pointer is never read. */
  size_t sent = s->sent;
  CHECK_INT(dconv_zip_add(z, "huge", text, (size_t)UINT32_MAX, 0, err),
            DCONV_E_INVALID);
  CHECK(strstr(err->data, "4 GiB") != NULL);
  CHECK_INT(s->sent, sent);
  free(text);
  free(noise);
  free(big);
  CHECK_INT(dconv_zip_finish(z, err), 0);
  return 0;
}

static int mem_sink(void *ctx, const void *data, size_t len) {
  return dconv_buf_append(ctx, data, len);
}

/* Entry `name` from data[0..len) in pieces of `piece` bytes. */
static void add_pieces(dconv_zip *z, const char *name, const void *data,
                       size_t len, size_t piece, int store, dconv_buf *err) {
  CHECK_INT(dconv_zip_open_entry(z, name, store, err), 0);
  for (size_t at = 0; at < len; at += piece) {
    size_t n = len - at < piece ? len - at : piece;
    int rc = dconv_zip_write_entry(z, (const char *)data + at, n, err);
    if (rc)
      fprintf(stderr, "write %s: %d %s\n", name, rc, err->data);
    CHECK_INT(rc, 0);
  }
  CHECK_INT(dconv_zip_close_entry(z, err), 0);
}

/* An entry under 16 MiB given in pieces is the same bytes as one add. */
static void small_is_add(const char *text, size_t len, dconv_buf *err) {
  dconv_buf a = DCONV_BUF_INIT, b = DCONV_BUF_INIT;
  dconv_zip *z;
  CHECK_INT(dconv_zip_new(&z, 1700000000, mem_sink, &a, err), 0);
  CHECK_INT(dconv_zip_add(z, "small.txt", text, len, 0, err), 0);
  CHECK_INT(dconv_zip_finish(z, err), 0);
  CHECK_INT(dconv_zip_new(&z, 1700000000, mem_sink, &b, err), 0);
  add_pieces(z, "small.txt", text, len, len / 3 + 1, 0, err);
  CHECK_INT(dconv_zip_finish(z, err), 0);
  CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
  dconv_buf_free(&a);
  dconv_buf_free(&b);
}

static int pieces(sink_state *s, dconv_buf *err) {
  char *text = gen_text(24 << 20);
  small_is_add(text, 1 << 20, err);
  dconv_zip *z;
  CHECK_INT(dconv_zip_new(&z, 1700000000, file_sink, s, err), 0);
  if (!z)
    return 1;
  add_pieces(z, "small.txt", text, 1 << 20, (1 << 20) / 3 + 1, 0, err);
  /* Streaming: most of the compressed text has gone out before the close
   * (24 MiB of "line N" deflates to well over 1 MiB). */
  size_t before = s->sent;
  CHECK_INT(dconv_zip_open_entry(z, "big.txt", 0, err), 0);
  for (size_t at = 0; at < (size_t)24 << 20; at += 1 << 20)
    CHECK_INT(dconv_zip_write_entry(z, text + at, 1 << 20, err), 0);
  CHECK(s->sent - before > (size_t)1 << 20);
  /* Nothing else while it is open. */
  CHECK_INT(dconv_zip_add(z, "x", "x", 1, 0, err), DCONV_E_INVALID);
  CHECK_INT(dconv_zip_open_entry(z, "y", 0, err), DCONV_E_INVALID);
  CHECK_INT(dconv_zip_close_entry(z, err), 0);
  CHECK_INT(dconv_zip_close_entry(z, err), DCONV_E_INVALID);
  unsigned char *noise = gen_noise(17 << 20, 4);
  before = s->sent;
  CHECK_INT(dconv_zip_open_entry(z, "big.bin", 1, err), 0);
  CHECK_INT(dconv_zip_write_entry(z, noise, (size_t)17 << 20, err), 0);
  CHECK(s->sent - before > ((size_t)17 << 20) - 65536);
  CHECK_INT(dconv_zip_close_entry(z, err), 0);
  add(z, s, "after", "after\n", 6, 0, err);
  free(text);
  free(noise);
  CHECK_INT(dconv_zip_finish(z, err), 0);
  /* finish with an entry open is refused (and frees the archive). */
  dconv_buf junk = DCONV_BUF_INIT;
  CHECK_INT(dconv_zip_new(&z, 0, mem_sink, &junk, err), 0);
  CHECK_INT(dconv_zip_open_entry(z, "open", 0, err), 0);
  CHECK_INT(dconv_zip_finish(z, err), DCONV_E_INVALID);
  dconv_buf_free(&junk);
  return 0;
}

static int many(sink_state *s, dconv_buf *err) {
  dconv_zip *z;
  CHECK_INT(dconv_zip_new(&z, 1700000000, file_sink, s, err), 0);
  if (!z)
    return 1;
  for (int i = 0; i < 70000; i++) {
    char name[16], body[16];
    snprintf(name, sizeof name, "e/%05d", i);
    int n = snprintf(body, sizeof body, "%d\n", i);
    int rc = dconv_zip_add(z, name, body, (size_t)n, i % 2, err);
    if (rc) {
      CHECK_INT(rc, 0);
      dconv_zip_free(z);
      return 1;
    }
  }
  CHECK_INT(dconv_zip_finish(z, err), 0);
  return 0;
}

/* The sink fails at each of several points: inside an entry, and in the
 * central directory (so at finish). The caller gets the sink's code. */
static void fail_at(size_t after, int in_finish) {
  sink_state s = {NULL, 0, after};
  dconv_buf err = DCONV_BUF_INIT;
  dconv_zip *z;
  CHECK_INT(dconv_zip_new(&z, 0, file_sink, &s, &err), 0);
  unsigned char *noise = gen_noise(300000, 3);
  int rc = dconv_zip_add(z, "a", noise, 300000, 1, &err);
  if (in_finish) {
    CHECK_INT(rc, 0);
    CHECK_INT(dconv_zip_finish(z, &err), DCONV_E_IO);
  } else {
    CHECK_INT(rc, DCONV_E_IO);
    dconv_zip_free(z);
  }
  CHECK(err.data && strstr(err.data, "cannot write the output"));
  free(noise);
  dconv_buf_free(&err);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: zip_write OUT mixed|many|pieces|fail\n");
    return 2;
  }
  dconv_buf err = DCONV_BUF_INIT;
  sink_state s = {NULL, 0, 0};
  if (strcmp(argv[2], "fail") == 0) {
    fail_at(100000, 0);
    fail_at(300000 + 40, 1); /* past the entry: in the central directory */
  } else {
    s.f = fopen(argv[1], "wb");
    if (!s.f) {
      perror(argv[1]);
      return 2;
    }
    if (strcmp(argv[2], "mixed") == 0)
      mixed(&s, &err);
    else if (strcmp(argv[2], "pieces") == 0)
      pieces(&s, &err);
    else
      many(&s, &err);
    CHECK(fclose(s.f) == 0);
  }
  dconv_buf_free(&err);
  return unit_finish("zip_write");
}
