# tests/bibtex/bib_lib.sh - checks shared by the bibtex tests (sourced after
# tests/lib.sh). Every check runs the real tools on a .bib dconv wrote.

# bib_entries FILE: number of entries.
bib_entries() {
  grep -c '^@' "$1"
}

# bib_keys FILE: the citation keys, one per line, in file order.
bib_keys() {
  sed -n 's/^@[a-z]*{\(.*\),$/\1/p' "$1"
}

# bib_keys_unique DESC FILE: no key repeats, ignoring case.
bib_keys_unique() {
  dups=$(bib_keys "$2" | tr 'A-Z' 'a-z' | sort | uniq -d | head -3)
  expect_eq "$1: keys unique (case-insensitively)" "" "$dups"
}

# bib_run_bibtex DESC FILE N DIALECT: a small .tex with \nocite{*} through
# pdflatex and real bibtex (plain.bst). bibtex must report no error and no
# Warning-- line (in the biblatex dialect plain.bst does not know @online,
# which is the only warning allowed there) and the .bbl must hold N items.
# When the .bib is pure ASCII, pdflatex also typesets the bibliography and
# must not stop on an error: that proves the escapes are valid LaTeX.
bib_run_bibtex() {
  desc=$1 bib=$2 n=$3 dialect=$4
  d=$(mktemp -d "$TMP/tex.XXXXXX")
  cp "$bib" "$d/refs.bib"
  printf '%s\n' '\documentclass{article}' '\begin{document}' '\nocite{*}' \
    '\bibliographystyle{plain}' '\bibliography{refs}' '\end{document}' \
    >"$d/doc.tex"
  (cd "$d" && pdflatex -interaction=nonstopmode -halt-on-error doc \
    >pdflatex1.out 2>&1)
  if ! grep -q 'bibdata{refs}' "$d/doc.aux" 2>/dev/null; then
    fail "$desc: pdflatex wrote no usable .aux"
    return
  fi
  (cd "$d" && bibtex doc >bibtex.out 2>&1)
  rc=$?
  if [ "$dialect" = biblatex ]; then
    warnings=$(grep 'Warning--' "$d/bibtex.out" |
      grep -v "isn't style-file defined" | head -3)
    [ $rc -le 1 ] || fail "$desc: bibtex exit status $rc"
  else
    warnings=$(grep 'Warning--' "$d/bibtex.out" | head -3)
    expect_eq "$desc: bibtex exit status" 0 "$rc"
  fi
  expect_eq "$desc: bibtex warnings" "" "$warnings"
  if grep -qi 'error message' "$d/bibtex.out"; then
    fail "$desc: bibtex errors: $(grep -i -B3 'error message' "$d/bibtex.out" | head -8)"
  fi
  expect_eq "$desc: \\bibitem count" "$n" "$(grep -c '\\bibitem' "$d/doc.bbl")"
  if ! LC_ALL=C grep -q '[^ -~]' "$d/refs.bib"; then
    (cd "$d" && pdflatex -interaction=nonstopmode doc >pdflatex2.out 2>&1)
    errs=$(grep -A2 '^!' "$d/doc.log" | head -6)
    expect_eq "$desc: pdflatex typesets the bibliography" "" "$errs"
  fi
}

# bib_run_biber DESC FILE: `biber --tool --validate-datamodel` reads the
# file without an ERROR or WARN line and exits 0.
bib_run_biber() {
  desc=$1 bib=$2
  d=$(mktemp -d "$TMP/biber.XXXXXX")
  cp "$bib" "$d/refs.bib"
  (cd "$d" && biber --tool --validate-datamodel --output-file=out.bib \
    refs.bib >biber.out 2>&1)
  rc=$?
  expect_eq "$desc: biber exit status" 0 "$rc"
  bad=$(grep -E '^(ERROR|WARN)' "$d/biber.out" | head -3)
  expect_eq "$desc: biber errors/warnings" "" "$bad"
  expect_eq "$desc: biber re-reads every entry" "$(bib_entries "$bib")" \
    "$(grep -c '^@' "$d/out.bib")"
}

# bib_check DESC FILE N DIALECT: all of the above on one output.
bib_check() {
  expect_eq "$1: entry count" "$3" "$(bib_entries "$2")"
  bib_keys_unique "$1" "$2"
  bib_run_bibtex "$1" "$2" "$3" "$4"
  bib_run_biber "$1" "$2"
}
