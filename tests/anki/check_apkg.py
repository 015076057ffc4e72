#!/usr/bin/env python3
"""Validate a dconv .apkg against Anki's legacy schema 11.

usage: check_apkg.py DECK.apkg DCONV.json [--deck NAME] [--subdecks]

DCONV.json is `dconv --to json` of the same input: it gives the expected
papers (one note per arXiv id, or per URL + title without an id) and dates.
Prints one line per failed check and exits 1 if any failed.
"""
import hashlib
import html
import html.parser
import json
import re
import sqlite3
import sys
import tempfile
import time
import zipfile

# Column names of Anki's rslib/src/storage/schema11.sql, in order.
SCHEMA11 = {
    "col": ["id", "crt", "mod", "scm", "ver", "dty", "usn", "ls", "conf",
            "models", "decks", "dconf", "tags"],
    "notes": ["id", "guid", "mid", "mod", "usn", "tags", "flds", "sfld",
              "csum", "flags", "data"],
    "cards": ["id", "nid", "did", "ord", "mod", "usn", "type", "queue", "due",
              "ivl", "factor", "reps", "lapses", "left", "odue", "odid",
              "flags", "data"],
    "revlog": ["id", "cid", "usn", "ease", "ivl", "lastIvl", "factor", "time",
               "type"],
    "graves": ["usn", "oid", "type"],
}
INDEXES = {
    "ix_notes_usn": ("notes", ["usn"]),
    "ix_cards_usn": ("cards", ["usn"]),
    "ix_revlog_usn": ("revlog", ["usn"]),
    "ix_cards_nid": ("cards", ["nid"]),
    "ix_cards_sched": ("cards", ["did", "queue", "due"]),
    "ix_revlog_cid": ("revlog", ["cid"]),
    "ix_notes_csum": ("notes", ["csum"]),
}
# Keys the schema-11 loaders require (Anki's rslib *Schema11 structs without
# serde defaults, plus what AnkiDroid and Mnemosyne read).
MODEL_KEYS = ["id", "name", "type", "mod", "usn", "sortf", "did", "tmpls",
              "flds", "css", "latexPre", "latexPost", "req"]
FIELD_KEYS = ["name", "ord", "sticky", "rtl", "font", "size"]
TMPL_KEYS = ["name", "ord", "qfmt", "afmt", "bqfmt", "bafmt", "did"]
DECK_KEYS = ["id", "mod", "name", "usn", "lrnToday", "revToday", "newToday",
             "timeToday", "collapsed", "dyn", "conf", "desc"]
DCONF_KEYS = ["id", "mod", "name", "usn", "maxTaken", "autoplay", "timer",
              "new", "rev", "lapse"]
DCONF_SUB = {
    "new": ["delays", "initialFactor", "ints", "order", "perDay"],
    "rev": ["ease4", "ivlFct", "maxIvl", "perDay"],
    "lapse": ["delays", "leechAction", "leechFails", "minInt", "mult"],
}
FIELDS = ["ArxivID", "Title", "Authors", "Summary", "Votes", "Date", "URL"]
BAD_AMP = re.compile(r"&(?!(amp|lt|gt|quot);)")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def need_keys(what, obj, keys):
    missing = [k for k in keys if k not in obj]
    if missing:
        fail(f"{what}: missing keys {missing}")


class Balance(html.parser.HTMLParser):
    """Checks that every element opened in a field is closed in order."""

    def __init__(self):
        super().__init__()
        self.stack, self.ok = [], True

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "hr", "img"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def strip_html(s):
    return html.unescape(re.sub(r"<[^>]*>", "", s))


def expected_notes(doc):
    """Identity -> (first date, set of dates) for every paper, merged."""
    out = {}
    for d in doc["digests"]:
        for p in d["papers"]:
            key = p["arxiv_id"] or (p["url"], p["title"])
            first, dates = out.get(key, (d["date"], set()))
            dates.add(d["date"])
            out[key] = (first, dates)
    return out


