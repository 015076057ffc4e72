#!/bin/sh
# epub-corpus: the whole real corpus (298 digests, 1422 papers) as one book:
# epubcheck-clean, every paper in nav and NCX with -O toc=papers, titles and
# authors intact; by default (over 1,000 papers) a days-only toc.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3
need_epubcheck

out=$TMP/corpus.epub
start=$(date +%s%N)
if dconv --to epub -O toc=papers "$CORPUS" -o "$out"; then
  end=$(date +%s%N)
  echo "corpus converted in $(((end - start) / 1000000)) ms"
  dconv --to json "$CORPUS" >"$TMP/corpus.json"
  read -r days papers <<EOF
$(count_input "$CORPUS")
EOF
  check_book "$out" --expect-days "$days" --expect-papers "$papers" \
    --tree "$TMP/corpus.json"
  dconv -q --to epub "$CORPUS" -o "$TMP/days.epub" || fail "convert, default toc"
  check_book "$TMP/days.epub" --expect-days "$days" --expect-papers "$papers" \
    --toc days
  first=$(python3 -c 'import sys,zipfile,re; print(re.search(r"<li><a [^>]*>([^<]*)<", zipfile.ZipFile(sys.argv[1]).read("EPUB/nav.xhtml").decode()).group(1))' "$TMP/days.epub")
  expect_eq "a day in the toc with its paper count" "2024-12-16 (1)" "$first"
  epubcheck_all "$out" "$TMP/days.epub"
else
  fail "convert the corpus"
fi
finish
