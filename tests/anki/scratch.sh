#!/bin/bash
# The collection's scratch file (anki_db.c): built in $TMPDIR, its name
# unlinked as soon as SQLite has opened it, so nothing is ever left there:
# not after a success, not after a failure, not after SIGTERM or even
# SIGKILL mid-run. A scratch directory that cannot be used is an output
# error (exit 3) naming it, with no .apkg. A collection past 16 MiB goes
# into the package in pieces and passes every check. The expectations are
# by hand.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
need python3 sqlite3 unzip cmp cc od
export SOURCE_DATE_EPOCH=1711584000

# left DIR: what is in DIR ("" when empty), one name a line.
left() { ls -A "$1"; }

scr=$TMP/scratch out=$TMP/out
mkdir -p "$scr" "$out"

# --- Success: a whole deck, an empty scratch directory, and bytes that do
# not depend on where the scratch file was.
if TMPDIR=$scr dconv --to anki -q "$SEEDS" -o "$out/a.apkg"; then
  expect_eq "success: nothing left in TMPDIR" "" "$(left "$scr")"
  expect_eq "success: integrity" ok "$(anki_sql "$out/a.apkg" 'PRAGMA integrity_check')"
  mkdir -p "$TMP/other"
  TMPDIR=$TMP/other dconv --to anki -q "$SEEDS" -o "$out/b.apkg" ||
    fail "second TMPDIR"
  check "success: same bytes with another TMPDIR" cmp -s "$out/a.apkg" "$out/b.apkg"
  # The header fields a file gets and a :memory: database did not (change
  # counter at 24, version-valid-for at 92, SQLite's version at 96) are
  # zero, so the bytes do not depend on the SQLite release.
  unzip -p "$out/a.apkg" collection.anki2 >"$TMP/a.anki2"
  expect_eq "success: header counters and SQLite version zeroed" \
    "00000000 0000000000000000" \
    "$(od -An -tx1 -j24 -N4 "$TMP/a.anki2" | tr -d ' \n') $(od -An -tx1 -j92 -N8 "$TMP/a.anki2" | tr -d ' \n')"
else
  fail "dconv --to anki with TMPDIR=$scr"
