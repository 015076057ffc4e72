#!/bin/bash
# tests/build.sh [DIR [meson options...]] - configure (or reconfigure) and
# compile a build directory (default: build). Used by README's commands and
# by tests/ci.sh, so a fresh clone and a re-run behave the same.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
# meson prints its errors on stdout: keep it, and show it on failure.
setup_log=$(mktemp)
trap 'rm -f "$setup_log"' EXIT
if [ -f "$dir/build.ninja" ]; then
  # A reconfigure keeps meson's cached compiler checks, among them the ABI
  # version read from plugin.h; after an ABI bump they are stale, so a
  # failed reconfigure is retried from scratch (--wipe keeps the options).
  meson setup --reconfigure "$dir" "$@" >"$setup_log" 2>&1 ||
    meson setup --wipe "$dir" "$@" >"$setup_log" 2>&1 ||
    { cat "$setup_log" >&2; exit 1; }
else
  meson setup "$dir" "$@" >"$setup_log" 2>&1 || { cat "$setup_log" >&2; exit 1; }
fi
# Quiet on success; on failure the compiler's messages (ninja prints them
# on stdout) are shown, not just a status.
log=$dir/meson-logs/compile.log
if ! meson compile -C "$dir" >"$log" 2>&1; then
  grep -v '^\[[0-9]*/[0-9]*\] ' "$log" >&2
  echo "tests/build.sh: compiling $dir failed (all output: $log)" >&2
  exit 1
fi
