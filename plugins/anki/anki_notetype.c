/*
 * anki_notetype.c - what must not change: the frozen note type (fields,
 * template, CSS), Anki's schema 11 and the col JSON (models, decks, dconf,
 * conf).
 *
 * FROZEN NOTE TYPE. Anki re-import updates an existing note only when the
 * GUID matches, the note type is the same (same id and same field/template
 * layout) and the incoming `mod` is newer. So everything below marked
 * "frozen" must never change for the life of the format; adding a field
 * would need a new note type id (and would duplicate every note). A diff in
 * this file is a compatibility change: say so in its commit message.
 */
#include "anki.h"

#define ANKI_MODEL_NAME "Daily Paper (dconv)"
#define ANKI_TEMPLATE_NAME "Title -> Summary"
#define ANKI_SORT_FIELD ANKI_F_ARXIV

static const char *const anki_field_names[ANKI_N_FIELDS] = {
    "ArxivID", "Title", "Authors", "Summary", "Votes", "Date", "URL"};

/* The template TEXT may change (Anki and Mnemosyne update a note type's
 * templates and CSS with a newer mod, the GUIDs and ids stay); its name,
 * the fields and their order may not. Since anki 1.1.0: the back shows the
 * title, not the whole front again ({{FrontSide}} repeated up to 23
 * authors), and the Authors field holds at most three names. */
static const char anki_qfmt[] =
    "<div class=\"dp-title\" lang=\"en\">{{Title}}</div>\n"
    "{{#Authors}}<div class=\"dp-authors\" lang=\"en\">{{Authors}}</div>"
    "{{/Authors}}";

/* {{URL}} holds HTML-escaped text, which is exactly what an attribute
 * value needs, so it can go into href as it is. */
static const char anki_afmt[] =
    "<div class=\"dp-title\" lang=\"en\">{{Title}}</div>\n"
    "<hr id=\"answer\">\n"
    "<div class=\"dp-summary\" lang=\"ko\">{{Summary}}</div>\n"
    "<div class=\"dp-meta\">{{#ArxivID}}arXiv:{{ArxivID}}{{/ArxivID}}"
    "{{#Votes}} &middot; &#9650; {{Votes}}{{/Votes}}"
    "{{#Date}} &middot; {{Date}}{{/Date}}"
    "{{#URL}} &middot; <a href=\"{{URL}}\">{{URL}}</a>{{/URL}}</div>";

/* keep-all: Korean breaks lines between words, not between syllables.
 * max-width: about 40 characters of line on a desktop, not 1,240 px.
 * No colours anywhere (only opacity), so Anki's night mode, which sets
 * them, keeps working; links get a lighter blue there. */
static const char anki_css[] =
    ".card {\n"
    "  font-family: sans-serif;\n"
    "  font-size: 18px;\n"
    "  line-height: 1.5;\n"
    "  text-align: left;\n"
    "  word-break: keep-all;\n"
    "  overflow-wrap: break-word;\n"
    "  max-width: 40em;\n"
    "  margin: 0 auto;\n"
    "}\n"
    ".dp-title { font-size: 1.2em; font-weight: bold; }\n"
    ".dp-authors { font-size: 0.85em; opacity: 0.75; margin-top: 0.3em; }\n"
    ".dp-label { font-size: 1.1em; margin-top: 0.6em; }\n"
    ".dp-context { opacity: 0.75; }\n"
    ".dp-summary, .dp-back { margin-top: 0.5em; }\n"
    ".dp-summary li, .dp-back li, .dp-front li { margin-bottom: 0.3em; }\n"
    ".dp-thumb img { max-width: 100%; max-height: 40vh; height: auto; }\n"
    ".dp-meta { font-size: 0.8em; opacity: 0.75; margin-top: 1em; }\n"
    ".nightMode a, .night_mode a { color: #8ab4f8; }\n";

/* The card note type (ANKI_CARD_MODEL_ID): frozen like the paper's. */
#define ANKI_CARD_MODEL_NAME "Daily Paper Card (dconv)"
#define ANKI_CARD_TEMPLATE_NAME "Front -> Back"
static const char *const anki_card_field_names[ANKI_C_N_FIELDS] = {
    "Key", "Front", "Back", "Context", "ArxivID",
    "Date", "URL", "Thumbnail", "Kind"};

static const char anki_card_qfmt[] =
    "<div class=\"dp-front\" lang=\"ko\">{{Front}}</div>";