def main():
    args = sys.argv[1:]
    deck = "Daily Papers"
    subdecks = "--subdecks" in args
    if "--deck" in args:
        deck = args[args.index("--deck") + 1]
    apkg, doc = args[0], json.load(open(args[1], encoding="utf-8"))
    want = expected_notes(doc)

    z = zipfile.ZipFile(apkg)
    names = z.namelist()
    if names != ["collection.anki2", "media"]:
        fail(f"zip entries {names}")
    if json.loads(z.read("media")) != {}:
        fail("media is not {}")
    tmp = tempfile.NamedTemporaryFile(suffix=".anki2")
    tmp.write(z.read("collection.anki2"))
    tmp.flush()
    db = sqlite3.connect(tmp.name)

    ic = db.execute("pragma integrity_check").fetchall()
    if ic != [("ok",)]:
        fail(f"integrity_check: {ic}")
    tables = sorted(r[0] for r in db.execute(
        "select name from sqlite_master where type='table'"))
    if tables != sorted(SCHEMA11):
        fail(f"tables {tables}")
    for t, cols in SCHEMA11.items():
        got = [r[1] for r in db.execute(f"pragma table_info({t})")]
        if got != cols:
            fail(f"{t} columns {got}, want {cols}")
    for ix, (t, cols) in INDEXES.items():
        got = [r[2] for r in db.execute(f"pragma index_info({ix})")]
        tbl = db.execute("select tbl_name from sqlite_master where name=?",
                         (ix,)).fetchone()
        if got != cols or not tbl or tbl[0] != t:
            fail(f"index {ix}: {tbl} {got}")

    rows = db.execute("select id, ver, tags, conf, models, decks, dconf, crt,"
                      " mod, scm from col").fetchall()
    if len(rows) != 1:
        fail(f"col has {len(rows)} rows")
        return
    cid, ver, ctags, conf, models, decks, dconf, crt, cmod, scm = rows[0]
    if (cid, ver, ctags) != (1, 11, "{}"):
        fail(f"col id/ver/tags = {cid}/{ver}/{ctags}")
    try:
        conf, models, decks, dconf = (json.loads(x) for x in
                                      (conf, models, decks, dconf))
    except ValueError as e:
        fail(f"col JSON does not parse: {e}")
        return
    need_keys("conf", conf, ["activeDecks", "curDeck", "nextPos",
                             "curModel"])
    if len(models) != 1:
        fail(f"{len(models)} models")
    for mid, m in models.items():
        need_keys(f"model {mid}", m, MODEL_KEYS)
        if str(m.get("id")) != mid:
            fail("model key != id")
        for f in m.get("flds", []):
            need_keys(f"field {f.get('name')}", f, FIELD_KEYS)
        for t in m.get("tmpls", []):
            need_keys(f"template {t.get('name')}", t, TMPL_KEYS)
        if [f["name"] for f in m["flds"]] != FIELDS:
            fail(f"field names {[f['name'] for f in m['flds']]}")
        if [f["ord"] for f in m["flds"]] != list(range(len(FIELDS))):
            fail("field ords")
        if m["sortf"] != 0 or m["type"] != 0:
            fail("sortf/type")
        if "word-break: keep-all" not in m["css"]:
            fail("css lacks word-break: keep-all")
        for t in m["tmpls"]:
            for ref in re.findall(r"\{\{[#/^]?([^}]+)\}\}",
                                  t["qfmt"] + t["afmt"]):
                if ref != "FrontSide" and ref.split(":")[-1] not in FIELDS:
                    fail(f"template refers to unknown field {ref}")
    for did, d in decks.items():
        need_keys(f"deck {did}", d, DECK_KEYS)
        if str(d.get("id")) != did:
            fail("deck key != id")
        if str(d.get("conf")) not in dconf:
            fail(f"deck {did} uses a missing options group")
    for dcid, c in dconf.items():
        need_keys(f"dconf {dcid}", c, DCONF_KEYS)
        for sub, keys in DCONF_SUB.items():
            need_keys(f"dconf {dcid}.{sub}", c.get(sub, {}), keys)
    deck_names = {d["name"]: int(i) for i, d in decks.items()}
    want_decks = {"Default", deck}
    parts = deck.split("::")
    want_decks |= {"::".join(parts[:i]) for i in range(1, len(parts))}
    if subdecks:
        want_decks |= {f"{deck}::{d['date']}" for d in doc["digests"]}
    if set(deck_names) != want_decks:
        fail(f"decks {sorted(deck_names)}, want {sorted(want_decks)}")

    notes = db.execute("select id, guid, mid, mod, tags, flds, sfld, csum"
                       " from notes").fetchall()
    cards = db.execute("select id, nid, did, ord, type, queue, due"
                       " from cards").fetchall()
    if len(notes) != len(want):
        fail(f"{len(notes)} notes for {len(want)} papers")
    if len(cards) != len(notes):
        fail(f"{len(cards)} cards for {len(notes)} notes")
    guids = [n[1] for n in notes]
    if len(set(guids)) != len(guids):
        fail("GUIDs are not unique")
    future = (time.time() + 86400) * 1000
    if any(n[0] > future for n in notes) or any(c[0] > future for c in cards):
        fail("ids in the future (Anki's Check Database would renumber them)")
    by_nid = {}
    seen = set()
    for nid, guid, mid, mod, tags, flds, sfld, csum in notes:
        by_nid[nid] = flds
        m = models.get(str(mid))
        f = flds.split("\x1f")
        if not m:
            fail(f"note {nid}: model {mid} missing")
            continue
        if len(f) != len(m["flds"]):
            fail(f"note {nid}: {len(f)} fields, model has {len(m['flds'])}")
            continue
        if not re.fullmatch(r"[0-9A-Za-z]{11}", guid):
            fail(f"note {nid}: guid {guid!r}")
        sort = strip_html(f[m["sortf"]])
        # sfld is declared "integer": SQLite stores a numeric sort field
        # as a number (an id 2403.17887 as REAL, 1001.00000 as INTEGER).
        if str(sfld) != sort and not (isinstance(sfld, (int, float))
                                      and float(sort) == sfld):
            fail(f"note {nid}: sfld {sfld!r} != {sort!r}")
        want_csum = int(hashlib.sha1(sort.encode()).hexdigest()[:8], 16)
        if csum != want_csum:
            fail(f"note {nid}: csum {csum} != {want_csum}")
        for i in (0, 1, 2, 4, 5, 6):
            if "<" in f[i] or ">" in f[i] or BAD_AMP.search(f[i]):
                fail(f"note {nid}: field {FIELDS[i]} not escaped: {f[i]!r}")
        b = Balance()
        b.feed(f[3])
        b.close()
        if not b.ok or b.stack:
            fail(f"note {nid}: Summary HTML unbalanced")
        if not tags.startswith(" ") or not tags.endswith(" "):
            fail(f"note {nid}: tags not space-padded: {tags!r}")
        key = html.unescape(f[0]) or (html.unescape(f[6]),
                                      html.unescape(f[1]))
        if key not in want:
            fail(f"note {nid}: unexpected paper {key}")
            continue
        seen.add(key)
        first, dates = want[key]
        # dp::YYYY::MM::DD: a year/month/day tag tree in Anki's browser.
        want_tags = {"daily-papers"} | {"dp::" + d.replace("-", "::")
                                        for d in dates}
        if set(tags.split()) != want_tags:
            fail(f"note {nid}: tags {tags!r}, want {sorted(want_tags)}")
        if html.unescape(f[5]) != first:
            fail(f"note {nid}: Date {f[5]} != {first}")
    if seen != set(want):
        fail(f"{len(set(want) - seen)} papers without a note")
    dids = {int(d) for d in decks}
    for cid_, nid, did, ord_, ctype, queue, due in cards:
        if nid not in by_nid:
            fail(f"card {cid_}: note {nid} missing")
            continue
        if did not in dids:
            fail(f"card {cid_}: deck {did} missing")
            continue
        # The card sits in the deck (or day subdeck) of its Date field.
        date = html.unescape(by_nid[nid].split("\x1f")[5])
        want_deck = f"{deck}::{date}" if subdecks else deck
        if decks[str(did)]["name"] != want_deck:
            fail(f"card {cid_}: in deck {decks[str(did)]['name']!r},"
                 f" want {want_deck!r}")
        if ord_ != 0 or ctype != 0 or queue != 0:
            fail(f"card {cid_}: not a new card of template 0")
    dues = sorted(c[6] for c in cards)
    if dues != list(range(1, len(cards) + 1)):
        fail("card due positions are not 1..N")
    print(f"checked {apkg}: {len(notes)} notes, {len(cards)} cards, "
          f"{len(decks)} decks")


main()
sys.exit(1 if failures else 0)
