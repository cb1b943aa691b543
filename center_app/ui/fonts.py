"""Registers the bundled fonts with Qt, so the UI renders the same on any PC: IPAex for the
screens, and the documents' fallback fonts (IPAmj明朝, WenQuanYi Micro Hei, Noto Sans Thai), so a
name shows on screen as it prints; Noto Sans for the accents of Vietnamese. A text in one
language (a language's own name in a list) is shown in the font of that language
(:func:`font_for_language`), as the public site's CSS chooses them."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from center_app import paths

#: IPAex for the UI; the fallback fonts so that names (𠮷, 異体字), Chinese and Thai show on screen as printed
UI_FONT_FILES = ("ipaexg.ttf", "ipaexm.ttf", "ipamjm.ttf", "wqy-microhei.ttc", "NotoSansThai-Regular.ttf", "NotoSans-Regular.ttf")

#: The bundled family that draws each language (codes of ``domain.documents.DocumentLanguage``),
#: the same choice as ``export/site_templates/style.css``.
LANGUAGE_FAMILIES = {
    "ja": "IPAexGothic", "ja_easy": "IPAexGothic",
    "en": "Noto Sans", "pt_BR": "Noto Sans", "es": "Noto Sans", "tl": "Noto Sans", "vi": "Noto Sans",
    "th": "Noto Sans Thai", "zh_Hans": "WenQuanYi Micro Hei",
}


def register_fonts() -> str | None:
    """Add the bundled fonts to Qt's font database; returns the UI family (IPAex Gothic) or None."""
    family = None
    for name in UI_FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(paths.fonts_dir() / name))
        if font_id >= 0 and name == "ipaexg.ttf":
            families = QFontDatabase.applicationFontFamilies(font_id)
            family = families[0] if families else None
    return family


def ui_font(family: str, point_size: int = 10) -> QFont:
    """The application font."""
    font = QFont(family)
    font.setPointSize(point_size)
    return font


def font_for_language(code: str, base: QFont) -> QFont:
    """``base`` drawn first with the bundled family of language ``code`` (then ``base``'s own
    families for anything it lacks); ``base`` unchanged for unknown codes."""
    family = LANGUAGE_FAMILIES.get(code)
    if family is None:
        return QFont(base)
    font = QFont(base)
    font.setFamilies([family, *base.families()])
    return font
