#!/bin/bash
# sdk-abi CC [PC_FILE MESON_MAJOR MESON_MINOR]: the public plugin ABI
# against the committed baseline (tests/sdk/abi-baseline.xml + .defs, the
# ABI of the last release), with the version rule of include/dconv/plugin.h:
#
#   no change                               -> same version
#   additions only (struct members appended, new types, new macros)
#                                           -> next minor, same major
#   anything else (members moved, removed or retyped, values changed)
#                                           -> next major, minor 0
#
# so it fails when the ABI changed without a version bump, and when the
# version was bumped without an ABI change. Types are compared by abidiff
# (abigail-tools), macro values (node kinds, error codes, flags) by text.
# The gate itself is then tested on simulated changes of a copy of the
# headers. Also: meson.build, plugin.h and dconv-plugin.pc agree on the
# version. With ABI_GATE_ONLY=1 (update-abi-baseline.sh) only the gate runs.
#
# To record a new baseline when a release changes the ABI:
#   tests/sdk/update-abi-baseline.sh      (then commit both files)
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/lib.sh"
CC=${1:-cc}
PC=${2:-}
MESON_MAJOR=${3:-}
MESON_MINOR=${4:-}
HERE=$SRCDIR/tests/sdk
need abidw abidiff "$CC" python3
[ -z "$PC" ] || need pkg-config
if [ "$(uname -m)" != x86_64 ]; then
  echo "SKIP: the ABI baseline is recorded for x86_64"
  exit 77
fi

# defval NAME FILE.defs: a macro's value
defval() { sed -n "s/^#define $1 \\(.*\\)\$/\\1/p" "$2"; }

# verdict BASE CUR: BASE and CUR are abi-dump.sh prefixes (.xml, .defs).
# Prints why, returns 0 when CUR is a lawful successor of BASE.
verdict() {
  local base=$1 cur=$2 bmaj bmin cmaj cmin arc removed added breaking changed
  bmaj=$(defval DCONV_ABI_MAJOR "$base.defs")
  bmin=$(defval DCONV_ABI_MINOR "$base.defs")
  cmaj=$(defval DCONV_ABI_MAJOR "$cur.defs")
  cmin=$(defval DCONV_ABI_MINOR "$cur.defs")
  abidiff --no-show-locs "$base.xml" "$cur.xml" >"$cur.report" 2>&1
  arc=$?
  if [ $((arc & 3)) -ne 0 ]; then
    echo "abidiff failed (status $arc):"
    cat "$cur.report"
    return 2
  fi
  grep -v -E '^#define DCONV_ABI_(MAJOR|MINOR) ' "$base.defs" >"$base.vals"
  grep -v -E '^#define DCONV_ABI_(MAJOR|MINOR) ' "$cur.defs" >"$cur.vals"
  removed=$(LC_ALL=C comm -23 "$base.vals" "$cur.vals")
  added=$(LC_ALL=C comm -13 "$base.vals" "$cur.vals")
  # Growth at the end shows as "data member insertion" and a bigger size;
  # anything that moves, removes or retypes what a built plugin uses shows
  # as one of these.
  breaking=
  if [ -n "$removed" ] || grep -q -E \
    "offset changed|member deletion|name changed|was removed|was added|[1-9][0-9]* Removed" \
    "$cur.report"; then
    breaking=yes
  fi
  changed=
  if [ "$arc" -ne 0 ] || [ -n "$removed" ] || [ -n "$added" ]; then changed=yes; fi
  local from="$bmaj.$bmin" to="$cmaj.$cmin"
  if [ "$from" = "$to" ]; then
    if [ -n "$changed" ]; then
      echo "the ABI changed without a version bump (still $to): bump" \
        "DCONV_ABI_MINOR for additions, DCONV_ABI_MAJOR otherwise"
      [ -n "$removed$added" ] && printf 'macros: %s\n' "$removed" "$added" | grep -v '^macros: $'
      cat "$cur.report"
      return 1
    fi
    echo "ABI $to unchanged since the baseline"
    return 0
  fi
  if [ -z "$changed" ]; then
    echo "ABI version bumped from $from to $to without an ABI change"
    return 1
  fi
  if [ "$cmaj" = "$bmaj" ]; then
    if [ "$cmin" != $((bmin + 1)) ]; then
      echo "after $from the next minor is $bmaj.$((bmin + 1)), not $to"
      return 1
    fi
    if [ -n "$breaking" ]; then
      echo "incompatible ABI change with only a minor bump ($from -> $to):" \
        "bump DCONV_ABI_MAJOR (or only append)"
      [ -n "$removed" ] && printf 'macro removed or changed: %s\n' "$removed"
      cat "$cur.report"
      return 1
    fi
    echo "ABI $from -> $to: compatible additions"
    return 0
  fi
  if [ "$cmaj" != $((bmaj + 1)) ] || [ "$cmin" != 0 ]; then
    echo "after $from the next major is $((bmaj + 1)).0, not $to"
    return 1
  fi
  echo "ABI $from -> $to: new major"
  return 0
}

