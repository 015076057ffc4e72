#!/bin/sh
# epub-bench (benchmark, not a timed test): the whole real corpus to EPUB
# with dconv, and with pandoc -f gfm -t epub3 on the same Markdown without
# the image lines (pandoc would try to fetch every thumbnail).
. "$SRCDIR/tests/lib.sh"
need python3

# best_of N CMD...: the fastest of N runs, in milliseconds.
best_of() {
  n=$1
  shift
  best=
  for _ in $(seq "$n"); do
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || return 1
    e=$(date +%s%N)
    t=$(((e - s) / 1000000))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$best"
}

papers=$(dconv --to json "$CORPUS" | python3 -c 'import json,sys; print(sum(len(d["papers"]) for d in json.load(sys.stdin)["digests"]))')
ms=$(best_of 5 dconv --to epub "$CORPUS" -o "$TMP/corpus.epub") || fail "dconv"
echo "dconv --to epub: $papers papers in $ms ms (best of 5)"
ms=$(best_of 5 dconv --to kepub "$CORPUS" -o "$TMP/corpus.kepub.epub") || fail "dconv kepub"
echo "dconv --to kepub: $papers papers in $ms ms (best of 5)"

if command -v pandoc >/dev/null 2>&1; then
  for f in "$CORPUS"/*.md; do
    grep -v '^!\[' "$f"
    echo
  done >"$TMP/corpus-noimg.md"
  ms=$(best_of 1 pandoc -f gfm -t epub3 --metadata title=Corpus \
    "$TMP/corpus-noimg.md" -o "$TMP/pandoc.epub") || fail "pandoc"
  echo "pandoc -f gfm -t epub3: $papers papers in $ms ms (1 run)"
else
  echo "pandoc not installed: no comparison"
fi
finish
