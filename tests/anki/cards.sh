#!/bin/bash
# Issue 16: cards worth studying. For each -O cards mode: the rendered
# front and back of every card are balanced HTML (our own check and
# xmllint --html); Mnemosyne's importer takes the deck over a deck of the
# previous plugin (tests/anki/old-1.0.0-seeds.apkg) and updates its notes
# instead of duplicating them, and a second import changes nothing; paper
# notes keep GUIDs and ids whatever extra cards are asked for. Plus
# hand-written front/back of one seed paper and of section cards,
# -O thumbnail and -O media-dir.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
need python3 sqlite3 unzip jq xmllint

need_mnemosyne
# A copy: the helpers unpack a deck beside it (NAME.sql.anki2), never
# into the source tree.
cp "$ANKI_TESTS/old-1.0.0-seeds.apkg" "$TMP/old-1.0.0-seeds.apkg"
OLD=$TMP/old-1.0.0-seeds.apkg

# The seeds plus one paper with labelled bullets (English and Korean
# labels, a bold phrase that is not a label, a repeated label).
mkdir -p "$TMP/in"
cp "$SEEDS"/* "$TMP/in/"
cat >"$TMP/in/labelled.md" <<'MD'
## Daily Papers (2024-06-03)

### [Labelled Paper](https://arxiv.org/abs/2406.11111)

![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2406.11111.png)

Vote: 7

Authors: Ann One, Bob Two, Cy Three, Di Four

- **What's New**: A new *method* for X.
- **Technical Details:** Uses `Y` and Z.
  - detail one
  - detail two
- **성능 하이라이트**
  - 빠름
- **LeaP-T** models are not a label
- **What's New**: again

MD

# render APKG NAME: render every card into $TMP/NAME/, check it, print JSON.
render() {
  if ! python3 "$ANKI_TESTS/render_cards.py" "$1" "$TMP/r-$2" >"$TMP/$2.json"; then
    fail "$2: a rendered card is not balanced HTML"
  fi
  if xmllint --html --noout "$TMP/r-$2"/*.html 2>"$TMP/$2.xmllint" &&
    [ ! -s "$TMP/$2.xmllint" ]; then
    pass "$2: every card side parses cleanly with xmllint --html"
  else
    fail "$2: xmllint --html: $(head -5 "$TMP/$2.xmllint")"
  fi
}
mn() { "$PY" "$ANKI_TESTS/mnemosyne_import.py" "$@" 2>>"$TMP/mn.log" | tail -n 1; }

# mode: paper facts + extra facts expected after importing over the old deck.
declare -A want=([paper]=55 [sections]=58 [reverse]=109
  [paper,sections,reverse]=114)
for mode in paper sections reverse paper,sections,reverse; do
  SOURCE_DATE_EPOCH=1711670400 dconv --to anki -q -O "cards=$mode" "$TMP/in" \
    -o "$TMP/$mode.apkg" || { fail "build cards=$mode"; continue; }
  render "$TMP/$mode.apkg" "$mode"
  # Over a deck of the previous plugin: its 54 notes are updated, not
  # duplicated; importing the same deck again adds nothing.
  n=${want[$mode]}
  out=$(mn "$TMP/mn-$mode" "$OLD" "$TMP/$mode.apkg" "$TMP/$mode.apkg")
  expect_eq "cards=$mode: Mnemosyne import over the 1.0.0 deck, twice" \
    "$n $n" "$(echo "$out" | jq -r '"\(.cards) \(.facts)"')"
  guid=$(anki_sql "$OLD" "SELECT guid FROM notes WHERE sfld = 2403.17887")
  if [ "$mode" != sections ] && [ "$mode" != reverse ]; then
    expect_eq "cards=$mode: the old note was updated (three authors now)" \
      "Hassan Shapourian, Kushal Tirumala, Paolo Glorioso, …" \
      "$(echo "$out" | jq -r --arg g "$guid" '.facts_by_guid[$g]["2"]')"
  fi
done
if [ "$FAILS" -ne 0 ]; then tail -20 "$TMP/mn.log" >&2; fi

# Paper notes and cards keep GUID, note id, card id and note type, from the
# 1.0.0 deck to every mode.
ids="SELECT n.guid, n.id, c.id, n.mid FROM notes n JOIN cards c ON c.nid = n.id
  WHERE n.mid = 1711497600000 ORDER BY n.id"
old_ids=$(anki_sql "$OLD" "$ids")
for mode in paper paper,sections,reverse; do
  # One query at a time: anki_sql unpacks beside the deck, and two at once
  # (a pipe whose grep pattern is another query) raced on that file.
  new_guid=$(anki_sql "$TMP/$mode.apkg" "SELECT guid FROM notes WHERE sfld = '2406.11111'")
  now_ids=$(anki_sql "$TMP/$mode.apkg" "$ids")
  expect_eq "cards=$mode: the 1.0.0 deck's paper notes keep every id" \
    "$old_ids" "$(printf '%s\n' "$now_ids" | grep -vF -- "${new_guid:-no guid found}")"
done
expect_eq "extra notes: their own ids, none shared with a paper note" "" \
  "$(anki_sql "$TMP/paper,sections,reverse.apkg" "SELECT id FROM notes GROUP BY id HAVING count(*) > 1")"

# Hand-written expectations: a seed paper's card, and the section cards.
# prefix DESC PREFIX TEXT: TEXT starts with PREFIX.
prefix() {
  case "$3" in
  "$2"*) pass "$1" ;;
  *) fail "$1: expected a start of '$2', got '${3:0:200}'" ;;
  esac
}
card() { jq -r --arg k "$2" --arg s "$3" '.by_key[$k][$s]' "$TMP/$1.json"; }
expect_eq "seed paper front: title and three authors" \
  '<div class="dp-title" lang="en">The Unreasonable Ineffectiveness of the Deeper Layers</div>
<div class="dp-authors" lang="en">Hassan Shapourian, Kushal Tirumala, Paolo Glorioso, …</div>' \
  "$(card paper 2403.17887 front)"
back=$(card paper 2403.17887 back)
prefix "seed paper back: the title, not the whole front, then the summary" \
  '<div class="dp-title" lang="en">The Unreasonable Ineffectiveness of the Deeper Layers</div>
<hr id="answer">
<div class="dp-summary" lang="ko"><ul><li>인기 있는 오픈-웨이트' "$back"
expect_eq "seed paper back: the meta line" \
  '</li></ul></div>
<div class="dp-meta">arXiv:2403.17887 &middot; &#9650; 32 &middot; 2024-03-27 &middot; <a href="https://arxiv.org/abs/2403.17887">https://arxiv.org/abs/2403.17887</a></div>' \
  "$(printf '%s' "$back" | tail -n 2 | sed 's/^.*\(<\/li><\/ul><\/div>\)$/\1/')"
expect_eq "section cards: one per label, the bold phrase is not one" \
  "2406.11111 · Technical Details
2406.11111 · What's New
2406.11111 · What's New (2)
2406.11111 · 성능 하이라이트" \
  "$(jq -r '.by_key | keys[] | select(startswith("2406.11111 · "))' "$TMP/sections.json" | sort)"
expect_eq "section card front: title and label" \
  '<div class="dp-front" lang="ko"><div class="dp-title" lang="en">Labelled Paper</div><div class="dp-label">Technical Details</div></div>' \
  "$(card sections '2406.11111 · Technical Details' front)"
expect_eq "section card back: the label's text and its nested bullets" \
  '<div class="dp-back" lang="ko"><div class="dp-lead">Uses <code>Y</code> and Z.</div><ul><li>detail one</li><li>detail two</li></ul></div>' \
  "$(card sections '2406.11111 · Technical Details' back | grep dp-back)"
expect_eq "reverse card back: title and authors" \
  '<div class="dp-back" lang="ko"><div class="dp-title" lang="en">Labelled Paper</div><div class="dp-authors" lang="en">Ann One, Bob Two, Cy Three, …</div></div>' \
  "$(card reverse '2406.11111 · reverse' back | grep dp-back)"
check "CSS: a readable width on desktop" \
  grep -q 'max-width: 40em' "$TMP/r-paper/$(ls "$TMP/r-paper" | head -1)"

# Thumbnails: none by default, the remote URL with -O thumbnail=true, a
# local file from -O media-dir (embedded, in the media map).
expect_eq "no <img> by default" 0 \
  "$(anki_sql "$TMP/paper.apkg" "SELECT count(*) FROM notes WHERE flds LIKE '%<img%'")"
dconv --to anki -q -O thumbnail=true "$SEEDS" -o "$TMP/thumb.apkg" || fail "thumbnail"
prefix "thumbnail=true: the remote thumbnail in the Summary field" \
  '<div class="dp-thumb"><img src="https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2403.17887.png" alt=""></div><ul><li>인기' \
  "$(anki_fields "$TMP/thumb.apkg" 2403.17887 Summary)"
mkdir -p "$TMP/media"
python3 -c 'import sys, zlib, struct
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))' \
  "$TMP/media/2403.17887.png"
printf '\377\330\377\340 not really a jpeg' >"$TMP/media/2403.17888.jpg"
dconv --to anki -q -O "media-dir=$TMP/media" "$SEEDS" -o "$TMP/media.apkg" ||
  fail "media-dir"
expect_eq "media-dir: the media map names both local files" \
  '{"0":"2403.17887.png","1":"2403.17888.jpg"}' "$(unzip -p "$TMP/media.apkg" media)"
check "media-dir: entry 0 is the file itself" \
  cmp "$TMP/media/2403.17887.png" <(unzip -p "$TMP/media.apkg" 0)
prefix "media-dir: the field names the embedded file" \
  '<div class="dp-thumb"><img src="2403.17887.png" alt=""></div>' \
  "$(anki_fields "$TMP/media.apkg" 2403.17887 Summary)"
out=$(mn "$TMP/mn-media" "$TMP/media.apkg")
expect_eq "media-dir: Mnemosyne imports the deck" "54 54" \
  "$(echo "$out" | jq -r '"\(.cards) \(.facts)"')"
# Files that are not images are refused, and nothing waits on a FIFO.
mkfifo "$TMP/media/2403.17297.png"
timeout 20 "$DCONV" --to anki -q -O "media-dir=$TMP/media" "$SEEDS" -o "$TMP/fifo.apkg" 2>"$TMP/fifo.err"
expect_eq "media-dir: a FIFO is refused at once (option error)" 2 "$?"
rm "$TMP/media/2403.17297.png"
printf '\211PNG\r\n\032\n' >"$TMP/media/2403.17297.png"
truncate -s 17M "$TMP/media/2403.17297.png"
dconv --to anki -q -O "media-dir=$TMP/media" "$SEEDS" -o "$TMP/big.apkg" 2>"$TMP/big.err"
expect_eq "media-dir: a file over 16 MiB is refused (option error)" "2 1" "$? $(grep -c '16 MiB' "$TMP/big.err")"
dconv --to anki -q -O "media-dir=$TMP/nowhere" "$SEEDS" -o "$TMP/x.apkg" 2>/dev/null
expect_eq "media-dir that is not a directory: option error" 2 "$?"
dconv --to anki -q -O "cards=paper,bogus" "$SEEDS" -o "$TMP/x.apkg" 2>/dev/null
expect_eq "cards=paper,bogus: option error" 2 "$?"
# Titles show simple inline TeX as Unicode (README: the tree and BibTeX keep
# TeX); a lone '$' is a dollar. Expected titles written by hand.
printf '## Daily Papers (2024-03-27)\n\n### [M$^{2}$UGen: $\\sim$20 $\\times$ faster](https://arxiv.org/abs/2403.00002)\n\n### [Earn $1 Million](https://arxiv.org/abs/2403.00003)\n' >"$TMP/tex.md"
dconv --to anki -q "$TMP/tex.md" -o "$TMP/tex.apkg"
expect_eq "TeX in titles shown as Unicode, a lone \$ kept" \
  "M²UGen: ∼20 × faster|Earn \$1 Million" \
  "$(anki_sql "$TMP/tex.apkg" "SELECT group_concat(substr(flds, instr(flds, char(31)) + 1, instr(substr(flds, instr(flds, char(31)) + 1), char(31)) - 1), '|') FROM (SELECT flds FROM notes ORDER BY sfld)")"
finish
