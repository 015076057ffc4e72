/*
 * anki_media.c - thumbnails: -O thumbnail=true (the digest's remote image
 * URL, which Anki shows without dconv downloading anything) and
 * -O media-dir=DIR (local images named by arXiv id, DIR/2403.17887.png or
 * .jpg/.jpeg, embedded in the package so the deck works offline; a local
 * file wins over the remote URL).
 *
 * A local file is checked when the papers are collected (a regular file of
 * at most ANKI_MEDIA_MAX_BYTES with a PNG or JPEG signature) and read only
 * when the package is written, one at a time, so memory holds one image,
 * not all of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "anki.h"

/* Per file, as for any file an option names: an image, not a disk. */
#define ANKI_MEDIA_MAX_BYTES (16u << 20)

static const char *const anki_media_ext[] = {".png", ".jpg", ".jpeg"};

/** An arXiv id that is a safe file name on its own ([0-9A-Za-z.-], no
 *  leading '.'); old-style ids ("hep-th/9901001") have no local file. */
static int anki_media_name_ok(const char *id) {
  if (!*id || *id == '.')
    return 0;
  for (; *id; id++)
    if (!((*id >= '0' && *id <= '9') || (*id >= 'a' && *id <= 'z') ||
          (*id >= 'A' && *id <= 'Z') || *id == '.' || *id == '-'))
      return 0;
  return 1;
}

/** Open `path` if it is a usable image: 0 with *out the descriptor (size
 *  in *size) or -1 when there is no such file, or a DCONV_E_* code (set)
 *  for a file that exists but cannot be used. O_NONBLOCK: a FIFO must not
 *  hang the run before fstat refuses it. */
static int anki_media_open(anki_ctx *c, const char *path, int *out,
                           size_t *size) {
  *out = -1;
  int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    return errno == ENOENT ? 0
                           : c->h->set_error(c->ex, DCONV_E_IO, "media '%s': %s",
                                             path, strerror(errno));
  struct stat st;
  unsigned char sig[8];
  const char *why = NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    why = "not a regular file";
  else if ((uintmax_t)st.st_size > ANKI_MEDIA_MAX_BYTES)
    why = "larger than 16 MiB";
  else if (read(fd, sig, sizeof sig) != (ssize_t)sizeof sig ||
           !(memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0 ||
             (sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF)))
    why = "neither a PNG nor a JPEG image"; /* the signature, not the name */
  if (why) {
    close(fd);
    return c->h->set_error(c->ex, DCONV_E_OPTION, "media '%s': %s", path,
                           why);
  }
  *size = (size_t)st.st_size;
  *out = fd;
  return 0;
}

/** Open DIR/NAME[EXT] as anki_media_open does (path: the caller's
 *  scratch buffer). */
static int anki_media_open_in(anki_ctx *c, dconv_util_buf *path,
                              const char *name, const char *ext, int *fd,
                              size_t *size) {
  *fd = -1;
  dconv_util_buf_truncate(path, 0);
  dconv_util_buf_printf(path, "%s/%s%s", c->media_dir, name, ext);
  if (path->failed)
    return c->h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
  return anki_media_open(c, path->data, fd, size);
}

