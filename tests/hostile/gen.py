#!/usr/bin/env python3
"""gen.py KIND OUT [N] - write one large hostile input for tests/hostile.

Generated at test time into $TMP, never committed.

  papers N     a digest of N realistic papers (thumbnail, votes, authors,
               nested summary bullets with emphasis, code and links)
  size MB      realistic papers, several digests, until the file is >= MB MiB
  line MB      one summary bullet that is a single MB MiB line, as dense in
               inline markup as possible (emphasis, links, code every 8 bytes)
  authors N    one 'Authors:' line with N names
  nest N       N levels of nested bullets, written "- - - ... - x" (one line)
  indent N     N levels of nested bullets, each indented two more spaces (the
               file grows as N^2: 10,000 levels is 100 MB)
  quote N      N nested block quotes "> > > ... x" inside a paper
  emph N       N nested emphasis spans "*a **b *c ... x* ...**"
"""
import sys

HEAD = "## Daily Papers (2024-03-27)\n\n"
PAPER = "### [T](https://arxiv.org/abs/2403.17887)\n\nVote: 1\n\nAuthors: A\n\n"


def paper(i):
    aid = "%02d%02d.%05d" % (20 + i // 1200000 % 10, 1 + i // 100000 % 12,
                             i % 100000)
    return (
        f"### [Paper {i}: a title with *emphasis* and `code`]"
        f"(https://arxiv.org/abs/{aid})\n\n"
        f"![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/"
        f"{aid}.png)\n\nVote: {i % 500}\n\n"
        f"Authors: Alice Example, Bob Sample, Carol Q. Test, +, Dan Last\n\n"
        f"- First bullet with **strong** text and a [link](https://ex.org/{i}).\n"
        f"- Second bullet, _emphasis_, and more words to look realistic.\n"
        f"  - nested bullet\n\n")


def main():
    kind, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        if kind == "papers":
            f.write(HEAD)
            for i in range(n):
                f.write(paper(i))
        elif kind == "size":
            limit, size, i, day = n << 20, 0, 0, 1
            while size < limit:
                if i % 50000 == 0:
                    d = HEAD.replace("2024-03-27", "2024-%02d-%02d" %
                                     (1 + day // 28 % 12, 1 + day % 28))
                    f.write(d)
                    size += len(d)
                    day += 1
                p = paper(i)
                f.write(p)
                size += len(p.encode())
                i += 1
        elif kind == "line":
            unit = "w *e* [l](u) `c` "
            f.write(HEAD + PAPER + "- " + unit * ((n << 20) // len(unit)) + "\n")
        elif kind == "authors":
            f.write(HEAD + "### [T](https://arxiv.org/abs/2403.17887)\n\n"
                    "Vote: 1\n\nAuthors: ")
            f.write(", ".join("A%d" % i for i in range(n)) + "\n")
        elif kind == "nest":
            f.write(HEAD + PAPER + "- " * n + "x\n")
        elif kind == "indent":
            f.write(HEAD + PAPER)
            for i in range(n):
                f.write("  " * i + "- l%d\n" % i)
        elif kind == "quote":
            f.write(HEAD + PAPER + "> " * n + "x\n")
        elif kind == "emph":
            f.write(HEAD + PAPER + "- ")
            f.write("".join(("*" if i % 2 else "**") + "a " for i in range(n)))
            f.write("x")
            f.write("".join(" b" + ("*" if i % 2 else "**")
                            for i in reversed(range(n))))
            f.write("\n")
        else:
            sys.exit("gen.py: unknown kind " + kind)


main()
