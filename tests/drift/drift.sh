#!/bin/bash
# drift-consumers: the drift corpus (tests/drift/*.md, see run.py) through
# the real consumers of issue 14: epubcheck reports nothing on a book of all
# of it and on the header-only day alone; xmllint reads the OPML and every
# url in it is an absolute http(s) URL; real bibtex and biber accept the
# .bib without a warning.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
. "$SRCDIR/tests/bibtex/bib_lib.sh"
need xmllint pdflatex bibtex biber python3
need_epubcheck
D=$SRCDIR/tests/drift

check "epub of every drift digest" dconv -q --to epub -o "$TMP/drift.epub" "$D"/*.md
check "epub of the header-only days" dconv -q --to epub -o "$TMP/empty.epub" "$D/header-only.md"
epubcheck_all "$TMP/drift.epub" "$TMP/empty.epub"

check "opml of every drift digest" dconv -q --to opml -o "$TMP/drift.opml" "$D"/*.md
check "xmllint reads the OPML" xmllint --noout "$TMP/drift.opml"
urls=$(xmllint --xpath '//outline/@url' "$TMP/drift.opml" | tr ' ' '\n' |
  sed -n 's/^url="\(.*\)"$/\1/p')
expect_eq "OPML has links" 1 "$([ -n "$urls" ] && echo 1)"
expect_eq "OPML urls not absolute http(s)" "" \
  "$(printf '%s\n' "$urls" | grep -Ev '^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/|$)' | head -3)"

# Every drift digest, no-authors-vote.md included: an entry without
# authors has a `key` field, so bibtex can sort it without a warning.
bibs=$(ls "$D"/*.md)
# shellcheck disable=SC2086
check "bibtex of the drift digests" dconv -q --to bibtex -o "$TMP/drift.bib" $bibs
# shellcheck disable=SC2086
n=$(dconv -q --to json $bibs | python3 -c '
import json, sys
print(sum(len(d["papers"]) for d in json.load(sys.stdin)["digests"]))')
bib_check "drift" "$TMP/drift.bib" "$n" bibtex
finish
