"""予約: the booking calendar (day, week, month), the booking dialog with 収納 and the permit, and
the ホーム panels of today's and tomorrow's bookings and of money due (未納・期限切れ, 日計)."""

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


def create_dues_panel(state: AppState) -> QWidget:
    """The ホーム panel of money: 未納・期限切れ with one action each, today's cash and its close."""
    from center_app.ui.screens.bookings.dues_panel import DuesPanel

    return DuesPanel(state)
