# csljson-consumers-{seeds,corpus,small}: every CSL-JSON output
#   - validates against the CSL schema (csl-data.json, vendored here; ajv);
#   - is read by citation-js (@citation-js/plugin-csl) with title, authors
#     and DOI of every item equal to the tree (tests/citejs/check.js);
#   - renders with pandoc --citeproc: every item appears in the
#     bibliography (nocite @*) and pandoc says nothing on stderr.
# Each input runs with the default options and with abstract and note on.
# Usage: consumers.sh seeds|corpus|small
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/citejs/setup.sh"
need pandoc jq
citejs_setup || { fail "npm ci of tests/citejs failed"; finish; }
SCHEMA=$SRCDIR/tests/csljson/csl-data.json

printf -- '---\nnocite: "@*"\n---\n' >"$TMP/nocite.md"

run() { # run NAME INPUT...
  name=$1
  shift
  if ! dconv -q --to json "$@" >"$TMP/$name.tree.json"; then
    fail "$name: dconv --to json failed"
    return
  fi
  for opts in "" "-O abstract=true -O note=true"; do
    tag=$name${opts:+-options}
    out=$TMP/$tag.json
    # shellcheck disable=SC2086
    if ! dconv -q --to csljson $opts -o "$out" "$@"; then
      fail "$tag: dconv --to csljson failed"
      continue
    fi
    check "$tag: schema-valid, and citation-js reads every item as in the tree" \
      citejs_check csljson "$out" "$TMP/$name.tree.json" "$SCHEMA"
    if ! pandoc --citeproc --bibliography="$out" -t html "$TMP/nocite.md" \
      -o "$TMP/$tag.html" 2>"$TMP/$tag.err"; then
      fail "$tag: pandoc --citeproc failed: $(head -3 "$TMP/$tag.err")"
      continue
    fi
    check "$tag: pandoc --citeproc is silent" test ! -s "$TMP/$tag.err"
    jq -r '.[].id' "$out" | sort >"$TMP/$tag.ids"
    sed -n 's/.*<div id="ref-\([^"]*\)".*/\1/p' "$TMP/$tag.html" | sort >"$TMP/$tag.refs"
    if cmp -s "$TMP/$tag.ids" "$TMP/$tag.refs" && [ -s "$TMP/$tag.ids" ]; then
      pass "$tag: pandoc renders all $(wc -l <"$TMP/$tag.ids") items"
    else
      fail "$tag: items pandoc did not render: $(comm -23 "$TMP/$tag.ids" "$TMP/$tag.refs" | head -5)"
    fi
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
