#!/bin/sh
# epub-toc: the table of contents by year -> month -> day -> paper, with the
# levels that hold one entry left out, and a paper seen again on a later day
# printed as its title linked to the first appearance. Six hand-written
# digests over two years; every expectation below is written out by hand:
#
#   2023-12-30  A B              2023 has one month of one day
#   2024-01-05  C A(again)       January 2024: two days
#   2024-01-09  D B(again)
#   2024-02-01  E N              February 2024: two days; N and N' have no
#   2024-02-02  N' F               arXiv id and the same title: never merged
#   2024-03-15  G                March 2024: one day
#
# Catches: a flat toc, a group of one entry, a year kept in a one-year book,
# a wrong NCX depth, groups that link nowhere or in the wrong language, a
# repeat printed in full (or linked forward, or to itself), papers without
# an id merged, a split book linking to a paper of another book.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3 unzip
need_epubcheck

python3 - "$TMP/in" <<'PY'
import os, sys
d = sys.argv[1]
os.makedirs(d)
def paper(title, url, summary, vote=3):
    return ("### [%s](%s)\n\nVote: %d\n\nAuthors: Ann Author, Bo Writer\n\n- %s\n"
            % (title, url, vote, summary))
A = ("Paper A", "https://arxiv.org/abs/2312.00001", "요약 A 한 번만.")
B = ("Paper B", "https://arxiv.org/abs/2312.00002", "요약 B 한 번만.")
N = ("No Id Paper", "https://example.org/no-id", "요약 N 두 번.")
days = {
    "2023-12-30": [A, B],
    "2024-01-05": [("Paper C", "https://arxiv.org/abs/2401.00003", "요약 C."), A],
    "2024-01-09": [("Paper D", "https://arxiv.org/abs/2401.00004", "요약 D."), B],
    "2024-02-01": [("Paper E", "https://arxiv.org/abs/2402.00005", "요약 E."), N],
    "2024-02-02": [N, ("Paper F", "https://arxiv.org/abs/2402.00006", "요약 F.")],
    "2024-03-15": [("Paper G", "https://arxiv.org/abs/2403.00007", "요약 G.")],
}
for date, papers in days.items():
    with open(os.path.join(d, date + ".md"), "w", encoding="utf-8") as f:
        f.write("## Daily Papers (%s)\n\n" % date + "\n".join(paper(*p) for p in papers))
PY
IN=$TMP/in

# shape BOOK: the toc as indented "label -> target" lines (nav), then the
# NCX's dtb:depth and whether the NCX nests the same way (check_epub.py
# compares the two trees; this prints the nav for the expectations).
shape() {
  python3 - "$1" <<'PY'
import sys, zipfile
import xml.etree.ElementTree as ET
X = "{http://www.w3.org/1999/xhtml}"
N = "{http://www.daisy.org/z3986/2005/ncx/}"
z = zipfile.ZipFile(sys.argv[1])
nav = ET.fromstring(z.read("EPUB/nav.xhtml"))
def walk(ol, depth):
    for li in ol.findall(X + "li"):
        a = li.find(X + "a")
        print("  " * depth + "".join(a.itertext()) + " -> " + a.get("href"))
        sub = li.find(X + "ol")
        if sub is not None:
            walk(sub, depth + 1)
walk(nav.find(X + "body/" + X + "nav/" + X + "ol"), 0)
ncx = ET.fromstring(z.read("EPUB/toc.ncx"))
print("depth", [m.get("content") for m in ncx.iter(N + "meta")
                if m.get("name") == "dtb:depth"][0])
PY
}

dconv -q --to epub -O toc=papers "$IN" -o "$TMP/all.epub" || fail "convert"
check_book "$TMP/all.epub" --expect-days 6 --expect-papers 11
expect_eq "two years: 2023 (one day) stands as its day, 2024 by month, March (one day) as its day; NCX depth 4" \
"2023-12-30 (2) -> day-2023-12-30.xhtml
  Paper A -> day-2023-12-30.xhtml#arxiv-2312.00001
  Paper B -> day-2023-12-30.xhtml#arxiv-2312.00002
