#!/bin/sh
# epub-calibre: calibre converts the book to AZW3 (the Kindle path) and
# reads its metadata. One conversion only: calibre is slow to start.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need ebook-convert ebook-meta python3

# calibre's Qt WebEngine refuses to run as root inside its sandbox.
if [ "$(id -u)" -eq 0 ]; then
  export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:-} --no-sandbox"
  export QTWEBENGINE_DISABLE_SANDBOX=1
fi
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
export CALIBRE_CONFIG_DIRECTORY=$TMP/calibre-config
export HOME=$TMP

# The seeds plus a day whose paper title calibre's chapter detection
# (h1/h2 holding "Part", "Book", "Chapter") would take for a chapter.
cat >"$TMP/2024-06-01.md" <<'EOF'
## Daily Papers (2024-06-01)

### [Part of the Whole: a Book of Chapter Tricks](https://arxiv.org/abs/2406.00001)

Vote: 3

- summary
EOF
book=$TMP/seeds.epub
dconv -q --to epub "$SEEDS" "$TMP/2024-06-01.md" -o "$book" || fail "convert seeds"
if ebook-convert "$book" "$TMP/seeds.azw3" >"$TMP/convert.log" 2>&1; then
  check "ebook-convert made a non-empty AZW3" test -s "$TMP/seeds.azw3"
else
  fail "ebook-convert seeds.epub seeds.azw3"
  tail -30 "$TMP/convert.log" >&2
fi

if grep -q "Detected chapter.*Part of the Whole" "$TMP/convert.log"; then
  fail "calibre detects a paper title as a chapter"
else
  pass "no paper title detected as a chapter"
fi

# What a Kindle reader pages through: calibre's AZW3 read back as EPUB;
# no document before the first paper holds the table of contents.
if ebook-convert "$TMP/seeds.azw3" "$TMP/back.epub" >"$TMP/back.log" 2>&1; then
  got=$(python3 - "$TMP/back.epub" <<'PY'
import posixpath, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
opf = [n for n in z.namelist() if n.endswith(".opf")][0]
t = z.read(opf).decode()
items = {}
for tag in re.findall(r"<item [^>]*>", t):
    items[re.search(r'\bid="([^"]+)"', tag).group(1)] = re.search(r'href="([^"]+)"', tag).group(1)
before = []
for idref in re.findall(r'<itemref [^>]*idref="([^"]+)"', t):
    text = re.sub(r"<[^>]+>", " ", z.read(posixpath.join(posixpath.dirname(opf), items[idref])).decode())
    if "\ubaa9\ucc28" in text:  # the toc heading
        before.append(text)
        break
    if "Sherpa3D" in text:  # the first paper of the first day
        break
    before.append(text)
print("toc before the first paper" if any("\ubaa9\ucc28" in x for x in before)
      else "%d documents before the first paper" % len(before))
PY
)
  # calibre's own cover wrapper, the book's cover page, its title page
  expect_eq "AZW3: nothing but cover and title page before the first paper" \
    "3 documents before the first paper" "$got"
else
  fail "ebook-convert seeds.azw3 back.epub"
fi

want="Daily Papers 2023-12-12 – 2024-06-01"
for f in "$book" "$TMP/seeds.azw3"; do
  [ -s "$f" ] || continue
  meta=$(ebook-meta "$f" 2>&1)
  title=$(printf '%s\n' "$meta" | sed -n 's/^Title *: //p')
  expect_eq "ebook-meta title of $(basename "$f")" "$want" "$title"
  case $f in
  *.epub)
    # no series index of our own: calibre shows #1, not #20231212
    if printf '%s\n' "$meta" | grep -q '^Series *: Daily Papers #1$'; then
      pass "ebook-meta reads the series, index 1"
    else
      fail "ebook-meta series: $meta"
    fi
    if printf '%s\n' "$meta" | grep -q '^Languages *: kor'; then
      pass "ebook-meta reads the language"
    else
      fail "ebook-meta language: $meta"
    fi
    ;;
  esac
done
finish
