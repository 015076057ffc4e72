#!/bin/bash
# --filter select on tests/select/digest.md (3 days, 7 papers, one without
# votes, arXiv id 2501.00001 on two days), each option against expectations
# written by hand from that file. Output as "DATE: first title words"
# lines, so every kept and dropped paper and digest is visible. Catches:
# off-by-one date bounds, unknown votes passing min-votes, a case-sensitive
# or title-only match, dedupe keeping the later copy, top sorting or
# counting per day when asked overall, emptied digests left behind, bad
# values accepted or crashing.
. "$SRCDIR/tests/lib.sh"
need jq
IN=$SRCDIR/tests/select/digest.md

# sel SPEC: the kept papers, one digest per line.
sel() {
  dconv --to json -o - --filter "$1" "$IN" 2>"$TMP/err" |
    jq -r '.digests[] | "\(.date):" + ([.papers[].title | split(" ")[0]] | join(","))'
}

all="2025-01-02:Alpha,Beta,Gamma
2025-01-03:Alpha,Delta,Epsilon
2025-01-04:Zeta"
expect_eq "no options: everything" "$all" "$(sel select)"
expect_eq "since (inclusive)" "2025-01-03:Alpha,Delta,Epsilon
2025-01-04:Zeta" "$(sel select:since=2025-01-03)"
expect_eq "until (inclusive)" "2025-01-02:Alpha,Beta,Gamma
2025-01-03:Alpha,Delta,Epsilon" "$(sel select:until=2025-01-03)"
expect_eq "since = until: one day" "2025-01-03:Alpha,Delta,Epsilon" \
  "$(sel select:since=2025-01-03,until=2025-01-03)"
expect_eq "min-votes (>=, unknown out, emptied digest gone)" \
  "2025-01-02:Alpha
2025-01-03:Alpha,Delta,Epsilon" "$(sel select:min-votes=20)"
expect_eq "min-votes=0 drops only unknown votes" "2025-01-02:Alpha,Beta
2025-01-03:Alpha,Delta,Epsilon
2025-01-04:Zeta" "$(sel select:min-votes=0)"
expect_eq "match: bullets, case-insensitive" "2025-01-02:Alpha
2025-01-03:Epsilon" "$(sel select:match=transformers)"
expect_eq "match: title and author" "2025-01-02:Alpha
2025-01-03:Alpha,Delta" "$(sel select:match=diffusion)"
expect_eq "match: extended regex, anchored" "2025-01-02:Alpha,Beta
2025-01-04:Zeta" "$(sel 'select:match=^(alpha diffusion models|beta graphs)$|^Gus')"
expect_eq "dedupe: first appearance wins" "2025-01-02:Alpha,Beta,Gamma
2025-01-03:Delta,Epsilon
2025-01-04:Zeta" "$(sel select:dedupe=true)"
expect_eq "top per day (order kept)" "2025-01-02:Alpha
2025-01-03:Alpha
2025-01-04:Zeta" "$(sel select:top=1)"
expect_eq "top 2 per day: unknown votes last" "2025-01-02:Alpha,Beta
2025-01-03:Alpha,Epsilon
2025-01-04:Zeta" "$(sel select:top=2)"
expect_eq "top overall" "2025-01-02:Alpha
2025-01-03:Alpha,Epsilon" "$(sel select:top=3,top-per=all)"
expect_eq "steps combine: dedupe then top overall" "2025-01-02:Alpha
2025-01-03:Epsilon" "$(sel select:dedupe=true,top=2,top-per=all)"
expect_eq "min-votes before dedupe: the copy with enough votes stays" \
  "2025-01-03:Alpha" "$(sel select:min-votes=60,dedupe=true)"
expect_eq "two --filter select in a row" "2025-01-03:Alpha,Epsilon" \
  "$(dconv --to json -o - --filter select:since=2025-01-03 \
    --filter select:min-votes=25 "$IN" 2>/dev/null |
    jq -r '.digests[] | "\(.date):" + ([.papers[].title | split(" ")[0]] | join(","))')"
expect_eq "nothing left: no digests" "" "$(sel select:min-votes=1000)"

# The shorthands (--since, --until, --min-votes, --match, --top, --top-per,
# --dedupe) are one select stage: the same papers as the spelled-out filter,
# hand-checked above, and placed where the first of them stands.
short() {
  dconv --to json -o - "$@" "$IN" 2>"$TMP/err" |
    jq -r '.digests[] | "\(.date):" + ([.papers[].title | split(" ")[0]] | join(","))'
}
expect_eq "--since --until" "2025-01-03:Alpha,Delta,Epsilon" \
  "$(short --since 2025-01-03 --until 2025-01-03)"
expect_eq "--min-votes" "2025-01-02:Alpha
2025-01-03:Alpha,Delta,Epsilon" "$(short --min-votes 20)"
expect_eq "--match" "2025-01-02:Alpha
2025-01-03:Alpha,Delta" "$(short --match diffusion)"
expect_eq "--dedupe --top --top-per" "2025-01-02:Alpha
2025-01-03:Epsilon" "$(short --dedupe --top 2 --top-per all)"
expect_eq "--top per day" "2025-01-02:Alpha
2025-01-03:Alpha
2025-01-04:Zeta" "$(short --top=1)"
expect_eq "shorthand stage before a later --filter" "2025-01-03:Alpha,Epsilon" \
  "$(short --since 2025-01-03 --filter select:min-votes=25)"
dconv --to json -o "$TMP/out" --top 0 "$IN" 2>"$TMP/err"
rc=$?
check "--top 0: exit 2 naming top, no output" \
  test $rc -eq 2 -a ! -e "$TMP/out" -a -n "$(grep top "$TMP/err")"
dconv --help >"$TMP/help"
for o in since until min-votes match top top-per dedupe; do
  check "--help lists --$o" grep -q -- "--$o " "$TMP/help"
done

# Invalid values: usage error (exit 2), a message naming the option, no output.
for spec in select:since=2025-02-30 select:until=2025-1-3 select:since=yesterday \
  select:min-votes=x select:min-votes=-1 select:top=0 select:top=two \
  select:top-per=week select:dedupe=maybe 'select:match=(' \
  select:since=2025-01-04,until=2025-01-02 select:bogus=1; do
  key=${spec#select:}
  key=${key%%=*}
  dconv --to json -o "$TMP/out" --filter "$spec" "$IN" 2>"$TMP/err"
  rc=$?
  if [ $rc -eq 2 ] && grep -q "$key" "$TMP/err" && [ ! -e "$TMP/out" ]; then
    pass "$spec: exit 2, message"
  else
    fail "$spec: exit $rc, $(cat "$TMP/err")"
  fi
  rm -f "$TMP/out"
done
finish
