#!/bin/sh
# epub-repeats: one arXiv id repeated 40,000 times (the core keeps every
# copy and warns). Each paper gets its own anchor (arxiv-ID, arxiv-ID-2,
# ... arxiv-ID-40000), found in linear time: the writer remembers the next
# suffix per base instead of trying -2, -3, ... anew for every copy, which
# took minutes here (issue 13). The quadratic version is caught without a
# clock limit (machines here are shared, and an ASan build under load took
# over a minute for the linear one): the repeats must cost at most 4x the
# CPU time of a book of as many distinct ids, converted just before. The
# linear writer takes about 1x; the quadratic one took minutes against
# seconds. `timeout 1800` only ends a hang. epubcheck checks a 1,000-repeat
# book (unique ids, resolving toc links; on the 40,000-paper book it runs
# for over 10 minutes).
# "$DCONV" is called directly: under valgrind this input would take hours.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3 timeout
need_epubcheck

# gen FILE N same|distinct: N papers with one arXiv id, or N different ones
gen() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
same = sys.argv[3] == "same"
out = ["## Daily Papers (2024-03-27)\n"]
for i in range(int(sys.argv[2])):
    out.append("### [Same %d](https://arxiv.org/abs/%s)\n\nVote: 1\n"
               % (i, "2403.17887" if same else "2403.%05d" % i))
open(sys.argv[1], "w").write("\n".join(out))
PY
}
n=40000
gen "$TMP/rep.md" $n same
gen "$TMP/distinct.md" $n distinct
gen "$TMP/small.md" 1000 same
# CPU seconds of each run (wait4's rusage: the child's own time, whatever
# else the machine runs), or the exit status when it failed.
cpu=$(python3 - "$DCONV" "$TMP" <<'PY'
import os, subprocess, sys
dconv, tmp = sys.argv[1], sys.argv[2]
for name in ("distinct", "rep"):
    p = subprocess.Popen(["timeout", "1800", dconv, "-q", "--to", "epub",
                          "%s/%s.md" % (tmp, name), "-o", "%s/%s.epub" % (tmp, name)])
    _, status, ru = os.wait4(p.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print("%s %.3f %d" % (name, ru.ru_utime + ru.ru_stime, code))
PY
)
echo "$cpu"
rc=$(echo "$cpu" | awk '$1 == "rep" {print $3}')
expect_eq "$n distinct ids convert" 0 "$(echo "$cpu" | awk '$1 == "distinct" {print $3}')"
expect_eq "$n repeats of one id convert" 0 "$rc"
ratio=$(echo "$cpu" | awk '$1 == "distinct" {d = $2} $1 == "rep" {r = $2}
  END {print (r <= 4 * (d > 0.05 ? d : 0.05)) ? "linear" : sprintf("%.1fx", r / d)}')
expect_eq "$n repeats cost at most 4x the CPU time of $n distinct ids" linear "$ratio"
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
