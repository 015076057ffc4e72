#!/bin/bash
# Adversarial and drifted digests: each is either rejected with one clear
# "file:line: error: ..." line and exit status 1, or converted with the
# expected tree and "file:line: warning: ..." lines. Never a crash.
. "$SRCDIR/tests/lib.sh"
need jq python3

H='## Daily Papers (2024-03-27)'
P='### [Title](https://arxiv.org/abs/2403.00001)'

# reject NAME EXPECTED-MESSAGE: run --check on $TMP/NAME, expect exit 1 and
# exactly one stderr line equal to the message.
reject() {
  dconv --check "$TMP/$1" >/dev/null 2>"$TMP/err"
  rc=$?
  expect_eq "$1: exit status" 1 "$rc"
  expect_eq "$1: message" "$2" "$(grep ': error: ' "$TMP/err")"
}

: >"$TMP/empty.md"
reject empty.md "$TMP/empty.md:1: error: empty input, not a digest"
printf '\n  \n\t\n' >"$TMP/blank.md"
reject blank.md "$TMP/blank.md:1: error: empty input, not a digest"
printf '%s\n\nabc\0def\n' "$H" >"$TMP/nul.md"
reject nul.md "$TMP/nul.md:3: error: binary data (NUL byte at offset 33), not a digest"
head -c 65536 /dev/urandom | tr -d '\0' >"$TMP/random.md"
dconv --check "$TMP/random.md" 2>"$TMP/err" >/dev/null
expect_eq "random bytes: exit status" 1 "$?"
check "random bytes: called binary" grep -q "random.md:1: error: binary data" "$TMP/err"
check "random bytes: one line only" test "$(wc -l <"$TMP/err")" -eq 1
printf '## Daily Papers (2024-13-45)\n\n%s\n' "$P" >"$TMP/date1.md"
reject date1.md "$TMP/date1.md:1: error: impossible date '2024-13-45' in digest header"
printf '\n\n## Daily Papers (2023-02-29)\n' >"$TMP/date2.md"
reject date2.md "$TMP/date2.md:3: error: impossible date '2023-02-29' in digest header"
printf '# My notes\n\n- a list\n' >"$TMP/nohdr.md"
reject nohdr.md "$TMP/nohdr.md:1: error: no '## Daily Papers (YYYY-MM-DD)' header: not a digest"
printf '%s\n\n%s\n' "$P" "$H" >"$TMP/early.md"
reject early.md "$TMP/early.md:1: error: paper before any '## Daily Papers (YYYY-MM-DD)' header"
reject missing.md "$TMP/missing.md: error: cannot open: No such file or directory"
mkdir "$TMP/emptydir"
reject emptydir "$TMP/emptydir: error: directory holds no digests (*.md or *.txt)"
# One bad input fails the whole run, and every bad input is reported.
dconv --check "$SEEDS" "$TMP/empty.md" "$TMP/date1.md" >/dev/null 2>"$TMP/err"
expect_eq "bad input among good ones: exit status" 1 "$?"
expect_eq "bad input among good ones: both reported" 2 "$(grep -c ': error: ' "$TMP/err")"

# CRLF, BOM, trailing spaces, no final newline, invalid UTF-8: accepted.
printf '\xef\xbb\xbf%s\r\n\r\n%s   \r\n\r\nVote: 3  \r\n\r\nAuthors: A \xff B, C\r\n\r\n- x' "$H" "$P" >"$TMP/crlf.md"
dconv --to json "$TMP/crlf.md" >"$TMP/crlf.json" 2>"$TMP/err"
expect_eq "crlf: exit status" 0 "$?"
expect_eq "crlf: warning names the line" \
  "$TMP/crlf.md:7: warning: invalid UTF-8 replaced with U+FFFD" "$(cat "$TMP/err")"
expect_eq "crlf: tree" '"Title",3,["A � B","C"],"x"' \
  "$(jq -r '.digests[0].papers[0] | "\(.title|tojson),\(.votes),\(.authors|tojson),\(.summary[0].content[0].text|tojson)"' "$TMP/crlf.json")"

# A 1 MiB title line, and 2,000 papers in one digest.
python3 - "$TMP" <<'PY'
import sys
d = sys.argv[1]
head = "## Daily Papers (2024-03-27)\n\n"
open(d + "/huge.md", "w").write(head + "### [" + "T" * (1 << 20) +
    "](https://arxiv.org/abs/2403.00001)\n\nVote: 1\n\nAuthors: A\n\n- s\n")
