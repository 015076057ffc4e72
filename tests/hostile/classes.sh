#!/bin/bash
# hostile-classes: small hostile inputs, each refused with one clear
# "file[:line]: error: ..." (exit 1) or converted with warnings (exit 0):
# 0 bytes, blank, random binary with NULs, binary without NULs, invalid and
# overlong UTF-8, surrogates, control characters, character references to
# controls, a BOM alone, directories (empty, holding digests, holding only
# other files), FIFOs, unreadable files, missing files, a file in a missing
# directory, and a path that is a dangling symlink.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/hostile/hostile_lib.sh"
need python3
H='## Daily Papers (2024-03-27)'
P='### [T](https://arxiv.org/abs/2403.17887)'

# refused FILE REGEX [FORMAT]: exit 1, first message matches REGEX, no output.
refused() {
  run_capture "$TMP/out" "$TMP/err" --to "${3:-json}" "$1"
  expect_eq "$(basename "$1"): exit status" 1 "$RC"
  expect_diag "$(basename "$1")" "$TMP/err" "$2"
  expect_eq "$(basename "$1"): nothing on stdout" 0 "$(wc -c <"$TMP/out")"
}
# converted FILE REGEX: exit 0, a warning matching REGEX, JSON parses.
converted() {
  run_capture "$TMP/out" "$TMP/err" --to json "$1"
  expect_eq "$(basename "$1"): exit status" 0 "$RC"
  if grep -Eq -- "$2" "$TMP/err"; then
    pass "$(basename "$1"): $(grep -E -- "$2" "$TMP/err" | head -1)"
  else
    fail "$(basename "$1"): no warning matching /$2/ in: $(head -3 "$TMP/err")"
  fi
  check "$(basename "$1"): output is JSON" python3 -m json.tool "$TMP/out" /dev/null
}

: >"$TMP/zero.md"
refused "$TMP/zero.md" '^.*/zero\.md:1: error: empty input'
printf ' \n\t\r\n\n' >"$TMP/blank.md"
refused "$TMP/blank.md" '^.*/blank\.md:1: error: empty input'
printf '\xef\xbb\xbf' >"$TMP/bom.md"
refused "$TMP/bom.md" '^.*/bom\.md:1: error: empty input'

# Random binary with NULs (fixed seed: reproducible), and a digest with one
# NUL in the middle: the line of the first NUL is named.
python3 -c 'import random,sys; r=random.Random(8); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(1<<16)))' >"$TMP/random.bin"
refused "$TMP/random.bin" '^.*/random\.bin:[0-9]+: error: binary data \(NUL byte at offset [0-9]+\)'
printf '%s\n\n%s\n\nVote: 1\x00\n' "$H" "$P" >"$TMP/nul.md"
refused "$TMP/nul.md" '^.*/nul\.md:5: error: binary data \(NUL byte at offset 80\)'
# Binary without NULs (high bytes only): refused by the share of bad bytes.
python3 -c 'import random,sys; r=random.Random(9); sys.stdout.buffer.write(bytes(r.randrange(128,256) for _ in range(1<<16)))' >"$TMP/high.bin"
refused "$TMP/high.bin" '^.*/high\.bin:1: error: binary data \([0-9]+ of 65536 bytes are not UTF-8 text\)'

# Invalid UTF-8 of every kind inside an otherwise good digest: converted,
# each bad line named (the first three; the others summed up in one line,
# -v names them all), every bad byte now U+FFFD.
{
  printf '%s\n\n%s\n\nVote: 1\n\nAuthors: A\n\n' "$H" "$P"
  printf -- '- stray continuation \x80 and lone lead \xc3 end\n'     # line 9
  printf -- '- overlong slash \xc0\xaf and NUL \xe0\x80\x80\n'         # line 10
  printf -- '- overlong 4-byte \xf0\x80\x80\xaf\n'                     # line 11
  printf -- '- surrogate \xed\xa0\x80 and above U+10FFFF \xf4\x90\x80\x80\n' # 12
  printf -- '- 5-byte \xf8\x88\x80\x80\x80 and 0xFE 0xFF \xfe\xff\n'   # line 13
  printf -- '- noncharacter U+FFFE \xef\xbf\xbe\n'                     # line 14
  printf -- '- truncated at end \xe2\x82'                              # line 15
} >"$TMP/badutf8.md"
converted "$TMP/badutf8.md" 'badutf8\.md:9: warning: invalid UTF-8 replaced with U\+FFFD'
for l in 10 11; do
  grep -q "badutf8.md:$l: warning: invalid UTF-8" "$TMP/err" ||
    fail "badutf8.md: line $l not reported"
done
grep -q "badutf8.md: warning: 4 more like line 9: invalid UTF-8 replaced with U+FFFD" "$TMP/err" ||
  fail "badutf8.md: lines 12-15 not summed up"
dconv -v --to json "$TMP/badutf8.md" -o /dev/null 2>"$TMP/err"
for l in 12 13 14 15; do
  grep -q "badutf8.md:$l: warning: invalid UTF-8" "$TMP/err" ||
    fail "badutf8.md -v: line $l not reported"
done
expect_eq "badutf8.md: U+FFFD in the tree, no raw bad byte" 0 \
  "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=json.dumps(d,ensure_ascii=False); print(0 if "\ufffd" in s else 1)' "$TMP/out")"

