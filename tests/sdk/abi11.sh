#!/bin/bash
# sdk-abi11 PLUGDIR: the ABI 1.1 roles against the test plugins of
# tests/sdk/plugins/tp11.c - a reader (tp-lines), a filter (tp-keep) and a
# multi-part writer (tp-parts) - each checked against hand-written
# expectations, plus the host's own promises around them: detection and
# --from, the tree checks after a reader, no output on failure, option
# errors exiting 2. PLUGDIR is where the plugins were built.
. "$SRCDIR/tests/lib.sh"
PLUGDIR=$1
export XDG_DATA_HOME=$TMP/xdg HOME=$TMP
mkdir -p "$TMP/p" "$TMP/bad"
chmod 755 "$TMP/p" "$TMP/bad"
for p in tp-lines tp-keep tp-parts; do cp "$PLUGDIR/$p.so" "$TMP/p/"; done
cp "$PLUGDIR/tp-lines-bad.so" "$TMP/bad/"
export DCONV_PLUGIN_PATH=$TMP/p

cat >"$TMP/in.lines" <<'IN'
#tp-lines
2024-03-27|12|First paper|https://arxiv.org/abs/2403.00001|Ann Lee;Bo Kim|a bullet
2024-03-27|-|Second, no votes|https://arxiv.org/abs/2403.00002|Cy|
2024-03-26|30|Earlier day|https://arxiv.org/abs/2403.00003|Di|x
IN

# --- listing: each role where it belongs
dconv --list-formats >"$TMP/list" 2>&1
check "list: the reader, under --from, with its extension" \
  grep -q '^tp-lines   (--from)     test reader of a line format, \.lines$' "$TMP/list"
check "list: the filter, under --filter" grep -q '^tp-keep    (--filter)   ' "$TMP/list"
check "list: the built-in reader" grep -q '^markdown   (--from)     ' "$TMP/list"

# --- reader: detected by extension + probe, sorted by date by the host
dconv --to tp-parts -o "$TMP/out/" "$TMP/in.lines" 2>"$TMP/err"
expect_eq "reader+parts: exit 0" 0 $?
expect_eq "parts: one file per digest, in DIR" "2024-03-26.txt 2024-03-27.txt" \
  "$(cd "$TMP/out" && ls | tr '\n' ' ' | sed 's/ $//')"
expect_eq "parts: every attribute of each paper, table order" \
  "paper title=First paper url=https://arxiv.org/abs/2403.00001 votes=12
paper title=Second, no votes url=https://arxiv.org/abs/2403.00002" \
  "$(cat "$TMP/out/2024-03-27.txt")"
check "parts: the host says where" grep -q "wrote into $TMP/out/" "$TMP/err"
expect_eq "parts: no temporary files left" "" "$(cd "$TMP/out" && ls -A | grep '^\.')"

# The same through stdin: the probe alone decides.
out=$(dconv --check - <"$TMP/in.lines" 2>&1)
expect_eq "stdin: detected by the probe" "2 digests, 3 papers, 0 warnings" "$out"
# --from markdown overrides detection: the text is not a digest then.
dconv --check --from markdown "$TMP/in.lines" >/dev/null 2>&1
expect_eq "--from markdown: parsed as a digest (and refused)" 1 $?
out=$(dconv --check --from tp-lines - <"$TMP/in.lines" 2>&1)
expect_eq "--from tp-lines" "2 digests, 3 papers, 0 warnings" "$out"
dconv --check --from nosuch "$TMP/in.lines" 2>"$TMP/err"
expect_eq "--from unknown: exit 2" 2 $?
check "--from unknown: lists the readers" \
  grep -q "unknown reader 'nosuch' for --from; available: markdown, tp-lines" "$TMP/err"

# --- the host checks a reader's tree like a digest's
out=$(DCONV_PLUGIN_PATH=$TMP/bad dconv --check "$TMP/in.lines" 2>&1)
expect_eq "bad reader: exit 1" 1 $?
check "bad reader: impossible date reported at the file and line" \
  grep -q "^$TMP/in.lines:2: error: digest date '2024-02-30' is not a valid YYYY-MM-DD date" <<<"$out"
printf '#tp-lines\n2024-03-27|1|Bad \001 byte|u|A|b\n' >"$TMP/ctl.lines"
out=$(dconv --to tp-parts -o "$TMP/ctl/" "$TMP/ctl.lines" 2>&1)
check "reader strings are cleaned, with a warning" \
  grep -q "^$TMP/ctl.lines:2: warning: title: 1 invalid" <<<"$out"
