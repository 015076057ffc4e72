#!/bin/bash
# sdk-man: the manual pages format without warnings and match the program:
# every long option of `dconv --help` is documented in dconv(1), and every
# option dconv(1) documents exists.
. "$SRCDIR/tests/lib.sh"
need groff
for page in "$SRCDIR/docs/dconv.1" "$SRCDIR/docs/dconv-plugin.7"; do
  msgs=$(groff -man -ww -z -Tutf8 "$page" 2>&1)
  expect_eq "$(basename "$page") formats cleanly" "" "$msgs"
done
help=$(dconv --help)
help_opts=$(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
man_opts=$(groff -man -Tascii -P-cbou "$SRCDIR/docs/dconv.1" 2>/dev/null |
  grep -o -- '--[a-z][a-z-]*' | sort -u)
expect_eq "dconv(1) documents exactly the options of --help" "$help_opts" "$man_opts"
# Exit codes in dconv(1) are the ones --help lists.
for code in 0 1 2 3 4 5; do
  check "dconv(1) documents exit status $code" \
    grep -q "^\.IP $code\$" "$SRCDIR/docs/dconv.1"
done
# The plugin guide names the real ABI version and pkg-config module. Checked
# on the formatted text, which is what a reader sees (the source writes
# dconv\-plugin and 1\&.0; its comment lines would match anything).
maj=$(sed -n 's/^#define DCONV_ABI_MAJOR \([0-9]*\)$/\1/p' "$SRCDIR/include/dconv/plugin.h")
min=$(sed -n 's/^#define DCONV_ABI_MINOR \([0-9]*\)$/\1/p' "$SRCDIR/include/dconv/plugin.h")
guide=$(groff -man -Tascii -rLL=400n -P-cbou "$SRCDIR/docs/dconv-plugin.7" 2>/dev/null)
check "dconv-plugin(7) is titled with ABI $maj.$min" \
  grep -qE "^ +dconv-plugin - .*\(plugin ABI $maj\.$min\)\$" <<<"$guide"
expect_eq "dconv-plugin(7): the module of every pkg-config call" "dconv-plugin" \
  "$(grep -oE 'pkg-config --[a-z=_]+ [^ )]+' <<<"$guide" | awk '{sub(/[.,;:]$/, "", $3); print $3}' | sort -u)"
check "dconv-plugin(7) shows how to compile against the module" \
  grep -qF 'pkg-config --cflags dconv-plugin' <<<"$guide"
check "dconv-plugin(7) shows how to find plugindir" \
  grep -qF 'pkg-config --variable=plugindir dconv-plugin' <<<"$guide"
check "the build generates the module the guide names" \
  test -f "$BUILDDIR/meson-private/dconv-plugin.pc"
finish
