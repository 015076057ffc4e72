/*
 * anki - the digests as an Anki deck (.apkg), one note per paper.
 *
 * Package (built by the host from add_entry calls, in this order):
 *   collection.anki2  SQLite database in Anki's legacy schema 11, which every
 *                     Anki version (and AnkiDroid, Mnemosyne, ...) imports;
 *   media             JSON map of media files: "{}", or the local thumbnails
 *                     of -O media-dir (entries "0", "1", ...; never fetched).
 *
 * This file: options and the driver. The model is in anki.h, the frozen
 * note type in anki_notetype.c (see there before changing any field).
 */
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "anki.h"

/* 9999-12-31T23:59:59Z, the latest mod (in seconds) a deck gets. */
#define ANKI_MAX_MOD INT64_C(253402300799)

/** -O cards=paper,sections,reverse: any of the three, comma-separated. */
static int anki_parse_cards(anki_ctx *c, const char *v) {
  static const struct {
    const char *name;
    unsigned bit;
  } modes[] = {{"paper", ANKI_CARDS_PAPER},
               {"sections", ANKI_CARDS_SECTIONS},
               {"reverse", ANKI_CARDS_REVERSE}};
  c->cards = 0;
  for (const char *p = v;;) {
    size_t n = strcspn(p, ",");
    size_t k = 0;
    while (k < 3 && !(strlen(modes[k].name) == n &&
                      memcmp(modes[k].name, p, n) == 0))
      k++;
    if (k == 3)
      return c->h->set_error(c->ex, DCONV_E_OPTION,
                             "cards '%s': a comma-separated list of paper, "
                             "sections and reverse",
                             v);
    c->cards |= modes[k].bit;
    if (!p[n])
      return 0;
    p += n + 1;
  }
}

static int anki_convert(const dconv_host *h, dconv_export *ex) {
  anki_ctx c;
  memset(&c, 0, sizeof c);
  c.h = h;
  c.ex = ex;
  c.scratch_fd = -1;
  c.mod = h->timestamp(ex);
  /* Anki stores mod/scm in ms: a valid but huge $SOURCE_DATE_EPOCH would
   * overflow mod * 1000, and no Anki reads a date past year 9999. */
  if (c.mod > ANKI_MAX_MOD)
    c.mod = ANKI_MAX_MOD;
  c.deck_opt = h->option(ex, "deck");
  c.subdecks = dconv_util_opt_bool(h, ex, "subdecks");
  if (!c.deck_opt)
    c.deck_opt = "Daily Papers";
  const char *cards = h->option(ex, "cards");
  c.thumbnail = dconv_util_opt_bool(h, ex, "thumbnail");
  c.media_dir = h->option(ex, "media-dir");
  if (c.media_dir && !*c.media_dir)
    c.media_dir = NULL;
  int rc = anki_parse_cards(&c, cards ? cards : "paper");
  if (!rc && xml_escape_init(&c.esc))
    rc = h->set_error(ex, DCONV_E_NOMEM, "cannot set up libxml2's escaping");
  if (!rc)
    rc = anki_check_deck_name(&c, c.deck_opt);
  if (!rc)
    rc = anki_collect(&c);
  if (!rc && c.merged)
    h->log(ex, DCONV_LOG_INFO,
           "%zu repeated paper(s) merged into existing notes", c.merged);
  if (!rc)
    rc = anki_collect_extras(&c);
  if (!rc)
    rc = anki_collect_media(&c);
  if (!rc)
    rc = anki_assign_ids(&c);
  if (!rc)
    rc = anki_write_collection(&c);
  anki_free_media(&c);
  anki_free_collected(&c);
  sqlite3_close(c.db);
  xml_escape_free(&c.esc);
  if (c.scratch_fd >= 0)
    close(c.scratch_fd);
  return rc;
}

static const dconv_option anki_options[] = {
    {sizeof(dconv_option), DCONV_OPT_STRING, "deck", "Daily Papers", NULL,
     "deck name; '::' nests it under a parent deck"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "subdecks", "false", NULL,
     "one subdeck per digest day: DECK::YYYY-MM-DD"},
    {sizeof(dconv_option), DCONV_OPT_STRING, "cards", "paper", NULL,
     "cards to study, comma-separated: paper (title -> summary), sections "
     "(one per labelled bullet), reverse (summary -> title)"},
    {sizeof(dconv_option), DCONV_OPT_BOOL, "thumbnail", "false", NULL,
     "show the digest's remote thumbnail (Anki loads it; dconv never "
     "downloads)"},
    {sizeof(dconv_option), DCONV_OPT_STRING, "media-dir", NULL, NULL,
     "embed local thumbnails DIR/ARXIVID.png|.jpg (at most 16 MiB each)"},
};

static const dconv_plugin anki_plugin = {
    DCONV_PLUGIN_HEADER,
    DCONV_PLUGIN_BINARY | DCONV_PLUGIN_CONTAINER,
    "anki",
    "1.1.0",
    "Anki deck (.apkg, legacy schema 11): a note per paper, optional section and reverse cards",
    "apkg",
    anki_options,
    sizeof anki_options / sizeof anki_options[0],
    0,
    NULL,
    anki_convert,
};

DCONV_PLUGIN_DEFINE(anki_plugin)
