#!/bin/bash
# A real consumer: Mnemosyne's Anki importer (libmnemosyne file_formats
# anki2), driven headless through mnemosyne.script. It reads the col JSON
# (models, decks), every note and card, and renders cards with our template.
# Checks the card count for the seeds and the corpus, and that importing an
# updated deck over the first updates facts instead of duplicating them.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
need unzip sqlite3 jq

need_mnemosyne

# mn_import DATA_DIR APKG... : JSON summary of the Mnemosyne collection.
mn_import() {
  "$PY" "$ANKI_TESTS/mnemosyne_import.py" "$@" 2>"$TMP/mn.log" | tail -n 1
}

dconv --to anki -q "$SEEDS" -o "$TMP/seeds.apkg" || fail "build seeds"
out=$(mn_import "$TMP/mn-seeds" "$TMP/seeds.apkg")
expect_eq "Mnemosyne imports every seed card" "54 54" \
  "$(echo "$out" | jq -r '"\(.cards) \(.facts)"')"
check "Mnemosyne renders the question from our template" \
  grep -q 'class=\\"dp-title\\"' <<<"$out"
check "Mnemosyne renders the summary list in the answer" \
  grep -q 'dp-summary.*<ul><li>' <<<"$out"

dconv --to anki -q "$CORPUS" -o "$TMP/corpus.apkg" || fail "build corpus"
expect_eq "Mnemosyne imports every corpus card" "1422 1422" \
  "$(mn_import "$TMP/mn-corpus" "$TMP/corpus.apkg" | jq -r '"\(.cards) \(.facts)"')"

# Re-import an updated deck over the first one.
anki_changed_seeds "$TMP/changed"
SOURCE_DATE_EPOCH=1711584000 dconv --to anki -q "$SEEDS" -o "$TMP/a.apkg" || fail "build a"
SOURCE_DATE_EPOCH=1711670400 dconv --to anki -q "$TMP/changed" -o "$TMP/b.apkg" || fail "build b"
guid=$(anki_sql "$TMP/b.apkg" "SELECT guid FROM notes WHERE sfld = 2403.17887")
out=$(mn_import "$TMP/mn-re" "$TMP/a.apkg" "$TMP/b.apkg")
expect_eq "re-import: one new card, no duplicates" "55 55" \
  "$(echo "$out" | jq -r '"\(.cards) \(.facts)"')"
check "re-import: the edited summary replaced the old one" \
  grep -q '(개정)' <<<"$(echo "$out" | jq -r --arg g "$guid" '.facts_by_guid[$g]["3"]')"
if [ "$FAILS" -ne 0 ]; then cat "$TMP/mn.log" >&2; fi
finish
