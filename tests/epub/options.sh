#!/bin/sh
# epub-options: -O lang/title/author/series/cover, and refusals of bad values.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3
need_epubcheck
seed=$SEEDS/001_019702c5b4d4f474.txt

# A tiny JPEG (16x24, from cjpeg), so the test needs no image tools.
python3 - "$TMP/cover.jpg" <<'PY'
import base64, sys
open(sys.argv[1], "wb").write(base64.b64decode("""
/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcU
FhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgo
KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAYABADASIA
AhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQA
AAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3
ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWm
p6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEA
AwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSEx
BhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElK
U1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3
uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwBLZra1
tB9liibSg251gKCAW8owySCJ0jwGAUCSeRsdvnJpjws1lHHKUWJ28pXd0+zi4j5TaXEduN6hhlI5
TgOeuKkudrXqvdAmVvmAOY5zbSkj91vV5htckDyoIwPmIIC1JGksd/JCyzPq8kZil8lHWZpIwpic
kGS4wy7eHkhBUKOMnA7x1esn+n9eV2xbLkhu+vl/X4b9SK2a2tbQfZYom0oNudYCggFvKMMkgidI
8BgFAknkbHb5yaY8LNZRxylFidvKV3dPs4uI+U2lxHbjeoYZSOU4DnriiiknZSn1V/wukUlajzLd
u3y3P//Z"""))
PY

# Defaults: generated PNG cover, author and series "Daily Papers", ko.
dconv --to epub "$seed" -o "$TMP/default.epub" || fail "default"
check_book "$TMP/default.epub" --lang ko
expect_eq "default cover is a generated PNG" images/cover.png \
  "$(json_field "$TMP/default.epub" cover)"
expect_eq "default creator" "Daily Papers" "$(json_field "$TMP/default.epub" creator)"
expect_eq "default series" "Daily Papers" "$(json_field "$TMP/default.epub" series)"
python3 -c 'import sys,zipfile; open(sys.argv[2],"wb").write(zipfile.ZipFile(sys.argv[1]).read("EPUB/images/cover.png"))' \
  "$TMP/default.epub" "$TMP/cover.png"
# The generated cover decodes with an independent reader (Python's zlib,
# not the libdeflate that wrote it): signature, chunk CRCs, IHDR 1200x1800
# 4-bit grey (e-ink shows 16 levels), one IDAT holding every row (filter
# byte + two pixels a byte), IEND; the
# page is its dark grey, and the title band holds light type (a cover drawn
# without its text, or with a broken font, would be flat).
python3 - "$TMP/cover.png" <<'PY' || fail "generated cover is a valid PNG with its type drawn"
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "signature"
i, chunks = 8, []
while i < len(d):
    n, = struct.unpack(">I", d[i:i + 4])
    t, body = d[i + 4:i + 8], d[i + 8:i + 8 + n]
    crc, = struct.unpack(">I", d[i + 8 + n:i + 12 + n])
    assert crc == zlib.crc32(t + body), "CRC of %r" % t
    chunks.append((t, body))
    i += 12 + n
