"""Table model of the consultation list: the rows of one :class:`ConsultationPage`.

The order is the service's (newest first, or by a clicked header: :meth:`ConsultationTableModel.sort`
asks the screen to search again sorted in the database); the model never re-sorts its rows, so
row ``n`` is always ``rows[n]``, the record every action takes. The list never holds what was said (summaries have no content), so nothing
sensitive can leak through a tooltip or a cell.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from center_app.domain import clock
from center_app.i18n import N_, _
from center_app.services.consultations_queries import SORT_COLUMNS
from center_app.services.consultations_values import OPEN, ConsultationSummary, client_type_label, method_label, status_label

#: Columns: (key, English header id).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("consulted_on", N_("Date")),
    ("start_time", N_("Time")),
    ("method", N_("Method")),
    ("client_type", N_("Client type")),
    ("client_label", N_("Client")),
    ("topics", N_("Topics")),
    ("staff_name", N_("Staff member")),
    ("status", N_("Status")),
    ("follow_up_due", N_("Follow-up due")),
    ("confidential", N_("Restricted")),
)
OVERDUE_COLOR = QColor("#b00020")
OPEN_COLOR = QColor("#8a6d00")


def display(item: ConsultationSummary, key: str, today: dt.date | None = None) -> str:
    """The text of one cell."""
    if key == "consulted_on":
        return item.consulted_on.strftime("%Y/%m/%d")
    if key == "start_time":
        return item.start_time.strftime("%H:%M") if item.start_time else ""
    if key == "method":
        return method_label(item.method)
    if key == "client_type":
        return client_type_label(item.client_type)
    if key == "topics":
        return "、".join(item.topics)
    if key == "status":
        return status_label(item.status)
    if key == "follow_up_due":
        if not item.follow_up_needed:
            return ""
        if item.follow_up_done:
            return _("Done")
        return item.follow_up_due.strftime("%Y/%m/%d") if item.follow_up_due else ""
    if key == "confidential":
        return _("Restricted") if item.confidential else ""
    value = getattr(item, key)
    return "" if value is None else str(value)


class ConsultationTableModel(QAbstractTableModel):
    """Read-only rows; ``UserRole`` of any cell is the consultation id. ``sort_changed`` asks
    for the rows again in the order of ``order`` / ``descending``."""

    sort_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.order, self.descending = "consulted_on", True
        self.rows: list[ConsultationSummary] = []
        self.total = 0
        self.today = clock.today()

    def set_rows(self, rows: list[ConsultationSummary] | tuple[ConsultationSummary, ...], total: int | None = None) -> None:
        """Replace the rows (``total``: how many match, when more than shown)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.total = len(self.rows) if total is None else total
        self.today = clock.today()
        self.endResetModel()

    def consultation_id(self, row: int) -> int | None:
        """The id shown at ``row`` (None out of range)."""
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A clicked header: search again sorted by that column, in the database (the topics
        column, several names a row, is not sorted)."""
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][0] not in SORT_COLUMNS:
            return
        self.order, self.descending = COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder
        self.sort_changed.emit()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) or not 0 <= index.column() < len(COLUMNS):
            return None
        item = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(item, key)
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        if role == Qt.ItemDataRole.ForegroundRole:
            overdue = item.follow_up_needed and not item.follow_up_done and item.follow_up_due and item.follow_up_due < self.today
            if key == "follow_up_due" and overdue:
                return OVERDUE_COLOR
            if key == "status" and item.status == OPEN:
                return OPEN_COLOR
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
