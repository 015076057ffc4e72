#!/bin/sh
# tests/deps.sh - install what dconv needs to build and test on Debian 12.
# Installs only missing packages; uses sudo when not root. Safe to re-run.
set -eu

# Build: compiler, meson, and the libraries dconv is built on.
BUILD="gcc g++ meson ninja-build pkg-config libcmark-gfm-dev
  libcmark-gfm-extensions-dev libxml2-dev libzip-dev libsqlite3-dev nettle-dev
  libcairo2-dev libpng-dev libfontconfig-dev fonts-dejavu-core"
# Test: the real consumers of each format, plus sanitizers and valgrind.
TEST="cmark-gfm libxml2-utils sqlite3 jq unzip zip epubcheck pandoc
  texlive-binaries texlive-latex-base biber calibre valgrind clang
  libclang-rt-14-dev abigail-tools hyperfine time python3 mnemosyne bibutils nodejs"

case "${1:-all}" in
  build) PKGS=$BUILD ;;
  *) PKGS="$BUILD $TEST" ;;
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
