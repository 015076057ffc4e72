#!/bin/bash
# Markdown writer, emphasis that touches: nested or adjacent EMPH/STRONG
# spans whose delimiters form one run, inside words, next to escaped '*'.
# The writer checks each item with CommonMark's pairing (md_emph.c) and
# writes a span that would read back differently without its delimiters.
# Expectations written by hand: the bullet the writer must print, and for
# spans that pair as written, the same tree after a round trip. Catches: a
# check that flattens ordinary emphasis (Korean **X**은 included), one that
# misses the rule-of-3 case below, a writer that is not idempotent on the
# fuzzer's nested runs (tests/cli/emphasis-*.md).
. "$SRCDIR/tests/lib.sh"
need jq

# bullet INPUT: the summary line the writer prints for `- INPUT`.
digest() {
  printf '## Daily Papers (2024-03-27)\n\n### [p](https://arxiv.org/abs/2403.00002)\n\n- %s\n' "$1"
}
bullet() { digest "$1" | dconv -q --to markdown - | tail -1; }
tree() { dconv -q --to json - | jq -c '.digests[0].papers[0].summary'; }

# Spans that pair as written: printed as they came, the tree kept.
while IFS= read -r in; do
  expect_eq "kept as written: $in" "- $in" "$(bullet "$in")"
  expect_eq "same tree: $in" "$(digest "$in" | tree)" \
    "$(digest "$in" | dconv -q --to markdown - | tree)"
done <<'IN'
*a **b** c*
***a** b*
**a *b***
*a **b***
x **y**z *w*
**새로운 점**은 좋다
**What's New**: *faster* and **smaller**
a*b*c
IN

# The rule of 3: in `c*b *c***` the last run closes the inner EMPH and the
# outer one (opened inside a word), leaving one '*' as text. Written
# `c*b *c**\*`, the two-character closer could not pair with the
# one-character opener inside the word (1 + 2 is a multiple of 3): the
# outer span is written without delimiters instead.
expect_eq "rule of 3: outer span flattened" '- cb *c*\*' "$(bullet 'c*b *c***')"
expect_eq "rule of 3: and stable" '- cb *c*\*' "$(bullet 'cb *c*\*')"
expect_eq "nested runs: as written where they pair" '- *a **b *a*** c*\*\*' \
  "$(bullet '*a **b *a*** c***')"

# The fuzzer's finds (nested and adjacent runs, 60 deep; the same with a
# www. autolink whose host ends at a backslash): idempotent, and what was
# written reads back as written. (They lose emphasis on the first pass, so
# they are not in tests/hostile/inputs, whose tree must survive.)
for IN in "$SRCDIR"/tests/cli/emphasis-*.md; do
  b=$(basename "$IN")
  dconv -q --to markdown "$IN" >"$TMP/n1.md"
  dconv -q --to markdown "$TMP/n1.md" >"$TMP/n2.md"
  check "$b: md(md(x)) == md(x)" cmp -s "$TMP/n1.md" "$TMP/n2.md"
  dconv -q --to json "$TMP/n1.md" >"$TMP/n1.json"
  dconv -q --to json "$TMP/n2.md" >"$TMP/n2.json"
  check "$b: the written tree reads back the same" cmp -s "$TMP/n1.json" "$TMP/n2.json"
done
finish
