"""Table model of one report table (:class:`center_app.export.tables.Table`): the 集計 screen shows
exactly the cells the exports write, formatted the same way (1,234 / 45.2%).

``Qt.UserRole`` of a cell is its raw value (int, float rate, str or None), which the tests
compare with the XLSX read back. The total row is bold; rate cells of a heat-map table are
coloured by value, like the exports.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from center_app.export.tables import RATE, TEXT, Table, format_cell

_Index = QModelIndex | QPersistentModelIndex


def heat_colour(rate: float | None) -> QColor:
    """White (0 %) → yellow (50 %) → orange-red (100 %); grey when there is no rate."""
    if rate is None:
        return QColor("#EEEEEE")
    rate = max(0.0, min(1.0, rate))
    low, mid, high = (255, 255, 255), (255, 217, 102), (244, 115, 90)
    a, b, t = (low, mid, rate * 2) if rate < 0.5 else (mid, high, (rate - 0.5) * 2)
    return QColor(*(round(x + (y - x) * t) for x, y in zip(a, b, strict=True)))


class ReportTableModel(QAbstractTableModel):
    """Read-only view of a report table; ``set_table(None)`` empties it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table: Table | None = None
        self._rows: tuple[tuple[Any, ...], ...] = ()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_table(self, table: Table | None) -> None:
        self.beginResetModel()
        self.table = table
        self._rows = table.all_rows if table else ()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def is_total_row(self, row: int) -> bool:
        return self.table is not None and self.table.total is not None and row == len(self._rows) - 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        value = self._rows[index.row()][index.column()]
        kind = self.table.columns[index.column()].kind
        if role == Qt.ItemDataRole.DisplayRole:
            return format_cell(value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignLeft if kind == TEXT else Qt.AlignmentFlag.AlignRight
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.is_total_row(index.row()):
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.table.heatmap and kind == RATE and not self.is_total_row(index.row()):
                return QBrush(heat_colour(value if isinstance(value, float) else None))
            if self.is_total_row(index.row()):
                return QBrush(QColor("#F2F2F2"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or self.table is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.table.columns[section].header
        return None
