#!/usr/bin/env python3
"""tests/ris/check_mods.py - compare what bibutils' ris2xml read (MODS XML)
with the tree (dconv --to json), record by record.

Usage: check_mods.py MODS.xml TREE.json

Checks per record: the title (ris2xml splits "A: B" and "A? B" into title
and subTitle; both are joined back), the number of distinct names (the
authors before the '+' gap), the year-month issued date from the arXiv id, and the URL.
The DOI is not checked: bibutils 7.2 recognises only DOIs with a four-digit
registrant (10.1234/...), and arXiv's is 10.48550, so it drops DO lines.
Exits 1 listing every mismatch.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

NS = {"m": "http://www.loc.gov/mods/v3"}


def norm(title):
    """Blanks as ris2xml leaves them: collapsed, none before ':' or '?'."""
    return " ".join(re.sub(r"\s+([:?])", r"\1", title).split())


def expected(tree):
    seen, out = set(), []
    for d in tree["digests"]:
        for p in d["papers"]:
            aid = p["arxiv_id"]
            if aid:
                if aid in seen:
                    continue
                seen.add(aid)
            names = p["authors"]
            if p["authors_elided"] and (p["authors_elided_at"] or 0) > 0:
                names = names[: p["authors_elided_at"]]
            date = None
            if aid:
                m = re.match(r"(?:[a-z-]+(?:\.[A-Z]{2})?/)?(\d\d)(\d\d)", aid)
                if m:
                    yy, mm = int(m.group(1)), int(m.group(2))
                    year = (1900 + yy) if "/" in aid and yy >= 91 else 2000 + yy
                    date = "%04d-%02d" % (year, mm) if 1 <= mm <= 12 else "%04d" % year
            out.append({
                "title": p["title"],
                # ris2xml keeps one of two identical names (two people
                # called "Tao Zhang" become one): count distinct names
                "names": len({" ".join(n.split()) for n in names if n}),
                "date": date,
                "url": p["url"],
            })
    return out


def main():
    mods = ET.parse(sys.argv[1]).getroot().findall("m:mods", NS)
    with open(sys.argv[2], encoding="utf-8") as f:
        want = expected(json.load(f))
    fails = []
    if len(mods) != len(want):
        fails.append("%d records read, %d distinct papers" % (len(mods), len(want)))
    for i, (m, w) in enumerate(zip(mods, want), 1):
        ti = m.find("m:titleInfo", NS)
        title = ti.findtext("m:title", "", NS) if ti is not None else ""
        sub = ti.findtext("m:subTitle", None, NS) if ti is not None else None
        if sub is not None:
            # split at ":" or after "?" (which it keeps)
            sep = " " if norm(title + " " + sub) == norm(w["title"]) else ": "
            title += sep + sub
        if norm(title) != norm(w["title"]):
            fails.append("record %d: title %r != %r" % (i, title, w["title"]))
        n = len(m.findall("m:name", NS))
        if n != w["names"]:
            fails.append("record %d: %d names != %d" % (i, n, w["names"]))
        date = m.findtext("m:originInfo/m:dateIssued", None, NS)
        if w["date"] and date != w["date"]:
            fails.append("record %d: date %r != %r" % (i, date, w["date"]))
        url = m.findtext("m:location/m:url", None, NS)
        if url != w["url"]:
            fails.append("record %d: url %r != %r" % (i, url, w["url"]))
    for f in fails:
        print("FAIL: " + f, file=sys.stderr)
    if fails:
        return 1
    print("ok: ris2xml: %d records match the tree" % len(mods))
    return 0


sys.exit(main())