/** The thumbnail of every paper (p->thumb), and the local files to embed. */
int anki_collect_media(anki_ctx *c) {
  const dconv_host *h = c->h;
  if (c->media_dir) {
    struct stat st;
    if (stat(c->media_dir, &st) != 0 || !S_ISDIR(st.st_mode))
      return h->set_error(c->ex, DCONV_E_OPTION,
                          "media-dir '%s' is not a directory", c->media_dir);
  }
  dconv_util_buf path;
  dconv_util_buf_init(&path, h);
  int rc = 0;
  for (size_t i = 0; i < c->n_papers && !rc; i++) {
    anki_paper *p = &c->papers[i];
    const char *id = dconv_util_str(h, p->latest, "arxiv_id");
    if (c->media_dir && anki_media_name_ok(id)) {
      for (size_t k = 0; k < 3; k++) {
        size_t size;
        int fd;
        if ((rc = anki_media_open_in(c, &path, id, anki_media_ext[k], &fd,
                                     &size)) != 0)
          break;
        if (fd < 0)
          continue;
        close(fd);
        anki_media *m = anki_grow(h, c->media, &c->cap_media, c->n_media + 1,
                                  sizeof *c->media);
        char *name = dconv_util_strndup(
            h, path.data + strlen(c->media_dir) + 1,
            path.len - strlen(c->media_dir) - 1);
        if (!m || !name) {
          if (m)
            c->media = m;
          h->free(name);
          rc = h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
          break;
        }
        c->media = m;
        m[c->n_media].name = name; /* owned by the media list */
        m[c->n_media].data = NULL;
        m[c->n_media++].len = size;
        p->thumb = name; /* Anki resolves a bare name in the media map */
        break;
      }
    }
    if (!rc && !p->thumb && c->thumbnail) {
      const char *url = h->node_str(p->latest, "media_url");
      if (url && dconv_util_url_ok(url) &&
          strcmp(dconv_util_str(h, p->latest, "media_kind"), "image") == 0)
        p->thumb = url;
    }
  }
  dconv_util_buf_free(&path);
  return rc;
}

/** <img> of the paper's thumbnail (the caller checked p->thumb). */
void anki_put_thumb(anki_ctx *c, dconv_util_buf *b, const anki_paper *p) {
  dconv_util_buf_puts(b, "<img src=\"");
  anki_put_html(c, b, p->thumb);
  dconv_util_buf_puts(b, "\" alt=\"\">");
}

/** The `media` entry ({"0": "2403.17887.png", ...}) and one zip entry per
 *  file ("0", "1", ...), each read now, stored (images are compressed
 *  already) and freed before the next. */
int anki_add_media_entries(anki_ctx *c) {
  const dconv_host *h = c->h;
  dconv_util_buf map;
  dconv_util_buf_init(&map, h);
  dconv_util_buf_putc(&map, '{');
  for (size_t i = 0; i < c->n_media; i++) {
    char key[24];
    snprintf(key, sizeof key, "%zu", i);
    if (i)
      dconv_util_buf_putc(&map, ',');
    dconv_util_put_json(&map, key);
    dconv_util_buf_putc(&map, ':');
    dconv_util_put_json(&map, c->media[i].name);
  }
  dconv_util_buf_putc(&map, '}');
  int rc = map.failed ? h->set_error(c->ex, DCONV_E_NOMEM, "out of memory")
                      : h->add_entry(c->ex, "media", map.data, map.len,
                                     DCONV_ENTRY_DEFLATE);
  dconv_util_buf_free(&map);
  dconv_util_buf path;
  dconv_util_buf_init(&path, h);
  for (size_t i = 0; i < c->n_media && !rc; i++) {
    anki_media *m = &c->media[i];
    size_t size;
    int fd;
    if ((rc = anki_media_open_in(c, &path, m->name, "", &fd, &size)) != 0)
      break;
    if (fd < 0) {
      rc = h->set_error(c->ex, DCONV_E_IO, "media '%s' disappeared",
                        path.data);
      break;
    }
    m->data = h->alloc(size ? size : 1);
    size_t got = 0;
    ssize_t n = 0;
    if (m->data && lseek(fd, 0, SEEK_SET) == 0)
      while (got < size && (n = read(fd, m->data + got, size - got)) > 0)
        got += (size_t)n;
    close(fd);
    if (!m->data)
      rc = h->set_error(c->ex, DCONV_E_NOMEM, "out of memory");
    else if (got != size)
      rc = h->set_error(c->ex, DCONV_E_IO, "media '%s': read error",
                        path.data);
    else {
      char key[24];
      snprintf(key, sizeof key, "%zu", i);
      rc = h->add_entry(c->ex, key, m->data, size, DCONV_ENTRY_STORE);
    }
    h->free(m->data);
    m->data = NULL;
  }
  dconv_util_buf_free(&path);
  return rc;
}

void anki_free_media(anki_ctx *c) {
  for (size_t i = 0; i < c->n_media; i++) {
    c->h->free(c->media[i].name);
    c->h->free(c->media[i].data);
  }
  c->h->free(c->media);
}
