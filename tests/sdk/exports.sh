#!/bin/bash
# sdk-exports PLUGIN.so...: every built plugin exports exactly one dynamic
# symbol, dconv_plugin_entry (like lv2lint: helper symbols leaking out of a
# module can clash with the host or with other plugins).
. "$SRCDIR/tests/lib.sh"
need nm
[ $# -gt 0 ] || { fail "no plugins given"; finish; }
for so in "$@"; do
  syms=$(nm -D --defined-only "$so" | awk 'NF == 3 {print $3}' | sort | tr '\n' ' ')
  expect_eq "$(basename "$so") exports one symbol" "dconv_plugin_entry " "$syms"
  # The entry point is a function (type T), not data.
  type=$(nm -D --defined-only "$so" | awk '$3 == "dconv_plugin_entry" {print $2}')
  expect_eq "$(basename "$so"): entry is a function" "T" "$type"
done
finish
