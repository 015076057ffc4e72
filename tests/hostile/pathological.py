#!/usr/bin/env python3
"""tests/hostile/pathological.py - the inputs of hostile-pathological.

`pathological.py --list` names the cases; `pathological.py CASE` writes that
case's digest to stdout: one paper whose single summary bullet (or, for the
block classes, whose body) is the pathological text.

The classes are those of cmark-gfm's own test/pathological_tests.py, at its
sizes, plus the ones found against dconv: cmark-gfm 0.29.0.gfm.6 is
quadratic on "![[]()" repeated and on "![[x]" with a definition of [x]
(core/parser_defuse.c escapes them), and dconv's parser was quadratic on a
paragraph of many unrecognised lines (core/parser_fields.c). Each of those
three took over 60 s at the size below before the fix.
"""
import itertools
import sys

HEAD = ("## Daily Papers (2024-01-01)\n\n"
        "### [T](https://arxiv.org/abs/2401.00001)\n\n"
        "Vote: 1\nAuthors: A\n\n")


def collisions(count):
    """cmark's reference-map hash collisions (its own generator)."""
    def badhash(ref):
        h = 0
        for c in ref:
            h = (ord(c) + ((h << 6) & 0xFFFFFFFF) + ((h << 16) & 0xFFFFFFFF)
                 - h) & 0xFFFFFFFF
        return h % 16 == 0
    keys = ("x%d" % i for i in itertools.count())
    found = itertools.islice((k for k in keys if badhash(k)), count)
    bad = next(found)
    return "".join("[%s]: /url\n\n[%s]\n\n" % (k, bad) for k in found)


# name -> (kind, make_text, items): "bullet" text goes after "- ", "body" text
# is the paper's body as it stands; items is the number of summary items the
# paper must have (counted by hand from the text: one bullet, one item per
# list item, per unrecognised line, per "[x]" paragraph).
CASES = {
    "nested-strong-emph": ("bullet", lambda: "*a **a " * 65000 + "b" + " a** a*" * 65000),
    "emph-closers-no-openers": ("bullet", lambda: "a_ " * 65000),
    "emph-openers-no-closers": ("bullet", lambda: "_a " * 65000),
    "link-closers-no-openers": ("bullet", lambda: "a]" * 65000),
    "link-openers-no-closers": ("bullet", lambda: "[a" * 65000),
    "mismatched-openers-closers": ("bullet", lambda: "*a_ " * 50000),
    "openers-closers-multiple-of-3": ("bullet", lambda: "a**b" + "c* " * 50000),
    "link-openers-emph-closers": ("bullet", lambda: "[ a_" * 50000),
    "pattern-bracket-paren": ("bullet", lambda: "[ (](" * 80000),
    "nested-brackets": ("bullet", lambda: "[" * 50000 + "a" + "]" * 50000),
    "nested-block-quotes": ("body", lambda: "> " * 50000 + "a\n"),  # one item
    "deeply-nested-lists": ("body", lambda: "".join("  " * x + "* a\n"
                                            for x in range(1000)), 1000),
    "backticks": ("bullet", lambda: "".join("e" + "`" * x for x in range(1, 5000))),
    "unclosed-links-a": ("bullet", lambda: "[a](<b" * 30000),
    "unclosed-links-b": ("bullet", lambda: "[a](b" * 30000),
    "many-references": ("body", lambda: "".join("[%d]: u\n" % x
                                        for x in range(1, 5000 * 16))
                        + "\n- " + "[0] " * 5000 + "\n"),
    "reference-collisions": ("body", lambda: collisions(50000) + "- x\n", 50000),
    "emph-times-links": ("bullet", lambda: "*a* [b](c) " * 50000),
    "image-openers-times-links": ("bullet", lambda: "![[]()" * 80000),
    "image-openers-times-references": ("body", lambda: "[x]: /u\n\n- "
                                       + "![[x]" * 80000 + "\n"),
    "unrecognised-lines": ("body", lambda: "unrecognised line\n" * 240000, 240000),
}

if __name__ == "__main__":
    if sys.argv[1:] == ["--list"]:
        for name, case in CASES.items():
            print(name, case[2] if len(case) > 2 else 1)
        sys.exit(0)
    kind, make = CASES[sys.argv[1]][:2]
    text = make()
    sys.stdout.write(HEAD + ("- " + text + "\n" if kind == "bullet" else text))
