#!/bin/bash
# hostile-emph-depth: emphasis nested 300 deep (the parser keeps 16 levels,
# core/parser.h DCONV_PARSE_MAX_EMPH_DEPTH) gives XHTML that xmllint accepts
# WITHOUT --huge (libxml2's default limit is 256 levels; before the clamp the
# book's day page was rejected with "Excessive depth in document"), keeps
# every word of the text, and says so once with file and line.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/hostile/hostile_lib.sh"
need python3 xmllint unzip

$GEN emph "$TMP/emph.md" 300
for fmt in epub kepub; do
  rm -rf "$TMP/x" && mkdir "$TMP/x"
  if ! dconv --to $fmt -q -o "$TMP/book.epub" "$TMP/emph.md"; then
    fail "$fmt: conversion failed"
    continue
  fi
  (cd "$TMP/x" && unzip -q ../book.epub)
  n=0
  for f in "$TMP"/x/EPUB/*.xhtml; do
    check "$fmt: $(basename "$f") is well-formed without --huge" \
      xmllint --noout "$f"
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || fail "$fmt: no XHTML pages in the book"
done

if dconv --to opml -q -o "$TMP/o.opml" "$TMP/emph.md"; then
  check "opml: well-formed without --huge" xmllint --noout "$TMP/o.opml"
else
  fail "opml: conversion failed"
fi

# Nothing lost: the summary's plain text is the input bullet without its
# markers (300 x "a " around the innermost word, as gen.py writes it).
dconv --to json -q "$TMP/emph.md" >"$TMP/t.json"
got=$(python3 - "$TMP/t.json" "$TMP/emph.md" <<'PY'
import json, re, sys
def text(nodes):
    return "".join(n.get("text", "") + text(n.get("content", [])) for n in nodes)
def depth(nodes):
    return max([1 + depth(n.get("content", [])) for n in nodes
                if n["type"] in ("emph", "strong")] + [0])
item = json.load(open(sys.argv[1]))["digests"][0]["papers"][0]["summary"][0]
bullet = [l for l in open(sys.argv[2]) if l.startswith("- ")][0][2:].strip()
want = re.sub(r"[*_]", "", bullet)
print(depth(item["content"]), "same" if text(item["content"]) == want else
      "differs: %r" % text(item["content"])[:80])
PY
)
expect_eq "json: 16 emphasis levels kept, text complete" "16 same" "$got"

dconv --check "$TMP/emph.md" 2>"$TMP/err" >/dev/null
expect_eq "one warning naming file and line" \
  "$TMP/emph.md:9: warning: emphasis nested deeper than 16 levels; deeper emphasis kept as plain text" \
  "$(grep 'emphasis nested' "$TMP/err")"
finish
