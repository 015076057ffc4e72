#!/bin/bash
# hostile-pathological: every input class on which Markdown parsers are
# known to go superlinear (cmark-gfm's own test/pathological_tests.py, at its
# sizes) plus the classes found against dconv (tests/hostile/pathological.py
# says which). Each is converted to JSON and must give the one paper with the
# number of summary items the generator states.
#
# There is no timed assertion: before the fixes, three of these inputs took
# over 60 s each (quadratic), and meson's timeout for this test (see
# meson.build) fails the test on them; now they take well under a second.
# "$DCONV" is called directly, not through the `dconv` function: under
# valgrind (DCONV_WRAP) these MB-sized inputs would take hours; the small
# hostile inputs of classes.sh cover the same code under valgrind.
. "$SRCDIR/tests/lib.sh"
need python3
gen="python3 $SRCDIR/tests/hostile/pathological.py"

while read -r name items; do
  $gen "$name" >"$TMP/in.md"
  rc=0
  "$DCONV" --to json -q -o "$TMP/out.json" "$TMP/in.md" || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$name: exit $rc"
    continue
  fi
  got=$(python3 - "$TMP/out.json" <<'PY'
import json, sys
papers = [p for d in json.load(open(sys.argv[1]))["digests"] for p in d["papers"]]
print(len(papers), sum(len(p["summary"]) for p in papers))
PY
)
  expect_eq "$name: papers and summary items" "1 $items" "$got"
done < <($gen --list)

# The defused classes say so, naming the paragraph's line.
$gen image-openers-times-links >"$TMP/in.md"
"$DCONV" --check "$TMP/in.md" 2>"$TMP/err" >/dev/null
check "![[]() repeated: warning names the paragraph" \
  grep -q 'in\.md:8: warning: paragraph with 80000 image openers and 80000 closing brackets: markers kept as plain text' "$TMP/err"
finish
