#!/bin/bash
# Re-import: building the deck again from changed input (one summary edited,
# one paper added, newer mod) keeps the GUID - and the note and card ids -
# of every paper, changes only the edited note's fields, and keeps the note
# type and deck ids, so Anki updates notes instead of duplicating them.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
need python3 unzip

anki_changed_seeds "$TMP/changed"
SOURCE_DATE_EPOCH=1711584000 dconv --to anki -q "$SEEDS" -o "$TMP/a.apkg" ||
  fail "build a"
SOURCE_DATE_EPOCH=1711670400 dconv --to anki -q "$TMP/changed" -o "$TMP/b.apkg" ||
  fail "build b"
unzip -p "$TMP/a.apkg" collection.anki2 >"$TMP/a.anki2"
unzip -p "$TMP/b.apkg" collection.anki2 >"$TMP/b.anki2"

check "GUIDs, ids, note type and decks kept across rebuilds" \
  python3 - "$TMP/a.anki2" "$TMP/b.anki2" <<'PY'
import sqlite3, sys
def load(path):
    con = sqlite3.connect(path)
    notes = {r[2].split("\x1f")[0]: r for r in con.execute(
        "select n.guid, n.id, n.flds, n.mod, n.mid, c.id, c.did"
        " from notes n join cards c on c.nid = n.id")}
    col = con.execute("select models, decks from col").fetchone()
    return notes, col
(a, acol), (b, bcol) = load(sys.argv[1]), load(sys.argv[2])
bad = []
for aid, (guid, nid, flds, mod, mid, cid, did) in a.items():
    if aid not in b:
        bad.append(f"{aid} lost")
        continue
    bguid, bnid, bflds, bmod, bmid, bcid, bdid = b[aid]
    if (guid, nid, mid, cid, did) != (bguid, bnid, bmid, bcid, bdid):
        bad.append(f"{aid}: identity changed")
    if bmod <= mod:
        bad.append(f"{aid}: mod not newer ({mod} -> {bmod})")
    if (flds != bflds) != (aid == "2403.17887"):
        bad.append(f"{aid}: fields {'unchanged' if flds == bflds else 'changed'}")
if "(개정)" not in b["2403.17887"][2]:
    bad.append("edited summary missing")
if set(b) - set(a) != {"2403.99999"}:
    bad.append(f"new notes {set(b) - set(a)}")
import json
ma, mb = json.loads(acol[0]), json.loads(bcol[0])
strip = lambda m: {k: (v["name"], [f["name"] for f in v["flds"]],
                       [t["name"] for t in v["tmpls"]], v["css"])
                   for k, v in m.items()}
if strip(ma) != strip(mb):
    bad.append("note type changed")
da = {k: v["name"] for k, v in json.loads(acol[1]).items()}
if da != {k: v["name"] for k, v in json.loads(bcol[1]).items()}:
    bad.append("deck ids changed")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# Without SOURCE_DATE_EPOCH a newer digest alone makes every mod newer, so
# importing tomorrow's deck updates today's notes.
mkdir -p "$TMP/newer"
cp "$SEEDS"/* "$TMP/newer/"
sed 's/^## Daily Papers (2024-05-29)/## Daily Papers (2024-06-03)/' \
  "$SEEDS/001_019702c5b4d4f474.txt" >"$TMP/newer/later.md"
dconv --to anki -q "$SEEDS" -o "$TMP/c.apkg" || fail "build c"
dconv --to anki -q "$TMP/newer" -o "$TMP/d.apkg" || fail "build d"
expect_eq "default mod follows the newest digest" \
  "$(date -u -d 2024-05-29 +%s) $(date -u -d 2024-06-03 +%s)" \
  "$(anki_sql "$TMP/c.apkg" 'SELECT DISTINCT mod FROM notes') $(anki_sql "$TMP/d.apkg" 'SELECT DISTINCT mod FROM notes')"
finish
