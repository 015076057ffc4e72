#!/bin/sh
# epub-seeds: every seed alone and all seeds merged are epubcheck-clean
# books with the right title, counts and structure.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/epub/epub_lib.sh"
need python3
need_epubcheck

books=""
for seed in "$SEEDS"/*; do
  name=$(basename "$seed" .txt)
  out=$TMP/$name.epub
  if ! dconv --to epub "$seed" -o "$out"; then
    fail "convert $name"
    continue
  fi
  read -r days papers <<EOF
$(count_input "$seed")
EOF
  date=$(dconv --to json "$seed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["digests"][0]["date"])')
  check_book "$out" --expect-days "$days" --expect-papers "$papers" \
    --title "Daily Papers $date"
  books="$books $out"
done

out=$TMP/seeds.epub
if dconv --to epub "$SEEDS" -o "$out"; then
  read -r days papers <<EOF
$(count_input "$SEEDS")
EOF
  check_book "$out" --expect-days "$days" --expect-papers "$papers" \
    --title "Daily Papers 2023-12-12 – 2024-05-29"
  books="$books $out"
else
  fail "convert all seeds"
fi

# shellcheck disable=SC2086
epubcheck_all $books
finish
