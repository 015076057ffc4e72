#!/usr/bin/env python3
"""org_check.py DIGEST.json PANDOC.json - the Org writer's output as pandoc
read it (pandoc -f org -t json) against dconv's own JSON of the same input:
one level-1 heading per digest (its title), one level-2 heading per paper
whose text is the title (markup characters in titles stay text:
tests/lua/digest.md has them), followed by a paragraph that starts with a
link to the paper's URL; and, in the paper's property drawer (pandoc lowercases the keys), its arXiv id. Prints each mismatch."""
import json
import sys


def text(inlines):
    """Plain text of pandoc inlines (what a reader of the Org file sees)."""
    out = []
    for i in inlines:
        t, c = i["t"], i.get("c")
        if t == "Str":  # the writer's zero-width spaces are invisible
            out.append(c.replace("\u200b", ""))
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t in ("Code", "Math", "RawInline"):
            out.append(c[1])
        elif t in ("Link", "Image", "Span"):
            out.append(text(c[1]))
        elif t in ("Emph", "Strong", "Strikeout", "Underline", "Subscript",
                   "Superscript", "SmallCaps"):
            out.append(text(c))
        elif t == "Quoted":
            q = '"' if c[0]["t"] == "DoubleQuote" else "'"
            out.append(q + text(c[1]) + q)
        else:
            out.append("<%s>" % t)
    return "".join(out)


def main():
    digest = json.load(open(sys.argv[1]))
    blocks = json.load(open(sys.argv[2]))["blocks"]
    want = []
    for d in digest["digests"]:
        want.append((1, d["title"] or d["date"], None, None))
        for p in d["papers"]:
            want.append((2, " ".join(p["title"].split()), p["url"],
                         p.get("arxiv_id")))
    got = []
    for i, b in enumerate(blocks):
        if b["t"] != "Header":
            continue
        level, attr, inl = b["c"]
        if level == 1:
            got.append((1, text(inl), None, None))
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else {"t": "end"}
        url = None
        if nxt["t"] == "Para" and nxt["c"] and nxt["c"][0]["t"] == "Link":
            url = nxt["c"][0]["c"][2][0]
        got.append((level, text(inl), url, dict(attr[2]).get("arxiv")))
    bad = 0
    if len(got) != len(want):
        print("%d headings, expected %d" % (len(got), len(want)))
        bad += 1
    for g, w in zip(got, want):
        if g != w:
            print("got      %r\nexpected %r" % (g, w))
            bad += 1
            if bad > 10:
                break
    print("%d headings checked, %d mismatches" % (len(want), bad))
    return 1 if bad else 0


sys.exit(main())
