# bibtex-options: what the entries say, option by option, on the
# adversarial fixture (see adversarial.md) and the seeds.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/bibtex/bib_lib.sh"

ADV="$SRCDIR/tests/bibtex/adversarial.md"

# entry FILE KEY: the lines of one entry.
entry() {
  awk -v k="$2" '/^@/ { on = index($0, "{" k ",") > 0 } on' "$1"
}

# has DESC FILE KEY FIXED-STRING: the entry contains the string.
has() {
  if entry "$2" "$3" | grep -qF -- "$4"; then pass "$1"; else fail "$1: '$4' not in entry $3"; fi
}
hasnt() {
  if entry "$2" "$3" | grep -qF -- "$4"; then fail "$1: '$4' in entry $3"; else pass "$1"; fi
}

# --- default dialect (bibtex), default keys (id), stdout -----------------
dconv --to bibtex "$ADV" >"$TMP/adv.bib" 2>"$TMP/adv.err"
check "text output goes to stdout" test -s "$TMP/adv.bib"
expect_eq "one entry per distinct paper" 7 "$(bib_entries "$TMP/adv.bib")"
check "the repeated arXiv id is reported" grep -q "2403.17887 is listed again; keeping only the first" "$TMP/adv.err"
has "the first of the duplicates is kept" "$TMP/adv.bib" arxiv2403.17887 "{KAN} and {NeRF}"
has "@misc by default" "$TMP/adv.bib" arxiv2403.17887 "@misc{arxiv2403.17887,"
has "year from the arXiv id" "$TMP/adv.bib" arxiv2403.17887 "year          = {2024}"
has "month from the arXiv id" "$TMP/adv.bib" arxiv2403.17887 "month         = mar"
has "eprint" "$TMP/adv.bib" arxiv2403.17887 "eprint        = {2403.17887}"
has "archivePrefix" "$TMP/adv.bib" arxiv2403.17887 "archivePrefix = {arXiv}"
has "DOI from the arXiv id" "$TMP/adv.bib" arxiv2403.17887 "doi           = {10.48550/arXiv.2403.17887}"
has "url" "$TMP/adv.bib" arxiv2403.17887 "url           = {https://arxiv.org/abs/2403.17887}"
has "eprint drops the version" "$TMP/adv.bib" arxiv2403.17888 "eprint        = {2403.17888}"
has "old-style id: year" "$TMP/adv.bib" arxivhep-th9901001 "year          = {1999}"
has "old-style id: month" "$TMP/adv.bib" arxivhep-th9901001 "month         = jan"
has "old-style id: eprint" "$TMP/adv.bib" arxivhep-th9901001 "eprint        = {hep-th/9901001}"

# authors
has "elided authors: and others" "$TMP/adv.bib" arxiv2403.17887 "{Qwen Team} and others}"
check "never an author named +" sh -c "! grep -E '(\{| and )\+( and |\})' '$TMP/adv.bib'"
has "Family, Given" "$TMP/adv.bib" arxiv2403.17887 "Roberts, Daniel A. and"
has "hyphenated family name" "$TMP/adv.bib" arxiv2403.17887 "Mart{\\'i}nez-Ram{\\'i}rez, Marco A."
has "hyphenated given name" "$TMP/adv.bib" arxiv2403.17887 "Lou, Jian-Guang"
has "lowercase particle" "$TMP/adv.bib" arxiv2403.17887 "van Beethoven, Ludwig"
has "capitalised particle" "$TMP/adv.bib" arxiv2403.17887 "De la Torre, Fernando"
has "team names stay whole" "$TMP/adv.bib" arxiv2403.17887 "{Qwen Team}"
has "suffix" "$TMP/adv.bib" arxiv2403.17888 "{\\\"U}st{\\\"u}n, Jr., Ahmet"