assert [t for t, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"], [t for t, _ in chunks]
w, h, depth, colour, comp, filt, lace = struct.unpack(">IIBBBBB", chunks[0][1])
assert (w, h, depth, colour, comp, filt, lace) == (1200, 1800, 4, 0, 0, 0, 0)
raw = zlib.decompress(chunks[1][1])
row = w // 2 + 1
assert len(raw) == h * row, len(raw)
rows = [raw[y * row:(y + 1) * row] for y in range(h)]
assert all(r[0] == 0 for r in rows), "filter None on every row"
# grey levels 0..15 of each row, two a byte, the left one high
px = [[v for b in r[1:] for v in (b >> 4, b & 15)] for r in rows]
assert px[10] == [px[10][0]] * w, "a flat page at the top"
assert px[10][0] == 3, "dark grey page: level %d" % px[10][0]
band = [v for r in px[360:470] for v in r]
assert max(band) == 15 and band.count(15) > 2000, "white title type"
PY

title='Weekly <Reading> & "Notes" ]]>'
dconv --to epub -O lang=en -O "title=$title" -O "author=Kim & Lee" \
  -O "series=ML <digest>" -O "cover=$TMP/cover.jpg" "$seed" -o "$TMP/opts.epub" ||
  fail "with options"
check_book "$TMP/opts.epub" --lang en --title "$title"
expect_eq "-O author" "Kim & Lee" "$(json_field "$TMP/opts.epub" creator)"
expect_eq "-O series" "ML <digest>" "$(json_field "$TMP/opts.epub" series)"
expect_eq "-O cover=JPEG" images/cover.jpg "$(json_field "$TMP/opts.epub" cover)"
# the cover page: an SVG wrapper sized from the image header (16x24 JPEG,
# 1200x1800 generated), so it fits the screen in calibre's output too
for b in "opts.epub:0 0 16 24" "default.epub:0 0 1200 1800"; do
  got=$(python3 -c 'import re,sys,zipfile; print(re.search(r"viewBox=\"([^\"]*)\"", zipfile.ZipFile(sys.argv[1]).read("EPUB/cover.xhtml").decode()).group(1))' "$TMP/${b%%:*}")
  expect_eq "cover page viewBox of ${b%%:*}" "${b#*:}" "$got"
done
python3 - "$TMP/opts.epub" "$TMP/cover.jpg" <<'PY' || fail "JPEG cover copied unchanged"
import sys, zipfile
assert zipfile.ZipFile(sys.argv[1]).read("EPUB/images/cover.jpg") == open(sys.argv[2], "rb").read()
PY

dconv --to epub -O "cover=$TMP/cover.png" -O author= -O series= "$seed" \
  -o "$TMP/png.epub" || fail "PNG cover, no author, no series"
check_book "$TMP/png.epub" --series ""
expect_eq "-O cover=PNG" images/cover.png "$(json_field "$TMP/png.epub" cover)"
expect_eq "-O author= drops dc:creator" None "$(json_field "$TMP/png.epub" creator)"
expect_eq "-O series= drops the series" None "$(json_field "$TMP/png.epub" series)"

# Labels in the book's language, -O labels= overriding; the title page,
# one line per fact (written by hand: the corpus has 1,422 papers, 298 days).
labels() { # BOOK: the toc heading and the title page lines, '|'-separated
  python3 - "$1" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
h = re.search(r"<nav[^>]*toc[^>]*><h1[^>]*>([^<]*)<", z.read("EPUB/nav.xhtml").decode()).group(1)
t = re.findall(r"<(?:h1|p)[^>]*>([^<]*)</", z.read("EPUB/title.xhtml").decode())
print("|".join([h] + t))
PY
}
dconv -q --to epub "$CORPUS" -o "$TMP/corpus-ko.epub" || fail "corpus, ko"
dconv -q --to epub -O labels=en "$CORPUS" -o "$TMP/corpus-en.epub" || fail "corpus, labels=en"
dconv -q --to epub -O lang=en -O author=Kim "$seed" -o "$TMP/en.epub" || fail "lang=en"
dconv -q --to epub -O lang=en -O labels=ko "$seed" -o "$TMP/en-ko.epub" || fail "labels=ko"
range="2024-12-16 \342\200\223 2026-02-05"
expect_eq "ko labels for lang=ko" "$(printf "목차|Daily Papers|$range|논문 1,422편|298일")" \
  "$(labels "$TMP/corpus-ko.epub")"
expect_eq "-O labels=en" "$(printf "Contents|Daily Papers|$range|1,422 papers|298 days")" \
  "$(labels "$TMP/corpus-en.epub")"
expect_eq "en labels for lang=en, one paper's day" \
  "Contents|Daily Papers|2024-05-29|8 papers|1 day|Kim" "$(labels "$TMP/en.epub")"
expect_eq "-O labels=ko with lang=en" "목차|Daily Papers|2024-05-29|논문 8편|1일" \
  "$(labels "$TMP/en-ko.epub")"

# Refusals: a clear error, a non-zero exit and no output file.
echo "not an image" >"$TMP/bad.png"
for opt in "cover=$TMP/bad.png" "lang=not a language" "lang=" \
  "cover=$TMP/missing.png" "kobo=maybe" "labels=fr" "toc=all"; do
  rm -f "$TMP/bad.epub"
  if dconv -q --to epub -O "$opt" "$seed" -o "$TMP/bad.epub" 2>"$TMP/err"; then
    fail "-O $opt accepted"
  else
    check "-O $opt refused with a message" test -s "$TMP/err"
    check "-O $opt leaves no output" test ! -e "$TMP/bad.epub"
  fi
done

# Titles show simple inline TeX as Unicode in the heading, the day's list
# and the nav; a lone '$' is a dollar. Expected text written by hand.
printf '## Daily Papers (2024-03-27)\n\n### [M$^{2}$UGen: $\\sim$20 $\\times$ faster](https://arxiv.org/abs/2403.00002)\n\n### [Earn $1 Million](https://arxiv.org/abs/2403.00003)\n' >"$TMP/tex.md"
dconv -q --to epub "$TMP/tex.md" -o "$TMP/tex.epub"
day=$(unzip -p "$TMP/tex.epub" EPUB/day-2024-03-27.xhtml)
nav=$(unzip -p "$TMP/tex.epub" EPUB/nav.xhtml)
expect_eq "TeX title: heading and day list in Unicode" 2 \
  "$(printf '%s' "$day" | grep -o 'M²UGen: ∼20 × faster' | wc -l)"
expect_eq "TeX title: nav in Unicode" 1 "$(printf '%s' "$nav" | grep -c 'M²UGen: ∼20 × faster')"
check "a lone \$ stays a dollar" sh -c "printf '%s' \"\$1\" | grep -q 'Earn \\\$1 Million'" _ "$day"

epubcheck_all "$TMP/default.epub" "$TMP/opts.epub" "$TMP/png.epub" \
  "$TMP/corpus-ko.epub" "$TMP/en-ko.epub" "$TMP/tex.epub"
finish
