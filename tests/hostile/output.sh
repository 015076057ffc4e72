#!/bin/bash
# hostile-output: no data loss. Output goes to a temporary file beside the
# target (.NAME.XXXXXX) and is renamed over NAME only on success; on every
# failure - bad input, --strict, a full disk (/dev/full, a 64 KiB tmpfs), an
# unwritable directory, SIGTERM/SIGINT/SIGHUP in the middle of a large
# conversion - the previous file is intact and no temporary file is left.
# -o naming an input (directly, through a directory, a symlink or a hard
# link) is refused with exit 2 before anything is read, and the input is
# unchanged.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/hostile/hostile_lib.sh"
need python3 sha256sum

H='## Daily Papers (2024-03-27)'
P='### [T](https://arxiv.org/abs/2403.17887)'
D=$TMP/out
mkdir "$D"
printf '%s\n\n%s\n\nVote: 1\n\nAuthors: A\n' "$H" "$P" >"$TMP/good.md"
printf '## Daily Papers (2024-13-45)\n' >"$TMP/bad.md"
printf '%s\n\n%s\n\nAuthors: A\n' "$H" "$P" >"$TMP/warn.md" # no vote line

sum() { sha256sum "$1" | cut -d' ' -f1; }
# no_temp DESC [DIR]: no .NAME.XXXXXX file in DIR (default $D).
no_temp() {
  local left
  left=$(find "${2:-$D}" -maxdepth 1 -name '.*.??????' | head -3)
  expect_eq "$1: no temporary file left" "" "$left"
}
# previous TARGET: write known previous content, remember its checksum.
previous() {
  printf 'previous content, must survive\n' >"$1"
  PREV=$(sum "$1")
}
intact() { expect_eq "$1: previous file intact" "$PREV" "$(sum "$2")"; }

# Success replaces the file, keeps its mode, leaves no temporary file.
previous "$D/a.json"
chmod 640 "$D/a.json"
run_capture /dev/null "$TMP/err" --to json "$TMP/good.md" -o "$D/a.json"
expect_eq "success: exit 0" 0 "$RC"
check "success: file replaced" grep -q '"dconv-json"' "$D/a.json"
expect_eq "success: mode kept" 640 "$(stat -c %a "$D/a.json")"
no_temp "success"

# Failures keep the previous file.
for fmt in json epub anki; do
  previous "$D/b.$fmt"
  run_capture /dev/null "$TMP/err" --to "$fmt" "$TMP/bad.md" -o "$D/b.$fmt"
  expect_eq "bad input ($fmt): exit 1" 1 "$RC"
  intact "bad input ($fmt)" "$D/b.$fmt"
  previous "$D/c.$fmt"
  run_capture /dev/null "$TMP/err" --strict --to "$fmt" "$TMP/warn.md" -o "$D/c.$fmt"
  expect_eq "--strict warning ($fmt): exit 1" 1 "$RC"
  intact "--strict warning ($fmt)" "$D/c.$fmt"
done
no_temp "failures"
mkdir "$D/dir.json"
run_capture /dev/null "$TMP/err" --to json "$TMP/good.md" -o "$D/dir.json"
expect_eq "-o a directory: exit 3" 3 "$RC"
expect_diag "-o a directory" "$TMP/err" 'dir\.json: error: output is a directory'
run_capture /dev/null "$TMP/err" --to json "$TMP/good.md" -o "$D/nodir/x.json"
expect_eq "-o in a missing directory: exit 3" 3 "$RC"
expect_diag "-o in a missing directory" "$TMP/err" 'x\.json: error: cannot create a temporary file beside it'

# A full disk: /dev/full (written in place, it is a device) ...
if [ -c /dev/full ]; then
  run_capture /dev/null "$TMP/err" --to json "$SEEDS" -o /dev/full
  expect_eq "/dev/full: exit 3" 3 "$RC"
  expect_diag "/dev/full" "$TMP/err" '^/dev/full: error: write failed: No space left on device'
  check "/dev/full is still a device" test -c /dev/full
  RC=0
  dconv --to json "$SEEDS" >/dev/full 2>"$TMP/err" || RC=$?
  expect_eq "stdout on /dev/full: exit 3" 3 "$RC"
fi
# ... and a 64 KiB tmpfs (root only; skipped where mount is not permitted).
if [ "$(id -u)" -eq 0 ] && mkdir "$TMP/small" &&
  mount -t tmpfs -o size=64k tmpfs "$TMP/small" 2>/dev/null; then
  # shellcheck disable=SC2064 # expand now: lib.sh's trap removes $TMP after
  trap "umount '$TMP/small' 2>/dev/null; rm -rf '$TMP'" EXIT
  previous "$TMP/small/p.json"
  for fmt in json markdown epub anki bibtex opml; do
    run_capture /dev/null "$TMP/err" --to "$fmt" "$CORPUS" -o "$TMP/small/p.json"
    expect_eq "64 KiB tmpfs ($fmt): exit 3" 3 "$RC"
    expect_diag "64 KiB tmpfs ($fmt)" "$TMP/err" 'p\.json: error: (write failed|cannot create).*No space left on device'
    intact "64 KiB tmpfs ($fmt)" "$TMP/small/p.json"
    no_temp "64 KiB tmpfs ($fmt)" "$TMP/small"
  done
  umount "$TMP/small"
