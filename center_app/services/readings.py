"""A reading (フリガナ) suggested for a name typed in kanji, offline, from the dictionary of
``pykakasi`` (a maintained kanji → kana converter): the form offers it, the clerk confirms it.

Dictionary readings of names are often wrong (白根 is シラネ in 南アルプス市, the dictionary says
シロネ), so a suggestion only ever fills an empty reading or is offered beside a typed one; it
never replaces what the clerk typed (``ui/screens/groups/form.py``).
"""

from __future__ import annotations

import threading
import unicodedata

from center_app.domain.errors import ValidationError
from center_app.domain.normalize import clean_text, normalize_kana
from center_app.domain.search_keys import VARIANTS

_lock = threading.Lock()
_converter = None


def _kakasi():
    """The one converter (loading its dictionary takes about a second, so it is kept)."""
    global _converter
    with _lock:
        if _converter is None:
            import pykakasi

            _converter = pykakasi.kakasi()
        return _converter


def suggest_reading(name: str | None) -> str:
    """A katakana reading for ``name`` ("櫛形手話サークル" → "クシガタシュワサークル"), words
    separated by one full-width space as :func:`~center_app.domain.normalize.normalize_kana`
    writes them; "" for a blank name or when the name holds characters that have no kana reading
    (Latin letters, digits: the clerk types those); punctuation is left out. 異体字 are read as their common form (髙橋 as
    高橋). Never raises for any text."""
    text = clean_text(name)
    if not text:
        return ""
    # 異体字 as their common form; punctuation and symbols (〜, ！, ・) have no reading
    text = "".join(VARIANTS.get(ch, ch) for ch in text if unicodedata.category(ch)[0] not in "PS" or ch == "ー")
    words = []
    for word in text.split():
        converted = _kakasi().convert(word)
        words.append("".join(part["kana"] for part in converted))
    try:
        return normalize_kana(" ".join(words))
    except ValidationError:
        return ""
