#!/bin/bash
# sdk-headers CC: every public header compiles on its own, first in a
# translation unit, as C11 and as C++11 (and C++17), with every warning an
# error; a whole plugin written in C++ compiles and links with one export.
. "$SRCDIR/tests/lib.sh"
CC=${1:-cc}
CXX=${CXX:-g++}
need "$CC" "$CXX" clang nm

CFLAGS="-std=c11 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Wconversion"
CXXFLAGS="-Wall -Wextra -Werror -pedantic -Wshadow -Wconversion"

headers=$(cd "$SRCDIR/include" && ls dconv/*.h)
expect_eq "public headers" "dconv/errors.h dconv/names.h dconv/plugin.h dconv/tex.h dconv/tree.h dconv/util.h" "$(printf '%s\n' "$headers" | tr '\n' ' ' | sed 's/ $//')"
for h in $headers; do
  # Alone, and twice (include guard).
  printf '#include <%s>\n#include <%s>\nint dconv_header_test;\n' "$h" "$h" >"$TMP/t.c"
  cp "$TMP/t.c" "$TMP/t.cc"
  # shellcheck disable=SC2086
  check "$h: C11 alone" "$CC" $CFLAGS -I"$SRCDIR/include" -c "$TMP/t.c" -o "$TMP/t.o"
  # shellcheck disable=SC2086
  check "$h: C++11 alone" "$CXX" -std=c++11 $CXXFLAGS -I"$SRCDIR/include" -c "$TMP/t.cc" -o "$TMP/t.o"
  # shellcheck disable=SC2086
  check "$h: C++17 alone" "$CXX" -std=c++17 $CXXFLAGS -I"$SRCDIR/include" -c "$TMP/t.cc" -o "$TMP/t.o"
  # No header relies on a macro or type another header defines first.
  printf '#include <stdio.h>\n#include <%s>\nint dconv_header_test;\n' "$h" >"$TMP/u.c"
  # shellcheck disable=SC2086
  check "$h: C11 after a system header" "$CC" $CFLAGS -I"$SRCDIR/include" -c "$TMP/u.c" -o "$TMP/t.o"
done
for h in $headers; do
  printf '#include <%s>\nint dconv_header_test;\n' "$h" >"$TMP/t.c"
  # shellcheck disable=SC2086
  check "$h: clang C11 alone" clang $CFLAGS -I"$SRCDIR/include" -c "$TMP/t.c" -o "$TMP/t.o"
done

# A complete plugin in C++: DCONV_PLUGIN_HEADER and DCONV_PLUGIN_DEFINE
# must work there too (extern "C", no designated initialisers).
cat >"$TMP/plug.cc" <<'CXX'
#include <dconv/plugin.h>

namespace {
int convert(const dconv_host *h, dconv_export *ex) {
  static const char text[] = "from C++\n";
  if (!DCONV_HOST_HAS(h, timestamp))
    return h->set_error(ex, DCONV_E_UNSUPPORTED, "host too old");
  return h->write(ex, text, sizeof text - 1);
}
const dconv_option options[] = {
    {sizeof(dconv_option), DCONV_OPT_BOOL, "loud", "false", nullptr, "shout"},
};
const dconv_plugin plugin = {
    DCONV_PLUGIN_HEADER, 0, "cxx", "1.0", "a plugin in C++", "txt",
    options, 1, 0, nullptr, convert,
};
} // namespace

DCONV_PLUGIN_DEFINE(plugin)
CXX
# shellcheck disable=SC2086
check "C++ plugin builds" "$CXX" -std=c++11 $CXXFLAGS -fPIC -shared \
  -fvisibility=hidden -I"$SRCDIR/include" "$TMP/plug.cc" -o "$TMP/cxx.so"
if [ -f "$TMP/cxx.so" ]; then
  expect_eq "C++ plugin exports only the entry" "dconv_plugin_entry" \
    "$(nm -D --defined-only "$TMP/cxx.so" | awk '{print $3}' | tr '\n' ' ' | sed 's/ $//')"
  mkdir "$TMP/p" && cp "$TMP/cxx.so" "$TMP/p/"
  printf '## Daily Papers (2024-03-27)\n\n### [T](https://arxiv.org/abs/2403.17887)\n\nVote: 1\n\nAuthors: A\n\n- x\n' >"$TMP/d.md"
  out=$(DCONV_PLUGIN_PATH="$TMP/p" XDG_DATA_HOME="$TMP/none" dconv --to cxx "$TMP/d.md")
  expect_eq "C++ plugin loads and converts" "from C++" "$out"
fi
finish
