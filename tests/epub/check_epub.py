#!/usr/bin/env python3
"""check_epub.py BOOK [--expect-papers N] [--expect-days N] [--kobo]
                       [--title T] [--lang L] [--toc days]

Structural checks on an EPUB written by `dconv --to epub` that epubcheck does
not make (or that the issue asks for explicitly). Prints one "FAIL: ..." line
per problem and exits 1 if there was any; on success prints a JSON summary
(identifier, title, counts) on stdout for the calling shell test.
"""
import json
import re
import sys
import uuid
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"

fails = []


def fail(msg):
    fails.append(msg)


def main():
    args = sys.argv[1:]
    book = args.pop(0)
    opts = {}
    while args:
        key = args.pop(0)
        if key == "--kobo":
            opts["kobo"] = True
        else:
            opts[key[2:]] = args.pop(0)

    # --- container: mimetype first, stored, no extra field --------------
    with open(book, "rb") as f:
        head = f.read(58)
    if head[:4] != b"PK\x03\x04":
        fail("not a zip file")
    # local header: name length at 26, extra length at 28, name at 30
    name_len = int.from_bytes(head[26:28], "little")
    extra_len = int.from_bytes(head[28:30], "little")
    if head[30:30 + name_len] != b"mimetype":
        fail("first entry is not mimetype")
    if extra_len != 0:
        fail("mimetype has a %d-byte extra field in its local header" % extra_len)
    if head[38:58] != b"application/epub+zip":
        fail("bytes 38..58 are not application/epub+zip")

    z = zipfile.ZipFile(book)
    infos = z.infolist()
    first = infos[0]
    if first.filename != "mimetype":
        fail("first central directory entry is %r" % first.filename)
    if first.compress_type != zipfile.ZIP_STORED:
        fail("mimetype is compressed")
    if first.extra:
        fail("mimetype has an extra field in the central directory")
    if z.read("mimetype") != b"application/epub+zip":
        fail("mimetype content")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        fail("duplicate zip entries")
    for n in names:
        if not re.fullmatch(r"[A-Za-z0-9._/-]+", n):
            fail("file name not plain ASCII: %r" % n)

    container = ET.fromstring(z.read("META-INF/container.xml"))
    rootfile = container.find(".//c:rootfile", NS).get("full-path")
    base = rootfile.rsplit("/", 1)[0] + "/"

    # --- OPF -------------------------------------------------------------
    opf = ET.fromstring(z.read(rootfile))
    md = opf.find("opf:metadata", NS)
    ident_id = opf.get("unique-identifier")
    idents = [e for e in md.findall("dc:identifier", NS) if e.get("id") == ident_id]
    ident = idents[0].text if idents else ""
    m = re.fullmatch(r"urn:uuid:([0-9a-f-]{36})", ident or "")
    if not m:
        fail("identifier %r is not a urn:uuid" % ident)
    else:
        u = uuid.UUID(m.group(1))
        if u.variant != uuid.RFC_4122 or u.version != 5:
            fail("identifier is not an RFC 4122 version 5 UUID: %s" % u)
    title = md.findtext("dc:title", "", NS)
    lang = md.findtext("dc:language", "", NS)
    if "title" in opts and title != opts["title"]:
        fail("dc:title %r, expected %r" % (title, opts["title"]))
    if lang != opts.get("lang", "ko"):
        fail("dc:language %r" % lang)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", md.findtext("dc:date", "", NS)):
        fail("dc:date missing or not a date")
    metas = md.findall("opf:meta", NS)
    modified = [e.text for e in metas if e.get("property") == "dcterms:modified"]
    if len(modified) != 1:
        fail("%d dcterms:modified, expected exactly one" % len(modified))
    elif not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified[0]):
        fail("dcterms:modified %r has the wrong form" % modified[0])
    props = {e.get("property"): e for e in metas if e.get("property")}
    named = {e.get("name"): e.get("content") for e in metas if e.get("name")}
    if "series" not in opts or opts["series"]:
        if "belongs-to-collection" not in props:
            fail("no belongs-to-collection")
        if not named.get("calibre:series"):
            fail("no calibre:series")
    manifest = {i.get("id"): i for i in opf.find("opf:manifest", NS)}
    cover_items = [i for i in manifest.values()
                   if "cover-image" in (i.get("properties") or "").split()]
    if len(cover_items) != 1:
        fail("%d cover-image items" % len(cover_items))
    elif named.get("cover") != cover_items[0].get("id"):
        fail("<meta name=cover> does not name the cover-image item")
    else:
        cover_bytes = z.read(base + cover_items[0].get("href"))
        if not (cover_bytes.startswith(b"\x89PNG") or cover_bytes.startswith(b"\xff\xd8\xff")):
            fail("cover is neither PNG nor JPEG")
    for item in manifest.values():
        if base + item.get("href") not in names:
            fail("manifest item %s missing from the zip" % item.get("href"))
    spine = [manifest[r.get("idref")] for r in opf.find("opf:spine", NS)]
    spine_linear = [i for i, r in zip(spine, opf.find("opf:spine", NS))
                    if r.get("linear") != "no"]

    # --- every XHTML document --------------------------------------------
    days = 0
    kobo_spans = 0
    full = {}     # (file, id) of each paper printed in full -> reading order
    repeats = []  # (file, href) of each repeat
    for item in manifest.values():
        if item.get("media-type") != "application/xhtml+xml":
            continue
        data = z.read(base + item.get("href"))
        if not re.match(rb'<\?xml version="1.0" encoding="UTF-8"\?>', data):
            fail("%s lacks the UTF-8 XML declaration" % item.get("href"))
        root = ET.fromstring(data)
        if root.get("lang") != lang or root.get(XML_LANG) != lang:
            fail("%s: html lang/xml:lang are not %r" % (item.get("href"), lang))
        for el in root.iter():
            tag = el.tag.split("}")[1]
            if tag in ("script", "video", "audio", "iframe", "object", "embed"):
                fail("%s holds a <%s>" % (item.get("href"), tag))
            if tag == "img" and re.match(r"[a-z]+:", el.get("src", "")):
                fail("%s: <img> with remote src %s" % (item.get("href"), el.get("src")))
            if el.get("lang") != el.get(XML_LANG):
                fail("%s: lang and xml:lang differ on <%s>" % (item.get("href"), tag))
            if tag == "span" and el.get("class") == "koboSpan":
                kobo_spans += 1
                if not re.fullmatch(r"kobo\.\d+\.\d+", el.get("id", "")):
                    fail("bad koboSpan id %r" % el.get("id"))
        if item.get("href").startswith("day-"):
            days += 1
            # the day opens with a list of its papers, each linked to its
            # section, or for a paper printed on an earlier day (a repeat:
            # its title only) to that first appearance, as its title is
            secs = []
            for e in root.iter("{%s}section" % NS["x"]):
                cls = (e.get("class") or "").split()
                if "paper" not in cls:
                    continue
                if "repeat" not in cls:
                    secs.append("#" + e.get("id"))
                    full[(item.get("href"), e.get("id"))] = len(full)
                    continue
                links = [a.get("href") for a in e.iter("{%s}a" % NS["x"])]
                texts = ["".join(x.itertext()) for x in e if x.tag != "{%s}h3" % NS["x"]]
                if len(links) != 2 or links[0] != links[1] or "#" not in links[0] \
                        or links[0].startswith(item.get("href") + "#") or links[0][0] == "#":
                    fail("%s: repeat %s links %r, not to one earlier file"
                         % (item.get("href"), e.get("id"), links))
                if e.find("x:ul", NS) is not None or e.find("x:ol", NS) is not None \
                        or len(texts) != 1:
                    fail("%s: repeat %s holds more than its title and one line"
                         % (item.get("href"), e.get("id")))
                repeats.append((item.get("href"), links[0] if links else ""))
                secs.append(links[0] if links else "")
            lists = [e for e in root.iter("{%s}ol" % NS["x"]) if e.get("class") == "daytoc"]
            got = ["".join(a.get("href")) for l in lists[:1] for a in l.iter("{%s}a" % NS["x"])]
            if got != secs:
                fail("%s: the day's list of papers %r... does not match its papers %r..."
                     % (item.get("href"), got[:3], secs[:3]))
            for h2 in root.iter("{%s}h3" % NS["x"]):
                if h2.get("lang") != "en":
                    fail("paper title without lang=en in %s" % item.get("href"))
                    break
            for ul in root.iter():
                if ul.get("class") == "summary" and ul.get("lang") != "ko":
                    fail("summary without lang=ko in %s" % item.get("href"))
                    break
    # a repeat links to a paper printed in full in a file read before it
    spine_pos = {i.get("href"): n for n, i in enumerate(spine)}
    for f, href in repeats:
        target = tuple(href.split("#", 1)) if "#" in href else (href, "")
        if target not in full:
            fail("%s: repeat links to %s, not a paper printed in full" % (f, href))
        elif spine_pos.get(target[0], 1 << 30) >= spine_pos.get(f, -1):
            fail("%s: repeat links forward to %s" % (f, href))
    if opts.get("kobo") and kobo_spans == 0:
        fail("KEPUB without koboSpan elements")
    if not opts.get("kobo") and kobo_spans:
        fail("koboSpan elements in a plain EPUB")

    # --- CSS ---------------------------------------------------------------
    for item in manifest.values():
        if item.get("media-type") != "text/css":
            continue
        css = re.sub(r"/\*.*?\*/", "", z.read(base + item.get("href")).decode(),
                     flags=re.S)
        if ":lang(ko)" not in css or "word-break: keep-all" not in css:
            fail("css lacks :lang(ko){word-break:keep-all}")
        if "var(" in css or "--" in css:
            fail("css uses variables")
        for fam in re.findall(r"font-family\s*:\s*([^;}]+)", css):
            for f in fam.split(","):
                if f.strip() not in ("serif", "sans-serif", "monospace"):
                    fail("css names a font: %s" % f.strip())
        if re.search(r"background", css):
            fail("css sets a background")
        for val in re.findall(r"margin[a-z-]*\s*:\s*([^;}]+)", css):
            for num, unit in re.findall(r"([\d.]+)(em|px|%)?", val):
                if unit == "em" and float(num) > 2:
                    fail("css margin above 2em: %s" % val)

    # --- nav document ------------------------------------------------------
    nav_items = [i for i in manifest.values()
                 if "nav" in (i.get("properties") or "").split()]
    nav = ET.fromstring(z.read(base + nav_items[0].get("href")))
    toc = [n for n in nav.iter("{%s}nav" % NS["x"]) if n.get(EPUB_TYPE) == "toc"][0]
    top = toc.find("x:ol", NS)

    def nav_tree(ol):
        """[(label, href, children)] of a nav <ol>."""
        out = []
        for li in ol.findall("x:li", NS):
            a = li.find("x:a", NS)
            sub = li.find("x:ol", NS)
            out.append(("".join(a.itertext()), a.get("href"),
                        nav_tree(sub) if sub is not None else []))
        return out

    def flat(tree, depth=0):
        for label, href, kids in tree:
            yield depth, label, href, kids
            yield from flat(kids, depth + 1)

    navt = nav_tree(top)
    # papers link into a day (#fragment); a day is an entry without a
    # fragment whose children are papers; the rest are year/month groups,
    # which exist only when they hold two entries or more
    nav_days = []
    nav_groups = 0
    for depth, label, href, kids in flat(navt):
        if "#" in href:
            if kids:
                fail("paper entry %r has children" % label)
        elif all("#" in k[1] for k in kids):
            nav_days.append(label)
        else:
            nav_groups += 1
            if len(kids) < 2:
                fail("toc group %r holds %d entry" % (label, len(kids)))
            if href != kids[0][1].partition("#")[0]:
                fail("toc group %r links to %s, not its first day" % (label, href))
    nav_entries = len(list(flat(navt)))
    nav_papers = nav_entries - len(nav_days) - nav_groups
    nav_depth = max([d + 1 for d, _, _, _ in flat(navt)] or [1])
    land = [n for n in nav.iter("{%s}nav" % NS["x"]) if n.get(EPUB_TYPE) == "landmarks"]
    if not land:
        fail("no landmarks")
    else:
        kinds = {a.get(EPUB_TYPE) for a in land[0].iter("{%s}a" % NS["x"])}
        for k in ("cover", "bodymatter"):
            if k not in kinds:
                fail("landmarks lack %s" % k)
    # every toc href resolves to a file and, with a fragment, to an id there
    ids = {}
    for a in toc.iter("{%s}a" % NS["x"]):
        href = a.get("href")
        f, _, frag = href.partition("#")
        if base + f not in names:
            fail("toc links to missing %s" % f)
            continue
        if frag:
            if f not in ids:
                doc = ET.fromstring(z.read(base + f))
                ids[f] = {e.get("id"): e.tag for e in doc.iter() if e.get("id")}
            if frag not in ids[f]:
                fail("toc links to missing #%s in %s" % (frag, f))
            elif ids[f][frag].endswith("}body"):
                fail("toc links to a <body> id")

    # --- NCX ---------------------------------------------------------------
    ncx_items = [i for i in manifest.values()
                 if i.get("media-type") == "application/x-dtbncx+xml"]
    ncx = ET.fromstring(z.read(base + ncx_items[0].get("href")))
    uid = [m.get("content") for m in ncx.iter("{%s}meta" % NS["ncx"])
           if m.get("name") == "dtb:uid"]
    if uid != [ident]:
        fail("NCX dtb:uid %r differs from the identifier" % uid)
    depth = [m.get("content") for m in ncx.iter("{%s}meta" % NS["ncx"])
             if m.get("name") == "dtb:depth"]

    def ncx_tree(parent):
        return [("".join(p.find("ncx:navLabel/ncx:text", NS).itertext()),
                 p.find("ncx:content", NS).get("src"), ncx_tree(p))
                for p in parent.findall("ncx:navPoint", NS)]

    ncx_nav = ncx_tree(ncx.find("ncx:navMap", NS))
    ncx_depth = max([d + 1 for d, _, _, _ in flat(ncx_nav)] or [1])
    if depth != [str(ncx_depth)]:
        fail("NCX dtb:depth %r, its navPoints nest %d deep" % (depth, ncx_depth))
    if ncx_nav != navt:
        fail("NCX and nav differ in their entries or nesting")
    points = list(ncx.iter("{%s}navPoint" % NS["ncx"]))
    # playOrder: 1, 2, ... in document order, one number per target (a
    # year or month entry shares its first day's)
    orders = [int(p.get("playOrder")) for p in points]
    srcs = [p.find("ncx:content", NS).get("src") for p in points]
    want, by_src = [], {}
    for src in srcs:
        if src not in by_src:
            by_src[src] = len(by_src) + 1
        want.append(by_src[src])
    if orders != want or want != sorted(want):
        fail("NCX playOrder is not 1..N over its targets in document order")
    if len({p.get("id") for p in points}) != len(points):
        fail("NCX navPoint ids repeat")
    if len(points) != nav_entries:
        fail("NCX has %d navPoints, nav has %d entries" % (len(points), nav_entries))
    # playOrder follows the spine: the files of navPoints appear in spine order
    spine_files = [i.get("href") for i in spine]
    last = -1
    for p in points:
        src = p.find("ncx:content", NS).get("src").partition("#")[0]
        pos = spine_files.index(src) if src in spine_files else -1
        if pos < last:
            fail("NCX playOrder goes back in the spine at %s" % src)
            break
        last = pos

    # --- counts --------------------------------------------------------------
    if "expect-days" in opts:
        d = int(opts["expect-days"])
        if days != d or len(nav_days) != d:
            fail("days: %d files, %d in nav, expected %d" % (days, len(nav_days), d))
        # spine: cover, title page, then one file per day; the nav is not in
        # it (calibre's AZW3 would put it in the reading flow)
        if len(spine) != d + 2 or len(spine_linear) != d + 2:
            fail("spine has %d items (%d linear), expected %d + 2"
                 % (len(spine), len(spine_linear), d))
    if "expect-papers" in opts:
        p = int(opts["expect-papers"])
        if opts.get("toc") == "days":
            p = 0  # a days-only toc
        if nav_papers != p:
            fail("nav lists %d papers, expected %d" % (nav_papers, p))
        if "expect-days" in opts and \
                nav_entries != p + int(opts["expect-days"]) + nav_groups:
            fail("nav entries %d != papers + days + groups" % nav_entries)

    # --- text comes out as text: titles and authors as the core parsed them
    if "tree" in opts:
        with open(opts["tree"], encoding="utf-8") as f:
            tree = json.load(f)
        want = [p for d in tree["digests"] for p in d["papers"]]
        got = []
        for item in spine:
            if not item.get("href").startswith("day-"):
                continue
            doc = ET.fromstring(z.read(base + item.get("href")))
            for sec in doc.iter("{%s}section" % NS["x"]):
                if "paper" not in (sec.get("class") or "").split():
                    continue
                h2 = sec.find("x:h3", NS)
                authors = [p for p in sec.findall("x:p", NS)
                           if p.get("class") == "authors"]
                if "repeat" in (sec.get("class") or "").split():
                    authors = None  # a repeat holds its title only
                got.append(("".join(h2.itertext()), None if authors is None else
                            "".join(authors[0].itertext()) if authors else ""))
        if len(got) != len(want):
            fail("%d paper sections, tree has %d" % (len(got), len(want)))
        for (title_got, auth_got), paper in zip(got, want):
            if paper["title"] and title_got != paper["title"]:
                fail("title %r... came out as %r..." % (paper["title"][:60], title_got[:60]))
            if auth_got is None:
                continue  # a repeat: its full text is on its first day
            for name in paper["authors"]:
                if name not in auth_got:
                    fail("author %r missing" % name[:60])
            if paper["authors_elided"] and "\u2026" not in auth_got:
                fail("elided authors without \u2026")
        labels = ["".join(a.itertext()) for a in toc.iter("{%s}a" % NS["x"])
                  if "#" in a.get("href")]
        if [p["title"] for p in want if p["title"]] != [l for l, p in zip(labels, want) if p["title"]]:
            fail("nav labels differ from the titles")

    for f in fails:
        print("FAIL:", f)
    if fails:
        sys.exit(1)
    print(json.dumps({
        "identifier": ident, "title": title, "language": lang,
        "modified": modified[0] if modified else None,
        "days": days, "nav_entries": nav_entries, "nav_papers": nav_papers,
        "nav_groups": nav_groups, "nav_depth": nav_depth, "repeats": len(repeats),
        "spine": len(spine), "kobo_spans": kobo_spans,
        "cover": cover_items[0].get("href") if cover_items else None,
        "series": named.get("calibre:series"), "creator": md.findtext("dc:creator", None, NS),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
