#!/bin/bash
# The documented outline shape, exactly: optional children (authors, votes,
# media) present only with data, "…" where authors were elided, a paper
# without URL is no link, nested bullets nest, links in bullets become child
# link outlines, and _note with -O notes=true.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/opml/opml_lib.sh"
need xmllint python3

in="$TMP/shape.md"
cat >"$in" <<'MD'
## Daily Papers (2024-03-27)

### [Full Paper](https://arxiv.org/abs/2403.11111)

![](https://example.org/thumb.png)

Vote: 7

Authors: Ann Lee, +, Bo Chen

- top **bold** with [a link](https://example.org/a) and *[nested](https://example.org/b)*
  - child one
    - grandchild
  - child two
- second top ![](https://example.org/img.png)

## Daily Papers (2024-03-28)

### Bare Paper

- only bullet

### [Video Paper](https://arxiv.org/abs/2403.22222)

[Watch Video](https://example.org/v.mp4)

Vote: 0

Authors: Smith, J.; Doe, A.

1. first
2. second
MD

opml_verify shape "$in"

dconv -q --to opml "$in" >"$TMP/plain.opml"
python3 "$OPML_CHECK" dump "$TMP/plain.opml" >"$TMP/plain.txt"
cat >"$TMP/want.txt" <<'WANT'
Daily Papers (2024-03-27)
  Full Paper <https://arxiv.org/abs/2403.11111>
    Authors: Ann Lee, …, Bo Chen
    Votes: 7
    Thumbnail <https://example.org/thumb.png>
    top bold with a link and nested
      a link <https://example.org/a>
      nested <https://example.org/b>
      child one
        grandchild
      child two
    second top 
      https://example.org/img.png <https://example.org/img.png>
Daily Papers (2024-03-28)
  Bare Paper
    only bullet
  Video Paper <https://arxiv.org/abs/2403.22222>
    Authors: Smith, J.; Doe, A.
    Votes: 0
    Video <https://example.org/v.mp4>
    first
    second
WANT
if diff -u "$TMP/want.txt" "$TMP/plain.txt"; then
  pass "outline shape as documented"
else
  fail "outline shape differs from the documented one"
fi

dconv -q --to opml -O notes=true "$in" >"$TMP/notes.opml"
check "notes: well-formed" xmllint --noout "$TMP/notes.opml"
python3 "$OPML_CHECK" dump "$TMP/notes.opml" >"$TMP/notes.txt"
check "notes: authors and votes in _note" grep -qxF \
  '  Full Paper <https://arxiv.org/abs/2403.11111> note=Authors: Ann Lee, …, Bo Chen\nVotes: 7' \
  "$TMP/notes.txt"
check "notes: no _note without authors or votes" grep -qxF '  Bare Paper' "$TMP/notes.txt"
check "notes: the newline is &#10;" grep -qF 'Bo Chen&#10;Votes: 7' "$TMP/notes.opml"
# notes only adds attributes: same outlines otherwise.
sed 's/ note=.*//' "$TMP/notes.txt" >"$TMP/notes-stripped.txt"
check "notes: same outlines as without" cmp -s "$TMP/plain.txt" "$TMP/notes-stripped.txt"
check "no _note by default" sh -c "! grep -q _note '$TMP/plain.opml'"
finish
