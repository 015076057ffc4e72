# shellcheck shell=bash
# tests/anki/anki_lib.sh - helpers for the anki tests; source after lib.sh.
ANKI_TESTS=$SRCDIR/tests/anki

# anki_build OUT.apkg [-O K=V]... INPUT... : build a deck, and OUT.json (the
# same input as `dconv --to json`, the checker's expectation; -O options are
# the anki writer's, so json does not get them). Fails and returns 1 when
# dconv fails.
anki_build() {
  local out=$1 all inputs=() i
  shift
  all=("$@")
  for ((i = 0; i < ${#all[@]}; i++)); do
    if [ "${all[i]}" = -O ]; then i=$((i + 1)); else inputs+=("${all[i]}"); fi
  done
  if ! dconv --to json -q "${inputs[@]}" -o "${out%.apkg}.json"; then
    fail "dconv --to json ${inputs[*]}"
    return 1
  fi
  if ! dconv --to anki -q "${all[@]}" -o "$out"; then
    fail "dconv --to anki ${all[*]}"
    return 1
  fi
}

# anki_check DESC OUT.apkg [check_apkg.py options]: every schema-11 check,
# plus SQLite's own integrity check through the sqlite3 CLI.
anki_check() {
  desc=$1
  apkg=$2
  shift 2
  db=${apkg%.apkg}.anki2
  unzip -p "$apkg" collection.anki2 >"$db" || { fail "$desc: unzip"; return; }
  expect_eq "$desc: sqlite3 integrity_check" ok \
    "$(sqlite3 "$db" 'PRAGMA integrity_check')"
  check "$desc: schema 11 checks" \
    python3 "$ANKI_TESTS/check_apkg.py" "$apkg" "${apkg%.apkg}.json" "$@"
}

# anki_sql OUT.apkg SQL: run a query on the deck's collection.
anki_sql() {
  unzip -p "$1" collection.anki2 >"$1.sql.anki2" && sqlite3 "$1.sql.anki2" "$2"
}

# The input used by the re-import tests: a copy of the seeds where one paper
# (2403.17887) gets a new summary and a brand-new paper is added.
anki_changed_seeds() {
  dir=$1
  mkdir -p "$dir"
  cp "$SEEDS"/* "$dir"/
  f=$dir/000_16b3e9fdefacf7be.txt
  sed -i '0,/^- 인기 있는/s//- (개정) 인기 있는/' "$f"
  cat >>"$f" <<'MD'
### [A Paper Added Later](https://arxiv.org/abs/2403.99999)

Vote: 1

Authors: Jane Doe

- 새로 추가된 논문입니다.

MD
}

# anki_fields OUT.apkg ARXIV-ID NAME... : the named fields (or "tags") of
# the note whose ArxivID is ARXIV-ID, joined by '|'.
anki_fields() {
  unzip -p "$1" collection.anki2 >"$1.f.anki2" &&
    python3 - "$1.f.anki2" "$@" <<'PY'
import sqlite3, sys
db, _, arxiv, *names = sys.argv[1:]
con = sqlite3.connect(db)
m = con.execute("select models from col").fetchone()[0]
import json
flds = [f["name"] for f in next(iter(json.loads(m).values()))["flds"]]
for tags, f in con.execute("select tags, flds from notes"):
    f = f.split("\x1f")
    if f[0] == arxiv:
        print("|".join(tags if n == "tags" else f[flds.index(n)] for n in names))
PY
}

# need_mnemosyne: like `need` (tests/lib.sh), at the top of a test: sets PY
# to a python3 that imports Mnemosyne (the real importer the deck tests
# use), with HOME and Qt set up for a headless run; unavailable otherwise.
need_mnemosyne() {
  PY=""
  for p in /usr/bin/python3 python3; do
    if "$p" -c 'import mnemosyne.script' 2>/dev/null; then PY=$p; break; fi
  done
  [ -n "$PY" ] || unavailable "Mnemosyne (Debian package mnemosyne) not installed"
  export HOME=$TMP/home QT_QPA_PLATFORM=offscreen
  mkdir -p "$HOME"
}
