#!/bin/sh
# epub-corpus: the whole real corpus (298 digests, 1422 papers) as one book:
# epubcheck-clean, every paper in nav and NCX with -O toc=papers, titles and
# authors intact; by default (over 1,000 papers) a days-only toc.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3
need_epubcheck

out=$TMP/corpus.epub
start=$(date +%s%N)
if dconv --to epub -O toc=papers "$CORPUS" -o "$out"; then
  end=$(date +%s%N)
  echo "corpus converted in $(((end - start) / 1000000)) ms"
  dconv --to json "$CORPUS" >"$TMP/corpus.json"
  read -r days papers <<EOF
$(count_input "$CORPUS")
EOF
  check_book "$out" --expect-days "$days" --expect-papers "$papers" \
    --tree "$TMP/corpus.json"
  dconv -q --to epub "$CORPUS" -o "$TMP/days.epub" || fail "convert, default toc"
  check_book "$TMP/days.epub" --expect-days "$days" --expect-papers "$papers" \
    --toc days
  # The corpus runs from 2024-12-16 to 2026-02-05: 2024 holds one month,
  # so December 2024 stands for it; 2025 holds 12 months; 2026 two.
  # Counts by hand from the file names (tests/corpus/real) and their papers.
  shape=$(python3 - "$TMP/days.epub" <<'PY'
import sys, zipfile
import xml.etree.ElementTree as ET
X = "{http://www.w3.org/1999/xhtml}"
nav = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("EPUB/nav.xhtml"))
top = nav.find(".//" + X + "nav/" + X + "ol")
lab = lambda li: "".join(li.find(X + "a").itertext())
kids = lambda li: li.findall(X + "ol/" + X + "li")
tops = top.findall(X + "li")
print(" | ".join(lab(li) for li in tops))
print(lab(kids(tops[0])[0]), len(kids(tops[1])), lab(kids(tops[1])[0]),
      lab(kids(kids(tops[1])[0])[0]), kids(tops[1])[0].find(X + "a").get("href"))
PY
)
  expect_eq "toc: year and month groups, one month standing for 2024" \
    "2024년 12월 (39) | 2025년 (1,255) | 2026년 (128)
2024-12-16 (1) 12 2025년 1월 (102) 2025-01-02 (2) day-2025-01-02.xhtml" "$shape"
  expect_eq "NCX depth of the default (days) toc: year, month, day" 3 \
    "$(json_field "$TMP/days.epub" nav_depth)"
  expect_eq "NCX depth with toc=papers: year, month, day, paper" 4 \
    "$(json_field "$out" nav_depth)"
  epubcheck_all "$out" "$TMP/days.epub"
else
  fail "convert the corpus"
fi
finish
