#!/bin/bash
# hostile-pathological: every input class on which Markdown parsers are
# known to go superlinear (cmark-gfm's own test/pathological_tests.py, at its
# sizes) plus the classes found against dconv (tests/hostile/pathological.py
# says which). Each is converted to JSON and must give the one paper with the
# number of summary items the generator states.
#
# Each case runs under `timeout 60`: before the fixes, three of these inputs
# took over 60 s each (quadratic); now they take well under a second.
# "$DCONV" is called directly, not through the `dconv` function: under
# valgrind (DCONV_WRAP) these MB-sized inputs would take hours; the small
# hostile inputs of classes.sh cover the same code under valgrind.
. "$SRCDIR/tests/lib.sh"
need python3 timeout
gen="python3 $SRCDIR/tests/hostile/pathological.py"

while read -r name items; do
  $gen "$name" >"$TMP/in.md"
  rc=0
  # Each well under a second; 60 s (the shared CI machine) means superlinear.
  timeout 60 "$DCONV" --to json -q -o "$TMP/out.json" "$TMP/in.md" || rc=$?
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
# A defused paragraph that ends the file without a newline, its last line
# as heavy as the rest: the last run of lines was once checked twice, the
# second time with a negative length, and the valid file failed with a
# false "out of memory" (exit 5). It must convert, warning once.
python3 - >"$TMP/last.md" <<'PY'
import sys
line = "*x* [l](http://a.b) " * 300
sys.stdout.write("## Daily Papers (2024-03-27)\n\n### [T](https://arxiv.org/abs/2403.00001)"
                 "\n\nVote: 1\n\n" + line + "\n" + line)
PY
rc=0
"$DCONV" --check "$TMP/last.md" 2>"$TMP/err" >/dev/null || rc=$?
expect_eq "defused last paragraph without a final newline: exit status" 0 "$rc"
expect_eq "defused last paragraph: one warning, for both lines" 1 \
  "$(grep -c 'last\.md:6: warning: paragraph with 1200 emphasis markers and 600 links' "$TMP/err")"
# Out of memory inside cmark-gfm: its own allocator aborts ("[cmark] calloc
# returned null pointer, aborting", SIGABRT, exit 134); dconv's makes the
# parse fail cleanly with exit 5. 200,000 markup-dense bullets (8.7 MB) need
# about 600 MB of cmark's syntax tree, so under a 250 MB address-space limit
# the input is read and cleaned and the failure comes inside cmark.
python3 - >"$TMP/big.md" <<'PY'
import sys
sys.stdout.write("## Daily Papers (2024-01-01)\n\n"
                 "### [T](https://arxiv.org/abs/2401.00001)\n\nVote: 1\n\n")
for i in range(200000):
    sys.stdout.write("- a *b* `c` [d](https://e.org/%d) **f**\n" % i)
PY
# AddressSanitizer maps terabytes of shadow memory, so an address-space
# limit stops an ASan build before main(): there (tests/ci.sh's second
# pass) this check is left to the other builds, which all run it.
if ldd "$DCONV" 2>/dev/null | grep -q libasan; then
  echo "note: ASan build: the ulimit -v check runs in the other builds"
else
  rc=0
  (ulimit -v 250000 && exec "$DCONV" --check "$TMP/big.md") 2>"$TMP/oom.err" || rc=$?
  expect_eq "out of memory inside cmark-gfm: exit status" 5 "$rc"
  check "out of memory inside cmark-gfm: 'out of memory' reported" \
    grep -q '^dconv: error: out of memory$' "$TMP/oom.err"
  check "out of memory inside cmark-gfm: cmark does not abort" \
    sh -c '! grep -q "\[cmark\]" "$1"' sh "$TMP/oom.err"
fi
finish
