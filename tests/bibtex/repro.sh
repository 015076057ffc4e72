# bibtex-repro: the same input gives the same bytes, run after run, in every
# dialect and key style, and the order of the inputs on the command line
# does not matter (digests are merged by date), and no clock, time zone or
# SOURCE_DATE_EPOCH reaches the output.
. "$SRCDIR/tests/lib.sh"
need faketime

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

# No clock: runs seconds apart would not show a clock read once per run or
# a date, so the clock is set (libfaketime) to instants 37 years apart, in
# time zones 26 hours apart, without SOURCE_DATE_EPOCH, and compared with a
# run at SOURCE_DATE_EPOCH=1 on the real clock.
# at EPOCH TZ ARGS...: dconv with the clock at EPOCH (seconds) in zone TZ.
at() {
  local when=$1 tz=$2
  shift 2
  # libfaketime is preloaded before the ASan runtime (tests/ci.sh's second
  # pass): ASan must not insist on coming first.
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    TZ=$tz DCONV_WRAP="faketime @$when ${DCONV_WRAP:-}" dconv "$@"
}
# The faked clock starts at the instant and runs on, so a loaded machine
# (the ASan pass) may read a second or more later: minutes are compared.
expect_eq "faketime sets the clock" "2001-02-03 04:05" \
  "$(TZ=UTC faketime @981173106 date '+%Y-%m-%d %H:%M')"
SOURCE_DATE_EPOCH=1 dconv -q --to bibtex -O abstract=true -O note=true \
  -o "$TMP/sde.bib" "$SEEDS"
(
  unset SOURCE_DATE_EPOCH
  at 981173106 Etc/GMT+12 -q --to bibtex -O abstract=true -O note=true \
    -o "$TMP/2001.bib" "$SEEDS"
  at 2147483000 Pacific/Kiritimati -q --to bibtex -O abstract=true -O note=true \
    -o "$TMP/2038.bib" "$SEEDS"
)
check "no clock in the output (2001, UTC-12)" cmp "$TMP/sde.bib" "$TMP/2001.bib"
check "no clock in the output (2038, UTC+14)" cmp "$TMP/sde.bib" "$TMP/2038.bib"
finish
