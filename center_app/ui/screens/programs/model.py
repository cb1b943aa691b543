"""The table model of a reviewer's score grid (補助金・協働 → 採点): one row per application, a
column per criterion of the round (its maximum points in the header), the sheet's total, and a
note. A cell holds the points as typed (text), so what the clerk typed stays as typed when the
save is refused; the service reads and checks it. The cells of an application the reviewer
declared a conflict of interest with are disabled, the reason in their note and tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from center_app.i18n import _
from center_app.services.review import GridRow, ScoreGrid

_Index = QModelIndex | QPersistentModelIndex
#: Columns before the criteria: the application's number and its project (group).
LEADING = 2


class ScoreGridModel(QAbstractTableModel):
    """The grid of :class:`ScoreGrid` with the typed text of each criterion cell."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid: ScoreGrid | None = None
        self.typed: list[dict[str, str]] = []
        #: True once a cell was typed in since the grid was loaded.
        self.modified = False

    def set_grid(self, grid: ScoreGrid | None) -> None:
        """Show ``grid`` (None: nothing), its stored points as the typed text."""
        self.beginResetModel()
        self.grid = grid
        self.modified = False
        self.typed = [{name: str(points) for name, points in row.points} for row in grid.rows] if grid else []
        self.endResetModel()

    @property
    def criteria(self):
        """The criteria of the round (columns after :data:`LEADING`)."""
        return self.grid.criteria if self.grid else ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() or self.grid is None else len(self.grid.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() or self.grid is None else LEADING + len(self.criteria) + 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole or self.grid is None:
            return None
        if section < LEADING:
            return (_("No."), _("Project"))[section]
        if section < LEADING + len(self.criteria):
            criterion = self.criteria[section - LEADING]
            return _("{criterion}\n(max {max})").format(criterion=criterion.name, max=criterion.max_points)
        return (_("Total"), _("Note"))[section - LEADING - len(self.criteria)]

    def _row(self, index: _Index) -> GridRow:
        return self.grid.rows[index.row()]

    def total(self, row: int) -> int | None:
        """The weighted total of the typed points of ``row`` (None while a cell is empty or not a
        whole number)."""
        total = 0
        for criterion in self.criteria:
            text = self.typed[row].get(criterion.name, "").strip()
            if not text.isdigit():
                return None
            total += int(text) * criterion.weight
        return total

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.grid is None:
            return None
        row, column = self._row(index), index.column()
        criterion_column = LEADING <= column < LEADING + len(self.criteria)
        note = _("Conflict of interest: {reason}").format(reason=row.conflict_reason or "—") if row.conflicted else ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return str(row.application_id)
            if column == 1:
                return f"{row.project_title}（{row.group_name}）"
            if criterion_column:
                return "" if row.conflicted else self.typed[index.row()].get(self.criteria[column - LEADING].name, "")
            if column == LEADING + len(self.criteria):
                total = None if row.conflicted else self.total(index.row())
                return "" if total is None else str(total)
            return note
        if role == Qt.ItemDataRole.ToolTipRole and row.conflicted:
            return note
        if role == Qt.ItemDataRole.BackgroundRole and row.conflicted:
            return QBrush(QColor("#e0e0e0"))
        if role == Qt.ItemDataRole.TextAlignmentRole and (criterion_column or column == LEADING + len(self.criteria)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or self.grid is None:
            return Qt.ItemFlag.NoItemFlags
        if self._row(index).conflicted or self.grid.locked:
            return Qt.ItemFlag.NoItemFlags  # disabled: the reviewer may not score it (or the scores are final)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if LEADING <= index.column() < LEADING + len(self.criteria):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt API
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        name, text = self.criteria[index.column() - LEADING].name, str(value).strip()
        if self.typed[index.row()].get(name, "") != text:
            self.modified = True
        self.typed[index.row()][name] = text
        total = self.index(index.row(), LEADING + len(self.criteria))
        self.dataChanged.emit(index, total)
        return True

    def sheets(self) -> dict[int, dict[str, str]]:
        """The typed sheets of the rows the reviewer may score: application number → criterion →
        text (empty cells as "")."""
        if self.grid is None:
            return {}
        return {row.application_id: {c.name: self.typed[r].get(c.name, "") for c in self.criteria}
                for r, row in enumerate(self.grid.rows) if not row.conflicted}
