#!/bin/sh
# epub-adversarial: hostile titles, authors and summaries still make an
# epubcheck-clean book in which markup-looking text stays text: HTML/XML
# specials, "]]>", quotes, raw HTML blocks, invalid UTF-8 (U+FFFD from the
# core), odd URLs, deep and mixed lists, duplicate arXiv ids, a 1 MiB title.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3
need_epubcheck

python3 - "$TMP" <<'PY'
import os, sys
d = sys.argv[1]
# Brackets are escaped for Markdown; the core's title then holds "]]>".
evil = ('<script>alert("x")</script> & \\]\\]> \'apos\' "dq" <b>bold</b> '
        '&amp; <!-- c --> <!\\[CDATA\\[x\\]\\]>')
doc = []
doc.append("## Daily Papers (2024-03-27)\n")
doc.append("### [%s](https://arxiv.org/abs/2403.00001)\n" % evil)
doc.append("![](https://example.com/thumb.png?a=1&b=<2>)\n")
doc.append("Vote: 5\n")
doc.append('Authors: <img src=x onerror=alert(1)>, A & B, ]]>, "Quote" O\'Neil, +, Last <Author>\n')
doc.append("- text <video src=\"x\"></video> with **bold** *emph* `code <tag> & ]]>` "
           "[link](https://example.com/a%20b?x=1&y=2#frag) [js](javascript:alert(1)) "
           "[rel](foo.html) [frag](#x) [sp](<https://example.com/a b>)")
# nested lists, deeper than the parser's cap of 16, then mixed kinds
for i in range(1, 20):
    doc.append("  " * i + "- level %d & <deep>" % i)
doc.append("- back to top")
doc.append("  1. ordered one")
doc.append("  2. ordered two")
doc.append("     - nested bullet")
doc.append("- last\n")
doc.append('<div><video controls src="https://example.com/v.mp4"></video></div>\n')
# the same arXiv id again, and a paper without an arXiv link
doc.append("### [Duplicate id](https://arxiv.org/abs/2403.00001)\n")
doc.append("Vote: 1\n")
doc.append("Authors: Same Id\n")
doc.append("- again\n")
doc.append("### [No arXiv link](https://example.org/paper)\n")
doc.append("Authors: +\n")
doc.append("- 요약입니다. 두 번째 문장입니다! 세 번째?\n")
with open(os.path.join(d, "evil.md"), "w", encoding="utf-8") as f:
    f.write("\n".join(doc) + "\n")

# invalid UTF-8 in title, authors and summary (bytes, not text)
raw = (b"## Daily Papers (2024-03-28)\n\n"
       b"### [Bad \xff\xfe bytes \xc3\x28 \xed\xa0\x80 end](https://arxiv.org/abs/2403.00002)\n\n"
       b"Vote: 2\n\nAuthors: Bad \xe2\x82 Name, \xf0\x9f\x98\x80 Emoji\n\n"
       b"- summary \xc0\xaf overlong \xef\xbf\xbe nonchar\n")
with open(os.path.join(d, "bytes.md"), "wb") as f:
    f.write(raw)

# a digest without papers
with open(os.path.join(d, "empty.md"), "w", encoding="utf-8") as f:
    f.write("## Daily Papers (2024-03-30)\n\n")

# a 1 MiB title
big = ("A&<]]>" + "x" * 58) * (1 << 14)
with open(os.path.join(d, "big.md"), "w", encoding="utf-8") as f:
    f.write("## Daily Papers (2024-03-29)\n\n### [%s](https://arxiv.org/abs/2403.00003)\n\n"
            "Vote: 3\n\nAuthors: %s\n\n- big\n" % (big, "N" * 100000))
PY

for name in evil bytes big; do
  out=$TMP/$name.epub
  if dconv -q --to epub "$TMP/$name.md" -o "$out" 2>"$TMP/$name.err"; then
    dconv -q --to json "$TMP/$name.md" >"$TMP/$name.json" 2>/dev/null
    check_book "$out" --tree "$TMP/$name.json"
  else
    fail "convert $name"
    cat "$TMP/$name.err" >&2
  fi
done
dconv -q --to epub "$TMP/empty.md" -o "$TMP/empty.epub" 2>/dev/null ||
  fail "convert a digest without papers"
check_book "$TMP/empty.epub" --expect-days 1 --expect-papers 0

# All three in one book, and as a KEPUB (sentence spans around hostile text).
out=$TMP/all.epub
dconv -q --to epub "$TMP/evil.md" "$TMP/bytes.md" "$TMP/big.md" -o "$out" 2>/dev/null ||
  fail "convert all"
check_book "$out" --expect-days 3 --expect-papers 5
dconv -q --to kepub "$TMP/evil.md" "$TMP/bytes.md" "$TMP/big.md" \
  -o "$TMP/all.kepub.epub" 2>/dev/null || fail "convert all to kepub"
check_book "$TMP/all.kepub.epub" --kobo --expect-days 3 --expect-papers 5
dconv -q --to kepub "$TMP/evil.md" "$TMP/bytes.md" -o "$TMP/small.kepub.epub" \
  2>/dev/null || fail "convert small to kepub"
