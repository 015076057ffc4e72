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
# Quiet on success; on failure the compiler's messages (ninja prints them
# on stdout) are shown, not just a status.
log=$dir/meson-logs/compile.log
if ! meson compile -C "$dir" >"$log" 2>&1; then
  grep -v '^\[[0-9]*/[0-9]*\] ' "$log" >&2
  echo "tests/build.sh: compiling $dir failed (all output: $log)" >&2
  exit 1
fi
