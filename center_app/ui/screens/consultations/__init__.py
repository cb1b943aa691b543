"""相談 screen (consultation log) and its ホーム panel; registered in :mod:`center_app.ui.screens`."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from center_app.ui.state import AppState


def create_screen(state: AppState) -> QWidget:
    """The 相談 screen."""
    from center_app.ui.screens.consultations.view import ConsultationsScreen

    return ConsultationsScreen(state)


def create_home_panel(state: AppState) -> QWidget:
    """The follow-ups panel of ホーム (hidden for counter staff)."""
    from center_app.ui.screens.consultations.panel import FollowUpPanel

    return FollowUpPanel(state)
