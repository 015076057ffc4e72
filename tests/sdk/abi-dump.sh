#!/bin/bash
# abi-dump.sh INCLUDE_DIR OUT [CC] - describe the plugin ABI of the headers
# in INCLUDE_DIR/dconv/ as two files:
#   OUT.xml   abidw's description of every public type, taken from the
#             debug info of abi_probe.c compiled against those headers
#   OUT.defs  every DCONV_* macro as the preprocessor sees it (node kinds,
#             error codes, flags, option types, the version itself): values
#             plugins compile in, which no type description shows
# Used by abi.sh (the test) and update-abi-baseline.sh.
set -euo pipefail
inc=$(cd "$1" && pwd)
out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
cc=${3:-cc}
here=$(cd "$(dirname "$0")" && pwd)
# Compiled by relative name, so the description holds no checkout path.
(cd "$here" && "$cc" -std=c11 -g -O0 -fPIC -shared -fvisibility=hidden \
  -I"$inc" abi_probe.c -o "$out.so")
abidw --no-corpus-path --no-comp-dir-path --no-show-locs \
  --drop-private-types --headers-dir "$inc/dconv" --out-file "$out.xml" "$out.so"
rm -f "$out.so"
printf '#include <dconv/plugin.h>\n#include <dconv/tree.h>\n' |
  "$cc" -std=c11 -dM -E -I"$inc" -x c - |
  grep '^#define DCONV_' | sed 's/ *$//' | grep -v '^#define DCONV_[A-Z_]*_H$' |
  LC_ALL=C sort >"$out.defs"