static const char anki_card_afmt[] =
    "{{#Context}}<div class=\"dp-context\" lang=\"ko\">{{Context}}</div>"
    "{{/Context}}\n"
    "<hr id=\"answer\">\n"
    "<div class=\"dp-back\" lang=\"ko\">{{Back}}</div>\n"
    "{{#Thumbnail}}<div class=\"dp-thumb\">{{Thumbnail}}</div>{{/Thumbnail}}\n"
    "<div class=\"dp-meta\">{{#ArxivID}}arXiv:{{ArxivID}}{{/ArxivID}}"
    "{{#Date}} &middot; {{Date}}{{/Date}}"
    "{{#URL}} &middot; <a href=\"{{URL}}\">{{URL}}</a>{{/URL}}</div>";

/* Exactly the tables and indexes of Anki's schema 11 (rslib schema11.sql).
 * The indexes are created after the rows are in (anki_index_sql): one
 * sorted build per index instead of an index insert per row. */
const char anki_schema_sql[] =
    "CREATE TABLE col (id integer primary key, crt integer not null,"
    " mod integer not null, scm integer not null, ver integer not null,"
    " dty integer not null, usn integer not null, ls integer not null,"
    " conf text not null, models text not null, decks text not null,"
    " dconf text not null, tags text not null);"
    "CREATE TABLE notes (id integer primary key, guid text not null,"
    " mid integer not null, mod integer not null, usn integer not null,"
    " tags text not null, flds text not null, sfld integer not null,"
    " csum integer not null, flags integer not null, data text not null);"
    "CREATE TABLE cards (id integer primary key, nid integer not null,"
    " did integer not null, ord integer not null, mod integer not null,"
    " usn integer not null, type integer not null, queue integer not null,"
    " due integer not null, ivl integer not null, factor integer not null,"
    " reps integer not null, lapses integer not null, left integer not null,"
    " odue integer not null, odid integer not null, flags integer not null,"
    " data text not null);"
    "CREATE TABLE revlog (id integer primary key, cid integer not null,"
    " usn integer not null, ease integer not null, ivl integer not null,"
    " lastIvl integer not null, factor integer not null,"
    " time integer not null, type integer not null);"
    "CREATE TABLE graves (usn integer not null, oid integer not null,"
    " type integer not null);";

const char anki_index_sql[] =
    "CREATE INDEX ix_notes_usn ON notes (usn);"
    "CREATE INDEX ix_cards_usn ON cards (usn);"
    "CREATE INDEX ix_revlog_usn ON revlog (usn);"
    "CREATE INDEX ix_cards_nid ON cards (nid);"
    "CREATE INDEX ix_cards_sched ON cards (did, queue, due);"
    "CREATE INDEX ix_revlog_cid ON revlog (cid);"
    "CREATE INDEX ix_notes_csum ON notes (csum);";

/** One note type of `models` ("ID":{...}), with every key the schema-11
 *  loaders of Anki (rslib NotetypeSchema11), AnkiDroid and Mnemosyne read. */
static void anki_put_model(anki_ctx *c, dconv_util_buf *b, int64_t id,
                           const char *name, const char *tmpl,
                           const char *qfmt, const char *afmt,
                           const char *const *fields, int n_fields,
                           int sort_field, int req_field) {
  long long mid = (long long)id;
  dconv_util_buf_printf(b, "\"%lld\":{\"id\":%lld,\"name\":", mid, mid);
  dconv_util_put_json(b, name);
  dconv_util_buf_printf(b,
                ",\"type\":0,\"mod\":%lld,\"usn\":-1,\"sortf\":%d,"
                "\"did\":%lld,\"tmpls\":[{\"name\":",
                (long long)c->mod, sort_field,
                (long long)c->decks[c->main_deck].id);
  dconv_util_put_json(b, tmpl);
  dconv_util_buf_puts(b, ",\"ord\":0,\"qfmt\":");
  dconv_util_put_json(b, qfmt);
  dconv_util_buf_puts(b, ",\"afmt\":");
  dconv_util_put_json(b, afmt);
  dconv_util_buf_puts(b, ",\"bqfmt\":\"\",\"bafmt\":\"\",\"did\":null,"
                 "\"bfont\":\"\",\"bsize\":0}],\"flds\":[");
  for (int i = 0; i < n_fields; i++) {
    dconv_util_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
    dconv_util_put_json(b, fields[i]);
    dconv_util_buf_printf(b,
                  ",\"ord\":%d,\"sticky\":false,\"rtl\":false,"
                  "\"font\":\"Arial\",\"size\":20,\"media\":[],"
                  "\"description\":\"\"}",
                  i);
  }
  dconv_util_buf_puts(b, "],\"css\":");
  dconv_util_put_json(b, anki_css);
  dconv_util_buf_puts(b, ",\"latexPre\":");
  dconv_util_put_json(b, "\\documentclass[12pt]{article}\n\\special{papersize="
                       "3in,5in}\n\\usepackage[utf8]{inputenc}\n"
                       "\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n"
                       "\\setlength{\\parindent}{0in}\n\\begin{document}\n");
  dconv_util_buf_puts(b, ",\"latexPost\":\"\\\\end{document}\",\"latexsvg\":false,");
  /* The one card needs its question field non-empty. */
  dconv_util_buf_printf(b, "\"req\":[[0,\"any\",[%d]]],\"tags\":[],\"vers\":[]}",
                req_field);
}

