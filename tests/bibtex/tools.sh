# bibtex-tools-{seeds,corpus,adversarial}: every seed and all seeds merged,
# the real corpus merged, or the adversarial fixture - in both dialects,
# through real bibtex (plain.bst, via pdflatex) and biber.
# Usage: tools.sh seeds|corpus|adversarial
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/bibtex/bib_lib.sh"
need bibtex pdflatex biber

# papers INPUT...: distinct papers dconv sees (one entry each).
papers() {
  dconv --check "$@" 2>&1 | sed -n 's/^[0-9]* digests*, \([0-9]*\) papers*.*/\1/p'
}

run() { # run NAME EXPECTED_N INPUT...
  name=$1 n=$2
  shift 2
  for dialect in bibtex biblatex; do
    out="$TMP/$name-$dialect.bib"
    if ! dconv -q --to bibtex -O dialect=$dialect -o "$out" "$@"; then
      fail "$name/$dialect: dconv failed"
      continue
    fi
    bib_check "$name/$dialect" "$out" "$n" "$dialect"
  done
}

case ${1:-} in
seeds)
  for seed in "$SEEDS"/*; do
    run "$(basename "$seed")" "$(papers "$seed")" "$seed"
  done
  run seeds-merged "$(papers "$SEEDS")" "$SEEDS"
  ;;
corpus)
  n=$(papers "$CORPUS")
  expect_eq "corpus paper count" 1422 "$n"
  run corpus "$n" "$CORPUS"
  ;;
adversarial)
  # 8 papers, one of them a repeated arXiv id: 7 entries
  run adversarial 7 "$SRCDIR/tests/bibtex/adversarial.md"
  ;;
*)
  echo "usage: tools.sh seeds|corpus|adversarial" >&2
  exit 2
  ;;
esac
finish
