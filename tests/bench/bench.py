#!/usr/bin/env python3
"""bench.py - the measuring half of tests/bench/bench.sh (read that first).

Every command is run with its standard output and error discarded, timed
with a monotonic clock around posix_spawn + wait4; wait4's rusage gives the
CPU time (user + system) and the peak RSS, the same ru_maxrss that
`/usr/bin/time -v` prints as "Maximum resident set size". The commands of
one input are run round-robin (run 1 of every command, then run 2, ...), so
a busy machine slows them alike and the ratios stay fair; the medians are
reported.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

FORMATS_TEXT = ("markdown", "json", "bibtex", "opml")
PANDOC_TO = {"markdown": "gfm", "opml": "opml", "epub": "epub3", "kepub": "epub3"}


RSS_FILE = os.path.join(os.environ.get("TMPDIR", "/tmp"), "dconv-bench-rss.%d" % os.getpid())


def run_once(argv, rss=False):
    """(wall ms, cpu ms, peak RSS KiB or None) of one run of argv. The peak
    RSS comes from /usr/bin/time (rss=True): a child spawned by this Python
    process would report Python's own RSS as its high-water mark."""
    if rss:
        argv = ["/usr/bin/time", "-f", "%M", "-o", RSS_FILE] + argv
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        t0 = time.perf_counter_ns()
        pid = os.posix_spawnp(argv[0], argv, os.environ,
                              file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1),
                                            (os.POSIX_SPAWN_DUP2, devnull, 2)])
        _, status, ru = os.wait4(pid, 0)
        t1 = time.perf_counter_ns()
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("failed (%d): %s" % (os.waitstatus_to_exitcode(status), " ".join(argv)))
    kib = None
    if rss:
        with open(RSS_FILE) as f:
            kib = int(f.read().split()[-1])
        os.unlink(RSS_FILE)
    return ((t1 - t0) / 1e6, (ru.ru_utime + ru.ru_stime) * 1e3, kib)


def measure(cmds, runs, warmup, rss_in_runs=False):
    """cmds: {key: argv}. Returns {key: (median wall ms, median cpu ms, peak
    RSS KiB)}. Peak RSS: from the timed runs themselves when rss_in_runs
    (long runs, where /usr/bin/time's own cost is noise), else from one
    extra run under /usr/bin/time."""
    res = {k: [] for k in cmds}
    peak = {k: 0 for k in cmds}
    failed = set()
    for i in range(warmup + runs + (0 if rss_in_runs else 1)):
        for k, argv in cmds.items():
            if k in failed:
                continue
            rss = rss_in_runs or i == warmup + runs
            try:
                r = run_once(argv, rss)
            except RuntimeError as e:
                print(e, file=sys.stderr)
                failed.add(k)
                continue
            if rss:
                peak[k] = max(peak[k], r[2])
            if warmup <= i < warmup + runs:
                res[k].append(r)
    out = {}
    for k, rs in res.items():
        if k in failed or not rs:
            out[k] = None
        else:
            out[k] = (statistics.median(r[0] for r in rs),
                      statistics.median(r[1] for r in rs),
                      peak[k])
    return out


