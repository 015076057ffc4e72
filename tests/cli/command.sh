#!/bin/bash
# The dconv command: help, listing, errors with the valid choices, default
# outputs, exit codes, and output that only replaces a file on success.
. "$SRCDIR/tests/lib.sh"
need jq
seed=$SEEDS/000_16b3e9fdefacf7be.txt

check "--version names the ABI" sh -c "'$DCONV' --version | grep -qE '^dconv [0-9.]+ \\(plugin ABI 1\\.[0-9]+\\)$'"
check "--help shows usage" sh -c "'$DCONV' --help | grep -q '^usage: dconv --to FORMAT'"
dconv --list-formats >"$TMP/formats"
for f in markdown json epub kepub bibtex biblatex opml anki ris csljson; do
  check "--list-formats has $f" grep -q "^$f " "$TMP/formats"
done
check "--help json lists its options" sh -c "'$DCONV' --help json | grep -q -- '-O source=true|false'"
check "--list-plugins -v shows paths and ABI" sh -c "'$DCONV' --list-plugins -v | grep -q '  abi: 1\\.'"

dconv --to nosuch "$seed" >/dev/null 2>"$TMP/err"
expect_eq "unknown format: exit 2" 2 "$?"
check "unknown format: lists the valid ones" grep -q "unknown format 'nosuch'; available: .*epub" "$TMP/err"
dconv --to json -O colour=red "$seed" >/dev/null 2>"$TMP/err"
expect_eq "unknown option: exit 2" 2 "$?"
expect_eq "unknown option: lists the valid ones" \
  "dconv: error: unknown option 'colour' for format 'json'; valid: source, pretty" "$(cat "$TMP/err")"
dconv --to json -O pretty=maybe "$seed" >/dev/null 2>"$TMP/err"
expect_eq "bad option value: exit 2" 2 "$?"
check "bad option value: says what is expected" grep -q "bad value 'maybe' for option 'pretty': expects true or false" "$TMP/err"
dconv --to json >/dev/null 2>"$TMP/err"
expect_eq "no inputs: exit 2" 2 "$?"
dconv "$seed" >/dev/null 2>&1
expect_eq "no format: exit 2" 2 "$?"
dconv --bogus >/dev/null 2>&1
expect_eq "unknown command-line option: exit 2" 2 "$?"

# Text formats default to stdout; stdin works as '-'.
expect_eq "stdin input" "$(dconv --to json "$seed")" "$(dconv --to json - <"$seed")"
# Binary formats get a name from the dates, in the current directory.
(cd "$TMP" && dconv -q --to epub "$seed" "$SEEDS/004_811266e0a52afbe2.txt")
check "epub default name from the date range" test -s "$TMP/daily-papers-2023-12-12_2024-03-27.epub"

# Output replaces a file only on success; failures leave it intact and no
# temporary file behind.
echo "precious" >"$TMP/out.json"
printf '## Daily Papers (2024-01-01)\n\n### [T](https://arxiv.org/abs/2401.00001)\n' >"$TMP/warn.md"
dconv --strict --to json "$TMP/warn.md" -o "$TMP/out.json" 2>/dev/null
expect_eq "--strict with warnings: exit 1" 1 "$?"
expect_eq "--strict failure keeps the old file" precious "$(cat "$TMP/out.json")"
dconv --to json "$TMP/nonexistent.md" -o "$TMP/out.json" 2>/dev/null
expect_eq "missing input: exit 1" 1 "$?"
expect_eq "missing input keeps the old file" precious "$(cat "$TMP/out.json")"
expect_eq "no temporary files left" "" "$(ls -A "$TMP" | grep '^\.out\.json\.' || true)"
dconv -q --to json "$seed" -o "$TMP/out.json"
check "success replaces the file" jq -e '.digests[0].date == "2024-03-27"' "$TMP/out.json"
cp "$seed" "$TMP/in.md"
dconv --to markdown "$TMP/in.md" -o "$TMP/in.md" 2>"$TMP/err"
expect_eq "output = input: exit 2" 2 "$?"
check "output = input: input untouched" cmp -s "$seed" "$TMP/in.md"
check "output = input: message" grep -q "in.md: error: output would overwrite an input" "$TMP/err"
dconv --to markdown "$TMP" -o "$TMP/in.md" 2>/dev/null
expect_eq "output inside an input directory: exit 2" 2 "$?"
dconv --to json "$seed" -o /dev/full 2>"$TMP/err"
expect_eq "disk full: exit 3" 3 "$?"
dconv -q --to json "$seed" -o "$TMP/nodir/x.json" 2>"$TMP/err"
expect_eq "missing output directory: exit 3" 3 "$?"

# -q silences warnings, not errors.
expect_eq "-q silences warnings" "" "$(dconv -q --check "$TMP/warn.md" 2>&1 >/dev/null)"
finish
