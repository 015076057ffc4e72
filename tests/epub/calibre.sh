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

book=$TMP/seeds.epub
dconv --to epub "$SEEDS" -o "$book" || fail "convert seeds"
if ebook-convert "$book" "$TMP/seeds.azw3" >"$TMP/convert.log" 2>&1; then
  check "ebook-convert made a non-empty AZW3" test -s "$TMP/seeds.azw3"
else
  fail "ebook-convert seeds.epub seeds.azw3"
  tail -30 "$TMP/convert.log" >&2
fi

want="Daily Papers 2023-12-12 – 2024-05-29"
for f in "$book" "$TMP/seeds.azw3"; do
  [ -s "$f" ] || continue
  meta=$(ebook-meta "$f" 2>&1)
  title=$(printf '%s\n' "$meta" | sed -n 's/^Title *: //p')
  expect_eq "ebook-meta title of $(basename "$f")" "$want" "$title"
  case $f in
  *.epub)
    if printf '%s\n' "$meta" | grep -q '^Series *: Daily Papers'; then
      pass "ebook-meta reads the series"
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
