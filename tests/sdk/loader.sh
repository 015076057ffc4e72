#!/bin/bash
# sdk-loader PLUGDIR: the plugin loader against the small test plugins of
# tests/sdk/plugins/ (PLUGDIR is where they were built). Each case copies
# the plugins it needs into a directory of its own, points
# DCONV_PLUGIN_PATH there and checks the EXACT message dconv prints (the
# whole of stderr) and that the built-in plugins keep working: `--to json`
# gives the same bytes as without the bad plugin.
. "$SRCDIR/tests/lib.sh"
PLUGDIR=$1
BUILTIN=$BUILDDIR/plugins
export XDG_DATA_HOME=$TMP/xdg HOME=$TMP # no user plugins
unset DCONV_PLUGIN_PATH
SEED=$(find "$SEEDS" -maxdepth 1 -type f \( -name '*.md' -o -name '*.txt' \) | sort | head -1)

abi=$(dconv --version | sed -n 's/.*plugin ABI \([0-9]*\.[0-9]*\).*/\1/p')
MAJ=${abi%.*}
MIN=${abi#*.}
check "dconv --version names the plugin ABI" test -n "$abi"
papers=$(dconv --check "$SEED" | sed -n 's/^1 digests, \([0-9]*\) papers.*/\1/p')
check "the seed has papers" test -n "$papers"

dconv --to json "$SEED" >"$TMP/ref.json" 2>"$TMP/ref.err"
expect_eq "reference run: exit status" 0 $?
check "reference run: JSON written" grep -q '"papers"' "$TMP/ref.json"
expect_eq "reference run: no diagnostics" "" "$(cat "$TMP/ref.err")"

# mkcase NAME PLUGIN...: a fresh directory holding copies of test plugins.
mkcase() {
  local d=$TMP/c/$1
  shift
  mkdir -p "$d"
  chmod 755 "$d"
  for p in "$@"; do cp "$PLUGDIR/$p.so" "$d/"; done
}

# rejected CASE MESSAGE...: with DCONV_PLUGIN_PATH=the case's directory,
# `--to json` still works without loading any file of it (only a refused
# directory is mentioned), and `--list-formats`, which loads every plugin,
# prints exactly the given line(s) on stderr.
rejected() {
  local name=$1 dir=$TMP/c/$1 want
  shift
  want=$(printf '%s\n' "$@")
  DCONV_PLUGIN_PATH=$dir dconv --to json "$SEED" >"$TMP/out" 2>"$TMP/err"
  expect_eq "$name: --to json exit status" 0 $?
  check "$name: --to json output unchanged" cmp -s "$TMP/ref.json" "$TMP/out"
  expect_eq "$name: --to json loads no file of the directory" "" \
    "$(grep -v 'plugin rejected: .*directory' "$TMP/err")"
  DCONV_PLUGIN_PATH=$dir dconv --list-formats >/dev/null 2>"$TMP/err"
  expect_eq "$name: --list-formats exit status" 0 $?
  expect_eq "$name: message" "$want" "$(cat "$TMP/err")"
}

W="warning: plugin rejected:"

# --- version handshake
mkcase major tp-major
rejected major "$TMP/c/major/tp-major.so: $W built for ABI $((MAJ + 1)).0, this dconv provides $MAJ.$MIN - rebuild it"
mkcase minor tp-minor
rejected minor "$TMP/c/minor/tp-minor.so: $W needs ABI $MAJ.$((MIN + 1)), this dconv provides $MAJ.$MIN - upgrade dconv"
mkcase small tp-small
rejected small "$TMP/c/small/tp-small.so: $W descriptor too small (16 bytes, ABI $MAJ.0 needs 80)"

# --- not a plugin
mkcase noentry tp-noentry
rejected noentry "$TMP/c/noentry/tp-noentry.so: $W not a dconv plugin (no 'dconv_plugin_entry' symbol)"
mkcase nullentry tp-nullentry
rejected nullentry "$TMP/c/nullentry/tp-nullentry.so: $W not a dconv plugin (entry returned NULL)"
mkcase text
printf 'This is a text file named x.so, not a shared object: dlopen must say\nso, and dconv must pass its words on to the user unchanged.\n' >"$TMP/c/text/x.so"
rejected text "$TMP/c/text/x.so: $W $TMP/c/text/x.so: invalid ELF header"
mkcase short
printf 'tiny\n' >"$TMP/c/short/x.so"
rejected short "$TMP/c/short/x.so: $W $TMP/c/short/x.so: file too short"
mkcase undefined tp-undefined
rejected undefined "$TMP/c/undefined/tp-undefined.so: $W $TMP/c/undefined/tp-undefined.so: undefined symbol: dconv_tp_nowhere"
mkcase dir
mkdir "$TMP/c/dir/d.so"
rejected dir "$TMP/c/dir/d.so: $W not a regular file"
mkcase empty
rejected empty # an empty plugin directory is normal and silent
mkcase ignored tp-good
mv "$TMP/c/ignored/tp-good.so" "$TMP/c/ignored/.hidden.so"
cp "$PLUGDIR/tp-good.so" "$TMP/c/ignored/tp-good.so.bak"
rejected ignored # dot files and names not ending in .so are not candidates

# --- bad declarations
mkcase noconvert tp-noconvert
rejected noconvert "$TMP/c/noconvert/tp-noconvert.so: $W required field 'convert' is missing"
mkcase badname tp-badname
rejected badname "$TMP/c/badname/tp-badname.so: $W required field 'name' is missing or not [a-z0-9_-]+"
mkcase badoption tp-badoption
rejected badoption "$TMP/c/badoption/tp-badoption.so: $W required field 'key' of an option is missing or contains '='"
mkcase dup tp-dup
rejected dup "$TMP/c/dup/tp-dup.so: $W duplicate plugin name 'json', already loaded from $BUILTIN/json.so"
mkcase dupvariant tp-dupvariant
rejected dupvariant "$TMP/c/dupvariant/tp-dupvariant.so: $W duplicate format name 'kepub' (a variant), already provided by $BUILTIN/epub.so"

# --- search path rules
mkdir -p "$TMP/cwd/rel"
cp "$PLUGDIR/tp-good.so" "$TMP/cwd/"
cp "$PLUGDIR/tp-good.so" "$TMP/cwd/rel/"
(
  cd "$TMP/cwd" || exit 1
  DCONV_PLUGIN_PATH=rel:.:: dconv --to json "$SEED" >"$TMP/out" 2>"$TMP/err"
  expect_eq "relative entries: --to json exit status" 0 $?
  check "relative entries: --to json output unchanged" cmp -s "$TMP/ref.json" "$TMP/out"
  expect_eq "relative entries: messages" \
    "$(printf 'rel: %s relative plugin directory never searched\n.: %s relative plugin directory never searched' "$W" "$W")" \
    "$(cat "$TMP/err")"
  dconv --to tp-good "$SEED" >/dev/null 2>"$TMP/err"
  expect_eq "the current directory is never searched" 2 $?
  exit "$FAILS"
) || FAILS=$((FAILS + $?))

mkcase wdir tp-good
chmod 777 "$TMP/c/wdir"
rejected wdir "$TMP/c/wdir: $W plugin directory is world-writable; not searched"
DCONV_PLUGIN_PATH=$TMP/c/wdir dconv --to tp-good "$SEED" >/dev/null 2>&1
expect_eq "world-writable directory: its plugin is not loaded" 2 $?
out=$(dconv --plugin "$TMP/c/wdir/tp-good.so" --to tp-good "$SEED" 2>"$TMP/err")
expect_eq "world-writable directory: --plugin FILE loads it" "tp-good: $papers papers, greeting=hello" "$out"
expect_eq "world-writable directory: --plugin FILE, no message" "" "$(cat "$TMP/err")"

mkcase wfile tp-good
chmod 666 "$TMP/c/wfile/tp-good.so"
rejected wfile "$TMP/c/wfile/tp-good.so: $W file is world-writable (use --plugin to load it anyway)"
out=$(dconv --plugin "$TMP/c/wfile/tp-good.so" --to tp-good "$SEED" 2>"$TMP/err")
expect_eq "world-writable file: --plugin FILE loads it" "tp-good: $papers papers, greeting=hello" "$out"

if [ "$(id -u)" = 0 ] && id -u nobody >/dev/null 2>&1; then
  mkcase owner tp-good
  chown nobody "$TMP/c/owner/tp-good.so"
  rejected owner "$TMP/c/owner/tp-good.so: $W file owned by uid $(id -u nobody), neither you nor root (use --plugin to load it anyway)"
  out=$(dconv --plugin "$TMP/c/owner/tp-good.so" --to tp-good "$SEED" 2>"$TMP/err")
  expect_eq "foreign owner: --plugin FILE loads it" "tp-good: $papers papers, greeting=hello" "$out"
  expect_eq "foreign owner: --plugin FILE, no message" "" "$(cat "$TMP/err")"
else
  echo "SKIP: ownership check needs root (to chown a file to nobody)"
fi

# Group-writable files and directories: refused unless the group is the
# user's private group (named like the user, no other member), like ssh's
# StrictModes; a directory owned by another user is not searched.
me=$(id -un)
if [ "$(id -u)" = 0 ] && getent group nogroup >/dev/null && id -u nobody >/dev/null 2>&1; then
  ngid=$(getent group nogroup | cut -d: -f3)
  mkcase gfile tp-good
  chgrp nogroup "$TMP/c/gfile/tp-good.so"
  chmod 664 "$TMP/c/gfile/tp-good.so"
  rejected gfile "$TMP/c/gfile/tp-good.so: $W file is group-writable and gid $ngid is not your private group (use --plugin to load it anyway)"
  DCONV_PLUGIN_PATH=$TMP/c/gfile dconv --to tp-good "$SEED" >/dev/null 2>&1
  expect_eq "group-writable file: not loaded (exit 2)" 2 $?
  mkcase gdir tp-good
  chgrp nogroup "$TMP/c/gdir"
  chmod 775 "$TMP/c/gdir"
  rejected gdir "$TMP/c/gdir: $W plugin directory is group-writable and gid $ngid is not your private group; not searched"
  mkcase odir tp-good
  chown nobody "$TMP/c/odir"
  rejected odir "$TMP/c/odir: $W plugin directory owned by uid $(id -u nobody), neither you nor root; not searched"
  DCONV_PLUGIN_PATH=$TMP/c/odir dconv --to tp-good "$SEED" >/dev/null 2>&1
  expect_eq "foreign directory: its plugin is not loaded (exit 2)" 2 $?
  # The same rules for scripts a script host would load from a directory.
  mkcase gscript
  cp "$SRCDIR/docs/lua/keep.lua" "$TMP/c/gscript/keep.lua"
  chgrp nogroup "$TMP/c/gscript/keep.lua"
  chmod 664 "$TMP/c/gscript/keep.lua"
  rejected gscript "$TMP/c/gscript/keep.lua: $W file is group-writable and gid $ngid is not your private group (use --plugin to load it anyway)"
else
  echo "SKIP: group and owner checks need root (chgrp nogroup, chown nobody)"
fi
# The user's private group may write: here the group of the user's name.
if getent group "$me" >/dev/null && [ -z "$(getent group "$me" | cut -d: -f4 | tr ',' '\n' | grep -vx "$me")" ]; then
  mkcase pgroup tp-good
  chgrp "$me" "$TMP/c/pgroup" "$TMP/c/pgroup/tp-good.so"
  chmod 775 "$TMP/c/pgroup"
  chmod 664 "$TMP/c/pgroup/tp-good.so"
  out=$(DCONV_PLUGIN_PATH=$TMP/c/pgroup dconv --to tp-good "$SEED" 2>"$TMP/err")
  expect_eq "private group may write: loaded" "tp-good: $papers papers, greeting=hello" "$out"
  expect_eq "private group may write: no message" "" "$(cat "$TMP/err")"
else
  echo "SKIP: no private group named $me"
fi

# --plugin: a missing file is named as such, relative or not.
dconv --plugin no-such.so --to json "$SEED" >"$TMP/out" 2>"$TMP/err"
expect_eq "--plugin missing: --to json still works" 0 $?
expect_eq "--plugin missing (relative): message" \
  "no-such.so: $W No such file or directory" "$(cat "$TMP/err")"
dconv --plugin "$TMP/no-such.so" --to json "$SEED" >"$TMP/out" 2>"$TMP/err"
expect_eq "--plugin missing (absolute): message" \
  "$TMP/no-such.so: $W No such file or directory" "$(cat "$TMP/err")"
# --plugin comes first, so it wins over a plugin of the same name found later.
mkcase first tp-good
out=$(DCONV_PLUGIN_PATH=$TMP/c/first dconv --plugin "$PLUGDIR/tp-good.so" --to tp-good "$SEED" 2>"$TMP/err")
expect_eq "--plugin wins: output" "tp-good: $papers papers, greeting=hello" "$out"
expect_eq "--plugin wins: the later one is not even loaded" "" "$(cat "$TMP/err")"
DCONV_PLUGIN_PATH=$TMP/c/first dconv --plugin "$PLUGDIR/tp-good.so" --list-formats >/dev/null 2>"$TMP/err"
expect_eq "--plugin wins: the later one is reported by --list-formats" \
  "$TMP/c/first/tp-good.so: $W duplicate plugin name 'tp-good', already loaded from $PLUGDIR/tp-good.so" \
  "$(cat "$TMP/err")"

# --- load only what the command needs (a plugin's constructor is code too)
mkcase crashctor tp-crashctor
export DCONV_PLUGIN_PATH=$TMP/c/crashctor
dconv --to json "$SEED" >"$TMP/out" 2>"$TMP/err"
expect_eq "crashing constructor elsewhere: --to json exit 0" 0 $?
check "crashing constructor elsewhere: --to json output unchanged" cmp -s "$TMP/ref.json" "$TMP/out"
dconv --to markdown "$SEED" >/dev/null 2>"$TMP/err"
expect_eq "crashing constructor elsewhere: --to markdown exit 0" 0 $?
expect_eq "crashing constructor elsewhere: --check" "1 digests, $papers papers" \
  "$(dconv --check "$SEED" 2>&1 | head -1 | sed 's/, [0-9]* warnings$//')"
dconv --help json >/dev/null 2>&1
expect_eq "crashing constructor elsewhere: --help json exit 0" 0 $?
# A file named like a plugin already loaded is a duplicate refused before
# dlopen(): its constructor never runs, even under --list-plugins.
mkdir -p "$TMP/c/crashdup"
cp "$PLUGDIR/tp-crashctor.so" "$TMP/c/crashdup/json.so"
DCONV_PLUGIN_PATH=$TMP/c/crashdup dconv --list-plugins >"$TMP/out" 2>"$TMP/err"
expect_eq "duplicate by file name: --list-plugins exit 0 (never dlopen()ed)" 0 $?
check "duplicate by file name: listed as rejected" \
  grep -qx "  reason: duplicate plugin name 'json', already loaded from $BUILTIN/json.so" "$TMP/out"
unset DCONV_PLUGIN_PATH

# -q silences rejections (errors would still print).
DCONV_PLUGIN_PATH=$TMP/c/major dconv -q --to json "$SEED" >"$TMP/out" 2>"$TMP/err"
expect_eq "-q: no rejection message" "" "$(cat "$TMP/err")"

# --- plugins that load, and what they do
mkcase good tp-good
out=$(DCONV_PLUGIN_PATH=$TMP/c/good dconv --to tp-good "$SEED" 2>"$TMP/err")
expect_eq "good plugin converts" "tp-good: $papers papers, greeting=hello" "$out"
expect_eq "good plugin: no message" "" "$(cat "$TMP/err")"
out=$(DCONV_PLUGIN_PATH=$TMP/c/good dconv --to tp-good -O greeting=hi "$SEED")
expect_eq "good plugin: declared option" "tp-good: $papers papers, greeting=hi" "$out"
out=$(DCONV_PLUGIN_PATH=$TMP/c/good dconv --to tp-good-loud "$SEED")
expect_eq "good plugin: variant preset" "tp-good: $papers papers, greeting=HELLO" "$out"
DCONV_PLUGIN_PATH=$TMP/c/good dconv --to tp-good -O volume=11 "$SEED" >/dev/null 2>"$TMP/err"
expect_eq "good plugin: undeclared option refused (exit 2)" 2 $?
expect_eq "good plugin: undeclared option message" \
  "dconv: error: unknown option 'volume' for format 'tp-good'; valid: greeting" "$(cat "$TMP/err")"

mkcase abi10 tp-abi10
out=$(DCONV_PLUGIN_PATH=$TMP/c/abi10 dconv --to tp-abi10 -O greeting=old "$SEED" 2>"$TMP/err")
expect_eq "plugin built against the ABI 1.0 headers loads and converts" \
  "tp-abi10: $papers papers, greeting=old" "$out"
expect_eq "ABI 1.0 plugin: no message" "" "$(cat "$TMP/err")"
check "ABI 1.0 plugin listed as 1.0" sh -c \
  "DCONV_PLUGIN_PATH='$TMP/c/abi10' '$DCONV' --list-plugins -v | grep -qx '  abi: 1.0 (descriptor [0-9]* bytes)'"

# A failing writer: exit status 4, its message, no output file, and an
# existing output file left untouched.
mkcase fail tp-fail tp-silentfail
export DCONV_PLUGIN_PATH=$TMP/c/fail
mkdir "$TMP/o"
echo previous >"$TMP/o/out.txt"
dconv --to tp-fail "$SEED" -o "$TMP/o/out.txt" >"$TMP/out" 2>"$TMP/err"
expect_eq "failing plugin: exit status 4" 4 $?
expect_eq "failing plugin: its message" \
  "dconv: tp-fail: error: deliberate failure after $papers papers" "$(cat "$TMP/err")"
expect_eq "failing plugin: previous output kept" "previous" "$(cat "$TMP/o/out.txt")"
expect_eq "failing plugin: no temporary file left" "out.txt" "$(cd "$TMP/o" && ls -A)"
dconv --to tp-fail "$SEED" -o "$TMP/o/new.txt" >/dev/null 2>&1
expect_eq "failing plugin: exit status 4 (new file)" 4 $?
check "failing plugin: no output file created" test ! -e "$TMP/o/new.txt"
dconv --to tp-silentfail "$SEED" >"$TMP/out" 2>"$TMP/err"
expect_eq "silently failing plugin: exit status 4" 4 $?
expect_eq "silently failing plugin: message" \
  "dconv: tp-silentfail: error: plugin failed without saying why (code -2)" "$(cat "$TMP/err")"
dconv --to json "$SEED" >"$TMP/out" 2>"$TMP/err"
check "failing plugins loaded: json still converts" cmp -s "$TMP/ref.json" "$TMP/out"
unset DCONV_PLUGIN_PATH

# --- fault isolation while plugin code runs. Each case: the exit status,
# the message naming the plugin and its file, the previous output file kept
# and no temporary file left behind.
# faulty CASE STATUS MESSAGE: run `--to tp-CASE -o out.txt` over an old file.
faulty() {
  local c=$1 status=$2 msg=$3 d=$TMP/c/$1
  mkcase "$c" "tp-$c"
  mkdir -p "$d/o"
  echo previous >"$d/o/out.txt"
  DCONV_PLUGIN_PATH=$d dconv --to "tp-$c" -o "$d/o/out.txt" "$SEED" >"$d/stdout" 2>"$d/err"
  expect_eq "$c: exit status" "$status" $?
  expect_eq "$c: message names the plugin" "$msg" "$(grep -v 'lib.sh: line' "$d/err")"
  expect_eq "$c: previous output kept" previous "$(cat "$d/o/out.txt")"
  expect_eq "$c: no temporary file left" out.txt "$(cd "$d/o" && ls -A)"
}
faulty crash 139 "dconv: plugin tp-crash ($TMP/c/crash/tp-crash.so) crashed: SIGSEGV (during convert)"
faulty abort 134 "dconv: plugin tp-abort ($TMP/c/abort/tp-abort.so) crashed: SIGABRT (during convert)"
faulty exit 4 "dconv: plugin tp-exit ($TMP/c/exit/tp-exit.so) called exit() during convert"
faulty errzero 4 "dconv: tp-errzero: error: failed, then returned 0"
# A message with escape sequences, 10,000 bytes long: shown escaped, cut.
x1000=$(printf 'x%.0s' $(seq 1 1000))
faulty noisy 4 "dconv: tp-noisy: error: \\x1b[2J\\x1b]0;owned\\x07${x1000:0:986}…"
# The same crash to stdout: reported the same way, nothing half-written
# counts as success.
DCONV_PLUGIN_PATH=$TMP/c/crash dconv --to tp-crash "$SEED" >/dev/null 2>"$TMP/err"
expect_eq "crash to stdout: exit status 139" 139 $?
# A crash in a constructor, when the command does load the file.
DCONV_PLUGIN_PATH=$TMP/c/crashctor dconv --list-plugins >/dev/null 2>"$TMP/err"
expect_eq "crashing constructor: --list-plugins dies of SIGSEGV" 139 $?
check "crashing constructor: the file is named" grep -qx \
  "dconv: plugin tp-crashctor ($TMP/c/crashctor/tp-crashctor.so) crashed: SIGSEGV (during load)" "$TMP/err"
# printf() in a constructor and in convert: not in the output (stdout or
# -o), on stderr instead.
mkcase printf tp-printf
export DCONV_PLUGIN_PATH=$TMP/c/printf
dconv --to tp-printf "$SEED" >"$TMP/out" 2>"$TMP/err"
expect_eq "printf: exit status" 0 $?
expect_eq "printf: stdout is the output only" "tp-printf: $papers papers, greeting=hello" "$(cat "$TMP/out")"
expect_eq "printf: the noise went to stderr" "constructor noise
convert noise" "$(cat "$TMP/err")"
dconv --list-formats >"$TMP/out" 2>/dev/null
expect_eq "printf: --list-formats output has no noise" "" "$(grep noise "$TMP/out")"
dconv --to json "$SEED" >"$TMP/out" 2>/dev/null
check "printf loaded elsewhere: --to json unchanged" cmp -s "$TMP/ref.json" "$TMP/out"
unset DCONV_PLUGIN_PATH
# Option tables checked at load time, each with its reason.
mkcase options tp-badenum tp-badtype tp-badbool tp-dupkey
rejected options \
  "$TMP/c/options/tp-badbool.so: $W option 'greeting' is boolean but its default is neither true nor false" \
  "$TMP/c/options/tp-badenum.so: $W option 'greeting' has a default that is not one of its choices" \
  "$TMP/c/options/tp-badtype.so: $W option 'greeting' has an unknown type" \
  "$TMP/c/options/tp-dupkey.so: $W option 'greeting' is declared twice"
DCONV_PLUGIN_PATH=$TMP/c/options dconv --list-plugins -v >"$TMP/out" 2>&1
check "bad option tables: --list-plugins -v gives the reason" \
  grep -qx "  reason: option 'greeting' has an unknown type" "$TMP/out"

# A writer's warning: printed with the node's file and line; under --strict
# it stops the writer and fails like any strict-mode warning (exit 1).
mkcase warn tp-warn
export DCONV_PLUGIN_PATH=$TMP/c/warn
line=$(grep -n -m1 '^### ' "$SEED" | cut -d: -f1) # the first paper's heading
out=$(dconv --to tp-warn "$SEED" 2>"$TMP/err")
expect_eq "writer warning: output still written" "tp-warn: $papers papers, greeting=hello" "$out"
expect_eq "writer warning: message" "$SEED:$line: warning: first paper noticed (tp-warn)" "$(cat "$TMP/err")"
dconv --strict --to tp-warn "$SEED" -o "$TMP/o/warn.txt" >/dev/null 2>"$TMP/err"
expect_eq "writer warning under --strict: exit status 1" 1 $?
expect_eq "writer warning under --strict: messages" \
  "$(printf '%s\n%s' "$SEED:$line: error: first paper noticed (tp-warn)" \
    "dconv: tp-warn: error: warning treated as an error (--strict)")" "$(cat "$TMP/err")"
check "writer warning under --strict: no output file" test ! -e "$TMP/o/warn.txt"
unset DCONV_PLUGIN_PATH

# Everything at once in one directory: each bad file rejected with its own
# line, in name order, and both the good third-party and the built-in
# plugins work.
mkcase all tp-abi10 tp-badname tp-badoption tp-dup tp-dupvariant tp-good \
  tp-major tp-minor tp-noconvert tp-noentry tp-nullentry tp-small tp-undefined
printf 'not a plugin\n' >"$TMP/c/all/x.so"
A=$TMP/c/all
rejected all \
  "$A/tp-badname.so: $W required field 'name' is missing or not [a-z0-9_-]+" \
  "$A/tp-badoption.so: $W required field 'key' of an option is missing or contains '='" \
  "$A/tp-dup.so: $W duplicate plugin name 'json', already loaded from $BUILTIN/json.so" \
  "$A/tp-dupvariant.so: $W duplicate format name 'kepub' (a variant), already provided by $BUILTIN/epub.so" \
  "$A/tp-major.so: $W built for ABI $((MAJ + 1)).0, this dconv provides $MAJ.$MIN - rebuild it" \
  "$A/tp-minor.so: $W needs ABI $MAJ.$((MIN + 1)), this dconv provides $MAJ.$MIN - upgrade dconv" \
  "$A/tp-noconvert.so: $W required field 'convert' is missing" \
  "$A/tp-noentry.so: $W not a dconv plugin (no 'dconv_plugin_entry' symbol)" \
  "$A/tp-nullentry.so: $W not a dconv plugin (entry returned NULL)" \
  "$A/tp-small.so: $W descriptor too small (16 bytes, ABI $MAJ.0 needs 80)" \
  "$A/tp-undefined.so: $W $A/tp-undefined.so: undefined symbol: dconv_tp_nowhere" \
  "$A/x.so: $W $A/x.so: file too short"
out=$(DCONV_PLUGIN_PATH=$A dconv -q --to tp-good "$SEED")
expect_eq "all: the good plugin converts" "tp-good: $papers papers, greeting=hello" "$out"
out=$(DCONV_PLUGIN_PATH=$A dconv -q --to tp-abi10 "$SEED")
expect_eq "all: the ABI 1.0 plugin converts" "tp-abi10: $papers papers, greeting=hello" "$out"
DCONV_PLUGIN_PATH=$A dconv -q --to markdown "$SEED" >"$TMP/md"
expect_eq "all: markdown still converts" 0 $?
DCONV_PLUGIN_PATH=$A dconv -q --to tp-major "$SEED" >/dev/null 2>"$TMP/err"
expect_eq "all: a rejected plugin's format is unknown (exit 2)" 2 $?
check "all: and the list of formats names the good ones" \
  grep -q "available: .*json.*tp-abi10, tp-abi10-loud, tp-good, tp-good-loud" "$TMP/err"
# A plugin path with an escape sequence: listed terminal-safe.
E=$TMP/$(printf 'esc\033[31m')
mkdir -p "$E"
cp "$PLUGDIR/tp-good.so" "$E/"
DCONV_PLUGIN_PATH=$E dconv --list-plugins >"$TMP/out" 2>&1
check "escape in a plugin path: escaped by --list-plugins" \
  grep -qF 'esc\x1b[31m/tp-good.so' "$TMP/out"
expect_eq "escape in a plugin path: no raw ESC" "" "$(tr -cd '\033' <"$TMP/out")"

finish
