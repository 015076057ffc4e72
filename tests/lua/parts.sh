#!/bin/bash
# lua-parts: a Lua writer writes one file per digest through
# dconv.part_open/part_close: with -o DIR/ the files land in DIR, with
# -o FILE they are the entries of one zip (checked by unzip -t and Python's
# zipfile, not by dconv); a refused name, output outside a part and a
# script that fails after its first part are errors (exit 4) that leave
# nothing behind: the old output survives, no part file appears.
. "$SRCDIR/tests/lib.sh"
need unzip python3
IN=$SRCDIR/tests/lua/digest.md
cd "$TMP" || exit 1

cat >days.lua <<'L'
Format = { description = "titles, a file per day", extension = "txt" }
function Writer(doc)
  for _, d in ipairs(doc.digests) do
    dconv.part_open("titles-" .. d.date .. ".txt")
    for _, p in ipairs(d.papers) do dconv.write(p.title, "\n") end
    dconv.part_close()
  end
end
L
# The titles of tests/lua/digest.md, by day, written out by hand from it
# (a title is the plain text of its link: emphasis marks are not text).
day1='Attention Is All You Need Again
Plain Graphs, Sparse and Dense
Markup in Titles: stars, /slashes/, under, =eq=, ~tilde~, +plus+ and $x$'
day2='Brackets [x] and [[y]], a_b^c -- dashes... \alpha
Diffusion Agents for Speech'

dconv --to ./days.lua -o out/ "$IN" || fail "convert to out/"
expect_eq "one file per day in the directory" \
  "titles-2025-02-03.txt titles-2025-02-04.txt" "$(cd out && echo *)"
expect_eq "first day's file" "$day1" "$(cat out/titles-2025-02-03.txt)"
expect_eq "second day's file" "$day2" "$(cat out/titles-2025-02-04.txt)"

dconv --to ./days.lua -o days.zip "$IN" || fail "convert to days.zip"
unzip -tq days.zip >/dev/null || fail "unzip -t days.zip"
expect_eq "the zip's entries and their bytes (Python's zipfile)" \
  "titles-2025-02-03.txt:$(printf '%s\n' "$day1" | wc -c) titles-2025-02-04.txt:$(printf '%s\n' "$day2" | wc -c)" \
  "$(python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(" ".join("%s:%d" % (i.filename, len(z.read(i))) for i in z.infolist()))' days.zip)"

# refused PATTERN: the script on stdin must exit 4 with an error naming
# the script and PATTERN, and leave case/ (where out.txt is written) with
# the old out.txt alone, and nothing beside it (../escape.txt).
refused() {
  cat >script.lua
  rm -rf case && mkdir case && echo old >case/out.txt
  dconv --to ./script.lua -o case/out.txt "$IN" 2>err
  rc=$?
  left=$(cd case && ls -A)
  if [ "$rc" = 4 ] && grep -q "script.*$1" err &&
    [ "$(cat case/out.txt)" = old ] && [ "$left" = out.txt ] &&
    [ ! -e escape.txt ]; then
    pass "refused: $1"
  else
    fail "expected exit 4, an error on $1, only the old out.txt left; got $rc: $(cat err); left: $left"
  fi
}
refused "not a valid part name" <<'L'
function Writer(doc)
  dconv.part_open("../escape.txt")
end
L
refused "outside a part" <<'L'
function Writer(doc)
  dconv.part_open("a.txt")
  dconv.part_close()
  dconv.write("stray")
end
L
refused "script.lua:4: boom" <<'L'
function Writer(doc)
  dconv.part_open("a.txt")
  dconv.write("partial")
  error("boom")
end
L
# The same failure with -o DIR/: the part written before it never appears.
dconv --to ./script.lua -o fresh/ "$IN" 2>/dev/null
rc=$?
expect_eq "a failed run to a directory leaves no part" "4 none" \
  "$rc $( [ -e fresh/a.txt ] && echo a.txt || echo none)"
finish
