#!/bin/bash
# Every seed digest alone, then all seeds merged into one document.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/opml/opml_lib.sh"
need xmllint python3

for f in "$SEEDS"/*; do
  opml_verify "$(basename "$f")" "$f"
done
opml_verify seeds-merged "$SEEDS"
cat "$TMP/seeds-merged.counts"
finish
