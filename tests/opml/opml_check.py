#!/usr/bin/env python3
"""Independent checks of dconv's OPML output (tests/opml).

  opml_check.py check OPML JSON   OPML 2.0 structure, and every outline
                                  against the document tree that
                                  `dconv --to json` printed for the same
                                  input; prints the counts, exit 1 on failure
  opml_check.py dump OPML         the outline tree as indented text:
                                  "text", " <url>" for type="link",
                                  " note=..." for _note (newlines as \\n)
  opml_check.py head OPML         head children as "name=value" lines

Only the standard library: xml.etree parses, json reads the tree.
"""
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

ELLIPSIS = "\u2026"


def fail(errors, msg):
    if len(errors) < 20:
        errors.append(msg)
    elif len(errors) == 20:
        errors.append("... more errors suppressed")


def structure(root, errors):
    """OPML 2.0 skeleton; returns the body element or None."""
    if root.tag != "opml":
        fail(errors, "root element is <%s>, not <opml>" % root.tag)
    if root.get("version") != "2.0":
        fail(errors, "opml version is %r, not '2.0'" % root.get("version"))
    heads = root.findall("head")
    bodies = root.findall("body")
    if len(heads) != 1:
        fail(errors, "%d <head> elements, want 1" % len(heads))
    if len(bodies) != 1:
        fail(errors, "%d <body> elements, want 1" % len(bodies))
        return None
    if heads:
        titles = heads[0].findall("title")
        if len(titles) != 1 or not (titles[0].text or "").strip():
            fail(errors, "head needs exactly one non-empty <title>")
        if heads[0].findtext("docs") != "http://opml.org/spec2.opml":
            fail(errors, "head/docs is not the OPML 2.0 spec URL")
        if not heads[0].findtext("dateCreated"):
            fail(errors, "head/dateCreated missing")
    body = bodies[0]
    if len(body.findall("outline")) == 0:
        fail(errors, "body has no outline")
    for child in body.iter():
        if child is body:
            continue
        if child.tag != "outline":
            fail(errors, "unexpected <%s> inside body" % child.tag)
            continue
        if "text" not in child.attrib:
            fail(errors, "outline without text: %r" % child.attrib)
        if child.get("type") == "link" and not child.get("url"):
            fail(errors, "link outline without url: %r" % child.attrib)
    return body


def flatten(content):
    """Plain text of JSON inline content (what host->node_flatten gives)."""
    out = []
    for n in content:
        if n["type"] in ("text", "code"):
            out.append(n["text"])
        else:
            out.append(flatten(n["content"]))
    return "".join(out)


def links(content):
    """Links of JSON inline content in reading order (pre-order)."""
    out = []
    for n in content:
        if n["type"] == "link":
            out.append(n)
        if "content" in n:
            out.extend(links(n["content"]))
    return out


def authors_line(p):
    names = p["authors"]
    sep = "; " if any("," in a for a in names) else ", "
    parts = list(names)
    if p["authors_elided"]:
        at = p["authors_elided_at"] or 0
        parts.insert(min(at, len(parts)), ELLIPSIS)
    if not parts:
        return None
    return "Authors: " + sep.join(parts)


def web_url(u):
    """README's one URL rule, written out again by hand: only an absolute
    http(s)/ftp URL with a host, or mailto: with an address, is a link."""
    if u is None:
        return None
    low = u.lower()
    for scheme in ("https://", "http://", "ftp://", "mailto:"):
        if low.startswith(scheme):
            rest = u[len(scheme):]
            if rest and rest[0] not in "/?#@" and rest[0] > " ":
                return u
    return None


# README "OPML output": simple inline TeX of titles and bullets is shown as
# Unicode. Written out again by hand for the one-token spans real digests
# hold ("$\sim$20", "M$^{2}$UGen", "$\mathcal{O}$"), named by Unicode
# character names rather than copied from dconv/tex.h's table; any other
# span is expected as written (and a lone '$' always is).
TEX_NAMES = {"sim": "TILDE OPERATOR", "times": "MULTIPLICATION SIGN",
             "cdot": "DOT OPERATOR", "leq": "LESS-THAN OR EQUAL TO",
             "geq": "GREATER-THAN OR EQUAL TO", "approx": "ALMOST EQUAL TO",
             "rightarrow": "RIGHTWARDS ARROW", "infty": "INFINITY",
             "pm": "PLUS-MINUS SIGN", "alpha": "GREEK SMALL LETTER ALPHA",
             "beta": "GREEK SMALL LETTER BETA",
             "gamma": "GREEK SMALL LETTER GAMMA",
             "lambda": "GREEK SMALL LETTER LAMDA",
             "mu": "GREEK SMALL LETTER MU", "pi": "GREEK SMALL LETTER PI",
             "Omega": "GREEK CAPITAL LETTER OMEGA"}
SUPER = {"2": "SUPERSCRIPT TWO", "3": "SUPERSCRIPT THREE",
         "1": "SUPERSCRIPT ONE"}
SUB = {d: "SUBSCRIPT " + n for d, n in zip("0123456789", (
    "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT",
    "NINE"))}


