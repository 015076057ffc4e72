#!/bin/bash
# Benchmark, not a test (meson test --benchmark --suite opml): the corpus to
# OPML with dconv, against `pandoc -f gfm -t opml` on the same files.
# Prints the mean wall time of each; README "OPML output" records them.
. "$SRCDIR/tests/lib.sh"
need pandoc

runs=${BENCH_RUNS:-10}
files=("$CORPUS"/*.md)

# mean_ms CMD... : mean wall time over $runs runs (after one warm-up), in ms.
mean_ms() {
  "$@" >/dev/null 2>&1
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
  done
  end=$(date +%s%N)
  echo $(((end - start) / runs / 1000000))
}

ours=$(mean_ms dconv -q --to opml -o "$TMP/dconv.opml" "$CORPUS") || exit 1
parse=$(mean_ms dconv -q --check "$CORPUS") || exit 1
theirs=$(mean_ms pandoc -f gfm -t opml -o "$TMP/pandoc.opml" "${files[@]}") || exit 1
echo "corpus: ${#files[@]} files, $(du -k "$TMP/dconv.opml" | cut -f1) KiB of OPML"
echo "dconv --to opml:        ${ours} ms (of which parsing, dconv --check: ${parse} ms)"
echo "pandoc -f gfm -t opml:  ${theirs} ms"
finish
