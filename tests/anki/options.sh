#!/bin/bash
# Options and field content: -O deck, -O subdecks, bad deck names, HTML
# escaping and nested lists, papers without an arXiv id, merging digests
# that repeat a paper.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
need python3 sqlite3 unzip

# -O deck with characters JSON and HTML care about, nested under a parent.
deck='R&D "Reading" \ list: 2024::Papers'
anki_build "$TMP/deck.apkg" -O "deck=$deck" "$SEEDS" &&
  anki_check "deck=$deck" "$TMP/deck.apkg" --deck "$deck"

# -O subdecks=true: Daily Papers::YYYY-MM-DD, a card in its digest's day.
anki_build "$TMP/sub.apkg" -O subdecks=true "$SEEDS" &&
  anki_check "subdecks=true" "$TMP/sub.apkg" --subdecks

# Deck names Anki would rename are refused, and no file is written.
for bad in "" "::x" "x::" "a::::b" " x" "a:::b" "x "; do
  if dconv --to anki -q -O "deck=$bad" "$SEEDS" -o "$TMP/bad.apkg" 2>/dev/null; then
    fail "deck='$bad' accepted"
  else
    pass "deck='$bad' refused"
  fi
  [ -e "$TMP/bad.apkg" ] && fail "deck='$bad' left a file" && rm -f "$TMP/bad.apkg"
done

# Field HTML: specials escaped, code/emphasis/links kept, nested lists
# balanced, elided authors shown; a paper without an arXiv id.
cat >"$TMP/html.md" <<'MD'
## Daily Papers (2024-03-28)

### [A <b>bold</b> & "quoted" title](https://arxiv.org/abs/2403.00001)

Vote: -

Authors: A & B, <C>, +, D

- item with `code <x>` and *emph* and **strong** and [link](https://ex.com/?a=1&b=2)
  - nested one
  - nested two
- back to top
1. ordered

### [No id paper](https://example.org/paper?x=1&y=2)

Vote: 3

Authors: Solo

- just one

MD
anki_build "$TMP/html.apkg" "$TMP/html.md" && anki_check "html escaping" "$TMP/html.apkg"
flds=$(anki_sql "$TMP/html.apkg" "SELECT replace(flds, char(31), '|') FROM notes
  WHERE sfld <> '' ORDER BY id")
expect_eq "fields of the escaping paper" \
  '2403.00001|A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title|A &amp; B, &lt;C&gt;, …, D|<ul><li>item with <code>code &lt;x&gt;</code> and <em>emph</em> and <strong>strong</strong> and <a href="https://ex.com/?a=1&amp;b=2">link</a><ul><li>nested one</li><li>nested two</li></ul></li><li>back to top</li></ul><ol><li>ordered</li></ol>||2024-03-28|https://arxiv.org/abs/2403.00001' \
  "$flds"
expect_eq "paper without arXiv id: empty sort field, csum of ''" \
  "|$((0xda39a3ee))|No id paper" \
  "$(anki_sql "$TMP/html.apkg" "SELECT sfld, csum, substr(flds, 2, 11) FROM notes WHERE sfld = ''")"

# Merging digests that repeat a paper: one note, the newest fields, the
# first date, a tag per date.
mkdir -p "$TMP/dup"
cp "$SEEDS/000_16b3e9fdefacf7be.txt" "$TMP/dup/a.md"
sed -e 's/^## Daily Papers (2024-03-27)/## Daily Papers (2024-03-29)/' \
  -e 's/^Vote: 32$/Vote: 99/' "$SEEDS/000_16b3e9fdefacf7be.txt" >"$TMP/dup/b.md"
anki_build "$TMP/dup.apkg" "$TMP/dup" && anki_check "merged repeats" "$TMP/dup.apkg"
n=$(grep -c '^### ' "$TMP/dup/a.md")
expect_eq "repeated papers merged" "$n" "$(anki_sql "$TMP/dup.apkg" 'SELECT count(*) FROM notes')"
expect_eq "merged note: newest votes, first date, both date tags" \
  "99|2024-03-27| daily-papers dp::2024::03::27 dp::2024::03::29 " \
  "$(anki_fields "$TMP/dup.apkg" 2403.17887 Votes Date tags)"
finish
