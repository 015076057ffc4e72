# shellcheck shell=bash
# tests/hostile/hostile_lib.sh - helpers for the hostile-input tests; source
# after tests/lib.sh.
HOSTILE=$SRCDIR/tests/hostile
# shellcheck disable=SC2034 # used by the scripts that source this file
GEN="python3 $HOSTILE/gen.py"

# run_capture OUT ERR ARGS...: run dconv, stdout to OUT, stderr to ERR; sets
# RC to the exit status.
run_capture() {
  local out=$1 err=$2
  shift 2
  # shellcheck disable=SC2034 # RC is read by the callers
  RC=0
  dconv "$@" >"$out" 2>"$err" || RC=$?
}

# expect_diag DESC ERRFILE REGEX: the first line of ERRFILE matches REGEX.
expect_diag() {
  local first
  first=$(head -1 "$2")
  if printf '%s\n' "$first" | grep -Eq -- "$3"; then
    pass "$1: $first"
  else
    fail "$1: message '$first' does not match /$3/"
  fi
}

# no_crash DESC RC: the exit status is a documented one (0..5), not a signal
# or a sanitizer's.
no_crash() {
  if [ "$2" -ge 0 ] && [ "$2" -le 5 ]; then pass "$1: exit $2"; else fail "$1: exit $2"; fi
}

# measure VAR_RSS_KB VAR_SECONDS ARGS...: run "$DCONV" ARGS under
# /usr/bin/time -v (never through $DCONV_WRAP: valgrind would measure
# itself); sets RC, the two variables and leaves stderr in $TMP/measure.err.
measure() {
  local rss_var=$1 sec_var=$2 tv=$TMP/measure.time
  shift 2
  # shellcheck disable=SC2034 # RC is read by the callers
  RC=0
  # shellcheck disable=SC2034 # RC is read by the callers
  /usr/bin/time -v -o "$tv" "$DCONV" "$@" 2>"$TMP/measure.err" || RC=$?
  printf -v "$rss_var" '%s' "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tv")"
  printf -v "$sec_var" '%s' "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tv" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')"
}
