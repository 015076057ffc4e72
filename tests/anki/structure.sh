#!/bin/bash
# Schema 11 conformance of the deck for every seed, all seeds merged and the
# whole real corpus merged: zip layout, integrity, exact columns and indexes,
# col JSON keys, notes = papers, cards -> notes, field counts, unique GUIDs,
# csum/sfld, escaping, tags.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
need python3 sqlite3 unzip

i=0
for f in "$SEEDS"/*; do
  i=$((i + 1))
  anki_build "$TMP/seed$i.apkg" "$f" && anki_check "seed $(basename "$f")" "$TMP/seed$i.apkg"
done
anki_build "$TMP/seeds.apkg" "$SEEDS" && anki_check "all seeds" "$TMP/seeds.apkg"
anki_build "$TMP/corpus.apkg" "$CORPUS" && anki_check "real corpus" "$TMP/corpus.apkg"
expect_eq "corpus: one note per paper" 1422 \
  "$(anki_sql "$TMP/corpus.apkg" 'SELECT count(*) FROM notes')"

# The checker itself must catch broken decks: a card whose note is gone, a
# renamed column, a wrong csum.
for sql in "DELETE FROM notes WHERE id = (SELECT min(id) FROM notes)" \
  "ALTER TABLE graves RENAME COLUMN oid TO xid" \
  "UPDATE notes SET csum = csum + 1 WHERE id = (SELECT min(id) FROM notes)"; do
  python3 - "$TMP/seeds.apkg" "$TMP/bad.apkg" "$sql" <<'PY'
import sqlite3, sys, tempfile, zipfile
src, dst, sql = sys.argv[1:]
z = zipfile.ZipFile(src)
with tempfile.NamedTemporaryFile(suffix=".anki2") as t:
    t.write(z.read("collection.anki2"))
    t.flush()
    con = sqlite3.connect(t.name)
    con.execute(sql)
    con.commit()
    con.close()
    with zipfile.ZipFile(dst, "w") as out:
        out.write(t.name, "collection.anki2")
        out.writestr("media", z.read("media"))
PY
  cp "$TMP/seeds.json" "$TMP/bad.json"
  if python3 "$ANKI_TESTS/check_apkg.py" "$TMP/bad.apkg" "$TMP/bad.json" >/dev/null; then
    fail "checker accepted a broken deck ($sql)"
  else
    pass "checker rejects a broken deck ($sql)"
  fi
done
finish
