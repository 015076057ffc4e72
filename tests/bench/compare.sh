#!/bin/bash
# tests/bench/compare.sh OLD_BUILDDIR NEW_BUILDDIR [FORMAT...] - before/after
# numbers for a change, as README's Performance tables give them: callgrind
# instruction counts (they repeat on a noisy machine, times do not), peak
# RSS (/usr/bin/time -v) and output size on the real corpus, and peak RSS on
# a generated 100,000-paper input (tests/bench/gen.py; BENCH_PAPERS=0 skips
# it). Not a test: it reports, it never fails on a number. Formats default
# to epub anki, plus `--check` (parse only) as "check".
#
#   tests/build.sh /tmp/old -Dbuildtype=release   # at the old commit
#   tests/build.sh /tmp/new -Dbuildtype=release
#   tests/bench/compare.sh /tmp/old /tmp/new epub anki check
set -u
here=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$here/../.." && pwd)}
export SRCDIR
. "$SRCDIR/tests/lib.sh"
need valgrind python3
[ $# -ge 2 ] || { echo "usage: $0 OLD_BUILDDIR NEW_BUILDDIR [FORMAT...]" >&2; exit 2; }
old=$1/core/dconv new=$2/core/dconv
shift 2
FORMATS=${*:-epub anki check}
PAPERS=${BENCH_PAPERS:-100000}
export SOURCE_DATE_EPOCH=1700000000

# args FORMAT INPUT OUT: dconv's arguments
args() {
  if [ "$1" = check ]; then echo "--check -q $2"; else echo "--to $1 -q -o $3 $2"; fi
}
# instr DCONV FORMAT: instructions for the corpus
instr() {
  # shellcheck disable=SC2046
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" \
    $(args "$2" "$CORPUS" "$TMP/cg.out") 2>&1 | sed -n 's/.*Collected : //p'
}
# rss DCONV FORMAT INPUT: peak RSS in KiB, and the output's size
rss() {
  rm -f "$TMP/out"
  # shellcheck disable=SC2046
  /usr/bin/time -f %M -o "$TMP/rss" "$1" $(args "$2" "$3" "$TMP/out") >/dev/null
  echo "$(cat "$TMP/rss") $(stat -c %s "$TMP/out" 2>/dev/null || echo -)"
}
big=""
if [ "$PAPERS" -gt 0 ]; then
  python3 "$here/gen.py" "$CORPUS" "$TMP/big" "$PAPERS" >/dev/null || fail "gen.py"
  big=$TMP/big
fi
echo "| format | instructions, corpus | peak RSS, corpus | output, corpus | peak RSS, $PAPERS papers |"
echo "|---|---|---|---|---|"
for f in $FORMATS; do
  io=$(instr "$old" "$f") in=$(instr "$new" "$f")
  read -r ro so <<<"$(rss "$old" "$f" "$CORPUS")"
  read -r rn sn <<<"$(rss "$new" "$f" "$CORPUS")"
  bo=- bn=-
  if [ -n "$big" ]; then
    bo=$(rss "$old" "$f" "$big" | cut -d' ' -f1) bn=$(rss "$new" "$f" "$big" | cut -d' ' -f1)
  fi
  python3 - "$f" "$io" "$in" "$ro" "$rn" "$so" "$sn" "$bo" "$bn" <<'PY'
import sys
f, io, in_, ro, rn, so, sn, bo, bn = sys.argv[1:]
def pair(a, b, unit, scale=1.0):
    if a in ("-", "") or b in ("-", ""):
        return "-"
    a, b = float(a) / scale, float(b) / scale
    return "%s → %s %s (%+.1f%%)" % (format(round(a, 1), ",g"), format(round(b, 1), ",g"), unit, 100 * (b - a) / a)
print("| %s | %s | %s | %s | %s |" % (
    f, pair(io, in_, "M", 1e6), pair(ro, rn, "MiB", 1024), pair(so, sn, "KB", 1000),
    pair(bo, bn, "MiB", 1024)))
PY
done
finish
