#!/usr/bin/env python3
"""Run the hand-written examples of a dconv spec file (tests/spec/digest.txt).

usage: run.py SPEC [NUMBER...]

Environment: DCONV (the executable under test, required), DCONV_WRAP
(optional wrapper for every dconv run, e.g. valgrind; see tests/lib.sh).
With NUMBERs only those examples run. The format of an example is
described at the top of the spec file.

Exit status: 0 when every example passes (or fails exactly as recorded in
KNOWN_FAILURES), 1 otherwise, so an unexpected pass also fails: a fixed bug
must leave the list.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

# Examples whose hand-written expectation is right (per README) and dconv
# is not, or README is wrong and must be fixed: number -> reason. Each one
# is reported by the runner on every run; when dconv (or README) is fixed,
# the example passes and must be removed from this list.
KNOWN_FAILURES = {
}

FENCE = "`" * 32
SECTION = re.compile(r"^\.(json|markdown|stderr|check|exit|also)"
                     r"(?: (\d+|[a-z0-9-]+\.md))?$")
BYTES = re.compile(r"⟨([0-9a-fA-F]{2}(?: [0-9a-fA-F]{2})*)⟩")
DIAG = re.compile(r"^([a-z0-9.-]+\.md):(\d+): (error|warning|note):(?: (.*))?$")


class Example:
    def __init__(self, number, line, flags):
        self.number, self.line, self.flags = number, line, flags
        self.input_lines = []
        self.sections = {}  # name -> list of lines
        self.also = []  # names of further input files (sections "also NAME")
        self.exit = 0


def parse_spec(path):
    examples, cur, section = [], None, None
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if cur is None:
                if line.startswith(FENCE + " example"):
                    flags = line[len(FENCE + " example"):].split()
                    for fl in flags:
                        if fl not in ("crlf", "no-eol"):
                            sys.exit(f"{path}:{lineno}: unknown flag {fl!r}")
                    cur = Example(len(examples) + 1, lineno, flags)
                    section = None
                continue
            if line == FENCE:
                examples.append(cur)
                cur = None
                continue
            m = SECTION.match(line)
            if m:
                section = m.group(1)
                if section == "exit":
                    cur.exit = int(m.group(2))
                elif section == "also":
                    section = "also " + m.group(2)
                    cur.also.append(m.group(2))
                    cur.sections[section] = []
                else:
                    cur.sections[section] = []
                continue
            if section is None:
                cur.input_lines.append(line)
            elif section != "exit":
                cur.sections[section].append(line)
    if cur is not None:
        sys.exit(f"{path}:{cur.line}: example without a closing fence")
    return examples


def input_bytes(ex, lines):
    """An input file: `→` is a tab, ⟨hh ..⟩ raw bytes, flags as documented."""
    eol = b"\r\n" if "crlf" in ex.flags else b"\n"
    out = []
    for line in lines:
        b = bytearray()
        pos = 0
        for m in BYTES.finditer(line):
            b += line[pos:m.start()].replace("→", "\t").encode("utf-8")
            b += bytes(int(h, 16) for h in m.group(1).split())
            pos = m.end()
        b += line[pos:].replace("→", "\t").encode("utf-8")
        out.append(bytes(b))
    data = eol.join(out)
    if out and "no-eol" not in ex.flags:
        data += eol
    return data


def run_dconv(args, cwd, stdin=None):
    cmd = shlex.split(os.environ.get("DCONV_WRAP", "")) + [os.environ["DCONV"]]
    p = subprocess.run(cmd + args, cwd=cwd, input=stdin, capture_output=True,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def ordered(text):
    """JSON as nested lists of (key, value) pairs, so key order counts."""
    return json.loads(text, object_pairs_hook=lambda pairs: pairs)


def normalise(v):
    """Merge adjacent text inlines (README promises no particular split)."""
    if isinstance(v, list):
        items = [normalise(x) for x in v]
        merged = []
        for x in items:
            if (is_text(x) and merged and is_text(merged[-1])):
                merged[-1] = [("type", "text"),
                              ("text", dict(merged[-1])["text"] +
                               dict(x)["text"])]
            elif is_text(x) and dict(x)["text"] == "":
                continue
            else:
                merged.append(x)
        return merged
    if isinstance(v, tuple):
        return (v[0], normalise(v[1]))
    return v


def is_text(x):
    return (isinstance(x, list) and len(x) == 2 and
            all(isinstance(p, tuple) for p in x) and
            x[0] == ("type", "text") and x[1][0] == "text")


def to_plain(v):
    if isinstance(v, list) and v and all(isinstance(p, tuple) for p in v):
        return {k: to_plain(x) for k, x in v}
    if isinstance(v, list):
        return [to_plain(x) for x in v]
    return v


def pretty(v):
    return json.dumps(to_plain(v), ensure_ascii=False, indent=1)


def first_difference(a, b, path="digests"):
    """A readable description of where two ordered JSON values differ."""
    if isinstance(a, list) and isinstance(b, list):
        pairs_a = a and all(isinstance(p, tuple) for p in a)
        pairs_b = b and all(isinstance(p, tuple) for p in b)
        if pairs_a and pairs_b:
            ka, kb = [k for k, _ in a], [k for k, _ in b]
            if ka != kb:
                return f"{path}: keys {kb} (expected {ka})"
            for (k, x), (_, y) in zip(a, b):
                d = first_difference(x, y, f"{path}.{k}")
                if d:
                    return d
            return None
        if len(a) != len(b):
            return (f"{path}: {len(b)} elements (expected {len(a)}):\n"
                    f"  expected {pretty(a)}\n  got      {pretty(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    if a != b or type(a) is not type(b):
        return f"{path}: got {json.dumps(to_plain(b), ensure_ascii=False)}, " \
               f"expected {json.dumps(to_plain(a), ensure_ascii=False)}"
    return None


def check_json(expected, stdout, what):
    try:
        doc = ordered(stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return [f"{what}: not JSON ({e})"]
    head = [k for k, _ in doc] if isinstance(doc, list) else None
    if head != ["format", "version", "digests"] or \
            dict(doc)["format"] != "dconv-json" or dict(doc)["version"] != 1:
        return [f"{what}: envelope is not "
                "{\"format\":\"dconv-json\",\"version\":1,\"digests\":...}"]
    d = first_difference(normalise(expected), normalise(dict(doc)["digests"]))
    return [f"{what}: {d}"] if d else []


def check_diagnostics(expected, stderr):
    """Every expected diagnostic present, in order, and nothing else."""
    actual = [l for l in stderr.splitlines() if DIAG.match(l)]
    other = [l for l in stderr.splitlines() if not DIAG.match(l) and
             not l.startswith("==")]  # valgrind's lines start with ==PID==
    problems = []
    if len(actual) != len(expected):
        problems.append(f"{len(actual)} diagnostics, expected {len(expected)}")
    for i, exp in enumerate(expected):
        em = DIAG.match(exp)
        if not em:
            problems.append(f"bad .stderr line in the spec: {exp!r}")
            continue
        got = actual[i] if i < len(actual) else None
        gm = DIAG.match(got) if got else None
        if not gm or gm.group(1, 2, 3) != em.group(1, 2, 3) or \
                (em.group(4) or "") not in (gm.group(4) or ""):
            problems.append(f"diagnostic {i + 1}: expected {exp!r}, "
                            f"got {got!r}")
    if problems:
        problems.append("stderr was:\n    " + "\n    ".join(
            stderr.splitlines() or ["(empty)"]))
    elif other:
        problems.append("unexpected stderr lines: " + "; ".join(other))
    return problems


def run_example(ex, tmp):
    problems = []
    inputs = ["ex.md"] + ex.also
    for name in inputs:
        lines = ex.input_lines if name == "ex.md" else \
            ex.sections["also " + name]
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(input_bytes(ex, lines))
    expected_diags = ex.sections.get("stderr", [])
    rc, out, err = run_dconv(["--to", "json"] + inputs, tmp)
    if rc != ex.exit:
        problems.append(f"--to json: exit status {rc}, expected {ex.exit}")
    problems += check_diagnostics(expected_diags, err)
    if ex.exit != 0:
        if out:
            problems.append("--to json: output written although it failed")
    elif "json" in ex.sections:
        expected = ordered("\n".join(ex.sections["json"]))
        problems += check_json(expected, out, "--to json")
        if "markdown" in ex.sections:
            md = "\n".join(ex.sections["markdown"]) + "\n"
            rc, out, err = run_dconv(["--to", "markdown"] + inputs, tmp)
            got = out.decode("utf-8", "replace")
            if rc != 0 or got != md:
                problems.append(
                    f"--to markdown (exit {rc}):\n" + text_diff(md, got))
            # README: parsing the Markdown output gives the same tree, and
            # the output is a fixed point.
            with open(os.path.join(tmp, "md.md"), "w", encoding="utf-8") as f:
                f.write(md)
            rc, out, err = run_dconv(["--to", "json", "md.md"], tmp)
            problems += check_json(expected, out,
                                   "--to json of the expected Markdown")
            rc, out, err = run_dconv(["--to", "markdown", "md.md"], tmp)
            if out.decode("utf-8", "replace") != md:
                problems.append("--to markdown of the expected Markdown is "
                                "not the same bytes (not idempotent):\n" +
                                text_diff(md, out.decode("utf-8", "replace")))
    if ex.exit == 0 and expected_diags:
        # README: "--strict: warnings become errors (no output is written)",
        # exit status 1; "-q: no warnings (errors still print)".
        rc, out, err = run_dconv(["--strict", "--to", "json"] + inputs, tmp)
        if rc != 1:
            problems.append(f"--strict: exit status {rc}, expected 1")
        if out:
            problems.append("--strict: output written despite warnings")
        problems += ["--strict: " + p for p in check_diagnostics(
            [d.replace(": warning:", ": error:", 1) for d in expected_diags],
            err)]
        rc, out_q, err = run_dconv(["-q", "--to", "json"] + inputs, tmp)
        if rc != 0:
            problems.append(f"-q: exit status {rc}, expected 0")
        problems += ["-q: " + p for p in check_diagnostics([], err)]
        if "json" in ex.sections:
            problems += check_json(ordered("\n".join(ex.sections["json"])),
                                   out_q, "-q --to json")
    for want in ex.sections.get("check", []):
        rc, out, err = run_dconv(["--check"] + inputs, tmp)
        lines = (out.decode("utf-8", "replace") + err).splitlines()
        if want not in lines:
            problems.append(f"--check: no line {want!r}; it printed:\n    " +
                            "\n    ".join(lines))
    return problems


def text_diff(expected, got):
    import difflib
    return "".join(difflib.unified_diff(
        expected.splitlines(True), got.splitlines(True), "expected", "dconv"))


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) >= 2 else 2
    spec = sys.argv[1]
    only = {int(a) for a in sys.argv[2:]}
    if "DCONV" not in os.environ:
        print("DCONV is not set", file=sys.stderr)
        return 2
    examples = parse_spec(spec)
    for n in KNOWN_FAILURES:
        if n > len(examples):
            print(f"KNOWN_FAILURES names example {n}, but {spec} has only "
                  f"{len(examples)}", file=sys.stderr)
            return 1
    passed = failed = known = fixed = 0
    with tempfile.TemporaryDirectory(prefix="dconv-spec.") as tmp:
        for ex in examples:
            if only and ex.number not in only:
                continue
            problems = run_example(ex, tmp)
            where = f"example {ex.number} ({spec}:{ex.line})"
            if ex.number in KNOWN_FAILURES:
                if problems:
                    known += 1
                    print(f"known failure: {where}: "
                          f"{KNOWN_FAILURES[ex.number]}")
                    for p in problems:
                        print("    " + p.replace("\n", "\n    "))
                else:
                    fixed += 1
                    print(f"FAIL: {where} passes now: remove it from "
                          "KNOWN_FAILURES in tests/spec/run.py")
            elif problems:
                failed += 1
                print(f"FAIL: {where}")
                for p in problems:
                    print("    " + p.replace("\n", "\n    "))
            else:
                passed += 1
                print(f"ok: {where}")
    print(f"{passed} passed, {failed} failed, {known} known failures, "
          f"{fixed} known failures that pass now")
    return 1 if failed or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
