"""A registered group's consultation history, for the group form (coordinators and admins only).

Not a screen package, so the 団体 screen may use it without importing the 相談 screen. Wiring in
the group form (``center_app/ui/screens/groups/form.py``, in ``GroupFormDialog._header``)::

    from center_app.ui.consultation_history import history_button
    ...
    button = history_button(self.state, d.id if d else None, self)
    if button is not None:
        row.addWidget(button)

``history_button`` returns None for counter staff and for a group not saved yet, so nothing is
shown to them; :func:`center_app.services.consultations_queries.group_history` refuses them anyway (and
audits the attempt). The list shows no content — only date, method, topics, staff and status —
and confidential records of other coordinators are left out by the service.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from center_app.i18n import _
from center_app.services import consultations_queries
from center_app.services.consultations_values import ConsultationSummary, may_use_consultations, method_label, status_label
from center_app.ui.state import AppState
from center_app.ui.widgets import error_label, set_error


def may_see_history(state: AppState) -> bool:
    """Whether the signed-in role may see consultations (coordinators and admins)."""
    user = state.ctx.user
    return user is not None and may_use_consultations(user.role)


class GroupHistoryDialog(QDialog):
    """The consultations of one group, newest first (the read is audited by the service)."""

    def __init__(self, state: AppState, group_id: int, group_name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.group_id = state, group_id
        self.items: list[ConsultationSummary] = []
        self.setWindowTitle(_("Consultation history: {name}").format(name=group_name) if group_name else _("Consultation history"))
        self.resize(720, 400)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("history_summary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("history_table")
        self.table.setHorizontalHeaderLabels([_("Date"), _("Method"), _("Topics"), _("Client"), _("Staff member"), _("Status")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.message = error_label()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Load the history in the background."""
        self.state.runner.submit(consultations_queries.group_history, self.state.ctx, self.group_id, on_done=self._loaded,
                                 on_error=lambda e: set_error(self.message, str(e)))

    def _loaded(self, items: list[ConsultationSummary]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for r, c in enumerate(items):
            cells = [c.consulted_on.strftime("%Y/%m/%d"), method_label(c.method), "、".join(c.topics), c.client_label,
                     c.staff_name, status_label(c.status)]
            for col, text in enumerate(cells):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self.summary.setText(_("{count} consultations").format(count=len(items)))


def history_button(state: AppState, group_id: int | None, parent: QWidget | None = None, group_name: str = "") -> QPushButton | None:
    """A "相談履歴…" button opening :class:`GroupHistoryDialog`; None when the role may not see
    consultations or the group is not saved yet."""
    if group_id is None or not may_see_history(state):
        return None
    button = QPushButton(_("Consultation history…"), parent)
    button.setObjectName("consultation_history")
    button.clicked.connect(lambda: GroupHistoryDialog(state, group_id, group_name, button.window()).exec())
    return button
