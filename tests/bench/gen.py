#!/usr/bin/env python3
"""gen.py CORPUS_DIR OUT_DIR PAPERS [PER_FILE]

Write a synthetic digest collection of exactly PAPERS papers into OUT_DIR,
made by replaying the real corpus over and over: every digest gets a new,
unique date (one day after the previous, from 1990-01-01) and every paper a
new, unique arXiv id (in its heading link and thumbnail), so no paper is a
duplicate and writers that keep one entry per arXiv id do the full work.
Digests are grouped PER_FILE (default 298, one corpus' worth) to a file,
named big-NNNN.md. Used by tests/bench/bench.sh; never committed.
"""
import datetime
import os
import re
import sys


def main():
    corpus, out, papers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    per_file = int(sys.argv[4]) if len(sys.argv) > 4 else 298
    digests = []
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            text = f.read()
        head, _, body = text.partition("\n")
        # Split the body into the preamble and paper blocks at '### '.
        parts = re.split(r"(?m)^(?=### )", body)
        digests.append((head, parts[0], parts[1:]))
    idre = re.compile(r"arxiv\.org/abs/([0-9]{4}\.[0-9]{4,5})")
    day = datetime.date(1990, 1, 1)
    n = 0
    k = 0
    os.makedirs(out, exist_ok=True)
    fileno = 0
    buf = []
    in_file = 0
    while n < papers:
        for head, pre, blocks in digests:
            if n >= papers:
                break
            take = blocks[: papers - n]
            if not take:
                continue
            buf.append(re.sub(r"\(\d{4}-\d{2}-\d{2}\)", "(%s)" % day.isoformat(), head, count=1))
            buf.append("\n" + pre)
            for b in take:
                m = idre.search(b)
                if m:
                    new = "%02d%02d.%05d" % (10 + k // 1200000, 1 + (k // 100000) % 12, k % 100000)
                    b = b.replace(m.group(1), new)
                    k += 1
                buf.append(b)
            n += len(take)
            day += datetime.timedelta(days=1)
            in_file += 1
            if in_file == per_file:
                with open(os.path.join(out, "big-%04d.md" % fileno), "w", encoding="utf-8") as f:
                    f.write("".join(buf))
                fileno += 1
                buf = []
                in_file = 0
    if buf:
        with open(os.path.join(out, "big-%04d.md" % fileno), "w", encoding="utf-8") as f:
            f.write("".join(buf))


if __name__ == "__main__":
    main()
