#!/bin/bash
# sdk-attrs ATTRS_BIN: the one attribute table (core/attrs.def) against
# the DCONV_ATTR_* macros of <dconv/tree.h> and the ATTRIBUTES list of
# dconv-plugin(7): a key added, renamed or re-documented in one place only
# fails here.
. "$SRCDIR/tests/lib.sh"
BIN=$1
out=$("$BIN")
expect_eq "attrs: the table prints" 0 $?
table_keys=$(printf '%s\n' "$out" | sed -n 's/^key //p' | LC_ALL=C sort -u)
header_keys=$(sed -n 's/^#define DCONV_ATTR_[A-Z_]* "\([a-z_]*\)".*/\1/p' \
  "$SRCDIR/include/dconv/tree.h" | LC_ALL=C sort -u)
check "attrs: some keys" test -n "$table_keys"
expect_eq "attrs: table keys = DCONV_ATTR_* macros of tree.h" "$header_keys" "$table_keys"
want=$(printf '%s\n' "$out" | grep -v '^key ')
man=$(sed -n '/^\.\\" BEGIN ATTRIBUTES/,/^\.\\" END ATTRIBUTES/p' \
  "$SRCDIR/docs/dconv-plugin.7" | sed '1d;$d')
expect_eq "attrs: dconv-plugin(7) lists exactly the table (regenerate the block between BEGIN/END ATTRIBUTES with build/tests/sdk/sdk-attrs)" "$want" "$man"
finish
