#!/bin/bash
# Reproducible bytes and the mod rule: with SOURCE_DATE_EPOCH two runs are
# byte-identical and every mod is that time; without it, mod is midnight UTC
# of the newest digest date (still deterministic).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
need sqlite3 unzip cmp

export SOURCE_DATE_EPOCH=1711584000
for args in "$SEEDS" "-O subdecks=true $SEEDS" "$CORPUS"; do
  # shellcheck disable=SC2086
  dconv --to anki -q $args -o "$TMP/a.apkg" || fail "dconv --to anki $args"
  # shellcheck disable=SC2086
  dconv --to anki -q $args -o "$TMP/b.apkg" || fail "dconv --to anki $args"
  check "byte-identical runs: $args" cmp -s "$TMP/a.apkg" "$TMP/b.apkg"
done
expect_eq "SOURCE_DATE_EPOCH: note mod, card mod, col mod (ms), crt" \
  "1711584000|1711584000|1711584000000|1711584000" \
  "$(anki_sql "$TMP/a.apkg" "SELECT (SELECT group_concat(DISTINCT mod) FROM notes),
     (SELECT group_concat(DISTINCT mod) FROM cards), mod, crt FROM col")"
expect_eq "SOURCE_DATE_EPOCH: note type and deck mod" "1711584000|1711584000" \
  "$(anki_sql "$TMP/a.apkg" "SELECT (SELECT min(json_extract(value, '$.mod')) FROM col, json_each(col.models)),
     (SELECT max(json_extract(value, '$.mod')) FROM col, json_each(col.decks)) FROM col")"

unset SOURCE_DATE_EPOCH
dconv --to anki -q "$SEEDS" -o "$TMP/c.apkg" || fail "build c (no SOURCE_DATE_EPOCH)"
dconv --to anki -q "$SEEDS" -o "$TMP/d.apkg" || fail "build d (no SOURCE_DATE_EPOCH)"
check "byte-identical runs without SOURCE_DATE_EPOCH" cmp -s "$TMP/c.apkg" "$TMP/d.apkg"
# The newest seed digest is 2024-05-29.
expect_eq "default mod: newest digest date, 00:00 UTC" \
  "$(date -u -d 2024-05-29 +%s)" \
  "$(anki_sql "$TMP/c.apkg" 'SELECT DISTINCT mod FROM notes')"
finish
