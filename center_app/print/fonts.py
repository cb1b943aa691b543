"""The bundled IPAex fonts for reportlab, and the check that every character can be drawn.

reportlab embeds TrueType fonts as subsets (only the glyphs used). A character the font has no
glyph for would print as an empty box; :func:`check_text` raises :class:`MissingGlyphError`
naming it instead (docs/architecture.md §6: "a name the font can't draw must be reported, not boxed").
"""

from __future__ import annotations

import threading
import unicodedata

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from center_app import paths
from center_app.domain.errors import MissingGlyphError

GOTHIC = "IPAexGothic"
MINCHO = "IPAexMincho"
_FILES = {GOTHIC: "ipaexg.ttf", MINCHO: "ipaexm.ttf"}
_lock = threading.Lock()
_cmaps: dict[str, frozenset[int]] = {}
# Characters that are layout, not glyphs: never reported as missing.
_IGNORED = {"\n", "\r", "\t"}


def register_fonts() -> tuple[str, str]:
    """Register IPAex Gothic and Mincho with reportlab (once); returns (gothic, mincho) names.

    Raises FileNotFoundError naming the font file when it is missing from ``resources/fonts``.
    """
    with _lock:
        for name, filename in _FILES.items():
            if name in _cmaps:
                continue
            path = paths.fonts_dir() / filename
            if not path.is_file():
                raise FileNotFoundError(f"font file missing: {path}")
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            _cmaps[name] = frozenset(font.face.charToGlyph.keys())
    return GOTHIC, MINCHO


def missing_characters(text: str, font: str = GOTHIC) -> list[str]:
    """The distinct characters of ``text`` that ``font`` has no glyph for, in order of appearance."""
    register_fonts()
    cmap = _cmaps[font]
    seen: list[str] = []
    for char in text:
        if char in _IGNORED or char in seen:
            continue
        if ord(char) not in cmap and unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp"):
            seen.append(char)
    return seen


def check_text(text: str, font: str = GOTHIC, field_name: str = "") -> str:
    """Return ``text`` if ``font`` can draw every character; else raise :class:`MissingGlyphError`."""
    missing = missing_characters(text, font)
    if missing:
        raise MissingGlyphError(missing, font, field_name)
    return text
