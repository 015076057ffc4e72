# bibtex-repro: the same input gives the same bytes, run after run, in every
# dialect and key style, and the order of the inputs on the command line
# does not matter (digests are merged by date).
. "$SRCDIR/tests/lib.sh"

for opts in "dialect=bibtex keys=id" "dialect=biblatex keys=author-year-word"; do
  set -- $opts
  dconv -q --to bibtex -O "$1" -O "$2" -O abstract=true -O note=true \
    -o "$TMP/a.bib" "$CORPUS"
  dconv -q --to bibtex -O "$1" -O "$2" -O abstract=true -O note=true \
    -o "$TMP/b.bib" "$CORPUS"
  check "corpus, $opts: two runs byte-identical" cmp -s "$TMP/a.bib" "$TMP/b.bib"
done

set -- "$SEEDS"/*
dconv -q --to bibtex -O keys=author-year-word -o "$TMP/fwd.bib" "$@"
rev=""
for f in "$@"; do rev="$f $rev"; done
# shellcheck disable=SC2086 # seed paths hold no spaces
dconv -q --to bibtex -O keys=author-year-word -o "$TMP/rev.bib" $rev
check "seeds: input order does not matter" cmp -s "$TMP/fwd.bib" "$TMP/rev.bib"

SOURCE_DATE_EPOCH=1 dconv -q --to bibtex -o "$TMP/sde.bib" "$SEEDS"
dconv -q --to bibtex -o "$TMP/nosde.bib" "$SEEDS"
check "no clock in the output" cmp -s "$TMP/sde.bib" "$TMP/nosde.bib"
finish
