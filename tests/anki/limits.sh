#!/bin/bash
# Issue 13 for the anki writer: hostile URLs never reach a card, sizes that
# would take minutes if anything were quadratic, deck-name limits, SQLite
# out of memory (exit 5), a huge SOURCE_DATE_EPOCH.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/anki/anki_lib.sh"
need python3 sqlite3 unzip cc timeout

# --- URLs: only what dconv_util_url_ok accepts becomes a link or a field.
cat >"$TMP/hostile.md" <<'MD'
## Daily Papers (2024-03-28)

### [Script title](javascript:alert(1))

![](javascript:alert(2))

Vote: 1

Authors: A

- bad [one](javascript:alert(3)) and [two](JaVaScRiPt:alert(4)) and [three](vbscript:msgbox) and [four](data:text/html;base64,PHNjcmlwdD4=)
- good [web](https://example.org/a?b=1&c=2) and [mail](mailto:x@example.org)

### [Data title](data:text/html,<script>alert(5)</script>)

Vote: 2

Authors: B

- plain

MD
if dconv --to anki -q "$TMP/hostile.md" -o "$TMP/hostile.apkg"; then
  all=$(anki_sql "$TMP/hostile.apkg" "SELECT flds FROM notes")
  if printf '%s' "$all" | grep -qiE 'javascript:|vbscript:|data:'; then
    fail "hostile URLs reached a card: $all"
  else
    pass "no javascript:, vbscript: or data: URL in any field"
  fi
  expect_eq "link text kept, only good links linked, bad URL field empty" \
    '|Script title|A|<ul><li>bad one and two and three and four</li><li>good <a href="https://example.org/a?b=1&amp;c=2">web</a> and <a href="mailto:x@example.org">mail</a></li></ul>|1|2024-03-28|' \
    "$(anki_sql "$TMP/hostile.apkg" "SELECT replace(flds, char(31), '|') FROM notes WHERE flds LIKE '%Script%'")"
else
  fail "hostile digest"
fi

# --- Sizes that are linear now: each would take minutes if quadratic (the
# same paper on 200,000 dates; 200,000 subdecks). Nothing is timed: a
# quadratic writer just runs into the timeout.
python3 - "$TMP/dates.md" <<'PY'
import datetime, sys
d = datetime.date(1970, 1, 1)
with open(sys.argv[1], "w") as f:
    for i in range(200000):
        f.write(f"## Daily Papers ({d + datetime.timedelta(days=i)})\n\n"
                "### [Same](https://arxiv.org/abs/2403.17887)\n\n- x\n\n")
PY
if timeout 60 "$DCONV" --to anki -q "$TMP/dates.md" -o "$TMP/dates.apkg"; then
  expect_eq "one paper on 200,000 dates: one note, one tag per date" \
    "1|200000" \
    "$(anki_sql "$TMP/dates.apkg" "SELECT count(*), length(tags) - length(replace(tags, ' dp::', ' dp:')) FROM notes")"
else
  fail "one paper on 200,000 dates (timeout or error)"
fi
if timeout 60 "$DCONV" --to anki -q -O subdecks=true "$TMP/dates.md" -o "$TMP/sub.apkg"; then
  expect_eq "200,000 subdecks (+ Default and the main deck)" 200002 \
    "$(anki_sql "$TMP/sub.apkg" "SELECT count(*) FROM json_each((SELECT decks FROM col))")"
else
  fail "200,000 subdecks (timeout or error)"
fi

# --- Deck names: a 60 KB name of 20,000 levels is refused at once (exit 2,
# an option error); the limits themselves are accepted.
long=$(python3 -c 'print("::".join(["abc"] * 20000))')
timeout 60 "$DCONV" --to anki -q -O "deck=$long" "$SEEDS" -o "$TMP/long.apkg" 2>"$TMP/long.err"
expect_eq "60 KB deck name: option error" 2 $?
check "60 KB deck name: says why" grep -q "at most" "$TMP/long.err"
[ -e "$TMP/long.apkg" ] && fail "60 KB deck name left a file"
max_levels=$(python3 -c 'print("::".join(["L%d" % i for i in range(32)]))')
max_bytes=$(python3 -c 'print("x" * 1024)')
for deck in "$max_levels" "$max_bytes"; do
  dconv --to anki -q -O "deck=$deck" "$SEEDS" -o "$TMP/ok.apkg"
  expect_eq "deck name at the limit (${#deck} bytes) accepted" 0 $?
done
for deck in "$max_levels::L32" "${max_bytes}y"; do
  dconv --to anki -q -O "deck=$deck" "$SEEDS" -o "$TMP/no.apkg" 2>/dev/null
  expect_eq "deck name past the limit (${#deck} bytes) refused" 2 $?
done

# --- SQLite out of memory: a shim fails SQLite's own allocations (only
# those) after N successful ones. Every N gives exit 5 and no file, or a
# complete deck once N is past what the build needs.
# An LD_PRELOAD shim cannot run under AddressSanitizer (its runtime must be
# the first library): there (tests/ci.sh's second pass) this check is left
# to the other builds, which all run it.
if ldd "$DCONV" 2>/dev/null | grep -q libasan; then
  echo "note: ASan build: the SQLite out-of-memory shim runs in the other builds"
else
  cc -shared -fPIC -o "$TMP/oom.so" "$ANKI_TESTS/sqlite_oom.c" -ldl ||
    fail "compile sqlite_oom.c"
  nomem=0 bad=
  for n in 0 1 10 100 500 1000 1500 2000 2500 3000 4000 8000 100000; do
    rm -f "$TMP/oom.apkg"
    SQLITE_OOM_AFTER=$n LD_PRELOAD=$TMP/oom.so "$DCONV" --to anki -q "$SEEDS" \
      -o "$TMP/oom.apkg" 2>"$TMP/oom.err"
    rc=$?
    if [ $rc = 5 ] && [ ! -e "$TMP/oom.apkg" ] &&
      grep -q "out of memory" "$TMP/oom.err"; then
      nomem=$((nomem + 1))
    elif [ $rc != 0 ] || [ "$(anki_sql "$TMP/oom.apkg" 'PRAGMA integrity_check')" != ok ]; then
      bad="$bad n=$n:rc=$rc"
    fi
  done
  expect_eq "SQLite out of memory: exit 5 and no file, or a whole deck" "" "$bad"
  [ $nomem -ge 5 ] && pass "SQLite out of memory hit $nomem times" ||
    fail "SQLite out of memory hit only $nomem times"
fi

# --- SOURCE_DATE_EPOCH: the host refuses what is out of range (exit 2, no
# file; tests/hostile/env.sh checks the message), and the largest value it
# takes (9999-12-31T23:59:59Z) overflows nothing: mod and crt as computed by
# hand (ms in col, seconds in notes; crt is that day's midnight).
SOURCE_DATE_EPOCH=9223372036854775807 dconv --to anki -q "$SEEDS" -o "$TMP/huge.apkg" 2>/dev/null
expect_eq "huge SOURCE_DATE_EPOCH: usage error, no file" "2 no" \
  "$? $([ -e "$TMP/huge.apkg" ] && echo yes || echo no)"
if SOURCE_DATE_EPOCH=253402300799 dconv --to anki -q "$SEEDS" -o "$TMP/epoch.apkg"; then
  expect_eq "largest SOURCE_DATE_EPOCH: no overflow" \
    "253402300799000|253402300799000|253402214400|253402300799" \
    "$(anki_sql "$TMP/epoch.apkg" "SELECT c.mod, c.scm, c.crt, (SELECT DISTINCT mod FROM notes) FROM col c")"
else
  fail "largest SOURCE_DATE_EPOCH"
fi
finish
