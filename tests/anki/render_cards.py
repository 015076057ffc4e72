#!/usr/bin/env python3
"""Render every card of a .apkg from the deck's own templates, as Anki does.

usage: render_cards.py DECK.apkg OUTDIR

Writes OUTDIR/<card id>.front.html and .back.html (each a whole HTML page
with the note type's CSS), checks that every rendered side is balanced
HTML (every element opened is closed, in order; void elements alone), and
prints one JSON line: {"cards": N, "by_key": {sort field: {"front": HTML,
"back": HTML, "kind": model name}}}. Exits 1 on any unbalanced side.
Templates use the Mustache subset Anki documents: {{Field}}, {{#Field}}
... {{/Field}}, {{^Field}} ... {{/Field}} and {{FrontSide}}.
"""
import html.parser
import json
import os
import re
import sqlite3
import sys
import tempfile
import zipfile

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Balance(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.errors.append(f"<{tag}/> is not a void element")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def render(tmpl, fields):
    sec = re.compile(r"\{\{([#^])([^}]+)\}\}(.*?)\{\{/\2\}\}", re.S)
    while True:
        m = sec.search(tmpl)
        if not m:
            break
        on = bool(fields.get(m.group(2), "").strip())
        keep = m.group(3) if on == (m.group(1) == "#") else ""
        tmpl = tmpl[:m.start()] + keep + tmpl[m.end():]
    return re.sub(r"\{\{([^}]+)\}\}", lambda m: fields[m.group(1)], tmpl)


def main():
    apkg, out = sys.argv[1:3]
    os.makedirs(out, exist_ok=True)
    z = zipfile.ZipFile(apkg)
    with tempfile.NamedTemporaryFile(suffix=".anki2") as t:
        t.write(z.read("collection.anki2"))
        t.flush()
        con = sqlite3.connect(t.name)
        models = json.loads(con.execute("select models from col").fetchone()[0])
        rows = con.execute("select c.id, c.ord, n.mid, n.flds, n.sfld from cards c"
                           " join notes n on n.id = c.nid").fetchall()
    bad, by_key = [], {}
    for cid, ord_, mid, flds, sfld in rows:
        m = models[str(mid)]
        fields = dict(zip([f["name"] for f in m["flds"]], flds.split("\x1f")))
        t = m["tmpls"][ord_]
        front = render(t["qfmt"], fields)
        back = render(t["afmt"], dict(fields, FrontSide=front))
        by_key[str(sfld)] = {"front": front, "back": back, "kind": m["name"]}
        for side, text in (("front", front), ("back", back)):
            b = Balance()
            b.feed(text)
            b.close()
            if b.errors or b.stack:
                bad.append(f"card {cid} {side}: {b.errors} open {b.stack}")
            with open(os.path.join(out, f"{cid}.{side}.html"), "w",
                      encoding="utf-8") as f:
                f.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                        f"<title>card</title><style>{m['css']}</style></head>"
                        f"<body class=\"card\">{text}</body></html>\n")
    for line in bad:
        print("FAIL:", line, file=sys.stderr)
    print(json.dumps({"cards": len(rows), "by_key": by_key},
                     ensure_ascii=False))
    sys.exit(1 if bad else 0)


main()
