#!/bin/sh
# epub-repeats: one arXiv id repeated 40,000 times (the core keeps every
# copy and warns). Each paper gets its own anchor (arxiv-ID, arxiv-ID-2,
# ... arxiv-ID-40000), found in linear time: the writer remembers the next
# suffix per base instead of trying -2, -3, ... anew for every copy, which
# took minutes here (issue 13). The timeout below fails the quadratic
# version; epubcheck checks a 1,000-repeat book (unique ids, resolving toc
# links; on the 40,000-paper book it runs for over 10 minutes).
# "$DCONV" is called directly: under valgrind this input would take hours.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3 timeout
need_epubcheck

gen() {
  python3 - "$1" "$2" <<'PY'
import sys
out = ["## Daily Papers (2024-03-27)\n"]
for i in range(int(sys.argv[2])):
    out.append("### [Same %d](https://arxiv.org/abs/2403.17887)\n\nVote: 1\n" % i)
open(sys.argv[1], "w").write("\n".join(out))
PY
}
n=40000
gen "$TMP/rep.md" $n
gen "$TMP/small.md" 1000
rc=0
timeout 60 "$DCONV" -q --to epub "$TMP/rep.md" -o "$TMP/rep.epub" || rc=$?
expect_eq "$n repeats of one id convert within 60 s" 0 "$rc"
if [ "$rc" -eq 0 ]; then
  got=$(python3 - "$TMP/rep.epub" "$n" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
ids = re.findall(rb'<section class="paper" id="([^"]+)"',
                 z.read("EPUB/day-2024-03-27.xhtml"))
n = int(sys.argv[2])
want = [b"arxiv-2403.17887"] + [b"arxiv-2403.17887-%d" % k for k in range(2, n + 1)]
print("ok" if ids == want else "anchors differ: %d ids, first %r" % (len(ids), ids[:3]))
PY
)
  expect_eq "anchors arxiv-ID, arxiv-ID-2 ... in order" ok "$got"
fi
if "$DCONV" -q --to epub "$TMP/small.md" -o "$TMP/small.epub"; then
  epubcheck_all "$TMP/small.epub"
else
  fail "convert 1,000 repeats"
fi
finish
