#!/bin/bash
# markdown -O split=day: one DATE.md per digest through the host's
# multi-part output. A directory written with -o DIR/ reads back as the
# same tree as the inputs (seeds and the whole corpus), each file is the
# Markdown of exactly one digest, and without -o the run is a usage error
# that writes nothing.
. "$SRCDIR/tests/lib.sh"

split_check() { # NAME INPUT
  name=$1 in=$2
  out=$TMP/$name
  check "$name: split run" dconv -q --to markdown -O split=day "$in" -o "$out/"
  want=$(dconv --check "$in" 2>&1 | sed -n 's/^\([0-9]*\) digests*,.*/\1/p')
  expect_eq "$name: one file per digest" "$want" "$(ls "$out" | grep -c '^[0-9-]*\.md$')"
  dconv -q --to json "$in" >"$TMP/$name.a.json"
  dconv -q --to json "$out" >"$TMP/$name.b.json"
  check "$name: the directory reads back as the same tree" \
    cmp -s "$TMP/$name.a.json" "$TMP/$name.b.json"
  bad=0
  for f in "$out"/*.md; do
    [ "$(grep -c '^## ' "$f")" -eq 1 ] || bad=$((bad + 1))
    grep -q "^## .*($(basename "$f" .md))\$" "$f" || bad=$((bad + 1))
  done
  expect_eq "$name: each file holds its own digest only" 0 "$bad"
}
split_check seeds "$SEEDS"
split_check corpus "$CORPUS"

dconv -q --to markdown -O split=day "$SEEDS" >"$TMP/stdout" 2>"$TMP/err"
expect_eq "split without -o: usage error" 2 "$?"
expect_eq "split without -o: nothing on stdout" 0 "$(wc -c <"$TMP/stdout")"
finish
