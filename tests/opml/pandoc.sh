#!/bin/bash
# pandoc's OPML reader accepts what we write (seeds, corpus, adversarial).
. "$SRCDIR/tests/lib.sh"
need pandoc

# pandoc_reads NAME INPUT... : pandoc -f opml exits 0 with non-empty output
# that still holds TEXT (an expected outline text) when given via $WANT.
pandoc_reads() {
  name=$1
  shift
  dconv -q --to opml -O notes=true "$@" >"$TMP/$name.opml" ||
    { fail "$name: dconv failed"; return; }
  if pandoc -f opml -t markdown "$TMP/$name.opml" >"$TMP/$name.md" &&
    [ -s "$TMP/$name.md" ]; then
    pass "$name: pandoc -f opml reads it"
  else
    fail "$name: pandoc -f opml"
  fi
  if [ -n "${WANT:-}" ]; then
    check "$name: pandoc output holds '$WANT'" grep -qF -- "$WANT" "$TMP/$name.md"
  fi
}

for f in "$SEEDS"/*; do
  WANT= pandoc_reads "$(basename "$f")" "$f"
done
WANT="Daily Papers (2024-03-27)" pandoc_reads seeds "$SEEDS"
WANT="Daily Papers (2024-12-16)" pandoc_reads corpus "$CORPUS"

printf '## Daily Papers (2024-03-28)\n\n### [<script>alert(1)</script> & "q" \\]\\]> \xff](https://arxiv.org/abs/2403.00001)\n\nVote: 1\n\nAuthors: A & B\n\n- x\n' >"$TMP/adv.md"
WANT="alert(1)" pandoc_reads adversarial "$TMP/adv.md"
finish