2024년 (9) -> day-2024-01-05.xhtml
  2024년 1월 (4) -> day-2024-01-05.xhtml
    2024-01-05 (2) -> day-2024-01-05.xhtml
      Paper C -> day-2024-01-05.xhtml#arxiv-2401.00003
      Paper A -> day-2024-01-05.xhtml#arxiv-2312.00001-2
    2024-01-09 (2) -> day-2024-01-09.xhtml
      Paper D -> day-2024-01-09.xhtml#arxiv-2401.00004
      Paper B -> day-2024-01-09.xhtml#arxiv-2312.00002-2
  2024년 2월 (4) -> day-2024-02-01.xhtml
    2024-02-01 (2) -> day-2024-02-01.xhtml
      Paper E -> day-2024-02-01.xhtml#arxiv-2402.00005
      No Id Paper -> day-2024-02-01.xhtml#paper-8
    2024-02-02 (2) -> day-2024-02-02.xhtml
      No Id Paper -> day-2024-02-02.xhtml#paper-9
      Paper F -> day-2024-02-02.xhtml#arxiv-2402.00006
  2024-03-15 (1) -> day-2024-03-15.xhtml
    Paper G -> day-2024-03-15.xhtml#arxiv-2403.00007
depth 4" "$(shape "$TMP/all.epub")"

dconv -q --to epub -O toc=days "$IN" -o "$TMP/days.epub" || fail "convert, toc=days"
check_book "$TMP/days.epub" --expect-days 6 --expect-papers 11 --toc days
expect_eq "toc=days drops the paper level only" \
"2023-12-30 (2) -> day-2023-12-30.xhtml
2024년 (9) -> day-2024-01-05.xhtml
  2024년 1월 (4) -> day-2024-01-05.xhtml
    2024-01-05 (2) -> day-2024-01-05.xhtml
    2024-01-09 (2) -> day-2024-01-09.xhtml
  2024년 2월 (4) -> day-2024-02-01.xhtml
    2024-02-01 (2) -> day-2024-02-01.xhtml
    2024-02-02 (2) -> day-2024-02-02.xhtml
  2024-03-15 (1) -> day-2024-03-15.xhtml
depth 3" "$(shape "$TMP/days.epub")"

# A book of one year has no year level; with English labels.
dconv -q --to epub -O toc=days -O lang=en "$IN"/2024-* -o "$TMP/year.epub" ||
  fail "convert one year"
check_book "$TMP/year.epub" --expect-days 5 --lang en
expect_eq "one year: months at the top, English month names" \
"January 2024 (4) -> day-2024-01-05.xhtml
  2024-01-05 (2) -> day-2024-01-05.xhtml
  2024-01-09 (2) -> day-2024-01-09.xhtml
February 2024 (4) -> day-2024-02-01.xhtml
  2024-02-01 (2) -> day-2024-02-01.xhtml
  2024-02-02 (2) -> day-2024-02-02.xhtml
2024-03-15 (1) -> day-2024-03-15.xhtml
depth 2" "$(shape "$TMP/year.epub")"
expect_eq "two years, English: the year label" "2024 (9) -> day-2024-01-05.xhtml" \
  "$(dconv -q --to epub -O toc=days -O labels=en "$IN" -o "$TMP/en.epub" &&
     shape "$TMP/en.epub" | sed -n 2p)"

# A book of one month has no year or month level.
dconv -q --to epub -O toc=days "$IN"/2024-01-* -o "$TMP/month.epub" ||
  fail "convert one month"
check_book "$TMP/month.epub" --expect-days 2
expect_eq "one month: days at the top, NCX depth 1" \
"2024-01-05 (2) -> day-2024-01-05.xhtml
2024-01-09 (2) -> day-2024-01-09.xhtml
depth 1" "$(shape "$TMP/month.epub")"

