# csljson-format: the CSL-JSON output against a hand-written expectation
# (small.expected.json) and by rule: options, the elision note, never an
# author "+", ids equal to the BibTeX writer's keys=id keys, one item per
# arXiv id with the same warning as the BibTeX writer.
. "$SRCDIR/tests/lib.sh"
need jq
SMALL=$SRCDIR/tests/citejs/small.md

dconv -q --to csljson -O abstract=true -O note=true "$SMALL" >"$TMP/small.json"
check "small digest: output equals the hand-written small.expected.json" \
  cmp "$TMP/small.json" "$SRCDIR/tests/csljson/small.expected.json"

dconv -q --to csljson "$SEEDS" >"$TMP/seeds.json"
check "seeds: output is a JSON array" jq -e 'type == "array" and length > 0' "$TMP/seeds.json"
check "seeds: never an author named +" \
  jq -e '[.[].author[]? | select(.literal == "+" or .family == "+")] | length == 0' "$TMP/seeds.json"
check "seeds: default options write no abstract" jq -e 'all(.[]; has("abstract") | not)' "$TMP/seeds.json"
check "seeds: the elided InternLM2 list is noted" \
  jq -e '.[] | select(.title == "InternLM2 Technical Report") | .note | startswith("Author list shortened")' "$TMP/seeds.json"
dconv -q --to bibtex "$SEEDS" | sed -n 's/^@misc{\(.*\),$/\1/p' >"$TMP/bib.keys"
jq -r '.[].id' "$TMP/seeds.json" >"$TMP/csl.ids"
check "seeds: ids are the BibTeX keys (keys=id), in the same order" cmp "$TMP/bib.keys" "$TMP/csl.ids"

dconv --to csljson "$SMALL" >"$TMP/dup.json" 2>"$TMP/csl.err"
dconv --to bibtex "$SMALL" >/dev/null 2>"$TMP/bib.err"
expect_eq "small: the repeated arXiv id is left out" 3 "$(jq length "$TMP/dup.json")"
grep 'listed again' "$TMP/csl.err" | sed 's/ (csljson)$//' >"$TMP/csl.warn"
grep 'listed again' "$TMP/bib.err" | sed 's/ (bibtex)$//' >"$TMP/bib.warn"
check "small: the repeat is reported" test -s "$TMP/csl.warn"
check "small: the warning is the BibTeX writer's" cmp "$TMP/csl.warn" "$TMP/bib.warn"
finish
