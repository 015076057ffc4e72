#!/bin/bash
# tests/sdk/update-abi-baseline.sh [CC] - record the current public headers
# as the ABI baseline (tests/sdk/abi-baseline.xml and .defs).
#
# Run it when a release ships with a new plugin ABI version, and commit the
# two files with the release. Between releases the baseline stays the ABI
# of the last release, and `meson test --suite sdk` (sdk-abi) enforces:
#   - headers unchanged since the baseline  -> same DCONV_ABI_MAJOR/MINOR;
#   - only additions (struct members at the end, new macros, new types)
#                                           -> minor bumped, major kept;
#   - anything else (members moved, removed or retyped, values changed)
#                                           -> major bumped, minor 0.
# It refuses to record a baseline that breaks those rules against the
# current one, so the history of baselines obeys them too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
cc=${1:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -f "$here/abi-baseline.xml" ]; then
  # Same gate as the test: the new ABI must be a lawful successor.
  ABI_GATE_ONLY=1 bash "$here/abi.sh" "$cc" || {
    echo "update-abi-baseline: the headers break the ABI rules; fix the version first" >&2
    exit 1
  }
fi
"$here/abi-dump.sh" "$src/include" "$tmp/abi" "$cc"
cp "$tmp/abi.xml" "$here/abi-baseline.xml"
cp "$tmp/abi.defs" "$here/abi-baseline.defs"
grep -E 'DCONV_ABI_(MAJOR|MINOR) ' "$here/abi-baseline.defs"
echo "update-abi-baseline: recorded; commit tests/sdk/abi-baseline.xml and .defs"