# The repeats: A and B on a later day are their title and a "see DATE"
# line linked to the first appearance; their summaries are printed once;
# the day's list links them there too; N and N' (no id) are both in full.
# repeats BOOK: per day file, its paper sections as "id class: links | text".
repeats() {
  python3 - "$1" <<'PY'
import sys, zipfile
import xml.etree.ElementTree as ET
X = "{http://www.w3.org/1999/xhtml}"
z = zipfile.ZipFile(sys.argv[1])
for name in sorted(n for n in z.namelist() if n.startswith("EPUB/day-")):
    doc = ET.fromstring(z.read(name))
    lst = [a.get("href") for ol in doc.iter(X + "ol") if ol.get("class") == "daytoc"
           for a in ol.iter(X + "a")]
    print(name[5:], "list:", " ".join(lst))
    for sec in doc.iter(X + "section"):
        if "repeat" in sec.get("class"):
            print("  %s repeat: %s | %s" % (sec.get("id"),
                  " ".join(a.get("href") for a in sec.iter(X + "a")),
                  " / ".join("".join(e.itertext()) for e in sec)))
PY
}
expect_eq "repeats: title and 'see DATE' linked to the first day; the day lists link there" \
"day-2023-12-30.xhtml list: #arxiv-2312.00001 #arxiv-2312.00002
day-2024-01-05.xhtml list: #arxiv-2401.00003 day-2023-12-30.xhtml#arxiv-2312.00001
  arxiv-2312.00001-2 repeat: day-2023-12-30.xhtml#arxiv-2312.00001 day-2023-12-30.xhtml#arxiv-2312.00001 | Paper A / 2023-12-30 참조
day-2024-01-09.xhtml list: #arxiv-2401.00004 day-2023-12-30.xhtml#arxiv-2312.00002
  arxiv-2312.00002-2 repeat: day-2023-12-30.xhtml#arxiv-2312.00002 day-2023-12-30.xhtml#arxiv-2312.00002 | Paper B / 2023-12-30 참조
day-2024-02-01.xhtml list: #arxiv-2402.00005 #paper-8
day-2024-02-02.xhtml list: #paper-9 #arxiv-2402.00006
day-2024-03-15.xhtml list: #arxiv-2403.00007" "$(repeats "$TMP/all.epub")"
count() { # BOOK TEXT: how many times TEXT is in the book's day files
  for f in $(unzip -Z1 "$1" 'EPUB/day-*'); do unzip -p "$1" "$f"; done |
    grep -o "$2" | wc -l | tr -d ' '
}
expect_eq "a repeated paper's summary is printed once" "1 1" \
  "$(count "$TMP/all.epub" '요약 A') $(count "$TMP/all.epub" '요약 B')"
expect_eq "papers without an arXiv id are never merged" 2 \
  "$(count "$TMP/all.epub" '요약 N')"
expect_eq "English: 'see DATE'" "see 2023-12-30" \
  "$(unzip -p "$TMP/en.epub" EPUB/day-2024-01-05.xhtml |
     sed -n 's|.*<p class="repeat"[^>]*><a [^>]*>\([^<]*\)</a>.*|\1|p')"

dconv -q --to kepub "$IN" -o "$TMP/all.kepub.epub" || fail "convert to kepub"
check_book "$TMP/all.kepub.epub" --kobo --expect-days 6 --expect-papers 11

# split=month: January's book cannot link into December's, so A and B are
# printed in full there; February and March have no repeats either.
dconv -q --to epub -O split=month "$IN" -o "$TMP/split/" || fail "split"
check_book "$TMP/split/2024-01.epub" --expect-days 2 --expect-papers 4
expect_eq "split: a paper first seen in another book is printed in full" \
  "0 1 1" "$(json_field "$TMP/split/2024-01.epub" repeats) \
$(count "$TMP/split/2024-01.epub" '요약 A') $(count "$TMP/split/2024-01.epub" '요약 B')"

epubcheck_all "$TMP/all.epub" "$TMP/days.epub" "$TMP/year.epub" \
  "$TMP/month.epub" "$TMP/en.epub" "$TMP/all.kepub.epub" \
  "$TMP/split/2024-01.epub"
finish
