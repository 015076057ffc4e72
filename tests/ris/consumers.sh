# ris-consumers-{seeds,corpus,small}: every RIS output is read by two real
# importers and compared with the tree (dconv --to json), record by record:
#   - citation-js (@citation-js/plugin-ris, as web reference managers use
#     it): title, authors and DOI of every record (tests/citejs/check.js);
#   - bibutils' ris2xml (Debian bibutils): no unused or unknown tags, and
#     title, names, date and URL of every record (check_mods.py).
# Each input runs with the default options and with abstract and note on.
# Usage: consumers.sh seeds|corpus|small
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/citejs/setup.sh"
need ris2xml python3
citejs_setup || { fail "npm ci of tests/citejs failed"; finish; }

run() { # run NAME INPUT...
  name=$1
  shift
  if ! dconv -q --to json "$@" >"$TMP/$name.tree.json"; then
    fail "$name: dconv --to json failed"
    return
  fi
  for opts in "" "-O abstract=true -O note=true"; do
    tag=$name${opts:+-options}
    out=$TMP/$tag.ris
    # shellcheck disable=SC2086
    if ! dconv -q --to ris $opts -o "$out" "$@"; then
      fail "$tag: dconv --to ris failed"
      continue
    fi
    check "$tag: citation-js reads every record as in the tree" \
      citejs_check ris "$out" "$TMP/$name.tree.json"
    if ! ris2xml "$out" >"$TMP/$tag.xml" 2>"$TMP/$tag.err"; then
      fail "$tag: ris2xml failed: $(head -3 "$TMP/$tag.err")"
      continue
    fi
    if grep -qi "unused\|unknown" "$TMP/$tag.err"; then
      fail "$tag: ris2xml ignored tags: $(grep -i -m3 -A3 "unused\|unknown" "$TMP/$tag.err")"
    else
      pass "$tag: ris2xml uses every tag"
    fi
    check "$tag: ris2xml reads every record as in the tree" \
      python3 "$SRCDIR/tests/ris/check_mods.py" "$TMP/$tag.xml" "$TMP/$name.tree.json"
  done
}

case ${1:-} in
seeds)
  for seed in "$SEEDS"/*; do
    run "$(basename "$seed")" "$seed"
  done
  run seeds-merged "$SEEDS"
  ;;
corpus) run corpus "$CORPUS" ;;
small) run small "$SRCDIR/tests/citejs/small.md" ;;
*)
  echo "usage: consumers.sh seeds|corpus|small" >&2
  exit 2
  ;;
esac
finish