check_book "$TMP/small.kepub.epub" --kobo --expect-days 2 --expect-papers 4

# Specific expectations on the hostile digest.
python3 - "$TMP/evil.epub" <<'PY' || fail "hostile digest details"
import re, sys, zipfile
import xml.etree.ElementTree as ET
X = "{http://www.w3.org/1999/xhtml}"
z = zipfile.ZipFile(sys.argv[1])
day = z.read("EPUB/day-2024-03-27.xhtml").decode()
doc = ET.fromstring(day)
errs = []
hrefs = [a.get("href") for a in doc.iter(X + "a")]
for bad in ("javascript:alert(1)", "foo.html", "#x"):
    if bad in hrefs:
        errs.append("unsafe link kept: " + bad)
if "https://example.com/a%20b" not in hrefs:
    errs.append("space in URL not percent-encoded: %r" % hrefs)
if any(e.tag in (X + "video", X + "script", X + "b", X + "img") for e in doc.iter()):
    errs.append("markup from the digest became elements")
ids = [e.get("id") for e in doc.iter() if e.get("id")]
if len(ids) != len(set(ids)) or "arxiv-2403.00001-2" not in ids:
    errs.append("duplicate arXiv ids not made unique: %r" % ids)
# nesting: 16 levels at most below the top list, ordered list inside
depth = max(len(re.findall(r"<(?:ul|ol)", day[:m.start()])) - len(re.findall(r"</(?:ul|ol)>", day[:m.start()]))
            for m in re.finditer(r"level 1[0-9]", day))
if depth != 17:
    errs.append("deepest list nesting %d, expected 17 (top + 16)" % depth)
if "<ol>" not in day and "<ol " not in day:
    errs.append("ordered list lost")
for tag in ("strong", "em", "code"):
    if doc.find(".//" + X + tag) is None:
        errs.append("<%s> lost" % tag)
if "\u2026" not in day or "et al." in day:
    errs.append("elided authors not shown as \u2026")
title = "".join(doc.find(".//" + X + "h3").itertext())
if not title.startswith('<script>alert("x")</script> & ]]> \'apos\'') or "<![CDATA[x]]>" not in title:
    errs.append("title text changed: %r" % title)
# the meta line, written by hand: unknown values left out, never "unknown"
metas = ["".join(p.itertext()) for p in doc.iter(X + "p") if p.get("class") == "meta"]
if metas != ["\u25b2 5 \u00b7 arXiv 2403.00001", "\u25b2 1 \u00b7 arXiv 2403.00001"]:
    errs.append("meta lines %r" % metas)
if "unknown" in day:
    errs.append("'unknown' printed")
if errs:
    sys.exit("\n".join(errs))
PY
pass "hostile digest details"

# U+FFFD where the bytes were invalid; U+FFFE never reaches the book.
python3 - "$TMP/bytes.epub" <<'PY' || fail "invalid UTF-8"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
t = z.read("EPUB/day-2024-03-28.xhtml").decode("utf-8")
assert "\ufffd" in t and "\ufffe" not in t and "\U0001F600" in t, t
PY
pass "invalid UTF-8 became U+FFFD"

# epubcheck: the 1 MiB title costs ~15 s per book, so it is validated once,
# inside all.epub (in parallel with the small books).
# Both run in the background: their verdicts come back through the logs.
EPUBCHECK_CMD=$EPUBCHECK_LONG epubcheck_all "$out" >"$TMP/big.log" 2>&1 &
# Vote counts are grouped by thousands ("1,234,567", the corpus' largest
# are in the thousands): the digits of each, in order, against a list
# written by hand. A grouping that counts from the left, drops a digit or
# puts a comma before a three-digit number fails here.
{
  echo "## Daily Papers (2025-03-10)"
  n=0
  for v in 0 7 999 1000 65536 1234567 1000000000; do
    n=$((n + 1))
    printf '\n### [Votes %s](https://arxiv.org/abs/2503.%05d)\n\nVote: %s\n\nAuthors: A B\n\n- x\n' \
      "$v" "$n" "$v"
  done
} >"$TMP/votes.md"
dconv --to epub "$TMP/votes.md" -o "$TMP/votes.epub" || fail "convert votes"
expect_eq "vote counts grouped by thousands" \
  "0 7 999 1,000 65,536 1,234,567 1,000,000,000" \
  "$(python3 -c 'import re,sys,zipfile
x = zipfile.ZipFile(sys.argv[1]).read("EPUB/day-2025-03-10.xhtml").decode()
print(" ".join(re.findall("\u25b2 ([0-9,]+)", x)))' "$TMP/votes.epub")"

epubcheck_all "$TMP/evil.epub" "$TMP/bytes.epub" "$TMP/small.kepub.epub" \
  "$TMP/empty.epub" "$TMP/votes.epub" \
  >"$TMP/small.log" 2>&1 &
wait
cat "$TMP/big.log" "$TMP/small.log"
if grep -q "^FAIL" "$TMP/big.log" "$TMP/small.log"; then
  fail "epubcheck of the hostile books"
fi
finish