else
  echo "SKIP: cannot mount a small tmpfs here (needs root and mount rights)"
fi

# An unwritable directory (as a non-root user; skipped if none can run).
as_user=()
if [ "$(id -u)" -ne 0 ]; then
  as_user=(env)
elif setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
chmod 755 "$TMP"
mkdir "$TMP/ro"
previous "$TMP/ro/r.json"
chmod 555 "$TMP/ro"
chmod 644 "$TMP/good.md"
if [ ${#as_user[@]} -gt 0 ] && "${as_user[@]}" test -x "$DCONV" &&
  ! "${as_user[@]}" test -w "$TMP/ro"; then
  RC=0
  # shellcheck disable=SC2086 # DCONV_WRAP is a command line
  "${as_user[@]}" ${DCONV_WRAP:-} "$DCONV" --to json "$TMP/good.md" \
    -o "$TMP/ro/r.json" 2>"$TMP/err" || RC=$?
  expect_eq "unwritable directory: exit 3" 3 "$RC"
  expect_diag "unwritable directory" "$TMP/err" 'r\.json: error: cannot create a temporary file beside it: Permission denied'
  intact "unwritable directory" "$TMP/ro/r.json"
else
  echo "SKIP: no non-root user to test an unwritable directory"
fi
chmod 755 "$TMP/ro"

# -o naming an input is refused before anything is read: directly, through a
# directory argument, a symlink and a hard link; the input is unchanged.
cp "$TMP/good.md" "$D/in.md"
IN=$(sum "$D/in.md")
ln -s "$D/in.md" "$D/link.md"
ln "$D/in.md" "$D/hard.md"
for out in "$D/in.md" "$D/link.md" "$D/hard.md"; do
  for src in "$D/in.md" "$D"; do
    run_capture /dev/null "$TMP/err" --to markdown "$src" -o "$out"
    expect_eq "-o $(basename "$out") with input $(basename "$src"): exit 2" 2 "$RC"
    expect_diag "-o $(basename "$out") with input $(basename "$src")" "$TMP/err" 'error: output would overwrite an input'
  done
done
expect_eq "-o = input: input unchanged" "$IN" "$(sum "$D/in.md")"
no_temp "-o = input"

# Signals in the middle of a large conversion. These runs call "$DCONV"
# directly: the signal must reach dconv itself, not a valgrind wrapper.
# Each is killed once the temporary file exists (the output is being
# written: parsing is over) and once while still parsing.
$GEN papers "$TMP/big.md" 60000
kill_test() { # SIGNAL FORMAT WHEN(parse|write)
  local sig=$1 fmt=$2 when=$3 target=$D/k.$2 pid i status
  previous "$target"
  "$DCONV" -q --to "$fmt" "$TMP/big.md" -o "$target" 2>"$TMP/err" &
  pid=$!
  if [ "$when" = write ]; then
    for ((i = 0; i < 600; i++)); do
      [ -n "$(find "$D" -maxdepth 1 -name ".k.$fmt.*")" ] && break
      sleep 0.1
    done
  else
    sleep 0.5
  fi
  kill "-$sig" "$pid" 2>/dev/null
  status=0
  { wait "$pid"; } 2>/dev/null || status=$?
  local want=$((128 + $(kill -l "$sig")))
  if [ "$status" -eq "$want" ]; then
    pass "SIG$sig while ${when}ing $fmt: died of the signal (status $status)"
  else
    fail "SIG$sig while ${when}ing $fmt: status $status, expected $want"
  fi
  intact "SIG$sig while ${when}ing $fmt" "$target"
  no_temp "SIG$sig while ${when}ing $fmt"
}
kill_test TERM json write
kill_test INT epub write
kill_test HUP anki write
kill_test TERM bibtex parse
kill_test INT opml parse
# The other signals whose default is to end the process (issue 13: SIGXCPU,
# SIGALRM and SIGUSR1 left the temporary file).
kill_test XCPU json write
kill_test ALRM epub write
kill_test USR1 anki write
kill_test USR2 bibtex write
kill_test PIPE json write

# SIGKILL cannot be caught: the temporary file stays behind (a dot-file
# named after the target and the pid), but the previous file is still
# intact, and the next successful run for that target removes it.
previous "$D/z.json"
"$DCONV" -q --to json "$TMP/big.md" -o "$D/z.json" 2>/dev/null &
pid=$!
for ((i = 0; i < 600; i++)); do
  [ -n "$(find "$D" -maxdepth 1 -name '.z.json.*')" ] && break
  sleep 0.1
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null
intact "SIGKILL while writing" "$D/z.json"
left=$(find "$D" -maxdepth 1 -name '.z.json.*')
check "SIGKILL while writing: a temporary file was left" test -n "$left"
run_capture /dev/null "$TMP/err" --to json "$TMP/good.md" -o "$D/z.json"
expect_eq "next run after SIGKILL: exit 0" 0 "$RC"
no_temp "next run after SIGKILL"
finish
