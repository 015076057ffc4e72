#!/bin/bash
# The whole real corpus merged into one document.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/opml/opml_lib.sh"
need xmllint python3

opml_verify corpus "$CORPUS"
cat "$TMP/corpus.counts"
finish
