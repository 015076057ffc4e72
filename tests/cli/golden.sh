#!/bin/bash
# Golden JSON for each seed: the whole tree, key order and all. Regenerate
# deliberately with: for f in seeds/*.txt; do build/core/dconv --to json \
#   -O pretty=true "$f" > tests/golden/$(basename "$f" .txt).json; done
. "$SRCDIR/tests/lib.sh"
need jq
for f in "$SEEDS"/*.txt; do
  b=$(basename "$f" .txt)
  dconv -q --to json -O pretty=true "$f" >"$TMP/$b.json"
  check "golden JSON $b" cmp -s "$SRCDIR/tests/golden/$b.json" "$TMP/$b.json"
  check "golden JSON $b is valid JSON" jq -e . "$TMP/$b.json" >/dev/null
done
finish
