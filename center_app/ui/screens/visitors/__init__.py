"""来館者数: the one-key visitor tally on ホーム."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from center_app.ui.state import AppState


def create_home_panel(state: AppState) -> QWidget:
    """The ホーム panel: a button (and a key 1–9) per purpose of 設定, today's counts, corrections."""
    from center_app.ui.screens.visitors.panel import VisitorPanel

    return VisitorPanel(state)