# escaping
has "specials escaped" "$TMP/adv.bib" arxiv2403.17887 "100\\% {\\textbraceleft}unbalanced \\\$ \\& costs\\_per \\#item {\\textasciitilde} {\\textasciicircum} {\\textbackslash} end"
has "balanced math kept" "$TMP/adv.bib" arxiv2403.17888 "{\$\\mathcal{O}(n^2)\$}"
has "unbalanced math escaped" "$TMP/adv.bib" arxiv2403.17888 "\\\$x{\\textbraceright}{\\textbraceleft}y\\\$"
has "acronym protected" "$TMP/adv.bib" arxivhep-th9901001 "{\\textbraceleft}{KAN}{\\textbraceright}"
has "bibtex dialect: accents as LaTeX" "$TMP/adv.bib" arxiv2403.17888 "{\\~N}{\\'u}{\\~n}ez, Jos{\\'e}"
has "bibtex dialect: Greek as math" "$TMP/adv.bib" arxiv2403.00001 "{\$\\pi\$}"
check "bibtex dialect: Hangul/CJK kept as UTF-8 with a warning" grep -q "U+D64D has no classic BibTeX spelling" "$TMP/adv.err"

# a paper without an arXiv id
has "no id: url kept" "$TMP/adv.bib" smith2024no "url           = {https://example.org/paper?id=1&x=%7B2%7D}"
has "no id: digest year" "$TMP/adv.bib" smith2024no "year          = {2024}"
hasnt "no id: no eprint" "$TMP/adv.bib" smith2024no "eprint"
hasnt "no id: no doi" "$TMP/adv.bib" smith2024no "doi"
check "no id: warning" grep -q "no arXiv id: no eprint or doi" "$TMP/adv.err"

# braces balance in every output, whatever the input
for f in "$TMP/adv.bib"; do
  bad=$(awk '{ for (i = 1; i <= length($0); i++) { c = substr($0, i, 1)
    if (c == "{") d++; else if (c == "}" && --d < 0) { print NR; exit } } }
    END { if (d != 0) print "end depth " d }' "$f")
  expect_eq "braces balanced" "" "$bad"
done

# --- biblatex -------------------------------------------------------------
dconv -q --to bibtex -O dialect=biblatex "$ADV" >"$TMP/bl.bib" 2>"$TMP/bl.err"
has "biblatex: @online" "$TMP/bl.bib" arxiv2403.17887 "@online{arxiv2403.17887,"
has "biblatex: eprinttype" "$TMP/bl.bib" arxiv2403.17887 "eprinttype = {arxiv}"
has "biblatex: date" "$TMP/bl.bib" arxiv2403.17887 "date       = {2024-03}"
has "biblatex: UTF-8 names" "$TMP/bl.bib" arxiv2403.17888 "Ñúñez, José and 홍길동 and 张伟"
dconv -q --to biblatex "$ADV" >"$TMP/bl2.bib"
check "--to biblatex is -O dialect=biblatex" cmp -s "$TMP/bl.bib" "$TMP/bl2.bib"
dconv --to biblatex "$ADV" 2>&1 >/dev/null | grep -q "no classic BibTeX spelling" &&
  fail "biblatex: no UTF-8 warning expected" || pass "biblatex: no UTF-8 warning"

# --- keys -----------------------------------------------------------------
dconv -q --to bibtex -O keys=author-year-word "$ADV" >"$TMP/ayw.bib"
has "author-year-word" "$TMP/ayw.bib" roberts2024kan "eprint        = {2403.17887}"
has "collision: a is the earlier arXiv id" "$TMP/ayw.bib" smith2024deepa "eprint        = {2402.00003}"
has "collision: b is the later arXiv id" "$TMP/ayw.bib" smith2024deepb "eprint        = {2403.00002}"
has "folded non-ASCII in keys" "$TMP/ayw.bib" unsalmuller2024math "eprint        = {2403.17888}"
bib_keys_unique "author-year-word" "$TMP/ayw.bib"
dconv -q --to bibtex -O keys=author-year-word "$CORPUS" >"$TMP/ayw-corpus.bib"
bib_keys_unique "author-year-word, corpus" "$TMP/ayw-corpus.bib"
expect_eq "author-year-word, corpus: entries" 1422 "$(bib_entries "$TMP/ayw-corpus.bib")"