def machine(dconv, builddir):
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) / 1048576
    btype = "unknown"
    try:
        with open(os.path.join(builddir, "meson-info", "intro-buildoptions.json")) as f:
            for o in json.load(f):
                if o["name"] == "buildtype":
                    btype = o["value"]
    except OSError:
        pass

    def first_line(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.splitlines()[0]
        except (OSError, IndexError):
            return None
    return {
        "cores": os.cpu_count(), "cpu": cpu, "mem": "%.1f GiB" % mem,
        "kernel": platform.release(), "dconv": first_line([dconv, "--version"]),
        "build": btype, "cmark": first_line(["cmark-gfm", "--version"]),
        "pandoc": first_line(["pandoc", "--version"]),
        "load": os.getloadavg()[0],
    }


def main():
    cfg = json.load(open(sys.argv[1]))
    dconv, tmp = cfg["dconv"], cfg["tmp"]
    formats = cfg["formats"]
    results = {}
    for s in cfg["sets"]:
        big = s["key"] == "d"
        runs = cfg["runs_big"] if big else cfg["runs"]
        warm = 0 if big else 2
        print("measuring %s: %d bytes, %d papers, %d runs..." % (s["desc"], s["bytes"], s["papers"], runs),
              file=sys.stderr)
        cmds = {"cmark": ["cmark-gfm", "-e", "autolink", s["file"]],
                "check": [dconv, "-q", "--check", s["arg"]]}
        for fmt in formats:
            cmds[fmt] = [dconv, "-q", "--to", fmt, "-o", "-", s["arg"]]
        results[s["key"]] = measure(cmds, runs, warm, rss_in_runs=big)
        if cfg["pandoc_runs"] > 0 and not big:
            print("  pandoc, %d runs..." % cfg["pandoc_runs"], file=sys.stderr)
            p = {}
            for to in sorted(set(PANDOC_TO[f] for f in formats if f in PANDOC_TO)):
                argv = ["pandoc", "-f", "gfm", "-t", to, s["noimg"]]
                if to == "epub3":
                    argv += ["--metadata", "title=Bench", "-o", os.path.join(tmp, "pandoc.epub")]
                p["pandoc:" + to] = argv
            results[s["key"]].update(measure(p, cfg["pandoc_runs"], 0))
    print("measuring start-up...", file=sys.stderr)
    results["startup"] = measure({"version": [dconv, "--version"],
                                  "discover": [dconv, "--list-formats"]}, 50, 5)
    m = machine(dconv, cfg["builddir"])
    report(cfg, results, m)


def fmt_row(cells):
    return "| " + " | ".join(cells) + " |"


def report(cfg, results, m):
    formats = cfg["formats"]
    L = []
    L.append("Machine: %d cores, %s, %s RAM, Linux %s; load average %.1f at the end of the run." % (
        m["cores"], m["cpu"], m["mem"], m["kernel"], m["load"]))
    L.append("%s, %s build; %s; %s." % (m["dconv"], m["build"], m["cmark"], m["pandoc"] or "no pandoc"))
    L.append("Median of %d runs for (a)-(c), %d for (d); pandoc: %d runs, not on (d). "
             "dconv writes to standard output (`-o -`). "
             "\"x cmark\": wall time over `cmark-gfm -e autolink` on the same bytes; "
             "\"pandoc/dconv\": how many times faster than pandoc on the same format."
             % (cfg["runs"], cfg["runs_big"], cfg["pandoc_runs"]))
    L.append("")
    L.append(fmt_row(["input", "command", "wall ms", "cpu ms", "peak RSS MiB", "MB/s", "papers/s",
                      "x cmark", "pandoc/dconv"]))
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in cfg["sets"]:
        r = results[s["key"]]
        desc = "%s: %.2f MB, %d papers" % (s["desc"], s["bytes"] / 1e6, s["papers"])
        cm = r["cmark"]
        rows = [("cmark", "cmark-gfm -e autolink"), ("check", "dconv --check")]
        rows += [(f, "dconv --to " + f) for f in formats]
        rows += [(k, "pandoc -f gfm -t " + k.split(":")[1]) for k in sorted(r) if k.startswith("pandoc:")]
        for key, name in rows:
            v = r.get(key)
            if v is None:
                L.append(fmt_row([desc, name, "failed", "", "", "", "", "", ""]))
                continue
            wall, cpu, rss = v
            pd = ""
            if key in PANDOC_TO and r.get("pandoc:" + PANDOC_TO[key]):
                pd = "%.0f" % (r["pandoc:" + PANDOC_TO[key]][0] / wall)
            L.append(fmt_row([
                desc, name, "%.1f" % wall, "%.1f" % cpu,
                "" if key.startswith("pandoc:") else "%.1f" % (rss / 1024),
                "%.1f" % (s["bytes"] / 1e6 / (wall / 1e3)),
                "%.0f" % (s["papers"] / (wall / 1e3)),
                "%.2f" % (wall / cm[0]) if cm else "", pd]))
    st = results["startup"]
    L.append("")
    if st["version"] and st["discover"]:
        L.append("Start-up: `dconv --version` %.2f ms wall (%.1f MiB, no plugin is loaded); "
                 "plugin discovery, `dconv --list-formats` (loads every plugin) %.2f ms (%.1f MiB)." % (
                     st["version"][0], st["version"][2] / 1024, st["discover"][0], st["discover"][2] / 1024))
    L.append("")
    sets = {s["key"]: s for s in cfg["sets"]}
    if "c" in sets:
        c, rc = sets["c"], results["c"]
        d, rd = sets.get("d"), results.get("d")
        L.append("Targets (issue 9) on (c), limits in brackets: time within 3x (text formats) or 6x "
                 "(EPUB, Anki) of cmark-gfm, at least 30x faster than pandoc (wall; CPU time beside it, "
                 "the steadier number on a busy machine), peak RSS under 4x input + 16 MiB. "
                 "(d): peak RSS against the same bound, and \"linear\" when its RSS per input byte "
                 "is no more than (c)'s.")
        L.append("")
        L.append(fmt_row(["format", "x cmark", "pandoc/dconv (cpu)", "peak RSS MiB", "(c)",
                          "(d) peak RSS MiB", "(d) RSS / input", "(d)"]))
        L.append("|---|---:|---:|---:|---|---:|---:|---|")
        limit_c = (4 * c["bytes"] + 16 * 1048576) / 1048576
        for f in formats:
            v = rc.get(f)
            if v is None or rc["cmark"] is None:
                L.append(fmt_row([f, "failed", "", "", "**missed**", "", "", ""]))
                continue
            miss = []
            lim = 3 if f in FORMATS_TEXT else 6
            x = v[0] / rc["cmark"][0]
            if x > lim:
                miss.append("time")
            p = rc.get("pandoc:" + PANDOC_TO.get(f, "-"))
            if p:
                pd = p[0] / v[0]
                if pd < 30:
                    miss.append("pandoc")
                pds = "%.0f (%.0f)" % (pd, p[1] / v[1])
            else:
                pds = "n/a"
            rss = v[2] / 1024
            if rss > limit_c:
                miss.append("RSS")
            verdict = "met" if not miss else "**missed**: " + ", ".join(miss)
            if d:
                dv = rd.get(f)
                if dv is None:
                    ds, dr, dverdict = "failed", "", "**failed**"
                else:
                    limit_d = (4 * d["bytes"] + 16 * 1048576) / 1048576
                    ds = "%.0f [%.0f]" % (dv[2] / 1024, limit_d)
                    dr = "%.2f" % (dv[2] * 1024 / d["bytes"])
                    linear = dv[2] * 1024 / d["bytes"] <= v[2] * 1024 / c["bytes"]
                    dverdict = ("linear" if linear else "**not linear**") + (
                        ", within bound" if dv[2] / 1024 <= limit_d else ", **over bound**")
            else:
                ds, dr, dverdict = "not run", "", ""
            L.append(fmt_row([f, "%.2f [%d]" % (x, lim), pds, "%.1f [%.1f]" % (rss, limit_c), verdict,
                              ds, dr, dverdict]))
    text = "\n".join(L) + "\n"
    sys.stdout.write(text)
    with open(cfg["out"], "w") as f:
        f.write(text)
    with open(cfg["out"].rsplit(".", 1)[0] + ".json", "w") as f:
        json.dump({"machine": m, "sets": cfg["sets"], "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
