# ris-format: the bytes of the RIS output, against a hand-written
# expectation (small.expected.ris, CRLF line ends) and by rule: CRLF only,
# options, the elision note, never an author "+", one record per arXiv id
# with the same warning as the BibTeX writer.
. "$SRCDIR/tests/lib.sh"
SMALL=$SRCDIR/tests/citejs/small.md

dconv -q --to ris -O abstract=true -O note=true "$SMALL" >"$TMP/small.ris"
check "small digest: output equals the hand-written small.expected.ris" \
  cmp "$TMP/small.ris" "$SRCDIR/tests/ris/small.expected.ris"

dconv -q --to ris "$SEEDS" >"$TMP/seeds.ris"
check "seeds: output is not empty" test -s "$TMP/seeds.ris"
expect_eq "seeds: every line ends in CRLF" 0 "$(grep -c -v $'\r$' "$TMP/seeds.ris")"
expect_eq "seeds: one TY per ER" "$(grep -c '^TY  - ' "$TMP/seeds.ris")" \
  "$(grep -c $'^ER  - \r$' "$TMP/seeds.ris")"
check "seeds: never an author named +" sh -c "! grep -q '^AU  - +' '$TMP/seeds.ris'"
check "seeds: default options write no AB" sh -c "! grep -q '^AB  - ' '$TMP/seeds.ris'"
check "seeds: default options write no vote note" sh -c "! grep -q '^N1  - Daily' '$TMP/seeds.ris'"
check "seeds: the elided InternLM2 list is noted" \
  sh -c "awk 'BEGIN{RS=\"ER  - \\r\\n\"} /InternLM2 Technical Report/' '$TMP/seeds.ris' | grep -q '^N1  - Author list shortened'"

# one record per arXiv id, with the BibTeX writer's warning word for word
dconv --to ris "$SMALL" >"$TMP/dup.ris" 2>"$TMP/ris.err"
dconv --to bibtex "$SMALL" >/dev/null 2>"$TMP/bib.err"
expect_eq "small: the repeated arXiv id is left out" 3 "$(grep -c '^TY  - ' "$TMP/dup.ris")"
grep 'listed again' "$TMP/ris.err" | sed 's/ (ris)$//' >"$TMP/ris.warn"
grep 'listed again' "$TMP/bib.err" | sed 's/ (bibtex)$//' >"$TMP/bib.warn"
check "small: the repeat is reported" test -s "$TMP/ris.warn"
check "small: the warning is the BibTeX writer's" cmp "$TMP/ris.warn" "$TMP/bib.warn"
finish
