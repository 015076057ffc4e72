#!/bin/sh
# epub-kepub: the Kobo flavour. `--to kepub` names its output .kepub.epub,
# wraps sentences in koboSpan elements, equals `--to epub -O kobo=true`, and
# is epubcheck-clean (seeds merged, and the whole corpus).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3
need_epubcheck
export SOURCE_DATE_EPOCH=1711497600

# Default output name comes from the variant's extension.
(cd "$TMP" && dconv -q --to kepub "$SEEDS") || fail "convert seeds to kepub"
book=$TMP/daily-papers-2023-12-12_2024-05-29.kepub.epub
check "default name ends in .kepub.epub" test -f "$book"

read -r days papers <<EOF
$(count_input "$SEEDS")
EOF
check_book "$book" --kobo --expect-days "$days" --expect-papers "$papers"
spans=$(json_field "$book" kobo_spans)
check "koboSpan elements present ($spans)" test "$spans" -gt 100

dconv --to epub -O kobo=true "$SEEDS" -o "$TMP/kobo.epub" || fail "-O kobo=true"
check "--to kepub equals --to epub -O kobo=true" cmp -s "$book" "$TMP/kobo.epub"

# Every summary item and title is wrapped; ids are kobo.N.M, numbered from 1
# per file and unique within it.
python3 - "$book" <<'PY' || fail "koboSpan numbering"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if not n.endswith(".xhtml") or "/day-" not in n:
        continue
    t = z.read(n).decode()
    ids = re.findall(r'<span class="koboSpan" id="kobo\.(\d+)\.(\d+)">', t)
    if len(ids) != len(set(ids)):
        sys.exit("duplicate koboSpan ids in " + n)
    if ids[0] != ("1", "1"):
        sys.exit("first koboSpan of %s is %s" % (n, ids[0]))
    for li in re.findall(r"<li>(.*?)</li>", t):
        if li.startswith('<a href="#'):
            li = li[li.index(">") + 1:]  # the day's list of its papers
        if not li.startswith('<span class="koboSpan"'):
            sys.exit("summary item without koboSpan in %s: %s" % (n, li[:80]))
PY
pass "koboSpan numbering"

# kepubify parity: every content file, cover and nav included, has the
# kobostylehacks style block, the book-columns/book-inner wrappers and spans.
python3 - "$book" <<'PY' || fail "kepubify parity"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
files = [n for n in z.namelist() if n.endswith(".xhtml")]
assert "EPUB/cover.xhtml" in files and "EPUB/nav.xhtml" in files, files
for n in files:
    t = z.read(n).decode()
    for want in ('<style type="text/css" class="kobostylehacks">',
                 '<div id="book-columns"><div id="book-inner">',
                 '<span class="koboSpan" id="kobo.1.1">'):
        if want not in t:
            sys.exit("%s lacks %s" % (n, want))
if not re.search(r'<span class="koboSpan" id="kobo\.1\.1"><svg ', z.read("EPUB/cover.xhtml").decode()):
    sys.exit("cover image not in a span of its own")
PY
pass "kepubify parity: style block, wrappers and spans in every file"

# Sentence boundaries, expected by hand: a span ends after '.', '!', '?' or
# U+3002 and the spaces after it; a decimal point, a final '.' and U+3001
# (the same lead byte as U+3002) do not end one. Catches a splitter that
# misses a terminator, splits "3.5" or stops at any 0xE3 byte.
mkdir -p "$TMP/split"
cat >"$TMP/split/2024-01-02.md" <<'MD'
## Daily Papers (2024-01-02)

### [Split Test](https://arxiv.org/abs/2401.00001)

Authors: A. Author

- 첫 문장입니다. 3.5배 빠릅니다!  정말? 하나、 둘。 끝 v1.2.
MD
dconv -q --to kepub "$TMP/split" -o "$TMP/split.kepub.epub" || fail "convert the sentence digest"
python3 - "$TMP/split.kepub.epub" <<'PY' || fail "koboSpan sentence boundaries"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
day = [n for n in z.namelist() if "/day-" in n and n.endswith(".xhtml")]
t = z.read(day[0]).decode()
item = [li for li in re.findall(r"<li>(.*?)</li>", t) if "3.5" in li][0]
got = re.findall(r'<span class="koboSpan" id="kobo\.\d+\.\d+">(.*?)</span>', item)
want = ["첫 문장입니다. ", "3.5배 빠릅니다!  ", "정말? ", "하나、 둘。 ", "끝 v1.2."]
if got != want:
    sys.exit("spans %r, want %r" % (got, want))
PY
pass "koboSpan sentence boundaries"

dconv --to kepub "$CORPUS" -o "$TMP/corpus.kepub.epub" || fail "corpus kepub"
check_book "$TMP/corpus.kepub.epub" --kobo
epubcheck_all "$book" "$TMP/corpus.kepub.epub"
finish
