#!/bin/bash
# hostile-env: what the environment and the file system hand dconv besides
# the input text (issue 13): SOURCE_DATE_EPOCH out of range or not a
# number (a usage error, exit 2, not undefined behaviour in the zip date),
# file names that are not UTF-8 or hold escape sequences (valid JSON with
# -O source=true, escaped in diagnostics) and file options naming a device
# or a FIFO (refused at once, exit 2, instead of reading forever).
. "$SRCDIR/tests/lib.sh"
need python3
SEED=$(find "$SEEDS" -maxdepth 1 -type f -name '*.txt' | sort | head -1)

for v in 9223372036854775807 -1 abc 1e9 253402300800 ' 1'; do
  SOURCE_DATE_EPOCH=$v dconv --to epub -o "$TMP/x.epub" "$SEED" 2>"$TMP/err"
  expect_eq "SOURCE_DATE_EPOCH='$v': exit 2" 2 $?
  check "SOURCE_DATE_EPOCH='$v': says what is wrong" \
    grep -q "^dconv: error: SOURCE_DATE_EPOCH='.*' is not a whole number of seconds from 0 to 253402300799$" "$TMP/err"
  check "SOURCE_DATE_EPOCH='$v': nothing written" test ! -e "$TMP/x.epub"
done
# The limits themselves are fine; a date past 2107 is clamped in the zip.
for v in 0 253402300799; do
  SOURCE_DATE_EPOCH=$v dconv --to epub -o "$TMP/x.epub" "$SEED" 2>"$TMP/err"
  expect_eq "SOURCE_DATE_EPOCH=$v: exit 0" 0 $?
  check "SOURCE_DATE_EPOCH=$v: a zip Python reads" python3 -c \
    'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.infolist()[0].date_time)' "$TMP/x.epub"
  rm -f "$TMP/x.epub"
done
expect_eq "SOURCE_DATE_EPOCH=253402300799: zip date clamped to 2107" \
  "(2107, 12, 31, 23, 59, 58)" \
  "$(SOURCE_DATE_EPOCH=253402300799 dconv --to epub -o - "$SEED" 2>/dev/null >"$TMP/y.epub";
     python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).infolist()[0].date_time)' "$TMP/y.epub")"

# A file name with a byte that is not UTF-8 and an escape sequence.
bad=$TMP/$(printf 'bad\377\033[31mname.md')
cp "$SEED" "$bad"
dconv --to json -O source=true "$bad" >"$TMP/s.json" 2>"$TMP/err"
expect_eq "non-UTF-8 file name: exit 0" 0 $?
check "non-UTF-8 file name: -O source=true is valid JSON" python3 -c \
  'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$TMP/s.json"
check "non-UTF-8 file name: the name is there, cleaned" python3 -c \
  'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
f = d["digests"][0]["source"]["file"]
assert f.endswith("bad\ufffd\ufffd[31mname.md"), f' "$TMP/s.json"
# In a diagnostic the bytes are shown escaped, never sent to the terminal.
printf '# not a digest\n' >"$bad"
dconv --check "$bad" 2>"$TMP/err" >/dev/null
expect_eq "control characters in a file name: exit 1" 1 $?
check "control characters in a file name: escaped in diagnostics" \
  grep -qF 'bad\xff\x1b[31mname.md:1: error:' "$TMP/err"
expect_eq "control characters in a file name: no raw ESC on stderr" "" \
  "$(tr -d '\n' <"$TMP/err" | tr -cd '\033\377')"

# File options (-O cover=FILE): a device or a FIFO would be read forever.
mkfifo "$TMP/fifo"
for f in /dev/zero "$TMP/fifo" "$TMP"; do
  timeout 20 "$DCONV" --to epub -O cover="$f" -o "$TMP/c.epub" "$SEED" 2>"$TMP/err"
  expect_eq "-O cover=$f: exit 2 at once" 2 $?
  check "-O cover=$f: says why" grep -q "expects a regular file" "$TMP/err"
done
head -c $((64 * 1024 * 1024 + 1)) /dev/zero >"$TMP/big.png"
dconv --to epub -O cover="$TMP/big.png" -o "$TMP/c.epub" "$SEED" 2>"$TMP/err"
expect_eq "-O cover=a file over 64 MiB: exit 2" 2 $?
check "-O cover=a file over 64 MiB: says why" grep -q "larger than 64 MiB" "$TMP/err"
rm -f "$TMP/big.png"
finish
