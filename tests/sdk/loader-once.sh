#!/bin/bash
# sdk-loader-once PLUGDIR: what the loader checked is what it loads. The
# plugin file is opened once by its path, and dlopen() gets the opened
# file through /proc/self/fd/N, so a file swapped in between the checks
# and the load is never what runs (issue 13: a stat() by path and then a
# dlopen() by path again let another account's code run as root). Traced
# with strace: every open of the plugin, and the dlopen's open.
. "$SRCDIR/tests/lib.sh"
need strace
PLUGDIR=$1
export XDG_DATA_HOME=$TMP/xdg HOME=$TMP
SEED=$(find "$SEEDS" -maxdepth 1 -type f -name '*.txt' | sort | head -1)
mkdir -p "$TMP/p"
cp "$PLUGDIR/tp-good.so" "$TMP/p/"
export DCONV_PLUGIN_PATH=$TMP/p
# LeakSanitizer cannot run under ptrace: off for this one traced run of an
# ASan build (the other tests check leaks).
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
  strace -f -qq -e trace=open,openat -o "$TMP/trace" \
  "$DCONV" --to tp-good "$SEED" >"$TMP/out" 2>"$TMP/err"
expect_eq "traced run: exit 0" 0 $?
check "traced run: the plugin converted" grep -q '^tp-good: ' "$TMP/out"
expect_eq "the plugin file is opened by its path exactly once" 1 \
  "$(grep -c "\"$TMP/p/tp-good.so\"" "$TMP/trace")"
fd=$(sed -n "s|.*\"$TMP/p/tp-good.so\".* = \([0-9]*\)$|\1|p" "$TMP/trace")
check "dlopen() loads the descriptor that was checked (/proc/self/fd/$fd)" \
  grep -q "\"/proc/self/fd/$fd\"" "$TMP/trace"
finish
