#!/bin/bash
# tests/ci.sh - the whole test suite on five builds, then the fuzzers:
#   1. a normal build (gcc, debugoptimized) and the whole `meson test`:
#      every test, the real consumers of every format included;
#   2. an AddressSanitizer + UndefinedBehaviorSanitizer build and the whole
#      `meson test` (the 'large' tests shrink their inputs there);
#   3. the normal build again with every dconv run under valgrind (the
#      'large' suite is left out: those tests call dconv directly, never
#      under valgrind, so step 1 already ran them as they would run here);
#   4. the packagers' builds: gcc --buildtype=release (-O3), and
#      --buildtype=plain with Debian's default flags (dpkg-buildflags: -O2,
#      _FORTIFY_SOURCE, stack protector, relro);
#   5. a clang build;
#   (4 and 5 run every test of dconv's own behaviour, `meson test
#   --no-suite large --no-suite consumers`, and then tests/same-output.sh:
#   each writes byte for byte what build 1 writes, for every format on the
#   seeds, the corpus and the adversarial fixtures, so the verdicts of the
#   real consumers in step 1 carry over without running the validators
#   three more times; CI must stay well under an hour);
#   6. each libFuzzer harness for $FUZZ_TIME seconds (default 30) under
#      ASan + UBSan (tests/fuzz/run.sh).
# Every build but the plain one warns as an error (-Dwerror=true; the
# project's default is off, for packagers). Every test tool is required
# (DCONV_REQUIRE_TOOLS=1, see tests/lib.sh): a test that would skip fails.
# Any failure, sanitizer report, valgrind error or fuzzer finding fails the
# run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DCONV_REQUIRE_TOOLS=1

setup() { tests/build.sh "$@"; }
mtest() { meson test --print-errorlogs --num-processes 2 "$@"; }

echo "== 1/6 build and test"
setup build -Dwerror=true
mtest -C build

echo "== 2/6 ASan + UBSan"
setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
  -Dc_args=-fno-sanitize-recover=all -Dbuildtype=debug
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  mtest -C build-asan

echo "== 3/6 valgrind"
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
meson test -C build --suite unit --wrapper "$VG" --print-errorlogs
DCONV_WRAP="$VG" mtest -C build --no-suite unit --no-suite large \
  --timeout-multiplier 4

echo "== 4/6 packagers' builds: gcc release, plain with Debian's flags"
# Own behaviour, then the same bytes as build 1 (see the header).
own() { mtest -C "$1" --no-suite large --no-suite consumers; }
same() { tests/same-output.sh build/core/dconv "$1/core/dconv"; }
setup build-release -Dwerror=true -Dbuildtype=release
own build-release
same build-release
CFLAGS=$(dpkg-buildflags --get CFLAGS) CPPFLAGS=$(dpkg-buildflags --get CPPFLAGS) \
LDFLAGS=$(dpkg-buildflags --get LDFLAGS) \
  setup build-plain -Dbuildtype=plain
own build-plain
same build-plain

echo "== 5/6 clang"
CC=clang setup build-clang -Dwerror=true
own build-clang
same build-clang

echo "== 6/6 fuzzing"
FUZZ_TIME=${FUZZ_TIME:-30} tests/fuzz/run.sh parser markdown json bibtex opml epub anki
echo "== all tests passed"
