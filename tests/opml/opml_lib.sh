# tests/opml/opml_lib.sh - helpers shared by the opml shell tests.
# Sourced after tests/lib.sh; every dconv run goes through its `dconv`
# function so CI can wrap it in valgrind.

OPML_CHECK="$SRCDIR/tests/opml/opml_check.py"

# opml_verify NAME INPUT... : convert INPUT to OPML and check it fully:
# well-formed (xmllint), OPML 2.0 structure and every outline against the
# tree from `dconv --to json` (opml_check.py), the outline total once more
# through XPath, and a second run byte-identical to the first.
opml_verify() {
  name=$1
  shift
  out="$TMP/$name.opml"
  if ! dconv -q --to opml "$@" >"$out"; then
    fail "$name: dconv --to opml failed"
    return
  fi
  if ! dconv -q --to json "$@" >"$TMP/$name.json"; then
    fail "$name: dconv --to json failed"
    return
  fi
  check "$name: well-formed (xmllint)" xmllint --noout "$out"
  if python3 "$OPML_CHECK" check "$out" "$TMP/$name.json" >"$TMP/$name.counts"; then
    pass "$name: OPML 2.0 structure and outlines match the tree"
  else
    fail "$name: structure/outline check"
  fi
  want=$(sed -n 's/^outlines=//p' "$TMP/$name.counts")
  got=$(xmllint --xpath 'count(//outline)' "$out")
  expect_eq "$name: outline count via XPath" "$want" "$got"
  dconv -q --to opml "$@" >"$out.again"
  check "$name: two runs byte-identical" cmp -s "$out" "$out.again"
}
