#!/bin/bash
# sdk-list PLUGDIR: `dconv --list-plugins [-v]` shows every loaded plugin
# (name, version, path; with -v also ABI, descriptor size, description,
# extension, options and variants) and every rejected file with its reason,
# in search order: built-in directory, $DCONV_PLUGIN_PATH, then
# $XDG_DATA_HOME/dconv/plugins.
. "$SRCDIR/tests/lib.sh"
PLUGDIR=$1
BUILTIN=$BUILDDIR/plugins
export XDG_DATA_HOME=$TMP/xdg HOME=$TMP
unset DCONV_PLUGIN_PATH

P=$TMP/path
U=$XDG_DATA_HOME/dconv/plugins
mkdir -p "$P" "$U"
cp "$PLUGDIR/tp-good.so" "$PLUGDIR/tp-major.so" "$PLUGDIR/tp-minor.so" "$P/"
printf 'text\n' >"$P/x.so"
cp "$PLUGDIR/tp-abi10.so" "$PLUGDIR/tp-noentry.so" "$U/"
cp "$PLUGDIR/tp-good.so" "$U/zz-shadow.so" # same name as $P/tp-good.so
export DCONV_PLUGIN_PATH=$P

abi=$(dconv --version | sed -n 's/.*plugin ABI \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r MAJ MIN <<<"$abi"

# --- short form
dconv --list-plugins >"$TMP/short" 2>"$TMP/short.err"
expect_eq "--list-plugins exit status" 0 $?
expect_eq "--list-plugins: nothing on stderr (rejections are listed)" "" "$(cat "$TMP/short.err")"
want=$(
  for p in anki bibtex csljson epub hf json lua markdown opml ris select; do
    v=1.0.0
    [ "$p" = anki ] && v=1.1.0 # extra cards, second note type
    printf '%-10s %-8s %s\n' "$p" "$v" "$BUILTIN/$p.so"
  done
  printf '%-10s %-8s %s\n' tp-good 0.7.1 "$P/tp-good.so" tp-abi10 0.7.1 "$U/tp-abi10.so"
  printf 'rejected: %s\n  reason: %s\n' \
    "$P/tp-major.so" "built for ABI $((MAJ + 1)).0, this dconv provides $MAJ.$MIN - rebuild it" \
    "$P/tp-minor.so" "needs ABI $MAJ.$((MIN + 1)), this dconv provides $MAJ.$MIN - upgrade dconv" \
    "$P/x.so" "$P/x.so: file too short" \
    "$U/tp-noentry.so" "not a dconv plugin (no 'dconv_plugin_entry' symbol)" \
    "$U/zz-shadow.so" "duplicate plugin name 'tp-good', already loaded from $P/tp-good.so"
)
expect_eq "--list-plugins: loaded in search order, then rejected with reasons" \
  "$want" "$(cat "$TMP/short")"

# --- verbose form
dconv --list-plugins -v >"$TMP/long" 2>"$TMP/long.err"
expect_eq "--list-plugins -v exit status" 0 $?
expect_eq "--list-plugins -v: nothing on stderr" "" "$(cat "$TMP/long.err")"
block() { # the verbose block of one plugin: from its name line to the next
  awk -v n="$1" '/^[^ ]/ {on = ($1 == n)} on' "$TMP/long"
}
want="tp-good 0.7.1
  path: $P/tp-good.so
  abi: $MAJ.$MIN (descriptor 80 bytes)
  description: loader test plugin
  extension: .txt
  options:
  -O greeting=TEXT
      a word to print (default: hello)
  variant: tp-good-loud (greeting=HELLO)"
expect_eq "-v: a third-party plugin's path, version, ABI, options, variant" "$want" "$(block tp-good)"
expect_eq "-v: the ABI 1.0 plugin shows ABI 1.0" "  abi: 1.0 (descriptor 80 bytes)" \
  "$(block tp-abi10 | grep '^  abi:')"
want="epub 1.0.0
  path: $BUILTIN/epub.so"
expect_eq "-v: built-in plugins with their path" "$want" "$(block epub | head -2)"
check "-v: binary container formats say so" \
  grep -qx '  extension: .epub (binary) (container)' "$TMP/long"
check "-v: every built-in option is listed (epub lang)" grep -q '^  -O lang=' "$TMP/long"
check "-v: variants listed (kepub)" grep -q '^  variant: kepub (' "$TMP/long"
expect_eq "-v: every loaded plugin has a path line" 13 "$(grep -c '^  path: /' "$TMP/long")"
expect_eq "-v: every loaded plugin has an abi line" 13 "$(grep -c '^  abi: [0-9]*\.[0-9]* (descriptor [0-9]* bytes)$' "$TMP/long")"
expect_eq "-v: the same rejected files and reasons as the short form" \
  "$(sed -n '/^rejected: /,$p' "$TMP/short")" "$(sed -n '/^rejected: /,$p' "$TMP/long")"

# A world-writable directory and a relative entry are listed as rejected too.
chmod 777 "$P"
export DCONV_PLUGIN_PATH=$P:relative/dir
dconv --list-plugins -v >"$TMP/long2" 2>"$TMP/long2.err"
want=$(printf 'rejected: %s\n  reason: %s\n' \
  "$P" "plugin directory is world-writable; not searched" \
  "relative/dir" "relative plugin directory never searched" \
  "$U/tp-noentry.so" "not a dconv plugin (no 'dconv_plugin_entry' symbol)")
expect_eq "-v: refused directories listed with reasons" "$want" \
  "$(sed -n '/^rejected: /,$p' "$TMP/long2")"
check "-v: so tp-good now comes from the user directory" \
  grep -qx "  path: $U/zz-shadow.so" "$TMP/long2"
chmod 755 "$P"

# A directory reached twice (here the user directory, also named in
# $DCONV_PLUGIN_PATH) is one set of plugins: no duplicate complaints.
export DCONV_PLUGIN_PATH=$U:$U
dconv --list-plugins >"$TMP/twice" 2>&1
expect_eq "a directory searched twice: each file listed once" \
  "$(printf 'rejected: %s\n  reason: %s' "$U/tp-noentry.so" "not a dconv plugin (no 'dconv_plugin_entry' symbol)")" \
  "$(sed -n '/^rejected: /,$p' "$TMP/twice")"
dconv --list-formats >/dev/null 2>"$TMP/twice.err"
expect_eq "a directory searched twice: one message per bad file" \
  "$U/tp-noentry.so: warning: plugin rejected: not a dconv plugin (no 'dconv_plugin_entry' symbol)" \
  "$(cat "$TMP/twice.err")"
out=$(dconv --list-formats)
check "--list-formats names a third-party format" grep -q '^tp-abi10 ' <<<"$out"
check "--list-formats names its variant" grep -q '^tp-abi10-loud ' <<<"$out"
finish
