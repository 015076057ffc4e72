#!/bin/bash
# tests/build.sh [DIR [meson options...]] - configure (or reconfigure) and
# compile a build directory (default: build). Used by README's commands and
# by tests/ci.sh, so a fresh clone and a re-run behave the same.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
if [ -f "$dir/build.ninja" ]; then
  meson setup --reconfigure "$dir" "$@" >/dev/null
else
  meson setup "$dir" "$@" >/dev/null
fi
meson compile -C "$dir" >/dev/null
