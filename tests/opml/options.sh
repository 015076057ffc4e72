#!/bin/bash
# head contents and the -O options; stdout vs -o; reproducible dateCreated.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/opml/opml_lib.sh"
need xmllint python3

seed=$(ls "$SEEDS"/* | head -n 1)
unset SOURCE_DATE_EPOCH

head_of() { # head_of OPML-FILE -> name=value lines
  python3 "$OPML_CHECK" head "$1"
}

# Defaults: title from the digest dates, dateCreated from the newest digest
# (midnight UTC, RFC 822), docs, and no ownerName.
dconv -q --to opml "$seed" >"$TMP/one.opml"
head_of "$TMP/one.opml" >"$TMP/one.head"
cat >"$TMP/want.head" <<'WANT'
title=Daily Papers (2024-03-27)
dateCreated=Wed, 27 Mar 2024 00:00:00 GMT
docs=http://opml.org/spec2.opml
WANT
check "default head" diff -u "$TMP/want.head" "$TMP/one.head"
check "root is <opml version=\"2.0\">" grep -qF '<opml version="2.0">' "$TMP/one.opml"
check "declares UTF-8" grep -qF '<?xml version="1.0" encoding="UTF-8"?>' "$TMP/one.opml"

dconv -q --to opml "$SEEDS" >"$TMP/all.opml"
first=$(dconv -q --to json "$SEEDS" | python3 -c 'import json,sys; d=json.load(sys.stdin)["digests"]; print(d[0]["date"], d[-1]["date"])')
set -- $first
check "range title" grep -qxF "title=Daily Papers ($1 to $2)" <(head_of "$TMP/all.opml")

# SOURCE_DATE_EPOCH wins over the digest date.
SOURCE_DATE_EPOCH=0 dconv -q --to opml "$seed" >"$TMP/sde0.opml"
check "SOURCE_DATE_EPOCH=0" grep -qxF "dateCreated=Thu, 01 Jan 1970 00:00:00 GMT" <(head_of "$TMP/sde0.opml")
SOURCE_DATE_EPOCH=951825845 dconv -q --to opml "$seed" >"$TMP/sde1.opml"
check "SOURCE_DATE_EPOCH leap day" grep -qxF "dateCreated=Tue, 29 Feb 2000 12:04:05 GMT" <(head_of "$TMP/sde1.opml")
SOURCE_DATE_EPOCH=4102444799 dconv -q --to opml "$seed" >"$TMP/sde2.opml"
check "SOURCE_DATE_EPOCH end of 2099" grep -qxF "dateCreated=Thu, 31 Dec 2099 23:59:59 GMT" <(head_of "$TMP/sde2.opml")

# -O owner / -O title, escaped like everything else.
dconv -q --to opml -O 'owner=Kim & <Lee> "Q"' -O 'title=My "list" & more' "$seed" >"$TMP/opt.opml"
check "options: well-formed" xmllint --noout "$TMP/opt.opml"
head_of "$TMP/opt.opml" >"$TMP/opt.head"
check "ownerName from -O owner" grep -qxF 'ownerName=Kim & <Lee> "Q"' "$TMP/opt.head"
check "title from -O title" grep -qxF 'title=My "list" & more' "$TMP/opt.head"
check "no ownerName without -O owner" sh -c "! grep -q ownerName '$TMP/one.opml'"

# Unknown option and bad bool are refused by the host.
check "unknown option refused" sh -c "! '$DCONV' -q --to opml -O nope=1 '$seed' >/dev/null 2>&1"
check "bad notes value refused" sh -c "! '$DCONV' -q --to opml -O notes=maybe '$seed' >/dev/null 2>&1"

# Text format: stdout without -o, the same bytes with -o FILE and -o -.
dconv -q --to opml -o "$TMP/file.opml" "$seed"
check "-o FILE equals stdout" cmp -s "$TMP/one.opml" "$TMP/file.opml"
dconv -q --to opml -o - "$seed" >"$TMP/dash.opml"
check "-o - equals stdout" cmp -s "$TMP/one.opml" "$TMP/dash.opml"
check "ends with a newline" test "$(tail -c 1 "$TMP/one.opml" | od -An -c | tr -d ' ')" = '\n'

# A failing output is exit 3 with the host's message only: libxml2 must not
# print its own "I/O error" (a plugin never writes to stderr).
if [ -w /dev/full ]; then
  dconv -q --to opml "$CORPUS" >/dev/full 2>"$TMP/full.err"
  expect_eq "write error exit status" 3 "$?"
  check "no libxml2 chatter on stderr" sh -c "! grep -q 'I/O error' '$TMP/full.err'"
fi

# --help opml documents every option.
"$DCONV" --help opml >"$TMP/help.txt" 2>&1
for o in owner title notes; do
  check "--help opml lists $o" grep -q "$o" "$TMP/help.txt"
done
finish
