#!/bin/bash
# The Lua sandbox, limits and error reporting (plugins/lua/README.md). Each
# case is a small writer run as `dconv --to ./script.lua -o out.txt` over
# tests/lua/digest.md, with out.txt holding "old" beforehand; a refused or
# failing script must exit 4, say "script.lua:LINE: <what>" with the line
# written here, and leave out.txt as it was. Catches: a sandbox hole
# (processes, native code, files outside -O FILE options, bytecode), a limit
# a pcall loop can outlive (a hang: each case has a 100 s timeout, far above
# the seconds it takes), a crash or a message without the line.
. "$SRCDIR/tests/lib.sh"
IN=$SRCDIR/tests/lua/digest.md
cd "$TMP" || exit 1

# refused DESC LINE PATTERN [dconv args...] < script: run it, expect failure.
refused() {
  desc=$1 line=$2 pat=$3
  shift 3
  cat >script.lua
  echo old >out.txt
  rm -f pwned
  start=$SECONDS
  # shellcheck disable=SC2086 # DCONV_WRAP is a command line (lib.sh)
  timeout 100 ${DCONV_WRAP:-} "$DCONV" --to ./script.lua -o out.txt "$@" \
    "$IN" 2>err
  rc=$?
  secs=$((SECONDS - start))
  if [ "$rc" = 124 ]; then
    fail "$desc: not stopped within 100 s"
  elif [ "$rc" != 4 ]; then
    fail "$desc: exit $rc, expected 4 ($(cat err))"
  elif ! grep -q "^dconv: .*script\.lua:$line: .*$pat" err; then
    fail "$desc: expected 'script.lua:$line: ...$pat', got: $(cat err)"
  elif [ "$(cat out.txt)" != old ] || [ -e pwned ]; then
    fail "$desc: the output was replaced or the command ran"
  else
    pass "$desc (${secs}s)"
  fi
}

refused "os.execute" 2 "os.execute is not available" <<'L'
function Writer(doc)
  os.execute("touch pwned")
end
L
refused "io.popen" 2 "io.popen is not available" <<'L'
function Writer(doc)
  io.popen("touch pwned")
end
L
refused "package.loadlib" 2 "package.loadlib is not available" <<'L'
function Writer(doc)
  package.loadlib("libc.so.6", "puts")
end
L
cp "$BUILDDIR/plugins/markdown.so" cmod.so
refused "require of a C module (cmod.so next to the script)" 2 \
  "require 'cmod': .*only Lua modules" <<'L'
function Writer(doc)
  require("cmod")
end
L
refused "dofile" 2 "dofile is not available" <<'L'
function Writer(doc)
  dofile("/etc/passwd")
end
L
refused "bytecode (load mode forced to text)" 2 "binary chunk" <<'L'
function Writer(doc)
  assert(load("\27Lua\84\0", "x", "b"))
end
L
refused "io.open outside the FILE options" 2 "io.open: '/etc/passwd' refused" <<'L'
function Writer(doc)
  io.open("/etc/passwd")
end
L
refused "io.open for writing" 2 "mode 'w' refused" <<'L'
function Writer(doc)
  io.open("pwned", "w")
end
L
echo secret >given.txt
refused "io.lines of a file that is not the FILE option's" 6 \
  "io.lines: 'out.txt' refused" -O words=given.txt <<'L'
Format = { options = { { key = "words", type = "file", help = "a file" } } }
function Writer(doc)
  for l in io.lines(dconv.option("words")) do
    dconv.write(l)
  end
  for l in io.lines("out.txt") do end
end
L
cat >helper.lua <<'L'
return { shout = function(s) return s:upper() end }
L
cat >script.lua <<'L'
Format = { options = { { key = "words", type = "file", help = "a file" } } }
local helper = require("helper")
function Writer(doc)
  local f = assert(io.open(dconv.option("words")))
  dconv.write(helper.shout(f:read("a")))
  f:close()
end
L
expect_eq "allowed: a Lua module beside the script, the -O FILE option" \
  SECRET "$(dconv --to ./script.lua -O words=given.txt -o - "$IN")"
cat >script.lua <<'L'
function Writer(doc)
  local env = { n = 2 }
  dconv.write(load("return 40 + 2")(), " ", load("return n", "c", "t", env)())
end
L
expect_eq "allowed: load of text, with and without an env" "42 2" \
  "$(dconv --to ./script.lua -o - "$IN")"

# Limits: stopped in seconds, even when the script catches the error.
refused "endless loop" 3 "instruction limit of 10 million exceeded" <<'L'
function Writer(doc)
  dconv.write("partial output")
  while true do end
end
L
refused "endless loop inside pcall, in a pcall loop" 1 \
  "instruction limit of 10 million exceeded" <<'L'
local function spin() while true do end end
function Writer(doc)
  dconv.write("partial output")
  while true do pcall(spin) end
end
L
refused "memory bomb" 4 "memory limit of 128 MiB exceeded" <<'L'
function Writer(doc)
  dconv.write("partial output")
  local s = "x"
  while true do s = s .. s end
end
L
refused "memory bomb caught by pcall and retried" 3 \
  "memory limit of 128 MiB exceeded" <<'L'
local keep = {}
local function grow()
  local s = ("x"):rep(1 << 20) while true do keep[#keep + 1] = s .. #keep end
end
function Writer(doc)
  while true do pcall(grow) end
end
L

# Errors name the line.
refused "syntax error" 3 "unexpected symbol near 'end'" <<'L'
function Writer(doc)
  local x =
end
L
refused "runtime error" 4 "attempt to index a nil value (local 't')" <<'L'
function Writer(doc)
  dconv.write("partial output")
  local t = nil
  return t.x
end
L
refused "error at the top level" 1 "boom" <<'L'
error("boom")
function Writer(doc) end
L
refused "a Format metamethod that raises" 1 "no Format here" <<'L'
Format = setmetatable({}, { __index = function() error("no Format here") end })
function Writer(doc) end
L
refused "a filter's runtime error" 2 "attempt to call a nil value" \
  --filter ./script.lua <<'L'
function Filter(doc)
  doc.nothing()
end
function Writer(doc) end
L
finish
