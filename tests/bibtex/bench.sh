# bibtex-corpus benchmark (not a timed test): converting the whole real
# corpus to BibTeX against parsing it only (`dconv --check`).
# Run with `meson test -C BUILD --benchmark --suite bibtex`.
. "$SRCDIR/tests/lib.sh"

RUNS=${BENCH_RUNS:-20}

# best_ms CMD...: the fastest of $RUNS runs, in milliseconds.
best_ms() {
  best=""
  i=0
  while [ $i -lt "$RUNS" ]; do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    t=$(((t1 - t0) / 1000))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    i=$((i + 1))
  done
  echo "$best"
}

check_us=$(best_ms dconv --check "$CORPUS")
bib_us=$(best_ms dconv -q --to bibtex -o "$TMP/c.bib" "$CORPUS")
full_us=$(best_ms dconv -q --to bibtex -O abstract=true -O note=true \
  -O keys=author-year-word -o "$TMP/d.bib" "$CORPUS")
echo "corpus: $(bib_entries() { grep -c '^@' "$1"; }; bib_entries "$TMP/c.bib") entries"
awk -v c="$check_us" -v b="$bib_us" -v f="$full_us" 'BEGIN {
  printf "parse only (--check):          %8.1f ms\n", c / 1000
  printf "--to bibtex:                   %8.1f ms  (%.2fx parse)\n", b / 1000, b / c
  printf "--to bibtex, all options:      %8.1f ms  (%.2fx parse)\n", f / 1000, f / c
}'
finish
