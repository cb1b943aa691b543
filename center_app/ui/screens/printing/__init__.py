"""印刷 screen: registration certificates, 修了証 / 感謝状, event flyers and the event list, with a
live preview of the PDF pages, printing at the printer's resolution and saving the PDF."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from center_app.ui.state import AppState


def create_screen(state: AppState) -> QWidget:
    """The 印刷 screen (factory registered in ``SCREENS["printing"]``)."""
    from center_app.ui.screens.printing.view import PrintingScreen

    return PrintingScreen(state)
