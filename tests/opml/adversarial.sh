#!/bin/bash
# Hostile titles and bullets: markup, entities, quotes, "]]>", invalid UTF-8
# (the core turns it into U+FFFD), control characters from numeric entities
# (the writer turns them into U+FFFD), newlines and tabs (which must come out
# as &#10; and &#9;). The output must stay well-formed and every text must
# read back exactly.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/opml/opml_lib.sh"
need xmllint python3

in="$TMP/adversarial.md"
{
  printf '## Daily Papers (2024-03-28)\n\n'
  printf '### [<script>alert("x")</script> A & B](https://arxiv.org/abs/2403.00001)\n\n'
  printf 'Vote: 1\n\nAuthors: A <i>x</i>, B & "C"\n\n'
  printf -- '- bullet with ]]> and <tag> & amp; and "quotes"\n\n'
  printf '### [Quotes "double" and '"'"'single'"'"' \\]\\]> cdata end](https://arxiv.org/abs/2403.00002)\n\n- b\n\n'
  printf '### [&lt;b&gt; entities &amp; &quot; &#39;](https://arxiv.org/abs/2403.00003)\n\n- c\n\n'
  printf '### Bad \303\050 bytes \377 end\n\n- d\n\n'
  printf '### [ctl &#1; &#8; &#xFFFE; end](https://arxiv.org/abs/2403.00005)\n\n- e\n\n'
  printf '### [Newlines](https://arxiv.org/abs/2403.00006)\n\n'
  printf -- '- code block follows\n\n  ```\n  line one\n  \tline two\n  ```\n'
  printf -- '- tab `a\tb` in code\n'
} >"$in"

opml_verify adversarial "$in"
out="$TMP/adversarial.opml"

python3 "$OPML_CHECK" dump "$out" >"$TMP/dump.txt"
R=$(printf '\357\277\275') # U+FFFD
T=$(printf '\t')
cat >"$TMP/want.txt" <<WANT
Daily Papers (2024-03-28)
  <script>alert("x")</script> A & B <https://arxiv.org/abs/2403.00001>
    Authors: A <i>x</i>, B, "C"
    Votes: 1
    bullet with ]]> and <tag> & amp; and "quotes"
  Quotes "double" and 'single' ]]> cdata end <https://arxiv.org/abs/2403.00002>
    b
  <b> entities & " ' <https://arxiv.org/abs/2403.00003>
    c
  Bad $R( bytes $R end
    d
  ctl $R $R $R end <https://arxiv.org/abs/2403.00005>
    e
  Newlines <https://arxiv.org/abs/2403.00006>
    code block follows line one\n${T}line two
    tab a${T}b in code
WANT
if diff -u "$TMP/want.txt" "$TMP/dump.txt"; then
  pass "every hostile text reads back exactly"
else
  fail "hostile texts do not read back exactly"
fi

# The raw bytes: markup only as entities, line breaks as character refs.
check "no raw <script> element" sh -c "! grep -q '<script' '$out'"
check "no raw ]]>" sh -c "! grep -qF ']]>' '$out'"
check "newline in an attribute written as &#10;" grep -qF 'line one&#10;' "$out"
check "tab in an attribute written as &#9;" grep -qF 'a&#9;b' "$out"
check "no C0 control bytes but LF" \
  sh -c "! LC_ALL=C grep -q '[[:cntrl:]]' '$out'"

# -O values that are not clean UTF-8 text are refused by the host (usage
# error), before the writer runs.
dconv -q --to opml -O "owner=$(printf 'Me \001 & <you> \377')" \
  "$in" >"$TMP/opts.opml" 2>"$TMP/opts.err"
rc=$?
expect_eq "hostile -O value refused with exit 2" 2 "$rc"
check "refusal names the option" grep -q "option 'owner' is not valid UTF-8" "$TMP/opts.err"
dconv -q --to opml -O "owner=Me & <you> \"q\"" "$in" >"$TMP/opts.opml"
check "-O owner with XML specials stays well-formed" xmllint --noout "$TMP/opts.opml"
python3 "$OPML_CHECK" head "$TMP/opts.opml" >"$TMP/head.txt"
check "owner kept as text" grep -qxF 'ownerName=Me & <you> "q"' "$TMP/head.txt"

# A repaired text is a warning, so --strict refuses it.
printf '## Daily Papers (2024-03-28)\n\n### [ctl &#1;](https://arxiv.org/abs/2403.00001)\n\nVote: 1\n\nAuthors: A\n\n- x\n' >"$TMP/strict.md"
dconv --strict --to opml "$TMP/strict.md" >/dev/null 2>"$TMP/strict.err"
rc=$?
check "--strict fails on a repaired text (exit $rc)" test "$rc" -ne 0
check "--strict names the reason" grep -q "U+FFFD" "$TMP/strict.err"
finish
