#!/bin/bash
# The zip formats as their readers get them: an EPUB and an .apkg of all
# seeds, written to a file and to a pipe (the container streams, so the pipe
# must get the same bytes), twice (byte-identical), then read by zip -T,
# unzip -t, Python's zipfile with check_zip.py (mimetype first and stored,
# headers, timestamps), epubcheck and the Anki checks (SQLite's integrity
# check, the schema-11 checks of tests/anki).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
need python3 zip unzip sqlite3
need_epubcheck
HERE=$SRCDIR/tests/zip
export SOURCE_DATE_EPOCH=1700000000

for fmt in epub anki; do
  ext=$fmt
  [ "$fmt" = anki ] && ext=apkg
  out=$TMP/seeds.$ext
  if [ "$fmt" = anki ]; then
    anki_build "$out" "$SEEDS" || continue
  else
    check "$fmt: dconv" dconv --to "$fmt" -q -o "$out" "$SEEDS"
  fi
  dconv --to "$fmt" -q -o - "$SEEDS" | cat >"$TMP/pipe.$ext"
  check "$fmt: a pipe gets the file's bytes" cmp "$out" "$TMP/pipe.$ext"
  dconv --to "$fmt" -q -o "$TMP/again.$ext" "$SEEDS"
  check "$fmt: byte-identical across runs" cmp "$out" "$TMP/again.$ext"
  check "$fmt: zip -T" zip -T "$out"
  check "$fmt: unzip -t" unzip -tq "$out"
  opt=""
  [ "$fmt" = epub ] && opt=--epub
  check "$fmt: layout (check_zip.py, zipfile)" python3 "$HERE/check_zip.py" "$out" $opt
done
epubcheck_all "$TMP/seeds.epub"
anki_check "apkg" "$TMP/seeds.apkg"
finish
