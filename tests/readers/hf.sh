#!/bin/bash
# --from hf: every sample day of tests/corpus/hf-json/ reads to the same tree
# as the Markdown digest generated from it (tests/corpus/real/DAY.md): same
# papers, order, titles, votes, authors with the 13 + 7 elision, bullets.
# Compared through --to json, byte for byte (no source positions), which
# is stricter than comparing normalised fields; then a few hand-checked
# values, and the errors. Catches: wrong bullet order or a lost method[]
# item, the elision counted differently, unjoined title wrapping, a wrong
# date, a probe that stops recognising the files, a crash on bad JSON.
. "$SRCDIR/tests/lib.sh"
need jq
HF=$SRCDIR/tests/corpus/hf-json

n=0
for f in "$HF"/*_paper_ko.json; do
  day=$(basename "$f" | cut -c1-10)
  n=$((n + 1))
  if ! dconv --from hf --to json -o "$TMP/hf.json" "$f" 2>"$TMP/err"; then
    fail "$day: --from hf failed: $(cat "$TMP/err")"
    continue
  fi
  dconv --to json -o "$TMP/md.json" "$CORPUS/$day.md" 2>/dev/null ||
    fail "$day: the Markdown digest does not convert"
  if cmp -s "$TMP/hf.json" "$TMP/md.json"; then
    pass "$day: hf JSON and Markdown give the same tree"
  else
    fail "$day: trees differ: $(diff <(jq -S . "$TMP/hf.json") \
      <(jq -S . "$TMP/md.json") | head -5)"
  fi
  # Detection: the same file without --from.
  dconv --to json -o "$TMP/det.json" "$f" 2>/dev/null &&
    cmp -s "$TMP/det.json" "$TMP/hf.json" ||
    fail "$day: not detected as hf without --from"
done
expect_eq "all sample days present" 17 "$n"

# Hand-checked against the JSON file itself (2025-01-06, VisionReward: 21
# authors, so 13 + elision + 7; 1 purpose + 4 methods + 1 conclusion).
dconv --from hf --to json -o "$TMP/d.json" "$HF/2025-01-06_paper_ko.json"
p='.digests[0].papers[] | select(.arxiv_id == "2412.21059")'
expect_eq "date from the file name" 2025-01-06 \
  "$(jq -r '.digests[0].date' "$TMP/d.json")"
expect_eq "votes = upvotes" 9 "$(jq -r "$p | .votes" "$TMP/d.json")"
expect_eq "21 authors shown as 20" 20 \
  "$(jq -r "$p | .authors | length" "$TMP/d.json")"
expect_eq "elided after 13" "true 13" \
  "$(jq -r "$p | \"\(.authors_elided) \(.authors_elided_at)\"" "$TMP/d.json")"
expect_eq "14th shown author is the 15th of 21" "Ming Ding" \
  "$(jq -r "$p | .authors[13]" "$TMP/d.json")"
want=$(jq -r '.[] | select(.paper.id == "2412.21059") |
  ([.purpose] + .method + [.conclusion]) | length' \
  "$HF/2025-01-06_paper_ko.json")
expect_eq "bullets = purpose + methods + conclusion" "$want" \
  "$(jq -r "$p | .summary | length" "$TMP/d.json")"
expect_eq "title wrapping joined" \
  "2.5 Years in Class: A Multimodal Textbook for Vision-Language Pretraining" \
  "$(dconv --from hf --to json -o - "$HF/2025-01-03_paper_ko.json" |
    jq -r '.digests[0].papers[0].title')"

# Without the Korean fields, the abstract is the one bullet; stdin needs
# the date as an option.
printf '[{"paper":{"id":"2501.00001","title":"T","upvotes":3,"summary":"An\\n abstract.","authors":[{"name":"A B"}]}}]' |
  dconv --from hf:date=2025-02-03 --to json -o "$TMP/s.json" - 2>"$TMP/err"
expect_eq "abstract bullet, date option" "2025-02-03 An abstract." \
  "$(jq -r '.digests[0] | "\(.date) \(.papers[0].summary[0].content[0].text)"' \
    "$TMP/s.json" 2>&1)"

# Errors: exit 1, the file named, the line for a syntax error.
printf '[{"paper": {"id": "1",\n "title": "x",,}}]' >"$TMP/2025-01-02_bad.json"
dconv --from hf --to json -o "$TMP/o" "$TMP/2025-01-02_bad.json" 2>"$TMP/err"
expect_eq "syntax error exits 1" 1 $?
grep -q "2025-01-02_bad.json.*line 2" "$TMP/err" &&
  pass "syntax error names file and line" ||
  fail "syntax error message: $(cat "$TMP/err")"
[ ! -e "$TMP/o" ] && pass "no output on error" || fail "output left behind"
for bad in '{"a":1}' '[{"nopaper":1}]' '[{"paper":{"id":"1","title":"t","upvotes":"9"}}]' \
  '[{"paper":{"id":"1","title":"t","authors":[{"x":1}]}}]' \
  '[{"paper":{"id":"1","title":"t"},"method":"m"}]' '[1]' '[{"paper":{"title":"t"}}]'; do
  printf '%s' "$bad" >"$TMP/2025-01-02_x.json"
  dconv --from hf --to json -o - "$TMP/2025-01-02_x.json" >/dev/null 2>"$TMP/err"
  rc=$?
  if [ $rc -eq 1 ] && grep -q "2025-01-02_x.json: error: .*(hf)" "$TMP/err"; then
    pass "rejected: $bad"
  else
    fail "$bad: exit $rc, $(cat "$TMP/err")"
  fi
done
printf '[]' >"$TMP/nodate.json"
dconv --from hf --to json -o - "$TMP/nodate.json" >/dev/null 2>"$TMP/err"
expect_eq "no date in the name exits 1" 1 $?
grep -q "YYYY-MM-DD" "$TMP/err" && pass "no-date message" ||
  fail "no-date message: $(cat "$TMP/err")"
finish
