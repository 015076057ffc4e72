# tests/lib.sh - sourced by every shell test (POSIX sh + bash features).
#
# Environment (set by tests/meson.build):
#   DCONV       the dconv executable under test
#   SRCDIR      the source tree; SEEDS and CORPUS point into it
#   BUILDDIR    the build tree
#   DCONV_WRAP  optional wrapper for every dconv run, e.g. valgrind
set -u

SEEDS=${SEEDS:-$SRCDIR/seeds}
CORPUS=${CORPUS:-$SRCDIR/tests/corpus/real}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dconv-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILS=0

# dconv ARGS... : run the command under test (through $DCONV_WRAP if set).
dconv() {
  ${DCONV_WRAP:-} "$DCONV" "$@"
}

fail() {
  echo "FAIL: $*" >&2
  FAILS=$((FAILS + 1))
}

pass() {
  echo "ok: $*"
}

# check DESCRIPTION COMMAND...: run COMMAND, fail with DESCRIPTION if it fails.
check() {
  desc=$1
  shift
  if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

# need TOOL...: skip the whole test (exit 77) when a tool is missing.
need() {
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || { echo "SKIP: $t not installed"; exit 77; }
  done
}

finish() {
  if [ "$FAILS" -ne 0 ]; then
    echo "$FAILS check(s) failed" >&2
    exit 1
  fi
  exit 0
}
