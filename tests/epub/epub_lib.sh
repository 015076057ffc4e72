# tests/epub/epub_lib.sh - helpers shared by the epub tests (sourced after
# tests/lib.sh). dconv itself only ever runs through the `dconv` function.

EPUB_DIR=$SRCDIR/tests/epub
EPUBCHECK_JAR=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}

# need_epubcheck: like `need epubcheck` (tests/lib.sh), at the top of a
# test: skip or fail (see unavailable) unless epubcheck can run. Debian's jar is run
# with java, as the issue says; a stand-alone `epubcheck` wrapper also works.
# shellcheck disable=SC2034 # EPUBCHECK_LONG is for the callers
need_epubcheck() {
  if [ -f "$EPUBCHECK_JAR" ] && command -v java >/dev/null 2>&1; then
    # C1 only and the serial GC: a short-lived JVM starts ~2x faster. Books
    # with megabyte-long lines validate faster with the full JIT
    # (EPUBCHECK_CMD=$EPUBCHECK_LONG epubcheck_all ...).
    EPUBCHECK="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar $EPUBCHECK_JAR"
    EPUBCHECK_LONG="java -XX:+UseSerialGC -jar $EPUBCHECK_JAR"
  elif command -v epubcheck >/dev/null 2>&1; then
    EPUBCHECK=epubcheck
    EPUBCHECK_LONG=epubcheck
  else
    unavailable "epubcheck not installed"
  fi
}

# epubcheck_all FILE...: run epubcheck on every FILE, a few at a time (each
# run is a JVM start, ~10 s), and check each reports 0 errors, 0 warnings.
epubcheck_all() {
  local jobs n f
  jobs=$(nproc 2>/dev/null || echo 2)
  [ "$jobs" -gt 4 ] && jobs=4
  n=0
  for f in "$@"; do
    ${EPUBCHECK_CMD:-$EPUBCHECK} "$f" >"$f.epubcheck" 2>&1 &
    n=$((n + 1))
    if [ "$n" -ge "$jobs" ]; then
      wait
      n=0
    fi
  done
  wait
  for f in "$@"; do
    if grep -q "Messages: 0 fatals / 0 errors / 0 warnings" "$f.epubcheck"; then
      pass "epubcheck: $(basename "$f"): $(grep 'Messages:' "$f.epubcheck")"
    else
      fail "epubcheck: $(basename "$f")"
      grep -E "^(FATAL|ERROR|WARNING)|Messages:" "$f.epubcheck" | head -20 >&2
    fi
  done
}

# check_book BOOK [check_epub.py options]: structural checks; the JSON
# summary lands in BOOK.json for later comparisons.
check_book() {
  local b=$1
  shift
  if python3 "$EPUB_DIR/check_epub.py" "$b" "$@" >"$b.json"; then
    pass "structure: $(basename "$b")"
  else
    fail "structure: $(basename "$b")"
    cat "$b.json" >&2
  fi
}

# json_field BOOK KEY: a value from BOOK.json.
json_field() {
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(v)' \
    "$1.json" "$2"
}

# count_input INPUT... : "DAYS PAPERS" as the core parses them.
count_input() {
  dconv --to json "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)["digests"]
print(len(d), sum(len(x["papers"]) for x in d))'
}
