#!/bin/bash
# bibtex-injection: a digest title cannot run TeX primitives in the document
# of whoever cites it (issue 13). The .bib is compiled for real (pdflatex +
# bibtex + pdflatex, plain.bst): no local file may be read into the
# document, no file written, the document still compiles, harmless math
# stays math, an entry without authors gets a `key` (no bibtex warning),
# a javascript: URL gets no url field, and a 1 MiB title is cut so that
# bibtex and biber still accept the file.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/bibtex/bib_lib.sh"
need pdflatex bibtex biber

in=$SRCDIR/tests/bibtex/injection.md
bib=$TMP/inj.bib
check "dconv writes the .bib" dconv -q --to bibtex -o "$bib" "$in"
bib_check "injection" "$bib" 6 bibtex

# Typeset for real, in a directory of its own, and look at what TeX did.
d=$TMP/doc
mkdir -p "$d"
cp "$bib" "$d/refs.bib"
printf '%s\n' '\documentclass{article}' '\begin{document}' '\nocite{*}' \
  '\bibliographystyle{plain}' '\bibliography{refs}' '\end{document}' >"$d/doc.tex"
(cd "$d" && pdflatex -interaction=nonstopmode doc >p1.out 2>&1 &&
  bibtex doc >b.out 2>&1; pdflatex -interaction=nonstopmode doc >p2.out 2>&1)
expect_eq "the document compiles" "" "$(grep -A2 '^!' "$d/doc.log" | head -4)"
if grep -q '/etc/hostname' "$d/doc.log"; then
  fail "TeX opened /etc/hostname"
else
  pass "no local file read"
fi
[ ! -e "$d/dconvpwned.tex" ] && pass "no file written" || fail "TeX wrote dconvpwned.tex"
expect_eq "harmless math kept as math" 2 \
  "$(grep -cF -e '{$\mathcal{O}(n)$}' -e '{$\alpha_1 \leq \beta$}' <(grep -o '{\$[^$]*\$}' "$bib"))"
expect_eq "dangerous math escaped as text" 0 "$(grep -cE '\\(input|openout|catcode)' <(grep -o '{\$[^$]*\$}' "$bib"))"
expect_eq "entry without authors has a key" 1 \
  "$(awk '/^@misc\{arxiv2403.00005,/{e=1} e&&/^  key /{n++} /^}/{e=0} END{print n+0}' "$bib")"
expect_eq "no javascript: URL" 0 "$(grep -ci 'javascript' "$bib")"

# A 1 MiB title: cut with a warning, and the tools still accept the file.
big=$TMP/big.md
{
  echo '## Daily Papers (2024-03-27)'
  echo
  printf '### [Huge'
  head -c 1048576 /dev/zero | tr '\0' 'a' | fold -w 9 | tr '\n' ' '
  echo '](https://arxiv.org/abs/2403.00009)'
  echo
  echo 'Authors: Ann Lee'
  echo
  echo '- Big.'
} >"$big"
dconv --to bibtex -o "$TMP/big.bib" "$big" 2>"$TMP/big.err"
expect_eq "1 MiB title: exit status" 0 "$?"
grep -q "title cut to" "$TMP/big.err" && pass "1 MiB title: warned" || fail "1 MiB title: no warning ($(head -3 "$TMP/big.err"))"
size=$(awk '/^  title /{print length($0)}' "$TMP/big.bib")
[ "${size:-0}" -gt 100 ] && [ "${size:-0}" -le 4100 ] && pass "1 MiB title: cut to $size bytes" || fail "1 MiB title: field of ${size:-0} bytes"
bib_check "big title" "$TMP/big.bib" 1 bibtex
finish
