#!/bin/bash
# hostile-diag: what dconv prints about its input is safe for a terminal and
# readable on a large archive.
# - File names holding escape sequences, C1 controls, bidi overrides or
#   invalid UTF-8 are shown escaped (\x1b, \u009b, \u202e, \xff), in every
#   message that names them, and so are command-line arguments quoted in an
#   error (issue 13).
# - A warning repeated in a file is printed three times and summed up in one
#   line; after three files, only one line for the whole run; -v prints all;
#   --check counts each kind (issue 14).
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/hostile/hostile_lib.sh"

H='## Daily Papers (2024-03-27)'
paper() { printf '### [T](https://arxiv.org/abs/2403.%05d)\n\n' "$1"; }

# Hostile file names: each becomes a digest with one warning (no vote line).
n=0
for name in $'esc\e[2J\e]0;pwned\a.md' $'csi\xc2\x9b31m.md' $'rlo\xe2\x80\xaedm.exe.md' \
  $'bad\xff\xfe.md' $'nl\nfake.md:1: error: x.md'; do
  n=$((n + 1))
  { printf '%s\n\n' "$H"; paper "$n"; printf 'Authors: A\n'; } >"$TMP/$name"
done
run_capture "$TMP/out" "$TMP/err" -v --check "$TMP" # -v: no folding
expect_eq "hostile names: five warnings" "5 digests, 5 papers, 5 warnings" "$(head -1 "$TMP/out")"
check "hostile names: no escape, C1 or bidi byte on stderr" \
  sh -c "! LC_ALL=C grep -aqP '[\\x00-\\x09\\x0b-\\x1f\\x7f]|\\xc2[\\x80-\\x9f]|\\xe2\\x80\\xae|\\xff' '$TMP/err'"
check "hostile names: ESC shown" grep -qF 'esc\x1b[2J\x1b]0;pwned\x07.md:3: warning:' "$TMP/err"
check "hostile names: C1 CSI shown" grep -qF 'csi\u009b31m.md:3: warning:' "$TMP/err"
check "hostile names: bidi override shown" grep -qF 'rlo\u202edm.exe.md:3: warning:' "$TMP/err"
check "hostile names: invalid UTF-8 shown" grep -qF 'bad\xff\xfe.md:3: warning:' "$TMP/err"
check "hostile names: newline shown, no forged line" grep -qF 'nl\x0afake.md:1: error: x.md:3: warning:' "$TMP/err"
expect_eq "hostile names: one line each" 5 "$(wc -l <"$TMP/err")"
# A name inside a message (a missing input; a duplicate's first place).
run_capture /dev/null "$TMP/err" --check $'missing\e[31m.md'
check "missing input: name shown escaped" grep -qF 'missing\x1b[31m.md: error: cannot open' "$TMP/err"
cp "$TMP"/esc* "$TMP/dup.md"
run_capture /dev/null "$TMP/err" --check "$TMP"/esc* "$TMP/dup.md"
check "duplicate: first place shown escaped" grep -qF '(first at '"$TMP"'/esc\x1b[2J\x1b]0;pwned\x07.md:3)' "$TMP/err"
# A command-line argument quoted in an error.
run_capture /dev/null "$TMP/err" $'--x\e[2J'
expect_eq "unknown option: shown escaped" "dconv: error: unknown option '--x\\x1b[2J'" "$(head -1 "$TMP/err")"
rm -f "$TMP"/esc* "$TMP"/csi* "$TMP"/rlo* "$TMP"/bad* "$TMP"/nl* "$TMP/dup.md"

# Repeated warnings. Five files: a.md with 5 papers lacking a vote (and one
# link-less title), b.md 4, c.md..e.md 2 each.
mkdir "$TMP/r"
for f in a:5 b:4 c:2 d:2 e:2; do
  {
    printf '## Daily Papers (2024-03-%02d)\n\n' "$(( $(printf '%d' "'${f%%:*}") - 90 ))"
    for ((i = 1; i <= ${f#*:}; i++)); do
      paper "$(( $(printf '%d' "'${f%%:*}") * 10 + i ))"
      printf 'Authors: A\n\n'
    done
    [ "${f%%:*}" = a ] && printf '### No link\n\nVote: 1\n\nAuthors: A\n'
  } >"$TMP/r/${f%%:*}.md"
done
run_capture "$TMP/out" "$TMP/err" --check "$TMP/r"
expect_eq "repeated: exit 0" 0 "$RC"
R=$TMP/r
expect_eq "repeated: three per file, one line per file, one for the run" \
"$R/a.md:3: warning: paper has no 'Vote:' line; votes unknown
$R/a.md:7: warning: paper has no 'Vote:' line; votes unknown
$R/a.md:11: warning: paper has no 'Vote:' line; votes unknown
$R/a.md:23: warning: paper title has no link; no URL or arXiv id
$R/a.md: warning: 2 more like line 3: paper has no 'Vote:' line; votes unknown (-v shows all)
$R/b.md:3: warning: paper has no 'Vote:' line; votes unknown
$R/b.md:7: warning: paper has no 'Vote:' line; votes unknown
$R/b.md:11: warning: paper has no 'Vote:' line; votes unknown
$R/b.md: warning: 1 more like line 3: paper has no 'Vote:' line; votes unknown (-v shows all)
$R/c.md:3: warning: paper has no 'Vote:' line; votes unknown
$R/c.md:7: warning: paper has no 'Vote:' line; votes unknown
dconv: warning: 4 more in 2 more files: paper has no 'Vote:' line; votes unknown (-v shows all)" \
  "$(cat "$TMP/err")"
expect_eq "repeated: --check counts each kind" \
"5 digests, 16 papers, 16 warnings
      15  paper has no 'Vote:' line; votes unknown
       1  paper title has no link; no URL or arXiv id" "$(cat "$TMP/out")"
run_capture "$TMP/out" "$TMP/err" -v --check "$TMP/r"
expect_eq "repeated -v: every warning" 16 "$(grep -c ': warning: paper' "$TMP/err")"
check "repeated -v: no summary line" sh -c "! grep -q 'more like\\|more in' '$TMP/err'"
# A conversion folds the same way; -q prints none of it.
run_capture /dev/null "$TMP/err" --to json "$TMP/r" -o "$TMP/r.json"
expect_eq "repeated, converting: same lines" 12 "$(wc -l <"$TMP/err")"
run_capture /dev/null "$TMP/err" -q --to json "$TMP/r" -o "$TMP/r.json"
expect_eq "repeated -q: silent" "" "$(cat "$TMP/err")"
finish
