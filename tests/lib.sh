# tests/lib.sh - sourced by every shell test (POSIX sh + bash features).
#
# Environment (set by tests/meson.build):
#   DCONV       the dconv executable under test
#   SRCDIR      the source tree; SEEDS and CORPUS point into it
#   BUILDDIR    the build tree
#   DCONV_WRAP  optional wrapper for every dconv run, e.g. valgrind
#   DCONV_REQUIRE_TOOLS=1  a missing tool fails the test instead of
#               skipping it (tests/ci.sh, which installs every tool)
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

# Every result also leaves $TMP/.checked behind (a file, not a variable, so
# results reported from a subshell count too): `need` reads it.
fail() {
  echo "FAIL: $*" >&2
  FAILS=$((FAILS + 1))
  : >"$TMP/.checked"
}

pass() {
  echo "ok: $*"
  : >"$TMP/.checked"
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

# need TOOL...: every program the test runs besides dconv and the POSIX
# utilities, in one call at the top of the script, before any check.
need() {
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || unavailable "$t not installed"
  done
}

# unavailable WHY: a tool the test requires is missing. The test is skipped
# (exit 77) on a machine set up with `tests/deps.sh build` only. It fails
# instead once a check has run: a skip then would hide the FAIL lines
# already printed (a broken writer would pass as "skipped"); and it fails
# under DCONV_REQUIRE_TOOLS=1, where every tool was installed, so a skip can
# only mean that a test silently did not run.
unavailable() {
  if [ -e "$TMP/.checked" ]; then
    fail "$1 (required, and checks already ran: declare it with need at the top)"
    finish
  fi
  if [ "${DCONV_REQUIRE_TOOLS:-}" = 1 ]; then
    fail "$1 (DCONV_REQUIRE_TOOLS=1: every tool is required)"
    finish
  fi
  echo "SKIP: $1"
  exit 77
}

finish() {
  if [ "$FAILS" -ne 0 ]; then
    echo "$FAILS check(s) failed" >&2
    exit 1
  fi
  exit 0
}
