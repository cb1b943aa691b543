"""Table model of one configuration table of 設定 (read-only cells; edits go through a dialog)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from center_app.i18n import _
from center_app.services.config import ConfigRow
from center_app.services.config_spec import CLOSED_DAY_KINDS, WEEKDAY_NAMES, ColumnSpec, TableSpec

INACTIVE_COLOR = QColor("#888888")


def display_value(column: ColumnSpec, value: Any, choices: dict[str, dict[int, str]]) -> str:
    """How a stored value is shown in the table and prefilled in the dialog."""
    if value is None or value == "":
        return ""
    if column.kind == "bool":
        return _("Yes") if value else _("No")
    if column.kind == "ref":
        return choices.get(column.ref or "", {}).get(value, str(value))
    if column.kind == "weekday":
        return _(WEEKDAY_NAMES[value])
    if column.kind == "choice" and column.name == "kind":
        return _(CLOSED_DAY_KINDS.get(value, value))
    if column.kind == "time" and isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if column.kind == "yen":
        return f"{value:,}"
    if column.kind == "lines":
        return " / ".join(str(value).splitlines())
    return str(value)


class ConfigTableModel(QAbstractTableModel):
    """Rows of :class:`ConfigRow` shown by the columns of a :class:`TableSpec`."""

    def __init__(self, spec: TableSpec, parent=None):
        super().__init__(parent)
        self.spec = spec
        self.rows: list[ConfigRow] = []
        self.choices: dict[str, dict[int, str]] = {}

    def set_rows(self, rows: list[ConfigRow], choices: dict[str, dict[int, str]]) -> None:
        """Replace every row (after a load or a save)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.choices = choices
        self.endResetModel()

    def row_at(self, row: int) -> ConfigRow | None:
        """The row shown at ``row`` (None out of range)."""
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.spec.columns[index.column()]
        value = row.values.get(column.name)
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(column, value, self.choices)
        if role == Qt.ItemDataRole.ForegroundRole and row.values.get("active") is False:
            return INACTIVE_COLOR
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("int", "yen", "percent"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.spec.columns):
            return _(self.spec.columns[section].label)
        return None
