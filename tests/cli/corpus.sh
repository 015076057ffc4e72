#!/bin/bash
# Every sample and every real digest parses with exact counts, no warnings
# and nothing dropped (every '- ' bullet line of the input is an item).
. "$SRCDIR/tests/lib.sh"
need jq

expect_eq "seeds: counts" "5 digests, 54 papers, 0 warnings" \
  "$(dconv --check "$SEEDS")"
for pair in 000_16b3e9fdefacf7be:9 001_019702c5b4d4f474:8 \
  002_aaa61af644286699:10 003_58913c7c5123cbcf:14 004_811266e0a52afbe2:13; do
  f=${pair%%:*}
  expect_eq "seed $f papers" "1 digests, ${pair##*:} papers, 0 warnings" \
    "$(dconv --check "$SEEDS/$f.txt")"
done
expect_eq "corpus: counts" "298 digests, 1422 papers, 0 warnings" \
  "$(dconv --check "$CORPUS")"

dconv -q --to json "$CORPUS" >"$TMP/corpus.json"
expect_eq "corpus: bullets" "$(cat "$CORPUS"/*.md | grep -c '^- ')" \
  "$(jq '[.digests[].papers[].summary[]] | length' "$TMP/corpus.json")"
expect_eq "corpus: authors" \
  "$(grep -h '^Authors: ' "$CORPUS"/*.md | sed 's/^Authors: //; s/, /\n/g' | grep -vcx '+')" \
  "$(jq '[.digests[].papers[].authors[]] | length' "$TMP/corpus.json")"
expect_eq "corpus: elided author lists" "165" \
  "$(jq '[.digests[].papers[] | select(.authors_elided)] | length' "$TMP/corpus.json")"
expect_eq "corpus: every paper has an arXiv id, votes and media" "1422" \
  "$(jq '[.digests[].papers[] | select(.arxiv_id and .votes != null and .media)] | length' "$TMP/corpus.json")"
expect_eq "corpus: digests sorted by date" \
  "$(ls "$CORPUS" | sed 's/\.md$//' | sort | tr '\n' ' ')" \
  "$(jq -r '.digests[].date' "$TMP/corpus.json" | tr '\n' ' ')"
# Seeds and corpus merged: one collection, sorted.
expect_eq "seeds + corpus merged" "303 digests, 1476 papers, 0 warnings" \
  "$(dconv --check "$SEEDS" "$CORPUS")"
finish
