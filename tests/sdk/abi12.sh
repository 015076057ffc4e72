#!/bin/bash
# sdk-abi12 PLUGDIR: ABI 1.2's zip entries in pieces (entry_open, write,
# entry_close) through tests/sdk/plugins/tp12.c's "tp-pieces", checked with
# zip -T, unzip -t, check_zip.py (layout, data descriptors) and Python's
# zipfile against contents written here by hand: a small entry comes out as
# add_entry would make it (no data descriptor), one past 16 MiB streams
# with a data descriptor, an entry left open is closed by the host, a
# failure inside an entry leaves nothing and keeps the old file, and the
# host refuses add_entry, part_open and a second entry_open meanwhile.
. "$SRCDIR/tests/lib.sh"
need python3 zip unzip
PLUGDIR=$1
export XDG_DATA_HOME=$TMP/xdg HOME=$TMP SOURCE_DATE_EPOCH=1700000000
mkdir -p "$TMP/p"
chmod 755 "$TMP/p"
cp "$PLUGDIR/tp-pieces.so" "$TMP/p/"
export DCONV_PLUGIN_PATH=$TMP/p
ZIPCHECK=$SRCDIR/tests/zip/check_zip.py

# contents ARCHIVE MIB: titles.txt holds the seed's titles (from the
# digest, by sed, not from dconv) and big.bin MIB MiB of the alphabet.
sed -n 's/^### \[\(.*\)\](.*$/\1/p' "$SEEDS/000_16b3e9fdefacf7be.txt" >"$TMP/titles"
contents() {
  python3 - "$1" "$2" "$TMP/titles" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
mib = int(sys.argv[2])
titles = open(sys.argv[3], "rb").read()
want = bytes(ord("a") + k % 26 for k in range(26)) * ((mib << 20) // 26 + 1)
ok = [i.filename for i in z.infolist()] == ["titles.txt", "big.bin"]
ok = ok and z.read("titles.txt") == titles and z.read("big.bin") == want[:mib << 20]
sys.exit(0 if ok else 1)
PY
}

check "the titles were found in the seed" test "$(wc -l <"$TMP/titles")" -ge 5
check "small entries: converts" dconv --to tp-pieces -q -o "$TMP/small.zip" "$SEEDS/000_16b3e9fdefacf7be.txt"
check "small entries: zip -T" zip -T "$TMP/small.zip"
check "small entries: unzip -t" unzip -tq "$TMP/small.zip"
check "small entries: no data descriptor (check_zip.py)" python3 "$ZIPCHECK" "$TMP/small.zip" --entries 2
check "small entries: contents" contents "$TMP/small.zip" 1

check "a 20 MiB entry: converts" dconv --to tp-pieces -q -O mb=20 -o "$TMP/big.zip" "$SEEDS/000_16b3e9fdefacf7be.txt"
check "a 20 MiB entry: zip -T" zip -T "$TMP/big.zip"
check "a 20 MiB entry: unzip -t" unzip -tq "$TMP/big.zip"
check "a 20 MiB entry: streamed, with a data descriptor (check_zip.py)" \
  python3 "$ZIPCHECK" "$TMP/big.zip" --entries 2 --descriptor big.bin
check "a 20 MiB entry: contents" contents "$TMP/big.zip" 20

check "an entry left open: the host closes it" dconv --to tp-pieces -q -O mb=18 -O close=false -o "$TMP/open.zip" "$SEEDS/000_16b3e9fdefacf7be.txt"
check "an entry left open: layout" python3 "$ZIPCHECK" "$TMP/open.zip" --entries 2 --descriptor big.bin
check "an entry left open: contents" contents "$TMP/open.zip" 18

echo old >"$TMP/keep.zip"
dconv --to tp-pieces -q -O mb=20 -O fail=true -o "$TMP/keep.zip" "$SEEDS/000_16b3e9fdefacf7be.txt" 2>"$TMP/err"
expect_eq "failing inside an entry: exit 4" 4 $?
expect_eq "failing inside an entry: the old file is kept" old "$(cat "$TMP/keep.zip")"
check "failing inside an entry: its message" \
  grep -q "^dconv: tp-pieces: error: deliberate failure in an entry$" "$TMP/err"
expect_eq "failing inside an entry: no temporary left" "keep.zip" \
  "$(cd "$TMP" && ls -a | grep -v '^\.*$' | grep 'keep')"
finish
