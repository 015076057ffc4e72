#!/bin/bash
# Lua scripts in the user's plugin directory ($XDG_DATA_HOME/dconv/plugins)
# become formats and filters: --list-formats shows the name, extension and
# description each declares, --help NAME its options, and they run by name
# with typed options. The loader's rule for modules applies: a
# world-writable script is rejected with the reason, and a broken script is
# rejected without hiding the others.
. "$SRCDIR/tests/lib.sh"
IN=$SRCDIR/tests/lua/digest.md
export XDG_DATA_HOME=$TMP/xdg
dir=$XDG_DATA_HOME/dconv/plugins
mkdir -p "$dir"
cat >"$dir/counter.lua" <<'L'
Format = {
  name = "paper-count", description = "papers per day (test script)",
  version = "2.5", extension = "cnt",
  options = {
    { key = "scale", type = "int", default = "1", help = "multiply counts" },
    { key = "style", type = "enum", choices = { "plain", "bracket" },
      default = "plain", help = "how a count looks" },
  },
}
function Writer(doc)
  local scale, style = dconv.option("scale"), dconv.option("style")
  for _, d in ipairs(doc.digests) do
    local n = #d.papers * scale
    dconv.write(d.date, " ", style == "bracket" and "[" .. n .. "]" or n, "\n")
  end
end
L
cat >"$dir/drop-first.lua" <<'L'
Format = { description = "drop the first paper of each day (test script)" }
function Filter(doc)
  for _, d in ipairs(doc.digests) do d.papers[1]:remove() end
end
L
printf 'function Writer(doc)\n  return (\nend\n' >"$dir/broken.lua"
chmod 644 "$dir"/*.lua

dconv --list-formats >"$TMP/formats" 2>"$TMP/err"
check "writer listed with its name, extension, description" \
  grep -Eq '^paper-count +\.cnt +papers per day \(test script\)$' "$TMP/formats"
check "filter listed (name from the file name)" \
  grep -Eq '^drop-first +\(--filter\) +drop the first paper' "$TMP/formats"
dconv --help paper-count >"$TMP/help"
check "--help shows the version and options" grep -q \
  'plugin paper-count 2.5' "$TMP/help"
check "--help: int option with its default" grep -A1 -q '^  -O scale=INT$' "$TMP/help"
check "--help: enum choices" grep -q '^  -O style=plain|bracket$' "$TMP/help"
expect_eq "runs by name with typed options" "2025-02-03 [6]
2025-02-04 [4]" "$(dconv --to paper-count -O scale=2 -O style=bracket -o - "$IN")"
expect_eq "the filter runs by name" "2025-02-03 2
2025-02-04 1" "$(dconv --filter drop-first --to paper-count -o - "$IN")"
dconv --list-plugins -v >"$TMP/plugins" 2>&1
check "a broken script is rejected with script.lua:LINE" grep -q \
  "broken.lua:3: unexpected symbol near 'end'" "$TMP/plugins"

chmod o+w "$dir/counter.lua"
dconv --list-formats >"$TMP/formats" 2>/dev/null
expect_eq "a world-writable script is not loaded" 0 \
  "$(grep -c paper-count "$TMP/formats")"
dconv --list-plugins -v >"$TMP/plugins" 2>&1
check "... and --list-plugins says why" grep -q \
  'reason: file is world-writable' "$TMP/plugins"
finish
