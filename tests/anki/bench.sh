#!/bin/bash
# Benchmark (not a timed test): the whole real corpus to .apkg, best of 5
# runs, next to --check (parsing only) to show the writer's own share.
# Reports wall time and CPU time (user+sys): on a busy machine the CPU time
# is the steadier number.
. "$SRCDIR/tests/lib.sh"

# best DCONV-ARGS... : "wall ms / cpu ms" of the fastest of 5 runs.
best() {
  local TIMEFORMAT='%R %U %S' bw=999999 bc=0 t w u s _
  for _ in 1 2 3 4 5; do
    t=$({ time dconv "$@" >/dev/null 2>&1; } 2>&1) || { fail "dconv $*"; return; }
    read -r w u s <<<"$t"
    w=$(awk "BEGIN{print int($w * 1000)}")
    if [ "$w" -lt "$bw" ]; then
      bw=$w
      bc=$(awk "BEGIN{print int(($u + $s) * 1000)}")
    fi
  done
  echo "${bw} ms wall, ${bc} ms cpu"
}
echo "corpus: $(find "$CORPUS" -name '*.md' | wc -l) digests, 1422 papers"
echo "parse only (--check): $(best --check -q "$CORPUS")"
echo "--to anki (.apkg):    $(best --to anki -q "$CORPUS" -o "$TMP/c.apkg")"
echo ".apkg size: $(stat -c %s "$TMP/c.apkg") bytes"
finish