fi
rm -f "$out"/*

# --- A scratch directory that cannot be used: exit 3, the directory named
# in the message, no .apkg and no temporary beside it. Here and mid-run
# dconv runs without $DCONV_WRAP: valgrind keeps files of its own in
# $TMPDIR (left behind when it is killed) and cannot start without one.
: >"$TMP/afile"
for dir in "$TMP/missing" "$TMP/afile"; do
  TMPDIR=$dir "$DCONV" --to anki -q "$SEEDS" -o "$out/bad.apkg" 2>"$TMP/err"
  expect_eq "TMPDIR=$dir: output error" 3 $?
  check "TMPDIR=$dir: the message names it" grep -qF "scratch file in $dir" "$TMP/err"
  expect_eq "TMPDIR=$dir: no output, no temporary" "" "$(left "$out")"
done

# --- The scratch file cannot grow (a file size limit, as a full disk): the
# seeds' collection is 160 KiB, the .apkg 37 KiB, so only the scratch file
# hits a 64 KiB limit. Exit 3 naming the directory; nothing left anywhere.
(
  ulimit -f 64
  TMPDIR=$scr dconv --to anki -q "$SEEDS" -o "$out/full.apkg" 2>"$TMP/err"
  echo $? >"$TMP/rc"
)
expect_eq "scratch file past ulimit -f: output error" 3 "$(cat "$TMP/rc")"
check "scratch file past ulimit -f: the message names the directory" \
  grep -qF "scratch file in $scr: write failed" "$TMP/err"
expect_eq "scratch file past ulimit -f: nothing left in TMPDIR" "" "$(left "$scr")"
expect_eq "scratch file past ulimit -f: no output, no temporary" "" "$(left "$out")"

# --- SQLite out of memory at several points of the build (the shim of
# anki-limits): exit 5, and the scratch directory stays empty every time.
if ldd "$DCONV" 2>/dev/null | grep -q libasan; then
  echo "note: ASan build: the SQLite out-of-memory shim runs in the other builds"
else
  cc -shared -fPIC -o "$TMP/oom.so" "$ANKI_TESTS/sqlite_oom.c" -ldl ||
    fail "compile sqlite_oom.c"
  res=
  for n in 0 50 500 2000; do
    TMPDIR=$scr SQLITE_OOM_AFTER=$n LD_PRELOAD=$TMP/oom.so "$DCONV" --to anki \
      -q "$SEEDS" -o "$out/oom.apkg" 2>/dev/null
    res="$res $n:$?:$(left "$scr" | wc -l)"
  done
  expect_eq "SQLite out of memory: exit 5, nothing left in TMPDIR" \
    " 0:5:0 50:5:0 500:5:0 2000:5:0" "$res"
  expect_eq "SQLite out of memory: no output, no temporary" "" "$(left "$out")"
fi

# --- Mid-run: a watcher waits until dconv holds the scratch file (an open
# descriptor into TMPDIR), checks that its name is already gone, then sends
# the signal. 20,000 papers keep the file open long enough to be seen.
python3 "$SRCDIR/tests/bench/gen.py" "$CORPUS" "$TMP/big" 20000 >/dev/null ||
  fail "gen.py"
cat >"$TMP/watch.py" <<'PY'
import os, signal, subprocess, sys, time
scr, sig, *cmd = sys.argv[1:]
p = subprocess.Popen(cmd, env=dict(os.environ, TMPDIR=scr),
                     stderr=subprocess.DEVNULL)
held = None
end = time.time() + 600
while held is None and p.poll() is None and time.time() < end:
    try:
        for fd in os.listdir(f"/proc/{p.pid}/fd"):
            t = os.readlink(f"/proc/{p.pid}/fd/{fd}")
            # Only once the name is gone: between mkstemp and unlink the
            # run holds signals back, so they could not land there anyway.
            if t.startswith(scr + "/dconv-anki.") and t.endswith(" (deleted)"):
                held = sorted(os.listdir(scr))
    except OSError:
        pass
if held is not None:
    os.kill(p.pid, getattr(signal, "SIG" + sig))
rc = p.wait()
print("held" if held is not None else "never seen",
      "names=" + ",".join(held or []), "rc=%d" % rc)
PY
for sig in TERM KILL; do
  rm -f "$out"/*
  r=$(python3 "$TMP/watch.py" "$scr" $sig "$DCONV" --to anki -q "$TMP/big" \
    -o "$out/big.apkg")
  n=$([ $sig = TERM ] && echo 15 || echo 9)
  expect_eq "SIG$sig mid-run: held unlinked, killed by the signal" \
    "held names= rc=-$n" "$r"
  expect_eq "SIG$sig mid-run: nothing left in TMPDIR" "" "$(left "$scr")"
  # After SIGTERM the core's handler removes its own temporary too; after
  # SIGKILL that one stays until the next run removes it (core/output.c).
  if [ $sig = TERM ]; then
    expect_eq "SIGTERM mid-run: no output, no temporary" "" "$(left "$out")"
  else
    check "SIGKILL mid-run: no output" test ! -e "$out/big.apkg"
  fi
done
rm -f "$out"/*
TMPDIR=$scr anki_build "$out/big.apkg" "$TMP/big"
expect_eq "20,000 papers: nothing left in TMPDIR" "" "$(left "$scr")"
# A 40 MB collection is past the 16 MiB the host holds of an entry given in
# pieces: it is read back from the scratch file and compressed as it comes
# (ABI 1.2 entry_open), so its CRC and sizes follow it in a data descriptor.
check "20,000 papers: the collection streamed into the package (check_zip.py)" \
  python3 "$SRCDIR/tests/zip/check_zip.py" "$out/big.apkg" --entries 2 \
  --descriptor collection.anki2
check "20,000 papers: unzip -t" unzip -tq "$out/big.apkg"
anki_check "20,000 papers" "$out/big.apkg"
finish
