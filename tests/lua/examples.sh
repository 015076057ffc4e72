#!/bin/bash
# The three example scripts of docs/lua/ run as a user would, each checked
# by a real consumer or a hand-written expectation:
#   org.lua          pandoc -f org reads it back; headings, links and arXiv
#                    ids against dconv's JSON of the same input (org_check.py)
#   readinglist.lua  Python's csv module reads it; rows against the JSON
#                    (csv_check.py), with and without -O min-votes
#   keep.lua         the papers kept, written out by hand from digest.md
# Input: tests/lua/digest.md (titles full of Org markup characters, a
# quoted author, commas) and two months of the real corpus.
. "$SRCDIR/tests/lib.sh"
need pandoc python3 jq
LUA=$SRCDIR/docs/lua
HERE=$SRCDIR/tests/lua
IN="$HERE/digest.md $CORPUS/2025-02-0*.md $CORPUS/2025-03-1*.md"

# shellcheck disable=SC2086 # IN is a list of paths without spaces
dconv --to json -q -o "$TMP/all.json" $IN || fail "json of the input"
dconv --to json -q -o "$TMP/small.json" "$HERE/digest.md" || fail "json of digest.md"

# shellcheck disable=SC2086
if dconv --to "$LUA/org.lua" -q -o "$TMP/all.org" $IN &&
  pandoc -f org -t json -o "$TMP/org.json" "$TMP/all.org"; then
  check "org writer: pandoc reads the titles, links, ids back" \
    python3 "$HERE/org_check.py" "$TMP/all.json" "$TMP/org.json"
else
  fail "org writer or pandoc failed"
fi
expect_eq "org writer: -O votes=false drops the VOTES property" 0 \
  "$(dconv --to "$LUA/org.lua" -O votes=false -o - "$HERE/digest.md" | grep -c ':VOTES:')"

# shellcheck disable=SC2086
dconv --to "$LUA/readinglist.lua" -q -o "$TMP/all.csv" $IN || fail "csv writer"
check "csv writer: python3 csv reads every paper" \
  python3 "$HERE/csv_check.py" "$TMP/all.json" "$TMP/all.csv" 0
dconv --to "$LUA/readinglist.lua" -O min-votes=10 -o "$TMP/min.csv" \
  "$HERE/digest.md" || fail "csv writer, min-votes"
check "csv writer: -O min-votes=10 keeps papers with >= 10 votes" \
  python3 "$HERE/csv_check.py" "$TMP/small.json" "$TMP/min.csv" 10
expect_eq "csv writer: min-votes=10 rows, by hand" "Attention,Brackets,Diffusion" \
  "$(tail -n +2 "$TMP/min.csv" | cut -d, -f2 | tr -d '"' | cut -d' ' -f1 | paste -sd,)"

# keep SPEC: the kept papers as "DATE:first title words", one digest a line.
keep() {
  dconv --filter "$LUA/keep.lua:$1" --to json -o - "$HERE/digest.md" |
    jq -r '.digests[] | "\(.date):" + ([.papers[].title | split(" ")[0]] | join(","))'
}
expect_eq "filter: words (title only, case-insensitive)" \
  "2025-02-03:Attention
2025-02-04:Diffusion" "$(keep words=agent,attention)"
printf 'graphs\n  MARKUP \n\n' >"$TMP/words.txt"
expect_eq "filter: list=FILE (trimmed lines; emptied day removed)" \
  "2025-02-03:Plain,Markup" "$(keep "list=$TMP/words.txt")"
expect_eq "filter: no match removes every paper and day" "" "$(keep words=zzzz)"
dconv --filter "$LUA/keep.lua" --to json -o - "$HERE/digest.md" \
  >/dev/null 2>"$TMP/err"
expect_eq "filter: no words is an error at keep.lua:LINE" 1 \
  "$(grep -c 'keep.lua:[0-9]*: give -O words' "$TMP/err")"
finish
