#!/bin/bash
# tests/bench/bench.sh [BUILDDIR] - the benchmark suite (issue 9). Not a
# timed test: it reports, it never fails on a number.
#
#   tests/bench/bench.sh                 # uses build/ (tests/build.sh makes it)
#   meson test -C build --benchmark      # the same, registered as 'bench'
#
# For every format (markdown, json, bibtex, opml, epub, kepub, anki) it
# converts (a) one seed, (b) all seeds, (c) the whole real corpus merged,
# (d) a generated 100,000-paper input (tests/bench/gen.py, written to a temp
# dir at run time, never committed), and reports the median wall time, CPU
# time, peak RSS, throughput (MB/s, papers/s) and the ratios against
# `cmark-gfm -e autolink` parsing the same bytes and against pandoc where
# pandoc has the format (gfm, opml, epub3; on the input without its image
# lines, so pandoc does not fetch thumbnails; not on (d): pandoc 2.17 would
# take many minutes). Also start-up (`--version`), plugin discovery
# (`--list-formats`) and parse only (`--check`). tests/bench/bench.py does
# the measuring (round-robin runs, wait4 rusage); the Markdown table goes to
# standard output and to $BENCH_OUT (default BUILDDIR/bench.md, the raw
# numbers beside it as bench.json).
#
# dconv writes to standard output (`-o -`, discarded), so the numbers are the
# converter's, not the disk's fsync.
#
# Knobs: BENCH_RUNS (runs for a-c, default 10), BENCH_RUNS_BIG (d, default
# 3), BENCH_PANDOC_RUNS (default 3; 0 skips pandoc), BENCH_PAPERS (size of
# d, default 100000; 0 skips d), BENCH_FORMATS (space-separated subset),
# BENCH_OUT (the Markdown file).
set -u
here=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$here/../.." && pwd)}
BUILDDIR=${BUILDDIR:-${1:-$SRCDIR/build}}
DCONV=${DCONV:-$BUILDDIR/core/dconv}
export SRCDIR
. "$SRCDIR/tests/lib.sh"
need python3 cmark-gfm
[ -x "$DCONV" ] || { echo "no dconv at $DCONV: build first (tests/build.sh)" >&2; exit 1; }

RUNS=${BENCH_RUNS:-10}
RUNS_BIG=${BENCH_RUNS_BIG:-3}
PANDOC_RUNS=${BENCH_PANDOC_RUNS:-3}
PAPERS=${BENCH_PAPERS:-100000}
FORMATS=${BENCH_FORMATS:-markdown json bibtex opml epub kepub anki}
OUT=${BENCH_OUT:-$BUILDDIR/bench.md}
command -v pandoc >/dev/null 2>&1 || PANDOC_RUNS=0
export SOURCE_DATE_EPOCH=1700000000

# files_of INPUT: the files dconv reads for an input argument, in its order
files_of() {
  if [ -d "$1" ]; then
    find "$1" -maxdepth 1 -type f \( -name '*.md' -o -name '*.txt' \) | LC_ALL=C sort
  else
    echo "$1"
  fi
}

seed1=$(files_of "$SEEDS" | head -n 1)
sets="a|(a) one seed|$seed1
b|(b) all seeds|$SEEDS
c|(c) corpus|$CORPUS"
if [ "$PAPERS" -gt 0 ]; then
  echo "generating (d): $PAPERS papers from the corpus..." >&2
  python3 "$here/gen.py" "$CORPUS" "$TMP/big" "$PAPERS" || { echo "gen.py failed" >&2; exit 1; }
  sets="$sets
d|(d) generated|$TMP/big"
fi

mkdir -p "$TMP/in"
: >"$TMP/sets.tsv"
while IFS='|' read -r key desc arg; do
  f=$TMP/in/$key.md
  files_of "$arg" | while IFS= read -r x; do cat "$x"; done >"$f"
  # pandoc's copy: no image lines (pandoc would fetch every thumbnail), no
  # raw <video> blocks
  grep -v -E '^(!\[|<video)' "$f" >"$TMP/in/$key.noimg.md"
  papers=$("$DCONV" --check -q "$arg" 2>&1 | sed -n 's/.* digests, \([0-9]*\) papers.*/\1/p' | tail -n 1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$desc" "$arg" "$f" \
    "$TMP/in/$key.noimg.md" "$(stat -c %s "$f")" "${papers:-0}" >>"$TMP/sets.tsv"
done <<<"$sets"

python3 - "$TMP/cfg.json" "$TMP/sets.tsv" "$DCONV" "$TMP" "$BUILDDIR" "$OUT" \
  "$RUNS" "$RUNS_BIG" "$PANDOC_RUNS" "$FORMATS" <<'EOF'
import json, sys
cfg_path, tsv, dconv, tmp, builddir, out, runs, runs_big, pruns, formats = sys.argv[1:]
sets = []
for line in open(tsv, encoding="utf-8"):
    k, desc, arg, f, noimg, b, p = line.rstrip("\n").split("\t")
    sets.append(dict(key=k, desc=desc, arg=arg, file=f, noimg=noimg, bytes=int(b), papers=int(p)))
json.dump(dict(dconv=dconv, tmp=tmp, builddir=builddir, out=out, runs=int(runs),
               runs_big=int(runs_big), pandoc_runs=int(pruns), formats=formats.split(),
               sets=sets), open(cfg_path, "w"))
EOF
python3 "$here/bench.py" "$TMP/cfg.json" || fail "bench.py"
echo "written to $OUT" >&2
finish
