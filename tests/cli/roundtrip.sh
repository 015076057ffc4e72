#!/bin/bash
# Markdown writer: idempotent (md(md(x)) == md(x) byte for byte) and
# lossless (parsing its output gives the same tree, compared as JSON), for
# every seed and for the whole corpus (merged into one document, and file by
# file through a directory of rewritten digests).
. "$SRCDIR/tests/lib.sh"
need cmark-gfm

roundtrip() { # NAME INPUT...
  name=$1
  shift
  dconv -q --to markdown "$@" >"$TMP/m1.md"
  dconv -q --to markdown "$TMP/m1.md" >"$TMP/m2.md"
  check "$name: idempotent" cmp -s "$TMP/m1.md" "$TMP/m2.md"
  dconv -q --to json "$@" >"$TMP/j1.json"
  dconv -q --to json "$TMP/m1.md" >"$TMP/j2.json"
  check "$name: same tree after a round trip" cmp -s "$TMP/j1.json" "$TMP/j2.json"
}

for f in "$SEEDS"/*.txt; do
  roundtrip "seed $(basename "$f")" "$f"
done
roundtrip "all seeds" "$SEEDS"
roundtrip "corpus" "$CORPUS"
# What the seeds and the corpus lack: inline images (the JSON's "image"
# flag: a writer that turns them into plain links fails here), numbered
# lists that restart, depth jumps.
roundtrip "inline images and lists" "$SRCDIR/tests/cli/roundtrip-rich.md"
check "inline images survive as images" \
  test "$(dconv -q --to markdown "$SRCDIR/tests/cli/roundtrip-rich.md" | grep -o '!\[' | wc -l)" -eq 3

# cmark-gfm itself sees the same document structure in our Markdown as in
# the seed: the same headings and list items (media lines may change form:
# a <video> block is dropped for its [Watch Video] twin, ![](x.webm) becomes
# [Watch Video](x.webm)).
for f in "$SEEDS"/*.txt; do
  dconv -q --to markdown "$f" >"$TMP/m.md"
  a=$(cmark-gfm -e autolink -t xml "$f" | grep -cE '<(heading|item)')
  b=$(cmark-gfm -e autolink -t xml "$TMP/m.md" | grep -cE '<(heading|item)')
  expect_eq "cmark-gfm structure of $(basename "$f")" "$a" "$b"
done
finish
