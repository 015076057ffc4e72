#!/bin/sh
# epub-repro: reproducible bytes with SOURCE_DATE_EPOCH, a deterministic
# dcterms:modified without it, and an identifier that depends on the content
# only (stable across runs, dates and options; different for other digests).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3

SOURCE_DATE_EPOCH=1700000000 dconv --to epub "$SEEDS" -o "$TMP/a.epub" || fail run a
SOURCE_DATE_EPOCH=1700000000 dconv --to epub "$SEEDS" -o "$TMP/b.epub" || fail run b
check "two runs with SOURCE_DATE_EPOCH are byte-identical" cmp "$TMP/a.epub" "$TMP/b.epub"
check_book "$TMP/a.epub"
expect_eq "dcterms:modified from SOURCE_DATE_EPOCH" "2023-11-14T22:13:20Z" \
  "$(json_field "$TMP/a.epub" modified)"

# Zip entries all carry the same fixed time.
stamps=$(python3 -c 'import sys,zipfile; print(len({i.date_time for i in zipfile.ZipFile(sys.argv[1]).infolist()}))' "$TMP/a.epub")
expect_eq "one timestamp for every zip entry" 1 "$stamps"

# Without SOURCE_DATE_EPOCH: midnight of the newest digest, still repeatable.
(unset SOURCE_DATE_EPOCH; dconv --to epub "$SEEDS" -o "$TMP/c.epub" &&
  dconv --to epub "$SEEDS" -o "$TMP/d.epub") || fail "runs without SOURCE_DATE_EPOCH"
check "two runs without SOURCE_DATE_EPOCH are byte-identical" cmp "$TMP/c.epub" "$TMP/d.epub"
check_book "$TMP/c.epub"
expect_eq "dcterms:modified from the newest digest" "2024-05-29T00:00:00Z" \
  "$(json_field "$TMP/c.epub" modified)"

id=$(json_field "$TMP/a.epub" identifier)
expect_eq "identifier stable across dates" "$id" "$(json_field "$TMP/c.epub" identifier)"
dconv --to epub -O title=Other -O lang=en "$SEEDS" -o "$TMP/e.epub" || fail "run e"
check_book "$TMP/e.epub" --lang en --title Other
expect_eq "identifier independent of options" "$id" "$(json_field "$TMP/e.epub" identifier)"
# Input order does not matter: the core sorts digests by date.
set -- "$SEEDS"/*
dconv --to epub "$5" "$4" "$3" "$2" "$1" -o "$TMP/f.epub" || fail "run f"
check_book "$TMP/f.epub"
expect_eq "identifier independent of input order" "$id" "$(json_field "$TMP/f.epub" identifier)"
dconv --to epub "$1" -o "$TMP/g.epub" || fail "run g"
check_book "$TMP/g.epub"
other=$(json_field "$TMP/g.epub" identifier)
check "other digests, other identifier" test "$id" != "$other"
finish
