#!/bin/sh
# epub-split: -O split=day|week|month makes one book per period through the
# host's multi-part output. Expectations by hand from the seeds' dates
# (2023-12-12, 2024-03-27, 2024-04-26, 2024-05-01, 2024-05-29): the part
# names, which days each book holds, that together they hold every paper
# once, that each is a valid EPUB (epubcheck 0/0), and that a failed run
# leaves no part behind. Catches: periods cut wrong (a week that does not
# start on Monday, a month that splits), a book that holds the whole tree,
# a part left half-written.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3 unzip
need_epubcheck

days() { # BOOK: its day files, as dates
  unzip -Z1 "$1" | sed -n 's|^EPUB/day-\(.*\)\.xhtml$|\1|p' | tr '\n' ' '
}

dconv -q --to epub -O split=month "$SEEDS" -o "$TMP/month/"
expect_eq "split=month: exit 0" 0 $?
expect_eq "split=month: one book a month" \
  "2023-12.epub 2024-03.epub 2024-04.epub 2024-05.epub" \
  "$(cd "$TMP/month" && echo *)"
expect_eq "split=month: May holds its two days" "2024-05-01 2024-05-29 " \
  "$(days "$TMP/month/2024-05.epub")"

dconv -q --to epub -O split=week "$SEEDS" -o "$TMP/week/"
expect_eq "split=week: books named by their Monday" \
  "week-of-2023-12-11.epub week-of-2024-03-25.epub week-of-2024-04-22.epub week-of-2024-04-29.epub week-of-2024-05-27.epub" \
  "$(cd "$TMP/week" && echo *)"
expect_eq "split=week: 2024-05-01 (a Wednesday) is in the week of 04-29" \
  "2024-05-01 " "$(days "$TMP/week/week-of-2024-04-29.epub")"

dconv -q --to kepub -O split=day "$SEEDS" -o "$TMP/day.zip"
expect_eq "split=day, kepub, into one zip: a book per day" \
  "2023-12-12.kepub.epub 2024-03-27.kepub.epub 2024-04-26.kepub.epub 2024-05-01.kepub.epub 2024-05-29.kepub.epub" \
  "$(unzip -Z1 "$TMP/day.zip" | tr '\n' ' ' | sed 's/ $//')"

# Every paper once over the books, as in the one-book run (counted in the
# nav, which lists papers for books this small).
dconv -q --to epub "$SEEDS" -o "$TMP/all.epub"
check_book "$TMP/all.epub"
total=0
for b in "$TMP"/month/*.epub; do
  check_book "$b"
  n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nav_papers"])' "$b.json")
  total=$((total + n))
done
expect_eq "split=month: the books hold every paper once" \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nav_papers"])' "$TMP/all.epub.json")" "$total"

# A failed run leaves nothing: an unreadable cover fails the first book.
mkdir "$TMP/fail"
dconv -q --to epub -O split=day -O cover="$TMP/nowhere.png" "$SEEDS" -o "$TMP/fail/" 2>/dev/null
check "a failed split run exits non-zero" test $? -ne 0
expect_eq "and leaves no part behind" "" "$(ls -A "$TMP/fail")"

epubcheck_all "$TMP"/month/*.epub "$TMP"/week/week-of-2024-04-29.epub
finish
