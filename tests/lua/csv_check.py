#!/usr/bin/env python3
"""csv_check.py DIGEST.json LIST.csv MIN_VOTES - the reading-list writer's
CSV as Python's csv module reads it (RFC 4180 quoting, CRLF rows) against
dconv's own JSON of the same input: the header, then one row per paper
with at least MIN_VOTES votes (unknown votes count as 0), in order, with
date, title, url, arXiv id, votes and the authors joined by "; "."""
import csv
import json
import sys


def main():
    digest = json.load(open(sys.argv[1]))
    minimum = int(sys.argv[3])
    with open(sys.argv[2], newline="", encoding="utf-8") as f:
        raw = f.read()
    rows = list(csv.reader(raw.splitlines(keepends=True), strict=True))
    want = [["date", "title", "url", "arxiv_id", "votes", "authors"]]
    for d in digest["digests"]:
        for p in d["papers"]:
            votes = p.get("votes")
            if (votes or 0) < minimum:
                continue
            want.append([d["date"], p["title"], p["url"], p.get("arxiv_id") or "",
                         "" if votes is None else str(votes),
                         "; ".join(p["authors"])])
    bad = 0
    if raw.count("\r\n") != len(want) or raw.replace("\r\n", "").count("\n"):
        print("rows do not all end in CRLF")
        bad += 1
    if len(rows) != len(want):
        print("%d rows, expected %d" % (len(rows), len(want)))
        bad += 1
    for g, w in zip(rows, want):
        if g != w:
            print("got      %r\nexpected %r" % (g, w))
            bad += 1
    print("%d rows checked, %d mismatches" % (len(want), bad))
    return 1 if bad else 0


sys.exit(main())
