#!/bin/bash
# tests/same-output.sh REF_DCONV NEW_DCONV - the second build writes exactly
# the bytes the first one does, for every writer (and variant), on the
# seeds, the corpus and the adversarial fixtures, with the options that
# change the output most; and says exactly the same on stderr, with the
# same exit status.
#
# Why: tests/ci.sh runs the real consumers (epubcheck, bibtex, biber,
# Zotero's translators, Mnemosyne, ...) against the first build only. The
# other builds (gcc release, plain with Debian's flags, clang) run every
# test of dconv's own behaviour and then this script: output identical to
# the byte means every consumer's verdict carries over, without paying for
# the validators three more times. A miscompile that changes any output
# fails here.
set -uo pipefail
cd "$(dirname "$0")/.."
ref=$1 new=$2
export SOURCE_DATE_EPOCH=1711497600 LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inputs=(seeds tests/corpus/real tests/bibtex/adversarial.md
  tests/bibtex/injection.md tests/hostile/inputs)
opts_for() {
  case $1 in
  bibtex | biblatex) echo "-O abstract=true -O note=true" ;;
  opml) echo "-O notes=true" ;;
  *) echo "" ;;
  esac
}
formats=$("$ref" --list-formats | awk '$2 !~ /^\(/ {print $1}')
[ -n "$formats" ] || { echo "same-output: no formats listed" >&2; exit 1; }
bad=0 n=0
for f in $formats; do
  variants=("")
  [ -n "$(opts_for "$f")" ] && variants+=("$(opts_for "$f")")
  for opts in "${variants[@]}"; do
    for i in "${inputs[@]}"; do
      # shellcheck disable=SC2086 # opts is a list of words
      "$ref" -q --to "$f" $opts -o "$tmp/a" "$i" 2>"$tmp/a.err"
      ra=$?
      # shellcheck disable=SC2086
      "$new" -q --to "$f" $opts -o "$tmp/b" "$i" 2>"$tmp/b.err"
      rb=$?
      n=$((n + 1))
      if [ $ra -ne $rb ] || ! cmp -s "$tmp/a" "$tmp/b" ||
        ! cmp -s "$tmp/a.err" "$tmp/b.err"; then
        echo "FAIL: --to $f $opts $i: exit $ra vs $rb, output or messages differ" >&2
        bad=$((bad + 1))
      fi
      rm -f "$tmp/a" "$tmp/b"
    done
  done
done
echo "same-output: $n conversions compared, $bad differ"
[ $bad -eq 0 ]