# 1. the real headers against the committed baseline
"$HERE/abi-dump.sh" "$SRCDIR/include" "$TMP/cur" "$CC" ||
  { fail "abidw on the public headers"; finish; }
cp "$HERE/abi-baseline.xml" "$TMP/base.xml"
cp "$HERE/abi-baseline.defs" "$TMP/base.defs"
msg=$(verdict "$TMP/base" "$TMP/cur")
rc=$?
echo "$msg"
expect_eq "public ABI vs tests/sdk/abi-baseline.* (see tests/sdk/update-abi-baseline.sh)" 0 "$rc"
[ "${ABI_GATE_ONLY:-}" = 1 ] && finish

# 2. one version, in meson.build, plugin.h and dconv-plugin.pc
hmaj=$(defval DCONV_ABI_MAJOR "$TMP/cur.defs")
hmin=$(defval DCONV_ABI_MINOR "$TMP/cur.defs")
if [ -n "$MESON_MAJOR" ]; then
  expect_eq "meson.build abi_major = plugin.h" "$hmaj" "$MESON_MAJOR"
  expect_eq "meson.build abi_minor = plugin.h" "$hmin" "$MESON_MINOR"
fi
if [ -n "$PC" ]; then
  pcv() { PKG_CONFIG_PATH=$(dirname "$PC") pkg-config --variable="$1" dconv-plugin; }
  expect_eq "dconv-plugin.pc abi_major = plugin.h" "$hmaj" "$(pcv abi_major)"
  expect_eq "dconv-plugin.pc abi_minor = plugin.h" "$hmin" "$(pcv abi_minor)"
fi
expect_eq "dconv --version = plugin.h" "plugin ABI $hmaj.$hmin" \
  "$(dconv --version | grep -o 'plugin ABI [0-9]*\.[0-9]*')"

# 3. the gate on simulated changes (base: the current headers)
# sim NAME EXPECT(0|1) PYTHON-EDITS: edit a copy of the headers, compare.
sim() {
  local name=$1 want=$2 edit=$3 d=$TMP/sim-$1
  mkdir -p "$d/dconv"
  cp "$SRCDIR"/include/dconv/*.h "$d/dconv/"
  python3 - "$d/dconv/plugin.h" "$d/dconv/tree.h" <<PY
import sys
plugin, tree = sys.argv[1], sys.argv[2]
def edit(path, old, new):
    s = open(path).read()
    assert old in s, (path, old)
    open(path, "w").write(s.replace(old, new, 1))
def minor(n): edit(plugin, "#define DCONV_ABI_MINOR $hmin\n", "#define DCONV_ABI_MINOR %d\n" % n)
def major(n): edit(plugin, "#define DCONV_ABI_MAJOR $hmaj\n", "#define DCONV_ABI_MAJOR %d\n" % n)
APPEND = ("  int (*entry_close)(dconv_export *ex);\n};",
          "  int (*entry_close)(dconv_export *ex);\n  int (*later)(dconv_export *ex);\n};")
INSERT = ("  void *(*alloc)(size_t size);", "  int (*early)(void);\n  void *(*alloc)(size_t size);")
$edit
PY
  "$HERE/abi-dump.sh" "$d" "$d/abi" "$CC" || { fail "sim $name: abidw"; return; }
  local out r
  out=$(verdict "$TMP/cur" "$d/abi")
  r=$?
  expect_eq "gate: $name -> $(echo "$out" | head -1)" "$want" "$r"
}
sim "nothing changed" 0 "pass"
sim "member appended, no bump" 1 "edit(plugin, *APPEND)"
sim "member appended, minor bump" 0 "edit(plugin, *APPEND); minor($hmin + 1)"
sim "member appended, minor skipped" 1 "edit(plugin, *APPEND); minor($hmin + 2)"
sim "member inserted, minor bump" 1 "edit(plugin, *INSERT); minor($hmin + 1)"
sim "member inserted, major bump" 0 "edit(plugin, *INSERT); major($hmaj + 1); minor(0)"
sim "member retyped, minor bump" 1 "edit(plugin, '  uint32_t n_options;', '  uint64_t n_options;'); minor($hmin + 1)"
sim "minor bump, nothing changed" 1 "minor($hmin + 1)"
sim "node kind renumbered, minor bump" 1 "edit(tree, '#define DCONV_NODE_LINK 10u', '#define DCONV_NODE_LINK 12u'); minor($hmin + 1)"
sim "node kind added, no bump" 1 "edit(tree, '#define DCONV_NODE_LINK 10u', '#define DCONV_NODE_LINK 10u\n#define DCONV_NODE_TABLE 11u')"
sim "node kind added, minor bump" 0 "edit(tree, '#define DCONV_NODE_LINK 10u', '#define DCONV_NODE_LINK 10u\n#define DCONV_NODE_TABLE 11u'); minor($hmin + 1)"
finish