def tex_shown(s):
    def span(m):
        body = m.group(1)
        cmd = re.fullmatch(r"\\([A-Za-z]+)", body)
        if cmd and cmd.group(1) in TEX_NAMES:
            return unicodedata.lookup(TEX_NAMES[cmd.group(1)])
        sup = re.fullmatch(r"\^\{?([123])\}?", body)
        if sup:
            return unicodedata.lookup(SUPER[sup.group(1)])
        sub = re.fullmatch(r"_\{?([0-9])\}?", body)
        if sub:
            return unicodedata.lookup(SUB[sub.group(1)])
        plain = re.fullmatch(r"\{?([A-Za-z0-9]+)\}?", body)
        if plain:  # "$x$", "${x}$": math letters as text, braces dropped
            return plain.group(1)
        cal = re.fullmatch(r"\\mathcal\{([A-Z])\}", body)
        if cal:
            try:
                return unicodedata.lookup("MATHEMATICAL SCRIPT CAPITAL " +
                                          cal.group(1))
            except KeyError:
                return unicodedata.lookup("SCRIPT CAPITAL " + cal.group(1))
        return m.group(0)
    return re.sub(r"\$(?=[^ $])([^$\n]*[^ $\\])\$", span, s)


def expected_paper(p):
    """The outline (text, url, children) the README promises for a paper."""
    kids = []
    a = authors_line(p)
    if a is not None:
        kids.append((a, None, []))
    if p["votes"] is not None:
        kids.append(("Votes: %d" % p["votes"], None, []))
    if p["media"] is not None:
        kind = "Video" if p["media"]["kind"] == "video" else "Thumbnail"
        kids.append((kind, web_url(p["media"]["url"]), []))
    # Bullets nest under the nearest preceding bullet of smaller depth.
    stack = [(-1, kids)]
    for item in p["summary"]:
        while stack[-1][0] >= item["depth"]:
            stack.pop()
        sub = [((flatten(l["content"]) or l["url"]), web_url(l["url"]), [])
               for l in links(item["content"])]
        stack[-1][1].append((tex_shown(flatten(item["content"])), None, sub))
        stack.append((item["depth"], sub))
    return (tex_shown(p["title"]), web_url(p["url"]), kids)


def xml_clean(s):
    """What the writer does to characters XML 1.0 cannot carry."""
    if s is None:
        return None
    return "".join(c if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or
                   ("\ue000" <= c <= "\ufffd") or c >= "\U00010000"
                   else "\ufffd" for c in s)


def compare(want, got, where, errors):
    text, url, kids = want
    text, url = xml_clean(text), xml_clean(url)
    if got.get("text") != text:
        fail(errors, "%s: text %r, want %r" % (where, got.get("text"), text))
    if url is None:
        if got.get("type") == "link" or "url" in got.attrib:
            fail(errors, "%s: unexpected link %r" % (where, got.attrib))
    elif got.get("type") != "link" or got.get("url") != url:
        fail(errors, "%s: want link to %r, got %r" % (where, url, got.attrib))
    got_kids = got.findall("outline")
    if len(got_kids) != len(kids):
        fail(errors, "%s (%r): %d children, want %d"
             % (where, text[:40], len(got_kids), len(kids)))
    for i, (w, g) in enumerate(zip(kids, got_kids)):
        compare(w, g, "%s/%d" % (where, i + 1), errors)


def count(tree):
    return 1 + sum(count(k) for k in tree[2])


def cmd_check(opml_path, json_path):
    errors = []
    root = ET.parse(opml_path).getroot()
    body = structure(root, errors)
    # errors="replace": the tree can hold stray bytes that are not UTF-8
    # (cmark decodes "&#xFFFE;" to a lone 0xFE); the writer turns each into
    # U+FFFD, and so does this.
    doc = json.load(open(json_path, encoding="utf-8", errors="replace"))
    days = doc["digests"]
    want = [("Daily Papers (%s)" % d["date"], None,
             [expected_paper(p) for p in d["papers"]]) for d in days]
    if body is not None:
        got = body.findall("outline")
        if len(got) != len(want):
            fail(errors, "%d day outlines, want %d" % (len(got), len(want)))
        for i, (w, g) in enumerate(zip(want, got)):
            compare(w, g, "day %d" % (i + 1), errors)
    # The documented count, term by term, from the tree alone.
    papers = [p for d in days for p in d["papers"]]
    terms = {
        "days": len(days),
        "papers": len(papers),
        "authors": sum(1 for p in papers
                       if p["authors"] or p["authors_elided"]),
        "votes": sum(1 for p in papers if p["votes"] is not None),
        "media": sum(1 for p in papers if p["media"] is not None),
        "bullets": sum(len(p["summary"]) for p in papers),
        "bullet_links": sum(len(links(i["content"]))
                            for p in papers for i in p["summary"]),
    }
    expected = sum(terms.values())
    actual = sum(1 for _ in root.iter("outline"))
    if sum(count(w) for w in want) != expected:
        fail(errors, "internal: model and formula disagree")
    if actual != expected:
        fail(errors, "%d outlines, want %d (%r)" % (actual, expected, terms))
    for k, v in terms.items():
        print("%s=%d" % (k, v))
    print("outlines=%d" % actual)
    for e in errors:
        print("FAIL: " + e, file=sys.stderr)
    return 1 if errors else 0


def dump(node, depth, out):
    for o in node.findall("outline"):
        line = "  " * depth + o.get("text", "<NO TEXT>").replace("\n", "\\n")
        if o.get("type") == "link":
            line += " <%s>" % o.get("url")
        if "_note" in o.attrib:
            line += " note=" + o.get("_note").replace("\n", "\\n")
        out.append(line)
        dump(o, depth + 1, out)


def cmd_dump(opml_path):
    out = []
    dump(ET.parse(opml_path).getroot().find("body"), 0, out)
    sys.stdout.write("".join(l + "\n" for l in out))
    return 0


def cmd_head(opml_path):
    for e in ET.parse(opml_path).getroot().find("head"):
        print("%s=%s" % (e.tag, e.text or ""))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "check":
        return cmd_check(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "dump":
        return cmd_dump(argv[2])
    if len(argv) == 3 and argv[1] == "head":
        return cmd_head(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