# --- abstract, note -------------------------------------------------------
dconv -q --to bibtex -O abstract=true -O note=true "$ADV" >"$TMP/an.bib"
expect_eq "abstract: one per entry" 7 "$(grep -c '^  abstract' "$TMP/an.bib")"
has "abstract: summary text, escaped" "$TMP/an.bib" arxiv2403.17887 "Summary with {\\textbraceleft}braces{\\textbraceright} and {\$\\alpha\$} and 100\\%"
has "note: digest date and votes" "$TMP/an.bib" arxiv2403.17887 "note          = {Daily paper digest of 2024-03-27, 7 votes}"
has "note: no votes known" "$TMP/an.bib" arxivhep-th9901001 "note          = {Daily paper digest of 2024-03-27}"
check "defaults: no abstract, no note" sh -c "! grep -qE '^  (abstract|note)' '$TMP/adv.bib'"

# --- diagnostics and bad options -------------------------------------------
dconv --to bibtex "$SEEDS" >"$TMP/seeds.bib" 2>"$TMP/seeds.err"
expect_eq "clean input: no warnings" "" "$(cat "$TMP/seeds.err")"
check "clean input passes --strict" dconv --strict --to bibtex -o "$TMP/strict.bib" "$SEEDS"
# Hangul in a title: a warning of the bibtex writer itself (none from the
# parser), which --strict turns into a failure without output.
printf '%s\n' '## Daily Papers (2024-03-27)' '' \
  '### [한국어 KAN](https://arxiv.org/abs/2403.00001)' '' 'Vote: 1' '' \
  'Authors: A B' '' '- x' >"$TMP/hangul.md"
dconv --strict --to bibtex -o "$TMP/strict2.bib" "$TMP/hangul.md" 2>"$TMP/strict2.err"
expect_eq "--strict fails on the writer's warnings: exit 1" 1 "$?"
check "--strict: the writer's warning is printed" \
  grep -q "hangul.md:3: error: U+D55C has no classic BibTeX spelling" "$TMP/strict2.err"
check "--strict: no output file left" test ! -e "$TMP/strict2.bib"
check "biblatex has nothing to warn about there" \
  dconv --strict --to biblatex -o "$TMP/strict3.bib" "$TMP/hangul.md"
# Option errors are usage errors: exit 2 (README, "Exit status"), with the
# valid choices, and nothing written. An exact status, so that a crash (a
# signal: 134, 139) or a writer failure (4) is not taken for a refusal.
# refused DESC EXPECTED-MESSAGE -O K=V...: the options are refused.
refused() {
  local desc=$1 msg=$2
  shift 2
  dconv --to bibtex "$@" -o "$TMP/refused.bib" "$SEEDS" >"$TMP/refused.out" 2>"$TMP/refused.err"
  expect_eq "$desc: exit 2" 2 "$?"
  expect_eq "$desc: message" "dconv: error: $msg" "$(cat "$TMP/refused.err")"
  check "$desc: no output" test ! -e "$TMP/refused.bib" -a ! -s "$TMP/refused.out"
}
refused "bad keys= value" \
  "bad value 'bogus' for option 'keys': expects one of the listed values (id|author-year-word)" \
  -O keys=bogus
refused "bad dialect= value" \
  "bad value 'latex' for option 'dialect': expects one of the listed values (bibtex|biblatex)" \
  -O dialect=latex
refused "bad abstract= value" \
  "bad value 'yes' for option 'abstract': expects true or false" -O abstract=yes
refused "unknown option" \
  "unknown option 'style' for format 'bibtex'; valid: dialect, keys, abstract, note" -O style=plain
finish
