#!/bin/bash
# sdk-install MESON: `meson install --destdir` into a temporary root, then
# build docs/example-plugin out of tree against that SDK with nothing but
# pkg-config pointing there, install it into the SDK's plugindir, and use it
# from the installed dconv on the seeds: readinglist as a writer (CSV read by
# Python's csv module against the JSON tree) and as a reader (the CSV read
# back gives the same CSV and the same papers), recent as a filter (against
# expectations written by hand).
. "$SRCDIR/tests/lib.sh"
MESON=${1:-meson}
need pkg-config nm python3 "$MESON"
DEST=$TMP/root

# 1. install
if ! "$MESON" install -C "$BUILDDIR" --no-rebuild --destdir "$DEST" >"$TMP/install.log" 2>&1; then
  cat "$TMP/install.log" >&2
  fail "meson install --destdir"
  finish
fi
pass "meson install --destdir"
pc=$(find "$DEST" -name dconv-plugin.pc)
bin=$(find "$DEST" -path '*/bin/dconv' -type f)
inc_h=$(find "$DEST" -path '*/include/dconv/plugin.h')
check "dconv-plugin.pc installed" test -n "$pc"
check "dconv installed" test -x "$bin"
check "dconv/plugin.h installed" test -n "$inc_h"
check "dconv/tree.h installed beside it" test -f "$(dirname "$inc_h")/tree.h"
check "dconv.1 installed" test -n "$(find "$DEST" -path '*/man1/dconv.1')"
check "dconv-plugin.7 installed" test -n "$(find "$DEST" -path '*/man7/dconv-plugin.7')"
if [ -z "$pc" ] || [ ! -x "$bin" ]; then finish; fi
builtin_dir=$(dirname "$(find "$DEST" -path '*/dconv/plugins/json.so')")
expect_eq "built-in plugins installed" "anki.so bibtex.so csljson.so epub.so hf.so json.so lua.so markdown.so opml.so ris.so select.so" \
  "$(cd "$builtin_dir" && echo *.so)"

# 2. the .pc file: Cflags only, no Libs; variables agree with the header
check "dconv-plugin.pc has no Libs" sh -c "! grep -q '^Libs' '$pc'"
PCDIR=$(dirname "$pc")
pkgc() {
  PKG_CONFIG_PATH=$PCDIR PKG_CONFIG_LIBDIR=$PCDIR PKG_CONFIG_SYSROOT_DIR=$DEST \
    pkg-config "$@"
}
expect_eq "pkg-config --cflags" "-I$(dirname "$(dirname "$inc_h")")" \
  "$(pkgc --cflags dconv-plugin | sed 's/ *$//')"
