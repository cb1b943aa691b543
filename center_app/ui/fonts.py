"""Registers the bundled fonts with Qt, so the UI renders the same on any PC: IPAex for the
screens, and the documents' fallback fonts (IPAmj明朝, WenQuanYi Micro Hei, Noto Sans Thai), so a
name shows on screen as it prints."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from center_app import paths

#: IPAex for the UI; the fallback fonts so that names (𠮷, 異体字), Chinese and Thai show on screen as printed
UI_FONT_FILES = ("ipaexg.ttf", "ipaexm.ttf", "ipamjm.ttf", "wqy-microhei.ttc", "NotoSansThai-Regular.ttf")


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
