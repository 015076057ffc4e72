#!/usr/bin/env python3
"""Import .apkg files with Mnemosyne's own Anki importer, headless.

usage: mnemosyne_import.py DATA_DIR DECK.apkg [DECK.apkg...]

Each deck is imported in turn into the Mnemosyne collection in DATA_DIR
(created if needed), exactly as Mnemosyne's "Import > Anki2 collections"
does. Prints a JSON summary on the last line of stdout:
  {"cards": N, "facts": N, "facts_by_guid": {GUID: {field: value}},
   "sample": {"question": HTML, "answer": HTML}}
Mnemosyne uses the note GUID as its fact id and the card id as its card id,
so importing an updated deck again updates facts instead of adding some.
"""
import json
import os
import shutil
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from mnemosyne.script import Mnemosyne  # noqa: E402


def main():
    data_dir = os.path.abspath(sys.argv[1])
    decks = [os.path.abspath(p) for p in sys.argv[2:]]
    # The importer unpacks next to the package (into __TMP__): work on a
    # copy in a private directory so parallel tests never collide.
    work = tempfile.mkdtemp(prefix="dconv-mnemosyne-")
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # Mnemosyne chats on stdout; keep it clean
    try:
        m = Mnemosyne(data_dir)
        fmt = [f for f in m.component_manager.all("file_format")
               if f.__class__.__name__ == "Anki2"][0]
        for deck in decks:
            copy = os.path.join(work, "deck.apkg")
            shutil.copy(deck, copy)
            fmt.do_import(copy)
        db = m.database()
        facts = {}
        for fid, key, value in db.con.execute(
                "select f.id, d.key, d.value from facts f"
                " join data_for_fact d on d._fact_id = f._id"):
            facts.setdefault(fid, {})[key] = value
        sample = {}
        card_id = db.con.execute(
            "select _id from cards order by _id limit 1").fetchone()
        if card_id:
            card = db.card(card_id[0], is_id_internal=True)
            sample = {"question": card.question(), "answer": card.answer()}
        out = {"cards": db.card_count(), "facts": db.fact_count(),
               "facts_by_guid": facts, "sample": sample}
        m.finalise()
    finally:
        sys.stdout = real_stdout
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False))


main()