/** `models`: the paper note type, and the card note type when the deck has
 *  extra cards (a default deck is what it always was). */
void anki_put_models(anki_ctx *c, dconv_util_buf *b) {
  dconv_util_buf_putc(b, '{');
  anki_put_model(c, b, ANKI_MODEL_ID, ANKI_MODEL_NAME, ANKI_TEMPLATE_NAME,
                 anki_qfmt, anki_afmt, anki_field_names, ANKI_N_FIELDS,
                 ANKI_SORT_FIELD, ANKI_F_TITLE);
  if (c->n_extras) {
    dconv_util_buf_putc(b, ',');
    anki_put_model(c, b, ANKI_CARD_MODEL_ID, ANKI_CARD_MODEL_NAME,
                   ANKI_CARD_TEMPLATE_NAME, anki_card_qfmt, anki_card_afmt,
                   anki_card_field_names, ANKI_C_N_FIELDS, ANKI_C_KEY,
                   ANKI_C_FRONT);
  }
  dconv_util_buf_putc(b, '}');
}

static void anki_put_deck(anki_ctx *c, dconv_util_buf *b, int64_t id,
                          const char *name) {
  dconv_util_buf_printf(b, "\"%lld\":{\"id\":%lld,\"mod\":%lld,\"name\":",
                (long long)id, (long long)id, (long long)c->mod);
  dconv_util_put_json(b, name);
  dconv_util_buf_puts(b, ",\"usn\":-1,\"lrnToday\":[0,0],\"revToday\":[0,0],"
                 "\"newToday\":[0,0],\"timeToday\":[0,0],"
                 "\"collapsed\":false,\"browserCollapsed\":false,"
                 "\"desc\":\"\",\"dyn\":0,\"conf\":1,"
                 "\"extendNew\":0,\"extendRev\":0}");
}

/** `decks`: Anki's Default deck (id 1, present in every collection) and
 *  ours, in creation order (deterministic). */
void anki_put_decks(anki_ctx *c, dconv_util_buf *b) {
  dconv_util_buf_putc(b, '{');
  anki_put_deck(c, b, ANKI_DEFAULT_DECK_ID, "Default");
  for (size_t i = 0; i < c->n_decks; i++) {
    dconv_util_buf_putc(b, ',');
    anki_put_deck(c, b, c->decks[i].id, c->decks[i].name);
  }
  dconv_util_buf_putc(b, '}');
}

/** `dconf`: Anki's default options group, every schema-11 key present. */
const char anki_dconf_json[] =
    "{\"1\":{\"id\":1,\"mod\":0,\"name\":\"Default\",\"usn\":0,"
    "\"maxTaken\":60,\"autoplay\":true,\"timer\":0,\"replayq\":true,"
    "\"dyn\":false,"
    "\"new\":{\"bury\":false,\"delays\":[1.0,10.0],\"initialFactor\":2500,"
    "\"ints\":[1,4,0],\"order\":1,\"perDay\":20,\"separate\":true},"
    "\"rev\":{\"bury\":false,\"ease4\":1.3,\"ivlFct\":1.0,\"maxIvl\":36500,"
    "\"perDay\":200,\"hardFactor\":1.2,\"fuzz\":0.05,\"minSpace\":1},"
    "\"lapse\":{\"delays\":[10.0],\"leechAction\":1,\"leechFails\":8,"
    "\"minInt\":1,\"mult\":0.0}}}";

/** `conf`: collection settings older clients read on open. */
void anki_put_conf(anki_ctx *c, dconv_util_buf *b) {
  long long did = (long long)c->decks[c->main_deck].id;
  dconv_util_buf_printf(b,
                "{\"activeDecks\":[%lld],\"curDeck\":%lld,\"newSpread\":0,"
                "\"collapseTime\":1200,\"timeLim\":0,\"estTimes\":true,"
                "\"dueCounts\":true,\"curModel\":%lld,\"nextPos\":%llu,"
                "\"sortType\":\"noteFld\",\"sortBackwards\":false,"
                "\"addToCur\":true,\"dayLearnFirst\":false}",
                did, did, (long long)ANKI_MODEL_ID,
                (unsigned long long)c->n_papers + 1);
}

