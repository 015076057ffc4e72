#!/bin/bash
# A Lua filter edits the tree through the host's rules for C filters:
# attributes set and unset, papers reordered, and what the host refuses
# (a computed attribute, a string where an integer belongs, editing in a
# writer, removing inside dconv.walk) is an error at script.lua:LINE.
. "$SRCDIR/tests/lib.sh"
need jq
IN=$SRCDIR/tests/lua/digest.md
cd "$TMP" || exit 1

cat >edit.lua <<'L'
function Filter(doc)
  for _, p in ipairs(doc.papers) do
    p.title = p.title:upper()
    if p.votes and p.votes < 10 then p.votes = nil end
  end
  local d = doc.digests[2]
  local first = d.papers[1]
  first:remove()
  d:insert(first) -- now last
end
L
expect_eq "titles set, low votes unset, a paper moved last" \
  'ATTENTION 40
PLAIN null
MARKUP null
DIFFUSION 30
BRACKETS 12' \
  "$(dconv --filter ./edit.lua --to json -o - "$IN" |
    jq -r '.digests[].papers[] | "\(.title | split(" ")[0]) \(.votes)"')"

# bad LINE PATTERN ROLE: ROLE's body (on line 2) must fail at script.lua:LINE.
bad() {
  cat >script.lua
  if [ "$3" = filter ]; then
    args="--filter ./script.lua --to json"
  else
    args="--to ./script.lua"
  fi
  # shellcheck disable=SC2086 # args are words
  dconv $args -o out.txt "$IN" 2>err
  rc=$?
  if [ "$rc" = 4 ] && grep -q "script\.lua:$1: .*$2" err; then
    pass "refused: $2"
  else
    fail "expected exit 4 and script.lua:$1: ...$2, got $rc: $(cat err)"
  fi
}
bad 2 "cannot set 'papers' of a collection" filter <<'L'
function Filter(doc)
  doc.papers = 3
end
L
bad 2 "'votes' must be an integer" filter <<'L'
function Filter(doc)
  doc.papers[1].votes = 1.5
end
L
bad 2 "read-only in a writer" writer <<'L'
function Writer(doc)
  doc.papers[1].title = "x"
end
L
bad 3 "cannot remove nodes inside dconv.walk" filter <<'L'
function Filter(doc)
  dconv.walk(doc, function(n, enter)
    if enter and n.kind == "paper" then n:remove() end
  end)
end
L
finish
