#!/bin/bash
# --from json reads dconv's own JSON back losslessly: for every seed and
# corpus digest, `--to json | --from json --to json` is byte-identical, and
# so is --to markdown through both paths; also the whole corpus in one run
# with source positions, detection on stdin, and clean errors. Catches: a
# lost or retyped attribute (votes null vs 0, ordered, number, image), lost
# inline nesting, reordered papers, a file or line not restored.
. "$SRCDIR/tests/lib.sh"

# Under a wrapper (valgrind: step 3 of tests/ci.sh) the four runs per file
# took 12 minutes for 303 files: there the seeds and every tenth corpus
# digest go through the per-file checks (the same code, file by file), and
# the whole-corpus run below still reads every digest. Unwrapped, all.
every=1 least=100
[ -n "${DCONV_WRAP:-}" ] && every=10 least=30
n=0 k=0
for f in "$SEEDS"/* "$CORPUS"/*.md; do
  k=$((k + 1))
  case $f in "$CORPUS"/*) [ $((k % every)) -eq 0 ] || continue ;; esac
  n=$((n + 1))
  name=$(basename "$f")
  dconv --to json -o "$TMP/a.json" "$f" 2>/dev/null || {
    fail "$name: --to json failed"
    continue
  }
  if dconv --from json --to json -o "$TMP/b.json" "$TMP/a.json" 2>"$TMP/err" &&
    cmp -s "$TMP/a.json" "$TMP/b.json"; then
    pass "$name: JSON round trip byte-identical"
  else
    fail "$name: JSON round trip differs: $(cat "$TMP/err"; cmp "$TMP/a.json" "$TMP/b.json")"
  fi
  dconv --to markdown -o "$TMP/a.md" "$f" 2>/dev/null
  if dconv --from json --to markdown -o "$TMP/b.md" "$TMP/a.json" 2>/dev/null &&
    cmp -s "$TMP/a.md" "$TMP/b.md"; then
    pass "$name: --to markdown same via JSON"
  else
    fail "$name: --to markdown differs via JSON"
  fi
done
[ "$n" -ge "$least" ] && pass "$n inputs" || fail "only $n inputs found"

# The whole corpus at once, with source positions (file and line restored),
# read from stdin and detected without --from.
dconv --to json -O source=true -o "$TMP/all.json" "$CORPUS"/*.md 2>/dev/null
dconv --to json -O source=true -o "$TMP/back.json" - <"$TMP/all.json" 2>"$TMP/err"
cmp -s "$TMP/all.json" "$TMP/back.json" &&
  pass "corpus with source positions, detected on stdin" ||
  fail "corpus with sources differs: $(cat "$TMP/err")"

# A hand-made tree with every inline kind and attribute, incl. an image
# link and an ordered item: read, written again, identical.
cat >"$TMP/h.json" <<'JSON'
{"format":"dconv-json","version":1,"digests":[{"date":"2025-01-02","title":"T","papers":[{"title":"P","url":"https://arxiv.org/abs/2501.00001v2","arxiv_id":"2501.00001","arxiv_version":"2","votes":0,"media":{"kind":"video","url":"https://x/v.mp4"},"authors":["A","B"],"authors_elided":true,"authors_elided_at":1,"summary":[{"depth":0,"ordered":true,"number":3,"content":[{"type":"text","text":"a \"q\" \\ b"},{"type":"emph","content":[{"type":"strong","content":[{"type":"code","text":"c"}]}]},{"type":"link","url":"https://l/","content":[{"type":"text","text":"l"}]}]},{"depth":1,"ordered":false,"number":null,"content":[{"type":"text","text":"sub"}]}]}]}]}
JSON
dconv --from json --to json -o "$TMP/h2.json" "$TMP/h.json" 2>"$TMP/err"
cmp -s "$TMP/h.json" "$TMP/h2.json" && pass "hand-made tree round trip" ||
  fail "hand-made tree: $(cat "$TMP/err"; diff "$TMP/h.json" "$TMP/h2.json")"

# Errors: exit 1, the file named, the line for syntax errors, the path
# for wrong values.
printf '{"format":"dconv-json",\n"version":1,\n"digests":[}' >"$TMP/bad.json"
dconv --from json --to json -o - "$TMP/bad.json" >/dev/null 2>"$TMP/err"
expect_eq "syntax error exits 1" 1 $?
grep -q "bad.json.*line 3" "$TMP/err" && pass "syntax error names file and line" ||
  fail "syntax error message: $(cat "$TMP/err")"
for bad in '{"digests":[]}' '{"format":"dconv-json","version":2,"digests":[]}' \
  '{"format":"dconv-json","version":1,"digests":{}}' \
  '{"format":"dconv-json","version":1,"digests":[{"date":"2025-01-02","papers":[{"title":"t","votes":"9"}]}]}' \
  '{"format":"dconv-json","version":1,"digests":[{"date":"2025-01-02","papers":[{"title":"t","summary":[{"content":[{"text":"x"}]}]}]}]}' \
  '{"format":"dconv-json","version":1,"digests":[{"date":"2025-01-02","papers":[{"title":"t","media":{"kind":1}}]}]}' \
  '{"format":"dconv-json","version":1,"digests":[{"date":"2025-13-02","papers":[]}]}' \
  '{"format":"dconv-json","version":1,"digests":[{"date":"2025-01-02","papers":[{"title":"t","votes":1.5}]}]}'; do
  printf '%s' "$bad" >"$TMP/x.json"
  dconv --from json --to json -o - "$TMP/x.json" >/dev/null 2>"$TMP/err"
  rc=$?
  if [ $rc -eq 1 ] && grep -q "x.json.*error" "$TMP/err"; then
    pass "rejected: $bad"
  else
    fail "$bad: exit $rc, $(cat "$TMP/err")"
  fi
done
printf '{"format":"dconv-json","version":1,"digests":[{"date":"2025-01-02","title":"T","x-note":"mine","papers":[]}]}' >"$TMP/u.json"
dconv --from json --to json -o - "$TMP/u.json" >/dev/null 2>"$TMP/err" &&
  grep -q "x-note: unknown attribute" "$TMP/err" &&
  pass "unknown key: a warning" || fail "unknown key: $(cat "$TMP/err")"
dconv --strict --from json --to json -o - "$TMP/u.json" >/dev/null 2>&1
expect_eq "unknown key under --strict exits 1" 1 $?
finish
