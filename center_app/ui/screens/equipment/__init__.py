"""備品・印刷室: equipment loans and returns, the printing room's job log, and the charges of both
paid at the counter (counter staff and administrators); the overdue loans on ホーム."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from center_app.ui.state import AppState


def create_screen(state: AppState) -> QWidget:
    """The 備品・印刷室 screen."""
    from center_app.ui.screens.equipment.view import EquipmentScreen

    return EquipmentScreen(state)


def create_home_panel(state: AppState) -> QWidget:
    """The ホーム panel of loans past their due time."""
    from center_app.ui.screens.equipment.panel import OverduePanel

    return OverduePanel(state)
