"""The Japanese catalog is complete: every id of the code translated, none fuzzy, placeholders kept."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations" / "ja" / "LC_MESSAGES" / "center_app.po"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle)


def _ids_in_code(tmp_path) -> set[str]:
    pot = tmp_path / "check.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "--mapping", str(ROOT / "translations" / "babel.cfg"),
         "--keywords", "_ N_ translate:1 ngettext:1,2", "--no-location", "--output", str(pot), str(ROOT / "center_app")],
        check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_every_message_of_the_code_is_in_the_japanese_catalog(tmp_path):
    catalog = _catalog()
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    missing = sorted(_ids_in_code(tmp_path) - known)
    assert missing == [], f"run `make update-catalogs` and translate: {missing[:10]}"


def test_japanese_catalog_has_no_untranslated_or_fuzzy_entries():
    catalog = _catalog()
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_translations_keep_every_placeholder():
    wrong = []
    for m in _catalog():
        if not m.id or not isinstance(m.id, str):
            continue
        if sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string)):
            wrong.append(m.id)
    assert wrong == []


def test_the_compiled_catalog_is_used(monkeypatch):
    from center_app import i18n

    i18n.set_language("ja")
    assert i18n._("Bookings") == "予約"
    i18n.set_language("en")
    assert i18n._("Bookings") == "Bookings"
