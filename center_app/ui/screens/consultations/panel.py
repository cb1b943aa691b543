"""ホーム panel: the follow-ups due this week (overdue first) of the signed-in coordinator, or of
everyone for an administrator. Hidden for counter staff, who may not see consultations at all
(the panel then never asks the services, so no refusal lands in the audit log)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from center_app.domain import clock
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import consultations_queries
from center_app.services.consultations_values import ConsultationSummary, may_use_consultations, method_label
from center_app.ui.screens.consultations.model import OVERDUE_COLOR
from center_app.ui.state import AppState

DAYS_AHEAD = 7


class FollowUpPanel(QWidget):
    """Follow-ups due within :data:`DAYS_AHEAD` days (list only; records open in the 相談 screen)."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.items: list[ConsultationSummary] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold; margin-top: 8px;")
        layout.addWidget(self.heading)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("follow_up_table")
        self.table.setHorizontalHeaderLabels([_("Follow-up due"), _("Date"), _("Method"), _("Client"), _("Staff member")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.empty = QLabel(_("No follow-ups are due."))
        self.empty.setObjectName("no_follow_ups")
        layout.addWidget(self.empty)
        self.table.setVisible(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setVisible(self._allowed())

    def _allowed(self) -> bool:
        user = self.state.ctx.user
        return user is not None and may_use_consultations(user.role)

    def activate(self) -> None:
        """Reload (only for coordinators and admins)."""
        allowed = self._allowed()
        self.setVisible(allowed)
        if not allowed:
            return
        mine = self.state.ctx.user.role != Role.ADMIN
        self.heading.setText(_("My follow-ups due within {days} days") if mine else _("Follow-ups due within {days} days"))
        self.heading.setText(self.heading.text().format(days=DAYS_AHEAD))
        self.state.runner.submit(
            consultations_queries.follow_ups_due, self.state.ctx, until=clock.today() + dt.timedelta(days=DAYS_AHEAD), mine_only=mine,
            on_done=self._loaded, on_error=lambda _e: self._loaded([]),
        )

    def _loaded(self, items: list[ConsultationSummary]) -> None:
        self.items = items
        today = clock.today()
        self.table.setRowCount(len(items))
        for r, c in enumerate(items):
            overdue = c.follow_up_due is not None and c.follow_up_due < today
            cells = [c.follow_up_due.strftime("%Y/%m/%d") if c.follow_up_due else "", c.consulted_on.strftime("%Y/%m/%d"),
                     method_label(c.method), c.client_label, c.staff_name]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                if overdue and col == 0:
                    item.setForeground(OVERDUE_COLOR)
                    item.setText(_("{date} (overdue)").format(date=text))
                self.table.setItem(r, col, item)
        self.table.setVisible(bool(items))
        self.table.setFixedHeight(min(len(items), 5) * 28 + self.table.horizontalHeader().height() + 4)
        self.empty.setVisible(not items)
