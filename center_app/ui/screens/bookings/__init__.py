"""予約: the booking calendar (day, week, month), the booking dialog, and the ホーム panel of
today's and tomorrow's bookings."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from center_app.ui.state import AppState


def create_screen(state: AppState) -> QWidget:
    """The 予約 screen."""
    from center_app.ui.screens.bookings.view import BookingsScreen

    return BookingsScreen(state)


def create_home_panel(state: AppState) -> QWidget:
    """The ホーム panel: today's bookings of the facility (check-in, attendance, no-show) and tomorrow's."""
    from center_app.ui.screens.bookings.home_panel import TodayBookingsPanel

    return TodayBookingsPanel(state)