expect_eq "pkg-config --libs is empty" "" "$(pkgc --libs dconv-plugin | sed 's/ *$//')"
maj=$(sed -n 's/^#define DCONV_ABI_MAJOR \([0-9]*\)$/\1/p' "$inc_h")
min=$(sed -n 's/^#define DCONV_ABI_MINOR \([0-9]*\)$/\1/p' "$inc_h")
expect_eq "pc abi_major = header" "$maj" "$(pkgc --variable=abi_major dconv-plugin)"
expect_eq "pc abi_minor = header" "$min" "$(pkgc --variable=abi_minor dconv-plugin)"
# pkgconf prefixes path variables with the sysroot, pkg-config 0.29 does not.
pc_plugindir=$(pkgc --variable=plugindir dconv-plugin)
case $pc_plugindir in
"$DEST"/*) staged_plugindir=$pc_plugindir ;;
*) staged_plugindir=$DEST$pc_plugindir ;;
esac
expect_eq "pc plugindir = where the built-in plugins went" "$builtin_dir" "$staged_plugindir"
expect_eq "dconv --version names the ABI" "plugin ABI $maj.$min" \
  "$("$bin" --version | grep -o 'plugin ABI [0-9.]*')"

# 3. the example plugin, from a copy outside the source tree
cp -r "$SRCDIR/docs/example-plugin" "$TMP/src"
export PKG_CONFIG_PATH=$PCDIR PKG_CONFIG_LIBDIR=$PCDIR PKG_CONFIG_SYSROOT_DIR=$DEST
if "$MESON" setup "$TMP/exbuild" "$TMP/src" >"$TMP/setup.log" 2>&1 &&
  "$MESON" compile -C "$TMP/exbuild" >"$TMP/compile.log" 2>&1; then
  pass "example plugin builds against the installed SDK"
else
  cat "$TMP/setup.log" "$TMP/compile.log" >&2
  fail "example plugin builds against the installed SDK"
  finish
fi
check "it used the installed headers" \
  grep -q -- "-I$(dirname "$(dirname "$inc_h")")" "$TMP/exbuild/compile_commands.json"
check "and nothing from the source tree" sh -c "! grep -q -- '$SRCDIR' '$TMP/exbuild/compile_commands.json'"
if [ "$pc_plugindir" = "$staged_plugindir" ]; then
  "$MESON" install -C "$TMP/exbuild" >"$TMP/exinstall.log" 2>&1
else
  "$MESON" install -C "$TMP/exbuild" --destdir "$DEST" >"$TMP/exinstall.log" 2>&1
fi
check "example plugin installs into plugindir" test -f "$builtin_dir/readinglist.so"
check "example filter installs into plugindir" test -f "$builtin_dir/recent.so"
unset PKG_CONFIG_PATH PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
expect_eq "example exports one symbol" "dconv_plugin_entry" \
  "$(nm -D --defined-only "$builtin_dir/readinglist.so" | awk 'NF == 3 {print $3}')"

# 4. the installed dconv (its built-in dir is the real prefix, so point it
# at the staged one), the example among its plugins
DCONV=$bin
export DCONV_PLUGIN_PATH=$builtin_dir XDG_DATA_HOME=$TMP/xdg HOME=$TMP
dconv --list-plugins >"$TMP/list.txt" 2>"$TMP/list.err"
expect_eq "readinglist listed with its version and path" \
  "readinglist 1.1.0 $builtin_dir/readinglist.so" \
  "$(awk '$1 == "readinglist" {print $1, $2, $3}' "$TMP/list.txt")"
expect_eq "recent listed as a filter" "recent (--filter)" \
  "$(dconv --list-formats | awk '$1 == "recent" {print $1, $2}')"
expect_eq "readinglist listed as a reader too" "readinglist (--from)" \
  "$(dconv --list-formats | awk '$1 == "readinglist" && $2 == "(--from)" {print $1, $2}')"
expect_eq "no plugin rejected" "" "$(grep rejected "$TMP/list.txt"; cat "$TMP/list.err")"
dconv --to json "$SEEDS" >"$TMP/seeds.json"
check "installed json plugin converts" test -s "$TMP/seeds.json"

dconv --to readinglist "$SEEDS" >"$TMP/all.csv" 2>"$TMP/all.err"
expect_eq "readinglist exit status" 0 $?
expect_eq "readinglist: no diagnostics on the seeds" "" "$(cat "$TMP/all.err")"
dconv --to readinglist -O separator=tab -O min-votes=20 "$SEEDS" >"$TMP/top.tsv"
expect_eq "options exit status" 0 $?
dconv --to readinglist -O separator=pipe "$SEEDS" >/dev/null 2>"$TMP/bad.err"
expect_eq "bad enum value refused (exit 2)" 2 $?
check "with the choices" grep -q "comma|semicolon|tab" "$TMP/bad.err"
dconv --help readinglist >"$TMP/help.txt"
check "--help readinglist shows min-votes" grep -q -- "-O min-votes=INT" "$TMP/help.txt"

# A paper without a link: an empty url column and a warning naming the line;
# quoting of separators and quotes (RFC 4180).
printf '## Daily Papers (2024-03-27)\n\n### A "quoted", title; here\n\nVote: 3\n\nAuthors: A, B\n\n- x\n' >"$TMP/nolink.md"
out=$(dconv --to readinglist "$TMP/nolink.md" 2>"$TMP/nolink.err" | tail -1)
expect_eq "readinglist: CSV quoting" $'2024-03-27,,"A ""quoted"", title; here","A, B",3,\r' "$out"
out=$(dconv --to readinglist -O separator=semicolon "$TMP/nolink.md" 2>/dev/null | tail -1)
expect_eq "readinglist: quoting with ';'" $'2024-03-27;;"A ""quoted"", title; here";A, B;3;\r' "$out"
check "readinglist: warning with file and line" grep -qx \
  "$TMP/nolink.md:3: warning: paper has no link; its url column is empty (readinglist)" "$TMP/nolink.err"

# The CSV carries exactly what the JSON tree says, paper for paper.
python3 - "$TMP/seeds.json" "$TMP/all.csv" "$TMP/top.tsv" <<'PY' || fail "CSV content"
import csv, json, sys
tree = json.load(open(sys.argv[1], encoding="utf-8"))
def authors(p):  # as dconv_util_join_authors joins them, "…" where elided
    names = list(p["authors"])
    if p["authors_elided"]:
        names.insert(p["authors_elided_at"], "\u2026")
    return ("; " if any("," in a for a in p["authors"]) else ", ").join(names)
want = []
for d in tree["digests"]:
    for p in d["papers"]:
        want.append([d["date"], p["arxiv_id"] or "", p["title"],
                     authors(p),
                     "" if p["votes"] is None else str(p["votes"]),
                     p["url"] or ""])
head = ["date", "arxiv_id", "title", "authors", "votes", "url"]
raw = open(sys.argv[2], "rb").read()
assert raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n"), "CRLF rows"
rows = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
assert rows[0] == head, rows[0]
assert len(want) == 54, len(want)
assert rows[1:] == want, "rows differ from the JSON tree"
top = list(csv.reader(open(sys.argv[3], newline="", encoding="utf-8"),
                      delimiter="\t"))
exp = [r for r in want if r[4] and int(r[4]) >= 20]
assert top[0] == head and top[1:] == exp, "min-votes/tab rows"
assert 0 < len(exp) < len(want), len(exp)
assert any("\u2026" in r[3] for r in want), "a seed paper with elided authors"
print("ok: CSV = JSON tree for %d papers; %d with >= 20 votes" % (len(want), len(exp)))
PY

# readinglist as a reader: the CSV read back (detected by its header, no
# --from) writes the same CSV, and the same papers as the digests (without
# their summaries, which the CSV does not hold).
dconv --to readinglist "$TMP/all.csv" >"$TMP/again.csv" 2>"$TMP/again.err"
expect_eq "reader: detected, exit 0, no diagnostics" "0:" "$?:$(cat "$TMP/again.err")"
check "reader: CSV -> tree -> CSV is byte-identical" cmp "$TMP/all.csv" "$TMP/again.csv"
strip='[.digests[] | {date, papers: [.papers[] | del(.summary, .media)]}]'
dconv --from readinglist --to json "$TMP/all.csv" | jq -S "$strip" >"$TMP/back.json"
jq -S "$strip" "$TMP/seeds.json" >"$TMP/want.json"
check "reader: same dates, titles, ids, votes, authors and elision as the digests" \
  cmp "$TMP/want.json" "$TMP/back.json"
printf 'date;title;votes\r\n2024-01-01;"A ""q"";b";7\r\n2024-01-01;"bad "x;1\r\n' >"$TMP/bad.csv"
dconv --to json -o "$TMP/bad.json" "$TMP/bad.csv" 2>"$TMP/bad.err"
rc=$?
check "reader: a stray quote is bad input (exit 1), no output" test $rc -eq 1 -a ! -e "$TMP/bad.json"
check "reader: the message names the file, the line and the plugin" grep -q \
  "^$TMP/bad.csv: error: line 3: a quote inside a field.*(readinglist)$" "$TMP/bad.err"

# recent as a filter, on a digest written for it: 2403 (this month) and
# 2304 (11 months before) stay at months=12, 2302 (13) goes; a paper
# without an arXiv id stays unless keep-unknown=false; a digest left empty
# goes.
cat >"$TMP/recent.md" <<'MD'
## Daily Papers (2024-03-27)

### [Now](https://arxiv.org/abs/2403.00001)

### [Eleven months](https://arxiv.org/abs/2304.00002)

### [Thirteen months](https://arxiv.org/abs/2302.00003)

### No id

## Daily Papers (2024-03-28)

### [Old](https://arxiv.org/abs/2001.00004)
MD
rec() {
  dconv -q --to json "$@" "$TMP/recent.md" | jq -r '[.digests[] | .date + ":" + ([.papers[].title] | join(","))] | join(" ")'
}
expect_eq "recent: default 12 months" "2024-03-27:Now,Eleven months,No id" "$(rec --filter recent)"
expect_eq "recent: months=0, keep-unknown=false" "2024-03-27:Now" \
  "$(rec --filter recent:months=0,keep-unknown=false)"
dconv --to json --filter recent:months=soon "$TMP/recent.md" >/dev/null 2>"$TMP/rec.err"
expect_eq "recent: a bad value is a usage error (exit 2)" 2 $?
finish