check "reader strings are cleaned: U+FFFD" grep -q $'Bad \xEF\xBF\xBD byte' "$TMP/ctl/2024-03-27.txt"

# --- filter: keep votes >= 12, reverse, retitle; the host recounts
out=$(dconv --check --filter tp-keep:min=12 "$TMP/in.lines" 2>&1)
expect_eq "filter: recounted" "2 digests, 2 papers, 0 warnings" "$out"
dconv --to tp-parts --filter tp-keep:min=0 -o "$TMP/f/" "$TMP/in.lines" 2>/dev/null
expect_eq "filter: unknown votes dropped, titles edited" \
  "paper title=First paper! url=https://arxiv.org/abs/2403.00001 votes=12" \
  "$(cat "$TMP/f/2024-03-27.txt")"
printf '#tp-lines\n2024-03-27|1|A|u|X|\n2024-03-27|2|B|u|X|\n2024-03-27|3|C|u|X|\n' >"$TMP/abc.lines"
dconv --to tp-parts --filter tp-keep -o "$TMP/r/" "$TMP/abc.lines" 2>/dev/null
expect_eq "filter: papers reordered (reversed)" "C! B! A!" \
  "$(sed 's/^paper title=\([^ ]*\) .*/\1/' "$TMP/r/2024-03-27.txt" | tr '\n' ' ' | sed 's/ $//')"
# Two filters run in order: the second sees the first's titles.
dconv --to tp-parts --filter tp-keep --filter tp-keep:min=2 -o "$TMP/r2/" "$TMP/abc.lines" 2>/dev/null
expect_eq "filters: applied in order (C,B kept, reversed back)" "B!! C!!" \
  "$(sed 's/^paper title=\([^ ]*\) .*/\1/' "$TMP/r2/2024-03-27.txt" | tr '\n' ' ' | sed 's/ $//')"
dconv --check --filter tp-keep:min=lots "$TMP/in.lines" 2>"$TMP/err"
expect_eq "filter: bad option value: exit 2" 2 $?
check "filter: bad option value named" grep -q "bad value 'lots' for option 'min'" "$TMP/err"
dconv --check --filter tp-lines "$TMP/in.lines" 2>"$TMP/err"
expect_eq "--filter with a reader's name: exit 2" 2 $?

# --- multi-part output: nothing visible unless the whole run succeeds
mkdir -p "$TMP/keep"
echo old >"$TMP/keep/2024-03-27.txt"
dconv --to tp-parts -O fail=true -o "$TMP/keep/" "$TMP/in.lines" 2>"$TMP/err"
expect_eq "failing multi-part writer: exit 4" 4 $?
expect_eq "failing multi-part writer: old file kept, nothing added" "2024-03-27.txt:old" \
  "$(cd "$TMP/keep" && grep -H . * .[!.]* 2>/dev/null)"
check "failing multi-part writer: its message" \
  grep -q "^dconv: tp-parts: error: deliberate failure after parts$" "$TMP/err"
# Without -o DIR/ the parts are one zip; without -o at all it is refused.
dconv --to tp-parts -o "$TMP/all.zip" "$TMP/in.lines" 2>/dev/null
expect_eq "parts into one zip: exit 0" 0 $?
need unzip
expect_eq "parts into one zip: entries" "2024-03-26.txt 2024-03-27.txt" \
  "$(unzip -Z1 "$TMP/all.zip" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "zip entry = the part" "$(cat "$TMP/out/2024-03-27.txt")" \
  "$(unzip -p "$TMP/all.zip" 2024-03-27.txt)"
(cd "$TMP" && dconv --to tp-parts "$TMP/in.lines" >/dev/null 2>"$TMP/err")
expect_eq "parts without -o: usage error (exit 2)" 2 $?
check "parts without -o: says what to do" grep -q "use -o DIR/\|-o DIR/" "$TMP/err"
# A one-file writer into a directory: its default name there.
dconv --to json -o "$TMP/j/" "$TMP/in.lines" 2>/dev/null
expect_eq "one-file writer into DIR/: default name" "daily-papers-2024-03-26_2024-03-27.json" \
  "$(cd "$TMP/j" && ls)"

# --- hygiene: a writer's own option error exits 2 (README); the 1.0 test
# plugin built against the frozen headers still works beside 1.1 plugins.
cp "$PLUGDIR/tp-abi10.so" "$TMP/p/"
out=$(dconv --to tp-abi10 "$TMP/in.lines" 2>&1)
expect_eq "1.0 plugin converts a tree from a 1.1 reader" "tp-abi10: 3 papers, greeting=hello" "$out"
finish
