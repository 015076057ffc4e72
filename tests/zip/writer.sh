#!/bin/bash
# The zip container (core/container.c) on its own: archives written by
# tests/zip/zip_write (stored, deflated, incompressible, empty, 4 MiB,
# UTF-8 names; 70,000 entries for the zip64 end records; entries given in
# pieces, held or streamed with a data descriptor) read back by every
# consumer: zip -T, unzip -t, Python's zipfile and check_zip.py (layout,
# headers, timestamps); each entry's bytes compared with what zip_write was
# given; the same entries give the same bytes; a failing sink is reported.
. "$SRCDIR/tests/lib.sh"
need python3 zip unzip
ZW=${ZIP_WRITE:-$BUILDDIR/tests/zip/zip_write}
HERE=$SRCDIR/tests/zip
export SOURCE_DATE_EPOCH=1700000000 # zip_write's timestamp

# consumers DESC ARCHIVE [check_zip.py options]
consumers() {
  check "$1: zip -T" zip -T "$2"
  check "$1: unzip -t" unzip -tq "$2"
  check "$1: layout (check_zip.py, zipfile)" python3 "$HERE/check_zip.py" "$2" "${@:3}"
}

check "zip_write mixed" ${DCONV_WRAP:-} "$ZW" "$TMP/mixed.zip" mixed
consumers mixed "$TMP/mixed.zip" --epub --entries 6
check "zip_write mixed, again" "$ZW" "$TMP/mixed2.zip" mixed
check "same entries, same bytes" cmp "$TMP/mixed.zip" "$TMP/mixed2.zip"

# Contents and methods, against generators written here again (not read
# back from zip_write): deflated where it shrinks, stored where asked or
# where deflate cannot shrink it.
check "contents and methods" env PYTHONPATH="$HERE" python3 - "$TMP/mixed.zip" <<'PY'
import sys, zipfile
from zip_data import noise, text
want = {
    "mimetype": (b"application/epub+zip", 0),
    "empty": (b"", 0),
    "text.txt": (text(1 << 20), 8),
    "noise.bin": (noise(256 << 10, 1), 0),
    "big.bin": (noise(4 << 20, 2), 0),
    "dir/ünicöde.txt": ("한\n".encode(), 0),
}
z = zipfile.ZipFile(sys.argv[1])
got = [i.filename for i in z.infolist()]
ok = got == list(want)
if not ok:
    print("entries", got, file=sys.stderr)
for info in z.infolist():
    body, method = want.get(info.filename, (None, None))
    if z.read(info) != body or info.compress_type != method:
        print("%s: method %d, %d bytes" % (info.filename, info.compress_type,
              info.file_size), file=sys.stderr)
        ok = False
    if not info.flag_bits & 0x800 and info.filename != info.filename.encode("ascii", "replace").decode():
        print("%s: UTF-8 name without bit 11" % info.filename, file=sys.stderr)
        ok = False
sys.exit(0 if ok else 1)
PY

check "zip_write many" ${DCONV_WRAP:-} "$ZW" "$TMP/many.zip" many
consumers "70,000 entries" "$TMP/many.zip" --entries 70000
expect_eq "70,000 entries: the last one" 69999 "$(unzip -p "$TMP/many.zip" e/69999)"

check "zip_write pieces" ${DCONV_WRAP:-} "$ZW" "$TMP/pieces.zip" pieces
consumers "entries in pieces" "$TMP/pieces.zip" --entries 4 \
  --descriptor big.txt --descriptor big.bin
check "entries in pieces: contents and methods" env PYTHONPATH="$HERE" python3 - "$TMP/pieces.zip" <<'PY'
import sys, zipfile
from zip_data import noise, text
want = {"small.txt": (text(1 << 20), 8, 0),
        "big.txt": (text(24 << 20), 8, 8),
        "big.bin": (noise(17 << 20, 4), 0, 8),
        "after": (b"after\n", 0, 0)}
z = zipfile.ZipFile(sys.argv[1])
ok = [i.filename for i in z.infolist()] == list(want)
for info in z.infolist():
    body, method, bit3 = want[info.filename]
    if z.read(info) != body or info.compress_type != method or \
            info.flag_bits & 8 != bit3:
        print("%s: method %d, flags %#x, %d bytes" % (info.filename,
              info.compress_type, info.flag_bits, info.file_size), file=sys.stderr)
        ok = False
sys.exit(0 if ok else 1)
PY

check "a failing sink: its code from add and finish" ${DCONV_WRAP:-} "$ZW" - fail

# The checker must catch what it names: a data descriptor bit, a local
# header whose CRC differs from the central directory's.
python3 - "$TMP/mixed.zip" "$TMP" <<'PY'
import sys
src, tmp = sys.argv[1:]
d = bytearray(open(src, "rb").read())
bit3 = bytearray(d); bit3[6] |= 8
open(tmp + "/bit3.zip", "wb").write(bit3)
crc = bytearray(d); crc[14] ^= 1
open(tmp + "/crc.zip", "wb").write(crc)
PY
for b in bit3 crc; do
  if python3 "$HERE/check_zip.py" "$TMP/$b.zip" 2>/dev/null; then
    fail "check_zip.py accepts a broken archive ($b)"
  else
    pass "check_zip.py rejects a broken archive ($b)"
  fi
done
finish