printf '%s\n\n%s\n\nVote: 1\n\nAuthors: A\n\n- bell \x07 escape \x1b[31m del ok\n- ref &#1; &#x1b; &#xFFFE; &#0;\n' "$H" "$P" >"$TMP/control.md"
converted "$TMP/control.md" 'control\.md:9: warning: control character replaced with U\+FFFD'
grep -q 'control.md:10: warning: character reference to a control character' "$TMP/err" ||
  fail "control.md: character references not reported"

# Directories.
mkdir "$TMP/emptydir" "$TMP/otherdir" "$TMP/digests"
touch "$TMP/otherdir/notes.pdf"
printf '%s\n\n%s\n\nVote: 1\n\nAuthors: A\n' "$H" "$P" >"$TMP/digests/a.md"
refused "$TMP/emptydir" '^.*/emptydir: error: directory holds no digests'
refused "$TMP/otherdir" '^.*/otherdir: error: directory holds no digests'
run_capture "$TMP/out" "$TMP/err" --to json "$TMP/digests"
expect_eq "directory of digests: converted" 0 "$RC"
# A directory named like a digest inside a digest directory is skipped.
mkdir "$TMP/digests/sub.md"
run_capture "$TMP/out" "$TMP/err" --to json "$TMP/digests"
expect_eq "sub-directory named *.md is skipped" 0 "$RC"

# Missing files, a file inside a missing directory, a dangling symlink.
refused "$TMP/missing.md" '^.*/missing\.md: error: cannot open: No such file or directory'
refused "$TMP/nodir/x.md" '^.*/nodir/x\.md: error: cannot open: No such file or directory'
ln -s "$TMP/nowhere.md" "$TMP/dangling.md"
refused "$TMP/dangling.md" '^.*/dangling\.md: error: cannot open: No such file or directory'
# One bad input among good ones: every problem reported, nothing written.
run_capture "$TMP/out" "$TMP/err" --to json "$TMP/digests/a.md" "$TMP/missing.md" "$TMP/zero.md"
expect_eq "mixed inputs: exit 1" 1 "$RC"
expect_eq "mixed inputs: both problems reported" 2 "$(grep -c ': error: ' "$TMP/err")"

# FIFOs: a digest written into a FIFO converts; an empty one is empty input;
# a directory-expanded FIFO is not waited for (only regular files are taken).
mkfifo "$TMP/pipe.md" "$TMP/empty-pipe.md"
printf '%s\n\n%s\n\nVote: 1\n\nAuthors: A\n' "$H" "$P" >"$TMP/pipe.md" &
run_capture "$TMP/out" "$TMP/err" --to json "$TMP/pipe.md"
wait
expect_eq "FIFO with a digest: converted" 0 "$RC"
expect_eq "FIFO with a digest: one paper" 1 \
  "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["digests"][0]["papers"]))' "$TMP/out")"
: >"$TMP/empty-pipe.md" &
refused "$TMP/empty-pipe.md" '^.*/empty-pipe\.md:1: error: empty input'
wait
mkfifo "$TMP/digests/fifo.md"
run_capture "$TMP/out" "$TMP/err" --to json "$TMP/digests"
expect_eq "FIFO inside an input directory is skipped, not waited for" 0 "$RC"
rm -f "$TMP/digests/fifo.md"

# Standard input: empty, binary, a digest.
RC=0; dconv --to json - </dev/null >"$TMP/out" 2>"$TMP/err" || RC=$?
expect_eq "empty stdin: exit 1" 1 "$RC"
expect_diag "empty stdin" "$TMP/err" '^<stdin>:1: error: empty input'
RC=0; dconv --to json - <"$TMP/random.bin" >"$TMP/out" 2>"$TMP/err" || RC=$?
expect_eq "binary stdin: exit 1" 1 "$RC"
expect_diag "binary stdin" "$TMP/err" '^<stdin>:[0-9]+: error: binary data'

# Unreadable files. Root reads anything, so drop to a non-root user when we
# are root (setpriv, else runuser); skip when neither can run dconv.
cp "$TMP/digests/a.md" "$TMP/secret.md"
chmod 000 "$TMP/secret.md"
chmod 755 "$TMP"
as_user=()
if [ "$(id -u)" -ne 0 ]; then
  as_user=(env)
elif command -v setpriv >/dev/null &&
  setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
elif command -v runuser >/dev/null && runuser -u nobody -- true 2>/dev/null; then
  as_user=(runuser -u nobody --)
fi
if [ ${#as_user[@]} -gt 0 ] && "${as_user[@]}" test -x "$DCONV" &&
  ! "${as_user[@]}" test -r "$TMP/secret.md"; then
  RC=0
  # shellcheck disable=SC2086 # DCONV_WRAP is a command line
  "${as_user[@]}" ${DCONV_WRAP:-} "$DCONV" --to json "$TMP/secret.md" \
    >"$TMP/out" 2>"$TMP/err" || RC=$?
  expect_eq "unreadable file: exit 1" 1 "$RC"
  expect_diag "unreadable file" "$TMP/err" '^.*/secret\.md: error: cannot open: Permission denied'
  chmod 000 "$TMP/digests"
  RC=0
  # shellcheck disable=SC2086
  "${as_user[@]}" ${DCONV_WRAP:-} "$DCONV" --to json "$TMP/digests" \
    >"$TMP/out" 2>"$TMP/err" || RC=$?
  chmod 755 "$TMP/digests"
  expect_eq "unreadable directory: exit 1" 1 "$RC"
  expect_diag "unreadable directory" "$TMP/err" '^.*/digests: error: cannot open directory: Permission denied'
else
  echo "SKIP: cannot make a file unreadable here (no non-root user able to run $DCONV)"
fi

finish
