#!/bin/bash
# hostile-streams: the last ways output went wrong (issue 13).
# - With fd 0, 1 or 2 closed, nothing but the conversion reaches the output
#   (the temporary file used to become fd 2 and collect the warnings).
# - A file size limit (ulimit -f) is an output error: exit 3, a clear
#   message, no temporary file (it used to be SIGXFSZ, exit 153).
# - An output name of 251-255 bytes works (the temporary name is shortened).
# - A successful run removes the temporaries of its own target left by dead
#   runs, and nothing else.
# These runs call "$DCONV" directly, not through $DCONV_WRAP: a valgrind
# wrapper would itself use the closed descriptors and the size limit.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/hostile/hostile_lib.sh"
need python3

H='## Daily Papers (2024-03-27)'
P='### [T](https://arxiv.org/abs/2403.17887)'
printf '%s\n\n%s\n\nAuthors: A\n' "$H" "$P" >"$TMP/warn.md" # no vote line
D=$TMP/out
mkdir "$D"

# Closed descriptors. Each output must be exactly what a normal run writes.
# The input gives diagnostics while the output is open too: the same papers
# on two dates make the Anki writer say (-v) that it merged them.
cp "$SEEDS/000_16b3e9fdefacf7be.txt" "$TMP/d1.md"
sed 's/2024-03-27/2024-03-28/' "$TMP/d1.md" >"$TMP/d2.md"
IN=("$TMP/warn.md" "$TMP/d1.md" "$TMP/d2.md")
for fmt in bibtex json anki; do
  "$DCONV" -v --to "$fmt" "${IN[@]}" -o "$D/ref.$fmt" 2>/dev/null
  for fds in '2>&-' '0<&- 2>&-' '1>&- 2>&-' '0<&- 1>&- 2>&-'; do
    rm -f "$D/t.$fmt"
    RC=0
    eval '"$DCONV" -v --to "$fmt" "${IN[@]}" -o "$D/t.$fmt"' "$fds" || RC=$?
    expect_eq "$fmt with $fds: exit 0" 0 "$RC"
    if [ "$fmt" = anki ]; then
      # An .apkg holds a timestamped database: compare its first bytes.
      expect_eq "$fmt with $fds: starts as a zip file" "504b0304" \
        "$(head -c 4 "$D/t.$fmt" | od -An -tx1 | tr -d ' \n')"
      check "$fmt with $fds: no diagnostic inside" \
        sh -c "! grep -aq 'dconv: anki' '$D/t.$fmt'"
    else
      check "$fmt with $fds: output unchanged" cmp -s "$D/ref.$fmt" "$D/t.$fmt"
    fi
  done
done
# stdout closed while it is the output: an output error, not a silent loss.
RC=0
"$DCONV" --to json "$TMP/warn.md" >&- 2>"$TMP/err" || RC=$?
expect_eq "output to a closed stdout: exit 3" 3 "$RC"
check "output to a closed stdout: says so" \
  grep -q '^<stdout>: error: write failed: Bad file descriptor' "$TMP/err"
RC=0
"$DCONV" --to json - <&- >/dev/null 2>"$TMP/err" || RC=$?
expect_eq "input from a closed stdin: exit 1" 1 "$RC"

# ulimit -f: write fails with EFBIG, exit 3, no temporary file.
for fmt in json epub anki; do
  RC=0
  (
    ulimit -f 4
    TMPDIR=/tmp exec "$DCONV" -q --to "$fmt" "$CORPUS" -o "$D/big.$fmt"
  ) 2>"$TMP/err" || RC=$?
  expect_eq "ulimit -f ($fmt): exit 3" 3 "$RC"
  # The Anki writer builds its collection in a scratch file in $TMPDIR
  # first, so the limit stops it there, and the message says where.
  want="big\\.$fmt: error: write failed: File too large"
  [ "$fmt" = anki ] && want="anki: error: sqlite \\(exec\\): the collection's scratch file in /tmp: write failed"
  expect_diag "ulimit -f ($fmt)" "$TMP/err" "$want"
  check "ulimit -f ($fmt): no file" test ! -e "$D/big.$fmt"
done
expect_eq "ulimit -f: no temporary file" "" "$(find "$D" -name '.big*')"

# Long names: 251..255 bytes (ASCII), and a multi-byte name cut on a
# character boundary.
for n in 240 248 251 255; do
  name=$(printf "%${n}s" '' | tr ' ' n)
  RC=0
  "$DCONV" --to json "$TMP/warn.md" -o "$D/$name" 2>"$TMP/err" || RC=$?
  expect_eq "$n-byte output name: exit 0" 0 "$RC"
  check "$n-byte output name: written" grep -q '"dconv-json"' "$D/$name"
  rm -f "$D/$name"
done
name=$(python3 -c 'print("\u00e9" * 126 + ".j")') # 254 bytes
RC=0
"$DCONV" --to json "$TMP/warn.md" -o "$D/$name" 2>"$TMP/err" || RC=$?
expect_eq "254-byte UTF-8 output name: exit 0" 0 "$RC"
check "254-byte UTF-8 output name: written" grep -q '"dconv-json"' "$D/$name"
expect_eq "long names: no temporary file" "" "$(find "$D" -name '.n*' -o -name '.é*')"

# Stale temporaries: only those of this target, of a dead process, older
# than this run, owned by us are removed. A reaped child gives a dead pid.
sleep 0 &
dead=$!
wait "$dead"
mkdir "$D/s"
for f in ".s.json.$dead.AbCd12" ".s.json.$$.AbCd12" ".s.json.$dead.AbCd1" \
  ".x.json.$dead.AbCd12" ".s.json.x$dead.AbCd12" "s.json.$dead.AbCd12"; do
  : >"$D/s/$f"
done
touch -d '-1 min' "$D/s"/.[sx]*
"$DCONV" --to json "$TMP/warn.md" -o "$D/s/s.json" 2>/dev/null
expect_eq "stale temporaries: only the dead run's removed" \
  "$(printf '%s\n' ".s.json.$$.AbCd12" ".s.json.$dead.AbCd1" ".s.json.x$dead.AbCd12" \
    ".x.json.$dead.AbCd12" s.json "s.json.$dead.AbCd12" | LC_ALL=C sort)" \
  "$(cd "$D/s" && LC_ALL=C ls -A | LC_ALL=C sort)"
# A long name's temporary (its stem shortened and hashed) follows the same
# rule: a run SIGKILLed while writing leaves one, the next run removes it.
$GEN papers "$TMP/big.md" 60000
name=$(printf "%250s" '' | tr ' ' n)
"$DCONV" -q --to json "$TMP/big.md" -o "$D/s/$name" 2>/dev/null &
pid=$!
for ((i = 0; i < 600; i++)); do
  [ -n "$(find "$D/s" -maxdepth 1 -name ".nnnn*.$pid.*")" ] && break
  sleep 0.1
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null
check "250-byte name, SIGKILLed: a temporary file was left" \
  test -n "$(find "$D/s" -maxdepth 1 -name ".nnnn*.$pid.*")"
"$DCONV" --to json "$TMP/warn.md" -o "$D/s/$name" 2>/dev/null
expect_eq "250-byte name, next run: the temporary file removed" "" \
  "$(find "$D/s" -maxdepth 1 -name ".nnnn*")"
finish
