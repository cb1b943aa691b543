"""ホーム: today's date, who is signed in, the panels of the other features (today's bookings,
follow-ups due, …) and whether the selected facility is open in the coming two weeks (with the
reason when closed and the name of national holidays).

Features add a panel by appending a factory ``(state) -> QWidget`` to :data:`PANELS` (in
:mod:`center_app.ui.screens`); a panel may define ``activate()``, called whenever ホーム is shown
or the toolbar's facility or date changes. A panel may hide itself for roles it does not serve.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QFrame, QHeaderView, QLabel, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from center_app.domain import clock
from center_app.domain.closed_days import DayStatus
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import facilities
from center_app.ui.state import AppState
from center_app.ui.widgets import height_for_rows

PanelFactory = Callable[[AppState], QWidget]

DAYS_SHOWN = 14
CLOSED_BACKGROUND = QColor("#f4d6d6")
HOLIDAY_BACKGROUND = QColor("#fff2cc")


class HomeScreen(QWidget):
    """The first screen after sign-in. Each list keeps a useful height (today's bookings at
    least 8 rows); on a small screen (1366×768) the screen scrolls below them instead of
    squeezing every list to a row or two."""

    def __init__(self, state: AppState, panels: list[PanelFactory] | tuple[PanelFactory, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("home_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(self.scroll)
        content = QWidget()
        self.scroll.setWidget(content)
        layout = QVBoxLayout(content)
        self.title = QLabel()
        font = QFont(self.font())
        font.setPointSize(16)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.greeting = QLabel()
        layout.addWidget(self.greeting)
        self.panels = [factory(state) for factory in panels]
        for panel in self.panels:
            layout.addWidget(panel, 2)
        heading = QLabel(_("Opening days of the selected facility"))
        heading.setStyleSheet("font-weight: bold; margin-top: 12px;")
        layout.addWidget(heading)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("opening_days")
        self.table.setHorizontalHeaderLabels([_("Date"), _("Open?"), _("Note")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 240)
        self.table.setMinimumHeight(height_for_rows(self.table, 5))
        layout.addWidget(self.table, 1)
        # bound methods, not lambdas: Qt drops the connection when this screen is deleted (a
        # user or language switch), so a dead screen neither queries nor touches deleted widgets
        state.facility_changed.connect(self._state_changed)
        state.date_changed.connect(self._state_changed)

    def _state_changed(self, *_args) -> None:
        self.activate()

    def activate(self) -> None:
        """Reload for the toolbar's facility and date."""
        user = self.state.ctx.user
        self.title.setText(format_day(clock.today()))
        if user:
            self.greeting.setText(_("Signed in as {name} ({role}).").format(name=user.display_name, role=user.role.label))
        for panel in self.panels:
            activate = getattr(panel, "activate", None)
            if callable(activate):
                activate()
        if self.state.facility_id is not None:
            self.state.runner.submit(
                facilities.day_statuses, self.state.ctx, self.state.facility_id, self.state.date, DAYS_SHOWN, on_done=self._show_days
            )

    def _show_days(self, days: list[tuple[dt.date, DayStatus]]) -> None:
        self.table.setRowCount(len(days))
        for row, (day, status) in enumerate(days):
            cells = [
                format_day(day),
                _("Open") if status.is_open else _("Closed"),
                status.reason if not status.is_open else (status.holiday_name or ""),
            ]
            if not status.is_open and status.holiday_name and status.holiday_name != status.reason:
                cells[2] = f"{status.reason}（{status.holiday_name}）"
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not status.is_open:
                    item.setBackground(CLOSED_BACKGROUND)
                elif status.holiday_name:
                    item.setBackground(HOLIDAY_BACKGROUND)
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