with open(d + "/many.md", "w") as f:
    f.write(head)
    for i in range(2000):
        f.write(f"### [P{i}](https://arxiv.org/abs/2403.{i:05d})\n\n"
                f"![](https://x/{i}.png)\n\nVote: {i}\n\nAuthors: A, B\n\n- s{i}\n\n")
PY
expect_eq "1 MiB title line" "1 digests, 1 papers, 0 warnings" "$(dconv --check "$TMP/huge.md")"
expect_eq "1 MiB title kept whole" 1048576 \
  "$(dconv --to json "$TMP/huge.md" | jq '.digests[0].papers[0].title | length')"
expect_eq "2,000 papers" "1 digests, 2000 papers, 0 warnings" "$(dconv --check "$TMP/many.md")"

# Format drift: several headers, bold labels, other author notations, video
# blocks written several ways, numbered and nested lists, HTML comments,
# missing lines. Everything lands in the tree; oddities are warnings.
cat >"$TMP/drift.md" <<'MD'
<!-- generated -->
## Daily Papers (2024-03-28)

### [Second day](https://arxiv.org/pdf/2403.00003v2)

<video controls src="https://v/b.webm"></video>

**Votes:** 1,024

**Authors:** Ann Lee; Bo, Li and Cy

1. **Purpose**: first
2. ***Method***: second
   - nested `code`
     - deeper [link](https://l)

## Daily Papers (2024-03-27)

### [First day](https://huggingface.co/papers/2403.00002)

![](https://v/a.mp4)

Authors: Solo Author, et al.

- only bullet

### Title without link

Vote: -

An unexpected paragraph
MD
dconv --to json "$TMP/drift.md" >"$TMP/drift.json" 2>"$TMP/err"
expect_eq "drift: exit status" 0 "$?"
expect_eq "drift: dates sorted" "2024-03-27 2024-03-28" \
  "$(jq -r '[.digests[].date] | join(" ")' "$TMP/drift.json")"
expect_eq "drift: ids" "2403.00002,null,2403.00003" \
  "$(jq -r '[.digests[].papers[].arxiv_id] | map(tostring) | join(",")' "$TMP/drift.json")"
expect_eq "drift: media kinds" "video,null,video" \
  "$(jq -r '[.digests[].papers[].media.kind] | map(tostring) | join(",")' "$TMP/drift.json")"
expect_eq "drift: votes" "null,null,1024" \
  "$(jq -r '[.digests[].papers[].votes] | map(tostring) | join(",")' "$TMP/drift.json")"
expect_eq "drift: authors" '["Solo Author"]|true|["Ann Lee","Bo, Li","Cy"]' \
  "$(jq -c '.digests[0].papers[0].authors' "$TMP/drift.json")|$(jq -c '.digests[0].papers[0].authors_elided' "$TMP/drift.json")|$(jq -c '.digests[1].papers[0].authors' "$TMP/drift.json")"
expect_eq "drift: list depths and numbers" "0:1 0:2 1:null 2:null" \
  "$(jq -r '[.digests[1].papers[0].summary[] | "\(.depth):\(.number)"] | join(" ")' "$TMP/drift.json")"
expect_eq "drift: stray paragraph kept" "An unexpected paragraph" \
  "$(jq -r '.digests[0].papers[1].summary[0].content[0].text' "$TMP/drift.json")"
check "drift: warns about the missing vote" grep -q "drift.md:19: warning: paper has no 'Vote:' line" "$TMP/err"
check "drift: warns about the link-less title" grep -q "drift.md:27: warning: paper title has no link" "$TMP/err"
check "drift: warns about the stray paragraph" grep -q "drift.md:31: warning: unrecognised line kept" "$TMP/err"
dconv --strict --check "$TMP/drift.md" >/dev/null 2>&1
expect_eq "drift: --strict fails" 1 "$?"

# Duplicate arXiv id across inputs: a warning naming both places.
cp "$SEEDS/000_16b3e9fdefacf7be.txt" "$TMP/dup.md"
dconv --check "$SEEDS/000_16b3e9fdefacf7be.txt" "$TMP/dup.md" >"$TMP/out" 2>"$TMP/err"
expect_eq "duplicates: kept" "2 digests, 18 papers, 9 warnings
       9  arXiv id … appears again (first at …:…); both papers are kept" "$(cat "$TMP/out")"
check "duplicates: message" grep -q "dup.md:3: warning: arXiv id 2403.17887 appears again (first at $SEEDS/000_16b3e9fdefacf7be.txt:3); both papers are kept" "$TMP/err"
finish
