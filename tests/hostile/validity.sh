#!/bin/bash
# hostile-validity: every adversarial input that dconv accepts gives output
# that passes each format's real validator, reusing the per-format checkers:
#   json      python3 json (and the tree is the markdown round trip's)
#   markdown  idempotent (md(md(x)) == md(x)) and lossless (same JSON tree)
#   opml      xmllint, and tests/opml/opml_check.py against the JSON tree
#   epub      xmllint on every XHTML/OPF/NCX inside, check_epub.py, and
#             epubcheck on two books (slow: JVM start-up)
#   bibtex    real bibtex + pdflatex and biber (tests/bibtex/bib_lib.sh)
#   anki      sqlite3 integrity_check + schema-11 checks (check_apkg.py)
# Inputs: tests/hostile/inputs (fuzzer finds and hand-made cases),
# tests/fuzz/corpus, and small hostile inputs generated here (bad UTF-8,
# control characters, 10,000-level nesting, deep emphasis, a 1 MB line).
# Rejected inputs must be rejected with exit 1 and a file:line message.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/hostile/hostile_lib.sh"
. "$SRCDIR/tests/bibtex/bib_lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3 xmllint unzip sqlite3 pdflatex bibtex biber
need_epubcheck

mkdir "$TMP/in" "$TMP/acc"
cp "$SRCDIR"/tests/hostile/inputs/* "$SRCDIR"/tests/fuzz/corpus/* "$TMP/in/"
H='## Daily Papers (2024-03-27)'
P='### [T](https://arxiv.org/abs/2403.17887)'
printf '%s\n\n%s\n\nVote: 1\n\nAuthors: \xff\xfe, B\n\n- \xc0\xaf \xed\xa0\x80 \x07 \x1b &#1; &#xFFFE;\n' "$H" "$P" >"$TMP/in/gen-bad-bytes.md"
$GEN nest "$TMP/in/gen-nest.md" 10000
$GEN quote "$TMP/in/gen-quote.md" 10000
# 300 levels: python3's json module (the checkers) recurses per level
$GEN emph "$TMP/in/gen-emph.md" 300
$GEN line "$TMP/in/gen-line.md" 1
$GEN authors "$TMP/in/gen-authors.md" 20000

accepted=()
for f in "$TMP"/in/*; do
  b=$(basename "$f")
  run_capture /dev/null "$TMP/err" --check "$f"
  if [ "$RC" -eq 0 ]; then
    accepted+=("$f")
    continue
  fi
  expect_eq "$b: rejected with exit 1" 1 "$RC"
  check "$b: rejected with a file:line: error: message" \
    grep -Eq "^[^:]+:[0-9]+: error: " "$TMP/err"
done
pass "${#accepted[@]} accepted adversarial inputs"

for f in "${accepted[@]}"; do
  b=$(basename "$f")
  o=$TMP/acc/$b
  dconv -q --to json "$f" -o "$o.json" || fail "$b: json"
  check "$b: json parses" python3 -m json.tool "$o.json" /dev/null
  dconv -q --to markdown "$f" -o "$o.md" || fail "$b: markdown"
  dconv -q --to markdown "$o.md" -o "$o.md2" || fail "$b: markdown again"
  check "$b: markdown idempotent" cmp -s "$o.md" "$o.md2"
  dconv -q --to json "$o.md" -o "$o.md.json" || fail "$b: json of markdown"
  check "$b: markdown keeps the tree" cmp -s "$o.json" "$o.md.json"
  dconv -q --to opml "$f" -o "$o.opml" || fail "$b: opml"
  check "$b: opml well-formed (xmllint)" xmllint --noout --huge "$o.opml"
  check "$b: opml outlines match the tree" \
    python3 "$SRCDIR/tests/opml/opml_check.py" check "$o.opml" "$o.json" \
    >/dev/null
  dconv -q --to epub "$f" -o "$o.epub" || fail "$b: epub"
  mkdir "$o.x"
  (cd "$o.x" && unzip -q "$o.epub")
  bad=$(find "$o.x" -type f \( -name '*.xhtml' -o -name '*.opf' -o -name '*.ncx' -o -name '*.xml' \) \
    -exec xmllint --noout --huge {} \; 2>&1 | head -3)
  expect_eq "$b: every XML file in the epub well-formed (xmllint)" "" "$bad"
  check "$b: epub structure (check_epub.py)" python3 "$SRCDIR/tests/epub/check_epub.py" "$o.epub" >/dev/null
  rm -rf "$o.x"
done

# The writers whose validators are slow run once over all accepted inputs
# together (one document; repeated arXiv ids are warned about and kept
# once by bibtex and anki).
every=$TMP/all
dconv -q --to json "${accepted[@]}" -o "$every.json" || fail "all: json"
# bibtex and biber must accept the file without an error. Hostile inputs
# lack authors or URLs, so the warnings that data is missing ("to sort, need
# author or key", biber's "Missing mandatory field") are allowed here and
# only printed; tests/bibtex holds complete inputs to zero warnings.
dconv -q --to bibtex "${accepted[@]}" -o "$every.bib" || fail "all: bibtex"
d=$TMP/tex
mkdir "$d"
cp "$every.bib" "$d/refs.bib"
printf '%s\n' '\documentclass{article}' '\begin{document}' '\nocite{*}' \
  '\bibliographystyle{plain}' '\bibliography{refs}' '\end{document}' >"$d/doc.tex"
(cd "$d" && pdflatex -interaction=nonstopmode -halt-on-error doc >pdflatex.out 2>&1)
rc=0
(cd "$d" && bibtex doc >bibtex.out 2>&1) || rc=$?
check "all accepted inputs: bibtex exit status $rc <= 1 (warnings only)" test "$rc" -le 1
expect_eq "all accepted inputs: bibtex errors" "" "$(grep -i -B3 'error message' "$d/bibtex.out" | head -6)"
expect_eq "all accepted inputs: every entry in the .bbl" "$(bib_entries "$every.bib")" \
  "$(grep -c '\\bibitem' "$d/doc.bbl")"
grep 'Warning--' "$d/bibtex.out" | sort | uniq -c | sed 's/^/note: bibtex: /'
dconv -q --to biblatex "${accepted[@]}" -o "$every.bbx.bib" || fail "all: biblatex"
d=$TMP/biber
mkdir "$d"
cp "$every.bbx.bib" "$d/refs.bib"
rc=0
(cd "$d" && biber --tool --validate-datamodel --output-file=out.bib refs.bib >biber.out 2>&1) || rc=$?
expect_eq "all accepted inputs: biber exit status" 0 "$rc"
expect_eq "all accepted inputs: biber errors" "" "$(grep '^ERROR' "$d/biber.out" | head -3)"
expect_eq "all accepted inputs: biber re-reads every entry" \
  "$(bib_entries "$every.bbx.bib")" "$(grep -c '^@' "$d/out.bib")"
grep '^WARN' "$d/biber.out" | sed 's/^/note: biber: /'
# check_apkg.py keys a paper without an arXiv id by (url, title) from the
# JSON, where a missing URL is null, while the note's URL field is "": feed
# it "" for null so papers without a link are matched (tests/anki compares
# only papers that have one).
anki_fix_json() {
  python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for g in d["digests"]:
    for p in g["papers"]:
        p["url"] = p["url"] or ""
json.dump(d, open(sys.argv[1], "w"))' "$1"
}
anki_build "$every.apkg" "${accepted[@]}" && anki_fix_json "$every.json" &&
  anki_check "all accepted inputs (anki)" "$every.apkg"
for f in "${accepted[@]}"; do
  o=$TMP/acc/$(basename "$f").apkg
  anki_build "$o" "$f" && anki_fix_json "${o%.apkg}.json" &&
    anki_check "$(basename "$f") (anki)" "$o"
done

dconv -q --to epub "${accepted[@]}" -o "$every.epub" || fail "all: epub"
dconv -q --to kepub "$TMP/in/gen-bad-bytes.md" "$TMP/in/special_chars.md" \
  "$TMP/in/html_refs.md" -o "$TMP/few.kepub.epub" || fail "few: kepub"
# The few-input book must be spotless. The book of every accepted input
# must have no error; epubcheck may warn (RSC-023) about link targets that
# are not URLs at all, which the fuzzer's inputs do contain.
EPUBCHECK_CMD=${EPUBCHECK_LONG:-} epubcheck_all "$TMP/few.kepub.epub"
${EPUBCHECK_LONG:-$EPUBCHECK} "$every.epub" >"$every.epubcheck" 2>&1
check "epubcheck: book of every accepted input: $(grep Messages: "$every.epubcheck")" \
  grep -q 'Messages: 0 fatals / 0 errors' "$every.epubcheck"
grep -E '^(WARNING|ERROR|FATAL)' "$every.epubcheck" | cut -c1-160 | sed 's/^/note: /'

finish
