#!/bin/sh
# tests/deps.sh [build|all] - install what dconv needs to build (build) or
# to build and run every test (all, the default) on Debian 12.
# Installs only missing packages; uses sudo when not root. Safe to re-run.
set -eu

# tests/deps.sh build: what building dconv and running it needs (README's
# first command): the compiler, meson, the libraries dconv is built on, and
# the font the EPUB cover is drawn with.
BUILD="gcc meson ninja-build pkg-config libcmark-gfm-dev
  libcmark-gfm-extensions-dev libjansson-dev libxml2-dev libzip-dev libsqlite3-dev nettle-dev
  libdeflate-dev zlib1g-dev libfontconfig-dev libfreetype-dev
  fonts-dejavu-core liblua5.4-dev"
# tests/deps.sh all (the default): the build set plus what the tests run
# (README's second command, tests/ci.sh): the real consumers of each format,
# the second compiler, C++ for the header test, sanitizer runtimes, valgrind
# and the tools the checks use. tests/ci.sh treats every one as required.
TEST="g++ clang libclang-rt-14-dev cmark-gfm libxml2-utils sqlite3 jq unzip
  zip epubcheck pandoc texlive-binaries texlive-latex-base biber calibre
  valgrind abigail-tools hyperfine time python3 mnemosyne faketime groff-base
  dpkg-dev bibutils nodejs strace"

case "${1:-all}" in
  build) PKGS=$BUILD ;;
  all)
    PKGS="$BUILD $TEST"
    # The citation-js checks (tests/citejs) need npm. Debian's npm package
    # conflicts with a NodeSource nodejs, which ships npm itself.
    command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
    ;;
  *)
    echo "usage: tests/deps.sh [build|all]" >&2
    exit 2
    ;;
esac

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing:$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
  --no-install-recommends $missing >/dev/null
