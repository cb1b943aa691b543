"""What every screen gets: the service context, the runner and the toolbar's facility and date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Signal

from center_app.domain import clock
from center_app.services.context import ServiceContext
from center_app.ui.runner import Runner


class AppState(QObject):
    """Shared state of the main window. Screens read ``ctx`` for services, submit work to
    ``runner``, and follow ``facility_changed(int id)`` / ``date_changed(date)`` of the toolbar."""

    facility_changed = Signal(int)
    date_changed = Signal(object)
    user_changed = Signal()
    #: The database file was replaced (restore): the app asks everyone to sign in again.
    database_replaced = Signal()

    def __init__(self, ctx: ServiceContext, runner: Runner, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.facility_id: int | None = None
        self.date: dt.date = clock.today()

    def set_facility(self, facility_id: int) -> None:
        """Select the facility shown by every screen."""
        if facility_id != self.facility_id:
            self.facility_id = facility_id
            self.facility_changed.emit(facility_id)

    def set_date(self, day: dt.date) -> None:
        """Select the working date of the toolbar."""
        if day != self.date:
            self.date = day
            self.date_changed.emit(day)

    def set_context(self, ctx: ServiceContext) -> None:
        """Switch the signed-in user (switch user, unlock)."""
        self.ctx = ctx
        self.user_changed.emit()
