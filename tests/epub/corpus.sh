#!/bin/sh
# epub-corpus: the whole real corpus (298 digests, 1422 papers) as one book:
# epubcheck-clean, every paper in nav and NCX, titles and authors intact.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3
need_epubcheck

out=$TMP/corpus.epub
start=$(date +%s%N)
if dconv --to epub "$CORPUS" -o "$out"; then
  end=$(date +%s%N)
  echo "corpus converted in $(((end - start) / 1000000)) ms"
  dconv --to json "$CORPUS" >"$TMP/corpus.json"
  read -r days papers <<EOF
$(count_input "$CORPUS")
EOF
  check_book "$out" --expect-days "$days" --expect-papers "$papers" \
    --tree "$TMP/corpus.json"
  epubcheck_all "$out"
else
  fail "convert the corpus"
fi
finish
