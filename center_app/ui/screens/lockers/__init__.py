"""ロッカー・レターケース: units, the 公募 and its draw, allocations, fees, keys and mail."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from center_app.ui.state import AppState


def create_screen(state: AppState) -> QWidget:
    """The ロッカー・レターケース screen."""
    from center_app.ui.screens.lockers.view import LockersScreen

    return LockersScreen(state)
