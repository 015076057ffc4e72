#!/bin/bash
# Benchmark (not a timed test): the whole real corpus to .apkg, best of 5,
# next to --check (parsing only) to show the writer's own share.
. "$SRCDIR/tests/lib.sh"

best() {
  local b=999999 t0 t1 ms i
  for i in 1 2 3 4 5; do
    t0=$(date +%s%N)
    dconv "$@" >/dev/null 2>&1 || { fail "dconv $*"; return; }
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    [ "$ms" -lt "$b" ] && b=$ms
  done
  echo "$b"
}
papers=$(ls "$CORPUS" | wc -l)
echo "corpus: $papers digests, 1422 papers"
echo "parse only (--check):  $(best --check -q "$CORPUS") ms"
echo "--to anki (.apkg):      $(best --to anki -q "$CORPUS" -o "$TMP/c.apkg") ms"
echo ".apkg size: $(stat -c %s "$TMP/c.apkg") bytes"
finish
